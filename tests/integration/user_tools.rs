//! The user tools: the exact requests they send to Clerk, the results they
//! return for recorded Clerk answers, the arguments they refuse before
//! sending anything, and a new user's password kept out of every answer.

use clerk_mcp_worker::clerk::{SendError, SendFailure};
use serde_json::{json, Value};

use crate::support::*;

fn users_page() -> Value {
    serde_json::from_str(include_str!("../fixtures/clerk_users_page.json"))
        .expect("fixture is JSON")
}

fn ada() -> Value {
    users_page()[0].clone()
}

#[test]
fn list_users_sends_the_defaults_and_counts_with_the_same_filters() {
    let clerk = FakeClerk::with_users(users_page(), 3);
    tool_result(&clerk, "clerk_list_users", json!({}));
    assert_eq!(
        clerk.urls(),
        [
            "/v1/users?limit=20&offset=0&order_by=-created_at",
            "/v1/users/count"
        ]
    );
}

#[test]
fn clerk_requests_carry_the_key_api_version_and_user_agent_and_no_body() {
    let clerk = FakeClerk::with_users(users_page(), 3);
    tool_result(&clerk, "clerk_list_users", json!({}));
    for request in clerk.requests.borrow().iter() {
        assert_eq!(request.method(), "GET");
        assert_eq!(request.uri().host(), Some("127.0.0.1"));
        let headers = request.headers();
        assert_eq!(headers["authorization"], format!("Bearer {KEY}").as_str());
        assert_eq!(headers["clerk-api-version"], "2026-05-12");
        assert!(headers["user-agent"]
            .to_str()
            .unwrap()
            .starts_with("clerk-mcp-worker/"));
        assert!(headers.get("content-type").is_none());
        assert!(request.body().is_empty());
    }
}

#[test]
fn list_users_sends_filters_as_repeated_keys_with_plus_encoded() {
    let clerk = FakeClerk::with_users(json!([]), 0);
    tool_result(
        &clerk,
        "clerk_list_users",
        json!({
            "limit": 200,
            "offset": 40,
            "query": "ada lovelace",
            "emailAddress": ["ada+test@example.com", "grace@example.com"],
            "userId": ["user_a1", "user_b2"],
            "orderBy": "+last_name"
        }),
    );
    let filters = "query=ada+lovelace&email_address=ada%2Btest%40example.com\
        &email_address=grace%40example.com&user_id=user_a1&user_id=user_b2";
    assert_eq!(
        clerk.urls(),
        [
            format!("/v1/users?limit=200&offset=40&order_by=%2Blast_name&{filters}"),
            format!("/v1/users/count?{filters}"),
        ]
    );
}

#[test]
fn list_users_returns_compact_users_with_iso_times_and_page_info() {
    let clerk = FakeClerk::with_users(users_page(), 45);
    let result = tool_result(&clerk, "clerk_list_users", json!({"limit": 3}));
    assert_eq!(result["isError"], false);
    let output = &result["structuredContent"];
    assert_eq!(output["totalCount"], 45);
    assert_eq!(output["count"], 3);
    assert_eq!(output["offset"], 0);
    assert_eq!(output["hasMore"], true);
    assert_eq!(output["nextOffset"], 3);
    assert_eq!(
        output["users"][0],
        json!({
            "id": "user_2ada",
            "firstName": "Ada",
            "lastName": "Lovelace",
            "username": "ada",
            "primaryEmailAddress": "ada@example.com",
            "emailAddresses": ["ada@example.com", "ada.l@work.example"],
            "phoneNumbers": ["+15555550100"],
            "externalAccounts": ["oauth_google"],
            "banned": false,
            "locked": false,
            "publicMetadata": {"plan": "pro"},
            "privateMetadata": {"stripeCustomerId": "cus_123"},
            "createdAt": "2024-01-02T03:04:05.678Z",
            "updatedAt": "2024-01-02T03:04:06.678Z",
            "lastSignInAt": "2024-05-29T16:26:40.000Z",
            "lastActiveAt": "2024-05-30T00:00:00.000Z"
        })
    );
    assert_eq!(
        output["users"][2],
        json!({
            "id": "user_2nobody",
            "banned": false,
            "locked": true,
            "createdAt": "2023-12-19T15:33:20.000Z",
            "updatedAt": "2023-12-19T15:33:21.000Z"
        })
    );
}

/// A Clerk that answers the page of users with `page`, byte for byte, and
/// the count with 1.
fn answering_page_text(page: impl Into<String>) -> FakeClerk {
    let page = page.into();
    FakeClerk::new(move |request| {
        let body = if request.uri().path() == "/v1/users/count" {
            r#"{"object":"total_count","total_count":1}"#
        } else {
            page.as_str()
        };
        Ok(http::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(body.as_bytes().to_vec())
            .expect("a valid answer"))
    })
}

