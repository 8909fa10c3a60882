//! The user tools: `clerk_list_users`, `clerk_count_users`, `clerk_get_user`,
//! `clerk_create_user`, `clerk_update_user`, `clerk_update_user_metadata`,
//! `clerk_ban_user`, `clerk_unban_user`, `clerk_lock_user`,
//! `clerk_unlock_user` and `clerk_delete_user`.
//!
//! Lists show users compactly (what a person asks about: names, emails,
//! status, metadata, times) with empty fields left out; every tool that
//! answers with one user gives the full profile. All of them read Clerk's
//! wire types from [`crate::clerk::users`] and never expose them directly.
//! A new user's password goes to Clerk and nowhere else: no output, error
//! or `Debug` of this module shows it.

use std::borrow::Cow;
use std::fmt;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::{to_raw_value, RawValue};
use serde_json::{Map, Value};

use super::arguments::{
    check_any_given, check_count, check_email, check_length, check_order_by, check_range,
    check_user_id, default_limit, describe, Arguments, USER_ID_PATTERN,
};
use super::error::no_user_with_id;
use super::output::{PageInfo, Timestamp};
use super::{
    internal, run_typed, run_written, Annotations, SchemaSource, ToolDefinition, ToolError,
};
use crate::clerk::users::{
    self as wire, ListedUser, MetadataText, NewUser, UserAction, UserChanges, UserFilter,
    Verification,
};
use crate::clerk::{ClerkClient, ClerkError, MetadataChanges, Page};

