//! Prompts (MCP 2025-06-18, Server Features: Prompts): listed with their
//! arguments, rendered with the person's values, and offered only where
//! every tool they need is.

use serde_json::{json, Value};

use crate::support::*;

fn answer(config: &clerk_mcp_worker::config::Config, body: &Value) -> Value {
    let response = send(post_json(body), config, &FakeClerk::unused());
    assert_eq!(response.status(), 200, "{}", body_text(&response));
    body_json(&response)
}

fn prompt_names(config: &clerk_mcp_worker::config::Config) -> Vec<String> {
    answer(config, &rpc("prompts/list", json!({})))["result"]["prompts"]
        .as_array()
        .map(|prompts| {
            prompts
                .iter()
                .filter_map(|p| p["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn initialize_announces_the_prompts_capability() {
    let result = answer(
        &public_config(),
        &rpc("initialize", json!({"protocolVersion": "2025-06-18"})),
    );
    assert_eq!(
        result["result"]["capabilities"]["prompts"],
        json!({"listChanged": false})
    );
}

#[test]
fn the_audit_prompt_is_listed_with_its_arguments() {
    let prompts =
        answer(&public_config(), &rpc("prompts/list", json!({})))["result"]["prompts"].clone();
    let audit = prompts
        .as_array()
        .and_then(|prompts| {
            prompts
                .iter()
                .find(|p| p["name"] == "audit_organization_admins")
        })
        .cloned()
        .expect("audit prompt listed");
    assert!(audit["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(audit["description"].as_str().is_some_and(|d| !d.is_empty()));
    assert_eq!(audit["arguments"][0]["name"], "organization");
    assert_eq!(audit["arguments"][0]["required"], true);
    assert_eq!(audit["arguments"][1]["required"], false);
}

#[test]
fn getting_a_prompt_renders_the_persons_values_into_one_user_message() {
    let result = answer(
        &public_config(),
        &rpc(
            "prompts/get",
            json!({"name": "audit_organization_admins", "arguments": {"organization": "acme-inc", "role": "org:owner"}}),
        ),
    )["result"]
        .clone();
    assert_eq!(result["messages"].as_array().map(Vec::len), Some(1));
    assert_eq!(result["messages"][0]["role"], "user");
    let text = result["messages"][0]["content"]["text"]
        .as_str()
        .unwrap_or_default();
    assert!(
        text.contains("\"acme-inc\"") && text.contains("org:owner"),
        "{text}"
    );
    assert!(text.contains("clerk_list_organization_members") && text.contains("nextOffset"));
}

#[test]
fn an_optional_argument_left_out_takes_its_default() {
    let result = answer(
        &public_config(),
        &rpc(
            "prompts/get",
            json!({"name": "audit_organization_admins", "arguments": {"organization": "org_2abc"}}),
        ),
    );
    let text = result["result"]["messages"][0]["content"]["text"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(text.contains("org:admin"), "{text}");
}

#[test]
fn missing_argument_unknown_prompt_and_bad_values_are_invalid_params() {
    let cases = [
        json!({"name": "audit_organization_admins", "arguments": {}}),
        json!({"name": "audit_organization_admins", "arguments": {"organization": "  "}}),
        json!({"name": "audit_organization_admins", "arguments": {"organization": 7}}),
        json!({"name": "audit_organization_admins", "arguments": {"organization": "x".repeat(10_001)}}),
        json!({"name": "no_such_prompt"}),
        json!({"arguments": {}}),
    ];
    for params in cases {
        let answer = answer(&public_config(), &rpc("prompts/get", params.clone()));
        assert_eq!(answer["error"]["code"], -32602, "{params}");
        assert!(
            answer["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .len()
                < 200
        );
    }
}

#[test]
fn prompts_list_with_a_cursor_is_invalid_params() {
    let answer = answer(
        &public_config(),
        &rpc("prompts/list", json!({"cursor": "2"})),
    );
    assert_eq!(answer["error"]["code"], -32602);
}

#[test]
fn a_prompt_whose_tools_are_hidden_is_not_offered() {
    let config = config(&[("MCP_TOOLSETS", "users")]);
    assert!(!prompt_names(&config).contains(&"audit_organization_admins".to_owned()));
    let answer = answer(
        &config,
        &rpc(
            "prompts/get",
            json!({"name": "audit_organization_admins", "arguments": {"organization": "acme"}}),
        ),
    );
    assert_eq!(answer["error"]["code"], -32602);
}

#[test]
fn the_audit_checks_the_block_list_and_needs_it() {
    let text = answer(
        &public_config(),
        &rpc(
            "prompts/get",
            json!({"name": "audit_organization_admins", "arguments": {"organization": "acme"}}),
        ),
    )["result"]["messages"][0]["content"]["text"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(text.contains("clerk_list_blocklist"), "{text}");
    assert!(text.contains("banned, locked or blocked"), "{text}");
    let without_access = config(&[(
        "MCP_TOOLSETS",
        "organizations,members,invitations,users,sessions,roles",
    )]);
    assert!(!prompt_names(&without_access).contains(&"audit_organization_admins".to_owned()));
}

#[test]
fn the_waitlist_review_proposes_first_and_acts_only_on_what_is_agreed() {
    assert!(prompt_names(&public_config()).contains(&"review_waitlist".to_owned()));
    let result = answer(
        &public_config(),
        &rpc(
            "prompts/get",
            json!({"name": "review_waitlist", "arguments": {"criteria": "example.com addresses"}}),
        ),
    )["result"]
        .clone();
    let text = result["messages"][0]["content"]["text"]
        .as_str()
        .unwrap_or_default();
    for needle in [
        "example.com addresses",
        "clerk_list_waitlist (status pending)",
        "nextOffset",
        "Wait for my answer",
        "clerk_invite_waitlist_entry",
        "clerk_reject_waitlist_entry",
        "Change nothing until I agree",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
    let default = answer(
        &public_config(),
        &rpc("prompts/get", json!({"name": "review_waitlist"})),
    );
    assert!(default["result"]["messages"][0]["content"]["text"]
        .as_str()
        .is_some_and(|t| t.contains("criteria: none given")));
    // Read-only: the review would write, so it is not offered.
    let read_only = config(&[("MCP_READ_ONLY", "true")]);
    assert!(!prompt_names(&read_only).contains(&"review_waitlist".to_owned()));
}
