//! The access toolset: the allow-list, the block-list, the waitlist and the
//! application invitations. The exact requests each tool sends, the
//! results it makes of Clerk's answers (in either list form Clerk gives),
//! the arguments it refuses by name, what the effects say before anything
//! changes, and the bulk invitation's per-item results and rate limits.

use std::cell::Cell;
use std::rc::Rc;

use serde_json::{json, Value};

use crate::support::*;

fn identifier(id: &str, value: &str) -> Value {
    json!({"object": "allowlist_identifier", "id": id, "identifier": value,
        "identifier_type": "email_address", "instance_id": "ins_1", "invitation_id": null,
        "created_at": 1_704_164_645_678_i64, "updated_at": 1_704_164_645_678_i64})
}

fn invitation(id: &str, email: &str, status: &str) -> Value {
    json!({"object": "invitation", "id": id, "email_address": email, "public_metadata": {},
        "revoked": status == "revoked", "status": status, "url": null,
        "expires_at": null, "created_at": 1_704_164_645_678_i64, "updated_at": 1_704_164_645_678_i64})
}

fn waitlist_entry(id: &str, email: &str, status: &str) -> Value {
    json!({"object": "waitlist_entry", "id": id, "email_address": email, "status": status,
        "is_locked": false, "invitation": null, "created_at": 1_704_164_645_678_i64,
        "updated_at": 1_704_164_645_678_i64})
}

fn clerk_error(status: u16, code: &str) -> http::Response<Vec<u8>> {
    json_answer(
        status,
        &json!({"errors": [{"code": code, "message": "failed", "long_message": code}]}),
    )
}

fn body_of(request: &http::Request<Vec<u8>>) -> Value {
    serde_json::from_slice(request.body()).unwrap_or(Value::Null)
}

// The allow-list and the block-list.

#[test]
fn the_allowlist_is_read_a_page_at_a_time_in_either_list_form() {
    let clerk = FakeClerk::answering(json!({"data": [identifier("alid_1", "ada@example.com")],
        "total_count": 41}));
    let result = tool_result(
        &clerk,
        "clerk_list_allowlist",
        json!({"limit": 1, "offset": 40}),
    );
    assert_eq!(result["isError"], false, "{result}");
    assert_eq!(
        only_request(&clerk),
        Sent::without_body(
            "GET",
            "/v1/allowlist_identifiers?paginated=true&limit=1&offset=40"
        )
    );
    assert_eq!(
        result["structuredContent"],
        json!({"identifiers": [{"id": "alid_1", "identifier": "ada@example.com",
            "identifierType": "email_address", "createdAt": "2024-01-02T03:04:05.678Z"}],
            "totalCount": 41, "count": 1, "offset": 40, "hasMore": false})
    );
    // The bare array the spec documents: a short page is the last.
    let bare = FakeClerk::answering(json!([identifier("alid_2", "+15550100")]));
    let result = tool_result(&bare, "clerk_list_allowlist", json!({}));
    let output = &result["structuredContent"];
    assert_eq!(output["identifiers"][0]["id"], "alid_2");
    assert_eq!(
        (&output["totalCount"], &output["hasMore"]),
        (&json!(1), &json!(false))
    );
}

#[test]
fn the_blocklist_comes_whole_and_is_paged_here() {
    let clerk = FakeClerk::answering(json!({"data": [identifier("blid_a", "a@x.co"),
        identifier("blid_b", "b@x.co"), identifier("blid_c", "spam.example")], "total_count": 3}));
    let result = tool_result(
        &clerk,
        "clerk_list_blocklist",
        json!({"limit": 1, "offset": 1, "fields": ["identifier"]}),
    );
    assert_eq!(
        only_request(&clerk),
        Sent::without_body("GET", "/v1/blocklist_identifiers")
    );
    assert_eq!(
        result["structuredContent"],
        json!({"identifiers": [{"id": "blid_b", "identifier": "b@x.co"}], "totalCount": 3,
            "count": 1, "offset": 1, "hasMore": true, "nextOffset": 2})
    );
}

