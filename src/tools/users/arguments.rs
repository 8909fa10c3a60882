//! The arguments of the user tools, and the checks of the values only
//! users have: phone numbers, profile field lengths and passwords.

use std::borrow::Cow;
use std::fmt;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::{Map, Value};

use crate::clerk::ids::{EmailAddress, UserId};
use crate::clerk::users::UserFilter;
use crate::text::describe;
use crate::tools::arguments::{
    check_any_given, check_bulk_count, check_count, check_length, newest_first, Argument,
    Arguments, Given, Limit, OrderBy, OrderFields,
};
use crate::tools::{Fields, ToolError};

use super::output::{CompactUser, FullUser};

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

/// The fields users can be sorted by.
pub enum UserOrder {}

impl OrderFields for UserOrder {
    const FIELDS: &'static [&'static str] = &[
        "created_at",
        "updated_at",
        "last_active_at",
        "last_sign_in_at",
        "email_address",
        "first_name",
        "last_name",
        "username",
    ];
}

/// Arguments of `clerk_list_users`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ListUsersArgs {
    #[serde(default)]
    pub limit: Limit<200>,
    /// Next page: the last answer's `nextOffset`.
    #[serde(default)]
    pub offset: u32,
    /// Search names, email addresses, phone numbers, usernames and user IDs.
    #[schemars(length(max = 256))]
    pub query: Option<String>,
    /// Only these exact email addresses.
    #[serde(default)]
    #[schemars(with = "Vec<String>", length(max = 100))]
    pub email_address: Vec<EmailAddress>,
    /// Only these user IDs.
    #[serde(default)]
    #[schemars(length(max = 100))]
    pub user_id: Vec<UserId>,
    /// Field to sort by; `-` before it for descending.
    #[serde(default = "newest_first::<UserOrder>")]
    pub order_by: OrderBy<UserOrder>,
    #[serde(default, rename = "fields")]
    pub _fields: Fields<CompactUser<'static>>,
}

impl Arguments for ListUsersArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(ListUsersArgs {
            limit: given.or_default("limit")?,
            offset: given.or_default("offset")?,
            query: given.optional("query")?,
            email_address: given.or_default("emailAddress")?,
            user_id: given.or_default("userId")?,
            order_by: given.or_else("orderBy", newest_first::<UserOrder>)?,
            _fields: given.or_default("fields")?,
        })
    }

    fn validate(&self) -> Result<(), ToolError> {
        check_user_filter(self.query.as_deref(), &self.email_address, &self.user_id)
    }
}

/// Arguments of `clerk_count_users`: the filters of `clerk_list_users`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CountUsersArgs {
    /// Search names, email addresses, phone numbers, usernames and user IDs.
    #[schemars(length(max = 256))]
    pub query: Option<String>,
    /// Only these exact email addresses.
    #[serde(default)]
    #[schemars(with = "Vec<String>", length(max = 100))]
    pub email_address: Vec<EmailAddress>,
    /// Only these user IDs.
    #[serde(default)]
    #[schemars(length(max = 100))]
    pub user_id: Vec<UserId>,
}

impl Arguments for CountUsersArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(CountUsersArgs {
            query: given.optional("query")?,
            email_address: given.or_default("emailAddress")?,
            user_id: given.or_default("userId")?,
        })
    }

    fn validate(&self) -> Result<(), ToolError> {
        check_user_filter(self.query.as_deref(), &self.email_address, &self.user_id)
    }
}

/// Checks the filters `clerk_list_users` and `clerk_count_users` share.
fn check_user_filter(
    query: Option<&str>,
    email_address: &[EmailAddress],
    user_id: &[UserId],
) -> Result<(), ToolError> {
    if let Some(query) = query {
        check_length("query", query, MAX_QUERY_CHARS)?;
    }
    check_count("emailAddress", email_address, MAX_FILTER_VALUES, "values")?;
    check_count("userId", user_id, MAX_FILTER_VALUES, "values")
}

/// The filter `clerk_list_users` and `clerk_count_users` send; a blank
/// `query` filters nothing, so it is left out.
pub fn user_filter(
    query: Option<String>,
    email_addresses: Vec<EmailAddress>,
    user_ids: Vec<UserId>,
) -> UserFilter {
    UserFilter {
        query: query.filter(|query| !query.trim().is_empty()),
        email_addresses: email_addresses
            .into_iter()
            .map(EmailAddress::into_string)
            .collect(),
        user_ids: user_ids.into_iter().map(UserId::into_string).collect(),
    }
}

/// Arguments of the tools that name one user and nothing else:
/// `clerk_ban_user`, `clerk_unban_user`,
/// `clerk_lock_user`, `clerk_unlock_user` and `clerk_delete_user`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UserIdArgs {
    pub user_id: UserId,
}

impl Arguments for UserIdArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(UserIdArgs {
            user_id: given.required("userId")?,
        })
    }
}

/// Arguments of `clerk_bulk_ban_users`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BulkBanArgs {
    /// The users to ban (`user_...`), 1 to 100.
    #[schemars(length(min = 1, max = 100))]
    pub user_ids: Vec<UserId>,
}

