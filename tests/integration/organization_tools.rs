//! The six organization tools: the exact requests they send to Clerk, the
//! results they return for recorded Clerk answers, and the arguments they
//! refuse before sending anything.

use serde_json::{json, Value};

use crate::support::*;

const ACME_ID: &str = "org_2gT5pQx8Rk3mNcV7bWz1YhLd4Ea";

fn organizations_page() -> Value {
    serde_json::from_str(include_str!("../fixtures/clerk_organizations_page.json"))
        .expect("fixture is JSON")
}

fn acme() -> Value {
    serde_json::from_str(include_str!("../fixtures/clerk_organization.json"))
        .expect("fixture is JSON")
}

fn acme_updated() -> Value {
    serde_json::from_str(include_str!("../fixtures/clerk_organization_updated.json"))
        .expect("fixture is JSON")
}

fn acme_deleted() -> Value {
    serde_json::from_str(include_str!("../fixtures/clerk_organization_deleted.json"))
        .expect("fixture is JSON")
}

/// Acme as every tool shows it.
fn acme_output() -> Value {
    json!({
        "id": ACME_ID,
        "name": "Acme Inc",
        "slug": "acme-inc",
        "membersCount": 12,
        "pendingInvitationsCount": 2,
        "maxAllowedMemberships": 25,
        "adminDeleteEnabled": true,
        "publicMetadata": {"plan": "enterprise", "features": {"sso": true, "auditLog": true}},
        "privateMetadata": {"stripeCustomerId": "cus_Q8wErTy12", "seats": 25},
        "createdBy": "user_2ada",
        "imageUrl": "https://img.clerk.com/eyJ0eXBlIjoicHJveHkiLCJzcmMiOiJodHRwczovL2ltYWdlcy5jbGVyay5kZXYvdXBsb2FkZWQvaW1nXzJnVDVwUXg4UmszbU5jVjdiV3oxWWhMZDRFYS5wbmcifQ",
        "hasImage": true,
        "createdAt": "2024-05-01T09:30:00.000Z",
        "updatedAt": "2024-05-30T09:31:12.123Z"
    })
}

/// Organization IDs (and slugs) that would reach another endpoint if they
/// went into a path unchecked.
fn path_escapes() -> Vec<String> {
    vec![
        "../x".to_owned(),
        "org_1/..".to_owned(),
        "org_1%2F..".to_owned(),
        "%2F".to_owned(),
        "org_1?limit=500".to_owned(),
        "org_1#x".to_owned(),
        "org_1 2".to_owned(),
        String::new(),
        format!("org_{}", "a".repeat(10_000)),
    ]
}

// clerk_list_organizations

#[test]
fn list_organizations_sends_the_defaults_with_members_count() {
    let clerk = FakeClerk::answering(organizations_page());
    tool_result(&clerk, "clerk_list_organizations", json!({}));
    assert_eq!(
        only_request(&clerk),
        Sent::without_body(
            "GET",
            "/v1/organizations?limit=20&offset=0&order_by=-created_at&include_members_count=true"
        )
    );
}

#[test]
fn list_organizations_sends_every_argument_with_plus_encoded() {
    let clerk = FakeClerk::answering(json!({"data": [], "total_count": 0}));
    tool_result(
        &clerk,
        "clerk_list_organizations",
        json!({
            "query": "acme inc",
            "limit": 100,
            "offset": 40,
            "includeMembersCount": false,
            "orderBy": "+name"
        }),
    );
    assert_eq!(
        only_request(&clerk),
        Sent::without_body(
            "GET",
            "/v1/organizations?limit=100&offset=40&order_by=%2Bname\
             &include_members_count=false&query=acme+inc"
        )
    );
}

#[test]
fn list_organizations_accepts_each_order_field_with_either_sign() {
    for (order_by, sent) in [
        ("members_count", "members_count"),
        ("-members_count", "-members_count"),
        ("+created_at", "%2Bcreated_at"),
        ("name", "name"),
    ] {
        let clerk = FakeClerk::answering(json!({"data": [], "total_count": 0}));
        tool_result(
            &clerk,
            "clerk_list_organizations",
            json!({"orderBy": order_by}),
        );
        assert_eq!(
            clerk.urls(),
            [format!(
                "/v1/organizations?limit=20&offset=0&order_by={sent}&include_members_count=true"
            )]
        );
    }
}

