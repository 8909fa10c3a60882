//! `clerk_list_organization_invitations`, `clerk_create_invitation` and
//! `clerk_revoke_invitation`: the exact requests they send to Clerk, the
//! results they return for recorded Clerk answers, and the arguments they
//! refuse before sending anything.

use serde_json::{json, Value};

use crate::support::*;

const ORG: &str = "org_2kT9aBcDeFgHiJkLmNoPqRsTuVw";
const ADA: &str = "user_2adaLovelace0Xy7Qm3Rk9Tn";

fn invitations_page() -> Value {
    serde_json::from_str(include_str!("../fixtures/clerk_invitations_page.json"))
        .expect("fixture is JSON")
}

fn invitation() -> Value {
    serde_json::from_str(include_str!("../fixtures/clerk_invitation.json"))
        .expect("fixture is JSON")
}

/// `base` with `key` set to `value`.
fn with(base: &Value, key: &str, value: Value) -> Value {
    let mut arguments = base.clone();
    arguments[key] = value;
    arguments
}

/// `base` without `key`.
fn without(base: &Value, key: &str) -> Value {
    let mut arguments = base.clone();
    if let Some(object) = arguments.as_object_mut() {
        object.remove(key);
    }
    arguments
}

/// Organization IDs that must never reach a path: traversal, encoded
/// slashes, query and fragment markers, nothing at all, and far too much.
fn bad_organization_ids() -> Vec<String> {
    vec![
        "../x".to_owned(),
        "org_1/..".to_owned(),
        "org_1/../../users".to_owned(),
        "org_1%2F..".to_owned(),
        "org_1?status=accepted".to_owned(),
        "org_1#x".to_owned(),
        "org_1 2".to_owned(),
        "user_2adaLovelace".to_owned(),
        "org_".to_owned(),
        String::new(),
        format!("org_{}", "a".repeat(10_000)),
    ]
}

#[test]
fn list_invitations_sends_the_defaults_as_a_get_without_body() {
    let clerk = FakeClerk::answering(invitations_page());
    tool_result(
        &clerk,
        "clerk_list_organization_invitations",
        json!({"organizationId": ORG}),
    );
    let Sent {
        method,
        url,
        content_type,
        body,
    } = only_request(&clerk);
    assert_eq!(method, "GET");
    assert_eq!(
        url,
        format!("/v1/organizations/{ORG}/invitations?limit=20&offset=0")
    );
    assert_eq!(content_type, None);
    assert_eq!(body, None);
}

#[test]
fn list_invitations_sends_each_status_filter_with_the_page() {
    for status in ["pending", "accepted", "revoked", "expired"] {
        let clerk = FakeClerk::answering(invitations_page());
        let result = tool_result(
            &clerk,
            "clerk_list_organization_invitations",
            json!({"organizationId": ORG, "status": status, "limit": 100, "offset": 200}),
        );
        assert_eq!(result["isError"], false, "{status}");
        assert_eq!(
            clerk.urls(),
            [format!(
                "/v1/organizations/{ORG}/invitations?limit=100&offset=200&status={status}"
            )]
        );
    }
}

#[test]
fn list_invitations_returns_invitations_with_iso_times_and_page_info() {
    let mut page = invitations_page();
    page["total_count"] = json!(7);
    let clerk = FakeClerk::answering(page);
    let result = tool_result(
        &clerk,
        "clerk_list_organization_invitations",
        json!({"organizationId": ORG, "limit": 2}),
    );
    assert_eq!(result["isError"], false);
    let output = &result["structuredContent"];
    assert_eq!(output["totalCount"], 7);
    assert_eq!(output["count"], 2);
    assert_eq!(output["offset"], 0);
    assert_eq!(output["hasMore"], true);
    assert_eq!(output["nextOffset"], 2);
    assert_eq!(
        output["invitations"],
        json!([
            {
                "id": "orginv_2kTe8NbV3cX6zL1kJ9hG4fD7sA",
                "organizationId": ORG,
                "emailAddress": "linus@example.com",
                "role": "org:member",
                "roleName": "Member",
                "status": "pending",
                "inviterUserId": ADA,
                "url": "https://accounts.acme.example/sign-up?__clerk_ticket=eyJhbGciOiJSUzI1NiJ9.invite.sig",
                "expiresAt": "2024-07-01T00:00:00.000Z",
                "publicMetadata": {"team": "platform"},
                "privateMetadata": {"referral": "conference-2024"},
                "createdAt": "2024-06-01T00:00:00.000Z",
                "updatedAt": "2024-06-01T00:00:00.000Z"
            },
            {
                "id": "orginv_2kTf2MwQ7eR4tY9uI1oP5aS8dF",
                "organizationId": ORG,
                "emailAddress": "grace@example.com",
                "role": "org:billing_manager",
                "roleName": "Billing manager",
                "status": "accepted",
                "publicMetadata": {},
                "privateMetadata": {},
                "createdAt": "2024-05-01T21:46:40.000Z",
                "updatedAt": "2024-05-02T09:30:00.000Z"
            }
        ])
    );
}

