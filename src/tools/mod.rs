//! The tool registry: every tool's definition (name, title, description,
//! annotations, schemas) beside its handler.
//!
//! A tool is one [`ToolDefinition`] in the `TOOLS` of its group's module
//! (`organizations`, `members`, `invitations`, `users`, `sessions`,
//! `roles`); each group is a [`Toolset`], and [`registry`] chains the
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

mod arguments;
mod call;
mod error;
mod invitations;
mod members;
mod organizations;
mod output;
mod question;
mod redaction;
mod roles;
mod schemas;
mod selection;
mod sessions;
mod users;

use std::sync::OnceLock;

use serde_json::value::{to_raw_value, RawValue};
use serde_json::{json, Value};

pub use arguments::Arguments;
pub use call::{call, CallResult, Credentials, Handler};
pub use error::ToolError;
pub use output::Timestamp;
pub use question::{Choice, Question, MAX_CHOICES};
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

/// The `tools/list` answer for a selection, with `privateMetadata` gone
/// from the output schemas when `redact` is set. Each distinct answer is
/// written once per isolate, on first use, so a request only copies it.
pub fn list(selection: Selection, redact: bool) -> &'static ToolList {
    const VARIANTS: usize = 1 << 8;
    static LISTS: [OnceLock<ToolList>; VARIANTS] = [const { OnceLock::new() }; VARIANTS];
    let index = usize::from(selection.toolsets.bits())
        | usize::from(selection.read_only) << 6
        | usize::from(redact) << 7;
    LISTS[index].get_or_init(|| {
        let tools: Vec<Value> = selected(selection)
            .map(|tool| {
                let mut json = tool.to_json();
                if redact {
                    redaction::redact_private_metadata_schema(&mut json["outputSchema"]);
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
