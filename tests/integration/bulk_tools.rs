//! `clerk_bulk_invite_to_organization` and `clerk_bulk_ban_users`: the
//! requests they send in Clerk's batch sizes, each item's result (a repeat,
//! a refused item, an unknown user), the one-by-one retry of a batch Clerk
//! refuses whole, a 429 waited out when its `Retry-After` fits in the call's
//! time and the items left unsent when it does not, and the effect a person
//! judges first.

use std::cell::Cell;
use std::rc::Rc;

use serde_json::{json, Value};

use crate::support::*;

const ORG: &str = "org_2acme";

/// What the fake Clerk does to the writes it gets: the first `pass` are
/// answered, the next `limited` get a 429 with `retry_after` (if any), and
/// the rest are answered again.
#[derive(Default)]
struct Script {
    pass: Cell<u32>,
    limited: Cell<u32>,
    retry_after: Option<&'static str>,
}

impl Script {
    fn limiting(pass: u32, limited: u32, retry_after: Option<&'static str>) -> Rc<Script> {
        Rc::new(Script {
            pass: Cell::new(pass),
            limited: Cell::new(limited),
            retry_after,
        })
    }

    /// A 429 for this write, if the script says so.
    fn rate_limit(&self) -> Option<http::Response<Vec<u8>>> {
        if self.pass.get() > 0 {
            self.pass.set(self.pass.get() - 1);
            return None;
        }
        if self.limited.get() == 0 {
            return None;
        }
        self.limited.set(self.limited.get() - 1);
        let body =
            json!({"errors": [{"code": "too_many_requests", "message": "Too many requests"}]});
        let mut builder = http::Response::builder()
            .status(429)
            .header("content-type", "application/json");
        if let Some(after) = self.retry_after {
            builder = builder.header("retry-after", after);
        }
        Some(builder.body(body.to_string().into_bytes()).expect("valid"))
    }
}

fn clerk_error(status: u16, code: &str, long_message: &str) -> http::Response<Vec<u8>> {
    json_answer(
        status,
        &json!({"errors": [{"code": code, "message": "failed", "long_message": long_message}],
                "clerk_trace_id": "trace_bulk"}),
    )
}

/// An invitation as Clerk answers with it, for one item of a request body.
fn invitation(item: &Value, number: usize) -> Value {
    json!({
        "object": "organization_invitation",
        "id": format!("orginv_2n{number}"),
        "email_address": item["email_address"],
        "role": item["role"],
        "role_name": "Member",
        "organization_id": ORG,
        "inviter_id": item.get("inviter_user_id").cloned().unwrap_or(Value::Null),
        "status": "pending",
        "public_metadata": item.get("public_metadata").cloned().unwrap_or(json!({})),
        "private_metadata": {},
        "url": null,
        "expires_at": 1_800_000_000_000_i64,
        "created_at": 1_790_000_000_000_i64,
        "updated_at": 1_790_000_000_000_i64,
    })
}

/// Whether Clerk refuses to invite this address (the fake's rule).
fn refused(item: &Value) -> bool {
    item["email_address"]
        .as_str()
        .is_some_and(|email| email.starts_with("member"))
}

