//! Reading a tool's `arguments` object into its typed struct, and the checks
//! that JSON types alone cannot express (bounds, ID formats).
//!
//! Deserialization notes which argument it is reading, so a wrong type names
//! the argument it is in (`limit: invalid type: string "x", expected u32`).
//! Argument structs deny unknown fields, which also makes their schemas say
//! `additionalProperties: false`.

use schemars::JsonSchema;
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::{map, Map, Value};

use super::ToolError;

/// A tool's arguments: a serde struct whose schema is the tool's input schema.
pub trait Arguments: DeserializeOwned + JsonSchema {
    /// Checks what the types do not: bounds, formats, combinations.
    fn validate(&self) -> Result<(), ToolError> {
        Ok(())
    }

    /// Reads and checks `arguments`.
    fn parse(arguments: Map<String, Value>) -> Result<Self, ToolError> {
        let mut failed_in = None;
        let fields = Fields {
            entries: arguments.into_iter(),
            value: None,
            failed_in: &mut failed_in,
        };
        let parsed = Self::deserialize(fields).map_err(|error| unreadable(&error, failed_in))?;
        parsed.validate()?;
        Ok(parsed)
    }
}

/// The error for arguments that could not be read, naming the argument
/// whose value failed when there is one. Kept out of line: every argument
/// type's `parse` calls it, and it need exist only once.
#[inline(never)]
fn unreadable(error: &serde_json::Error, failed_in: Option<String>) -> ToolError {
    let argument = failed_in.unwrap_or_default();
    ToolError::invalid(&shorten(&argument, 80), shorten(&error.to_string(), 200))
}

/// The arguments object as a deserializer that remembers which argument's
/// value failed to read. Errors about the object itself (a missing or
/// unknown argument) name no argument: their message already does.
struct Fields<'a> {
    entries: map::IntoIter,
    /// The value of the argument just read, with its name.
    value: Option<(String, Value)>,
    failed_in: &'a mut Option<String>,
}

impl<'de> de::Deserializer<'de> for Fields<'_> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_map(self)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

impl<'de> MapAccess<'de> for Fields<'_> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let Some((name, value)) = self.entries.next() else {
            return Ok(None);
        };
        let key = seed.deserialize(name.as_str().into_deserializer())?;
        self.value = Some((name, value));
        Ok(Some(key))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let (name, value) = self
            .value
            .take()
            .ok_or_else(|| de::Error::custom("an argument's value was read before its name"))?;
        seed.deserialize(value)
            .inspect_err(|_| *self.failed_in = Some(name))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// How many items a list tool returns when the call gives no `limit`.
pub fn default_limit() -> u32 {
    20
}

/// Fails unless `min <= value <= max`.
pub fn check_range(argument: &str, value: u32, min: u32, max: u32) -> Result<(), ToolError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(ToolError::invalid(
            argument,
            format!("must be between {min} and {max} (got {value})"),
        ))
    }
}

/// Fails if `value` has more than `max_chars` characters (not bytes, so
/// the limit means what the input schema's `maxLength` says).
pub fn check_length(argument: &str, value: &str, max_chars: usize) -> Result<(), ToolError> {
    if value.chars().count() <= max_chars {
        Ok(())
    } else {
        Err(ToolError::invalid(
            argument,
            format!(
                "must be at most {max_chars} characters (got {})",
                describe(value)
            ),
        ))
    }
}

/// Fails if the list argument `values` holds more than `max` items; `items`
/// names them in the message (`values`, `role keys`).
pub fn check_count<T>(
    argument: &str,
    values: &[T],
    max: usize,
    items: &str,
) -> Result<(), ToolError> {
    if values.len() <= max {
        Ok(())
    } else {
        Err(ToolError::invalid(
            argument,
            format!("must hold at most {max} {items} (got {})", values.len()),
        ))
    }
}

/// Fails unless `value` is one of `fields`, optionally preceded by one `+`
/// (ascending) or `-` (descending): the `order_by` form of Clerk's lists.
pub fn check_order_by(argument: &str, value: &str, fields: &[&str]) -> Result<(), ToolError> {
    let field = value.strip_prefix(['+', '-']).unwrap_or(value);
    if fields.contains(&field) {
        Ok(())
    } else {
        Err(ToolError::invalid(
            argument,
            format!(
                "must be one of {} with an optional + or - in front (got {})",
                fields.join(", "),
                describe(value)
            ),
        ))
    }
}

