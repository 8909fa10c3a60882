//! What the bulk tools share: the per-item result every one of them
//! answers with, the checks of their item lists, and the loop that sends
//! their requests and waits out Clerk's rate limit when the call has time.
//!
//! A bulk call answers one [`ItemResult`] per item given, in the order
//! given, each `succeeded`, `failed` or `not_attempted`, with the reason for
//! the last two and, for a success, the object in the output shape of the
//! tool that acts on one item. Nothing is left out: an item that repeats an
//! earlier one is `failed` and not sent twice, and the items a rate limit
//! kept from being sent are `not_attempted`, with when to try again.
//!
//! A call in which no item succeeded is a tool error (`isError: true`),
//! whose text holds the same results as JSON; one in which some item
//! succeeded is a result, whose counts say how many did not.
//!
//! A bulk request Clerk answers with 429 is sent again after its
//! `Retry-After` when that wait fits in what is left of [`TIME_LIMIT`],
//! measured on the clock of whatever sends the requests (or, without one,
//! by the waits alone). Otherwise the call stops there, and the items not
//! yet sent are `not_attempted`.

use std::fmt::Write as _;
use std::time::Duration;

use futures::future::LocalBoxFuture;
use schemars::JsonSchema;
use serde::Serialize;
use serde_with::skip_serializing_none;

use super::ToolError;
use crate::clerk::{ClerkClient, ClerkError, HttpSend};
use crate::text::shorten;

/// The most items one bulk call takes.
pub const MAX_ITEMS: usize = 100;

/// How long a bulk call may run, waits for Clerk's rate limit included:
/// well within the minute after which common MCP clients give up on a
/// request.
pub const TIME_LIMIT: Duration = Duration::from_secs(30);

/// How many times one request is sent again after a 429.
const MAX_RATE_LIMITED_RETRIES: u32 = 3;

/// How one item of a bulk call ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Succeeded,
    Failed,
    NotAttempted,
}

/// The object a bulk tool's success shows, in the output shape of the tool
/// that acts on one item, and the key it goes under (`invitation`, `user`).
pub trait Keyed {
    const KEY: &'static str;
    type Object: Serialize;
    fn object(&self) -> &Self::Object;
}

// Its `Serialize` is written by hand rather than derived with `flatten`,
// which would build a second writer of every object type (the whole of a
// user) for the flattening serializer; the derived schema says the same
// shape.
/// One item's result. `T` holds the object a success made or changed,
/// under the key its tool names (`invitation`, `user`).
#[skip_serializing_none]
#[derive(Debug, JsonSchema)]
pub struct ItemResult<T> {
    /// The item as given.
    pub input: String,
    pub status: ItemStatus,
    /// Why it failed or was not attempted.
    pub error: Option<String>,
    #[serde(flatten)]
    pub object: Option<T>,
}

impl<T: Keyed> Serialize for ItemResult<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("input", &self.input)?;
        map.serialize_entry("status", &self.status)?;
        if let Some(error) = &self.error {
            map.serialize_entry("error", error)?;
        }
        if let Some(object) = &self.object {
            map.serialize_entry(T::KEY, object.object())?;
        }
        map.end()
    }
}

/// The answer of a bulk call: every item's result, in the order given, and
/// how many ended each way.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", bound(serialize = "T: Keyed"))]
pub struct BulkResult<T> {
    pub results: Vec<ItemResult<T>>,
    pub succeeded: usize,
    pub failed: usize,
    pub not_attempted: usize,
    /// True when the objects of some successes were left out, last first,
    /// to keep the result within the server's size budget; the list and
    /// get tools read them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub truncated: Option<bool>,
}

/// The results of a bulk call as they come in, one per item given. Each
/// starts as `failed` for want of a result, so that an item never settled
/// (which would be a bug) is never missing.
pub struct Batch<T> {
    results: Vec<ItemResult<T>>,
    settled: Vec<bool>,
}