#[test]
fn list_organizations_leaves_out_a_blank_query() {
    let clerk = FakeClerk::answering(json!({"data": [], "total_count": 0}));
    tool_result(&clerk, "clerk_list_organizations", json!({"query": "  "}));
    assert_eq!(
        clerk.urls(),
        ["/v1/organizations?limit=20&offset=0&order_by=-created_at&include_members_count=true"]
    );
}

#[test]
fn list_organizations_returns_camel_case_organizations_with_iso_times_and_page_info() {
    let clerk = FakeClerk::answering(organizations_page());
    let result = tool_result(&clerk, "clerk_list_organizations", json!({"limit": 3}));
    assert_eq!(result["isError"], false);
    let output = &result["structuredContent"];
    assert_eq!(output["totalCount"], 45);
    assert_eq!(output["count"], 3);
    assert_eq!(output["offset"], 0);
    assert_eq!(output["hasMore"], true);
    assert_eq!(output["nextOffset"], 3);
    assert_eq!(output["organizations"][0], acme_output());
    assert_eq!(
        output["organizations"][1],
        json!({
            "id": "org_2fK9wLm3Zq7TgBv5XcN8RyJh2Ud",
            "name": "Globex",
            "slug": "globex",
            "membersCount": 0,
            "pendingInvitationsCount": 0,
            "maxAllowedMemberships": 0,
            "adminDeleteEnabled": false,
            "publicMetadata": {},
            "privateMetadata": {},
            "imageUrl": "https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCIsImlpZCI6Imluc18yYWJjIiwicmlkIjoib3JnXzJmSzl3TG0zWnE3VGdCdjVYY044UnlKaDJVZCJ9",
            "hasImage": false,
            "createdAt": "2024-03-01T12:00:00.000Z",
            "updatedAt": "2024-03-01T12:00:00.000Z"
        })
    );
    assert_eq!(
        output["organizations"][2]["id"],
        "org_2e7HbQn4Vx1KsWp9LtRz6MdYc3F"
    );
    assert_eq!(output["organizations"].as_array().map(Vec::len), Some(3));
    let text: Value = fenced_json(result_text(&result));
    assert_eq!(&text, output);
}

#[test]
fn last_page_of_organizations_has_no_next_offset() {
    let clerk = FakeClerk::answering(organizations_page());
    let result = tool_result(&clerk, "clerk_list_organizations", json!({"offset": 42}));
    let output = &result["structuredContent"];
    assert_eq!(output["offset"], 42);
    assert_eq!(output["hasMore"], false);
    assert!(output.get("nextOffset").is_none(), "{output}");
}

#[test]
fn invalid_list_organizations_arguments_name_the_argument_and_send_nothing() {
    let cases = [
        (json!({"limit": 0}), "limit"),
        (json!({"limit": 101}), "limit"),
        (json!({"limit": "ten"}), "limit"),
        (json!({"offset": -1}), "offset"),
        (json!({"includeMembersCount": "yes"}), "includeMembersCount"),
        (json!({"orderBy": "updated_at"}), "orderBy"),
        (json!({"orderBy": "--name"}), "orderBy"),
        (json!({"orderBy": "name desc"}), "orderBy"),
        (json!({"orderBy": ""}), "orderBy"),
        (json!({"query": "q".repeat(257)}), "query"),
        (json!({"query": "q".repeat(10_000)}), "query"),
        (json!({"page": 2}), "page"),
    ];
    for (arguments, argument) in cases {
        assert_refused("clerk_list_organizations", arguments, &[argument]);
    }
}

// clerk_get_organization