pub static TOOLS: [ToolDefinition; 11] = [
    ToolDefinition {
        name: "clerk_list_users",
        title: "List users",
        description: "List the users of the Clerk instance, newest first unless `orderBy` says \
            otherwise. Narrow the list with `query` (free text matched against names, email \
            addresses, phone numbers, usernames and IDs), or with exact `emailAddress` or `userId` \
            lists. Users come back compact, with empty fields left out; use clerk_get_user for a \
            full profile. The answer carries `totalCount` and `hasMore`; when `hasMore` is true, \
            call again with `offset` set to `nextOffset` for the next page.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<ListUsersArgs>(),
        output_schema: SchemaSource::output::<UserList>(),
        handler: |call| run_written(call, list_users),
    },
    ToolDefinition {
        name: "clerk_count_users",
        title: "Count users",
        description: "Count the users of the Clerk instance. Without arguments every user is \
            counted; `query` (free text matched against names, email addresses, phone numbers, \
            usernames and IDs), `emailAddress` (exact addresses) and `userId` (`user_...`) narrow \
            the count exactly as they narrow clerk_list_users. Returns `{totalCount}` and fetches \
            no users, so use it when only the number matters.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<CountUsersArgs>(),
        output_schema: SchemaSource::output::<UserCount>(),
        handler: |call| run_typed(call, count_users),
    },
    ToolDefinition {
        name: "clerk_get_user",
        title: "Get user",
        description: "Get one user's full profile by user ID (`user_...`): names, every email \
            address and phone number with its verification, external accounts (Google, GitHub, \
            ...), MFA settings, ban and lock state, the three metadata objects, organization \
            memberships when Clerk includes them, and sign-in and activity times. To find a \
            user's ID from an email address, use clerk_list_users with `emailAddress`.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<UserIdArgs>(),
        output_schema: SchemaSource::output::<FullUser>(),
        handler: |call| run_typed(call, get_user),
    },
    ToolDefinition {
        name: "clerk_create_user",
        title: "Create user",
        description: "Create a user. Give at least one identifier to sign in with: \
            `emailAddress`, `phoneNumber` (E.164, such as +15555550100) or `username`. The \
            instance's settings (Clerk Dashboard, User & authentication) decide which of them \
            are required and which are enabled at all; Clerk refuses a call that lacks a \
            required one or gives a disabled one, and names it. The first email address and \
            phone number become the primary ones; Clerk marks them verified and sends no \
            verification message. `externalId` links the user to your own systems but is not \
            something to sign in with. When the instance uses passwords, give `password` (at \
            least 8 characters, and not one known from a data breach) or set \
            `skipPasswordRequirement` to true to create the user without one; the password is \
            sent to Clerk only and never shown back. The metadata objects set the initial \
            metadata. Email addresses, phone numbers, usernames and external IDs must be unique \
            in the instance, and each call creates a new user. Returns the new user's full \
            profile, with their ID (`user_...`).",
        annotations: Annotations::WRITE,
        input_schema: SchemaSource::input::<CreateUserArgs>(),
        output_schema: SchemaSource::output::<FullUser>(),
        handler: |call| run_typed(call, create_user),
    },
    ToolDefinition {
        name: "clerk_update_user",
        title: "Update user",
        description: "Change a user's profile (`user_...`): `firstName`, `lastName`, `username` \
            and `externalId`; give at least one. Only the fields given change. An empty \
            `username` removes the username, where the instance does not require one. \
            Usernames and external IDs must be unique in the instance. Metadata is not changed \
            here: use clerk_update_user_metadata. Returns the user's full profile after the \
            change.",
        annotations: Annotations::WRITE_IDEMPOTENT,
        input_schema: SchemaSource::input::<UpdateUserArgs>(),
        output_schema: SchemaSource::output::<FullUser>(),
        handler: |call| run_typed(call, update_user),
    },
    ToolDefinition {
        name: "clerk_update_user_metadata",
        title: "Update user metadata",
        description: "Merge changes into a user's metadata (`user_...`). Give at least one of \
            `publicMetadata` (readable by the user's browser, writable only from the backend), \
            `privateMetadata` (backend only) and `unsafeMetadata` (readable and writable by the \
            user's browser). Clerk deep-merges each object into the stored one: nested objects \
            are merged key by key, a key set to null is removed, and keys you leave out are kept. \
            Returns the user's full profile after the change.",
        annotations: Annotations::WRITE_IDEMPOTENT,
        input_schema: SchemaSource::input::<UpdateUserMetadataArgs>(),
        output_schema: SchemaSource::output::<FullUser>(),
        handler: |call| run_typed(call, update_user_metadata),
    },
    ToolDefinition {
        name: "clerk_ban_user",
        title: "Ban user",
        description: "Ban a user (`user_...`). Clerk revokes all of the user's sessions at once, \
            signing them out on every device, and refuses every sign-in until the ban is lifted \
            with clerk_unban_user. The account and its data are kept. Banning a banned user \
            changes nothing. Returns the user's full profile, with `banned: true`.",
        annotations: Annotations::DESTRUCTIVE_IDEMPOTENT,
        input_schema: SchemaSource::input::<UserIdArgs>(),
        output_schema: SchemaSource::output::<FullUser>(),
        handler: |call| {
            run_typed(call, |clerk, args| {
                act_on_user(clerk, args, UserAction::Ban)
            })
        },
    },
    ToolDefinition {
        name: "clerk_unban_user",
        title: "Unban user",
        description: "Lift a user's ban (`user_...`) so that they can sign in again. Sessions \
            the ban revoked stay revoked: the user signs in anew. Unbanning a user who is not \
            banned changes nothing. Returns the user's full profile, with `banned: false`.",
        annotations: Annotations::WRITE_IDEMPOTENT,
        input_schema: SchemaSource::input::<UserIdArgs>(),
        output_schema: SchemaSource::output::<FullUser>(),
        handler: |call| {
            run_typed(call, |clerk, args| {
                act_on_user(clerk, args, UserAction::Unban)
            })
        },
    },
    ToolDefinition {
        name: "clerk_lock_user",
        title: "Lock user",
        description: "Lock a user (`user_...`): Clerk refuses their sign-ins until the lock \
            expires, after the lockout period set in the instance's restrictions settings, or \
            until clerk_unlock_user lifts it. Clerk also locks users by itself after too many \
            failed sign-in attempts. The account and its data are kept; to keep someone out \
            with no end date and sign them out everywhere, use clerk_ban_user. Locking a locked \
            user changes nothing. Returns the user's full profile, with `locked: true` and \
            `lockoutExpiresInSeconds`.",
        annotations: Annotations::DESTRUCTIVE_IDEMPOTENT,
        input_schema: SchemaSource::input::<UserIdArgs>(),
        output_schema: SchemaSource::output::<FullUser>(),
        handler: |call| {
            run_typed(call, |clerk, args| {
                act_on_user(clerk, args, UserAction::Lock)
            })
        },
    },
    ToolDefinition {
        name: "clerk_unlock_user",
        title: "Unlock user",
        description: "Unlock a user (`user_...`) locked by clerk_lock_user or by too many \
            failed sign-in attempts, so that they can sign in again at once. Unlocking a user \
            who is not locked changes nothing. Returns the user's full profile, with \
            `locked: false`.",
        annotations: Annotations::WRITE_IDEMPOTENT,
        input_schema: SchemaSource::input::<UserIdArgs>(),
        output_schema: SchemaSource::output::<FullUser>(),
        handler: |call| {
            run_typed(call, |clerk, args| {
                act_on_user(clerk, args, UserAction::Unlock)
            })
        },
    },
    ToolDefinition {
        name: "clerk_delete_user",
        title: "Delete user",
        description: "Permanently delete a user (`user_...`). This is irreversible: the user is \
            signed out everywhere, and their email addresses, phone numbers, external accounts, \
            organization memberships and metadata are deleted with them; should the same \
            person sign up again, they become a new user with a new ID. To stop someone \
            signing in while keeping the account, use clerk_ban_user instead. Make sure the \
            user means this account (clerk_get_user shows it) before calling. Returns \
            `{id, deleted: true}`.",
        annotations: Annotations::DESTRUCTIVE,
        input_schema: SchemaSource::input::<UserIdArgs>(),
        output_schema: SchemaSource::output::<DeletedUser>(),
        handler: |call| run_typed(call, delete_user),
    },
];

