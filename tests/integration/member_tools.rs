//! `clerk_list_organization_members`, `clerk_list_user_organizations`,
//! `clerk_add_member`, `clerk_update_member_role`,
//! `clerk_update_member_metadata` and `clerk_remove_member`: the exact
//! requests they send to Clerk, the results they return for recorded Clerk
//! answers, and the arguments they refuse before sending anything.

use serde_json::{json, Value};

use crate::support::*;

const ORG: &str = "org_2kT9aBcDeFgHiJkLmNoPqRsTuVw";
const ADA: &str = "user_2adaLovelace0Xy7Qm3Rk9Tn";

fn memberships_page() -> Value {
    serde_json::from_str(include_str!("../fixtures/clerk_memberships_page.json"))
        .expect("fixture is JSON")
}

fn membership() -> Value {
    serde_json::from_str(include_str!("../fixtures/clerk_membership.json"))
        .expect("fixture is JSON")
}

/// Ada's membership as every member tool shows it.
fn ada_member() -> Value {
    json!({
        "id": "orgmem_2kTb1QxV8mN3rL7pZ4wY6cD5eF",
        "organizationId": ORG,
        "organizationName": "Acme Inc",
        "organizationSlug": "acme-inc",
        "userId": ADA,
        "role": "org:admin",
        "roleName": "Admin",
        "permissions": [
            "org:sys_domains:manage",
            "org:sys_domains:read",
            "org:sys_memberships:manage",
            "org:sys_memberships:read",
            "org:sys_profile:delete",
            "org:sys_profile:manage"
        ],
        "firstName": "Ada",
        "lastName": "Lovelace",
        "identifier": "ada@example.com",
        "username": "ada",
        "imageUrl": "https://img.clerk.com/eyJ0eXBlIjoicHJveHkifQ.ada",
        "publicMetadata": {"department": "engineering", "preferences": {"digest": "weekly"}},
        "privateMetadata": {"seat": "A-12"},
        "createdAt": "2024-05-01T09:30:00.000Z",
        "updatedAt": "2024-05-29T16:26:40.123Z"
    })
}

fn not_found() -> FakeClerk {
    FakeClerk::new(|_| {
        Ok(json_answer(
            404,
            &json!({
                "errors": [{
                    "message": "not found",
                    "long_message": "Resource not found",
                    "code": "resource_not_found"
                }],
                "clerk_trace_id": "trace_404"
            }),
        ))
    })
}

/// Values that must never reach a path: traversal, encoded slashes, query
/// and fragment markers, nothing at all, and far too much.
fn bad_ids(prefix: &str) -> Vec<String> {
    vec![
        "../x".to_owned(),
        format!("{prefix}1/.."),
        format!("{prefix}1/../../users"),
        format!("{prefix}1%2F.."),
        format!("{prefix}1?limit=500"),
        format!("{prefix}1#x"),
        format!("{prefix}1 2"),
        prefix.to_owned(),
        String::new(),
        format!("{prefix}{}", "a".repeat(10_000)),
    ]
}