#[test]
fn get_organization_by_id_asks_for_the_members_count() {
    let clerk = FakeClerk::answering(acme());
    tool_result(
        &clerk,
        "clerk_get_organization",
        json!({"organizationId": ACME_ID}),
    );
    assert_eq!(
        only_request(&clerk),
        Sent::without_body(
            "GET",
            &format!("/v1/organizations/{ACME_ID}?include_members_count=true")
        )
    );
}

#[test]
fn get_organization_by_slug_puts_the_slug_in_the_path() {
    let clerk = FakeClerk::answering(acme());
    tool_result(
        &clerk,
        "clerk_get_organization",
        json!({"slug": "acme-inc"}),
    );
    assert_eq!(
        only_request(&clerk),
        Sent::without_body(
            "GET",
            "/v1/organizations/acme-inc?include_members_count=true"
        )
    );
}

#[test]
fn get_organization_returns_the_organization_in_camel_case_with_iso_times() {
    let clerk = FakeClerk::answering(acme());
    let result = tool_result(
        &clerk,
        "clerk_get_organization",
        json!({"organizationId": ACME_ID}),
    );
    assert_eq!(result["isError"], false);
    assert_eq!(result["structuredContent"], acme_output());
}

#[test]
fn get_organization_leaves_out_what_clerk_sends_as_null_and_ignores_unknown_fields() {
    let clerk = FakeClerk::answering(json!({
        "object": "organization",
        "id": "org_2sparse",
        "name": "Sparse",
        "slug": null,
        "image_url": null,
        "has_image": false,
        "members_count": null,
        "max_allowed_memberships": 0,
        "admin_delete_enabled": null,
        "public_metadata": null,
        "private_metadata": {"nested": {"deep": [1, 2]}},
        "created_by": "",
        "created_at": 1717400000000_i64,
        "updated_at": null,
        "a_field_from_the_future": {"x": 1}
    }));
    let result = tool_result(
        &clerk,
        "clerk_get_organization",
        json!({"organizationId": "org_2sparse"}),
    );
    assert_eq!(
        result["structuredContent"],
        json!({
            "id": "org_2sparse",
            "name": "Sparse",
            "maxAllowedMemberships": 0,
            "hasImage": false,
            "publicMetadata": {},
            "privateMetadata": {"nested": {"deep": [1, 2]}},
            "createdAt": "2024-06-03T07:33:20.000Z"
        })
    );
}

#[test]
fn get_organization_needs_exactly_one_of_id_and_slug() {
    for arguments in [
        json!({}),
        json!({"organizationId": null, "slug": null}),
        json!({"organizationId": ACME_ID, "slug": "acme-inc"}),
    ] {
        assert_refused(
            "clerk_get_organization",
            arguments,
            &["organizationId", "slug"],
        );
    }
}

#[test]
fn get_organization_refuses_ids_and_slugs_that_could_change_the_endpoint() {
    for bad in path_escapes() {
        assert_refused(
            "clerk_get_organization",
            json!({"organizationId": bad}),
            &["organizationId"],
        );
    }
    for bad in path_escapes().into_iter().chain([
        "acme/..".to_owned(),
        "Acme".to_owned(),
        "a".repeat(10_000),
    ]) {
        assert_refused("clerk_get_organization", json!({"slug": bad}), &["slug"]);
    }
    assert_refused(
        "clerk_get_organization",
        json!({"organizationId": "user_2ada"}),
        &["organizationId"],
    );
    assert_refused("clerk_get_organization", json!({"id": ACME_ID}), &["id"]);
}

#[test]
fn get_organization_not_found_names_the_id_or_the_slug() {
    for (arguments, needle) in [
        (
            json!({"organizationId": "org_missing1"}),
            "no organization with ID org_missing1",
        ),
        (json!({"slug": "acme"}), "no organization with slug acme"),
    ] {
        let clerk = FakeClerk::failing(404, "resource_not_found", "Resource not found", None);
        let text = not_found_text(&clerk, "clerk_get_organization", arguments);
        assert!(text.contains(needle), "{text}");
    }
}

// clerk_create_organization