#[test]
fn adding_to_a_list_posts_the_identifier_and_notify_only_when_given() {
    let clerk = FakeClerk::answering(identifier("alid_9", "ada@example.com"));
    let result = tool_result(
        &clerk,
        "clerk_add_to_allowlist",
        json!({"identifier": "ada@example.com", "notify": true}),
    );
    assert_eq!(result["structuredContent"]["id"], "alid_9", "{result}");
    assert_eq!(
        only_request(&clerk),
        Sent::with_json(
            "POST",
            "/v1/allowlist_identifiers",
            json!({"identifier": "ada@example.com", "notify": true})
        )
    );
    let clerk = FakeClerk::answering(identifier("blid_9", "spam.example"));
    tool_result(
        &clerk,
        "clerk_add_to_blocklist",
        json!({"identifier": "spam.example"}),
    );
    assert_eq!(
        only_request(&clerk),
        Sent::with_json(
            "POST",
            "/v1/blocklist_identifiers",
            json!({"identifier": "spam.example"})
        )
    );
}

#[test]
fn removing_from_a_list_deletes_by_id_and_a_404_names_it() {
    let clerk = FakeClerk::answering(
        json!({"object": "blocklist_identifier", "id": "blid_7", "deleted": true}),
    );
    let result = tool_result(
        &clerk,
        "clerk_remove_from_blocklist",
        json!({"identifierId": "blid_7"}),
    );
    assert_eq!(
        result["structuredContent"],
        json!({"id": "blid_7", "deleted": true})
    );
    assert_eq!(
        only_request(&clerk),
        Sent::without_body("DELETE", "/v1/blocklist_identifiers/blid_7")
    );
    let missing = FakeClerk::failing(404, "resource_not_found", "not found", None);
    let text = not_found_text(
        &missing,
        "clerk_remove_from_allowlist",
        json!({"identifierId": "alid_7"}),
    );
    assert!(
        text.contains("no identifier with ID alid_7 on the allow-list"),
        "{text}"
    );
}

// The waitlist.

#[test]
fn the_waitlist_is_listed_with_its_filters_and_each_entry_in_one_shape() {
    let mut entry = waitlist_entry("wle_1", "ada@example.com", "invited");
    entry["invitation"] = invitation("inv_1", "ada@example.com", "pending");
    let clerk = FakeClerk::answering(json!({"data": [entry,
        {"id": "wle_2", "email_address": null, "status": "on_hold", "is_locked": null}],
        "total_count": 2}));
    let result = tool_result(
        &clerk,
        "clerk_list_waitlist",
        json!({"status": "invited", "query": "ada & co", "limit": 5, "offset": 0}),
    );
    assert_eq!(
        only_request(&clerk),
        Sent::without_body(
            "GET",
            "/v1/waitlist_entries?limit=5&offset=0&status=invited&query=ada+%26+co"
        )
    );
    let output = &result["structuredContent"];
    assert_eq!(
        output["entries"][0],
        json!({"id": "wle_1", "emailAddress": "ada@example.com", "status": "invited",
            "invitation": {"id": "inv_1", "emailAddress": "ada@example.com",
            "status": "pending", "publicMetadata": {}, "createdAt": "2024-01-02T03:04:05.678Z"},
            "createdAt": "2024-01-02T03:04:05.678Z"})
    );
    // A status added later passes through; nulls are left out.
    assert_eq!(
        output["entries"][1],
        json!({"id": "wle_2", "emailAddress": "", "status": "on_hold"})
    );
}

