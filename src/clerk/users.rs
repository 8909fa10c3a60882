//! Clerk's user endpoints (`/v1/users`, `/v1/users/count`, `/v1/users/{id}`,
//! its `/metadata`, and the `/ban`, `/unban`, `/lock` and `/unlock` actions)
//! and the wire types they answer with.
//!
//! The types keep only the fields this server reads. Decoding ignores fields
//! Clerk adds over time and reads `null` wherever the spec allows it (and in
//! lists and flags, where it does not but an old instance might send one) as
//! absent, so that a user whose profile is half-filled still decodes.

use std::borrow::Cow;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use super::memberships::MembershipOrganization;
use super::{
    Answer, ClerkClient, ClerkError, DeletedObject, JsonBody, MetadataChanges, Misread, Object,
    Page, Query, UrlPath, Wire,
};
use crate::json::{Rest, ScanError, Scanner};

/// A user as Clerk's `User` schema describes it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct User {
    pub id: String,
    pub external_id: Option<String>,
    pub username: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub image_url: Option<String>,
    pub has_image: bool,
    pub primary_email_address_id: Option<String>,
    pub primary_phone_number_id: Option<String>,
    pub public_metadata: Option<Map<String, Value>>,
    pub private_metadata: Option<Map<String, Value>>,
    pub unsafe_metadata: Option<Map<String, Value>>,
    pub email_addresses: Vec<EmailAddress>,
    pub phone_numbers: Vec<PhoneNumber>,
    pub web3_wallets: Vec<Web3Wallet>,
    pub external_accounts: Vec<ExternalAccount>,
    /// Present only where Clerk includes it (not in lists).
    pub organization_memberships: Option<Vec<OrganizationMembership>>,
    pub password_enabled: bool,
    pub two_factor_enabled: bool,
    pub totp_enabled: bool,
    pub backup_code_enabled: bool,
    pub banned: bool,
    pub locked: bool,
    pub lockout_expires_in_seconds: Option<i64>,
    pub verification_attempts_remaining: Option<i64>,
    pub delete_self_enabled: Option<bool>,
    pub create_organization_enabled: Option<bool>,
    pub mfa_enabled_at: Option<i64>,
    pub mfa_disabled_at: Option<i64>,
    pub legal_accepted_at: Option<i64>,
    pub last_sign_in_at: Option<i64>,
    pub last_active_at: Option<i64>,
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
}

impl Wire for User {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut user = Object::new(value)?;
        Ok(User {
            id: user.required("id")?,
            external_id: user.take("external_id"),
            username: user.take("username"),
            first_name: user.take("first_name"),
            last_name: user.take("last_name"),
            image_url: user.take("image_url"),
            has_image: user.or_default("has_image"),
            primary_email_address_id: user.take("primary_email_address_id"),
            primary_phone_number_id: user.take("primary_phone_number_id"),
            public_metadata: user.take("public_metadata"),
            private_metadata: user.take("private_metadata"),
            unsafe_metadata: user.take("unsafe_metadata"),
            email_addresses: user.or_default("email_addresses"),
            phone_numbers: user.or_default("phone_numbers"),
            web3_wallets: user.or_default("web3_wallets"),
            external_accounts: user.or_default("external_accounts"),
            organization_memberships: user.take("organization_memberships"),
            password_enabled: user.or_default("password_enabled"),
            two_factor_enabled: user.or_default("two_factor_enabled"),
            totp_enabled: user.or_default("totp_enabled"),
            backup_code_enabled: user.or_default("backup_code_enabled"),
            banned: user.or_default("banned"),
            locked: user.or_default("locked"),
            lockout_expires_in_seconds: user.take("lockout_expires_in_seconds"),
            verification_attempts_remaining: user.take("verification_attempts_remaining"),
            delete_self_enabled: user.take("delete_self_enabled"),
            create_organization_enabled: user.take("create_organization_enabled"),
            mfa_enabled_at: user.take("mfa_enabled_at"),
            mfa_disabled_at: user.take("mfa_disabled_at"),
            legal_accepted_at: user.take("legal_accepted_at"),
            last_sign_in_at: user.take("last_sign_in_at"),
            last_active_at: user.take("last_active_at"),
            created_at: user.take("created_at"),
            updated_at: user.take("updated_at"),
        })
    }
}

