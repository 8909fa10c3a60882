//! The session tools: `clerk_list_sessions` and `clerk_revoke_session`.
//!
//! Both answer sessions in one shape, [`Session`], mapped once from Clerk's
//! wire type in [`crate::clerk::sessions`]; the wire type itself is never
//! shown. User and session IDs are checked before any request is built.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use super::arguments::{one_of, Argument, Arguments, Given, Limit};
use super::call::run;
use super::effects::{foresee, user_label, Effect};
use super::error::no_session_with_id;
use super::output::{items_and_page, non_empty, PageInfo, Timestamp};
use super::{Annotations, Fields, SchemaSource, ToolDefinition, ToolError};
use crate::clerk::ids::{SessionId, UserId};
use crate::clerk::sessions::{self as wire, SessionFilter};
use crate::clerk::{ClerkClient, Page};

pub static TOOLS: [ToolDefinition; 2] = [
    ToolDefinition {
        name: "clerk_list_sessions",
        title: "List sessions",
        description: "List a user's sessions, newest first: ID, status, client, last activity, \
            expiry, and where known the browser, device, IP address and place last used. Clerk \
            removes old inactive ones.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<ListSessionsArgs>(),
        output_schema: SchemaSource::output::<SessionList>(),
        handler: |call| run(call, list_sessions),
        effect: None,
    },
    ToolDefinition {
        name: "clerk_revoke_session",
        title: "Revoke session",
        description: "Revoke one session (from clerk_list_sessions): its browser or device is \
            signed out at once; the user's other sessions stay. To sign someone out everywhere \
            and keep them out: clerk_ban_user.",
        annotations: Annotations::DESTRUCTIVE_IDEMPOTENT,
        input_schema: SchemaSource::input::<RevokeSessionArgs>(),
        output_schema: SchemaSource::output::<Session>(),
        handler: |call| run(call, revoke_session),
        effect: Some(|call| foresee(call, revoke_session_effect)),
    },
];

/// A session's status, as the `status` filter of Clerk's `GET /sessions`
/// accepts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum SessionStatus {
    Active,
    Ended,
    Revoked,
    Expired,
    Removed,
    Abandoned,
    Replaced,
}

impl Argument for SessionStatus {
    fn from_value(value: Value) -> Result<Self, String> {
        one_of(
            value,
            &[
                SessionStatus::Active,
                SessionStatus::Ended,
                SessionStatus::Revoked,
                SessionStatus::Expired,
                SessionStatus::Removed,
                SessionStatus::Abandoned,
                SessionStatus::Replaced,
            ],
            SessionStatus::as_str,
        )
    }
}

impl SessionStatus {
    fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Active => "active",
            SessionStatus::Ended => "ended",
            SessionStatus::Revoked => "revoked",
            SessionStatus::Expired => "expired",
            SessionStatus::Removed => "removed",
            SessionStatus::Abandoned => "abandoned",
            SessionStatus::Replaced => "replaced",
        }
    }
}

/// Arguments of `clerk_list_sessions`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ListSessionsArgs {
    user_id: UserId,
    /// Only this status (`active`: signed in, `ended`: signed out); left out, all.
    status: Option<SessionStatus>,
    #[serde(default)]
    limit: Limit<100>,
    /// Next page: the last answer's `nextOffset`.
    #[serde(default)]
    offset: u32,
    #[serde(default, rename = "fields")]
    _fields: Fields<Session>,
}

impl Arguments for ListSessionsArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(ListSessionsArgs {
            user_id: given.required("userId")?,
            status: given.optional("status")?,
            limit: given.or_default("limit")?,
            offset: given.or_default("offset")?,
            _fields: given.or_default("fields")?,
        })
    }
}

/// Arguments of `clerk_revoke_session`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RevokeSessionArgs {
    session_id: SessionId,
}

impl Arguments for RevokeSessionArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(RevokeSessionArgs {
            session_id: given.required("sessionId")?,
        })
    }
}

/// One page of a user's sessions.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct SessionList {
    sessions: Vec<Session>,
    #[serde(flatten)]
    page: PageInfo,
}

