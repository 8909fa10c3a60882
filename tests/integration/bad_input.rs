//! Bad input through the Worker's entry point: malformed, oversized, hostile
//! or unauthorized requests. Each gets the documented refusal (an HTTP
//! status, a JSON-RPC error or a tool result with `isError: true`) whose
//! message says what to fix, repeats no huge or secret value, and sends
//! nothing to Clerk.

use clerk_mcp_worker::config::Config;
use http::{HeaderValue, Request, Response};
use serde_json::{json, Value};

use crate::support::*;

/// The tokens of the hosted configurations below.
const TOKENS: [&str; 2] = ["tok-Alpha-0123456789abcdef", "tok-Bravo-fedcba9876543210"];

/// Longer than any answer to a refused request, shorter than a repeated
/// 10,000-character value.
const SHORT_ANSWER: usize = 1000;

/// A hosted server that admits the two `TOKENS`.
fn hosted_with_tokens() -> Config {
    config(&[
        ("CLERK_SECRET_KEY", KEY),
        ("MCP_AUTH_TOKENS", &TOKENS.join(",")),
    ])
}

/// A `POST /mcp` of exactly `body`, with the key of public mode.
fn raw_post(body: &[u8]) -> Request<Vec<u8>> {
    let mut request = Request::post("http://127.0.0.1:8787/mcp")
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2025-06-18")
        .body(body.to_vec())
        .expect("valid test request");
    request
        .headers_mut()
        .insert("x-clerk-secret-key", HeaderValue::from_static(KEY));
    request
}

/// A `tools/call` that would reach Clerk if the server let it through.
fn get_user_call() -> String {
    call_tool("clerk_get_user", json!({"userId": "user_2ada"})).to_string()
}

/// Sends `request` in public mode, with a Clerk that must not be called.
fn send_public(request: Request<Vec<u8>>) -> (Response<Vec<u8>>, FakeClerk) {
    send_with(request, &public_config())
}

fn send_with(request: Request<Vec<u8>>, config: &Config) -> (Response<Vec<u8>>, FakeClerk) {
    let clerk = FakeClerk::unused();
    let response = send(request, config, &clerk);
    (response, clerk)
}

/// Checks a JSON-RPC error answer: its HTTP status, error code and id, a
/// message holding each of `mentions`, a short body, and no Clerk request.
fn assert_rpc_error(
    (response, clerk): &(Response<Vec<u8>>, FakeClerk),
    status: u16,
    code: i64,
    id: Value,
    mentions: &[&str],
) {
    let text = body_text(response);
    assert_eq!(response.status(), status, "{text}");
    assert_eq!(response.headers()["content-type"], "application/json");
    let answer = body_json(response);
    assert_eq!(answer["jsonrpc"], "2.0", "{text}");
    assert_eq!(answer["error"]["code"], code, "{text}");
    assert_eq!(answer["id"], id, "{text}");
    assert!(answer.get("result").is_none(), "{text}");
    let message = answer["error"]["message"].as_str().unwrap_or_default();
    for mention in mentions {
        assert!(message.contains(mention), "{mention:?} missing: {message}");
    }
    assert!(
        text.len() < SHORT_ANSWER,
        "the answer echoes too much: {text}"
    );
    assert_no_secret(response);
    assert_eq!(
        clerk.request_count(),
        0,
        "reached Clerk: {:?}",
        clerk.urls()
    );
}

/// Checks that neither the body nor a header of `response` holds the key
/// or a token.
fn assert_no_secret(response: &Response<Vec<u8>>) {
    let text = body_text(response);
    for secret in [KEY, TOKENS[0], TOKENS[1]] {
        assert!(!text.contains(secret), "a secret in the body: {text}");
        for (name, value) in response.headers() {
            let value = String::from_utf8_lossy(value.as_bytes());
            assert!(!value.contains(secret), "a secret in {name}: {value}");
        }
    }
}

/// Checks a tool error: HTTP 200, `isError: true`, a message holding each of
/// `mentions` and not `not_echoed`, and no Clerk request.
fn assert_tool_error(
    (response, clerk): &(Response<Vec<u8>>, FakeClerk),
    mentions: &[&str],
    not_echoed: &str,
) {
    let text = body_text(response);
    assert_eq!(response.status(), 200, "{text}");
    let result = &body_json(response)["result"];
    assert_eq!(result["isError"], true, "{text}");
    let message = result_text(result);
    for mention in mentions {
        assert!(message.contains(mention), "{mention:?} missing: {message}");
    }
    assert!(
        not_echoed.is_empty() || !text.contains(not_echoed),
        "echoed: {text}"
    );
    assert!(
        text.len() < SHORT_ANSWER,
        "the answer echoes too much: {text}"
    );
    assert_no_secret(response);
    assert_eq!(
        clerk.request_count(),
        0,
        "reached Clerk: {:?}",
        clerk.urls()
    );
}

// Malformed and truncated JSON.

#[test]
fn truncated_json_is_a_parse_error() {
    let call = get_user_call();
    let truncated = &call.as_bytes()[..call.len() - 3];
    assert_rpc_error(
        &send_public(raw_post(truncated)),
        400,
        -32700,
        Value::Null,
        &["Parse error", "not valid JSON"],
    );
}