#[test]
fn inviting_and_rejecting_a_waitlist_entry_post_to_its_action() {
    let clerk = FakeClerk::answering(waitlist_entry("wle_1", "ada@example.com", "invited"));
    let result = tool_result(
        &clerk,
        "clerk_invite_waitlist_entry",
        json!({"waitlistEntryId": "wle_1"}),
    );
    assert_eq!(result["structuredContent"]["status"], "invited", "{result}");
    assert_eq!(
        only_request(&clerk),
        Sent::without_body("POST", "/v1/waitlist_entries/wle_1/invite")
    );
    let clerk = FakeClerk::answering(waitlist_entry("wle_1", "ada@example.com", "invited"));
    tool_result(
        &clerk,
        "clerk_invite_waitlist_entry",
        json!({"waitlistEntryId": "wle_1", "ignoreExisting": true}),
    );
    assert_eq!(
        only_request(&clerk),
        Sent::with_json(
            "POST",
            "/v1/waitlist_entries/wle_1/invite",
            json!({"ignore_existing": true})
        )
    );
    let clerk = FakeClerk::answering(waitlist_entry("wle_2", "bob@example.com", "rejected"));
    let result = tool_result(
        &clerk,
        "clerk_reject_waitlist_entry",
        json!({"waitlistEntryId": "wle_2"}),
    );
    assert_eq!(result["structuredContent"]["status"], "rejected");
    assert_eq!(
        only_request(&clerk),
        Sent::without_body("POST", "/v1/waitlist_entries/wle_2/reject")
    );
    let missing = FakeClerk::failing(404, "resource_not_found", "not found", None);
    let text = not_found_text(
        &missing,
        "clerk_reject_waitlist_entry",
        json!({"waitlistEntryId": "wle_404"}),
    );
    assert!(text.contains("no waitlist entry with ID wle_404"), "{text}");
}

// Application invitations.

#[test]
fn application_invitations_are_listed_with_their_filters_in_either_list_form() {
    let clerk = FakeClerk::answering(json!([invitation("inv_1", "ada@example.com", "revoked")]));
    let result = tool_result(
        &clerk,
        "clerk_list_instance_invitations",
        json!({"status": "revoked", "query": "ada", "limit": 10, "offset": 20}),
    );
    assert_eq!(
        only_request(&clerk),
        Sent::without_body(
            "GET",
            "/v1/invitations?limit=10&offset=20&status=revoked&query=ada&paginated=true"
        )
    );
    let output = &result["structuredContent"];
    assert_eq!(output["invitations"][0]["status"], "revoked");
    assert_eq!(
        (&output["totalCount"], &output["count"]),
        (&json!(21), &json!(1))
    );
    let paginated = FakeClerk::answering(json!({"data": [], "total_count": 0}));
    let result = tool_result(&paginated, "clerk_list_instance_invitations", json!({}));
    assert_eq!(
        result["structuredContent"],
        json!({"invitations": [], "totalCount": 0, "count": 0, "offset": 0, "hasMore": false})
    );
}

#[test]
fn creating_an_application_invitation_sends_only_what_is_given() {
    let clerk = FakeClerk::answering(invitation("inv_2", "ada@example.com", "pending"));
    let result = tool_result(
        &clerk,
        "clerk_create_instance_invitation",
        json!({"emailAddress": "ada@example.com"}),
    );
    assert_eq!(result["structuredContent"]["id"], "inv_2", "{result}");
    assert_eq!(
        only_request(&clerk),
        Sent::with_json(
            "POST",
            "/v1/invitations",
            json!({"email_address": "ada@example.com"})
        )
    );
    let clerk = FakeClerk::answering(invitation("inv_3", "ada@example.com", "pending"));
    tool_result(
        &clerk,
        "clerk_create_instance_invitation",
        json!({"emailAddress": "ada@example.com", "redirectUrl": "https://app.example.com/in",
            "publicMetadata": {"plan": "pro"}, "expiresInDays": 7, "notify": false,
            "ignoreExisting": true}),
    );
    assert_eq!(
        only_request(&clerk).body,
        Some(
            json!({"email_address": "ada@example.com", "expires_in_days": 7,
            "ignore_existing": true, "notify": false, "public_metadata": {"plan": "pro"},
            "redirect_url": "https://app.example.com/in"})
        )
    );
}

