//! MCP 2026-07-28 beside the handshake eras on the same `/mcp`: discovery,
//! the result envelope and its caching hints, and each rule of the era's
//! HTTP transport, with what the client sees and that nothing reached Clerk.

use http::Request;
use serde_json::{json, Value};

use crate::support::*;

/// A 2026-07-28 request as a client sends it: `_meta`, and the version,
/// method and name headers, with the key of public mode.
fn stateless(method: &str, params: Value) -> Request<Vec<u8>> {
    stateless_with(method, params, json!({}))
}

/// The same request without the public-mode key: what a client sends to list.
fn keyless(mut request: Request<Vec<u8>>) -> Request<Vec<u8>> {
    request.headers_mut().remove("x-clerk-secret-key");
    request
}

fn user() -> Value {
    json!({"id": "user_2abc", "object": "user", "first_name": "Ada",
        "email_addresses": [], "created_at": 1_700_000_000_000_u64})
}

#[test]
fn discover_says_what_the_server_offers_and_how_long_to_keep_it() {
    let clerk = FakeClerk::unused();
    let response = send(
        stateless("server/discover", json!({})),
        &public_config(),
        &clerk,
    );
    assert_eq!(response.status(), 200);
    let answer = body_json(&response);
    assert_eq!(answer["id"], 7);
    let result = &answer["result"];
    assert_eq!(result["resultType"], "complete");
    assert_eq!(result["supportedVersions"], json!([VERSION]));
    assert_eq!(
        result["capabilities"],
        json!({"tools": {}, "prompts": {}, "resources": {}})
    );
    assert!(result["instructions"]
        .as_str()
        .unwrap()
        .contains("clerk_list_users"));
    assert_eq!(result["ttlMs"], 3_600_000);
    assert_eq!(result["cacheScope"], "public");
    let info = &result["_meta"]["io.modelcontextprotocol/serverInfo"];
    assert_eq!(info["name"], "clerk-mcp-worker");
    assert!(info["version"].is_string());
    assert!(result.get("serverInfo").is_none());
    let icon = &info["icons"][0];
    assert_eq!(icon["mimeType"], "image/svg+xml");
    let src = icon["src"].as_str().unwrap();
    assert!(src.starts_with("data:image/svg+xml,%3Csvg"), "{src}");
    assert!(!src.contains(' ') && !src.contains('<') && !src.contains('"'));
    assert_eq!(clerk.request_count(), 0);
}

#[test]
fn client_info_is_optional() {
    let clerk = FakeClerk::unused();
    let mut request = stateless("server/discover", json!({}));
    let mut body: Value = serde_json::from_slice(request.body()).unwrap();
    body["params"]["_meta"]
        .as_object_mut()
        .unwrap()
        .remove("io.modelcontextprotocol/clientInfo");
    *request.body_mut() = body.to_string().into_bytes();
    request.headers_mut().remove("content-length");
    let response = send(request, &public_config(), &clerk);
    assert_eq!(response.status(), 200, "{}", body_text(&response));
}

