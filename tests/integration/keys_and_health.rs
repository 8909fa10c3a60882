//! Where a request's Clerk key comes from in each mode, how a bad one is
//! reported, and what `/health` says.

use http::Request;
use serde_json::{json, Value};

use crate::support::*;

fn get_user_with(
    headers: &[(&str, &str)],
    config: &clerk_mcp_worker::config::Config,
    clerk: &FakeClerk,
) -> Value {
    let mut request = post_json(&call_tool("clerk_get_user", json!({"userId": "user_2ada"})));
    for (name, value) in headers {
        request.headers_mut().insert(
            http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
    }
    let response = send(request, config, clerk);
    assert_eq!(response.status(), 200);
    body_json(&response)["result"].clone()
}

fn sent_key(clerk: &FakeClerk) -> String {
    clerk.requests.borrow()[0].headers()["authorization"]
        .to_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn public_mode_uses_the_x_clerk_secret_key_header() {
    let clerk = FakeClerk::answering(json!({"id": "user_2ada"}));
    let result = get_user_with(&[("x-clerk-secret-key", KEY)], &public_config(), &clerk);
    assert_eq!(result["isError"], false);
    assert_eq!(sent_key(&clerk), format!("Bearer {KEY}"));
}

#[test]
fn public_mode_accepts_the_key_as_a_bearer_token() {
    let clerk = FakeClerk::answering(json!({"id": "user_2ada"}));
    let bearer = format!("Bearer {OTHER_KEY}");
    let result = get_user_with(&[("authorization", &bearer)], &public_config(), &clerk);
    assert_eq!(result["isError"], false);
    assert_eq!(sent_key(&clerk), bearer);
}

#[test]
fn x_clerk_secret_key_wins_over_a_bearer_token() {
    let clerk = FakeClerk::answering(json!({"id": "user_2ada"}));
    let bearer = format!("Bearer {OTHER_KEY}");
    get_user_with(
        &[("x-clerk-secret-key", KEY), ("authorization", &bearer)],
        &public_config(),
        &clerk,
    );
    assert_eq!(sent_key(&clerk), format!("Bearer {KEY}"));
}

#[test]
fn malformed_key_is_a_clear_error_that_does_not_echo_it() {
    for (header, value) in [
        ("x-clerk-secret-key", "pk_test_NotASecretKeyAtAll123"),
        ("x-clerk-secret-key", "sk_test_has spaces in it 123"),
        ("authorization", "Bearer sk_prod_Whatever123456789"),
    ] {
        let clerk = FakeClerk::unused();
        let result = get_user_with(&[(header, value)], &public_config(), &clerk);
        assert_eq!(result["isError"], true, "{value}");
        let text = result_text(&result);
        assert!(
            text.contains("malformed") && text.contains("sk_test_"),
            "{text}"
        );
        let secret_part = value
            .trim_start_matches("Bearer ")
            .split('_')
            .next_back()
            .unwrap_or_default();
        assert!(!text.contains(secret_part), "echoed the key: {text}");
        assert_eq!(clerk.request_count(), 0);
    }
}

#[test]
fn hosted_mode_uses_the_server_key_without_any_key_header() {
    let clerk = FakeClerk::answering(json!({"id": "user_2ada"}));
    let bearer = format!("Bearer {TOKEN}");
    let result = get_user_with(&[("authorization", &bearer)], &hosted_config(), &clerk);
    assert_eq!(result["isError"], false);
    assert_eq!(sent_key(&clerk), format!("Bearer {KEY}"));
}

#[test]
fn malformed_server_key_makes_every_answer_name_the_setting_not_the_value() {
    let error = clerk_mcp_worker::config::Config::from_lookup(|name| {
        (name == "CLERK_SECRET_KEY").then(|| "sk_test_bad value with spaces".to_owned())
    })
    .unwrap_err();
    let response = clerk_mcp_worker::transport::misconfigured(&error);
    assert_eq!(response.status(), 500);
    let text = body_text(&response);
    assert!(text.contains("CLERK_SECRET_KEY"));
    assert!(!text.contains("bad value"));
}

fn health(
    path: &str,
    config: &clerk_mcp_worker::config::Config,
    clerk: &FakeClerk,
    key: Option<&str>,
) -> (u16, Value) {
    let mut builder = Request::get(format!("http://127.0.0.1:8787{path}"));
    if let Some(key) = key {
        builder = builder.header("x-clerk-secret-key", key);
    }
    let response = send(builder.body(Vec::new()).unwrap(), config, clerk);
    (response.status().as_u16(), body_json(&response))
}

#[test]
fn health_in_public_mode_without_a_key_does_not_call_clerk() {
    let clerk = FakeClerk::unused();
    let (status, body) = health("/health", &public_config(), &clerk, None);
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({
            "status": "ok",
            "mode": "public",
            "authentication": "none",
            "readOnly": false,
            "toolsets": DEFAULT_TOOLSETS,
            "defaultToolsets": DEFAULT_TOOLSETS,
            "availableToolsets": ALL_TOOLSETS,
            "redactPrivateMetadata": false,
            "clerkConnected": null,
            "version": env!("CARGO_PKG_VERSION"),
            "confirm": "destructive",
            "liveWrites": false
        })
    );
    assert_eq!(clerk.request_count(), 0);
}

#[test]
fn health_in_public_mode_checks_the_key_a_request_carries() {
    let good = FakeClerk::answering(json!({"object": "total_count", "total_count": 3}));
    let (status, body) = health("/health", &public_config(), &good, Some(KEY));
    assert_eq!((status, &body["clerkConnected"]), (200, &json!(true)));
    assert_eq!(good.urls(), ["/v1/users/count"]);
    assert_eq!(sent_key(&good), format!("Bearer {KEY}"));

    let rejecting = FakeClerk::new(|_| {
        Ok(json_answer(
            401,
            &json!({"errors": [{"message": "invalid", "long_message": "Secret key invalid", "code": "authentication_invalid"}]}),
        ))
    });
    let (status, body) = health("/health", &public_config(), &rejecting, Some(KEY));
    assert_eq!((status, &body["clerkConnected"]), (200, &json!(false)));
    assert!(body["reason"]
        .as_str()
        .unwrap_or_default()
        .contains("authentication_invalid"));
}

#[test]
fn health_in_hosted_mode_reports_a_working_key() {
    let clerk = FakeClerk::answering(json!({"object": "total_count", "total_count": 3}));
    for path in ["/health", "/api/health"] {
        let (status, body) = health(path, &hosted_config(), &clerk, None);
        assert_eq!(status, 200, "{path}");
        assert_eq!(
            body,
            json!({
                "status": "ok",
                "mode": "hosted",
                "authentication": "bearer-token",
                "readOnly": false,
                "toolsets": DEFAULT_TOOLSETS,
            "defaultToolsets": DEFAULT_TOOLSETS,
            "availableToolsets": ALL_TOOLSETS,
                "redactPrivateMetadata": false,
                "clerkConnected": true,
                "version": env!("CARGO_PKG_VERSION"),
                "confirm": "destructive",
            "liveWrites": false,
                "writeToolsWithheld": false
            })
        );
    }
}

#[test]
fn health_in_hosted_mode_is_503_degraded_when_clerk_refuses_with_no_secret_in_the_reason() {
    let clerk = FakeClerk::new(|_| {
        Ok(json_answer(
            401,
            &json!({"errors": [{"message": "invalid", "long_message": format!("bad key {KEY}"), "code": "authentication_invalid"}]}),
        ))
    });
    let (status, body) = health("/health", &hosted_config(), &clerk, None);
    assert_eq!(status, 503);
    assert_eq!(body["status"], "degraded");
    assert_eq!(body["clerkConnected"], false);
    let reason = body["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("401"), "{reason}");
    assert!(!body.to_string().contains(KEY), "the key leaked: {body}");
}

#[test]
fn health_answers_other_methods_with_405_allow_get() {
    let clerk = FakeClerk::unused();
    let request = Request::post("http://127.0.0.1:8787/health")
        .body(Vec::new())
        .unwrap();
    let response = send(request, &public_config(), &clerk);
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "GET");
}

#[test]
fn hosted_health_without_tokens_is_degraded_and_names_the_secret_to_set() {
    let clerk = FakeClerk::answering(json!({"object": "total_count", "total_count": 3}));
    let config = config(&[("CLERK_SECRET_KEY", KEY)]);
    let (status, body) = health("/health", &config, &clerk, None);
    assert_eq!(status, 503);
    assert_eq!(body["status"], "degraded");
    assert_eq!(body["authentication"], "not-configured");
    assert_eq!(body["clerkConnected"], true);
    assert!(body["reason"]
        .as_str()
        .unwrap_or_default()
        .contains("MCP_AUTH_TOKENS"));
}

#[test]
fn hosted_health_opened_on_purpose_says_anyone_may_call() {
    let clerk = FakeClerk::answering(json!({"object": "total_count", "total_count": 3}));
    let config = config(&[
        ("CLERK_SECRET_KEY", KEY),
        ("MCP_ALLOW_UNAUTHENTICATED", "true"),
    ]);
    let (status, body) = health("/health", &config, &clerk, None);
    assert_eq!(status, 200);
    assert_eq!(body["authentication"], "none");
}

#[test]
fn health_tests_a_request_key_only_for_those_who_may_use_the_server() {
    let config = config(&[("MCP_AUTH_TOKENS", TOKEN)]);
    let clerk = FakeClerk::unused();
    let (status, body) = health("/health", &config, &clerk, Some(KEY));
    assert_eq!(status, 200);
    assert_eq!(body["clerkConnected"], serde_json::Value::Null);
    assert_eq!(clerk.request_count(), 0);
}

#[test]
fn health_check_is_tried_once_even_when_clerk_is_unavailable() {
    let clerk = FakeClerk::failing(503, "unavailable", "Service unavailable", None);
    let (status, body) = health("/health", &hosted_config(), &clerk, None);
    assert_eq!(status, 503);
    assert_eq!(body["clerkConnected"], false);
    assert_eq!(clerk.request_count(), 1);
}