#[test]
fn last_page_of_invitations_has_no_next_offset() {
    let clerk = FakeClerk::answering(invitations_page());
    let result = tool_result(
        &clerk,
        "clerk_list_organization_invitations",
        json!({"organizationId": ORG}),
    );
    let output = &result["structuredContent"];
    assert_eq!(output["totalCount"], 2);
    assert_eq!(output["hasMore"], false);
    assert!(output.get("nextOffset").is_none(), "{output}");
}

#[test]
fn invalid_list_invitations_arguments_name_the_argument_and_send_nothing() {
    let base = json!({"organizationId": ORG});
    let mut cases: Vec<(Value, &str)> = bad_organization_ids()
        .into_iter()
        .map(|id| (with(&base, "organizationId", json!(id)), "organizationId"))
        .collect();
    cases.extend([
        (json!({}), "organizationId"),
        (with(&base, "limit", json!(0)), "limit"),
        (with(&base, "limit", json!(101)), "limit"),
        (with(&base, "offset", json!(-20)), "offset"),
        (with(&base, "status", json!("open")), "status"),
        (with(&base, "status", json!("Pending")), "status"),
        (with(&base, "status", json!("")), "status"),
        (with(&base, "status", json!(["pending"])), "status"),
        (with(&base, "orderBy", json!("-created_at")), "orderBy"),
    ]);
    for (arguments, argument) in cases {
        assert_refused(
            "clerk_list_organization_invitations",
            arguments,
            &[argument],
        );
    }
}

#[test]
fn list_invitations_of_an_unknown_organization_names_it() {
    let clerk = FakeClerk::failing(404, "resource_not_found", "Resource not found", None);
    let text = not_found_text(
        &clerk,
        "clerk_list_organization_invitations",
        json!({"organizationId": "org_missing1"}),
    );
    assert!(
        text.contains("no organization with ID org_missing1"),
        "{text}"
    );
}

#[test]
fn create_invitation_posts_only_the_required_fields_as_json() {
    let clerk = FakeClerk::answering(invitation());
    let result = tool_result(
        &clerk,
        "clerk_create_invitation",
        json!({"organizationId": ORG, "emailAddress": "margaret@example.com", "role": "org:admin"}),
    );
    let Sent {
        method,
        url,
        content_type,
        body,
    } = only_request(&clerk);
    assert_eq!(method, "POST");
    assert_eq!(url, format!("/v1/organizations/{ORG}/invitations"));
    assert_eq!(content_type.as_deref(), Some("application/json"));
    assert_eq!(
        body,
        Some(json!({"email_address": "margaret@example.com", "role": "org:admin"}))
    );
    assert_eq!(result["isError"], false);
}

#[test]
fn create_invitation_posts_every_given_field_in_snake_case() {
    let public = json!({"team": "apollo", "onboarding": {"buddy": ADA, "track": null}, "tags": []});
    let clerk = FakeClerk::answering(invitation());
    tool_result(
        &clerk,
        "clerk_create_invitation",
        json!({
            "organizationId": ORG,
            "emailAddress": "margaret+work@example.com",
            "role": "org:billing_manager",
            "inviterUserId": ADA,
            "redirectUrl": "https://app.acme.example/welcome?from=invite#team",
            "publicMetadata": public.clone(),
            "expiresInDays": 365
        }),
    );
    let body = only_request(&clerk).body;
    assert_eq!(
        body,
        Some(json!({
            "email_address": "margaret+work@example.com",
            "role": "org:billing_manager",
            "inviter_user_id": ADA,
            "redirect_url": "https://app.acme.example/welcome?from=invite#team",
            "public_metadata": public,
            "expires_in_days": 365
        }))
    );
}

