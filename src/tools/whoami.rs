//! `clerk_whoami`: which Clerk instance this connection administers, with
//! what kind of key, who is asking, and what the connection may do.
//!
//! The instance comes from Clerk (`GET /v1/instance`), and a signed-in
//! user's email address from their user; everything else is what the MCP
//! layer knows of the connection ([`Caller`]). The key itself is never
//! shown, only its kind.

use schemars::JsonSchema;
use serde::Serialize;
use serde_with::skip_serializing_none;

use super::arguments::{Arguments, Given};
use super::call::run;
use super::caller::{Actor, Caller, WritesWithheld};
use super::{Annotations, SchemaSource, Selection, ToolDefinition, ToolError};
use crate::clerk::ClerkClient;

pub static TOOLS: [ToolDefinition; 1] = [ToolDefinition {
    name: "clerk_whoami",
    title: "Who am I",
    description: "Say which Clerk instance this connection administers (ID, development or \
        production), the key's kind (test or live), who is asking, and the policy: read-only \
        or not and why, toolsets, which writes need the user's yes, whether a live key may \
        write. Call it first when unsure which instance you are changing.",
    annotations: Annotations::READ_ONLY,
    input_schema: SchemaSource::input::<WhoamiArgs>(),
    output_schema: SchemaSource::output::<Whoami>(),
    handler: |call| {
        let (caller, selection) = (call.caller, call.selection);
        run(call, move |clerk, WhoamiArgs {}| {
            whoami(clerk, caller, selection)
        })
    },
    effect: None,
}];

/// `clerk_whoami` takes no arguments.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
struct WhoamiArgs {}

impl Arguments for WhoamiArgs {
    fn read(_given: &mut Given) -> Result<Self, ToolError> {
        Ok(WhoamiArgs {})
    }
}

/// The instance, the key, the caller and the policy.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Whoami {
    /// The Clerk instance the key belongs to.
    instance: Instance,
    /// `test` (an `sk_test_` key) or `live` (an `sk_live_` key, a production instance's).
    key_kind: &'static str,
    /// `hosted`: the key is the server's own; `public`: each request brings its own key.
    mode: &'static str,
    /// Who is asking.
    caller: CallerInfo,
    /// What this connection may do.
    policy: PolicyInfo,
}

/// A Clerk instance, as Clerk's instance endpoint gives it.
#[skip_serializing_none]
#[derive(Debug, Serialize, JsonSchema)]
struct Instance {
    /// The instance ID (`ins_...`).
    id: Option<String>,
    /// `development` or `production`, as Clerk names it.
    environment: Option<String>,
}

/// Who is asking.
#[skip_serializing_none]
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct CallerInfo {
    /// How the audit trail names them: `token:<n>`, the user ID, `key:<12 hex of the key's SHA-256>` or `anonymous`.
    principal: String,
    /// `token` (an access token), `user` (signed in with Clerk), `key` (the holder of the Clerk key a public request brought) or `anonymous`.
    kind: &'static str,
    /// The access token's place, from 1, in the server's list (`MCP_AUTH_TOKENS`, then `MCP_READONLY_TOKENS`).
    token_number: Option<usize>,
    /// The signed-in user's ID.
    user_id: Option<String>,
    /// The signed-in user's primary email address, when Clerk gives it.
    email: Option<String>,
}

/// What the connection may do.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct PolicyInfo {
    /// Whether only the read tools are offered.
    read_only: bool,
    /// Why the write tools are withheld, each reason; empty when they are offered.
    read_only_because: Vec<&'static str>,
    /// The toolsets offered.
    toolsets: Vec<&'static str>,
    /// Which writes wait for the user's yes: `off` (none), `destructive` or `writes` (all).
    confirm: &'static str,
    /// Whether the server lets a production (`sk_live_`) key write (`MCP_LIVE_WRITES`).
    live_writes: bool,
}

async fn whoami(
    clerk: &ClerkClient<'_>,
    caller: Caller<'_>,
    selection: Selection,
) -> Result<Whoami, ToolError> {
    let instance = clerk.get_instance().await.map_err(ToolError::Clerk)?;
    let (kind, token_number, user_id) = match caller.actor {
        Actor::Token(number) => ("token", Some(number), None),
        Actor::User(user_id) => ("user", None, Some(user_id)),
        Actor::KeyHolder => ("key", None, None),
        Actor::Anonymous => ("anonymous", None, None),
    };
    // The email address is a courtesy: a user Clerk cannot give leaves
    // the rest of the answer standing.
    let email = match user_id {
        Some(user_id) => clerk
            .get_user(user_id)
            .await
            .ok()
            .and_then(|user| user.primary_email_address()),
        None => None,
    };
    let policy = caller.policy;
    let mut read_only_because = Vec::new();
    if policy.server_read_only {
        read_only_because.push("the server offers only read tools (MCP_READ_ONLY)");
    }
    if policy.connection_read_only {
        read_only_because
            .push("this connection asked for read tools only (?readonly= or X-MCP-Readonly)");
    }
    if let Some(withheld) = caller.writes_withheld {
        read_only_because.push(match withheld {
            WritesWithheld::ReadOnlyToken => {
                "the access token is a read-only one (MCP_READONLY_TOKENS)"
            }
            WritesWithheld::ReadOnlyUser => {
                "the signed-in user is a read-only user (MCP_READONLY_USERS)"
            }
            WritesWithheld::ProductionKey => {
                "the key is a production key, and the server does not set MCP_LIVE_WRITES=true"
            }
        });
    }
    Ok(Whoami {
        instance: Instance {
            id: instance.id,
            environment: instance.environment_type,
        },
        key_kind: if clerk.secret_key().is_live() {
            "live"
        } else {
            "test"
        },
        mode: if policy.hosted { "hosted" } else { "public" },
        caller: CallerInfo {
            principal: caller.principal.to_owned(),
            kind,
            token_number,
            user_id: user_id.map(str::to_owned),
            email,
        },
        policy: PolicyInfo {
            read_only: selection.read_only || caller.writes_withheld.is_some(),
            read_only_because,
            toolsets: selection.toolsets.names(),
            confirm: caller.confirm.name(),
            live_writes: policy.live_writes,
        },
    })
}