const MAX_LIST_LIMIT: u32 = 200;
const MAX_FILTER_VALUES: usize = 100;
const MAX_QUERY_CHARS: usize = 256;
/// How many email addresses, and how many phone numbers, a new user may be given.
const MAX_NEW_IDENTIFIERS: usize = 10;
/// The longest name, username or external ID accepted.
const MAX_PROFILE_CHARS: usize = 256;
/// Clerk's spec: a password has at least 8 characters.
const MIN_PASSWORD_CHARS: usize = 8;
const MAX_PASSWORD_CHARS: usize = 256;
/// A phone number in E.164 form: `+`, a country code not starting with 0,
/// and at most 15 digits in all.
const PHONE_NUMBER_PATTERN: &str = "^\\+[1-9][0-9]{1,14}$";
const ORDER_FIELDS: [&str; 8] = [
    "created_at",
    "updated_at",
    "last_active_at",
    "last_sign_in_at",
    "email_address",
    "first_name",
    "last_name",
    "username",
];
const ORDER_BY_PATTERN: &str = "^[+-]?(created_at|updated_at|last_active_at|last_sign_in_at|email_address|first_name|last_name|username)$";

/// Arguments of `clerk_list_users`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ListUsersArgs {
    /// How many users to return, from 1 to 200. Default 20.
    #[serde(default = "default_limit")]
    #[schemars(range(min = 1, max = 200))]
    limit: u32,
    /// How many users to skip before the first one returned. Default 0. To read the next page,
    /// pass the previous answer's `nextOffset`.
    #[serde(default)]
    offset: u32,
    /// Free-text search over names, email addresses, phone numbers, usernames and user IDs.
    #[schemars(length(max = 256))]
    query: Option<String>,
    /// Only users with one of these exact email addresses.
    #[serde(default)]
    #[schemars(length(max = 100))]
    email_address: Vec<String>,
    /// Only users with one of these user IDs (`user_...`).
    #[serde(default)]
    #[schemars(length(max = 100), inner(pattern(USER_ID_PATTERN)))]
    user_id: Vec<String>,
    /// Sort order: a field (created_at, updated_at, last_active_at, last_sign_in_at,
    /// email_address, first_name, last_name, username), optionally preceded by `+` (ascending)
    /// or `-` (descending). Default `-created_at`, newest first.
    #[serde(default = "default_order_by")]
    #[schemars(pattern(ORDER_BY_PATTERN))]
    order_by: String,
}

fn default_order_by() -> String {
    "-created_at".to_owned()
}

impl Arguments for ListUsersArgs {
    fn validate(&self) -> Result<(), ToolError> {
        check_range("limit", self.limit, 1, MAX_LIST_LIMIT)?;
        check_user_filter(self.query.as_deref(), &self.email_address, &self.user_id)?;
        check_order_by("orderBy", &self.order_by, &ORDER_FIELDS)
    }
}

/// Arguments of `clerk_count_users`: the filters of `clerk_list_users`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CountUsersArgs {
    /// Free-text search over names, email addresses, phone numbers, usernames and user IDs.
    #[schemars(length(max = 256))]
    query: Option<String>,
    /// Only users with one of these exact email addresses.
    #[serde(default)]
    #[schemars(length(max = 100))]
    email_address: Vec<String>,
    /// Only users with one of these user IDs (`user_...`).
    #[serde(default)]
    #[schemars(length(max = 100), inner(pattern(USER_ID_PATTERN)))]
    user_id: Vec<String>,
}