#[test]
fn listed_metadata_is_passed_on_as_clerk_wrote_it_and_empty_objects_are_left_out() {
    let clerk = answering_page_text(
        r#"[{"id":"user_2ada","image_url":"https://img.example/ada",
            "public_metadata":{"zone":"eu","plan":{"seats":5,"name":"caf\u00e9 \"pro\""}},
            "private_metadata":{ },"unsafe_metadata":null,
            "email_addresses":null,"banned":null,"created_at":1704164645678}]"#,
    );
    let result = tool_result(&clerk, "clerk_list_users", json!({}));
    assert_eq!(result["isError"], false, "{result}");
    let text = result_text(&result);
    assert!(
        text.contains(
            r#""publicMetadata":{"zone":"eu","plan":{"seats":5,"name":"caf\u00e9 \"pro\""}}"#
        ),
        "{text}"
    );
    let user = &result["structuredContent"]["users"][0];
    assert_eq!(user["publicMetadata"]["plan"]["name"], "caf\u{e9} \"pro\"");
    assert!(user.get("privateMetadata").is_none(), "{user}");
    assert!(user.get("unsafeMetadata").is_none(), "{user}");
    assert_eq!(user["banned"], false);
    assert_eq!(user["createdAt"], "2024-01-02T03:04:05.678Z");
}