#[test]
fn create_invitation_sends_the_smallest_expiry_and_a_plain_http_redirect() {
    let clerk = FakeClerk::answering(invitation());
    tool_result(
        &clerk,
        "clerk_create_invitation",
        json!({
            "organizationId": ORG,
            "emailAddress": "margaret@example.com",
            "role": "org:member",
            "redirectUrl": "http://localhost:3000/accept",
            "expiresInDays": 1
        }),
    );
    let body = only_request(&clerk).body;
    assert_eq!(
        body,
        Some(json!({
            "email_address": "margaret@example.com",
            "role": "org:member",
            "redirect_url": "http://localhost:3000/accept",
            "expires_in_days": 1
        }))
    );
}

#[test]
fn create_invitation_returns_the_created_invitation() {
    let clerk = FakeClerk::answering(invitation());
    let result = tool_result(
        &clerk,
        "clerk_create_invitation",
        json!({"organizationId": ORG, "emailAddress": "margaret@example.com", "role": "org:admin"}),
    );
    assert_eq!(
        result["structuredContent"],
        json!({
            "id": "orginv_2kTg5JhK8lZ3xC6vB0nM4qW1eR",
            "organizationId": ORG,
            "emailAddress": "margaret@example.com",
            "role": "org:admin",
            "roleName": "Admin",
            "status": "pending",
            "inviterUserId": ADA,
            "url": "https://accounts.acme.example/sign-up?__clerk_ticket=eyJhbGciOiJSUzI1NiJ9.created.sig",
            "expiresAt": "2024-06-15T00:00:00.000Z",
            "publicMetadata": {"team": "apollo", "onboarding": {"buddy": ADA}},
            "privateMetadata": {},
            "createdAt": "2024-06-08T00:00:00.000Z",
            "updatedAt": "2024-06-08T00:00:00.000Z"
        })
    );
}

#[test]
fn invalid_create_invitation_arguments_name_the_argument_and_send_nothing() {
    let base = json!({"organizationId": ORG, "emailAddress": "margaret@example.com", "role": "org:member"});
    let mut cases: Vec<(Value, &str)> = bad_organization_ids()
        .into_iter()
        .map(|id| (with(&base, "organizationId", json!(id)), "organizationId"))
        .collect();
    for email in [
        "",
        "margaret",
        "@example.com",
        "margaret@localhost",
        "margaret smith@example.com",
        "a@b@example.com",
        "margaret@example.com\r\nBcc: x@example.com",
    ] {
        cases.push((with(&base, "emailAddress", json!(email)), "emailAddress"));
    }
    cases.push((
        with(
            &base,
            "emailAddress",
            json!(format!("{}@example.com", "m".repeat(10_000))),
        ),
        "emailAddress",
    ));
    for role in ["admin", "org:", "org:a b", "org:../x", "ORG:admin"] {
        cases.push((with(&base, "role", json!(role)), "role"));
    }
    for inviter in [
        "../x",
        "user_1/..",
        "user_1%2F",
        "user_1?x",
        "user_1#x",
        "",
        ORG,
    ] {
        cases.push((
            with(&base, "inviterUserId", json!(inviter)),
            "inviterUserId",
        ));
    }
    for url in [
        "/welcome",
        "app.acme.example/welcome",
        "javascript:alert(1)",
        "ftp://files.acme.example",
        "https://",
        "https:///welcome",
        "https://app.acme.example/wel come",
    ] {
        cases.push((with(&base, "redirectUrl", json!(url)), "redirectUrl"));
    }
    cases.extend([
        (
            with(
                &base,
                "redirectUrl",
                json!(format!("https://app.acme.example/{}", "a".repeat(2030))),
            ),
            "redirectUrl",
        ),
        (with(&base, "expiresInDays", json!(0)), "expiresInDays"),
        (with(&base, "expiresInDays", json!(366)), "expiresInDays"),
        (with(&base, "expiresInDays", json!(-1)), "expiresInDays"),
        (with(&base, "expiresInDays", json!("7")), "expiresInDays"),
        (
            with(&base, "publicMetadata", json!("team=apollo")),
            "publicMetadata",
        ),
        (with(&base, "publicMetadata", json!([1])), "publicMetadata"),
        (without(&base, "organizationId"), "organizationId"),
        (without(&base, "emailAddress"), "emailAddress"),
        (without(&base, "role"), "role"),
        (with(&base, "notify", json!(false)), "notify"),
        (with(&base, "privateMetadata", json!({})), "privateMetadata"),
    ]);
    for (arguments, argument) in cases {
        assert_refused("clerk_create_invitation", arguments, &[argument]);
    }
}

