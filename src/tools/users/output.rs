//! What the user tools answer: a compact user for lists, the full profile
//! for everything that answers with one user, read from Clerk's wire types
//! in [`crate::clerk::users`], which are never shown directly.

use std::borrow::Cow;

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use crate::clerk::users::{self as wire, ListedUser, MetadataText, Verification};
use crate::tools::output::{mapped, PageInfo, Timestamp};

/// One page of users.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserList<'a> {
    pub users: Vec<CompactUser<'a>>,
    #[serde(flatten)]
    pub page: PageInfo,
}

/// How many users match.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserCount {
    /// How many users match the filters; with none, how many users the instance has.
    pub total_count: i64,
}

/// What is left of a deleted user.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeletedUser {
    /// The ID of the deleted user (`user_...`).
    pub id: String,
    /// True once Clerk has deleted the user.
    pub deleted: bool,
}

/// A user as lists show it. Empty fields are left out.
#[skip_serializing_none]
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CompactUser<'a> {
    pub id: Cow<'a, str>,
    pub first_name: Option<Cow<'a, str>>,
    pub last_name: Option<Cow<'a, str>>,
    pub username: Option<Cow<'a, str>>,
    pub primary_email_address: Option<Cow<'a, str>>,
    /// Every email address of the user, the primary one included.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub email_addresses: Vec<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub phone_numbers: Vec<Cow<'a, str>>,
    /// The providers the user signs in with (`oauth_google`, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub external_accounts: Vec<Cow<'a, str>>,
    pub banned: bool,
    pub locked: bool,
    #[schemars(with = "Option<Map<String, Value>>")]
    pub public_metadata: Option<&'a RawValue>,
    #[schemars(with = "Option<Map<String, Value>>")]
    pub private_metadata: Option<&'a RawValue>,
    #[schemars(with = "Option<Map<String, Value>>")]
    pub unsafe_metadata: Option<&'a RawValue>,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    pub last_sign_in_at: Option<Timestamp>,
    pub last_active_at: Option<Timestamp>,
}

/// A user's full profile.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FullUser {
    pub id: String,
    pub external_id: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub username: Option<String>,
    pub image_url: Option<String>,
    pub has_image: bool,
    pub primary_email_address: Option<String>,
    pub primary_phone_number: Option<String>,
    pub email_addresses: Vec<EmailAddressOut>,
    pub phone_numbers: Vec<PhoneNumberOut>,
    pub web3_wallets: Vec<String>,
    pub external_accounts: Vec<ExternalAccountOut>,
    /// Present when Clerk includes the user's organization memberships.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_memberships: Option<Vec<MembershipOut>>,
    pub password_enabled: bool,
    pub two_factor_enabled: bool,
    pub totp_enabled: bool,
    pub backup_code_enabled: bool,
    pub mfa_enabled_at: Option<Timestamp>,
    pub mfa_disabled_at: Option<Timestamp>,
    pub banned: bool,
    pub locked: bool,
    pub lockout_expires_in_seconds: Option<i64>,
    pub verification_attempts_remaining: Option<i64>,
    pub public_metadata: Map<String, Value>,
    pub private_metadata: Map<String, Value>,
    pub unsafe_metadata: Map<String, Value>,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    pub last_sign_in_at: Option<Timestamp>,
    pub last_active_at: Option<Timestamp>,
    pub legal_accepted_at: Option<Timestamp>,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct EmailAddressOut {
    pub id: Option<String>,
    pub email_address: String,
    pub verified: bool,
    pub primary: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PhoneNumberOut {
    pub id: Option<String>,
    pub phone_number: String,
    pub verified: bool,
    pub primary: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExternalAccountOut {
    pub provider: String,
    pub email_address: Option<String>,
    pub username: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub verified: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MembershipOut {
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
    pub organization_slug: Option<String>,
    pub role: Option<String>,
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
            email_addresses: mapped(user.email_addresses, |e| e.email_address),
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
            web3_wallets: mapped(user.web3_wallets, |w| w.web3_wallet),
            external_accounts: mapped(user.external_accounts, |account| ExternalAccountOut {
                verified: Verification::is_verified(&account.verification),
                provider: account.provider,
                email_address: account.email_address,
                username: account.username,
                first_name: account.first_name,
                last_name: account.last_name,
            }),
            organization_memberships: user.organization_memberships.map(|memberships| {
                mapped(memberships, |membership| {
                    let organization = membership.organization.unwrap_or_default();
                    MembershipOut {
                        organization_id: Some(organization.id).filter(|id| !id.is_empty()),
                        organization_name: organization.name,
                        organization_slug: organization.slug,
                        role: membership.role,
                    }
                })
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