#[test]
fn create_organization_posts_only_the_name_when_only_the_name_is_given() {
    let clerk = FakeClerk::answering(acme());
    tool_result(
        &clerk,
        "clerk_create_organization",
        json!({"name": "Acme Inc"}),
    );
    assert_eq!(
        only_request(&clerk),
        Sent::with_json("POST", "/v1/organizations", json!({"name": "Acme Inc"}))
    );
}

#[test]
fn create_organization_posts_every_given_field_in_snake_case() {
    let clerk = FakeClerk::answering(acme());
    tool_result(
        &clerk,
        "clerk_create_organization",
        json!({
            "name": "Acme Inc",
            "slug": "acme-inc",
            "createdBy": "user_2ada",
            "maxAllowedMemberships": 25,
            "publicMetadata": {"plan": "enterprise", "features": {"sso": true, "auditLog": true}},
            "privateMetadata": {"stripeCustomerId": "cus_Q8wErTy12", "seats": 25, "note": null}
        }),
    );
    assert_eq!(
        only_request(&clerk),
        Sent::with_json(
            "POST",
            "/v1/organizations",
            json!({
                "name": "Acme Inc",
                "slug": "acme-inc",
                "created_by": "user_2ada",
                "max_allowed_memberships": 25,
                "public_metadata": {"plan": "enterprise", "features": {"sso": true, "auditLog": true}},
                "private_metadata": {"stripeCustomerId": "cus_Q8wErTy12", "seats": 25, "note": null}
            })
        )
    );
}

#[test]
fn create_organization_returns_the_new_organization() {
    let clerk = FakeClerk::answering(acme());
    let result = tool_result(
        &clerk,
        "clerk_create_organization",
        json!({"name": "Acme Inc", "createdBy": "user_2ada"}),
    );
    assert_eq!(result["isError"], false);
    assert_eq!(result["structuredContent"], acme_output());
}

#[test]
fn create_organization_reports_a_taken_slug_with_clerks_code_and_parameter() {
    let clerk = FakeClerk::failing(
        422,
        "form_identifier_exists",
        "This slug is already taken",
        Some("slug"),
    );
    let result = tool_result(
        &clerk,
        "clerk_create_organization",
        json!({"name": "Acme Inc", "slug": "acme-inc"}),
    );
    assert_eq!(result["isError"], true);
    let text = result_text(&result);
    for needle in [
        "422",
        "form_identifier_exists",
        "This slug is already taken",
        "parameter: slug",
    ] {
        assert!(text.contains(needle), "{needle} missing from {text}");
    }
}

#[test]
fn invalid_create_organization_arguments_name_the_argument_and_send_nothing() {
    let cases = [
        (json!({}), "name"),
        (json!({"name": ""}), "name"),
        (json!({"name": "   "}), "name"),
        (json!({"name": "n".repeat(257)}), "name"),
        (json!({"name": 42}), "name"),
        (json!({"name": "Acme", "slug": "Acme Inc"}), "slug"),
        (json!({"name": "Acme", "slug": "../x"}), "slug"),
        (json!({"name": "Acme", "createdBy": "org_123"}), "createdBy"),
        (
            json!({"name": "Acme", "createdBy": "user_1/.."}),
            "createdBy",
        ),
        (
            json!({"name": "Acme", "maxAllowedMemberships": 0}),
            "maxAllowedMemberships",
        ),
        (
            json!({"name": "Acme", "maxAllowedMemberships": -1}),
            "maxAllowedMemberships",
        ),
        (
            json!({"name": "Acme", "publicMetadata": "pro"}),
            "publicMetadata",
        ),
        (
            json!({"name": "Acme", "privateMetadata": [1]}),
            "privateMetadata",
        ),
        (json!({"name": "Acme", "ownerId": "user_2ada"}), "ownerId"),
    ];
    for (arguments, argument) in cases {
        assert_refused("clerk_create_organization", arguments, &[argument]);
    }
}

// clerk_update_organization

