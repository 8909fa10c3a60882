//! Sign-in with Clerk through the Worker's entry point: the 401 that points
//! at the metadata, the metadata documents, opaque and JWT access tokens,
//! who is allowed, what is remembered between requests, static tokens
//! beside OAuth, and tools acting on behalf of the signed-in user.

use clerk_mcp_worker::config::Config;
use clerk_mcp_worker::oauth::IsolateCache;
use http::{Request, Response};
use serde_json::{json, Value};

use crate::support::*;

pub(crate) const FRONTEND_API: &str = "http://127.0.0.1:9998";
const MCP_URL: &str = "http://127.0.0.1:8787/mcp";
const METADATA_URL: &str = "http://127.0.0.1:8787/.well-known/oauth-protected-resource";
pub(crate) const ALLOWED: &str = "user_2allowed";
pub(crate) const OTHER: &str = "user_2other";
pub(crate) const ADMIN: &str = "user_2admin";
pub(crate) const ORG: &str = "org_2admins";
pub(crate) const OPAQUE: &str = "oat_0123456789abcdef0123456789abcdef";
const KID: &str = "ins_key1";

fn oauth_config(allowed: &str) -> Config {
    let mut vars = vec![
        ("CLERK_SECRET_KEY", KEY),
        ("CLERK_FRONTEND_API", FRONTEND_API),
    ];
    if !allowed.is_empty() {
        vars.push(("MCP_ALLOWED_USERS", allowed));
    }
    config(&vars)
}

fn allowing(user: &str) -> Config {
    oauth_config(user)
}

fn list_users() -> Request<Vec<u8>> {
    post_json(&call_tool("clerk_list_users", json!({"limit": 1})))
}

pub(crate) fn with_bearer(mut request: Request<Vec<u8>>, token: &str) -> Request<Vec<u8>> {
    request.headers_mut().insert(
        "authorization",
        http::HeaderValue::try_from(format!("Bearer {token}")).expect("valid header"),
    );
    request
}

pub(crate) fn get(path: &str) -> Request<Vec<u8>> {
    Request::get(format!("http://127.0.0.1:8787{path}"))
        .body(Vec::new())
        .expect("valid request")
}

/// Clerk's record of an opaque token of `subject`.
pub(crate) fn token_record(subject: &str, revoked: bool, expired: bool, expiration: u64) -> Value {
    json!({
        "object": "clerk_idp_oauth_access_token", "id": "oat_0ef5a7a33d87ed87ee7954c845d80450",
        "client_id": "client_2assistant", "subject": subject, "scopes": ["profile", "email"],
        "revoked": revoked, "revocation_reason": if revoked { json!("Revoked by user") } else { Value::Null },
        "expired": expired, "expiration": expiration, "created_at": NOW - 60, "updated_at": NOW - 60,
    })
}

fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n =
            chunk.iter().fold(0u32, |acc, b| acc << 8 | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// A JWT access token signed (as [`FakePlatform`] reads signatures) by `kid`.
fn jwt(header: Value, claims: Value, kid: &str) -> String {
    let signed = format!(
        "{}.{}",
        base64url(header.to_string().as_bytes()),
        base64url(claims.to_string().as_bytes())
    );
    let signature = base64url(&fake_signature(kid, &signed));
    format!("{signed}.{signature}")
}

pub(crate) fn access_jwt(claims: Value) -> String {
    jwt(
        json!({"alg": "RS256", "typ": "at+jwt", "kid": KID}),
        claims,
        KID,
    )
}

pub(crate) fn claims_of(user: &str) -> Value {
    json!({"iss": FRONTEND_API, "sub": user, "exp": NOW + 3600, "iat": NOW - 10, "nbf": NOW - 10,
           "client_id": "client_2assistant", "scope": "profile email", "jti": "oat_jti"})
}

/// A Clerk (Backend and Frontend API) that answers the token check with
/// `verify`, knows the users and memberships the tests name, serves the
/// signing keys and the authorization-server metadata, and answers every
/// tool call with an empty list.
pub(crate) fn clerk_with(verify: impl Fn() -> Response<Vec<u8>> + 'static) -> FakeClerk {
    FakeClerk::new(move |request| {
        let path = request.uri().path();
        Ok(match path {
            "/v1/oauth_applications/access_tokens/verify" => verify(),
            "/.well-known/jwks.json" => json_answer(
                200,
                &json!({"keys": [
                    {"kty": "RSA", "kid": KID, "use": "sig", "alg": "RS256", "n": "modulus", "e": "AQAB"},
                ]}),
            ),
            "/.well-known/oauth-authorization-server" => json_answer(
                200,
                &json!({
                    "issuer": FRONTEND_API,
                    "authorization_endpoint": format!("{FRONTEND_API}/oauth/authorize"),
                    "token_endpoint": format!("{FRONTEND_API}/oauth/token"),
                    "registration_endpoint": format!("{FRONTEND_API}/oauth/register"),
                    "response_types_supported": ["code"],
                }),
            ),
            "/v1/users/user_2allowed" | "/v1/users/user_2other" | "/v1/users/user_2admin" => {
                let id = path.trim_start_matches("/v1/users/");
                json_answer(
                    200,
                    &json!({"id": id, "primary_email_address_id": "idn_1", "email_addresses": [
                        {"id": "idn_1", "email_address": format!("{id}@example.com"), "verification": {"status": "verified"}},
                        {"id": "idn_2", "email_address": format!("{id}@unverified.example.com"), "verification": {"status": "unverified"}},
                    ]}),
                )
            }
            "/v1/organizations/org_2admins/memberships" => {
                let query = request.uri().query().unwrap_or_default();
                let data = if query.contains("user_id=user_2admin") {
                    json!([{"id": "orgmem_1", "role": "org:admin", "public_user_data": {"user_id": ADMIN}}])
                } else {
                    json!([])
                };
                json_answer(
                    200,
                    &json!({"data": data, "total_count": data.as_array().map_or(0, Vec::len)}),
                )
            }
            "/v1/instance" => json_answer(
                200,
                &json!({"object": "instance", "id": "ins_2oauth", "environment_type": "production",
                        "allowed_origins": null, "workspace_id": null}),
            ),
            "/v1/users/count" => {
                json_answer(200, &json!({"object": "total_count", "total_count": 0}))
            }
            _ => json_answer(200, &json!([])),
        })
    })
}

pub(crate) fn clerk_verifying(record: Value) -> FakeClerk {
    clerk_with(move || json_answer(200, &record))
}

fn challenge(response: &Response<Vec<u8>>) -> String {
    response
        .headers()
        .get("www-authenticate")
        .map(|value| value.to_str().expect("ASCII").to_owned())
        .unwrap_or_default()
}

pub(crate) fn error_message(response: &Response<Vec<u8>>) -> String {
    body_json(response)["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

pub(crate) fn paths(clerk: &FakeClerk) -> Vec<String> {
    clerk
        .requests
        .borrow()
        .iter()
        .map(|request| request.uri().path().to_owned())
        .collect()
}

/// The paths of the requests that checked a sign-in: all but those of the
/// `clerk_list_users` call itself.
pub(crate) fn sign_in_paths(clerk: &FakeClerk) -> Vec<String> {
    paths(clerk)
        .into_iter()
        .filter(|path| path != "/v1/users" && path != "/v1/users/count")
        .collect()
}

/// Asserts a 401 `invalid_token` with the metadata pointer, whose message
/// contains `reason` and never the token.
fn assert_invalid_token(response: &Response<Vec<u8>>, token: &str, reason: &str) {
    assert_eq!(response.status(), 401, "{}", body_text(response));
    assert_eq!(
        challenge(response),
        format!("Bearer error=\"invalid_token\", resource_metadata=\"{METADATA_URL}\"")
    );
    let message = error_message(response);
    assert!(message.contains(reason), "{message}");
    assert!(!body_text(response).contains(token));
}

#[test]
fn no_token_gets_401_pointing_at_the_resource_metadata() {
    let clerk = FakeClerk::unused();
    let response = send(list_users(), &allowing(ALLOWED), &clerk);
    assert_eq!(response.status(), 401);
    assert_eq!(
        challenge(&response),
        format!("Bearer resource_metadata=\"{METADATA_URL}\"")
    );
    let message = error_message(&response);
    assert!(message.contains("sign in"), "{message}");
    assert!(
        !message.contains("MCP_AUTH_TOKENS"),
        "no static tokens here: {message}"
    );
    assert_eq!(clerk.request_count(), 0);
}

#[test]
fn protected_resource_metadata_has_the_fields_rfc_9728_asks_for_at_both_paths() {
    for path in [
        "/.well-known/oauth-protected-resource",
        "/.well-known/oauth-protected-resource/mcp",
    ] {
        let clerk = FakeClerk::unused();
        let mut request = get(path);
        request.headers_mut().insert(
            "origin",
            http::HeaderValue::from_static("https://inspector.example.net"),
        );
        let response = send(request, &allowing(ALLOWED), &clerk);
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["access-control-allow-origin"], "*");
        assert_eq!(response.headers()["content-type"], "application/json");
        assert_eq!(
            body_json(&response),
            json!({
                "resource": MCP_URL,
                "authorization_servers": [FRONTEND_API],
                "scopes_supported": ["profile", "email"],
                "bearer_methods_supported": ["header"],
                "resource_name": "Clerk MCP Server",
            })
        );
        assert_eq!(clerk.request_count(), 0);
    }
}

#[test]
fn metadata_preflight_is_open_to_any_origin() {
    let request = Request::options("http://127.0.0.1:8787/.well-known/oauth-protected-resource")
        .header("origin", "https://claude.example")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "mcp-protocol-version")
        .body(Vec::new())
        .expect("valid request");
    let response = send(request, &allowing(ALLOWED), &FakeClerk::unused());
    assert_eq!(response.status(), 204);
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    let allowed = response.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap_or_default();
    assert!(allowed.contains("MCP-Protocol-Version"), "{allowed}");
}

#[test]
fn without_oauth_there_is_no_metadata() {
    for path in [
        "/.well-known/oauth-protected-resource",
        "/.well-known/oauth-authorization-server",
    ] {
        let response = send(get(path), &hosted_config(), &FakeClerk::unused());
        assert_eq!(response.status(), 404, "{path}");
    }
}

#[test]
fn authorization_server_metadata_is_the_instances_own_and_is_kept_for_a_while() {
    let clerk = clerk_with(|| json_answer(500, &json!({})));
    let platform = FakePlatform::default();
    let cache = IsolateCache::new();
    let config = allowing(ALLOWED);
    for _ in 0..2 {
        let response = send_in(
            get("/.well-known/oauth-authorization-server"),
            &config,
            &clerk,
            &platform,
            &cache,
        );
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["access-control-allow-origin"], "*");
        let document = body_json(&response);
        assert_eq!(document["issuer"], FRONTEND_API);
        assert_eq!(
            document["registration_endpoint"],
            format!("{FRONTEND_API}/oauth/register")
        );
    }
    assert_eq!(paths(&clerk), ["/.well-known/oauth-authorization-server"]);
    assert!(
        clerk.requests.borrow()[0]
            .headers()
            .get("authorization")
            .is_none(),
        "no key goes to the Frontend API"
    );
    platform.now.set(NOW + 301);
    send_in(
        get("/.well-known/oauth-authorization-server"),
        &config,
        &clerk,
        &platform,
        &cache,
    );
    assert_eq!(clerk.request_count(), 2);
}

