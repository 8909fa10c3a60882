//! JSON-RPC 2.0 messages as MCP uses them: parsing what a client posts and
//! writing what the server answers. Knows nothing of MCP methods or HTTP.
//!
//! The types keep invalid states out: a [`Request`] always has an id, a
//! [`Notification`] never does (`"id": null` makes neither, since MCP forbids
//! null ids), and a [`Response`] holds exactly one of a result or an error.

use std::borrow::Cow;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Number, Value};

/// Error codes from JSON-RPC 2.0, section 5.1.
pub mod code {
    pub const PARSE_ERROR: i64 = -32700;
    pub const INVALID_REQUEST: i64 = -32600;
    pub const METHOD_NOT_FOUND: i64 = -32601;
    pub const INVALID_PARAMS: i64 = -32602;
    pub const INTERNAL_ERROR: i64 = -32603;
    /// The start of the range left to implementations; used for transport
    /// refusals (wrong content type, forbidden origin, ...).
    pub const SERVER_ERROR: i64 = -32000;
}

/// A request id: MCP allows a string or an integer, never null.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Id {
    Number(Number),
    String(String),
}

/// A message that expects an answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub id: Id,
    pub method: String,
    /// The `params` object; an absent one reads as empty.
    pub params: Map<String, Value>,
}

/// A message that expects no answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Notification {
    pub method: String,
}

/// One message a client may post.
#[derive(Clone, Debug, PartialEq)]
pub enum Message {
    Request(Request),
    Notification(Notification),
    /// A client's answer to a server request. This server sends none, so it
    /// only acknowledges these.
    Response,
}

/// A JSON-RPC error object.
#[derive(Clone, Debug, PartialEq)]
pub struct RpcError {
    pub code: i64,
    pub message: String,
    pub data: Option<Value>,
}

/// Why a posted value is not a usable message, with the id to answer to
/// when one could be read.
#[derive(Clone, Debug, PartialEq)]
pub struct Rejected {
    pub id: Option<Id>,
    pub error: RpcError,
}

/// A request's result as JSON text, written once: answers built once per
/// isolate (the tool list) are borrowed rather than rebuilt, and a tool's
/// output is serialized straight from its typed value.
pub type Reply = Cow<'static, RawValue>;

/// The server's answer to one request.
#[derive(Clone, Debug)]
pub struct Response {
    /// `None` only for errors about a message whose id could not be read.
    pub id: Option<Id>,
    pub outcome: Result<Reply, RpcError>,
}

/// `value` as a [`Reply`]; a value that cannot be written as JSON (a map
/// with non-string keys, say) is an internal error.
pub fn reply<T: Serialize + ?Sized>(value: &T) -> Result<Reply, RpcError> {
    serde_json::value::to_raw_value(value)
        .map(Cow::Owned)
        .map_err(|error| RpcError::new(code::INTERNAL_ERROR, format!("Internal error: {error}")))
}

impl RpcError {
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        RpcError {
            code,
            message: message.into(),
            data: None,
        }
    }

    pub fn invalid_params(message: impl Into<String>) -> Self {
        RpcError::new(code::INVALID_PARAMS, message)
    }
}

impl Message {
    /// Reads one JSON-RPC message from a parsed JSON value.
    pub fn from_value(value: Value) -> Result<Message, Rejected> {
        let Value::Object(mut object) = value else {
            return Err(invalid_request(
                None,
                "a JSON-RPC message must be a JSON object",
            ));
        };
        let id = match object.remove("id") {
            None => None,
            // An id the server cannot repeat exactly (a fraction, or an
            // integer beyond 64 bits, which JSON parsing rounds) is refused.
            Some(Value::Number(number)) if number.is_i64() || number.is_u64() => {
                Some(Id::Number(number))
            }
            Some(Value::String(text)) => Some(Id::String(text)),
            Some(_) => {
                return Err(invalid_request(
                    None,
                    "\"id\" must be a string or a 64-bit integer (MCP forbids null ids)",
                ))
            }
        };
        if object.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
            return Err(invalid_request(id, "\"jsonrpc\" must be \"2.0\""));
        }
        match object.remove("method") {
            Some(Value::String(method)) => {
                let Some(id) = id else {
                    return Ok(Message::Notification(Notification { method }));
                };
                let params = match object.remove("params") {
                    None | Some(Value::Null) => Map::new(),
                    Some(Value::Object(params)) => params,
                    Some(_) => {
                        return Err(Rejected {
                            id: Some(id),
                            error: RpcError::invalid_params("\"params\" must be an object"),
                        })
                    }
                };
                Ok(Message::Request(Request { id, method, params }))
            }
            Some(_) => Err(invalid_request(id, "\"method\" must be a string")),
            None if id.is_some() && (object.contains_key("result") || object.contains_key("error")) => {
                Ok(Message::Response)
            }
            None => Err(invalid_request(
                id,
                "a message needs a \"method\" (request or notification) or a \"result\"/\"error\" (response)",
            )),
        }
    }
}

