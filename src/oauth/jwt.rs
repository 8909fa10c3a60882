//! JWT access tokens (RFC 7519, RFC 9068) as the Clerk instance issues
//! them: reading one, checking its claims, and reading the instance's JSON
//! Web Key Set. Pure: the signature itself is checked by
//! [`super::Platform::verify_rs256`].
//!
//! Rules, each a 401 when broken:
//! - the header says `alg: RS256` (no other algorithm is accepted, so a
//!   token cannot pick a weaker one) and names a `kid`;
//! - `typ` is `at+jwt` or `application/at+jwt` (RFC 9068, section 4): the
//!   instance signs its session tokens with the same keys, and a session
//!   token of the customer's app must not pass for an OAuth access token;
//! - `iss` is the Frontend API origin exactly, and `sub` a user ID;
//! - `exp` is required and `nbf` optional, both read with
//!   [`super::LEEWAY_SECONDS`] of leeway;
//! - `aud` may be absent: Clerk does not always set it, and the issuer is
//!   the very instance this server administers. When present (a client that
//!   sent an RFC 8707 `resource`), it must name this server: its `/mcp` URL
//!   or its origin. A token meant for another resource is refused.

use serde_json::Value;

use super::{TokenUser, LEEWAY_SECONDS};
use crate::base64;

/// An RSA public key of the instance's JWKS, as base64url modulus and
/// exponent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RsaKey {
    pub kid: String,
    pub n: String,
    pub e: String,
}

/// The header fields this server reads.
#[derive(Debug)]
pub struct Header {
    pub alg: String,
    pub typ: Option<String>,
    pub kid: String,
}

/// The claims this server reads; others are ignored. Header and claims are
/// read from JSON values rather than through derived decoders, which would
/// cost the bundle more than these few fields are worth.
#[derive(Debug, Default)]
pub struct Claims {
    pub iss: Option<String>,
    pub sub: Option<String>,
    pub exp: Option<f64>,
    pub nbf: Option<f64>,
    pub aud: Option<Value>,
}

impl Claims {
    fn from_value(value: &Value) -> Claims {
        let text = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_owned);
        let number = |name: &str| value.get(name).and_then(Value::as_f64);
        Claims {
            iss: text("iss"),
            sub: text("sub"),
            exp: number("exp"),
            nbf: number("nbf"),
            aud: value.get("aud").cloned(),
        }
    }
}

/// A token read but not yet trusted.
#[derive(Debug)]
pub struct Jwt<'a> {
    pub header: Header,
    pub claims: Claims,
    /// `header.payload`, the part the signature covers.
    pub signed_part: &'a str,
    pub signature: Vec<u8>,
}

