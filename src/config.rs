//! The server's configuration, read once per request from the Worker's
//! environment through a lookup function, so that it is plain data here.
//!
//! | name                        | kind   | meaning                                               |
//! |-----------------------------|--------|-------------------------------------------------------|
//! | `CLERK_SECRET_KEY`          | secret | set and non-empty: hosted mode, every call uses it     |
//! | `MCP_AUTH_TOKENS`           | secret | comma-separated tokens clients must send to use `/mcp` |
//! | `MCP_READONLY_TOKENS`       | secret | more such tokens, whose holders get only the read tools |
//! | `MCP_ALLOW_UNAUTHENTICATED` | var    | `true` opens a hosted server without tokens            |
//! | `CLERK_API_URL`             | var    | Clerk's origin, default `https://api.clerk.com`        |
//! | `CLERK_TIMEOUT_MS`          | var    | how long one Clerk call may take, default 15000        |
//! | `ALLOWED_ORIGINS`           | var    | browser origins allowed besides loopback ones          |
//! | `MCP_READ_ONLY`             | var    | `true` offers only the tools that read                 |
//! | `MCP_TOOLSETS`              | var    | comma-separated toolsets to offer (default: all)       |
//! | `MCP_DEFAULT_TOOLSETS`      | var    | the toolsets of a connection that names none (default: all but `instance`, `billing`) |
//! | `MCP_REDACT_PRIVATE_METADATA` | var  | `true` takes `privateMetadata` out of every output     |
//! | `MCP_LIST_TTL_SECONDS`      | var    | how long 2026-07-28 clients may keep list answers, default 300 |
//! | `MCP_LIVE_WRITES`           | var    | `true` offers write tools with a production (`sk_live_`) key |
//! | `MCP_CONFIRM`               | var    | which writes wait for the user's yes: `destructive` (default), `writes` or `off` |
//! | `MCP_MAX_RESULT_BYTES`      | var    | the most bytes of text a tool result holds, default 49152 (48 KiB) |
//! | `CLERK_PUBLISHABLE_KEY`     | var    | hosted mode: turns OAuth sign-in on, names the instance |
//! | `CLERK_FRONTEND_API`        | var    | hosted mode: the same, as a host or origin (wins)      |
//! | `MCP_ALLOWED_USERS`         | var    | OAuth: user IDs and email addresses that may sign in   |
//! | `MCP_READONLY_USERS`        | var    | OAuth: more such users, who get only the read tools    |
//! | `MCP_ADMIN_ORGANIZATION`    | var    | OAuth: an organization whose `org:admin`s may sign in  |
//!
//! OAuth sign-in ([`OAuthSettings`]) belongs to hosted mode only: checking a
//! token and looking its user up take the server's own secret key, which a
//! public deployment does not have. Setting it in public mode is an error,
//! not a silent no-op, so that an owner who meant to protect the server
//! learns at once that it is not.
//!
//! `MCP_READONLY_USERS` is written like `MCP_ALLOWED_USERS` and matched the
//! same way (a user ID, or a verified email address in any case). Its users
//! may sign in even when neither other list admits them, and get only the
//! read tools; a user on both lists, or an admin of `MCP_ADMIN_ORGANIZATION`
//! it names, is read-only too: the narrower grant wins. Users it does not
//! name are treated as without it: refused unless another list admits them.

use std::fmt;
use std::time::Duration;

use crate::base64;
use crate::clerk::ids::{EmailAddress, OrganizationId, UserId};
use crate::clerk::{KeySource, SecretKey, DEFAULT_API_URL};
use crate::oauth::{OAuthSettings, UserList};
use crate::tools::{Confirm, Selection, Toolsets};

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
    /// Only clients that send `Authorization: Bearer` with one of `tokens`,
    /// or, when `oauth` is set, with an OAuth access token its Clerk
    /// instance issued to an allowed user. At least one of the two is set.
    Protected {
        tokens: Vec<AccessToken>,
        oauth: Option<OAuthSettings>,
    },
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
            Access::Protected { oauth: None, .. } => "bearer-token",
            Access::Protected {
                tokens,
                oauth: Some(_),
            } if tokens.is_empty() => "oauth",
            Access::Protected { oauth: Some(_), .. } => "bearer-token+oauth",
            Access::Open => "none",
            Access::NotConfigured => "not-configured",
        }
    }

    /// The static tokens of `MCP_AUTH_TOKENS` (none unless protected).
    pub fn tokens(&self) -> &[AccessToken] {
        match self {
            Access::Protected { tokens, .. } => tokens,
            _ => &[],
        }
    }

    /// The OAuth settings, when sign-in with Clerk is on.
    pub fn oauth(&self) -> Option<&OAuthSettings> {
        match self {
            Access::Protected { oauth, .. } => oauth.as_ref(),
            _ => None,
        }
    }
}