impl Arguments for CountUsersArgs {
    fn validate(&self) -> Result<(), ToolError> {
        check_user_filter(self.query.as_deref(), &self.email_address, &self.user_id)
    }
}

/// Checks the filters `clerk_list_users` and `clerk_count_users` share.
fn check_user_filter(
    query: Option<&str>,
    email_address: &[String],
    user_id: &[String],
) -> Result<(), ToolError> {
    if let Some(query) = query {
        check_length("query", query, MAX_QUERY_CHARS)?;
    }
    check_count("emailAddress", email_address, MAX_FILTER_VALUES, "values")?;
    check_count("userId", user_id, MAX_FILTER_VALUES, "values")?;
    for email in email_address {
        check_email("emailAddress", email)?;
    }
    for user_id in user_id {
        check_user_id("userId", user_id)?;
    }
    Ok(())
}

/// The filter `clerk_list_users` and `clerk_count_users` send; a blank
/// `query` filters nothing, so it is left out.
fn user_filter(
    query: Option<String>,
    email_addresses: Vec<String>,
    user_ids: Vec<String>,
) -> UserFilter {
    UserFilter {
        query: query.filter(|query| !query.trim().is_empty()),
        email_addresses,
        user_ids,
    }
}

/// Arguments of the tools that name one user and nothing else:
/// `clerk_get_user`, `clerk_ban_user`, `clerk_unban_user`,
/// `clerk_lock_user`, `clerk_unlock_user` and `clerk_delete_user`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct UserIdArgs {
    /// The user's ID, `user_` followed by letters and digits.
    #[schemars(pattern(USER_ID_PATTERN))]
    user_id: String,
}

impl Arguments for UserIdArgs {
    fn validate(&self) -> Result<(), ToolError> {
        check_user_id("userId", &self.user_id)
    }
}

/// Arguments of `clerk_create_user`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CreateUserArgs {
    /// Email addresses of the user, unique in the instance; the first becomes the primary one.
    #[serde(default)]
    #[schemars(length(max = 10), inner(email, length(max = 320)))]
    email_address: Vec<String>,
    /// Phone numbers in E.164 form (`+15555550100`), unique in the instance; the first becomes the primary one.
    #[serde(default)]
    #[schemars(length(max = 10), inner(pattern(PHONE_NUMBER_PATTERN)))]
    phone_number: Vec<String>,
    /// A username, unique in the instance, where the instance has usernames.
    #[schemars(length(min = 1, max = 256))]
    username: Option<String>,
    /// The user's first name.
    #[schemars(length(max = 256))]
    first_name: Option<String>,
    /// The user's last name.
    #[schemars(length(max = 256))]
    last_name: Option<String>,
    /// The user's ID in your own systems, unique in the instance.
    #[schemars(length(max = 256))]
    external_id: Option<String>,
    /// The initial password, at least 8 characters; sent to Clerk only and never shown back.
    password: Option<Password>,
    /// True to create the user without a password where the instance uses passwords (not where a password is the only way to sign in).
    skip_password_requirement: Option<bool>,
    /// Initial public metadata: readable by the user's browser, writable only from the backend.
    public_metadata: Option<Map<String, Value>>,
    /// Initial private metadata: visible only to the backend.
    private_metadata: Option<Map<String, Value>>,
    /// Initial unsafe metadata: readable and writable by the user's browser.
    unsafe_metadata: Option<Map<String, Value>>,
}

impl Arguments for CreateUserArgs {
    fn validate(&self) -> Result<(), ToolError> {
        check_count(
            "emailAddress",
            &self.email_address,
            MAX_NEW_IDENTIFIERS,
            "email addresses",
        )?;
        for email in &self.email_address {
            check_email("emailAddress", email)?;
        }
        check_count(
            "phoneNumber",
            &self.phone_number,
            MAX_NEW_IDENTIFIERS,
            "phone numbers",
        )?;
        for phone in &self.phone_number {
            check_phone_number("phoneNumber", phone)?;
        }
        if let Some(username) = &self.username {
            if username.trim().is_empty() {
                return Err(ToolError::invalid(
                    "username",
                    format!("must not be empty or blank (got {})", describe(username)),
                ));
            }
        }
        check_profile_lengths(&[
            ("username", &self.username),
            ("firstName", &self.first_name),
            ("lastName", &self.last_name),
            ("externalId", &self.external_id),
        ])?;
        if let Some(password) = &self.password {
            password.check("password")?;
        }
        check_any_given(&[
            ("emailAddress", !self.email_address.is_empty()),
            ("phoneNumber", !self.phone_number.is_empty()),
            ("username", self.username.is_some()),
        ])
    }
}