#[test]
fn listed_metadata_that_is_not_an_object_is_reported_as_an_unreadable_answer() {
    for metadata in [r#"["plan"]"#, r#""pro""#, "7"] {
        let page = format!(r#"[{{"id":"user_2ada","public_metadata":{metadata}}}]"#);
        let clerk = answering_page_text(page);
        let result = tool_result(&clerk, "clerk_list_users", json!({}));
        assert_eq!(result["isError"], true, "{metadata}");
        let text = result_text(&result);
        assert!(
            text.contains("Clerk answered HTTP 200 with a body this server could not read"),
            "{text}"
        );
    }
}

#[test]
fn tool_text_block_holds_the_same_json_as_structured_content() {
    let clerk = FakeClerk::with_users(users_page(), 3);
    let result = tool_result(&clerk, "clerk_list_users", json!({}));
    assert_eq!(result["content"][0]["type"], "text");
    let text: Value = fenced_json(result_text(&result));
    assert_eq!(text, result["structuredContent"]);
}

#[test]
fn last_page_of_users_has_no_next_offset() {
    let clerk = FakeClerk::with_users(users_page(), 43);
    let result = tool_result(&clerk, "clerk_list_users", json!({"offset": 40}));
    let output = &result["structuredContent"];
    assert_eq!(output["hasMore"], false);
    assert!(output.get("nextOffset").is_none());
}

#[test]
fn invalid_list_users_arguments_name_the_argument_and_send_nothing() {
    let cases = [
        (json!({"limit": 0}), "limit"),
        (json!({"limit": 201}), "limit"),
        (json!({"limit": "ten"}), "limit"),
        (json!({"limit": 2.5}), "limit"),
        (json!({"offset": -1}), "offset"),
        (json!({"orderBy": "name"}), "orderBy"),
        (json!({"orderBy": "--created_at"}), "orderBy"),
        (json!({"userId": ["org_123"]}), "userId"),
        (json!({"userId": "user_123"}), "userId"),
        (json!({"emailAddress": [""]}), "emailAddress"),
        (json!({"query": "q".repeat(10_000)}), "query"),
        (json!({"limitt": 5}), "limitt"),
    ];
    for (arguments, argument) in cases {
        assert_refused("clerk_list_users", arguments, &[argument]);
    }
}

#[test]
fn get_user_fetches_the_user_and_returns_the_full_profile() {
    let clerk = FakeClerk::answering(ada());
    let result = tool_result(&clerk, "clerk_get_user", json!({"userId": "user_2ada"}));
    assert_eq!(clerk.urls(), ["/v1/users/user_2ada"]);
    let user = &result["structuredContent"];
    assert_eq!(user["id"], "user_2ada");
    assert_eq!(user["primaryEmailAddress"], "ada@example.com");
    assert_eq!(user["primaryPhoneNumber"], "+15555550100");
    assert_eq!(
        user["emailAddresses"],
        json!([
            {"id": "idn_email1", "emailAddress": "ada@example.com", "verified": true, "primary": true},
            {"id": "idn_email2", "emailAddress": "ada.l@work.example", "verified": false, "primary": false}
        ])
    );
    assert_eq!(user["externalAccounts"][0]["provider"], "oauth_google");
    assert_eq!(
        user["externalAccounts"][0]["emailAddress"],
        "ada@example.com"
    );
    assert_eq!(user["externalAccounts"][0]["verified"], true);
    assert_eq!(user["twoFactorEnabled"], false);
    assert_eq!(user["passwordEnabled"], true);
    assert_eq!(
        user["privateMetadata"],
        json!({"stripeCustomerId": "cus_123"})
    );
    assert_eq!(user["unsafeMetadata"], json!({}));
    assert_eq!(user["createdAt"], "2024-01-02T03:04:05.678Z");
    assert_eq!(user["mfaEnabledAt"], Value::Null);
}

#[test]
fn get_user_shows_organization_memberships_when_clerk_includes_them() {
    let mut user = ada();
    user["organization_memberships"] = json!([{
        "id": "orgmem_1", "object": "organization_membership", "role": "org:admin",
        "organization": {"id": "org_1", "name": "Acme", "slug": "acme"}
    }]);
    let clerk = FakeClerk::answering(user);
    let result = tool_result(&clerk, "clerk_get_user", json!({"userId": "user_2ada"}));
    assert_eq!(
        result["structuredContent"]["organizationMemberships"],
        json!([{"organizationId": "org_1", "organizationName": "Acme", "organizationSlug": "acme", "role": "org:admin"}])
    );
}

#[test]
fn get_user_not_found_says_which_user_with_status_and_code() {
    let clerk = FakeClerk::failing(404, "resource_not_found", "Resource not found", None);
    let text = not_found_text(&clerk, "clerk_get_user", json!({"userId": "user_missing1"}));
    assert!(text.contains("no user with ID user_missing1"), "{text}");
}

#[test]
fn get_user_refuses_ids_that_could_change_the_endpoint() {
    for user_id in [
        "../organizations",
        "user_1/../../organizations",
        "user_1?limit=500",
        "user_1#x",
        "user_1%2F..",
        "user_1 2",
        "user_1\r\nX-Injected: 1",
        "usér_1",
        "",
    ] {
        assert_refused("clerk_get_user", json!({"userId": user_id}), &["userId"]);
    }
}

#[test]
fn get_user_without_user_id_names_the_missing_argument() {
    let clerk = FakeClerk::unused();
    let result = tool_result(&clerk, "clerk_get_user", json!({}));
    assert_eq!(result["isError"], true);
    assert!(
        result_text(&result).contains("userId"),
        "{}",
        result_text(&result)
    );
}

#[test]
fn clerk_422_names_status_code_long_message_and_parameter() {
    let clerk = FakeClerk::failing(
        422,
        "form_param_format_invalid",
        "order_by is not valid",
        Some("order_by"),
    );
    let result = tool_result(&clerk, "clerk_list_users", json!({}));
    assert_eq!(result["isError"], true);
    let text = result_text(&result);
    for needle in [
        "422",
        "form_param_format_invalid",
        "order_by is not valid",
        "parameter: order_by",
    ] {
        assert!(text.contains(needle), "{needle} missing from {text}");
    }
}

#[test]
fn clerk_429_gives_the_retry_after_seconds() {
    let clerk = FakeClerk::new(|_| {
        let mut answer = json_answer(
            429,
            &json!({"errors": [{"message": "Too many requests", "long_message": "Too many requests", "code": "too_many_requests"}]}),
        );
        answer
            .headers_mut()
            .insert("retry-after", "30".parse().unwrap());
        Ok(answer)
    });
    let result = tool_result(&clerk, "clerk_get_user", json!({"userId": "user_2ada"}));
    assert!(
        result_text(&result).contains("retry after 30 seconds"),
        "{}",
        result_text(&result)
    );
}

#[test]
fn clerk_401_and_500_html_and_unreachable_are_tool_errors_without_the_key() {
    let html = FakeClerk::new(|_| {
        Ok(http::Response::builder()
            .status(500)
            .header("content-type", "text/html")
            .body(format!("<html>{KEY}</html>").into_bytes())
            .unwrap())
    });
    let unreachable = FakeClerk::new(|_| {
        Err(SendError::new(
            SendFailure::Unreachable,
            "connection refused",
        ))
    });
    let unauthorized = FakeClerk::failing(
        401,
        "authentication_invalid",
        "The secret key is invalid",
        None,
    );
    for (clerk, needle) in [
        (html, "HTTP 500"),
        (unreachable, "could not be reached: connection refused"),
        (unauthorized, "authentication_invalid"),
    ] {
        let result = tool_result(&clerk, "clerk_get_user", json!({"userId": "user_2ada"}));
        assert_eq!(result["isError"], true);
        let text = result_text(&result);
        assert!(text.contains(needle), "{needle} missing from {text}");
        assert!(!text.contains(KEY), "the key leaked: {text}");
    }
}

#[test]
fn answer_not_shaped_like_the_spec_is_a_clear_tool_error() {
    let clerk = FakeClerk::with_users(json!({"data": "not a list"}), 3);
    let result = tool_result(&clerk, "clerk_list_users", json!({}));
    assert_eq!(result["isError"], true);
    assert!(
        result_text(&result).contains("could not read"),
        "{}",
        result_text(&result)
    );
}

#[test]
fn update_user_metadata_patches_only_the_given_objects_through_the_metadata_endpoint() {
    let clerk = FakeClerk::answering(ada());
    let result = tool_result(
        &clerk,
        "clerk_update_user_metadata",
        json!({
            "userId": "user_2ada",
            "publicMetadata": {"plan": "team", "limits": {"seats": 5}},
            "unsafeMetadata": {"theme": null}
        }),
    );
    assert_eq!(result["isError"], false, "{}", result_text(&result));
    let requests = clerk.requests.borrow();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method(), "PATCH");
    assert_eq!(request.uri().path(), "/v1/users/user_2ada/metadata");
    assert_eq!(request.headers()["content-type"], "application/json");
    let body: Value = serde_json::from_slice(request.body()).expect("JSON body");
    assert_eq!(
        body,
        json!({
            "public_metadata": {"plan": "team", "limits": {"seats": 5}},
            "unsafe_metadata": {"theme": null}
        })
    );
    assert_eq!(result["structuredContent"]["id"], "user_2ada");
    assert_eq!(
        result["structuredContent"]["primaryEmailAddress"],
        "ada@example.com"
    );
}

