//! Reading Clerk's answers: liberally, and with little code per type.
//!
//! An answer is parsed once into a JSON value by the one parser the server
//! has; each wire type then takes the fields it reads out of that value with
//! the few shared functions here ([`Object`]). A type's reader is a list of
//! calls, where a derived `Deserialize` would be a state machine of its own
//! for every type, compiled into the wasm once per type.
//!
//! What is read liberally, so that an answer Clerk's spec allows (or an
//! older or newer Clerk sends) never fails as a whole:
//! - a field that is missing, `null` or of another type than expected is
//!   absent ([`Object::take`]) or its type's default ([`Object::or_default`]);
//! - fields Clerk adds are ignored, and enum-like strings pass through as
//!   they are.
//!
//! What is not: an answer that is not the documented object at all, which
//! a type says by the fields it requires ([`Object::required`], the objects'
//! `id`s above all) and by being an object or a list in the first place.
//! A [`Misread`] says which field of which item was wrong, never what the
//! value was: that may be anything, of any length.

use std::fmt;

use serde_json::{Map, Value};

/// A value of Clerk's answers, read out of its JSON.
pub trait Wire: Sized {
    /// `value` as this type, or why it is not one.
    fn read(value: Value) -> Result<Self, Misread>;
}

/// Why an answer is not the object its endpoint documents: what was wrong,
/// and where (`data[3].id`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Misread {
    what: &'static str,
    /// The path to the value, innermost step first.
    path: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Field(&'static str),
    Item(usize),
}

impl Misread {
    fn new(what: &'static str) -> Misread {
        Misread {
            what,
            path: Vec::new(),
        }
    }

    fn at(mut self, step: Step) -> Misread {
        self.path.push(step);
        self
    }
}

impl fmt::Display for Misread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            return write!(f, "the answer {}", self.what);
        }
        f.write_str("`")?;
        for (index, step) in self.path.iter().rev().enumerate() {
            match step {
                Step::Field(name) if index == 0 => f.write_str(name)?,
                Step::Field(name) => write!(f, ".{name}")?,
                Step::Item(item) => write!(f, "[{item}]")?,
            }
        }
        write!(f, "` {}", self.what)
    }
}

/// The fields of one JSON object, taken out one by one.
pub struct Object(Map<String, Value>);

impl Object {
    /// `value`, which must be an object.
    pub fn new(value: Value) -> Result<Object, Misread> {
        match value {
            Value::Object(map) => Ok(Object(map)),
            _ => Err(Misread::new("is not an object")),
        }
    }

    /// The field `name`, which must be there, not `null`, and of type `T`.
    pub fn required<T: Wire>(&mut self, name: &'static str) -> Result<T, Misread> {
        match self.0.remove(name) {
            None | Some(Value::Null) => Err(Misread::new("is missing").at(Step::Field(name))),
            Some(value) => T::read(value).map_err(|error| error.at(Step::Field(name))),
        }
    }

    /// The field `name` if it is there as a `T`; absent when it is missing,
    /// `null` or something else.
    pub fn take<T: Wire>(&mut self, name: &str) -> Option<T> {
        self.0.remove(name).and_then(|value| T::read(value).ok())
    }

    /// The field `name` as [`Object::take`] reads it, or `T`'s default.
    pub fn or_default<T: Wire + Default>(&mut self, name: &str) -> T {
        self.take(name).unwrap_or_default()
    }
}

impl Wire for Value {
    fn read(value: Value) -> Result<Self, Misread> {
        Ok(value)
    }
}

impl Wire for Map<String, Value> {
    fn read(value: Value) -> Result<Self, Misread> {
        Object::new(value).map(|object| object.0)
    }
}

impl Wire for String {
    fn read(value: Value) -> Result<Self, Misread> {
        match value {
            Value::String(text) => Ok(text),
            _ => Err(Misread::new("is not a string")),
        }
    }
}

impl Wire for bool {
    fn read(value: Value) -> Result<Self, Misread> {
        value
            .as_bool()
            .ok_or_else(|| Misread::new("is not a boolean"))
    }
}

/// Clerk's integers are signed 64-bit (its spec's `int64`), counts and
/// timestamps alike; a number with a fraction or out of that range is not
/// one.
impl Wire for i64 {
    fn read(value: Value) -> Result<Self, Misread> {
        value
            .as_i64()
            .ok_or_else(|| Misread::new("is not an integer"))
    }
}

/// A list whose every item must read: an item that is not the documented
/// object makes the list unreadable, as that item would be on its own.
impl<T: Wire> Wire for Vec<T> {
    fn read(value: Value) -> Result<Self, Misread> {
        match value {
            Value::Array(items) => {
                let mut read = Vec::with_capacity(items.len());
                for (index, item) in items.into_iter().enumerate() {
                    read.push(T::read(item).map_err(|error| error.at(Step::Item(index)))?);
                }
                Ok(read)
            }
            _ => Err(Misread::new("is not a list")),
        }
    }
}

/// `text` parsed and read as `T`, for tests of the wire types.
#[cfg(test)]
pub fn from_str<T: Wire>(text: &str) -> Result<T, String> {
    let value: Value = serde_json::from_str(text).map_err(|error| error.to_string())?;
    T::read(value).map_err(|misread| misread.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq)]
    struct Item {
        id: String,
        name: Option<String>,
        count: i64,
    }

    impl Wire for Item {
        fn read(value: Value) -> Result<Self, Misread> {
            let mut object = Object::new(value)?;
            Ok(Item {
                id: object.required("id")?,
                name: object.take("name"),
                count: object.or_default("count"),
            })
        }
    }

    #[test]
    fn fields_of_another_type_or_null_are_absent_and_extra_fields_are_ignored() {
        let read = Vec::<Item>::read(json!([
            {"id": "a", "name": "Ada", "count": 3, "new_field": true},
            {"id": "b", "name": null, "count": "3"},
            {"id": "c", "name": 7, "count": 1.5},
        ]));
        assert_eq!(
            read,
            Ok(vec![
                Item {
                    id: "a".into(),
                    name: Some("Ada".into()),
                    count: 3
                },
                Item {
                    id: "b".into(),
                    name: None,
                    count: 0
                },
                Item {
                    id: "c".into(),
                    name: None,
                    count: 0
                },
            ])
        );
    }

    #[test]
    fn a_required_field_missing_or_wrong_says_where_without_the_value() {
        let missing = Vec::<Item>::read(json!([{"id": "a"}, {"name": "no id"}]));
        assert_eq!(
            missing.map_err(|error| error.to_string()),
            Err("`[1].id` is missing".to_string())
        );
        let wrong = Item::read(json!({"id": ["x".repeat(1000)]}));
        assert_eq!(
            wrong.map_err(|error| error.to_string()),
            Err("`id` is not a string".to_string())
        );
        assert_eq!(
            Item::read(json!("an item")).map_err(|error| error.to_string()),
            Err("the answer is not an object".to_string())
        );
        assert_eq!(
            Vec::<Item>::read(json!({})).map_err(|error| error.to_string()),
            Err("the answer is not a list".to_string())
        );
    }

    #[test]
    fn integers_are_signed_64_bit_whole_numbers() {
        assert_eq!(i64::read(json!(-5)), Ok(-5));
        assert_eq!(i64::read(json!(i64::MIN)), Ok(i64::MIN));
        assert!(i64::read(json!(u64::MAX)).is_err());
        assert!(i64::read(json!(2.5)).is_err());
    }
}