/// Fails unless `value` is a phone number in E.164 form (see
/// [`PHONE_NUMBER_PATTERN`]). Clerk makes the final check.
fn check_phone_number(argument: &str, value: &str) -> Result<(), ToolError> {
    let digits = value.strip_prefix('+').unwrap_or_default();
    let valid = (2..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if valid {
        Ok(())
    } else {
        Err(ToolError::invalid(
            argument,
            format!(
                "each value must be a phone number in E.164 form: `+`, the country code and the \
                 number, digits only, such as +15555550100 (got {})",
                describe(value)
            ),
        ))
    }
}

/// Checks the length of each given profile field (names, username, external ID).
fn check_profile_lengths(fields: &[(&str, &Option<String>)]) -> Result<(), ToolError> {
    for (argument, value) in fields {
        if let Some(value) = value {
            check_length(argument, value, MAX_PROFILE_CHARS)?;
        }
    }
    Ok(())
}

/// A password from a call's arguments. Neither its `Debug` nor any error
/// about it shows the value: a non-string one is refused without quoting it,
/// as serde's own message would.
struct Password(String);

impl Password {
    /// Fails unless the password has 8 to 256 characters; the message gives
    /// the length only.
    fn check(&self, argument: &str) -> Result<(), ToolError> {
        let chars = self.0.chars().count();
        if (MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&chars) {
            Ok(())
        } else {
            Err(ToolError::invalid(
                argument,
                format!(
                    "must have {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters (got {chars})"
                ),
            ))
        }
    }
}

impl<'de> Deserialize<'de> for Password {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)
            .map(Password)
            .map_err(|_| D::Error::custom("must be a string"))
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password([hidden])")
    }
}

impl JsonSchema for Password {
    fn schema_name() -> Cow<'static, str> {
        "Password".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "minLength": MIN_PASSWORD_CHARS,
            "maxLength": MAX_PASSWORD_CHARS,
            "writeOnly": true
        })
    }
}

/// Arguments of `clerk_update_user`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct UpdateUserArgs {
    /// The user's ID, `user_` followed by letters and digits.
    #[schemars(pattern(USER_ID_PATTERN))]
    user_id: String,
    /// The new first name.
    #[schemars(length(max = 256))]
    first_name: Option<String>,
    /// The new last name.
    #[schemars(length(max = 256))]
    last_name: Option<String>,
    /// The new username, unique in the instance; an empty string removes it.
    #[schemars(length(max = 256))]
    username: Option<String>,
    /// The user's new ID in your own systems, unique in the instance.
    #[schemars(length(max = 256))]
    external_id: Option<String>,
}

impl Arguments for UpdateUserArgs {
    fn validate(&self) -> Result<(), ToolError> {
        check_user_id("userId", &self.user_id)?;
        check_profile_lengths(&[
            ("firstName", &self.first_name),
            ("lastName", &self.last_name),
            ("username", &self.username),
            ("externalId", &self.external_id),
        ])?;
        check_any_given(&[
            ("firstName", self.first_name.is_some()),
            ("lastName", self.last_name.is_some()),
            ("username", self.username.is_some()),
            ("externalId", self.external_id.is_some()),
        ])
    }
}

/// Arguments of `clerk_update_user_metadata`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct UpdateUserMetadataArgs {
    /// The user's ID, `user_` followed by letters and digits.
    #[schemars(pattern(USER_ID_PATTERN))]
    user_id: String,
    /// Keys to merge into the public metadata; a key set to null is removed.
    public_metadata: Option<Map<String, Value>>,
    /// Keys to merge into the private metadata; a key set to null is removed.
    private_metadata: Option<Map<String, Value>>,
    /// Keys to merge into the unsafe metadata; a key set to null is removed.
    unsafe_metadata: Option<Map<String, Value>>,
}

impl Arguments for UpdateUserMetadataArgs {
    fn validate(&self) -> Result<(), ToolError> {
        check_user_id("userId", &self.user_id)?;
        check_any_given(&[
            ("publicMetadata", self.public_metadata.is_some()),
            ("privateMetadata", self.private_metadata.is_some()),
            ("unsafeMetadata", self.unsafe_metadata.is_some()),
        ])
    }
}

