//! Reading a tool's `arguments` object into its typed struct.
//!
//! An argument struct's field types do most of the checking as they are
//! read: Clerk IDs, role keys, slugs and email addresses are the types of
//! [`crate::clerk::ids`], a page size is a [`Limit`], a sort order an
//! [`OrderBy`]. What a single value cannot say (text lengths, list sizes,
//! "at least one of") is checked by [`Arguments::validate`] after reading,
//! with the `check_*` functions here.
//!
//! A struct reads its fields by name out of the arguments object with the
//! shared functions of [`Given`], each for its field's type ([`Argument`]):
//! a list of calls per struct, where a derived deserializer would be a
//! state machine of its own in the wasm. A wrong value names the argument
//! it is in (`limit: must be between 1 and 100 (got 0)`), and an argument
//! the tool does not take is refused, as the struct's schema says with
//! `additionalProperties: false`; the published schema itself is checked
//! first (`call`), so that a misspelt name is reported as such.

use std::borrow::Cow;
use std::marker::PhantomData;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use super::ToolError;
use crate::clerk::ids::{Checked, Form};
use crate::text::describe;

/// A tool's arguments: a struct whose schema is the tool's input schema.
pub trait Arguments: JsonSchema + Sized {
    /// Reads the struct's fields out of `given`, by the names its schema
    /// gives them.
    fn read(given: &mut Given) -> Result<Self, ToolError>;

    /// Checks what the field types cannot: text lengths, list sizes,
    /// combinations of arguments.
    fn validate(&self) -> Result<(), ToolError> {
        Ok(())
    }

    /// Reads and checks `arguments`.
    fn parse(arguments: Map<String, Value>) -> Result<Self, ToolError> {
        let mut given = Given::new(arguments);
        let parsed = Self::read(&mut given)?;
        given.finish()?;
        parsed.validate()?;
        Ok(parsed)
    }
}

/// A value one argument (or one item of a list argument) may hold.
pub trait Argument: Sized {
    /// `value` as this type, or what is wrong with it, in words that follow
    /// the argument's name.
    fn from_value(value: Value) -> Result<Self, String>;
}

/// The arguments of one call, taken out by name as a struct reads them.
pub struct Given {
    entries: Map<String, Value>,
    /// The names read so far, for the message about an argument that is not
    /// one of them.
    read: Vec<&'static str>,
}

impl Given {
    pub fn new(entries: Map<String, Value>) -> Given {
        Given {
            entries,
            read: Vec::new(),
        }
    }

    /// An object that is one item of a list argument, read by `read` as a
    /// call's arguments are; what is wrong with it is said as a problem of
    /// the list's argument.
    pub fn read_item<T>(
        value: Value,
        read: fn(&mut Given) -> Result<T, ToolError>,
    ) -> Result<T, String> {
        let mut given = match value {
            Value::Object(entries) => Given::new(entries),
            other => return Err(wrong_type(&other, "an object")),
        };
        let item = read(&mut given).and_then(|item| given.finish().map(|()| item));
        item.map_err(|error| error.to_string())
    }

    /// The argument `name`, or `None` when the call leaves it out (or gives
    /// `null`).
    pub fn optional<T: Argument>(&mut self, name: &'static str) -> Result<Option<T>, ToolError> {
        self.read.push(name);
        match self.entries.remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => T::from_value(value)
                .map(Some)
                .map_err(|problem| ToolError::invalid(name, problem)),
        }
    }

    /// The argument `name`, which the call must give.
    pub fn required<T: Argument>(&mut self, name: &'static str) -> Result<T, ToolError> {
        self.optional(name)?
            .ok_or_else(|| ToolError::invalid(name, "is missing: this tool needs it"))
    }

    /// The argument `name`, or `T`'s default when the call leaves it out.
    pub fn or_default<T: Argument + Default>(
        &mut self,
        name: &'static str,
    ) -> Result<T, ToolError> {
        Ok(self.optional(name)?.unwrap_or_default())
    }

    /// The argument `name`, or `default()` when the call leaves it out.
    pub fn or_else<T: Argument>(
        &mut self,
        name: &'static str,
        default: fn() -> T,
    ) -> Result<T, ToolError> {
        Ok(self.optional(name)?.unwrap_or_else(default))
    }

    /// Fails if the call gave an argument the struct did not read.
    pub fn finish(self) -> Result<(), ToolError> {
        match self.entries.keys().next() {
            None => Ok(()),
            Some(unknown) => Err(ToolError::invalid(
                &crate::text::shorten(unknown, 80),
                unknown_argument(&self.read),
            )),
        }
    }
}

