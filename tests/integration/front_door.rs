//! `GET /`: the page a browser gets, and the JSON every other client still
//! gets. What the page says of the server, the URL its choices make, the
//! tools it lists, and that nothing secret is on it.

use http::Request;
use serde_json::json;

use crate::support::*;

const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

fn get(
    path: &str,
    accept: Option<&str>,
    config: &clerk_mcp_worker::config::Config,
    clerk: &FakeClerk,
) -> http::Response<Vec<u8>> {
    let mut builder = Request::get(format!("http://127.0.0.1:8787{path}"));
    if let Some(accept) = accept {
        builder = builder.header("accept", accept);
    }
    send(builder.body(Vec::new()).unwrap(), config, clerk)
}

fn page(path: &str, config: &clerk_mcp_worker::config::Config, clerk: &FakeClerk) -> (u16, String) {
    let response = get(path, Some(BROWSER_ACCEPT), config, clerk);
    assert_eq!(
        response.headers()["content-type"],
        "text/html; charset=utf-8"
    );
    (response.status().as_u16(), body_text(&response))
}

/// The `<li>` of a tool, or `None` when the page does not list it.
fn tool_item<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let start = html.find(&format!("<li data-tool=\"{name}\""))?;
    let end = html[start..].find("</li>")?;
    Some(&html[start..start + end])
}

fn shown(html: &str, name: &str) -> bool {
    tool_item(html, name).is_some_and(|item| !item.contains(" hidden>"))
}

#[test]
fn a_client_that_does_not_ask_for_html_keeps_the_json_answer() {
    let clerk = FakeClerk::unused();
    for accept in [
        None,
        Some("application/json"),
        Some("*/*"),
        Some("text/html, application/json"),
    ] {
        let response = get("/", accept, &public_config(), &clerk);
        assert_eq!(response.status(), 404, "{accept:?}");
        assert_eq!(body_json(&response)["error"], "not_found");
    }
    assert!(clerk.requests.borrow().is_empty());
}

#[test]
fn a_browser_gets_the_page_with_a_strict_policy() {
    let clerk = FakeClerk::unused();
    let response = get("/", Some(BROWSER_ACCEPT), &public_config(), &clerk);
    assert_eq!(response.status(), 200);
    let headers = response.headers();
    let policy = headers["content-security-policy"].to_str().unwrap();
    assert!(
        policy.starts_with("default-src 'none'; style-src 'sha256-"),
        "{policy}"
    );
    assert!(policy.contains("script-src 'sha256-"), "{policy}");
    assert!(!policy.contains("unsafe"), "{policy}");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["vary"], "Accept");
    assert_eq!(headers["cache-control"], "no-store");
    let html = body_text(&response);
    assert!(html.starts_with("<!doctype html>"));
    assert!(!html.contains("<!--"), "a part was left unfilled");
    assert!(!html.contains("http-equiv"));
    for external in ["src=\"http", "href=\"http", "url(", "@import"] {
        assert!(!html.contains(external), "{external}");
    }
}

#[test]
fn the_public_page_says_its_mode_and_versions_and_calls_no_clerk() {
    let clerk = FakeClerk::unused();
    let (status, html) = page("/", &public_config(), &clerk);
    assert_eq!(status, 200);
    assert!(clerk.requests.borrow().is_empty());
    assert!(html.contains("<strong>public</strong>"));
    for version in ["2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"] {
        assert!(html.contains(version), "{version}");
    }
    assert!(html.contains("value=\"http://127.0.0.1:8787/mcp\""));
    // Where the key goes, by name, and never a key.
    assert!(html.contains("${env:CLERK_SECRET_KEY}"));
    assert!(html.contains("X-Clerk-Secret-Key"));
    assert!(!html.contains("sk_test_") && !html.contains("sk_live_"));
    // The default set is shown; the opt-in toolsets are listed, hidden.
    assert!(shown(&html, "clerk_list_users"));
    assert!(shown(&html, "clerk_whoami"));
    assert!(tool_item(&html, "clerk_get_instance").is_some());
    assert!(!shown(&html, "clerk_get_instance"));
    assert!(html.contains("data-prompt=\"review_waitlist\""));
}