/// One of the tokens in `MCP_AUTH_TOKENS` or `MCP_READONLY_TOKENS`. Like
/// the secret key, it never prints.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    value: String,
    read_only: bool,
}

impl AccessToken {
    /// The token, for the constant-time comparison only.
    pub fn expose(&self) -> &[u8] {
        self.value.as_bytes()
    }

    /// Whether its holder gets only the read tools (`MCP_READONLY_TOKENS`).
    pub fn read_only(&self) -> bool {
        self.read_only
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
    /// The toolsets of a request that names none, within `selection`'s.
    pub default_toolsets: Toolsets,
    /// Whether `privateMetadata` is taken out of every tool output.
    pub redact_private_metadata: bool,
    /// How long a 2026-07-28 client may reuse a `tools/list` or
    /// `prompts/list` answer.
    pub list_ttl: Duration,
    /// Whether write tools are offered when the request's key is a
    /// production (`sk_live_`) key.
    pub live_writes: bool,
    /// Which writes wait for a person's yes; a connection may ask for more.
    pub confirm: Confirm,
    /// The most bytes of text one tool result may hold: a longer list is
    /// cut, a longer object has its largest metadata values elided.
    pub max_result_bytes: usize,
}

/// The shortest token `MCP_AUTH_TOKENS` accepts: anything shorter could be
/// guessed.
pub const MIN_TOKEN_LEN: usize = 16;

const DEFAULT_CLERK_TIMEOUT: Duration = Duration::from_secs(15);

/// Five minutes: a client picks up a redeploy's new tools soon, and does
/// not ask again on every turn.
const DEFAULT_LIST_TTL: Duration = Duration::from_secs(300);

/// The longest `MCP_LIST_TTL_SECONDS`: a day.
const MAX_LIST_TTL_SECONDS: u64 = 86_400;

/// The default `MCP_MAX_RESULT_BYTES`: 48 KiB, about 12,000 tokens.
pub const DEFAULT_MAX_RESULT_BYTES: usize = 48 * 1024;

/// The bounds of `MCP_MAX_RESULT_BYTES`: below 4 KiB a single user hardly
/// fits; above 1 MiB a result no longer suits a model's context.
pub const MAX_RESULT_BYTES_RANGE: std::ops::RangeInclusive<u64> = 4096..=1_048_576;

/// A setting that cannot be used. Messages name the setting, never a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    MalformedSecretKey,
    /// A token of the setting named is not 16 to 512 visible characters.
    MalformedAuthToken(&'static str),
    InvalidApiUrl,
    InvalidTimeout,
    /// `MCP_LIST_TTL_SECONDS` is not a whole number of seconds up to a day.
    InvalidListTtl,
    InvalidAllowedOrigin(String),
    /// A boolean setting with another value than `true` or `false`.
    InvalidFlag(&'static str),
    /// `MCP_TOOLSETS` or `MCP_DEFAULT_TOOLSETS` (the first) names a toolset
    /// that does not exist (the second).
    UnknownToolset(&'static str, String),
    /// `MCP_CONFIRM` is not `off`, `destructive` or `writes`.
    InvalidConfirm,
    /// `MCP_MAX_RESULT_BYTES` is not a whole number in its bounds.
    InvalidMaxResultBytes,
    /// `CLERK_PUBLISHABLE_KEY` is not `pk_test_`/`pk_live_` and the base64
    /// of a Frontend API host.
    MalformedPublishableKey,
    /// `CLERK_FRONTEND_API` is not a host or an https origin.
    InvalidFrontendApi,
    /// An OAuth setting (named) in public mode, where OAuth cannot work.
    OAuthNeedsHostedMode(&'static str),
    /// An entry of a user list (`MCP_ALLOWED_USERS` or `MCP_READONLY_USERS`)
    /// that is neither a user ID nor an email address.
    InvalidAllowedUser {
        setting: &'static str,
        entry: String,
    },
    /// `MCP_ADMIN_ORGANIZATION` is not an organization ID.
    InvalidAdminOrganization,
    /// An allow-list setting (named) without the instance that signs users in.
    OAuthInstanceMissing(&'static str),
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
        let mut tokens = Vec::new();
        for (setting, read_only) in [("MCP_AUTH_TOKENS", false), ("MCP_READONLY_TOKENS", true)] {
            for token in lookup(setting)
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|token| !token.is_empty())
            {
                tokens.push(parse_token(token, setting, read_only)?);
            }
        }
        let allow_unauthenticated = flag(&lookup, "MCP_ALLOW_UNAUTHENTICATED")?;
        let oauth = oauth_settings(&lookup, &mode)?;
        let access = match (&mode, tokens.is_empty(), oauth) {
            (_, false, oauth) | (_, true, oauth @ Some(_)) => Access::Protected { tokens, oauth },
            (Mode::Hosted(_), true, None) if !allow_unauthenticated => Access::NotConfigured,
            _ => Access::Open,
        };
        let clerk_timeout = number(&lookup, "CLERK_TIMEOUT_MS", 100..=60_000)
            .ok_or(ConfigError::InvalidTimeout)?
            .map_or(DEFAULT_CLERK_TIMEOUT, Duration::from_millis);
        let list_ttl = number(&lookup, "MCP_LIST_TTL_SECONDS", 0..=MAX_LIST_TTL_SECONDS)
            .ok_or(ConfigError::InvalidListTtl)?
            .map_or(DEFAULT_LIST_TTL, Duration::from_secs);
        let max_result_bytes = number(&lookup, "MCP_MAX_RESULT_BYTES", MAX_RESULT_BYTES_RANGE)
            .ok_or(ConfigError::InvalidMaxResultBytes)?
            .map_or(DEFAULT_MAX_RESULT_BYTES, |bytes| bytes as usize);
        let allowed_origins = lookup("ALLOWED_ORIGINS")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|origin| !origin.is_empty())
            .map(parse_origin)
            .collect::<Result<_, _>>()?;
        let offered = toolsets(&lookup, "MCP_TOOLSETS", Toolsets::ALL)?;
        let default_toolsets = offered.and(toolsets(
            &lookup,
            "MCP_DEFAULT_TOOLSETS",
            Toolsets::DEFAULT,
        )?);
        let selection = Selection {
            read_only: flag(&lookup, "MCP_READ_ONLY")?,
            toolsets: offered,
        };
        Ok(Config {
            mode,
            access,
            clerk_api_url,
            clerk_timeout,
            allowed_origins,
            selection,
            default_toolsets,
            redact_private_metadata: flag(&lookup, "MCP_REDACT_PRIVATE_METADATA")?,
            list_ttl,
            live_writes: flag(&lookup, "MCP_LIVE_WRITES")?,
            confirm: match lookup("MCP_CONFIRM").filter(|value| !value.trim().is_empty()) {
                Some(value) => Confirm::parse(&value).ok_or(ConfigError::InvalidConfirm)?,
                None => Confirm::Destructive,
            },
            max_result_bytes,
        })
    }
}

/// A whole-number setting: `Some(None)` when unset or empty, `Some(value)`
/// when it is a number in `range`, `None` when it is anything else.
fn number(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &str,
    range: std::ops::RangeInclusive<u64>,
) -> Option<Option<u64>> {
    match lookup(name).filter(|value| !value.trim().is_empty()) {
        None => Some(None),
        Some(value) => value
            .trim()
            .parse()
            .ok()
            .filter(|value| range.contains(value))
            .map(Some),
    }
}

/// The settings that name the instance issuing OAuth tokens, in the order
/// they are read: the first one set wins.
const OAUTH_INSTANCE_SETTINGS: [&str; 2] = ["CLERK_FRONTEND_API", "CLERK_PUBLISHABLE_KEY"];

/// The settings that say who may sign in, which mean nothing without the
/// instance users sign in with.
const OAUTH_ALLOW_LIST_SETTINGS: [&str; 3] = [
    "MCP_ALLOWED_USERS",
    "MCP_READONLY_USERS",
    "MCP_ADMIN_ORGANIZATION",
];

/// Reads the OAuth settings: `None` unless `CLERK_FRONTEND_API` or
/// `CLERK_PUBLISHABLE_KEY` is set. Every OAuth setting is an error in public
/// mode, where the server has no key to check tokens or look users up with.
fn oauth_settings(
    lookup: &impl Fn(&str) -> Option<String>,
    mode: &Mode,
) -> Result<Option<OAuthSettings>, ConfigError> {
    let value = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
    let names = OAUTH_INSTANCE_SETTINGS
        .iter()
        .chain(&OAUTH_ALLOW_LIST_SETTINGS);
    if matches!(mode, Mode::Public) {
        return match names.into_iter().find(|name| value(name).is_some()) {
            Some(name) => Err(ConfigError::OAuthNeedsHostedMode(name)),
            None => Ok(None),
        };
    }
    let issuer = match (value("CLERK_FRONTEND_API"), value("CLERK_PUBLISHABLE_KEY")) {
        (Some(frontend_api), _) => parse_frontend_api(&frontend_api)?,
        (None, Some(key)) => frontend_api_of_publishable_key(&key)?,
        (None, None) => {
            return match OAUTH_ALLOW_LIST_SETTINGS
                .into_iter()
                .find(|name| value(name).is_some())
            {
                Some(name) => Err(ConfigError::OAuthInstanceMissing(name)),
                None => Ok(None),
            }
        }
    };
    let admin_organization = value("MCP_ADMIN_ORGANIZATION")
        .map(|organization| {
            OrganizationId::parse(organization.trim())
                .map_err(|_| ConfigError::InvalidAdminOrganization)
        })
        .transpose()?;
    Ok(Some(OAuthSettings {
        issuer,
        allowed_users: user_list(value("MCP_ALLOWED_USERS"), "MCP_ALLOWED_USERS")?,
        read_only_users: user_list(value("MCP_READONLY_USERS"), "MCP_READONLY_USERS")?,
        admin_organization,
    }))
}

/// Reads a comma-separated list of user IDs and email addresses (lower-cased).
fn user_list(value: Option<String>, setting: &'static str) -> Result<UserList, ConfigError> {
    let mut list = UserList::default();
    for entry in value
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
    {
        if let Ok(user_id) = UserId::parse(entry) {
            list.user_ids.push(user_id);
        } else if let Ok(email) = EmailAddress::parse(&entry.to_ascii_lowercase()) {
            list.emails.push(email);
        } else {
            return Err(ConfigError::InvalidAllowedUser {
                setting,
                entry: shorten(entry),
            });
        }
    }
    Ok(list)
}

/// Reads a publishable key (`pk_test_` or `pk_live_` and the base64 of
/// `<frontend-api-host>$`) into the Frontend API origin it names.
fn frontend_api_of_publishable_key(key: &str) -> Result<String, ConfigError> {
    let key = key.trim();
    let encoded = key
        .strip_prefix("pk_test_")
        .or_else(|| key.strip_prefix("pk_live_"))
        .ok_or(ConfigError::MalformedPublishableKey)?;
    let decoded = base64::decode(encoded).ok_or(ConfigError::MalformedPublishableKey)?;
    let host = std::str::from_utf8(&decoded)
        .ok()
        .and_then(|text| text.strip_suffix('$'))
        .filter(|host| is_host_name(host))
        .ok_or(ConfigError::MalformedPublishableKey)?;
    Ok(format!("https://{}", host.to_ascii_lowercase()))
}

/// Reads `CLERK_FRONTEND_API`: a host name (`clerk.example.com`), or an
/// origin. Plain `http` is accepted for a loopback host only, where a local
/// stand-in of Clerk runs; the real Frontend API is always https.
fn parse_frontend_api(value: &str) -> Result<String, ConfigError> {
    let value = value.trim().trim_end_matches('/').to_ascii_lowercase();
    if is_host_name(&value) {
        return Ok(format!("https://{value}"));
    }
    let uri: http::Uri = value.parse().map_err(|_| ConfigError::InvalidFrontendApi)?;
    let host = uri.host().unwrap_or_default();
    let loopback = host == "localhost" || host == "127.0.0.1" || host == "[::1]";
    let scheme_ok = match uri.scheme_str() {
        Some("https") => is_host_name(host) || loopback,
        Some("http") => loopback,
        _ => false,
    };
    let bare_origin = uri.path() == "/" && uri.query().is_none() && !value.contains('@');
    if scheme_ok && bare_origin {
        Ok(value)
    } else {
        Err(ConfigError::InvalidFrontendApi)
    }
}

/// A DNS name of at least two labels, each of letters, digits and inner
/// hyphens.
fn is_host_name(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    host.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// At most 40 characters of a setting's entry, to name it in an error.
fn shorten(value: &str) -> String {
    value.chars().take(40).collect()
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
/// A comma-separated list of toolsets, or `unset` when the setting is
/// missing or blank.
fn toolsets(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    unset: Toolsets,
) -> Result<Toolsets, ConfigError> {
    match lookup(name).filter(|list| !list.trim().is_empty()) {
        Some(list) => {
            Toolsets::parse(&list).map_err(|unknown| ConfigError::UnknownToolset(name, unknown))
        }
        None => Ok(unset),
    }
}

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
fn parse_token(
    token: &str,
    setting: &'static str,
    read_only: bool,
) -> Result<AccessToken, ConfigError> {
    let visible = token.bytes().all(|b| b.is_ascii_graphic());
    if visible && (MIN_TOKEN_LEN..=512).contains(&token.len()) {
        Ok(AccessToken {
            value: token.to_owned(),
            read_only,
        })
    } else {
        Err(ConfigError::MalformedAuthToken(setting))
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
            ConfigError::MalformedAuthToken(setting) => write!(
                f,
                "{setting} holds a token that is not {MIN_TOKEN_LEN} to 512 visible ASCII \
                 characters; separate tokens with commas"
            ),
            ConfigError::InvalidFlag(name) => write!(f, "{name} must be true or false"),
            ConfigError::UnknownToolset(setting, name) => write!(
                f,
                "{setting} names {name:?}, which is not a toolset; the toolsets are {}",
                Toolsets::ALL.names().join(", ")
            ),
            ConfigError::InvalidConfirm => f.write_str(
                "MCP_CONFIRM must be destructive (the default), writes or off",
            ),
            ConfigError::InvalidMaxResultBytes => write!(
                f,
                "MCP_MAX_RESULT_BYTES must be a whole number of bytes from {} to {}",
                MAX_RESULT_BYTES_RANGE.start(),
                MAX_RESULT_BYTES_RANGE.end()
            ),
            ConfigError::InvalidTimeout => f.write_str(
                "CLERK_TIMEOUT_MS must be a number of milliseconds from 100 to 60000",
            ),
            ConfigError::InvalidListTtl => f.write_str(
                "MCP_LIST_TTL_SECONDS must be a whole number of seconds from 0 to 86400",
            ),
            ConfigError::InvalidApiUrl => f.write_str(
                "CLERK_API_URL must be an http or https origin such as https://api.clerk.com",
            ),
            ConfigError::InvalidAllowedOrigin(origin) => write!(
                f,
                "ALLOWED_ORIGINS holds {origin:?}, which is not an origin such as https://app.example.com"
            ),
            ConfigError::MalformedPublishableKey => f.write_str(
                "CLERK_PUBLISHABLE_KEY is set but malformed: it must be the instance's publishable \
                 key, pk_test_ or pk_live_ followed by the encoded Frontend API host",
            ),
            ConfigError::InvalidFrontendApi => f.write_str(
                "CLERK_FRONTEND_API must be the instance's Frontend API host, such as \
                 clerk.example.com, or its https origin",
            ),
            ConfigError::OAuthNeedsHostedMode(name) => write!(
                f,
                "{name} turns on OAuth sign-in, which needs hosted mode: set CLERK_SECRET_KEY, \
                 with which the server checks tokens and looks users up, or remove {name}"
            ),
            ConfigError::InvalidAllowedUser { setting, entry } => write!(
                f,
                "{setting} holds {entry:?}, which is neither a user ID (user_...) nor an email \
                 address; separate entries with commas"
            ),
            ConfigError::OAuthInstanceMissing(name) => write!(
                f,
                "{name} says who may sign in with OAuth, which is off: set CLERK_PUBLISHABLE_KEY \
                 or CLERK_FRONTEND_API to name the Clerk instance users sign in with"
            ),
            ConfigError::InvalidAdminOrganization => f.write_str(
                "MCP_ADMIN_ORGANIZATION must be an organization ID, org_ followed by letters and digits",
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
        assert_eq!(hosted.access.tokens().len(), 2);
        assert_eq!(hosted.access.oauth(), None);
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
            assert_eq!(error, ConfigError::MalformedAuthToken("MCP_AUTH_TOKENS"));
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
    fn result_budget_defaults_to_48_kib_and_is_bounded() {
        assert_eq!(config(&[]).expect("valid").max_result_bytes, 49_152);
        let small = config(&[("MCP_MAX_RESULT_BYTES", " 8192 ")]).expect("valid");
        assert_eq!(small.max_result_bytes, 8192);
        for bad in ["0", "4095", "1048577", "48k", "-1"] {
            let error = config(&[("MCP_MAX_RESULT_BYTES", bad)]).unwrap_err();
            assert_eq!(error, ConfigError::InvalidMaxResultBytes, "{bad}");
            assert!(error.to_string().contains("4096 to 1048576"), "{error}");
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
    fn an_unknown_default_toolset_is_named_with_its_setting() {
        let error = config(&[("MCP_DEFAULT_TOOLSETS", "users,payments")]).unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with("MCP_DEFAULT_TOOLSETS") && message.contains("\"payments\""),
            "{message}"
        );
        assert_eq!(
            config(&[]).expect("valid").default_toolsets,
            Toolsets::DEFAULT
        );
    }

    #[test]
    fn unknown_toolsets_and_odd_flags_are_named() {
        let error = config(&[("MCP_TOOLSETS", "users,payments")]).unwrap_err();
        assert!(error.to_string().contains("\"payments\""), "{error}");
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

    const HOSTED_KEY: (&str, &str) = ("CLERK_SECRET_KEY", "sk_live_0123456789abcdef");

    /// `pk_test_` and the base64 of `clerk.example.com$`.
    const PUBLISHABLE_KEY: &str = "pk_test_Y2xlcmsuZXhhbXBsZS5jb20k";

    #[test]
    fn a_publishable_key_turns_oauth_on_with_its_frontend_api() {
        let config =
            config(&[HOSTED_KEY, ("CLERK_PUBLISHABLE_KEY", PUBLISHABLE_KEY)]).expect("valid");
        let oauth = config.access.oauth().expect("OAuth on");
        assert_eq!(oauth.issuer, "https://clerk.example.com");
        assert!(!oauth.allows_anyone());
        assert_eq!(config.access.name(), "oauth");
        assert!(config.access.tokens().is_empty());
    }

    #[test]
    fn malformed_publishable_keys_are_refused_without_being_echoed() {
        for bad in [
            "sk_test_Y2xlcmsuZXhhbXBsZS5jb20k",
            "pk_test_not base64",
            "pk_test_Y2xlcmsuZXhhbXBsZS5jb20",
            "pk_live_aHR0cHM6Ly9ldmlsLmNvbS9wYXRoJA",
            "pk_test_",
        ] {
            let error = config(&[HOSTED_KEY, ("CLERK_PUBLISHABLE_KEY", bad)]).unwrap_err();
            assert_eq!(error, ConfigError::MalformedPublishableKey, "{bad}");
            assert!(bad.len() <= 8 || !error.to_string().contains(bad));
        }
    }

    #[test]
    fn the_frontend_api_may_be_a_host_or_an_origin_and_wins_over_the_key() {
        for (value, issuer) in [
            ("clerk.example.com", "https://clerk.example.com"),
            ("https://Clerk.Example.com/", "https://clerk.example.com"),
            ("http://127.0.0.1:8790", "http://127.0.0.1:8790"),
            ("http://localhost:3000", "http://localhost:3000"),
        ] {
            let config = config(&[
                HOSTED_KEY,
                ("CLERK_FRONTEND_API", value),
                ("CLERK_PUBLISHABLE_KEY", PUBLISHABLE_KEY),
            ])
            .expect("valid");
            assert_eq!(config.access.oauth().expect("on").issuer, issuer, "{value}");
        }
        for bad in [
            "http://clerk.example.com",
            "https://clerk.example.com/oauth",
            "ftp://clerk.example.com",
            "clerk",
            "https://user@clerk.example.com",
            "https://clerk.example.com?x=1",
        ] {
            assert_eq!(
                config(&[HOSTED_KEY, ("CLERK_FRONTEND_API", bad)]),
                Err(ConfigError::InvalidFrontendApi),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_allow_list_holds_user_ids_emails_and_an_admin_organization() {
        let config = config(&[
            HOSTED_KEY,
            ("CLERK_FRONTEND_API", "clerk.example.com"),
            ("MCP_ALLOWED_USERS", " user_2abc , Ada@Example.com,"),
            ("MCP_ADMIN_ORGANIZATION", "org_2xyz"),
            ("MCP_AUTH_TOKENS", "first-token-0123456789"),
        ])
        .expect("valid");
        let oauth = config.access.oauth().expect("on");
        assert_eq!(oauth.allowed_users.user_ids, ["user_2abc"]);
        assert_eq!(oauth.allowed_users.emails, ["ada@example.com"]);
        assert!(oauth.read_only_users.is_empty());
        assert_eq!(oauth.admin_organization.as_deref(), Some("org_2xyz"));
        assert!(oauth.allows_anyone());
        assert_eq!(config.access.name(), "bearer-token+oauth");
        let bad_user = config_with_oauth("MCP_ALLOWED_USERS", "user_ok,not-a-user");
        assert_eq!(
            bad_user,
            Err(ConfigError::InvalidAllowedUser {
                setting: "MCP_ALLOWED_USERS",
                entry: "not-a-user".into()
            })
        );
        let bad_org = config_with_oauth("MCP_ADMIN_ORGANIZATION", "acme");
        assert_eq!(bad_org, Err(ConfigError::InvalidAdminOrganization));
    }

    #[test]
    fn read_only_users_are_written_and_checked_like_the_allow_list() {
        let config = config_with_oauth("MCP_READONLY_USERS", "user_2ro, Grace@Example.com");
        let oauth = config.expect("valid").access.oauth().cloned().expect("on");
        assert_eq!(oauth.read_only_users.user_ids, ["user_2ro"]);
        assert_eq!(oauth.read_only_users.emails, ["grace@example.com"]);
        assert!(oauth.allowed_users.is_empty());
        assert!(oauth.allows_anyone(), "read-only users may sign in");
        let error = config_with_oauth("MCP_READONLY_USERS", "user_2ro,grace").unwrap_err();
        assert_eq!(
            error,
            ConfigError::InvalidAllowedUser {
                setting: "MCP_READONLY_USERS",
                entry: "grace".into()
            }
        );
        assert!(error
            .to_string()
            .starts_with("MCP_READONLY_USERS holds \"grace\""));
    }

    fn config_with_oauth(name: &str, value: &str) -> Result<Config, ConfigError> {
        config(&[
            HOSTED_KEY,
            ("CLERK_FRONTEND_API", "clerk.example.com"),
            (name, value),
        ])
    }

    #[test]
    fn oauth_settings_in_public_mode_are_an_error_naming_the_setting() {
        for name in [
            "CLERK_PUBLISHABLE_KEY",
            "CLERK_FRONTEND_API",
            "MCP_ALLOWED_USERS",
            "MCP_READONLY_USERS",
            "MCP_ADMIN_ORGANIZATION",
        ] {
            let error = config(&[(name, "x")]).unwrap_err();
            assert_eq!(error, ConfigError::OAuthNeedsHostedMode(name));
            let text = error.to_string();
            assert!(
                text.contains(name) && text.contains("CLERK_SECRET_KEY"),
                "{text}"
            );
        }
    }

    #[test]
    fn an_allow_list_without_an_instance_is_an_error() {
        for name in ["MCP_ALLOWED_USERS", "MCP_READONLY_USERS"] {
            let error = config(&[HOSTED_KEY, (name, "user_2abc")]).unwrap_err();
            assert_eq!(error, ConfigError::OAuthInstanceMissing(name));
            assert!(error.to_string().contains("CLERK_PUBLISHABLE_KEY"));
        }
    }

    #[test]
    fn oauth_counts_as_authentication_in_hosted_mode() {
        let config =
            config(&[HOSTED_KEY, ("CLERK_FRONTEND_API", "clerk.example.com")]).expect("valid");
        assert_ne!(config.access, Access::NotConfigured);
        assert_ne!(config.access, Access::Open);
    }

    fn config_err(name: &str, value: &str) -> bool {
        Config::from_lookup(|n| (n == name).then(|| value.to_owned())).is_err()
    }
}