#[test]
fn tools_list_has_the_same_tools_in_the_envelope_with_caching_hints() {
    let clerk = FakeClerk::unused();
    let legacy = body_json(&send(
        post_json(&rpc("tools/list", json!({}))),
        &public_config(),
        &clerk,
    ));
    let modern = body_json(&send(
        keyless(stateless("tools/list", json!({}))),
        &public_config(),
        &clerk,
    ));
    let result = &modern["result"];
    assert_eq!(result["tools"], legacy["result"]["tools"]);
    assert_eq!(result["tools"].as_array().unwrap().len(), 46);
    assert_eq!(result["resultType"], "complete");
    assert_eq!(result["ttlMs"], 300_000);
    assert_eq!(result["cacheScope"], "public");
    assert_eq!(
        result["_meta"]["io.modelcontextprotocol/serverInfo"]["name"],
        "clerk-mcp-worker"
    );
    // The handshake eras' answer is as it was: the tools alone.
    assert_eq!(
        legacy["result"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["tools"]
    );
}

#[test]
fn a_list_that_depends_on_who_asks_or_their_headers_is_private() {
    let clerk = FakeClerk::unused();
    let scope = |request: Request<Vec<u8>>, config: &clerk_mcp_worker::config::Config| {
        let answer = body_json(&send(request, config, &clerk));
        answer["result"]["cacheScope"].clone()
    };
    let hosted = {
        let mut request = with_token(stateless("tools/list", json!({})));
        request.headers_mut().remove("x-clerk-secret-key");
        request
    };
    assert_eq!(scope(hosted, &hosted_config()), "private");
    let mut narrowed = stateless("tools/list", json!({}));
    narrowed
        .headers_mut()
        .insert("x-mcp-readonly", "true".parse().unwrap());
    assert_eq!(scope(narrowed, &public_config()), "private");
    let prompts = keyless(stateless("prompts/list", json!({})));
    assert_eq!(scope(prompts, &public_config()), "public");
    // A public server's list depends on the kind of key a request brings.
    let with_key = stateless("tools/list", json!({}));
    assert_eq!(scope(with_key, &public_config()), "private");
}

#[test]
fn the_operator_sets_how_long_lists_may_be_kept() {
    let clerk = FakeClerk::unused();
    for (seconds, millis) in [("60", 60_000), ("0", 0)] {
        let config = config(&[("MCP_LIST_TTL_SECONDS", seconds)]);
        let answer = body_json(&send(stateless("tools/list", json!({})), &config, &clerk));
        assert_eq!(answer["result"]["ttlMs"], millis, "{seconds}");
    }
    for bad in ["-1", "1.5", "86401", "soon"] {
        let error = config_error("MCP_LIST_TTL_SECONDS", bad);
        assert!(error.contains("MCP_LIST_TTL_SECONDS"), "{bad}");
    }
}

#[test]
fn a_tool_call_answers_as_in_the_handshake_eras_inside_the_envelope() {
    let clerk = FakeClerk::answering(user());
    let legacy = tool_result(&clerk, "clerk_get_user", json!({"userId": "user_2abc"}));
    let response = send(
        stateless(
            "tools/call",
            json!({"name": "clerk_get_user", "arguments": {"userId": "user_2abc"}}),
        ),
        &public_config(),
        &clerk,
    );
    assert_eq!(response.status(), 200);
    let result = body_json(&response)["result"].clone();
    assert_eq!(result["structuredContent"], legacy["structuredContent"]);
    assert_eq!(result["content"], legacy["content"]);
    assert_eq!(result["isError"], false);
    assert_eq!(result["resultType"], "complete");
    assert!(result.get("ttlMs").is_none() && result.get("cacheScope").is_none());
    assert_eq!(clerk.request_count(), 2);
}

#[test]
fn prompts_are_listed_and_got_in_the_envelope() {
    let clerk = FakeClerk::unused();
    let list = body_json(&send(
        stateless("prompts/list", json!({})),
        &public_config(),
        &clerk,
    ));
    let prompts = list["result"]["prompts"].as_array().unwrap();
    assert!(!prompts.is_empty());
    assert_eq!(list["result"]["resultType"], "complete");
    assert!(list["result"]["ttlMs"].is_u64());
    let name = prompts[0]["name"].as_str().unwrap();
    let arguments: serde_json::Map<String, Value> = prompts[0]["arguments"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|argument| argument["required"] == true)
        .map(|argument| {
            let name = argument["name"].as_str().unwrap().to_owned();
            (name, json!("user_2abc"))
        })
        .collect();
    let got = send(
        stateless("prompts/get", json!({"name": name, "arguments": arguments})),
        &public_config(),
        &clerk,
    );
    let got = body_json(&got);
    assert_eq!(got["result"]["resultType"], "complete", "{got}");
    assert!(got["result"]["messages"].is_array());
    assert!(got["result"].get("ttlMs").is_none());
}

/// Sends `request` against a Clerk that must not be called, and checks the
/// HTTP status, the JSON-RPC code and that the id came back.
fn refused(request: Request<Vec<u8>>, status: u16, code: i64) -> Value {
    let clerk = FakeClerk::unused();
    let response = send(request, &public_config(), &clerk);
    let answer = body_json(&response);
    assert_eq!(response.status(), status, "{answer}");
    assert_eq!(answer["error"]["code"], code, "{answer}");
    assert_eq!(answer["id"], 7, "{answer}");
    assert_eq!(clerk.request_count(), 0, "nothing reaches Clerk");
    answer["error"].clone()
}

fn get_user() -> Request<Vec<u8>> {
    stateless(
        "tools/call",
        json!({"name": "clerk_get_user", "arguments": {"userId": "user_2abc"}}),
    )
}

fn edit_meta(
    request: &mut Request<Vec<u8>>,
    edit: impl FnOnce(&mut serde_json::Map<String, Value>),
) {
    let mut body: Value = serde_json::from_slice(request.body()).unwrap();
    edit(body["params"]["_meta"].as_object_mut().unwrap());
    *request.body_mut() = body.to_string().into_bytes();
    request.headers_mut().remove("content-length");
}

#[test]
fn a_request_without_its_capabilities_is_400_invalid_params() {
    let mut request = get_user();
    edit_meta(&mut request, |meta| {
        meta.remove("io.modelcontextprotocol/clientCapabilities");
    });
    let error = refused(request, 400, -32602);
    assert!(error["message"]
        .as_str()
        .unwrap()
        .contains("clientCapabilities"));
}

#[test]
fn a_2026_header_on_a_body_without_meta_is_400_invalid_params() {
    let mut request = post_json(&json!({"jsonrpc": "2.0", "id": 7, "method": "tools/call",
        "params": {"name": "clerk_get_user", "arguments": {"userId": "user_2abc"}}}));
    request
        .headers_mut()
        .insert("mcp-protocol-version", VERSION.parse().unwrap());
    request
        .headers_mut()
        .insert("x-clerk-secret-key", KEY.parse().unwrap());
    refused(request, 400, -32602);
}

#[test]
fn headers_that_disagree_with_the_body_are_400_header_mismatch() {
    for (header, value) in [
        ("mcp-protocol-version", "2025-11-25"),
        ("mcp-protocol-version", "not-a-version"),
        ("mcp-method", "tools/list"),
        ("mcp-name", "clerk_delete_user"),
        ("mcp-name", "=?base64?Y2xlcmtfZGVsZXRlX3VzZXI=?="),
    ] {
        let mut request = get_user();
        request.headers_mut().insert(header, value.parse().unwrap());
        let error = refused(request, 400, -32020);
        let message = error["message"].as_str().unwrap().to_ascii_lowercase();
        assert!(message.contains(header), "{header}: {message}");
    }
}

#[test]
fn a_missing_header_is_400_header_mismatch() {
    for header in ["mcp-protocol-version", "mcp-method", "mcp-name"] {
        let mut request = get_user();
        request.headers_mut().remove(header);
        let error = refused(request, 400, -32020);
        let message = error["message"].as_str().unwrap().to_ascii_lowercase();
        assert!(message.contains(header), "{header}: {message}");
    }
}

#[test]
fn a_name_header_in_base64_is_read_decoded() {
    let clerk = FakeClerk::answering(user());
    let mut request = get_user();
    request.headers_mut().insert(
        "mcp-name",
        "=?base64?Y2xlcmtfZ2V0X3VzZXI=?=".parse().unwrap(),
    );
    let response = send(request, &public_config(), &clerk);
    assert_eq!(response.status(), 200, "{}", body_text(&response));
    assert_eq!(body_json(&response)["result"]["isError"], false);
}

#[test]
fn an_unsupported_version_is_400_and_names_the_one_served() {
    let mut request = get_user();
    edit_meta(&mut request, |meta| {
        meta.insert(
            "io.modelcontextprotocol/protocolVersion".into(),
            json!("v999.0.0"),
        );
    });
    request
        .headers_mut()
        .insert("mcp-protocol-version", "v999.0.0".parse().unwrap());
    let error = refused(request, 400, -32022);
    assert_eq!(error["data"]["supported"], json!([VERSION]));
    assert_eq!(error["data"]["requested"], "v999.0.0");
}

#[test]
fn an_unknown_log_level_is_400_invalid_params() {
    let mut request = get_user();
    edit_meta(&mut request, |meta| {
        meta.insert("io.modelcontextprotocol/logLevel".into(), json!("loud"));
    });
    refused(request, 400, -32602);
    let clerk = FakeClerk::answering(user());
    let mut request = get_user();
    edit_meta(&mut request, |meta| {
        meta.insert("io.modelcontextprotocol/logLevel".into(), json!("debug"));
    });
    assert_eq!(send(request, &public_config(), &clerk).status(), 200);
}

#[test]
fn methods_the_era_removed_or_never_had_are_404_method_not_found() {
    for method in [
        "initialize",
        "ping",
        "logging/setLevel",
        "resources/subscribe",
        "no/such/method",
    ] {
        let error = refused(stateless(method, json!({})), 404, -32601);
        assert!(error["message"].as_str().unwrap().contains(method));
    }
}

#[test]
fn a_batch_under_the_2026_header_is_400_invalid_request() {
    let clerk = FakeClerk::unused();
    let mut request = post_json(&json!([rpc("tools/list", json!({}))]));
    request
        .headers_mut()
        .insert("mcp-protocol-version", VERSION.parse().unwrap());
    let response = send(request, &public_config(), &clerk);
    assert_eq!(response.status(), 400);
    assert_eq!(body_json(&response)["error"]["code"], -32600);
}

#[test]
fn a_2026_request_inside_a_2025_03_26_batch_is_refused_alone() {
    let clerk = FakeClerk::unused();
    let modern = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list",
        "params": with_meta(json!({}), json!({}))});
    let mut request = post_json(&json!([rpc("ping", json!({})), modern]));
    request.headers_mut().remove("mcp-protocol-version");
    let response = send(request, &public_config(), &clerk);
    assert_eq!(response.status(), 200);
    let answers = body_json(&response);
    assert_eq!(answers[0]["result"], json!({}));
    assert_eq!(answers[1]["error"]["code"], -32600);
}

