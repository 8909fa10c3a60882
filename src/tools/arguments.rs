//! Reading a tool's `arguments` object into its typed struct.
//!
//! An argument struct's field types do most of the checking as they are
//! read: Clerk IDs, role keys, slugs and email addresses are the types of
//! [`crate::clerk::ids`], a page size is a [`Limit`], a sort order an
//! [`OrderBy`]. What a single value cannot say (text lengths, list sizes,
//! "at least one of") is checked by [`Arguments::validate`] after reading,
//! with the `check_*` functions here.
//!
//! Deserialization notes which argument it is reading, so a wrong value names
//! the argument it is in (`limit: invalid type: string "x", expected u32`).
//! Argument structs deny unknown fields, which also makes their schemas say
//! `additionalProperties: false`.

use std::borrow::Cow;
use std::marker::PhantomData;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use serde::{forward_to_deserialize_any, Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{map, Map, Value};

use super::ToolError;
use crate::clerk::ids::{Checked, Form};
use crate::text::{describe, shorten};

/// A tool's arguments: a serde struct whose schema is the tool's input schema.
pub trait Arguments: DeserializeOwned + JsonSchema {
    /// Checks what the field types cannot: text lengths, list sizes,
    /// combinations of arguments.
    fn validate(&self) -> Result<(), ToolError> {
        Ok(())
    }

    /// Reads and checks `arguments`.
    fn parse(arguments: Map<String, Value>) -> Result<Self, ToolError> {
        let mut failed_in = None;
        let fields = Fields {
            entries: arguments.into_iter(),
            name: String::new(),
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
    /// The name of the argument just read.
    name: String,
    /// Its value, until it is read.
    value: Option<Value>,
    failed_in: &'a mut Option<String>,
}

impl Fields<'_> {
    /// The value of the argument whose name was just read. Out of line, as
    /// is [`Fields::failed`], so that reading a value is generic only in
    /// the value's own type: once per argument type in the bundle.
    #[inline(never)]
    fn take_value(&mut self) -> Result<Value, serde_json::Error> {
        self.value
            .take()
            .ok_or_else(|| de::Error::custom("an argument's value was read before its name"))
    }

    /// Notes that the value of the argument just read failed.
    #[inline(never)]
    fn failed(&mut self, error: serde_json::Error) -> serde_json::Error {
        *self.failed_in = Some(std::mem::take(&mut self.name));
        error
    }
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
        self.name = name;
        self.value = Some(value);
        Ok(Some(key))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let value = self.take_value()?;
        seed.deserialize(value).map_err(|error| self.failed(error))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// Fails unless `min <= value <= max`.
pub fn check_range(argument: &str, value: u32, min: u32, max: u32) -> Result<(), ToolError> {
    range_problem(value, min, max)
        .map_or(Ok(()), |problem| Err(ToolError::invalid(argument, problem)))
}

fn range_problem(value: u32, min: u32, max: u32) -> Option<String> {
    (!(min..=max).contains(&value))
        .then(|| format!("must be between {min} and {max} (got {value})"))
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

/// Fails unless a bulk tool's list `argument` holds from 1 to
/// [`super::bulk::MAX_ITEMS`] `items`.
pub fn check_bulk_count(argument: &str, len: usize, items: &str) -> Result<(), ToolError> {
    let max = super::bulk::MAX_ITEMS;
    if len == 0 {
        return Err(ToolError::invalid(
            argument,
            format!("must hold at least one of the {items} (got an empty list)"),
        ));
    }
    if len > max {
        return Err(ToolError::invalid(
            argument,
            format!("must hold at most {max} {items} a call (got {len}); split the list"),
        ));
    }
    Ok(())
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

/// Fails unless a metadata update gives `publicMetadata`, `privateMetadata`
/// or both.
pub fn check_metadata_given(
    public: &Option<Map<String, Value>>,
    private: &Option<Map<String, Value>>,
) -> Result<(), ToolError> {
    check_any_given(&[
        ("publicMetadata", public.is_some()),
        ("privateMetadata", private.is_some()),
    ])
}

/// How many items a list returns: 1 to `MAX`, 20 when the call gives none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit<const MAX: u32>(u32);

impl<const MAX: u32> Limit<MAX> {
    pub fn get(self) -> u32 {
        self.0
    }
}

impl<const MAX: u32> Default for Limit<MAX> {
    fn default() -> Self {
        Limit(20)
    }
}

impl<'de, const MAX: u32> Deserialize<'de> for Limit<MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = u32::deserialize(deserializer)?;
        match range_problem(value, 1, MAX) {
            None => Ok(Limit(value)),
            Some(problem) => Err(de::Error::custom(problem)),
        }
    }
}

impl<const MAX: u32> Serialize for Limit<MAX> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u32(self.0)
    }
}

impl<const MAX: u32> JsonSchema for Limit<MAX> {
    fn schema_name() -> Cow<'static, str> {
        format!("Limit{MAX}").into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "integer", "minimum": 1, "maximum": MAX})
    }
}

