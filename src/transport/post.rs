//! `POST /mcp`: who may post (access tokens, OAuth), what the request must
//! declare (content type, accepted answers, protocol version), and the
//! JSON-RPC message or batch it carries, answered through [`crate::mcp`].
//!
//! The checks run in this order, and the first that fails answers: access,
//! a secret key sent to a hosted server, `Content-Type`, `Accept`, the
//! body's size and JSON, `MCP-Protocol-Version` (of a message that is not
//! of the stateless era, which [`mcp::decide`] judges with its headers),
//! the narrowing wishes.

use futures::future::join_all;
use http::request::Parts;
use http::{Response, StatusCode};
use serde_json::{Map, Value};

use super::body::BodyError;
use super::credentials::{self, SECRET_KEY_HEADER};
use super::framing::{self, answer, AnswerFormat};
use super::responses::{
    accepted, body_too_large, refusal, rpc_error_response, unsupported_version,
};
use super::{access, headers, narrowing, server_origin, Runtime};
use crate::config::{Access, Config, Mode};
use crate::json;
use crate::jsonrpc::{self, code, Message, RpcError};
use crate::mcp::{
    self, audit, CacheScope, Caching, Context, Era, EraError, Principal, ProtocolVersion, Standing,
    Trail, STATELESS_VERSION,
};
use crate::oauth::{self, Platform};
use crate::tools::{Actor, Credentials, Policy, WritesWithheld};

/// Answers a `POST /mcp`.
pub async fn answer_post(
    parts: &Parts,
    body: Result<Vec<u8>, BodyError>,
    config: &Config,
    runtime: &Runtime<'_>,
) -> Response<Vec<u8>> {
    let origin = server_origin(parts);
    let clerk = credentials::resolve(config, runtime.http, &parts.headers);
    let sign_in = sign_in_check(config, runtime, &clerk, &origin);
    let admitted = match access::admit(&config.access, &parts.headers, sign_in.as_ref()).await {
        Ok(admitted) => admitted,
        Err(refused) => return refused.response(&config.access, &origin),
    };
    let acting_user = admitted.acting_user;
    let clerk = clerk.map(|clerk| clerk.acting_for(acting_user.as_deref()));
    let principal = match (&acting_user, access::bearer_token(&parts.headers)) {
        (Some(user_id), _) => Principal::User(user_id),
        (None, Some(token)) => Principal::Token(token),
        (None, None) => Principal::KeyHolder,
    };
    let actor = match (&acting_user, admitted.token_number, &config.mode) {
        (Some(user_id), _, _) => Actor::User(user_id),
        (None, Some(number), _) => Actor::Token(number),
        (None, None, Mode::Public) => Actor::KeyHolder,
        (None, None, Mode::Hosted(_)) => Actor::Anonymous,
    };
    let ray = parts
        .headers
        .get(headers::CF_RAY)
        .and_then(|value| value.to_str().ok());
    let asker = Asker {
        principal,
        platform: runtime.platform,
        read_only: admitted.read_only,
        trail: Trail::new(actor, ray),
    };
    handle_post(parts, body, config, clerk, asker).await
}

/// Who a request acts for, and the platform that signs the questions put
/// to them.
struct Asker<'a> {
    principal: Principal<'a>,
    platform: &'a dyn Platform,
    /// Why its way in gives it only the read tools, when it does.
    read_only: Option<WritesWithheld>,
    /// Who it is, and which request, as the audit trail says.
    trail: Trail<'a>,
}

/// The token check of a hosted server with OAuth on, bound to this request:
/// tokens are checked with the server's own key, never retried, so that
/// anyone who can send a token cannot multiply the calls made with it.
fn sign_in_check<'a>(
    config: &'a Config,
    runtime: &Runtime<'a>,
    clerk: &Credentials<'a>,
    origin: &'a str,
) -> Option<oauth::Check<'a>> {
    let settings = config.access.oauth()?;
    let (Mode::Hosted(_), Ok(clerk)) = (&config.mode, clerk) else {
        return None;
    };
    Some(oauth::Check {
        settings,
        clerk: clerk.clone().without_retries(),
        http: runtime.http,
        platform: runtime.platform,
        cache: runtime.cache,
        origin,
    })
}