/// One page of users.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct UserList<'a> {
    users: Vec<CompactUser<'a>>,
    #[serde(flatten)]
    page: PageInfo,
}

/// How many users match.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct UserCount {
    /// How many users match the filters; with none, how many users the instance has.
    total_count: u64,
}

/// What is left of a deleted user.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct DeletedUser {
    /// The ID of the deleted user (`user_...`).
    id: String,
    /// True once Clerk has deleted the user.
    deleted: bool,
}

/// A user as lists show it. Empty fields are left out.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct CompactUser<'a> {
    id: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    primary_email_address: Option<Cow<'a, str>>,
    /// Every email address of the user, the primary one included.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    email_addresses: Vec<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    phone_numbers: Vec<Cow<'a, str>>,
    /// The providers the user signs in with (`oauth_google`, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    external_accounts: Vec<Cow<'a, str>>,
    banned: bool,
    locked: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Map<String, Value>>")]
    public_metadata: Option<&'a RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Map<String, Value>>")]
    private_metadata: Option<&'a RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Map<String, Value>>")]
    unsafe_metadata: Option<&'a RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_sign_in_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_active_at: Option<Timestamp>,
}

/// A user's full profile.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct FullUser {
    id: String,
    external_id: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    username: Option<String>,
    image_url: Option<String>,
    has_image: bool,
    primary_email_address: Option<String>,
    primary_phone_number: Option<String>,
    email_addresses: Vec<EmailAddressOut>,
    phone_numbers: Vec<PhoneNumberOut>,
    web3_wallets: Vec<String>,
    external_accounts: Vec<ExternalAccountOut>,
    /// Present when Clerk includes the user's organization memberships.
    #[serde(skip_serializing_if = "Option::is_none")]
    organization_memberships: Option<Vec<MembershipOut>>,
    password_enabled: bool,
    two_factor_enabled: bool,
    totp_enabled: bool,
    backup_code_enabled: bool,
    mfa_enabled_at: Option<Timestamp>,
    mfa_disabled_at: Option<Timestamp>,
    banned: bool,
    locked: bool,
    lockout_expires_in_seconds: Option<i64>,
    verification_attempts_remaining: Option<i64>,
    public_metadata: Map<String, Value>,
    private_metadata: Map<String, Value>,
    unsafe_metadata: Map<String, Value>,
    created_at: Option<Timestamp>,
    updated_at: Option<Timestamp>,
    last_sign_in_at: Option<Timestamp>,
    last_active_at: Option<Timestamp>,
    legal_accepted_at: Option<Timestamp>,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct EmailAddressOut {
    id: Option<String>,
    email_address: String,
    verified: bool,
    primary: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct PhoneNumberOut {
    id: Option<String>,
    phone_number: String,
    verified: bool,
    primary: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct ExternalAccountOut {
    provider: String,
    email_address: Option<String>,
    username: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    verified: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct MembershipOut {
    organization_id: Option<String>,
    organization_name: Option<String>,
    organization_slug: Option<String>,
    role: Option<String>,
}

async fn list_users(
    clerk: ClerkClient<'_>,
    args: ListUsersArgs,
) -> Result<Box<RawValue>, ToolError> {
    let filter = user_filter(args.query, args.email_address, args.user_id);
    let page = Page {
        limit: args.limit,
        offset: args.offset,
        order_by: Some(args.order_by),
    };
    let (answer, total_count) =
        futures::join!(clerk.list_users(&filter, &page), clerk.count_users(&filter));
    let answer = answer.map_err(ToolError::Clerk)?;
    let total_count = total_count.map_err(ToolError::Clerk)?;
    // The users borrow from the answer, which ends with this function, so
    // the list is written out here (the tool runs with `run_written`).
    let users = clerk.read_users(&answer).map_err(ToolError::Clerk)?;
    let page = PageInfo::new(total_count, users.len(), args.offset);
    let list = UserList {
        users: users.into_iter().map(CompactUser::from).collect(),
        page,
    };
    to_raw_value(&list).map_err(internal)
}

async fn count_users(clerk: ClerkClient<'_>, args: CountUsersArgs) -> Result<UserCount, ToolError> {
    let filter = user_filter(args.query, args.email_address, args.user_id);
    let total_count = clerk.count_users(&filter).await.map_err(ToolError::Clerk)?;
    Ok(UserCount { total_count })
}

async fn get_user(clerk: ClerkClient<'_>, args: UserIdArgs) -> Result<FullUser, ToolError> {
    let outcome = clerk.get_user(&args.user_id).await;
    full_user(outcome, &args.user_id)
}

async fn create_user(clerk: ClerkClient<'_>, args: CreateUserArgs) -> Result<FullUser, ToolError> {
    let user = clerk
        .create_user(NewUser {
            email_addresses: args.email_address,
            phone_numbers: args.phone_number,
            username: args.username,
            first_name: args.first_name,
            last_name: args.last_name,
            external_id: args.external_id,
            password: args.password.map(|password| password.0),
            skip_password_requirement: args.skip_password_requirement,
            public_metadata: args.public_metadata,
            private_metadata: args.private_metadata,
            unsafe_metadata: args.unsafe_metadata,
        })
        .await
        .map_err(ToolError::Clerk)?;
    Ok(FullUser::from(user))
}

async fn update_user(clerk: ClerkClient<'_>, args: UpdateUserArgs) -> Result<FullUser, ToolError> {
    let changes = UserChanges {
        first_name: args.first_name,
        last_name: args.last_name,
        username: args.username,
        external_id: args.external_id,
    };
    let outcome = clerk.update_user(&args.user_id, changes).await;
    full_user(outcome, &args.user_id)
}

async fn update_user_metadata(
    clerk: ClerkClient<'_>,
    args: UpdateUserMetadataArgs,
) -> Result<FullUser, ToolError> {
    let changes = MetadataChanges {
        public_metadata: args.public_metadata,
        private_metadata: args.private_metadata,
        unsafe_metadata: args.unsafe_metadata,
    };
    let outcome = clerk.update_user_metadata(&args.user_id, changes).await;
    full_user(outcome, &args.user_id)
}

/// A user call's answer as the full profile; a 404 names the user asked for.
fn full_user(
    outcome: Result<wire::User, ClerkError>,
    user_id: &str,
) -> Result<FullUser, ToolError> {
    outcome
        .map(FullUser::from)
        .map_err(|error| ToolError::from_clerk(error, || no_user_with_id(user_id)))
}

/// The one body of `clerk_ban_user`, `clerk_unban_user`, `clerk_lock_user`
/// and `clerk_unlock_user`: `POST /users/{id}/<action>`, answered with the user.
async fn act_on_user(
    clerk: ClerkClient<'_>,
    args: UserIdArgs,
    action: UserAction,
) -> Result<FullUser, ToolError> {
    let outcome = clerk.act_on_user(&args.user_id, action).await;
    full_user(outcome, &args.user_id)
}

async fn delete_user(clerk: ClerkClient<'_>, args: UserIdArgs) -> Result<DeletedUser, ToolError> {
    let deleted = clerk
        .delete_user(&args.user_id)
        .await
        .map_err(|error| ToolError::from_clerk(error, || no_user_with_id(&args.user_id)))?;
    Ok(DeletedUser {
        id: deleted
            .id
            .filter(|id| !id.is_empty())
            .unwrap_or(args.user_id),
        deleted: deleted.deleted,
    })
}

/// The address among `emails`, given as (ID, address), whose ID is `primary_id`.
fn primary_email<'e, A: Clone + 'e>(
    emails: impl IntoIterator<Item = (Option<&'e str>, &'e A)>,
    primary_id: Option<&str>,
) -> Option<A> {
    let primary_id = primary_id?;
    emails
        .into_iter()
        .find(|(id, _)| *id == Some(primary_id))
        .map(|(_, address)| address.clone())
}

fn primary_phone(user: &wire::User) -> Option<String> {
    let primary_id = user.primary_phone_number_id.as_deref()?;
    user.phone_numbers
        .iter()
        .find(|phone| phone.id.as_deref() == Some(primary_id))
        .map(|phone| phone.phone_number.clone())
}

/// A listed user's metadata object, unless it has no key.
fn non_empty(metadata: Option<MetadataText<'_>>) -> Option<&RawValue> {
    metadata
        .filter(|metadata| !metadata.is_empty())
        .map(|metadata| metadata.get())
}

impl<'a> From<ListedUser<'a>> for CompactUser<'a> {
    fn from(user: ListedUser<'a>) -> Self {
        CompactUser {
            primary_email_address: primary_email(
                user.email_addresses
                    .iter()
                    .map(|e| (e.id.as_deref(), &e.email_address)),
                user.primary_email_address_id.as_deref(),
            ),
            email_addresses: user
                .email_addresses
                .into_iter()
                .map(|e| e.email_address)
                .collect(),
            phone_numbers: user.phone_numbers,
            external_accounts: user.external_accounts,
            id: user.id,
            first_name: user.first_name,
            last_name: user.last_name,
            username: user.username,
            banned: user.banned,
            locked: user.locked,
            public_metadata: non_empty(user.public_metadata),
            private_metadata: non_empty(user.private_metadata),
            unsafe_metadata: non_empty(user.unsafe_metadata),
            created_at: Timestamp::from_opt(user.created_at),
            updated_at: Timestamp::from_opt(user.updated_at),
            last_sign_in_at: Timestamp::from_opt(user.last_sign_in_at),
            last_active_at: Timestamp::from_opt(user.last_active_at),
        }
    }
}

impl From<wire::User> for FullUser {
    fn from(user: wire::User) -> Self {
        let primary_email_id = user.primary_email_address_id.as_deref();
        let primary_email_address = primary_email(
            user.email_addresses
                .iter()
                .map(|e| (e.id.as_deref(), &e.email_address)),
            primary_email_id,
        );
        let primary_phone_number = primary_phone(&user);
        let primary_phone_id = user.primary_phone_number_id.as_deref();
        FullUser {
            email_addresses: user
                .email_addresses
                .iter()
                .map(|email| EmailAddressOut {
                    primary: email.id.is_some() && email.id.as_deref() == primary_email_id,
                    id: email.id.clone(),
                    email_address: email.email_address.clone(),
                    verified: Verification::is_verified(&email.verification),
                })
                .collect(),
            phone_numbers: user
                .phone_numbers
                .iter()
                .map(|phone| PhoneNumberOut {
                    primary: phone.id.is_some() && phone.id.as_deref() == primary_phone_id,
                    id: phone.id.clone(),
                    phone_number: phone.phone_number.clone(),
                    verified: Verification::is_verified(&phone.verification),
                })
                .collect(),
            web3_wallets: user
                .web3_wallets
                .into_iter()
                .map(|w| w.web3_wallet)
                .collect(),
            external_accounts: user
                .external_accounts
                .into_iter()
                .map(|account| ExternalAccountOut {
                    verified: Verification::is_verified(&account.verification),
                    provider: account.provider,
                    email_address: account.email_address,
                    username: account.username,
                    first_name: account.first_name,
                    last_name: account.last_name,
                })
                .collect(),
            organization_memberships: user.organization_memberships.map(|memberships| {
                memberships
                    .into_iter()
                    .map(|membership| {
                        let organization = membership.organization.unwrap_or_default();
                        MembershipOut {
                            organization_id: Some(organization.id).filter(|id| !id.is_empty()),
                            organization_name: organization.name,
                            organization_slug: organization.slug,
                            role: membership.role,
                        }
                    })
                    .collect()
            }),
            primary_email_address,
            primary_phone_number,
            id: user.id,
            external_id: user.external_id,
            first_name: user.first_name,
            last_name: user.last_name,
            username: user.username,
            image_url: user.image_url,
            has_image: user.has_image,
            password_enabled: user.password_enabled,
            two_factor_enabled: user.two_factor_enabled,
            totp_enabled: user.totp_enabled,
            backup_code_enabled: user.backup_code_enabled,
            mfa_enabled_at: Timestamp::from_opt(user.mfa_enabled_at),
            mfa_disabled_at: Timestamp::from_opt(user.mfa_disabled_at),
            banned: user.banned,
            locked: user.locked,
            lockout_expires_in_seconds: user.lockout_expires_in_seconds,
            verification_attempts_remaining: user.verification_attempts_remaining,
            public_metadata: user.public_metadata.unwrap_or_default(),
            private_metadata: user.private_metadata.unwrap_or_default(),
            unsafe_metadata: user.unsafe_metadata.unwrap_or_default(),
            created_at: Timestamp::from_opt(user.created_at),
            updated_at: Timestamp::from_opt(user.updated_at),
            last_sign_in_at: Timestamp::from_opt(user.last_sign_in_at),
            last_active_at: Timestamp::from_opt(user.last_active_at),
            legal_accepted_at: Timestamp::from_opt(user.legal_accepted_at),
        }
    }
}
