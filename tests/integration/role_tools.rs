//! `clerk_list_roles`: the exact requests it sends to Clerk, the result it
//! returns for a recorded Clerk answer, and the arguments it refuses before
//! sending anything.

use serde_json::{json, Value};

use crate::support::*;

fn roles_page() -> Value {
    serde_json::from_str(include_str!("../fixtures/clerk_roles_page.json"))
        .expect("fixture is JSON")
}

#[test]
fn list_roles_sends_the_defaults_as_a_get_without_body() {
    let clerk = FakeClerk::answering(roles_page());
    tool_result(&clerk, "clerk_list_roles", json!({}));
    assert_eq!(
        only_request(&clerk),
        Sent::without_body("GET", "/v1/organization_roles?limit=20&offset=0")
    );
}

#[test]
fn list_roles_sends_the_page_and_a_form_encoded_query() {
    for (arguments, url) in [
        (
            json!({"query": "billing manager", "limit": 100, "offset": 40}),
            "/v1/organization_roles?limit=100&offset=40&query=billing+manager",
        ),
        (
            json!({"query": "org:billing_manager", "limit": 1}),
            "/v1/organization_roles?limit=1&offset=0&query=org%3Abilling_manager",
        ),
        (
            json!({"query": "a&b=c+d"}),
            "/v1/organization_roles?limit=20&offset=0&query=a%26b%3Dc%2Bd",
        ),
    ] {
        let clerk = FakeClerk::answering(json!({"data": [], "total_count": 0}));
        let result = tool_result(&clerk, "clerk_list_roles", arguments.clone());
        assert_eq!(result["isError"], false, "{arguments}");
        assert_eq!(clerk.urls(), [url], "{arguments}");
    }
}

#[test]
fn list_roles_leaves_out_a_blank_query() {
    for query in ["", "   "] {
        let clerk = FakeClerk::answering(json!({"data": [], "total_count": 0}));
        tool_result(&clerk, "clerk_list_roles", json!({"query": query}));
        assert_eq!(clerk.urls(), ["/v1/organization_roles?limit=20&offset=0"]);
    }
}

#[test]
fn list_roles_returns_each_role_with_its_permission_keys() {
    let clerk = FakeClerk::answering(roles_page());
    let result = tool_result(&clerk, "clerk_list_roles", json!({}));
    assert_eq!(result["isError"], false);
    assert_eq!(
        result["structuredContent"],
        json!({
            "roles": [
                {
                    "id": "role_2jQBillingMgr8sK3vN",
                    "key": "org:billing_manager",
                    "name": "Billing manager",
                    "description": "Sees invoices and changes the plan; cannot manage members.",
                    "permissions": [
                        "org:billing:manage",
                        "org:billing:read",
                        "org:sys_memberships:read"
                    ],
                    "isCreatorEligible": false,
                    "createdAt": "2024-05-01T09:30:00.000Z",
                    "updatedAt": "2024-05-29T16:26:40.123Z"
                },
                {
                    "id": "role_2a1Member5hJ7wE",
                    "key": "org:member",
                    "name": "Member",
                    "permissions": ["org:sys_memberships:read"],
                    "isCreatorEligible": false,
                    "createdAt": "2024-01-01T00:00:00.000Z",
                    "updatedAt": "2024-01-01T00:00:00.000Z"
                },
                {
                    "id": "role_2a1Admin0gF4qT",
                    "key": "org:admin",
                    "name": "Admin",
                    "description": "Full access to the organization: its profile, domains and members.",
                    "permissions": [
                        "org:sys_domains:manage",
                        "org:sys_domains:read",
                        "org:sys_memberships:manage",
                        "org:sys_memberships:read",
                        "org:sys_profile:delete",
                        "org:sys_profile:manage"
                    ],
                    "isCreatorEligible": true,
                    "createdAt": "2024-01-01T00:00:00.000Z",
                    "updatedAt": "2024-01-01T00:00:00.000Z"
                }
            ],
            "totalCount": 3,
            "count": 3,
            "offset": 0,
            "hasMore": false
        })
    );
    let text: Value = fenced_json(result_text(&result));
    assert_eq!(text, result["structuredContent"]);
}

