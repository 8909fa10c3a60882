//! The Clerk Backend API client: builds requests, sends them through an
//! [`HttpSend`] it is given, and decodes the answers.
//!
//! It follows three steps, each its own piece: a pure function writes an
//! [`http::Request`] ([`ClerkClient::request`]), the [`HttpSend`] trait sends
//! it (the Workers `fetch` in production, a closure in tests), and pure
//! functions read the [`http::Response`] into a typed value or a
//! [`ClerkError`] (`decode_body`, `ClerkError::from_error_response`).
//! This module knows nothing of MCP.
//!
//! Every request carries the headers Clerk's spec and SDK send: the secret
//! key as a bearer token, `Clerk-API-Version`, a `User-Agent` naming this
//! server, and `Content-Type` only when there is a body.
//!
//! The wire types read almost every field as optional, so that a sparse
//! answer still decodes. The exception is an object's `id`, which Clerk's
//! spec requires of every object: an answer without one (an empty object
//! from whatever answered in Clerk's place) is an error, never a blank user
//! or organization.

pub mod access;
pub mod billing;
mod error;
pub mod ids;
pub mod instance;
pub mod invitations;
mod key;
pub mod memberships;
pub mod oauth;
pub mod organizations;
mod query;
mod rehearsal;
pub mod roles;
pub mod sessions;
pub mod users;
pub mod wire;

use std::borrow::Cow;
use std::cell::Cell;
use std::time::Duration;

use futures::future::LocalBoxFuture;
use http::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER, USER_AGENT};
use http::{Method, Request, Response};
use serde::Serialize;
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use crate::json::{self, JsonError, ScanError};

pub use error::{ApiError, ClerkError, RetryAfter};
pub use key::{KeyError, KeySource, SecretKey};
pub use query::{Query, UrlPath};
pub use rehearsal::{HeldRequest, Rehearsal};
pub use wire::{Misread, Object, Wire};

/// The Backend API version this client speaks (Clerk's OpenAPI `info.version`).
pub const API_VERSION: &str = "2026-05-12";

/// The header that carries [`API_VERSION`].
const API_VERSION_HEADER: HeaderName = HeaderName::from_static("clerk-api-version");

/// The Backend API's origin when `CLERK_API_URL` is not set.
pub const DEFAULT_API_URL: &str = "https://api.clerk.com";

/// Which slice of a list to return, and in what order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    pub limit: u32,
    pub offset: u32,
    /// A field name, optionally signed (`-created_at`, `+name`); `None`
    /// leaves the order to Clerk.
    pub order_by: Option<String>,
}

impl Page {
    /// The first item alone: enough to read a list's `total_count`.
    pub const FIRST: Page = Page {
        limit: 1,
        offset: 0,
        order_by: None,
    };

    /// Appends `limit`, `offset` and `order_by` when there is one.
    pub fn push_to(&self, query: &mut Query) {
        query.push("limit", &self.limit.to_string());
        query.push("offset", &self.offset.to_string());
        query.push_opt("order_by", self.order_by.as_deref());
    }
}

/// The `{data, total_count}` answer of Clerk's paginated lists
/// (organizations, memberships, invitations, roles, sessions).
///
/// `total_count` is read as Clerk's spec types it, a signed 64-bit
/// integer, and kept as given even when it is negative; an answer without
/// one (or with `null`) leaves it unknown. `data` must be there: an answer
/// without it is not a list.
#[derive(Clone, Debug, PartialEq)]
pub struct PaginatedList<T> {
    pub data: Vec<T>,
    pub total_count: Option<i64>,
}

impl<T: Wire> Wire for PaginatedList<T> {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut list = Object::new(value)?;
        Ok(PaginatedList {
            data: list.required("data")?,
            total_count: list.take("total_count"),
        })
    }
}

/// A list that Clerk answers as `{data, total_count}` when asked with
/// `paginated=true`, while its spec documents only the bare array it
/// answers otherwise (sessions, allow-list identifiers, application
/// invitations): both are read.
#[derive(Debug)]
pub enum ListAnswer<T> {
    Paginated(PaginatedList<T>),
    Bare(Vec<T>),
}

impl<T> ListAnswer<T> {
    /// The list as a page asked for with `page`. A bare array says no
    /// total: a page shorter than the limit is the last, so the total is
    /// known then; after a full page it stays unknown.
    pub fn paged(self, page: &Page) -> PaginatedList<T> {
        match self {
            ListAnswer::Paginated(list) => list,
            ListAnswer::Bare(data) => {
                let total_count = (data.len() < page.limit as usize)
                    .then(|| i64::from(page.offset).saturating_add(data.len() as i64));
                PaginatedList { data, total_count }
            }
        }
    }

