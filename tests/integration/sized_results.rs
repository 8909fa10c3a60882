//! Answers sized for a model: the `fields` argument of list and get tools,
//! the byte budget of every result (`MCP_MAX_RESULT_BYTES`), and the
//! `resource_link`s of list results.

use serde_json::{json, Value};

use crate::support::*;

fn user_fixture() -> Value {
    serde_json::from_str(include_str!("../fixtures/clerk_user_created.json")).expect("JSON")
}

/// Calls `name` in public mode with `KEY` under the extra settings `vars`
/// and the protocol version `version`; the JSON-RPC result.
fn result_with(
    clerk: &FakeClerk,
    vars: &[(&str, &str)],
    version: &str,
    name: &str,
    arguments: Value,
) -> Value {
    let mut request = post_json(&call_tool(name, arguments));
    let headers = request.headers_mut();
    headers.insert("x-clerk-secret-key", KEY.parse().expect("header"));
    headers.insert("mcp-protocol-version", version.parse().expect("header"));
    let response = send(request, &config(vars), clerk);
    assert_eq!(response.status(), 200, "{}", body_text(&response));
    body_json(&response)["result"].clone()
}

/// The JSON of a result's text block, after checking that it says what
/// `structuredContent` says.
fn text_and_structured(result: &Value) -> Value {
    let text = fenced_json(result_text(result));
    assert_eq!(text, result["structuredContent"], "the text says the same");
    text
}

fn text_bytes(result: &Value) -> usize {
    result["content"]
        .as_array()
        .expect("content")
        .iter()
        .map(|block| match block["type"].as_str() {
            Some("text") => block["text"].as_str().map_or(0, str::len),
            _ => block.to_string().len(),
        })
        .sum()
}