#[test]
fn malformed_json_is_a_parse_error() {
    for body in [
        r#"{'jsonrpc': '2.0', 'id': 1, 'method': 'ping'}"#,
        r#"{"jsonrpc":"2.0","id":1,"method":"tools/call",}"#,
        r#"{"jsonrpc":"2.0" "id":1}"#,
        r#"{"jsonrpc":"2.0","id":01,"method":"ping"}"#,
        r#"{"jsonrpc":"2.0","id":NaN,"method":"ping"}"#,
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\u{1}\"}",
    ] {
        assert_rpc_error(
            &send_public(raw_post(body.as_bytes())),
            400,
            -32700,
            Value::Null,
            &["not valid JSON"],
        );
    }
}

#[test]
fn empty_body_is_a_parse_error() {
    assert_rpc_error(
        &send_public(raw_post(b"")),
        400,
        -32700,
        Value::Null,
        &["not valid JSON"],
    );
}

#[test]
fn json_followed_by_more_text_is_a_parse_error() {
    let body = format!("{} {}", get_user_call(), get_user_call());
    assert_rpc_error(
        &send_public(raw_post(body.as_bytes())),
        400,
        -32700,
        Value::Null,
        &["not valid JSON"],
    );
}

#[test]
fn parse_error_does_not_echo_the_body() {
    let body = format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{{"name":"{}"#,
        "a".repeat(100_000)
    );
    assert_rpc_error(
        &send_public(raw_post(body.as_bytes())),
        400,
        -32700,
        Value::Null,
        &["not valid JSON"],
    );
}

// Bodies that are not UTF-8, or start with a byte-order mark.

/// The `clerk_get_user` call with `bytes` put right after its user ID.
fn call_with_raw_bytes_in_the_user_id(bytes: &[u8]) -> Vec<u8> {
    let call = get_user_call();
    let (before, after) = call
        .split_once("user_2ada")
        .expect("the call names user_2ada");
    [before.as_bytes(), b"user_2ada", bytes, after.as_bytes()].concat()
}

#[test]
fn invalid_utf8_inside_a_string_is_a_parse_error() {
    for bytes in [&b"\xff"[..], b"\xc3", b"\xed\xa0\x80"] {
        assert_rpc_error(
            &send_public(raw_post(&call_with_raw_bytes_in_the_user_id(bytes))),
            400,
            -32700,
            Value::Null,
            &["not valid JSON"],
        );
    }
}

#[test]
fn invalid_utf8_outside_strings_is_a_parse_error() {
    let mut body = get_user_call().into_bytes();
    body.insert(1, 0xc3);
    assert_rpc_error(
        &send_public(raw_post(&body)),
        400,
        -32700,
        Value::Null,
        &["not valid JSON"],
    );
}

#[test]
fn overlong_utf8_encoding_is_a_parse_error() {
    // 0xC0 0xAF is an overlong '/', a classic way past path filters.
    assert_rpc_error(
        &send_public(raw_post(&call_with_raw_bytes_in_the_user_id(b"\xc0\xaf.."))),
        400,
        -32700,
        Value::Null,
        &["not valid JSON"],
    );
}

#[test]
fn escaped_lone_surrogate_is_a_parse_error() {
    let body = get_user_call().replace("user_2ada", "user_2ada\\ud800");
    assert_rpc_error(
        &send_public(raw_post(body.as_bytes())),
        400,
        -32700,
        Value::Null,
        &["not valid JSON"],
    );
}

/// RFC 8259, section 8.1: senders must not add a byte-order mark; a parser
/// may refuse one. This server refuses it as it refuses any stray byte.
#[test]
fn utf8_byte_order_mark_is_a_parse_error() {
    let mut body = b"\xef\xbb\xbf".to_vec();
    body.extend_from_slice(get_user_call().as_bytes());
    assert_rpc_error(
        &send_public(raw_post(&body)),
        400,
        -32700,
        Value::Null,
        &["byte-order mark"],
    );
}

// JSON that is not a JSON-RPC message.

/// A `clerk_get_user` call as a JSON object, to spoil one field of.
fn get_user_message() -> Value {
    json!({
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": "clerk_get_user", "arguments": {"userId": "user_2ada"}},
    })
}

/// The `clerk_get_user` call with `field` set to `value`.
fn tools_call_with(field: &str, value: Value) -> Request<Vec<u8>> {
    let mut message = get_user_message();
    message[field] = value;
    raw_post(message.to_string().as_bytes())
}

#[test]
fn missing_jsonrpc_is_invalid_request_answered_with_the_id() {
    assert_rpc_error(
        &send_public({
            let mut message = get_user_message();
            message
                .as_object_mut()
                .map(|fields| fields.remove("jsonrpc"));
            raw_post(message.to_string().as_bytes())
        }),
        400,
        -32600,
        json!(1),
        &["\"jsonrpc\" must be \"2.0\""],
    );
}

#[test]
fn wrong_jsonrpc_version_is_invalid_request() {
    for version in [
        json!("1.0"),
        json!("2"),
        json!(2.0),
        json!(2),
        json!(["2.0"]),
    ] {
        assert_rpc_error(
            &send_public(tools_call_with("jsonrpc", json!(version))),
            400,
            -32600,
            json!(1),
            &["\"jsonrpc\" must be \"2.0\""],
        );
    }
}

#[test]
fn null_id_is_invalid_request() {
    assert_rpc_error(
        &send_public(tools_call_with("id", json!(null))),
        400,
        -32600,
        Value::Null,
        &["\"id\" must be a string or a 64-bit integer"],
    );
}

#[test]
fn object_array_and_boolean_ids_are_invalid_requests() {
    for id in [json!({"n": 1}), json!([1]), json!(true), json!(false)] {
        assert_rpc_error(
            &send_public(tools_call_with("id", json!(id))),
            400,
            -32600,
            Value::Null,
            &["\"id\" must be a string or a 64-bit integer"],
        );
    }
}

/// MCP, Basic Protocol: "Requests MUST include a string or integer ID". The
/// server's own message says so, but it answers a fractional id.
#[test]
fn fractional_id_is_invalid_request() {
    for id in [json!(1.5), json!(-0.25), json!(1e300)] {
        assert_rpc_error(
            &send_public(tools_call_with("id", json!(id))),
            400,
            -32600,
            Value::Null,
            &["\"id\" must be a string or a 64-bit integer"],
        );
    }
}

/// An integer id past 64 bits is read as a float and answered rounded
/// (`5.555555555555556e+34`), so the client cannot match the answer to its
/// request: the server must refuse it or repeat it digit for digit.
#[test]
fn id_beyond_64_bit_integers_is_refused_or_repeated_exactly() {
    for id in [
        "55555555555555555555555555555555510",
        "18446744073709551616",
    ] {
        let body = format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"ping"}}"#);
        let (response, clerk) = send_public(raw_post(body.as_bytes()));
        let text = body_text(&response);
        if response.status() == 200 {
            assert!(text.contains(&format!("\"id\":{id},")), "{id}: {text}");
        } else {
            assert_rpc_error(
                &(response, clerk),
                400,
                -32600,
                Value::Null,
                &["\"id\" must be a string or a 64-bit integer"],
            );
        }
    }
}