impl User {
    /// The address of the user's primary email, if they have one.
    pub fn primary_email_address(&self) -> Option<String> {
        let primary_id = self.primary_email_address_id.as_deref()?;
        self.email_addresses
            .iter()
            .find(|email| email.id.as_deref() == Some(primary_id))
            .map(|email| email.email_address.clone())
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct EmailAddress {
    pub id: Option<String>,
    pub email_address: String,
    pub verification: Option<Verification>,
}

impl Wire for EmailAddress {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut address = Object::new(value)?;
        Ok(EmailAddress {
            id: address.take("id"),
            email_address: address.or_default("email_address"),
            verification: address.take("verification"),
        })
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PhoneNumber {
    pub id: Option<String>,
    pub phone_number: String,
    pub verification: Option<Verification>,
}

impl Wire for PhoneNumber {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut number = Object::new(value)?;
        Ok(PhoneNumber {
            id: number.take("id"),
            phone_number: number.or_default("phone_number"),
            verification: number.take("verification"),
        })
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Web3Wallet {
    pub web3_wallet: String,
}

impl Wire for Web3Wallet {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut wallet = Object::new(value)?;
        Ok(Web3Wallet {
            web3_wallet: wallet.or_default("web3_wallet"),
        })
    }
}

/// A sign-in through a social or OAuth provider (`oauth_google`, ...).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExternalAccount {
    pub provider: String,
    pub email_address: Option<String>,
    pub username: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub verification: Option<Verification>,
}

impl Wire for ExternalAccount {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut account = Object::new(value)?;
        Ok(ExternalAccount {
            provider: account.or_default("provider"),
            email_address: account.take("email_address"),
            username: account.take("username"),
            first_name: account.take("first_name"),
            last_name: account.take("last_name"),
            verification: account.take("verification"),
        })
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Verification {
    pub status: Option<String>,
}

impl Wire for Verification {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut verification = Object::new(value)?;
        Ok(Verification {
            status: verification.take("status"),
        })
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct OrganizationMembership {
    pub role: Option<String>,
    pub organization: Option<MembershipOrganization>,
}

impl Wire for OrganizationMembership {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut membership = Object::new(value)?;
        Ok(OrganizationMembership {
            role: membership.take("role"),
            organization: membership.take("organization"),
        })
    }
}

/// A user as a page of `GET /users` is read: only the fields a list shows,
/// with the strings and metadata borrowed from the page.
///
/// A list reads every user of its page on every call, and that reading is
/// the largest part of its CPU time. This type keeps nothing the list does
/// not show (images, settings, external IDs), builds no map for the
/// metadata, which the list writes out unchanged, and is read with the
/// [`Scanner`] rather than with serde (its module says why).
#[derive(Debug, Default)]
pub struct ListedUser<'a> {
    pub id: Cow<'a, str>,
    pub username: Option<Cow<'a, str>>,
    pub first_name: Option<Cow<'a, str>>,
    pub last_name: Option<Cow<'a, str>>,
    pub primary_email_address_id: Option<Cow<'a, str>>,
    pub public_metadata: Option<MetadataText<'a>>,
    pub private_metadata: Option<MetadataText<'a>>,
    pub unsafe_metadata: Option<MetadataText<'a>>,
    pub email_addresses: Vec<ListedEmailAddress<'a>>,
    pub phone_numbers: Vec<Cow<'a, str>>,
    /// The providers the user signs in with (`oauth_google`, ...).
    pub external_accounts: Vec<Cow<'a, str>>,
    pub banned: bool,
    pub locked: bool,
    pub last_sign_in_at: Option<i64>,
    pub last_active_at: Option<i64>,
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
}

/// An email address as a list shows it: the address, and the ID that says
/// whether it is the primary one. Its verification is skipped unread.
#[derive(Debug, Default)]
pub struct ListedEmailAddress<'a> {
    pub id: Option<Cow<'a, str>>,
    pub email_address: Cow<'a, str>,
}

impl<'a> ListedUser<'a> {
    /// Reads a page of `GET /users`: an array of users. As with [`User`],
    /// unknown fields are skipped, `null` reads as absent, and a user
    /// without an `id` is refused.
    pub(super) fn read_page(text: &'a str) -> Result<Vec<Self>, ScanError> {
        let mut scan = Scanner::new(text);
        let mut users = Vec::new();
        scan.array(&mut |scan| {
            users.push(ListedUser::read(scan)?);
            Ok(())
        })?;
        scan.end()?;
        Ok(users)
    }

