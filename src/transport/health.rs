//! `GET /health` (and `/api/health`, answered the same for monitors that call it):
//! whether the server runs, in which mode, and whether Clerk accepts its key.
//!
//! Hosted mode checks the stored key with an authenticated `GET /users/count`
//! (Clerk's cheapest read), and answers 503 `degraded` when that fails.
//! Public mode has no key of its own: `clerkConnected` is `null`, unless the
//! request carries a key, which is then checked the same way. It also says
//! who may use `/mcp` (`authentication`), which tools a request with the same
//! URL and headers would get (`readOnly`, `toolsets`), the toolsets of a connection that
//! names none (`defaultToolsets`) and those one may name (`availableToolsets`), and a
//! hosted server that refuses
//! everyone for want of tokens reports itself degraded. With OAuth sign-in on, `oauth`
//! names the authorization server, whether an allow-list is set (without one every user
//! who signs in is refused, which makes a server without static tokens degraded) and
//! whether `MCP_READONLY_USERS` is, never whom the lists name.
//! `confirm` says which writes wait for the user's yes on that URL.
//! `liveWrites` is the production guard's setting, and `writeToolsWithheld`, when the
//! key is known, whether the guard takes the write tools away from it.

use http::request::Parts;
use http::{Response, StatusCode};
use serde_json::{json, Value};

use super::responses::{json_response, refusal};
use super::{access, credentials, narrowing};
use crate::clerk::users::UserFilter;
use crate::clerk::{HttpSend, KeyError};
use crate::config::{Access, Config, Mode};
use crate::tools::{Credentials, Selection};

/// Answers `GET /health`.
pub async fn answer(parts: &Parts, config: &Config, http: &dyn HttpSend) -> Response<Vec<u8>> {
    let wishes = match narrowing::requested(parts) {
        Ok(wishes) => wishes,
        Err(problem) => {
            return refusal(StatusCode::BAD_REQUEST, &format!("Bad Request: {problem}"))
        }
    };
    // A request key is checked against Clerk only for those who may use the
    // server, so that /health cannot test keys for anyone.
    let clerk = match (&config.mode, access::check(&config.access, &parts.headers)) {
        (Mode::Public, Err(_)) => Err(KeyError::Missing),
        _ => credentials::resolve(config, http, &parts.headers),
    };
    let guard = match &clerk {
        Ok(_) => Some(credentials::live_guard(config, &clerk)),
        Err(_) => None,
    };
    let selection = wishes.selection(config);
    let (status, mut body) = check(config, selection, clerk).await;
    body["confirm"] = Value::from(config.confirm.max(wishes.confirm).name());
    body["liveWrites"] = Value::Bool(config.live_writes);
    if let Some(withheld) = guard {
        body["writeToolsWithheld"] = Value::Bool(withheld);
    }
    json_response(status, &body)
}

/// The status and body of a health answer.
pub(super) async fn check(
    config: &Config,
    selection: Selection,
    clerk: Credentials<'_>,
) -> (StatusCode, Value) {
    let hosted = matches!(config.mode, Mode::Hosted(_));
    let connection = match clerk {
        Err(KeyError::Missing) => None,
        Err(error) => Some(Err(error.to_string())),
        Ok(clerk) => Some(
            clerk
                .without_retries()
                .count_users(&UserFilter::default())
                .await
                .map(|_| ())
                .map_err(|error| error.to_string()),
        ),
    };
    let locked = config.access == Access::NotConfigured;
    let nobody_allowed = config
        .access
        .oauth()
        .is_some_and(|settings| !settings.allows_anyone());
    let shut = locked || (nobody_allowed && config.access.tokens().is_empty());
    let degraded = hosted && (shut || !matches!(connection, Some(Ok(()))));
    let mut body = json!({
        "status": if degraded { "degraded" } else { "ok" },
        "mode": config.mode.name(),
        "authentication": config.access.name(),
        "readOnly": selection.read_only,
        "toolsets": selection.toolsets.names(),
        "defaultToolsets": config.default_toolsets.names(),
        "availableToolsets": config.selection.toolsets.names(),
        "redactPrivateMetadata": config.redact_private_metadata,
        "clerkConnected": connection.as_ref().map(Result::is_ok),
        "version": crate::SERVER_VERSION,
    });
    if let Some(settings) = config.access.oauth() {
        body["oauth"] = json!({
            "authorizationServer": settings.issuer,
            "allowListConfigured": settings.allows_anyone(),
            "readOnlyUsersConfigured": !settings.read_only_users.is_empty(),
        });
    }
    let clerk_problem = match connection {
        Some(Err(reason)) => Some(reason),
        _ => None,
    };
    let reasons: Vec<String> = [
        locked.then(|| access::NOT_CONFIGURED.to_owned()),
        nobody_allowed.then(|| access::NOBODY_ALLOWED.to_owned()),
        clerk_problem,
    ]
    .into_iter()
    .flatten()
    .collect();
    if !reasons.is_empty() {
        body["reason"] = Value::String(reasons.join(" "));
    }
    let status = if degraded {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    (status, body)
}
