//! The `fields` argument of list and get tools: which fields each item (or
//! the one object) carries, so that a model asks for only what it needs.
//!
//! A tool opts in with one field in its arguments struct,
//! `#[serde(default, rename = "fields")] _fields: Fields<Item>`, where
//! `Item` is the output type of one item (its handler never reads it, hence
//! the `_`). [`Fields`]'s schema lists the property names of
//! `Item`'s output schema in an `enum`; the names a call gives are checked
//! against the tool's published schema before the handler runs
//! ([`requested`]), so that an unknown name is refused, named, before
//! anything reaches Clerk. The output is then filtered ([`keep_only`]).
//!
//! `id` is always kept: it is what names the item in a later call or in a
//! resource's URI. The published output schema of a tool that takes
//! `fields` requires no other field ([`relax_output_schema`]), so that a
//! filtered output still satisfies it.

use std::fmt;
use std::marker::PhantomData;

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use super::arguments::Argument;
use super::{schemas, ToolError};

/// The argument's name.
pub const ARGUMENT: &str = "fields";

/// The field every item keeps, asked for or not.
pub const ALWAYS_KEPT: &str = "id";

/// The argument's description, the same for every tool: each byte of every
/// input schema counts against the size of the tool list.
const DESCRIPTION: &str = "Return only these fields (id always comes too). Default: all.";

/// The field names of items of type `T` a call asks for; empty means all.
pub struct Fields<T> {
    names: Vec<String>,
    item: PhantomData<fn() -> T>,
}

impl<T> Default for Fields<T> {
    fn default() -> Self {
        Fields {
            names: Vec::new(),
            item: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Fields<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Fields").field(&self.names).finish()
    }
}

impl<T> Fields<T> {
    /// The names asked for; empty when the call asked for every field.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

impl<T> Argument for Fields<T> {
    fn from_value(value: Value) -> Result<Self, String> {
        Ok(Fields {
            names: Vec::from_value(value)?,
            item: PhantomData,
        })
    }
}

impl<T> Serialize for Fields<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.names.serialize(serializer)
    }
}

impl<T: schemars::JsonSchema> schemars::JsonSchema for Fields<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Fields_{}", T::schema_name()).into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let item = T::json_schema(generator);
        let names: Vec<&str> = item
            .get("properties")
            .and_then(Value::as_object)
            .map(|properties| properties.keys().map(String::as_str).collect())
            .unwrap_or_default();
        schemars::json_schema!({
            "type": "array",
            "items": {"type": "string", "enum": names},
            "uniqueItems": true,
            "description": DESCRIPTION,
        })
    }
}

/// The field names a call of `tool` asks for, checked against the names
/// its published input schema allows: `Ok(None)` when the tool takes no
/// `fields` or the call gives none (or gives something other than a list
/// of strings, which reading the arguments then refuses).
pub fn requested(
    tool: &str,
    arguments: &Map<String, Value>,
) -> Result<Option<Vec<String>>, ToolError> {
    let Some(Value::Array(given)) = arguments.get(ARGUMENT) else {
        return Ok(None);
    };
    let Some(names) = given
        .iter()
        .map(|name| name.as_str().map(str::to_owned))
        .collect::<Option<Vec<String>>>()
    else {
        return Ok(None);
    };
    let (input_schema, _) = schemas::of(tool);
    let Some(allowed) = input_schema
        .pointer("/properties/fields/items/enum")
        .and_then(Value::as_array)
    else {
        return Ok(None);
    };
    let unknown: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|name| !allowed.iter().any(|allowed| allowed == name))
        .collect();
    if !unknown.is_empty() {
        let allowed: Vec<&str> = allowed.iter().filter_map(Value::as_str).collect();
        return Err(ToolError::invalid(
            ARGUMENT,
            format!(
                "unknown field name{} {}; the names are {}",
                if unknown.len() == 1 { "" } else { "s" },
                crate::text::shorten(&quoted(&unknown), 200),
                allowed.join(", ")
            ),
        ));
    }
    Ok((!names.is_empty()).then_some(names))
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| format!("{name:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Keeps only `names` (and `id`) in `output`: in each item of a list (an
/// output with `hasMore` and one array of objects), or in the object itself.
pub fn keep_only(output: &mut Value, names: &[String]) {
    let keep = |object: &mut Map<String, Value>| {
        object.retain(|key, _| key == ALWAYS_KEPT || names.iter().any(|name| name == key));
    };
    match super::output::items_mut(output) {
        Some(items) => items
            .iter_mut()
            .filter_map(Value::as_object_mut)
            .for_each(keep),
        None => {
            if let Some(object) = output.as_object_mut() {
                keep(object);
            }
        }
    }
}

/// The output schema of a tool that takes `fields`, with no field but `id`
/// required of an item (or of the object), since a call may leave any
/// other out.
#[cfg(test)]
pub fn relax_output_schema(input_schema: &Value, output_schema: &mut Value) {
    if input_schema.pointer("/properties/fields").is_none() {
        return;
    }
    let is_list = output_schema.pointer("/properties/hasMore").is_some();
    let item = match is_list {
        true => output_schema
            .get_mut("properties")
            .and_then(Value::as_object_mut)
            .and_then(|properties| {
                properties
                    .values_mut()
                    .find(|property| property.get("type") == Some(&Value::from("array")))
            })
            .and_then(|array| array.get_mut("items")),
        false => Some(output_schema),
    };
    if let Some(Value::Array(required)) = item.and_then(|item| item.get_mut("required")) {
        required.retain(|name| name == ALWAYS_KEPT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_list_keeps_the_fields_asked_for_and_the_id() {
        let mut output = json!({
            "users": [{"id": "user_1", "firstName": "Ada", "lastName": "L"}],
            "hasMore": false, "totalCount": 1,
        });
        keep_only(&mut output, &["firstName".to_owned()]);
        assert_eq!(
            output,
            json!({"users": [{"id": "user_1", "firstName": "Ada"}], "hasMore": false, "totalCount": 1})
        );
    }

    #[test]
    fn an_object_keeps_the_fields_asked_for_and_the_id() {
        let mut output = json!({"id": "org_1", "name": "Acme", "slug": "acme"});
        keep_only(&mut output, &["slug".to_owned()]);
        assert_eq!(output, json!({"id": "org_1", "slug": "acme"}));
    }

    #[test]
    fn a_relaxed_list_schema_requires_only_the_id_of_an_item() {
        let input = json!({"properties": {"fields": {}}});
        let mut output = json!({"properties": {
            "hasMore": {"type": "boolean"},
            "users": {"type": "array", "items": {"required": ["id", "name"]}},
        }, "required": ["users", "hasMore"]});
        relax_output_schema(&input, &mut output);
        assert_eq!(
            output.pointer("/properties/users/items/required"),
            Some(&json!(["id"]))
        );
        assert_eq!(
            output.pointer("/required"),
            Some(&json!(["users", "hasMore"]))
        );
    }
}