/// A Clerk with organization `ORG` (Acme) that refuses a batch holding an
/// address starting with `member` (already a member), as a whole, and
/// the same address alone; any other organization is unknown.
fn invitations_clerk(script: Rc<Script>) -> FakeClerk {
    let created = Rc::new(Cell::new(0));
    FakeClerk::new(move |request| {
        let path = request.uri().path();
        if request.method() == http::Method::GET {
            return Ok(if path == format!("/v1/organizations/{ORG}") {
                json_answer(
                    200,
                    &json!({"object": "organization", "id": ORG, "name": "Acme", "slug": "acme"}),
                )
            } else {
                clerk_error(404, "resource_not_found", "not found")
            });
        }
        if let Some(limited) = script.rate_limit() {
            return Ok(limited);
        }
        let body: Value = serde_json::from_slice(request.body()).expect("a JSON body");
        let already = |item: &Value| {
            clerk_error(
                422,
                "already_a_member_in_organization",
                &format!("{} is already a member", item["email_address"]),
            )
        };
        let next = || {
            created.set(created.get() + 1);
            created.get()
        };
        Ok(
            if path == format!("/v1/organizations/{ORG}/invitations/bulk") {
                let items = body.as_array().expect("an array");
                match items.iter().find(|item| refused(item)) {
                    Some(item) => already(item),
                    None => {
                        let data: Vec<Value> =
                            items.iter().map(|item| invitation(item, next())).collect();
                        json_answer(200, &json!({"data": data, "total_count": items.len()}))
                    }
                }
            } else if path == format!("/v1/organizations/{ORG}/invitations") {
                if refused(&body) {
                    already(&body)
                } else {
                    json_answer(200, &invitation(&body, next()))
                }
            } else {
                clerk_error(404, "resource_not_found", "not found")
            },
        )
    })
}

fn invite(clerk: &FakeClerk, arguments: Value) -> Value {
    tool_result(clerk, "clerk_bulk_invite_to_organization", arguments)
}

fn emails(count: usize) -> Vec<Value> {
    (0..count)
        .map(|index| json!({"emailAddress": format!("person{index}@example.com")}))
        .collect()
}

/// The bodies of the requests sent, as JSON.
fn bodies(clerk: &FakeClerk) -> Vec<Value> {
    clerk
        .requests
        .borrow()
        .iter()
        .map(|request| serde_json::from_slice(request.body()).unwrap_or(Value::Null))
        .collect()
}

