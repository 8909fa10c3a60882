//! One fuzz case: bytes decoded into a configuration, an HTTP request and
//! how a fake Clerk answers, run through `transport::handle` (the Worker's
//! entry point), then checked against the invariants every answer holds.
//!
//! The `handle_request` fuzz target and
//! `tests/integration/fuzz_regressions.rs` both include this file, so a kept
//! input replays exactly as it was fuzzed. It depends on no fuzzing library:
//! the input is read byte by byte.
//!
//! Input layout, each field one byte unless said otherwise; a missing byte
//! reads as 0, and for the configuration, the request line, the headers and
//! Clerk's answer choice 0 is the ordinary one:
//!
//! 1. the configuration ([`CONFIGS`]);
//! 2. the HTTP method;
//! 3. the path, one of a few or (last choice) arbitrary: a length byte and that
//!    many bytes;
//! 4. seven headers in turn (`Content-Type`, `Accept`, `MCP-Protocol-Version`,
//!    `Origin`, `X-Clerk-Secret-Key`, `Authorization`, `Content-Length`),
//!    each a realistic value, absent, or raw bytes; then, for each header
//!    whose choice was raw bytes, a length byte and that many bytes;
//! 5. how Clerk answers ([`ClerkAnswer`]);
//! 6. the body: a JSON-RPC message (or a batch of them) built from the bytes
//!    that follow ([`Generator`]), or the rest of the input taken as is;
//! 7. after a generated body only, and only when the two bytes [`ERA_MARK`]
//!    come next, the era tail (inputs without it decode as before it
//!    existed, on a platform whose crypto fails and without a second
//!    request). Its fields, in order: the era ([`TAIL_ERAS`]: every message
//!    made a 2026-07-28 request, with or without working crypto, or left in
//!    its handshake era with crypto); the method each message gets
//!    ([`METHOD_CHOICES`], among them `server/discover` and calls of the
//!    tools that wait for a yes); `_meta`'s shape ([`META_SHAPES`]), the
//!    client capabilities ([`CAPABILITIES`], elicitation or not), the
//!    `clientInfo` ([`CLIENT_INFOS`]) and the `logLevel`
//!    ([`LOG_LEVEL_CHOICES`]); the `MCP-Protocol-Version`, `Mcp-Method` and
//!    `Mcp-Name` headers ([`VERSION_HEADERS`], [`METHOD_HEADERS`],
//!    [`NAME_HEADERS`]: as the body says, base64, absent, wrong, or raw
//!    bytes read at once); a `tools/call`'s `requestState`
//!    ([`REQUEST_STATES`]), `inputResponses` ([`INPUT_RESPONSES`]) and
//!    `confirmToken` argument ([`CONFIRM_TOKENS`]); the follow-up
//!    ([`FOLLOW_UPS`]): when the answer to a lone `tools/call` gives a
//!    confirmation token or a request state, the same call sent again with
//!    it, as is, altered, from another caller, too late, or with token and
//!    state swapped; and the follow-up's `inputResponses`.
//!
//! A case is sent, and its follow-up if any; every answer must hold the
//! invariants of [`check`], [`check_log`] and [`check_writes`].

use std::cell::{Cell, RefCell};
use std::time::Duration;

use clerk_mcp_worker::base64::encode_url as base64_encode_url;
use clerk_mcp_worker::clerk::{HttpSend, SendError, SendFailure};
use clerk_mcp_worker::config::Config;
use clerk_mcp_worker::oauth::{IsolateCache, Platform, RsaKey};
use clerk_mcp_worker::tools;
use clerk_mcp_worker::transport::{self, Runtime};
use futures::future::LocalBoxFuture;
use http::header::{HeaderName, HeaderValue};
use http::{Method, Request, Response};
use serde_json::{json, Map, Value};

/// The secret key of the hosted configurations.
pub const HOSTED_KEY: &str = "sk_live_HostedKeyFuzz0123456789abcdef";
/// The key clients send in public mode.
pub const CLIENT_KEY: &str = "sk_test_ClientKeyFuzz9876543210zyxwvu";
/// The access tokens of the configurations that have them.
pub const TOKENS: [&str; 2] = ["tok-Alpha-0123456789abcdef", "tok-Bravo-fedcba9876543210"];

const API_URL: &str = "http://127.0.0.1:9999";

/// The statuses the server documents (docs/http.md, and the
/// refusal table in `transport`). A valid configuration never answers 500.
const DOCUMENTED_STATUSES: [u16; 12] = [200, 202, 204, 400, 401, 403, 404, 405, 406, 413, 415, 503];

/// The configurations a case runs under, as environment variables.
pub const CONFIGS: [&[(&str, &str)]; 6] = [
    &[],
    &[
        ("CLERK_SECRET_KEY", HOSTED_KEY),
        (
            "MCP_AUTH_TOKENS",
            "tok-Alpha-0123456789abcdef, tok-Bravo-fedcba9876543210",
        ),
    ],
    // Opened, and with write tools for its production key, so that writes
    // are fuzzed too; the other hosted configurations keep the guard on.
    &[
        ("CLERK_SECRET_KEY", HOSTED_KEY),
        ("MCP_ALLOW_UNAUTHENTICATED", "true"),
        ("MCP_LIVE_WRITES", "true"),
    ],
    &[("CLERK_SECRET_KEY", HOSTED_KEY)],
    &[("MCP_AUTH_TOKENS", "tok-Alpha-0123456789abcdef")],
    &[("ALLOWED_ORIGINS", "https://app.example.com")],
];

/// Reads a fuzz input front to back; past its end every byte is 0.
pub struct Input<'a> {
    bytes: &'a [u8],
}

impl<'a> Input<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Input { bytes }
    }

    fn byte(&mut self) -> u8 {
        match self.bytes.split_first() {
            Some((first, rest)) => {
                self.bytes = rest;
                *first
            }
            None => 0,
        }
    }

    /// One of `count` choices.
    fn choice(&mut self, count: usize) -> usize {
        usize::from(self.byte()) % count
    }

    fn pick<T: Clone>(&mut self, options: &[T]) -> T {
        options[self.choice(options.len())].clone()
    }

    /// A length byte, then up to that many bytes.
    fn slice(&mut self) -> &'a [u8] {
        let len = usize::from(self.byte()).min(self.bytes.len());
        let (taken, rest) = self.bytes.split_at(len);
        self.bytes = rest;
        taken
    }

    fn text(&mut self) -> String {
        String::from_utf8_lossy(self.slice()).into_owned()
    }

    fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.bytes)
    }

    /// Whether the era tail's mark comes next; if it does, it is read.
    fn mark(&mut self) -> bool {
        match self.bytes.strip_prefix(&ERA_MARK) {
            Some(rest) => {
                self.bytes = rest;
                true
            }
            None => false,
        }
    }
}

/// A header's value in a case.
#[derive(Clone, Copy)]
enum HeaderChoice {
    Absent,
    Value(&'static str),
    /// Whatever bytes follow, when `http` accepts them as a header value.
    Raw,
    /// The body's real length.
    BodyLength,
}

use HeaderChoice::{Absent, BodyLength, Raw, Value as Is};

const METHODS: [&str; 9] = [
    "POST", "POST", "POST", "GET", "OPTIONS", "DELETE", "PUT", "HEAD", "PATCH",
];

const PATHS: [&str; 9] = [
    "/mcp",
    "/mcp",
    "/health",
    "/api/health",
    "/",
    "/mcp/",
    "/MCP",
    "/mcp?session=1",
    "/mcp/../health",
];

const CONTENT_TYPES: [HeaderChoice; 6] = [
    Is("application/json"),
    Absent,
    Is("application/json; charset=utf-8"),
    Is("text/plain"),
    Is("APPLICATION/JSON"),
    Raw,
];

const ACCEPTS: [HeaderChoice; 8] = [
    Is("application/json, text/event-stream"),
    Absent,
    Is("text/event-stream"),
    Is("application/json"),
    Is("text/html"),
    Is("*/*"),
    Is("application/json;q=0, text/event-stream"),
    Raw,
];

const PROTOCOL_VERSIONS: [HeaderChoice; 7] = [
    Is("2025-06-18"),
    Absent,
    Is("2025-03-26"),
    Is("2025-11-25"),
    Is("2026-07-28"),
    Is("1999-01-01"),
    Raw,
];

const ORIGINS: [HeaderChoice; 6] = [
    Absent,
    Is("http://localhost:6274"),
    Is("https://app.example.com"),
    Is("http://evil.example.com"),
    Is("null"),
    Raw,
];

const SECRET_KEYS: [HeaderChoice; 7] = [
    Is(CLIENT_KEY),
    Absent,
    Is("pk_test_PublishableKey0123456789"),
    Is(" sk_test_ClientKeyFuzz9876543210zyxwvu "),
    Is(""),
    Is("sk_test_ClientKeyFuzz9876543210zyxwvu\t"),
    Raw,
];

const AUTHORIZATIONS: [HeaderChoice; 11] = [
    Absent,
    Is("Bearer tok-Alpha-0123456789abcdef"),
    Is("Bearer tok-Bravo-fedcba9876543210"),
    Is("Bearer sk_test_ClientKeyFuzz9876543210zyxwvu"),
    Is("bearer tok-Alpha-0123456789abcdef"),
    Is("Bearer TOK-ALPHA-0123456789ABCDEF"),
    Is("Bearer tok-Alpha-0123456789abcde"),
    Is("Bearer tok-Alpha-0123456789abcdef0"),
    Is("Basic dG9rOnNlY3JldA=="),
    Is("Bearer "),
    Raw,
];

const CONTENT_LENGTHS: [HeaderChoice; 7] = [
    BodyLength,
    Absent,
    Is("0"),
    Is("5000000"),
    Is("abc"),
    Is("-1"),
    Raw,
];

/// How the fake Clerk answers every request of a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClerkAnswer {
    /// What Clerk would answer for that endpoint, from the recorded fixtures.
    Realistic,
    NotFound,
    Unprocessable,
    RateLimited,
    Unauthorized,
    /// A 500 with an HTML page that repeats the keys it was sent.
    ServerErrorHtml,
    EmptyOk,
    NullOk,
    GarbageOk,
    /// An answer nested deeper than the JSON parser allows.
    DeeplyNestedOk,
    /// A JSON object of the wrong shape for every endpoint.
    WrongShapeOk,
    /// No HTTP answer at all (a network failure).
    Unreachable,
    /// No whole answer in time.
    TimedOut,
    /// An answer larger than the server reads.
    TooLarge,
}

