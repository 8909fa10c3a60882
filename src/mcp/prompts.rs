//! Prompts: ready-made admin workflows a person can start from their
//! assistant (MCP 2025-06-18, Server Features: Prompts).
//!
//! Each prompt names the tools its workflow needs; a prompt is offered only
//! when the request's selection allows every one of them, so read-only or
//! narrowed connections never get a workflow they cannot carry out. A prompt
//! renders to one user message that tells the model the steps, and which
//! steps need the person's confirmation first.

use serde_json::{json, Map, Value};

use crate::tools::{self, Selection};

/// One argument a prompt takes.
pub struct PromptArgument {
    pub name: &'static str,
    pub description: &'static str,
    pub required: bool,
}

/// One prompt, as `prompts/list` shows it and `prompts/get` renders it.
pub struct PromptDefinition {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub arguments: &'static [PromptArgument],
    /// The tools the workflow calls.
    pub tools: &'static [&'static str],
    /// Writes the message from the arguments (all required ones present).
    pub render: fn(&Arguments) -> String,
}

/// A prompt's arguments by name; an absent optional one reads as empty.
pub struct Arguments(Map<String, Value>);

impl Arguments {
    /// The argument's value, trimmed, or `default` when absent or empty.
    pub fn get<'a>(&'a self, name: &str, default: &'a str) -> &'a str {
        self.0
            .get(name)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .unwrap_or(default)
    }
}

/// Why `prompts/get` cannot render a prompt.
#[derive(Debug, PartialEq, Eq)]
pub enum PromptError {
    Unknown(String),
    MissingArgument(&'static str),
    NotText(String),
    TooLong(String),
}

/// The longest argument value a prompt takes, in characters.
const MAX_ARGUMENT_CHARS: usize = 10_000;

static PROMPTS: [PromptDefinition; 4] = [
    PromptDefinition {
        name: "audit_organization_admins",
        title: "Audit organization admins",
        description: "Review who holds admin roles in an organization: when each last signed \
            in, whether they use MFA, whether they are banned or locked, and whether the \
            block-list holds their addresses. Changes nothing.",
        arguments: &[
            PromptArgument {
                name: "organization",
                description: "The organization's ID (org_...) or slug",
                required: true,
            },
            PromptArgument {
                name: "role",
                description: "The role key to audit (default org:admin)",
                required: false,
            },
        ],
        tools: &[
            "clerk_get_organization",
            "clerk_list_organization_members",
            "clerk_get_user",
            "clerk_list_blocklist",
        ],
        render: audit_organization_admins,
    },
    PromptDefinition {
        name: "offboard_user",
        title: "Offboard a user",
        description: "Take a person out of the instance step by step: find them, remove their \
            organization memberships, revoke their sessions and ban them, confirming each step \
            with you first.",
        arguments: &[
            PromptArgument {
                name: "user",
                description: "The user's ID (user_...) or email address",
                required: true,
            },
            PromptArgument {
                name: "reason",
                description: "Why they are being offboarded, for the record",
                required: false,
            },
        ],
        tools: &[
            "clerk_list_users",
            "clerk_get_user",
            "clerk_list_user_organizations",
            "clerk_remove_member",
            "clerk_list_sessions",
            "clerk_revoke_session",
            "clerk_ban_user",
        ],
        render: offboard_user,
    },
    PromptDefinition {
        name: "invite_members",
        title: "Invite people to an organization",
        description: "Invite a list of email addresses to an organization with one role, \
            skipping people who are already members or already invited, after you confirm \
            the list.",
        arguments: &[
            PromptArgument {
                name: "organization",
                description: "The organization's ID (org_...) or slug",
                required: true,
            },
            PromptArgument {
                name: "emails",
                description: "The email addresses to invite, separated by commas, spaces or lines",
                required: true,
            },
            PromptArgument {
                name: "role",
                description: "The role key to give them (default org:member)",
                required: false,
            },
        ],
        tools: &[
            "clerk_get_organization",
            "clerk_list_roles",
            "clerk_list_organization_members",
            "clerk_list_organization_invitations",
            "clerk_create_invitation",
        ],
        render: invite_members,
    },
    PromptDefinition {
        name: "review_waitlist",
        title: "Review the waitlist",
        description: "Summarise the pending waitlist entries and propose whom to invite and \
            whom to reject, acting only on what you agree to.",
        arguments: &[PromptArgument {
            name: "criteria",
            description: "What makes an entry worth inviting (such as company domains)",
            required: false,
        }],
        tools: &[
            "clerk_list_waitlist",
            "clerk_invite_waitlist_entry",
            "clerk_reject_waitlist_entry",
        ],
        render: review_waitlist,
    },
];

/// Every prompt, offered or not.
pub fn all() -> impl Iterator<Item = &'static PromptDefinition> {
    PROMPTS.iter()
}

