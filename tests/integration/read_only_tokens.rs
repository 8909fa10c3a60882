//! Read-only access tokens (`MCP_READONLY_TOKENS`): they let a client in as
//! `MCP_AUTH_TOKENS` do, but its tool list leaves out the write tools, and a
//! call to one is refused, saying why, before anything reaches Clerk.

use serde_json::{json, Value};

use crate::support::*;

const READ_ONLY: &str = "read-only-token-0123456789abcdef";

fn hosted(extra: &[(&str, &str)]) -> clerk_mcp_worker::config::Config {
    let mut vars = vec![
        ("CLERK_SECRET_KEY", KEY),
        ("MCP_READONLY_TOKENS", READ_ONLY),
        // The tokens, not the confirmation a write waits for, are under test.
        ("MCP_CONFIRM", "off"),
    ];
    vars.extend_from_slice(extra);
    config(&vars)
}

fn with_bearer(mut request: http::Request<Vec<u8>>, token: &str) -> http::Request<Vec<u8>> {
    request
        .headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    request
}

fn tools(config: &clerk_mcp_worker::config::Config, token: &str) -> Vec<(String, bool)> {
    let clerk = FakeClerk::unused();
    let request = with_bearer(post_json(&rpc("tools/list", json!({}))), token);
    body_json(&send(request, config, &clerk))["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tool| {
            let read = tool["annotations"]["readOnlyHint"] == true;
            (tool["name"].as_str().unwrap().to_owned(), read)
        })
        .collect()
}

fn call(
    config: &clerk_mcp_worker::config::Config,
    token: &str,
    name: &str,
    clerk: &FakeClerk,
) -> Value {
    let request = with_bearer(
        post_json(&call_tool(name, json!({"userId": "user_2abc"}))),
        token,
    );
    let response = send(request, config, clerk);
    assert_eq!(response.status(), 200, "{}", body_text(&response));
    body_json(&response)["result"].clone()
}

#[test]
fn a_read_only_token_lists_only_the_read_tools() {
    let config = hosted(&[("MCP_AUTH_TOKENS", TOKEN)]);
    let all = tools(&config, TOKEN);
    assert_eq!(all.len(), 46);
    let reads: Vec<_> = all.iter().filter(|(_, read)| *read).cloned().collect();
    assert_eq!(tools(&config, READ_ONLY), reads);
}

#[test]
fn a_write_with_a_read_only_token_is_refused_before_clerk_and_reads_work() {
    let config = hosted(&[("MCP_AUTH_TOKENS", TOKEN)]);
    let clerk = FakeClerk::answering(json!({"id": "user_2abc", "object": "user",
        "email_addresses": [], "created_at": 1_700_000_000_000_u64}));
    let refused = call(&config, READ_ONLY, "clerk_ban_user", &clerk);
    assert_eq!(refused["isError"], true);
    let text = result_text(&refused);
    assert!(
        text.contains("MCP_READONLY_TOKENS") && text.contains("Nothing was sent to Clerk"),
        "{text}"
    );
    assert!(!text.contains(READ_ONLY));
    assert_eq!(clerk.request_count(), 0);
    let read = call(&config, READ_ONLY, "clerk_get_user", &clerk);
    assert_eq!(read["isError"], false, "{read}");
    let banned = call(&config, TOKEN, "clerk_ban_user", &clerk);
    assert_eq!(banned["isError"], false, "{banned}");
}

#[test]
fn read_only_tokens_alone_protect_a_hosted_server() {
    let config = hosted(&[]);
    let clerk = FakeClerk::unused();
    let response = send(post_json(&rpc("tools/list", json!({}))), &config, &clerk);
    assert_eq!(response.status(), 401);
    assert!(!tools(&config, READ_ONLY).is_empty());
}

#[test]
fn a_malformed_read_only_token_names_its_setting() {
    let error = config_error("MCP_READONLY_TOKENS", "short");
    assert!(error.contains("MCP_READONLY_TOKENS"), "{error}");
}
