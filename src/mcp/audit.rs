//! The audit trail: one JSON line for every `tools/call` and every
//! `resources/read` (which reads a user or an organization from Clerk as a
//! get tool would), written to the
//! worker's log with [`Platform::log`](crate::oauth::Platform::log) (in the Worker, `console.log`, which
//! Workers Logs, Logpush and `wrangler tail` read). docs/audit.md lists the
//! fields for those who keep the trail.
//!
//! `ToolCall` is the record of one call. `handle_request` begins it when a
//! `tools/call` arrives, serves the call with the context it gives (which
//! watches Clerk's answers and lets the call's code say how it ended, with
//! [`Context::record_outcome`]), and writes it once the answer is known. A
//! `tools/call` the transport refuses after reading it is written by
//! [`refused`]. Either way a call is written once.
//!
//! The line holds nothing secret and nothing an end user wrote: no key or
//! token, no email address, password, name or metadata value. What it says
//! of the arguments is the Clerk IDs among them and a digest keyed with the
//! request's Clerk key, so that two lines can be seen to carry the same
//! arguments but no one with the log alone can check a guess of a value.

use std::cell::Cell;
use std::fmt::Write;

use serde::Serialize;
use serde_json::{Map, Value};

use super::era::meta;
use super::Context;
use crate::clerk::{ids, ClerkClient, LastStatus};
use crate::sha256::{hmac_sha256, sha256};
use crate::tools::{self, Actor, CallResult, Caller, Timestamp};

/// What a digest's message starts with, before a newline and the
/// arguments: it keeps the digest apart from every other HMAC under the
/// Clerk key (the request-state key's derivation signs its own label).
const DIGEST_LABEL: &[u8] = b"clerk-mcp-worker audit digest v2";

/// How many bytes of the digest the line shows (16 hex characters).
const DIGEST_BYTES: usize = 8;

/// How many bytes of the key's SHA-256 name a key holder (12 hex characters).
const KEY_HASH_BYTES: usize = 6;

/// The most IDs a line lists.
const MAX_TARGETS: usize = 16;

/// The longest client name, client version and user ID shown, in characters.
const MAX_NAME_CHARS: usize = 64;
const MAX_VERSION_CHARS: usize = 32;

/// The longest request ID shown (a `cf-ray` is about 20 characters).
const MAX_REQUEST_ID_CHARS: usize = 64;

/// How a `tools/call` ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The tool answered: its output, or in 2026-07-28 a question the user
    /// must answer first (which organization a slug meant).
    Ok,
    /// The tool ran and failed: a bad argument, no usable key, or an error
    /// from Clerk (`clerkStatus` says which status).
    ToolError,
    /// The call was refused before any tool ran: an unknown tool, bad
    /// params, a broken request state, a stateless request that breaks the
    /// era's rules, or a write tool withheld from the request.
    Refused,
    /// A destructive tool asked the user to confirm, and did nothing yet.
    ConfirmationRequested,
    /// The user confirmed, and the tool ran.
    Confirmed,
    /// The user declined, and the tool did nothing.
    Declined,
}

impl Outcome {
    /// How a call that ran its tool ended: [`Outcome::Ok`] or
    /// [`Outcome::ToolError`].
    pub fn of(result: &CallResult) -> Outcome {
        if result.is_error() {
            Outcome::ToolError
        } else {
            Outcome::Ok
        }
    }
}

/// What the trail records of the request a [`Context`] serves, and the
/// call it is recording, if any.
#[derive(Clone, Copy)]
pub struct Trail<'a> {
    actor: Actor<'a>,
    /// The request's `cf-ray`, when it has one of a sane form.
    request_id: Option<&'a str>,
    call: Option<&'a ToolCall<'a>>,
}

impl<'a> Trail<'a> {
    /// The trail of a request made by `actor`, whose `cf-ray` header, if
    /// any, is `ray`.
    pub fn new(actor: Actor<'a>, ray: Option<&'a str>) -> Self {
        let request_id = ray.map(str::trim).filter(|ray| {
            (1..=MAX_REQUEST_ID_CHARS).contains(&ray.len())
                && ray.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
        Trail {
            actor,
            request_id,
            call: None,
        }
    }
}

impl Context<'_> {
    /// A call of a tool with `arguments` in this context: its Clerk client,
    /// selection and caller.
    pub fn tool_call(&self, arguments: Map<String, Value>, can_ask: bool) -> tools::Call<'_> {
        tools::Call {
            arguments,
            clerk: &self.clerk,
            can_ask,
            selection: self.selection,
            caller: self.caller(),
        }
    }

