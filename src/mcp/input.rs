//! Asking the user a question in the middle of a tool call, the stateless
//! way (MCP 2026-07-28, Basic: Multi round-trip requests).
//!
//! When a tool asks a [`Question`], the call answers `input_required`: a
//! form for the client to show (`elicitation/create`) and a `requestState`.
//! The client sends the same call again with the user's answer in
//! `inputResponses` and the state unchanged. The server keeps nothing in
//! between: the state carries what was offered and when the offer ends,
//! and is signed with HMAC-SHA256 under a key derived from the request's
//! Clerk key, over the state, the tool, its arguments and who asked. A
//! state that fails that check, or is past its 5 minutes, is refused before
//! anything reaches Clerk.

use serde_json::{Map, Value};

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use super::era::Era;
use super::results::{self, Meta};
use super::Context;
use crate::jsonrpc::{self, Reply, RpcError};
use crate::oauth::{base64_decode, base64_encode_url, Platform};
use crate::text::shorten;
use crate::tools::{self, Question, ToolDefinition};

/// How long an offer may be answered, in seconds.
const STATE_LIFETIME_SECONDS: u64 = 300;

/// What the state's key is derived with, from the Clerk key.
const KEY_LABEL: &[u8] = b"clerk-mcp-worker request state key v1";

/// The version prefix of a state this server writes.
const STATE_VERSION: &str = "v1";

/// Who a request acts for: a question's answer counts only from the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Principal<'a> {
    /// The user who signed in with OAuth.
    User(&'a str),
    /// The holder of this bearer token (an access token, or a public
    /// server's Clerk key sent as one).
    Token(&'a [u8]),
    /// Anyone holding the Clerk key of the request.
    KeyHolder,
}

/// Runs a tool for a stateless request: a first call, or the same call
/// again with the user's answer.
pub async fn call_tool(
    tool: &'static ToolDefinition,
    mut arguments: Map<String, Value>,
    params: &Map<String, Value>,
    era: &Era,
    context: &Context<'_>,
) -> Result<Reply, RpcError> {
    let can_elicit = matches!(era, Era::Stateless(client) if client.can_elicit);
    // The signature binds the arguments as sent: only a call that may ask,
    // or that answers, writes them out for it.
    let answers = params.get("requestState");
    let signed =
        (can_elicit || answers.is_some()).then(|| Signed::new(tool.name, &arguments, context));
    let mut can_ask = can_elicit;
    if let (Some(state), Some(signed)) = (answers, &signed) {
        let offer = signed.check(state).await?;
        match answer(params.get("inputResponses"), &offer)? {
            Answer::Chose(value) => {
                arguments.insert(offer.argument, Value::String(value));
                can_ask = false;
            }
            Answer::Declined => can_ask = false,
            Answer::Missing => {}
        }
    }
    let result = tools::call(
        tool,
        arguments,
        &context.clerk,
        context.redact_private_metadata,
        can_ask,
    )
    .await;
    context.record_outcome(super::Outcome::of(&result));
    if let (Some(question), Some(signed)) = (result.question(), &signed) {
        if let Some(state) = signed.state(question).await {
            return input_required(question, &state);
        }
    }
    results::tool_result(era, &result, &super::fence(&result, context.platform))
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
fn input_required(question: &Question, state: &str) -> Result<Reply, RpcError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct InputRequired<'a> {
        result_type: &'static str,
        input_requests: One<'a, Elicitation<'a>>,
        request_state: &'a str,
        #[serde(rename = "_meta")]
        meta: Meta,
    }
    #[derive(Serialize)]
    struct Elicitation<'a> {
        method: &'static str,
        params: Form<'a>,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Form<'a> {
        mode: &'static str,
        message: &'a str,
        requested_schema: Schema<'a>,
    }
    #[derive(Serialize)]
    struct Schema<'a> {
        r#type: &'static str,
        properties: One<'a, Property<'a>>,
        required: [&'a str; 1],
    }
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
    let argument = question.argument;
    jsonrpc::reply(&InputRequired {
        result_type: "input_required",
        input_requests: One(
            argument,
            Elicitation {
                method: "elicitation/create",
                params: Form {
                    mode: "form",
                    message: &question.message,
                    requested_schema: Schema {
                        r#type: "object",
                        properties: One(
                            argument,
                            Property {
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
                            },
                        ),
                        required: [argument],
                    },
                },
            },
        ),
        request_state: state,
        meta: Meta,
    })
}

/// An object of one member.
struct One<'a, T>(&'a str, T);

impl<T: Serialize> Serialize for One<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.0, &self.1)?;
        map.end()
    }
}

/// What a state of this call is signed over, and with what.
pub(super) struct Signed<'a> {
    platform: &'a dyn Platform,
    /// The request's Clerk key, which the signing key is derived from.
    clerk_key: Option<&'a str>,
    /// The tool, its arguments as the client sent them (written with sorted
    /// keys) and who asked, as the signature binds them.
    binding: Vec<u8>,
}