#[test]
fn access_and_origin_rules_are_those_of_the_handshake_eras() {
    let clerk = FakeClerk::unused();
    let mut foreign = stateless("tools/list", json!({}));
    foreign
        .headers_mut()
        .insert("origin", "http://evil.example.com".parse().unwrap());
    assert_eq!(send(foreign, &public_config(), &clerk).status(), 403);
    let mut no_token = stateless("tools/list", json!({}));
    no_token.headers_mut().remove("x-clerk-secret-key");
    let response = send(no_token, &hosted_config(), &clerk);
    assert_eq!(response.status(), 401);
    assert!(response.headers().contains_key("www-authenticate"));
    assert_eq!(clerk.request_count(), 0);
}

#[test]
fn a_notification_is_accepted_with_no_body() {
    let clerk = FakeClerk::unused();
    let mut request = post_json(
        &json!({"jsonrpc": "2.0", "method": "notifications/cancelled",
        "params": with_meta(json!({"requestId": 1}), json!({}))}),
    );
    request
        .headers_mut()
        .insert("mcp-protocol-version", VERSION.parse().unwrap());
    let response = send(request, &public_config(), &clerk);
    assert_eq!(response.status(), 202);
    assert!(response.body().is_empty());
}

#[test]
fn the_handshake_eras_do_not_have_discover() {
    let clerk = FakeClerk::unused();
    let response = send(
        post_json(&rpc("server/discover", json!({}))),
        &public_config(),
        &clerk,
    );
    assert_eq!(response.status(), 200);
    assert_eq!(body_json(&response)["error"]["code"], -32601);
}