#[test]
fn create_invitation_accepts_a_redirect_url_of_exactly_2048_characters() {
    let prefix = "https://app.acme.example/";
    let url = format!("{prefix}{}", "a".repeat(2048 - prefix.len()));
    let clerk = FakeClerk::answering(invitation());
    let result = tool_result(
        &clerk,
        "clerk_create_invitation",
        json!({
            "organizationId": ORG,
            "emailAddress": "margaret@example.com",
            "role": "org:member",
            "redirectUrl": url
        }),
    );
    assert_eq!(result["isError"], false, "{}", result_text(&result));
    assert_eq!(clerk.request_count(), 1);
}

#[test]
fn create_invitation_in_an_unknown_organization_names_it() {
    let clerk = FakeClerk::failing(404, "resource_not_found", "Resource not found", None);
    let result = tool_result(
        &clerk,
        "clerk_create_invitation",
        json!({"organizationId": "org_missing1", "emailAddress": "margaret@example.com", "role": "org:member"}),
    );
    assert_eq!(result["isError"], true);
    let text = result_text(&result);
    assert!(
        text.contains("no organization with ID org_missing1"),
        "{text}"
    );
    assert!(text.contains("404"), "{text}");
}

#[test]
fn create_invitation_not_found_with_an_inviter_names_the_inviter_too() {
    let clerk = FakeClerk::failing(404, "resource_not_found", "Resource not found", None);
    let result = tool_result(
        &clerk,
        "clerk_create_invitation",
        json!({
            "organizationId": ORG,
            "emailAddress": "margaret@example.com",
            "role": "org:member",
            "inviterUserId": "user_gone1"
        }),
    );
    let text = result_text(&result);
    assert!(
        text.contains(&format!(
            "no organization with ID {ORG}, or no user with ID user_gone1"
        )),
        "{text}"
    );
}

#[test]
fn create_invitation_with_a_role_clerk_does_not_know_shows_clerks_reason() {
    let clerk = FakeClerk::failing(
        422,
        "form_param_value_invalid",
        "Role org:auditor does not exist for this organization",
        Some("role"),
    );
    let result = tool_result(
        &clerk,
        "clerk_create_invitation",
        json!({"organizationId": ORG, "emailAddress": "margaret@example.com", "role": "org:auditor"}),
    );
    assert_eq!(result["isError"], true);
    let text = result_text(&result);
    for needle in [
        "422",
        "Role org:auditor does not exist for this organization",
        "parameter: role",
    ] {
        assert!(text.contains(needle), "{needle} missing from {text}");
    }
    assert!(!text.contains("Not found"), "{text}");
}

// clerk_revoke_invitation

const INVITATION: &str = "orginv_2kTg5JhK8lZ3xC6vB0nM4qW1eR";

fn invitation_revoked() -> Value {
    serde_json::from_str(include_str!("../fixtures/clerk_invitation_revoked.json"))
        .expect("fixture is JSON")
}

fn revoke_url(organization_id: &str, invitation_id: &str) -> String {
    format!("/v1/organizations/{organization_id}/invitations/{invitation_id}/revoke")
}

#[test]
fn revoke_invitation_without_a_requesting_user_posts_no_body() {
    for arguments in [
        json!({"organizationId": ORG, "invitationId": INVITATION}),
        json!({"organizationId": ORG, "invitationId": INVITATION, "requestingUserId": null}),
    ] {
        let clerk = FakeClerk::answering(invitation_revoked());
        tool_result(&clerk, "clerk_revoke_invitation", arguments);
        assert_eq!(
            only_request(&clerk),
            Sent::without_body("POST", &revoke_url(ORG, INVITATION))
        );
    }
}

#[test]
fn revoke_invitation_names_the_requesting_user_in_a_json_body() {
    let clerk = FakeClerk::answering(invitation_revoked());
    tool_result(
        &clerk,
        "clerk_revoke_invitation",
        json!({"organizationId": ORG, "invitationId": INVITATION, "requestingUserId": ADA}),
    );
    assert_eq!(
        only_request(&clerk),
        Sent::with_json(
            "POST",
            &revoke_url(ORG, INVITATION),
            json!({"requesting_user_id": ADA})
        )
    );
}

