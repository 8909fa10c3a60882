//! The Clerk secret key: checked for form when it enters the server, and never
//! shown whole again.
//!
//! A key is `sk_test_` or `sk_live_` followed by letters, digits, `_` or `-`.
//! Its `Debug` and `Display` show only that prefix, so a key cannot leak into
//! an error message or a log line by accident; the full value is read only by
//! [`SecretKey::expose`], when the `Authorization` header of a Clerk request
//! is written.

use std::fmt;

const PREFIXES: [&str; 2] = ["sk_test_", "sk_live_"];
const MIN_BODY_LEN: usize = 8;
const MAX_LEN: usize = 256;

/// A Clerk secret key of a valid form.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey(String);

/// Where a key came from, so that an error can say which setting to fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeySource {
    /// The `CLERK_SECRET_KEY` secret of a hosted deployment.
    ServerSecret,
    /// The request's `X-Clerk-Secret-Key` header.
    SecretKeyHeader,
    /// The request's `Authorization: Bearer` header.
    BearerHeader,
}

/// Why a request has no usable key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyError {
    /// Public mode, and the request carried no key.
    Missing,
    /// A key was given but is not of a valid form. The value is not kept.
    Malformed(KeySource),
}

impl SecretKey {
    /// Checks the form of `value` and wraps it.
    ///
    /// The error never holds the value: callers may show it to anyone.
    pub fn parse(value: &str, source: KeySource) -> Result<Self, KeyError> {
        let body = PREFIXES
            .iter()
            .find_map(|prefix| value.strip_prefix(prefix))
            .ok_or(KeyError::Malformed(source))?;
        let body_is_sane = body.len() >= MIN_BODY_LEN
            && value.len() <= MAX_LEN
            && body
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if body_is_sane {
            Ok(SecretKey(value.to_owned()))
        } else {
            Err(KeyError::Malformed(source))
        }
    }

    /// `sk_test_` or `sk_live_`: all of the key that may be shown.
    pub fn prefix(&self) -> &str {
        &self.0[..PREFIXES[0].len()]
    }

    /// Whether this is a production instance's key (`sk_live_`).
    pub fn is_live(&self) -> bool {
        self.0.starts_with("sk_live_")
    }

    /// The whole key, for the `Authorization` header of a Clerk request only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey({}…)", self.prefix())
    }
}

impl fmt::Display for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}…", self.prefix())
    }
}

impl fmt::Display for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeySource::ServerSecret => "the CLERK_SECRET_KEY secret",
            KeySource::SecretKeyHeader => "the X-Clerk-Secret-Key header",
            KeySource::BearerHeader => "the Authorization header",
        })
    }
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::Missing => f.write_str(
                "No Clerk secret key was sent. This server runs in public mode: send your key \
                 in the X-Clerk-Secret-Key header with every request (or as Authorization: \
                 Bearer sk_... when the server asks for no access token). Find it in the Clerk \
                 Dashboard under Configure > API Keys.",
            ),
            KeyError::Malformed(source) => write!(
                f,
                "The Clerk secret key in {source} is malformed: it must start with sk_test_ or \
                 sk_live_ followed by letters, digits, '_' or '-'. Copy it again from the Clerk \
                 Dashboard under Configure > API Keys."
            ),
        }
    }
}

impl std::error::Error for KeyError {}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = "sk_test_abcDEF0123456789";

    #[test]
    fn accepts_test_and_live_keys() {
        assert!(SecretKey::parse(VALID, KeySource::ServerSecret).is_ok());
        assert!(SecretKey::parse("sk_live_0123456789abcdef", KeySource::ServerSecret).is_ok());
    }

    #[test]
    fn rejects_other_prefixes_short_bodies_and_odd_characters() {
        for bad in [
            "",
            "pk_test_abcdef0123456789",
            "sk_test_",
            "sk_test_short",
            "sk_test_abc def0123456789",
            "sk_test_abcdef0123456789\r\nX-Evil: 1",
            "sk_test_abcdéf0123456789",
        ] {
            assert_eq!(
                SecretKey::parse(bad, KeySource::SecretKeyHeader),
                Err(KeyError::Malformed(KeySource::SecretKeyHeader)),
                "{bad:?} was accepted"
            );
        }
    }

    #[test]
    fn debug_and_display_show_only_the_prefix() {
        let key = SecretKey::parse(VALID, KeySource::ServerSecret).expect("valid key");
        assert_eq!(format!("{key:?}"), "SecretKey(sk_test_…)");
        assert_eq!(key.to_string(), "sk_test_…");
    }

    #[test]
    fn malformed_key_error_names_the_source_not_the_value() {
        let message = KeyError::Malformed(KeySource::BearerHeader).to_string();
        assert!(message.contains("Authorization header"));
        assert!(!message.contains("sk_test_abc"));
    }
}