// A question in the middle of a call: `clerk_get_organization` given a slug
// that names no organization asks a client that can show a form which of
// the organizations like it was meant.

fn organization(slug: &str, name: &str) -> Value {
    json!({"object": "organization", "id": format!("org_{}", slug.replace('-', "")),
        "name": name, "slug": slug, "public_metadata": {}, "private_metadata": {},
        "created_at": 1_700_000_000_000_u64, "updated_at": 1_700_000_000_000_u64})
}

/// A Clerk with three organizations; a search finds those whose slug or
/// name holds the query.
fn clerk_with_organizations() -> FakeClerk {
    let organizations = [
        organization("acme-corporation", "Acme Corporation"),
        organization("acme-labs", "Acme Labs"),
        organization("globex", "Globex"),
    ];
    FakeClerk::new(move |request| {
        let path = request.uri().path();
        if path == "/v1/organizations" {
            let query = request.uri().query().unwrap_or_default();
            let needle = query
                .split('&')
                .find_map(|pair| pair.strip_prefix("query="))
                .unwrap_or_default();
            let found: Vec<&Value> = organizations
                .iter()
                .filter(|o| o["slug"].as_str().unwrap().contains(needle))
                .collect();
            return Ok(json_answer(
                200,
                &json!({"data": found, "total_count": found.len()}),
            ));
        }
        let slug = path.trim_start_matches("/v1/organizations/");
        match organizations.iter().find(|o| o["slug"] == slug) {
            Some(found) => Ok(json_answer(200, found)),
            None => Ok(json_answer(
                404,
                &json!({"errors": [{"code": "resource_not_found",
                "message": "not found", "long_message": "not found"}]}),
            )),
        }
    })
}

