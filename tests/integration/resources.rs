//! Users and organizations as MCP resources: the templates, reading one,
//! what is not found, and the selection, credentials and redaction that
//! hold for them as for the tools.

use http::Request;
use serde_json::{json, Value};

use crate::support::*;

fn user_fixture() -> Value {
    serde_json::from_str(include_str!("../fixtures/clerk_user_created.json")).expect("JSON")
}

fn organization_fixture() -> Value {
    serde_json::from_str(include_str!("../fixtures/clerk_organization.json")).expect("JSON")
}

/// A handshake-era request of `method`, with the public-mode key and the
/// extra `headers`.
fn request(method: &str, params: Value, headers: &[(&str, &str)]) -> Request<Vec<u8>> {
    let body = rpc(method, params).to_string();
    let mut builder = mcp_post(&body).header("x-clerk-secret-key", KEY);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(body.into_bytes()).expect("valid request")
}

fn answer_of(
    request: Request<Vec<u8>>,
    config: &clerk_mcp_worker::config::Config,
    clerk: &FakeClerk,
) -> Value {
    let response = send(request, config, clerk);
    assert_eq!(response.status(), 200, "{}", body_text(&response));
    let text = body_text(&response);
    assert!(!text.contains(KEY), "the key never comes back");
    body_json(&response)
}

fn read(uri: &str, clerk: &FakeClerk) -> Value {
    answer_of(
        request("resources/read", json!({"uri": uri}), &[]),
        &public_config(),
        clerk,
    )
}

#[test]
fn initialize_offers_resources() {
    let answer = answer_of(
        request(
            "initialize",
            json!({"protocolVersion": "2025-06-18", "capabilities": {},
                   "clientInfo": {"name": "t", "version": "1"}}),
            &[],
        ),
        &public_config(),
        &FakeClerk::unused(),
    );
    assert!(
        answer["result"]["capabilities"]["resources"].is_object(),
        "{answer}"
    );
}

#[test]
fn the_templates_name_users_and_organizations_and_list_holds_none() {
    let clerk = FakeClerk::unused();
    let answer = answer_of(
        request("resources/templates/list", json!({}), &[]),
        &public_config(),
        &clerk,
    );
    let templates: Vec<&str> = answer["result"]["resourceTemplates"]
        .as_array()
        .expect("templates")
        .iter()
        .filter_map(|template| template["uriTemplate"].as_str())
        .collect();
    assert_eq!(
        templates,
        [
            "clerk://users/{userId}",
            "clerk://organizations/{organizationId}"
        ]
    );
    let answer = answer_of(
        request("resources/list", json!({}), &[]),
        &public_config(),
        &clerk,
    );
    assert_eq!(answer["result"], json!({"resources": []}));
    assert_eq!(clerk.request_count(), 0);
}

#[test]
fn reading_a_user_gives_what_clerk_get_user_gives() {
    let clerk = FakeClerk::answering(user_fixture());
    let answer = read("clerk://users/user_2grace", &clerk);
    let contents = &answer["result"]["contents"];
    assert_eq!(contents.as_array().map(Vec::len), Some(1), "{answer}");
    assert_eq!(contents[0]["uri"], "clerk://users/user_2grace");
    assert_eq!(contents[0]["mimeType"], "application/json");
    let user: Value =
        serde_json::from_str(contents[0]["text"].as_str().expect("text")).expect("JSON");
    assert_eq!(
        only_request(&clerk),
        Sent::without_body("GET", "/v1/users/user_2grace")
    );
    let tool = tool_result(
        &FakeClerk::answering(user_fixture()),
        "clerk_get_user",
        json!({"userId": "user_2grace"}),
    );
    assert_eq!(user, tool["structuredContent"]);
    assert_eq!(user["privateMetadata"], json!({"crm": {"id": 1906}}));
}

#[test]
fn reading_an_organization_gives_what_clerk_get_organization_gives() {
    let clerk = FakeClerk::answering(organization_fixture());
    let uri = "clerk://organizations/org_2gT5pQx8Rk3mNcV7bWz1YhLd4Ea";
    let answer = read(uri, &clerk);
    let text = answer["result"]["contents"][0]["text"]
        .as_str()
        .expect("text");
    let organization: Value = serde_json::from_str(text).expect("JSON");
    assert_eq!(organization["id"], "org_2gT5pQx8Rk3mNcV7bWz1YhLd4Ea");
    assert_eq!(organization["privateMetadata"]["seats"], 25);
    assert_eq!(
        clerk.urls(),
        ["/v1/organizations/org_2gT5pQx8Rk3mNcV7bWz1YhLd4Ea?include_members_count=true"]
    );
}

#[test]
fn an_unknown_uri_is_resource_not_found_in_each_era() {
    for uri in [
        "clerk://sessions/sess_1",
        "https://example.com/",
        "clerk://users/not-an-id",
        "clerk://users/",
    ] {
        let clerk = FakeClerk::unused();
        let answer = read(uri, &clerk);
        assert_eq!(answer["error"]["code"], -32002, "{uri}: {answer}");
        assert_eq!(answer["error"]["data"]["uri"], uri);
        assert_eq!(clerk.request_count(), 0, "{uri}");
    }
    let clerk = FakeClerk::failing(404, "resource_not_found", "not found", None);
    let answer = read("clerk://users/user_2gone", &clerk);
    assert_eq!(answer["error"]["code"], -32002, "{answer}");
    // 2026-07-28 folds "not found" into invalid params.
    let mut request = stateless_with(
        "resources/read",
        json!({"uri": "clerk://users/user_2gone"}),
        json!({}),
    );
    request.headers_mut().insert(
        "mcp-name",
        "clerk://users/user_2gone".parse().expect("header"),
    );
    let response = send(request, &public_config(), &clerk);
    let answer = body_json(&response);
    assert_eq!(answer["error"]["code"], -32602, "{answer}");
}