    /// The items, whatever the form.
    pub fn items(self) -> Vec<T> {
        match self {
            ListAnswer::Paginated(list) => list.data,
            ListAnswer::Bare(data) => data,
        }
    }
}

impl<T: Wire> Wire for ListAnswer<T> {
    fn read(value: Value) -> Result<Self, Misread> {
        match value {
            Value::Array(_) => Vec::read(value).map(ListAnswer::Bare),
            value => PaginatedList::read(value).map(ListAnswer::Paginated),
        }
    }
}

/// What Clerk answers to a `DELETE` of an object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeletedObject {
    pub id: Option<String>,
    pub object: Option<String>,
    pub deleted: bool,
}

impl Wire for DeletedObject {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut deleted = Object::new(value)?;
        Ok(DeletedObject {
            id: deleted.take("id"),
            object: deleted.take("object"),
            deleted: deleted.or_default("deleted"),
        })
    }
}

/// The body of Clerk's `PATCH .../metadata` endpoints for users,
/// organizations and memberships: the metadata objects to deep-merge into
/// the stored ones. Only the objects given are sent, unchanged (nested
/// objects and `null`s too); Clerk keeps the others as they are.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MetadataChanges {
    pub private_metadata: Option<Map<String, Value>>,
    pub public_metadata: Option<Map<String, Value>>,
    /// Users only: organizations and memberships have no unsafe metadata.
    pub unsafe_metadata: Option<Map<String, Value>>,
}

/// A request body, written as JSON once.
///
/// The body types leave out what the call did not give (`None`, and empty
/// lists where they say so), so that Clerk's own defaults apply to it, and
/// list their fields in the alphabetical order of their names in the body:
/// the order in which a `json!` object writes its keys, so that every body
/// Clerk gets has its keys in that one order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonBody(Vec<u8>);

impl JsonBody {
    /// `value` as JSON. The body types hold only strings, numbers, flags and
    /// JSON objects, which always serialize.
    pub fn of(value: &impl Serialize) -> JsonBody {
        JsonBody(serde_json::to_vec(value).unwrap_or_default())
    }
}

/// The headers of an answer that the client reads; a [`HttpSend`] may pass
/// on only these.
pub const ANSWER_HEADERS: [HeaderName; 2] = [CONTENT_TYPE, RETRY_AFTER];

/// Why an outbound request got no usable HTTP answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendError {
    pub failure: SendFailure,
    /// What went wrong, fit to show a user: it must hold no secret.
    pub message: String,
}

/// The kinds of [`SendError`], which decide whether a read is retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SendFailure {
    /// No connection, or it broke before an answer came.
    Unreachable,
    /// An answer started but broke off before its end.
    Interrupted,
    /// No whole answer within the configured timeout.
    TimedOut,
    /// The answer was larger than the server reads.
    TooLarge,
    /// Not sent at all: a [`Rehearsal`] held the write back.
    HeldBack,
}

impl SendError {
    pub fn new(failure: SendFailure, message: impl Into<String>) -> Self {
        SendError {
            failure,
            message: message.into(),
        }
    }
}

/// Sends HTTP requests, and waits between the tries of a retried one.
///
/// Workers are single-threaded, so the futures need not be `Send`.
pub trait HttpSend {
    /// Sends one request and returns the whole answer, or fails with a
    /// [`SendError`] when there is no answer in time or it is too large.
    fn send(
        &self,
        request: Request<Vec<u8>>,
    ) -> LocalBoxFuture<'_, Result<Response<Vec<u8>>, SendError>>;

    /// Resolves after `duration`. It lives here because whatever sends the
    /// requests also owns the clock; the client itself reads no clock.
    fn wait(&self, duration: Duration) -> LocalBoxFuture<'_, ()>;

    /// Milliseconds on the clock `wait` waits by, counted from any fixed
    /// point: what a call that waits measures how long it has run with.
    /// `None` when the sender keeps no clock.
    fn now_ms(&self) -> Option<u64> {
        None
    }
}

/// Passes every request on to another [`HttpSend`] unchanged, and keeps
/// the status of the last answer that came back: what the audit trail
/// records as a call's `clerkStatus`. A request that got no answer leaves
/// it as it was.
pub struct LastStatus<'a> {
    http: &'a dyn HttpSend,
    status: Cell<Option<u16>>,
}

impl LastStatus<'_> {
    /// The status of the last answer, if any came.
    pub fn status(&self) -> Option<u16> {
        self.status.get()
    }
}