#[test]
fn method_that_is_not_a_string_is_invalid_request() {
    for method in [json!(5), json!(["tools/call"]), json!({}), json!(true)] {
        assert_rpc_error(
            &send_public(tools_call_with("method", json!(method))),
            400,
            -32600,
            json!(1),
            &["\"method\" must be a string"],
        );
    }
}

#[test]
fn array_or_string_params_are_invalid_params() {
    let arguments = json!({"userId": "user_2ada"});
    for params in [
        json!(["clerk_get_user", arguments]),
        json!("clerk_get_user"),
        json!(7),
        json!(true),
    ] {
        assert_rpc_error(
            &send_public(tools_call_with("params", json!(params))),
            200,
            -32602,
            json!(1),
            &["\"params\" must be an object"],
        );
    }
}

#[test]
fn message_that_is_not_an_object_is_invalid_request() {
    for body in ["\"tools/call\"", "5", "null", "true"] {
        assert_rpc_error(
            &send_public(raw_post(body.as_bytes())),
            400,
            -32600,
            Value::Null,
            &["must be a JSON object"],
        );
    }
}

// Bodies over the 1 MiB limit.

/// A `tools/call` padded to `len` bytes.
fn call_of_length(len: usize) -> Vec<u8> {
    let skeleton = call_tool(
        "clerk_update_user_metadata",
        json!({"userId": "user_2ada", "publicMetadata": {"pad": ""}}),
    )
    .to_string();
    let padding = "x".repeat(len - skeleton.len());
    skeleton
        .replace("\"pad\":\"\"", &format!("\"pad\":\"{padding}\""))
        .into_bytes()
}

#[test]
fn declared_body_over_1_mib_is_413() {
    let mut request = raw_post(get_user_call().as_bytes());
    request
        .headers_mut()
        .insert("content-length", HeaderValue::from(5_000_000));
    assert_rpc_error(
        &send_public(request),
        413,
        -32000,
        Value::Null,
        &["Payload Too Large", "1048576 bytes"],
    );
}

#[test]
fn undeclared_body_over_1_mib_is_413() {
    let body = call_of_length((1 << 20) + 1);
    assert_rpc_error(
        &send_public(raw_post(&body)),
        413,
        -32000,
        Value::Null,
        &["Payload Too Large", "1048576 bytes"],
    );
}

#[test]
fn body_longer_than_its_declared_length_is_413() {
    let body = call_of_length(2 << 20);
    let mut request = raw_post(&body);
    request
        .headers_mut()
        .insert("content-length", HeaderValue::from(100));
    assert_rpc_error(
        &send_public(request),
        413,
        -32000,
        Value::Null,
        &["1048576 bytes"],
    );
}

// Deeply nested JSON: serde_json stops at 128 levels, so the parser cannot
// exhaust the stack. The Worker's stack is about 1 MiB; these run on one that
// size.

fn on_a_1_mib_stack(run: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(run)
        .expect("a thread")
        .join()
        .expect("no stack overflow or panic");
}

#[test]
fn hundred_thousand_open_brackets_are_a_parse_error() {
    on_a_1_mib_stack(|| {
        let body = "[".repeat(100_000);
        assert_rpc_error(
            &send_public(raw_post(body.as_bytes())),
            400,
            -32700,
            Value::Null,
            &["not valid JSON", "recursion limit"],
        );
    });
}

#[test]
fn deeply_nested_tool_arguments_are_a_parse_error() {
    on_a_1_mib_stack(|| {
        let depth = 100_000;
        let nested = format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
        let call = call_tool(
            "clerk_update_user_metadata",
            json!({"userId": "user_2ada", "publicMetadata": "NESTED"}),
        );
        let body = call.to_string().replace("\"NESTED\"", &nested);
        assert_rpc_error(
            &send_public(raw_post(body.as_bytes())),
            400,
            -32700,
            Value::Null,
            &["recursion limit"],
        );
    });
}