    /// Who calls the tool this context serves, and what their connection
    /// may do.
    pub fn caller(&self) -> Caller<'_> {
        Caller {
            actor: self.trail.actor,
            principal: self
                .trail
                .call
                .map_or("anonymous", |call| call.principal.as_str()),
            policy: self.policy,
            writes_withheld: self.writes_withheld,
            confirm: self.confirm,
        }
    }

    /// Says how the `tools/call` this context serves ended. Without it, the
    /// line says `ok` for an answer and `refused` for a protocol error; the
    /// last outcome recorded wins. Outside a `tools/call` it does nothing.
    pub fn record_outcome(&self, outcome: Outcome) {
        if let Some(call) = self.trail.call {
            call.outcome.set(Some(outcome));
        }
    }
}

/// The record of one `tools/call` (or `resources/read`), from its arrival
/// to its line.
pub(super) struct ToolCall<'a> {
    /// `tool_call`, or `resource_read`.
    event: &'static str,
    started_ms: u64,
    /// Who called, as the line names them (and `clerk_whoami` tells them).
    principal: String,
    /// The tool's name, when it is one of the registry's: any other name
    /// was chosen by the caller and is not written.
    tool: Option<&'static str>,
    client: Option<Client>,
    targets: Vec<String>,
    /// What the digest covers: the arguments as sent, as JSON with sorted
    /// keys, less a `confirmToken`, so that a question and the call it
    /// allowed share a digest.
    arguments: Vec<u8>,
    outcome: Cell<Option<Outcome>>,
    /// Clerk's answers to the call, when the request has a Clerk client.
    clerk: Option<LastStatus<'a>>,
}

/// The client, as it names itself.
#[derive(Serialize)]
struct Client {
    name: String,
    version: String,
}

impl<'a> ToolCall<'a> {
    /// Begins the record of a `tools/call` with `params`, as it arrives.
    pub(super) fn begin(params: &Map<String, Value>, context: &Context<'a>) -> Self {
        let arguments = params.get("arguments").filter(|value| !value.is_null());
        let started_ms = context.platform.now_ms();
        let key = context
            .clerk
            .as_ref()
            .ok()
            .map(|clerk| clerk.secret_key().expose());
        ToolCall {
            event: "tool_call",
            started_ms,
            principal: principal(context.trail.actor, key),
            tool: params
                .get("name")
                .and_then(Value::as_str)
                .and_then(registry_name),
            client: client(params),
            targets: arguments
                .and_then(Value::as_object)
                .map(targets)
                .unwrap_or_default(),
            // A JSON value always writes as JSON.
            arguments: arguments.map_or_else(
                || b"{}".to_vec(),
                |arguments| match arguments {
                    Value::Object(map) if map.contains_key(tools::CONFIRM_TOKEN) => {
                        let mut map = map.clone();
                        map.remove(tools::CONFIRM_TOKEN);
                        serde_json::to_vec(&map).unwrap_or_default()
                    }
                    arguments => serde_json::to_vec(arguments).unwrap_or_default(),
                },
            ),
            outcome: Cell::new(None),
            clerk: context.clerk.as_ref().ok().map(ClerkClient::last_status),
        }
    }

    /// Begins the record of a `resources/read` with `params`: no tool, the
    /// ID its URI names as the target, and a digest of the URI.
    pub(super) fn begin_read(params: &Map<String, Value>, context: &Context<'a>) -> Self {
        let uri = params
            .get("uri")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let mut read = ToolCall::begin(&Map::new(), context);
        read.event = "resource_read";
        read.client = client(params);
        read.targets = uri
            .rsplit('/')
            .next()
            .filter(|id| ids::is_object_id(id))
            .map(|id| vec![id.to_owned()])
            .unwrap_or_default();
        let mut arguments = Map::new();
        arguments.insert("uri".to_owned(), Value::from(uri));
        read.arguments = serde_json::to_vec(&arguments).unwrap_or_default();
        read
    }