impl HttpSend for LastStatus<'_> {
    fn send(
        &self,
        request: Request<Vec<u8>>,
    ) -> LocalBoxFuture<'_, Result<Response<Vec<u8>>, SendError>> {
        Box::pin(async move {
            let answer = self.http.send(request).await;
            if let Ok(response) = &answer {
                self.status.set(Some(response.status().as_u16()));
            }
            answer
        })
    }

    fn wait(&self, duration: Duration) -> LocalBoxFuture<'_, ()> {
        self.http.wait(duration)
    }

    fn now_ms(&self) -> Option<u64> {
        self.http.now_ms()
    }
}

/// The pauses before the second and third tries of a read that met a
/// transient failure (see [`ClerkError::is_transient`]).
pub const RETRY_DELAYS: [Duration; 2] = [Duration::from_millis(250), Duration::from_millis(750)];

/// A 2xx answer from Clerk, not yet decoded.
///
/// A list read on every call keeps its page in one of these, so that what
/// is decoded from it can borrow from it: the listed users' metadata is
/// passed on as the text Clerk wrote, never copied into a map.
#[derive(Debug)]
pub struct Answer(Response<Vec<u8>>);

/// A client bound to one Clerk instance through one secret key.
#[derive(Clone)]
pub struct ClerkClient<'a> {
    http: &'a dyn HttpSend,
    api_url: &'a str,
    /// The key: a hosted server's own, lent for the request, or the one a
    /// public server's request brought.
    key: Cow<'a, SecretKey>,
    /// The user who signed in with OAuth, for whom the server's key acts.
    acting_user: Option<&'a str>,
    /// Whether reads are tried again on transient failures.
    retry_reads: bool,
}

impl<'a> ClerkClient<'a> {
    /// `api_url` is the origin Clerk is served from, without `/v1` or a
    /// trailing slash (`https://api.clerk.com`).
    pub fn new(http: &'a dyn HttpSend, api_url: &'a str, key: Cow<'a, SecretKey>) -> Self {
        ClerkClient {
            http,
            api_url,
            key,
            acting_user: None,
            retry_reads: true,
        }
    }

    /// The same client, acting for `user`, who signed in with OAuth.
    pub fn acting_for(self, user: Option<&'a str>) -> Self {
        ClerkClient {
            acting_user: user,
            ..self
        }
    }

