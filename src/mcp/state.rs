//! Signed request states: what lets the server, which keeps nothing between
//! requests, trust an answer or a yes that comes back to it (MCP
//! 2026-07-28, Basic: Multi round-trip requests). A state, or a
//! confirmation token, is a payload and its expiry, signed with HMAC-SHA256
//! under a key derived from the request's Clerk key, over the payload, the
//! tool, its arguments and who asked. Also the `input_required` result that
//! carries a state to the client with the form it asks.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::{Map, Value};

use super::results::Meta;
use super::Context;
use crate::base64;
use crate::jsonrpc::{self, Reply, RpcError};
use crate::oauth::Platform;
use crate::tools::Question;

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
    pub(super) async fn state(&self, question: &Question) -> Option<String> {
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
        let payload = base64::encode_url(Value::Object(payload).to_string().as_bytes());
        let mac = self.mac(&payload).await?;
        let sealed = format!("{STATE_VERSION}.{payload}.{}", base64::encode_url(&mac));
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
        let genuine =
            base64::decode(mac).is_some_and(|mac| equal_in_constant_time(&mac, &expected));
        if !genuine {
            return Err(Broken::NotForThisCall);
        }
        let payload = base64::decode(payload)
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
pub(super) fn invalid_state(why: &str) -> RpcError {
    RpcError::invalid_params(format!(
        "Invalid requestState: {why}. Call again without inputResponses and requestState to \
         be asked anew."
    ))
}

/// Whether `a` equals `b`, taking as long whatever bytes differ.
fn equal_in_constant_time(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}
