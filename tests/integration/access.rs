//! Who may use `/mcp`: bearer tokens from `MCP_AUTH_TOKENS`, a hosted
//! server that fails closed without them, and the hosted server's refusal of
//! a client's own key.

use http::Request;
use serde_json::{json, Value};

use crate::support::*;

fn list_users() -> Request<Vec<u8>> {
    post_json(&call_tool("clerk_list_users", json!({"limit": 1})))
}

fn bearer(token: &str) -> http::HeaderValue {
    http::HeaderValue::try_from(format!("Bearer {token}")).expect("valid header")
}

fn with_bearer(mut request: Request<Vec<u8>>, token: &str) -> Request<Vec<u8>> {
    request.headers_mut().insert("authorization", bearer(token));
    request
}

#[test]
fn hosted_request_without_a_token_gets_401_with_a_bearer_challenge() {
    let clerk = FakeClerk::unused();
    let response = send(list_users(), &hosted_config(), &clerk);
    assert_eq!(response.status(), 401);
    let challenge = response.headers()["www-authenticate"]
        .to_str()
        .unwrap_or_default();
    assert!(challenge.starts_with("Bearer"), "{challenge}");
    assert_eq!(response.headers()["content-type"], "application/json");
    let body = body_json(&response);
    assert_eq!(body["id"], Value::Null);
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("Authorization: Bearer") && message.contains("MCP_AUTH_TOKENS"),
        "{message}"
    );
    assert_eq!(clerk.request_count(), 0);
}

#[test]
fn wrong_token_gets_401_invalid_token_and_is_not_echoed() {
    let clerk = FakeClerk::unused();
    let wrong = "hosted-token-0123456789abcdeX";
    let response = send(with_bearer(list_users(), wrong), &hosted_config(), &clerk);
    assert_eq!(response.status(), 401);
    let challenge = response.headers()["www-authenticate"]
        .to_str()
        .unwrap_or_default();
    assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
    let text = body_text(&response);
    assert!(!text.contains(wrong) && !text.contains(TOKEN), "{text}");
    assert_eq!(clerk.request_count(), 0);
}

#[test]
fn either_configured_token_is_accepted_so_tokens_can_be_rotated() {
    for token in [TOKEN, "old-token-9876543210fedcba"] {
        let clerk = FakeClerk::with_users(json!([]), 0);
        let response = send(with_bearer(list_users(), token), &hosted_config(), &clerk);
        assert_eq!(response.status(), 200, "{token}");
        assert_eq!(body_json(&response)["result"]["isError"], false);
        assert_eq!(
            clerk.requests.borrow()[0].headers()["authorization"],
            format!("Bearer {KEY}").as_str()
        );
    }
}

#[test]
fn hosted_server_without_tokens_refuses_mcp_naming_the_secret_to_set() {
    let clerk = FakeClerk::unused();
    let config = config(&[("CLERK_SECRET_KEY", KEY)]);
    let response = send(list_users(), &config, &clerk);
    assert_eq!(response.status(), 503);
    let message = body_json(&response)["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        message.contains("MCP_AUTH_TOKENS") && message.contains("MCP_ALLOW_UNAUTHENTICATED"),
        "{message}"
    );
    assert_eq!(clerk.request_count(), 0);
}

#[test]
fn hosted_server_opened_on_purpose_needs_no_token() {
    let clerk = FakeClerk::with_users(json!([]), 0);
    let config = config(&[
        ("CLERK_SECRET_KEY", KEY),
        ("MCP_ALLOW_UNAUTHENTICATED", "true"),
    ]);
    let response = send(list_users(), &config, &clerk);
    assert_eq!(response.status(), 200);
    assert_eq!(clerk.request_count(), 2);
}

#[test]
fn hosted_server_refuses_a_clients_own_key_rather_than_ignore_it() {
    let clerk = FakeClerk::unused();
    let mut request = with_token(list_users());
    request.headers_mut().insert(
        "x-clerk-secret-key",
        http::HeaderValue::from_static(OTHER_KEY),
    );
    let response = send(request, &hosted_config(), &clerk);
    assert_eq!(response.status(), 400);
    let text = body_text(&response);
    assert!(
        text.contains("hosted mode") && text.contains("X-Clerk-Secret-Key"),
        "{text}"
    );
    assert!(!text.contains(OTHER_KEY) && !text.contains(KEY));
    assert_eq!(clerk.request_count(), 0);
}

#[test]
fn public_server_with_tokens_takes_the_token_in_authorization_and_the_key_in_its_header() {
    let config = config(&[("MCP_AUTH_TOKENS", TOKEN)]);
    let clerk = FakeClerk::with_users(json!([]), 0);
    let mut request = with_token(list_users());
    request.headers_mut().insert(
        "x-clerk-secret-key",
        http::HeaderValue::from_static(OTHER_KEY),
    );
    let response = send(request, &config, &clerk);
    assert_eq!(response.status(), 200);
    assert_eq!(
        clerk.requests.borrow()[0].headers()["authorization"],
        format!("Bearer {OTHER_KEY}").as_str()
    );

    let without_token = send(list_users(), &config, &FakeClerk::unused());
    assert_eq!(without_token.status(), 401);
}

#[test]
fn public_server_with_tokens_does_not_read_the_token_as_a_key() {
    let config = config(&[("MCP_AUTH_TOKENS", TOKEN)]);
    let clerk = FakeClerk::unused();
    let response = send(with_token(list_users()), &config, &clerk);
    let result = body_json(&response)["result"].clone();
    assert_eq!(result["isError"], true);
    assert!(result_text(&result).contains("X-Clerk-Secret-Key"));
    assert_eq!(clerk.request_count(), 0);
}

#[test]
fn preflight_and_health_need_no_token() {
    let clerk = FakeClerk::answering(json!({"object": "total_count", "total_count": 1}));
    let preflight = Request::options("http://127.0.0.1:8787/mcp")
        .header("origin", "http://localhost:6274")
        .header("access-control-request-method", "POST")
        .body(Vec::new())
        .expect("valid request");
    assert_eq!(send(preflight, &hosted_config(), &clerk).status(), 204);
    let health = Request::get("http://127.0.0.1:8787/health")
        .body(Vec::new())
        .expect("valid request");
    assert_eq!(send(health, &hosted_config(), &clerk).status(), 200);
}
