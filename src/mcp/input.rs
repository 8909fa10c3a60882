//! Asking the user a question in the middle of a tool call, the stateless
//! way (MCP 2026-07-28, Basic: Multi round-trip requests).
//!
//! When a tool asks a [`Question`], the call answers `input_required`: a
//! form for the client to show (`elicitation/create`) and a `requestState`.
//! The client sends the same call again with the user's answer in
//! `inputResponses` and the state unchanged. The server keeps nothing in
//! between: the state carries what was offered and when the offer ends,
//! signed for this call ([`super::state`]). A state that fails that check,
//! or is past its 5 minutes, is refused before anything reaches Clerk.

use serde::Serialize;
use serde_json::{Map, Value};

use super::confirmation::{self, Said};
use super::era::Era;
use super::results;
use super::state::{input_required, invalid_state, Signed};
use super::{Context, Outcome};
use crate::jsonrpc::{Reply, RpcError};
use crate::text::shorten;
use crate::tools::{self, Question, ToolDefinition, ToolError};

/// Runs a tool: a first call, or (in the stateless era) the same call
/// again with the user's answer; a write that waits for the user's yes
/// runs only with it (see [`super::confirmation`]).
pub async fn call_tool(
    tool: &'static ToolDefinition,
    mut arguments: Map<String, Value>,
    confirm_token: Option<Value>,
    params: &Map<String, Value>,
    era: &Era,
    context: &Context<'_>,
) -> Result<Reply, RpcError> {
    let can_elicit = matches!(era, Era::Stateless(client) if client.can_elicit);
    let answers = params
        .get("requestState")
        .filter(|_| matches!(era, Era::Stateless(_)));
    let needs_yes = context.confirm.covers(tool.annotations);
    // The signature binds the arguments as sent: only a call that may ask,
    // answers, or waits for a yes writes them out for it.
    let signed = (can_elicit || answers.is_some() || needs_yes)
        .then(|| Signed::new(tool.name, &arguments, context));
    let mut can_ask = can_elicit;
    let mut confirmed = false;
    if let (Some(state), Some(signed)) = (answers, &signed) {
        let payload = signed.open(state).await?;
        if confirmation::is_confirmation(&payload) {
            match confirmation::said(params.get("inputResponses"))? {
                Said::Yes => confirmed = true,
                Said::No => {
                    return confirmation::refuse(era, ToolError::Declined(tool.name), context)
                }
                Said::Nothing => {}
            }
        } else {
            let offer = Offer::read(&payload).ok_or_else(|| invalid_state("it cannot be read"))?;
            match answer(params.get("inputResponses"), &offer)? {
                Answer::Chose(value) => {
                    arguments.insert(offer.argument, Value::String(value));
                    can_ask = false;
                }
                Answer::Declined => can_ask = false,
                Answer::Missing => {}
            }
        }
    }
    if let (true, false, Some(signed)) = (needs_yes, confirmed, &signed) {
        match &confirm_token {
            Some(token) => {
                if let Err(refused) = confirmation::check_token(token, signed, tool.name).await {
                    return confirmation::refuse(era, refused, context);
                }
                confirmed = true;
            }
            None => return confirmation::ask(tool, arguments, signed, era, context).await,
        }
    }
    let call = context.tool_call(arguments, can_ask);
    let shape = tools::Shape {
        redact_private_metadata: context.redact_private_metadata,
        max_bytes: context.max_result_bytes,
    };
    let result = tools::call(tool, call, shape).await;
    context.record_outcome(match Outcome::of(&result) {
        Outcome::Ok if confirmed => Outcome::Confirmed,
        outcome => outcome,
    });
    if let (Some(question), Some(signed)) = (result.question(), &signed) {
        if let Some(state) = signed.state(question).await {
            return ask_question(question, &state);
        }
    }
    results::tool_result(era, &result, &super::fence_for(&result, context.platform))
}

/// What a state says was offered.
#[derive(Debug)]
struct Offer {
    /// The argument the chosen value replaces.
    argument: String,
    /// The values offered.
    choices: Vec<String>,
}

impl Offer {
    /// Reads an offer as [`Signed::state`] writes it.
    fn read(offer: &Map<String, Value>) -> Option<Offer> {
        Some(Offer {
            argument: offer.get("arg")?.as_str()?.to_owned(),
            choices: offer
                .get("choices")?
                .as_array()?
                .iter()
                .map(|choice| choice.as_str().map(str::to_owned))
                .collect::<Option<_>>()?,
        })
    }
}

/// What the user answered.
enum Answer {
    Chose(String),
    Declined,
    /// No answer to the question: it is asked again.
    Missing,
}

/// Reads the user's answer to `offer` from `inputResponses`: `accept` with a
/// value offered, or `decline` or `cancel`. Keys other than the question's
/// are ignored.
fn answer(responses: Option<&Value>, offer: &Offer) -> Result<Answer, RpcError> {
    let Some(response) = responses
        .and_then(Value::as_object)
        .and_then(|responses| responses.get(&offer.argument))
    else {
        return Ok(Answer::Missing);
    };
    let where_ = format!("inputResponses[\"{}\"]", offer.argument);
    match response.get("action").and_then(Value::as_str) {
        Some("decline" | "cancel") => Ok(Answer::Declined),
        Some("accept") => {
            let value = response
                .get("content")
                .and_then(|content| content.get(&offer.argument))
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    RpcError::invalid_params(format!(
                        "{where_} accepts with content.{} set to one of the values offered",
                        offer.argument
                    ))
                })?;
            if offer.choices.iter().any(|choice| choice == value) {
                Ok(Answer::Chose(value.to_owned()))
            } else {
                Err(RpcError::invalid_params(format!(
                    "{where_}: {:?} is not one of the values offered ({})",
                    shorten(value, 80),
                    offer.choices.join(", ")
                )))
            }
        }
        _ => Err(RpcError::invalid_params(format!(
            "{where_} needs an \"action\" of accept, decline or cancel"
        ))),
    }
}

/// The `input_required` result that asks `question`: one form, with the
/// values offered as a choice.
fn ask_question(question: &Question, state: &str) -> Result<Reply, RpcError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Property<'a> {
        r#type: &'static str,
        title: &'a str,
        one_of: Vec<Choice<'a>>,
    }
    #[derive(Serialize)]
    struct Choice<'a> {
        r#const: &'a str,
        title: &'a str,
    }
    let property = Property {
        r#type: "string",
        title: question.title,
        one_of: question
            .choices
            .iter()
            .map(|choice| Choice {
                r#const: &choice.value,
                title: &choice.label,
            })
            .collect(),
    };
    input_required(question.argument, &question.message, property, state)
}