#[test]
fn update_user_metadata_needs_at_least_one_metadata_object() {
    let text = assert_refused(
        "clerk_update_user_metadata",
        json!({"userId": "user_2ada"}),
        &[],
    );
    assert!(
        text.contains("`publicMetadata`, `privateMetadata`, `unsafeMetadata`"),
        "{text}"
    );
}

#[test]
fn update_user_metadata_refuses_metadata_that_is_not_an_object() {
    assert_refused(
        "clerk_update_user_metadata",
        json!({"userId": "user_2ada", "privateMetadata": ["not", "an", "object"]}),
        &["privateMetadata"],
    );
}

#[test]
fn update_user_metadata_for_a_missing_user_names_it() {
    let clerk = FakeClerk::failing(404, "resource_not_found", "Resource not found", None);
    let result = tool_result(
        &clerk,
        "clerk_update_user_metadata",
        json!({"userId": "user_gone1", "publicMetadata": {"a": 1}}),
    );
    assert!(
        result_text(&result).contains("no user with ID user_gone1"),
        "{}",
        result_text(&result)
    );
}

// clerk_count_users

#[test]
fn count_users_without_filters_counts_every_user() {
    let clerk = FakeClerk::answering(json!({"object": "total_count", "total_count": 1234}));
    let result = tool_result(&clerk, "clerk_count_users", json!({}));
    assert_eq!(
        only_request(&clerk),
        Sent::without_body("GET", "/v1/users/count")
    );
    assert_eq!(result["isError"], false);
    assert_eq!(result["structuredContent"], json!({"totalCount": 1234}));
}

#[test]
fn count_users_sends_the_filters_of_list_users_and_leaves_out_a_blank_query() {
    let clerk = FakeClerk::answering(json!({"object": "total_count", "total_count": 2}));
    tool_result(
        &clerk,
        "clerk_count_users",
        json!({
            "query": "ada lovelace",
            "emailAddress": ["ada+test@example.com"],
            "userId": ["user_a1", "user_b2"]
        }),
    );
    let blank = FakeClerk::answering(json!({"object": "total_count", "total_count": 0}));
    tool_result(&blank, "clerk_count_users", json!({"query": "   "}));
    assert_eq!(
        only_request(&clerk).url,
        "/v1/users/count?query=ada+lovelace&email_address=ada%2Btest%40example.com\
         &user_id=user_a1&user_id=user_b2"
    );
    assert_eq!(only_request(&blank).url, "/v1/users/count");
}

#[test]
fn count_users_refuses_the_filters_list_users_refuses_and_paging() {
    let cases = [
        (json!({"userId": ["org_123"]}), "userId"),
        (json!({"userId": "user_123"}), "userId"),
        (json!({"userId": vec!["user_1"; 101]}), "userId"),
        (json!({"emailAddress": [""]}), "emailAddress"),
        (json!({"query": "q".repeat(10_000)}), "query"),
        (json!({"limit": 5}), "limit"),
        (json!({"orderBy": "-created_at"}), "orderBy"),
    ];
    for (arguments, argument) in cases {
        assert_refused("clerk_count_users", arguments, &[argument]);
    }
}