    /// The user who signed in with OAuth and for whom this client acts:
    /// the tools whose Clerk call records who acted (an invitation's
    /// inviter, a revocation's requester) name them unless the call names
    /// someone else.
    pub fn acting_user(&self) -> Option<&'a str> {
        self.acting_user
    }

    /// The key the client calls with: besides Clerk, only what is derived
    /// from it (the key that signs request states) may see it.
    pub fn secret_key(&self) -> &SecretKey {
        &self.key
    }

    /// What the client sends through: a [`Rehearsal`] wraps it.
    pub fn http(&self) -> &'a dyn HttpSend {
        self.http
    }

    /// The same client, sending through `http` instead: a [`Rehearsal`]
    /// that holds back its writes.
    pub fn through<'b>(&'b self, http: &'b dyn HttpSend) -> ClerkClient<'b> {
        ClerkClient {
            http,
            api_url: self.api_url,
            key: Cow::Borrowed(&*self.key),
            acting_user: self.acting_user,
            retry_reads: self.retry_reads,
        }
    }

    /// A watch on the answers this client gets, to send through with
    /// [`ClerkClient::watched_by`].
    pub fn last_status(&self) -> LastStatus<'a> {
        LastStatus {
            http: self.http,
            status: Cell::new(None),
        }
    }

    /// The same client, sending through `watch`.
    pub fn watched_by<'b>(&self, watch: &'b LastStatus<'a>) -> ClerkClient<'b> {
        ClerkClient {
            http: watch,
            api_url: self.api_url,
            key: self.key.clone(),
            acting_user: self.acting_user,
            retry_reads: self.retry_reads,
        }
    }

    /// The same client, trying each call once: for checks that anyone may
    /// trigger, which must not multiply the calls made with the key.
    pub fn without_retries(self) -> Self {
        ClerkClient {
            retry_reads: false,
            ..self
        }
    }

    /// Writes the request for `method {api_url}/v1{path}?{query}`.
    ///
    /// `body`, when given, is sent as JSON with its `Content-Type`; a request
    /// without a body has no `Content-Type`.
    pub fn request(
        &self,
        method: Method,
        path: &UrlPath,
        query: &Query,
        body: Option<&JsonBody>,
    ) -> Request<Vec<u8>> {
        let mut uri = format!("{}/v1{}", self.api_url, path.as_str());
        if !query.is_empty() {
            uri.push('?');
            uri.push_str(query.as_str());
        }
        let mut request = Request::new(body.map(|body| body.0.clone()).unwrap_or_default());
        *request.method_mut() = method;
        // The URI is built from an origin checked at start-up and from
        // percent-encoded parts, so it always parses; `try_from` keeps that
        // an error rather than a panic if it ever did not.
        if let Ok(parsed) = http::Uri::try_from(uri) {
            *request.uri_mut() = parsed;
        }
        let headers = request.headers_mut();
        if let Ok(value) = HeaderValue::try_from(format!("Bearer {}", self.key.expose())) {
            headers.insert(AUTHORIZATION, value);
        }
        headers.insert(API_VERSION_HEADER, HeaderValue::from_static(API_VERSION));
        headers.insert(USER_AGENT, HeaderValue::from_static(user_agent()));
        if body.is_some() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        request
    }

    /// Sends `GET {path}?{query}` and decodes a JSON answer of type `T`.
    pub async fn get<T: Wire>(&self, path: &UrlPath, query: &Query) -> Result<T, ClerkError> {
        self.send(Method::GET, path, query, None).await
    }

    /// Sends `POST {path}`, with a JSON body when there is one (an action
    /// such as `/ban` has none), and decodes the answer.
    pub async fn post<T: Wire>(
        &self,
        path: &UrlPath,
        body: Option<&JsonBody>,
    ) -> Result<T, ClerkError> {
        self.send(Method::POST, path, &Query::new(), body).await
    }

    /// Sends `PATCH {path}` with a JSON body and decodes the answer.
    pub async fn patch<T: Wire>(&self, path: &UrlPath, body: &JsonBody) -> Result<T, ClerkError> {
        self.send(Method::PATCH, path, &Query::new(), Some(body))
            .await
    }

    /// Sends `DELETE {path}` without a body and decodes the answer.
    pub async fn delete<T: Wire>(&self, path: &UrlPath) -> Result<T, ClerkError> {
        self.send(Method::DELETE, path, &Query::new(), None).await
    }

    /// Sends `GET {path}?{query}` and keeps the answer undecoded, for a
    /// caller that reads it into a type that borrows from it (as
    /// [`ClerkClient::read_users`] does).
    pub async fn get_answer(&self, path: &UrlPath, query: &Query) -> Result<Answer, ClerkError> {
        self.exchange(Method::GET, path, query, None)
            .await
            .map(Answer)
            .map_err(|error| error.without_key(&self.key))
    }

    /// Reads the text of an answer of [`ClerkClient::get_answer`] with
    /// `read`, whose values may borrow from it.
    fn read_answer<'b, T>(
        &self,
        answer: &'b Answer,
        read: impl FnOnce(&'b str) -> Result<T, ScanError>,
    ) -> Result<T, ClerkError> {
        let unreadable = |detail: String| {
            ClerkError::UnexpectedBody {
                status: answer.0.status().as_u16(),
                detail,
            }
            .without_key(&self.key)
        };
        let text = json::utf8(answer.0.body()).map_err(|error| unreadable(error.to_string()))?;
        read(text).map_err(|error| unreadable(error.to_string()))
    }

    /// Sends one request and decodes its answer; any error comes back with
    /// the key scrubbed from its texts.
    async fn send<T: Wire>(
        &self,
        method: Method,
        path: &UrlPath,
        query: &Query,
        body: Option<&JsonBody>,
    ) -> Result<T, ClerkError> {
        self.exchange(method, path, query, body)
            .await
            .and_then(|response| decode_body(&response))
            .map_err(|error| error.without_key(&self.key))
    }

    /// Sends one request and returns its 2xx answer, or Clerk's error.
    /// Not generic, so that the retry loop exists once rather than once per
    /// answer type.
    ///
    /// A `GET` that meets a transient failure (502, 503, no connection) is
    /// tried again after each of [`RETRY_DELAYS`]; a timed-out one is not,
    /// since that would multiply the wait. Writes are never retried: Clerk
    /// may have acted on the first try even if its answer was lost.
    async fn exchange(
        &self,
        method: Method,
        path: &UrlPath,
        query: &Query,
        body: Option<&JsonBody>,
    ) -> Result<Response<Vec<u8>>, ClerkError> {
        let retried = self.retry_reads && method == Method::GET;
        let mut delays = RETRY_DELAYS.iter();
        loop {
            let request = self.request(method.clone(), path, query, body);
            let outcome = match self.http.send(request).await {
                Ok(response) if response.status().is_success() => Ok(response),
                Ok(response) => Err(ClerkError::from_error_response(&response)),
                Err(error) => Err(ClerkError::Unreachable(error)),
            };
            match (outcome, retried) {
                (Err(error), true) if error.is_transient() => match delays.next() {
                    Some(delay) => self.http.wait(*delay).await,
                    None => return Err(error),
                },
                (outcome, _) => return outcome,
            }
        }
    }
}