    fn read(scan: &mut Scanner<'a>) -> Result<Self, ScanError> {
        let mut user = ListedUser::default();
        let mut id = None;
        scan.object(&mut |scan, key| {
            match key {
                "id" => id = Some(scan.string()?),
                "username" => user.username = scan.string_or_null()?,
                "first_name" => user.first_name = scan.string_or_null()?,
                "last_name" => user.last_name = scan.string_or_null()?,
                "primary_email_address_id" => {
                    user.primary_email_address_id = scan.string_or_null()?
                }
                "public_metadata" => user.public_metadata = scan.value_or_null()?,
                "private_metadata" => user.private_metadata = scan.value_or_null()?,
                "unsafe_metadata" => user.unsafe_metadata = scan.value_or_null()?,
                "email_addresses" => scan.array_or_null(&mut |scan| {
                    user.email_addresses.push(ListedEmailAddress::read(scan)?);
                    Ok(())
                })?,
                "phone_numbers" => scan.array_or_null(&mut |scan| {
                    user.phone_numbers.push(read_one(scan, "phone_number")?);
                    Ok(())
                })?,
                "external_accounts" => scan.array_or_null(&mut |scan| {
                    user.external_accounts.push(read_one(scan, "provider")?);
                    Ok(())
                })?,
                "banned" => user.banned = scan.bool_or_null()?.unwrap_or_default(),
                "locked" => user.locked = scan.bool_or_null()?.unwrap_or_default(),
                "last_sign_in_at" => user.last_sign_in_at = scan.integer_or_null()?,
                "last_active_at" => user.last_active_at = scan.integer_or_null()?,
                "created_at" => user.created_at = scan.integer_or_null()?,
                "updated_at" => user.updated_at = scan.integer_or_null()?,
                _ => scan.skip()?,
            }
            Ok(Rest::Read)
        })?;
        user.id = id.ok_or_else(|| scan.error("missing field `id`"))?;
        Ok(user)
    }
}

impl<'a> ListedEmailAddress<'a> {
    fn read(scan: &mut Scanner<'a>) -> Result<Self, ScanError> {
        let mut email = ListedEmailAddress::default();
        // The two come first in Clerk's answers: the verification, links
        // and times after them are stepped over unread.
        let (mut id_read, mut address_read) = (false, false);
        scan.object(&mut |scan, key| {
            match key {
                "id" => {
                    email.id = scan.string_or_null()?;
                    id_read = true;
                }
                "email_address" => {
                    email.email_address = scan.string_or_null()?.unwrap_or_default();
                    address_read = true;
                }
                _ => scan.skip()?,
            }
            Ok(if id_read && address_read {
                Rest::Skip
            } else {
                Rest::Read
            })
        })?;
        Ok(email)
    }
}

/// The string `field` of an object whose other fields are skipped, and
/// those after it not even read; empty if the object has none or `null`.
fn read_one<'a>(scan: &mut Scanner<'a>, field: &str) -> Result<Cow<'a, str>, ScanError> {
    let mut value = Cow::Borrowed("");
    scan.object(&mut |scan, key| {
        if key == field {
            value = scan.string_or_null()?.unwrap_or_default();
            Ok(Rest::Skip)
        } else {
            scan.skip()?;
            Ok(Rest::Read)
        }
    })?;
    Ok(value)
}