const ANSWERS: [ClerkAnswer; 14] = [
    ClerkAnswer::Realistic,
    ClerkAnswer::NotFound,
    ClerkAnswer::Unprocessable,
    ClerkAnswer::RateLimited,
    ClerkAnswer::Unauthorized,
    ClerkAnswer::ServerErrorHtml,
    ClerkAnswer::EmptyOk,
    ClerkAnswer::NullOk,
    ClerkAnswer::GarbageOk,
    ClerkAnswer::DeeplyNestedOk,
    ClerkAnswer::WrongShapeOk,
    ClerkAnswer::Unreachable,
    ClerkAnswer::TimedOut,
    ClerkAnswer::TooLarge,
];

/// A fake Clerk that answers from canned responses and records requests.
pub struct CannedClerk {
    answer: ClerkAnswer,
    pub requests: RefCell<Vec<Request<Vec<u8>>>>,
}

impl CannedClerk {
    pub fn new(answer: ClerkAnswer) -> Self {
        CannedClerk {
            answer,
            requests: RefCell::new(Vec::new()),
        }
    }

    fn respond(&self, request: &Request<Vec<u8>>) -> Result<Response<Vec<u8>>, SendError> {
        let error = |status: u16, code: &str, param: Option<&str>| {
            let mut error =
                json!({"message": "failed", "long_message": "It failed.", "code": code});
            if let Some(param) = param {
                error["meta"] = json!({"param_name": param});
            }
            answer(
                status,
                json!({"errors": [error], "clerk_trace_id": "trace_fuzz"})
                    .to_string()
                    .into_bytes(),
            )
        };
        Ok(match self.answer {
            ClerkAnswer::Realistic => answer(200, realistic_body(request).into_bytes()),
            ClerkAnswer::NotFound => error(404, "resource_not_found", None),
            ClerkAnswer::Unprocessable => {
                error(422, "form_param_format_invalid", Some("email_address"))
            }
            ClerkAnswer::RateLimited => {
                let mut response = error(429, "too_many_requests", None);
                response
                    .headers_mut()
                    .insert("retry-after", HeaderValue::from_static("7"));
                response
            }
            ClerkAnswer::Unauthorized => error(401, "authentication_invalid", None),
            ClerkAnswer::ServerErrorHtml => {
                let page = format!(
                    "<html><body>{HOSTED_KEY} {CLIENT_KEY} {}</body></html>",
                    TOKENS[0]
                );
                let mut response = answer(500, page.into_bytes());
                response
                    .headers_mut()
                    .insert("content-type", HeaderValue::from_static("text/html"));
                response
            }
            ClerkAnswer::EmptyOk => answer(200, Vec::new()),
            ClerkAnswer::NullOk => answer(200, b"null".to_vec()),
            ClerkAnswer::GarbageOk => answer(200, b"\xff\xfe{\"data\": [".to_vec()),
            ClerkAnswer::DeeplyNestedOk => answer(200, "[".repeat(10_000).into_bytes()),
            ClerkAnswer::WrongShapeOk => answer(
                200,
                br#"{"data": {"id": 5}, "total_count": -1, "object": ["user"]}"#.to_vec(),
            ),
            ClerkAnswer::Unreachable => {
                return Err(SendError::new(
                    SendFailure::Unreachable,
                    "connection refused",
                ))
            }
            ClerkAnswer::TimedOut => {
                return Err(SendError::new(SendFailure::TimedOut, "no answer in time"))
            }
            ClerkAnswer::TooLarge => {
                return Err(SendError::new(SendFailure::TooLarge, "answer too large"))
            }
        })
    }
}

impl HttpSend for CannedClerk {
    fn send(
        &self,
        request: Request<Vec<u8>>,
    ) -> LocalBoxFuture<'_, Result<Response<Vec<u8>>, SendError>> {
        let answer = self.respond(&request);
        self.requests.borrow_mut().push(request);
        Box::pin(async move { answer })
    }

    /// Returns at once: retries take no time here.
    fn wait(&self, _duration: Duration) -> LocalBoxFuture<'_, ()> {
        Box::pin(async {})
    }
}

fn answer(status: u16, body: Vec<u8>) -> Response<Vec<u8>> {
    let mut response = Response::new(body);
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or_default();
    response
        .headers_mut()
        .insert("content-type", HeaderValue::from_static("application/json"));
    response
}

/// The recorded Clerk answer for the endpoint `request` names.
fn realistic_body(request: &Request<Vec<u8>>) -> String {
    let segments: Vec<&str> = request.uri().path().split('/').skip(2).collect();
    let get = request.method() == Method::GET;
    let fixture = match (segments.as_slice(), request.method()) {
        (["users", "count"], _) => return r#"{"object":"total_count","total_count":3}"#.to_owned(),
        (["users"], _) => include_str!("../tests/fixtures/clerk_users_page.json"),
        (["users", ..], _) => {
            let users: Value =
                serde_json::from_str(include_str!("../tests/fixtures/clerk_users_page.json"))
                    .unwrap_or_default();
            return users[0].to_string();
        }
        (["organizations"], _) if get => {
            include_str!("../tests/fixtures/clerk_organizations_page.json")
        }
        (["organizations", _], &Method::DELETE) => {
            include_str!("../tests/fixtures/clerk_organization_deleted.json")
        }
        (["organizations", _, "memberships"], _) if get => {
            include_str!("../tests/fixtures/clerk_memberships_page.json")
        }
        (["organizations", _, "memberships", ..], _) => {
            include_str!("../tests/fixtures/clerk_membership.json")
        }
        (["organizations", _, "invitations"], _) if get => {
            include_str!("../tests/fixtures/clerk_invitations_page.json")
        }
        (["organizations", _, "invitations", ..], _) => {
            include_str!("../tests/fixtures/clerk_invitation.json")
        }
        _ => include_str!("../tests/fixtures/clerk_organization.json"),
    };
    fixture.to_owned()
}