#[test]
fn list_roles_points_at_the_next_page_when_there_is_one() {
    let mut page = roles_page();
    page["total_count"] = json!(8);
    let clerk = FakeClerk::answering(page);
    let result = tool_result(&clerk, "clerk_list_roles", json!({"limit": 3, "offset": 3}));
    let output = &result["structuredContent"];
    assert_eq!(output["totalCount"], 8);
    assert_eq!(output["count"], 3);
    assert_eq!(output["hasMore"], true);
    assert_eq!(output["nextOffset"], 6);
}

#[test]
fn role_with_nulls_and_without_permissions_keeps_an_empty_permission_list() {
    let clerk = FakeClerk::answering(json!({
        "data": [{
            "object": "role",
            "id": "role_2sparse",
            "key": "org:viewer",
            "name": "Viewer",
            "description": "",
            "is_creator_eligible": null,
            "permissions": null,
            "created_at": 0,
            "updated_at": null,
            "a_field_from_the_future": {"x": 1}
        }],
        "total_count": 1
    }));
    let result = tool_result(&clerk, "clerk_list_roles", json!({}));
    assert_eq!(
        result["structuredContent"]["roles"],
        json!([{
            "id": "role_2sparse",
            "key": "org:viewer",
            "name": "Viewer",
            "permissions": [],
            "createdAt": "1970-01-01T00:00:00.000Z"
        }])
    );
}

#[test]
fn invalid_list_roles_arguments_name_the_argument_and_send_nothing() {
    for (arguments, argument) in [
        (json!({"limit": 0}), "limit"),
        (json!({"limit": 101}), "limit"),
        (json!({"limit": "20"}), "limit"),
        (json!({"offset": -1}), "offset"),
        (json!({"offset": "next"}), "offset"),
        (json!({"query": "q".repeat(257)}), "query"),
        (json!({"query": "q".repeat(10_000)}), "query"),
        (json!({"query": ["admin"]}), "query"),
        (json!({"orderBy": "name"}), "orderBy"),
        (json!({"organizationId": "org_2abc"}), "organizationId"),
    ] {
        assert_refused("clerk_list_roles", arguments, &[argument]);
    }
}

#[test]
fn list_roles_accepts_a_query_of_exactly_256_characters() {
    let clerk = FakeClerk::answering(json!({"data": [], "total_count": 0}));
    let result = tool_result(
        &clerk,
        "clerk_list_roles",
        json!({"query": "é".repeat(256)}),
    );
    assert_eq!(result["isError"], false);
    assert_eq!(clerk.request_count(), 1);
}

#[test]
fn list_roles_reports_a_failed_call_with_clerks_code() {
    let clerk = FakeClerk::failing(
        403,
        "feature_not_enabled",
        "Organizations are not enabled for this instance.",
        None,
    );
    let result = tool_result(&clerk, "clerk_list_roles", json!({}));
    assert_eq!(result["isError"], true);
    let text = result_text(&result);
    for needle in [
        "403",
        "feature_not_enabled",
        "Organizations are not enabled",
    ] {
        assert!(text.contains(needle), "{needle} missing from {text}");
    }
}

#[test]
fn list_roles_description_sends_the_model_here_before_it_assigns_a_role() {
    let body = rpc("tools/list", json!({})).to_string();
    let request = mcp_post(&body)
        .body(body.into_bytes())
        .expect("valid request");
    let answer = body_json(&send(request, &public_config(), &FakeClerk::unused()));
    let tools = answer["result"]["tools"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let description = tools
        .iter()
        .find(|tool| tool["name"] == "clerk_list_roles")
        .and_then(|tool| tool["description"].as_str())
        .unwrap_or_default()
        .to_owned();
    for needle in [
        "valid role keys",
        "clerk_add_member",
        "clerk_update_member_role",
        "clerk_create_invitation",
    ] {
        assert!(description.contains(needle), "{needle}: {description}");
    }
}
