//! The HTTP surface: routes, the streamable HTTP transport rules, and the
//! one place that decides what a client sees when something is refused.
//!
//! [`handle`] is the entry point the Worker calls for every request, and the
//! one the tests call natively. The server is stateless: it issues no
//! `Mcp-Session-Id` and answers each POST with one JSON body (MCP 2025-03-26,
//! 2025-06-18 and 2025-11-25, Transports: Streamable HTTP).
//!
//! | what went wrong                                   | the client sees                          |
//! |---------------------------------------------------|------------------------------------------|
//! | `Origin` not loopback nor in `ALLOWED_ORIGINS`     | HTTP 403, JSON-RPC error `-32000`        |
//! | GET or DELETE on `/mcp`                            | HTTP 405, `Allow: POST`                  |
//! | no or wrong bearer token (`MCP_AUTH_TOKENS`)       | HTTP 401, `WWW-Authenticate: Bearer`     |
//! | OAuth on: no, expired, revoked or foreign token    | HTTP 401, `resource_metadata` pointer    |
//! | OAuth on: a user who is not allowed                | HTTP 403, JSON-RPC error `-32000`        |
//! | OAuth on: Clerk cannot check the token             | HTTP 503 (502), JSON-RPC error `-32000`  |
//! | hosted server with no tokens, not opened           | HTTP 503, the secret to set              |
//! | `X-Clerk-Secret-Key` sent to a hosted server       | HTTP 400, JSON-RPC error `-32000`        |
//! | `Content-Type` not JSON                            | HTTP 415, JSON-RPC error `-32000`        |
//! | `Accept` admits neither JSON nor event streams     | HTTP 406, JSON-RPC error `-32000`        |
//! | unsupported `MCP-Protocol-Version`                 | HTTP 400, JSON-RPC error `-32600`        |
//! | unreadable `readonly`/`toolsets` wish              | HTTP 400, JSON-RPC error `-32000`        |
//! | body over 1 MiB                                    | HTTP 413, JSON-RPC error `-32000`        |
//! | body not JSON                                      | HTTP 400, `-32700`, `id: null`           |
//! | not a JSON-RPC message, batch outside 2025-03-26   | HTTP 400, `-32600`                       |
//! | unknown method                                     | HTTP 200, `-32601`                       |
//! | bad params, unknown tool, unknown cursor           | HTTP 200, `-32602`                       |
//! | bad tool arguments, no or malformed key, Clerk error | HTTP 200, tool result `isError: true`  |
//! | notification or response from the client           | HTTP 202, empty body                     |
//! | misconfigured server ([`misconfigured`])           | HTTP 500, the setting to fix             |
//! | unknown path                                       | HTTP 404, short JSON body                |
//!
//! The details of each access refusal are in [`access`]. The OAuth metadata
//! documents (`/.well-known/oauth-protected-resource[/mcp]`,
//! `/.well-known/oauth-authorization-server`) are public: any origin may
//! read them, since browser-based clients fetch them before they can sign
//! in; they are 404 when OAuth is off.

mod access;
mod body;
mod headers;
mod health;
mod narrowing;
mod origin;

use futures::future::join_all;
use http::header::{
    HeaderName, HeaderValue, ACCEPT, ALLOW, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HOST,
    ORIGIN,
};
use http::request::Parts;
use http::{HeaderMap, Method, Request, Response, StatusCode};
use serde_json::{json, Value};

use crate::clerk::{ClerkClient, HttpSend, KeyError, KeySource, SecretKey};
use crate::config::{Access, Config, ConfigError, Mode};
use crate::json;
use crate::jsonrpc::{self, code, Message, RpcError};
use crate::mcp::{self, Context, ProtocolVersion};
use crate::oauth::{self, metadata, IsolateCache, Platform};

pub use body::{BodyError, RequestBody, MAX_BODY_BYTES};
use headers::AnswerFormat;
use origin::OriginCheck;

/// The header a public-mode client sends its Clerk key in.
pub const SECRET_KEY_HEADER: HeaderName = HeaderName::from_static("x-clerk-secret-key");

