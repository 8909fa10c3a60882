//! The tools, prompts and resources the MCP conformance suite calls by name
//! (`test_simple_text`, `test_input_required_result_elicitation`, ...), so
//! that its scenarios can exercise the server's protocol machinery: the
//! era's envelope, caching hints, request states and their checks.
//!
//! Compiled only with the `conformance-fixtures` feature, which only the
//! end-to-end tests' build turns on; the release build never has it, and
//! no setting at run time can bring it in.

use serde_json::{json, Map, Value};

use super::results::in_era;
use super::state::Signed;
use super::{prompts, resources, results, Context, Era, Standing};
use crate::jsonrpc::{code, Reply, Request, RpcError};
use crate::tools;

const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGPwsVr2HwAELgIswSckjwAAAABJRU5ErkJggg==";
const WAV: &str = "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=";

const TOOLS: [&str; 18] = [
    "test_simple_text",
    "test_image_content",
    "test_audio_content",
    "test_embedded_resource",
    "test_multiple_content_types",
    "test_error_handling",
    "test_missing_capability",
    "test_streaming_elicitation",
    "test_logging_tool",
    "test_input_required_result_elicitation",
    "test_input_required_result_sampling",
    "test_input_required_result_list_roots",
    "test_input_required_result_request_state",
    "test_input_required_result_multiple_inputs",
    "test_input_required_result_multi_round",
    "test_input_required_result_tampered_state",
    "test_input_required_result_capabilities",
    "test_tool_with_progress",
];

/// Each fixture prompt and its arguments.
const PROMPTS: [(&str, &[&str]); 5] = [
    ("test_simple_prompt", &[]),
    ("test_prompt_with_arguments", &["arg1", "arg2"]),
    ("test_prompt_with_embedded_resource", &["resourceUri"]),
    ("test_prompt_with_image", &[]),
    ("test_input_required_result_prompt", &[]),
];

/// An answer and how it stands.
type Answered = (Result<Reply, RpcError>, Standing);