#[test]
fn revoking_an_application_invitation_posts_no_body_and_a_404_names_it() {
    let clerk = FakeClerk::answering(invitation("inv_4", "ada@example.com", "revoked"));
    let result = tool_result(
        &clerk,
        "clerk_revoke_instance_invitation",
        json!({"invitationId": "inv_4"}),
    );
    assert_eq!(result["structuredContent"]["status"], "revoked");
    assert_eq!(
        only_request(&clerk),
        Sent::without_body("POST", "/v1/invitations/inv_4/revoke")
    );
    let missing = FakeClerk::failing(404, "resource_not_found", "not found", None);
    let text = not_found_text(
        &missing,
        "clerk_revoke_instance_invitation",
        json!({"invitationId": "inv_404"}),
    );
    assert!(
        text.contains("no application invitation with ID inv_404"),
        "{text}"
    );
}

#[test]
fn bad_arguments_are_refused_by_name_before_anything_is_sent() {
    for (tool, arguments, name) in [
        ("clerk_list_allowlist", json!({"limit": 0}), "limit"),
        ("clerk_list_blocklist", json!({"offset": -1}), "offset"),
        (
            "clerk_list_blocklist",
            json!({"fields": ["secret"]}),
            "fields",
        ),
        (
            "clerk_add_to_allowlist",
            json!({"identifier": "a b@x.co"}),
            "identifier",
        ),
        (
            "clerk_add_to_allowlist",
            json!({"identifier": ""}),
            "identifier",
        ),
        (
            "clerk_add_to_blocklist",
            json!({"identifier": "x".repeat(321)}),
            "identifier",
        ),
        (
            "clerk_add_to_allowlist",
            json!({"identifier": "a@x.co", "notify": "yes"}),
            "notify",
        ),
        (
            "clerk_remove_from_allowlist",
            json!({"identifierId": "alid_1/../x"}),
            "identifierId",
        ),
        (
            "clerk_remove_from_blocklist",
            json!({"identifierId": ""}),
            "identifierId",
        ),
        (
            "clerk_list_waitlist",
            json!({"status": "waiting"}),
            "status",
        ),
        (
            "clerk_list_waitlist",
            json!({"query": "q".repeat(201)}),
            "query",
        ),
        (
            "clerk_invite_waitlist_entry",
            json!({"waitlistEntryId": "wle 1"}),
            "waitlistEntryId",
        ),
        (
            "clerk_reject_waitlist_entry",
            json!({"waitlistEntryId": "a%2F"}),
            "waitlistEntryId",
        ),
        (
            "clerk_list_instance_invitations",
            json!({"status": "open"}),
            "status",
        ),
        (
            "clerk_create_instance_invitation",
            json!({"emailAddress": "ada"}),
            "emailAddress",
        ),
        (
            "clerk_create_instance_invitation",
            json!({"emailAddress": "a@x.co", "expiresInDays": 366}),
            "expiresInDays",
        ),
        (
            "clerk_create_instance_invitation",
            json!({"emailAddress": "a@x.co", "redirectUrl": "/welcome"}),
            "redirectUrl",
        ),
        (
            "clerk_revoke_instance_invitation",
            json!({"invitationId": "orginv_1"}),
            "invitationId",
        ),
        (
            "clerk_bulk_invite_to_instance",
            json!({"emailAddresses": []}),
            "emailAddresses",
        ),
        (
            "clerk_bulk_invite_to_instance",
            json!({"emailAddresses": ["a@x.co", "nope"]}),
            "emailAddresses",
        ),
        (
            "clerk_bulk_invite_to_instance",
            json!({"emailAddresses": ["a@x.co"], "expiresInDays": 0}),
            "expiresInDays",
        ),
    ] {
        assert_refused(tool, arguments, &[name]);
    }
    let many: Vec<String> = (0..101).map(|n| format!("p{n}@example.com")).collect();
    let text = assert_refused(
        "clerk_bulk_invite_to_instance",
        json!({"emailAddresses": many}),
        &["emailAddresses"],
    );
    assert!(text.contains("at most 100"), "{text}");
}

