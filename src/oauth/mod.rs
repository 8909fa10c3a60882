//! Sign-in with Clerk: checks the OAuth access tokens of a hosted server and
//! decides whether their user may use it (MCP 2025-06-18 and 2025-11-25,
//! Authorization). Knows Clerk and OAuth, not MCP or the HTTP transport.
//!
//! The Clerk instance the server administers is also its authorization
//! server. A token is one of two kinds:
//!
//! - a JWT access token (RFC 9068; three base64url parts, `typ: at+jwt`),
//!   checked here without a network call: an RS256 signature by a key of the
//!   instance's JWKS ([`Platform::verify_rs256`]), `iss` the instance's
//!   Frontend API origin, `exp`/`nbf` with [`LEEWAY_SECONDS`], and `aud`, when
//!   present, naming this server ([`jwt`]);
//! - an opaque token (`oat_...`), which only Clerk can read: it goes to the
//!   Backend API's `POST /oauth_applications/access_tokens/verify` with the
//!   server's secret key.
//!
//! Anything else is refused without asking Clerk, so that random strings
//! cannot make the server spend its Clerk rate limit.
//!
//! A verified user gets a [`Grant`]: the read tools only when
//! `MCP_READONLY_USERS` names their ID or one of their verified email
//! addresses (`GET /users/{id}`), whatever else lets them in; every tool when
//! `MCP_ALLOWED_USERS` names them the same way, or when they are an
//! `org:admin` of `MCP_ADMIN_ORGANIZATION` (`GET
//! /organizations/{id}/memberships?user_id=...&role=org:admin`). With none of
//! the three settings nobody may use the server.
//!
//! The outcome (the user, and their grant or refusal) is kept in the
//! isolate's [`IsolateCache`] for [`DECISION_SECONDS`] at most, and never past
//! the token's own expiry, under the SHA-256 of the token: the token itself
//! is never stored, printed or sent anywhere but to Clerk.
//!
//! Like the Clerk client, this module reads no clock and does no crypto of
//! its own: [`Platform`] brings the wall clock, SHA-256 and RS256
//! verification (the runtime's WebCrypto in the Worker, a fake in tests).

mod cache;
pub mod jwt;
pub mod metadata;

use futures::future::LocalBoxFuture;
use http::{Request, Response};

use crate::clerk::ids::{EmailAddress, OrganizationId, UserId};
use crate::clerk::memberships::MembershipFilter;
use crate::clerk::oauth::TokenStatus;
use crate::clerk::users::Verification;
use crate::clerk::{ClerkClient, ClerkError, HttpSend, Page};
use crate::sha256::sha256;

pub use cache::IsolateCache;
pub use jwt::RsaKey;

/// How far clocks may disagree when reading `exp` and `nbf`, in seconds.
pub const LEEWAY_SECONDS: u64 = 5;

/// How long a decision about a token is remembered, in seconds, when the
/// token lives longer: long enough to spare Clerk a call per MCP request of
/// a conversation, short enough that a revoked token or a user taken off the
/// allow-list stops working within a minute.
pub const DECISION_SECONDS: u64 = 60;

/// The longest token looked at; real ones are well under 2 KiB.
const MAX_TOKEN_BYTES: usize = 4096;

/// The scopes a client may ask for: Clerk's, enough to name the user.
pub const SCOPES_SUPPORTED: [&str; 2] = ["profile", "email"];

/// Sign-in with the Clerk instance the server administers (MCP 2025-06-18
/// and 2025-11-25, Authorization): which instance issues the tokens, and
/// who among its users may use the server, with which grant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthSettings {
    /// The instance's Frontend API origin (`https://clerk.example.com`), the
    /// authorization server and the `iss` of its tokens; no trailing slash.
    pub issuer: String,
    /// `MCP_ALLOWED_USERS`: who may use every tool.
    pub allowed_users: UserList,
    /// `MCP_READONLY_USERS`: who may use the read tools only, even when
    /// another setting would give them every tool.
    pub read_only_users: UserList,
    /// The organization whose `org:admin` members may use every tool.
    pub admin_organization: Option<OrganizationId>,
}

impl OAuthSettings {
    /// Whether anyone at all may sign in: without an allow-list nobody may.
    pub fn allows_anyone(&self) -> bool {
        !self.allowed_users.is_empty()
            || !self.read_only_users.is_empty()
            || self.admin_organization.is_some()
    }
}

/// Users named by ID or email address, as `MCP_ALLOWED_USERS` and
/// `MCP_READONLY_USERS` list them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserList {
    pub user_ids: Vec<UserId>,
    /// Lower-cased.
    pub emails: Vec<EmailAddress>,
}

