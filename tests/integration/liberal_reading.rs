//! Answers Clerk's spec allows but that look unusual: negative and zero
//! times and counts, times with no RFC 3339 date, IDs without the usual
//! prefix, enum values added after this server was written, fields that
//! are `null` and fields it does not know. Each is read, and shows in the
//! tool's result as it came (a time with no date as its number). A body
//! that is not the documented object at all is still a clear error.

use serde_json::{json, Value};

use crate::support::{result_text, tool_result, FakeClerk};

/// The earliest time Clerk's spec examples use: -(2^53 - 1) milliseconds,
/// some 285,000 years before 1970, which no RFC 3339 date can write.
const FAR_PAST: i64 = -9_007_199_254_740_991;
const FAR_FUTURE: i64 = 9_007_199_254_740_991;

/// What a tool's result says when Clerk's answer could not be read.
const UNREADABLE: &str = "Clerk answered HTTP 200 with a body this server could not read";

fn ok_output(clerk: &FakeClerk, tool: &str, arguments: Value) -> Value {
    let result = tool_result(clerk, tool, arguments);
    assert_eq!(result["isError"], false, "{}", result_text(&result));
    result["structuredContent"].clone()
}

fn unreadable(body: Value, tool: &str, arguments: Value) -> String {
    let clerk = FakeClerk::answering(body);
    let result = tool_result(&clerk, tool, arguments);
    assert_eq!(result["isError"], true, "{}", result_text(&result));
    let text = result_text(&result).to_owned();
    assert!(text.contains(UNREADABLE), "{text}");
    text
}

#[test]
fn organizations_with_negative_counts_and_far_off_times_are_listed() {
    let clerk = FakeClerk::answering(json!({
        "data": [{
            "object": "organization",
            "id": "string",
            "name": "Acme",
            "slug": null,
            "members_count": -5,
            "pending_invitations_count": 0,
            "max_allowed_memberships": -1,
            "public_metadata": {},
            "private_metadata": null,
            "created_by": "a-creator-of-another-form",
            "created_at": FAR_PAST,
            "updated_at": -1,
            "last_active_at": FAR_FUTURE,
            "role_set_key": null,
            "a_field_from_the_future": {"x": [1, null]}
        }],
        "total_count": FAR_PAST
    }));
    let output = ok_output(&clerk, "clerk_list_organizations", json!({}));
    let organization = &output["organizations"][0];
    assert_eq!(organization["id"], "string");
    assert_eq!(organization["name"], "Acme");
    assert!(organization.get("slug").is_none(), "{organization}");
    assert_eq!(organization["membersCount"], -5);
    assert_eq!(organization["pendingInvitationsCount"], 0);
    assert_eq!(organization["maxAllowedMemberships"], -1);
    assert_eq!(organization["createdBy"], "a-creator-of-another-form");
    assert_eq!(organization["createdAt"], FAR_PAST);
    assert_eq!(organization["updatedAt"], "1969-12-31T23:59:59.999Z");
    assert_eq!(output["totalCount"], FAR_PAST);
    assert_eq!(output["count"], 1);
    assert_eq!(output["hasMore"], false);
}

#[test]
fn zero_and_huge_times_are_a_date_and_a_number() {
    let clerk = FakeClerk::answering(json!({
        "object": "organization",
        "id": "org_2abc",
        "name": "Acme",
        "created_at": 0,
        "updated_at": FAR_FUTURE
    }));
    let output = ok_output(
        &clerk,
        "clerk_get_organization",
        json!({"organizationId": "org_2abc"}),
    );
    assert_eq!(output["createdAt"], "1970-01-01T00:00:00.000Z");
    assert_eq!(output["updatedAt"], FAR_FUTURE);
}

#[test]
fn a_negative_user_count_is_shown_as_clerk_gave_it() {
    let clerk = FakeClerk::answering(json!({"object": "total_count", "total_count": -3}));
    let output = ok_output(&clerk, "clerk_count_users", json!({}));
    assert_eq!(output, json!({"totalCount": -3}));
}

#[test]
fn listed_users_with_odd_ids_nulls_and_far_off_times_are_shown() {
    let users = json!([{
        "object": "user",
        "id": "9f2c-no-prefix",
        "username": null,
        "first_name": "Ada",
        "last_name": null,
        "primary_email_address_id": "idn_x",
        "email_addresses": [
            {"id": "idn_x", "email_address": "ada@example.com", "verification": {"status": "a_status_added_later"}},
            {"id": null, "email_address": null}
        ],
        "phone_numbers": null,
        "external_accounts": [{"provider": null}, {"provider": "oauth_a_provider_added_later"}],
        "banned": null,
        "locked": false,
        "public_metadata": {},
        "private_metadata": null,
        "unsafe_metadata": {"k": null},
        "last_sign_in_at": 0,
        "last_active_at": null,
        "created_at": FAR_PAST,
        "updated_at": FAR_FUTURE,
        "a_field_from_the_future": true
    }]);
    let clerk = FakeClerk::new(move |request| {
        let body = if request.uri().path() == "/v1/users/count" {
            json!({"object": "total_count", "total_count": -1})
        } else {
            users.clone()
        };
        Ok(crate::support::json_answer(200, &body))
    });
    let output = ok_output(&clerk, "clerk_list_users", json!({}));
    let user = &output["users"][0];
    assert_eq!(user["id"], "9f2c-no-prefix");
    assert_eq!(user["firstName"], "Ada");
    assert_eq!(user["primaryEmailAddress"], "ada@example.com");
    assert_eq!(user["externalAccounts"][1], "oauth_a_provider_added_later");
    assert_eq!(user["banned"], false);
    assert_eq!(user["lastSignInAt"], "1970-01-01T00:00:00.000Z");
    assert!(user.get("lastActiveAt").is_none(), "{user}");
    assert_eq!(user["createdAt"], FAR_PAST);
    assert_eq!(user["updatedAt"], FAR_FUTURE);
    assert_eq!(output["totalCount"], -1);
    assert_eq!(output["hasMore"], false);
}