// The bulk invitation.

/// A Clerk that invites any address but those starting with `member`,
/// refusing a batch that holds one as a whole; the first `limited`
/// requests after `pass` get a 429 with `retry_after`.
fn bulk_clerk(pass: u32, limited: u32, retry_after: &'static str) -> FakeClerk {
    let counter = Rc::new(Cell::new(0_u32));
    FakeClerk::new(move |request| {
        let n = counter.get();
        counter.set(n + 1);
        if n >= pass && n < pass + limited {
            let mut answer = clerk_error(429, "too_many_requests");
            answer
                .headers_mut()
                .insert("retry-after", retry_after.parse().expect("header"));
            return Ok(answer);
        }
        let body = body_of(request);
        let refused = |item: &Value| {
            item["email_address"]
                .as_str()
                .is_some_and(|e| e.starts_with("member"))
        };
        Ok(match request.uri().path() {
            "/v1/invitations/bulk" => {
                let items = body.as_array().expect("an array");
                if items.iter().any(refused) {
                    clerk_error(422, "form_identifier_exists")
                } else {
                    let answered: Vec<Value> = items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| {
                            invitation(
                                &format!("inv_{n}x{i}"),
                                item["email_address"].as_str().unwrap_or_default(),
                                "pending",
                            )
                        })
                        .collect();
                    json_answer(200, &Value::Array(answered))
                }
            }
            "/v1/invitations" if refused(&body) => clerk_error(422, "form_identifier_exists"),
            "/v1/invitations" => json_answer(
                200,
                &invitation(
                    "inv_one",
                    body["email_address"].as_str().unwrap_or_default(),
                    "pending",
                ),
            ),
            _ => clerk_error(404, "resource_not_found"),
        })
    })
}

fn addresses(count: usize) -> Vec<String> {
    (0..count)
        .map(|n| format!("person{n}@example.com"))
        .collect()
}

#[test]
fn a_bulk_invitation_goes_ten_to_a_request_with_the_shared_fields_and_a_repeat_once() {
    let clerk = bulk_clerk(0, 0, "1");
    let mut emails = addresses(11);
    emails.push("PERSON0@example.com".to_owned());
    let result = tool_result(
        &clerk,
        "clerk_bulk_invite_to_instance",
        json!({"emailAddresses": emails, "notify": false, "expiresInDays": 3}),
    );
    assert_eq!(result["isError"], false, "{result}");
    let requests = clerk.requests.borrow();
    assert_eq!(requests.len(), 2);
    assert!(requests
        .iter()
        .all(|r| r.uri().path() == "/v1/invitations/bulk"));
    let first = body_of(&requests[0]);
    assert_eq!(first.as_array().map(Vec::len), Some(10));
    assert_eq!(
        first[0],
        json!({"email_address": "person0@example.com", "expires_in_days": 3, "notify": false})
    );
    assert_eq!(body_of(&requests[1]).as_array().map(Vec::len), Some(1));
    let output = &result["structuredContent"];
    assert_eq!(
        (
            &output["succeeded"],
            &output["failed"],
            &output["notAttempted"]
        ),
        (&json!(11), &json!(1), &json!(0))
    );
    assert_eq!(
        output["results"][0]["invitation"]["emailAddress"],
        "person0@example.com"
    );
    assert_eq!(output["results"][11]["status"], "failed");
    assert!(output["results"][11]["error"]
        .as_str()
        .is_some_and(|e| e.contains("repeats item 1")));
}