#[test]
fn authorization_server_metadata_that_cannot_be_fetched_is_a_502() {
    let clerk = FakeClerk::failing(503, "unavailable", "down", None);
    let response = send(
        get("/.well-known/oauth-authorization-server"),
        &allowing(ALLOWED),
        &clerk,
    );
    assert_eq!(response.status(), 502);
    assert!(body_text(&response).contains("503"));
}

#[test]
fn an_allowed_users_opaque_token_is_checked_with_clerk_and_lets_them_in() {
    let clerk = clerk_verifying(token_record(ALLOWED, false, false, NOW + 3600));
    let response = send(
        with_bearer(list_users(), OPAQUE),
        &allowing(ALLOWED),
        &clerk,
    );
    assert_eq!(response.status(), 200, "{}", body_text(&response));
    assert_eq!(body_json(&response)["result"]["isError"], false);
    let requests = clerk.requests.borrow();
    let verify = &requests[0];
    assert_eq!(verify.method(), "POST");
    assert_eq!(
        verify.uri().path(),
        "/v1/oauth_applications/access_tokens/verify"
    );
    assert_eq!(
        verify.headers()["authorization"],
        format!("Bearer {KEY}").as_str()
    );
    assert_eq!(
        serde_json::from_slice::<Value>(verify.body()).expect("JSON"),
        json!({"access_token": OPAQUE})
    );
    // Allowed by ID: no user lookup; then the tool's own calls, with the server's key.
    assert_eq!(requests[1].uri().path(), "/v1/users");
    assert_eq!(
        requests[1].headers()["authorization"],
        format!("Bearer {KEY}").as_str()
    );
}