/// The pattern of a Clerk user ID, as published in input schemas.
pub const USER_ID_PATTERN: &str = "^user_[A-Za-z0-9]{1,64}$";

/// The pattern of a Clerk organization ID.
pub const ORGANIZATION_ID_PATTERN: &str = "^org_[A-Za-z0-9]{1,64}$";

/// The pattern of an organization slug: lower-case letters, digits and `-`
/// (Clerk's spec allows nothing else).
pub const SLUG_PATTERN: &str = "^[a-z0-9][a-z0-9-]{0,127}$";

/// Fails unless `value` is a Clerk user ID (`user_` and letters or digits).
pub fn check_user_id(argument: &str, value: &str) -> Result<(), ToolError> {
    check_id(argument, value, "user_", "user")
}

/// Fails unless `value` is a Clerk organization ID (`org_` and letters or digits).
pub fn check_organization_id(argument: &str, value: &str) -> Result<(), ToolError> {
    check_id(argument, value, "org_", "organization")
}

/// Fails unless `value` is `prefix` followed by 1 to 64 letters or digits,
/// the form of every Clerk object ID. Keeping IDs to this form also keeps
/// them from changing the endpoint a path is built into.
pub fn check_id(argument: &str, value: &str, prefix: &str, object: &str) -> Result<(), ToolError> {
    let body = value.strip_prefix(prefix).unwrap_or_default();
    if !body.is_empty() && body.len() <= 64 && body.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(ToolError::invalid(
            argument,
            format!(
                "must be a Clerk {object} ID: `{prefix}` followed by letters and digits (got {})",
                describe(value)
            ),
        ))
    }
}

/// Fails unless `value` is an organization slug (see [`SLUG_PATTERN`]).
pub fn check_slug(argument: &str, value: &str) -> Result<(), ToolError> {
    let mut bytes = value.bytes();
    let starts_well = bytes
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    let rest_ok = bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if starts_well && rest_ok && value.len() <= 128 {
        Ok(())
    } else {
        Err(ToolError::invalid(
            argument,
            format!(
                "must be an organization slug: lower-case letters, digits and '-' (got {})",
                describe(value)
            ),
        ))
    }
}

/// The pattern of an organization role key (`org:admin`, `org:billing_manager`).
pub const ROLE_PATTERN: &str = "^org:[A-Za-z0-9_:-]{1,64}$";

/// Fails unless `value` is an organization role key: `org:` followed by
/// letters, digits, `_`, `-` or `:`.
pub fn check_role(argument: &str, value: &str) -> Result<(), ToolError> {
    let body = value.strip_prefix("org:").unwrap_or_default();
    let valid = !body.is_empty()
        && body.len() <= 64
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b':'));
    if valid {
        Ok(())
    } else {
        Err(ToolError::invalid(
            argument,
            format!(
                "must be a role key such as `org:admin` or `org:member` (got {})",
                describe(value)
            ),
        ))
    }
}

/// Fails unless `value` looks like one email address: one `@` with text on
/// both sides, no spaces or control characters, at most 320 characters.
/// Clerk makes the final check.
pub fn check_email(argument: &str, value: &str) -> Result<(), ToolError> {
    let valid = value.len() <= 320
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        && value.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.contains('@')
        });
    if valid {
        Ok(())
    } else {
        Err(ToolError::invalid(
            argument,
            format!("must be an email address (got {})", describe(value)),
        ))
    }
}

/// Fails unless at least one of the `given` arguments (each named, with
/// whether the call gave it) is there: an update with nothing to change is
/// refused rather than sent.
pub fn check_any_given(given: &[(&str, bool)]) -> Result<(), ToolError> {
    if given.iter().any(|(_, present)| *present) {
        Ok(())
    } else {
        let names: Vec<String> = given.iter().map(|(name, _)| format!("`{name}`")).collect();
        Err(ToolError::invalid(
            "",
            format!("give at least one of {}", names.join(", ")),
        ))
    }
}

