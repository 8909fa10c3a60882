//! The request headers of the streamable HTTP transport that say what a POST
//! holds: `Content-Type` and `MCP-Protocol-Version` (MCP 2025-06-18 and
//! 2025-11-25, Transports: Streamable HTTP). `Accept` is read by
//! [`super::framing`].

use http::header::{HeaderName, CONTENT_TYPE};
use http::HeaderMap;

use crate::mcp::ProtocolVersion;

/// The name of the protocol version header.
pub const PROTOCOL_VERSION: HeaderName = HeaderName::from_static("mcp-protocol-version");

/// Whether the body is declared as JSON (`application/json`, any parameters).
pub fn content_type_is_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case("application/json"))
}

/// The version a request speaks: its `MCP-Protocol-Version` header, or
/// 2025-03-26 without one. `Err` carries an unsupported value, for the error.
pub fn protocol_version(headers: &HeaderMap) -> Result<ProtocolVersion, String> {
    match headers.get(PROTOCOL_VERSION) {
        None => Ok(ProtocolVersion::ASSUMED_WITHOUT_HEADER),
        Some(value) => {
            let text = value.to_str().unwrap_or_default().trim();
            ProtocolVersion::parse(text).ok_or_else(|| text.chars().take(40).collect())
        }
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