/// One JSON-RPC message, or under 2025-03-26 a batch of them, from a client
/// that may use the server.
async fn handle_post(
    parts: &Parts,
    body: Result<Vec<u8>, BodyError>,
    config: &Config,
    clerk: Credentials<'_>,
    asker: Asker<'_>,
) -> Response<Vec<u8>> {
    if matches!(config.mode, Mode::Hosted(_)) && parts.headers.contains_key(SECRET_KEY_HEADER) {
        return refusal(
            StatusCode::BAD_REQUEST,
            "Bad Request: this server runs in hosted mode and acts with its own Clerk key; \
             remove the X-Clerk-Secret-Key header, which it will not use.",
        );
    }
    if !headers::content_type_is_json(&parts.headers) {
        return refusal(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported Media Type: POST a JSON-RPC message with Content-Type: application/json",
        );
    }
    let Some(format) = framing::answer_format(&parts.headers) else {
        return refusal(
            StatusCode::NOT_ACCEPTABLE,
            "Not Acceptable: Accept must admit application/json or text/event-stream",
        );
    };
    let bytes = match body {
        Ok(bytes) => bytes,
        Err(BodyError::TooLarge) => return body_too_large(),
        Err(BodyError::Unreadable(reason)) => {
            return refusal(
                StatusCode::BAD_REQUEST,
                &format!("The request body could not be read: {reason}"),
            )
        }
    };
    let value: Value = match json::from_bytes(&bytes) {
        Ok(value) => value,
        Err(error) => {
            return rpc_error_response(
                StatusCode::BAD_REQUEST,
                RpcError::new(
                    code::PARSE_ERROR,
                    if bytes.starts_with(b"\xEF\xBB\xBF") {
                        "Parse error: the body starts with a byte-order mark; send JSON without one"
                            .to_owned()
                    } else {
                        format!("Parse error: the body is not valid JSON ({error})")
                    },
                ),
            )
        }
    };
    let declared = headers::declared(&parts.headers);
    if !mcp::is_stateless(&value) {
        if let Err(EraError::UnsupportedHeader(unsupported)) = mcp::handshake_version(&declared) {
            if declared.protocol_version.map(str::trim) != Some(STATELESS_VERSION) {
                return unsupported_version(&unsupported);
            }
        }
    }
    let wishes = match narrowing::requested(parts) {
        Ok(wishes) => wishes,
        Err(problem) => {
            return refusal(StatusCode::BAD_REQUEST, &format!("Bad Request: {problem}"))
        }
    };
    let writes_withheld = asker.read_only.or_else(|| {
        credentials::live_guard(config, &clerk).then_some(WritesWithheld::ProductionKey)
    });
    let context = Context {
        clerk,
        selection: wishes.selection(config),
        confirm: config.confirm.max(wishes.confirm),
        redact_private_metadata: config.redact_private_metadata,
        max_result_bytes: config.max_result_bytes,
        list_caching: list_caching(config, parts),
        writes_withheld,
        principal: asker.principal,
        platform: asker.platform,
        trail: asker.trail,
        policy: Policy {
            hosted: matches!(config.mode, Mode::Hosted(_)),
            server_read_only: config.selection.read_only,
            connection_read_only: wishes.selection.read_only,
            live_writes: config.live_writes,
        },
    };
    match value {
        Value::Array(batch) => match mcp::handshake_version(&declared) {
            Ok(version) => handle_batch(batch, version, &context, format).await,
            Err(_) => rpc_error_response(
                StatusCode::BAD_REQUEST,
                RpcError::new(
                    code::INVALID_REQUEST,
                    format!(
                        "Invalid Request: JSON-RPC batches are not part of MCP {STATELESS_VERSION}; send one message per POST"
                    ),
                ),
            ),
        },
        single => {
            let tool_call = calls_a_tool(&single);
            match Message::from_value(single) {
                Ok(Message::Request(request)) => match mcp::decide(&declared, &request) {
                    Ok(era) => {
                        let mcp::Answer { response, standing } =
                            mcp::handle_request(request, &era, &context).await;
                        let status = match standing {
                            Standing::Answered => StatusCode::OK,
                            Standing::NoSuchMethod => StatusCode::NOT_FOUND,
                            Standing::Refused => StatusCode::BAD_REQUEST,
                        };
                        answer(status, &response, format, response.size_hint())
                    }
                    Err(refusal) => {
                        if tool_call {
                            audit::refused(&request.params, &context);
                        }
                        match refusal {
                            EraError::UnsupportedHeader(unsupported) => {
                                unsupported_version(&unsupported)
                            }
                            EraError::Refused(error) => {
                                let response = jsonrpc::Response::new(request.id, Err(error));
                                answer(StatusCode::BAD_REQUEST, &response, format, response.size_hint())
                            }
                        }
                    }
                },
                Ok(Message::Notification(_) | Message::Response) => accepted(),
                Err(rejected) => {
                    // A request whose params are not an object is still a
                    // request and is answered like one; anything else is not
                    // a message.
                    let status = if rejected.error.code == code::INVALID_PARAMS {
                        if tool_call {
                            audit::refused(&Map::new(), &context);
                        }
                        StatusCode::OK
                    } else {
                        StatusCode::BAD_REQUEST
                    };
                    let response = jsonrpc::Response::from(rejected);
                    answer(status, &response, format, response.size_hint())
                }
            }
        }
    }
}