// clerk_create_user

fn grace() -> Value {
    serde_json::from_str(include_str!("../fixtures/clerk_user_created.json"))
        .expect("fixture is JSON")
}

const PASSWORD: &str = "correct-Horse-battery-9";

#[test]
fn create_user_posts_only_the_given_fields() {
    let clerk = FakeClerk::answering(grace());
    let result = tool_result(
        &clerk,
        "clerk_create_user",
        json!({"emailAddress": ["grace@example.com"]}),
    );
    assert_eq!(result["isError"], false, "{}", result_text(&result));
    assert_eq!(
        only_request(&clerk),
        Sent::with_json(
            "POST",
            "/v1/users",
            json!({"email_address": ["grace@example.com"]})
        )
    );
}

#[test]
fn create_user_sends_every_argument_in_clerks_snake_case() {
    let clerk = FakeClerk::answering(grace());
    tool_result(
        &clerk,
        "clerk_create_user",
        json!({
            "emailAddress": ["grace@example.com", "g.hopper@navy.example"],
            "phoneNumber": ["+15555550100"],
            "username": "grace",
            "firstName": "Grace",
            "lastName": "Hopper",
            "externalId": "crm-1906",
            "password": PASSWORD,
            "skipPasswordRequirement": false,
            "publicMetadata": {"plan": "team"},
            "privateMetadata": {"crm": {"id": 1906, "gone": null}},
            "unsafeMetadata": {}
        }),
    );
    assert_eq!(
        only_request(&clerk),
        Sent::with_json(
            "POST",
            "/v1/users",
            json!({
                "email_address": ["grace@example.com", "g.hopper@navy.example"],
                "phone_number": ["+15555550100"],
                "username": "grace",
                "first_name": "Grace",
                "last_name": "Hopper",
                "external_id": "crm-1906",
                "password": PASSWORD,
                "skip_password_requirement": false,
                "public_metadata": {"plan": "team"},
                "private_metadata": {"crm": {"id": 1906, "gone": null}},
                "unsafe_metadata": {}
            })
        )
    );
}

#[test]
fn create_user_without_a_password_can_skip_the_requirement_and_leaves_out_empty_lists() {
    let clerk = FakeClerk::answering(grace());
    tool_result(
        &clerk,
        "clerk_create_user",
        json!({
            "username": "grace",
            "emailAddress": [],
            "phoneNumber": [],
            "skipPasswordRequirement": true
        }),
    );
    assert_eq!(
        only_request(&clerk).body,
        Some(json!({"username": "grace", "skip_password_requirement": true}))
    );
}

#[test]
fn create_user_returns_the_new_users_full_profile() {
    let clerk = FakeClerk::answering(grace());
    let result = tool_result(
        &clerk,
        "clerk_create_user",
        json!({"phoneNumber": ["+15555550100"], "skipPasswordRequirement": true}),
    );
    let user = &result["structuredContent"];
    assert_eq!(user["id"], "user_2grace");
    assert_eq!(user["externalId"], "crm-1906");
    assert_eq!(user["username"], "grace");
    assert_eq!(user["primaryEmailAddress"], "grace@example.com");
    assert_eq!(user["primaryPhoneNumber"], "+15555550100");
    assert_eq!(
        user["emailAddresses"],
        json!([{"id": "idn_grace1", "emailAddress": "grace@example.com", "verified": true, "primary": true}])
    );
    assert_eq!(user["passwordEnabled"], true);
    assert_eq!(user["privateMetadata"], json!({"crm": {"id": 1906}}));
    assert_eq!(user["createdAt"], "2024-06-03T07:33:20.000Z");
    assert_eq!(user["lastSignInAt"], Value::Null);
    assert_eq!(user["banned"], false);
}

#[test]
fn create_user_needs_an_email_address_phone_number_or_username() {
    for arguments in [
        json!({}),
        json!({"firstName": "Grace", "lastName": "Hopper"}),
        json!({"externalId": "crm-1906", "password": PASSWORD}),
        json!({"emailAddress": [], "phoneNumber": []}),
    ] {
        assert_refused(
            "clerk_create_user",
            arguments,
            &["emailAddress", "phoneNumber", "username"],
        );
    }
}