/// Every request header the server reads; a header read anywhere must be
/// listed here. The Worker copies these alone from the runtime's request,
/// asking for each by name: its work does not grow with the headers a
/// client and Cloudflare's edge send, and no header name is parsed at run
/// time, which keeps http's matcher of standard names out of the wasm.
/// [`handle`] keeps to the same list, so that the tests see what the
/// Worker sees.
pub const READ_HEADERS: [HeaderName; 10] = [
    ACCEPT,
    AUTHORIZATION,
    CONTENT_LENGTH,
    CONTENT_TYPE,
    HOST,
    ORIGIN,
    headers::PROTOCOL_VERSION,
    SECRET_KEY_HEADER,
    narrowing::READONLY_HEADER,
    narrowing::TOOLSETS_HEADER,
];

/// What the runtime lends the core for a request: outbound HTTP, the clock
/// and crypto that token checks need, and the memory the isolate keeps
/// between requests.
pub struct Runtime<'a> {
    pub http: &'a dyn HttpSend,
    pub platform: &'a dyn Platform,
    pub cache: &'a IsolateCache,
}

/// Answers one HTTP request.
///
/// The body is read (up to the limit) before anything is decided, so that a
/// refused request never leaves unread bytes on a kept-alive connection for
/// the next request to trip over. Only a body declared larger than the limit
/// is left unread.
pub async fn handle<B: RequestBody>(
    request: Request<B>,
    config: &Config,
    runtime: &Runtime<'_>,
) -> Response<Vec<u8>> {
    let (mut parts, body) = request.into_parts();
    keep_read_headers(&mut parts.headers);
    let body =
        if declared_length(&parts.headers).is_some_and(|length| length > MAX_BODY_BYTES as u64) {
            Err(BodyError::TooLarge)
        } else {
            body.read_limited(MAX_BODY_BYTES).await
        };
    if parts.uri.path().starts_with("/.well-known/") {
        return well_known(&parts, config, runtime).await;
    }
    let origin = origin::check(&parts.headers, config);
    let mut response = match origin {
        OriginCheck::Forbidden => refusal(
            StatusCode::FORBIDDEN,
            "Forbidden: this Origin may not call the server. Browser origins must be loopback \
             or listed in ALLOWED_ORIGINS.",
        ),
        _ => route(&parts, body, config, runtime).await,
    };
    if let OriginCheck::Allowed(origin) = &origin {
        origin::add_cors_headers(response.headers_mut(), origin);
    }
    response
}

/// The answer to every request when the configuration cannot be used.
/// It names the setting to fix and never its value.
pub fn misconfigured(error: &ConfigError) -> Response<Vec<u8>> {
    json_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        &json!({"error": "misconfigured", "message": error.to_string()}),
    )
}

/// The answer to a request the runtime handed over in a form that `http`
/// cannot represent (an invalid header name, say).
pub fn unreadable_request() -> Response<Vec<u8>> {
    refusal(
        StatusCode::BAD_REQUEST,
        "Bad Request: the request line or headers could not be read",
    )
}

/// The OAuth metadata documents, readable from any origin (RFC 9728 and
/// RFC 8414 metadata is public, and browser-based clients need it before
/// they can sign in). Without OAuth there are none: 404.
async fn well_known(parts: &Parts, config: &Config, runtime: &Runtime<'_>) -> Response<Vec<u8>> {
    let path = parts.uri.path();
    let protected_resource = path == metadata::PROTECTED_RESOURCE_PATH
        || path == format!("{}/mcp", metadata::PROTECTED_RESOURCE_PATH);
    let known = protected_resource || path == metadata::AUTHORIZATION_SERVER_PATH;
    let mut response = match (config.access.oauth(), known, &parts.method) {
        (Some(_), true, &Method::OPTIONS) => {
            let mut response = empty(StatusCode::NO_CONTENT);
            origin::add_public_preflight_headers(response.headers_mut());
            response
        }
        (Some(settings), true, &Method::GET) if protected_resource => json_response(
            StatusCode::OK,
            &metadata::protected_resource(settings, &server_origin(parts), mcp::SERVER_TITLE),
        ),
        (Some(settings), true, &Method::GET) => {
            match metadata::authorization_server(
                settings,
                runtime.http,
                runtime.platform,
                runtime.cache,
            )
            .await
            {
                Ok(body) => bytes_response(StatusCode::OK, "application/json", body),
                Err(denial) => {
                    let reason = match denial {
                        oauth::Denial::Unavailable { reason, .. } => reason,
                        _ => "the authorization server could not be asked".to_owned(),
                    };
                    json_response(
                        StatusCode::BAD_GATEWAY,
                        &json!({"error": "authorization_server_unavailable", "message": reason}),
                    )
                }
            }
        }
        (Some(_), true, _) => method_not_allowed("GET"),
        _ => json_response(
            StatusCode::NOT_FOUND,
            &json!({"error": "not_found", "message": "Not found. This server offers OAuth metadata only when sign-in with Clerk is on."}),
        ),
    };
    origin::add_public_cors_headers(response.headers_mut());
    response
}