#[test]
fn nested_batch_under_2025_03_26_is_a_parse_error() {
    on_a_1_mib_stack(|| {
        let mut request = raw_post("[".repeat(100_000).as_bytes());
        request.headers_mut().insert(
            "mcp-protocol-version",
            HeaderValue::from_static("2025-03-26"),
        );
        assert_rpc_error(
            &send_public(request),
            400,
            -32700,
            Value::Null,
            &["recursion limit"],
        );
    });
}

// Unknown tools and methods.

#[test]
fn unknown_tool_is_invalid_params_naming_it() {
    assert_rpc_error(
        &send_public(tools_call_with(
            "params",
            json!({"name": "clerk_get_usr", "arguments": {}}),
        )),
        200,
        -32602,
        json!(1),
        &["Unknown tool", "clerk_get_usr"],
    );
}

#[test]
fn unknown_tool_with_a_huge_name_is_not_repeated_whole() {
    let name = "clerk_".to_owned() + &"a".repeat(10_000);
    assert_rpc_error(
        &send_public(tools_call_with(
            "params",
            json!({"name": name, "arguments": {}}),
        )),
        200,
        -32602,
        json!(1),
        &["Unknown tool"],
    );
}

#[test]
fn unknown_method_with_a_huge_name_is_not_repeated_whole() {
    let method = "tools/".to_owned() + &"a".repeat(10_000);
    assert_rpc_error(
        &send_public(tools_call_with("method", json!(method))),
        200,
        -32601,
        json!(1),
        &["Method not found"],
    );
}

#[test]
fn tool_name_that_is_not_a_string_is_invalid_params() {
    for name in [json!(5), json!(null), json!(["clerk_get_user"])] {
        assert_rpc_error(
            &send_public(tools_call_with(
                "params",
                json!({"name": name, "arguments": {"userId": "user_2ada"}}),
            )),
            200,
            -32602,
            json!(1),
            &["\"name\" string"],
        );
    }
}

#[test]
fn tool_arguments_that_are_not_an_object_are_invalid_params() {
    for arguments in [json!(["user_2ada"]), json!("user_2ada"), json!(1)] {
        assert_rpc_error(
            &send_public(tools_call_with(
                "params",
                json!({"name": "clerk_get_user", "arguments": arguments}),
            )),
            200,
            -32602,
            json!(1),
            &["\"arguments\" must be an object"],
        );
    }
}

// Arguments of the wrong type, and unknown arguments.

#[test]
fn arguments_of_the_wrong_type_are_refused_by_name() {
    let invitation = |field: &str, value: Value| {
        let mut arguments = json!({
            "organizationId": "org_1",
            "emailAddress": "ada@example.com",
            "role": "org:member",
        });
        arguments[field] = value;
        arguments
    };
    let rows: [(&str, Value, &str); 18] = [
        ("clerk_list_users", json!({"limit": "5"}), "limit"),
        ("clerk_list_users", json!({"limit": 1.5}), "limit"),
        ("clerk_list_users", json!({"offset": -1}), "offset"),
        (
            "clerk_list_users",
            json!({"emailAddress": "ada@example.com"}),
            "emailAddress",
        ),
        ("clerk_list_users", json!({"userId": [5]}), "userId"),
        ("clerk_get_user", json!({"userId": 5}), "userId"),
        ("clerk_get_user", json!({"userId": ["user_2ada"]}), "userId"),
        (
            "clerk_get_user",
            json!({"userId": {"id": "user_2ada"}}),
            "userId",
        ),
        (
            "clerk_list_organizations",
            json!({"includeMembersCount": "yes"}),
            "includeMembersCount",
        ),
        ("clerk_create_organization", json!({"name": 5}), "name"),
        (
            "clerk_create_organization",
            json!({"name": "Acme", "maxAllowedMemberships": "10"}),
            "maxAllowedMemberships",
        ),
        (
            "clerk_update_user_metadata",
            json!({"userId": "user_2ada", "publicMetadata": "plan=pro"}),
            "publicMetadata",
        ),
        (
            "clerk_update_organization_metadata",
            json!({"organizationId": "org_1", "privateMetadata": [1]}),
            "privateMetadata",
        ),
        (
            "clerk_list_organization_members",
            json!({"organizationId": "org_1", "role": "org:admin"}),
            "role",
        ),
        (
            "clerk_list_organization_invitations",
            json!({"organizationId": "org_1", "status": 5}),
            "status",
        ),
        (
            "clerk_list_organization_invitations",
            json!({"organizationId": "org_1", "status": "archived"}),
            "status",
        ),
        (
            "clerk_create_invitation",
            invitation("expiresInDays", json!("7")),
            "expiresInDays",
        ),
        (
            "clerk_create_invitation",
            invitation("publicMetadata", json!(true)),
            "publicMetadata",
        ),
    ];
    for (tool, arguments, argument) in rows {
        assert_refused(tool, arguments, &[argument]);
    }
}

