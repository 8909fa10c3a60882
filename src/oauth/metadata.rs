//! The documents that let a client find where to sign in.
//!
//! - Protected-resource metadata (RFC 9728), which this server writes: it
//!   names the server's `/mcp` URL as the resource and the Clerk instance as
//!   its only authorization server. MCP 2025-06-18 and later clients find it
//!   through the `resource_metadata` of a 401's `WWW-Authenticate`, or at
//!   `/.well-known/oauth-protected-resource/mcp` and then at the root.
//! - Authorization-server metadata (RFC 8414) on the server's own origin,
//!   for 2025-03-26 clients, which look for it there. It is the Clerk
//!   instance's own document, fetched and served as is (its endpoints are
//!   Clerk's absolute URLs) rather than a redirect: a client that follows
//!   redirects only within an origin, as the official SDK does, would stop
//!   at a 302 to the instance. It is kept in memory for
//!   `METADATA_SECONDS` (five minutes).

use serde_json::{json, Value};

use super::{fetch_json, Denial, IsolateCache, OAuthSettings, Platform, SCOPES_SUPPORTED};
use crate::clerk::HttpSend;

/// Where this server serves its protected-resource metadata.
pub const PROTECTED_RESOURCE_PATH: &str = "/.well-known/oauth-protected-resource";

/// Where 2025-03-26 clients look for authorization-server metadata.
pub const AUTHORIZATION_SERVER_PATH: &str = "/.well-known/oauth-authorization-server";

/// The URL of the protected-resource metadata of the server at `origin`,
/// as the `resource_metadata` of a 401 names it.
pub fn protected_resource_url(origin: &str) -> String {
    format!("{origin}{PROTECTED_RESOURCE_PATH}")
}

/// The protected-resource metadata of the server at `origin`, called
/// `name` (RFC 9728, section 2).
pub fn protected_resource(settings: &OAuthSettings, origin: &str, name: &str) -> Value {
    json!({
        "resource": format!("{origin}/mcp"),
        "authorization_servers": [settings.issuer],
        "scopes_supported": SCOPES_SUPPORTED,
        "bearer_methods_supported": ["header"],
        "resource_name": name,
    })
}

/// The Clerk instance's authorization-server metadata, from memory or
/// fetched from its Frontend API.
pub async fn authorization_server(
    settings: &OAuthSettings,
    http: &dyn HttpSend,
    platform: &dyn Platform,
    cache: &IsolateCache,
) -> Result<Vec<u8>, Denial> {
    let now = platform.now();
    if let Some(body) = cache.server_metadata(now) {
        return Ok(body);
    }
    let url = format!("{}{AUTHORIZATION_SERVER_PATH}", settings.issuer);
    let document = fetch_json(http, &url, "authorization-server metadata").await?;
    let body = document.to_string().into_bytes();
    cache.remember_server_metadata(body.clone(), now);
    Ok(body)
}
