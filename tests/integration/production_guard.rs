//! The production guard: a production (`sk_live_`) key, in either mode, gets
//! no write tool until the operator sets `MCP_LIVE_WRITES=true`. Write tools
//! are left out of the lists when the key is known, and a call to one is
//! refused, naming the setting, before anything reaches Clerk.

use http::Request;
use serde_json::{json, Value};

use crate::support::*;

/// A hosted configuration with `key`, its access tokens, and `extra` settings.
fn hosted_with(key: &str, extra: &[(&str, &str)]) -> clerk_mcp_worker::config::Config {
    // The guard, not the confirmation a write waits for, is under test.
    let mut vars = vec![
        ("CLERK_SECRET_KEY", key),
        ("MCP_AUTH_TOKENS", TOKEN),
        ("MCP_CONFIRM", "off"),
    ];
    vars.extend_from_slice(extra);
    config(&vars)
}

fn tool_names(response: &http::Response<Vec<u8>>) -> Vec<(String, bool)> {
    body_json(response)["result"]["tools"]
        .as_array()
        .expect("a tool list")
        .iter()
        .map(|tool| {
            let name = tool["name"].as_str().unwrap_or_default().to_owned();
            (name, tool["annotations"]["readOnlyHint"] == true)
        })
        .collect()
}

fn list(
    request_key: Option<&str>,
    config: &clerk_mcp_worker::config::Config,
) -> Vec<(String, bool)> {
    let clerk = FakeClerk::unused();
    let mut request = post_json(&rpc("tools/list", json!({})));
    if config.access.tokens().is_empty() {
        if let Some(key) = request_key {
            request
                .headers_mut()
                .insert("x-clerk-secret-key", key.parse().unwrap());
        }
    } else {
        request = with_token(request);
    }
    tool_names(&send(request, config, &clerk))
}

fn delete_user(
    config: &clerk_mcp_worker::config::Config,
    public_key: Option<&str>,
    clerk: &FakeClerk,
) -> Value {
    let mut request = post_json(&call_tool(
        "clerk_delete_user",
        json!({"userId": "user_2abc"}),
    ));
    match public_key {
        Some(key) => {
            request
                .headers_mut()
                .insert("x-clerk-secret-key", key.parse().unwrap());
        }
        None => request = with_token(request),
    }
    let response = send(request, config, clerk);
    assert_eq!(response.status(), 200, "{}", body_text(&response));
    body_json(&response)["result"].clone()
}

#[test]
fn a_hosted_production_key_gets_only_the_read_tools() {
    let all = list(None, &hosted_with(KEY, &[]));
    assert_eq!(all.len(), 46);
    let live = list(None, &hosted_with(OTHER_KEY, &[]));
    let reads: Vec<_> = all.iter().filter(|(_, read)| *read).cloned().collect();
    assert!(!reads.is_empty() && reads.len() < all.len());
    assert_eq!(live, reads);
    let opted_in = list(
        None,
        &hosted_with(OTHER_KEY, &[("MCP_LIVE_WRITES", "true")]),
    );
    assert_eq!(opted_in, all);
}

#[test]
fn a_write_call_with_a_production_key_is_refused_before_clerk() {
    let clerk = FakeClerk::answering(json!({"object": "user", "id": "user_2abc", "deleted": true}));
    let result = delete_user(&hosted_with(OTHER_KEY, &[]), None, &clerk);
    assert_eq!(result["isError"], true);
    let text = result_text(&result);
    assert!(
        text.contains("MCP_LIVE_WRITES=true") && text.contains("sk_live_"),
        "{text}"
    );
    assert!(text.contains("Nothing was sent to Clerk"), "{text}");
    assert!(!text.contains(OTHER_KEY));
    assert_eq!(clerk.request_count(), 0);
    // Opted in, the same call acts.
    let result = delete_user(
        &hosted_with(OTHER_KEY, &[("MCP_LIVE_WRITES", "true")]),
        None,
        &clerk,
    );
    assert_eq!(result["isError"], false, "{result}");
    assert_eq!(clerk.request_count(), 1);
    // A development key is never held back.
    let result = delete_user(&hosted_with(KEY, &[]), None, &clerk);
    assert_eq!(result["isError"], false, "{result}");
    assert_eq!(clerk.request_count(), 2);
}

#[test]
fn a_public_server_holds_back_writes_from_the_production_key_a_request_brings() {
    let config = config(&[("MCP_CONFIRM", "off")]);
    assert_eq!(
        list(None, &config).len(),
        46,
        "no key yet: nothing to judge"
    );
    assert_eq!(list(Some(KEY), &config).len(), 46);
    let live = list(Some(OTHER_KEY), &config);
    assert!(live.iter().all(|(_, read)| *read) && !live.is_empty());
    let clerk = FakeClerk::answering(json!({"object": "user", "id": "user_2abc", "deleted": true}));
    let result = delete_user(&config, Some(OTHER_KEY), &clerk);
    assert!(result_text(&result).contains("MCP_LIVE_WRITES"));
    assert_eq!(clerk.request_count(), 0);
    let result = delete_user(&config, Some(KEY), &clerk);
    assert_eq!(result["isError"], false);
    assert_eq!(clerk.request_count(), 1);
}

#[test]
fn a_production_key_gets_only_the_prompts_its_tools_allow() {
    let clerk = FakeClerk::unused();
    let prompts = |config: &clerk_mcp_worker::config::Config| {
        let response = send(
            with_token(post_json(&rpc("prompts/list", json!({})))),
            config,
            &clerk,
        );
        body_json(&response)["result"]["prompts"]
            .as_array()
            .unwrap()
            .len()
    };
    let live = prompts(&hosted_with(OTHER_KEY, &[]));
    let test = prompts(&hosted_with(KEY, &[]));
    let read_only = prompts(&hosted_with(KEY, &[("MCP_READ_ONLY", "true")]));
    assert_eq!(live, read_only);
    assert!(live < test, "{live} < {test}");
}

#[test]
fn health_reports_the_guard() {
    let clerk = FakeClerk::answering(json!({"object": "total_count", "total_count": 3}));
    let health = |config: &clerk_mcp_worker::config::Config| {
        let request = Request::get("http://127.0.0.1:8787/health")
            .body(Vec::new())
            .unwrap();
        body_json(&send(request, config, &clerk))
    };
    let live = health(&hosted_with(OTHER_KEY, &[]));
    assert_eq!(
        (&live["liveWrites"], &live["writeToolsWithheld"]),
        (&json!(false), &json!(true))
    );
    let opted_in = health(&hosted_with(OTHER_KEY, &[("MCP_LIVE_WRITES", "true")]));
    assert_eq!(opted_in["writeToolsWithheld"], false);
    let public = health(&public_config());
    assert!(public.get("writeToolsWithheld").is_none(), "{public}");
}

#[test]
fn live_writes_must_be_true_or_false() {
    let error = config_error("MCP_LIVE_WRITES", "yes please");
    assert!(error.contains("MCP_LIVE_WRITES"), "{error}");
}