const ELICITATION: fn() -> Value = || json!({"elicitation": {}});

fn get_by_slug(slug: &str, extra: Value, capabilities: Value) -> Request<Vec<u8>> {
    let mut params = json!({"name": "clerk_get_organization", "arguments": {"slug": slug}});
    for (key, value) in extra.as_object().unwrap() {
        params[key] = value.clone();
    }
    stateless_with("tools/call", params, capabilities)
}

/// Asks for the slug `acme` and returns the answer's result.
fn asked(
    clerk: &FakeClerk,
    platform: &FakePlatform,
    config: &clerk_mcp_worker::config::Config,
) -> Value {
    let response = send_on(
        get_by_slug("acme", json!({}), ELICITATION()),
        config,
        clerk,
        platform,
    );
    assert_eq!(response.status(), 200, "{}", body_text(&response));
    body_json(&response)["result"].clone()
}

fn answered(
    clerk: &FakeClerk,
    platform: &FakePlatform,
    config: &clerk_mcp_worker::config::Config,
    slug: &str,
    state: &Value,
    response: Value,
) -> Value {
    let request = get_by_slug(
        slug,
        json!({"inputResponses": {"slug": response}, "requestState": state}),
        ELICITATION(),
    );
    let response = send_on(request, config, clerk, platform);
    body_json(&response)
}

