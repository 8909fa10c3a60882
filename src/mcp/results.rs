//! The results of each method, in the shape of each era, side by side.
//!
//! A handshake-era result is the bare result object. A stateless result
//! (MCP 2026-07-28, Basic: Result Type; Server: Caching) is the same object
//! plus `resultType`, the server's identity in `_meta`, and, for
//! `server/discover` and the lists, how long and by whom it may be cached.

use serde::ser::SerializeMap;
use serde::Serialize;
use serde_json::{json, Map, Value};

use super::era::{meta, Era, STATELESS_VERSION};
use super::{INSTRUCTIONS, SERVER_DESCRIPTION, SERVER_TITLE};
use crate::jsonrpc::{self, Reply, RpcError};
use crate::tools::{CallResult, ToolList};

/// Who may keep a list answer, and for how long (MCP 2026-07-28, Server:
/// Caching).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Caching {
    pub ttl_ms: u64,
    pub scope: CacheScope,
}

/// `cacheScope`: `Public` when the answer is the same for every caller of
/// the URL; `Private` when it depends on who asks or on the headers they
/// send.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CacheScope {
    Public,
    Private,
}

/// `tools/list`: the handshake eras get the list written once per isolate;
/// the stateless era the same tools in its envelope.
pub fn tools_list(
    era: &Era,
    tools: &'static ToolList,
    caching: Caching,
) -> Result<Reply, RpcError> {
    match era {
        Era::Handshake(_) => Ok(Reply::Borrowed(tools.object())),
        Era::Stateless(_) => complete(&Entry("tools", tools.array()), Some(caching)),
    }
}

/// `prompts/list`.
pub fn prompts_list(era: &Era, prompts: Value, caching: Caching) -> Result<Reply, RpcError> {
    match era {
        Era::Handshake(_) => jsonrpc::reply(&json!({ "prompts": prompts })),
        Era::Stateless(_) => complete(&Entry("prompts", &prompts), Some(caching)),
    }
}

/// `tools/call`: the tool's result, its output fenced with `fence`, complete.
pub fn tool_result(era: &Era, result: &CallResult, fence: &str) -> Result<Reply, RpcError> {
    let links = match era {
        Era::Handshake(version) => version.has_resource_links(),
        Era::Stateless(_) => true,
    };
    let fenced = Fenced(result, fence, links);
    match era {
        Era::Handshake(_) => jsonrpc::reply(&fenced),
        Era::Stateless(_) => complete(&fenced, None),
    }
}

/// A tool result with the fence its output is written in, and whether its
/// era has `resource_link` content.
struct Fenced<'a>(&'a CallResult, &'a str, bool);

impl Serialize for Fenced<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        self.write(&mut map)?;
        map.end()
    }
}

/// What a program reads of a call that waits for the user's yes, in the
/// result's `_meta` under [`CONFIRMATION_META`].
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Confirmation<'a> {
    pub summary: &'a str,
    pub confirm_token: &'a str,
    /// ISO 8601, UTC.
    pub expires_at: &'a str,
}

/// The `_meta` key of a [`Confirmation`].
pub const CONFIRMATION_META: &str = "clerk-mcp-worker/confirmation";

/// `tools/call` answered "ask the user first": an error result, which
/// every client shows its model, whose `text` says what to ask and how to
/// call again, and whose `_meta` holds the confirmation for programs (not
/// `structuredContent`, which a client checks against the tool's output
/// schema).
pub fn confirmation_needed(
    era: &Era,
    text: &str,
    confirmation: &Confirmation<'_>,
) -> Result<Reply, RpcError> {
    struct Needed<'a> {
        text: &'a str,
        confirmation: &'a Confirmation<'a>,
        stateless: bool,
    }
    struct NeededMeta<'a>(&'a Needed<'a>);
    impl Serialize for Needed<'_> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(None)?;
            map.serialize_entry("content", &[json!({"type": "text", "text": self.text})])?;
            map.serialize_entry("isError", &true)?;
            if self.stateless {
                map.serialize_entry("resultType", "complete")?;
            }
            map.serialize_entry("_meta", &NeededMeta(self))?;
            map.end()
        }
    }
    impl Serialize for NeededMeta<'_> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(None)?;
            if self.0.stateless {
                write_server_info(&mut map)?;
            }
            map.serialize_entry(CONFIRMATION_META, self.0.confirmation)?;
            map.end()
        }
    }
    jsonrpc::reply(&Needed {
        text,
        confirmation,
        stateless: matches!(era, Era::Stateless(_)),
    })
}

/// `prompts/get`.
pub fn prompt(era: &Era, prompt: &Map<String, Value>) -> Result<Reply, RpcError> {
    match era {
        Era::Handshake(_) => jsonrpc::reply(prompt),
        Era::Stateless(_) => complete(prompt, None),
    }
}