impl<T: Keyed> Batch<T> {
    /// A batch of the items given, as they are shown back (`inputs`).
    pub fn new(inputs: Vec<String>) -> Self {
        let settled = vec![false; inputs.len()];
        let results = inputs
            .into_iter()
            .map(|input| ItemResult {
                input,
                status: ItemStatus::Failed,
                error: Some(
                    "no result was recorded for this item; check it before trying again".into(),
                ),
                object: None,
            })
            .collect();
        Batch { results, settled }
    }

    /// Whether item `index` has its result already.
    pub fn is_settled(&self, index: usize) -> bool {
        self.settled.get(index).copied().unwrap_or(false)
    }

    pub fn succeed(&mut self, index: usize, object: T) {
        self.settle(index, ItemStatus::Succeeded, None, Some(object));
    }

    pub fn fail(&mut self, index: usize, reason: impl Into<String>) {
        self.settle(index, ItemStatus::Failed, Some(reason.into()), None);
    }

    pub fn not_attempted(&mut self, index: usize, reason: impl Into<String>) {
        self.settle(index, ItemStatus::NotAttempted, Some(reason.into()), None);
    }

    fn settle(
        &mut self,
        index: usize,
        status: ItemStatus,
        error: Option<String>,
        object: Option<T>,
    ) {
        if let (Some(result), Some(settled)) =
            (self.results.get_mut(index), self.settled.get_mut(index))
        {
            result.status = status;
            result.error = error;
            result.object = object;
            *settled = true;
        }
    }

    /// Marks every later occurrence of a key as `failed`, naming the item
    /// it repeats, so that it is not sent twice. `key` says what makes two
    /// items the same (an email address in any case, say).
    pub fn fail_repeats(&mut self, key: impl Fn(&str) -> String) {
        // At most `MAX_ITEMS` items: a list of the keys seen is enough.
        let mut first: Vec<(String, usize)> = Vec::new();
        for index in 0..self.results.len() {
            let item_key = key(&self.results[index].input);
            match first.iter().find(|(seen, _)| *seen == item_key) {
                Some(&(_, earlier)) => {
                    let reason = format!(
                        "repeats item {} of the list ({}): sent once only",
                        earlier + 1,
                        shorten(&self.results[earlier].input, 80)
                    );
                    self.fail(index, reason);
                }
                None => first.push((item_key, index)),
            }
        }
    }

    /// The answer: every item's result and the counts. An item that was
    /// never settled (which would be a bug) reads as `failed`, never as
    /// missing. When no item succeeded, the call is a tool error whose text
    /// holds the same results.
    pub fn finish(self) -> Result<BulkResult<T>, ToolError> {
        let count = |status| {
            self.results
                .iter()
                .filter(|result| result.status == status)
                .count()
        };
        let answer = BulkResult {
            succeeded: count(ItemStatus::Succeeded),
            failed: count(ItemStatus::Failed),
            not_attempted: count(ItemStatus::NotAttempted),
            results: self.results,
            truncated: None,
        };
        if answer.succeeded > 0 {
            return Ok(answer);
        }
        let mut text = format!(
            "No item succeeded: {} failed, {} not attempted. Each item's result:",
            answer.failed, answer.not_attempted
        );
        match serde_json::to_string(&answer) {
            Ok(json) => {
                let _ = write!(text, " {json}");
            }
            Err(error) => return Err(ToolError::internal(error)),
        }
        Err(ToolError::NoneSucceeded(text))
    }
}

/// Why the rest of a bulk call's items were not sent: Clerk's rate limit,
/// with a wait longer than the call has left, or none said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stopped(pub String);

/// Sends a bulk call's requests, waiting out a 429's `Retry-After` while
/// the call has time left (see the module's doc).
pub struct Pacer<'a> {
    http: &'a dyn HttpSend,
    started_ms: Option<u64>,
    waited: Duration,
}

impl<'a> Pacer<'a> {
    /// Starts the call's clock.
    pub fn start(clerk: &ClerkClient<'a>) -> Self {
        let http = clerk.http();
        Pacer {
            http,
            started_ms: http.now_ms(),
            waited: Duration::ZERO,
        }
    }