#[test]
fn another_users_valid_token_gets_403_naming_them_and_the_settings() {
    let clerk = clerk_verifying(token_record(OTHER, false, false, NOW + 3600));
    let response = send(
        with_bearer(list_users(), OPAQUE),
        &allowing(ALLOWED),
        &clerk,
    );
    assert_eq!(response.status(), 403);
    assert!(response.headers().get("www-authenticate").is_none());
    let body = body_json(&response);
    assert_eq!(body["id"], Value::Null);
    assert_eq!(body["error"]["code"], -32000);
    let message = error_message(&response);
    for part in [
        OTHER,
        "not allowed",
        "MCP_ALLOWED_USERS",
        "MCP_ADMIN_ORGANIZATION",
    ] {
        assert!(message.contains(part), "{message}");
    }
    assert!(!body_text(&response).contains(OPAQUE));
    assert_eq!(
        paths(&clerk),
        ["/v1/oauth_applications/access_tokens/verify"]
    );
}

#[test]
fn without_an_allow_list_nobody_may_and_the_refusal_says_how_to_allow() {
    let clerk = clerk_verifying(token_record(ALLOWED, false, false, NOW + 3600));
    let response = send(with_bearer(list_users(), OPAQUE), &oauth_config(""), &clerk);
    assert_eq!(response.status(), 403);
    let message = error_message(&response);
    assert!(
        message.contains("lets no one sign in yet") && message.contains("MCP_ALLOWED_USERS"),
        "{message}"
    );
}

#[test]
fn revoked_expired_inactive_and_unknown_opaque_tokens_get_401() {
    let cases: Vec<(&str, FakeClerk, &str)> = vec![
        (
            "revoked",
            clerk_verifying(token_record(ALLOWED, true, false, NOW + 3600)),
            "revoked",
        ),
        (
            "expired",
            clerk_verifying(token_record(ALLOWED, false, true, NOW - 10)),
            "expired",
        ),
        (
            "past its expiration",
            clerk_verifying(token_record(ALLOWED, false, false, NOW - 60)),
            "expired",
        ),
        (
            "inactive",
            clerk_with(|| json_answer(200, &json!({"active": false}))),
            "expired or revoked",
        ),
        (
            "unknown",
            clerk_with(|| {
                json_answer(
                    404,
                    &json!({"errors": [{"code": "resource_not_found", "message": "not found", "long_message": "not found"}]}),
                )
            }),
            "unknown",
        ),
    ];
    for (what, clerk, reason) in cases {
        let response = send(
            with_bearer(list_users(), OPAQUE),
            &allowing(ALLOWED),
            &clerk,
        );
        assert_invalid_token(&response, OPAQUE, reason);
        assert_eq!(clerk.request_count(), 1, "{what}: only the token check");
    }
}