/// The prompts whose every tool `selection` allows.
pub fn offered(selection: Selection) -> impl Iterator<Item = &'static PromptDefinition> {
    PROMPTS
        .iter()
        .filter(move |prompt| prompt.is_offered(selection))
}

impl PromptDefinition {
    /// Whether `selection` allows every tool of the prompt's workflow.
    pub fn is_offered(&self, selection: Selection) -> bool {
        self.tools
            .iter()
            .all(|tool| tools::find(tool, selection).is_some())
    }
}

/// The `prompts` array of the `prompts/list` answer.
pub fn list(selection: Selection) -> Value {
    Value::Array(
        offered(selection)
            .map(|prompt| {
                json!({
                    "name": prompt.name,
                    "title": prompt.title,
                    "description": prompt.description,
                    "arguments": prompt.arguments.iter().map(|argument| json!({
                        "name": argument.name,
                        "description": argument.description,
                        "required": argument.required,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

/// The `prompts/get` answer: the prompt's description and its one message.
pub fn get(
    name: &str,
    arguments: Map<String, Value>,
    selection: Selection,
) -> Result<Map<String, Value>, PromptError> {
    let prompt = offered(selection)
        .find(|prompt| prompt.name == name)
        .ok_or_else(|| PromptError::Unknown(name.chars().take(80).collect()))?;
    for (argument, value) in &arguments {
        match value.as_str() {
            Some(text) if text.chars().count() > MAX_ARGUMENT_CHARS => {
                return Err(PromptError::TooLong(argument.chars().take(80).collect()))
            }
            Some(_) => {}
            None => return Err(PromptError::NotText(argument.chars().take(80).collect())),
        }
    }
    let arguments = Arguments(arguments);
    for argument in prompt.arguments.iter().filter(|argument| argument.required) {
        if arguments.get(argument.name, "").is_empty() {
            return Err(PromptError::MissingArgument(argument.name));
        }
    }
    let mut result = Map::new();
    result.insert("description".into(), prompt.description.into());
    result.insert(
        "messages".into(),
        json!([{
            "role": "user",
            "content": {"type": "text", "text": (prompt.render)(&arguments)},
        }]),
    );
    Ok(result)
}

impl std::fmt::Display for PromptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PromptError::Unknown(name) => write!(f, "Unknown prompt: {name}"),
            PromptError::MissingArgument(name) => write!(f, "Missing required argument: {name}"),
            PromptError::NotText(name) => write!(f, "Argument {name} must be a string"),
            PromptError::TooLong(name) => {
                write!(
                    f,
                    "Argument {name} is longer than {MAX_ARGUMENT_CHARS} characters"
                )
            }
        }
    }
}

fn audit_organization_admins(arguments: &Arguments) -> String {
    let organization = arguments.get("organization", "");
    let role = arguments.get("role", "org:admin");
    format!(
        "Audit who holds the role {role} in the Clerk organization \"{organization}\". \
         Do not change anything.\n\n\
         1. Find the organization with clerk_get_organization (use organizationId if \
         \"{organization}\" starts with org_, otherwise slug). Say which organization it is.\n\
         2. List its members with clerk_list_organization_members and role [\"{role}\"]. \
         Follow nextOffset until hasMore is false, so that no member is missed.\n\
         3. For each of them, call clerk_get_user and note: name, primary email, last sign-in, \
         last activity, whether two-factor authentication is on, and whether they are banned \
         or locked.\n\
         4. Read the block-list with clerk_list_blocklist (follow nextOffset) and note each of \
         those members whose email address, or its domain, is on it.\n\
         5. Answer with a table of those members, then list what needs attention: anyone who \
         has not signed in for 90 days, anyone without two-factor authentication, anyone \
         banned, locked or blocked, and whether the organization depends on a single person \
         holding {role}.\n\
         Suggest changes, but make none."
    )
}

fn offboard_user(arguments: &Arguments) -> String {
    let user = arguments.get("user", "");
    let reason = arguments.get("reason", "not given");
    format!(
        "Offboard the Clerk user \"{user}\" (reason: {reason}). Before every step that \
         changes something, tell me exactly what you are about to do and wait for my \
         explicit yes; if I say no, skip that step.\n\n\
         1. Find the user: if \"{user}\" starts with user_, call clerk_get_user; otherwise call \
         clerk_list_users with emailAddress [\"{user}\"]. If there is no match, or more than \
         one, stop and ask me. Show me their name, email addresses and user ID so that I can \
         confirm it is the right person.\n\
         2. List their organization memberships with clerk_list_user_organizations (follow \
         nextOffset). For each one, ask me, then remove it with clerk_remove_member.\n\
         3. List their active sessions with clerk_list_sessions (status active). Ask me once \
         for all of them, then revoke each with clerk_revoke_session.\n\
         4. Ask me, then ban the user with clerk_ban_user, so that they cannot sign in again. \
         Do not delete the account.\n\
         5. Finish with a summary of what was done and what was skipped."
    )
}

fn invite_members(arguments: &Arguments) -> String {
    let organization = arguments.get("organization", "");
    let role = arguments.get("role", "org:member");
    let emails: Vec<&str> = arguments
        .get("emails", "")
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|email| !email.is_empty())
        .collect();
    format!(
        "Invite these people to the Clerk organization \"{organization}\" with the role \
         {role}:\n{}\n\n\
         1. Find the organization with clerk_get_organization (organizationId if \
         \"{organization}\" starts with org_, otherwise slug).\n\
         2. Check with clerk_list_roles that {role} exists; if it does not, show me the roles \
         that do and ask which to use.\n\
         3. Find who is already a member (clerk_list_organization_members) or already has a \
         pending invitation (clerk_list_organization_invitations with status pending), \
         following nextOffset in both lists.\n\
         4. Show me the addresses you will invite and the ones you will skip and why, and \
         wait for my yes.\n\
         5. Invite each remaining address with clerk_create_invitation, one at a time, and \
         finish with a table of address and outcome (invited, skipped, or the error).",
        emails
            .iter()
            .map(|email| format!("- {email}"))
            .collect::<Vec<_>>()
            .join("\n")
    )
}

fn review_waitlist(arguments: &Arguments) -> String {
    let criteria = arguments.get("criteria", "none given: judge by what the entries show");
    format!(
        "Review the Clerk waitlist with me (criteria: {criteria}). Change nothing until I \
         agree.\n\n\
         1. List the pending entries with clerk_list_waitlist (status pending), following \
         nextOffset until hasMore is false.\n\
         2. Summarise them: how many, since when, and the email domains they come from.\n\
         3. Propose which to invite and which to reject, with a reason for each, and leave \
         undecided the ones you cannot judge. Wait for my answer.\n\
         4. Invite the entries I agree to with clerk_invite_waitlist_entry, and reject the \
         ones I agree to with clerk_reject_waitlist_entry, one at a time; touch no other.\n\
         5. Finish with a table of entry, email address and outcome (invited, rejected, left \
         pending, or the error)."
    )
}
