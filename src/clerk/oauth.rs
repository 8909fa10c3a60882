//! Clerk's OAuth access-token check (`POST
//! /v1/oauth_applications/access_tokens/verify`) and the two answers it
//! gives: the token's record, or `{"active": false}` for a JWT access token
//! that is no longer active.
//!
//! The token travels in the body, never in a URL, so that no log of paths
//! holds it.

use serde_json::Value;

use super::{ClerkClient, ClerkError, JsonBody, UrlPath};

/// What Clerk knows of an access token (`clerk_idp_oauth_access_token`),
/// the fields this server reads.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AccessTokenRecord {
    /// The user the token was issued to (`user_...`).
    pub subject: String,
    pub revoked: bool,
    pub expired: bool,
    /// When the token expires: Unix seconds in the spec's example, so both
    /// seconds and milliseconds are read ([`AccessTokenRecord::expires_at`]).
    pub expiration: Option<f64>,
}

impl AccessTokenRecord {
    /// The expiry in Unix seconds. A value past 10^11 cannot be seconds (that
    /// is the year 5138) and is read as milliseconds.
    pub fn expires_at(&self) -> Option<u64> {
        let expiration = self.expiration.filter(|at| at.is_finite() && *at > 0.0)?;
        Some(if expiration > 1e11 {
            (expiration / 1000.0) as u64
        } else {
            expiration as u64
        })
    }
}

/// Clerk's verdict on a token.
#[derive(Clone, Debug, PartialEq)]
pub enum TokenStatus {
    /// Clerk knows the token: its record says whether it still holds.
    Active(AccessTokenRecord),
    /// `{"active": false}`: an expired JWT access token.
    Inactive,
}

/// Reads the verify answer, one of the spec's two shapes. It is read from a
/// JSON value rather than through a derived decoder, which costs the
/// bundle more than these few fields are worth.
fn token_status(answer: &Value) -> TokenStatus {
    if answer.get("active").and_then(Value::as_bool) == Some(false) {
        return TokenStatus::Inactive;
    }
    let flag = |name: &str| answer.get(name).and_then(Value::as_bool).unwrap_or(false);
    TokenStatus::Active(AccessTokenRecord {
        subject: answer
            .get("subject")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        revoked: flag("revoked"),
        expired: flag("expired"),
        expiration: answer.get("expiration").and_then(Value::as_f64),
    })
}

impl ClerkClient<'_> {
    /// `POST /v1/oauth_applications/access_tokens/verify` with
    /// `{"access_token": token}`. An unknown token is Clerk's 404.
    pub async fn verify_oauth_access_token(&self, token: &str) -> Result<TokenStatus, ClerkError> {
        let path = UrlPath::new()
            .segment("oauth_applications")
            .segment("access_tokens")
            .segment("verify");
        let body = JsonBody::of(&serde_json::json!({ "access_token": token }));
        let answer: Value = self.post(&path, Some(&body)).await?;
        Ok(token_status(&answer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiration_is_read_in_seconds_or_milliseconds() {
        let record = |expiration| AccessTokenRecord {
            expiration,
            ..AccessTokenRecord::default()
        };
        assert_eq!(record(Some(1716883200.0)).expires_at(), Some(1716883200));
        assert_eq!(record(Some(1716883200123.0)).expires_at(), Some(1716883200));
        assert_eq!(record(None).expires_at(), None);
        assert_eq!(record(Some(-1.0)).expires_at(), None);
    }

    #[test]
    fn both_answers_are_read() {
        assert_eq!(
            token_status(&serde_json::json!({"active": false})),
            TokenStatus::Inactive
        );
        let record = token_status(&serde_json::json!({
            "object": "clerk_idp_oauth_access_token", "id": "oat_0", "client_id": "c",
            "subject": "user_1", "scopes": ["profile"], "revoked": true,
            "revocation_reason": "Revoked by user", "expired": false,
            "expiration": 1716883200, "created_at": 1, "updated_at": 1,
        }));
        assert_eq!(
            record,
            TokenStatus::Active(AccessTokenRecord {
                subject: "user_1".into(),
                revoked: true,
                expired: false,
                expiration: Some(1716883200.0),
            })
        );
    }
}