/// The origin the request was made to (`https://mcp.example.com`): from its
/// URL, which the Workers runtime always makes absolute; from `Host` over
/// https otherwise.
fn server_origin(parts: &Parts) -> String {
    let scheme = parts.uri.scheme_str().unwrap_or("https");
    let authority = parts
        .uri
        .authority()
        .map(|authority| authority.as_str().to_owned())
        .or_else(|| {
            parts
                .headers
                .get(http::header::HOST)
                .and_then(|host| host.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_default();
    format!("{scheme}://{authority}")
}

/// The token check of a hosted server with OAuth on, bound to this request.
fn sign_in_check<'a>(
    config: &'a Config,
    runtime: &Runtime<'a>,
    origin: &'a str,
) -> Option<oauth::Check<'a>> {
    let settings = config.access.oauth()?;
    let Mode::Hosted(key) = &config.mode else {
        return None;
    };
    Some(oauth::Check {
        settings,
        clerk: ClerkClient::new(runtime.http, &config.clerk_api_url, key).without_retries(),
        http: runtime.http,
        platform: runtime.platform,
        cache: runtime.cache,
        origin,
    })
}

async fn route(
    parts: &Parts,
    body: Result<Vec<u8>, BodyError>,
    config: &Config,
    runtime: &Runtime<'_>,
) -> Response<Vec<u8>> {
    let http = runtime.http;
    match (parts.uri.path(), &parts.method) {
        ("/mcp", &Method::POST) => {
            let origin = server_origin(parts);
            let check = sign_in_check(config, runtime, &origin);
            match access::admit(&config.access, &parts.headers, check.as_ref()).await {
                Ok(acting_user) => {
                    handle_post(parts, body, config, http, acting_user.as_deref()).await
                }
                Err(refused) => {
                    let error = RpcError::new(code::SERVER_ERROR, refused.message(&config.access));
                    let body = serde_json::to_vec(&jsonrpc::Response::error_without_id(error));
                    let mut response =
                        refused.into_response(body.unwrap_or_default(), &config.access, &origin);
                    response
                        .headers_mut()
                        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                    response
                }
            }
        }
        ("/mcp", &Method::OPTIONS) => preflight("POST, OPTIONS"),
        ("/mcp", _) => method_not_allowed("POST"),
        ("/health" | "/api/health", &Method::GET) => {
            let selection = match narrowing::requested(parts) {
                Ok(requested) => config.selection.narrowed_by(requested),
                Err(problem) => {
                    return refusal(StatusCode::BAD_REQUEST, &format!("Bad Request: {problem}"))
                }
            };
            // A request key is checked against Clerk only for those who may
            // use the server, so that /health cannot test keys for anyone.
            let key = match (&config.mode, access::check(&config.access, &parts.headers)) {
                (Mode::Public, Err(_)) => Err(KeyError::Missing),
                _ => request_key(config, &parts.headers),
            };
            let (status, body) = health::check(config, selection, &key, http).await;
            json_response(status, &body)
        }
        ("/health" | "/api/health", &Method::OPTIONS) => preflight("GET, OPTIONS"),
        ("/health" | "/api/health", _) => method_not_allowed("GET"),
        _ => json_response(
            StatusCode::NOT_FOUND,
            &json!({"error": "not_found", "message": "Not found. The MCP endpoint is POST /mcp; health is GET /health."}),
        ),
    }
}

/// `POST /mcp`: one JSON-RPC message, or under 2025-03-26 a batch of them.
async fn handle_post(
    parts: &Parts,
    body: Result<Vec<u8>, BodyError>,
    config: &Config,
    http: &dyn HttpSend,
    acting_user: Option<&str>,
) -> Response<Vec<u8>> {
    if matches!(config.mode, Mode::Hosted(_)) && parts.headers.contains_key(SECRET_KEY_HEADER) {
        return refusal(
            StatusCode::BAD_REQUEST,
            "Bad Request: this server runs in hosted mode and acts with its own Clerk key; \
             remove the X-Clerk-Secret-Key header, which it will not use.",
        );
    }
    if !headers::content_type_is_json(&parts.headers) {
        return refusal(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported Media Type: POST a JSON-RPC message with Content-Type: application/json",
        );
    }
    let Some(format) = headers::answer_format(&parts.headers) else {
        return refusal(
            StatusCode::NOT_ACCEPTABLE,
            "Not Acceptable: Accept must admit application/json or text/event-stream",
        );
    };
    let version = match headers::protocol_version(&parts.headers) {
        Ok(version) => version,
        Err(unsupported) => return unsupported_version(&unsupported),
    };
    let bytes = match body {
        Ok(bytes) => bytes,
        Err(BodyError::TooLarge) => return body_too_large(),
        Err(BodyError::Unreadable(reason)) => {
            return refusal(
                StatusCode::BAD_REQUEST,
                &format!("The request body could not be read: {reason}"),
            )
        }
    };
    let value: Value = match json::from_bytes(&bytes) {
        Ok(value) => value,
        Err(error) => {
            return rpc_error_response(
                StatusCode::BAD_REQUEST,
                RpcError::new(
                    code::PARSE_ERROR,
                    if bytes.starts_with(b"\xEF\xBB\xBF") {
                        "Parse error: the body starts with a byte-order mark; send JSON without one"
                            .to_owned()
                    } else {
                        format!("Parse error: the body is not valid JSON ({error})")
                    },
                ),
            )
        }
    };
    let selection = match narrowing::requested(parts) {
        Ok(requested) => config.selection.narrowed_by(requested),
        Err(problem) => {
            return refusal(StatusCode::BAD_REQUEST, &format!("Bad Request: {problem}"))
        }
    };
    let key = request_key(config, &parts.headers);
    let context = Context {
        http,
        clerk_api_url: &config.clerk_api_url,
        key: &key,
        selection,
        redact_private_metadata: config.redact_private_metadata,
        acting_user,
    };
    match value {
        Value::Array(batch) => handle_batch(batch, version, &context, format).await,
        single => match Message::from_value(single) {
            Ok(Message::Request(request)) => answer(
                StatusCode::OK,
                &mcp::handle_request(request, &context).await,
                format,
            ),
            Ok(Message::Notification(_) | Message::Response) => accepted(),
            Err(rejected) => {
                // A request whose params are not an object is still a request
                // and is answered like one; anything else is not a message.
                let status = if rejected.error.code == code::INVALID_PARAMS {
                    StatusCode::OK
                } else {
                    StatusCode::BAD_REQUEST
                };
                answer(status, &jsonrpc::Response::from(rejected), format)
            }
        },
    }
}

/// A JSON-RPC batch: allowed under 2025-03-26 only, answered with an array
/// of the requests' answers, or 202 when it held no request.
async fn handle_batch(
    batch: Vec<Value>,
    version: ProtocolVersion,
    context: &Context<'_>,
    format: AnswerFormat,
) -> Response<Vec<u8>> {
    if !version.allows_batches() {
        return rpc_error_response(
            StatusCode::BAD_REQUEST,
            RpcError::new(
                code::INVALID_REQUEST,
                format!(
                    "Invalid Request: JSON-RPC batches are not part of MCP {}; send one message per POST",
                    version.as_str()
                ),
            ),
        );
    }
    if batch.is_empty() {
        return rpc_error_response(
            StatusCode::BAD_REQUEST,
            RpcError::new(code::INVALID_REQUEST, "Invalid Request: the batch is empty"),
        );
    }
    let answers = join_all(batch.into_iter().map(|value| async move {
        match Message::from_value(value) {
            Ok(Message::Request(request)) => Some(mcp::handle_request(request, context).await),
            Ok(Message::Notification(_) | Message::Response) => None,
            Err(rejected) => Some(jsonrpc::Response::from(rejected)),
        }
    }))
    .await;
    let answers: Vec<jsonrpc::Response> = answers.into_iter().flatten().collect();
    if answers.is_empty() {
        accepted()
    } else {
        answer(StatusCode::OK, &answers, format)
    }
}

/// The Clerk key a request acts with: the server's in hosted mode; in public
/// mode the request's `X-Clerk-Secret-Key`, else its `Authorization: Bearer`
/// unless that header carries an access token.
fn request_key(config: &Config, headers: &HeaderMap) -> Result<SecretKey, KeyError> {
    if let Mode::Hosted(key) = &config.mode {
        return Ok(key.clone());
    }
    if let Some(value) = headers.get(SECRET_KEY_HEADER) {
        let text = value.to_str().unwrap_or_default().trim();
        return SecretKey::parse(text, KeySource::SecretKeyHeader);
    }
    if matches!(config.access, Access::Protected { .. }) {
        return Err(KeyError::Missing);
    }
    match access::bearer_token(headers) {
        Some(token) => SecretKey::parse(
            std::str::from_utf8(token).unwrap_or_default(),
            KeySource::BearerHeader,
        ),
        None => Err(KeyError::Missing),
    }
}

/// Drops every header not in [`READ_HEADERS`]. A map that holds no other,
/// as the Worker's does, is left as it is.
fn keep_read_headers(headers: &mut HeaderMap) {
    if headers.keys().all(|name| READ_HEADERS.contains(name)) {
        return;
    }
    let mut kept = HeaderMap::new();
    for name in &READ_HEADERS {
        for value in headers.get_all(name) {
            kept.append(name.clone(), value.clone());
        }
    }
    *headers = kept;
}

/// The `Content-Length` a request declares, if it is a number.
pub(crate) fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse().ok())
}

