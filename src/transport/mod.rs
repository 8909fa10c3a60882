//! The HTTP surface: routes, the streamable HTTP transport rules, and the
//! one place that decides what a client sees when something is refused.
//!
//! [`handle`] is the entry point the Worker calls for every request, and the
//! one the tests call natively. The server is stateless: it issues no
//! `Mcp-Session-Id` and answers each POST with one JSON body (MCP 2025-03-26,
//! 2025-06-18, 2025-11-25 and 2026-07-28, Transports: Streamable HTTP).
//!
//! A request goes: [`handle`] (the body, the origin check) → `routes` (path
//! and method) → `post` for `POST /mcp` (access, headers, body, batches;
//! the Clerk credentials from `credentials`) → [`crate::mcp`]. `health`,
//! `front_door` (the page a browser gets at `GET /`), `well_known`,
//! `access`, `origin`, `headers`, `framing` (JSON or event stream, and
//! reading `Accept`) and `narrowing` each own one part; `responses` builds the
//! answers the transport writes itself. The table below is every refusal
//! and what the client sees.
//!
//! | what went wrong                                   | the client sees                          |
//! |---------------------------------------------------|------------------------------------------|
//! | `Origin` not loopback nor in `ALLOWED_ORIGINS`     | HTTP 403, JSON-RPC error `-32000`        |
//! | GET or DELETE on `/mcp`                            | HTTP 405, `Allow: POST`                  |
//! | no or wrong bearer token (`MCP_AUTH_TOKENS`)       | HTTP 401, `WWW-Authenticate: Bearer`     |
//! | OAuth on: no, expired, revoked or foreign token    | HTTP 401, `resource_metadata` pointer    |
//! | OAuth on: a user who is not allowed                | HTTP 403, JSON-RPC error `-32000`        |
//! | OAuth on: the token cannot be checked              | HTTP 503 (502, 500), JSON-RPC `-32000`   |
//! | hosted server with no tokens, not opened           | HTTP 503, the secret to set              |
//! | `X-Clerk-Secret-Key` sent to a hosted server       | HTTP 400, JSON-RPC error `-32000`        |
//! | `Content-Type` not JSON                            | HTTP 415, JSON-RPC error `-32000`        |
//! | `Accept` admits neither JSON nor event streams     | HTTP 406, JSON-RPC error `-32000`        |
//! | unsupported `MCP-Protocol-Version`                 | HTTP 400, JSON-RPC error `-32600`        |
//! | 2026-07-28: incomplete `_meta`, bad `logLevel`     | HTTP 400, `-32602`                       |
//! | 2026-07-28: version/method/name header missing or unlike the body | HTTP 400, `-32020`        |
//! | 2026-07-28: a `_meta` version not served           | HTTP 400, `-32022`                       |
//! | 2026-07-28: a method the era has not               | HTTP 404, `-32601`                       |
//! | unreadable `readonly`/`toolsets` wish              | HTTP 400, JSON-RPC error `-32000`        |
//! | body over 1 MiB                                    | HTTP 413, JSON-RPC error `-32000`        |
//! | body not JSON                                      | HTTP 400, `-32700`, `id: null`           |
//! | not a JSON-RPC message, batch outside 2025-03-26   | HTTP 400, `-32600`                       |
//! | unknown method (handshake eras)                    | HTTP 200, `-32601`                       |
//! | bad params, unknown tool, unknown cursor           | HTTP 200, `-32602`                       |
//! | bad tool arguments, no or malformed key, Clerk error | HTTP 200, tool result `isError: true`  |
//! | notification or response from the client           | HTTP 202, empty body                     |
//! | misconfigured server ([`misconfigured`])           | HTTP 500, the setting to fix             |
//! | unknown path; `GET /` not asking for HTML          | HTTP 404, short JSON body                |
//!
//! The details of each access refusal are in `access`. The OAuth metadata
//! documents (`/.well-known/oauth-protected-resource[/mcp]`,
//! `/.well-known/oauth-authorization-server`) are public: any origin may
//! read them, since browser-based clients fetch them before they can sign
//! in; they are 404 when OAuth is off.

mod access;
mod body;
mod credentials;
mod framing;
mod front_door;
mod headers;
mod health;
mod narrowing;
mod origin;
mod post;
mod responses;
mod routes;
mod well_known;

use http::header::{HeaderName, ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HOST, ORIGIN};
use http::request::Parts;
use http::{HeaderMap, Request, Response, StatusCode};

use crate::clerk::HttpSend;
use crate::config::Config;
use crate::oauth::{IsolateCache, Platform};

pub use body::{BodyError, RequestBody, MAX_BODY_BYTES};
pub use credentials::SECRET_KEY_HEADER;
use origin::OriginCheck;
use responses::refusal;
pub use responses::{misconfigured, unreadable_request};

/// Every request header the server reads; a header read anywhere must be
/// listed here. The Worker copies these alone from the runtime's request,
/// asking for each by name: its work does not grow with the headers a
/// client and Cloudflare's edge send, and no header name is parsed at run
/// time, which keeps http's matcher of standard names out of the wasm.
/// [`handle`] keeps to the same list, so that the tests see what the
/// Worker sees.
pub const READ_HEADERS: [HeaderName; 14] = [
    ACCEPT,
    AUTHORIZATION,
    CONTENT_LENGTH,
    CONTENT_TYPE,
    HOST,
    ORIGIN,
    headers::PROTOCOL_VERSION,
    headers::METHOD,
    headers::NAME,
    SECRET_KEY_HEADER,
    narrowing::READONLY_HEADER,
    narrowing::TOOLSETS_HEADER,
    narrowing::CONFIRM_HEADER,
    headers::CF_RAY,
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
        return well_known::answer(&parts, config, runtime).await;
    }
    let origin = origin::check(&parts.headers, config);
    let mut response = match origin {
        OriginCheck::Forbidden => refusal(
            StatusCode::FORBIDDEN,
            "Forbidden: this Origin may not call the server. Browser origins must be loopback \
             or listed in ALLOWED_ORIGINS.",
        ),
        _ => routes::route(&parts, body, config, runtime).await,
    };
    if let OriginCheck::Allowed(origin) = &origin {
        origin::add_cors_headers(response.headers_mut(), origin);
    }
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
                .get(HOST)
                .and_then(|host| host.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_default();
    format!("{scheme}://{authority}")
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