impl<'a> Signed<'a> {
    /// States of a call of the tool (or prompt) `name` with `arguments`.
    pub(super) fn new(
        name: &str,
        arguments: &Map<String, Value>,
        context: &'a Context<'_>,
    ) -> Self {
        let mut binding = Vec::new();
        binding.extend_from_slice(name.as_bytes());
        binding.push(b'\n');
        // A map of JSON values always writes as JSON.
        binding.extend_from_slice(&serde_json::to_vec(arguments).unwrap_or_default());
        binding.push(b'\n');
        match context.principal {
            Principal::User(user_id) => {
                binding.extend_from_slice(b"user ");
                binding.extend_from_slice(user_id.as_bytes());
            }
            Principal::Token(token) => {
                binding.extend_from_slice(b"token ");
                binding.extend_from_slice(token);
            }
            Principal::KeyHolder => binding.extend_from_slice(b"key holder"),
        }
        Signed {
            platform: context.platform,
            clerk_key: context
                .clerk
                .as_ref()
                .ok()
                .map(|clerk| clerk.secret_key().expose()),
            binding,
        }
    }

    /// The MAC of `payload` (the state's encoded offer) in this call.
    async fn mac(&self, payload: &str) -> Option<[u8; 32]> {
        let clerk_key = self.clerk_key?;
        let key = self
            .platform
            .hmac_sha256(clerk_key.as_bytes(), KEY_LABEL)
            .await
            .ok()?;
        let mut message = Vec::with_capacity(payload.len() + self.binding.len() + 1);
        message.extend_from_slice(payload.as_bytes());
        message.push(b'\n');
        message.extend_from_slice(&self.binding);
        self.platform.hmac_sha256(&key, &message).await.ok()
    }

    /// A state that offers `question`'s choices until 5 minutes from now;
    /// `None` when it cannot be signed (no key, or no crypto).
    async fn state(&self, question: &Question) -> Option<String> {
        let mut offer = Map::new();
        offer.insert("arg".into(), question.argument.into());
        let choices = question.choices.iter().map(|choice| choice.value.clone());
        offer.insert("choices".into(), choices.collect());
        self.sign(offer).await
    }

    /// The offer a state holds, if this server signed it for this very call
    /// and it is not over.
    async fn check(&self, state: &Value) -> Result<Offer, RpcError> {
        let payload = self.open(state).await?;
        Offer::read(&payload).ok_or_else(|| invalid_state("it cannot be read"))
    }

    /// `payload`, valid for 5 minutes, signed for this call; `None` when it
    /// cannot be signed (no key, or no crypto).
    pub(super) async fn sign(&self, mut payload: Map<String, Value>) -> Option<String> {
        let expires_at = self.platform.now() + STATE_LIFETIME_SECONDS;
        payload.insert("exp".into(), expires_at.into());
        let payload = base64_encode_url(Value::Object(payload).to_string().as_bytes());
        let mac = self.mac(&payload).await?;
        Some(format!(
            "{STATE_VERSION}.{payload}.{}",
            base64_encode_url(&mac)
        ))
    }

    /// The payload of a state this server signed for this very call, if it
    /// has not expired.
    pub(super) async fn open(&self, state: &Value) -> Result<Map<String, Value>, RpcError> {
        let state = state
            .as_str()
            .ok_or_else(|| invalid_state("it must be a string"))?;
        let mut parts = state.split('.');
        let (Some(STATE_VERSION), Some(payload), Some(mac), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid_state("it is not a state this server wrote"));
        };
        let expected = self.mac(payload).await.ok_or_else(|| {
            invalid_state("it cannot be checked without this request's Clerk key")
        })?;
        let genuine = base64_decode(mac).is_some_and(|mac| equal_in_constant_time(&mac, &expected));
        if !genuine {
            return Err(invalid_state(
                "it was not issued by this server for this call, these arguments and this caller",
            ));
        }
        let payload = base64_decode(payload)
            .and_then(|json| crate::json::from_bytes::<Map<String, Value>>(&json).ok())
            .ok_or_else(|| invalid_state("it cannot be read"))?;
        let expires_at = payload.get("exp").and_then(Value::as_u64).unwrap_or(0);
        if self.platform.now() > expires_at {
            return Err(invalid_state("the question it answers expired"));
        }
        Ok(payload)
    }
}

/// The error for a `requestState` that cannot be used, and why.
fn invalid_state(why: &str) -> RpcError {
    RpcError::invalid_params(format!(
        "Invalid requestState: {why}. Call again without inputResponses and requestState to \
         be asked anew."
    ))
}

/// Whether `a` equals `b`, taking as long whatever bytes differ.
fn equal_in_constant_time(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}
