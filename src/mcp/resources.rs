//! The resources: each user and each organization of the instance, by ID,
//! at `clerk://users/{userId}` and `clerk://organizations/{organizationId}`
//! (MCP 2025-06-18, Server features: Resources).
//!
//! They are templates only: `resources/list` lists no concrete resource
//! (there are too many to list), while list tools link each item they
//! return to its resource. Reading one runs the get tool of its kind
//! (`clerk_get_user`, `clerk_get_organization`), so that it has the same
//! shape, the same `privateMetadata` redaction, the same credentials, and
//! the same selection: a template is offered, and its resources read,
//! only when the request's selection has that tool. A resource is not cut
//! to the byte budget of tool results: a client reads it when it needs the
//! whole object.
//!
//! An unknown or unreadable URI is "resource not found": `-32002` in the
//! handshake eras, `-32602` in 2026-07-28, which folded it into invalid
//! params; either way with the URI in `data`.

use serde_json::{json, Map, Value};

use super::results::{self, CacheScope, Caching};
use super::{Context, Era, Outcome};
use crate::jsonrpc::{code, Reply, RpcError};
use crate::text::shorten;
use crate::tools::{self, Shape, ToolError};

/// "Resource not found" in the handshake eras.
const RESOURCE_NOT_FOUND: i64 = -32002;

/// One kind of resource: its URI prefix, its template, and the tool and
/// argument that read it.
struct Kind {
    prefix: &'static str,
    template: &'static str,
    name: &'static str,
    title: &'static str,
    description: &'static str,
    tool: &'static str,
    argument: &'static str,
}

const KINDS: [Kind; 2] = [
    Kind {
        prefix: "clerk://users/",
        template: "clerk://users/{userId}",
        name: "user",
        title: "Clerk user",
        description: "One user's full profile, as clerk_get_user returns it.",
        tool: "clerk_get_user",
        argument: "userId",
    },
    Kind {
        prefix: "clerk://organizations/",
        template: "clerk://organizations/{organizationId}",
        name: "organization",
        title: "Clerk organization",
        description: "One organization, as clerk_get_organization returns it.",
        tool: "clerk_get_organization",
        argument: "organizationId",
    },
];

/// The kinds the request's selection can read.
fn offered<'a>(context: &'a Context<'_>) -> impl Iterator<Item = &'static Kind> + 'a {
    KINDS
        .iter()
        .filter(|kind| tools::find(kind.tool, context.selection).is_some())
}

/// The templates of the kinds the request may read, as
/// `resources/templates/list` returns them.
pub fn templates(context: &Context<'_>) -> Vec<Value> {
    offered(context)
        .map(|kind| {
            json!({
                "uriTemplate": kind.template,
                "name": kind.name,
                "title": kind.title,
                "description": kind.description,
                "mimeType": "application/json",
            })
        })
        .collect()
}

/// `resources/list`: no concrete resource, on one page.
pub fn list(
    params: &Map<String, Value>,
    era: &Era,
    context: &Context<'_>,
) -> Result<Reply, RpcError> {
    no_cursor(params, "resources/list")?;
    results::in_era(
        era,
        &one("resources", json!([])),
        Some(context.list_caching),
    )
}

/// `resources/templates/list`: every template on one page.
pub fn list_templates(
    params: &Map<String, Value>,
    era: &Era,
    context: &Context<'_>,
) -> Result<Reply, RpcError> {
    no_cursor(params, "resources/templates/list")?;
    let templates = Value::Array(templates(context));
    results::in_era(
        era,
        &one("resourceTemplates", templates),
        Some(context.list_caching),
    )
}

/// `resources/read`: the user or organization the URI names, as JSON text.
pub async fn read(
    params: &Map<String, Value>,
    era: &Era,
    context: &Context<'_>,
) -> Result<Reply, RpcError> {
    let uri = match params.get("uri") {
        Some(Value::String(uri)) => uri.as_str(),
        _ => {
            return Err(RpcError::invalid_params(
                "resources/read needs a \"uri\" string",
            ))
        }
    };
    let found = offered(context).find_map(|kind| {
        let id = uri.strip_prefix(kind.prefix)?;
        let tool = tools::find(kind.tool, context.selection)?;
        Some((kind, id, tool))
    });
    let Some((kind, id, tool)) = found else {
        return Err(not_found(era, uri));
    };
    let mut arguments = Map::new();
    arguments.insert(kind.argument.to_owned(), Value::from(id));
    let call = context.tool_call(arguments, false);
    let shape = Shape {
        redact_private_metadata: context.redact_private_metadata,
        max_bytes: usize::MAX,
    };
    let result = tools::call(tool, call, shape).await;
    if result.is_error() {
        context.record_outcome(Outcome::ToolError);
    }
    let text = match result.into_output() {
        Ok(output) => output,
        Err(ToolError::NotFound { .. } | ToolError::InvalidArgument { .. }) => {
            return Err(not_found(era, uri))
        }
        Err(error @ ToolError::Key(_)) => {
            return Err(RpcError::new(code::INVALID_REQUEST, error.to_string()))
        }
        Err(error) => return Err(RpcError::new(code::INTERNAL_ERROR, error.to_string())),
    };
    let contents = json!([{"uri": uri, "mimeType": "application/json", "text": text.get()}]);
    // What a user or an organization holds changes at any time, and is for
    // the caller alone.
    let caching = Caching {
        ttl_ms: 0,
        scope: CacheScope::Private,
    };
    results::in_era(era, &one("contents", contents), Some(caching))
}

fn one(name: &str, value: Value) -> Map<String, Value> {
    let mut result = Map::new();
    result.insert(name.to_owned(), value);
    result
}

fn no_cursor(params: &Map<String, Value>, method: &str) -> Result<(), RpcError> {
    match params.get("cursor") {
        None | Some(Value::Null) => Ok(()),
        Some(_) => Err(RpcError::invalid_params(format!(
            "Unknown cursor: {method} returns everything on its first page"
        ))),
    }
}

/// "Resource not found", in the era's code, naming the URI.
pub fn not_found(era: &Era, uri: &str) -> RpcError {
    let code = match era {
        Era::Handshake(_) => RESOURCE_NOT_FOUND,
        Era::Stateless(_) => code::INVALID_PARAMS,
    };
    let uri = shorten(uri, 200);
    let mut error = RpcError::new(code, format!("Resource not found: {uri}"));
    error.data = Some(json!({ "uri": uri }));
    error
}
