//! What a tool reports when Clerk fails, and the retry policy: reads are
//! tried up to three times on a transient failure (502, 503, no
//! connection), writes only once.

use std::cell::Cell;
use std::time::Duration;

use clerk_mcp_worker::clerk::{SendError, SendFailure};
use http::Response;
use serde_json::json;

use crate::support::*;

/// A Clerk that fails `failures` times with `failure`, then answers with the
/// users page.
fn failing_then_ok(
    failures: usize,
    failure: impl Fn() -> Result<Response<Vec<u8>>, SendError> + 'static,
) -> FakeClerk {
    let calls = Cell::new(0);
    FakeClerk::new(move |request| {
        calls.set(calls.get() + 1);
        if calls.get() <= failures {
            failure()
        } else if request.uri().path() == "/v1/users/count" {
            Ok(json_answer(
                200,
                &json!({"object": "total_count", "total_count": 0}),
            ))
        } else {
            Ok(json_answer(
                200,
                &json!({"id": "user_2ada", "object": "user"}),
            ))
        }
    })
}

fn status(code: u16) -> Result<Response<Vec<u8>>, SendError> {
    Ok(json_answer(
        code,
        &json!({"errors": [{"message": "failed", "long_message": "failed", "code": "upstream"}]}),
    ))
}

fn get_user(clerk: &FakeClerk) -> serde_json::Value {
    tool_result(clerk, "clerk_get_user", json!({"userId": "user_2ada"}))
}

#[test]
fn read_that_meets_a_503_is_tried_again_after_a_pause_and_succeeds() {
    let clerk = failing_then_ok(1, || status(503));
    let result = get_user(&clerk);
    assert_eq!(result["isError"], false, "{}", result_text(&result));
    assert_eq!(clerk.request_count(), 2);
    assert_eq!(*clerk.waits.borrow(), [Duration::from_millis(250)]);
}

#[test]
fn read_that_cannot_connect_is_tried_again() {
    let clerk = failing_then_ok(2, || {
        Err(SendError::new(
            SendFailure::Unreachable,
            "connection refused",
        ))
    });
    let result = get_user(&clerk);
    assert_eq!(result["isError"], false, "{}", result_text(&result));
    assert_eq!(clerk.request_count(), 3);
    assert_eq!(
        *clerk.waits.borrow(),
        [Duration::from_millis(250), Duration::from_millis(750)]
    );
}

#[test]
fn read_gives_up_after_three_tries_and_reports_the_last_failure() {
    let clerk = failing_then_ok(usize::MAX, || status(502));
    let result = get_user(&clerk);
    assert_eq!(result["isError"], true);
    assert!(
        result_text(&result).contains("HTTP 502"),
        "{}",
        result_text(&result)
    );
    assert_eq!(clerk.request_count(), 3);
}

#[test]
fn read_that_timed_out_is_not_tried_again() {
    let clerk = failing_then_ok(1, || {
        Err(SendError::new(
            SendFailure::TimedOut,
            "no answer within 15000 ms",
        ))
    });
    let result = get_user(&clerk);
    assert_eq!(result["isError"], true);
    let text = result_text(&result);
    assert!(
        text.contains("did not answer in time") && text.contains("15000 ms"),
        "{text}"
    );
    assert_eq!(clerk.request_count(), 1);
}

#[test]
fn errors_that_another_try_would_repeat_are_not_retried() {
    for code in [400, 401, 403, 404, 422, 429, 500] {
        let clerk = failing_then_ok(1, move || status(code));
        let result = get_user(&clerk);
        assert_eq!(result["isError"], true, "{code}");
        assert_eq!(clerk.request_count(), 1, "{code}");
    }
}

#[test]
fn writes_are_never_retried() {
    let writes = [
        ("clerk_create_organization", json!({"name": "Acme"})),
        (
            "clerk_update_user_metadata",
            json!({"userId": "user_2ada", "publicMetadata": {"a": 1}}),
        ),
        (
            "clerk_delete_organization",
            json!({"organizationId": "org_2acme"}),
        ),
    ];
    for (tool, arguments) in writes {
        for failure in [
            (|| status(503)) as fn() -> Result<Response<Vec<u8>>, SendError>,
            || Err(SendError::new(SendFailure::Unreachable, "connection reset")),
        ] {
            let clerk = failing_then_ok(1, failure);
            let result = tool_result(&clerk, tool, arguments.clone());
            assert_eq!(result["isError"], true, "{tool}");
            assert_eq!(clerk.request_count(), 1, "{tool} was retried");
            assert!(clerk.waits.borrow().is_empty());
        }
    }
}