/// Answers a request the fixtures own; `None` leaves it to the server.
pub async fn answer(request: &Request, era: &Era, context: &Context<'_>) -> Option<Answered> {
    let params = &request.params;
    let name = params
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let answered = |outcome| Some((outcome, Standing::Answered));
    match request.method.as_str() {
        "server/discover" => answered(discover(era)),
        "tools/list" => answered(list_tools(era, context)),
        "tools/call" if TOOLS.contains(&name) => Some(call_tool(name, params, era, context).await),
        "prompts/list" => answered(list_prompts(era, context)),
        "prompts/get" if PROMPTS.iter().any(|(prompt, _)| *prompt == name) => {
            answered(get_prompt(name, params, era, context).await)
        }
        "resources/list" => answered(in_era(
            era,
            &object(json!({"resources": [
                {"uri": "test://static-text", "name": "static-text", "mimeType": "text/plain"},
                {"uri": "test://static-binary", "name": "static-binary", "mimeType": "image/png"},
            ]})),
            Some(context.list_caching),
        )),
        "resources/templates/list" => {
            let mut templates = vec![json!(
                {"uriTemplate": "test://template/{id}/data", "name": "template", "mimeType": "text/plain"}
            )];
            templates.extend(resources::templates(context));
            answered(in_era(
                era,
                &object(json!({ "resourceTemplates": templates })),
                Some(context.list_caching),
            ))
        }
        "resources/read" if uri_of(params).starts_with("test://") => {
            answered(read_resource(params, era, context))
        }
        "completion/complete" => answered(in_era(
            era,
            &object(json!({"completion": {"values": [], "total": 0, "hasMore": false}})),
            None,
        )),
        _ => None,
    }
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// `server/discover`, offering the fixtures' resources and completions too.
fn discover(era: &Era) -> Result<Reply, RpcError> {
    let reply = results::introduction(era)?;
    let mut result: Map<String, Value> = serde_json::from_str(reply.get())
        .map_err(|error| RpcError::new(code::INTERNAL_ERROR, error.to_string()))?;
    if let Some(Value::Object(capabilities)) = result.get_mut("capabilities") {
        capabilities.insert("resources".into(), json!({}));
        capabilities.insert("completions".into(), json!({}));
    }
    crate::jsonrpc::reply(&result)
}

fn list_tools(era: &Era, context: &Context<'_>) -> Result<Reply, RpcError> {
    let list = tools::list(context.selection, context.redact_private_metadata);
    let mut tools: Vec<Value> = serde_json::from_str(list.array().get()).unwrap_or_default();
    tools.extend(TOOLS.iter().map(|name| {
        json!({
            "name": name,
            "description": format!("Conformance fixture {name}"),
            "inputSchema": {"type": "object", "properties": {}},
        })
    }));
    in_era(
        era,
        &object(json!({ "tools": tools })),
        Some(context.list_caching),
    )
}

fn list_prompts(era: &Era, context: &Context<'_>) -> Result<Reply, RpcError> {
    let mut prompts = match prompts::list(context.selection) {
        Value::Array(prompts) => prompts,
        _ => Vec::new(),
    };
    prompts.extend(PROMPTS.iter().map(|(name, arguments)| {
        json!({
            "name": name,
            "description": format!("Conformance fixture {name}"),
            "arguments": arguments.iter().map(|argument| json!({
                "name": argument, "description": argument, "required": true,
            })).collect::<Vec<_>>(),
        })
    }));
    in_era(
        era,
        &object(json!({ "prompts": prompts })),
        Some(context.list_caching),
    )
}

fn text(text: &str) -> Value {
    json!({"type": "text", "text": text})
}

fn image() -> Value {
    json!({"type": "image", "data": PNG, "mimeType": "image/png"})
}

fn embedded(uri: &str) -> Value {
    json!({"type": "resource", "resource": {
        "uri": uri, "mimeType": "text/plain", "text": "Embedded resource content for testing.",
    }})
}

async fn call_tool(
    name: &str,
    params: &Map<String, Value>,
    era: &Era,
    context: &Context<'_>,
) -> Answered {
    let content = match name {
        "test_simple_text" => vec![text("This is a simple text response for testing.")],
        "test_image_content" => vec![image()],
        "test_audio_content" => {
            vec![json!({"type": "audio", "data": WAV, "mimeType": "audio/wav"})]
        }
        "test_embedded_resource" => vec![embedded("test://embedded-resource")],
        "test_multiple_content_types" => vec![
            text("Multiple content types test:"),
            image(),
            embedded("test://mixed-content-resource"),
        ],
        "test_error_handling" => {
            let result = object(json!({
                "content": [text("This tool always fails, on purpose.")],
                "isError": true,
            }));
            return (in_era(era, &result, None), Standing::Answered);
        }
        "test_missing_capability" if !declared(params, "sampling") => {
            let mut error = RpcError::new(
                -32021,
                "This tool needs the sampling capability, which the client did not declare",
            );
            error.data = Some(json!({"requiredCapabilities": {"sampling": {}}}));
            return (Err(error), Standing::Refused);
        }
        name if name.starts_with("test_input_required_result_") => {
            let rounds = match rounds_of(name, params) {
                Ok(rounds) => rounds,
                Err(refusal) => return refusal,
            };
            return (
                rounds_call(name, params, &rounds, era, context, |_| {
                    vec![text("All input was received; the call is complete.")]
                })
                .await,
                Standing::Answered,
            );
        }
        _ => vec![text("Done.")],
    };
    let result = object(json!({"content": content, "isError": false}));
    (in_era(era, &result, None), Standing::Answered)
}

/// Whether the request's client declared the capability `name`.
fn declared(params: &Map<String, Value>, name: &str) -> bool {
    params
        .get("_meta")
        .and_then(|meta| meta.get("io.modelcontextprotocol/clientCapabilities"))
        .and_then(|capabilities| capabilities.get(name))
        .is_some()
}

/// One input request: its key in `inputRequests`, and the request.
type Ask = (&'static str, Value);

fn form(message: &str, property: &str) -> Value {
    json!({"method": "elicitation/create", "params": {
        "mode": "form",
        "message": message,
        "requestedSchema": {
            "type": "object",
            "properties": {property: {"type": "string"}},
            "required": [property],
        },
    }})
}

fn name_form() -> Ask {
    ("user_name", form("What is your name?", "name"))
}

fn sampling() -> Ask {
    (
        "capital_question",
        json!({"method": "sampling/createMessage", "params": {
            "messages": [{"role": "user", "content": text("What is the capital of France?")}],
            "maxTokens": 100,
        }}),
    )
}

fn roots() -> Ask {
    (
        "client_roots",
        json!({"method": "roots/list", "params": {}}),
    )
}

/// The rounds of questions a fixture asks, one list of requests a round.
fn rounds_of(name: &str, params: &Map<String, Value>) -> Result<Vec<Vec<Ask>>, Answered> {
    Ok(match name {
        "test_input_required_result_sampling" => vec![vec![sampling()]],
        "test_input_required_result_list_roots" => vec![vec![roots()]],
        "test_input_required_result_multiple_inputs" => {
            vec![vec![name_form(), sampling(), roots()]]
        }
        "test_input_required_result_multi_round" => vec![
            vec![name_form()],
            vec![(
                "favorite_color",
                form("What is your favorite color?", "color"),
            )],
        ],
        "test_input_required_result_tampered_state"
        | "test_input_required_result_request_state" => {
            vec![vec![("confirm", form("Confirm to go on.", "ok"))]]
        }
        "test_input_required_result_capabilities" => {
            if declared(params, "elicitation") {
                vec![vec![name_form()]]
            } else if declared(params, "sampling") {
                vec![vec![sampling()]]
            } else if declared(params, "roots") {
                vec![vec![roots()]]
            } else {
                let mut error = RpcError::new(-32021, "This tool needs elicitation or sampling");
                error.data = Some(json!({"requiredCapabilities": {"elicitation": {}}}));
                return Err((Err(error), Standing::Refused));
            }
        }
        _ => vec![vec![name_form()]],
    })
}

/// A call that asks `rounds` of questions: with every request of the
/// current round answered it moves to the next, and after the last it ends
/// with `finish`'s content. The round travels in a signed `requestState`;
/// a state that fails its check is an error.
async fn rounds_call(
    name: &str,
    params: &Map<String, Value>,
    rounds: &[Vec<Ask>],
    era: &Era,
    context: &Context<'_>,
    finish: impl FnOnce(&Map<String, Value>) -> Vec<Value>,
) -> Result<Reply, RpcError> {
    let arguments = params
        .get("arguments")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let signed = Signed::new(name, &arguments, context);
    let round = match params.get("requestState") {
        Some(state) => {
            let payload = signed.open(state).await?;
            payload.get("round").and_then(Value::as_u64).unwrap_or(0) as usize
        }
        None => 0,
    };
    let responses = match params.get("inputResponses") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(responses)) => responses.clone(),
        Some(_) => return Err(RpcError::invalid_params("inputResponses must be an object")),
    };
    let asks = rounds.get(round).map(Vec::as_slice).unwrap_or_default();
    for (key, _) in asks {
        if let Some(response) = responses.get(*key) {
            if !response.is_object() {
                return Err(RpcError::invalid_params(format!(
                    "inputResponses[\"{key}\"] must be an object"
                )));
            }
        }
    }
    let answered = asks.iter().all(|(key, _)| responses.contains_key(*key));
    let next = if answered { round + 1 } else { round };
    if next >= rounds.len() {
        let mut result = Map::new();
        result.insert("content".into(), Value::Array(finish(&responses)));
        return in_era(era, &result, None);
    }
    let mut payload = Map::new();
    payload.insert("round".into(), next.into());
    let state = signed.sign(payload).await;
    let requests: Map<String, Value> = rounds[next]
        .iter()
        .map(|(key, request)| ((*key).to_owned(), request.clone()))
        .collect();
    let mut result = object(json!({"resultType": "input_required", "inputRequests": requests}));
    if let Some(state) = state {
        result.insert("requestState".into(), state.into());
    }
    crate::jsonrpc::reply(&result)
}