    /// How long the call has run: by the clock when there is one, or else
    /// by what it has waited.
    fn elapsed(&self) -> Duration {
        match (self.started_ms, self.http.now_ms()) {
            (Some(start), Some(now)) => Duration::from_millis(now.saturating_sub(start)),
            _ => self.waited,
        }
    }

    /// Sends one request with `send` (called again for each try) and
    /// answers its outcome, or [`Stopped`] when Clerk rate-limited it and
    /// the wait it asked for does not fit.
    pub async fn send<T, F, Fut>(&mut self, mut send: F) -> Result<Result<T, ClerkError>, Stopped>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, ClerkError>>,
    {
        let mut retries = 0;
        loop {
            let outcome = send().await;
            let Some(retry_after) = outcome.as_ref().err().and_then(ClerkError::rate_limited)
            else {
                return Ok(outcome);
            };
            let seconds = retry_after.and_then(|after| after.seconds());
            let left = TIME_LIMIT.saturating_sub(self.elapsed());
            match seconds.map(Duration::from_secs) {
                Some(wait) if wait <= left && retries < MAX_RATE_LIMITED_RETRIES => {
                    retries += 1;
                    self.http.wait(wait).await;
                    self.waited += wait;
                }
                _ => {
                    let reason = match (retry_after, seconds) {
                        (Some(after), Some(_)) => format!(
                            "not sent: Clerk's rate limit (HTTP 429) asked to wait {after}, more \
                             than this call had left of its {} seconds; call again with the \
                             items not attempted after that",
                            TIME_LIMIT.as_secs()
                        ),
                        (Some(after), None) => format!(
                            "not sent: Clerk's rate limit (HTTP 429) said to retry after \
                             {after}; call again with the items not attempted then"
                        ),
                        (None, _) => "not sent: Clerk's rate limit (HTTP 429) gave no time to \
                             wait; call again with the items not attempted in a minute"
                            .to_owned(),
                    };
                    return Err(Stopped(reason));
                }
            }
        }
    }
}

/// Whether Clerk refused a whole bulk request for what one of its items
/// holds (400 or 422), so that sending the items one by one tells which.
fn refused_for_an_item(error: &ClerkError) -> bool {
    matches!(error.status(), Some(400 | 422))
}

/// How a bulk tool sends its items: many to a request through Clerk's bulk
/// endpoint, or one alone through the endpoint for one.
pub trait BulkSend {
    /// What is sent for one item.
    type Item;
    /// What Clerk answers for one item.
    type Wire;
    /// The object a success shows, under its key (see [`ItemResult`]).
    type Out: Keyed;
    /// The most items one bulk request may carry.
    const CHUNK: usize;
    /// Whether an item that a bulk answer left out is sent again alone:
    /// only for an action that changes nothing more when repeated.
    const RESEND_UNANSWERED: bool;

    fn send_chunk<'a>(
        &'a self,
        items: Vec<&'a Self::Item>,
    ) -> LocalBoxFuture<'a, Result<Vec<Self::Wire>, ClerkError>>;

    fn send_one<'a>(
        &'a self,
        item: &'a Self::Item,
    ) -> LocalBoxFuture<'a, Result<Self::Wire, ClerkError>>;

    /// Whether `wire`, of a bulk answer, is the answer for `item`.
    fn answers(&self, item: &Self::Item, wire: &Self::Wire) -> bool;

    fn output(&self, wire: Self::Wire) -> Self::Out;

    /// Why `item` failed, as its result says it.
    fn failure(&self, item: &Self::Item, error: ClerkError) -> String;

    /// Why `item` failed when a bulk answer left it out.
    fn unanswered(&self, item: &Self::Item) -> String;
}