#[test]
fn answer_too_large_to_read_is_a_clear_tool_error() {
    let clerk = failing_then_ok(1, || {
        Err(SendError::new(SendFailure::TooLarge, "over 8388608 bytes"))
    });
    let result = get_user(&clerk);
    assert_eq!(result["isError"], true);
    assert!(
        result_text(&result).contains("too large"),
        "{}",
        result_text(&result)
    );
    assert_eq!(clerk.request_count(), 1);
}

#[test]
fn truncated_answer_is_a_clear_tool_error() {
    let clerk = FakeClerk::new(|_| {
        Ok(Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(br#"{"id":"user_2ada","email_addre"#.to_vec())
            .expect("valid response"))
    });
    let result = get_user(&clerk);
    assert_eq!(result["isError"], true);
    assert!(
        result_text(&result).contains("could not read"),
        "{}",
        result_text(&result)
    );
}

#[test]
fn read_whose_answer_broke_off_is_tried_again() {
    let clerk = failing_then_ok(1, || {
        Err(SendError::new(SendFailure::Interrupted, "stream ended"))
    });
    let result = get_user(&clerk);
    assert_eq!(result["isError"], false, "{}", result_text(&result));
    assert_eq!(clerk.request_count(), 2);
}

#[test]
fn write_whose_connection_failed_warns_that_its_outcome_is_unknown() {
    let clerk = failing_then_ok(1, || {
        Err(SendError::new(SendFailure::Unreachable, "connection reset"))
    });
    let result = tool_result(&clerk, "clerk_create_organization", json!({"name": "Acme"}));
    assert!(
        result_text(&result).contains("may or may not have happened"),
        "{}",
        result_text(&result)
    );
}

#[test]
fn answer_of_the_wrong_shape_is_described_not_quoted() {
    let huge = "x".repeat(200_000);
    let clerk = FakeClerk::answering(json!({"id": ["not", huge], "first_name": "Ada"}));
    let result = get_user(&clerk);
    assert_eq!(result["isError"], true);
    let text = result_text(&result);
    assert!(
        text.contains("could not read") && text.contains("`id` is not a string"),
        "{text}"
    );
    assert!(
        text.len() < 400,
        "the answer was quoted: {} bytes",
        text.len()
    );
}

/// Something other than Clerk (a proxy, a wrong `CLERK_API_URL`) may answer
/// 200 with an empty object. Clerk's spec requires an `id` of every object,
/// so each tool reports that answer as unreadable rather than showing an
/// object with every field blank.
#[test]
fn a_success_without_the_objects_id_is_an_unreadable_answer() {
    let calls = [
        ("clerk_get_user", json!({"userId": "user_2ada"})),
        ("clerk_ban_user", json!({"userId": "user_2ada"})),
        (
            "clerk_get_organization",
            json!({"organizationId": "org_2acme"}),
        ),
        (
            "clerk_update_member_role",
            json!({"organizationId": "org_2acme", "userId": "user_2ada", "role": "org:admin"}),
        ),
        (
            "clerk_create_invitation",
            json!({"organizationId": "org_2acme", "emailAddress": "ada@example.com", "role": "org:member"}),
        ),
        ("clerk_revoke_session", json!({"sessionId": "sess_2abc"})),
    ];
    for (tool, arguments) in calls {
        for empty in [json!({}), json!({"object": "user", "id": null})] {
            let clerk = FakeClerk::answering(empty.clone());
            let result = tool_result(&clerk, tool, arguments.clone());
            assert_eq!(result["isError"], true, "{tool} with {empty}: {result}");
            let text = result_text(&result);
            assert!(
                text.contains("Clerk answered HTTP 200 with a body this server could not read"),
                "{tool}: {text}"
            );
            assert_eq!(text.matches("`id` is missing").count(), 1, "{tool}: {text}");
        }
    }
    // A page of users is read by the scanner, which says where in the text
    // it stopped; the other lists say which item lacks its ID.
    let lists = [
        (
            "clerk_list_users",
            FakeClerk::with_users(json!([{}]), 1),
            "missing field `id` at line 1 column ",
        ),
        (
            "clerk_list_organizations",
            FakeClerk::answering(json!({"data": [{"id": "org_1"}, {}], "total_count": 2})),
            "`data[1].id` is missing",
        ),
        (
            "clerk_list_roles",
            FakeClerk::answering(json!({"data": [{}], "total_count": 1})),
            "`data[0].id` is missing",
        ),
    ];
    for (tool, clerk, expected) in lists {
        let result = tool_result(&clerk, tool, json!({}));
        assert_eq!(result["isError"], true, "{tool}: {result}");
        let text = result_text(&result);
        assert_eq!(text.matches(expected).count(), 1, "{tool}: {text}");
    }
}
