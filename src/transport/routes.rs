//! Which handler answers a request, by its path and method. Paths under
//! `/.well-known/` are answered before the origin check, by
//! [`super::well_known`].

use http::request::Parts;
use http::{Method, Response, StatusCode};
use serde_json::json;

use super::body::BodyError;
use super::post::answer_post;
use super::responses::{json_response, method_not_allowed, preflight};
use super::{front_door, health, Runtime};
use crate::config::Config;

/// Answers a request from an origin that may call the server.
pub async fn route(
    parts: &Parts,
    body: Result<Vec<u8>, BodyError>,
    config: &Config,
    runtime: &Runtime<'_>,
) -> Response<Vec<u8>> {
    match (parts.uri.path(), &parts.method) {
        ("/mcp", &Method::POST) => answer_post(parts, body, config, runtime).await,
        ("/mcp", &Method::OPTIONS) => preflight("POST, OPTIONS"),
        ("/mcp", _) => method_not_allowed("POST"),
        ("/health" | "/api/health", &Method::GET) => {
            health::answer(parts, config, runtime.http).await
        }
        ("/health" | "/api/health", &Method::OPTIONS) => preflight("GET, OPTIONS"),
        ("/health" | "/api/health", _) => method_not_allowed("GET"),
        // `--cfg without_front_door` leaves the page out, to measure its
        // cost (tests/bundle/toolsets.mjs).
        #[cfg(not(without_front_door))]
        ("/", &Method::GET) if front_door::wants_page(&parts.headers) => {
            front_door::answer(parts, config, runtime).await
        }
        _ => json_response(
            StatusCode::NOT_FOUND,
            &json!({"error": "not_found", "message": "Not found. The MCP endpoint is POST /mcp; health is GET /health."}),
        ),
    }
}