#[test]
fn expiration_in_milliseconds_is_read_as_such() {
    let clerk = clerk_verifying(token_record(ALLOWED, false, false, (NOW + 3600) * 1000));
    let response = send(
        with_bearer(list_users(), OPAQUE),
        &allowing(ALLOWED),
        &clerk,
    );
    assert_eq!(response.status(), 200, "{}", body_text(&response));
}

#[test]
fn a_clerk_that_cannot_check_the_token_is_a_503_never_a_401() {
    for status in [500, 503, 429, 401] {
        let clerk = FakeClerk::failing(status, "failed", "failed", None);
        let response = send(
            with_bearer(list_users(), OPAQUE),
            &allowing(ALLOWED),
            &clerk,
        );
        assert_eq!(response.status(), 503, "Clerk {status}");
        assert!(response.headers().get("www-authenticate").is_none());
        let message = error_message(&response);
        assert!(message.contains("could not be checked"), "{message}");
        assert!(!body_text(&response).contains(KEY) && !body_text(&response).contains(OPAQUE));
    }
    let unreachable = FakeClerk::new(|_| {
        Err(clerk_mcp_worker::clerk::SendError::new(
            clerk_mcp_worker::clerk::SendFailure::Unreachable,
            "connection refused",
        ))
    });
    let response = send(
        with_bearer(list_users(), OPAQUE),
        &allowing(ALLOWED),
        &unreachable,
    );
    assert_eq!(response.status(), 503);
    assert!(error_message(&response).contains("could not be reached"));
}

#[test]
fn a_token_of_no_known_kind_is_refused_without_asking_clerk() {
    let clerk = FakeClerk::unused();
    let token = "made-up-token-0123456789abcdef";
    let response = send(with_bearer(list_users(), token), &allowing(ALLOWED), &clerk);
    assert_invalid_token(&response, token, "neither an access token");
    assert_eq!(clerk.request_count(), 0);
}

#[test]
fn a_valid_jwt_is_checked_locally_with_the_instances_keys() {
    let clerk = clerk_with(|| json_answer(500, &json!({})));
    let platform = FakePlatform::default();
    let cache = IsolateCache::new();
    let config = allowing(ALLOWED);
    let token = access_jwt(claims_of(ALLOWED));
    let response = send_in(
        with_bearer(list_users(), &token),
        &config,
        &clerk,
        &platform,
        &cache,
    );
    assert_eq!(response.status(), 200, "{}", body_text(&response));
    assert_eq!(platform.verifications.get(), 1);
    assert_eq!(sign_in_paths(&clerk), ["/.well-known/jwks.json"]);
    // Another token of the same key: the keys are not fetched again.
    let mut claims = claims_of(ALLOWED);
    claims["jti"] = json!("oat_second");
    let second = access_jwt(claims);
    send_in(
        with_bearer(list_users(), &second),
        &config,
        &clerk,
        &platform,
        &cache,
    );
    assert_eq!(platform.verifications.get(), 2);
    assert_eq!(sign_in_paths(&clerk), ["/.well-known/jwks.json"]);
}