/// Whether `token` has the shape of a JWS compact serialization: three
/// non-empty base64url parts.
pub fn looks_like_jwt(token: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Reads a token's header and claims, checking the header.
pub fn parse(token: &str) -> Result<Jwt<'_>, &'static str> {
    const MALFORMED: &str = "a malformed JWT";
    let (signed_part, signature) = token.rsplit_once('.').ok_or(MALFORMED)?;
    let (header, claims) = signed_part.split_once('.').ok_or(MALFORMED)?;
    let decode = |part: &str| base64::decode(part).ok_or(MALFORMED);
    let json = |part: &str| {
        crate::json::from_bytes::<Value>(&decode(part)?)
            .ok()
            .filter(Value::is_object)
            .ok_or(MALFORMED)
    };
    let (header, claims) = (json(header)?, json(claims)?);
    let text = |name: &str| header.get(name).and_then(Value::as_str).map(str::to_owned);
    let header = Header {
        alg: text("alg").unwrap_or_default(),
        typ: text("typ"),
        kid: text("kid").unwrap_or_default(),
    };
    let claims = Claims::from_value(&claims);
    if header.alg != "RS256" {
        return Err("signed with an algorithm other than RS256");
    }
    let typ = header
        .typ
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if typ != "at+jwt" && typ != "application/at+jwt" {
        return Err("a JWT that is not an OAuth access token (typ at+jwt)");
    }
    if header.kid.is_empty() {
        return Err("a JWT that names no signing key (kid)");
    }
    Ok(Jwt {
        header,
        claims,
        signed_part,
        signature: decode(signature)?,
    })
}

/// Checks the claims at `now` (Unix seconds) for a token of `issuer` meant
/// for one of `audiences`, and names its user.
pub fn check_claims(
    claims: &Claims,
    issuer: &str,
    audiences: &[&str],
    now: u64,
) -> Result<TokenUser, &'static str> {
    if claims.iss.as_deref() != Some(issuer) {
        return Err("not issued by this server's Clerk instance");
    }
    let user_id = claims
        .sub
        .as_deref()
        .filter(|sub| sub.starts_with("user_"))
        .ok_or("not issued to a user")?;
    let exp = claims
        .exp
        .filter(|exp| exp.is_finite() && *exp > 0.0)
        .ok_or("without an expiry (exp)")?;
    let now_f = now as f64;
    if exp + LEEWAY_SECONDS as f64 <= now_f {
        return Err("expired");
    }
    if claims
        .nbf
        .is_some_and(|nbf| nbf > now_f + LEEWAY_SECONDS as f64)
    {
        return Err("not valid yet (nbf)");
    }
    let named = |aud: &str| {
        audiences
            .iter()
            .any(|expected| aud.trim_end_matches('/') == *expected)
    };
    let audience_ok = match &claims.aud {
        None | Some(Value::Null) => true,
        Some(Value::String(aud)) => named(aud),
        Some(Value::Array(auds)) => auds.iter().filter_map(Value::as_str).any(named),
        Some(_) => false,
    };
    if !audience_ok {
        return Err("meant for another resource (aud)");
    }
    Ok(TokenUser {
        user_id: user_id.to_owned(),
        expires_at: Some(exp as u64),
    })
}