#[test]
fn unknown_arguments_are_refused_by_name() {
    let rows: [(&str, Value, &str); 5] = [
        (
            "clerk_get_user",
            json!({"userId": "user_2ada", "userID": "user_2ada"}),
            "userID",
        ),
        ("clerk_list_users", json!({"limits": 5}), "limits"),
        (
            "clerk_delete_organization",
            json!({"organization_id": "org_1"}),
            "organization_id",
        ),
        (
            "clerk_update_member_role",
            json!({
                "organizationId": "org_1",
                "userId": "user_2ada",
                "role": "org:admin",
                "force": true,
            }),
            "force",
        ),
        (
            "clerk_create_invitation",
            json!({
                "organizationId": "org_1",
                "emailAddress": "ada@example.com",
                "role": "org:member",
                "notify": true,
            }),
            "notify",
        ),
    ];
    for (tool, arguments, argument) in rows {
        assert_refused(tool, arguments, &[argument]);
    }
}

#[test]
fn wrong_type_errors_do_not_repeat_a_huge_value() {
    let huge = "a".repeat(10_000);
    let rows: [(&str, Value, &str); 4] = [
        ("clerk_list_users", json!({"limit": huge}), "limit"),
        (
            "clerk_update_user_metadata",
            json!({"userId": "user_2ada", "publicMetadata": huge}),
            "publicMetadata",
        ),
        (
            "clerk_list_organization_invitations",
            json!({"organizationId": "org_1", "status": huge}),
            "status",
        ),
        (
            "clerk_list_organizations",
            json!({"includeMembersCount": huge}),
            "includeMembersCount",
        ),
    ];
    for (tool, arguments, argument) in rows {
        assert_refused(tool, arguments, &[argument]);
    }
}

#[test]
fn unknown_argument_with_a_huge_name_is_not_repeated_whole() {
    let mut arguments = json!({"userId": "user_2ada"});
    arguments["x".repeat(10_000)] = json!(1);
    let text = assert_refused("clerk_get_user", arguments, &[]);
    assert!(text.contains("unknown"), "{text}");
}

// Hostile IDs: path and query syntax, control characters, other scripts,
// empty and huge values, for every argument that names an object.

/// Values of an argument whose valid form is `valid` (say `user_2ada`), each
/// wrong in one way, with what is wrong.
fn hostile_values(valid: &str) -> Vec<(&'static str, String)> {
    vec![
        ("../", format!("{valid}/../../organizations")),
        ("bare ..", "..".to_owned()),
        ("%2F", format!("{valid}%2F..%2Forganizations")),
        ("?", format!("{valid}?limit=500")),
        ("#", format!("{valid}#top")),
        ("CR/LF", format!("{valid}\r\nX-Injected: 1")),
        ("LF", format!("{valid}\n")),
        ("space", format!("{valid} 2")),
        ("leading space", format!(" {valid}")),
        ("NUL", format!("{valid}\u{0}")),
        ("non-ASCII", format!("{valid}ä")),
        ("full-width digit", format!("{valid}\u{ff11}")),
        ("right-to-left override", format!("\u{202e}{valid}")),
        ("empty", String::new()),
        (
            "10,000 characters",
            format!("{valid}{}", "a".repeat(10_000)),
        ),
    ]
}

/// Calls `tool` with `base` plus `argument` set to each hostile value (in a
/// one-item list when `list`), and checks each is refused by name with
/// nothing sent to Clerk.
fn assert_hostile_values_refused(tool: &str, base: Value, argument: &str, valid: &str, list: bool) {
    for (_, value) in hostile_values(valid) {
        let mut arguments = base.clone();
        arguments[argument] = if list { json!([value]) } else { json!(value) };
        assert_refused(tool, arguments, &[argument]);
    }
}

#[test]
fn hostile_user_ids_are_refused_by_every_tool_that_takes_one() {
    let org = "org_2abc";
    let rows: [(&str, Value, &str, bool); 8] = [
        ("clerk_get_user", json!({}), "userId", false),
        (
            "clerk_update_user_metadata",
            json!({"publicMetadata": {}}),
            "userId",
            false,
        ),
        ("clerk_list_users", json!({}), "userId", true),
        (
            "clerk_update_member_role",
            json!({"organizationId": org, "role": "org:admin"}),
            "userId",
            false,
        ),
        (
            "clerk_update_member_metadata",
            json!({"organizationId": org, "publicMetadata": {}}),
            "userId",
            false,
        ),
        (
            "clerk_remove_member",
            json!({"organizationId": org}),
            "userId",
            false,
        ),
        (
            "clerk_create_organization",
            json!({"name": "Acme"}),
            "createdBy",
            false,
        ),
        (
            "clerk_create_invitation",
            json!({"organizationId": org, "emailAddress": "ada@example.com", "role": "org:member"}),
            "inviterUserId",
            false,
        ),
    ];
    for (tool, base, argument, list) in rows {
        assert_hostile_values_refused(tool, base, argument, "user_2ada", list);
    }
}

#[test]
fn hostile_organization_ids_are_refused_by_every_tool_that_takes_one() {
    let user = "user_2ada";
    let rows: [(&str, Value); 9] = [
        ("clerk_get_organization", json!({})),
        (
            "clerk_update_organization_metadata",
            json!({"publicMetadata": {}}),
        ),
        ("clerk_delete_organization", json!({})),
        ("clerk_list_organization_members", json!({})),
        (
            "clerk_update_member_role",
            json!({"userId": user, "role": "org:admin"}),
        ),
        (
            "clerk_update_member_metadata",
            json!({"userId": user, "publicMetadata": {}}),
        ),
        ("clerk_remove_member", json!({"userId": user})),
        ("clerk_list_organization_invitations", json!({})),
        (
            "clerk_create_invitation",
            json!({"emailAddress": "ada@example.com", "role": "org:member"}),
        ),
    ];
    for (tool, base) in rows {
        assert_hostile_values_refused(tool, base, "organizationId", "org_2abc", false);
    }
}