async fn get_prompt(
    name: &str,
    params: &Map<String, Value>,
    era: &Era,
    context: &Context<'_>,
) -> Result<Reply, RpcError> {
    let argument = |key: &str| {
        params
            .get("arguments")
            .and_then(|arguments| arguments.get(key))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let content = match name {
        "test_prompt_with_arguments" => text(&format!(
            "Prompt with arguments: arg1='{}', arg2='{}'",
            argument("arg1"),
            argument("arg2")
        )),
        "test_prompt_with_embedded_resource" => embedded(&argument("resourceUri")),
        "test_prompt_with_image" => image(),
        "test_input_required_result_prompt" => {
            let rounds = [vec![(
                "user_context",
                form("What context should the prompt use?", "context"),
            )]];
            let reply = rounds_call(name, params, &rounds, era, context, |_| Vec::new()).await?;
            let mut result: Map<String, Value> = serde_json::from_str(reply.get())
                .map_err(|error| RpcError::new(code::INTERNAL_ERROR, error.to_string()))?;
            if result.get("resultType") == Some(&json!("input_required")) {
                return Ok(reply);
            }
            result.remove("content");
            result.insert(
                "messages".into(),
                json!([{"role": "user", "content": text("Use the context the user gave.")}]),
            );
            return crate::jsonrpc::reply(&result);
        }
        _ => text("This is a simple prompt for testing."),
    };
    let result = object(json!({
        "description": format!("Conformance fixture {name}"),
        "messages": [{"role": "user", "content": content}],
    }));
    in_era(era, &result, None)
}

fn uri_of(params: &Map<String, Value>) -> &str {
    params
        .get("uri")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// A fixture resource; the server's own resources (`clerk://`) are read
/// by the server.
fn read_resource(
    params: &Map<String, Value>,
    era: &Era,
    context: &Context<'_>,
) -> Result<Reply, RpcError> {
    let uri = uri_of(params);
    let content = if uri == "test://static-text" {
        json!({"uri": uri, "mimeType": "text/plain", "text": "This is the content of the static text resource."})
    } else if uri == "test://static-binary" {
        json!({"uri": uri, "mimeType": "image/png", "blob": PNG})
    } else if let Some(id) = uri
        .strip_prefix("test://template/")
        .and_then(|rest| rest.strip_suffix("/data"))
    {
        json!({"uri": uri, "mimeType": "text/plain", "text": format!("Data of template item {id}")})
    } else {
        return Err(resources::not_found(era, uri));
    };
    in_era(
        era,
        &object(json!({ "contents": [content] })),
        Some(context.list_caching),
    )
}