#[test]
fn expired_foreign_badly_signed_or_misdirected_jwts_get_401() {
    let resource_claims = |aud: Value| {
        let mut claims = claims_of(ALLOWED);
        claims["aud"] = aud;
        claims
    };
    let mut expired = claims_of(ALLOWED);
    expired["exp"] = json!(NOW - 30);
    let mut foreign = claims_of(ALLOWED);
    foreign["iss"] = json!("https://clerk.other.example.com");
    let header = json!({"alg": "RS256", "typ": "at+jwt", "kid": KID});
    let cases = [
        ("expired", access_jwt(expired), "expired"),
        (
            "from another issuer",
            access_jwt(foreign),
            "not issued by this server's Clerk instance",
        ),
        (
            "signed by someone else",
            jwt(header.clone(), claims_of(ALLOWED), "ins_forged"),
            "not signed by",
        ),
        (
            "for another resource",
            access_jwt(resource_claims(json!("https://other.example.com/mcp"))),
            "another resource",
        ),
        (
            "a session token",
            jwt(
                json!({"alg": "RS256", "typ": "JWT", "kid": KID}),
                claims_of(ALLOWED),
                KID,
            ),
            "typ at+jwt",
        ),
        (
            "with alg none",
            jwt(
                json!({"alg": "none", "typ": "at+jwt", "kid": KID}),
                claims_of(ALLOWED),
                KID,
            ),
            "RS256",
        ),
    ];
    for (what, token, reason) in cases {
        let clerk = clerk_with(|| json_answer(500, &json!({})));
        let response = send(
            with_bearer(list_users(), &token),
            &allowing(ALLOWED),
            &clerk,
        );
        assert_invalid_token(&response, &token, reason);
        assert!(
            paths(&clerk)
                .iter()
                .all(|path| path == "/.well-known/jwks.json"),
            "{what}: no Clerk call but the keys, got {:?}",
            paths(&clerk)
        );
    }
    let ok = access_jwt(resource_claims(json!([MCP_URL, "client_2assistant"])));
    let response = send(
        with_bearer(list_users(), &ok),
        &allowing(ALLOWED),
        &clerk_with(|| json_answer(500, &json!({}))),
    );
    assert_eq!(
        response.status(),
        200,
        "an audience naming this server is fine"
    );
}

#[test]
fn a_jwt_of_an_unknown_key_refetches_the_keys_but_not_on_every_request() {
    let clerk = clerk_with(|| json_answer(500, &json!({})));
    let platform = FakePlatform::default();
    let cache = IsolateCache::new();
    let config = allowing(ALLOWED);
    let unknown = jwt(
        json!({"alg": "RS256", "typ": "at+jwt", "kid": "ins_new"}),
        claims_of(ALLOWED),
        "ins_new",
    );
    for _ in 0..2 {
        let response = send_in(
            with_bearer(list_users(), &unknown),
            &config,
            &clerk,
            &platform,
            &cache,
        );
        assert_invalid_token(&response, &unknown, "key this server does not know");
    }
    assert_eq!(paths(&clerk), ["/.well-known/jwks.json"]);
    platform.now.set(NOW + 11);
    send_in(
        with_bearer(list_users(), &unknown),
        &config,
        &clerk,
        &platform,
        &cache,
    );
    assert_eq!(
        paths(&clerk),
        ["/.well-known/jwks.json", "/.well-known/jwks.json"]
    );
}

#[test]
fn keys_that_cannot_be_fetched_are_a_503_or_502_not_a_401() {
    let token = access_jwt(claims_of(ALLOWED));
    let down = FakeClerk::failing(503, "unavailable", "down", None);
    let response = send(with_bearer(list_users(), &token), &allowing(ALLOWED), &down);
    assert_eq!(response.status(), 502);
    let unreachable = FakeClerk::new(|_| {
        Err(clerk_mcp_worker::clerk::SendError::new(
            clerk_mcp_worker::clerk::SendFailure::TimedOut,
            "no answer within 15000 ms",
        ))
    });
    let response = send(
        with_bearer(list_users(), &token),
        &allowing(ALLOWED),
        &unreachable,
    );
    assert_eq!(response.status(), 503);
    assert!(!body_text(&response).contains(&token));
}

#[test]
fn a_verified_email_address_on_the_allow_list_lets_its_user_in() {
    let config = allowing("user_2admin@example.com,nobody@example.com");
    let clerk = clerk_verifying(token_record(ADMIN, false, false, NOW + 3600));
    let response = send(with_bearer(list_users(), OPAQUE), &config, &clerk);
    assert_eq!(response.status(), 200, "{}", body_text(&response));
    assert_eq!(
        paths(&clerk)[..2],
        [
            "/v1/oauth_applications/access_tokens/verify",
            "/v1/users/user_2admin"
        ]
    );
    let unverified = allowing("user_2admin@unverified.example.com");
    let clerk = clerk_verifying(token_record(ADMIN, false, false, NOW + 3600));
    let response = send(with_bearer(list_users(), OPAQUE), &unverified, &clerk);
    assert_eq!(
        response.status(),
        403,
        "an unverified address does not count"
    );
}

