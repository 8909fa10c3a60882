//! The tool registry: every tool's definition (name, title, description,
//! annotations, schemas) beside its handler.
//!
//! A tool is one [`ToolDefinition`] in the `TOOLS` of its group's module
//! (`organizations`, `members`, `invitations`, `users`, `sessions`,
//! `roles`, `instance`, `access`, `billing`); each group is a [`Toolset`], and [`registry`] chains the
//! groups. A handler takes its arguments as a typed struct, whose
//! [`schemars::JsonSchema`] derive defines the published `inputSchema`
//! (`schemas` says how it is published), and returns a typed output whose
//! schema is the `outputSchema`; `call::run` reads the arguments, checks
//! them and writes the output. This layer knows MCP's tool shapes, not
//! JSON-RPC or HTTP.
//!
//! A new tool goes in its group's module: a `ToolDefinition` in `TOOLS`, an
//! arguments struct, an output type and a handler; `schemas` says how its
//! schemas reach `schemas.json`.

mod access;
mod arguments;
mod billing;
mod budget;
mod bulk;
mod call;
mod caller;
mod effects;
mod error;
mod fields;
mod instance;
mod invitations;
mod members;
mod organizations;
mod output;
mod preview;
mod question;
mod redaction;
mod roles;
mod schemas;
mod selection;
mod sessions;
mod users;
mod whoami;

use std::sync::OnceLock;

use serde_json::value::{to_raw_value, RawValue};
use serde_json::{json, Value};

pub use arguments::Arguments;
pub use budget::{resource_uri, Shape, SCHEME};
pub use call::{call, Call, CallResult, Credentials, Handler};
pub use caller::{Actor, Caller, Policy, WritesWithheld};
pub use effects::{Describer, Effect};
pub use error::ToolError;
pub use fields::Fields;
pub use output::Timestamp;
pub use question::{Choice, Question, MAX_CHOICES};
pub use schemas::SchemaSource;
pub use selection::{Confirm, Selection, Toolset, Toolsets};

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

/// One tool, as `tools/list` publishes it and `tools/call` runs it.
pub struct ToolDefinition {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub annotations: Annotations,
    pub input_schema: SchemaSource,
    pub output_schema: SchemaSource,
    pub handler: Handler,
    /// What a call would change, read before it is made: every tool that
    /// writes has one (see [`effects`]).
    pub effect: Option<Describer>,
}

/// Each group of tools with its toolset, in the order `tools/list` shows
/// them. The tools of no toolset are about the server and the connection
/// itself, and every selection has them.
///
/// `--cfg without_toolset="name"` leaves a toolset's group out of a build,
/// and with it every piece of code only its tools reach: how
/// `tests/bundle/toolsets.mjs` measures what each toolset costs.
static GROUPS: &[(Option<Toolset>, &[ToolDefinition])] = &[
    #[cfg(not(without_toolset = "organizations"))]
    (Some(Toolset::Organizations), &organizations::TOOLS),
    #[cfg(not(without_toolset = "members"))]
    (Some(Toolset::Members), &members::TOOLS),
    #[cfg(not(without_toolset = "invitations"))]
    (Some(Toolset::Invitations), &invitations::TOOLS),
    #[cfg(not(without_toolset = "users"))]
    (Some(Toolset::Users), &users::TOOLS),
    #[cfg(not(without_toolset = "sessions"))]
    (Some(Toolset::Sessions), &sessions::TOOLS),
    #[cfg(not(without_toolset = "roles"))]
    (Some(Toolset::Roles), &roles::TOOLS),
    #[cfg(not(without_toolset = "instance"))]
    (Some(Toolset::Instance), &instance::TOOLS),
    #[cfg(not(without_toolset = "access"))]
    (Some(Toolset::Access), &access::TOOLS),
    #[cfg(not(without_toolset = "billing"))]
    (Some(Toolset::Billing), &billing::TOOLS),
    (None, &preview::TOOLS),
    (None, &whoami::TOOLS),
];

/// Every tool this server offers, with its toolset if it has one.
pub fn registry() -> impl Iterator<Item = (Option<Toolset>, &'static ToolDefinition)> {
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

/// The tool called `name` in `selection`'s toolsets, whether it writes or
/// not: what a preview may look at.
fn find_any(name: &str, selection: Selection) -> Option<&'static ToolDefinition> {
    find(
        name,
        Selection {
            read_only: false,
            ..selection
        },
    )
}

/// Reads what `call` of `tool` would change, sending nothing but reads;
/// a tool that only reads changes nothing.
pub async fn effect_of(tool: &ToolDefinition, call: Call<'_>) -> Result<Effect, ToolError> {
    match tool.effect {
        Some(describe) => describe(call).await,
        None => Ok(Effect::said(format!(
            "{} only reads: it changes nothing.",
            tool.name
        ))),
    }
}

/// The argument every write tool takes besides its own: the token of a
/// confirmation the user gave (see the MCP layer's confirmation).
pub const CONFIRM_TOKEN: &str = "confirmToken";

fn confirm_token_schema() -> Value {
    json!({
        "type": "string",
        "description": "Only as this tool's answer asking for the user's yes says.",
    })
}

/// The `tools/list` answer for a selection, with `privateMetadata` gone
/// from the output schemas when `redact` is set. Each distinct answer is
/// written once per isolate, on first use, so a request only copies it.
pub fn list(selection: Selection, redact: bool) -> &'static ToolList {
    const TOOLSETS: usize = Toolset::ALL.len();
    const VARIANTS: usize = 1 << (TOOLSETS + 2);
    static LISTS: [OnceLock<ToolList>; VARIANTS] = [const { OnceLock::new() }; VARIANTS];
    let index = usize::from(selection.toolsets.bits())
        | usize::from(selection.read_only) << TOOLSETS
        | usize::from(redact) << (TOOLSETS + 1);
    LISTS[index].get_or_init(|| {
        let tools: Vec<Value> = selected(selection)
            .map(|tool| {
                let mut json = tool.to_json();
                if redact {
                    redaction::redact_private_metadata_schema(&mut json["outputSchema"]);
                    if let Some(Value::Array(names)) =
                        json.pointer_mut("/inputSchema/properties/fields/items/enum")
                    {
                        names.retain(|name| name != "privateMetadata");
                    }
                }
                json
            })
            .collect();
        // Writing a `Value` as JSON cannot fail: its keys are strings.
        let array = to_raw_value(&tools).unwrap_or_else(|_| RawValue::NULL.to_owned());
        let object =
            to_raw_value(&json!({ "tools": &array })).unwrap_or_else(|_| RawValue::NULL.to_owned());
        ToolList { object, array }
    })
}

/// One selection's tools as JSON text: the array, and the `{"tools": [...]}`
/// result that holds it.
#[derive(Debug)]
pub struct ToolList {
    object: Box<RawValue>,
    array: Box<RawValue>,
}

impl ToolList {
    /// `{"tools": [...]}`.
    pub fn object(&self) -> &RawValue {
        &self.object
    }

    /// The tools array alone.
    pub fn array(&self) -> &RawValue {
        &self.array
    }
}

impl ToolDefinition {
    fn to_json(&self) -> Value {
        let (mut input_schema, output_schema) = schemas::of(self.name);
        if !self.annotations.read_only {
            if let Some(properties) = input_schema
                .get_mut("properties")
                .and_then(Value::as_object_mut)
            {
                properties.insert(CONFIRM_TOKEN.to_owned(), confirm_token_schema());
            }
        }
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
