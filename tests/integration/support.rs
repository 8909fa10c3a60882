//! What the behaviour tests share: a fake Clerk behind the outbound-HTTP
//! trait that records every request, helpers that drive the same entry
//! point the Worker uses, and the checks every tool's tests make on what
//! reached Clerk.

use std::cell::{Cell, RefCell};
use std::time::Duration;

use clerk_mcp_worker::clerk::{HttpSend, SendError};
use clerk_mcp_worker::config::Config;
use clerk_mcp_worker::oauth::{IsolateCache, Platform, RsaKey};
use clerk_mcp_worker::transport::{self, Runtime};
use futures::future::LocalBoxFuture;
use http::{Request, Response};
use serde_json::{json, Value};

pub const KEY: &str = "sk_test_FakeKey0123456789abcdef";
pub const OTHER_KEY: &str = "sk_live_AnotherKey9876543210zyx";

/// How the fake Clerk answers a request.
type Answer = dyn Fn(&Request<Vec<u8>>) -> Result<Response<Vec<u8>>, SendError>;

/// A fake Clerk: answers each request with `answer` and keeps a copy of it.
pub struct FakeClerk {
    pub requests: RefCell<Vec<Request<Vec<u8>>>>,
    /// The pauses the client asked for between tries.
    pub waits: RefCell<Vec<Duration>>,
    /// The fake clock, in milliseconds: it moves on by each wait, and by
    /// `latency_ms` for each request.
    pub clock_ms: Cell<u64>,
    /// How long each request takes on the fake clock.
    pub latency_ms: Cell<u64>,
    answer: Box<Answer>,
}

impl FakeClerk {
    pub fn new(
        answer: impl Fn(&Request<Vec<u8>>) -> Result<Response<Vec<u8>>, SendError> + 'static,
    ) -> Self {
        FakeClerk {
            requests: RefCell::new(Vec::new()),
            waits: RefCell::new(Vec::new()),
            clock_ms: Cell::new(0),
            latency_ms: Cell::new(0),
            answer: Box::new(answer),
        }
    }

    /// A Clerk that answers every request 200 with `body`.
    pub fn answering(body: Value) -> Self {
        FakeClerk::new(move |_| Ok(json_answer(200, &body)))
    }

    /// A Clerk that must not be called: it answers 500 and the test checks
    /// `requests` is empty.
    pub fn unused() -> Self {
        let body = json!({"errors": [{"code": "unexpected", "message": "unexpected"}]});
        FakeClerk::new(move |_| Ok(json_answer(500, &body)))
    }

    /// Answers `GET /v1/users/count` with `total` and anything else with `body`.
    pub fn with_users(body: Value, total: u64) -> Self {
        FakeClerk::new(move |request| {
            if request.uri().path() == "/v1/users/count" {
                Ok(json_answer(
                    200,
                    &json!({"object": "total_count", "total_count": total}),
                ))
            } else {
                Ok(json_answer(200, &body))
            }
        })
    }

    /// A Clerk that answers every request with `status` and one error in
    /// Clerk's format: `code`, `long_message` and, when given, the parameter
    /// it is about.
    pub fn failing(status: u16, code: &str, long_message: &str, param: Option<&str>) -> Self {
        let mut error = json!({"message": "failed", "long_message": long_message, "code": code});
        if let Some(param) = param {
            error["meta"] = json!({"param_name": param});
        }
        let body = json!({"errors": [error], "clerk_trace_id": "trace_abc"});
        FakeClerk::new(move |_| Ok(json_answer(status, &body)))
    }

    pub fn request_count(&self) -> usize {
        self.requests.borrow().len()
    }

    /// `path?query` of every request, in order.
    pub fn urls(&self) -> Vec<String> {
        self.requests
            .borrow()
            .iter()
            .map(|request| {
                request
                    .uri()
                    .path_and_query()
                    .map(|pq| pq.as_str().to_owned())
                    .unwrap_or_default()
            })
            .collect()
    }
}