#[test]
fn a_refused_batch_is_sent_one_by_one_so_each_address_has_its_own_result() {
    let clerk = bulk_clerk(0, 0, "1");
    let result = tool_result(
        &clerk,
        "clerk_bulk_invite_to_instance",
        json!({"emailAddresses": ["ada@example.com", "member@example.com"]}),
    );
    assert_eq!(result["isError"], false, "{result}");
    assert_eq!(
        clerk.urls(),
        ["/v1/invitations/bulk", "/v1/invitations", "/v1/invitations"]
    );
    let output = &result["structuredContent"];
    assert_eq!(output["results"][0]["status"], "succeeded");
    assert_eq!(output["results"][1]["status"], "failed");
    assert!(output["results"][1]["error"]
        .as_str()
        .is_some_and(|e| e.contains("form_identifier_exists")));
}

#[test]
fn a_rate_limit_that_fits_is_waited_out_and_one_that_does_not_leaves_the_rest_unsent() {
    let clerk = bulk_clerk(0, 1, "2");
    let result = tool_result(
        &clerk,
        "clerk_bulk_invite_to_instance",
        json!({"emailAddresses": addresses(3)}),
    );
    assert_eq!(result["structuredContent"]["succeeded"], 3, "{result}");
    assert_eq!(*clerk.waits.borrow(), [std::time::Duration::from_secs(2)]);

    let clerk = bulk_clerk(1, 1, "120");
    let result = tool_result(
        &clerk,
        "clerk_bulk_invite_to_instance",
        json!({"emailAddresses": addresses(15)}),
    );
    let output = &result["structuredContent"];
    assert_eq!(
        (&output["succeeded"], &output["notAttempted"]),
        (&json!(10), &json!(5)),
        "{result}"
    );
    assert!(clerk.waits.borrow().is_empty());
    let why = output["results"][14]["error"].as_str().unwrap_or_default();
    assert!(why.contains("429") && why.contains("call again"), "{why}");
}

#[test]
fn a_bulk_invitation_where_nothing_succeeds_is_an_error_listing_each_reason() {
    let clerk = bulk_clerk(0, 0, "1");
    let result = tool_result(
        &clerk,
        "clerk_bulk_invite_to_instance",
        json!({"emailAddresses": ["member1@example.com", "member2@example.com"]}),
    );
    assert_eq!(result["isError"], true, "{result}");
    let text = result_text(&result);
    assert!(
        text.starts_with("No item succeeded: 2 failed, 0 not attempted."),
        "{text}"
    );
    assert!(text.contains("member2@example.com"), "{text}");
}

// What the writes would change, read with GETs only.

fn preview(clerk: &FakeClerk, tool: &str, arguments: Value) -> Value {
    let result = tool_result(
        clerk,
        "clerk_preview",
        json!({"name": tool, "arguments": arguments}),
    );
    assert_eq!(result["isError"], false, "{result}");
    assert!(
        clerk
            .requests
            .borrow()
            .iter()
            .all(|request| request.method() == http::Method::GET),
        "{tool} wrote: {:?}",
        clerk.urls()
    );
    result["structuredContent"].clone()
}

fn summary(effect: &Value) -> &str {
    effect["summary"].as_str().unwrap_or_default()
}

#[test]
fn removing_an_identifier_says_which_and_what_follows() {
    let clerk = FakeClerk::answering(json!({"data": [identifier("alid_1", "a@x.co"),
        identifier("alid_2", "grace@example.com")], "total_count": 2}));
    let effect = preview(
        &clerk,
        "clerk_remove_from_allowlist",
        json!({"identifierId": "alid_2"}),
    );
    assert_eq!(
        summary(&effect),
        "Remove \"grace@example.com\" (alid_2) from the allow-list: while the allow-list is \
         on, it can no longer sign up."
    );
    assert_eq!(effect["current"]["identifier"], "grace@example.com");
    assert_eq!(
        clerk.urls(),
        ["/v1/allowlist_identifiers?paginated=true&limit=500&offset=0"]
    );
    let effect = preview(
        &clerk,
        "clerk_remove_from_blocklist",
        json!({"identifierId": "blid_9"}),
    );
    assert!(
        summary(&effect).starts_with("No identifier with ID blid_9 is on the block-list"),
        "{effect}"
    );
}