#[test]
fn an_unknown_slug_asks_which_organization_was_meant() {
    let clerk = clerk_with_organizations();
    let result = asked(&clerk, &FakePlatform::default(), &public_config());
    assert_eq!(result["resultType"], "input_required", "{result}");
    let request = &result["inputRequests"]["slug"];
    assert_eq!(request["method"], "elicitation/create");
    assert_eq!(request["params"]["mode"], "form");
    assert!(request["params"]["message"]
        .as_str()
        .unwrap()
        .contains("\"acme\""));
    let schema = &request["params"]["requestedSchema"];
    assert_eq!(schema["required"], json!(["slug"]));
    assert_eq!(
        schema["properties"]["slug"]["oneOf"],
        json!([
            {"const": "acme-labs", "title": "Acme Labs (acme-labs)"},
            {"const": "acme-corporation", "title": "Acme Corporation (acme-corporation)"},
        ]),
        "closest first"
    );
    let state = result["requestState"].as_str().unwrap();
    assert!(!state.contains(KEY), "the state never shows the key");
    assert!(result.get("ttlMs").is_none());
    assert_eq!(
        clerk.urls(),
        [
            "/v1/organizations/acme?include_members_count=true",
            "/v1/organizations?limit=20&offset=0&include_members_count=false&query=acme"
        ]
    );
}

#[test]
fn the_chosen_organization_is_fetched_and_answered() {
    let clerk = clerk_with_organizations();
    let platform = FakePlatform::default();
    let state = asked(&clerk, &platform, &public_config())["requestState"].clone();
    clerk.requests.borrow_mut().clear();
    let answer = answered(
        &clerk,
        &platform,
        &public_config(),
        "acme",
        &state,
        json!({"action": "accept", "content": {"slug": "acme-corporation"}}),
    );
    let result = &answer["result"];
    assert_eq!(result["resultType"], "complete", "{answer}");
    assert_eq!(result["isError"], false);
    assert_eq!(result["structuredContent"]["slug"], "acme-corporation");
    assert_eq!(result["structuredContent"]["name"], "Acme Corporation");
    assert_eq!(
        clerk.urls(),
        ["/v1/organizations/acme-corporation?include_members_count=true"]
    );
}

#[test]
fn a_declined_question_gets_the_answer_a_client_without_forms_gets() {
    let clerk = clerk_with_organizations();
    let platform = FakePlatform::default();
    let state = asked(&clerk, &platform, &public_config())["requestState"].clone();
    for action in ["decline", "cancel"] {
        let answer = answered(
            &clerk,
            &platform,
            &public_config(),
            "acme",
            &state,
            json!({"action": action}),
        );
        let result = &answer["result"];
        assert_eq!(result["resultType"], "complete", "{answer}");
        assert_eq!(result["isError"], true);
        let text = result_text(result);
        assert!(
            text.contains("404") && text.contains("resource_not_found"),
            "{text}"
        );
    }
    // A client without forms is never asked, and Clerk is not searched.
    let clerk = clerk_with_organizations();
    let response = send(
        get_by_slug("acme", json!({}), json!({})),
        &public_config(),
        &clerk,
    );
    let result = &body_json(&response)["result"];
    assert_eq!(result["isError"], true);
    assert!(result_text(result).contains("404"));
    assert_eq!(
        clerk.urls(),
        ["/v1/organizations/acme?include_members_count=true"]
    );
    // Nor is a client that offers only URL elicitation, nor one of the handshake eras.
    let clerk = clerk_with_organizations();
    let url_only = json!({"elicitation": {"url": {}}});
    let response = send(
        get_by_slug("acme", json!({}), url_only),
        &public_config(),
        &clerk,
    );
    assert_eq!(body_json(&response)["result"]["isError"], true);
    let legacy = tool_result(&clerk, "clerk_get_organization", json!({"slug": "acme"}));
    assert_eq!(legacy["isError"], true);
    assert!(legacy.get("resultType").is_none());
    assert_eq!(
        clerk.urls(),
        [
            "/v1/organizations/acme?include_members_count=true",
            "/v1/organizations/acme?include_members_count=true"
        ]
    );
}