#[test]
fn create_user_refuses_malformed_identifiers_and_fields() {
    let cases = [
        (json!({"emailAddress": ["grace"]}), "emailAddress"),
        (json!({"emailAddress": "grace@example.com"}), "emailAddress"),
        (
            json!({"emailAddress": ["grace@example.com", "a b@example.com"]}),
            "emailAddress",
        ),
        (
            json!({"emailAddress": vec!["grace@example.com"; 11]}),
            "emailAddress",
        ),
        (json!({"phoneNumber": ["555-0100"]}), "phoneNumber"),
        (json!({"phoneNumber": ["15555550100"]}), "phoneNumber"),
        (json!({"phoneNumber": ["+0155555501"]}), "phoneNumber"),
        (json!({"phoneNumber": ["+1555555010012345"]}), "phoneNumber"),
        (json!({"phoneNumber": ["+1 555 555 0100"]}), "phoneNumber"),
        (json!({"username": ""}), "username"),
        (json!({"username": "   "}), "username"),
        (json!({"username": "g".repeat(257)}), "username"),
        (
            json!({"username": "grace", "firstName": "G".repeat(257)}),
            "firstName",
        ),
        (
            json!({"username": "grace", "externalId": "x".repeat(257)}),
            "externalId",
        ),
        (
            json!({"username": "grace", "skipPasswordRequirement": "yes"}),
            "skipPasswordRequirement",
        ),
        (
            json!({"username": "grace", "publicMetadata": ["not", "an", "object"]}),
            "publicMetadata",
        ),
        (
            json!({"username": "grace", "web3Wallet": ["0x0"]}),
            "web3Wallet",
        ),
    ];
    for (arguments, argument) in cases {
        assert_refused("clerk_create_user", arguments, &[argument]);
    }
}

#[test]
fn create_user_refuses_a_bad_password_without_showing_it() {
    for (password, shown) in [
        (json!("Sh0rt!x"), "Sh0rt!x"),
        (json!("p".repeat(257)), "ppppp"),
        (json!(918_273_645), "918273645"),
        (json!(["hunter2hunter2"]), "hunter2"),
        (json!({"secret": "hunter2hunter2"}), "hunter2"),
    ] {
        let text = assert_refused(
            "clerk_create_user",
            json!({"username": "grace", "password": password}),
            &["password"],
        );
        assert!(!text.contains(shown), "the password was shown: {text}");
    }
}

#[test]
fn create_user_never_shows_the_password_in_its_answer_or_any_error() {
    let created = FakeClerk::answering(grace());
    let result = tool_result(
        &created,
        "clerk_create_user",
        json!({"emailAddress": ["grace@example.com"], "password": PASSWORD}),
    );
    assert_eq!(result["isError"], false);
    assert!(!result.to_string().contains(PASSWORD), "{result}");

    let refused = assert_refused(
        "clerk_create_user",
        json!({"emailAddress": ["not an email"], "password": PASSWORD}),
        &["emailAddress"],
    );
    assert!(!refused.contains(PASSWORD), "{refused}");

    let quoting = FakeClerk::failing(
        422,
        "form_password_pwned",
        &format!("Password {PASSWORD} has been found in an online data breach."),
        Some("password"),
    );
    let result = tool_result(
        &quoting,
        "clerk_create_user",
        json!({"emailAddress": ["grace@example.com"], "password": PASSWORD}),
    );
    let text = result_text(&result);
    assert_eq!(result["isError"], true);
    assert!(!result.to_string().contains(PASSWORD), "{result}");
    for needle in [
        "422",
        "form_password_pwned",
        "Password [password] has been found",
        "parameter: password",
    ] {
        assert!(text.contains(needle), "{needle} missing from {text}");
    }
}

#[test]
fn create_user_taken_identifier_is_clerks_error_with_the_parameter() {
    let clerk = FakeClerk::failing(
        422,
        "form_identifier_exists",
        "That email address is taken. Please try another.",
        Some("email_address"),
    );
    let result = tool_result(
        &clerk,
        "clerk_create_user",
        json!({"emailAddress": ["ada@example.com"]}),
    );
    assert_eq!(result["isError"], true);
    let text = result_text(&result);
    for needle in [
        "422",
        "form_identifier_exists",
        "That email address is taken",
        "parameter: email_address",
    ] {
        assert!(text.contains(needle), "{needle} missing from {text}");
    }
}

// clerk_update_user

#[test]
fn update_user_patches_only_the_given_profile_fields() {
    let clerk = FakeClerk::answering(ada());
    let result = tool_result(
        &clerk,
        "clerk_update_user",
        json!({"userId": "user_2ada", "lastName": "King", "username": ""}),
    );
    assert_eq!(result["isError"], false, "{}", result_text(&result));
    assert_eq!(
        only_request(&clerk),
        Sent::with_json(
            "PATCH",
            "/v1/users/user_2ada",
            json!({"last_name": "King", "username": ""})
        )
    );
    assert_eq!(result["structuredContent"]["id"], "user_2ada");
    assert_eq!(
        result["structuredContent"]["primaryEmailAddress"],
        "ada@example.com"
    );
}

