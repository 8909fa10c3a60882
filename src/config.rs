//! The server's configuration, read once per request from the Worker's
//! environment through a lookup function, so that it is plain data here.
//!
//! | name                        | kind   | meaning                                               |
//! |-----------------------------|--------|-------------------------------------------------------|
//! | `CLERK_SECRET_KEY`          | secret | set and non-empty: hosted mode, every call uses it     |
//! | `MCP_AUTH_TOKENS`           | secret | comma-separated tokens clients must send to use `/mcp` |
//! | `MCP_ALLOW_UNAUTHENTICATED` | var    | `true` opens a hosted server without tokens            |
//! | `CLERK_API_URL`             | var    | Clerk's origin, default `https://api.clerk.com`        |
//! | `CLERK_TIMEOUT_MS`          | var    | how long one Clerk call may take, default 15000        |
//! | `ALLOWED_ORIGINS`           | var    | browser origins allowed besides loopback ones          |
//! | `MCP_READ_ONLY`             | var    | `true` offers only the tools that read                 |
//! | `MCP_TOOLSETS`              | var    | comma-separated toolsets to offer (default: all)       |
//! | `MCP_REDACT_PRIVATE_METADATA` | var  | `true` takes `privateMetadata` out of every output     |

use std::fmt;
use std::time::Duration;

use crate::clerk::{KeySource, SecretKey, DEFAULT_API_URL};
use crate::tools::{Selection, Toolsets};

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

/// Who may call `/mcp`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    /// Only clients that send `Authorization: Bearer` with one of these.
    Tokens(Vec<AccessToken>),
    /// Anyone who can reach the server: public mode without tokens, or a
    /// hosted server whose owner set `MCP_ALLOW_UNAUTHENTICATED=true`.
    Open,
    /// A hosted server without tokens, whose owner did not say it may be
    /// open: it refuses `/mcp` rather than lend its key to anyone.
    NotConfigured,
}

impl Access {
    /// How `/health` names it.
    pub fn name(&self) -> &'static str {
        match self {
            Access::Tokens(_) => "bearer-token",
            Access::Open => "none",
            Access::NotConfigured => "not-configured",
        }
    }
}

/// One of the tokens in `MCP_AUTH_TOKENS`. Like the secret key, it never
/// prints.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    /// The token, for the constant-time comparison only.
    pub fn expose(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(…)")
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub mode: Mode,
    pub access: Access,
    /// Clerk's origin without a trailing slash; requests go to `{this}/v1/...`.
    pub clerk_api_url: String,
    /// How long one Clerk call may take before it fails.
    pub clerk_timeout: Duration,
    /// Allowed browser origins, lower-cased and without a trailing slash.
    pub allowed_origins: Vec<String>,
    /// The widest set of tools any request may see.
    pub selection: Selection,
    /// Whether `privateMetadata` is taken out of every tool output.
    pub redact_private_metadata: bool,
}

/// The shortest token `MCP_AUTH_TOKENS` accepts: anything shorter could be
/// guessed.
pub const MIN_TOKEN_LEN: usize = 16;

const DEFAULT_CLERK_TIMEOUT: Duration = Duration::from_secs(15);