/// Every tool and its arguments, each with a valid example value.
const TOOLS: [(&str, &[(&str, &str)]); 14] = [
    (
        "clerk_list_organizations",
        &[
            ("query", r#""acme""#),
            ("limit", "5"),
            ("offset", "0"),
            ("includeMembersCount", "true"),
            ("orderBy", r#""-name""#),
        ],
    ),
    (
        "clerk_get_organization",
        &[
            ("organizationId", r#""org_2abc""#),
            ("slug", r#""acme-inc""#),
        ],
    ),
    (
        "clerk_create_organization",
        &[
            ("name", r#""Acme""#),
            ("slug", r#""acme""#),
            ("createdBy", r#""user_2ada""#),
            ("maxAllowedMemberships", "10"),
            ("publicMetadata", r#"{"plan":"pro"}"#),
            ("privateMetadata", "{}"),
        ],
    ),
    (
        "clerk_update_organization_metadata",
        &[
            ("organizationId", r#""org_2abc""#),
            ("publicMetadata", r#"{"plan":null}"#),
            ("privateMetadata", r#"{"a":{"b":1}}"#),
        ],
    ),
    (
        "clerk_delete_organization",
        &[("organizationId", r#""org_2abc""#)],
    ),
    (
        "clerk_list_organization_members",
        &[
            ("organizationId", r#""org_2abc""#),
            ("limit", "10"),
            ("offset", "10"),
            ("query", r#""ada""#),
            ("role", r#"["org:admin"]"#),
            ("orderBy", r#""+first_name""#),
        ],
    ),
    (
        "clerk_update_member_role",
        &[
            ("organizationId", r#""org_2abc""#),
            ("userId", r#""user_2ada""#),
            ("role", r#""org:admin""#),
        ],
    ),
    (
        "clerk_update_member_metadata",
        &[
            ("organizationId", r#""org_2abc""#),
            ("userId", r#""user_2ada""#),
            ("publicMetadata", r#"{"team":"x"}"#),
            ("privateMetadata", "{}"),
        ],
    ),
    (
        "clerk_remove_member",
        &[
            ("organizationId", r#""org_2abc""#),
            ("userId", r#""user_2ada""#),
        ],
    ),
    (
        "clerk_list_organization_invitations",
        &[
            ("organizationId", r#""org_2abc""#),
            ("limit", "20"),
            ("offset", "0"),
            ("status", r#""pending""#),
        ],
    ),
    (
        "clerk_create_invitation",
        &[
            ("organizationId", r#""org_2abc""#),
            ("emailAddress", r#""ada@example.com""#),
            ("role", r#""org:member""#),
            ("inviterUserId", r#""user_2ada""#),
            ("redirectUrl", r#""https://app.example.com/join""#),
            ("publicMetadata", "{}"),
            ("expiresInDays", "7"),
        ],
    ),
    (
        "clerk_list_users",
        &[
            ("limit", "200"),
            ("offset", "40"),
            ("query", r#""ada""#),
            ("emailAddress", r#"["ada@example.com"]"#),
            ("userId", r#"["user_2ada"]"#),
            ("orderBy", r#""-last_active_at""#),
        ],
    ),
    ("clerk_get_user", &[("userId", r#""user_2ada""#)]),
    (
        "clerk_update_user_metadata",
        &[
            ("userId", r#""user_2ada""#),
            ("publicMetadata", r#"{"plan":"pro"}"#),
            ("privateMetadata", "{}"),
            ("unsafeMetadata", r#"{"x":[1,2]}"#),
        ],
    ),
];

/// Strings that have tripped servers before: path and query syntax, control
/// characters, other scripts, and the secrets themselves.
const HOSTILE_STRINGS: [&str; 14] = [
    "user_1/../../organizations",
    "org_1%2F..%2Fusers",
    "user_1?limit=500",
    "org_1#fragment",
    "user_1\r\nX-Injected: 1",
    "org_1 2",
    "user_ä",
    "",
    "org:admin\u{0}",
    "\u{202e}user_1",
    "ada@example.com\nbcc@example.com",
    "-created_at,name",
    "sk_test_ClientKeyFuzz9876543210zyxwvu",
    "tok-Alpha-0123456789abcdef",
];

/// The versions `initialize` asks for: the supported ones and an old one.
const PROTOCOL_VERSION_NAMES: [&str; 4] = ["2025-06-18", "2025-03-26", "2025-11-25", "2024-11-05"];

/// Builds a JSON-RPC body from input bytes: a well-formed message most of
/// the time, with each part now and then replaced by something odd.
struct Generator<'i, 'a> {
    input: &'i mut Input<'a>,
}

impl Generator<'_, '_> {
    fn body(&mut self) -> Value {
        match self.input.choice(8) {
            0 => {
                let count = 1 + self.input.choice(3);
                Value::Array((0..count).map(|_| self.message()).collect())
            }
            _ => self.message(),
        }
    }

    fn message(&mut self) -> Value {
        let mut message = Map::new();
        match self.input.choice(8) {
            0 => {}
            1 => {
                message.insert("jsonrpc".into(), json!("1.0"));
            }
            2 => {
                message.insert("jsonrpc".into(), json!(2.0));
            }
            _ => {
                message.insert("jsonrpc".into(), json!("2.0"));
            }
        }
        if let Some(id) = self.id() {
            message.insert("id".into(), id);
        }
        let (method, params) = match self.input.choice(10) {
            0 => (
                "initialize".to_owned(),
                json!({"protocolVersion": self.string_among(&PROTOCOL_VERSION_NAMES)}),
            ),
            1 => ("ping".to_owned(), json!({})),
            2 => ("tools/list".to_owned(), self.list_params()),
            3 => (
                "logging/setLevel".to_owned(),
                json!({"level": self.string_among(&["info", "debug", "emergency"])}),
            ),
            4 => ("notifications/initialized".to_owned(), Value::Null),
            5 => (self.input.text(), self.value(2)),
            _ => ("tools/call".to_owned(), self.tool_call()),
        };
        message.insert("method".into(), Value::String(method));
        if !params.is_null() || self.input.choice(4) == 0 {
            message.insert("params".into(), params);
        }
        Value::Object(message)
    }

    fn id(&mut self) -> Option<Value> {
        Some(match self.input.choice(16) {
            0 => return None,
            1 => json!("request-7"),
            2 => json!(0),
            3 => json!(-7),
            4 => json!(9_007_199_254_740_993_u64),
            5 => json!(u64::MAX),
            6 => json!(i64::MIN),
            7 => json!(1.5),
            8 => Value::Null,
            9 => json!({}),
            10 => json!([1]),
            11 => json!(true),
            12 => Value::String(self.input.text()),
            13 => json!(""),
            _ => json!(u64::from(self.input.byte())),
        })
    }

    fn list_params(&mut self) -> Value {
        match self.input.choice(3) {
            0 => json!({"cursor": self.input.text()}),
            1 => json!({"cursor": null}),
            _ => json!({}),
        }
    }

    fn tool_call(&mut self) -> Value {
        self.tool_call_among(&TOOLS)
    }

    /// A call of one of `tools` (or, last choice, of a name from the input),
    /// its arguments now and then odd.
    fn tool_call_among(&mut self, tools: &[(&str, &[(&str, &str)])]) -> Value {
        let choice = self.input.choice(tools.len() + 1);
        let (name, arguments) = match tools.get(choice) {
            Some((name, arguments)) => ((*name).to_owned(), *arguments),
            None => (self.input.text(), &[][..]),
        };
        let mut values = Map::new();
        for (argument, example) in arguments {
            match self.input.choice(12) {
                0 => {}
                1 => {
                    values.insert((*argument).to_owned(), self.odd_string());
                }
                2 => {
                    values.insert((*argument).to_owned(), self.value(3));
                }
                3 => {
                    let value = self.odd_string();
                    values.insert((*argument).to_owned(), json!([value]));
                }
                _ => {
                    let value = serde_json::from_str(example).unwrap_or(Value::Null);
                    values.insert((*argument).to_owned(), value);
                }
            }
        }
        if self.input.choice(16) == 0 {
            values.insert(self.input.text(), self.value(1));
        }
        let mut params = json!({"name": name, "arguments": values});
        match self.input.choice(16) {
            0 => params["arguments"] = self.value(1),
            1 => params["name"] = self.value(1),
            _ => {}
        }
        params
    }

    fn odd_string(&mut self) -> Value {
        match self.input.choice(4) {
            0 => Value::String(self.input.text()),
            1 => Value::String("a".repeat(10_000)),
            _ => Value::String(self.input.pick(&HOSTILE_STRINGS).to_owned()),
        }
    }

    fn string_among(&mut self, options: &[&str]) -> Value {
        match options.get(self.input.choice(options.len() + 1)) {
            Some(option) => Value::String((*option).to_owned()),
            None => self.odd_string(),
        }
    }

    /// Any JSON value, at most `depth` levels deep.
    fn value(&mut self, depth: u8) -> Value {
        match self.input.choice(10) {
            0 => Value::Null,
            1 => Value::Bool(self.input.choice(2) == 0),
            2 => json!((i64::from(self.input.byte()) - 128) * 1_000_003),
            3 => json!(f64::from(self.input.byte()) / 7.0),
            4 => json!(u64::MAX),
            5 | 6 => self.odd_string(),
            7 if depth > 0 => {
                let count = self.input.choice(4);
                Value::Array((0..count).map(|_| self.value(depth - 1)).collect())
            }
            8 if depth > 0 => {
                let count = self.input.choice(4);
                Value::Object(
                    (0..count)
                        .map(|_| (self.input.text(), self.value(depth - 1)))
                        .collect(),
                )
            }
            _ => json!({}),
        }
    }
}

/// The two bytes that open the era tail, read after a generated body only.
/// Inputs kept before the tail existed never hold them there, so they
/// replay as they were fuzzed.
pub const ERA_MARK: [u8; 2] = [0x26, 0x07];

/// The stateless era's `_meta` keys (MCP 2026-07-28, Basic: Versioning).
const META_PROTOCOL_VERSION: &str = "io.modelcontextprotocol/protocolVersion";
const META_CLIENT_CAPABILITIES: &str = "io.modelcontextprotocol/clientCapabilities";
const META_CLIENT_INFO: &str = "io.modelcontextprotocol/clientInfo";
const META_LOG_LEVEL: &str = "io.modelcontextprotocol/logLevel";

/// Where a confirmation's token is in the result that asks for one.
const CONFIRMATION_META: &str = "clerk-mcp-worker/confirmation";

/// What the era tail makes of a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TailEra {
    /// Every message a 2026-07-28 request, on a platform with crypto.
    Stateless,
    /// The same on a platform whose crypto fails, as before the tail.
    StatelessWithoutCrypto,
    /// The messages as generated, on a platform with crypto: confirmation
    /// tokens of the handshake eras.
    Handshake,
}

const TAIL_ERAS: [TailEra; 3] = [
    TailEra::Stateless,
    TailEra::StatelessWithoutCrypto,
    TailEra::Handshake,
];

/// The method the tail gives every message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MethodChoice {
    AsGenerated,
    Named(&'static str),
    /// A new call of one of [`TOOLS`].
    Call,
    /// A call of one of [`CONFIRMED_TOOLS`].
    ConfirmedCall,
}

const METHOD_CHOICES: [MethodChoice; 10] = [
    MethodChoice::AsGenerated,
    MethodChoice::Named("server/discover"),
    MethodChoice::ConfirmedCall,
    MethodChoice::Call,
    MethodChoice::Named("tools/list"),
    MethodChoice::Named("prompts/list"),
    MethodChoice::Named("initialize"),
    MethodChoice::Named("ping"),
    MethodChoice::Named("resources/read"),
    MethodChoice::ConfirmedCall,
];

/// Tools that wait for the user's yes under the default `MCP_CONFIRM`
/// (destructive), and the preview that describes them, with valid
/// arguments.
const CONFIRMED_TOOLS: [(&str, &[(&str, &str)]); 8] = [
    (
        "clerk_delete_organization",
        &[("organizationId", r#""org_2abc""#)],
    ),
    (
        "clerk_remove_member",
        &[
            ("organizationId", r#""org_2abc""#),
            ("userId", r#""user_2ada""#),
        ],
    ),
    ("clerk_delete_user", &[("userId", r#""user_2ada""#)]),
    ("clerk_ban_user", &[("userId", r#""user_2ada""#)]),
    ("clerk_revoke_session", &[("sessionId", r#""sess_2abc""#)]),
    (
        "clerk_revoke_invitation",
        &[
            ("organizationId", r#""org_2abc""#),
            ("invitationId", r#""orginv_2abc""#),
            ("requestingUserId", r#""user_2ada""#),
        ],
    ),
    (
        "clerk_preview",
        &[
            ("name", r#""clerk_delete_organization""#),
            ("arguments", r#"{"organizationId":"org_2abc"}"#),
        ],
    ),
    (
        "clerk_update_member_role",
        &[
            ("organizationId", r#""org_2abc""#),
            ("userId", r#""user_2ada""#),
            ("role", r#""org:admin""#),
        ],
    ),
];

/// How complete a message's `_meta` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MetaShape {
    Complete,
    WithoutCapabilities,
    CapabilitiesNotAnObject,
    VersionNotAString,
    /// A version the era does not serve.
    OtherVersion,
    /// No `_meta` at all: a handshake-era body, perhaps under a 2026 header.
    Absent,
    NotAnObject,
    /// `_meta` without a version, but with everything else.
    WithoutVersion,
}

const META_SHAPES: [MetaShape; 8] = [
    MetaShape::Complete,
    MetaShape::WithoutCapabilities,
    MetaShape::CapabilitiesNotAnObject,
    MetaShape::VersionNotAString,
    MetaShape::OtherVersion,
    MetaShape::Absent,
    MetaShape::NotAnObject,
    MetaShape::WithoutVersion,
];

/// The client capabilities a request declares: forms or not.
const CAPABILITIES: [&str; 7] = [
    r#"{"elicitation":{}}"#,
    "{}",
    r#"{"elicitation":{"form":{}}}"#,
    r#"{"elicitation":{"url":{}}}"#,
    r#"{"elicitation":true}"#,
    r#"{"elicitation":{"form":{},"url":{}},"sampling":{}}"#,
    r#"{"elicitation":null,"roots":{"listChanged":true}}"#,
];

/// `clientInfo`: absent, well-formed, incomplete or odd; the fifth holds
/// a name from [`Generator::odd_string`] (the secrets among them).
const CLIENT_INFOS: [Option<&str>; 6] = [
    None,
    Some(r#"{"name":"fuzz-client","version":"1.0.0"}"#),
    Some(r#"{"name":"fuzz-client"}"#),
    Some(r#"{"name":5,"version":"1"}"#),
    Some("odd name"),
    Some(r#""fuzz-client""#),
];

const LOG_LEVEL_CHOICES: [Option<&str>; 5] = [
    None,
    Some(r#""info""#),
    Some(r#""emergency""#),
    Some(r#""loud""#),
    Some("5"),
];

/// A header the era names, as the tail sets it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EraHeader {
    /// What the body says: the `_meta` version, the method, the target
    /// (the header is left as it is when the body says nothing).
    FromBody,
    /// Whatever the request's headers already hold.
    Kept,
    Absent,
    Is(&'static str),
    /// `Mcp-Name` as `=?base64?...?=` of what the body says (left as it
    /// is when the body says nothing).
    Base64,
    /// A length byte and that many bytes.
    Raw,
}

const VERSION_HEADERS: [EraHeader; 6] = [
    EraHeader::FromBody,
    EraHeader::Kept,
    EraHeader::Absent,
    EraHeader::Is(" 2026-07-28 "),
    EraHeader::Is("2025-11-25"),
    EraHeader::Raw,
];

const METHOD_HEADERS: [EraHeader; 5] = [
    EraHeader::FromBody,
    EraHeader::Absent,
    EraHeader::Is("tools/list"),
    EraHeader::Is("TOOLS/CALL"),
    EraHeader::Raw,
];

const NAME_HEADERS: [EraHeader; 6] = [
    EraHeader::FromBody,
    EraHeader::Base64,
    EraHeader::Absent,
    EraHeader::Is("=?base64?!!not base64!!?="),
    EraHeader::Is("clerk_get_user"),
    EraHeader::Raw,
];

/// A value the tail puts in a `tools/call`: absent, one of some JSON
/// texts, the forged state, any JSON value, or text from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sent {
    Absent,
    Json(&'static str),
    /// A state of the server's form, of a payload that confirms, with a MAC
    /// of zeros.
    Forged,
    Value,
    Text,
}

const REQUEST_STATES: [Sent; 8] = [
    Sent::Absent,
    Sent::Forged,
    Sent::Json(r#""v1.AAAA.BBBB""#),
    Sent::Json(r#""v1..""#),
    Sent::Json(r#""v2.e30.AA""#),
    Sent::Json(r#""""#),
    Sent::Value,
    Sent::Text,
];

/// Answers to the yes/no form and to a question: well-formed and not.
const INPUT_RESPONSES: [Sent; 12] = [
    Sent::Absent,
    Sent::Json(r#"{"confirm":{"action":"accept","content":{"confirm":true}}}"#),
    Sent::Json(r#"{"confirm":{"action":"accept","content":{"confirm":false}}}"#),
    Sent::Json(r#"{"confirm":{"action":"decline"}}"#),
    Sent::Json(r#"{"confirm":{"action":"cancel"}}"#),
    Sent::Json(r#"{"confirm":{"action":"accept"}}"#),
    Sent::Json(r#"{"confirm":{"action":"maybe","content":{"confirm":"yes"}}}"#),
    Sent::Json(r#"{"organizationId":{"action":"accept","content":{"organizationId":"org_2abc"}}}"#),
    Sent::Json(r#"{"organizationId":{"action":"accept","content":{"organizationId":7}}}"#),
    Sent::Json("[]"),
    Sent::Value,
    Sent::Text,
];

/// The yes of [`INPUT_RESPONSES`], which alone lets a confirmed call act.
const YES: usize = 1;

const CONFIRM_TOKENS: [Sent; 6] = [
    Sent::Absent,
    Sent::Forged,
    Sent::Json(r#""v1.AAAA.BBBB""#),
    Sent::Json(r#""sk_test_ClientKeyFuzz9876543210zyxwvu""#),
    Sent::Value,
    Sent::Text,
];

/// What a case does with a confirmation token or request state its first
/// answer gave: nothing, or a second request that uses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FollowUp {
    None,
    /// The same call again with it, as a client does once the user
    /// agreed (or, for a state, with the answer the tail chose).
    Again,
    /// Again, with one argument changed.
    AlteredArguments,
    /// Again, from another bearer token.
    AnotherCaller,
    /// Again, after the token's 5 minutes.
    Late,
    /// Again, the token sent as a state and a state as a token (with the
    /// answer the tail chose).
    Swapped,
}

const FOLLOW_UPS: [FollowUp; 6] = [
    FollowUp::None,
    FollowUp::Again,
    FollowUp::AlteredArguments,
    FollowUp::AnotherCaller,
    FollowUp::Late,
    FollowUp::Swapped,
];

/// What the era tail decided, beyond the body it changed.
#[derive(Clone, Debug)]
pub struct Tail {
    /// Whether the fake platform's hashes and MACs work.
    pub crypto: bool,
    /// The era's headers: a value to set, or `None` to remove it.
    headers: Vec<(HeaderName, Option<HeaderValue>)>,
    pub follow_up: FollowUp,
    /// The follow-up's answer: an index into [`INPUT_RESPONSES`], or past
    /// it, the first value a question offered (then one it did not offer).
    follow_up_answer: usize,
}

impl Default for Tail {
    fn default() -> Self {
        Tail {
            crypto: false,
            headers: Vec::new(),
            follow_up: FollowUp::None,
            follow_up_answer: 0,
        }
    }
}

impl Generator<'_, '_> {
    /// Reads the era tail (the mark already read) and changes `body` as it
    /// says.
    fn era_tail(&mut self, body: &mut Value) -> Tail {
        let era = self.input.pick(&TAIL_ERAS);
        let method = self.input.pick(&METHOD_CHOICES);
        let meta = self.meta();
        let version_header = self.era_header(&VERSION_HEADERS);
        let method_header = self.era_header(&METHOD_HEADERS);
        let name_header = self.era_header(&NAME_HEADERS);
        let request_state = self.sent(&REQUEST_STATES);
        let input_responses = self.sent(&INPUT_RESPONSES);
        let confirm_token = self.sent(&CONFIRM_TOKENS);
        let follow_up = self.input.pick(&FOLLOW_UPS);
        let follow_up_answer = self.input.choice(INPUT_RESPONSES.len() + 2);
        let messages: Vec<&mut Value> = match &mut *body {
            Value::Array(batch) => batch.iter_mut().collect(),
            single => vec![single],
        };
        for message in messages {
            let Value::Object(message) = message else {
                continue;
            };
            match method {
                MethodChoice::AsGenerated => {}
                MethodChoice::Named(name) => {
                    message.insert("method".into(), json!(name));
                }
                MethodChoice::Call | MethodChoice::ConfirmedCall => {
                    let params = match method {
                        MethodChoice::Call => self.tool_call(),
                        _ => self.tool_call_among(&CONFIRMED_TOOLS),
                    };
                    message.insert("method".into(), json!("tools/call"));
                    message.insert("params".into(), params);
                }
            }
            let calls = message.get("method") == Some(&json!("tools/call"));
            let params = message.entry("params").or_insert_with(|| json!({}));
            if params.is_null() {
                *params = json!({});
            }
            let Value::Object(params) = params else {
                continue;
            };
            if era != TailEra::Handshake {
                if let Some(meta) = &meta {
                    params.insert("_meta".into(), meta.clone());
                }
            }
            if calls {
                for (key, value) in [
                    ("requestState", &request_state),
                    ("inputResponses", &input_responses),
                ] {
                    if let Some(value) = value {
                        params.insert(key.into(), value.clone());
                    }
                }
                if let (Some(token), Some(Value::Object(arguments))) =
                    (&confirm_token, params.get_mut("arguments"))
                {
                    arguments.insert("confirmToken".into(), token.clone());
                }
            }
        }
        let first = match &*body {
            Value::Array(batch) => batch.first(),
            single => Some(single),
        };
        let said = |pointer: &str| {
            first
                .and_then(|message| message.pointer(pointer))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        // The key holds a slash, which a JSON pointer writes as `~1`.
        let version = said(&format!(
            "/params/_meta/{}",
            META_PROTOCOL_VERSION.replace('/', "~1")
        ));
        let method = said("/method");
        let target = said("/params/name").or_else(|| said("/params/uri"));
        let headers = vec![
            (
                headers_name("mcp-protocol-version"),
                self.header_value(version_header, version.as_deref()),
            ),
            (
                headers_name("mcp-method"),
                self.header_value(method_header, method.as_deref()),
            ),
            (
                headers_name("mcp-name"),
                self.header_value(name_header, target.as_deref()),
            ),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some((name, value?)))
        .collect();
        Tail {
            crypto: era != TailEra::StatelessWithoutCrypto,
            headers,
            follow_up,
            follow_up_answer,
        }
    }

    /// The `_meta` of a stateless message, or `None` for none.
    fn meta(&mut self) -> Option<Value> {
        let shape = self.input.pick(&META_SHAPES);
        let capabilities = parse(self.input.pick(&CAPABILITIES));
        let client_info = match self.input.pick(&CLIENT_INFOS) {
            Some("odd name") => Some(json!({"name": self.odd_string(), "version": "1"})),
            info => info.map(parse),
        };
        let log_level = self.input.pick(&LOG_LEVEL_CHOICES).map(parse);
        let mut meta = Map::new();
        meta.insert(META_PROTOCOL_VERSION.into(), json!("2026-07-28"));
        meta.insert(META_CLIENT_CAPABILITIES.into(), capabilities);
        if let Some(info) = client_info {
            meta.insert(META_CLIENT_INFO.into(), info);
        }
        if let Some(level) = log_level {
            meta.insert(META_LOG_LEVEL.into(), level);
        }
        match shape {
            MetaShape::Complete => {}
            MetaShape::WithoutCapabilities => {
                meta.remove(META_CLIENT_CAPABILITIES);
            }
            MetaShape::CapabilitiesNotAnObject => {
                meta.insert(META_CLIENT_CAPABILITIES.into(), json!(["elicitation"]));
            }
            MetaShape::VersionNotAString => {
                meta.insert(META_PROTOCOL_VERSION.into(), json!(20260728));
            }
            MetaShape::OtherVersion => {
                meta.insert(META_PROTOCOL_VERSION.into(), json!("2025-11-25"));
            }
            MetaShape::Absent => return None,
            MetaShape::NotAnObject => return Some(json!("2026-07-28")),
            MetaShape::WithoutVersion => {
                meta.remove(META_PROTOCOL_VERSION);
            }
        }
        Some(Value::Object(meta))
    }

    /// One of `options`, with a raw value's bytes read at once.
    fn era_header(&mut self, options: &[EraHeader]) -> (EraHeader, Option<Vec<u8>>) {
        let choice = self.input.pick(options);
        let raw = (choice == EraHeader::Raw).then(|| self.input.slice().to_vec());
        (choice, raw)
    }

    /// What a header the era names is set to: `None` leaves it as it is,
    /// `Some(None)` removes it.
    fn header_value(
        &mut self,
        (choice, raw): (EraHeader, Option<Vec<u8>>),
        said: Option<&str>,
    ) -> Option<Option<HeaderValue>> {
        match choice {
            EraHeader::Kept => None,
            EraHeader::Absent => Some(None),
            EraHeader::FromBody => said.map(|text| HeaderValue::from_str(text).ok()),
            EraHeader::Base64 => said.map(|text| {
                let encoded = base64_encode_url(text.as_bytes());
                HeaderValue::from_str(&format!("=?base64?{encoded}?=")).ok()
            }),
            EraHeader::Is(text) => Some(HeaderValue::from_str(text).ok()),
            EraHeader::Raw => Some(raw.and_then(|bytes| HeaderValue::from_bytes(&bytes).ok())),
        }
    }

    /// One of `options` as a JSON value, or `None` for absent.
    fn sent(&mut self, options: &[Sent]) -> Option<Value> {
        match self.input.pick(options) {
            Sent::Absent => None,
            Sent::Json(text) => Some(parse(text)),
            Sent::Forged => Some(Value::String(forged_state())),
            Sent::Value => Some(self.value(2)),
            Sent::Text => Some(Value::String(self.input.text())),
        }
    }
}

/// A JSON text of the harness's own tables.
fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

fn headers_name(name: &'static str) -> HeaderName {
    HeaderName::from_static(name)
}

/// A state of the form the server writes (`v1.<payload>.<MAC>`), whose
/// payload confirms and expires in 2100, under a MAC of zeros: it must be
/// refused as not the server's.
fn forged_state() -> String {
    let payload = base64_encode_url(br#"{"confirm":true,"exp":4102444800}"#);
    format!("v1.{payload}.{}", base64_encode_url(&[0; 32]))
}

/// One decoded case: the configuration, the request and Clerk's answers.
pub struct Case {
    pub config: Config,
    pub hosted: bool,
    pub request: Request<Vec<u8>>,
    pub answer: ClerkAnswer,
    /// What the era tail asked for; without one, no crypto and no
    /// follow-up.
    pub tail: Tail,
}

impl Case {
    pub fn decode(data: &[u8]) -> Case {
        let mut input = Input::new(data);
        let vars = input.pick(&CONFIGS);
        let hosted = vars.iter().any(|(name, _)| *name == "CLERK_SECRET_KEY");
        let config = config(vars);
        let method = input.pick(&METHODS);
        let path = match input.choice(PATHS.len() + 1) {
            choice if choice < PATHS.len() => PATHS[choice].to_owned(),
            _ => format!("/{}", input.text()),
        };
        let uri = format!("http://127.0.0.1:8787{path}")
            .parse::<http::Uri>()
            .unwrap_or_else(|_| http::Uri::from_static("http://127.0.0.1:8787/mcp"));
        let header_choices = [
            ("content-type", input.pick(&CONTENT_TYPES)),
            ("accept", input.pick(&ACCEPTS)),
            ("mcp-protocol-version", input.pick(&PROTOCOL_VERSIONS)),
            ("origin", input.pick(&ORIGINS)),
            ("x-clerk-secret-key", input.pick(&SECRET_KEYS)),
            ("authorization", input.pick(&AUTHORIZATIONS)),
            ("content-length", input.pick(&CONTENT_LENGTHS)),
        ];
        let mut raw_values = Vec::new();
        for (_, choice) in &header_choices {
            if matches!(choice, Raw) {
                raw_values.push(input.slice());
            }
        }
        let answer = input.pick(&ANSWERS);
        let mut tail = Tail::default();
        let body = match input.choice(2) {
            0 => {
                let mut generator = Generator { input: &mut input };
                let mut body = generator.body();
                if generator.input.mark() {
                    tail = generator.era_tail(&mut body);
                }
                serde_json::to_vec(&body).unwrap_or_default()
            }
            _ => input.rest().to_vec(),
        };
        let mut request = Request::new(Vec::new());
        *request.method_mut() = Method::from_bytes(method.as_bytes()).unwrap_or(Method::POST);
        *request.uri_mut() = uri;
        let mut raw_values = raw_values.into_iter();
        for (name, choice) in header_choices {
            let value = match choice {
                Absent => None,
                Is(text) => HeaderValue::from_str(text).ok(),
                Raw => raw_values
                    .next()
                    .and_then(|bytes| HeaderValue::from_bytes(bytes).ok()),
                BodyLength => Some(HeaderValue::from(body.len())),
            };
            if let Some(value) = value {
                request
                    .headers_mut()
                    .insert(HeaderName::from_static(name), value);
            }
        }
        for (name, value) in &tail.headers {
            match value {
                Some(value) => {
                    request.headers_mut().insert(name.clone(), value.clone());
                }
                None => {
                    request.headers_mut().remove(name);
                }
            }
        }
        *request.body_mut() = body;
        Case {
            config,
            hosted,
            request,
            answer,
            tail,
        }
    }
}

fn config(vars: &[(&str, &str)]) -> Config {
    Config::from_lookup(|name| {
        if name == "CLERK_API_URL" {
            return Some(API_URL.to_owned());
        }
        vars.iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| (*value).to_owned())
    })
    .expect("every fuzz configuration is valid")
}

/// Decodes `data`, runs it through the entry point and checks the answer;
/// then, when the era tail asks for a follow-up and the answer gave a
/// confirmation token or a request state, sends the call again with it and
/// checks that answer too. Panics, with what was wrong, when an invariant
/// does not hold.
pub fn run(data: &[u8]) {
    let case = Case::decode(data);
    let platform = FakePlatform::new(case.tail.crypto);
    let (status, answer) = exchange(&case, &case.request, &platform, false);
    if let Some(again) = follow_up(&case, status, answer.as_ref()) {
        if again.late {
            platform.now_ms.set(platform.now_ms.get() + 301_000);
        }
        exchange(&case, &again.request, &platform, again.authorized);
    }
}

/// Sends `request` under `case`'s configuration to a new fake Clerk, and
/// checks the answer, the log and what reached Clerk. `authorized` says
/// whether the request carries the user's yes, as the server issued it,
/// for exactly this call. Returns the status and the answer's JSON.
fn exchange(
    case: &Case,
    request: &Request<Vec<u8>>,
    platform: &FakePlatform,
    authorized: bool,
) -> (u16, Option<Value>) {
    let clerk = CannedClerk::new(case.answer);
    let cache = IsolateCache::new();
    let runtime = Runtime {
        http: &clerk,
        platform,
        cache: &cache,
    };
    platform.lines.borrow_mut().clear();
    let response = futures::executor::block_on(transport::handle(
        clone_request(request),
        &case.config,
        &runtime,
    ));
    let answer = check(case, request, &clerk, &response);
    let status = response.status().as_u16();
    check_log(request, status, &platform.lines.borrow());
    check_writes(case, request, &clerk, authorized);
    (status, answer)
}

/// The fuzzed configurations never turn OAuth on, so token checks never
/// run: signatures never verify. Its hashes and MACs are stand-ins (not
/// SHA-256) that work only when the era tail asks for crypto, so that
/// inputs kept from before the tail replay as they were fuzzed. It keeps
/// the log.
struct FakePlatform {
    crypto: bool,
    now_ms: Cell<u64>,
    lines: RefCell<Vec<String>>,
}

impl FakePlatform {
    fn new(crypto: bool) -> Self {
        FakePlatform {
            crypto,
            now_ms: Cell::new(0),
            lines: RefCell::new(Vec::new()),
        }
    }

    fn digest(&self, key: &[u8], message: &[u8]) -> Result<[u8; 32], String> {
        if !self.crypto {
            return Err("no crypto in this fuzz case".to_owned());
        }
        let mut digest = [0u8; 32];
        for (lane, chunk) in (1u64..).zip(digest.chunks_mut(8)) {
            let mut hash = 0xcbf2_9ce4_8422_2325 ^ lane.wrapping_mul(0x9e37_79b9_7f4a_7c15);
            for byte in key.iter().chain(&[0xff]).chain(message) {
                hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
            }
            chunk.copy_from_slice(&hash.to_le_bytes());
        }
        Ok(digest)
    }
}

impl Platform for FakePlatform {
    fn now_ms(&self) -> u64 {
        self.now_ms.get()
    }

    fn log(&self, line: &str) {
        self.lines.borrow_mut().push(line.to_owned());
    }

    fn random_bytes(&self, bytes: &mut [u8]) -> Result<(), String> {
        bytes.fill(7);
        Ok(())
    }

    fn hmac_sha256<'a>(
        &'a self,
        key: &'a [u8],
        message: &'a [u8],
    ) -> LocalBoxFuture<'a, Result<[u8; 32], String>> {
        let digest = self.digest(key, message);
        Box::pin(async move { digest })
    }

    fn verify_rs256<'a>(
        &'a self,
        _key: &'a RsaKey,
        _message: &'a [u8],
        _signature: &'a [u8],
    ) -> LocalBoxFuture<'a, Result<bool, String>> {
        Box::pin(async { Ok(false) })
    }
}

/// A case's second request.
struct Again {
    request: Request<Vec<u8>>,
    /// Whether it carries the user's yes for exactly the call it makes.
    authorized: bool,
    /// Whether it is sent after the token's 5 minutes.
    late: bool,
}

/// The second request the era tail asks for: the first one's call again,
/// with the confirmation token or request state its answer gave, or `None`
/// when it asks for none or the answer gave neither.
fn follow_up(case: &Case, status: u16, answer: Option<&Value>) -> Option<Again> {
    let kind = case.tail.follow_up;
    if kind == FollowUp::None || status != 200 {
        return None;
    }
    let result = answer?.get("result")?;
    let token = result
        .get("_meta")
        .and_then(|meta| meta.get(CONFIRMATION_META))
        .and_then(|confirmation| confirmation.get("confirmToken"))
        .and_then(Value::as_str);
    let state = result.get("requestState").and_then(Value::as_str);
    let asked = result.get("inputRequests").and_then(Value::as_object);
    let mut body: Value = serde_json::from_slice(case.request.body()).ok()?;
    if body.get("method") != Some(&json!("tools/call")) {
        return None;
    }
    let params = body.get_mut("params")?.as_object_mut()?;
    params.remove("requestState");
    params.remove("inputResponses");
    if let Some(Value::Object(arguments)) = params.get_mut("arguments") {
        arguments.remove("confirmToken");
    }
    let (as_token, as_state) = match kind {
        FollowUp::Swapped => (state, token),
        _ => (token, state),
    };
    if as_token.is_none() && as_state.is_none() {
        return None;
    }
    if let Some(token) = as_token {
        match params.get_mut("arguments") {
            Some(Value::Object(arguments)) => {
                arguments.insert("confirmToken".into(), json!(token));
            }
            _ => {
                params.insert("arguments".into(), json!({ "confirmToken": token }));
            }
        }
    }
    let mut said_yes = false;
    if let Some(state) = as_state {
        params.insert("requestState".into(), json!(state));
        let (responses, yes) = follow_up_answer(case.tail.follow_up_answer, asked);
        if let Some(responses) = responses {
            params.insert("inputResponses".into(), responses);
        }
        said_yes = yes;
    }
    if kind == FollowUp::AlteredArguments {
        alter(params);
    }
    let mut request = clone_request(&case.request);
    let old_length = case.request.body().len().to_string();
    let new_body = serde_json::to_vec(&body).unwrap_or_default();
    if request
        .headers()
        .get("content-length")
        .is_some_and(|value| value.as_bytes() == old_length.as_bytes())
    {
        request
            .headers_mut()
            .insert("content-length", HeaderValue::from(new_body.len()));
    }
    *request.body_mut() = new_body;
    if kind == FollowUp::AnotherCaller {
        let bravo = format!("Bearer {}", TOKENS[1]);
        let other = match request.headers().get("authorization") {
            Some(value) if value.as_bytes() == bravo.as_bytes() => format!("Bearer {}", TOKENS[0]),
            _ => bravo,
        };
        if let Ok(value) = HeaderValue::from_str(&other) {
            request.headers_mut().insert("authorization", value);
        }
    }
    // A confirmation token is the server's yes for this call only as a
    // token, and the state of a yes/no form only as a state with the
    // user's yes (`src/mcp/confirmation.rs`); a question's state is no yes.
    let form_asked = asked.is_some_and(|asked| asked.contains_key("confirm"));
    let carries_yes = (as_token.is_some() && as_token == token)
        || (as_state.is_some() && as_state == state && form_asked && said_yes);
    Some(Again {
        request,
        authorized: matches!(kind, FollowUp::Again | FollowUp::Swapped) && carries_yes,
        late: kind == FollowUp::Late,
    })
}

/// The follow-up's `inputResponses`, and whether it is the yes: one of
/// [`INPUT_RESPONSES`], or (past them) the first value the form offered
/// (true for the yes/no form), or a value it did not offer.
fn follow_up_answer(choice: usize, asked: Option<&Map<String, Value>>) -> (Option<Value>, bool) {
    match INPUT_RESPONSES.get(choice) {
        Some(Sent::Absent) => return (None, false),
        Some(Sent::Json(text)) => return (Some(parse(text)), choice == YES),
        Some(Sent::Forged | Sent::Value | Sent::Text) => return (Some(json!("yes")), false),
        None => {}
    }
    let Some((field, form)) = asked.and_then(|asked| asked.iter().next()) else {
        return (Some(json!({})), false);
    };
    let offered = form
        .pointer(&format!(
            "/params/requestedSchema/properties/{field}/oneOf/0/const"
        ))
        .cloned()
        .unwrap_or(Value::Bool(true));
    let (value, yes) = match choice - INPUT_RESPONSES.len() {
        0 => (offered.clone(), offered == Value::Bool(true)),
        _ => (json!("not offered"), false),
    };
    let response =
        json!({ field.as_str(): {"action": "accept", "content": { field.as_str(): value }}});
    (Some(response), yes)
}

/// Changes one argument of a call: the first string one gets a character
/// more, or a `limit` is added.
fn alter(params: &mut Map<String, Value>) {
    if !matches!(params.get("arguments"), Some(Value::Object(_))) {
        params.insert("arguments".into(), json!({}));
    }
    if let Some(Value::Object(arguments)) = params.get_mut("arguments") {
        let text = arguments.values_mut().find_map(|value| match value {
            Value::String(text) => Some(text),
            _ => None,
        });
        match text {
            Some(text) => text.push('9'),
            None => {
                arguments.insert("limit".into(), json!(1));
            }
        }
    }
}

fn clone_request(request: &Request<Vec<u8>>) -> Request<Vec<u8>> {
    let mut copy = Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.headers_mut() = request.headers().clone();
    copy
}

/// The invariants of one answer to `request`; returns its JSON.
pub fn check(
    case: &Case,
    request: &Request<Vec<u8>>,
    clerk: &CannedClerk,
    response: &Response<Vec<u8>>,
) -> Option<Value> {
    let status = response.status().as_u16();
    assert!(
        DOCUMENTED_STATUSES.contains(&status),
        "undocumented status {status}: {}",
        String::from_utf8_lossy(response.body())
    );
    let answer = answer_json(response);
    let page = response
        .headers()
        .get("content-type")
        .is_some_and(|value| value.as_bytes().starts_with(b"text/html"));
    assert!(
        !page || (request.method() == Method::GET && request.uri().path() == "/"),
        "a page answered {} {}",
        request.method(),
        request.uri()
    );
    check_no_secret_leaks(request, response);
    check_clerk_requests(case, request, clerk, status);
    if request.method() == Method::POST && request.uri().path() == "/mcp" {
        if status == 200 {
            check_ids(request, answer.as_ref());
        }
        check_era(request, status, answer.as_ref());
    }
    answer
}

/// The era's envelope and statuses (MCP 2026-07-28, Basic: Result Type;
/// Transports: Streamable HTTP): a result of a stateless request says its
/// `resultType`, and one of a handshake era does not; a stateless method
/// the server has not is 404, and a header or version refusal is 400.
fn check_era(request: &Request<Vec<u8>>, status: u16, answer: Option<&Value>) {
    let Ok(Value::Object(message)) = serde_json::from_slice::<Value>(request.body()) else {
        return;
    };
    let stateless = message
        .get("params")
        .and_then(|params| params.get("_meta"))
        .and_then(|meta| meta.get(META_PROTOCOL_VERSION))
        .is_some();
    let Some(answer) = answer else {
        return;
    };
    if let Some(result) = answer.get("result") {
        let result_type = result.get("resultType");
        if stateless {
            assert!(
                matches!(
                    result_type.and_then(Value::as_str),
                    Some("complete" | "input_required")
                ),
                "a 2026-07-28 result without a resultType: {answer}"
            );
        } else {
            assert!(
                result_type.is_none(),
                "a handshake-era result with a resultType: {answer}"
            );
        }
    }
    if let (true, Some(code)) = (
        stateless,
        answer.pointer("/error/code").and_then(Value::as_i64),
    ) {
        let expected = match code {
            -32601 => 404,
            -32020 | -32022 => 400,
            _ => return,
        };
        assert_eq!(status, expected, "a 2026-07-28 error {code}: {answer}");
    }
}

/// No tool call that waits for the user's yes, and no tool that only
/// reads, sends Clerk anything but a GET, unless (for the first) the call
/// carries a yes the server issued for it. A body of one `tools/call` is
/// judged; Clerk's requests cannot be told apart within a batch.
fn check_writes(case: &Case, request: &Request<Vec<u8>>, clerk: &CannedClerk, authorized: bool) {
    let Ok(message) = serde_json::from_slice::<Value>(request.body()) else {
        return;
    };
    if message.get("method") != Some(&json!("tools/call")) {
        return;
    }
    let Some(name) = message.pointer("/params/name").and_then(Value::as_str) else {
        return;
    };
    let Some(tool) = tools::registry()
        .map(|(_, tool)| tool)
        .find(|tool| tool.name == name)
    else {
        return;
    };
    let waits = case.config.confirm.covers(tool.annotations);
    if tool.annotations.read_only || (waits && !authorized) {
        for sent in clerk.requests.borrow().iter() {
            assert_eq!(
                sent.method(),
                Method::GET,
                "{name} sent {} {} to Clerk without the user's yes (read-only: {})",
                sent.method(),
                sent.uri(),
                tool.annotations.read_only
            );
        }
    }
}

/// The answer's JSON: the body, or the one event of an event stream. A body
/// that claims to be JSON must parse, and a body without a type is empty.
fn answer_json(response: &Response<Vec<u8>>) -> Option<Value> {
    let body = response.body();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|value| value.to_str().expect("content-type is ASCII"));
    match content_type {
        None => {
            assert!(body.is_empty(), "a body without a Content-Type");
            None
        }
        Some("application/json") => Some(
            serde_json::from_slice(body)
                .unwrap_or_else(|error| panic!("the JSON body does not parse: {error}")),
        ),
        Some("text/event-stream") => {
            let text = std::str::from_utf8(body).expect("the event stream is UTF-8");
            let data = text
                .strip_prefix("event: message\ndata: ")
                .and_then(|rest| rest.strip_suffix("\n\n"))
                .unwrap_or_else(|| panic!("not one message event: {text:?}"));
            Some(
                serde_json::from_str(data)
                    .unwrap_or_else(|error| panic!("the event's data does not parse: {error}")),
            )
        }
        // The front door: a page, never JSON, and whole.
        Some("text/html; charset=utf-8") => {
            let text = std::str::from_utf8(body).expect("the page is UTF-8");
            assert!(
                text.starts_with("<!doctype html>") && text.trim_end().ends_with("</html>"),
                "not a whole page"
            );
            assert!(
                !text.contains("<!--"),
                "a part of the page was left unfilled"
            );
            None
        }
        Some(other) => panic!("unexpected Content-Type {other}"),
    }
}

/// No secret of the server, and no key a client sent, appears in the
/// answer's body or headers, unless the request itself put it somewhere the
/// server may legitimately repeat (the body, the path, another header).
fn check_no_secret_leaks(request: &Request<Vec<u8>>, response: &Response<Vec<u8>>) {
    let mut repeatable = request.body().clone();
    repeatable.extend_from_slice(request.uri().to_string().as_bytes());
    for (name, value) in request.headers() {
        if name != "x-clerk-secret-key" && name != "authorization" {
            repeatable.extend_from_slice(value.as_bytes());
        }
    }
    let secrets = [HOSTED_KEY, CLIENT_KEY, TOKENS[0], TOKENS[1]];
    for secret in secrets {
        if contains(&repeatable, secret.as_bytes()) {
            continue;
        }
        assert!(
            !contains(response.body(), secret.as_bytes()),
            "the answer's body holds a secret: {}",
            String::from_utf8_lossy(response.body())
        );
        for (name, value) in response.headers() {
            assert!(
                !contains(value.as_bytes(), secret.as_bytes()),
                "the answer's {name} header holds a secret"
            );
        }
    }
}

/// The audit trail (docs/audit.md): every log line is one line, a JSON
/// object of a `tool_call` or a `resource_read` (which names no tool) with
/// a documented outcome, and holds no secret. Only its `client`, which the
/// request names, may repeat one, and only when the request's body holds
/// it. There is a `tool_call` line for each `tools/call` at most, and
/// exactly one for a lone `tools/call` request posted to `/mcp` and
/// answered 200; a `resource_read` line for each `resources/read` at most.
fn check_log(request: &Request<Vec<u8>>, status: u16, lines: &[String]) {
    let body = request.body();
    for line in lines {
        let mut parsed: Value = serde_json::from_str(line)
            .unwrap_or_else(|error| panic!("a log line is not JSON ({error}): {line}"));
        match parsed["event"].as_str() {
            Some("tool_call") => {}
            Some("resource_read") => assert!(parsed["tool"].is_null(), "{line}"),
            _ => panic!("an undocumented event: {line}"),
        }
        assert!(!line.contains('\n'), "a log line holds a line break");
        assert!(
            matches!(
                parsed["outcome"].as_str(),
                Some(
                    "ok" | "tool_error"
                        | "refused"
                        | "confirmation_requested"
                        | "confirmed"
                        | "declined"
                )
            ),
            "an undocumented outcome: {line}"
        );
        let client = parsed
            .as_object_mut()
            .and_then(|line| line.remove("client"))
            .unwrap_or(Value::Null)
            .to_string();
        let rest = parsed.to_string();
        for secret in [HOSTED_KEY, CLIENT_KEY, TOKENS[0], TOKENS[1]] {
            assert!(
                !rest.contains(secret),
                "a log line holds a secret outside its client: {line}"
            );
            assert!(
                body_holds(body, secret) || !client.contains(secret),
                "a log line holds a secret: {line}"
            );
        }
    }
    let Ok(sent) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    let messages = |method: &str| match &sent {
        Value::Array(batch) => batch
            .iter()
            .filter(|message| message.get("method") == Some(&json!(method)))
            .count(),
        message => usize::from(message.get("method") == Some(&json!(method))),
    };
    let (count, reads) = (messages("tools/call"), messages("resources/read"));
    let lone_request = matches!(&sent, Value::Object(message) if is_request(message));
    let lines_of = |event: &str| {
        let prefix = format!("{{\"event\":\"{event}\"");
        lines
            .iter()
            .filter(|line| line.starts_with(&prefix))
            .count()
    };
    let (call_lines, read_lines) = (lines_of("tool_call"), lines_of("resource_read"));
    assert!(
        call_lines <= count,
        "{call_lines} log lines for {count} tools/call"
    );
    assert!(
        read_lines <= reads,
        "{read_lines} log lines for {reads} resources/read"
    );
    let posted = request.method() == Method::POST && request.uri().path() == "/mcp";
    if posted && lone_request && count == 1 && status == 200 {
        assert_eq!(call_lines, 1, "a tools/call answered 200 without its line");
    }
}

/// Whether the request's body holds `secret` where the trail may repeat
/// it: as is, or in a string once all but its printable ASCII is taken out,
/// as the trail writes a client's name.
fn body_holds(body: &[u8], secret: &str) -> bool {
    fn any_string(value: &Value, found: &dyn Fn(&str) -> bool) -> bool {
        match value {
            Value::String(text) => found(text),
            Value::Array(values) => values.iter().any(|value| any_string(value, found)),
            Value::Object(members) => members.values().any(|value| any_string(value, found)),
            _ => false,
        }
    }
    let printable_holds = |text: &str| {
        let printable: String = text
            .chars()
            .filter(|c| c.is_ascii_graphic() || *c == ' ')
            .collect();
        printable.contains(secret)
    };
    contains(body, secret.as_bytes())
        || serde_json::from_slice::<Value>(body)
            .is_ok_and(|value| any_string(&value, &printable_holds))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// Nothing reaches Clerk from a refused `/mcp` request, and what does reach
/// it goes to the configured origin under `/v1`, with the right key.
fn check_clerk_requests(case: &Case, request: &Request<Vec<u8>>, clerk: &CannedClerk, status: u16) {
    let requests = clerk.requests.borrow();
    if request.uri().path() == "/mcp" && status != 200 {
        assert!(
            requests.is_empty(),
            "a refused request ({status}) reached Clerk"
        );
    }
    for sent in requests.iter() {
        let uri = sent.uri();
        assert_eq!(uri.scheme_str(), Some("http"), "{uri}");
        assert_eq!(
            uri.authority().map(|a| a.as_str()),
            Some("127.0.0.1:9999"),
            "{uri}"
        );
        assert!(uri.path().starts_with("/v1/"), "{uri}");
        assert!(
            !uri.path()
                .split('/')
                .any(|segment| segment == ".." || segment == "."),
            "a dot segment reached Clerk: {uri}"
        );
        let authorization = sent
            .headers()
            .get("authorization")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .unwrap_or_else(|| panic!("a Clerk request without a bearer key: {uri}"));
        if case.hosted {
            assert_eq!(authorization, HOSTED_KEY, "hosted mode used another key");
        } else {
            let sent_by_client = ["x-clerk-secret-key", "authorization"].iter().any(|name| {
                request
                    .headers()
                    .get(*name)
                    .is_some_and(|value| contains(value.as_bytes(), authorization.as_bytes()))
            });
            assert!(
                sent_by_client,
                "public mode used a key the client did not send"
            );
        }
    }
}

/// A request's answer carries its id: for one message, the same id; for a
/// batch, each answer's id is one of the batch's ids, or null.
fn check_ids(request: &Request<Vec<u8>>, answer: Option<&Value>) {
    let Ok(sent) = serde_json::from_slice::<Value>(request.body()) else {
        return;
    };
    match (&sent, answer) {
        (Value::Object(message), answer) if is_request(message) => {
            let answer = answer.expect("a request answered 200 has an answer");
            assert_eq!(
                answer.get("id"),
                message.get("id"),
                "the answer's id differs from the request's"
            );
        }
        (Value::Array(batch), Some(Value::Array(answers))) => {
            let ids: Vec<&Value> = batch
                .iter()
                .filter_map(|message| message.get("id"))
                .collect();
            for answer in answers {
                let id = answer.get("id").unwrap_or(&Value::Null);
                assert!(
                    id.is_null() || ids.contains(&id),
                    "a batch answer with an id the batch did not hold: {id}"
                );
            }
        }
        _ => {}
    }
}

/// A request by JSON-RPC's rules: a string or number id and a string method.
fn is_request(message: &Map<String, Value>) -> bool {
    matches!(message.get("id"), Some(Value::String(_) | Value::Number(_)))
        && matches!(message.get("method"), Some(Value::String(_)))
}