/// Reads a JSON Web Key Set, keeping the RSA signing keys with a `kid`.
/// `None` when it is not a key set at all.
pub fn decode_jwks(body: &Value) -> Option<Vec<RsaKey>> {
    let keys = body.get("keys")?.as_array()?;
    let text = |key: &Value, name: &str| key.get(name).and_then(Value::as_str).map(str::to_owned);
    Some(
        keys.iter()
            .filter(|key| text(key, "kty").as_deref() == Some("RSA"))
            .filter(|key| text(key, "use").is_none_or(|usage| usage == "sig"))
            .filter(|key| text(key, "alg").is_none_or(|alg| alg == "RS256"))
            .filter_map(|key| {
                Some(RsaKey {
                    kid: text(key, "kid")?,
                    n: text(key, "n")?,
                    e: text(key, "e")?,
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(value: &Value) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let bytes = value.to_string().into_bytes();
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk.iter().fold(0u32, |acc, b| acc << 8 | u32::from(*b))
                << (8 * (3 - chunk.len()));
            for i in 0..=chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            }
        }
        out
    }

    fn token(header: Value, claims: Value) -> String {
        format!("{}.{}.c2ln", encode(&header), encode(&claims))
    }

    const ISSUER: &str = "https://clerk.example.com";

    fn claims(extra: Value) -> Claims {
        let mut base = serde_json::json!({"iss": ISSUER, "sub": "user_1", "exp": 2000});
        base.as_object_mut()
            .expect("object")
            .extend(extra.as_object().cloned().unwrap_or_default());
        Claims::from_value(&base)
    }

    #[test]
    fn a_well_formed_access_token_is_read() {
        let header = serde_json::json!({"alg": "RS256", "typ": "at+jwt", "kid": "ins_1"});
        let text = token(header, serde_json::json!({"sub": "user_1"}));
        let jwt = parse(&text).expect("valid");
        assert_eq!(jwt.header.kid, "ins_1");
        assert_eq!(jwt.signature, b"sig");
        assert!(looks_like_jwt(&text));
        assert!(!looks_like_jwt("oat_abc"));
        assert!(!looks_like_jwt("a..b"));
    }

    #[test]
    fn other_algorithms_types_and_keyless_headers_are_refused() {
        for (header, problem) in [
            (
                serde_json::json!({"alg": "HS256", "typ": "at+jwt", "kid": "k"}),
                "RS256",
            ),
            (
                serde_json::json!({"alg": "none", "typ": "at+jwt", "kid": "k"}),
                "RS256",
            ),
            (
                serde_json::json!({"alg": "RS256", "typ": "JWT", "kid": "k"}),
                "typ",
            ),
            (serde_json::json!({"alg": "RS256", "kid": "k"}), "typ"),
            (serde_json::json!({"alg": "RS256", "typ": "at+jwt"}), "kid"),
        ] {
            let error = parse(&token(header.clone(), serde_json::json!({}))).unwrap_err();
            assert!(error.contains(problem), "{header}: {error}");
        }
        assert!(parse("a.b.c").is_err());
    }

    #[test]
    fn claims_are_checked_with_leeway() {
        let audiences = ["https://mcp.example.com/mcp", "https://mcp.example.com"];
        let ok = check_claims(&claims(serde_json::json!({})), ISSUER, &audiences, 1000);
        assert_eq!(ok.expect("valid").user_id, "user_1");
        assert!(check_claims(&claims(serde_json::json!({})), ISSUER, &audiences, 2004).is_ok());
        assert_eq!(
            check_claims(&claims(serde_json::json!({})), ISSUER, &audiences, 2005),
            Err("expired")
        );
        let early = claims(serde_json::json!({"nbf": 1100}));
        assert!(check_claims(&early, ISSUER, &audiences, 1096).is_ok());
        assert!(check_claims(&early, ISSUER, &audiences, 1094).is_err());
        let other = claims(serde_json::json!({"iss": "https://clerk.other.com"}));
        assert!(check_claims(&other, ISSUER, &audiences, 1000).is_err());
        let no_exp = Claims::from_value(&serde_json::json!({"iss": ISSUER, "sub": "user_1"}));
        assert!(check_claims(&no_exp, ISSUER, &audiences, 1000).is_err());
    }

    #[test]
    fn the_audience_when_present_must_name_this_server() {
        let audiences = ["https://mcp.example.com/mcp", "https://mcp.example.com"];
        for aud in [
            serde_json::json!("https://mcp.example.com/mcp"),
            serde_json::json!("https://mcp.example.com/"),
            serde_json::json!(["https://other.example.com", "https://mcp.example.com/mcp"]),
        ] {
            let claims = claims(serde_json::json!({"aud": aud}));
            assert!(
                check_claims(&claims, ISSUER, &audiences, 1000).is_ok(),
                "{aud}"
            );
        }
        for aud in [
            serde_json::json!("https://other.example.com/mcp"),
            serde_json::json!(["client_123"]),
            serde_json::json!(7),
        ] {
            let claims = claims(serde_json::json!({"aud": aud}));
            assert!(
                check_claims(&claims, ISSUER, &audiences, 1000).is_err(),
                "{aud}"
            );
        }
    }

    #[test]
    fn jwks_keeps_rsa_signing_keys() {
        let body = serde_json::json!({"keys": [
            {"kty": "RSA", "kid": "a", "n": "nn", "e": "AQAB", "use": "sig", "alg": "RS256"},
            {"kty": "RSA", "kid": "b", "n": "nn", "e": "AQAB", "use": "enc"},
            {"kty": "EC", "kid": "c", "x": "x", "y": "y"},
            {"kty": "RSA", "n": "nn", "e": "AQAB"},
        ]});
        let keys = decode_jwks(&body).expect("a key set");
        assert_eq!(
            keys.iter().map(|k| k.kid.as_str()).collect::<Vec<_>>(),
            ["a"]
        );
        assert_eq!(decode_jwks(&serde_json::json!({})), None);
    }
}