#[test]
fn update_user_sends_all_four_fields_and_never_metadata() {
    let clerk = FakeClerk::answering(ada());
    tool_result(
        &clerk,
        "clerk_update_user",
        json!({
            "userId": "user_2ada",
            "firstName": "Augusta Ada",
            "lastName": "King",
            "username": "countess",
            "externalId": "crm-1815"
        }),
    );
    assert_eq!(
        only_request(&clerk).body,
        Some(json!({
            "first_name": "Augusta Ada",
            "last_name": "King",
            "username": "countess",
            "external_id": "crm-1815"
        }))
    );
}

#[test]
fn update_user_needs_a_field_to_change() {
    let text = assert_refused("clerk_update_user", json!({"userId": "user_2ada"}), &[]);
    assert!(
        text.contains("`firstName`, `lastName`, `username`, `externalId`"),
        "{text}"
    );
}

#[test]
fn update_user_refuses_metadata_and_bad_arguments() {
    let cases = [
        (
            json!({"userId": "user_2ada", "publicMetadata": {"plan": "pro"}}),
            "publicMetadata",
        ),
        (
            json!({"userId": "user_2ada", "firstName": "A".repeat(257)}),
            "firstName",
        ),
        (json!({"userId": "user_2ada", "username": 42}), "username"),
        (json!({"userId": "org_2ada", "firstName": "Ada"}), "userId"),
        (json!({"firstName": "Ada"}), "userId"),
    ];
    for (arguments, argument) in cases {
        assert_refused("clerk_update_user", arguments, &[argument]);
    }
}

#[test]
fn update_user_for_a_missing_user_names_it() {
    let clerk = FakeClerk::failing(404, "resource_not_found", "Resource not found", None);
    let result = tool_result(
        &clerk,
        "clerk_update_user",
        json!({"userId": "user_gone1", "firstName": "Ada"}),
    );
    assert_eq!(result["isError"], true);
    assert!(
        result_text(&result).starts_with("Not found: no user with ID user_gone1."),
        "{}",
        result_text(&result)
    );
}

// clerk_ban_user, clerk_unban_user, clerk_lock_user, clerk_unlock_user

const USER_ACTIONS: [(&str, &str); 4] = [
    ("clerk_ban_user", "ban"),
    ("clerk_unban_user", "unban"),
    ("clerk_lock_user", "lock"),
    ("clerk_unlock_user", "unlock"),
];

#[test]
fn user_actions_post_to_their_endpoint_without_a_body() {
    for (tool, action) in USER_ACTIONS {
        let clerk = FakeClerk::answering(ada());
        let result = tool_result(&clerk, tool, json!({"userId": "user_2ada"}));
        assert_eq!(result["isError"], false, "{tool}: {}", result_text(&result));
        assert_eq!(
            only_request(&clerk),
            Sent::without_body("POST", &format!("/v1/users/user_2ada/{action}")),
            "{tool}"
        );
        let request = &clerk.requests.borrow()[0];
        assert_eq!(
            request.headers()["authorization"],
            format!("Bearer {KEY}").as_str()
        );
        assert_eq!(request.headers()["clerk-api-version"], "2026-05-12");
        assert_eq!(result["structuredContent"]["id"], "user_2ada", "{tool}");
    }
}

#[test]
fn ban_user_returns_the_banned_user() {
    let mut banned = ada();
    banned["banned"] = json!(true);
    let clerk = FakeClerk::answering(banned);
    let result = tool_result(&clerk, "clerk_ban_user", json!({"userId": "user_2ada"}));
    assert_eq!(result["structuredContent"]["banned"], true);
    assert_eq!(result["structuredContent"]["locked"], false);
}

#[test]
fn lock_user_returns_the_locked_user_and_when_the_lock_ends() {
    let mut locked = ada();
    locked["locked"] = json!(true);
    locked["lockout_expires_in_seconds"] = json!(3600);
    locked["verification_attempts_remaining"] = json!(0);
    let clerk = FakeClerk::answering(locked);
    let result = tool_result(&clerk, "clerk_lock_user", json!({"userId": "user_2ada"}));
    let user = &result["structuredContent"];
    assert_eq!(user["locked"], true);
    assert_eq!(user["lockoutExpiresInSeconds"], 3600);
    assert_eq!(user["verificationAttemptsRemaining"], 0);
}

#[test]
fn user_actions_for_a_missing_user_name_it() {
    for (tool, _) in USER_ACTIONS {
        let clerk = FakeClerk::failing(404, "resource_not_found", "Resource not found", None);
        let text = not_found_text(&clerk, tool, json!({"userId": "user_gone1"}));
        assert!(
            text.starts_with("Not found: no user with ID user_gone1."),
            "{tool}: {text}"
        );
    }
}