impl UserList {
    pub fn is_empty(&self) -> bool {
        self.user_ids.is_empty() && self.emails.is_empty()
    }

    fn names_id(&self, user_id: &str) -> bool {
        self.user_ids.iter().any(|id| id.as_str() == user_id)
    }

    /// Whether one of `addresses` (lower-cased) is on the list.
    fn names_any(&self, addresses: &[String]) -> bool {
        self.emails
            .iter()
            .any(|email| addresses.iter().any(|address| email.as_str() == address))
    }
}

/// What a signed-in user may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grant {
    /// Every tool the server offers: `MCP_ALLOWED_USERS` or
    /// `MCP_ADMIN_ORGANIZATION` let them in.
    Full,
    /// The read tools only: `MCP_READONLY_USERS` names them.
    ReadOnly,
}

/// What the runtime lends the core: the wall clock and the crypto (token
/// checks, request states, the audit trail's digests) and the worker's log.
pub trait Platform {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> u64;

    /// Seconds since the Unix epoch.
    fn now(&self) -> u64 {
        self.now_ms() / 1000
    }

    /// Writes `line` to the worker's log as one line: the audit trail's
    /// (`console.log` in the Worker, which Workers Logs, Logpush and
    /// `wrangler tail` read).
    fn log(&self, line: &str);

    /// Fills `bytes` with cryptographically random bytes.
    fn random_bytes(&self, bytes: &mut [u8]) -> Result<(), String>;

    /// The HMAC-SHA256 of `message` under `key` (RFC 2104).
    fn hmac_sha256<'a>(
        &'a self,
        key: &'a [u8],
        message: &'a [u8],
    ) -> LocalBoxFuture<'a, Result<[u8; 32], String>>;

    /// Whether `signature` is `key`'s RSASSA-PKCS1-v1_5 SHA-256 signature
    /// of `message`; an error when the key cannot be used at all.
    fn verify_rs256<'a>(
        &'a self,
        key: &'a RsaKey,
        message: &'a [u8],
        signature: &'a [u8],
    ) -> LocalBoxFuture<'a, Result<bool, String>>;
}

/// A token's user, as a verified token names them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenUser {
    pub user_id: String,
    /// When the token stops being valid, in Unix seconds, when known.
    pub expires_at: Option<u64>,
}

/// Why a request with a bearer token may not use the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Denial {
    /// The token is not a valid access token of this server's instance:
    /// expired, revoked, unknown, badly signed, for another audience...
    InvalidToken(&'static str),
    /// A valid token whose user is not allowed.
    NotAllowed { user_id: String },
    /// The token could not be checked, for `cause`. The text names what
    /// failed, never a token or key.
    Unavailable { cause: Cause, reason: String },
}

/// Why a token could not be checked: none of these is the client's fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// Clerk could not be reached or refused to answer, or the runtime
    /// could not do its part: trying again later may work.
    Unreachable,
    /// Clerk answered with something that is not what it documents.
    UnreadableAnswer,
    /// The server's settings name something its Clerk instance lacks.
    Misconfigured,
}

/// Who signed in: the user a valid token names, allowed to use the server,
/// and what they may use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedIn {
    pub user_id: String,
    pub grant: Grant,
}

/// What checking a token needs besides the token.
pub struct Check<'a> {
    pub settings: &'a OAuthSettings,
    /// The Backend API client with the server's key.
    pub clerk: ClerkClient<'a>,
    pub http: &'a dyn HttpSend,
    pub platform: &'a dyn Platform,
    pub cache: &'a IsolateCache,
    /// The origin this server was reached at (`https://mcp.example.com`),
    /// which, with `/mcp`, is the resource tokens must be meant for.
    pub origin: &'a str,
}