impl Arguments for BulkBanArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(BulkBanArgs {
            user_ids: given.required("userIds")?,
        })
    }

    fn validate(&self) -> Result<(), ToolError> {
        check_bulk_count("userIds", self.user_ids.len(), "user IDs")
    }
}

/// Arguments of `clerk_get_user`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GetUserArgs {
    pub user_id: UserId,
    #[serde(default, rename = "fields")]
    pub _fields: Fields<FullUser>,
}

impl Arguments for GetUserArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(GetUserArgs {
            user_id: given.required("userId")?,
            _fields: given.or_default("fields")?,
        })
    }
}

/// Arguments of `clerk_create_user`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateUserArgs {
    /// Unique in the instance; the first is primary.
    #[serde(default)]
    #[schemars(length(max = 10))]
    pub email_address: Vec<EmailAddress>,
    /// E.164, unique in the instance; the first is primary.
    #[serde(default)]
    #[schemars(length(max = 10), inner(pattern(PHONE_NUMBER_PATTERN)))]
    pub phone_number: Vec<String>,
    /// Unique in the instance; only where usernames are enabled.
    #[schemars(length(min = 1, max = 256))]
    pub username: Option<String>,
    /// First name.
    #[schemars(length(max = 256))]
    pub first_name: Option<String>,
    /// Last name.
    #[schemars(length(max = 256))]
    pub last_name: Option<String>,
    /// Your own ID for the user, unique in the instance; not for signing in.
    #[schemars(length(max = 256))]
    pub external_id: Option<String>,
    /// Not one known from a breach; sent to Clerk only, never shown back.
    pub password: Option<Password>,
    /// True for no password where the instance uses them (not where a password is the only way to sign in).
    pub skip_password_requirement: Option<bool>,
    /// Public metadata (frontend reads, backend writes).
    pub public_metadata: Option<Map<String, Value>>,
    /// Private metadata (backend only).
    pub private_metadata: Option<Map<String, Value>>,
    /// Unsafe metadata (frontend reads and writes).
    pub unsafe_metadata: Option<Map<String, Value>>,
}

impl Arguments for CreateUserArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(CreateUserArgs {
            email_address: given.or_default("emailAddress")?,
            phone_number: given.or_default("phoneNumber")?,
            username: given.optional("username")?,
            first_name: given.optional("firstName")?,
            last_name: given.optional("lastName")?,
            external_id: given.optional("externalId")?,
            password: given.optional("password")?,
            skip_password_requirement: given.optional("skipPasswordRequirement")?,
            public_metadata: given.optional("publicMetadata")?,
            private_metadata: given.optional("privateMetadata")?,
            unsafe_metadata: given.optional("unsafeMetadata")?,
        })
    }

    fn validate(&self) -> Result<(), ToolError> {
        check_count(
            "emailAddress",
            &self.email_address,
            MAX_NEW_IDENTIFIERS,
            "email addresses",
        )?;
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
pub struct Password(String);

impl Password {
    /// The password, for the body of Clerk's request only.
    pub fn expose(self) -> String {
        self.0
    }

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

impl Argument for Password {
    fn from_value(value: Value) -> Result<Self, String> {
        match value {
            Value::String(password) => Ok(Password(password)),
            _ => Err("must be a string".to_owned()),
        }
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
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UpdateUserArgs {
    pub user_id: UserId,
    /// New first name.
    #[schemars(length(max = 256))]
    pub first_name: Option<String>,
    /// New last name.
    #[schemars(length(max = 256))]
    pub last_name: Option<String>,
    /// Unique in the instance; empty removes it.
    #[schemars(length(max = 256))]
    pub username: Option<String>,
    /// Your own ID for the user, unique in the instance.
    #[schemars(length(max = 256))]
    pub external_id: Option<String>,
}

impl Arguments for UpdateUserArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(UpdateUserArgs {
            user_id: given.required("userId")?,
            first_name: given.optional("firstName")?,
            last_name: given.optional("lastName")?,
            username: given.optional("username")?,
            external_id: given.optional("externalId")?,
        })
    }

    fn validate(&self) -> Result<(), ToolError> {
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
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UpdateUserMetadataArgs {
    pub user_id: UserId,
    /// Keys to merge into the public metadata (frontend reads, backend writes).
    pub public_metadata: Option<Map<String, Value>>,
    /// Keys to merge into the private metadata (backend only).
    pub private_metadata: Option<Map<String, Value>>,
    /// Keys to merge into the unsafe metadata (frontend reads and writes).
    pub unsafe_metadata: Option<Map<String, Value>>,
}

impl Arguments for UpdateUserMetadataArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(UpdateUserMetadataArgs {
            user_id: given.required("userId")?,
            public_metadata: given.optional("publicMetadata")?,
            private_metadata: given.optional("privateMetadata")?,
            unsafe_metadata: given.optional("unsafeMetadata")?,
        })
    }

    fn validate(&self) -> Result<(), ToolError> {
        check_any_given(&[
            ("publicMetadata", self.public_metadata.is_some()),
            ("privateMetadata", self.private_metadata.is_some()),
            ("unsafeMetadata", self.unsafe_metadata.is_some()),
        ])
    }
}