#[test]
fn adding_an_identifier_says_what_it_allows_or_blocks_reading_nothing() {
    let clerk = FakeClerk::unused();
    let effect = preview(
        &clerk,
        "clerk_add_to_blocklist",
        json!({"identifier": "spam.example"}),
    );
    assert_eq!(
        summary(&effect),
        "Add \"spam.example\" to the block-list: while the block-list is on, it can neither \
         sign up nor sign in."
    );
    let effect = preview(
        &clerk,
        "clerk_add_to_allowlist",
        json!({"identifier": "ada@example.com", "notify": true}),
    );
    assert_eq!(
        summary(&effect),
        "Add \"ada@example.com\" to the allow-list: while the allow-list is on, it may sign \
         up, and Clerk sends it an invitation."
    );
    assert_eq!(clerk.request_count(), 0);
}

#[test]
fn a_waitlist_action_shows_the_entry_and_the_status_it_takes() {
    let clerk = FakeClerk::answering(json!({"data": [waitlist_entry("wle_1", "ada@example.com",
        "pending")], "total_count": 1}));
    let effect = preview(
        &clerk,
        "clerk_reject_waitlist_entry",
        json!({"waitlistEntryId": "wle_1"}),
    );
    assert_eq!(
        summary(&effect),
        "The waitlist entry wle_1 of <ada@example.com> becomes rejected: it gets no invitation."
    );
    assert_eq!(effect["current"]["status"], "pending");
    assert_eq!(
        clerk.urls(),
        ["/v1/waitlist_entries?limit=10&offset=0&query=wle_1"]
    );
    let clerk = FakeClerk::answering(json!({"data": [waitlist_entry("wle_1", "ada@example.com",
        "completed")], "total_count": 1}));
    let effect = preview(
        &clerk,
        "clerk_invite_waitlist_entry",
        json!({"waitlistEntryId": "wle_1"}),
    );
    assert!(
        summary(&effect).contains("becomes invited: Clerk emails the address a link to sign up. The entry is completed, not pending"),
        "{effect}"
    );
}

#[test]
fn the_invitation_effects_say_what_is_sent_and_what_is_revoked() {
    let clerk = FakeClerk::answering(json!([invitation("inv_1", "ada@example.com", "pending")]));
    let effect = preview(
        &clerk,
        "clerk_create_instance_invitation",
        json!({"emailAddress": "ada@example.com", "expiresInDays": 7}),
    );
    assert_eq!(
        summary(&effect),
        "Invite <ada@example.com> to sign up to the application: Clerk emails a sign-up link, \
         valid for 7 days; Clerk refuses if the address has a pending invitation."
    );
    assert_eq!(clerk.request_count(), 0);

    let effect = preview(
        &clerk,
        "clerk_revoke_instance_invitation",
        json!({"invitationId": "inv_1"}),
    );
    assert!(
        summary(&effect).starts_with("Revoke invitation inv_1 of <ada@example.com>"),
        "{effect}"
    );
    assert_eq!(effect["current"]["id"], "inv_1");

    let effect = preview(
        &clerk,
        "clerk_bulk_invite_to_instance",
        json!({"emailAddresses": ["a@x.co", "b@x.co", "A@x.co"], "notify": false}),
    );
    assert_eq!(
        summary(&effect),
        "Invite 2 addresses to sign up to the application: Clerk makes each a sign-up link \
         without emailing it. <a@x.co>, <b@x.co>. 1 address repeated in the list is not sent \
         again."
    );
    assert_eq!(effect["affected"]["invitations"], 2);
    assert_eq!(effect["requests"][0]["path"], "/v1/invitations/bulk");
}