/// A session: one signed-in browser or device of a user. Empty fields are left out.
#[skip_serializing_none]
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Session {
    /// The session's ID (`sess_...`).
    id: String,
    /// The user the session belongs to (`user_...`).
    user_id: Option<String>,
    /// The client (browser or device) the session lives in (`client_...`).
    client_id: Option<String>,
    /// active, revoked, ended, expired, removed, abandoned, replaced or pending.
    status: Option<String>,
    /// For a session in which someone acts as the user (impersonation): who that is.
    actor: Option<Map<String, Value>>,
    /// The organization last active in the session (`org_...`).
    last_active_organization_id: Option<String>,
    /// Where and on what the session was last used.
    latest_activity: Option<SessionActivity>,
    last_active_at: Option<Timestamp>,
    /// When the session ends even if it stays in use.
    expire_at: Option<Timestamp>,
    /// When the session ends if it is not used before.
    abandon_at: Option<Timestamp>,
    created_at: Option<Timestamp>,
    updated_at: Option<Timestamp>,
}

/// The browser, device and place a session was last used from, as far as Clerk knows them.
#[skip_serializing_none]
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct SessionActivity {
    /// The kind of device (`Macintosh`, `iPhone`, ...).
    device_type: Option<String>,
    is_mobile: Option<bool>,
    browser_name: Option<String>,
    browser_version: Option<String>,
    ip_address: Option<String>,
    city: Option<String>,
    country: Option<String>,
}

impl From<wire::Session> for Session {
    fn from(session: wire::Session) -> Self {
        Session {
            id: session.id,
            user_id: non_empty(session.user_id),
            client_id: non_empty(session.client_id),
            status: non_empty(session.status),
            actor: session.actor,
            last_active_organization_id: non_empty(session.last_active_organization_id),
            latest_activity: session.latest_activity.map(SessionActivity::from),
            last_active_at: Timestamp::from_opt(session.last_active_at),
            expire_at: Timestamp::from_opt(session.expire_at),
            abandon_at: Timestamp::from_opt(session.abandon_at),
            created_at: Timestamp::from_opt(session.created_at),
            updated_at: Timestamp::from_opt(session.updated_at),
        }
    }
}

impl From<wire::SessionActivity> for SessionActivity {
    fn from(activity: wire::SessionActivity) -> Self {
        SessionActivity {
            device_type: non_empty(activity.device_type),
            is_mobile: activity.is_mobile,
            browser_name: non_empty(activity.browser_name),
            browser_version: non_empty(activity.browser_version),
            ip_address: non_empty(activity.ip_address),
            city: non_empty(activity.city),
            country: non_empty(activity.country),
        }
    }
}

async fn list_sessions(
    clerk: &ClerkClient<'_>,
    args: ListSessionsArgs,
) -> Result<SessionList, ToolError> {
    let filter = SessionFilter {
        user_id: args.user_id.into_string(),
        status: args.status.map(SessionStatus::as_str),
    };
    let page = Page {
        limit: args.limit.get(),
        offset: args.offset,
        order_by: None,
    };
    let list = clerk
        .list_sessions(&filter, &page)
        .await
        .map_err(ToolError::Clerk)?;
    let (sessions, page) = items_and_page(list, args.offset);
    Ok(SessionList { sessions, page })
}

async fn revoke_session(
    clerk: &ClerkClient<'_>,
    args: RevokeSessionArgs,
) -> Result<Session, ToolError> {
    let session = clerk
        .revoke_session(&args.session_id)
        .await
        .map_err(|error| ToolError::from_clerk(error, || no_session_with_id(&args.session_id)))?;
    Ok(Session::from(session))
}

// What the write would change (see `effects`).

async fn revoke_session_effect(
    clerk: &ClerkClient<'_>,
    args: RevokeSessionArgs,
) -> Result<Effect, ToolError> {
    let session = clerk
        .get_session(&args.session_id)
        .await
        .map_err(|error| ToolError::from_clerk(error, || no_session_with_id(&args.session_id)))?;
    // The user only names whose session it is: without them the sentence
    // still says what happens.
    let owner = match session.user_id.as_deref().filter(|id| !id.is_empty()) {
        Some(user_id) => match clerk.get_user(user_id).await {
            Ok(user) => user_label(&user),
            Err(_) => format!("user {user_id}"),
        },
        None => "an unknown user".to_owned(),
    };
    let status = session.status.as_deref().unwrap_or("active");
    let summary = if status == "active" {
        let last_active = Timestamp::from_opt(session.last_active_at)
            .map(|time| format!(", last active {time}"))
            .unwrap_or_default();
        format!(
            "Revoke session {} of {owner}{last_active}: that device is signed out at once.",
            session.id
        )
    } else {
        format!(
            "Session {} of {owner} is {}, not active: revoking it changes nothing.",
            session.id,
            crate::text::shorten(status, 20)
        )
    };
    Ok(Effect::said(summary).removing(Session::from(session)))
}