#[test]
fn an_answer_without_a_response_to_the_question_is_asked_again() {
    let clerk = clerk_with_organizations();
    let platform = FakePlatform::default();
    let state = asked(&clerk, &platform, &public_config())["requestState"].clone();
    let request = get_by_slug(
        "acme",
        json!({"inputResponses": {"other": {"action": "accept"}}, "requestState": state}),
        ELICITATION(),
    );
    let response = send_on(request, &public_config(), &clerk, &platform);
    assert_eq!(
        body_json(&response)["result"]["resultType"],
        "input_required"
    );
}

/// Sends an answer and checks it is refused with -32602 before any call to Clerk.
fn refused_answer(answer: Value) -> String {
    assert_eq!(answer["error"]["code"], -32602, "{answer}");
    answer["error"]["message"].as_str().unwrap().to_owned()
}

#[test]
fn a_forged_altered_expired_or_foreign_state_is_refused_before_clerk() {
    let platform = FakePlatform::default();
    let clerk = clerk_with_organizations();
    let state = asked(&clerk, &platform, &public_config())["requestState"]
        .as_str()
        .unwrap()
        .to_owned();
    let accept = json!({"action": "accept", "content": {"slug": "acme-corporation"}});
    let parts: Vec<&str> = state.split('.').collect();
    // A payload written by someone else, offering a value of their own.
    let forged_offer = clerk_mcp_worker::base64::encode_url(
        br#"{"exp":9999999999,"arg":"slug","choices":["acme-corporation","evil"]}"#,
    );
    let mut flipped = parts[2].to_owned();
    flipped.replace_range(0..1, if flipped.starts_with('A') { "B" } else { "A" });
    let cases: Vec<(&str, Value)> = vec![
        (
            "forged payload",
            json!(format!("v1.{forged_offer}.{}", parts[2])),
        ),
        ("altered MAC", json!(format!("v1.{}.{flipped}", parts[1]))),
        ("not a state", json!("hello")),
        ("not a string", json!(42)),
    ];
    for (what, bad) in cases {
        let clerk = clerk_with_organizations();
        let message = refused_answer(answered(
            &clerk,
            &platform,
            &public_config(),
            "acme",
            &bad,
            accept.clone(),
        ));
        assert!(message.contains("requestState"), "{what}: {message}");
        assert_eq!(clerk.request_count(), 0, "{what}");
    }
    // The same state for other arguments.
    let clerk = clerk_with_organizations();
    refused_answer(answered(
        &clerk,
        &platform,
        &public_config(),
        "acme-co",
        &json!(state),
        accept.clone(),
    ));
    assert_eq!(clerk.request_count(), 0);
    // After its five minutes.
    let later = FakePlatform::default();
    later.now.set(NOW + 301);
    let clerk = clerk_with_organizations();
    let message = refused_answer(answered(
        &clerk,
        &later,
        &public_config(),
        "acme",
        &json!(state),
        accept.clone(),
    ));
    assert!(message.contains("expired"), "{message}");
    assert_eq!(clerk.request_count(), 0);
    // Within them, it is taken.
    let soon = FakePlatform::default();
    soon.now.set(NOW + 299);
    let clerk = clerk_with_organizations();
    let answer = answered(
        &clerk,
        &soon,
        &public_config(),
        "acme",
        &json!(state),
        accept.clone(),
    );
    assert_eq!(answer["result"]["isError"], false, "{answer}");
    // Under another Clerk key: another instance's state means nothing here.
    let clerk = clerk_with_organizations();
    let mut request = get_by_slug(
        "acme",
        json!({"inputResponses": {"slug": accept}, "requestState": state}),
        ELICITATION(),
    );
    request
        .headers_mut()
        .insert("x-clerk-secret-key", OTHER_KEY.parse().unwrap());
    refused_answer(body_json(&send_on(
        request,
        &public_config(),
        &clerk,
        &platform,
    )));
    assert_eq!(clerk.request_count(), 0);
}

