//! The forms of the values that name things in Clerk: object IDs, role
//! keys, organization slugs and email addresses.
//!
//! Each is a type that can only hold a value of its form ([`Checked`]). The
//! check runs once, where the value enters the server: when a tool's
//! arguments are read (the type deserializes only a value of its form, and
//! the error says what the form is) and when a setting is read
//! (`MCP_ALLOWED_USERS`, `MCP_ADMIN_ORGANIZATION`). The same type publishes
//! the form in the tools' input schemas, as a `pattern` or `format`, so the
//! rule is written once.
//!
//! An object ID is its prefix and 1 to 64 letters or digits. Keeping IDs to
//! that form also keeps them from changing the endpoint a request path is
//! built into; the path is percent-encoded besides.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::text::describe;

/// A Clerk user ID (`user_...`).
pub type UserId = Checked<UserIdForm>;
/// A Clerk organization ID (`org_...`).
pub type OrganizationId = Checked<OrganizationIdForm>;
/// A Clerk organization invitation ID (`orginv_...`).
pub type InvitationId = Checked<InvitationIdForm>;
/// A Clerk application invitation ID (`inv_...`).
pub type InstanceInvitationId = Checked<InstanceInvitationIdForm>;
/// The ID of an allow-list or block-list identifier or of a waitlist entry,
/// whose prefixes Clerk's spec does not give.
pub type EntryId = Checked<EntryIdForm>;
/// A Clerk session ID (`sess_...`).
pub type SessionId = Checked<SessionIdForm>;
/// An organization role key (`org:admin`, `org:billing_manager`).
pub type RoleKey = Checked<RoleKeyForm>;
/// An organization slug (`acme-inc`).
pub type Slug = Checked<SlugForm>;
/// One email address, as far as its form can tell; Clerk makes the final check.
pub type EmailAddress = Checked<EmailAddressForm>;

/// A rule a text value must follow.
pub trait Form {
    /// Whether `value` follows the rule.
    fn holds(value: &str) -> bool;

    /// What a value of this form is, as an error says after "must be".
    fn expected() -> Cow<'static, str>;

    /// The JSON Schema of a string that follows the rule.
    fn schema() -> Schema;
}

/// Why a value is not of the form its type asks for. The message says what
/// the form is and shows the value as [`describe`] does:
/// `must be a role key such as `org:admin` or `org:member` (got "admin")`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormError(String);

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FormError {}

/// A text value that follows the rule `F`.
pub struct Checked<F>(String, PhantomData<fn() -> F>);

impl<F: Form> Checked<F> {
    /// `value`, if it follows the rule.
    pub fn parse(value: &str) -> Result<Self, FormError> {
        Self::new(value.to_owned())
    }

    /// A value this server's code writes, such as a default. Its form is
    /// checked in debug builds and by the tests of the code that writes it.
    pub fn from_static(value: &'static str) -> Self {
        debug_assert!(F::holds(value), "{value:?} does not have its form");
        Checked(value.to_owned(), PhantomData)
    }

    fn new(value: String) -> Result<Self, FormError> {
        if F::holds(&value) {
            Ok(Checked(value, PhantomData))
        } else {
            Err(FormError(format!(
                "must be {} (got {})",
                F::expected(),
                describe(&value)
            )))
        }
    }
}

impl<F> Checked<F> {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl<F> Deref for Checked<F> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl<F> Clone for Checked<F> {
    fn clone(&self) -> Self {
        Checked(self.0.clone(), PhantomData)
    }
}

impl<F> PartialEq for Checked<F> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl<F> Eq for Checked<F> {}

impl<F> PartialEq<str> for Checked<F> {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl<F> PartialEq<&str> for Checked<F> {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl<F> fmt::Debug for Checked<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl<F> fmt::Display for Checked<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de, F: Form> Deserialize<'de> for Checked<F> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        Checked::new(value).map_err(serde::de::Error::custom)
    }
}

impl<F> Serialize for Checked<F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<F: Form> JsonSchema for Checked<F> {
    fn schema_name() -> Cow<'static, str> {
        std::any::type_name::<F>().into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
        F::schema()
    }
}

