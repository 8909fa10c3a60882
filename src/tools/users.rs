//! The user tools: `clerk_list_users`, `clerk_get_user` and
//! `clerk_update_user_metadata`.
//!
//! Lists show users compactly (what a person asks about: names, emails,
//! status, metadata, times) with empty fields left out; a single user comes
//! back in full. Both read Clerk's wire types from [`crate::clerk::users`]
//! and never expose them directly.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::arguments::{
    check_any_metadata, check_count, check_email, check_length, check_order_by, check_range,
    check_user_id, default_limit, Arguments, USER_ID_PATTERN,
};
use super::error::no_user_with_id;
use super::output::{PageInfo, Timestamp};
use super::{input_schema, output_schema, run_typed, Annotations, ToolDefinition, ToolError};
use crate::clerk::users::{self as wire, UserFilter, Verification};
use crate::clerk::{ClerkClient, MetadataChanges, Page};

pub static TOOLS: [ToolDefinition; 3] = [
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
        input_schema: input_schema::<ListUsersArgs>,
        output_schema: output_schema::<UserList>,
        handler: |call| run_typed(call, list_users),
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
        input_schema: input_schema::<GetUserArgs>,
        output_schema: output_schema::<FullUser>,
        handler: |call| run_typed(call, get_user),
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
        input_schema: input_schema::<UpdateUserMetadataArgs>,
        output_schema: output_schema::<FullUser>,
        handler: |call| run_typed(call, update_user_metadata),
    },
];

const MAX_LIST_LIMIT: u32 = 200;
const MAX_FILTER_VALUES: usize = 100;
const MAX_QUERY_CHARS: usize = 256;
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
        if let Some(query) = &self.query {
            check_length("query", query, MAX_QUERY_CHARS)?;
        }
        check_count(
            "emailAddress",
            &self.email_address,
            MAX_FILTER_VALUES,
            "values",
        )?;
        check_count("userId", &self.user_id, MAX_FILTER_VALUES, "values")?;
        for email in &self.email_address {
            check_email("emailAddress", email)?;
        }
        for user_id in &self.user_id {
            check_user_id("userId", user_id)?;
        }
        check_order_by("orderBy", &self.order_by, &ORDER_FIELDS)
    }
}

/// Arguments of `clerk_get_user`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct GetUserArgs {
    /// The user's ID, `user_` followed by letters and digits.
    #[schemars(pattern(USER_ID_PATTERN))]
    user_id: String,
}

impl Arguments for GetUserArgs {
    fn validate(&self) -> Result<(), ToolError> {
        check_user_id("userId", &self.user_id)
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
        check_any_metadata(&[
            ("publicMetadata", self.public_metadata.is_some()),
            ("privateMetadata", self.private_metadata.is_some()),
            ("unsafeMetadata", self.unsafe_metadata.is_some()),
        ])
    }
}

/// One page of users.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct UserList {
    users: Vec<CompactUser>,
    #[serde(flatten)]
    page: PageInfo,
}

/// A user as lists show it. Empty fields are left out.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct CompactUser {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    primary_email_address: Option<String>,
    /// Every email address of the user, the primary one included.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    email_addresses: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    phone_numbers: Vec<String>,
    /// The providers the user signs in with (`oauth_google`, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    external_accounts: Vec<String>,
    banned: bool,
    locked: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_metadata: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    private_metadata: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unsafe_metadata: Option<Map<String, Value>>,
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

async fn list_users(clerk: ClerkClient<'_>, args: ListUsersArgs) -> Result<UserList, ToolError> {
    let filter = UserFilter {
        query: args.query.filter(|query| !query.trim().is_empty()),
        email_addresses: args.email_address,
        user_ids: args.user_id,
    };
    let page = Page {
        limit: args.limit,
        offset: args.offset,
        order_by: Some(args.order_by),
    };
    let (users, total_count) =
        futures::join!(clerk.list_users(&filter, &page), clerk.count_users(&filter));
    let users = users.map_err(ToolError::Clerk)?;
    let total_count = total_count.map_err(ToolError::Clerk)?;
    let page = PageInfo::new(total_count, users.len(), args.offset);
    Ok(UserList {
        users: users.into_iter().map(CompactUser::from).collect(),
        page,
    })
}

async fn get_user(clerk: ClerkClient<'_>, args: GetUserArgs) -> Result<FullUser, ToolError> {
    let user = clerk
        .get_user(&args.user_id)
        .await
        .map_err(|error| ToolError::from_clerk(error, || no_user_with_id(&args.user_id)))?;
    Ok(FullUser::from(user))
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
    let user = clerk
        .update_user_metadata(&args.user_id, changes)
        .await
        .map_err(|error| ToolError::from_clerk(error, || no_user_with_id(&args.user_id)))?;
    Ok(FullUser::from(user))
}

/// The address of the email whose ID is `primary_id`.
fn primary_email(user: &wire::User) -> Option<String> {
    let primary_id = user.primary_email_address_id.as_deref()?;
    user.email_addresses
        .iter()
        .find(|email| email.id.as_deref() == Some(primary_id))
        .map(|email| email.email_address.clone())
}

fn primary_phone(user: &wire::User) -> Option<String> {
    let primary_id = user.primary_phone_number_id.as_deref()?;
    user.phone_numbers
        .iter()
        .find(|phone| phone.id.as_deref() == Some(primary_id))
        .map(|phone| phone.phone_number.clone())
}

fn non_empty(metadata: Option<Map<String, Value>>) -> Option<Map<String, Value>> {
    metadata.filter(|map| !map.is_empty())
}

impl From<wire::User> for CompactUser {
    fn from(user: wire::User) -> Self {
        CompactUser {
            primary_email_address: primary_email(&user),
            email_addresses: user
                .email_addresses
                .into_iter()
                .map(|e| e.email_address)
                .collect(),
            phone_numbers: user
                .phone_numbers
                .into_iter()
                .map(|p| p.phone_number)
                .collect(),
            external_accounts: user
                .external_accounts
                .into_iter()
                .map(|a| a.provider)
                .collect(),
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
        let primary_email_address = primary_email(&user);
        let primary_phone_number = primary_phone(&user);
        let primary_email_id = user.primary_email_address_id.as_deref();
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
