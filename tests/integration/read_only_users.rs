//! Read-only users (`MCP_READONLY_USERS`): people who sign in with Clerk and
//! get only the read tools, named by user ID or verified email address as
//! `MCP_ALLOWED_USERS` names them. Their lists leave out the write tools
//! and the prompts that need them, a write call is refused, saying why,
//! before anything reaches Clerk, the narrower grant wins for someone
//! another setting also lets in, and a remembered decision keeps its grant.

use clerk_mcp_worker::config::Config;
use clerk_mcp_worker::oauth::IsolateCache;
use http::Request;
use serde_json::{json, Value};

use crate::oauth::{
    access_jwt, claims_of, clerk_verifying, clerk_with, error_message, get, paths, sign_in_paths,
    token_record, with_bearer, ADMIN, ALLOWED, FRONTEND_API, OPAQUE, ORG, OTHER,
};
use crate::support::*;

const VERIFY: &str = "/v1/oauth_applications/access_tokens/verify";

/// A server with sign-in on and the given user lists.
fn signing_in(lists: &[(&str, &str)]) -> Config {
    // Who may write, not the confirmation a write waits for, is under test.
    let mut vars = vec![
        ("CLERK_SECRET_KEY", KEY),
        ("CLERK_FRONTEND_API", FRONTEND_API),
        ("MCP_CONFIRM", "off"),
    ];
    vars.extend_from_slice(lists);
    config(&vars)
}

/// `ALLOWED` may use every tool, `OTHER` only the read tools.
fn mixed() -> Config {
    signing_in(&[
        ("MCP_ALLOWED_USERS", ALLOWED),
        ("MCP_READONLY_USERS", OTHER),
    ])
}

/// A Clerk whose token check says the token is `user`'s.
fn clerk_of(user: &str) -> FakeClerk {
    clerk_verifying(token_record(user, false, false, NOW + 3600))
}

fn as_user(request: Request<Vec<u8>>) -> Request<Vec<u8>> {
    with_bearer(request, OPAQUE)
}

/// The names of the tools `tools/list` offers `user`.
fn tool_names(config: &Config, user: &str) -> Vec<String> {
    names(config, user, "tools/list", "tools", &IsolateCache::new())
}

fn prompt_names(config: &Config, user: &str) -> Vec<String> {
    names(
        config,
        user,
        "prompts/list",
        "prompts",
        &IsolateCache::new(),
    )
}