/// Sends `items` (each with its index in `batch`) in requests of
/// [`BulkSend::CHUNK`], settling each item in `batch`:
///
/// - a bulk answer settles the items it lists as `succeeded`; one it
///   leaves out is sent alone or `failed` (see [`BulkSend::RESEND_UNANSWERED`]);
/// - a bulk request Clerk refuses with 400 or 422, which names no item,
///   is sent again one item at a time, so that each gets its own result:
///   Clerk refuses such a request whole, and creates none of it;
/// - any other failure settles every item of the request as `failed`;
/// - a 429 is waited out by the [`Pacer`] when it fits, and otherwise
///   every item not yet settled is `not_attempted`.
pub async fn send_all<S: BulkSend>(
    sender: &S,
    pacer: &mut Pacer<'_>,
    batch: &mut Batch<S::Out>,
    items: &[(usize, S::Item)],
) {
    if let Err(Stopped(reason)) = send_chunks(sender, pacer, batch, items).await {
        for (index, _) in items {
            if !batch.is_settled(*index) {
                batch.not_attempted(*index, reason.clone());
            }
        }
    }
}

async fn send_chunks<S: BulkSend>(
    sender: &S,
    pacer: &mut Pacer<'_>,
    batch: &mut Batch<S::Out>,
    items: &[(usize, S::Item)],
) -> Result<(), Stopped> {
    for chunk in items.chunks(S::CHUNK.max(1)) {
        let request: Vec<&S::Item> = chunk.iter().map(|(_, item)| item).collect();
        let mut alone = Vec::new();
        match pacer.send(|| sender.send_chunk(request.clone())).await? {
            Ok(mut answered) => {
                for (index, item) in chunk {
                    match answered.iter().position(|wire| sender.answers(item, wire)) {
                        Some(at) => batch.succeed(*index, sender.output(answered.swap_remove(at))),
                        None if S::RESEND_UNANSWERED => alone.push((*index, item)),
                        None => batch.fail(*index, sender.unanswered(item)),
                    }
                }
            }
            Err(error) if chunk.len() > 1 && refused_for_an_item(&error) => {
                alone.extend(chunk.iter().map(|(index, item)| (*index, item)));
            }
            Err(error) => {
                for (index, item) in chunk {
                    batch.fail(*index, sender.failure(item, error.clone()));
                }
            }
        }
        for (index, item) in alone {
            match pacer.send(|| sender.send_one(item)).await? {
                Ok(wire) => batch.succeed(index, sender.output(wire)),
                Err(error) => batch.fail(index, sender.failure(item, error)),
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, JsonSchema)]
    struct Thing {
        thing: String,
    }

    impl Keyed for Thing {
        const KEY: &'static str = "thing";
        type Object = String;
        fn object(&self) -> &String {
            &self.thing
        }
    }

    #[test]
    fn results_keep_the_order_given_and_count_each_way() {
        let mut batch = Batch::new(vec!["a".into(), "b".into(), "A".into(), "c".into()]);
        batch.fail_repeats(str::to_lowercase);
        assert!(batch.is_settled(2));
        batch.succeed(0, Thing { thing: "x".into() });
        batch.not_attempted(3, "later");
        let answer = batch.finish().expect("one succeeded");
        let json = serde_json::to_value(&answer).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({
                "results": [
                    {"input": "a", "status": "succeeded", "thing": "x"},
                    {"input": "b", "status": "failed",
                     "error": "no result was recorded for this item; check it before trying again"},
                    {"input": "A", "status": "failed",
                     "error": "repeats item 1 of the list (a): sent once only"},
                    {"input": "c", "status": "not_attempted", "error": "later"},
                ],
                "succeeded": 1, "failed": 2, "notAttempted": 1,
            })
        );
    }

    #[test]
    fn a_batch_without_a_success_is_an_error_that_holds_the_results() {
        let mut batch: Batch<Thing> = Batch::new(vec!["a".into()]);
        batch.fail(0, "no such thing");
        let Err(ToolError::NoneSucceeded(text)) = batch.finish() else {
            panic!("expected an error");
        };
        assert!(text.starts_with("No item succeeded: 1 failed, 0 not attempted."));
        assert!(text.contains(r#""error":"no such thing""#), "{text}");
    }
}