#[test]
fn admins_of_the_admin_organization_may_use_the_server_and_its_members_may_not() {
    let config = config(&[
        ("CLERK_SECRET_KEY", KEY),
        ("CLERK_FRONTEND_API", FRONTEND_API),
        ("MCP_ADMIN_ORGANIZATION", ORG),
    ]);
    let clerk = clerk_verifying(token_record(ADMIN, false, false, NOW + 3600));
    let response = send(with_bearer(list_users(), OPAQUE), &config, &clerk);
    assert_eq!(response.status(), 200, "{}", body_text(&response));
    assert_eq!(
        clerk.urls()[1],
        "/v1/organizations/org_2admins/memberships?limit=1&offset=0&role=org%3Aadmin&user_id=user_2admin"
    );
    let clerk = clerk_verifying(token_record(OTHER, false, false, NOW + 3600));
    let response = send(with_bearer(list_users(), OPAQUE), &config, &clerk);
    assert_eq!(response.status(), 403);
}

#[test]
fn a_decision_is_remembered_for_a_minute_and_then_asked_again() {
    let clerk = clerk_verifying(token_record(ALLOWED, false, false, NOW + 3600));
    let platform = FakePlatform::default();
    let cache = IsolateCache::new();
    let config = allowing("user_2allowed@example.com");
    let verifications = || sign_in_paths(&clerk).len();
    send_in(
        with_bearer(list_users(), OPAQUE),
        &config,
        &clerk,
        &platform,
        &cache,
    );
    assert_eq!(verifications(), 2, "the token check and the user lookup");
    platform.now.set(NOW + 59);
    let response = send_in(
        with_bearer(list_users(), OPAQUE),
        &config,
        &clerk,
        &platform,
        &cache,
    );
    assert_eq!(response.status(), 200);
    assert_eq!(verifications(), 2, "the second request asks Clerk nothing");
    platform.now.set(NOW + 61);
    send_in(
        with_bearer(list_users(), OPAQUE),
        &config,
        &clerk,
        &platform,
        &cache,
    );
    assert_eq!(verifications(), 4, "an expired entry is not used");
}

#[test]
fn a_decision_is_never_remembered_past_the_tokens_expiry() {
    let clerk = clerk_verifying(token_record(OTHER, false, false, NOW + 10));
    let platform = FakePlatform::default();
    let cache = IsolateCache::new();
    let config = allowing(ALLOWED);
    let first = send_in(
        with_bearer(list_users(), OPAQUE),
        &config,
        &clerk,
        &platform,
        &cache,
    );
    assert_eq!(first.status(), 403);
    platform.now.set(NOW + 9);
    send_in(
        with_bearer(list_users(), OPAQUE),
        &config,
        &clerk,
        &platform,
        &cache,
    );
    assert_eq!(
        clerk.request_count(),
        1,
        "a forbidden user is remembered too"
    );
    platform.now.set(NOW + 11);
    send_in(
        with_bearer(list_users(), OPAQUE),
        &config,
        &clerk,
        &platform,
        &cache,
    );
    assert_eq!(clerk.request_count(), 2);
}

#[test]
fn a_static_token_still_works_beside_oauth_without_asking_clerk_about_it() {
    let config = config(&[
        ("CLERK_SECRET_KEY", KEY),
        ("CLERK_FRONTEND_API", FRONTEND_API),
        ("MCP_ALLOWED_USERS", ALLOWED),
        ("MCP_AUTH_TOKENS", TOKEN),
    ]);
    let clerk = FakeClerk::with_users(json!([]), 0);
    let response = send(with_token(list_users()), &config, &clerk);
    assert_eq!(response.status(), 200);
    assert!(paths(&clerk)
        .iter()
        .all(|path| path.starts_with("/v1/users")));
    let missing = send(list_users(), &config, &FakeClerk::unused());
    assert!(
        error_message(&missing).contains("MCP_AUTH_TOKENS"),
        "both ways in are named"
    );
}