    /// The context to serve the call with: `context`, with Clerk's answers
    /// watched and [`Context::record_outcome`] writing to this record.
    pub(super) fn context<'c>(&'c self, context: &Context<'a>) -> Context<'c> {
        let clerk = match (&context.clerk, &self.clerk) {
            (Ok(client), Some(watch)) => Ok(client.watched_by(watch)),
            (credentials, _) => credentials.clone(),
        };
        Context {
            clerk,
            trail: Trail {
                call: Some(self),
                ..context.trail
            },
            ..*context
        }
    }

    /// Writes the call's line. `answered` says whether the call got a
    /// result rather than a protocol error, for a call whose code recorded
    /// no outcome.
    pub(super) fn write(&self, answered: bool, context: &Context<'_>) {
        let outcome = self.outcome.get().unwrap_or(if answered {
            Outcome::Ok
        } else {
            Outcome::Refused
        });
        let platform = context.platform;
        let key = context
            .clerk
            .as_ref()
            .ok()
            .map(|clerk| clerk.secret_key().expose());
        let args_digest = key.map(|key| digest(key, &self.arguments));
        let line = Line {
            event: self.event,
            time: i64::try_from(self.started_ms)
                .ok()
                .map(Timestamp::from_unix_ms),
            request_id: context.trail.request_id,
            tool: self.tool,
            outcome,
            principal: &self.principal,
            client: self.client.as_ref(),
            targets: &self.targets,
            args_digest: args_digest.as_deref(),
            clerk_status: self.clerk.as_ref().and_then(LastStatus::status),
            duration_ms: platform.now_ms().saturating_sub(self.started_ms),
        };
        // The line holds only strings, numbers and nulls, which always
        // serialize.
        if let Ok(text) = serde_json::to_string(&line) {
            platform.log(&text);
        }
    }
}

/// Writes the line of a `tools/call` with `params` that the transport
/// refused after reading it: a stateless request that breaks the era's
/// rules, or one inside a batch.
pub fn refused(params: &Map<String, Value>, context: &Context<'_>) {
    let call = ToolCall::begin(params, context);
    call.outcome.set(Some(Outcome::Refused));
    call.write(false, context);
}

/// One line of the trail, with every field always present.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Line<'a> {
    event: &'static str,
    time: Option<Timestamp>,
    request_id: Option<&'a str>,
    tool: Option<&'static str>,
    outcome: Outcome,
    principal: &'a str,
    client: Option<&'a Client>,
    targets: &'a [String],
    args_digest: Option<&'a str>,
    clerk_status: Option<u16>,
    duration_ms: u64,
}

/// `name` as the registry spells it, if it is a tool's.
fn registry_name(name: &str) -> Option<&'static str> {
    tools::registry()
        .map(|(_, tool)| tool.name)
        .find(|known| *known == name)
}

/// The Clerk IDs among `arguments`: the values of the arguments named
/// `...Id` or `...Ids` (never `externalId`, which users write) that have the
/// form of a Clerk ID, in the order of the arguments' names, each once.
fn targets(arguments: &Map<String, Value>) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let named_ids = arguments.iter().filter(|(name, _)| {
        (name.ends_with("Id") || name.ends_with("Ids")) && name.as_str() != "externalId"
    });
    for (_, value) in named_ids {
        let values = match value {
            Value::Array(values) => values.as_slice(),
            single => std::slice::from_ref(single),
        };
        for id in values.iter().filter_map(Value::as_str) {
            if ids::is_object_id(id) && !found.iter().any(|seen| seen == id) {
                if found.len() == MAX_TARGETS {
                    return found;
                }
                found.push(id.to_owned());
            }
        }
    }
    found
}

/// The client a 2026-07-28 request names in its `_meta`, when it names
/// itself there.
fn client(params: &Map<String, Value>) -> Option<Client> {
    let info = params.get("_meta")?.get(meta::CLIENT_INFO)?;
    let name = printable(info.get("name")?.as_str()?, MAX_NAME_CHARS);
    let version = info.get("version").and_then(Value::as_str).unwrap_or("");
    (!name.is_empty()).then(|| Client {
        name,
        version: printable(version, MAX_VERSION_CHARS),
    })
}

