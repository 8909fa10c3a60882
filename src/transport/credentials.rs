//! The Clerk credentials of a request, resolved once into the Clerk client
//! its calls go through, or the reason it has none.
//!
//! A hosted server acts with its own key for every request. A public server
//! has none: each request brings its key in `X-Clerk-Secret-Key`, or, when
//! the server asks for no access token, as `Authorization: Bearer sk_...`
//! (with access tokens on, that header carries the token instead).

use std::borrow::Cow;

use http::header::HeaderName;
use http::HeaderMap;

use super::access;
use crate::clerk::{ClerkClient, HttpSend, KeyError, KeySource, SecretKey};
use crate::config::{Access, Config, Mode};
use crate::tools::Credentials;

/// The header a public-mode client sends its Clerk key in.
pub const SECRET_KEY_HEADER: HeaderName = HeaderName::from_static("x-clerk-secret-key");

/// The Clerk client a request's calls go through, sending with `http`.
pub fn resolve<'a>(
    config: &'a Config,
    http: &'a dyn HttpSend,
    headers: &HeaderMap,
) -> Credentials<'a> {
    request_key(config, headers).map(|key| ClerkClient::new(http, &config.clerk_api_url, key))
}

/// Whether the production guard takes the write tools away from a request:
/// its key is known and is a production (`sk_live_`) key, and the operator
/// has not set `MCP_LIVE_WRITES=true`. A request whose key is not known yet
/// (public mode, no key sent) keeps them until it calls one with a key.
pub fn live_guard(config: &Config, clerk: &Credentials<'_>) -> bool {
    !config.live_writes
        && clerk
            .as_ref()
            .is_ok_and(|clerk| clerk.secret_key().is_live())
}

/// The Clerk key a request acts with: the server's in hosted mode; in public
/// mode the request's `X-Clerk-Secret-Key`, else its `Authorization: Bearer`
/// unless that header carries an access token.
fn request_key<'a>(
    config: &'a Config,
    headers: &HeaderMap,
) -> Result<Cow<'a, SecretKey>, KeyError> {
    if let Mode::Hosted(key) = &config.mode {
        return Ok(Cow::Borrowed(key));
    }
    let key = if let Some(value) = headers.get(SECRET_KEY_HEADER) {
        let text = value.to_str().unwrap_or_default().trim();
        SecretKey::parse(text, KeySource::SecretKeyHeader)
    } else if matches!(config.access, Access::Protected { .. }) {
        Err(KeyError::Missing)
    } else {
        match access::bearer_token(headers) {
            Some(token) => SecretKey::parse(
                std::str::from_utf8(token).unwrap_or_default(),
                KeySource::BearerHeader,
            ),
            None => Err(KeyError::Missing),
        }
    };
    key.map(Cow::Owned)
}