#[test]
fn a_state_answers_only_for_the_caller_it_was_given_to() {
    let platform = FakePlatform::default();
    let clerk = clerk_with_organizations();
    let hosted = |request: Request<Vec<u8>>, token: &str| {
        let mut request = request;
        request.headers_mut().remove("x-clerk-secret-key");
        request
            .headers_mut()
            .insert("authorization", format!("Bearer {token}").parse().unwrap());
        body_json(&send_on(request, &hosted_config(), &clerk, &platform))
    };
    let asked = hosted(get_by_slug("acme", json!({}), ELICITATION()), TOKEN);
    let state = asked["result"]["requestState"].clone();
    assert!(state.is_string(), "{asked}");
    let accept = json!({"inputResponses": {"slug": {"action": "accept",
        "content": {"slug": "acme-labs"}}}, "requestState": state});
    clerk.requests.borrow_mut().clear();
    let other = hosted(
        get_by_slug("acme", accept.clone(), ELICITATION()),
        "old-token-9876543210fedcba",
    );
    refused_answer(other);
    assert_eq!(clerk.request_count(), 0);
    let same = hosted(get_by_slug("acme", accept, ELICITATION()), TOKEN);
    assert_eq!(
        same["result"]["structuredContent"]["slug"], "acme-labs",
        "{same}"
    );
}

#[test]
fn a_value_that_was_not_offered_is_refused_before_clerk() {
    let platform = FakePlatform::default();
    let clerk = clerk_with_organizations();
    let state = asked(&clerk, &platform, &public_config())["requestState"].clone();
    for response in [
        json!({"action": "accept", "content": {"slug": "globex"}}),
        json!({"action": "accept", "content": {}}),
        json!({"action": "maybe"}),
    ] {
        let clerk = clerk_with_organizations();
        refused_answer(answered(
            &clerk,
            &platform,
            &public_config(),
            "acme",
            &state,
            response,
        ));
        assert_eq!(clerk.request_count(), 0);
    }
}

#[test]
fn a_slug_like_no_organization_is_not_found_without_a_question() {
    let clerk = clerk_with_organizations();
    let response = send(
        get_by_slug("zzz-nothing", json!({}), ELICITATION()),
        &public_config(),
        &clerk,
    );
    let result = &body_json(&response)["result"];
    assert_eq!(result["resultType"], "complete");
    assert_eq!(result["isError"], true);
    assert_eq!(
        clerk.urls(),
        [
            "/v1/organizations/zzz-nothing?include_members_count=true",
            "/v1/organizations?limit=20&offset=0&include_members_count=false&query=zzz-nothing",
            "/v1/organizations?limit=20&offset=0&include_members_count=false&query=nothing",
        ]
    );
}

#[test]
fn a_name_header_on_a_method_the_server_lacks_is_404_not_a_mismatch() {
    for (method, params, name) in [
        (
            "resources/subscribe",
            json!({"uri": "test://a"}),
            "test://a",
        ),
        ("tasks/get", json!({"taskId": "t1"}), "t1"),
    ] {
        let mut request = stateless(method, params);
        request
            .headers_mut()
            .insert("mcp-name", name.parse().unwrap());
        refused(request, 404, -32601);
    }
    // A resource URI unlike the header is still a mismatch.
    let mut request = stateless("resources/read", json!({"uri": "test://a"}));
    request
        .headers_mut()
        .insert("mcp-name", "test://b".parse().unwrap());
    refused(request, 400, -32020);
}

#[test]
fn client_info_when_sent_names_the_client_and_its_version() {
    for info in [
        json!("test"),
        json!({"name": "test"}),
        json!({"name": 1, "version": "1"}),
    ] {
        let mut request = get_user();
        edit_meta(&mut request, |meta| {
            meta.insert("io.modelcontextprotocol/clientInfo".into(), info.clone());
        });
        let error = refused(request, 400, -32602);
        assert!(
            error["message"].as_str().unwrap().contains("clientInfo"),
            "{info}"
        );
    }
}