/// The printable ASCII of `text`, at most `max` characters: a name the
/// caller wrote can then neither break a log viewer's line nor pass for
/// other text with direction marks.
fn printable(text: &str, max: usize) -> String {
    text.chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .take(max)
        .collect()
}

/// The `principal` of a call: `token:<n>`, the user ID, `key:<12 hex>` of
/// the SHA-256 of the key a public request brought, or `anonymous` (an
/// open hosted server, or a public request without a usable key).
fn principal(actor: Actor<'_>, key: Option<&str>) -> String {
    match (actor, key) {
        (Actor::Token(number), _) => format!("token:{number}"),
        (Actor::User(user_id), _) => printable(user_id, MAX_NAME_CHARS),
        (Actor::KeyHolder, Some(key)) => {
            format!("key:{}", hex(&sha256(key.as_bytes())[..KEY_HASH_BYTES]))
        }
        (Actor::KeyHolder, None) | (Actor::Anonymous, _) => "anonymous".to_owned(),
    }
}

/// The digest of `arguments`: HMAC-SHA256 under the Clerk key of the
/// label, a newline and the arguments, cut to 16 hex characters.
fn digest(clerk_key: &str, arguments: &[u8]) -> String {
    let mac = hmac_sha256(clerk_key.as_bytes(), &[DIGEST_LABEL, b"\n", arguments]);
    hex(&mac[..DIGEST_BYTES])
}

fn hex(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        // Writing to a String cannot fail.
        let _ = write!(text, "{byte:02x}");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn targets_are_the_ids_of_arguments_named_for_ids() {
        let arguments = object(json!({
            "userId": "user_2abc",
            "organizationId": "org_9",
            "externalId": "user_written",
            "userIds": ["user_2abc", "user_3def", "not-an-id", 7],
            "requestingUserId": "someone@example.com",
            "name": "org_1",
            "slug": "user_5",
        }));
        assert_eq!(
            targets(&arguments),
            ["org_9", "user_2abc", "user_3def"].map(str::to_owned)
        );
    }

    #[test]
    fn targets_stop_at_the_most_a_line_lists() {
        let ids: Vec<String> = (0..40).map(|n| format!("user_{n}")).collect();
        let arguments = object(json!({ "userIds": ids }));
        assert_eq!(targets(&arguments).len(), MAX_TARGETS);
    }

    #[test]
    fn client_names_keep_printable_ascii_cut_short() {
        let params = object(json!({"_meta": {meta::CLIENT_INFO: {
            "name": format!("evil\n\u{202e}client{}", "x".repeat(100)),
            "version": "1.0\r\n",
        }}}));
        let client = client(&params).map(|client| (client.name, client.version));
        let (name, version) = client.unwrap_or_default();
        assert!(name.starts_with("evilclientxx"), "{name}");
        assert_eq!(name.chars().count(), MAX_NAME_CHARS);
        assert_eq!(version, "1.0");
        assert!(super::client(&object(json!({"_meta": {}}))).is_none());
    }

    #[test]
    fn request_ids_of_another_form_are_left_out() {
        fn trail(ray: &str) -> Option<&str> {
            Trail::new(Actor::Anonymous, Some(ray)).request_id
        }
        assert_eq!(trail("8f2c1e0a9b7d3c21-LHR"), Some("8f2c1e0a9b7d3c21-LHR"));
        assert_eq!(trail("a b"), None);
        assert_eq!(trail(""), None);
        assert_eq!(trail(&"a".repeat(65)), None);
    }

    #[test]
    fn outcomes_are_written_in_snake_case() {
        let written = serde_json::to_value([
            Outcome::Ok,
            Outcome::ToolError,
            Outcome::Refused,
            Outcome::ConfirmationRequested,
            Outcome::Confirmed,
            Outcome::Declined,
        ])
        .unwrap_or_default();
        assert_eq!(
            written,
            json!([
                "ok",
                "tool_error",
                "refused",
                "confirmation_requested",
                "confirmed",
                "declined"
            ])
        );
    }
}