/// A metadata object as Clerk wrote it, kept as text: a list passes it on
/// unchanged, so building it into a map only to write it out again would be
/// wasted work. Anything but an object is refused, as [`User`]'s maps are.
#[derive(Debug)]
pub struct MetadataText<'a>(&'a RawValue);

impl<'a> MetadataText<'a> {
    /// The object's JSON text.
    pub fn get(&self) -> &'a RawValue {
        self.0
    }

    /// Whether the object has no key (`{}`, perhaps with spaces inside).
    pub fn is_empty(&self) -> bool {
        let text = self.0.get();
        text.len() >= 2 && text[1..text.len() - 1].trim().is_empty()
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for MetadataText<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <&RawValue>::deserialize(deserializer)?;
        if raw.get().starts_with('{') {
            Ok(MetadataText(raw))
        } else {
            Err(D::Error::custom(
                "invalid type: metadata that is not an object",
            ))
        }
    }
}

struct TotalCount {
    total_count: i64,
}

impl Wire for TotalCount {
    fn read(value: Value) -> Result<Self, Misread> {
        Ok(TotalCount {
            total_count: Object::new(value)?.required("total_count")?,
        })
    }
}

/// The filters `GET /users` and `GET /users/count` share.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserFilter {
    pub query: Option<String>,
    pub email_addresses: Vec<String>,
    pub user_ids: Vec<String>,
}

impl UserFilter {
    fn push_to(&self, query: &mut Query) {
        query.push_opt("query", self.query.as_deref());
        query.push_each("email_address", &self.email_addresses);
        query.push_each("user_id", &self.user_ids);
    }
}

/// What `POST /v1/users` is given. Optional fields are sent only when set,
/// and empty lists not at all, so that Clerk's defaults and the instance's
/// settings apply to the rest. It has no `Debug`: it may hold a password.
#[skip_serializing_none]
#[derive(Clone, Default, PartialEq, Serialize)]
pub struct NewUser {
    /// The first one becomes the primary email address.
    #[serde(rename = "email_address", skip_serializing_if = "Vec::is_empty")]
    pub email_addresses: Vec<String>,
    pub external_id: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub password: Option<String>,
    /// The first one becomes the primary phone number.
    #[serde(rename = "phone_number", skip_serializing_if = "Vec::is_empty")]
    pub phone_numbers: Vec<String>,
    pub private_metadata: Option<Map<String, Value>>,
    pub public_metadata: Option<Map<String, Value>>,
    pub skip_password_requirement: Option<bool>,
    pub unsafe_metadata: Option<Map<String, Value>>,
    pub username: Option<String>,
}

/// What `PATCH /v1/users/{user_id}` is given: profile fields only. Since
/// API version 2026-05-12 Clerk refuses metadata there; it goes through
/// [`ClerkClient::update_user_metadata`].
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct UserChanges {
    pub external_id: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub username: Option<String>,
}

/// The actions Clerk takes on a user through `POST /v1/users/{user_id}/<action>`,
/// each without a body and answered with the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserAction {
    /// Revokes every session and refuses sign-in until [`UserAction::Unban`].
    Ban,
    Unban,
    /// Refuses sign-in until the lockout expires or [`UserAction::Unlock`].
    Lock,
    Unlock,
}

impl UserAction {
    /// The last segment of the action's path.
    fn segment(self) -> &'static str {
        match self {
            UserAction::Ban => "ban",
            UserAction::Unban => "unban",
            UserAction::Lock => "lock",
            UserAction::Unlock => "unlock",
        }
    }
}

impl Verification {
    pub fn is_verified(verification: &Option<Verification>) -> bool {
        verification
            .as_ref()
            .and_then(|v| v.status.as_deref())
            .is_some_and(|status| status == "verified")
    }
}