/// The most letters and digits after an ID's prefix.
const MAX_ID_BODY: usize = 64;

/// Whether `value` is `prefix` and 1 to 64 letters or digits.
fn is_id(value: &str, prefix: &str) -> bool {
    value.strip_prefix(prefix).is_some_and(|body| {
        (1..=MAX_ID_BODY).contains(&body.len()) && body.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

/// The prefixes of the Clerk object IDs this server's tools name: users,
/// organizations, memberships, organization invitations, sessions and
/// instance invitations.
const ID_PREFIXES: [&str; 6] = ["user_", "org_", "orgmem_", "orginv_", "sess_", "inv_"];

/// Whether `value` has the form of one of those IDs: a known prefix and 1
/// to 64 letters or digits. Such a value names an object and says nothing
/// an end user wrote, so the audit trail may record it.
pub fn is_object_id(value: &str) -> bool {
    ID_PREFIXES.iter().any(|prefix| is_id(value, prefix))
}

fn id_expected(noun: &str, prefix: &str) -> Cow<'static, str> {
    format!("a Clerk {noun} ID: `{prefix}` followed by letters and digits").into()
}

fn id_schema(prefix: &str) -> Schema {
    json_schema!({
        "type": "string",
        "pattern": format!("^{prefix}[A-Za-z0-9]{{1,{MAX_ID_BODY}}}$"),
    })
}

/// The rule of an ID of one kind of Clerk object, by its prefix.
macro_rules! id_form {
    ($form:ident, $prefix:literal, $noun:literal) => {
        #[doc = concat!("`", $prefix, "` followed by 1 to 64 letters or digits.")]
        pub enum $form {}

        impl Form for $form {
            fn holds(value: &str) -> bool {
                is_id(value, $prefix)
            }

            fn expected() -> Cow<'static, str> {
                id_expected($noun, $prefix)
            }

            fn schema() -> Schema {
                id_schema($prefix)
            }
        }
    };
}

id_form!(UserIdForm, "user_", "user");
id_form!(OrganizationIdForm, "org_", "organization");
id_form!(InvitationIdForm, "orginv_", "invitation");
id_form!(SessionIdForm, "sess_", "session");
id_form!(InstanceInvitationIdForm, "inv_", "application invitation");

/// 1 to 96 letters, digits and `_`: any ID Clerk writes, and nothing that
/// could change a path.
pub enum EntryIdForm {}

impl Form for EntryIdForm {
    fn holds(value: &str) -> bool {
        (1..=96).contains(&value.len())
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    }

    fn expected() -> Cow<'static, str> {
        "an ID as its list tool gives it: letters, digits and `_`".into()
    }

    fn schema() -> Schema {
        json_schema!({"type": "string", "pattern": "^[A-Za-z0-9_]{1,96}$"})
    }
}

/// `org:` followed by 1 to 64 letters, digits, `_`, `-` or `:`.
pub enum RoleKeyForm {}

impl Form for RoleKeyForm {
    fn holds(value: &str) -> bool {
        value.strip_prefix("org:").is_some_and(|body| {
            (1..=64).contains(&body.len())
                && body
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b':'))
        })
    }

    fn expected() -> Cow<'static, str> {
        "a role key such as `org:admin` or `org:member`".into()
    }

    fn schema() -> Schema {
        json_schema!({"type": "string", "pattern": "^org:[A-Za-z0-9_:-]{1,64}$"})
    }
}

/// Lower-case letters, digits and `-`, not starting with `-`, at most 128
/// characters: all that Clerk's spec allows in a slug.
pub enum SlugForm {}

impl Form for SlugForm {
    fn holds(value: &str) -> bool {
        let mut bytes = value.bytes();
        let starts_well = bytes
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        starts_well
            && value.len() <= 128
            && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    }

    fn expected() -> Cow<'static, str> {
        "an organization slug: lower-case letters, digits and '-'".into()
    }

    fn schema() -> Schema {
        json_schema!({"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,127}$"})
    }
}

/// One `@` with text on both sides and a `.` in the domain, no spaces or
/// control characters, at most 320 bytes.
pub enum EmailAddressForm {}

