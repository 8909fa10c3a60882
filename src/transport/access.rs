//! Who may use `/mcp`: the bearer tokens of `MCP_AUTH_TOKENS`, OAuth access
//! tokens of the server's Clerk instance when sign-in with Clerk is on, and
//! the fail-closed rule for a hosted server that has neither.
//!
//! A hosted deployment holds a live Clerk key, so without a way to admit
//! clients it refuses MCP requests unless its owner opened it with
//! `MCP_ALLOW_UNAUTHENTICATED`. Static tokens are compared first, in
//! constant time; a bearer token that is not one of them goes to
//! [`crate::oauth`] when OAuth is on. No token ever appears in an answer.
//!
//! | refusal                               | status | `WWW-Authenticate`                                   |
//! |---------------------------------------|--------|------------------------------------------------------|
//! | no token, OAuth off                   | 401    | `Bearer realm="clerk-mcp-worker"`                     |
//! | no token, OAuth on                    | 401    | `Bearer resource_metadata="<origin>/.well-known/oauth-protected-resource"` |
//! | wrong static token, OAuth off         | 401    | `Bearer realm=…, error="invalid_token"`               |
//! | invalid OAuth token (expired, revoked, wrong issuer or audience, bad signature) | 401 | `Bearer error="invalid_token", resource_metadata=…` |
//! | valid token, user not allowed         | 403    | none                                                  |
//! | Clerk could not be asked              | 503 (502 for an unreadable answer, 500 when `MCP_ADMIN_ORGANIZATION` names no organization of the instance) | none |
//! | hosted, nothing configured            | 503    | none                                                  |

use http::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use http::{HeaderMap, Response, StatusCode};

use crate::config::{Access, AccessToken};
use crate::jsonrpc::{self, code, RpcError};
use crate::oauth::{self, metadata, Cause, Denial, Grant};
use crate::tools::WritesWithheld;

/// Why a request may not use `/mcp`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No `Authorization: Bearer` token was sent.
    MissingToken,
    /// A token was sent but is not one of the server's (OAuth off).
    WrongToken,
    /// A hosted server without tokens that was not opened on purpose.
    NotConfigured,
    /// OAuth on: the token is neither a static token nor a valid access
    /// token of the instance, its user may not use the server, or it could
    /// not be checked.
    SignIn(Denial),
}

/// Who a request was let in as.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Admitted {
    /// The user who signed in, when it came with an OAuth token.
    pub acting_user: Option<String>,
    /// Why its way in gives it only the read tools, when it does: one of
    /// `MCP_READONLY_TOKENS`, or a user of `MCP_READONLY_USERS`.
    pub read_only: Option<WritesWithheld>,
    /// The position, from 1, of the access token it came with in the
    /// server's list: `MCP_AUTH_TOKENS`, then `MCP_READONLY_TOKENS`.
    pub token_number: Option<usize>,
}

/// Lets the request through on its static token (or an open server), or
/// says why not. OAuth tokens are not looked at: see [`admit`].
pub fn check(access: &Access, headers: &HeaderMap) -> Result<Admitted, Refusal> {
    match access {
        Access::Open => Ok(Admitted::default()),
        Access::NotConfigured => Err(Refusal::NotConfigured),
        Access::Protected { tokens, .. } => {
            let presented = bearer_token(headers).ok_or(Refusal::MissingToken)?;
            match matching(tokens, presented) {
                Some((index, token)) => Ok(Admitted {
                    acting_user: None,
                    read_only: token.read_only().then_some(WritesWithheld::ReadOnlyToken),
                    token_number: Some(index + 1),
                }),
                None => Err(Refusal::WrongToken),
            }
        }
    }
}