#[test]
fn the_hosted_page_checks_the_server_key_and_shows_no_secret() {
    let clerk = FakeClerk::answering(json!({"object": "total_count", "total_count": 3}));
    let (status, html) = page("/", &hosted_config(), &clerk);
    assert_eq!(status, 200);
    assert_eq!(clerk.requests.borrow().len(), 1);
    assert!(clerk.requests.borrow()[0]
        .uri()
        .path()
        .ends_with("/users/count"));
    assert!(html.contains("<strong>hosted</strong>"));
    assert!(html.contains("reachable, and it accepts the server's key"));
    assert!(html.contains("Authorization: Bearer $CLERK_MCP_TOKEN"));
    for secret in [KEY, TOKEN, "old-token-9876543210fedcba"] {
        assert!(!html.contains(secret));
    }
}

#[test]
fn a_hosted_server_that_is_not_working_says_how_to_fix_it() {
    let clerk = FakeClerk::failing(401, "authentication_invalid", "The key is invalid", None);
    let config = config(&[("CLERK_SECRET_KEY", KEY)]);
    let (status, html) = page("/", &config, &clerk);
    assert_eq!(status, 200);
    assert!(html.contains("id=\"health\" class=\"bad\">degraded"));
    assert!(html.contains("not configured"));
    assert!(html.contains("npx wrangler secret put MCP_AUTH_TOKENS"));
    assert!(!html.contains(KEY));
}

#[test]
fn the_choices_in_the_address_make_the_url_and_the_tool_list() {
    let clerk = FakeClerk::unused();
    let (status, html) = page(
        "/?readonly=true&toolsets=users,instance&confirm=writes",
        &public_config(),
        &clerk,
    );
    assert_eq!(status, 200);
    assert!(html.contains(
        "value=\"http://127.0.0.1:8787/mcp?readonly=true&amp;toolsets=users,instance&amp;confirm=writes\""
    ));
    assert!(shown(&html, "clerk_list_users"));
    assert!(shown(&html, "clerk_get_instance"));
    assert!(!shown(&html, "clerk_ban_user"));
    assert!(!shown(&html, "clerk_list_organizations"));
    assert!(html.contains(
        "clerk &#39;http://127.0.0.1:8787/mcp?readonly=true&amp;toolsets=users,instance&amp;confirm=writes&#39;"
    ));
    // The form's own query says the same.
    let (_, form) = page(
        "/?readonly=true&toolset=&toolset=users&toolset=instance&confirm=writes",
        &public_config(),
        &clerk,
    );
    assert_eq!(form, html);
}

#[test]
fn the_default_choices_make_the_bare_url() {
    let clerk = FakeClerk::unused();
    let default_sets = "organizations,members,invitations,users,sessions,roles,access";
    let (_, html) = page(
        &format!("/?toolsets={default_sets}&confirm=destructive"),
        &public_config(),
        &clerk,
    );
    assert!(html.contains("value=\"http://127.0.0.1:8787/mcp\""));
    assert!(html.contains(&format!("data-defaults=\"{default_sets}\"")));
}

#[test]
fn choices_the_server_does_not_offer_are_not_shown() {
    let clerk = FakeClerk::unused();
    let config = config(&[("MCP_TOOLSETS", "users,roles"), ("MCP_READ_ONLY", "true")]);
    let (_, html) = page("/", &config, &clerk);
    assert!(html.contains("name=\"readonly\" value=\"true\" checked disabled"));
    assert!(!html.contains("value=\"organizations\""));
    assert!(tool_item(&html, "clerk_list_organizations").is_none());
    assert!(tool_item(&html, "clerk_ban_user").is_none());
    assert!(shown(&html, "clerk_list_users"));
    assert!(html.contains("value=\"http://127.0.0.1:8787/mcp\""));
}

#[test]
fn unreadable_choices_are_named_on_the_page() {
    let clerk = FakeClerk::unused();
    let (status, html) = page(
        "/?toolsets=users,%3Cb%3Enope%3C%2Fb%3E",
        &public_config(),
        &clerk,
    );
    assert_eq!(status, 400);
    assert!(html.contains("&quot;&lt;b&gt;nope&lt;/b&gt;&quot; is not a toolset"));
    assert!(!html.contains("<b>nope"));
    assert!(html.contains("value=\"http://127.0.0.1:8787/mcp\""));
}

#[test]
fn a_production_key_without_live_writes_offers_reading_only() {
    let clerk = FakeClerk::answering(json!({"object": "total_count", "total_count": 3}));
    let config = config(&[("CLERK_SECRET_KEY", OTHER_KEY), ("MCP_AUTH_TOKENS", TOKEN)]);
    let (_, html) = page("/", &config, &clerk);
    assert!(html.contains("id=\"withheld\""));
    assert!(tool_item(&html, "clerk_ban_user").is_none());
    assert!(shown(&html, "clerk_list_users"));
    assert!(!html.contains(OTHER_KEY));
}
