//! Why a tool call failed, worded for the model that made it.
//!
//! Every variant becomes a tool result with `isError: true` (MCP 2025-06-18,
//! Tools: Error Handling), not a JSON-RPC error, so the model can read the
//! message and correct itself. No message holds the secret key: keys appear
//! only as [`KeyError`]s, which never carry the value.

use std::fmt;

use crate::clerk::{ClerkError, KeyError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ToolError {
    /// An argument is missing, of the wrong type, unknown or out of bounds.
    /// Nothing was sent to Clerk.
    InvalidArgument { argument: String, problem: String },
    /// The request has no usable Clerk key. Nothing was sent to Clerk.
    Key(KeyError),
    /// Clerk answered 404 for the object the call named.
    NotFound { object: String, error: ClerkError },
    /// Any other failed Clerk call.
    Clerk(ClerkError),
    /// The call is not allowed here, for the reason given. Nothing was sent
    /// to Clerk.
    Withheld(String),
    /// A write that waits for the user's yes came with a confirmation
    /// token that does not fit it, for the reason given. Nothing was sent.
    Unconfirmed(String),
    /// The user said no to the tool named. Nothing was sent.
    Declined(&'static str),
    /// A bulk call in which no item succeeded: the text says why for each
    /// item (see `tools::bulk`).
    NoneSucceeded(String),
    /// The output does not fit in a result, for the reason given, even cut
    /// or with its metadata elided.
    TooLarge(String),
    /// A bug in this server (an output that cannot be serialized).
    Internal(String),
}

impl ToolError {
    pub fn invalid(argument: &str, problem: impl Into<String>) -> Self {
        ToolError::InvalidArgument {
            argument: argument.to_owned(),
            problem: problem.into(),
        }
    }

    /// A tool output that could not be written as JSON: a bug here.
    pub fn internal(error: serde_json::Error) -> Self {
        ToolError::Internal(error.to_string())
    }

    /// Wraps a Clerk error, telling a 404 for `object` apart so that the
    /// message says what was not found.
    pub fn from_clerk(error: ClerkError, object: impl FnOnce() -> String) -> Self {
        if error.status() == Some(404) {
            ToolError::NotFound {
                object: object(),
                error,
            }
        } else {
            ToolError::Clerk(error)
        }
    }
}

/// How a 404 names an organization the call gave by ID.
pub fn no_organization_with_id(organization_id: &str) -> String {
    format!("no organization with ID {organization_id}")
}

/// How a 404 names a user the call gave by ID.
pub fn no_user_with_id(user_id: &str) -> String {
    format!("no user with ID {user_id}")
}

/// How a 404 names a session the call gave by ID.
pub fn no_session_with_id(session_id: &str) -> String {
    format!("no session with ID {session_id}")
}

impl fmt::Display for ToolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ToolError::InvalidArgument { argument, problem } if argument.is_empty() => {
                write!(
                    f,
                    "Invalid arguments: {problem}. Nothing was sent to Clerk."
                )
            }
            ToolError::InvalidArgument { argument, problem } => write!(
                f,
                "Invalid argument `{argument}`: {problem}. Nothing was sent to Clerk."
            ),
            ToolError::Key(error) => error.fmt(f),
            ToolError::NotFound { object, error } => write!(f, "Not found: {object}. {error}"),
            ToolError::Clerk(error) => error.fmt(f),
            ToolError::Withheld(reason) => {
                write!(f, "Not allowed: {reason}. Nothing was sent to Clerk.")
            }
            ToolError::Unconfirmed(reason) => write!(
                f,
                "Not confirmed: {reason}. Nothing was sent to Clerk. Call again without \
                 confirmToken to get the sentence and a new token, and ask the user again."
            ),
            ToolError::Declined(tool) => write!(
                f,
                "Nothing was changed: the user said no to {tool}. Do not call it again unless \
                 they ask for it."
            ),
            ToolError::NoneSucceeded(results) => f.write_str(results),
            ToolError::TooLarge(reason) => write!(f, "Too large: {reason}."),
            ToolError::Internal(detail) => write!(f, "Internal error in this server: {detail}"),
        }
    }
}

impl std::error::Error for ToolError {}