impl Check<'_> {
    /// Checks `token` and decides whether its user may use the server.
    pub async fn sign_in(&self, token: &[u8]) -> Result<SignedIn, Denial> {
        let Some(token) = std::str::from_utf8(token)
            .ok()
            .filter(|token| token.len() <= MAX_TOKEN_BYTES)
        else {
            return Err(Denial::InvalidToken("not an access token of this server"));
        };
        let digest = sha256(token.as_bytes());
        let now = self.platform.now();
        if let Some((user_id, grant)) = self.cache.decision(&digest, now) {
            return decided(user_id, grant);
        }
        let user = if jwt::looks_like_jwt(token) {
            self.verify_jwt(token, now).await?
        } else if token.starts_with("oat_") {
            self.verify_opaque(token, now).await?
        } else {
            return Err(Denial::InvalidToken(
                "neither an access token of this server's Clerk instance nor one of its \
                 MCP_AUTH_TOKENS",
            ));
        };
        let grant = self.grant(&user.user_id).await?;
        let until = (now + DECISION_SECONDS).min(user.expires_at.unwrap_or(u64::MAX));
        self.cache
            .remember_decision(digest, &user.user_id, grant, until, now);
        decided(user.user_id, grant)
    }

    /// A JWT access token, checked against the instance's keys.
    async fn verify_jwt(&self, token: &str, now: u64) -> Result<TokenUser, Denial> {
        let parsed = jwt::parse(token).map_err(Denial::InvalidToken)?;
        let resource = format!("{}/mcp", self.origin);
        let audiences = [resource.as_str(), self.origin];
        let user = jwt::check_claims(&parsed.claims, &self.settings.issuer, &audiences, now)
            .map_err(Denial::InvalidToken)?;
        let key = self.signing_key(&parsed.header.kid, now).await?;
        let valid = self
            .platform
            .verify_rs256(&key, parsed.signed_part.as_bytes(), &parsed.signature)
            .await
            .map_err(|_| Denial::InvalidToken("signed with a key this server cannot use"))?;
        if valid {
            Ok(user)
        } else {
            Err(Denial::InvalidToken(
                "not signed by this server's Clerk instance",
            ))
        }
    }

    /// The instance's key `kid`, from the cached JWKS, or a fresh one when
    /// the cached set lacks it (keys rotate) or has grown old.
    async fn signing_key(&self, kid: &str, now: u64) -> Result<RsaKey, Denial> {
        if let Some(key) = self.cache.signing_key(kid, now) {
            return Ok(key);
        }
        if !self.cache.may_refetch_keys(now) {
            return Err(Denial::InvalidToken(
                "signed with a key this server does not know",
            ));
        }
        let url = format!("{}/.well-known/jwks.json", self.settings.issuer);
        let body = fetch_json(self.http, &url, "the signing keys (JWKS)").await?;
        let keys = jwt::decode_jwks(&body).ok_or_else(|| Denial::Unavailable {
            cause: Cause::UnreadableAnswer,
            reason: "the Clerk instance's signing keys (JWKS) are not a JSON Web Key Set".into(),
        })?;
        self.cache.remember_keys(keys, now);
        self.cache.signing_key(kid, now).ok_or(Denial::InvalidToken(
            "signed with a key this server does not know",
        ))
    }

    /// An opaque token, which Clerk's Backend API reads for the server.
    async fn verify_opaque(&self, token: &str, now: u64) -> Result<TokenUser, Denial> {
        match self.clerk.verify_oauth_access_token(token).await {
            Ok(TokenStatus::Active(answer)) => {
                let expires_at = answer.expires_at();
                if answer.revoked {
                    Err(Denial::InvalidToken("revoked"))
                } else if answer.expired || expires_at.is_some_and(|at| at + LEEWAY_SECONDS < now) {
                    Err(Denial::InvalidToken("expired"))
                } else if !answer.subject.starts_with("user_") {
                    Err(Denial::InvalidToken("not issued to a user"))
                } else {
                    Ok(TokenUser {
                        user_id: answer.subject,
                        expires_at,
                    })
                }
            }
            Ok(TokenStatus::Inactive) => Err(Denial::InvalidToken("expired or revoked")),
            Err(error) => match error.status() {
                Some(400 | 404 | 422) => Err(Denial::InvalidToken(
                    "unknown to this server's Clerk instance",
                )),
                _ => Err(clerk_unavailable("checking the access token", &error)),
            },
        }
    }

    /// What `user_id` may use, or `None` when they may not use the server,
    /// asking Clerk only what the settings need, cheapest first. The
    /// narrower grant wins: a user `MCP_READONLY_USERS` names gets the read
    /// tools only, however else they are let in, so a user allowed by ID is
    /// still looked up when read-only email addresses are listed.
    async fn grant(&self, user_id: &str) -> Result<Option<Grant>, Denial> {
        let settings = self.settings;
        let (read_only, allowed) = (&settings.read_only_users, &settings.allowed_users);
        if read_only.names_id(user_id) {
            return Ok(Some(Grant::ReadOnly));
        }
        let allowed_by_id = allowed.names_id(user_id);
        if !read_only.emails.is_empty() || (!allowed_by_id && !allowed.emails.is_empty()) {
            let addresses = match self.clerk.get_user(user_id).await {
                Ok(user) => user
                    .email_addresses
                    .iter()
                    .filter(|address| Verification::is_verified(&address.verification))
                    .map(|address| address.email_address.to_ascii_lowercase())
                    .collect::<Vec<_>>(),
                // A user deleted since the token was issued is allowed nothing.
                Err(error) if error.status() == Some(404) => return Ok(None),
                Err(error) => return Err(clerk_unavailable("looking the user up", &error)),
            };
            if read_only.names_any(&addresses) {
                return Ok(Some(Grant::ReadOnly));
            }
            if allowed.names_any(&addresses) {
                return Ok(Some(Grant::Full));
            }
        }
        if allowed_by_id {
            return Ok(Some(Grant::Full));
        }
        if let Some(organization) = &settings.admin_organization {
            let filter = MembershipFilter {
                user_ids: vec![user_id.to_owned()],
                roles: vec!["org:admin".to_owned()],
                ..MembershipFilter::default()
            };
            let page = Page {
                limit: 1,
                offset: 0,
                order_by: None,
            };
            match self
                .clerk
                .list_organization_memberships(organization, &filter, &page)
                .await
            {
                Ok(list) => {
                    let admin = list.data.iter().any(|membership| {
                        membership.role == "org:admin"
                            && membership
                                .public_user_data
                                .as_ref()
                                .is_none_or(|user| user.user_id == user_id)
                    });
                    return Ok(admin.then_some(Grant::Full));
                }
                Err(error) if error.status() == Some(404) => {
                    return Err(Denial::Unavailable {
                        cause: Cause::Misconfigured,
                        reason: "MCP_ADMIN_ORGANIZATION names an organization this server's \
                                 Clerk instance does not have"
                            .into(),
                    })
                }
                Err(error) => {
                    return Err(clerk_unavailable(
                        "checking the organization membership",
                        &error,
                    ))
                }
            }
        }
        Ok(None)
    }
}

