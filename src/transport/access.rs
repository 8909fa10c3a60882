//! Who may use `/mcp`: the bearer tokens of `MCP_AUTH_TOKENS`, and the
//! fail-closed rule for a hosted server that has none.
//!
//! A hosted deployment holds a live Clerk key, so without tokens it refuses
//! MCP requests unless its owner opened it with `MCP_ALLOW_UNAUTHENTICATED`.
//! Tokens are compared in constant time, and never appear in an answer.

use http::header::{HeaderValue, AUTHORIZATION, WWW_AUTHENTICATE};
use http::{HeaderMap, Response, StatusCode};

use crate::config::{Access, AccessToken};

/// Why a request may not use `/mcp`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No `Authorization: Bearer` token was sent.
    MissingToken,
    /// A token was sent but is not one of the server's.
    WrongToken,
    /// A hosted server without tokens that was not opened on purpose.
    NotConfigured,
}

/// Lets the request through, or says why not.
pub fn check(access: &Access, headers: &HeaderMap) -> Result<(), Refusal> {
    match access {
        Access::Open => Ok(()),
        Access::NotConfigured => Err(Refusal::NotConfigured),
        Access::Tokens(tokens) => {
            let presented = bearer_token(headers).ok_or(Refusal::MissingToken)?;
            if is_one_of(tokens, presented) {
                Ok(())
            } else {
                Err(Refusal::WrongToken)
            }
        }
    }
}

/// The token of an `Authorization: Bearer <token>` header, as bytes.
pub fn bearer_token(headers: &HeaderMap) -> Option<&[u8]> {
    let value = headers.get(AUTHORIZATION)?.as_bytes();
    let scheme = value.get(..7)?;
    if !scheme.eq_ignore_ascii_case(b"bearer ") {
        return None;
    }
    let token = value.get(7..)?.trim_ascii();
    (!token.is_empty()).then_some(token)
}

/// Whether `presented` equals one of `tokens`, comparing against every token
/// so that the time taken does not say which one matched, or how closely.
fn is_one_of(tokens: &[AccessToken], presented: &[u8]) -> bool {
    tokens.iter().fold(false, |matched, token| {
        matched | constant_time_eq(token.expose(), presented)
    })
}

/// Compares two byte strings in time that depends only on their lengths.
fn constant_time_eq(expected: &[u8], presented: &[u8]) -> bool {
    let longest = expected.len().max(presented.len());
    let mut difference = expected.len() ^ presented.len();
    for index in 0..longest {
        let a = expected.get(index).copied().unwrap_or(0);
        let b = presented.get(index).copied().unwrap_or(0);
        difference |= usize::from(a ^ b);
    }
    difference == 0
}

impl Refusal {
    /// The answer a refused client gets: 401 with `WWW-Authenticate` when a
    /// token would let it in (RFC 6750, section 3), 503 when none would.
    pub fn into_response(self, body: Vec<u8>) -> Response<Vec<u8>> {
        let mut response = Response::new(body);
        let (status, challenge) = match self {
            Refusal::MissingToken => (
                StatusCode::UNAUTHORIZED,
                Some("Bearer realm=\"clerk-mcp-worker\""),
            ),
            Refusal::WrongToken => (
                StatusCode::UNAUTHORIZED,
                Some("Bearer realm=\"clerk-mcp-worker\", error=\"invalid_token\""),
            ),
            Refusal::NotConfigured => (StatusCode::SERVICE_UNAVAILABLE, None),
        };
        *response.status_mut() = status;
        if let Some(challenge) = challenge {
            response
                .headers_mut()
                .insert(WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
        }
        response
    }

    /// What the client should do, in words.
    pub fn message(self) -> &'static str {
        match self {
            Refusal::MissingToken => {
                "Unauthorized: send Authorization: Bearer <token>, where <token> is one of the \
                 tokens set in this server's MCP_AUTH_TOKENS secret."
            }
            Refusal::WrongToken => {
                "Unauthorized: the bearer token is not one of this server's MCP_AUTH_TOKENS. \
                 Send Authorization: Bearer <token> with a current token."
            }
            Refusal::NotConfigured => NOT_CONFIGURED,
        }
    }
}

/// Why a hosted server without tokens refuses MCP requests, and how its
/// owner opens it; `/health` gives the same reason.
pub const NOT_CONFIGURED: &str = "This hosted server holds a Clerk secret key but has no \
    MCP_AUTH_TOKENS, so it refuses MCP requests rather than let anyone act with its key. Set \
    tokens with `npx wrangler secret put MCP_AUTH_TOKENS`, or set MCP_ALLOW_UNAUTHENTICATED=true \
    to open it on purpose.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_strings_compare_equal_and_others_do_not() {
        assert!(constant_time_eq(b"token-0123456789", b"token-0123456789"));
        assert!(!constant_time_eq(b"token-0123456789", b"token-0123456788"));
        assert!(!constant_time_eq(b"token-0123456789", b"token-012345678"));
        assert!(!constant_time_eq(b"token-0123456789", b"token-01234567890"));
        assert!(!constant_time_eq(b"token", b""));
    }

    #[test]
    fn bearer_token_is_read_case_insensitively_and_trimmed() {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_static("bearer  abc "));
        assert_eq!(bearer_token(&headers), Some(&b"abc"[..]));
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer_token(&headers), None);
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer "));
        assert_eq!(bearer_token(&headers), None);
    }
}
