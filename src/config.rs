//! The server's configuration, read once per request from the Worker's
//! environment through a lookup function, so that it is plain data here.
//!
//! | name               | kind   | meaning                                             |
//! |--------------------|--------|-----------------------------------------------------|
//! | `CLERK_SECRET_KEY` | secret | set and non-empty: hosted mode, every call uses it   |
//! | `CLERK_API_URL`    | var    | Clerk's origin, default `https://api.clerk.com`      |
//! | `ALLOWED_ORIGINS`  | var    | browser origins allowed besides loopback ones        |

use std::fmt;

use crate::clerk::{KeySource, SecretKey, DEFAULT_API_URL};

/// How the server finds the Clerk key for a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The deployment holds one key and uses it for every request.
    Hosted(SecretKey),
    /// No key is stored; each request brings its own.
    Public,
}

impl Mode {
    /// `"hosted"` or `"public"`, as `/health` reports it.
    pub fn name(&self) -> &'static str {
        match self {
            Mode::Hosted(_) => "hosted",
            Mode::Public => "public",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub mode: Mode,
    /// Clerk's origin without a trailing slash; requests go to `{this}/v1/...`.
    pub clerk_api_url: String,
    /// Allowed browser origins, lower-cased and without a trailing slash.
    pub allowed_origins: Vec<String>,
}

/// A setting that cannot be used. Messages name the setting, never a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    MalformedSecretKey,
    InvalidApiUrl,
    InvalidAllowedOrigin(String),
}

impl Config {
    /// Reads the configuration; `lookup` returns a variable's or secret's value.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let mode = match lookup("CLERK_SECRET_KEY").filter(|key| !key.trim().is_empty()) {
            Some(key) => Mode::Hosted(
                SecretKey::parse(key.trim(), KeySource::ServerSecret)
                    .map_err(|_| ConfigError::MalformedSecretKey)?,
            ),
            None => Mode::Public,
        };
        let clerk_api_url = match lookup("CLERK_API_URL").filter(|url| !url.trim().is_empty()) {
            Some(url) => parse_api_url(&url)?,
            None => DEFAULT_API_URL.to_owned(),
        };
        let allowed_origins = lookup("ALLOWED_ORIGINS")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|origin| !origin.is_empty())
            .map(parse_origin)
            .collect::<Result<_, _>>()?;
        Ok(Config {
            mode,
            clerk_api_url,
            allowed_origins,
        })
    }
}

/// Accepts `http(s)://host[:port]` with at most a trailing slash.
fn parse_api_url(url: &str) -> Result<String, ConfigError> {
    let trimmed = url.trim().trim_end_matches('/');
    let uri: http::Uri = trimmed.parse().map_err(|_| ConfigError::InvalidApiUrl)?;
    let scheme_ok = matches!(uri.scheme_str(), Some("http" | "https"));
    let bare_origin = uri.path() == "/" && uri.query().is_none();
    if scheme_ok && uri.authority().is_some() && bare_origin {
        Ok(trimmed.to_owned())
    } else {
        Err(ConfigError::InvalidApiUrl)
    }
}

fn parse_origin(origin: &str) -> Result<String, ConfigError> {
    let normalized = origin.trim_end_matches('/').to_ascii_lowercase();
    let valid = (normalized.starts_with("https://") || normalized.starts_with("http://"))
        && normalized
            .parse::<http::Uri>()
            .is_ok_and(|uri| uri.host().is_some() && uri.path() == "/");
    if valid {
        Ok(normalized)
    } else {
        Err(ConfigError::InvalidAllowedOrigin(origin.to_owned()))
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MalformedSecretKey => f.write_str(
                "CLERK_SECRET_KEY is set but malformed: it must start with sk_test_ or sk_live_ \
                 followed by letters, digits, '_' or '-'",
            ),
            ConfigError::InvalidApiUrl => f.write_str(
                "CLERK_API_URL must be an http or https origin such as https://api.clerk.com",
            ),
            ConfigError::InvalidAllowedOrigin(origin) => write!(
                f,
                "ALLOWED_ORIGINS holds {origin:?}, which is not an origin such as https://app.example.com"
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::from_lookup(|name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        })
    }

    #[test]
    fn no_key_means_public_mode_with_defaults() {
        let config = config(&[]).expect("valid");
        assert_eq!(config.mode, Mode::Public);
        assert_eq!(config.clerk_api_url, "https://api.clerk.com");
        assert!(config.allowed_origins.is_empty());
    }

    #[test]
    fn empty_key_means_public_mode() {
        assert_eq!(
            config(&[("CLERK_SECRET_KEY", "")]).expect("valid").mode,
            Mode::Public
        );
    }

    #[test]
    fn a_key_means_hosted_mode() {
        let config = config(&[("CLERK_SECRET_KEY", "sk_live_0123456789abcdef")]).expect("valid");
        assert_eq!(config.mode.name(), "hosted");
    }

    #[test]
    fn malformed_key_is_a_config_error_that_does_not_echo_it() {
        let error = config(&[("CLERK_SECRET_KEY", "pk_live_secretvalue123")]).unwrap_err();
        assert_eq!(error, ConfigError::MalformedSecretKey);
        assert!(!error.to_string().contains("secretvalue"));
    }

    #[test]
    fn api_url_loses_its_trailing_slash_and_must_be_an_origin() {
        let config = config(&[("CLERK_API_URL", "http://127.0.0.1:8790/")]).expect("valid");
        assert_eq!(config.clerk_api_url, "http://127.0.0.1:8790");
        for bad in [
            "ftp://x",
            "api.clerk.com",
            "https://api.clerk.com/v1",
            "https://a/?q",
        ] {
            assert_eq!(
                Config::from_lookup(|n| (n == "CLERK_API_URL").then(|| bad.to_owned())),
                Err(ConfigError::InvalidApiUrl),
                "{bad}"
            );
        }
    }

    #[test]
    fn allowed_origins_are_split_trimmed_and_normalized() {
        let config = config(&[(
            "ALLOWED_ORIGINS",
            " https://App.example.com/ , http://x.dev:8080",
        )])
        .expect("valid");
        assert_eq!(
            config.allowed_origins,
            vec!["https://app.example.com", "http://x.dev:8080"]
        );
        assert!(config_err("ALLOWED_ORIGINS", "*"));
        assert!(config_err("ALLOWED_ORIGINS", "https://a.com/path"));
    }

    fn config_err(name: &str, value: &str) -> bool {
        Config::from_lookup(|n| (n == name).then(|| value.to_owned())).is_err()
    }
}