fn names(
    config: &Config,
    user: &str,
    method: &str,
    field: &str,
    cache: &IsolateCache,
) -> Vec<String> {
    let request = as_user(post_json(&rpc(method, json!({}))));
    let response = send_in(
        request,
        config,
        &clerk_of(user),
        &FakePlatform::default(),
        cache,
    );
    assert_eq!(response.status(), 200, "{}", body_text(&response));
    body_json(&response)["result"][field]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The read tools, as a server in read-only mode lists them.
fn read_tools() -> Vec<String> {
    tool_names(
        &signing_in(&[("MCP_ALLOWED_USERS", ALLOWED), ("MCP_READ_ONLY", "true")]),
        ALLOWED,
    )
}

fn ban(user: &str) -> Request<Vec<u8>> {
    post_json(&call_tool("clerk_ban_user", json!({"userId": user})))
}

fn list_users() -> Request<Vec<u8>> {
    post_json(&call_tool("clerk_list_users", json!({"limit": 1})))
}

/// The `result` of a tool call answered with 200.
fn tool_call_result(response: &http::Response<Vec<u8>>) -> Value {
    assert_eq!(response.status(), 200, "{}", body_text(response));
    body_json(response)["result"].clone()
}

#[test]
fn a_read_only_user_by_id_lists_only_the_read_tools_and_the_prompts_they_allow() {
    let config = mixed();
    let all = tool_names(&config, ALLOWED);
    assert_eq!(all.len(), 46);
    let reads = read_tools();
    assert!(!reads.is_empty() && reads.len() < all.len());
    assert_eq!(tool_names(&config, OTHER), reads);
    assert_eq!(prompt_names(&config, OTHER), ["audit_organization_admins"]);
    assert_eq!(prompt_names(&config, ALLOWED).len(), 4);
    let offboard = send(
        as_user(post_json(&rpc(
            "prompts/get",
            json!({"name": "offboard_user", "arguments": {"user": "ada@example.com"}}),
        ))),
        &config,
        &clerk_of(OTHER),
    );
    assert_eq!(body_json(&offboard)["error"]["code"], -32602);
}

#[test]
fn a_read_only_user_by_verified_email_in_any_case_gets_the_read_tools_only() {
    let config = signing_in(&[
        ("MCP_ALLOWED_USERS", ALLOWED),
        ("MCP_READONLY_USERS", "User_2Other@Example.COM"),
    ]);
    assert_eq!(tool_names(&config, OTHER), read_tools());
    let clerk = clerk_of(OTHER);
    send(as_user(list_users()), &config, &clerk);
    assert_eq!(sign_in_paths(&clerk), [VERIFY, "/v1/users/user_2other"]);
    let unverified = signing_in(&[
        ("MCP_ALLOWED_USERS", ALLOWED),
        ("MCP_READONLY_USERS", "user_2other@unverified.example.com"),
    ]);
    let response = send(as_user(list_users()), &unverified, &clerk_of(OTHER));
    assert_eq!(
        response.status(),
        403,
        "an unverified address does not count"
    );
}

#[test]
fn a_read_only_users_write_is_refused_saying_why_and_nothing_reaches_clerk() {
    let config = mixed();
    let clerk = clerk_of(OTHER);
    let refused = tool_call_result(&send(as_user(ban(ALLOWED)), &config, &clerk));
    assert_eq!(refused["isError"], true);
    let text = result_text(&refused);
    assert!(
        text.contains("clerk_ban_user")
            && text.contains("MCP_READONLY_USERS")
            && text.contains("Nothing was sent to Clerk"),
        "{text}"
    );
    assert!(!text.contains(OPAQUE) && !text.contains(KEY));
    assert_eq!(paths(&clerk), [VERIFY], "only the sign-in was checked");
    let read = tool_call_result(&send(as_user(list_users()), &config, &clerk));
    assert_eq!(read["isError"], false, "{read}");
    assert!(
        paths(&clerk).contains(&"/v1/users".to_owned()),
        "reads work"
    );
}

#[test]
fn a_full_user_beside_read_only_users_is_unaffected() {
    let config = mixed();
    assert_eq!(tool_names(&config, ALLOWED).len(), 46);
    let clerk = clerk_of(ALLOWED);
    let response = send(as_user(ban(OTHER)), &config, &clerk);
    assert_eq!(response.status(), 200, "{}", body_text(&response));
    assert_eq!(
        paths(&clerk),
        [VERIFY, "/v1/users/user_2other/ban"],
        "allowed by ID, with only IDs read-only: no lookup, and the write is sent"
    );
}

#[test]
fn a_user_on_both_lists_is_read_only() {
    let by_id = signing_in(&[
        ("MCP_ALLOWED_USERS", ALLOWED),
        ("MCP_READONLY_USERS", ALLOWED),
    ]);
    let by_email = signing_in(&[
        ("MCP_ALLOWED_USERS", ALLOWED),
        ("MCP_READONLY_USERS", "user_2allowed@example.com"),
    ]);
    let allowed_by_email = signing_in(&[
        ("MCP_ALLOWED_USERS", "user_2allowed@example.com"),
        ("MCP_READONLY_USERS", ALLOWED),
    ]);
    let reads = read_tools();
    for config in [&by_id, &by_email, &allowed_by_email] {
        assert_eq!(tool_names(config, ALLOWED), reads);
        let clerk = clerk_of(ALLOWED);
        let refused = tool_call_result(&send(as_user(ban(OTHER)), config, &clerk));
        assert!(result_text(&refused).contains("MCP_READONLY_USERS"));
        assert!(!paths(&clerk).iter().any(|path| path.ends_with("/ban")));
    }
}

#[test]
fn an_admin_of_the_admin_organization_whom_the_read_only_list_names_is_read_only() {
    let config = signing_in(&[
        ("MCP_ADMIN_ORGANIZATION", ORG),
        ("MCP_READONLY_USERS", "user_2admin@example.com"),
    ]);
    assert_eq!(tool_names(&config, ADMIN), read_tools());
    let clerk = clerk_of(ADMIN);
    send(as_user(list_users()), &config, &clerk);
    assert_eq!(
        sign_in_paths(&clerk),
        [VERIFY, "/v1/users/user_2admin"],
        "read-only by email: the membership need not be asked"
    );
}

#[test]
fn read_only_users_alone_let_in_only_them() {
    let config = signing_in(&[("MCP_READONLY_USERS", OTHER)]);
    assert_eq!(tool_names(&config, OTHER), read_tools());
    let refused = send(as_user(list_users()), &config, &clerk_of(ALLOWED));
    assert_eq!(refused.status(), 403);
    let message = error_message(&refused);
    assert!(
        message.contains("not allowed") && message.contains("MCP_READONLY_USERS"),
        "{message}"
    );
}

#[test]
fn a_remembered_decision_keeps_its_grant() {
    let config = mixed();
    let clerk = clerk_with(|| json_answer(500, &json!({})));
    let platform = FakePlatform::default();
    let cache = IsolateCache::new();
    let read_only = access_jwt(claims_of(OTHER));
    let full = access_jwt(claims_of(ALLOWED));
    let list = |token: &str| {
        let request = with_bearer(post_json(&rpc("tools/list", json!({}))), token);
        let response = send_in(request, &config, &clerk, &platform, &cache);
        body_json(&response)["result"]["tools"]
            .as_array()
            .map_or(0, Vec::len)
    };
    let reads = read_tools().len();
    assert_eq!((list(&read_only), list(&full)), (reads, 46));
    let verified = platform.verifications.get();
    platform.now.set(NOW + 59);
    assert_eq!((list(&read_only), list(&full)), (reads, 46));
    let refused = tool_call_result(&send_in(
        with_bearer(ban(ALLOWED), &read_only),
        &config,
        &clerk,
        &platform,
        &cache,
    ));
    assert!(result_text(&refused).contains("MCP_READONLY_USERS"));
    assert_eq!(
        platform.verifications.get(),
        verified,
        "the decisions were remembered, grant and all"
    );
    assert_eq!(paths(&clerk), ["/.well-known/jwks.json"]);
}

#[test]
fn health_says_read_only_users_are_set_without_naming_them() {
    let clerk = FakeClerk::answering(json!({"object": "total_count", "total_count": 1}));
    let response = send(
        get("/health"),
        &signing_in(&[("MCP_READONLY_USERS", "user_2other,grace@example.com")]),
        &clerk,
    );
    assert_eq!(response.status(), 200, "{}", body_text(&response));
    let body = body_json(&response);
    assert_eq!(body["status"], "ok");
    assert_eq!(
        body["oauth"],
        json!({"authorizationServer": FRONTEND_API, "allowListConfigured": true,
               "readOnlyUsersConfigured": true})
    );
    let text = body_text(&response);
    assert!(!text.contains(OTHER) && !text.contains("grace"), "{text}");
}

#[test]
fn read_only_users_need_oauth_and_well_formed_entries() {
    let public = config_error("MCP_READONLY_USERS", OTHER);
    assert!(
        public.contains("MCP_READONLY_USERS") && public.contains("CLERK_SECRET_KEY"),
        "{public}"
    );
    let no_instance = Config::from_lookup(|name| match name {
        "CLERK_SECRET_KEY" => Some(KEY.to_owned()),
        "MCP_AUTH_TOKENS" => Some(TOKEN.to_owned()),
        "MCP_READONLY_USERS" => Some(OTHER.to_owned()),
        _ => None,
    })
    .expect_err("no instance to sign in with")
    .to_string();
    assert!(
        no_instance.contains("MCP_READONLY_USERS") && no_instance.contains("CLERK_PUBLISHABLE_KEY"),
        "{no_instance}"
    );
    let malformed = Config::from_lookup(|name| match name {
        "CLERK_SECRET_KEY" => Some(KEY.to_owned()),
        "CLERK_FRONTEND_API" => Some(FRONTEND_API.to_owned()),
        "MCP_READONLY_USERS" => Some("user_2ok, someone".to_owned()),
        _ => None,
    })
    .expect_err("not a user ID or an email address")
    .to_string();
    assert!(
        malformed.starts_with("MCP_READONLY_USERS holds \"someone\""),
        "{malformed}"
    );
}