/// Every malformed organization and user ID, each in place of a good one in `base`.
fn bad_id_cases(base: &Value, arguments: &[(&'static str, &str)]) -> Vec<(Value, &'static str)> {
    let mut cases = Vec::new();
    for (argument, prefix) in arguments {
        for bad in bad_ids(prefix) {
            let mut case = base.clone();
            case[*argument] = json!(bad);
            cases.push((case, *argument));
        }
        let mut missing = base.clone();
        if let Some(object) = missing.as_object_mut() {
            object.remove(*argument);
        }
        cases.push((missing, *argument));
    }
    cases
}

#[test]
fn list_members_sends_the_defaults_as_a_get_without_body() {
    let clerk = FakeClerk::answering(memberships_page());
    tool_result(
        &clerk,
        "clerk_list_organization_members",
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
        format!("/v1/organizations/{ORG}/memberships?limit=20&offset=0")
    );
    assert_eq!(content_type, None);
    assert_eq!(body, None);
}

#[test]
fn list_members_sends_roles_as_repeated_keys_and_a_leading_plus_encoded() {
    let clerk = FakeClerk::answering(memberships_page());
    tool_result(
        &clerk,
        "clerk_list_organization_members",
        json!({
            "organizationId": ORG,
            "limit": 100,
            "offset": 40,
            "query": "ada lovelace",
            "role": ["org:admin", "org:billing_manager"],
            "orderBy": "+first_name"
        }),
    );
    assert_eq!(
        clerk.urls(),
        [format!(
            "/v1/organizations/{ORG}/memberships?limit=100&offset=40&order_by=%2Bfirst_name\
             &query=ada+lovelace&role=org%3Aadmin&role=org%3Abilling_manager"
        )]
    );
}

#[test]
fn list_members_accepts_every_sortable_field_with_either_sign_or_none() {
    for field in [
        "phone_number",
        "email_address",
        "created_at",
        "first_name",
        "last_name",
        "username",
    ] {
        for (sign, encoded) in [("", ""), ("+", "%2B"), ("-", "-")] {
            let clerk = FakeClerk::answering(memberships_page());
            let result = tool_result(
                &clerk,
                "clerk_list_organization_members",
                json!({"organizationId": ORG, "orderBy": format!("{sign}{field}")}),
            );
            assert_eq!(result["isError"], false, "{sign}{field}");
            assert_eq!(
                clerk.urls(),
                [format!(
                    "/v1/organizations/{ORG}/memberships?limit=20&offset=0&order_by={encoded}{field}"
                )]
            );
        }
    }
}

#[test]
fn list_members_leaves_a_blank_query_out() {
    let clerk = FakeClerk::answering(memberships_page());
    tool_result(
        &clerk,
        "clerk_list_organization_members",
        json!({"organizationId": ORG, "query": "   "}),
    );
    assert_eq!(
        clerk.urls(),
        [format!(
            "/v1/organizations/{ORG}/memberships?limit=20&offset=0"
        )]
    );
}

#[test]
fn list_members_returns_members_with_iso_times_and_page_info() {
    let mut page = memberships_page();
    page["total_count"] = json!(45);
    let clerk = FakeClerk::answering(page);
    let result = tool_result(
        &clerk,
        "clerk_list_organization_members",
        json!({"organizationId": ORG, "limit": 3, "offset": 6}),
    );
    assert_eq!(result["isError"], false);
    let output = &result["structuredContent"];
    assert_eq!(output["totalCount"], 45);
    assert_eq!(output["count"], 3);
    assert_eq!(output["offset"], 6);
    assert_eq!(output["hasMore"], true);
    assert_eq!(output["nextOffset"], 9);
    assert_eq!(output["members"][0], ada_member());
    assert_eq!(
        output["members"][1],
        json!({
            "id": "orgmem_2kTc7HgR2sJ9wQ1eX5nB8vM4aL",
            "organizationId": ORG,
            "organizationName": "Acme Inc",
            "organizationSlug": "acme-inc",
            "userId": "user_2graceHopper4Kp8Wz1Vb6Nd",
            "role": "org:billing_manager",
            "roleName": "Billing manager",
            "permissions": ["org:billing:manage", "org:billing:read"],
            "firstName": "Grace",
            "lastName": "Hopper",
            "identifier": "grace@example.com",
            "imageUrl": "https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCJ9.grace",
            "publicMetadata": {},
            "privateMetadata": {},
            "createdAt": "2024-05-02T09:30:00.000Z",
            "updatedAt": "2024-05-02T09:30:00.000Z"
        })
    );
    assert_eq!(
        output["members"][2],
        json!({
            "id": "orgmem_2kTd4FzP6yU0oI3tR8qW2eA9sD",
            "organizationId": ORG,
            "organizationName": "Acme Inc",
            "organizationSlug": "acme-inc",
            "userId": "user_2phoneOnly7Yh2Ms5Lc9Qx3",
            "role": "org:member",
            "roleName": "Member",
            "permissions": [],
            "identifier": "+15555550123",
            "imageUrl": "https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCJ9.phone",
            "publicMetadata": {},
            "privateMetadata": {},
            "createdAt": "2024-05-20T10:13:20.000Z",
            "updatedAt": "2024-05-20T10:13:20.000Z"
        })
    );
}

#[test]
fn last_page_of_members_has_no_next_offset() {
    let clerk = FakeClerk::answering(memberships_page());
    let result = tool_result(
        &clerk,
        "clerk_list_organization_members",
        json!({"organizationId": ORG}),
    );
    let output = &result["structuredContent"];
    assert_eq!(output["totalCount"], 3);
    assert_eq!(output["count"], 3);
    assert_eq!(output["hasMore"], false);
    assert!(output.get("nextOffset").is_none(), "{output}");
}

#[test]
fn member_with_nulls_and_without_user_data_keeps_empty_metadata_objects() {
    let sparse = json!({
        "object": "organization_membership",
        "id": "orgmem_2sparse",
        "role": "org:member",
        "role_name": null,
        "permissions": null,
        "public_metadata": null,
        "private_metadata": null,
        "organization": {"object": "organization", "id": ORG, "name": "Acme Inc"},
        "created_at": 0,
        "updated_at": null
    });
    let clerk = FakeClerk::answering(json!({"data": [sparse], "total_count": 1}));
    let result = tool_result(
        &clerk,
        "clerk_list_organization_members",
        json!({"organizationId": ORG}),
    );
    assert_eq!(
        result["structuredContent"]["members"][0],
        json!({
            "id": "orgmem_2sparse",
            "organizationId": ORG,
            "organizationName": "Acme Inc",
            "role": "org:member",
            "publicMetadata": {},
            "privateMetadata": {},
            "createdAt": "1970-01-01T00:00:00.000Z"
        })
    );
}

#[test]
fn invalid_list_members_arguments_name_the_argument_and_send_nothing() {
    let base = json!({"organizationId": ORG});
    let with = |key: &str, value: Value| {
        let mut arguments = base.clone();
        arguments[key] = value;
        arguments
    };
    let too_many_roles: Vec<String> = (0..21).map(|n| format!("org:role_{n}")).collect();
    let mut cases = bad_id_cases(&base, &[("organizationId", "org_")]);
    cases.extend([
        (
            with("organizationId", json!("user_2adaLovelace")),
            "organizationId",
        ),
        (with("limit", json!(0)), "limit"),
        (with("limit", json!(101)), "limit"),
        (with("limit", json!("20")), "limit"),
        (with("offset", json!(-1)), "offset"),
        (with("query", json!("q".repeat(257))), "query"),
        (with("role", json!("org:admin")), "role"),
        (with("role", json!(["admin"])), "role"),
        (with("role", json!(["org:admin", "org:../x"])), "role"),
        (with("role", json!(["org:"])), "role"),
        (with("role", json!(too_many_roles)), "role"),
        (with("orderBy", json!("name")), "orderBy"),
        (with("orderBy", json!("last_active_at")), "orderBy"),
        (with("orderBy", json!("--created_at")), "orderBy"),
        (with("orderBy", json!("+-created_at")), "orderBy"),
        (with("orderBy", json!("created_at desc")), "orderBy"),
        (with("orderBy", json!("")), "orderBy"),
        (with("organisationId", json!(ORG)), "organisationId"),
    ]);
    for (arguments, argument) in cases {
        assert_refused("clerk_list_organization_members", arguments, &[argument]);
    }
}

#[test]
fn list_members_of_an_unknown_organization_names_it() {
    let clerk = not_found();
    let text = not_found_text(
        &clerk,
        "clerk_list_organization_members",
        json!({"organizationId": "org_missing1"}),
    );
    assert!(
        text.contains("no organization with ID org_missing1"),
        "{text}"
    );
}

#[test]
fn update_member_role_patches_the_membership_with_the_role_as_json() {
    let clerk = FakeClerk::answering(membership());
    let result = tool_result(
        &clerk,
        "clerk_update_member_role",
        json!({"organizationId": ORG, "userId": ADA, "role": "org:admin"}),
    );
    let Sent {
        method,
        url,
        content_type,
        body,
    } = only_request(&clerk);
    assert_eq!(method, "PATCH");
    assert_eq!(url, format!("/v1/organizations/{ORG}/memberships/{ADA}"));
    assert_eq!(content_type.as_deref(), Some("application/json"));
    assert_eq!(body, Some(json!({"role": "org:admin"})));
    assert_eq!(result["isError"], false);
    assert_eq!(result["structuredContent"], ada_member());
}

#[test]
fn update_member_role_passes_a_custom_role_key_unchanged() {
    let clerk = FakeClerk::answering(membership());
    tool_result(
        &clerk,
        "clerk_update_member_role",
        json!({"organizationId": ORG, "userId": ADA, "role": "org:billing_manager"}),
    );
    let body = only_request(&clerk).body;
    assert_eq!(body, Some(json!({"role": "org:billing_manager"})));
}

#[test]
fn invalid_update_member_role_arguments_name_the_argument_and_send_nothing() {
    let base = json!({"organizationId": ORG, "userId": ADA, "role": "org:admin"});
    let with = |key: &str, value: Value| {
        let mut arguments = base.clone();
        arguments[key] = value;
        arguments
    };
    let mut cases = bad_id_cases(&base, &[("organizationId", "org_"), ("userId", "user_")]);
    cases.extend([
        (with("userId", json!(ORG)), "userId"),
        (with("role", json!("admin")), "role"),
        (with("role", json!("org:")), "role"),
        (with("role", json!("org:a b")), "role"),
        (with("role", json!("org:../x")), "role"),
        (
            with("role", json!(format!("org:{}", "a".repeat(10_000)))),
            "role",
        ),
        (with("role", json!(["org:admin"])), "role"),
        (with("role", Value::Null), "role"),
        (with("roles", json!("org:admin")), "roles"),
    ]);
    let mut without_role = base.clone();
    if let Some(object) = without_role.as_object_mut() {
        object.remove("role");
    }
    cases.push((without_role, "role"));
    for (arguments, argument) in cases {
        assert_refused("clerk_update_member_role", arguments, &[argument]);
    }
}

#[test]
fn update_member_role_of_a_non_member_names_user_and_organization() {
    let clerk = not_found();
    let result = tool_result(
        &clerk,
        "clerk_update_member_role",
        json!({"organizationId": ORG, "userId": "user_stranger1", "role": "org:member"}),
    );
    assert_eq!(result["isError"], true);
    let text = result_text(&result);
    assert!(
        text.contains(&format!(
            "no membership of user user_stranger1 in organization {ORG}"
        )),
        "{text}"
    );
    assert!(text.contains("404"), "{text}");
}

#[test]
fn update_member_metadata_sends_only_the_public_object_when_only_it_is_given() {
    let clerk = FakeClerk::answering(membership());
    let result = tool_result(
        &clerk,
        "clerk_update_member_metadata",
        json!({"organizationId": ORG, "userId": ADA, "publicMetadata": {"department": "research"}}),
    );
    let Sent {
        method,
        url,
        content_type,
        body,
    } = only_request(&clerk);
    assert_eq!(method, "PATCH");
    assert_eq!(
        url,
        format!("/v1/organizations/{ORG}/memberships/{ADA}/metadata")
    );
    assert_eq!(content_type.as_deref(), Some("application/json"));
    assert_eq!(
        body,
        Some(json!({"public_metadata": {"department": "research"}}))
    );
    assert_eq!(result["structuredContent"], ada_member());
}

#[test]
fn update_member_metadata_sends_only_the_private_object_when_only_it_is_given() {
    let clerk = FakeClerk::answering(membership());
    tool_result(
        &clerk,
        "clerk_update_member_metadata",
        json!({"organizationId": ORG, "userId": ADA, "privateMetadata": {}}),
    );
    let body = only_request(&clerk).body;
    assert_eq!(body, Some(json!({"private_metadata": {}})));
}

#[test]
fn update_member_metadata_passes_nested_objects_and_nulls_through_unchanged() {
    let public = json!({
        "preferences": {"digest": null, "theme": {"mode": "dark", "contrast": [1, 2]}},
        "department": null,
        "level": 3,
        "tags": ["a", null, {"b": false}]
    });
    let private = json!({"seat": null, "notes": "", "ratio": 0.5});
    let clerk = FakeClerk::answering(membership());
    tool_result(
        &clerk,
        "clerk_update_member_metadata",
        json!({
            "organizationId": ORG,
            "userId": ADA,
            "publicMetadata": public.clone(),
            "privateMetadata": private.clone()
        }),
    );
    let body = only_request(&clerk).body;
    assert_eq!(
        body,
        Some(json!({"public_metadata": public, "private_metadata": private}))
    );
}

#[test]
fn invalid_update_member_metadata_arguments_name_the_argument_and_send_nothing() {
    let base = json!({"organizationId": ORG, "userId": ADA, "publicMetadata": {"a": 1}});
    let with = |key: &str, value: Value| {
        let mut arguments = base.clone();
        arguments[key] = value;
        arguments
    };
    let mut cases = bad_id_cases(&base, &[("organizationId", "org_"), ("userId", "user_")]);
    cases.extend([
        (with("publicMetadata", json!("plan=pro")), "publicMetadata"),
        (with("publicMetadata", json!([1, 2])), "publicMetadata"),
        (with("privateMetadata", json!(42)), "privateMetadata"),
        (with("unsafeMetadata", json!({})), "unsafeMetadata"),
    ]);
    for (arguments, argument) in cases {
        assert_refused("clerk_update_member_metadata", arguments, &[argument]);
    }
}

#[test]
fn update_member_metadata_without_a_metadata_object_asks_for_one() {
    for arguments in [
        json!({"organizationId": ORG, "userId": ADA}),
        json!({"organizationId": ORG, "userId": ADA, "publicMetadata": null, "privateMetadata": null}),
    ] {
        let text = assert_refused("clerk_update_member_metadata", arguments.clone(), &[]);
        assert!(
            text.contains("`publicMetadata`, `privateMetadata`"),
            "{arguments}: {text}"
        );
    }
}

#[test]
fn update_member_metadata_of_a_non_member_names_user_and_organization() {
    let clerk = not_found();
    let result = tool_result(
        &clerk,
        "clerk_update_member_metadata",
        json!({"organizationId": ORG, "userId": "user_stranger1", "privateMetadata": {"a": 1}}),
    );
    assert_eq!(result["isError"], true);
    let text = result_text(&result);
    assert!(
        text.contains(&format!(
            "no membership of user user_stranger1 in organization {ORG}"
        )),
        "{text}"
    );
}

#[test]
fn remove_member_sends_a_delete_without_body_and_returns_the_removed_member() {
    let clerk = FakeClerk::answering(membership());
    let result = tool_result(
        &clerk,
        "clerk_remove_member",
        json!({"organizationId": ORG, "userId": ADA}),
    );
    let Sent {
        method,
        url,
        content_type,
        body,
    } = only_request(&clerk);
    assert_eq!(method, "DELETE");
    assert_eq!(url, format!("/v1/organizations/{ORG}/memberships/{ADA}"));
    assert_eq!(content_type, None);
    assert_eq!(body, None);
    assert_eq!(result["isError"], false);
    assert_eq!(
        result["structuredContent"],
        json!({"removed": true, "member": ada_member()})
    );
}

#[test]
fn invalid_remove_member_arguments_name_the_argument_and_send_nothing() {
    let base = json!({"organizationId": ORG, "userId": ADA});
    let mut cases = bad_id_cases(&base, &[("organizationId", "org_"), ("userId", "user_")]);
    cases.push((
        json!({"organizationId": ORG, "userId": ADA, "deleteUser": true}),
        "deleteUser",
    ));
    for (arguments, argument) in cases {
        assert_refused("clerk_remove_member", arguments, &[argument]);
    }
}

#[test]
fn remove_member_of_a_non_member_names_user_and_organization() {
    let clerk = not_found();
    let text = not_found_text(
        &clerk,
        "clerk_remove_member",
        json!({"organizationId": "org_gone1", "userId": ADA}),
    );
    assert!(
        text.contains(&format!(
            "no membership of user {ADA} in organization org_gone1"
        )),
        "{text}"
    );
}

// clerk_list_user_organizations

fn user_memberships_page() -> Value {
    serde_json::from_str(include_str!("../fixtures/clerk_user_memberships_page.json"))
        .expect("fixture is JSON")
}

/// Ada's membership in Globex as clerk_list_user_organizations shows it.
fn ada_in_globex() -> Value {
    json!({
        "id": "orgmem_2fL3nB8vC1xZ6kJ4hG7fD2sA9q",
        "organizationId": "org_2fK9wLm3Zq7TgBv5XcN8RyJh2Ud",
        "organizationName": "Globex",
        "organizationSlug": "globex",
        "userId": ADA,
        "role": "org:billing_manager",
        "roleName": "Billing manager",
        "permissions": ["org:billing:manage", "org:billing:read"],
        "firstName": "Ada",
        "lastName": "Lovelace",
        "identifier": "ada@example.com",
        "username": "ada",
        "imageUrl": "https://img.clerk.com/eyJ0eXBlIjoicHJveHkifQ.ada",
        "publicMetadata": {},
        "privateMetadata": {"costCenter": "CC-204"},
        "createdAt": "2024-03-02T12:00:00.000Z",
        "updatedAt": "2024-03-02T12:00:00.000Z"
    })
}

#[test]
fn list_user_organizations_sends_the_defaults_as_a_get_without_body() {
    let clerk = FakeClerk::answering(user_memberships_page());
    tool_result(
        &clerk,
        "clerk_list_user_organizations",
        json!({"userId": ADA}),
    );
    assert_eq!(
        only_request(&clerk),
        Sent::without_body(
            "GET",
            &format!("/v1/users/{ADA}/organization_memberships?limit=20&offset=0")
        )
    );
}

#[test]
fn list_user_organizations_sends_the_page_it_is_given() {
    for (limit, offset) in [(1, 0), (100, 40), (20, 4_000_000_000_u32)] {
        let clerk = FakeClerk::answering(json!({"data": [], "total_count": 0}));
        let result = tool_result(
            &clerk,
            "clerk_list_user_organizations",
            json!({"userId": ADA, "limit": limit, "offset": offset}),
        );
        assert_eq!(result["isError"], false, "{limit} {offset}");
        assert_eq!(
            clerk.urls(),
            [format!(
                "/v1/users/{ADA}/organization_memberships?limit={limit}&offset={offset}"
            )]
        );
    }
}

#[test]
fn list_user_organizations_returns_each_membership_with_its_organization() {
    let clerk = FakeClerk::answering(user_memberships_page());
    let result = tool_result(
        &clerk,
        "clerk_list_user_organizations",
        json!({"userId": ADA}),
    );
    assert_eq!(result["isError"], false);
    assert_eq!(
        result["structuredContent"],
        json!({
            "memberships": [ada_member(), ada_in_globex()],
            "totalCount": 2,
            "count": 2,
            "offset": 0,
            "hasMore": false
        })
    );
    let text: Value = fenced_json(result_text(&result));
    assert_eq!(text, result["structuredContent"]);
}

#[test]
fn list_user_organizations_points_at_the_next_page_when_there_is_one() {
    let mut page = user_memberships_page();
    page["total_count"] = json!(45);
    let clerk = FakeClerk::answering(page);
    let result = tool_result(
        &clerk,
        "clerk_list_user_organizations",
        json!({"userId": ADA, "limit": 2, "offset": 20}),
    );
    let output = &result["structuredContent"];
    assert_eq!(output["totalCount"], 45);
    assert_eq!(output["count"], 2);
    assert_eq!(output["offset"], 20);
    assert_eq!(output["hasMore"], true);
    assert_eq!(output["nextOffset"], 22);
}

#[test]
fn membership_whose_organization_has_no_slug_leaves_the_slug_out() {
    let mut without_slug = membership();
    without_slug["organization"]["slug"] = json!("");
    let mut null_slug = membership();
    null_slug["organization"]["slug"] = Value::Null;
    let clerk = FakeClerk::answering(json!({"data": [without_slug, null_slug], "total_count": 2}));
    let result = tool_result(
        &clerk,
        "clerk_list_user_organizations",
        json!({"userId": ADA}),
    );
    let mut expected = ada_member();
    if let Some(member) = expected.as_object_mut() {
        member.remove("organizationSlug");
    }
    assert_eq!(
        result["structuredContent"]["memberships"],
        json!([expected, expected])
    );
}

#[test]
fn invalid_list_user_organizations_arguments_name_the_argument_and_send_nothing() {
    let base = json!({"userId": ADA});
    let with = |key: &str, value: Value| {
        let mut arguments = base.clone();
        arguments[key] = value;
        arguments
    };
    let mut cases = bad_id_cases(&base, &[("userId", "user_")]);
    cases.extend([
        (with("userId", json!(ORG)), "userId"),
        (with("userId", json!([ADA])), "userId"),
        (with("limit", json!(0)), "limit"),
        (with("limit", json!(101)), "limit"),
        (with("limit", json!("20")), "limit"),
        (with("offset", json!(-1)), "offset"),
        (with("offset", json!(1.5)), "offset"),
        (with("organizationId", json!(ORG)), "organizationId"),
        (with("query", json!("acme")), "query"),
    ]);
    for (arguments, argument) in cases {
        assert_refused("clerk_list_user_organizations", arguments, &[argument]);
    }
}

#[test]
fn list_user_organizations_of_an_unknown_user_names_it() {
    let clerk = not_found();
    let text = not_found_text(
        &clerk,
        "clerk_list_user_organizations",
        json!({"userId": "user_missing1"}),
    );
    assert!(
        text.starts_with("Not found: no user with ID user_missing1."),
        "{text}"
    );
}

// clerk_add_member

const GRACE: &str = "user_2graceHopper4Kp8Wz1Vb6Nd";

fn membership_created() -> Value {
    serde_json::from_str(include_str!("../fixtures/clerk_membership_created.json"))
        .expect("fixture is JSON")
}

#[test]
fn add_member_posts_the_user_and_role_as_json() {
    let clerk = FakeClerk::answering(membership_created());
    tool_result(
        &clerk,
        "clerk_add_member",
        json!({"organizationId": ORG, "userId": GRACE, "role": "org:member"}),
    );
    assert_eq!(
        only_request(&clerk),
        Sent::with_json(
            "POST",
            &format!("/v1/organizations/{ORG}/memberships"),
            json!({"user_id": GRACE, "role": "org:member"})
        )
    );
}

#[test]
fn add_member_passes_a_custom_role_key_unchanged() {
    for role in ["org:billing_manager", "org:custom_role:with-dash"] {
        let clerk = FakeClerk::answering(membership_created());
        tool_result(
            &clerk,
            "clerk_add_member",
            json!({"organizationId": ORG, "userId": GRACE, "role": role}),
        );
        assert_eq!(
            only_request(&clerk).body,
            Some(json!({"user_id": GRACE, "role": role}))
        );
    }
}

#[test]
fn add_member_returns_the_new_member() {
    let clerk = FakeClerk::answering(membership_created());
    let result = tool_result(
        &clerk,
        "clerk_add_member",
        json!({"organizationId": ORG, "userId": GRACE, "role": "org:member"}),
    );
    assert_eq!(result["isError"], false);
    assert_eq!(
        result["structuredContent"],
        json!({
            "id": "orgmem_2kTh9WqE3rT6yU1iO4pA7sD0fG",
            "organizationId": ORG,
            "organizationName": "Acme Inc",
            "organizationSlug": "acme-inc",
            "userId": GRACE,
            "role": "org:member",
            "roleName": "Member",
            "permissions": ["org:sys_memberships:read"],
            "firstName": "Grace",
            "lastName": "Hopper",
            "identifier": "grace@example.com",
            "imageUrl": "https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCJ9.grace",
            "publicMetadata": {},
            "privateMetadata": {},
            "createdAt": "2024-06-06T10:00:00.000Z",
            "updatedAt": "2024-06-06T10:00:00.000Z"
        })
    );
}

#[test]
fn invalid_add_member_arguments_name_the_argument_and_send_nothing() {
    let base = json!({"organizationId": ORG, "userId": GRACE, "role": "org:member"});
    let with = |key: &str, value: Value| {
        let mut arguments = base.clone();
        arguments[key] = value;
        arguments
    };
    let mut cases = bad_id_cases(&base, &[("organizationId", "org_"), ("userId", "user_")]);
    cases.extend([
        (with("organizationId", json!(GRACE)), "organizationId"),
        (with("userId", json!(ORG)), "userId"),
        (with("userId", json!([GRACE])), "userId"),
        (with("role", json!("member")), "role"),
        (with("role", json!("org:")), "role"),
        (with("role", json!("org:a b")), "role"),
        (with("role", json!("org:../x")), "role"),
        (
            with("role", json!(format!("org:{}", "a".repeat(10_000)))),
            "role",
        ),
        (with("role", Value::Null), "role"),
        (with("publicMetadata", json!({"a": 1})), "publicMetadata"),
        (
            with("emailAddress", json!("grace@example.com")),
            "emailAddress",
        ),
    ]);
    let mut without_role = base.clone();
    if let Some(object) = without_role.as_object_mut() {
        object.remove("role");
    }
    cases.push((without_role, "role"));
    for (arguments, argument) in cases {
        assert_refused("clerk_add_member", arguments, &[argument]);
    }
}

#[test]
fn add_member_of_someone_already_a_member_reports_clerks_refusal() {
    let clerk = FakeClerk::failing(
        422,
        "already_a_member_in_organization",
        "The user is already a member of this organization.",
        Some("user_id"),
    );
    let result = tool_result(
        &clerk,
        "clerk_add_member",
        json!({"organizationId": ORG, "userId": ADA, "role": "org:member"}),
    );
    assert_eq!(result["isError"], true);
    let text = result_text(&result);
    for needle in [
        "422",
        "already_a_member_in_organization",
        "already a member",
        "parameter: user_id",
    ] {
        assert!(text.contains(needle), "{needle} missing from {text}");
    }
    assert!(!text.contains("Not found"), "{text}");
}

#[test]
fn add_member_not_found_names_the_organization_and_the_user() {
    let clerk = not_found();
    let result = tool_result(
        &clerk,
        "clerk_add_member",
        json!({"organizationId": "org_missing1", "userId": "user_missing2", "role": "org:member"}),
    );
    assert_eq!(result["isError"], true);
    let text = result_text(&result);
    assert!(
        text.starts_with(
            "Not found: no organization with ID org_missing1, or no user with ID user_missing2."
        ),
        "{text}"
    );
    assert!(text.contains("404"), "{text}");
}
