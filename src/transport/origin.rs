//! Which browser origins may call the server, and the CORS headers they get.
//!
//! A request without `Origin` comes from a non-browser client and is allowed.
//! One with `Origin` must name a loopback origin (`localhost`, `*.localhost`,
//! `127.0.0.0/8`, `[::1]`) or one listed in `ALLOWED_ORIGINS`; any other gets
//! 403, which is what keeps a web page that rebinds its DNS name to this
//! server from using it (MCP 2025-06-18, Transports: Security Warning). The
//! allowed set is never derived from `Host`, which such a page controls.

use http::header::{
    HeaderValue, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ORIGIN,
    VARY,
};
use http::HeaderMap;

use crate::config::Config;

/// The request headers a browser client may send, for preflight answers.
const ALLOWED_REQUEST_HEADERS: &str = "Content-Type, Accept, Authorization, X-Clerk-Secret-Key, \
    MCP-Protocol-Version, Mcp-Method, Mcp-Name, Mcp-Session-Id, Last-Event-ID, X-MCP-Readonly, X-MCP-Toolsets, \
    X-MCP-Confirm";

/// The response headers a browser client may read.
const EXPOSED_RESPONSE_HEADERS: &str =
    "MCP-Protocol-Version, Mcp-Session-Id, WWW-Authenticate, Retry-After";

/// How long a browser may cache a preflight answer, in seconds.
const PREFLIGHT_MAX_AGE: &str = "86400";

/// The outcome of the origin check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OriginCheck {
    /// No `Origin` header: not a browser.
    Absent,
    /// An allowed browser origin, to echo in CORS headers.
    Allowed(HeaderValue),
    /// A browser origin that may not call this server.
    Forbidden,
}

pub fn check(headers: &HeaderMap, config: &Config) -> OriginCheck {
    let Some(value) = headers.get(ORIGIN) else {
        return OriginCheck::Absent;
    };
    let Ok(origin) = value.to_str() else {
        return OriginCheck::Forbidden;
    };
    let normalized = origin.trim().trim_end_matches('/').to_ascii_lowercase();
    if is_loopback(&normalized) || config.allowed_origins.contains(&normalized) {
        OriginCheck::Allowed(value.clone())
    } else {
        OriginCheck::Forbidden
    }
}

/// Whether `origin` (lower-cased) is `http(s)://` a loopback host, any port.
fn is_loopback(origin: &str) -> bool {
    let Some(authority) = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
    else {
        return false;
    };
    let host = if let Some(rest) = authority.strip_prefix('[') {
        match rest.split_once(']') {
            Some((host, port)) if port.is_empty() || is_port(port) => host,
            _ => return false,
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) if is_port(port) => host,
            Some(_) => return false,
            None => authority,
        }
    };
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|address| address.is_loopback())
}

fn is_port(text: &str) -> bool {
    text.strip_prefix(':')
        .unwrap_or(text)
        .parse::<u16>()
        .is_ok()
}

/// Adds the headers that let an allowed origin read an answer.
pub fn add_cors_headers(headers: &mut HeaderMap, origin: &HeaderValue) {
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
    headers.insert(
        ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(EXPOSED_RESPONSE_HEADERS),
    );
    headers.append(VARY, HeaderValue::from_static("Origin"));
}

/// Adds the headers that let any origin read a public document (the OAuth
/// metadata): no credentials are involved, so `*` is safe.
pub fn add_public_cors_headers(headers: &mut HeaderMap) {
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
}

/// Adds the headers of a preflight answer for a public document: `GET`
/// from any origin, with the headers MCP clients send when they fetch it.
pub fn add_public_preflight_headers(headers: &mut HeaderMap) {
    headers.insert(
        ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, OPTIONS"),
    );
    headers.insert(
        ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("Accept, MCP-Protocol-Version"),
    );
    headers.insert(
        ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static(PREFLIGHT_MAX_AGE),
    );
}

/// Adds the headers of a preflight answer for `methods`.
pub fn add_preflight_headers(headers: &mut HeaderMap, methods: &'static str) {
    headers.insert(
        ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(methods),
    );
    headers.insert(
        ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static(ALLOWED_REQUEST_HEADERS),
    );
    headers.insert(
        ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static(PREFLIGHT_MAX_AGE),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_origins_are_recognized() {
        for origin in [
            "http://localhost",
            "http://localhost:6274",
            "https://app.localhost:3000",
            "http://127.0.0.1:8787",
            "http://127.1.2.3",
            "http://[::1]:8080",
        ] {
            assert!(is_loopback(origin), "{origin}");
        }
    }

    #[test]
    fn look_alike_origins_are_not_loopback() {
        for origin in [
            "http://localhost.evil.com",
            "http://127.0.0.1.evil.com",
            "http://evil.com",
            "file://localhost",
            "null",
            "http://localhost:notaport",
            "http://[::2]",
            "http://128.0.0.1",
        ] {
            assert!(!is_loopback(origin), "{origin}");
        }
    }
}
