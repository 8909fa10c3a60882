//! The OAuth metadata documents under `/.well-known/`: the server's
//! protected-resource metadata (`/.well-known/oauth-protected-resource`
//! and `.../mcp`) and its Clerk instance's authorization-server metadata
//! (`/.well-known/oauth-authorization-server`).
//!
//! They are public: any origin may read them, since browser-based clients
//! fetch them before they can sign in (RFC 9728 and RFC 8414 metadata holds
//! nothing secret). Without OAuth there are none: 404.

use http::request::Parts;
use http::{Method, Response, StatusCode};
use serde_json::json;

use super::responses::{bytes_response, empty, json_response, method_not_allowed};
use super::{origin, server_origin, Runtime};
use crate::config::Config;
use crate::mcp;
use crate::oauth::{self, metadata};

/// Answers a request for a path under `/.well-known/`.
pub async fn answer(parts: &Parts, config: &Config, runtime: &Runtime<'_>) -> Response<Vec<u8>> {
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