#[test]
fn update_organization_patches_only_the_field_it_is_given() {
    for (arguments, body) in [
        (
            json!({"name": "Acme Corporation"}),
            json!({"name": "Acme Corporation"}),
        ),
        (json!({"slug": "acme-corp"}), json!({"slug": "acme-corp"})),
        (
            json!({"maxAllowedMemberships": 0}),
            json!({"max_allowed_memberships": 0}),
        ),
        (
            json!({"maxAllowedMemberships": 50}),
            json!({"max_allowed_memberships": 50}),
        ),
        (
            json!({"adminDeleteEnabled": false}),
            json!({"admin_delete_enabled": false}),
        ),
    ] {
        let mut arguments = arguments;
        arguments["organizationId"] = json!(ACME_ID);
        let clerk = FakeClerk::answering(acme_updated());
        let result = tool_result(&clerk, "clerk_update_organization", arguments.clone());
        assert_eq!(result["isError"], false, "{arguments}");
        assert_eq!(
            only_request(&clerk),
            Sent::with_json("PATCH", &format!("/v1/organizations/{ACME_ID}"), body)
        );
    }
}

#[test]
fn update_organization_sends_every_given_field_in_snake_case() {
    let clerk = FakeClerk::answering(acme_updated());
    tool_result(
        &clerk,
        "clerk_update_organization",
        json!({
            "organizationId": ACME_ID,
            "name": "Acme Corporation",
            "slug": "acme-corp",
            "maxAllowedMemberships": 50,
            "adminDeleteEnabled": true
        }),
    );
    assert_eq!(
        only_request(&clerk),
        Sent::with_json(
            "PATCH",
            &format!("/v1/organizations/{ACME_ID}"),
            json!({
                "name": "Acme Corporation",
                "slug": "acme-corp",
                "max_allowed_memberships": 50,
                "admin_delete_enabled": true
            })
        )
    );
}

#[test]
fn update_organization_leaves_out_the_fields_given_as_null() {
    let clerk = FakeClerk::answering(acme_updated());
    tool_result(
        &clerk,
        "clerk_update_organization",
        json!({
            "organizationId": ACME_ID,
            "name": null,
            "slug": "acme-corp",
            "maxAllowedMemberships": null,
            "adminDeleteEnabled": null
        }),
    );
    assert_eq!(
        only_request(&clerk).body,
        Some(json!({"slug": "acme-corp"}))
    );
}

#[test]
fn update_organization_returns_the_updated_organization() {
    let clerk = FakeClerk::answering(acme_updated());
    let result = tool_result(
        &clerk,
        "clerk_update_organization",
        json!({"organizationId": ACME_ID, "name": "Acme Corporation", "slug": "acme-corp"}),
    );
    assert_eq!(result["isError"], false);
    let mut expected = acme_output();
    expected["name"] = json!("Acme Corporation");
    expected["slug"] = json!("acme-corp");
    expected["maxAllowedMemberships"] = json!(50);
    expected["adminDeleteEnabled"] = json!(false);
    expected["updatedAt"] = json!("2024-06-06T09:00:00.000Z");
    if let Some(organization) = expected.as_object_mut() {
        organization.remove("membersCount");
        organization.remove("pendingInvitationsCount");
    }
    assert_eq!(result["structuredContent"], expected);
}

#[test]
fn update_organization_needs_at_least_one_field_to_change() {
    for arguments in [
        json!({"organizationId": ACME_ID}),
        json!({
            "organizationId": ACME_ID,
            "name": null,
            "slug": null,
            "maxAllowedMemberships": null,
            "adminDeleteEnabled": null
        }),
    ] {
        assert_refused(
            "clerk_update_organization",
            arguments,
            &[
                "name",
                "slug",
                "maxAllowedMemberships",
                "adminDeleteEnabled",
            ],
        );
    }
}