/// The longest email address accepted, in bytes.
const MAX_EMAIL_BYTES: usize = 320;

impl Form for EmailAddressForm {
    fn holds(value: &str) -> bool {
        value.len() <= MAX_EMAIL_BYTES
            && !value.chars().any(|c| c.is_whitespace() || c.is_control())
            && value.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty() && domain.contains('.') && !domain.contains('@')
            })
    }

    fn expected() -> Cow<'static, str> {
        "an email address".into()
    }

    fn schema() -> Schema {
        json_schema!({"type": "string", "format": "email", "maxLength": MAX_EMAIL_BYTES})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_ids_must_be_user_prefix_and_alphanumerics() {
        assert!(UserId::parse("user_2abcXYZ09").is_ok());
        for bad in [
            "",
            "user_",
            "org_123",
            "user_../x",
            "user_a%2Fb",
            "user_a b",
            "user_é",
        ] {
            assert!(UserId::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert!(UserId::parse(&format!("user_{}", "a".repeat(65))).is_err());
        let error = UserId::parse("org_1").map(|_| ()).unwrap_err().to_string();
        assert_eq!(
            error,
            "must be a Clerk user ID: `user_` followed by letters and digits (got \"org_1\")"
        );
    }

    #[test]
    fn object_ids_have_a_known_prefix_and_letters_or_digits() {
        for id in [
            "user_2abc",
            "org_9",
            "orgmem_x1",
            "orginv_Y2",
            "sess_3",
            "inv_4z",
        ] {
            assert!(is_object_id(id), "{id:?} refused");
        }
        for other in [
            "",
            "user_",
            "ext_123",
            "user_a@b.co",
            "org_a-b",
            "sk_test_abc",
            "USER_abc",
        ] {
            assert!(!is_object_id(other), "{other:?} accepted");
        }
        assert!(!is_object_id(&format!("org_{}", "a".repeat(65))));
    }

    #[test]
    fn organization_ids_and_slugs_are_checked() {
        assert!(OrganizationId::parse("org_2xYz9").is_ok());
        assert!(OrganizationId::parse("user_2xYz9").is_err());
        assert!(Slug::parse("acme-inc-2").is_ok());
        for bad in [
            "",
            "Acme",
            "-acme",
            "acme_inc",
            "acme/../x",
            "acme?x",
            "a b",
            "é",
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn role_keys_and_email_addresses_are_checked() {
        assert!(RoleKey::parse("org:admin").is_ok());
        assert!(RoleKey::parse("org:billing_manager").is_ok());
        for bad in ["admin", "org:", "org:a b", "org:../x"] {
            assert!(RoleKey::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert!(EmailAddress::parse("ada+test@example.com").is_ok());
        for bad in [
            "",
            "ada",
            "@example.com",
            "ada@localhost",
            "a b@example.com",
            "a@b@c.com",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn a_value_of_another_form_does_not_deserialize_and_the_error_says_why() {
        let error = serde_json::from_value::<RoleKey>(serde_json::json!("admin"))
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "must be a role key such as `org:admin` or `org:member` (got \"admin\")"
        );
        let not_text = serde_json::from_value::<UserId>(serde_json::json!(5));
        assert!(not_text.is_err());
    }

    #[test]
    fn entry_and_application_invitation_ids_are_checked() {
        assert!(InstanceInvitationId::parse("inv_2abc").is_ok());
        assert!(InstanceInvitationId::parse("orginv_2abc").is_err());
        for good in ["alid_2abc", "blid_9", "wle_x_1", "2abc"] {
            assert!(EntryId::parse(good).is_ok(), "{good:?} refused");
        }
        for bad in ["", "alid_../x", "a/b", "a%2F", "a b", "é", &"a".repeat(97)] {
            assert!(EntryId::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn schemas_state_the_same_rule() {
        assert_eq!(
            UserIdForm::schema().to_value(),
            serde_json::json!({"type": "string", "pattern": "^user_[A-Za-z0-9]{1,64}$"})
        );
        assert_eq!(
            InvitationIdForm::schema().to_value(),
            serde_json::json!({"type": "string", "pattern": "^orginv_[A-Za-z0-9]{1,64}$"})
        );
    }
}
