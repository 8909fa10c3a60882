//! `clerk_whoami`: the instance from Clerk's instance endpoint, the key's
//! kind and never the key, who is asking as the audit trail names them, and
//! the policy in force with every reason it is read-only.

use clerk_mcp_worker::config::Config;
use clerk_mcp_worker::oauth::IsolateCache;
use http::Request;
use serde_json::{json, Value};

use crate::oauth::{clerk_verifying, token_record, with_bearer, ALLOWED, FRONTEND_API, OPAQUE};
use crate::support::*;

const READ_ONLY: &str = "read-only-token-0123456789abcdef";

/// A Clerk with one instance, of `environment`.
fn instance_clerk(environment: &str) -> FakeClerk {
    let environment = environment.to_owned();
    FakeClerk::new(move |request| {
        Ok(match request.uri().path() {
            "/v1/instance" => json_answer(
                200,
                &json!({"object": "instance", "id": "ins_2whoami", "environment_type": environment,
                        "allowed_origins": ["https://app.example.com"], "workspace_id": null}),
            ),
            _ => json_answer(404, &json!({"errors": [{"code": "resource_not_found"}]})),
        })
    })
}

/// Calls `clerk_whoami` and returns its `structuredContent`, after checking
/// that the text says the same and that no Clerk key or access token
/// appears in the answer.
fn whoami_with(request: Request<Vec<u8>>, config: &Config, clerk: &FakeClerk) -> Value {
    let response = send(request, config, clerk);
    assert_eq!(response.status(), 200, "{}", body_text(&response));
    let text = body_text(&response);
    for secret in [KEY, OTHER_KEY, TOKEN, READ_ONLY, OPAQUE] {
        assert!(!text.contains(secret), "the answer shows a secret: {text}");
    }
    let result = body_json(&response)["result"].clone();
    assert_eq!(result["isError"], false, "{result}");
    assert_eq!(
        fenced_json(result_text(&result)),
        result["structuredContent"]
    );
    result["structuredContent"].clone()
}

fn whoami_request() -> Request<Vec<u8>> {
    post_json(&call_tool("clerk_whoami", json!({})))
}

#[test]
fn a_public_request_learns_its_instance_key_kind_and_default_policy() {
    let clerk = instance_clerk("development");
    let whoami = whoami_with(whoami_request_with_key(KEY), &public_config(), &clerk);
    assert_eq!(
        whoami,
        json!({
            "instance": {"id": "ins_2whoami", "environment": "development"},
            "keyKind": "test",
            "mode": "public",
            "caller": {"principal": key_principal(KEY), "kind": "key"},
            "policy": {
                "readOnly": false,
                "readOnlyBecause": [],
                "toolsets": DEFAULT_TOOLSETS,
                "confirm": "destructive",
                "liveWrites": false,
            },
        })
    );
    assert_eq!(
        only_request(&clerk),
        Sent::without_body("GET", "/v1/instance")
    );
}

fn whoami_request_with_key(key: &str) -> Request<Vec<u8>> {
    with_key(whoami_request(), key)
}

#[test]
fn a_production_key_is_live_and_read_only_until_the_operator_lets_it_write() {
    let clerk = instance_clerk("production");
    let guarded = whoami_with(whoami_request_with_key(OTHER_KEY), &public_config(), &clerk);
    assert_eq!(guarded["keyKind"], "live");
    assert_eq!(guarded["instance"]["environment"], "production");
    assert_eq!(guarded["policy"]["readOnly"], true);
    assert_eq!(guarded["policy"]["liveWrites"], false);
    assert_eq!(
        guarded["policy"]["readOnlyBecause"],
        json!(["the key is a production key, and the server does not set MCP_LIVE_WRITES=true"])
    );
    let open = config(&[("MCP_LIVE_WRITES", "true")]);
    let writing = whoami_with(whoami_request_with_key(OTHER_KEY), &open, &clerk);
    assert_eq!(writing["policy"]["readOnly"], false);
    assert_eq!(writing["policy"]["liveWrites"], true);
    assert_eq!(writing["policy"]["readOnlyBecause"], json!([]));
}