/// `text` cut to `max` characters with an ellipsis, so that an error about
/// a huge value (serde's messages quote it) does not repeat it whole.
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// Shows a user's value in an error: short values quoted, long ones by length,
/// so a 10,000-character argument does not come back whole.
pub fn describe(value: &str) -> String {
    const SHOWN: usize = 80;
    if value.chars().count() <= SHOWN {
        format!("{value:?}")
    } else {
        format!("a value of {} characters", value.chars().count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_ids_must_be_user_prefix_and_alphanumerics() {
        assert!(check_user_id("userId", "user_2abcXYZ09").is_ok());
        for bad in [
            "",
            "user_",
            "org_123",
            "user_../x",
            "user_a%2Fb",
            "user_a b",
            "user_é",
        ] {
            assert!(check_user_id("userId", bad).is_err(), "{bad:?} accepted");
        }
        assert!(check_user_id("userId", &format!("user_{}", "a".repeat(65))).is_err());
    }

    #[test]
    fn organization_ids_and_slugs_are_checked() {
        assert!(check_organization_id("organizationId", "org_2xYz9").is_ok());
        assert!(check_organization_id("organizationId", "user_2xYz9").is_err());
        assert!(check_slug("slug", "acme-inc-2").is_ok());
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
            assert!(check_slug("slug", bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn role_keys_and_email_addresses_are_checked() {
        assert!(check_role("role", "org:admin").is_ok());
        assert!(check_role("role", "org:billing_manager").is_ok());
        for bad in ["admin", "org:", "org:a b", "org:../x"] {
            assert!(check_role("role", bad).is_err(), "{bad:?} accepted");
        }
        assert!(check_email("emailAddress", "ada+test@example.com").is_ok());
        for bad in [
            "",
            "ada",
            "@example.com",
            "ada@localhost",
            "a b@example.com",
            "a@b@c.com",
        ] {
            assert!(
                check_email("emailAddress", bad).is_err(),
                "{bad:?} accepted"
            );
        }
    }

    #[test]
    fn metadata_updates_need_at_least_one_object() {
        let error = check_any_given(&[("publicMetadata", false), ("privateMetadata", false)])
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("`publicMetadata`, `privateMetadata`"),
            "{error}"
        );
        assert!(check_any_given(&[("publicMetadata", false), ("privateMetadata", true)]).is_ok());
    }

    #[test]
    fn lengths_are_counted_in_characters() {
        assert!(check_length("query", &"é".repeat(256), 256).is_ok());
        let error = check_length("query", &"q".repeat(257), 256)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(
                "`query`: must be at most 256 characters (got a value of 257 characters)"
            ),
            "{error}"
        );
    }

    #[test]
    fn list_arguments_are_bounded_in_items() {
        assert!(check_count("role", &["org:admin"; 20], 20, "role keys").is_ok());
        let error = check_count("role", &["org:admin"; 21], 20, "role keys")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("`role`: must hold at most 20 role keys (got 21)"),
            "{error}"
        );
    }

    #[test]
    fn order_by_is_a_field_with_at_most_one_sign() {
        let fields = ["created_at", "name"];
        for good in ["name", "+name", "-created_at"] {
            assert!(check_order_by("orderBy", good, &fields).is_ok(), "{good}");
        }
        for bad in ["", "+", "--name", "+-name", "name desc", "updated_at"] {
            assert!(check_order_by("orderBy", bad, &fields).is_err(), "{bad:?}");
        }
        let error = check_order_by("orderBy", "age", &fields)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(
                "`orderBy`: must be one of created_at, name with an optional + or - in front \
                 (got \"age\")"
            ),
            "{error}"
        );
    }

    #[test]
    fn long_texts_are_shortened_with_an_ellipsis() {
        assert_eq!(shorten("abcdef", 3), "abc…");
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("ééé", 2), "éé…");
    }

    #[test]
    fn long_values_are_described_by_length() {
        assert_eq!(describe("abc"), "\"abc\"");
        assert_eq!(describe(&"x".repeat(10_000)), "a value of 10000 characters");
    }
}
