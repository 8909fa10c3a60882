//! `clerk_preview`: what a write would do, read from Clerk, with its write
//! held back: the request as the tool would send it, the object before
//! and after, and what a deletion takes with it.

use serde_json::{json, Value};

use crate::support::*;

/// A Clerk that holds one user and one organization, and answers any write
/// with 500 (a preview must never send one).
fn clerk() -> FakeClerk {
    FakeClerk::new(|request| {
        if request.method() != http::Method::GET {
            let error = json!({"errors": [{"code": "unexpected", "message": "a write"}]});
            return Ok(json_answer(500, &error));
        }
        let body = match request.uri().path() {
            "/v1/users/user_2ada" => json!({"object": "user", "id": "user_2ada",
                "first_name": "Ada", "email_addresses": [], "banned": false,
                "public_metadata": {"plan": "free", "limits": {"seats": 3, "sso": false}, "old": 1},
                "private_metadata": {"crm": "x1"}}),
            "/v1/organizations/org_2acme" => json!({"object": "organization", "id": "org_2acme",
                "name": "Acme", "slug": "acme", "members_count": 7}),
            "/v1/organizations/org_2acme/invitations" => json!({"data": [], "total_count": 1}),
            "/v1/users/user_2ada/organization_memberships" => json!({"data": [], "total_count": 4}),
            "/v1/sessions" => json!({"data": [], "total_count": 2}),
            _ => {
                let error =
                    json!({"errors": [{"code": "resource_not_found", "message": "not found"}]});
                return Ok(json_answer(404, &error));
            }
        };
        Ok(json_answer(200, &body))
    })
}

fn preview(clerk: &FakeClerk, name: &str, arguments: Value) -> Value {
    tool_result(
        clerk,
        "clerk_preview",
        json!({"name": name, "arguments": arguments}),
    )
}

fn only_reads(clerk: &FakeClerk) {
    assert!(clerk
        .requests
        .borrow()
        .iter()
        .all(|request| request.method() == http::Method::GET));
}

#[test]
fn a_metadata_merge_shows_the_request_and_the_metadata_before_and_after() {
    let clerk = clerk();
    let changes = json!({"userId": "user_2ada",
        "publicMetadata": {"plan": "pro", "limits": {"seats": 10}, "old": null}});
    let result = preview(&clerk, "clerk_update_user_metadata", changes);
    assert_eq!(result["isError"], false, "{result}");
    let preview = &result["structuredContent"];
    assert_eq!(
        preview["summary"],
        "Merge into the metadata of user \"Ada\" (user_2ada): public metadata: 2 keys set and 1 removed."
    );
    assert_eq!(
        preview["requests"],
        json!([{"method": "PATCH", "path": "/v1/users/user_2ada/metadata",
            "body": {"public_metadata": {"plan": "pro", "limits": {"seats": 10}, "old": null}}}])
    );
    assert_eq!(preview["current"]["publicMetadata"]["plan"], "free");
    assert_eq!(
        preview["after"]["publicMetadata"],
        json!({"plan": "pro", "limits": {"seats": 10, "sso": false}})
    );
    assert_eq!(preview["after"]["privateMetadata"], json!({"crm": "x1"}));
    only_reads(&clerk);
}

#[test]
fn an_update_shows_the_fields_it_changes() {
    let clerk = clerk();
    let result = preview(
        &clerk,
        "clerk_update_user",
        json!({"userId": "user_2ada", "lastName": "King"}),
    );
    let preview = &result["structuredContent"];
    assert_eq!(
        preview["summary"],
        "Update user \"Ada\" (user_2ada): last name \"\" to \"King\"."
    );
    assert_eq!(preview["current"]["lastName"], Value::Null);
    assert_eq!(preview["after"]["lastName"], "King");
    assert_eq!(preview["requests"][0]["method"], "PATCH");
    only_reads(&clerk);
}

#[test]
fn a_deletion_counts_what_goes_with_it() {
    let clerk = clerk();
    let result = preview(
        &clerk,
        "clerk_delete_organization",
        json!({"organizationId": "org_2acme"}),
    );
    let preview = &result["structuredContent"];
    assert_eq!(
        preview["summary"],
        "Delete organization \"Acme\" (org_2acme, slug \"acme\"): its 7 memberships and 1 pending \
         invitation go with it. This cannot be undone."
    );
    assert_eq!(
        preview["affected"],
        json!({"memberships": 7, "pendingInvitations": 1})
    );
    assert_eq!(
        preview["requests"],
        json!([{"method": "DELETE", "path": "/v1/organizations/org_2acme"}])
    );
    assert_eq!(preview["current"]["name"], "Acme");
    assert!(preview.get("after").is_none());
    let result = preview_user_deletion(&clerk);
    assert_eq!(
        result["affected"],
        json!({"organizationMemberships": 4, "activeSessions": 2})
    );
    only_reads(&clerk);
}

fn preview_user_deletion(clerk: &FakeClerk) -> Value {
    preview(clerk, "clerk_delete_user", json!({"userId": "user_2ada"}))["structuredContent"].clone()
}

#[test]
fn a_password_never_appears_in_a_preview() {
    let clerk = clerk();
    let result = preview(
        &clerk,
        "clerk_create_user",
        json!({"emailAddress": ["ada@example.com"],
        "password": "correct horse battery staple"}),
    );
    let preview = &result["structuredContent"];
    assert_eq!(
        preview["summary"],
        "Create a user with email address <ada@example.com>, a password."
    );
    assert_eq!(preview["requests"][0]["body"]["password"], "(hidden)");
    assert!(!result.to_string().contains("battery"));
    assert_eq!(clerk.request_count(), 0);
}

#[test]
fn a_preview_refuses_reads_unknown_tools_and_bad_arguments_before_clerk() {
    let clerk = clerk();
    let read = preview(&clerk, "clerk_get_user", json!({"userId": "user_2ada"}));
    assert!(result_text(&read).contains("only reads"), "{read}");
    let unknown = preview(&clerk, "clerk_drop_everything", json!({}));
    assert!(result_text(&unknown).contains("no tool"), "{unknown}");
    let bad = preview(&clerk, "clerk_delete_user", json!({"userId": "../x"}));
    assert!(result_text(&bad).contains("userId"), "{bad}");
    assert_eq!(clerk.request_count(), 0);
}

#[test]
fn a_preview_of_a_missing_object_says_so() {
    let clerk = clerk();
    let result = preview(&clerk, "clerk_ban_user", json!({"userId": "user_2nobody"}));
    assert_eq!(result["isError"], true);
    assert!(
        result_text(&result).contains("no user with ID user_2nobody"),
        "{result}"
    );
    only_reads(&clerk);
}