fn body_too_large() -> Response<Vec<u8>> {
    refusal(
        StatusCode::PAYLOAD_TOO_LARGE,
        &format!("Payload Too Large: the body may be at most {MAX_BODY_BYTES} bytes"),
    )
}

fn unsupported_version(unsupported: &str) -> Response<Vec<u8>> {
    let supported: Vec<&str> = ProtocolVersion::ALL.iter().map(|v| v.as_str()).collect();
    rpc_error_response(
        StatusCode::BAD_REQUEST,
        RpcError::new(
            code::INVALID_REQUEST,
            format!(
                "Bad Request: unsupported MCP-Protocol-Version {unsupported:?}; this server supports {}",
                supported.join(", ")
            ),
        ),
    )
}

fn method_not_allowed(allow: &'static str) -> Response<Vec<u8>> {
    let mut response = refusal(
        StatusCode::METHOD_NOT_ALLOWED,
        &format!(
            "Method Not Allowed: use {allow}. This server is stateless and offers no event stream."
        ),
    );
    response
        .headers_mut()
        .insert(ALLOW, HeaderValue::from_static(allow));
    response
}

fn preflight(methods: &'static str) -> Response<Vec<u8>> {
    let mut response = empty(StatusCode::NO_CONTENT);
    origin::add_preflight_headers(response.headers_mut(), methods);
    response
}

