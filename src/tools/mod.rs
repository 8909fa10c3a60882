//! The tool registry: every tool's definition (name, title, description,
//! annotations, schemas) beside its handler, and what a call returns.
//!
//! A tool is one [`ToolDefinition`] in the slice of its group's module
//! (`organizations`, `members`, `invitations`, `users`, `sessions`,
//! `roles`); each group is a
//! [`Toolset`], and [`registry`] chains the groups. A handler reads its
//! arguments into a typed struct whose [`schemars::JsonSchema`] derive
//! defines the published `inputSchema` (`schemas` says how it is
//! published), checks them ([`Arguments::validate`]) before it touches
//! Clerk, and returns a typed output whose schema is the `outputSchema`.
//! This layer knows MCP's tool result shape but not JSON-RPC or HTTP.

mod arguments;
mod error;
mod invitations;
mod members;
mod organizations;
mod output;
mod roles;
mod schemas;
mod selection;
mod sessions;
mod users;

use std::future::Future;
use std::sync::OnceLock;

use futures::future::LocalBoxFuture;
use serde::Serialize;
use serde_json::value::{to_raw_value, RawValue};
use serde_json::{json, Map, Value};

use crate::clerk::{ClerkClient, KeyError};
use crate::jsonrpc::{self, Reply, RpcError};

pub use arguments::{shorten, Arguments};
pub use error::ToolError;
pub use schemas::SchemaSource;
pub use selection::{Selection, Toolset, Toolsets};

/// MCP tool annotations (MCP 2025-06-18, Server features: Tools).
/// Every tool here calls Clerk, so `openWorldHint` is always true.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Annotations {
    pub read_only: bool,
    pub destructive: bool,
    pub idempotent: bool,
}

impl Annotations {
    /// Reads only: RO in the tool contract.
    pub const READ_ONLY: Annotations = Annotations {
        read_only: true,
        destructive: false,
        idempotent: true,
    };

    /// Writes without destroying anything: W.
    pub const WRITE: Annotations = Annotations {
        read_only: false,
        destructive: false,
        idempotent: false,
    };

    /// Writes, and repeating the call changes nothing more: W+I.
    pub const WRITE_IDEMPOTENT: Annotations = Annotations {
        idempotent: true,
        ..Annotations::WRITE
    };

    /// Destroys or takes away something: D.
    pub const DESTRUCTIVE: Annotations = Annotations {
        read_only: false,
        destructive: true,
        idempotent: false,
    };

    /// Destroys, and repeating the call changes nothing more: D+I.
    pub const DESTRUCTIVE_IDEMPOTENT: Annotations = Annotations {
        idempotent: true,
        ..Annotations::DESTRUCTIVE
    };
}

/// What a handler gets: the call's arguments, a Clerk client unless the
/// request has no usable key, and the user who signed in with OAuth, if any.
pub struct Call<'a> {
    pub arguments: Map<String, Value>,
    pub clerk: Result<ClerkClient<'a>, KeyError>,
    /// Under OAuth, the signed-in user: tools whose Clerk call records who
    /// acted (`inviter_user_id`, `requesting_user_id`) name them unless the
    /// call names someone else.
    pub acting_user: Option<&'a str>,
}

/// Runs one tool call to its JSON output (the `structuredContent`).
pub type Handler = for<'a> fn(Call<'a>) -> LocalBoxFuture<'a, Result<Box<RawValue>, ToolError>>;

/// One tool, as `tools/list` publishes it and `tools/call` runs it.
pub struct ToolDefinition {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub annotations: Annotations,
    pub input_schema: SchemaSource,
    pub output_schema: SchemaSource,
    pub handler: Handler,
}

/// Each group of tools with its toolset, in the order `tools/list` shows them.
static GROUPS: [(Toolset, &[ToolDefinition]); 6] = [
    (Toolset::Organizations, &organizations::TOOLS),
    (Toolset::Members, &members::TOOLS),
    (Toolset::Invitations, &invitations::TOOLS),
    (Toolset::Users, &users::TOOLS),
    (Toolset::Sessions, &sessions::TOOLS),
    (Toolset::Roles, &roles::TOOLS),
];

/// Every tool this server offers, with its toolset.
pub fn registry() -> impl Iterator<Item = (Toolset, &'static ToolDefinition)> {
    GROUPS
        .iter()
        .flat_map(|(toolset, tools)| tools.iter().map(move |tool| (*toolset, tool)))
}

/// The tools `selection` allows.
fn selected(selection: Selection) -> impl Iterator<Item = &'static ToolDefinition> {
    registry()
        .filter(move |(toolset, tool)| selection.allows(*toolset, tool.annotations.read_only))
        .map(|(_, tool)| tool)
}

/// The tool called `name`, if `selection` allows it.
pub fn find(name: &str, selection: Selection) -> Option<&'static ToolDefinition> {
    selected(selection).find(|tool| tool.name == name)
}

