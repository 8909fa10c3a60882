//! The request headers of the streamable HTTP transport that say what a POST
//! holds: `Content-Type`, `MCP-Protocol-Version` (MCP 2025-06-18 and later),
//! and `Mcp-Method` and `Mcp-Name` (MCP 2026-07-28), read here and judged
//! by [`crate::mcp::decide`]. `Accept` is read by [`super::framing`]; the
//! edge's `cf-ray` is read for the audit trail.

use http::header::{HeaderName, CONTENT_TYPE};
use http::HeaderMap;

use crate::mcp::Declared;

/// The name of the protocol version header.
pub const PROTOCOL_VERSION: HeaderName = HeaderName::from_static("mcp-protocol-version");
/// The header that repeats a stateless request's method.
pub const METHOD: HeaderName = HeaderName::from_static("mcp-method");
/// The header that repeats the tool or prompt a stateless request names.
pub const NAME: HeaderName = HeaderName::from_static("mcp-name");

/// The ID Cloudflare's edge gives each request: the audit trail's
/// `requestId`.
pub const CF_RAY: HeaderName = HeaderName::from_static("cf-ray");

/// Whether the body is declared as JSON (`application/json`, any parameters).
pub fn content_type_is_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case("application/json"))
}

/// What the request's headers declare about its message. A value that is
/// not visible ASCII reads as empty, and so matches nothing.
pub fn declared(headers: &HeaderMap) -> Declared<'_> {
    let text = |name: &HeaderName| {
        headers
            .get(name)
            .map(|value| value.to_str().unwrap_or_default())
    };
    Declared {
        protocol_version: text(&PROTOCOL_VERSION),
        method: text(&METHOD),
        name: text(&NAME),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_content_type(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, http::HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn json_content_type_may_carry_a_charset() {
        assert!(content_type_is_json(&with_content_type(
            "application/json; charset=utf-8"
        )));
        assert!(content_type_is_json(&with_content_type("Application/JSON")));
        assert!(!content_type_is_json(&with_content_type("text/plain")));
        assert!(!content_type_is_json(&HeaderMap::new()));
    }
}