#[test]
fn invalid_update_organization_arguments_name_the_argument_and_send_nothing() {
    for bad in path_escapes() {
        assert_refused(
            "clerk_update_organization",
            json!({"organizationId": bad, "name": "Acme"}),
            &["organizationId"],
        );
    }
    let with = |key: &str, value: Value| json!({"organizationId": ACME_ID, key: value});
    for (arguments, argument) in [
        (json!({"name": "Acme"}), "organizationId"),
        (
            json!({"organizationId": "user_2ada", "name": "Acme"}),
            "organizationId",
        ),
        (with("name", json!("")), "name"),
        (with("name", json!("   ")), "name"),
        (with("name", json!("n".repeat(257))), "name"),
        (with("name", json!(42)), "name"),
        (with("slug", json!("Acme Inc")), "slug"),
        (with("slug", json!("acme_inc")), "slug"),
        (with("slug", json!("../x")), "slug"),
        (with("slug", json!("")), "slug"),
        (
            with("maxAllowedMemberships", json!(-1)),
            "maxAllowedMemberships",
        ),
        (
            with("maxAllowedMemberships", json!(2.5)),
            "maxAllowedMemberships",
        ),
        (
            with("maxAllowedMemberships", json!("50")),
            "maxAllowedMemberships",
        ),
        (
            with("adminDeleteEnabled", json!("yes")),
            "adminDeleteEnabled",
        ),
        (
            with("publicMetadata", json!({"plan": "pro"})),
            "publicMetadata",
        ),
        (
            with("privateMetadata", json!({"seats": 5})),
            "privateMetadata",
        ),
        (
            with("createdAt", json!("2024-01-01T00:00:00Z")),
            "createdAt",
        ),
    ] {
        assert_refused("clerk_update_organization", arguments, &[argument]);
    }
}

#[test]
fn update_organization_reports_a_taken_slug_with_clerks_code_and_parameter() {
    let clerk = FakeClerk::failing(
        422,
        "form_identifier_exists",
        "This slug is already taken",
        Some("slug"),
    );
    let result = tool_result(
        &clerk,
        "clerk_update_organization",
        json!({"organizationId": ACME_ID, "slug": "globex"}),
    );
    assert_eq!(result["isError"], true);
    let text = result_text(&result);
    for needle in [
        "422",
        "form_identifier_exists",
        "This slug is already taken",
        "parameter: slug",
    ] {
        assert!(text.contains(needle), "{needle} missing from {text}");
    }
}

#[test]
fn update_organization_not_found_names_the_id() {
    let clerk = FakeClerk::failing(404, "resource_not_found", "Resource not found", None);
    let result = tool_result(
        &clerk,
        "clerk_update_organization",
        json!({"organizationId": "org_missing1", "adminDeleteEnabled": true}),
    );
    assert_eq!(result["isError"], true);
    let text = result_text(&result);
    assert!(
        text.starts_with("Not found: no organization with ID org_missing1."),
        "{text}"
    );
    assert!(text.contains("404"), "{text}");
}

// clerk_update_organization_metadata

#[test]
fn update_organization_metadata_patches_the_metadata_endpoint_with_only_the_given_object() {
    let clerk = FakeClerk::answering(acme());
    let public_metadata = json!({
        "plan": "enterprise",
        "features": {"sso": true, "legacyBilling": null},
        "trialEndsAt": null,
        "regions": ["eu", "us"]
    });
    tool_result(
        &clerk,
        "clerk_update_organization_metadata",
        json!({"organizationId": ACME_ID, "publicMetadata": public_metadata}),
    );
    assert_eq!(
        only_request(&clerk),
        Sent::with_json(
            "PATCH",
            &format!("/v1/organizations/{ACME_ID}/metadata"),
            json!({"public_metadata": public_metadata})
        )
    );
}

#[test]
fn update_organization_metadata_sends_both_objects_when_both_are_given() {
    let clerk = FakeClerk::answering(acme());
    tool_result(
        &clerk,
        "clerk_update_organization_metadata",
        json!({
            "organizationId": ACME_ID,
            "publicMetadata": {},
            "privateMetadata": {"seats": 25}
        }),
    );
    assert_eq!(
        only_request(&clerk),
        Sent::with_json(
            "PATCH",
            &format!("/v1/organizations/{ACME_ID}/metadata"),
            json!({"public_metadata": {}, "private_metadata": {"seats": 25}})
        )
    );
}