#[test]
fn user_actions_and_delete_refuse_ids_that_could_change_the_endpoint() {
    let tools = USER_ACTIONS
        .iter()
        .map(|(tool, _)| *tool)
        .chain(["clerk_delete_user", "clerk_update_user"]);
    for tool in tools {
        for user_id in [
            json!("user_1/../../organizations"),
            json!("user_1?x=1"),
            json!("user_1#x"),
            json!("user_1%2Fban"),
            json!("user_"),
            json!("sess_1"),
            json!(""),
            json!(7),
        ] {
            let mut arguments = json!({"userId": user_id});
            if tool == "clerk_update_user" {
                arguments["firstName"] = json!("Ada");
            }
            assert_refused(tool, arguments, &["userId"]);
        }
        assert_refused(tool, json!({}), &["userId"]);
    }
}

// clerk_delete_user

#[test]
fn delete_user_sends_a_delete_without_body_and_returns_the_id() {
    let clerk = FakeClerk::answering(
        serde_json::from_str(include_str!("../fixtures/clerk_user_deleted.json"))
            .expect("fixture is JSON"),
    );
    let result = tool_result(&clerk, "clerk_delete_user", json!({"userId": "user_2ada"}));
    assert_eq!(
        only_request(&clerk),
        Sent::without_body("DELETE", "/v1/users/user_2ada")
    );
    assert_eq!(result["isError"], false);
    assert_eq!(
        result["structuredContent"],
        json!({"id": "user_2ada", "deleted": true})
    );
}

#[test]
fn delete_user_answer_without_an_id_names_the_user_asked_for() {
    let clerk = FakeClerk::answering(json!({"object": "user", "deleted": true}));
    let result = tool_result(&clerk, "clerk_delete_user", json!({"userId": "user_2ada"}));
    assert_eq!(
        result["structuredContent"],
        json!({"id": "user_2ada", "deleted": true})
    );
}

#[test]
fn delete_user_for_a_missing_user_names_it() {
    let clerk = FakeClerk::failing(404, "resource_not_found", "Resource not found", None);
    let result = tool_result(&clerk, "clerk_delete_user", json!({"userId": "user_gone1"}));
    assert_eq!(result["isError"], true);
    assert!(
        result_text(&result).starts_with("Not found: no user with ID user_gone1."),
        "{}",
        result_text(&result)
    );
}

/// What an assistant pays for a page of users: the text of
/// `clerk_list_users` for 20 users is at most 35% of Clerk's JSON for them,
/// and keeps everything a person asks about.
#[test]
fn listed_users_cost_at_most_a_third_of_clerks_json_and_keep_what_people_ask_about() {
    let page = many_users(20);
    let clerk = FakeClerk::with_users(page.clone(), 20);
    let result = tool_result(&clerk, "clerk_list_users", json!({"limit": 20}));
    let text = result_text(&result);
    let raw = page.to_string();
    assert!(
        text.len() * 100 <= raw.len() * 35,
        "the text is {} bytes, {}% of Clerk's {} bytes",
        text.len(),
        text.len() * 100 / raw.len(),
        raw.len()
    );

    let listed: Value = fenced_json(text);
    let listed = listed["users"].as_array().expect("a list of users");
    let clerks = page.as_array().expect("a page is a list");
    assert_eq!(listed.len(), clerks.len());
    for (shown, user) in listed.iter().zip(clerks) {
        let id = &user["id"];
        assert_eq!(&shown["id"], id);
        for (ours, theirs) in [("firstName", "first_name"), ("lastName", "last_name")] {
            if !user[theirs].is_null() {
                assert_eq!(shown[ours], user[theirs], "{ours} of {id}");
            }
        }
        let emails: Vec<&Value> = user["email_addresses"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|email| &email["email_address"])
            .collect();
        let shown_emails: Vec<&Value> = shown["emailAddresses"]
            .as_array()
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(shown_emails, emails, "email addresses of {id}");
        assert_eq!(shown["banned"], user["banned"], "banned of {id}");
        assert_eq!(shown["locked"], user["locked"], "locked of {id}");
        for (ours, theirs) in [
            ("publicMetadata", "public_metadata"),
            ("privateMetadata", "private_metadata"),
            ("unsafeMetadata", "unsafe_metadata"),
        ] {
            if user[theirs].as_object().is_some_and(|map| !map.is_empty()) {
                assert_eq!(shown[ours], user[theirs], "{ours} of {id}");
            }
        }
        for (ours, theirs) in [
            ("createdAt", "created_at"),
            ("lastSignInAt", "last_sign_in_at"),
        ] {
            if !user[theirs].is_null() {
                let time = shown[ours].as_str().unwrap_or_default();
                assert!(time.ends_with('Z'), "{ours} of {id} is {time:?}");
            }
        }
    }
}