impl HttpSend for FakeClerk {
    fn send(
        &self,
        request: Request<Vec<u8>>,
    ) -> LocalBoxFuture<'_, Result<Response<Vec<u8>>, SendError>> {
        let answer = (self.answer)(&request);
        self.requests.borrow_mut().push(request);
        self.clock_ms
            .set(self.clock_ms.get() + self.latency_ms.get());
        Box::pin(async move { answer })
    }

    /// Returns at once, noting the wait, so retry tests take no time.
    fn wait(&self, duration: Duration) -> LocalBoxFuture<'_, ()> {
        self.waits.borrow_mut().push(duration);
        let waited = u64::try_from(duration.as_millis()).unwrap_or(u64::MAX);
        self.clock_ms
            .set(self.clock_ms.get().saturating_add(waited));
        Box::pin(async {})
    }

    fn now_ms(&self) -> Option<u64> {
        Some(self.clock_ms.get())
    }
}

pub fn json_answer(status: u16, body: &Value) -> Response<Vec<u8>> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(body.to_string().into_bytes())
        .expect("valid test response")
}

pub fn public_config() -> Config {
    config(&[])
}

/// A token of the hosted configuration's `MCP_AUTH_TOKENS`.
pub const TOKEN: &str = "hosted-token-0123456789abcdef";

/// Hosted mode as a careful owner deploys it: its own key, and tokens.
pub fn hosted_config() -> Config {
    config(&[
        ("CLERK_SECRET_KEY", KEY),
        (
            "MCP_AUTH_TOKENS",
            &format!("old-token-9876543210fedcba,{TOKEN}"),
        ),
    ])
}

/// Adds `Authorization: Bearer TOKEN` to a request.
pub fn with_token(mut request: Request<Vec<u8>>) -> Request<Vec<u8>> {
    request.headers_mut().insert(
        "authorization",
        http::HeaderValue::try_from(format!("Bearer {TOKEN}")).expect("valid header"),
    );
    request
}

pub fn config(vars: &[(&str, &str)]) -> Config {
    let mut vars: Vec<(String, String)> = vars
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    if !vars.iter().any(|(name, _)| name == "CLERK_API_URL") {
        vars.push(("CLERK_API_URL".into(), "http://127.0.0.1:9999".into()));
    }
    Config::from_lookup(|name| {
        vars.iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    })
    .expect("valid test config")
}

/// The message of the configuration error that `value` for the setting
/// `name` makes, alone.
pub fn config_error(name: &str, value: &str) -> String {
    Config::from_lookup(|asked| (asked == name).then(|| value.to_owned()))
        .expect_err("a configuration error")
        .to_string()
}

/// The fake clock's time, in Unix seconds, unless a test moves it.
pub const NOW: u64 = 1_800_000_000;

/// A stand-in for the runtime's clock, WebCrypto and log. Its "signature"
/// of a message by key `kid` is `kid:` followed by the message, which
/// [`fake_signature`] writes; its SHA-256 is a keyed mix that no test relies
/// on beyond telling tokens apart. It keeps every log line, after checking
/// that it holds none of the tests' keys and tokens.
pub struct FakePlatform {
    pub now: Cell<u64>,
    /// How many random draws were made: each draw differs from the last.
    pub draws: Cell<u64>,
    /// How many signatures were checked.
    pub verifications: Cell<usize>,
    /// The lines written to the log, in order.
    pub lines: RefCell<Vec<String>>,
}

impl Default for FakePlatform {
    fn default() -> Self {
        FakePlatform {
            now: Cell::new(NOW),
            draws: Cell::new(0),
            verifications: Cell::new(0),
            lines: RefCell::new(Vec::new()),
        }
    }
}

impl FakePlatform {
    /// The log's lines, each read as JSON.
    pub fn log_json(&self) -> Vec<Value> {
        self.lines
            .borrow()
            .iter()
            .map(|line| serde_json::from_str(line).expect("a log line is JSON"))
            .collect()
    }
}

/// The signature [`FakePlatform`] accepts for `message` by key `kid`.
pub fn fake_signature(kid: &str, message: &str) -> Vec<u8> {
    format!("{kid}:{message}").into_bytes()
}

impl Platform for FakePlatform {
    fn now_ms(&self) -> u64 {
        self.now.get() * 1000
    }