#[test]
fn the_stateless_era_reads_in_its_envelope_with_private_caching() {
    let clerk = FakeClerk::answering(user_fixture());
    let mut request = stateless_with(
        "resources/read",
        json!({"uri": "clerk://users/user_2grace"}),
        json!({}),
    );
    request.headers_mut().insert(
        "mcp-name",
        "clerk://users/user_2grace".parse().expect("header"),
    );
    let response = send(request, &public_config(), &clerk);
    let result = body_json(&response)["result"].clone();
    assert_eq!(result["resultType"], "complete", "{result}");
    assert_eq!(result["cacheScope"], "private");
    assert_eq!(result["ttlMs"], 0);
    assert!(result["contents"][0]["text"]
        .as_str()
        .is_some_and(|text| text.contains("user_2grace")));
}

#[test]
fn the_selection_decides_which_resources_there_are() {
    let clerk = FakeClerk::unused();
    let only_orgs = [("x-mcp-toolsets", "organizations")];
    let answer = answer_of(
        request("resources/templates/list", json!({}), &only_orgs),
        &public_config(),
        &clerk,
    );
    let templates = answer["result"]["resourceTemplates"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(templates.len(), 1, "{answer}");
    assert_eq!(
        templates[0]["uriTemplate"],
        "clerk://organizations/{organizationId}"
    );
    let answer = answer_of(
        request(
            "resources/read",
            json!({"uri": "clerk://users/user_2grace"}),
            &only_orgs,
        ),
        &public_config(),
        &clerk,
    );
    assert_eq!(answer["error"]["code"], -32002, "{answer}");
    let server_users_only = config(&[("MCP_TOOLSETS", "users")]);
    let answer = answer_of(
        request(
            "resources/read",
            json!({"uri": "clerk://organizations/org_1"}),
            &[],
        ),
        &server_users_only,
        &clerk,
    );
    assert_eq!(answer["error"]["code"], -32002, "{answer}");
    assert_eq!(clerk.request_count(), 0);
    // Read-only servers still read.
    let reading = FakeClerk::answering(user_fixture());
    let answer = answer_of(
        request(
            "resources/read",
            json!({"uri": "clerk://users/user_2grace"}),
            &[],
        ),
        &config(&[("MCP_READ_ONLY", "true")]),
        &reading,
    );
    assert!(answer["result"]["contents"].is_array(), "{answer}");
}

#[test]
fn private_metadata_is_redacted_as_in_the_tools() {
    let clerk = FakeClerk::answering(user_fixture());
    let answer = answer_of(
        request(
            "resources/read",
            json!({"uri": "clerk://users/user_2grace"}),
            &[],
        ),
        &config(&[("MCP_REDACT_PRIVATE_METADATA", "true")]),
        &clerk,
    );
    let text = answer["result"]["contents"][0]["text"]
        .as_str()
        .expect("text");
    assert!(
        !text.contains("privateMetadata") && !text.contains("\"crm\""),
        "{text}"
    );
    assert!(text.contains("\"plan\":\"team\""), "{text}");
}

#[test]
fn a_read_needs_the_credentials_a_tool_call_needs() {
    // Public mode without a key: nothing reaches Clerk, and the error says why.
    let clerk = FakeClerk::unused();
    let body = rpc(
        "resources/read",
        json!({"uri": "clerk://users/user_2grace"}),
    )
    .to_string();
    let request = mcp_post(&body).body(body.into_bytes()).expect("request");
    let response = send(request, &public_config(), &clerk);
    let answer = body_json(&response);
    assert!(
        answer["error"]["message"]
            .as_str()
            .is_some_and(|message| message.contains("X-Clerk-Secret-Key")),
        "{answer}"
    );
    assert_eq!(clerk.request_count(), 0);
    // Hosted mode without the access token: refused before anything else.
    let body = rpc(
        "resources/read",
        json!({"uri": "clerk://users/user_2grace"}),
    )
    .to_string();
    let request = mcp_post(&body)
        .body(body.clone().into_bytes())
        .expect("request");
    let response = send(request, &hosted_config(), &clerk);
    assert_eq!(response.status(), 401);
    assert_eq!(clerk.request_count(), 0);
    // With it, the server's own key is used, and never shown.
    let reading = FakeClerk::answering(user_fixture());
    let request = with_token(mcp_post(&body).body(body.into_bytes()).expect("request"));
    let response = send(request, &hosted_config(), &reading);
    assert!(!body_text(&response).contains(KEY));
    assert!(body_json(&response)["result"]["contents"].is_array());
    let sent = reading.requests.borrow();
    let authorization = sent[0]
        .headers()
        .get("authorization")
        .and_then(|value| value.to_str().ok());
    assert_eq!(authorization, Some(format!("Bearer {KEY}").as_str()));
}
