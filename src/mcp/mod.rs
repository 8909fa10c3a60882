//! The MCP methods: what each JSON-RPC request asks of the server, and its
//! answer. Knows JSON-RPC, the tool registry and the prompts; not HTTP, and
//! not Clerk, which only the tools call.
//!
//! Two eras share one endpoint ([`era`] decides which a request speaks):
//!
//! | method             | 2025-03-26, 2025-06-18, 2025-11-25 | 2026-07-28                |
//! |--------------------|------------------------------------|---------------------------|
//! | `initialize`       | agrees a version, says what is offered | not found             |
//! | `server/discover`  | not found                          | says what is offered      |
//! | `ping`, `logging/setLevel` | answered                   | not found                 |
//! | `tools/list`, `tools/call`, `prompts/list`, `prompts/get` | answered | answered, in the era's envelope |
//! | `resources/list`, `resources/templates/list`, `resources/read` | answered | answered, in the era's envelope |
//!
//! [`resources`] serves users and organizations as resources. [`results`] holds each method's result in both eras' shapes. Any other
//! method is `-32601`. Notifications need no answer and change nothing: the
//! server is stateless. Every `tools/call` writes one line to the [`audit`]
//! trail.

pub mod audit;
mod confirmation;
mod era;
#[cfg(feature = "conformance-fixtures")]
mod fixtures;
mod input;
pub mod prompts;
mod resources;
mod results;
mod state;
mod version;

use std::fmt::Write;

use serde_json::{json, Map, Value};

use crate::jsonrpc::{self, code, Reply, Request, Response, RpcError};
use crate::oauth::Platform;
use crate::text::shorten;
use crate::tools::{
    self, CallResult, Confirm, Credentials, Policy, Selection, ToolError, WritesWithheld,
};

pub use audit::{Outcome, Trail};
pub use era::{
    decide, handshake_version, is_stateless, Declared, Era, EraError, STATELESS_VERSION,
};
pub use results::{icon, CacheScope, Caching};
pub use state::Principal;
pub use version::ProtocolVersion;

/// What a request may use besides its own message.
pub struct Context<'a> {
    /// The Clerk client the request's tools call through, or why it has none.
    pub clerk: Credentials<'a>,
    /// The tools this request may see and call.
    pub selection: Selection,
    /// Which of its writes wait for the user's yes.
    pub confirm: Confirm,
    /// Why the request's write tools are left out and refused, if they are.
    pub writes_withheld: Option<WritesWithheld>,
    /// Whether `privateMetadata` is taken out of every tool output.
    pub redact_private_metadata: bool,
    /// The most bytes of text a tool result may hold.
    pub max_result_bytes: usize,
    /// How the stateless era's list answers may be cached.
    pub list_caching: Caching,
    /// Who the request acts for, whom a question's answer must come from.
    pub principal: Principal<'a>,
    /// The clock and the crypto that sign and check request states, and
    /// the log the audit trail is written to.
    pub platform: &'a dyn Platform,
    /// What the audit trail records of the request.
    pub trail: Trail<'a>,
    /// What the server's settings and the connection's wishes make of it,
    /// as `clerk_whoami` tells it.
    pub policy: Policy,
}

/// An answer, and how it stands.
#[derive(Debug)]
pub struct Answer {
    pub response: Response,
    pub standing: Standing,
}

/// How an answer stands, which the transport says with its HTTP status
/// (MCP 2026-07-28, Transports: Streamable HTTP).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Answered: a result, or an error about the request's content.
    Answered,
    /// The stateless era's answer to a method it does not have: HTTP 404.
    NoSuchMethod,
    /// A stateless request that needs a capability its client did not
    /// declare: HTTP 400.
    Refused,
}

impl Context<'_> {
    /// The tools and prompts the request is offered: its selection, without
    /// the write tools when they are withheld from it.
    pub fn offered(&self) -> Selection {
        Selection {
            read_only: self.selection.read_only || self.writes_withheld.is_some(),
            ..self.selection
        }
    }
}

/// The server's title, as `serverInfo` shows it.
pub const SERVER_TITLE: &str = "Clerk MCP Server";

const SERVER_DESCRIPTION: &str = "Query and manage a Clerk instance: users, organizations, \
    members and their roles, invitations, sessions and metadata.";