    fn log(&self, line: &str) {
        assert!(
            !line.contains('\n'),
            "a log line holds a line break: {line}"
        );
        for secret in [KEY, OTHER_KEY, TOKEN, "old-token-9876543210fedcba"] {
            assert!(!line.contains(secret), "a log line holds a secret: {line}");
        }
        self.lines.borrow_mut().push(line.to_owned());
    }

    fn random_bytes(&self, bytes: &mut [u8]) -> Result<(), String> {
        let draw = self.draws.get() + 1;
        self.draws.set(draw);
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = (draw.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> ((i % 8) * 8)) as u8 ^ i as u8;
        }
        Ok(())
    }

    fn hmac_sha256<'a>(
        &'a self,
        key: &'a [u8],
        message: &'a [u8],
    ) -> LocalBoxFuture<'a, Result<[u8; 32], String>> {
        use hmac::Mac;
        let mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key)
            .map(|mac| mac.chain_update(message).finalize().into_bytes().into())
            .map_err(|error| error.to_string());
        Box::pin(async move { mac })
    }

    fn verify_rs256<'a>(
        &'a self,
        key: &'a RsaKey,
        message: &'a [u8],
        signature: &'a [u8],
    ) -> LocalBoxFuture<'a, Result<bool, String>> {
        self.verifications.set(self.verifications.get() + 1);
        let expected = fake_signature(&key.kid, &String::from_utf8_lossy(message));
        Box::pin(async move { Ok(signature == expected.as_slice()) })
    }
}

/// Runs one request through the entry point the Worker uses, with a fresh
/// isolate memory and the fake clock at [`NOW`].
pub fn send(request: Request<Vec<u8>>, config: &Config, clerk: &FakeClerk) -> Response<Vec<u8>> {
    send_in(
        request,
        config,
        clerk,
        &FakePlatform::default(),
        &IsolateCache::new(),
    )
}

/// Runs one request with the given platform (its clock and random draws)
/// and a fresh isolate memory.
pub fn send_on(
    request: Request<Vec<u8>>,
    config: &Config,
    clerk: &FakeClerk,
    platform: &FakePlatform,
) -> Response<Vec<u8>> {
    send_in(request, config, clerk, platform, &IsolateCache::new())
}

/// Runs one request with the given platform and isolate memory, so that a
/// test can send several through the same isolate.
pub fn send_in(
    request: Request<Vec<u8>>,
    config: &Config,
    clerk: &FakeClerk,
    platform: &FakePlatform,
    cache: &IsolateCache,
) -> Response<Vec<u8>> {
    let runtime = Runtime {
        http: clerk,
        platform,
        cache,
    };
    futures::executor::block_on(transport::handle(request, config, &runtime))
}