fn accepted() -> Response<Vec<u8>> {
    empty(StatusCode::ACCEPTED)
}

/// A transport refusal: an HTTP error status with a JSON-RPC error body
/// that has no id.
fn refusal(status: StatusCode, message: &str) -> Response<Vec<u8>> {
    rpc_error_response(status, RpcError::new(code::SERVER_ERROR, message))
}

fn rpc_error_response(status: StatusCode, error: RpcError) -> Response<Vec<u8>> {
    let body =
        serde_json::to_value(jsonrpc::Response::error_without_id(error)).unwrap_or(Value::Null);
    json_response(status, &body)
}

/// Writes JSON-RPC answers in the format the client admits.
fn answer<T: serde::Serialize>(
    status: StatusCode,
    message: &T,
    format: AnswerFormat,
) -> Response<Vec<u8>> {
    let json = serde_json::to_vec(message).unwrap_or_default();
    match format {
        AnswerFormat::Json => bytes_response(status, "application/json", json),
        AnswerFormat::EventStream => {
            let mut event = b"event: message\ndata: ".to_vec();
            event.extend_from_slice(&json);
            event.extend_from_slice(b"\n\n");
            bytes_response(status, "text/event-stream", event)
        }
    }
}

fn json_response(status: StatusCode, body: &Value) -> Response<Vec<u8>> {
    bytes_response(status, "application/json", body.to_string().into_bytes())
}

fn bytes_response(
    status: StatusCode,
    content_type: &'static str,
    body: Vec<u8>,
) -> Response<Vec<u8>> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

fn empty(status: StatusCode) -> Response<Vec<u8>> {
    let mut response = Response::new(Vec::new());
    *response.status_mut() = status;
    response
}