impl ClerkClient<'_> {
    /// `GET /v1/users`: one page of users. Clerk answers a bare array, kept
    /// undecoded: read it with [`ClerkClient::read_users`].
    pub async fn list_users(&self, filter: &UserFilter, page: &Page) -> Result<Answer, ClerkError> {
        let mut query = Query::new();
        page.push_to(&mut query);
        filter.push_to(&mut query);
        self.get_answer(&UrlPath::new().segment("users"), &query)
            .await
    }

    /// The users of an answer of [`ClerkClient::list_users`], which borrow
    /// from it.
    pub fn read_users<'b>(&self, answer: &'b Answer) -> Result<Vec<ListedUser<'b>>, ClerkError> {
        self.read_answer(answer, ListedUser::read_page)
    }

    /// `GET /v1/users/count`: how many users match `filter`, as Clerk
    /// gives it (a signed 64-bit integer in its spec).
    pub async fn count_users(&self, filter: &UserFilter) -> Result<i64, ClerkError> {
        let mut query = Query::new();
        filter.push_to(&mut query);
        let path = UrlPath::new().segment("users").segment("count");
        let count: TotalCount = self.get(&path, &query).await?;
        Ok(count.total_count)
    }

    /// `PATCH /v1/users/{user_id}/metadata`: Clerk deep-merges each given
    /// metadata object into the stored one (a key set to `null` is removed).
    pub async fn update_user_metadata(
        &self,
        user_id: &str,
        changes: MetadataChanges,
    ) -> Result<User, ClerkError> {
        let path = user_path(user_id).segment("metadata");
        self.patch(&path, &JsonBody::of(&changes)).await
    }

    /// `GET /v1/users/{user_id}`.
    pub async fn get_user(&self, user_id: &str) -> Result<User, ClerkError> {
        self.get(&user_path(user_id), &Query::new()).await
    }

    /// `POST /v1/users`. Should Clerk's error quote the password, it is
    /// replaced before the error goes anywhere.
    pub async fn create_user(&self, user: NewUser) -> Result<User, ClerkError> {
        let password = user.password.clone().unwrap_or_default();
        self.post(&UrlPath::new().segment("users"), Some(&JsonBody::of(&user)))
            .await
            .map_err(|error| error.without_secret(&password, "[password]"))
    }

    /// `PATCH /v1/users/{user_id}` with profile fields only.
    pub async fn update_user(
        &self,
        user_id: &str,
        changes: UserChanges,
    ) -> Result<User, ClerkError> {
        self.patch(&user_path(user_id), &JsonBody::of(&changes))
            .await
    }

    /// `POST /v1/users/{user_id}/{ban|unban|lock|unlock}`, without a body
    /// (the spec gives these operations none).
    pub async fn act_on_user(&self, user_id: &str, action: UserAction) -> Result<User, ClerkError> {
        let path = user_path(user_id).segment(action.segment());
        self.post(&path, None).await
    }

    /// `POST /v1/users/ban`: Clerk bans every user named (at most
    /// [`MAX_BULK_BANS`]) and answers with the users it banned.
    pub async fn ban_users(&self, user_ids: &[&str]) -> Result<Vec<User>, ClerkError> {
        let path = UrlPath::new().segment("users").segment("ban");
        let body = JsonBody::of(&serde_json::json!({ "user_ids": user_ids }));
        self.post(&path, Some(&body)).await
    }

    /// `DELETE /v1/users/{user_id}`.
    pub async fn delete_user(&self, user_id: &str) -> Result<DeletedObject, ClerkError> {
        self.delete(&user_path(user_id)).await
    }
}

/// The most users one `POST /v1/users/ban` may name (the spec's `maxItems`).
pub const MAX_BULK_BANS: usize = 50;

