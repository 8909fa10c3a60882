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
//!    that follow ([`Generator`]), or the rest of the input taken as is.

use std::cell::RefCell;
use std::time::Duration;

use clerk_mcp_worker::clerk::{HttpSend, SendError, SendFailure};
use clerk_mcp_worker::config::Config;
use clerk_mcp_worker::oauth::{IsolateCache, Platform, RsaKey};
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
        let choice = self.input.choice(TOOLS.len() + 1);
        let (name, arguments) = match TOOLS.get(choice) {
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

/// One decoded case: the configuration, the request and Clerk's answers.
pub struct Case {
    pub config: Config,
    pub hosted: bool,
    pub request: Request<Vec<u8>>,
    pub answer: ClerkAnswer,
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
        let body = match input.choice(2) {
            0 => serde_json::to_vec(&Generator { input: &mut input }.body()).unwrap_or_default(),
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
        *request.body_mut() = body;
        Case {
            config,
            hosted,
            request,
            answer,
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

/// Decodes `data`, runs it through the entry point and checks the answer.
/// Panics, with what was wrong, when an invariant does not hold.
pub fn run(data: &[u8]) {
    let case = Case::decode(data);
    let clerk = CannedClerk::new(case.answer);
    let request = clone_request(&case.request);
    let cache = IsolateCache::new();
    let platform = NoOAuth::default();
    let runtime = Runtime {
        http: &clerk,
        platform: &platform,
        cache: &cache,
    };
    let response = futures::executor::block_on(transport::handle(request, &case.config, &runtime));
    check(&case, &clerk, &response);
    check_log(&case, &platform.lines.borrow());
}

/// The fuzzed configurations never turn OAuth on, so token checks never
/// run: a platform whose every answer is a refusal. It keeps the log.
#[derive(Default)]
struct NoOAuth {
    lines: RefCell<Vec<String>>,
}

impl Platform for NoOAuth {
    fn now_ms(&self) -> u64 {
        0
    }

    fn log(&self, line: &str) {
        self.lines.borrow_mut().push(line.to_owned());
    }

    fn sha256<'a>(&'a self, _data: &'a [u8]) -> LocalBoxFuture<'a, Result<[u8; 32], String>> {
        Box::pin(async { Err("no crypto in the fuzz harness".to_owned()) })
    }

    fn random_bytes(&self, bytes: &mut [u8]) -> Result<(), String> {
        bytes.fill(7);
        Ok(())
    }

    fn hmac_sha256<'a>(
        &'a self,
        _key: &'a [u8],
        _message: &'a [u8],
    ) -> LocalBoxFuture<'a, Result<[u8; 32], String>> {
        Box::pin(async { Err("no crypto in the fuzz harness".to_owned()) })
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

fn clone_request(request: &Request<Vec<u8>>) -> Request<Vec<u8>> {
    let mut copy = Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.headers_mut() = request.headers().clone();
    copy
}

/// The invariants of one answer.
pub fn check(case: &Case, clerk: &CannedClerk, response: &Response<Vec<u8>>) {
    let status = response.status().as_u16();
    assert!(
        DOCUMENTED_STATUSES.contains(&status),
        "undocumented status {status}: {}",
        String::from_utf8_lossy(response.body())
    );
    let answer = answer_json(response);
    check_no_secret_leaks(case, response);
    check_clerk_requests(case, clerk, status);
    if case.request.method() == Method::POST && case.request.uri().path() == "/mcp" && status == 200
    {
        check_ids(case, answer.as_ref());
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
        Some(other) => panic!("unexpected Content-Type {other}"),
    }
}

/// No secret of the server, and no key a client sent, appears in the
/// answer's body or headers, unless the request itself put it somewhere the
/// server may legitimately repeat (the body, the path, another header).
fn check_no_secret_leaks(case: &Case, response: &Response<Vec<u8>>) {
    let request = &case.request;
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

/// Every log line is one audit line, a JSON object on one line, and holds
/// no secret unless the request's body put it where a line may repeat it
/// (a client's name, say).
fn check_log(case: &Case, lines: &[String]) {
    let body = case.request.body();
    for line in lines {
        let parsed: Value = serde_json::from_str(line)
            .unwrap_or_else(|error| panic!("a log line is not JSON ({error}): {line}"));
        assert_eq!(parsed["event"], "tool_call", "{line}");
        assert!(!line.contains('\n'), "a log line holds a line break");
        for secret in [HOSTED_KEY, CLIENT_KEY, TOKENS[0], TOKENS[1]] {
            assert!(
                contains(body, secret.as_bytes()) || !line.contains(secret),
                "a log line holds a secret: {line}"
            );
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// Nothing reaches Clerk from a refused `/mcp` request, and what does reach
/// it goes to the configured origin under `/v1`, with the right key.
fn check_clerk_requests(case: &Case, clerk: &CannedClerk, status: u16) {
    let requests = clerk.requests.borrow();
    if case.request.uri().path() == "/mcp" && status != 200 {
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
                case.request
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
fn check_ids(case: &Case, answer: Option<&Value>) {
    let Ok(sent) = serde_json::from_slice::<Value>(case.request.body()) else {
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
