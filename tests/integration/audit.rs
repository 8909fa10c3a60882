//! The audit trail through the Worker's entry point: one JSON line in the
//! log for every `tools/call` (and every `resources/read`), whatever its
//! outcome and however it came
//! (alone, in a batch, in either era), with every field as docs/audit.md
//! lists it, and nothing secret or user-written in it.

use clerk_mcp_worker::config::Config;
use http::Request;
use serde_json::{json, Value};

use crate::support::*;

/// Every field of a line, sorted.
const FIELDS: [&str; 11] = [
    "argsDigest",
    "clerkStatus",
    "client",
    "durationMs",
    "event",
    "outcome",
    "principal",
    "requestId",
    "targets",
    "time",
    "tool",
];

const READ_ONLY: &str = "read-only-token-0123456789abcdef";

/// Sends `request` and returns the lines it wrote to the log.
fn lines_of(request: Request<Vec<u8>>, config: &Config, clerk: &FakeClerk) -> Vec<Value> {
    let platform = FakePlatform::default();
    send_on(request, config, clerk, &platform);
    platform.log_json()
}

/// The one line `request` wrote.
fn line_of(request: Request<Vec<u8>>, config: &Config, clerk: &FakeClerk) -> Value {
    let lines = lines_of(request, config, clerk);
    assert_eq!(lines.len(), 1, "{lines:?}");
    lines.into_iter().next().unwrap_or_default()
}

/// A `tools/call` in public mode with [`KEY`].
fn public_call(name: &str, arguments: Value) -> Request<Vec<u8>> {
    with_key(post_json(&call_tool(name, arguments)), KEY)
}

/// A `resources/read` of `uri` in public mode with [`KEY`].
fn public_read(uri: &str) -> Request<Vec<u8>> {
    with_key(
        post_json(&rpc("resources/read", json!({ "uri": uri }))),
        KEY,
    )
}

fn with_bearer(mut request: Request<Vec<u8>>, token: &str) -> Request<Vec<u8>> {
    request.headers_mut().insert(
        "authorization",
        format!("Bearer {token}").parse().expect("valid header"),
    );
    request
}

fn user() -> Value {
    serde_json::from_str(include_str!("../fixtures/clerk_user_created.json"))
        .expect("fixture is JSON")
}

/// A line's field names, sorted.
fn fields_of(line: &Value) -> Vec<&str> {
    let mut fields: Vec<&str> = line
        .as_object()
        .map(|line| line.keys().map(String::as_str).collect())
        .unwrap_or_default();
    fields.sort_unstable();
    fields
}