const INSTRUCTIONS: &str = "These tools administer one Clerk instance through its Backend API.\n\
    - IDs carry a prefix that says what they name: user_ (user), org_ (organization), \
    orgmem_ (membership), orginv_ (organization invitation), inv_ (application invitation), \
    sess_ (session). Pass IDs exactly as tools \
    returned them; to find a user's ID from an email address, call clerk_list_users with \
    emailAddress.\n\
    - Lists are paginated with limit and offset. Each list answer has totalCount, count, \
    hasMore and, when hasMore is true, nextOffset: call again with offset = nextOffset to \
    read the next page. Do not guess that a list is complete from its length.\n\
    - Times are ISO 8601 in UTC. Fields that are empty are left out of compact lists.\n\
    - A failed call comes back as an error result that names the HTTP status and Clerk's \
    error code and message; fix the argument it names rather than retrying unchanged.";

/// The levels of `logging/setLevel` and of the stateless era's `logLevel`
/// (RFC 5424 severities, as MCP names them).
const LOG_LEVELS: [&str; 8] = [
    "debug",
    "info",
    "notice",
    "warning",
    "error",
    "critical",
    "alert",
    "emergency",
];

/// Answers one request, in the shape of its era.
pub async fn handle_request(request: Request, era: &Era, context: &Context<'_>) -> Answer {
    #[cfg(feature = "conformance-fixtures")]
    if let Some((outcome, standing)) = fixtures::answer(&request, era, context).await {
        return Answer {
            response: Response::new(request.id, outcome),
            standing,
        };
    }
    let outcome = match (era, request.method.as_str()) {
        (Era::Handshake(_), "initialize") => initialize(&request.params),
        (Era::Handshake(_), "ping") => jsonrpc::reply(&json!({})),
        (Era::Handshake(_), "logging/setLevel") => set_log_level(&request.params),
        (Era::Stateless(_), "server/discover") => results::introduction(era),
        (_, "tools/list") => list_tools(&request.params, era, context),
        (_, "tools/call") => {
            let call = audit::ToolCall::begin(&request.params, context);
            let outcome = call_tool(request.params, era, &call.context(context)).await;
            call.write(outcome.is_ok(), context);
            outcome
        }
        (_, "prompts/list") => list_prompts(&request.params, era, context),
        (_, "prompts/get") => get_prompt(request.params, era, context),
        (_, "resources/list") => resources::list(&request.params, era, context),
        (_, "resources/templates/list") => resources::list_templates(&request.params, era, context),
        (_, "resources/read") => {
            let read = audit::ToolCall::begin_read(&request.params, context);
            let outcome = resources::read(&request.params, era, &read.context(context)).await;
            read.write(outcome.is_ok(), context);
            outcome
        }
        (_, other) => Err(RpcError::new(
            code::METHOD_NOT_FOUND,
            format!("Method not found: {}", shorten(other, 80)),
        )),
    };
    let standing = match (era, &outcome) {
        (Era::Stateless(_), Err(error)) if error.code == code::METHOD_NOT_FOUND => {
            Standing::NoSuchMethod
        }
        _ => Standing::Answered,
    };
    Answer {
        response: Response::new(request.id, outcome),
        standing,
    }
}

/// `initialize`: agree on a version and say what the server offers.
///
/// The answer uses the client's version when the server supports it, and the
/// latest supported version otherwise (MCP Lifecycle: Version Negotiation).
fn initialize(params: &Map<String, Value>) -> Result<Reply, RpcError> {
    let requested = params
        .get("protocolVersion")
        .and_then(Value::as_str)
        .ok_or_else(|| RpcError::invalid_params("initialize needs a \"protocolVersion\" string"))?;
    let version = ProtocolVersion::parse(requested).unwrap_or(ProtocolVersion::LATEST);
    results::introduction(&Era::Handshake(version))
}

/// `tools/list`: every tool on one page, so any cursor is unknown.
fn list_tools(
    params: &Map<String, Value>,
    era: &Era,
    context: &Context<'_>,
) -> Result<Reply, RpcError> {
    match params.get("cursor") {
        None | Some(Value::Null) => results::tools_list(
            era,
            tools::list(context.offered(), context.redact_private_metadata),
            context.list_caching,
        ),
        Some(Value::String(_)) => Err(RpcError::invalid_params(
            "Unknown cursor: tools/list returns every tool on its first page",
        )),
        Some(_) => Err(RpcError::invalid_params("\"cursor\" must be a string")),
    }
}

