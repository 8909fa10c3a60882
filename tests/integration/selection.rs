//! Read-only mode, toolsets and private-metadata redaction: set for the
//! whole server, narrowed per request by the URL or headers, never widened.

use http::Request;
use serde_json::{json, Value};

use crate::support::*;

const WRITE_TOOL: &str = "clerk_update_user_metadata";

fn tool_names(
    config: &clerk_mcp_worker::config::Config,
    uri: &str,
    headers: &[(&str, &str)],
) -> Vec<String> {
    let body = rpc("tools/list", json!({})).to_string();
    let mut builder = mcp_post(&body).uri(uri);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let response = send(
        builder.body(body.into_bytes()).expect("valid request"),
        config,
        &FakeClerk::unused(),
    );
    assert_eq!(response.status(), 200, "{}", body_text(&response));
    body_json(&response)["result"]["tools"]
        .as_array()
        .map(|tools| {
            tools
                .iter()
                .filter_map(|t| t["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

const MCP: &str = "http://127.0.0.1:8787/mcp";

#[test]
fn server_wide_read_only_mode_offers_only_tools_that_read() {
    let config = config(&[("MCP_READ_ONLY", "true")]);
    let names = tool_names(&config, MCP, &[]);
    assert!(names.contains(&"clerk_list_users".to_owned()));
    assert!(!names.contains(&WRITE_TOOL.to_owned()));
    assert!(!names
        .iter()
        .any(|name| name.contains("delete") || name.contains("create")));
}

#[test]
fn server_wide_toolsets_offer_only_their_tools() {
    let config = config(&[("MCP_TOOLSETS", "invitations")]);
    assert_eq!(
        tool_names(&config, MCP, &[]),
        [
            "clerk_list_organization_invitations",
            "clerk_create_invitation",
            "clerk_bulk_invite_to_organization",
            "clerk_revoke_invitation",
            // Every selection has the preview, which reads only.
            "clerk_preview",
            "clerk_whoami"
        ]
    );
}

#[test]
fn url_parameters_narrow_the_tools_for_one_connection() {
    let names = tool_names(
        &public_config(),
        &format!("{MCP}?readonly=true&toolsets=users"),
        &[],
    );
    assert_eq!(
        names,
        [
            "clerk_list_users",
            "clerk_count_users",
            "clerk_get_user",
            "clerk_preview",
            "clerk_whoami"
        ]
    );
}

#[test]
fn headers_narrow_the_tools_for_one_connection() {
    let names = tool_names(
        &public_config(),
        MCP,
        &[
            ("x-mcp-readonly", "true"),
            ("x-mcp-toolsets", "organizations"),
        ],
    );
    assert_eq!(
        names,
        [
            "clerk_list_organizations",
            "clerk_get_organization",
            "clerk_preview",
            "clerk_whoami"
        ]
    );
}

#[test]
fn a_request_cannot_widen_what_the_server_allows() {
    let config = config(&[("MCP_READ_ONLY", "true"), ("MCP_TOOLSETS", "users")]);
    let names = tool_names(
        &config,
        &format!("{MCP}?readonly=false&toolsets=users,organizations"),
        &[],
    );
    assert_eq!(
        names,
        [
            "clerk_list_users",
            "clerk_count_users",
            "clerk_get_user",
            "clerk_preview",
            "clerk_whoami"
        ]
    );
}

#[test]
fn hidden_tool_is_an_unknown_tool_when_called() {
    let cases = [
        (config(&[("MCP_READ_ONLY", "true")]), MCP.to_owned()),
        (config(&[("MCP_TOOLSETS", "organizations")]), MCP.to_owned()),
        (public_config(), format!("{MCP}?readonly=true")),
        (public_config(), format!("{MCP}?toolsets=roles")),
    ];
    for (config, uri) in cases {
        let clerk = FakeClerk::unused();
        let body = call_tool(
            WRITE_TOOL,
            json!({"userId": "user_2ada", "publicMetadata": {"a": 1}}),
        )
        .to_string();
        let request = mcp_post(&body)
            .uri(uri.as_str())
            .header("x-clerk-secret-key", KEY)
            .body(body.into_bytes())
            .expect("valid request");
        let answer = body_json(&send(request, &config, &clerk));
        assert_eq!(answer["error"]["code"], -32602, "{uri}");
        assert!(answer["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains(WRITE_TOOL));
        assert_eq!(clerk.request_count(), 0);
    }
}

#[test]
fn unknown_toolset_or_readonly_value_in_the_url_is_a_400_that_names_it() {
    for (query, needle) in [
        ("toolsets=payments", "payments"),
        ("readonly=maybe", "readonly"),
    ] {
        let body = rpc("tools/list", json!({})).to_string();
        let request = mcp_post(&body)
            .uri(format!("{MCP}?{query}"))
            .body(body.into_bytes())
            .expect("valid request");
        let response = send(request, &public_config(), &FakeClerk::unused());
        assert_eq!(response.status(), 400, "{query}");
        assert!(body_text(&response).contains(needle), "{query}");
    }
}

#[test]
fn redaction_removes_private_metadata_from_outputs_and_output_schemas() {
    let config = config(&[("MCP_REDACT_PRIVATE_METADATA", "true")]);
    let user = serde_json::from_str::<Value>(include_str!("../fixtures/clerk_users_page.json"))
        .expect("fixture")[0]
        .clone();
    assert!(user["private_metadata"]
        .as_object()
        .is_some_and(|m| !m.is_empty()));
    let clerk = FakeClerk::answering(user);
    let mut request = post_json(&call_tool("clerk_get_user", json!({"userId": "user_2ada"})));
    request
        .headers_mut()
        .insert("x-clerk-secret-key", KEY.parse().expect("valid header"));
    let result = body_json(&send(request, &config, &clerk))["result"].clone();
    assert_eq!(result["isError"], false, "{}", result_text(&result));
    assert!(result["structuredContent"].get("privateMetadata").is_none());
    assert!(!result_text(&result).contains("privateMetadata"));
    assert!(!result_text(&result).contains("cus_123"));

    let tools = body_json(&send(
        post_json(&rpc("tools/list", json!({}))),
        &config,
        &FakeClerk::unused(),
    ));
    assert!(!tools["result"]["tools"]
        .to_string()
        .contains("\"privateMetadata\":{\"type\""));
    for tool in tools["result"]["tools"].as_array().into_iter().flatten() {
        assert!(
            !tool["outputSchema"].to_string().contains("privateMetadata"),
            "{}",
            tool["name"]
        );
    }
}

#[test]
fn health_reports_the_effective_selection_for_the_same_url() {
    let config = config(&[
        ("MCP_TOOLSETS", "users,roles,organizations"),
        ("MCP_REDACT_PRIVATE_METADATA", "true"),
    ]);
    let request =
        Request::get("http://127.0.0.1:8787/health?readonly=true&toolsets=users,organizations")
            .body(Vec::new())
            .expect("valid request");
    let body = body_json(&send(request, &config, &FakeClerk::unused()));
    assert_eq!(body["readOnly"], true);
    assert_eq!(body["toolsets"], json!(["organizations", "users"]));
    assert_eq!(body["redactPrivateMetadata"], true);
}