#[test]
fn a_session_status_added_later_passes_through() {
    let clerk = FakeClerk::answering(json!({
        "data": [{
            "object": "session",
            "id": "string",
            "user_id": "user_2ada",
            "client_id": null,
            "status": "a_status_added_later",
            "actor": null,
            "latest_activity": null,
            "last_active_at": 0,
            "expire_at": FAR_PAST,
            "abandon_at": null,
            "created_at": -86_400_000,
            "updated_at": 1,
            "tasks": [{"key": "a_task_added_later"}]
        }],
        "total_count": 0
    }));
    let output = ok_output(
        &clerk,
        "clerk_list_sessions",
        json!({"userId": "user_2ada"}),
    );
    let session = &output["sessions"][0];
    assert_eq!(session["id"], "string");
    assert_eq!(session["status"], "a_status_added_later");
    assert!(session.get("clientId").is_none(), "{session}");
    assert!(session.get("latestActivity").is_none(), "{session}");
    assert_eq!(session["lastActiveAt"], "1970-01-01T00:00:00.000Z");
    assert_eq!(session["expireAt"], FAR_PAST);
    assert_eq!(session["createdAt"], "1969-12-31T00:00:00.000Z");
    assert_eq!(output["totalCount"], 0);
    assert_eq!(output["hasMore"], false);
}

#[test]
fn invitations_and_members_with_nulls_where_strings_are_expected_are_listed() {
    let clerk = FakeClerk::answering(json!({
        "data": [{
            "object": "organization_invitation",
            "id": "inv-of-another-form",
            "email_address": null,
            "role": null,
            "status": "a_status_added_later",
            "organization_id": "string",
            "public_metadata": null,
            "expires_at": FAR_FUTURE,
            "created_at": -1,
            "updated_at": null
        }],
        "total_count": -7
    }));
    let output = ok_output(
        &clerk,
        "clerk_list_organization_invitations",
        json!({"organizationId": "org_2abc"}),
    );
    let invitation = &output["invitations"][0];
    assert_eq!(invitation["id"], "inv-of-another-form");
    assert_eq!(invitation["emailAddress"], "");
    assert_eq!(invitation["role"], "");
    assert_eq!(invitation["status"], "a_status_added_later");
    assert_eq!(invitation["expiresAt"], FAR_FUTURE);
    assert_eq!(output["totalCount"], -7);

    let clerk = FakeClerk::answering(json!({
        "data": [{
            "object": "organization_membership",
            "id": "mem",
            "role": null,
            "permissions": null,
            "organization": {"id": null, "name": null},
            "public_user_data": {"user_id": null, "identifier": "ada@example.com"},
            "created_at": FAR_PAST
        }],
        "total_count": null
    }));
    let output = ok_output(
        &clerk,
        "clerk_list_organization_members",
        json!({"organizationId": "org_2abc"}),
    );
    let member = &output["members"][0];
    assert_eq!(member["role"], "");
    assert_eq!(member["identifier"], "ada@example.com");
    assert_eq!(member["createdAt"], FAR_PAST);
    assert!(output.get("totalCount").is_none(), "{output}");
    assert_eq!(output["count"], 1);
}

#[test]
fn roles_with_a_negative_total_end_the_list() {
    let clerk = FakeClerk::answering(json!({
        "data": [{
            "object": "role",
            "id": "string",
            "key": null,
            "name": "Admin",
            "permissions": [{"key": null}, {"key": "org:a_permission_added_later"}],
            "created_at": FAR_PAST,
            "updated_at": FAR_PAST
        }],
        "total_count": FAR_PAST
    }));
    let output = ok_output(&clerk, "clerk_list_roles", json!({}));
    assert_eq!(output["roles"][0]["id"], "string");
    assert_eq!(output["roles"][0]["createdAt"], FAR_PAST);
    assert_eq!(output["totalCount"], FAR_PAST);
    assert_eq!(output["hasMore"], false);
    assert!(output.get("nextOffset").is_none(), "{output}");
}

#[test]
fn an_answer_that_is_not_the_documented_object_is_still_an_error() {
    let organization = json!({"object": "organization", "id": "org_2abc", "name": "Acme"});
    // An array where a `{data, total_count}` object is documented.
    unreadable(
        json!([organization.clone()]),
        "clerk_list_organizations",
        json!({}),
    );
    // A list without its items.
    unreadable(json!({"total_count": 1}), "clerk_list_roles", json!({}));
    // An object without `id`, alone and in a list.
    unreadable(
        json!({"object": "organization", "name": "Acme"}),
        "clerk_get_organization",
        json!({"organizationId": "org_2abc"}),
    );
    unreadable(
        json!({"data": [{"object": "role", "key": "org:admin"}], "total_count": 1}),
        "clerk_list_roles",
        json!({}),
    );
    // A count that is no number, and no count at all.
    unreadable(
        json!({"object": "total_count", "total_count": "many"}),
        "clerk_count_users",
        json!({}),
    );
    unreadable(json!({}), "clerk_count_users", json!({}));
    // An object where the users' array is documented.
    let text = unreadable(
        json!({"data": [], "total_count": 0}),
        "clerk_list_users",
        json!({}),
    );
    assert!(!text.contains("sk_test"), "{text}");
}