/// The fields a list can be sorted by, as Clerk's `order_by` names them.
pub trait OrderFields {
    const FIELDS: &'static [&'static str];
}

/// How a list is sorted: one of the fields of `F`, optionally preceded by
/// one `+` (ascending) or `-` (descending), as Clerk's `order_by` takes it.
pub type OrderBy<F> = Checked<SortedBy<F>>;

/// The form of an [`OrderBy`].
pub struct SortedBy<F>(PhantomData<F>);

impl<F: OrderFields> Form for SortedBy<F> {
    fn holds(value: &str) -> bool {
        let field = value.strip_prefix(['+', '-']).unwrap_or(value);
        F::FIELDS.contains(&field)
    }

    fn expected() -> Cow<'static, str> {
        format!(
            "one of {} with an optional + or - in front",
            F::FIELDS.join(", ")
        )
        .into()
    }

    fn schema() -> Schema {
        json_schema!({
            "type": "string",
            "pattern": format!("^[+-]?({})$", F::FIELDS.join("|")),
        })
    }
}

/// Newest first: the order of a list whose call gives none, where `F` has
/// `created_at`.
pub fn newest_first<F: OrderFields>() -> OrderBy<F> {
    OrderBy::from_static("-created_at")
}

#[cfg(test)]
mod tests {
    use super::*;

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

    enum TwoFields {}

    impl OrderFields for TwoFields {
        const FIELDS: &'static [&'static str] = &["created_at", "name"];
    }

    #[test]
    fn limits_are_bounded_and_twenty_unless_given() {
        assert_eq!(Limit::<100>::default().get(), 20);
        let read =
            |value: Value| serde_json::from_value::<Limit<100>>(value).map_err(|e| e.to_string());
        assert_eq!(read(serde_json::json!(100)), Ok(Limit(100)));
        assert_eq!(
            read(serde_json::json!(0)),
            Err("must be between 1 and 100 (got 0)".to_owned())
        );
        assert_eq!(
            read(serde_json::json!(101)),
            Err("must be between 1 and 100 (got 101)".to_owned())
        );
    }

    #[test]
    fn the_default_order_is_newest_first() {
        assert_eq!(newest_first::<TwoFields>().as_str(), "-created_at");
    }

    #[test]
    fn order_by_is_a_field_with_at_most_one_sign() {
        for good in ["name", "+name", "-created_at"] {
            assert!(OrderBy::<TwoFields>::parse(good).is_ok(), "{good}");
        }
        for bad in ["", "+", "--name", "+-name", "name desc", "updated_at"] {
            assert!(OrderBy::<TwoFields>::parse(bad).is_err(), "{bad:?}");
        }
        let error = OrderBy::<TwoFields>::parse("age")
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "must be one of created_at, name with an optional + or - in front (got \"age\")"
        );
    }
}
