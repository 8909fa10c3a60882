//! Which era of MCP a request speaks: the one place that decides.
//!
//! - The **handshake eras** (2025-03-26, 2025-06-18, 2025-11-25) open with
//!   `initialize`; later requests name their version in the
//!   `MCP-Protocol-Version` header, and a request without it is taken to
//!   speak 2025-03-26.
//! - The **stateless era** (2026-07-28) has no handshake: every request
//!   names its version, the client's capabilities and optionally the
//!   client in `params._meta`, and repeats its version, method and target
//!   in the `MCP-Protocol-Version`, `Mcp-Method` and `Mcp-Name` headers
//!   (MCP 2026-07-28, Basic: Versioning; Transports: Streamable HTTP).
//!
//! A request whose `_meta` names a protocol version is stateless; a request
//! without one is of a handshake era, unless its header says 2026-07-28,
//! which is a stateless request that forgot its `_meta`. The checks of a
//! stateless request run in this order, and the first that fails answers
//! with HTTP 400: `_meta` complete, headers equal to the body, version
//! served, headers present, log level known. `clientInfo` may be left out,
//! but one that is sent must name the client and its version.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::version::ProtocolVersion;
use super::LOG_LEVELS;
use crate::base64;
use crate::jsonrpc::{Request, RpcError};
use crate::text::shorten;

/// The version of the stateless era.
pub const STATELESS_VERSION: &str = "2026-07-28";

/// The `_meta` keys of the stateless era.
pub mod meta {
    pub const PROTOCOL_VERSION: &str = "io.modelcontextprotocol/protocolVersion";
    pub const CLIENT_CAPABILITIES: &str = "io.modelcontextprotocol/clientCapabilities";
    pub const CLIENT_INFO: &str = "io.modelcontextprotocol/clientInfo";
    pub const LOG_LEVEL: &str = "io.modelcontextprotocol/logLevel";
    pub const SERVER_INFO: &str = "io.modelcontextprotocol/serverInfo";
}

/// JSON-RPC error codes the stateless era adds (MCP 2026-07-28, Basic: Error Codes).
pub mod code {
    /// A header is missing, malformed, or says something else than the body.
    pub const HEADER_MISMATCH: i64 = -32020;
    /// The request's protocol version is not one the server speaks.
    pub const UNSUPPORTED_VERSION: i64 = -32022;
}

/// What a request's headers declare about it, as plain text: the
/// transport reads the headers, this module judges them.
#[derive(Clone, Copy, Debug, Default)]
pub struct Declared<'a> {
    /// `MCP-Protocol-Version`; `Some("")` when it is not readable text.
    pub protocol_version: Option<&'a str>,
    /// `Mcp-Method`.
    pub method: Option<&'a str>,
    /// `Mcp-Name`, still encoded when sent as `=?base64?...?=`.
    pub name: Option<&'a str>,
}

/// The era of one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Era {
    /// A handshake era, at the version the request speaks.
    Handshake(ProtocolVersion),
    /// The stateless era, with what the request's `_meta` says of its client.
    Stateless(Client),
}

/// What a stateless request says of its client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Client {
    /// Whether the client declared form elicitation, and so can be asked a
    /// question in an `input_required` result.
    pub can_elicit: bool,
}

/// Why a request's era could not be settled.
#[derive(Clone, Debug, PartialEq)]
pub enum EraError {
    /// A handshake-era request whose `MCP-Protocol-Version` no era has
    /// (the value, shortened).
    UnsupportedHeader(String),
    /// A stateless request that breaks one of the era's rules: HTTP 400
    /// with this error.
    Refused(RpcError),
}

/// Whether a posted message is of the stateless era: its `params._meta`
/// names a protocol version.
pub fn is_stateless(message: &Value) -> bool {
    message
        .get("params")
        .and_then(|params| params.get("_meta"))
        .and_then(|meta| meta.get(meta::PROTOCOL_VERSION))
        .is_some()
}

/// The era of a request, or why it has none.
pub fn decide(declared: &Declared, request: &Request) -> Result<Era, EraError> {
    let meta = request.params.get("_meta").and_then(Value::as_object);
    let version = meta.and_then(|meta| Some((meta, meta.get(meta::PROTOCOL_VERSION)?)));
    match version {
        Some((meta, version)) => stateless(declared, request, meta, version),
        None if declared.protocol_version.map(str::trim) == Some(STATELESS_VERSION) => {
            Err(refused(
                crate::jsonrpc::code::INVALID_PARAMS,
                format!(
                    "A {STATELESS_VERSION} request names its version in params._meta[\"{}\"] \
                     and its client's capabilities in params._meta[\"{}\"]",
                    meta::PROTOCOL_VERSION,
                    meta::CLIENT_CAPABILITIES
                ),
            ))
        }
        None => handshake_version(declared).map(Era::Handshake),
    }
}

/// The handshake-era version a request's header names: 2025-03-26 without
/// one. Batches exist in that era only, so a batch is judged by this alone.
pub fn handshake_version(declared: &Declared) -> Result<ProtocolVersion, EraError> {
    match declared.protocol_version.map(str::trim) {
        None => Ok(ProtocolVersion::ASSUMED_WITHOUT_HEADER),
        Some(text) => ProtocolVersion::parse(text)
            .ok_or_else(|| EraError::UnsupportedHeader(text.chars().take(40).collect())),
    }
}