/// A setting that cannot be used. Messages name the setting, never a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    MalformedSecretKey,
    MalformedAuthToken,
    InvalidApiUrl,
    InvalidTimeout,
    InvalidAllowedOrigin(String),
    /// A boolean setting with another value than `true` or `false`.
    InvalidFlag(&'static str),
    /// `MCP_TOOLSETS` names a toolset that does not exist.
    UnknownToolset(String),
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
        let tokens = lookup("MCP_AUTH_TOKENS")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .map(parse_token)
            .collect::<Result<Vec<_>, _>>()?;
        let allow_unauthenticated = flag(&lookup, "MCP_ALLOW_UNAUTHENTICATED")?;
        let access = match (&mode, tokens.is_empty()) {
            (_, false) => Access::Tokens(tokens),
            (Mode::Hosted(_), true) if !allow_unauthenticated => Access::NotConfigured,
            _ => Access::Open,
        };
        let clerk_timeout = match lookup("CLERK_TIMEOUT_MS").filter(|ms| !ms.trim().is_empty()) {
            Some(ms) => ms
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|ms| (100..=60_000).contains(ms))
                .map(Duration::from_millis)
                .ok_or(ConfigError::InvalidTimeout)?,
            None => DEFAULT_CLERK_TIMEOUT,
        };
        let allowed_origins = lookup("ALLOWED_ORIGINS")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|origin| !origin.is_empty())
            .map(parse_origin)
            .collect::<Result<_, _>>()?;
        let toolsets = match lookup("MCP_TOOLSETS").filter(|list| !list.trim().is_empty()) {
            Some(list) => Toolsets::parse(&list).map_err(ConfigError::UnknownToolset)?,
            None => Toolsets::ALL,
        };
        let selection = Selection {
            read_only: flag(&lookup, "MCP_READ_ONLY")?,
            toolsets,
        };
        Ok(Config {
            mode,
            access,
            clerk_api_url,
            clerk_timeout,
            allowed_origins,
            selection,
            redact_private_metadata: flag(&lookup, "MCP_REDACT_PRIVATE_METADATA")?,
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

/// Reads a boolean setting: `true` or `false` in any case; absent or empty
/// is false.
fn flag(lookup: &impl Fn(&str) -> Option<String>, name: &'static str) -> Result<bool, ConfigError> {
    match lookup(name)
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
        .as_str()
    {
        "true" => Ok(true),
        "" | "false" => Ok(false),
        _ => Err(ConfigError::InvalidFlag(name)),
    }
}

/// Accepts a token of at least [`MIN_TOKEN_LEN`] visible ASCII characters
/// (no spaces; commas separate tokens).
fn parse_token(token: &str) -> Result<AccessToken, ConfigError> {
    let visible = token.bytes().all(|b| b.is_ascii_graphic());
    if visible && (MIN_TOKEN_LEN..=512).contains(&token.len()) {
        Ok(AccessToken(token.to_owned()))
    } else {
        Err(ConfigError::MalformedAuthToken)
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
            ConfigError::MalformedAuthToken => write!(
                f,
                "MCP_AUTH_TOKENS holds a token that is not {MIN_TOKEN_LEN} to 512 visible ASCII \
                 characters; separate tokens with commas"
            ),
            ConfigError::InvalidFlag(name) => write!(f, "{name} must be true or false"),
            ConfigError::UnknownToolset(name) => write!(
                f,
                "MCP_TOOLSETS names {name:?}, which is not a toolset; the toolsets are {}",
                Toolsets::ALL.names().join(", ")
            ),
            ConfigError::InvalidTimeout => f.write_str(
                "CLERK_TIMEOUT_MS must be a number of milliseconds from 100 to 60000",
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
    fn tokens_protect_either_mode() {
        let hosted = config(&[
            ("CLERK_SECRET_KEY", "sk_live_0123456789abcdef"),
            (
                "MCP_AUTH_TOKENS",
                " first-token-0123456789 , second-token-0123456789,",
            ),
        ])
        .expect("valid");
        assert!(matches!(&hosted.access, Access::Tokens(tokens) if tokens.len() == 2));
        let public = config(&[("MCP_AUTH_TOKENS", "first-token-0123456789")]).expect("valid");
        assert_eq!(public.access.name(), "bearer-token");
    }

    #[test]
    fn hosted_mode_without_tokens_is_closed_unless_opened() {
        let key = ("CLERK_SECRET_KEY", "sk_live_0123456789abcdef");
        assert_eq!(config(&[key]).expect("valid").access, Access::NotConfigured);
        let open = config(&[key, ("MCP_ALLOW_UNAUTHENTICATED", "TRUE")]).expect("valid");
        assert_eq!(open.access, Access::Open);
        assert_eq!(config(&[]).expect("valid").access, Access::Open);
        assert_eq!(
            config(&[key, ("MCP_ALLOW_UNAUTHENTICATED", "yes")]),
            Err(ConfigError::InvalidFlag("MCP_ALLOW_UNAUTHENTICATED"))
        );
    }

    #[test]
    fn short_or_spaced_tokens_are_refused_without_being_echoed() {
        for bad in ["short", "has a space in it 0123", "tab\there-0123456789"] {
            let error = config(&[("MCP_AUTH_TOKENS", bad)]).unwrap_err();
            assert_eq!(error, ConfigError::MalformedAuthToken);
            assert!(!error.to_string().contains(bad));
        }
    }

    #[test]
    fn token_debug_hides_the_token() {
        let config = config(&[("MCP_AUTH_TOKENS", "first-token-0123456789")]).expect("valid");
        assert!(!format!("{config:?}").contains("first-token"));
    }

    #[test]
    fn clerk_timeout_defaults_to_15_seconds_and_is_bounded() {
        assert_eq!(
            config(&[]).expect("valid").clerk_timeout,
            Duration::from_secs(15)
        );
        let short = config(&[("CLERK_TIMEOUT_MS", "1500")]).expect("valid");
        assert_eq!(short.clerk_timeout, Duration::from_millis(1500));
        for bad in ["0", "99", "60001", "soon"] {
            assert_eq!(
                config(&[("CLERK_TIMEOUT_MS", bad)]),
                Err(ConfigError::InvalidTimeout)
            );
        }
    }

    #[test]
    fn every_tool_is_offered_unless_settings_narrow_them() {
        assert_eq!(config(&[]).expect("valid").selection, Selection::EVERYTHING);
        let narrow =
            config(&[("MCP_READ_ONLY", "true"), ("MCP_TOOLSETS", "users, roles")]).expect("valid");
        assert!(narrow.selection.read_only);
        assert_eq!(narrow.selection.toolsets.names(), ["users", "roles"]);
    }

    #[test]
    fn unknown_toolsets_and_odd_flags_are_named() {
        let error = config(&[("MCP_TOOLSETS", "users,billing")]).unwrap_err();
        assert!(error.to_string().contains("\"billing\""), "{error}");
        assert_eq!(
            config(&[("MCP_REDACT_PRIVATE_METADATA", "1")]),
            Err(ConfigError::InvalidFlag("MCP_REDACT_PRIVATE_METADATA"))
        );
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