#[test]
fn hostile_slugs_are_refused_by_every_tool_that_takes_one() {
    assert_hostile_values_refused(
        "clerk_get_organization",
        json!({}),
        "slug",
        "acme-inc",
        false,
    );
    assert_hostile_values_refused(
        "clerk_create_organization",
        json!({"name": "Acme"}),
        "slug",
        "acme-inc",
        false,
    );
}

#[test]
fn hostile_role_keys_are_refused_by_every_tool_that_takes_one() {
    let org = "org_2abc";
    let rows: [(&str, Value, bool); 3] = [
        (
            "clerk_update_member_role",
            json!({"organizationId": org, "userId": "user_2ada"}),
            false,
        ),
        (
            "clerk_create_invitation",
            json!({"organizationId": org, "emailAddress": "ada@example.com"}),
            false,
        ),
        (
            "clerk_list_organization_members",
            json!({"organizationId": org}),
            true,
        ),
    ];
    for (tool, base, list) in rows {
        assert_hostile_values_refused(tool, base, "role", "org:admin", list);
    }
}

/// Values that are not one email address.
fn not_email_addresses() -> Vec<(&'static str, String)> {
    vec![
        ("../", "../../users".to_owned()),
        ("%2F", "%2F..%2Fusers".to_owned()),
        ("?", "?limit=500".to_owned()),
        ("#", "#top".to_owned()),
        (
            "CR/LF",
            "ada@example.com\r\nBcc: eve@example.com".to_owned(),
        ),
        ("space", "ada lovelace@example.com".to_owned()),
        (
            "two addresses",
            "ada@example.com,eve@example.com".to_owned(),
        ),
        ("empty", String::new()),
        (
            "10,000 characters",
            format!("{}@example.com", "a".repeat(10_000)),
        ),
    ]
}

#[test]
fn values_that_are_not_email_addresses_are_refused_by_create_invitation() {
    for (what, value) in not_email_addresses() {
        let arguments =
            json!({"organizationId": "org_2abc", "emailAddress": value, "role": "org:member"});
        let text = assert_refused("clerk_create_invitation", arguments, &["emailAddress"]);
        assert!(text.contains("email address"), "{what}: {text}");
    }
}

/// `clerk_list_users` says "each value must be an email address" but checks
/// only emptiness and length, so these reach Clerk as filters.
#[test]
fn values_that_are_not_email_addresses_are_refused_by_list_users() {
    for (_, value) in not_email_addresses() {
        assert_refused(
            "clerk_list_users",
            json!({"emailAddress": [value]}),
            &["emailAddress"],
        );
    }
}

/// `/`, `?` and `#` may stand in an address's local part, and addresses may
/// be in other scripts (RFC 6531): such an address is Clerk's to judge, so it
/// travels in the JSON body and cannot change the endpoint.
#[test]
fn email_address_with_url_characters_travels_in_the_body_not_the_path() {
    for email in ["ada/../users?x=1#y@example.com", "ädä@exämple.com"] {
        let clerk = FakeClerk::answering(
            serde_json::from_str(include_str!("../fixtures/clerk_invitation.json"))
                .expect("fixture is JSON"),
        );
        let arguments =
            json!({"organizationId": "org_2abc", "emailAddress": email, "role": "org:member"});
        tool_result(&clerk, "clerk_create_invitation", arguments);
        let sent = only_request(&clerk);
        assert_eq!(sent.method, "POST");
        assert_eq!(sent.url, "/v1/organizations/org_2abc/invitations");
        assert_eq!(
            sent.body.as_ref().map(|body| &body["email_address"]),
            Some(&json!(email))
        );
    }
}

// Clerk keys of a wrong form, in public mode.

/// A `tools/call` in public mode carrying `name: value` (raw bytes) and no
/// other key.
fn call_with_header(name: &'static str, value: &[u8]) -> (Response<Vec<u8>>, FakeClerk) {
    let mut request = raw_post(get_user_call().as_bytes());
    request.headers_mut().remove("x-clerk-secret-key");
    request.headers_mut().insert(
        name,
        HeaderValue::from_bytes(value).expect("http accepts this header value"),
    );
    send_public(request)
}

/// `http` refuses CR, LF, NUL and DEL in a header value, so such a header
/// can never reach the server; that refusal is what these rows rely on.
#[test]
fn header_values_with_cr_lf_cannot_be_built() {
    for value in [
        &b"sk_test_abcdef0123456789\r\nX-Evil: 1"[..],
        b"sk_test_abcdef0123456789\n",
        b"sk_test_abcdef0123456789\r",
        b"sk_test_abc\x00def0123456789",
        b"sk_test_abc\x7fdef0123456789",
    ] {
        assert!(HeaderValue::from_bytes(value).is_err(), "{value:?}");
    }
}