/// The problem of an argument a tool does not take, with those it does.
#[inline(never)]
pub fn unknown_argument(known: &[&str]) -> String {
    if known.is_empty() {
        return "unknown argument: this tool takes none".to_owned();
    }
    let names: Vec<String> = known.iter().map(|name| format!("`{name}`")).collect();
    format!("unknown argument: this tool takes {}", names.join(", "))
}

/// What a value is, for the message that says it is not what was expected:
/// its kind, never the value itself (a string is shown by [`describe`]).
#[inline(never)]
pub fn wrong_type(value: &Value, expected: &str) -> String {
    let got = match value {
        Value::Null => "null".to_owned(),
        Value::Bool(_) => "a boolean".to_owned(),
        Value::Number(number) => format!("the number {number}"),
        Value::String(text) => format!("the string {}", describe(text)),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    };
    format!("must be {expected} (got {got})")
}

impl Argument for String {
    fn from_value(value: Value) -> Result<Self, String> {
        match value {
            Value::String(text) => Ok(text),
            other => Err(wrong_type(&other, "a string")),
        }
    }
}

impl Argument for bool {
    fn from_value(value: Value) -> Result<Self, String> {
        value
            .as_bool()
            .ok_or_else(|| wrong_type(&value, "true or false"))
    }
}

impl Argument for u32 {
    fn from_value(value: Value) -> Result<Self, String> {
        value
            .as_u64()
            .and_then(|number| u32::try_from(number).ok())
            .ok_or_else(|| wrong_type(&value, "a whole number from 0 to 4294967295"))
    }
}

impl Argument for Map<String, Value> {
    fn from_value(value: Value) -> Result<Self, String> {
        match value {
            Value::Object(map) => Ok(map),
            other => Err(wrong_type(&other, "an object")),
        }
    }
}

impl<T: Argument> Argument for Vec<T> {
    fn from_value(value: Value) -> Result<Self, String> {
        match value {
            Value::Array(items) => {
                let mut read = Vec::with_capacity(items.len());
                for (index, item) in items.into_iter().enumerate() {
                    read.push(T::from_value(item).map_err(|problem| item_problem(index, problem))?);
                }
                Ok(read)
            }
            other => Err(wrong_type(&other, "a list")),
        }
    }
}

impl<F: Form> Argument for Checked<F> {
    fn from_value(value: Value) -> Result<Self, String> {
        match value {
            Value::String(text) => Checked::parse(&text).map_err(|error| error.to_string()),
            other => Err(wrong_type(&other, &F::expected())),
        }
    }
}

#[inline(never)]
fn item_problem(index: usize, problem: String) -> String {
    format!("item {index}: {problem}")
}

/// One of the `choices`, by the name `name_of` gives it: how an argument
/// that takes one of a few words reads it.
pub fn one_of<T: Copy>(
    value: Value,
    choices: &[T],
    name_of: fn(T) -> &'static str,
) -> Result<T, String> {
    let names = || {
        let names: Vec<&str> = choices.iter().map(|choice| name_of(*choice)).collect();
        format!("one of {}", names.join(", "))
    };
    match value {
        Value::String(text) => choices
            .iter()
            .copied()
            .find(|choice| name_of(*choice) == text)
            .ok_or_else(|| format!("must be {} (got {})", names(), describe(&text))),
        other => Err(wrong_type(&other, &names())),
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

impl<const MAX: u32> Argument for Limit<MAX> {
    fn from_value(value: Value) -> Result<Self, String> {
        let value = u32::from_value(value)?;
        match range_problem(value, 1, MAX) {
            None => Ok(Limit(value)),
            Some(problem) => Err(problem),
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
        let read = Limit::<100>::from_value;
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
