//! `clerk_preview`: what a call of a write tool would do, without doing it.
//!
//! The preview reads what the call would change through the tool's
//! describer (see [`super::effects`]), the same one whose sentence the
//! confirmation before a destructive call shows. Then it runs the tool
//! itself through a [`Rehearsal`]: the tool's reads reach Clerk, its write
//! is held back, and the preview shows that write as the tool wrote it.

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use super::arguments::{Arguments, Given};
use super::call::{run, Call, Outcome};
use super::output::mapped;
use super::{find_any, Annotations, Caller, SchemaSource, Selection, ToolDefinition, ToolError};
use crate::clerk::{ClerkClient, HeldRequest, Rehearsal};
use crate::text::shorten;

pub static TOOLS: [ToolDefinition; 1] = [ToolDefinition {
    name: "clerk_preview",
    title: "Preview a change",
    description: "Show what a call of a write tool would do, without doing it: a one-sentence \
        summary (what changes, what goes with it, whether it can be undone), the Clerk \
        requests (passwords masked), an update's before and after, and what a deletion takes \
        with it.",
    annotations: Annotations::READ_ONLY,
    input_schema: SchemaSource::input::<PreviewArgs>(),
    output_schema: SchemaSource::output::<Preview>(),
    handler: |call| {
        let (selection, caller) = (call.selection, call.caller);
        run(call, move |clerk, args| {
            preview(clerk, args, selection, caller)
        })
    },
    effect: None,
}];

/// Arguments of `clerk_preview`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct PreviewArgs {
    /// Write tool to preview, such as `clerk_delete_organization`.
    #[schemars(length(min = 1, max = 64))]
    name: String,
    /// The arguments you would call it with.
    #[serde(default)]
    arguments: Map<String, Value>,
}

impl Arguments for PreviewArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(PreviewArgs {
            name: given.required("name")?,
            arguments: given.or_default("arguments")?,
        })
    }
}

/// What a call would do.
#[skip_serializing_none]
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Preview {
    /// The tool previewed.
    tool: &'static str,
    /// What the call would do, in one sentence.
    summary: String,
    /// The requests that would change something at Clerk, in order, as they would be sent.
    requests: Vec<PreviewRequest>,
    /// The object as it stands, for a call that changes or removes one.
    current: Option<Object>,
    /// The object as the call would leave it, for an update.
    after: Option<Object>,
    /// How many things would go with the call, by kind (such as `memberships`).
    affected: Option<Map<String, Value>>,
}

/// An object in a tool's output shape, already written as JSON.
#[derive(Debug, Serialize)]
#[serde(transparent)]
struct Object(Box<RawValue>);

impl JsonSchema for Object {
    fn schema_name() -> Cow<'static, str> {
        "Object".into()
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "object"})
    }
}

/// One request to Clerk's Backend API.
#[skip_serializing_none]
#[derive(Debug, Serialize, JsonSchema)]
struct PreviewRequest {
    /// The HTTP method.
    method: String,
    /// The path from `/v1` on, with any query string.
    path: String,
    /// The JSON body, with any password masked.
    body: Option<Value>,
}

impl From<HeldRequest> for PreviewRequest {
    fn from(request: HeldRequest) -> Self {
        PreviewRequest {
            method: request.method,
            path: request.path,
            body: request.body,
        }
    }
}

async fn preview(
    clerk: &ClerkClient<'_>,
    args: PreviewArgs,
    selection: Selection,
    caller: Caller<'_>,
) -> Result<Preview, ToolError> {
    let tool = find_any(&args.name, selection).ok_or_else(|| {
        ToolError::invalid(
            "name",
            format!(
                "no tool {:?} here: name one of the write tools tools/list shows",
                shorten(&args.name, 64)
            ),
        )
    })?;
    let Some(describe) = tool.effect else {
        return Err(ToolError::invalid(
            "name",
            format!(
                "{} only reads, so there is nothing to preview: call it",
                tool.name
            ),
        ));
    };
    let credentials = Ok(clerk.clone());
    let effect = describe(Call {
        arguments: args.arguments.clone(),
        clerk: &credentials,
        can_ask: false,
        selection,
        caller,
    })
    .await?;
    let rehearsal = Rehearsal::new(clerk.http());
    let rehearsed = Ok(clerk.through(&rehearsal));
    let outcome = (tool.handler)(Call {
        arguments: args.arguments,
        clerk: &rehearsed,
        can_ask: false,
        selection,
        caller,
    })
    .await;
    drop(rehearsed);
    // The tool ends on its held-back write, "not sent"; any other error
    // came before it, from a read, and says why the call would fail.
    let held = rehearsal.into_held();
    match outcome {
        Err(error) if held.is_empty() => return Err(error),
        Ok(Outcome::Question(_)) if held.is_empty() => {
            return Err(ToolError::invalid(
                "arguments",
                "the call would first ask which value was meant: name it exactly",
            ))
        }
        _ => {}
    }
    Ok(Preview {
        tool: tool.name,
        summary: effect.summary,
        requests: mapped(held, PreviewRequest::from),
        current: effect.current.map(Object),
        after: effect.after.map(Object),
        affected: (!effect.affected.is_empty()).then_some(effect.affected),
    })
}