#[test]
fn a_hosted_token_is_named_by_its_place_and_every_read_only_reason_is_given() {
    let clerk = instance_clerk("development");
    let config = config(&[
        ("CLERK_SECRET_KEY", KEY),
        (
            "MCP_AUTH_TOKENS",
            &format!("old-token-9876543210fedcba,{TOKEN}"),
        ),
        ("MCP_READONLY_TOKENS", READ_ONLY),
        ("MCP_READ_ONLY", "true"),
        ("MCP_TOOLSETS", "users,sessions,roles"),
    ]);
    let mut request = post_json(&call_tool("clerk_whoami", json!({})));
    *request.uri_mut() =
        "http://127.0.0.1:8787/mcp?readonly=true&toolsets=users,roles&confirm=writes"
            .parse()
            .expect("a URI");
    let whoami = whoami_with(with_bearer(request, READ_ONLY), &config, &clerk);
    assert_eq!(whoami["mode"], "hosted");
    assert_eq!(
        whoami["caller"],
        json!({"principal": "token:3", "kind": "token", "tokenNumber": 3})
    );
    assert_eq!(
        whoami["policy"],
        json!({
            "readOnly": true,
            "readOnlyBecause": [
                "the server offers only read tools (MCP_READ_ONLY)",
                "this connection asked for read tools only (?readonly= or X-MCP-Readonly)",
                "the access token is a read-only one (MCP_READONLY_TOKENS)",
            ],
            "toolsets": ["users", "roles"],
            "confirm": "writes",
            "liveWrites": false,
        })
    );
    let second = whoami_with(with_bearer(whoami_request(), TOKEN), &config, &clerk);
    assert_eq!(second["caller"]["principal"], "token:2");
}

#[test]
fn a_signed_in_user_is_named_with_their_primary_email() {
    let clerk = clerk_verifying(token_record(ALLOWED, false, false, NOW + 3600));
    let config = config(&[
        ("CLERK_SECRET_KEY", KEY),
        ("CLERK_FRONTEND_API", FRONTEND_API),
        ("MCP_ALLOWED_USERS", ALLOWED),
    ]);
    let response = send_in(
        with_bearer(whoami_request(), OPAQUE),
        &config,
        &clerk,
        &FakePlatform::default(),
        &IsolateCache::new(),
    );
    assert_eq!(response.status(), 200, "{}", body_text(&response));
    let result = &body_json(&response)["result"];
    assert_eq!(result["isError"], false, "{result}");
    let whoami = &result["structuredContent"];
    assert_eq!(
        whoami["caller"],
        json!({"principal": ALLOWED, "kind": "user", "userId": ALLOWED,
               "email": format!("{ALLOWED}@example.com")})
    );
    assert_eq!(whoami["instance"]["id"], "ins_2oauth");
}

#[test]
fn every_selection_has_it_and_a_narrowed_one_says_so() {
    let clerk = instance_clerk("development");
    let narrowed = config(&[("MCP_TOOLSETS", "sessions")]);
    let whoami = whoami_with(whoami_request_with_key(KEY), &narrowed, &clerk);
    assert_eq!(whoami["policy"]["toolsets"], json!(["sessions"]));
}

#[test]
fn a_key_clerk_refuses_is_a_tool_error_that_says_so() {
    let clerk = FakeClerk::new(|_| {
        Ok(json_answer(
            401,
            &json!({"errors": [{"code": "authentication_invalid", "message": "Invalid key"}]}),
        ))
    });
    let result = tool_result(&clerk, "clerk_whoami", json!({}));
    assert_eq!(result["isError"], true, "{result}");
    let text = result_text(&result);
    assert!(text.contains("401"), "{text}");
    assert!(!text.contains(KEY), "{text}");
}

#[test]
fn an_instance_without_the_usual_fields_is_shown_as_it_is() {
    let clerk =
        FakeClerk::new(|_| Ok(json_answer(200, &json!({"object": "instance", "id": null}))));
    let whoami = whoami_with(whoami_request_with_key(KEY), &public_config(), &clerk);
    assert_eq!(whoami["instance"], json!({}));
    assert_eq!(whoami["keyKind"], "test");
}

#[test]
fn arguments_are_refused_by_name() {
    let clerk = instance_clerk("development");
    let result = tool_result(&clerk, "clerk_whoami", json!({"verbose": true}));
    assert_eq!(result["isError"], true, "{result}");
    assert!(result_text(&result).contains("verbose"), "{result}");
    assert!(clerk.requests.borrow().is_empty());
}
