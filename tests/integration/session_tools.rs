//! `clerk_list_sessions` and `clerk_revoke_session`: the exact requests they
//! send to Clerk, the results they return for recorded Clerk answers, and
//! the arguments they refuse before sending anything.

use serde_json::{json, Value};

use crate::support::*;

fn sessions_page() -> Value {
    serde_json::from_str(include_str!("../fixtures/clerk_sessions_page.json"))
        .expect("fixture is JSON")
}

fn revoked_session() -> Value {
    serde_json::from_str(include_str!("../fixtures/clerk_session_revoked.json"))
        .expect("fixture is JSON")
}

// clerk_list_sessions

#[test]
fn list_sessions_asks_for_one_users_sessions_paginated_with_the_defaults() {
    let clerk = FakeClerk::answering(sessions_page());
    let result = tool_result(
        &clerk,
        "clerk_list_sessions",
        json!({"userId": "user_2ada"}),
    );
    assert_eq!(result["isError"], false, "{}", result_text(&result));
    assert_eq!(
        only_request(&clerk),
        Sent::without_body(
            "GET",
            "/v1/sessions?user_id=user_2ada&paginated=true&limit=20&offset=0"
        )
    );
    let request = &clerk.requests.borrow()[0];
    assert_eq!(
        request.headers()["authorization"],
        format!("Bearer {KEY}").as_str()
    );
    assert_eq!(request.headers()["clerk-api-version"], "2026-05-12");
}

#[test]
fn list_sessions_sends_paging_and_each_status_filter() {
    for status in [
        "active",
        "ended",
        "revoked",
        "expired",
        "removed",
        "abandoned",
        "replaced",
    ] {
        let clerk = FakeClerk::answering(json!({"data": [], "total_count": 0}));
        tool_result(
            &clerk,
            "clerk_list_sessions",
            json!({"userId": "user_2ada", "status": status, "limit": 100, "offset": 40}),
        );
        assert_eq!(
            only_request(&clerk).url,
            format!(
                "/v1/sessions?user_id=user_2ada&paginated=true&limit=100&offset=40&status={status}"
            )
        );
    }
}

#[test]
fn list_sessions_returns_sessions_with_iso_times_activity_and_page_info() {
    let clerk = FakeClerk::answering(sessions_page());
    let result = tool_result(
        &clerk,
        "clerk_list_sessions",
        json!({"userId": "user_2ada", "limit": 2}),
    );
    let output = &result["structuredContent"];
    assert_eq!(output["totalCount"], 5);
    assert_eq!(output["count"], 2);
    assert_eq!(output["offset"], 0);
    assert_eq!(output["hasMore"], true);
    assert_eq!(output["nextOffset"], 2);
    assert_eq!(
        output["sessions"][0],
        json!({
            "id": "sess_2laptop",
            "userId": "user_2ada",
            "clientId": "client_2laptop",
            "status": "active",
            "lastActiveOrganizationId": "org_2gT5pQx8Rk3mNcV7bWz1YhLd4Ea",
            "latestActivity": {
                "deviceType": "Macintosh",
                "isMobile": false,
                "browserName": "Chrome",
                "browserVersion": "125.0.0.0",
                "ipAddress": "203.0.113.7",
                "city": "London",
                "country": "GB"
            },
            "lastActiveAt": "2024-05-30T00:00:00.000Z",
            "expireAt": "2024-06-06T00:00:00.000Z",
            "abandonAt": "2024-06-29T00:00:00.000Z",
            "createdAt": "2024-05-29T16:26:40.000Z",
            "updatedAt": "2024-05-30T00:00:00.000Z"
        })
    );
    assert_eq!(
        output["sessions"][1],
        json!({
            "id": "sess_2phone",
            "userId": "user_2ada",
            "clientId": "client_2phone",
            "status": "ended",
            "actor": {"sub": "user_2support"},
            "latestActivity": {"isMobile": true},
            "lastActiveAt": "2024-05-18T02:40:00.000Z",
            "expireAt": "2024-05-25T02:40:00.000Z",
            "abandonAt": "2024-06-17T02:40:00.000Z",
            "createdAt": "2024-05-17T23:53:20.000Z",
            "updatedAt": "2024-05-18T02:41:40.000Z"
        })
    );
}

#[test]
fn last_page_of_sessions_has_no_next_offset() {
    let clerk = FakeClerk::answering(sessions_page());
    let result = tool_result(
        &clerk,
        "clerk_list_sessions",
        json!({"userId": "user_2ada", "offset": 3}),
    );
    let output = &result["structuredContent"];
    assert_eq!(output["hasMore"], false);
    assert!(output.get("nextOffset").is_none());
}