#[test]
fn update_organization_metadata_returns_the_updated_organization() {
    let clerk = FakeClerk::answering(acme());
    let result = tool_result(
        &clerk,
        "clerk_update_organization_metadata",
        json!({"organizationId": ACME_ID, "privateMetadata": {"seats": 25}}),
    );
    assert_eq!(result["isError"], false);
    assert_eq!(result["structuredContent"], acme_output());
}

#[test]
fn update_organization_metadata_needs_at_least_one_metadata_object() {
    for arguments in [
        json!({"organizationId": ACME_ID}),
        json!({"organizationId": ACME_ID, "publicMetadata": null, "privateMetadata": null}),
    ] {
        assert_refused(
            "clerk_update_organization_metadata",
            arguments,
            &["publicMetadata", "privateMetadata"],
        );
    }
}

#[test]
fn invalid_update_organization_metadata_arguments_name_the_argument_and_send_nothing() {
    let metadata = json!({"plan": "pro"});
    for bad in path_escapes() {
        assert_refused(
            "clerk_update_organization_metadata",
            json!({"organizationId": bad, "publicMetadata": metadata}),
            &["organizationId"],
        );
    }
    for (arguments, argument) in [
        (json!({"publicMetadata": metadata}), "organizationId"),
        (
            json!({"organizationId": ACME_ID, "publicMetadata": "plan=pro"}),
            "publicMetadata",
        ),
        (
            json!({"organizationId": ACME_ID, "unsafeMetadata": metadata}),
            "unsafeMetadata",
        ),
    ] {
        assert_refused("clerk_update_organization_metadata", arguments, &[argument]);
    }
}

#[test]
fn update_organization_metadata_not_found_names_the_id() {
    let clerk = FakeClerk::failing(404, "resource_not_found", "Resource not found", None);
    let result = tool_result(
        &clerk,
        "clerk_update_organization_metadata",
        json!({"organizationId": "org_missing1", "publicMetadata": {"plan": "pro"}}),
    );
    assert_eq!(result["isError"], true);
    let text = result_text(&result);
    assert!(
        text.contains("no organization with ID org_missing1"),
        "{text}"
    );
}

// clerk_delete_organization

#[test]
fn delete_organization_sends_a_delete_without_body_and_returns_the_id() {
    let clerk = FakeClerk::answering(acme_deleted());
    let result = tool_result(
        &clerk,
        "clerk_delete_organization",
        json!({"organizationId": ACME_ID}),
    );
    assert_eq!(
        only_request(&clerk),
        Sent::without_body("DELETE", &format!("/v1/organizations/{ACME_ID}"))
    );
    assert_eq!(result["isError"], false);
    assert_eq!(
        result["structuredContent"],
        json!({"id": ACME_ID, "deleted": true})
    );
}

#[test]
fn delete_organization_falls_back_to_the_argument_when_clerk_omits_the_id() {
    let clerk = FakeClerk::answering(json!({"object": "organization", "deleted": true}));
    let result = tool_result(
        &clerk,
        "clerk_delete_organization",
        json!({"organizationId": "org_2other"}),
    );
    assert_eq!(
        result["structuredContent"],
        json!({"id": "org_2other", "deleted": true})
    );
}

#[test]
fn invalid_delete_organization_arguments_name_the_argument_and_send_nothing() {
    for bad in path_escapes() {
        assert_refused(
            "clerk_delete_organization",
            json!({"organizationId": bad}),
            &["organizationId"],
        );
    }
    assert_refused("clerk_delete_organization", json!({}), &["organizationId"]);
    assert_refused(
        "clerk_delete_organization",
        json!({"slug": "acme-inc"}),
        &["slug"],
    );
}

#[test]
fn delete_organization_not_found_names_the_id() {
    let clerk = FakeClerk::failing(404, "resource_not_found", "Resource not found", None);
    let result = tool_result(
        &clerk,
        "clerk_delete_organization",
        json!({"organizationId": "org_missing1"}),
    );
    assert_eq!(result["isError"], true);
    let text = result_text(&result);
    assert!(
        text.contains("no organization with ID org_missing1"),
        "{text}"
    );
    assert!(text.contains("404"), "{text}");
}
