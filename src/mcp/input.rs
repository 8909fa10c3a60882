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

use super::confirmation::{self, Said};
use super::era::Era;
use super::results::{self, Meta};
use super::{Context, Outcome};
use crate::jsonrpc::{self, Reply, RpcError};
use crate::oauth::{base64_decode, base64_encode_url, Platform};
use crate::text::shorten;
use crate::tools::{self, Question, ToolDefinition, ToolError};

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
    let call = tools::Call {
        arguments,
        clerk: &context.clerk,
        can_ask,
        selection: context.selection,
    };
    let result = tools::call(tool, call, context.redact_private_metadata).await;
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

/// The `input_required` result of one form that asks for `argument`, whose
/// schema is `property`, with `message` above it.
pub(super) fn input_required<P: Serialize>(
    argument: &str,
    message: &str,
    property: P,
    state: &str,
) -> Result<Reply, RpcError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct InputRequired<'a, P> {
        result_type: &'static str,
        input_requests: One<'a, Elicitation<'a, P>>,
        request_state: &'a str,
        #[serde(rename = "_meta")]
        meta: Meta,
    }
    #[derive(Serialize)]
    struct Elicitation<'a, P> {
        method: &'static str,
        params: Form<'a, P>,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Form<'a, P> {
        mode: &'static str,
        message: &'a str,
        requested_schema: Schema<'a, P>,
    }
    #[derive(Serialize)]
    struct Schema<'a, P> {
        r#type: &'static str,
        properties: One<'a, P>,
        required: [&'a str; 1],
    }
    jsonrpc::reply(&InputRequired {
        result_type: "input_required",
        input_requests: One(
            argument,
            Elicitation {
                method: "elicitation/create",
                params: Form {
                    mode: "form",
                    message,
                    requested_schema: Schema {
                        r#type: "object",
                        properties: One(argument, property),
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

    /// `payload`, valid for 5 minutes, signed for this call; `None` when it
    /// cannot be signed (no key, or no crypto).
    pub(super) async fn sign(&self, payload: Map<String, Value>) -> Option<String> {
        self.seal(payload).await.map(|(sealed, _)| sealed)
    }

    /// `payload` signed for this call, and the time (Unix seconds) it
    /// expires, 5 minutes from now.
    pub(super) async fn seal(&self, mut payload: Map<String, Value>) -> Option<(String, u64)> {
        let expires_at = self.platform.now() + STATE_LIFETIME_SECONDS;
        payload.insert("exp".into(), expires_at.into());
        let payload = base64_encode_url(Value::Object(payload).to_string().as_bytes());
        let mac = self.mac(&payload).await?;
        let sealed = format!("{STATE_VERSION}.{payload}.{}", base64_encode_url(&mac));
        Some((sealed, expires_at))
    }

    /// The payload of a state this server signed for this very call, if it
    /// has not expired.
    pub(super) async fn open(&self, state: &Value) -> Result<Map<String, Value>, RpcError> {
        let state = state
            .as_str()
            .ok_or_else(|| invalid_state("it must be a string"))?;
        self.unseal(state).await.map_err(|broken| {
            invalid_state(match broken {
                Broken::Foreign => "it is not a state this server wrote",
                Broken::Unchecked => "it cannot be checked without this request's Clerk key",
                Broken::NotForThisCall => {
                    "it was not issued by this server for this call, these arguments and this \
                     caller"
                }
                Broken::Unreadable => "it cannot be read",
                Broken::Expired => "the question it answers expired",
            })
        })
    }

    /// The payload of `sealed`, if this server signed it for this very call
    /// and it has not expired.
    pub(super) async fn unseal(&self, sealed: &str) -> Result<Map<String, Value>, Broken> {
        let mut parts = sealed.split('.');
        let (Some(STATE_VERSION), Some(payload), Some(mac), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(Broken::Foreign);
        };
        let expected = self.mac(payload).await.ok_or(Broken::Unchecked)?;
        let genuine = base64_decode(mac).is_some_and(|mac| equal_in_constant_time(&mac, &expected));
        if !genuine {
            return Err(Broken::NotForThisCall);
        }
        let payload = base64_decode(payload)
            .and_then(|json| crate::json::from_bytes::<Map<String, Value>>(&json).ok())
            .ok_or(Broken::Unreadable)?;
        let expires_at = payload.get("exp").and_then(Value::as_u64).unwrap_or(0);
        if self.platform.now() > expires_at {
            return Err(Broken::Expired);
        }
        Ok(payload)
    }
}

/// Why a signed state or token cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Broken {
    /// Not in the form this server writes.
    Foreign,
    /// There is no Clerk key to check it with.
    Unchecked,
    /// Its signature is not this server's for this tool, these arguments,
    /// this caller and this Clerk key: issued for another call, or altered.
    NotForThisCall,
    /// Signed, yet not a payload (which this server never signs).
    Unreadable,
    /// Past its 5 minutes.
    Expired,
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
