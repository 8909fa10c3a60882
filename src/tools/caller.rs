//! Who calls, and what their connection may do: what a call knows of the
//! connection it came on beyond its selection, filled in by the MCP layer
//! and told by `clerk_whoami`.

use super::Confirm;

/// Who calls a tool and what their connection may do.
#[derive(Clone, Copy, Debug)]
pub struct Caller<'a> {
    pub actor: Actor<'a>,
    /// Who is asking, as the audit trail names them: `token:<n>`, the
    /// signed-in user's ID, `key:<12 hex>` or `anonymous`.
    pub principal: &'a str,
    pub policy: Policy,
    /// Why the write tools are withheld from the connection, if they are.
    pub writes_withheld: Option<WritesWithheld>,
    /// Which writes wait for a person's yes.
    pub confirm: Confirm,
}

/// Who a request acts for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor<'a> {
    /// The holder of an access token: its position, from 1, in the
    /// server's list of them, `MCP_AUTH_TOKENS` then `MCP_READONLY_TOKENS`.
    Token(usize),
    /// The user who signed in with OAuth.
    User(&'a str),
    /// Public mode without access tokens: whoever holds the request's key.
    KeyHolder,
    /// A hosted server opened with `MCP_ALLOW_UNAUTHENTICATED`: no one is
    /// named.
    Anonymous,
}

/// What the server's settings and the connection's wishes make of a
/// connection, besides its selection.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// The Clerk key is the server's own (`CLERK_SECRET_KEY`), not the
    /// request's.
    pub hosted: bool,
    /// The server offers only the read tools (`MCP_READ_ONLY`).
    pub server_read_only: bool,
    /// The connection asked for only the read tools (`?readonly=`,
    /// `X-MCP-Readonly`).
    pub connection_read_only: bool,
    /// The operator lets a production key write (`MCP_LIVE_WRITES=true`).
    pub live_writes: bool,
}

/// Why a request gets only the read tools, beyond its selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WritesWithheld {
    /// It was sent with one of `MCP_READONLY_TOKENS`.
    ReadOnlyToken,
    /// It was sent with an OAuth token of a user `MCP_READONLY_USERS` names.
    ReadOnlyUser,
    /// It acts with a production (`sk_live_`) key on a server whose operator
    /// has not set `MCP_LIVE_WRITES=true`.
    ProductionKey,
}

impl WritesWithheld {
    /// Why `tool`, which changes data, is refused.
    pub fn reason(self, tool: &str) -> String {
        match self {
            WritesWithheld::ReadOnlyToken => format!(
                "{tool} changes data, and this request's access token is one of the server's \
                 read-only tokens (MCP_READONLY_TOKENS), which get only the read tools"
            ),
            WritesWithheld::ReadOnlyUser => format!(
                "{tool} changes data, and the user who signed in is one of the server's \
                 read-only users (MCP_READONLY_USERS), who get only the read tools"
            ),
            WritesWithheld::ProductionKey => format!(
                "{tool} changes data, and the Clerk key in use is a production key (sk_live_). \
                 This server offers write tools with a production key only when its operator \
                 sets MCP_LIVE_WRITES=true"
            ),
        }
    }
}