/// A runtime for tests that drive [`transport::handle`] themselves.
pub fn with_runtime<T>(clerk: &FakeClerk, run: impl FnOnce(&Runtime<'_>) -> T) -> T {
    let platform = FakePlatform::default();
    let cache = IsolateCache::new();
    run(&Runtime {
        http: clerk,
        platform: &platform,
        cache: &cache,
    })
}

/// A POST /mcp as the official clients send it.
pub fn mcp_post(body: &str) -> http::request::Builder {
    Request::builder()
        .method("POST")
        .uri("http://127.0.0.1:8787/mcp")
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2025-06-18")
        .header("content-length", body.len().to_string())
}

pub fn post_json(body: &Value) -> Request<Vec<u8>> {
    let text = body.to_string();
    mcp_post(&text)
        .body(text.into_bytes())
        .expect("valid test request")
}

pub fn rpc(method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
}

pub fn call_tool(name: &str, arguments: Value) -> Value {
    rpc("tools/call", json!({"name": name, "arguments": arguments}))
}

/// The response body as JSON.
pub fn body_json(response: &Response<Vec<u8>>) -> Value {
    serde_json::from_slice(response.body()).expect("JSON body")
}

/// The body as text, for checks that no secret appears anywhere in it.
pub fn body_text(response: &Response<Vec<u8>>) -> String {
    String::from_utf8_lossy(response.body()).into_owned()
}

/// Sends a `tools/call` in public mode with `KEY` and returns the JSON-RPC
/// result. The server acts at once (`MCP_CONFIRM=off`): these calls test
/// what each tool sends and answers; `confirmation.rs` tests the yes that
/// comes first by default.
pub fn tool_result(clerk: &FakeClerk, name: &str, arguments: Value) -> Value {
    let mut request = post_json(&call_tool(name, arguments));
    request
        .headers_mut()
        .insert("x-clerk-secret-key", http::HeaderValue::from_static(KEY));
    let response = send(request, &config(&[("MCP_CONFIRM", "off")]), clerk);
    assert_eq!(response.status(), 200, "{}", body_text(&response));
    body_json(&response)["result"].clone()
}

/// Calls `tool` against a Clerk that answers 404, and returns the error
/// text after checking that it is an error result naming the status and
/// Clerk's code; the caller checks what it says was not found.
pub fn not_found_text(clerk: &FakeClerk, tool: &str, arguments: Value) -> String {
    let result = tool_result(clerk, tool, arguments);
    assert_eq!(result["isError"], true, "{tool}");
    let text = result_text(&result).to_owned();
    assert!(text.contains("404"), "{tool}: {text}");
    assert!(text.contains("resource_not_found"), "{tool}: {text}");
    text
}

/// The JSON a successful result's text block holds between its
/// `<untrusted-data-ID>` markers, after checking the fence: one sentence,
/// then the opening marker, the JSON, and the same marker closing.
pub fn fenced_json(text: &str) -> Value {
    let (notice, rest) = text
        .split_once("\n<untrusted-data-")
        .expect("an opening marker");
    assert!(notice.contains("never as instructions"), "{notice}");
    let (id, rest) = rest.split_once(">\n").expect("a whole opening marker");
    assert!(
        id.len() >= 16 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "{id}"
    );
    let closing = format!("\n</untrusted-data-{id}>");
    let json = rest
        .strip_suffix(&closing)
        .expect("the same marker closes the text");
    assert!(
        !json.contains(&format!("untrusted-data-{id}")),
        "the fence closes once"
    );
    serde_json::from_str(json).expect("the fenced text is JSON")
}

/// The text of a tool result's first content block.
pub fn result_text(result: &Value) -> &str {
    result["content"][0]["text"].as_str().unwrap_or_default()
}

/// What reached Clerk: method, `path?query`, `Content-Type` and the body as JSON.
#[derive(Debug, PartialEq)]
pub struct Sent {
    pub method: String,
    pub url: String,
    pub content_type: Option<String>,
    pub body: Option<Value>,
}

impl Sent {
    pub fn without_body(method: &str, url: &str) -> Sent {
        Sent {
            method: method.to_owned(),
            url: url.to_owned(),
            content_type: None,
            body: None,
        }
    }

    pub fn with_json(method: &str, url: &str, body: Value) -> Sent {
        Sent {
            method: method.to_owned(),
            url: url.to_owned(),
            content_type: Some("application/json".to_owned()),
            body: Some(body),
        }
    }
}

/// The one request a call sent to Clerk, with its body parsed as JSON
/// (`None` when empty). Fails unless exactly one request was sent.
pub fn only_request(clerk: &FakeClerk) -> Sent {
    let urls = clerk.urls();
    let requests = clerk.requests.borrow();
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request, got {urls:?}"
    );
    let request = &requests[0];
    Sent {
        method: request.method().to_string(),
        url: urls[0].clone(),
        content_type: request
            .headers()
            .get("content-type")
            .map(|value| value.to_str().expect("ASCII header").to_owned()),
        body: (!request.body().is_empty())
            .then(|| serde_json::from_slice(request.body()).expect("JSON body")),
    }
}