fn invalid_request(id: Option<Id>, message: &str) -> Rejected {
    Rejected {
        id,
        error: RpcError::new(code::INVALID_REQUEST, message),
    }
}

impl Response {
    pub fn new(id: Id, outcome: Result<Reply, RpcError>) -> Self {
        Response {
            id: Some(id),
            outcome,
        }
    }

    /// An error answer to a message whose id is unknown or unreadable.
    pub fn error_without_id(error: RpcError) -> Self {
        Response {
            id: None,
            outcome: Err(error),
        }
    }

    /// About how many bytes the answer takes as JSON, to size its buffer.
    pub fn size_hint(&self) -> usize {
        const ENVELOPE: usize = 64;
        ENVELOPE
            + match &self.outcome {
                Ok(result) => result.get().len(),
                Err(error) => error.message.len(),
            }
    }
}

impl From<Rejected> for Response {
    fn from(rejected: Rejected) -> Self {
        Response {
            id: rejected.id,
            outcome: Err(rejected.error),
        }
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Id::Number(number) => number.serialize(serializer),
            Id::String(text) => text.serialize(serializer),
        }
    }
}

impl Serialize for RpcError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("code", &self.code)?;
        map.serialize_entry("message", &self.message)?;
        if let Some(data) = &self.data {
            map.serialize_entry("data", data)?;
        }
        map.end()
    }
}

impl Serialize for Response {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("jsonrpc", "2.0")?;
        map.serialize_entry("id", &self.id)?;
        match &self.outcome {
            Ok(result) => map.serialize_entry("result", result)?,
            Err(error) => map.serialize_entry("error", error)?,
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(value: Value) -> Result<Message, Rejected> {
        Message::from_value(value)
    }

    #[test]
    fn request_has_an_id_and_notification_does_not() {
        let request = parse(json!({"jsonrpc":"2.0","id":7,"method":"ping"})).expect("valid");
        assert!(
            matches!(request, Message::Request(Request { ref method, .. }) if method == "ping")
        );
        let notification =
            parse(json!({"jsonrpc":"2.0","method":"notifications/initialized"})).expect("valid");
        assert!(matches!(notification, Message::Notification(_)));
    }

    #[test]
    fn null_id_is_rejected_not_taken_for_a_notification() {
        let rejected = parse(json!({"jsonrpc":"2.0","id":null,"method":"ping"})).unwrap_err();
        assert_eq!(rejected.error.code, code::INVALID_REQUEST);
        assert_eq!(rejected.id, None);
    }

    #[test]
    fn fractional_and_oversized_ids_are_rejected() {
        for id in [
            json!(1.5),
            json!(1e300),
            json!(18_446_744_073_709_551_616.0),
        ] {
            let rejected = parse(json!({"jsonrpc":"2.0","id":id,"method":"ping"})).unwrap_err();
            assert_eq!(rejected.error.code, code::INVALID_REQUEST, "{id}");
        }
        let max = parse(json!({"jsonrpc":"2.0","id":u64::MAX,"method":"ping"}));
        assert!(matches!(max, Ok(Message::Request(_))));
    }

    #[test]
    fn wrong_jsonrpc_version_keeps_the_id_for_the_answer() {
        let rejected = parse(json!({"jsonrpc":"1.0","id":"a","method":"ping"})).unwrap_err();
        assert_eq!(rejected.id, Some(Id::String("a".into())));
        assert_eq!(rejected.error.code, code::INVALID_REQUEST);
    }

    #[test]
    fn array_params_are_invalid_params() {
        let rejected =
            parse(json!({"jsonrpc":"2.0","id":1,"method":"ping","params":[]})).unwrap_err();
        assert_eq!(rejected.error.code, code::INVALID_PARAMS);
    }

    #[test]
    fn client_response_is_recognized() {
        let message = parse(json!({"jsonrpc":"2.0","id":1,"result":{}})).expect("valid");
        assert_eq!(message, Message::Response);
    }

    #[test]
    fn response_serializes_exactly_one_of_result_or_error() {
        let ok = Response::new(Id::Number(1.into()), reply(&json!({})));
        assert_eq!(
            serde_json::to_value(&ok).ok(),
            Some(json!({"jsonrpc":"2.0","id":1,"result":{}}))
        );
        let error = Response::error_without_id(RpcError::new(code::PARSE_ERROR, "bad"));
        assert_eq!(
            serde_json::to_value(&error).ok(),
            Some(json!({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"bad"}}))
        );
    }
}