/// Clerk's spec documents `GET /sessions` as a bare array (what Clerk
/// answers without `paginated=true`): it is read, and the page says what
/// an array can tell of the total.
#[test]
fn list_sessions_answered_with_a_bare_array_shows_the_sessions() {
    let bare_array = sessions_page()["data"].clone();
    let sessions = bare_array.as_array().map_or(0, Vec::len);
    assert_eq!(sessions, 2, "the fixture holds two sessions");

    // Fewer than the limit: the last page, so the total is known.
    let clerk = FakeClerk::answering(bare_array.clone());
    let result = tool_result(
        &clerk,
        "clerk_list_sessions",
        json!({"userId": "user_2ada", "offset": 4}),
    );
    assert_eq!(result["isError"], false, "{}", result_text(&result));
    let output = &result["structuredContent"];
    assert_eq!(output["sessions"].as_array().map_or(0, Vec::len), 2);
    assert_eq!(output["sessions"][0]["id"], bare_array[0]["id"]);
    assert_eq!(output["totalCount"], 6);
    assert_eq!(output["hasMore"], false);

    // A full page: more may follow, and the total is not made up.
    let clerk = FakeClerk::answering(bare_array);
    let result = tool_result(
        &clerk,
        "clerk_list_sessions",
        json!({"userId": "user_2ada", "limit": 2}),
    );
    let output = &result["structuredContent"];
    assert!(output.get("totalCount").is_none(), "{output}");
    assert_eq!(output["hasMore"], true);
    assert_eq!(output["nextOffset"], 2);
}

#[test]
fn list_sessions_answer_that_is_no_list_is_a_clear_tool_error() {
    for body in [
        json!({"total_count": 3}),
        json!("sessions"),
        json!([{"status": "active"}]),
    ] {
        let clerk = FakeClerk::answering(body.clone());
        let result = tool_result(
            &clerk,
            "clerk_list_sessions",
            json!({"userId": "user_2ada"}),
        );
        assert_eq!(result["isError"], true, "{body}");
        assert!(
            result_text(&result).contains("could not read"),
            "{body}: {}",
            result_text(&result)
        );
    }
}

#[test]
fn invalid_list_sessions_arguments_name_the_argument_and_send_nothing() {
    let cases = [
        (json!({}), "userId"),
        (json!({"userId": "sess_2ada"}), "userId"),
        (json!({"userId": "user_2ada/../clients"}), "userId"),
        (json!({"userId": ["user_2ada"]}), "userId"),
        (
            json!({"userId": "user_2ada", "status": "pending"}),
            "status",
        ),
        (json!({"userId": "user_2ada", "status": "ACTIVE"}), "status"),
        (json!({"userId": "user_2ada", "limit": 0}), "limit"),
        (json!({"userId": "user_2ada", "limit": 101}), "limit"),
        (json!({"userId": "user_2ada", "offset": -1}), "offset"),
        (
            json!({"userId": "user_2ada", "clientId": "client_1"}),
            "clientId",
        ),
    ];
    for (arguments, argument) in cases {
        assert_refused("clerk_list_sessions", arguments, &[argument]);
    }
}

// clerk_revoke_session

#[test]
fn revoke_session_posts_to_the_revoke_endpoint_without_a_body() {
    let clerk = FakeClerk::answering(revoked_session());
    let result = tool_result(
        &clerk,
        "clerk_revoke_session",
        json!({"sessionId": "sess_2laptop"}),
    );
    assert_eq!(result["isError"], false, "{}", result_text(&result));
    assert_eq!(
        only_request(&clerk),
        Sent::without_body("POST", "/v1/sessions/sess_2laptop/revoke")
    );
}

#[test]
fn revoke_session_returns_the_revoked_session() {
    let clerk = FakeClerk::answering(revoked_session());
    let result = tool_result(
        &clerk,
        "clerk_revoke_session",
        json!({"sessionId": "sess_2laptop"}),
    );
    let session = &result["structuredContent"];
    assert_eq!(session["id"], "sess_2laptop");
    assert_eq!(session["userId"], "user_2ada");
    assert_eq!(session["status"], "revoked");
    assert_eq!(session["updatedAt"], "2024-05-30T01:00:00.000Z");
    assert_eq!(session["latestActivity"]["ipAddress"], "203.0.113.7");
}

#[test]
fn revoke_session_for_a_missing_session_names_it() {
    let clerk = FakeClerk::failing(404, "resource_not_found", "Resource not found", None);
    let result = tool_result(
        &clerk,
        "clerk_revoke_session",
        json!({"sessionId": "sess_gone1"}),
    );
    assert_eq!(result["isError"], true);
    let text = result_text(&result);
    assert!(
        text.starts_with("Not found: no session with ID sess_gone1."),
        "{text}"
    );
    assert!(text.contains("404"), "{text}");
}

#[test]
fn revoke_session_refuses_ids_that_could_change_the_endpoint() {
    for session_id in [
        json!("sess_1/../../users/user_1/ban"),
        json!("sess_1?x=1"),
        json!("sess_1#x"),
        json!("sess_1%2Frevoke"),
        json!("sess_"),
        json!("user_2ada"),
        json!(""),
        json!(7),
    ] {
        assert_refused(
            "clerk_revoke_session",
            json!({"sessionId": session_id}),
            &["sessionId"],
        );
    }
    assert_refused("clerk_revoke_session", json!({}), &["sessionId"]);
}