/// The `User-Agent` sent to Clerk: this server's name and version.
fn user_agent() -> &'static str {
    concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"))
}

/// What was wrong with a body, and where, without quoting it.
fn describe_decode_error(error: &serde_json::Error) -> String {
    format!(
        "{} at line {} column {}",
        json::serde_kind(error),
        error.line(),
        error.column()
    )
}

/// Reads a 2xx answer's body as `T`: parsed as JSON, then read as the
/// wire type (see [`wire`]). Only the reading is generic, so that the
/// parsing and its errors exist once in the build.
fn decode_body<T: Wire>(response: &Response<Vec<u8>>) -> Result<T, ClerkError> {
    let value = parse_body(response)?;
    T::read(value).map_err(|misread| unreadable_body(response, misread.to_string()))
}

/// A 2xx answer's body as JSON.
#[inline(never)]
fn parse_body(response: &Response<Vec<u8>>) -> Result<Value, ClerkError> {
    json::from_bytes(response.body()).map_err(|error| {
        unreadable_body(
            response,
            match error {
                JsonError::Invalid(error) => describe_decode_error(&error),
                not_utf8 => not_utf8.to_string(),
            },
        )
    })
}

#[inline(never)]
fn unreadable_body(response: &Response<Vec<u8>>, detail: String) -> ClerkError {
    ClerkError::UnexpectedBody {
        status: response.status().as_u16(),
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NeverSends;

    impl HttpSend for NeverSends {
        fn send(
            &self,
            _request: Request<Vec<u8>>,
        ) -> LocalBoxFuture<'_, Result<Response<Vec<u8>>, SendError>> {
            Box::pin(async { Err(SendError::new(SendFailure::Unreachable, "not used")) })
        }

        fn wait(&self, _duration: Duration) -> LocalBoxFuture<'_, ()> {
            Box::pin(async {})
        }
    }

    fn key() -> SecretKey {
        SecretKey::parse("sk_test_0123456789abcdef", KeySource::ServerSecret).expect("valid key")
    }

    #[test]
    fn get_request_has_clerk_headers_and_no_body_or_content_type() {
        let key = key();
        let client = ClerkClient::new(&NeverSends, "https://api.clerk.com", Cow::Owned(key));
        let mut query = Query::new();
        query.push("limit", "5");
        let request = client.request(Method::GET, &UrlPath::new().segment("users"), &query, None);

        assert_eq!(request.uri(), "https://api.clerk.com/v1/users?limit=5");
        assert_eq!(
            request.headers()["authorization"],
            "Bearer sk_test_0123456789abcdef"
        );
        assert_eq!(request.headers()["clerk-api-version"], "2026-05-12");
        assert_eq!(
            request.headers()["user-agent"],
            format!("clerk-mcp-worker/{}", env!("CARGO_PKG_VERSION")).as_str()
        );
        assert!(request.headers().get("content-type").is_none());
        assert!(request.body().is_empty());
    }

    #[test]
    fn metadata_changes_body_holds_only_the_given_objects() {
        let mut private = Map::new();
        private.insert("tier".into(), Value::Null);
        let body = JsonBody::of(&MetadataChanges {
            private_metadata: Some(private),
            ..MetadataChanges::default()
        });
        assert_eq!(body.0, br#"{"private_metadata":{"tier":null}}"#);

        let mut public = Map::new();
        public.insert("tier".into(), Value::Null);
        let body = JsonBody::of(&MetadataChanges {
            public_metadata: Some(public),
            ..MetadataChanges::default()
        });
        assert_eq!(body.0, br#"{"public_metadata":{"tier":null}}"#);
    }

    #[test]
    fn request_with_body_is_json() {
        let key = key();
        let client = ClerkClient::new(&NeverSends, "http://127.0.0.1:9", Cow::Owned(key));
        let body = JsonBody::of(&serde_json::json!({"name": "Acme"}));
        let request = client.request(
            Method::POST,
            &UrlPath::new().segment("organizations"),
            &Query::new(),
            Some(&body),
        );
        assert_eq!(request.uri(), "http://127.0.0.1:9/v1/organizations");
        assert_eq!(request.headers()["content-type"], "application/json");
        assert_eq!(request.body(), br#"{"name":"Acme"}"#);
    }
}