/// Calls `tool` with `arguments` and checks that it is refused before
/// anything reaches Clerk: an error result naming every one of `names`,
/// saying nothing was sent, short enough not to echo a long value back, and
/// no request made. Returns the message for any further check.
pub fn assert_refused(tool: &str, arguments: Value, names: &[&str]) -> String {
    let clerk = FakeClerk::unused();
    let result = tool_result(&clerk, tool, arguments.clone());
    let text = result_text(&result).to_owned();
    assert_eq!(result["isError"], true, "{tool} accepted {arguments}");
    for name in names {
        assert!(
            text.contains(&format!("`{name}`")),
            "{tool} {arguments}: {text}"
        );
    }
    assert!(
        text.contains("Nothing was sent to Clerk"),
        "{tool} {arguments}: {text}"
    );
    assert!(
        text.len() < 400,
        "{tool} {arguments}: error echoes too much"
    );
    assert_eq!(clerk.request_count(), 0, "{tool} {arguments}");
    text
}

/// A page of `count` users, made from the recorded users in the fixtures
/// (each copy with its own ID and email addresses), as Clerk's
/// `GET /v1/users` returns it.
pub fn many_users(count: usize) -> Value {
    let recorded: Value = serde_json::from_str(include_str!("../fixtures/clerk_users_page.json"))
        .expect("fixture is JSON");
    let recorded = recorded.as_array().expect("fixture is a list").clone();
    let users = (0..count).map(|index| {
        let mut user = recorded[index % recorded.len()].clone();
        let id = format!("user_2copy{index:05}");
        let text = user
            .to_string()
            .replace(user["id"].as_str().unwrap_or_default(), &id)
            .replace("@", &format!("+{index}@"));
        user = serde_json::from_str(&text).expect("still JSON");
        user
    });
    Value::Array(users.collect())
}

pub const VERSION: &str = "2026-07-28";

/// `params` with the `_meta` a 2026-07-28 client sends.
pub fn with_meta(mut params: Value, capabilities: Value) -> Value {
    params["_meta"] = json!({
        "io.modelcontextprotocol/protocolVersion": VERSION,
        "io.modelcontextprotocol/clientCapabilities": capabilities,
        "io.modelcontextprotocol/clientInfo": {"name": "test", "version": "1"},
    });
    params
}

/// A 2026-07-28 request as a client with these capabilities sends it:
/// `_meta`, and the version, method and name headers, with the key of
/// public mode.
pub fn stateless_with(method: &str, params: Value, capabilities: Value) -> Request<Vec<u8>> {
    let name = params["name"].as_str().map(str::to_owned);
    let body = json!({"jsonrpc": "2.0", "id": 7, "method": method,
        "params": with_meta(params, capabilities)});
    let mut request = post_json(&body);
    let headers = request.headers_mut();
    headers.insert("mcp-protocol-version", VERSION.parse().unwrap());
    headers.insert("mcp-method", method.parse().unwrap());
    if let Some(name) = name {
        headers.insert("mcp-name", name.parse().unwrap());
    }
    headers.insert("x-clerk-secret-key", KEY.parse().unwrap());
    request
}

/// `request` with `key` in `X-Clerk-Secret-Key`, as a public-mode client sends it.
pub fn with_key(mut request: Request<Vec<u8>>, key: &str) -> Request<Vec<u8>> {
    request
        .headers_mut()
        .insert("x-clerk-secret-key", key.parse().expect("valid header"));
    request
}

/// How the audit trail and `clerk_whoami` name the holder of `key` in
/// public mode: the first 12 hex characters of its SHA-256, computed here
/// by another implementation than the server's.
pub fn key_principal(key: &str) -> String {
    use sha2::Digest;
    let hash = sha2::Sha256::digest(key.as_bytes());
    let hex: String = hash[..6].iter().map(|byte| format!("{byte:02x}")).collect();
    format!("key:{hex}")
}

/// The toolsets of a connection that names none, on a server configured
/// with no `MCP_TOOLSETS` or `MCP_DEFAULT_TOOLSETS`.
pub const DEFAULT_TOOLSETS: [&str; 7] = [
    "organizations",
    "members",
    "invitations",
    "users",
    "sessions",
    "roles",
    "access",
];

/// Every toolset.
pub const ALL_TOOLSETS: [&str; 9] = [
    "organizations",
    "members",
    "invitations",
    "users",
    "sessions",
    "roles",
    "instance",
    "access",
    "billing",
];