fn is_hex(text: &Value, length: usize) -> bool {
    text.as_str()
        .is_some_and(|text| text.len() == length && text.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[test]
fn a_tool_call_writes_one_line_with_every_field() {
    let clerk = FakeClerk::answering(user());
    let request = with_token(post_json(&call_tool(
        "clerk_get_user",
        json!({"userId": "user_2grace"}),
    )));
    let line = line_of(request, &hosted_config(), &clerk);
    assert_eq!(fields_of(&line), FIELDS);
    assert_eq!(line["event"], "tool_call");
    // The fake clock's NOW, in UTC with milliseconds.
    assert_eq!(line["time"], "2027-01-15T08:00:00.000Z");
    assert_eq!(line["requestId"], Value::Null);
    assert_eq!(line["tool"], "clerk_get_user");
    assert_eq!(line["outcome"], "ok");
    // TOKEN is the second of the hosted configuration's MCP_AUTH_TOKENS.
    assert_eq!(line["principal"], "token:2");
    assert_eq!(line["client"], Value::Null);
    assert_eq!(line["targets"], json!(["user_2grace"]));
    assert!(is_hex(&line["argsDigest"], 16), "{line}");
    assert_eq!(line["clerkStatus"], 200);
    assert!(line["durationMs"].is_u64(), "{line}");
}

#[test]
fn the_request_id_is_the_edges_cf_ray() {
    let clerk = FakeClerk::answering(user());
    let mut request = public_call("clerk_get_user", json!({"userId": "user_2grace"}));
    request.headers_mut().insert(
        "cf-ray",
        "8f2c1e0a9b7d3c21-LHR".parse().expect("valid header"),
    );
    let line = line_of(request, &public_config(), &clerk);
    assert_eq!(line["requestId"], "8f2c1e0a9b7d3c21-LHR");
}

#[test]
fn an_error_from_clerk_is_a_tool_error_with_clerks_status() {
    let clerk = FakeClerk::failing(404, "resource_not_found", "not found", None);
    let line = line_of(
        public_call("clerk_get_user", json!({"userId": "user_2gone"})),
        &public_config(),
        &clerk,
    );
    assert_eq!(line["outcome"], "tool_error");
    assert_eq!(line["clerkStatus"], 404);
    assert_eq!(line["targets"], json!(["user_2gone"]));
}

#[test]
fn a_retried_read_reports_the_status_of_the_last_answer() {
    let tries = std::cell::Cell::new(0);
    let clerk = FakeClerk::new(move |_| {
        tries.set(tries.get() + 1);
        let status = if tries.get() < 3 { 503 } else { 200 };
        Ok(json_answer(status, &user()))
    });
    let line = line_of(
        public_call("clerk_get_user", json!({"userId": "user_2grace"})),
        &public_config(),
        &clerk,
    );
    assert_eq!(clerk.request_count(), 3);
    assert_eq!(line["outcome"], "ok");
    assert_eq!(line["clerkStatus"], 200);
}

#[test]
fn arguments_refused_before_clerk_are_a_tool_error_without_a_status() {
    let clerk = FakeClerk::unused();
    let line = line_of(
        public_call("clerk_get_user", json!({"userId": "not-an-id"})),
        &public_config(),
        &clerk,
    );
    assert_eq!(line["outcome"], "tool_error");
    assert_eq!(line["clerkStatus"], Value::Null);
    assert_eq!(line["targets"], json!([]));
    assert_eq!(clerk.request_count(), 0);
}

#[test]
fn a_call_without_a_key_is_anonymous_with_no_digest() {
    let clerk = FakeClerk::unused();
    let request = post_json(&call_tool(
        "clerk_get_user",
        json!({"userId": "user_2grace"}),
    ));
    let line = line_of(request, &public_config(), &clerk);
    assert_eq!(line["outcome"], "tool_error");
    assert_eq!(line["principal"], "anonymous");
    assert_eq!(line["argsDigest"], Value::Null);
    assert_eq!(line["clerkStatus"], Value::Null);
}

#[test]
fn an_unknown_tool_is_refused_and_its_name_never_written() {
    let clerk = FakeClerk::unused();
    let name = "clerk_steal\nall-the-things";
    let platform = FakePlatform::default();
    let response = send_on(
        public_call(name, json!({"userId": "user_2grace"})),
        &public_config(),
        &clerk,
        &platform,
    );
    assert_eq!(body_json(&response)["error"]["code"], -32602);
    let lines = platform.lines.borrow();
    assert_eq!(lines.len(), 1);
    assert!(!lines[0].contains("steal"), "{}", lines[0]);
    let line: Value = serde_json::from_str(&lines[0]).expect("JSON");
    assert_eq!(line["tool"], Value::Null);
    assert_eq!(line["outcome"], "refused");
    assert_eq!(line["targets"], json!(["user_2grace"]));
}

#[test]
fn params_the_call_cannot_read_are_refused() {
    let clerk = FakeClerk::unused();
    let bad_arguments = rpc(
        "tools/call",
        json!({"name": "clerk_get_user", "arguments": "user_2grace"}),
    );
    let line = line_of(
        with_key(post_json(&bad_arguments), KEY),
        &public_config(),
        &clerk,
    );
    assert_eq!(line["outcome"], "refused");
    assert_eq!(line["tool"], "clerk_get_user");
    assert_eq!(line["targets"], json!([]));
    let not_an_object = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": 7});
    let line = line_of(
        with_key(post_json(&not_an_object), KEY),
        &public_config(),
        &clerk,
    );
    assert_eq!(line["outcome"], "refused");
    assert_eq!(line["tool"], Value::Null);
}

#[test]
fn a_write_withheld_from_a_read_only_token_is_refused() {
    let config = config(&[
        ("CLERK_SECRET_KEY", KEY),
        (
            "MCP_AUTH_TOKENS",
            &format!("first-token-0123456789abcdef,{TOKEN}"),
        ),
        ("MCP_READONLY_TOKENS", READ_ONLY),
    ]);
    let clerk = FakeClerk::unused();
    let request = with_bearer(
        post_json(&call_tool(
            "clerk_ban_user",
            json!({"userId": "user_2grace"}),
        )),
        READ_ONLY,
    );
    let line = line_of(request, &config, &clerk);
    assert_eq!(line["outcome"], "refused");
    assert_eq!(line["tool"], "clerk_ban_user");
    // The read-only tokens are numbered after MCP_AUTH_TOKENS.
    assert_eq!(line["principal"], "token:3");
    assert_eq!(line["clerkStatus"], Value::Null);
    assert_eq!(clerk.request_count(), 0);
}

#[test]
fn a_write_withheld_from_a_production_key_is_refused_and_names_the_key_by_hash() {
    let clerk = FakeClerk::unused();
    let request = with_key(
        post_json(&call_tool(
            "clerk_ban_user",
            json!({"userId": "user_2grace"}),
        )),
        OTHER_KEY,
    );
    let line = line_of(request, &public_config(), &clerk);
    assert_eq!(line["outcome"], "refused");
    let principal = line["principal"].as_str().unwrap_or_default();
    assert_eq!(principal, key_principal(OTHER_KEY));
    let hash = principal.strip_prefix("key:").unwrap_or_default();
    assert!(is_hex(&json!(hash), 12), "{principal}");
    assert_eq!(clerk.request_count(), 0);
}

#[test]
fn principals_name_the_token_the_key_or_no_one() {
    let clerk = FakeClerk::answering(user());
    let get = || {
        post_json(&call_tool(
            "clerk_get_user",
            json!({"userId": "user_2grace"}),
        ))
    };

    let old_token = with_bearer(get(), "old-token-9876543210fedcba");
    assert_eq!(
        line_of(old_token, &hosted_config(), &clerk)["principal"],
        "token:1"
    );
    assert_eq!(
        line_of(with_key(get(), KEY), &public_config(), &clerk)["principal"],
        key_principal(KEY).as_str()
    );
    // A public key sent as a bearer token is the same key holder.
    assert_eq!(
        line_of(with_bearer(get(), KEY), &public_config(), &clerk)["principal"],
        key_principal(KEY).as_str()
    );
    let open = config(&[
        ("CLERK_SECRET_KEY", KEY),
        ("MCP_ALLOW_UNAUTHENTICATED", "true"),
    ]);
    assert_eq!(line_of(get(), &open, &clerk)["principal"], "anonymous");
    // Public mode with access tokens: the token, not the key, names the caller.
    let public_tokens = config(&[("MCP_AUTH_TOKENS", TOKEN)]);
    let request = with_key(with_token(get()), KEY);
    assert_eq!(
        line_of(request, &public_tokens, &clerk)["principal"],
        "token:1"
    );
}

#[test]
fn a_user_signed_in_with_oauth_is_named_by_their_user_id() {
    const OPAQUE: &str = "oat_0123456789abcdef0123456789abcdef";
    let clerk = FakeClerk::new(|request| {
        Ok(match request.uri().path() {
            "/v1/oauth_applications/access_tokens/verify" => json_answer(
                200,
                &json!({"object": "clerk_idp_oauth_access_token", "id": "oat_1",
                    "subject": "user_2allowed", "revoked": false, "expired": false,
                    "expiration": NOW + 3600, "scopes": ["profile"]}),
            ),
            // The tool's own call: its status, not the sign-in's, is recorded.
            _ => json_answer(
                404,
                &json!({"errors": [{"code": "resource_not_found", "message": "not found"}]}),
            ),
        })
    });
    let config = config(&[
        ("CLERK_SECRET_KEY", KEY),
        ("CLERK_FRONTEND_API", "http://127.0.0.1:9998"),
        ("MCP_ALLOWED_USERS", "user_2allowed"),
    ]);
    let platform = FakePlatform::default();
    let request = with_bearer(
        post_json(&call_tool(
            "clerk_get_user",
            json!({"userId": "user_2gone"}),
        )),
        OPAQUE,
    );
    let response = send_on(request, &config, &clerk, &platform);
    assert_eq!(response.status(), 200, "{}", body_text(&response));
    let lines = platform.lines.borrow();
    assert_eq!(lines.len(), 1);
    assert!(!lines[0].contains(OPAQUE));
    let line: Value = serde_json::from_str(&lines[0]).expect("JSON");
    assert_eq!(line["principal"], "user_2allowed");
    assert_eq!(line["outcome"], "tool_error");
    assert_eq!(line["clerkStatus"], 404);
}

#[test]
fn a_batch_writes_one_line_per_tool_call() {
    let clerk = FakeClerk::answering(user());
    let batch = json!([
        {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": "clerk_get_user", "arguments": {"userId": "user_2grace"}}},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 3, "method": "tools/call",
            "params": {"name": "clerk_no_such_tool", "arguments": {}}},
        {"jsonrpc": "2.0", "id": 4, "method": "tools/call",
            "params": {"name": "clerk_get_user", "arguments": {"userId": "user_2grace"},
                "_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                    "io.modelcontextprotocol/clientCapabilities": {}}}},
    ]);
    let mut request = with_key(post_json(&batch), KEY);
    request.headers_mut().remove("mcp-protocol-version");
    let lines = lines_of(request, &public_config(), &clerk);
    let outcomes: Vec<(&Value, &Value)> = lines
        .iter()
        .map(|line| (&line["tool"], &line["outcome"]))
        .collect();
    assert_eq!(
        outcomes,
        [
            (&json!("clerk_get_user"), &json!("ok")),
            (&Value::Null, &json!("refused")),
            (&json!("clerk_get_user"), &json!("refused")),
        ]
    );
}

#[test]
fn other_methods_and_refused_requests_write_nothing() {
    let clerk = FakeClerk::unused();
    for body in [
        rpc("tools/list", json!({})),
        rpc("ping", json!({})),
        json!({"jsonrpc": "2.0", "method": "tools/call",
            "params": {"name": "clerk_get_user", "arguments": {"userId": "user_2grace"}}}),
    ] {
        let lines = lines_of(with_key(post_json(&body), KEY), &public_config(), &clerk);
        assert_eq!(lines, Vec::<Value>::new(), "{body}");
    }
    // Refused by the transport before its message is read: not a tool call.
    let no_token = post_json(&call_tool(
        "clerk_get_user",
        json!({"userId": "user_2grace"}),
    ));
    assert_eq!(
        lines_of(no_token, &hosted_config(), &clerk),
        Vec::<Value>::new()
    );
}

/// A 2026-07-28 `tools/call` of `name`, as a client that names itself sends it.
fn stateless_call(name: &str, arguments: Value) -> Request<Vec<u8>> {
    let body = json!({"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {
        "name": name, "arguments": arguments,
        "_meta": {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {},
            "io.modelcontextprotocol/clientInfo": {"name": "Acme\tAssistant", "version": "2.1.0"},
        },
    }});
    let mut request = with_key(post_json(&body), KEY);
    let headers = request.headers_mut();
    headers.insert("mcp-protocol-version", "2026-07-28".parse().expect("valid"));
    headers.insert("mcp-method", "tools/call".parse().expect("valid"));
    headers.insert("mcp-name", name.parse().expect("valid"));
    request
}

#[test]
fn a_stateless_call_names_its_client() {
    let clerk = FakeClerk::answering(user());
    let line = line_of(
        stateless_call("clerk_get_user", json!({"userId": "user_2grace"})),
        &public_config(),
        &clerk,
    );
    assert_eq!(line["outcome"], "ok");
    assert_eq!(
        line["client"],
        json!({"name": "AcmeAssistant", "version": "2.1.0"})
    );
    assert_eq!(line["clerkStatus"], 200);
}

#[test]
fn a_stateless_call_that_breaks_the_eras_rules_is_refused() {
    let clerk = FakeClerk::unused();
    let mut request = stateless_call("clerk_get_user", json!({"userId": "user_2grace"}));
    request
        .headers_mut()
        .insert("mcp-name", "clerk_delete_user".parse().expect("valid"));
    let platform = FakePlatform::default();
    let response = send_on(request, &public_config(), &clerk, &platform);
    assert_eq!(response.status(), 400);
    let lines = platform.log_json();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["outcome"], "refused");
    assert_eq!(lines[0]["tool"], "clerk_get_user");
    assert_eq!(clerk.request_count(), 0);
}

#[test]
fn the_digest_tells_calls_apart_only_by_their_arguments_and_key() {
    let clerk = FakeClerk::answering(user());
    let digest = |arguments: Value, key: &str| {
        line_of(
            with_key(post_json(&call_tool("clerk_list_users", arguments)), key),
            &public_config(),
            &clerk,
        )["argsDigest"]
            .clone()
    };
    let first = digest(json!({"query": "grace", "limit": 5}), KEY);
    assert!(is_hex(&first, 16), "{first}");
    assert_eq!(digest(json!({"limit": 5, "query": "grace"}), KEY), first);
    assert_ne!(digest(json!({"query": "grace", "limit": 6}), KEY), first);
    assert_ne!(digest(json!({"query": "hopper", "limit": 5}), KEY), first);
    let other_key = "sk_test_YetAnotherKey0123456789";
    assert_ne!(
        digest(json!({"query": "grace", "limit": 5}), other_key),
        first
    );
}

#[test]
fn lines_hold_no_secret_and_nothing_a_user_wrote() {
    let clerk = FakeClerk::answering(user());
    let platform = FakePlatform::default();
    let written = [
        "grace.hopper@example.com",
        "S3cret-Passw0rd!",
        "Grace",
        "Hopper",
        "amazing_grace",
        "+15555550100",
        "crm-1906",
        "metadata-value-7f3a",
        "private-value-9c1d",
        "unsafe-value-2b8e",
        "role-note-4e5f",
    ];
    let calls = [
        call_tool(
            "clerk_create_user",
            json!({
                "emailAddress": [written[0]], "password": written[1],
                "firstName": written[2], "lastName": written[3], "username": written[4],
                "phoneNumber": [written[5]], "externalId": written[6],
                "publicMetadata": {"plan": written[7]},
                "privateMetadata": {"crm": written[8]},
                "unsafeMetadata": {"seen": written[9]},
            }),
        ),
        call_tool(
            "clerk_update_member_metadata",
            json!({"organizationId": "org_2acme", "userId": "user_2grace",
                "publicMetadata": {"note": written[10]}}),
        ),
        call_tool(
            "clerk_list_users",
            json!({"emailAddress": [written[0]], "query": written[2]}),
        ),
        call_tool(
            "clerk_create_invitation",
            json!({"organizationId": "org_2acme", "emailAddress": written[0],
                "role": "org:member", "inviterUserId": "user_2grace"}),
        ),
    ];
    for body in &calls {
        send_on(
            with_token(post_json(body)),
            &hosted_config(),
            &clerk,
            &platform,
        );
        send_on(
            with_key(post_json(body), KEY),
            &public_config(),
            &clerk,
            &platform,
        );
    }
    let lines = platform.lines.borrow();
    assert_eq!(lines.len(), calls.len() * 2);
    for line in lines.iter() {
        for value in written
            .iter()
            .chain(&[KEY, TOKEN, "FakeKey0123456789abcdef", "@"])
        {
            assert!(!line.contains(value), "{value:?} is in {line}");
        }
    }
    let targets: Vec<Value> = platform
        .log_json()
        .iter()
        .map(|line| line["targets"].clone())
        .collect();
    assert_eq!(targets[2], json!(["org_2acme", "user_2grace"]));
    assert_eq!(targets[6], json!(["user_2grace", "org_2acme"]));
}

#[test]
fn a_resource_read_writes_a_line_naming_what_it_read() {
    let clerk = FakeClerk::answering(user());
    let line = line_of(
        public_read("clerk://users/user_2grace"),
        &public_config(),
        &clerk,
    );
    assert_eq!(line["event"], "resource_read");
    assert_eq!(line["tool"], Value::Null);
    assert_eq!(line["outcome"], "ok");
    assert_eq!(line["targets"], json!(["user_2grace"]));
    assert!(is_hex(&line["argsDigest"], 16), "{line}");
    assert_eq!(line["clerkStatus"], 200);
    assert_eq!(fields_of(&line), FIELDS);
}

#[test]
fn a_resource_clerk_does_not_have_is_a_tool_error_and_an_unknown_uri_refused() {
    let clerk = FakeClerk::failing(404, "resource_not_found", "not found", None);
    let line = line_of(
        public_read("clerk://organizations/org_2gone"),
        &public_config(),
        &clerk,
    );
    assert_eq!(line["outcome"], "tool_error");
    assert_eq!(line["clerkStatus"], 404);
    assert_eq!(line["targets"], json!(["org_2gone"]));
    let line = line_of(
        public_read("clerk://invoices/in_1"),
        &public_config(),
        &clerk,
    );
    assert_eq!(line["outcome"], "refused");
    assert_eq!(line["clerkStatus"], Value::Null);
    assert_eq!(line["targets"], json!([]));
}