fn statuses(output: &Value) -> Vec<String> {
    output["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|result| result["status"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn invitations_go_ten_to_a_request_with_the_shared_fields_and_a_repeat_is_sent_once() {
    let clerk = invitations_clerk(Script::limiting(0, 0, None));
    let mut items = emails(11);
    items[3]["role"] = json!("org:admin");
    items[4]["expiresInDays"] = json!(7);
    items.push(json!({"emailAddress": "PERSON0@example.com"}));
    let result = invite(
        &clerk,
        json!({"organizationId": ORG, "invitations": items, "role": "org:member",
               "inviterUserId": "user_2ada", "redirectUrl": "https://app.example.com/join"}),
    );
    assert_eq!(result["isError"], false, "{result}");
    assert_eq!(
        clerk.urls(),
        [
            format!("/v1/organizations/{ORG}/invitations/bulk"),
            format!("/v1/organizations/{ORG}/invitations/bulk"),
        ]
    );
    let bodies = bodies(&clerk);
    assert_eq!(bodies[0].as_array().map(Vec::len), Some(10));
    assert_eq!(bodies[1].as_array().map(Vec::len), Some(1));
    assert_eq!(
        bodies[0][0],
        json!({"email_address": "person0@example.com", "inviter_user_id": "user_2ada",
               "redirect_url": "https://app.example.com/join", "role": "org:member"})
    );
    assert_eq!(bodies[0][3]["role"], "org:admin");
    assert_eq!(bodies[0][4]["expires_in_days"], 7);
    assert_eq!(bodies[1][0]["email_address"], "person10@example.com");

    let output = &result["structuredContent"];
    assert_eq!(
        (
            &output["succeeded"],
            &output["failed"],
            &output["notAttempted"]
        ),
        (&json!(11), &json!(1), &json!(0))
    );
    let first = &output["results"][0];
    assert_eq!(first["input"], "person0@example.com");
    assert_eq!(first["status"], "succeeded");
    assert_eq!(first["invitation"]["emailAddress"], "person0@example.com");
    assert_eq!(first["invitation"]["role"], "org:member");
    assert_eq!(first["invitation"]["status"], "pending");
    assert_eq!(first["invitation"]["inviterUserId"], "user_2ada");
    assert!(first.get("error").is_none());
    assert_eq!(output["results"][3]["invitation"]["role"], "org:admin");
    let repeat = &output["results"][11];
    assert_eq!(repeat["input"], "PERSON0@example.com");
    assert_eq!(repeat["status"], "failed");
    assert!(repeat.get("invitation").is_none());
    let why = repeat["error"].as_str().expect("a reason");
    assert!(why.contains("repeats item 1"), "{why}");
}

#[test]
fn a_batch_clerk_refuses_whole_is_sent_one_by_one_so_each_item_has_its_own_result() {
    let clerk = invitations_clerk(Script::limiting(0, 0, None));
    let items = json!([{"emailAddress": "ada@example.com"},
                       {"emailAddress": "member@example.com"},
                       {"emailAddress": "grace@example.com"}]);
    let result = invite(
        &clerk,
        json!({"organizationId": ORG, "invitations": items, "role": "org:member"}),
    );
    assert_eq!(result["isError"], false, "{result}");
    let bulk = format!("/v1/organizations/{ORG}/invitations/bulk");
    let one = format!("/v1/organizations/{ORG}/invitations");
    assert_eq!(clerk.urls(), [bulk, one.clone(), one.clone(), one]);
    assert_eq!(bodies(&clerk)[2]["email_address"], "member@example.com");
    let output = &result["structuredContent"];
    assert_eq!(statuses(output), ["succeeded", "failed", "succeeded"]);
    let why = output["results"][1]["error"].as_str().expect("a reason");
    assert!(why.contains("422"), "{why}");
    assert!(why.contains("already_a_member_in_organization"), "{why}");
    assert!(why.contains("member@example.com"), "{why}");
    assert_eq!(output["failed"], 1);
}

#[test]
fn an_unknown_organization_fails_every_item_and_the_call_is_an_error_that_lists_them() {
    let clerk = invitations_clerk(Script::limiting(0, 0, None));
    let result = invite(
        &clerk,
        json!({"organizationId": "org_2gone", "invitations": emails(2), "role": "org:member"}),
    );
    assert_eq!(result["isError"], true, "{result}");
    assert_eq!(
        clerk.request_count(),
        1,
        "a 404 is not retried item by item"
    );
    let text = result_text(&result);
    assert!(
        text.starts_with("No item succeeded: 2 failed, 0 not attempted."),
        "{text}"
    );
    assert!(text.contains("no organization with ID org_2gone"), "{text}");
    assert!(text.contains(r#""input":"person1@example.com""#), "{text}");
}

#[test]
fn a_rate_limit_that_fits_the_call_is_waited_out_and_the_batch_sent_again() {
    let clerk = invitations_clerk(Script::limiting(0, 1, Some("2")));
    let result = invite(
        &clerk,
        json!({"organizationId": ORG, "invitations": emails(3), "role": "org:member"}),
    );
    assert_eq!(result["isError"], false, "{result}");
    assert_eq!(*clerk.waits.borrow(), [std::time::Duration::from_secs(2)]);
    assert_eq!(clerk.request_count(), 2);
    assert_eq!(bodies(&clerk)[0], bodies(&clerk)[1]);
    assert_eq!(result["structuredContent"]["succeeded"], 3);
}

#[test]
fn a_rate_limit_longer_than_the_call_has_left_leaves_the_rest_not_attempted() {
    // The first batch of ten goes through; the second is limited for 120 s.
    let clerk = invitations_clerk(Script::limiting(1, 1, Some("120")));
    let result = invite(
        &clerk,
        json!({"organizationId": ORG, "invitations": emails(15), "role": "org:member"}),
    );
    assert_eq!(result["isError"], false, "{result}");
    assert!(clerk.waits.borrow().is_empty());
    assert_eq!(clerk.request_count(), 2);
    let output = &result["structuredContent"];
    assert_eq!(
        (
            &output["succeeded"],
            &output["failed"],
            &output["notAttempted"]
        ),
        (&json!(10), &json!(0), &json!(5))
    );
    let last = &output["results"][14];
    assert_eq!(last["status"], "not_attempted");
    let why = last["error"].as_str().expect("a reason");
    assert!(why.contains("429"), "{why}");
    assert!(why.contains("120 seconds"), "{why}");
    assert!(why.contains("call again"), "{why}");
}

#[test]
fn the_time_a_call_has_already_taken_counts_against_the_wait() {
    // Each request takes 28 s on the fake clock: 28 + 5 is over the 30.
    let clerk = invitations_clerk(Script::limiting(0, 1, Some("5")));
    clerk.latency_ms.set(28_000);
    let result = invite(
        &clerk,
        json!({"organizationId": ORG, "invitations": emails(2), "role": "org:member"}),
    );
    assert!(clerk.waits.borrow().is_empty());
    assert_eq!(result["isError"], true, "none succeeded: {result}");
    let text = result_text(&result);
    assert!(
        text.starts_with("No item succeeded: 0 failed, 2 not attempted."),
        "{text}"
    );
    assert!(text.contains("5 seconds"), "{text}");
}

#[test]
fn a_rate_limit_without_a_time_or_with_a_date_is_not_waited_for() {
    for (retry_after, said) in [
        (None, "gave no time"),
        (
            Some("Wed, 21 Oct 2026 07:28:00 GMT"),
            "Wed, 21 Oct 2026 07:28:00 GMT",
        ),
    ] {
        let clerk = invitations_clerk(Script::limiting(0, 1, retry_after));
        let result = invite(
            &clerk,
            json!({"organizationId": ORG, "invitations": emails(1), "role": "org:member"}),
        );
        assert!(clerk.waits.borrow().is_empty());
        let text = result_text(&result);
        assert!(text.contains("not_attempted"), "{text}");
        assert!(text.contains(said), "{text}");
    }
}

#[test]
fn a_rate_limit_that_keeps_coming_is_not_waited_for_forever() {
    let clerk = invitations_clerk(Script::limiting(0, 100, Some("0")));
    let result = invite(
        &clerk,
        json!({"organizationId": ORG, "invitations": emails(1), "role": "org:member"}),
    );
    assert_eq!(clerk.request_count(), 4, "one try and three more");
    assert!(result_text(&result).contains("not_attempted"));
}

#[test]
fn bulk_invitation_arguments_are_refused_by_name_before_anything_is_sent() {
    let tool = "clerk_bulk_invite_to_organization";
    assert_refused(
        tool,
        json!({"organizationId": ORG, "invitations": [], "role": "org:member"}),
        &["invitations"],
    );
    let text = assert_refused(
        tool,
        json!({"organizationId": ORG, "invitations": emails(101), "role": "org:member"}),
        &["invitations"],
    );
    assert!(text.contains("at most 100"), "{text}");
    assert_refused(
        tool,
        json!({"organizationId": ORG, "invitations": emails(2)}),
        &["invitations[0].role"],
    );
    assert_refused(
        tool,
        json!({"organizationId": ORG, "role": "org:member",
               "invitations": [{"emailAddress": "a@example.com", "redirectUrl": "/x"}]}),
        &["invitations[0].redirectUrl"],
    );
    assert_refused(
        tool,
        json!({"organizationId": ORG, "role": "org:member",
               "invitations": [{"emailAddress": "not an address"}]}),
        &["invitations"],
    );
}

#[test]
fn a_bulk_invitation_says_first_whom_it_would_invite_with_which_role() {
    let clerk = invitations_clerk(Script::limiting(0, 0, None));
    let items = json!([{"emailAddress": "ada@example.com", "role": "org:admin"},
                       {"emailAddress": "grace@example.com"},
                       {"emailAddress": "ADA@example.com"}]);
    let result = tool_result(
        &clerk,
        "clerk_preview",
        json!({"name": "clerk_bulk_invite_to_organization",
               "arguments": {"organizationId": ORG, "invitations": items, "role": "org:member"}}),
    );
    assert_eq!(result["isError"], false, "{result}");
    let preview = &result["structuredContent"];
    let summary = preview["summary"].as_str().expect("a summary");
    assert!(
        summary.starts_with("Invite 2 addresses to organization \"Acme\" (org_2acme"),
        "{summary}"
    );
    assert!(
        summary.contains("<ada@example.com> as org:admin, <grace@example.com> as org:member"),
        "{summary}"
    );
    assert!(summary.contains("1 address repeated"), "{summary}");
    assert_eq!(preview["requests"][0]["method"], "POST");
    assert_eq!(
        preview["requests"][0]["path"],
        format!("/v1/organizations/{ORG}/invitations/bulk")
    );
    assert!(clerk
        .requests
        .borrow()
        .iter()
        .all(|request| request.method() == http::Method::GET));
}

// Banning.

fn recorded_users() -> Vec<Value> {
    let users: Value = serde_json::from_str(include_str!("../fixtures/clerk_users_page.json"))
        .expect("fixture is JSON");
    users.as_array().expect("a list").clone()
}

/// The `user_id` values of a request's query.
fn queried_ids(request: &http::Request<Vec<u8>>) -> Vec<String> {
    request
        .uri()
        .query()
        .unwrap_or_default()
        .split('&')
        .filter_map(|pair| pair.strip_prefix("user_id="))
        .map(str::to_owned)
        .collect()
}

/// A Clerk with the recorded users (`user_2ada`, `user_2grace`, who is
/// banned, and `user_2nobody`). Its bulk ban leaves out the IDs in
/// `left_out`, as if it had not answered for them.
fn users_clerk(script: Rc<Script>, left_out: &'static [&'static str]) -> FakeClerk {
    FakeClerk::new(move |request| {
        let users = recorded_users();
        let find = |id: &str| users.iter().find(|user| user["id"] == id).cloned();
        let banned = |mut user: Value| {
            user["banned"] = json!(true);
            user
        };
        let path = request.uri().path();
        if request.method() == http::Method::GET && path == "/v1/users" {
            let ids = queried_ids(request);
            let found: Vec<Value> = ids.iter().filter_map(|id| find(id)).collect();
            return Ok(json_answer(200, &json!(found)));
        }
        if let Some(limited) = script.rate_limit() {
            return Ok(limited);
        }
        if path == "/v1/users/ban" {
            let body: Value = serde_json::from_slice(request.body()).expect("a JSON body");
            let answered: Vec<Value> = body["user_ids"]
                .as_array()
                .expect("user_ids")
                .iter()
                .filter_map(Value::as_str)
                .filter(|id| !left_out.contains(id))
                .filter_map(|id| find(id).map(banned))
                .collect();
            return Ok(json_answer(200, &json!(answered)));
        }
        let id = path
            .strip_prefix("/v1/users/")
            .and_then(|rest| rest.strip_suffix("/ban"));
        Ok(match id.and_then(find) {
            Some(user) => json_answer(200, &banned(user)),
            None => clerk_error(404, "resource_not_found", "not found"),
        })
    })
}

fn ban(clerk: &FakeClerk, ids: &[&str]) -> Value {
    tool_result(clerk, "clerk_bulk_ban_users", json!({ "userIds": ids }))
}

#[test]
fn a_bulk_ban_reads_who_exists_bans_them_in_one_request_and_fails_the_rest_by_name() {
    let clerk = users_clerk(Script::limiting(0, 0, None), &[]);
    let result = ban(
        &clerk,
        &["user_2ada", "user_2unknown", "user_2grace", "user_2ada"],
    );
    assert_eq!(result["isError"], false, "{result}");
    assert_eq!(
        clerk.urls(),
        [
            "/v1/users?limit=3&offset=0&user_id=user_2ada&user_id=user_2unknown&user_id=user_2grace",
            "/v1/users/ban",
        ]
    );
    assert_eq!(
        bodies(&clerk)[1],
        json!({"user_ids": ["user_2ada", "user_2grace"]})
    );
    let output = &result["structuredContent"];
    assert_eq!(
        statuses(output),
        ["succeeded", "failed", "succeeded", "failed"]
    );
    assert_eq!(output["results"][0]["user"]["id"], "user_2ada");
    assert_eq!(output["results"][0]["user"]["banned"], true);
    assert_eq!(output["results"][0]["user"]["firstName"], "Ada");
    let unknown = output["results"][1]["error"].as_str().expect("a reason");
    assert!(
        unknown.contains("no user with ID user_2unknown"),
        "{unknown}"
    );
    let repeat = output["results"][3]["error"].as_str().expect("a reason");
    assert!(repeat.contains("repeats item 1"), "{repeat}");
    assert_eq!(
        (
            &output["succeeded"],
            &output["failed"],
            &output["notAttempted"]
        ),
        (&json!(2), &json!(2), &json!(0))
    );
}

#[test]
fn a_user_the_bulk_answer_leaves_out_is_banned_alone() {
    let clerk = users_clerk(Script::limiting(0, 0, None), &["user_2nobody"]);
    let result = ban(&clerk, &["user_2ada", "user_2nobody"]);
    assert_eq!(
        clerk.urls()[1..],
        ["/v1/users/ban", "/v1/users/user_2nobody/ban"]
    );
    assert_eq!(
        statuses(&result["structuredContent"]),
        ["succeeded", "succeeded"]
    );
}

#[test]
fn a_bulk_ban_waits_out_a_short_rate_limit() {
    let clerk = users_clerk(Script::limiting(0, 1, Some("1")), &[]);
    let result = ban(&clerk, &["user_2ada"]);
    assert_eq!(*clerk.waits.borrow(), [std::time::Duration::from_secs(1)]);
    assert_eq!(result["structuredContent"]["succeeded"], 1, "{result}");
}

#[test]
fn only_unknown_users_make_an_error_with_nothing_banned() {
    let clerk = users_clerk(Script::limiting(0, 0, None), &[]);
    let result = ban(&clerk, &["user_2unknown"]);
    assert_eq!(result["isError"], true);
    assert_eq!(clerk.request_count(), 1, "only the read");
    assert!(result_text(&result).contains("no user with ID user_2unknown"));
}

#[test]
fn bulk_ban_arguments_are_refused_by_name() {
    let ids: Vec<String> = (0..101).map(|n| format!("user_2x{n}")).collect();
    assert_refused(
        "clerk_bulk_ban_users",
        json!({ "userIds": ids }),
        &["userIds"],
    );
    assert_refused("clerk_bulk_ban_users", json!({"userIds": []}), &["userIds"]);
    assert_refused(
        "clerk_bulk_ban_users",
        json!({"userIds": ["user_2ada", "org_2acme"]}),
        &["userIds"],
    );
}

#[test]
fn a_bulk_ban_asks_first_naming_who_would_be_banned_and_which_ids_have_no_user() {
    let clerk = users_clerk(Script::limiting(0, 0, None), &[]);
    let mut request = post_json(&call_tool(
        "clerk_bulk_ban_users",
        json!({"userIds": ["user_2ada", "user_2grace", "user_2unknown"]}),
    ));
    request
        .headers_mut()
        .insert("x-clerk-secret-key", http::HeaderValue::from_static(KEY));
    let response = send(request, &public_config(), &clerk);
    let result = body_json(&response)["result"].clone();
    assert_eq!(result["isError"], true, "{result}");
    let summary = result["_meta"]["clerk-mcp-worker/confirmation"]["summary"]
        .as_str()
        .expect("a confirmation");
    assert!(summary.starts_with("Ban 1 user:"), "{summary}");
    assert!(summary.contains("\"Ada"), "{summary}");
    assert!(summary.contains("(user_2ada)"), "{summary}");
    assert!(
        summary.contains("Already banned, unchanged: user \"Grace"),
        "{summary}"
    );
    assert!(
        summary.contains("No user has these IDs, which are not sent: user_2unknown."),
        "{summary}"
    );
    assert!(clerk
        .requests
        .borrow()
        .iter()
        .all(|request| request.method() == http::Method::GET));
}