/// The `tools/list` result for a selection, with `privateMetadata` gone
/// from the output schemas when `redact` is set, as JSON text. Each
/// distinct answer is built once per isolate, on first use, so a request
/// only copies it.
pub fn list(selection: Selection, redact: bool) -> &'static RawValue {
    const VARIANTS: usize = 1 << 8;
    static LISTS: [OnceLock<Box<RawValue>>; VARIANTS] = [const { OnceLock::new() }; VARIANTS];
    let index = usize::from(selection.toolsets.bits())
        | usize::from(selection.read_only) << 6
        | usize::from(redact) << 7;
    LISTS[index].get_or_init(|| {
        let tools: Vec<Value> = selected(selection)
            .map(|tool| {
                let mut json = tool.to_json();
                if redact {
                    selection::redact_private_metadata_schema(&mut json["outputSchema"]);
                }
                json
            })
            .collect();
        // Writing a `Value` as JSON cannot fail: its keys are strings.
        to_raw_value(&json!({ "tools": tools })).unwrap_or_else(|_| RawValue::NULL.to_owned())
    })
}

impl ToolDefinition {
    fn to_json(&self) -> Value {
        let (input_schema, output_schema) = schemas::of(self.name);
        json!({
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "inputSchema": input_schema,
            "outputSchema": output_schema,
            "annotations": {
                "title": self.title,
                "readOnlyHint": self.annotations.read_only,
                "destructiveHint": self.annotations.destructive,
                "idempotentHint": self.annotations.idempotent,
                "openWorldHint": true,
            },
        })
    }
}

/// A `tools/call` result: a text block that every client can show, plus
/// `structuredContent` on success, or `isError: true` with a message a
/// model can act on. On success both hold the output, which is borrowed.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct CallResult<'a> {
    content: [TextContent<'a>; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    structured_content: Option<&'a RawValue>,
    is_error: bool,
}

#[derive(Debug, Serialize)]
struct TextContent<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    text: &'a str,
}

/// The `tools/call` result for a handler's outcome. On success the text
/// block is the output's JSON, as MCP asks of a tool with an output schema.
/// With `redact`, every `privateMetadata` is taken out of the output first.
pub fn call_result(
    outcome: Result<Box<RawValue>, ToolError>,
    redact: bool,
) -> Result<Reply, RpcError> {
    let text = |text| [TextContent { kind: "text", text }];
    match outcome.and_then(|output| {
        if redact {
            redacted(&output)
        } else {
            Ok(output)
        }
    }) {
        Ok(output) => jsonrpc::reply(&CallResult {
            content: text(output.get()),
            structured_content: Some(&output),
            is_error: false,
        }),
        Err(error) => jsonrpc::reply(&CallResult {
            content: text(&error.to_string()),
            structured_content: None,
            is_error: true,
        }),
    }
}

/// `output` without any `privateMetadata`.
fn redacted(output: &RawValue) -> Result<Box<RawValue>, ToolError> {
    let mut output: Value = serde_json::from_str(output.get()).map_err(internal)?;
    selection::redact_private_metadata(&mut output);
    to_raw_value(&output).map_err(internal)
}

pub(super) fn internal(error: serde_json::Error) -> ToolError {
    ToolError::Internal(error.to_string())
}

/// The body every handler shares: read and check the arguments, then make
/// sure there is a key, then run `run` and serialize its output.
fn run_typed<'a, A, O, F, Fut>(
    call: Call<'a>,
    run: F,
) -> LocalBoxFuture<'a, Result<Box<RawValue>, ToolError>>
where
    A: Arguments,
    O: Serialize,
    F: FnOnce(ClerkClient<'a>, A) -> Fut + 'a,
    Fut: Future<Output = Result<O, ToolError>> + 'a,
{
    run_typed_as(call, |clerk, arguments, _| run(clerk, arguments))
}

/// [`run_typed`] for a tool that also needs to know who acts (the
/// signed-in user under OAuth).
fn run_typed_as<'a, A, O, F, Fut>(
    call: Call<'a>,
    run: F,
) -> LocalBoxFuture<'a, Result<Box<RawValue>, ToolError>>
where
    A: Arguments,
    O: Serialize,
    F: FnOnce(ClerkClient<'a>, A, Option<&'a str>) -> Fut + 'a,
    Fut: Future<Output = Result<O, ToolError>> + 'a,
{
    Box::pin(async move {
        let arguments = A::parse(call.arguments)?;
        let clerk = call.clerk.map_err(ToolError::Key)?;
        let output = run(clerk, arguments, call.acting_user).await?;
        to_raw_value(&output).map_err(internal)
    })
}

/// [`run_typed`] for a tool that writes its output's JSON itself: one whose
/// output borrows from Clerk's answer, which lives only as long as the
/// tool's own call, so that it cannot hand the output back to be written.
fn run_written<'a, A, F, Fut>(
    call: Call<'a>,
    run: F,
) -> LocalBoxFuture<'a, Result<Box<RawValue>, ToolError>>
where
    A: Arguments,
    F: FnOnce(ClerkClient<'a>, A) -> Fut + 'a,
    Fut: Future<Output = Result<Box<RawValue>, ToolError>> + 'a,
{
    Box::pin(async move {
        let arguments = A::parse(call.arguments)?;
        let clerk = call.clerk.map_err(ToolError::Key)?;
        run(clerk, arguments).await
    })
}
