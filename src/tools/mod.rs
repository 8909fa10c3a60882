//! The tool registry: every tool's definition (name, title, description,
//! annotations, schemas) beside its handler, and what a call returns.
//!
//! A tool is one [`ToolDefinition`] in the slice of its group's module
//! (`organizations`, `members`, `invitations`, `users`, `sessions`,
//! `roles`); each group is a
//! [`Toolset`], and [`registry`] chains the groups. A handler reads its arguments into a typed struct whose
//! [`schemars::JsonSchema`] derive is the published `inputSchema`, checks
//! them ([`Arguments::validate`]) before it touches Clerk, and returns a
//! typed output whose schema is the `outputSchema`. This layer knows MCP's
//! tool result shape but not JSON-RPC or HTTP.

mod arguments;
mod error;
mod invitations;
mod members;
mod organizations;
mod output;
mod roles;
mod selection;
mod sessions;
mod users;

use std::future::Future;
use std::sync::OnceLock;

use futures::future::LocalBoxFuture;
use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::clerk::{ClerkClient, KeyError};

pub use arguments::{shorten, Arguments};
pub use error::ToolError;
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

/// Runs one tool call to a JSON output (the `structuredContent`).
pub type Handler = for<'a> fn(Call<'a>) -> LocalBoxFuture<'a, Result<Value, ToolError>>;

/// One tool, as `tools/list` publishes it and `tools/call` runs it.
pub struct ToolDefinition {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub annotations: Annotations,
    pub input_schema: fn() -> Value,
    pub output_schema: fn() -> Value,
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

/// The `tools` array of the `tools/list` answer for a selection, with
/// `privateMetadata` gone from the output schemas when `redact` is set.
/// Each distinct answer is built once per isolate, on first use.
pub fn list(selection: Selection, redact: bool) -> &'static Value {
    const VARIANTS: usize = 1 << 8;
    static LISTS: [OnceLock<Value>; VARIANTS] = [const { OnceLock::new() }; VARIANTS];
    let index = usize::from(selection.toolsets.bits())
        | usize::from(selection.read_only) << 6
        | usize::from(redact) << 7;
    LISTS[index].get_or_init(|| {
        let tools = selected(selection).map(|tool| {
            let mut json = tool.to_json();
            if redact {
                selection::redact_private_metadata_schema(&mut json["outputSchema"]);
            }
            json
        });
        Value::Array(tools.collect())
    })
}

impl ToolDefinition {
    fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "inputSchema": (self.input_schema)(),
            "outputSchema": (self.output_schema)(),
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

/// The `tools/call` result for a handler's outcome: a JSON text block that
/// every client can show, plus `structuredContent` on success, or
/// `isError: true` with a message a model can act on. With `redact`, every
/// `privateMetadata` is taken out of the output first.
pub fn call_result(outcome: Result<Value, ToolError>, redact: bool) -> Value {
    match outcome {
        Ok(mut output) => {
            if redact {
                selection::redact_private_metadata(&mut output);
            }
            json!({
            "content": [{"type": "text", "text": output.to_string()}],
            "structuredContent": output,
            "isError": false,
            })
        }
        Err(error) => json!({
            "content": [{"type": "text", "text": error.to_string()}],
            "isError": true,
        }),
    }
}

/// The input schema of an arguments struct: what a client may send.
pub fn input_schema<T: JsonSchema>() -> Value {
    schema_for::<T>(SchemaSettings::draft2020_12().for_deserialize())
}

/// The output schema of a tool's structured result: what the server sends.
pub fn output_schema<T: JsonSchema>() -> Value {
    schema_for::<T>(SchemaSettings::draft2020_12().for_serialize())
}

/// A JSON Schema (draft 2020-12, the MCP default dialect) for `T`, with every
/// subschema inlined so that any client's validator reads it, and without
/// `$schema` or a top-level `title` or `description` (the tool's own
/// description says what the arguments and the result are).
fn schema_for<T: JsonSchema>(settings: SchemaSettings) -> Value {
    let generator = settings
        .with(|settings| {
            settings.inline_subschemas = true;
            settings.meta_schema = None;
        })
        .into_generator();
    let mut schema = generator.into_root_schema_for::<T>().to_value();
    if let Some(object) = schema.as_object_mut() {
        object.remove("title");
        object.remove("description");
    }
    remove_numeric_formats(&mut schema);
    schema
}

/// Removes the `format`s schemars gives Rust number types (`uint32`,
/// `int64`, `double`, ...): JSON Schema defines none of them, so validators
/// only warn about them, and `minimum`/`maximum` already state the bounds.
fn remove_numeric_formats(schema: &mut Value) {
    match schema {
        Value::Object(object) => {
            let numeric = object
                .get("format")
                .and_then(Value::as_str)
                .is_some_and(|format| {
                    format.starts_with("int")
                        || format.starts_with("uint")
                        || format == "float"
                        || format == "double"
                });
            if numeric {
                object.remove("format");
            }
            object.values_mut().for_each(remove_numeric_formats);
        }
        Value::Array(items) => items.iter_mut().for_each(remove_numeric_formats),
        _ => {}
    }
}

/// The body every handler shares: read and check the arguments, then make
/// sure there is a key, then run `run` and serialize its output.
fn run_typed<'a, A, O, F, Fut>(
    call: Call<'a>,
    run: F,
) -> LocalBoxFuture<'a, Result<Value, ToolError>>
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
) -> LocalBoxFuture<'a, Result<Value, ToolError>>
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
        serde_json::to_value(output).map_err(|error| ToolError::Internal(error.to_string()))
    })
}