fn stateless(
    declared: &Declared,
    request: &Request,
    meta: &Map<String, Value>,
    version: &Value,
) -> Result<Era, EraError> {
    let Some(version) = version.as_str() else {
        return Err(invalid_meta(format!(
            "_meta[\"{}\"] must be a string",
            meta::PROTOCOL_VERSION
        )));
    };
    let Some(capabilities) = meta.get(meta::CLIENT_CAPABILITIES) else {
        return Err(invalid_meta(format!(
            "_meta[\"{}\"] is required ({{}} when the client declares none)",
            meta::CLIENT_CAPABILITIES
        )));
    };
    let Some(capabilities) = capabilities.as_object() else {
        return Err(invalid_meta(format!(
            "_meta[\"{}\"] must be an object",
            meta::CLIENT_CAPABILITIES
        )));
    };
    if let Some(info) = meta.get(meta::CLIENT_INFO) {
        let names_itself = ["name", "version"]
            .iter()
            .all(|field| info.get(field).is_some_and(Value::is_string));
        if !names_itself {
            return Err(invalid_meta(format!(
                "_meta[\"{}\"], when sent, is an object with a \"name\" and a \"version\" string",
                meta::CLIENT_INFO
            )));
        }
    }
    let name = target(request);
    let declared_name = declared.name.map(decode_name);
    let mismatch = [
        (
            "MCP-Protocol-Version",
            declared.protocol_version,
            Some(version),
        ),
        ("Mcp-Method", declared.method, Some(request.method.as_str())),
        (
            "Mcp-Name",
            declared_name.as_deref().filter(|_| name.is_some()),
            name,
        ),
    ]
    .into_iter()
    .find_map(|(header, sent, body)| {
        let sent = sent?;
        (Some(sent.trim()) != body).then_some((header, sent))
    });
    if let Some((header, sent)) = mismatch {
        return Err(refused(
            code::HEADER_MISMATCH,
            format!(
                "The {header} header ({:?}) does not match the request body",
                shorten(sent, 80)
            ),
        ));
    }
    if version != STATELESS_VERSION {
        let mut error = RpcError::new(code::UNSUPPORTED_VERSION, "Unsupported protocol version");
        error.data = Some(serde_json::json!({
            "supported": [STATELESS_VERSION],
            "requested": shorten(version, 40),
        }));
        return Err(EraError::Refused(error));
    }
    let missing = [
        ("MCP-Protocol-Version", declared.protocol_version.is_some()),
        ("Mcp-Method", declared.method.is_some()),
        (
            "Mcp-Name",
            declared.name.is_some()
                || !matches!(
                    request.method.as_str(),
                    "tools/call" | "prompts/get" | "resources/read"
                ),
        ),
    ]
    .into_iter()
    .find(|(_, present)| !present);
    if let Some((header, _)) = missing {
        return Err(refused(
            code::HEADER_MISMATCH,
            format!("A {STATELESS_VERSION} request of this method must carry the {header} header"),
        ));
    }
    if let Some(level) = meta.get(meta::LOG_LEVEL) {
        if !level
            .as_str()
            .is_some_and(|level| LOG_LEVELS.contains(&level))
        {
            return Err(invalid_meta(format!(
                "_meta[\"{}\"] must be one of {}",
                meta::LOG_LEVEL,
                LOG_LEVELS.join(", ")
            )));
        }
    }
    Ok(Era::Stateless(Client {
        can_elicit: can_elicit(capabilities),
    }))
}

/// What `Mcp-Name` repeats for a method that has a target: the tool's or
/// prompt's `name`, the resource's `uri`. `None` for a method without one,
/// whose `Mcp-Name`, if sent, is not compared (the method itself is then
/// answered as not found).
fn target(request: &Request) -> Option<&str> {
    let field = match request.method.as_str() {
        "tools/call" | "prompts/get" => "name",
        "resources/read" | "resources/subscribe" | "resources/unsubscribe" => "uri",
        _ => return None,
    };
    Some(
        request
            .params
            .get(field)
            .and_then(Value::as_str)
            .unwrap_or_default(),
    )
}

/// `Mcp-Name` as text: a value sent as `=?base64?...?=` (for names that are
/// not plain ASCII) decoded; one that does not decode is left as it is, and
/// so matches no name.
fn decode_name(value: &str) -> Cow<'_, str> {
    let Some(encoded) = value
        .trim()
        .strip_prefix("=?base64?")
        .and_then(|rest| rest.strip_suffix("?="))
    else {
        return Cow::Borrowed(value);
    };
    match base64::decode(encoded).map(String::from_utf8) {
        Some(Ok(name)) => Cow::Owned(name),
        _ => Cow::Borrowed(value),
    }
}

/// Whether client capabilities admit a form question: `elicitation: {}`
/// means forms, and so does an `elicitation` that lists `form`; one that
/// lists only `url` does not.
fn can_elicit(capabilities: &Map<String, Value>) -> bool {
    match capabilities.get("elicitation").and_then(Value::as_object) {
        Some(elicitation) => elicitation.is_empty() || elicitation.contains_key("form"),
        None => false,
    }
}

fn invalid_meta(message: String) -> EraError {
    refused(crate::jsonrpc::code::INVALID_PARAMS, message)
}

fn refused(code: i64, message: String) -> EraError {
    EraError::Refused(RpcError::new(code, message))
}