#[test]
fn a_list_keeps_only_the_fields_asked_for_and_the_id() {
    let clerk = FakeClerk::with_users(many_users(3), 3);
    let result = tool_result(
        &clerk,
        "clerk_list_users",
        json!({"fields": ["firstName", "emailAddresses"]}),
    );
    assert_eq!(result["isError"], false, "{result}");
    let output = text_and_structured(&result);
    let users = output["users"].as_array().expect("users");
    assert_eq!(users.len(), 3);
    for user in users {
        let mut keys: Vec<&str> = user
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert!(
            keys.iter()
                .all(|key| ["emailAddresses", "firstName", "id"].contains(key)),
            "{user}"
        );
        assert!(user["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("user_")));
    }
    assert!(
        users.iter().any(|user| user["emailAddresses"].is_array()),
        "{output}"
    );
    assert_eq!(output["totalCount"], 3, "the page is kept whole");
}

#[test]
fn a_get_keeps_only_the_fields_asked_for() {
    let clerk = FakeClerk::answering(user_fixture());
    let result = tool_result(
        &clerk,
        "clerk_get_user",
        json!({"userId": "user_2grace", "fields": ["publicMetadata"]}),
    );
    let output = text_and_structured(&result);
    assert_eq!(
        output,
        json!({"id": "user_2grace", "publicMetadata": {"plan": "team"}})
    );
}

#[test]
fn without_fields_the_answer_is_as_before() {
    let clerk = FakeClerk::answering(user_fixture());
    let result = tool_result(&clerk, "clerk_get_user", json!({"userId": "user_2grace"}));
    let output = text_and_structured(&result);
    assert_eq!(output["firstName"], "Grace", "{output}");
    assert!(output["emailAddresses"].is_array());
    assert!(output["privateMetadata"].is_object());
}

#[test]
fn unknown_field_names_are_refused_by_name_before_clerk_is_called() {
    let text = assert_refused(
        "clerk_list_organizations",
        json!({"fields": ["name", "colour", "owner"]}),
        &["fields"],
    );
    assert!(text.contains("\"colour\", \"owner\""), "{text}");
    assert!(!text.contains("\"name\""), "{text}");
    let text = assert_refused(
        "clerk_get_user",
        json!({"userId": "user_1", "fields": "id"}),
        &["fields"],
    );
    assert!(text.contains("must be a list"), "{text}");
}

#[test]
fn the_schemas_list_the_field_names_and_require_no_field_left_out() {
    let response = send(
        post_json(&rpc("tools/list", json!({}))),
        &public_config(),
        &FakeClerk::unused(),
    );
    let tools = body_json(&response)["result"]["tools"].clone();
    let tool = |name: &str| {
        tools
            .as_array()
            .and_then(|tools| tools.iter().find(|tool| tool["name"] == name))
            .cloned()
            .expect("tool listed")
    };
    let list = tool("clerk_list_users");
    let names = list
        .pointer("/inputSchema/properties/fields/items/enum")
        .expect("enum");
    for name in ["id", "firstName", "emailAddresses", "publicMetadata"] {
        assert!(
            names
                .as_array()
                .is_some_and(|names| names.contains(&json!(name))),
            "{name}"
        );
    }
    assert_eq!(
        list.pointer("/outputSchema/properties/users/items/required"),
        Some(&json!(["id"]))
    );
    assert!(list.pointer("/outputSchema/properties/truncated").is_some());
    let get = tool("clerk_get_organization");
    assert!(get
        .pointer("/inputSchema/properties/fields/items/enum")
        .is_some());
    assert_eq!(get.pointer("/outputSchema/required"), Some(&json!(["id"])));
    // Write tools keep their full answer and take no `fields`.
    let ban = tool("clerk_ban_user");
    assert!(ban.pointer("/inputSchema/properties/fields").is_none());
}

#[test]
fn a_list_over_the_budget_is_cut_at_an_item_and_resumes_after_it() {
    let clerk = FakeClerk::with_users(many_users(100), 500);
    let result = result_with(
        &clerk,
        &[("MCP_MAX_RESULT_BYTES", "8192")],
        "2025-06-18",
        "clerk_list_users",
        json!({"limit": 100, "offset": 40}),
    );
    assert_eq!(result["isError"], false, "{result}");
    assert!(text_bytes(&result) <= 8192, "{}", text_bytes(&result));
    let output = text_and_structured(&result);
    let users = output["users"].as_array().expect("users");
    let kept = users.len();
    assert!(kept > 0 && kept < 100, "{kept}");
    assert_eq!(output["count"], kept);
    assert_eq!(output["truncated"], true);
    assert_eq!(output["hasMore"], true);
    assert_eq!(output["nextOffset"], 40 + kept as u64);
    assert_eq!(output["totalCount"], 500);
    // The items kept are the first ones of the page, whole.
    assert_eq!(users[0]["id"], "user_2copy00000");
    assert_eq!(users[kept - 1]["id"], format!("user_2copy{:05}", kept - 1));
    // The same list under the default budget is not cut.
    let whole = tool_result(&clerk, "clerk_list_users", json!({"limit": 20}));
    let whole = text_and_structured(&whole);
    assert!(whole.get("truncated").is_none(), "{whole}");
}

#[test]
fn an_object_over_the_budget_has_its_largest_metadata_values_elided() {
    let mut user = user_fixture();
    user["public_metadata"]["notes"] = json!("n".repeat(6000));
    user["unsafe_metadata"] = json!({"theme": "dark"});
    let clerk = FakeClerk::answering(user);
    let result = result_with(
        &clerk,
        &[("MCP_MAX_RESULT_BYTES", "4096")],
        "2025-06-18",
        "clerk_get_user",
        json!({"userId": "user_2grace"}),
    );
    assert_eq!(result["isError"], false, "{result}");
    assert!(text_bytes(&result) <= 4096, "{}", text_bytes(&result));
    let output = text_and_structured(&result);
    let notes = output["publicMetadata"]["notes"]
        .as_str()
        .expect("a marker");
    assert!(notes.starts_with("[elided: 6002 bytes"), "{notes}");
    assert!(notes.contains("clerk://users/user_2grace"), "{notes}");
    // The small values stay.
    assert_eq!(output["publicMetadata"]["plan"], "team");
    assert_eq!(output["unsafeMetadata"]["theme"], "dark");
    assert_eq!(output["firstName"], "Grace");
}

#[test]
fn a_list_links_each_user_to_its_resource_from_2025_06_18_on() {
    let clerk = FakeClerk::with_users(many_users(2), 2);
    for version in ["2025-06-18", "2025-11-25"] {
        let result = result_with(&clerk, &[], version, "clerk_list_users", json!({}));
        let content = result["content"].as_array().expect("content");
        assert_eq!(content.len(), 3, "{version}: {result}");
        assert_eq!(content[0]["type"], "text");
        assert_eq!(
            content[1],
            json!({"type": "resource_link", "uri": "clerk://users/user_2copy00000",
                   "name": "user_2copy00000", "mimeType": "application/json"})
        );
        assert_eq!(content[2]["uri"], "clerk://users/user_2copy00001");
    }
    let old = result_with(&clerk, &[], "2025-03-26", "clerk_list_users", json!({}));
    assert_eq!(old["content"].as_array().map(Vec::len), Some(1), "{old}");
}

#[test]
fn a_list_of_organizations_links_each_to_its_resource() {
    let page: Value =
        serde_json::from_str(include_str!("../fixtures/clerk_organizations_page.json"))
            .expect("JSON");
    let clerk = FakeClerk::answering(page);
    let result = tool_result(&clerk, "clerk_list_organizations", json!({}));
    let output = text_and_structured(&result);
    let ids: Vec<&str> = output["organizations"]
        .as_array()
        .expect("organizations")
        .iter()
        .filter_map(|organization| organization["id"].as_str())
        .collect();
    assert!(!ids.is_empty());
    let links: Vec<&str> = result["content"]
        .as_array()
        .expect("content")
        .iter()
        .filter(|block| block["type"] == "resource_link")
        .filter_map(|block| block["uri"].as_str())
        .collect();
    let expected: Vec<String> = ids
        .iter()
        .map(|id| format!("clerk://organizations/{id}"))
        .collect();
    assert_eq!(links, expected);
}

#[test]
fn a_budget_out_of_bounds_stops_the_server_with_a_clear_error() {
    let error = config_error("MCP_MAX_RESULT_BYTES", "100");
    assert!(error.contains("MCP_MAX_RESULT_BYTES"), "{error}");
    assert!(error.contains("4096"), "{error}");
}