/// `tools/call`: an unknown tool, or one outside the request's selection, is
/// a protocol error; everything that goes wrong inside a known tool is a
/// tool result with `isError: true`.
async fn call_tool(
    mut params: Map<String, Value>,
    era: &Era,
    context: &Context<'_>,
) -> Result<Reply, RpcError> {
    let (name, mut arguments) = name_and_arguments(&mut params, "tools/call")?;
    let tool = tools::find(&name, context.selection)
        .ok_or_else(|| RpcError::invalid_params(format!("Unknown tool: {}", shorten(&name, 80))))?;
    if let (Some(withheld), false) = (context.writes_withheld, tool.annotations.read_only) {
        context.record_outcome(Outcome::Refused);
        let refused = CallResult::failed(ToolError::Withheld(withheld.reason(&name)));
        return results::tool_result(era, &refused, &fence_for(&refused, context.platform));
    }
    let confirm_token = match tool.annotations.read_only {
        true => None,
        false => arguments.remove(tools::CONFIRM_TOKEN),
    };
    input::call_tool(tool, arguments, confirm_token, &params, era, context).await
}

/// A fence for a text block: 32 random hex characters, new for every
/// answer, drawn again in the unlikely case the fenced text (which
/// `holds` searches) holds its marker. A runtime without randomness (none
/// that runs this server) would get a fence made from the clock.
fn fence(platform: &dyn Platform, holds: impl Fn(&str) -> bool) -> String {
    let mut id = String::with_capacity(32);
    for _ in 0..4 {
        let mut bytes = [0u8; 16];
        if platform.random_bytes(&mut bytes).is_err() {
            bytes[..8].copy_from_slice(&platform.now().to_le_bytes());
        }
        id.clear();
        for byte in bytes {
            // Writing to a String cannot fail.
            let _ = write!(id, "{byte:02x}");
        }
        if !holds(&format!("untrusted-data-{id}")) {
            break;
        }
    }
    id
}

/// A fence for `result`'s output.
fn fence_for(result: &CallResult, platform: &dyn Platform) -> String {
    fence(platform, |marker| result.output_contains(marker))
}

/// The `name` and `arguments` of a `tools/call` or `prompts/get`; absent
/// arguments read as none.
fn name_and_arguments(
    params: &mut Map<String, Value>,
    method: &str,
) -> Result<(String, Map<String, Value>), RpcError> {
    let name = match params.remove("name") {
        Some(Value::String(name)) => name,
        _ => {
            return Err(RpcError::invalid_params(format!(
                "{method} needs a \"name\" string"
            )))
        }
    };
    match params.remove("arguments") {
        None | Some(Value::Null) => Ok((name, Map::new())),
        Some(Value::Object(arguments)) => Ok((name, arguments)),
        Some(_) => Err(RpcError::invalid_params("\"arguments\" must be an object")),
    }
}

/// `prompts/list`: every prompt on one page, so any cursor is unknown.
fn list_prompts(
    params: &Map<String, Value>,
    era: &Era,
    context: &Context<'_>,
) -> Result<Reply, RpcError> {
    match params.get("cursor") {
        None | Some(Value::Null) => {
            results::prompts_list(era, prompts::list(context.offered()), context.list_caching)
        }
        Some(_) => Err(RpcError::invalid_params(
            "Unknown cursor: prompts/list returns every prompt on its first page",
        )),
    }
}

/// `prompts/get`: an unknown prompt or a missing argument is `-32602`.
fn get_prompt(
    mut params: Map<String, Value>,
    era: &Era,
    context: &Context<'_>,
) -> Result<Reply, RpcError> {
    let (name, arguments) = name_and_arguments(&mut params, "prompts/get")?;
    let prompt = prompts::get(&name, arguments, context.offered())
        .map_err(|error| RpcError::invalid_params(error.to_string()))?;
    results::prompt(era, &prompt)
}

/// `logging/setLevel`: accepted for any valid level. The server sends no log
/// notifications over its stateless JSON answers, so there is nothing to filter.
fn set_log_level(params: &Map<String, Value>) -> Result<Reply, RpcError> {
    match params.get("level").and_then(Value::as_str) {
        Some(level) if LOG_LEVELS.contains(&level) => jsonrpc::reply(&json!({})),
        _ => Err(RpcError::invalid_params(format!(
            "\"level\" must be one of {}",
            LOG_LEVELS.join(", ")
        ))),
    }
}