/// Whether a posted message asks for `tools/call`, read before the message
/// is taken apart: every such request the transport refuses after reading
/// it still gets its audit line.
fn calls_a_tool(message: &Value) -> bool {
    message.get("method").and_then(Value::as_str) == Some("tools/call")
}

/// How a stateless client may cache this request's list answers: for the
/// operator's TTL; privately when the server admits only some callers, or
/// the request narrows the tools with its headers or brings its own key,
/// which a cache keyed by URL and parameters would not tell apart.
fn list_caching(config: &Config, parts: &Parts) -> Caching {
    let narrowed_by_headers = [narrowing::READONLY_HEADER, narrowing::TOOLSETS_HEADER]
        .iter()
        .any(|name| parts.headers.contains_key(name));
    // A public server's list depends on the kind of key sent (the
    // production guard).
    let key_sent = matches!(config.mode, Mode::Public)
        && [SECRET_KEY_HEADER, http::header::AUTHORIZATION]
            .iter()
            .any(|name| parts.headers.contains_key(name));
    let scope = if matches!(config.access, Access::Open) && !narrowed_by_headers && !key_sent {
        CacheScope::Public
    } else {
        CacheScope::Private
    };
    Caching {
        ttl_ms: config.list_ttl.as_millis().try_into().unwrap_or(u64::MAX),
        scope,
    }
}

/// A JSON-RPC batch: allowed under 2025-03-26 only, answered with an array
/// of the requests' answers, or 202 when it held no request. A request of
/// the stateless era inside one is refused on its own.
async fn handle_batch(
    batch: Vec<Value>,
    version: ProtocolVersion,
    context: &Context<'_>,
    format: AnswerFormat,
) -> Response<Vec<u8>> {
    if !version.allows_batches() {
        return rpc_error_response(
            StatusCode::BAD_REQUEST,
            RpcError::new(
                code::INVALID_REQUEST,
                format!(
                    "Invalid Request: JSON-RPC batches are not part of MCP {}; send one message per POST",
                    version.as_str()
                ),
            ),
        );
    }
    if batch.is_empty() {
        return rpc_error_response(
            StatusCode::BAD_REQUEST,
            RpcError::new(code::INVALID_REQUEST, "Invalid Request: the batch is empty"),
        );
    }
    let answers = join_all(batch.into_iter().map(|value| async move {
        let stateless = mcp::is_stateless(&value);
        let tool_call = calls_a_tool(&value);
        match Message::from_value(value) {
            Ok(Message::Request(request)) if stateless => {
                if tool_call {
                    audit::refused(&request.params, context);
                }
                Some(jsonrpc::Response::new(
                    request.id,
                    Err(RpcError::new(
                        code::INVALID_REQUEST,
                        format!("Invalid Request: a {STATELESS_VERSION} request cannot be batched"),
                    )),
                ))
            }
            Ok(Message::Request(request)) => Some(
                mcp::handle_request(request, &Era::Handshake(version), context)
                    .await
                    .response,
            ),
            Ok(Message::Notification(_) | Message::Response) => None,
            Err(rejected) => {
                if tool_call && rejected.error.code == code::INVALID_PARAMS {
                    audit::refused(&Map::new(), context);
                }
                Some(jsonrpc::Response::from(rejected))
            }
        }
    }))
    .await;
    let answers: Vec<jsonrpc::Response> = answers.into_iter().flatten().collect();
    if answers.is_empty() {
        accepted()
    } else {
        let size_hint = answers.iter().map(jsonrpc::Response::size_hint).sum();
        answer(StatusCode::OK, &answers, format, size_hint)
    }
}