fn decided(user_id: String, grant: Option<Grant>) -> Result<SignedIn, Denial> {
    match grant {
        Some(grant) => Ok(SignedIn { user_id, grant }),
        None => Err(Denial::NotAllowed { user_id }),
    }
}

fn unavailable(reason: String) -> Denial {
    Denial::Unavailable {
        cause: Cause::Unreachable,
        reason,
    }
}

/// A Clerk failure while checking a sign-in: the server cannot decide, which
/// is not the client's fault, so never a 401. Clerk's own message is left
/// out: only its status and code are named.
fn clerk_unavailable(doing: &str, error: &ClerkError) -> Denial {
    let (cause, what) = match error {
        ClerkError::Api(api) if matches!(api.status, 401 | 403) => (
            Cause::Unreachable,
            format!("Clerk refused this server's secret key ({})", api.status),
        ),
        ClerkError::Api(api) => (Cause::Unreachable, format!("Clerk answered {}", api.status)),
        ClerkError::Unreachable(send) => (
            Cause::Unreachable,
            format!("Clerk could not be reached ({})", send.message),
        ),
        ClerkError::UnexpectedBody { status, .. } => (
            Cause::UnreadableAnswer,
            format!("Clerk's answer ({status}) could not be read"),
        ),
    };
    Denial::Unavailable {
        cause,
        reason: format!("{what} while {doing}"),
    }
}

/// GETs a JSON document of the Clerk instance's Frontend API (no key is
/// sent: its documents are public).
pub(crate) async fn fetch_json(
    http: &dyn HttpSend,
    url: &str,
    what: &str,
) -> Result<serde_json::Value, Denial> {
    let mut request = Request::new(Vec::new());
    match http::Uri::try_from(url) {
        Ok(uri) => *request.uri_mut() = uri,
        Err(_) => return Err(unavailable(format!("the URL of {what} is not valid"))),
    }
    request.headers_mut().insert(
        http::header::ACCEPT,
        http::HeaderValue::from_static("application/json"),
    );
    let response: Response<Vec<u8>> = http.send(request).await.map_err(|error| {
        unavailable(format!(
            "the Clerk instance could not be reached for {what} ({})",
            error.message
        ))
    })?;
    if !response.status().is_success() {
        return Err(Denial::Unavailable {
            cause: Cause::UnreadableAnswer,
            reason: format!(
                "the Clerk instance answered {} for {what}",
                response.status().as_u16()
            ),
        });
    }
    crate::json::from_bytes::<serde_json::Value>(response.body())
        .ok()
        .filter(serde_json::Value::is_object)
        .ok_or_else(|| Denial::Unavailable {
            cause: Cause::UnreadableAnswer,
            reason: format!("the Clerk instance's {what} is not a JSON object"),
        })
}
