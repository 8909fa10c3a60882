//! The answers the transport builds itself: refusals with a JSON-RPC error
//! body, plain JSON documents, empty answers, and the answers to methods a
//! path does not take.

use http::header::{HeaderValue, ALLOW, CONTENT_TYPE};
use http::{Response, StatusCode};
use serde_json::{json, Value};

use super::body::MAX_BODY_BYTES;
use super::origin;
use crate::config::ConfigError;
use crate::jsonrpc::{self, code, RpcError};
use crate::mcp::ProtocolVersion;

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

pub(super) fn body_too_large() -> Response<Vec<u8>> {
    refusal(
        StatusCode::PAYLOAD_TOO_LARGE,
        &format!("Payload Too Large: the body may be at most {MAX_BODY_BYTES} bytes"),
    )
}

pub(super) fn unsupported_version(unsupported: &str) -> Response<Vec<u8>> {
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

pub(super) fn method_not_allowed(allow: &'static str) -> Response<Vec<u8>> {
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

pub(super) fn preflight(methods: &'static str) -> Response<Vec<u8>> {
    let mut response = empty(StatusCode::NO_CONTENT);
    origin::add_preflight_headers(response.headers_mut(), methods);
    response
}

pub(super) fn accepted() -> Response<Vec<u8>> {
    empty(StatusCode::ACCEPTED)
}

/// A transport refusal: an HTTP error status with a JSON-RPC error body
/// that has no id.
pub(super) fn refusal(status: StatusCode, message: &str) -> Response<Vec<u8>> {
    rpc_error_response(status, RpcError::new(code::SERVER_ERROR, message))
}

pub(super) fn rpc_error_response(status: StatusCode, error: RpcError) -> Response<Vec<u8>> {
    let body =
        serde_json::to_value(jsonrpc::Response::error_without_id(error)).unwrap_or(Value::Null);
    json_response(status, &body)
}

pub(super) fn json_response(status: StatusCode, body: &Value) -> Response<Vec<u8>> {
    bytes_response(status, "application/json", body.to_string().into_bytes())
}

pub(super) fn bytes_response(
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

pub(super) fn empty(status: StatusCode) -> Response<Vec<u8>> {
    let mut response = Response::new(Vec::new());
    *response.status_mut() = status;
    response
}