/// Lets the request through, naming the user who signed in when it came
/// with an OAuth token, and whether its user or static token is read-only.
pub async fn admit(
    access: &Access,
    headers: &HeaderMap,
    sign_in: Option<&oauth::Check<'_>>,
) -> Result<Admitted, Refusal> {
    match (check(access, headers), sign_in) {
        (Ok(admitted), _) => Ok(admitted),
        (Err(Refusal::WrongToken), Some(sign_in)) => {
            let presented = bearer_token(headers).unwrap_or_default();
            let signed_in = sign_in.sign_in(presented).await.map_err(Refusal::SignIn)?;
            Ok(Admitted {
                acting_user: Some(signed_in.user_id),
                read_only: match signed_in.grant {
                    Grant::Full => None,
                    Grant::ReadOnly => Some(WritesWithheld::ReadOnlyUser),
                },
                token_number: None,
            })
        }
        (Err(refusal), _) => Err(refusal),
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

/// The one of `tokens` that `presented` equals, with its index (the first,
/// should a token be listed twice), comparing against every token so that
/// the time taken does not say which one matched, or how closely.
fn matching<'a>(tokens: &'a [AccessToken], presented: &[u8]) -> Option<(usize, &'a AccessToken)> {
    tokens
        .iter()
        .enumerate()
        .fold(None, |matched, (index, token)| {
            let equal = constant_time_eq(token.expose(), presented);
            matched.or(equal.then_some((index, token)))
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
    /// The answer a refused client gets: a JSON-RPC error that says what to
    /// do ([`Refusal::message`]), with 401 and `WWW-Authenticate` when a
    /// token would let it in (RFC 6750, section 3; with OAuth on, the
    /// `resource_metadata` of RFC 9728, section 5.1, pointing at the server
    /// at `origin`), 403 for a user who signed in but may not use the
    /// server, 503 when no token would do or the token could not be checked
    /// (502 when Clerk's answer could not be read, 500 when the server's
    /// settings are at fault).
    pub fn response(&self, access: &Access, origin: &str) -> Response<Vec<u8>> {
        let error = RpcError::new(code::SERVER_ERROR, self.message(access));
        let body = serde_json::to_vec(&jsonrpc::Response::error_without_id(error));
        let mut response = Response::new(body.unwrap_or_default());
        let pointer = || {
            format!(
                "resource_metadata=\"{}\"",
                metadata::protected_resource_url(origin)
            )
        };
        let oauth = access.oauth().is_some();
        let (status, challenge) = match &self {
            Refusal::MissingToken if oauth => (
                StatusCode::UNAUTHORIZED,
                Some(format!("Bearer {}", pointer())),
            ),
            Refusal::MissingToken => (
                StatusCode::UNAUTHORIZED,
                Some("Bearer realm=\"clerk-mcp-worker\"".to_owned()),
            ),
            Refusal::WrongToken => (
                StatusCode::UNAUTHORIZED,
                Some("Bearer realm=\"clerk-mcp-worker\", error=\"invalid_token\"".to_owned()),
            ),
            Refusal::SignIn(Denial::InvalidToken(_)) => (
                StatusCode::UNAUTHORIZED,
                Some(format!("Bearer error=\"invalid_token\", {}", pointer())),
            ),
            Refusal::SignIn(Denial::NotAllowed { .. }) => (StatusCode::FORBIDDEN, None),
            Refusal::SignIn(Denial::Unavailable { cause, .. }) => (status_of(*cause), None),
            Refusal::NotConfigured => (StatusCode::SERVICE_UNAVAILABLE, None),
        };
        *response.status_mut() = status;
        if let Some(value) = challenge.and_then(|challenge| HeaderValue::try_from(challenge).ok()) {
            response.headers_mut().insert(WWW_AUTHENTICATE, value);
        }
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        response
    }

    /// What the client should do, in words.
    pub fn message(&self, access: &Access) -> String {
        let tokens = !access.tokens().is_empty();
        match self {
            Refusal::MissingToken => match access.oauth() {
                None => {
                    "Unauthorized: send Authorization: Bearer <token>, where <token> is one of \
                    the tokens set in this server's MCP_AUTH_TOKENS secret."
                        .to_owned()
                }
                Some(_) => format!(
                    "Unauthorized: sign in with this server's Clerk instance (OAuth); the \
                     resource_metadata of WWW-Authenticate names the authorization server{}.",
                    if tokens {
                        ", or send Authorization: Bearer <token> with one of the tokens set in \
                         MCP_AUTH_TOKENS"
                    } else {
                        ""
                    }
                ),
            },
            Refusal::WrongToken => "Unauthorized: the bearer token is not one of this server's \
                MCP_AUTH_TOKENS. Send Authorization: Bearer <token> with a current token."
                .to_owned(),
            Refusal::SignIn(Denial::InvalidToken(reason)) => format!(
                "Unauthorized: the bearer token is {reason}. Sign in again with this server's \
                 Clerk instance to get a new access token."
            ),
            Refusal::SignIn(Denial::NotAllowed { user_id }) => match access.oauth() {
                Some(settings) if !settings.allows_anyone() => format!(
                    "Forbidden: {user_id} signed in, but this server lets no one sign in yet. Its \
                     owner allows people by listing their user IDs or email addresses in \
                     MCP_ALLOWED_USERS (or MCP_READONLY_USERS, for the read tools only), or by \
                     naming an organization whose admins may use it in MCP_ADMIN_ORGANIZATION."
                ),
                _ => format!(
                    "Forbidden: {user_id} signed in, but is not allowed to use this server. Its \
                     owner can allow them by adding their user ID or a verified email address to \
                     MCP_ALLOWED_USERS (or MCP_READONLY_USERS, for the read tools only), or by \
                     making them an admin (org:admin) of the organization set in \
                     MCP_ADMIN_ORGANIZATION."
                ),
            },
            Refusal::SignIn(Denial::Unavailable { reason, .. }) => format!(
                "The sign-in could not be checked: {reason}. Try again shortly; if it persists, \
                 the server's owner should check its Clerk settings."
            ),
            Refusal::NotConfigured => NOT_CONFIGURED.to_owned(),
        }
    }
}

/// The status of an answer to a token that could not be checked.
fn status_of(cause: Cause) -> StatusCode {
    match cause {
        Cause::Unreachable => StatusCode::SERVICE_UNAVAILABLE,
        Cause::UnreadableAnswer => StatusCode::BAD_GATEWAY,
        Cause::Misconfigured => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Why a hosted server without tokens refuses MCP requests, and how its
/// owner opens it; `/health` gives the same reason.
pub const NOT_CONFIGURED: &str = "This hosted server holds a Clerk secret key but has no \
    MCP_AUTH_TOKENS, so it refuses MCP requests rather than let anyone act with its key. Set \
    tokens with `npx wrangler secret put MCP_AUTH_TOKENS`, or turn on sign-in with Clerk \
    (CLERK_PUBLISHABLE_KEY), or set MCP_ALLOW_UNAUTHENTICATED=true to open it on purpose.";

/// What `/health` says of a server with OAuth on but no allow-list.
pub const NOBODY_ALLOWED: &str = "OAuth sign-in is on, but none of MCP_ALLOWED_USERS, \
    MCP_READONLY_USERS and MCP_ADMIN_ORGANIZATION is set, so every user who signs in is refused.";

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