#[test]
fn revoke_invitation_returns_the_revoked_invitation() {
    let clerk = FakeClerk::answering(invitation_revoked());
    let result = tool_result(
        &clerk,
        "clerk_revoke_invitation",
        json!({"organizationId": ORG, "invitationId": INVITATION}),
    );
    assert_eq!(result["isError"], false);
    assert_eq!(
        result["structuredContent"],
        json!({
            "id": INVITATION,
            "organizationId": ORG,
            "emailAddress": "margaret@example.com",
            "role": "org:admin",
            "roleName": "Admin",
            "status": "revoked",
            "inviterUserId": ADA,
            "url": "https://accounts.acme.example/sign-up?__clerk_ticket=eyJhbGciOiJSUzI1NiJ9.created.sig",
            "expiresAt": "2024-06-15T00:00:00.000Z",
            "publicMetadata": {"team": "apollo", "onboarding": {"buddy": ADA}},
            "privateMetadata": {},
            "createdAt": "2024-06-08T00:00:00.000Z",
            "updatedAt": "2024-06-09T00:00:00.000Z"
        })
    );
}

#[test]
fn invalid_revoke_invitation_arguments_name_the_argument_and_send_nothing() {
    let base = json!({"organizationId": ORG, "invitationId": INVITATION});
    let mut cases: Vec<(Value, &str)> = bad_organization_ids()
        .into_iter()
        .map(|id| (with(&base, "organizationId", json!(id)), "organizationId"))
        .collect();
    for id in [
        "../x".to_owned(),
        "orginv_1/..".to_owned(),
        "orginv_1/../../revoke".to_owned(),
        "orginv_1%2F..".to_owned(),
        "orginv_1?x=1".to_owned(),
        "orginv_1#x".to_owned(),
        "orginv_1 2".to_owned(),
        "inv_2kTg5JhK8lZ3".to_owned(),
        ORG.to_owned(),
        "orginv_".to_owned(),
        String::new(),
        format!("orginv_{}", "a".repeat(10_000)),
    ] {
        cases.push((with(&base, "invitationId", json!(id)), "invitationId"));
    }
    for user in ["", "user_", ORG, "user_1/..", "user_1?x"] {
        cases.push((
            with(&base, "requestingUserId", json!(user)),
            "requestingUserId",
        ));
    }
    cases.extend([
        (without(&base, "organizationId"), "organizationId"),
        (without(&base, "invitationId"), "invitationId"),
        (
            with(&base, "invitationId", json!([INVITATION])),
            "invitationId",
        ),
        (with(&base, "status", json!("revoked")), "status"),
    ]);
    for (arguments, argument) in cases {
        assert_refused("clerk_revoke_invitation", arguments, &[argument]);
    }
}

#[test]
fn revoking_an_invitation_that_is_not_pending_shows_clerks_reason() {
    let clerk = FakeClerk::failing(
        400,
        "organization_invitation_not_pending",
        "Only pending invitations can be revoked.",
        None,
    );
    let result = tool_result(
        &clerk,
        "clerk_revoke_invitation",
        json!({"organizationId": ORG, "invitationId": INVITATION}),
    );
    assert_eq!(result["isError"], true);
    let text = result_text(&result);
    for needle in [
        "400",
        "organization_invitation_not_pending",
        "Only pending invitations can be revoked.",
    ] {
        assert!(text.contains(needle), "{needle} missing from {text}");
    }
    assert!(!text.contains("Not found"), "{text}");
}

#[test]
fn revoke_invitation_not_found_names_the_invitation_and_its_organization() {
    let clerk = FakeClerk::failing(404, "resource_not_found", "Resource not found", None);
    let text = not_found_text(
        &clerk,
        "clerk_revoke_invitation",
        json!({"organizationId": ORG, "invitationId": "orginv_missing1"}),
    );
    assert!(
        text.starts_with(&format!(
            "Not found: no invitation with ID orginv_missing1 in organization {ORG}."
        )),
        "{text}"
    );
}

#[test]
fn revoke_invitation_not_found_with_a_requesting_user_names_the_user_too() {
    let clerk = FakeClerk::failing(404, "resource_not_found", "Resource not found", None);
    let result = tool_result(
        &clerk,
        "clerk_revoke_invitation",
        json!({
            "organizationId": ORG,
            "invitationId": INVITATION,
            "requestingUserId": "user_gone1"
        }),
    );
    let text = result_text(&result);
    assert!(
        text.contains(&format!(
            "no invitation with ID {INVITATION} in organization {ORG}, or no user with ID user_gone1"
        )),
        "{text}"
    );
}