#[test]
fn secret_key_header_with_non_ascii_bytes_is_malformed() {
    let response = call_with_header("x-clerk-secret-key", b"sk_test_abc\xffdef0123456789");
    assert_tool_error(
        &response,
        &["X-Clerk-Secret-Key", "malformed"],
        "def0123456789",
    );
    let response = call_with_header("x-clerk-secret-key", "sk_test_abcdéf0123456789".as_bytes());
    assert_tool_error(
        &response,
        &["X-Clerk-Secret-Key", "malformed"],
        "f0123456789",
    );
}

#[test]
fn secret_key_header_with_the_wrong_prefix_is_malformed() {
    for key in [
        "pk_test_abcdef0123456789",
        "sk_prod_abcdef0123456789",
        "SK_TEST_abcdef0123456789",
        "Bearer sk_test_abcdef0123456789",
        "abcdef0123456789",
    ] {
        let response = call_with_header("x-clerk-secret-key", key.as_bytes());
        assert_tool_error(
            &response,
            &["X-Clerk-Secret-Key", "malformed", "sk_test_"],
            "abcdef0123456789",
        );
    }
}

#[test]
fn secret_key_header_with_a_tab_or_inner_space_is_malformed() {
    for key in ["sk_test_abc\tdef0123456789", "sk_test_abc def0123456789"] {
        let response = call_with_header("x-clerk-secret-key", key.as_bytes());
        assert_tool_error(
            &response,
            &["X-Clerk-Secret-Key", "malformed"],
            "def0123456789",
        );
    }
}

#[test]
fn empty_secret_key_header_is_refused_naming_it() {
    let response = call_with_header("x-clerk-secret-key", b"");
    assert_tool_error(&response, &["X-Clerk-Secret-Key"], "");
}

#[test]
fn huge_secret_key_is_malformed_and_not_repeated() {
    let key = format!("sk_test_{}", "a".repeat(10_000));
    let response = call_with_header("x-clerk-secret-key", key.as_bytes());
    assert_tool_error(
        &response,
        &["X-Clerk-Secret-Key", "malformed"],
        "aaaaaaaaaaaaaaaa",
    );
}

#[test]
fn bearer_key_with_non_ascii_bytes_is_malformed() {
    let response = call_with_header("authorization", b"Bearer sk_test_abc\xffdef0123456789");
    assert_tool_error(&response, &["Authorization", "malformed"], "def0123456789");
}

#[test]
fn bearer_key_with_the_wrong_prefix_is_malformed() {
    for key in ["pk_test_abcdef0123456789", "sk_prod_abcdef0123456789"] {
        let response = call_with_header("authorization", format!("Bearer {key}").as_bytes());
        assert_tool_error(
            &response,
            &["Authorization", "malformed"],
            "abcdef0123456789",
        );
    }
}

#[test]
fn basic_authorization_in_public_mode_is_no_key() {
    let response = call_with_header("authorization", b"Basic c2tfdGVzdF9hYmM6");
    assert_tool_error(
        &response,
        &["No Clerk secret key", "X-Clerk-Secret-Key"],
        "c2tf",
    );
}

// Access tokens (MCP_AUTH_TOKENS).

/// A `tools/call` to a hosted server with `Authorization: <value>`, or
/// without the header.
fn hosted_call(authorization: Option<&[u8]>) -> (Response<Vec<u8>>, FakeClerk) {
    let mut request = raw_post(get_user_call().as_bytes());
    request.headers_mut().remove("x-clerk-secret-key");
    if let Some(value) = authorization {
        request.headers_mut().insert(
            "authorization",
            HeaderValue::from_bytes(value).expect("http accepts this header value"),
        );
    }
    send_with(request, &hosted_with_tokens())
}

fn assert_unauthorized(authorization: Option<&[u8]>) {
    let refused = hosted_call(authorization);
    assert_rpc_error(
        &refused,
        401,
        -32000,
        Value::Null,
        &["Authorization: Bearer", "MCP_AUTH_TOKENS"],
    );
    let challenge = refused.0.headers()["www-authenticate"]
        .to_str()
        .unwrap_or_default();
    assert!(challenge.starts_with("Bearer"), "{challenge}");
}

#[test]
fn hosted_request_with_either_listed_token_is_answered() {
    for token in TOKENS {
        let clerk = FakeClerk::answering(json!({"id": "user_2ada", "object": "user"}));
        let mut request = raw_post(get_user_call().as_bytes());
        request.headers_mut().remove("x-clerk-secret-key");
        request.headers_mut().insert(
            "authorization",
            HeaderValue::try_from(format!("Bearer {token}")).expect("valid header"),
        );
        let response = send(request, &hosted_with_tokens(), &clerk);
        assert_eq!(response.status(), 200, "{}", body_text(&response));
        assert_no_secret(&response);
        assert_eq!(clerk.urls(), ["/v1/users/user_2ada"]);
    }
}

#[test]
fn hosted_request_without_authorization_is_401() {
    assert_unauthorized(None);
}

#[test]
fn hosted_request_with_a_wrong_token_is_401() {
    assert_unauthorized(Some(b"Bearer tok-Charlie-0123456789abcdef"));
}

#[test]
fn hosted_request_with_a_token_in_another_case_is_401() {
    assert_unauthorized(Some(b"Bearer TOK-ALPHA-0123456789ABCDEF"));
}

#[test]
fn hosted_request_with_a_prefix_of_a_token_is_401() {
    assert_unauthorized(Some(b"Bearer tok-Alpha-0123456789abcde"));
    assert_unauthorized(Some(b"Bearer tok-Alpha"));
}