fn user_path(user_id: &str) -> UrlPath {
    UrlPath::new().segment("users").segment(user_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The recorded page with a few bytes changed, dropped or added at
    /// random places (a fixed sequence): each is read or refused, never a
    /// panic, and what is read agrees with serde_json on the users' IDs
    /// whenever serde_json finds the text to be JSON.
    #[test]
    fn a_page_mangled_anywhere_is_read_or_refused() {
        let page = include_str!("../../tests/fixtures/clerk_users_page.json");
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as usize
        };
        let special = b"\"\\{}[],:-0 nt";
        let (mut read, mut agreed) = (0, 0);
        for _ in 0..4000 {
            let mut bytes = page.as_bytes().to_vec();
            for _ in 0..=next() % 3 {
                let at = next() % bytes.len();
                let byte = special[next() % special.len()];
                match next() % 3 {
                    0 => bytes[at] = byte,
                    1 => drop(bytes.remove(at)),
                    _ => bytes.insert(at, byte),
                }
            }
            let Ok(text) = std::str::from_utf8(&bytes) else {
                continue;
            };
            let Ok(users) = ListedUser::read_page(text) else {
                continue;
            };
            read += 1;
            if let Ok(Value::Array(values)) = serde_json::from_str::<Value>(text) {
                let ids: Vec<&str> = users.iter().map(|user| user.id.as_ref()).collect();
                let expected: Vec<&str> = values.iter().filter_map(|v| v["id"].as_str()).collect();
                assert_eq!(ids, expected, "{text}");
                agreed += 1;
            }
        }
        assert!(read > 100 && agreed > 100, "read {read}, agreed {agreed}");
    }

    #[test]
    fn user_decodes_with_nulls_and_unknown_fields() {
        let user: User = crate::clerk::wire::from_str(
            r#"{"id":"user_1","object":"user","first_name":null,"email_addresses":null,
                "banned":null,"public_metadata":{},"a_field_from_the_future":[1,2,3]}"#,
        )
        .expect("tolerant decode");
        assert_eq!(user.id, "user_1");
        assert!(user.email_addresses.is_empty());
        assert!(!user.banned);
        assert_eq!(user.first_name, None);
    }

    #[test]
    fn listed_metadata_is_empty_only_without_a_key() {
        fn metadata(text: &str) -> MetadataText<'_> {
            serde_json::from_str(text).expect("an object")
        }
        for empty in ["{}", "{ }", "{\n\t}"] {
            assert!(metadata(empty).is_empty(), "{empty}");
        }
        for full in [r#"{"a":{}}"#, r#"{ "": null }"#] {
            assert!(!metadata(full).is_empty(), "{full}");
            assert_eq!(metadata(full).get().get(), full);
        }
    }

    #[test]
    fn new_user_body_holds_only_the_given_fields_and_no_empty_lists() {
        let body = JsonBody::of(&NewUser {
            email_addresses: vec!["ada@example.com".into()],
            first_name: Some("Ada".into()),
            skip_password_requirement: Some(true),
            ..NewUser::default()
        });
        assert_eq!(
            body.0,
            br#"{"email_address":["ada@example.com"],"first_name":"Ada","skip_password_requirement":true}"#
        );
    }

    #[test]
    fn user_changes_body_holds_only_the_given_fields() {
        let body = JsonBody::of(&UserChanges {
            username: Some(String::new()),
            ..UserChanges::default()
        });
        assert_eq!(body.0, br#"{"username":""}"#);
    }

    #[test]
    fn each_user_action_has_its_own_path_segment() {
        let segments = [
            UserAction::Ban,
            UserAction::Unban,
            UserAction::Lock,
            UserAction::Unlock,
        ]
        .map(UserAction::segment);
        assert_eq!(segments, ["ban", "unban", "lock", "unlock"]);
    }

    #[test]
    fn verification_status_verified_is_verified() {
        assert!(Verification::is_verified(&Some(Verification {
            status: Some("verified".into())
        })));
        assert!(!Verification::is_verified(&Some(Verification {
            status: Some("unverified".into())
        })));
        assert!(!Verification::is_verified(&None));
    }
}