/// What the server offers. The handshake eras announce it in `initialize`
/// (at the version agreed there); the stateless era in `server/discover`,
/// where the identity moves into `_meta`, gains an icon, and logging,
/// which the era deprecates, is not offered.
pub fn introduction(era: &Era) -> Result<Reply, RpcError> {
    // Members in alphabetical order, as the handshake eras' answer has
    // always been written.
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Initialize {
        capabilities: HandshakeCapabilities,
        instructions: &'static str,
        protocol_version: &'static str,
        server_info: ServerInfo,
    }
    #[derive(Serialize)]
    struct HandshakeCapabilities {
        logging: Empty,
        prompts: ListChanged,
        resources: ListChanged,
        tools: ListChanged,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct ListChanged {
        list_changed: bool,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Discover {
        result_type: &'static str,
        supported_versions: [&'static str; 1],
        capabilities: StatelessCapabilities,
        instructions: &'static str,
        #[serde(rename = "_meta")]
        meta: DiscoverMeta,
        ttl_ms: u64,
        cache_scope: CacheScope,
    }
    #[derive(Serialize)]
    struct StatelessCapabilities {
        prompts: Empty,
        resources: Empty,
        tools: Empty,
    }
    #[derive(Serialize)]
    struct DiscoverMeta {
        #[serde(rename = "io.modelcontextprotocol/serverInfo")]
        server_info: ServerInfo,
    }
    match era {
        Era::Handshake(version) => jsonrpc::reply(&Initialize {
            capabilities: HandshakeCapabilities {
                logging: Empty {},
                prompts: ListChanged {
                    list_changed: false,
                },
                resources: ListChanged {
                    list_changed: false,
                },
                tools: ListChanged {
                    list_changed: false,
                },
            },
            instructions: INSTRUCTIONS,
            protocol_version: version.as_str(),
            server_info: ServerInfo::new(None),
        }),
        Era::Stateless(_) => jsonrpc::reply(&Discover {
            result_type: "complete",
            supported_versions: [STATELESS_VERSION],
            capabilities: StatelessCapabilities {
                prompts: Empty {},
                resources: Empty {},
                tools: Empty {},
            },
            instructions: INSTRUCTIONS,
            meta: DiscoverMeta {
                server_info: ServerInfo::new(Some([Icon {
                    mime_type: "image/svg+xml",
                    sizes: ["any"],
                    src: icon(),
                }])),
            },
            // The same for every caller, and it changes only with a deploy.
            ttl_ms: DISCOVER_TTL_MS,
            cache_scope: CacheScope::Public,
        }),
    }
}

/// How long a client may keep the answer to `server/discover`: an hour.
const DISCOVER_TTL_MS: u64 = 3_600_000;

/// `{}`.
#[derive(Serialize)]
struct Empty {}

/// Who the server is, members in alphabetical order.
#[derive(Serialize)]
struct ServerInfo {
    description: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    icons: Option<[Icon; 1]>,
    name: &'static str,
    title: &'static str,
    version: &'static str,
}

impl ServerInfo {
    fn new(icons: Option<[Icon; 1]>) -> Self {
        ServerInfo {
            description: SERVER_DESCRIPTION,
            icons,
            name: crate::SERVER_NAME,
            title: SERVER_TITLE,
            version: crate::SERVER_VERSION,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Icon {
    mime_type: &'static str,
    sizes: [&'static str; 1],
    src: String,
}

/// A result object, written member by member so that an envelope can add
/// its own members after them.
trait Members {
    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

/// A result of one member.
struct Entry<'a, T: ?Sized>(&'static str, &'a T);

impl<T: Serialize + ?Sized> Members for Entry<'_, T> {
    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry(self.0, self.1)
    }
}

impl Members for Map<String, Value> {
    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        self.iter()
            .try_for_each(|(name, value)| map.serialize_entry(name, value))
    }
}

impl Members for Fenced<'_> {
    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        self.0.write_members(map, self.1, self.2)
    }
}

/// `result` in the shape of `era`: bare, or complete in the stateless
/// envelope with `caching` when given.
pub(super) fn in_era(
    era: &Era,
    result: &Map<String, Value>,
    caching: Option<Caching>,
) -> Result<Reply, RpcError> {
    match era {
        Era::Handshake(_) => jsonrpc::reply(result),
        Era::Stateless(_) => complete(result, caching),
    }
}

/// A complete stateless result: `result`'s members, then the envelope's.
fn complete<R: Members>(result: &R, caching: Option<Caching>) -> Result<Reply, RpcError> {
    struct Complete<'a, R>(&'a R, Option<Caching>);
    impl<R: Members> Serialize for Complete<'_, R> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(None)?;
            self.0.write(&mut map)?;
            map.serialize_entry("resultType", "complete")?;
            map.serialize_entry("_meta", &Meta)?;
            if let Some(caching) = self.1 {
                map.serialize_entry("ttlMs", &caching.ttl_ms)?;
                map.serialize_entry("cacheScope", &caching.scope)?;
            }
            map.end()
        }
    }
    jsonrpc::reply(&Complete(result, caching))
}

/// `_meta` of a stateless result: who answered.
pub(super) struct Meta;

impl Serialize for Meta {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        write_server_info(&mut map)?;
        map.end()
    }
}

/// The member of a stateless `_meta` that says who answered.
fn write_server_info<M: SerializeMap>(map: &mut M) -> Result<(), M::Error> {
    #[derive(Serialize)]
    struct ServerInfo {
        name: &'static str,
        version: &'static str,
    }
    map.serialize_entry(
        meta::SERVER_INFO,
        &ServerInfo {
            name: crate::SERVER_NAME,
            version: crate::SERVER_VERSION,
        },
    )
}

/// The server's icon, a key on a violet square, as a `data:` URI.
pub fn icon() -> String {
    const SVG: &str = include_str!("icon.svg");
    let svg = crate::text::percent_encode(SVG.trim(), |byte| {
        !matches!(
            byte,
            b'<' | b'>' | b'#' | b'%' | b'"' | b' ' | b'\n' | 0x80..
        )
    });
    format!("data:image/svg+xml,{svg}")
}