#[test]
fn health_reports_oauth_and_whether_anyone_may_sign_in() {
    let clerk = FakeClerk::answering(json!({"object": "total_count", "total_count": 1}));
    let response = send(get("/health"), &allowing(ALLOWED), &clerk);
    assert_eq!(response.status(), 200);
    let body = body_json(&response);
    assert_eq!(body["authentication"], "oauth");
    assert_eq!(
        body["oauth"],
        json!({"authorizationServer": FRONTEND_API, "allowListConfigured": true,
               "readOnlyUsersConfigured": false})
    );
    let nobody = send(get("/health"), &oauth_config(""), &clerk);
    assert_eq!(nobody.status(), 503);
    let body = body_json(&nobody);
    assert_eq!(body["status"], "degraded");
    assert_eq!(body["oauth"]["allowListConfigured"], false);
    assert!(body["reason"]
        .as_str()
        .unwrap_or_default()
        .contains("MCP_ALLOWED_USERS"));
    assert!(!body_text(&nobody).contains(KEY));
}

/// Sends a tool call under OAuth as `ALLOWED` (when `signed_in`) or with the
/// static token, and returns the body of the one request the tool sent.
fn tool_body(signed_in: bool, tool: &str, arguments: Value) -> Option<Value> {
    let config = config(&[
        ("CLERK_SECRET_KEY", KEY),
        ("CLERK_FRONTEND_API", FRONTEND_API),
        ("MCP_ALLOWED_USERS", ALLOWED),
        ("MCP_AUTH_TOKENS", TOKEN),
        // What is sent, not the confirmation before it, is under test.
        ("MCP_CONFIRM", "off"),
    ]);
    let clerk = clerk_with(|| json_answer(200, &token_record(ALLOWED, false, false, NOW + 3600)));
    let request = post_json(&call_tool(tool, arguments));
    let request = if signed_in {
        with_bearer(request, OPAQUE)
    } else {
        with_token(request)
    };
    let response = send(request, &config, &clerk);
    assert_eq!(response.status(), 200, "{}", body_text(&response));
    let requests = clerk.requests.borrow();
    let sent = requests.last().expect("the tool's request");
    (!sent.body().is_empty()).then(|| serde_json::from_slice(sent.body()).expect("JSON body"))
}

#[test]
fn an_invitation_created_under_oauth_names_the_signed_in_user_as_its_inviter() {
    let arguments = json!({"organizationId": "org_2abc", "emailAddress": "ada@example.com", "role": "org:member"});
    let signed_in = tool_body(true, "clerk_create_invitation", arguments.clone()).expect("a body");
    assert_eq!(signed_in["inviter_user_id"], ALLOWED);
    let static_token =
        tool_body(false, "clerk_create_invitation", arguments.clone()).expect("a body");
    assert_eq!(static_token.get("inviter_user_id"), None);
    let mut explicit = arguments;
    explicit["inviterUserId"] = json!("user_2someoneelse");
    let named = tool_body(true, "clerk_create_invitation", explicit).expect("a body");
    assert_eq!(named["inviter_user_id"], "user_2someoneelse");
}

#[test]
fn an_invitation_revoked_under_oauth_names_the_signed_in_user_as_the_revoker() {
    let arguments = json!({"organizationId": "org_2abc", "invitationId": "orginv_2abc"});
    let signed_in = tool_body(true, "clerk_revoke_invitation", arguments.clone());
    assert_eq!(signed_in, Some(json!({"requesting_user_id": ALLOWED})));
    assert_eq!(
        tool_body(false, "clerk_revoke_invitation", arguments.clone()),
        None
    );
    let mut explicit = arguments;
    explicit["requestingUserId"] = json!("user_2someoneelse");
    let named = tool_body(true, "clerk_revoke_invitation", explicit);
    assert_eq!(
        named,
        Some(json!({"requesting_user_id": "user_2someoneelse"}))
    );
}