#[test]
fn hosted_request_with_a_token_and_more_is_401() {
    assert_unauthorized(Some(b"Bearer tok-Alpha-0123456789abcdef0"));
    assert_unauthorized(Some(
        b"Bearer tok-Alpha-0123456789abcdef,tok-Bravo-fedcba9876543210",
    ));
    assert_unauthorized(Some(
        b"Bearer tok-Alpha-0123456789abcdef tok-Bravo-fedcba9876543210",
    ));
}

#[test]
fn hosted_request_with_an_empty_bearer_is_401() {
    assert_unauthorized(Some(b"Bearer "));
    assert_unauthorized(Some(b"Bearer"));
    assert_unauthorized(Some(b""));
}

#[test]
fn hosted_request_with_a_non_ascii_token_is_401() {
    assert_unauthorized(Some(b"Bearer tok-Alpha-0123456789abcdef\xff"));
    assert_unauthorized(Some("Bearer tok-Alpha-0123456789abcdéf".as_bytes()));
}

#[test]
fn hosted_request_with_basic_auth_is_401() {
    // "tok-Alpha-0123456789abcdef:" in Basic's base64.
    assert_unauthorized(Some(b"Basic dG9rLUFscGhhLTAxMjM0NTY3ODlhYmNkZWY6"));
}

#[test]
fn hosted_request_with_the_clerk_key_as_bearer_is_401() {
    let header = format!("Bearer {KEY}");
    assert_unauthorized(Some(header.as_bytes()));
}

#[test]
fn hosted_server_without_tokens_is_503_naming_mcp_auth_tokens() {
    let hosted = config(&[("CLERK_SECRET_KEY", KEY)]);
    for authorization in [None, Some(format!("Bearer {}", TOKENS[0]))] {
        let mut request = raw_post(get_user_call().as_bytes());
        request.headers_mut().remove("x-clerk-secret-key");
        if let Some(value) = authorization {
            request.headers_mut().insert(
                "authorization",
                HeaderValue::try_from(value).expect("valid header"),
            );
        }
        assert_rpc_error(
            &send_with(request, &hosted),
            503,
            -32000,
            Value::Null,
            &["MCP_AUTH_TOKENS"],
        );
    }
}

#[test]
fn hosted_server_without_tokens_answers_when_opened_on_purpose() {
    let opened = config(&[
        ("CLERK_SECRET_KEY", KEY),
        ("MCP_ALLOW_UNAUTHENTICATED", "true"),
    ]);
    let mut request = raw_post(rpc("ping", json!({})).to_string().as_bytes());
    request.headers_mut().remove("x-clerk-secret-key");
    let (response, clerk) = send_with(request, &opened);
    assert_eq!(response.status(), 200, "{}", body_text(&response));
    assert_eq!(clerk.request_count(), 0);
}

#[test]
fn hosted_server_refuses_a_clerk_key_header_even_with_a_valid_token() {
    for key in [KEY, OTHER_KEY] {
        let mut request = raw_post(get_user_call().as_bytes());
        request
            .headers_mut()
            .insert("x-clerk-secret-key", HeaderValue::from_static(key));
        request.headers_mut().insert(
            "authorization",
            HeaderValue::try_from(format!("Bearer {}", TOKENS[1])).expect("valid header"),
        );
        let refused = send_with(request, &hosted_with_tokens());
        assert_rpc_error(
            &refused,
            400,
            -32000,
            Value::Null,
            &["X-Clerk-Secret-Key", "own"],
        );
        assert!(!body_text(&refused.0).contains(OTHER_KEY));
    }
}

#[test]
fn public_server_with_tokens_refuses_a_request_without_one() {
    let public = config(&[("MCP_AUTH_TOKENS", TOKENS[0])]);
    let refused = send_with(raw_post(get_user_call().as_bytes()), &public);
    assert_rpc_error(&refused, 401, -32000, Value::Null, &["MCP_AUTH_TOKENS"]);
}

/// Every kind of answer a hosted server with tokens gives: health, refusals,
/// protocol errors, tool errors, and results.
#[test]
fn tokens_never_appear_in_any_answer() {
    let with_token = |body: &Value| {
        let mut request = raw_post(body.to_string().as_bytes());
        request.headers_mut().remove("x-clerk-secret-key");
        request.headers_mut().insert(
            "authorization",
            HeaderValue::try_from(format!("Bearer {}", TOKENS[0])).expect("valid header"),
        );
        request
    };
    let requests = vec![
        Request::get("http://127.0.0.1:8787/health")
            .header("authorization", format!("Bearer {}", TOKENS[0]))
            .body(Vec::new())
            .expect("valid request"),
        with_token(&rpc("initialize", json!({"protocolVersion": "2025-06-18"}))),
        with_token(&rpc("tools/list", json!({}))),
        with_token(&rpc("nope", json!({}))),
        with_token(&call_tool("clerk_get_user", json!({"userId": "../x"}))),
        with_token(&call_tool("clerk_get_user", json!({"userId": "user_2ada"}))),
        raw_post(b"{"),
    ];
    for request in requests {
        let clerk = FakeClerk::failing(401, "authentication_invalid", "Bad key", None);
        let response = send(request, &hosted_with_tokens(), &clerk);
        assert_no_secret(&response);
    }
}
