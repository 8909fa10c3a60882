//! Every tool's `inputSchema` and `outputSchema`, as the server publishes
//! them.
//!
//! The schemas are defined by the argument and output types: their
//! [`schemars::JsonSchema`] derives. Generating them takes a lot of code
//! (schemars itself and one schema function per type), and running it would
//! cost every new isolate; yet the result never changes between builds of
//! the same source. So the generated schemas are kept in `schemas.json`
//! beside this file and embedded in the build, and generation lives in the
//! unit tests only: `embedded_schemas_are_those_the_types_define` fails when
//! a type changes without `schemas.json` (run `UPDATE_GOLDEN=1 cargo test`
//! to rewrite it, then `cargo test` again to build with it). A release build
//! never instantiates a schema function, so none of that code reaches it.

use std::sync::OnceLock;

use serde_json::{json, Map, Value};

#[cfg(test)]
use schemars::{generate::SchemaSettings, JsonSchema};

/// Generated from the types by `embedded_schemas_are_those_the_types_define`:
/// one line per tool, `"name": {"inputSchema": ..., "outputSchema": ...}`.
const EMBEDDED: &str = include_str!("schemas.json");

/// The type a schema is generated from. In a build other than the unit
/// tests it holds nothing: naming the type only keeps the definition beside
/// its tool.
#[derive(Clone, Copy)]
pub struct SchemaSource {
    #[cfg(test)]
    generate: fn() -> Value,
}

impl SchemaSource {
    /// The input schema of an arguments struct: what a client may send.
    pub const fn input<T: super::Arguments>() -> SchemaSource {
        SchemaSource {
            #[cfg(test)]
            generate: generate::input::<T>,
        }
    }

    /// The output schema of a tool's structured result: what the server sends.
    pub const fn output<T: serde::Serialize + schemars::JsonSchema>() -> SchemaSource {
        SchemaSource {
            #[cfg(test)]
            generate: generate::output::<T>,
        }
    }
}

/// Every tool's schemas, read from `schemas.json` once per isolate.
fn embedded() -> &'static Map<String, Value> {
    static SCHEMAS: OnceLock<Map<String, Value>> = OnceLock::new();
    SCHEMAS.get_or_init(|| serde_json::from_str(EMBEDDED).unwrap_or_default())
}

/// The arguments the tool `name` takes: the `properties` of its published
/// input schema, without the confirmation token a write tool also takes.
pub fn arguments_of(name: &str) -> Option<&'static Map<String, Value>> {
    embedded()
        .get(name)?
        .pointer("/inputSchema/properties")?
        .as_object()
}

/// The published `inputSchema` and `outputSchema` of the tool `name`.
/// A tool missing from `schemas.json` (which the unit tests rule out) gets
/// schemas that say only "an object".
pub fn of(name: &str) -> (Value, Value) {
    let schema = |which: &str| {
        embedded()
            .get(name)
            .and_then(|tool| tool.get(which))
            .cloned()
            .unwrap_or_else(|| json!({"type": "object"}))
    };
    (schema("inputSchema"), schema("outputSchema"))
}

#[cfg(test)]
mod generate {
    use super::*;

    /// An input schema always lists its `properties`, even none: some
    /// clients read a tool's arguments from there alone.
    pub fn input<T: JsonSchema>() -> Value {
        let mut schema = schema_for::<T>(SchemaSettings::draft2020_12().for_deserialize());
        if let Some(object) = schema.as_object_mut() {
            object.entry("properties").or_insert_with(|| json!({}));
        }
        for_each_subschema(&mut schema, &mut remove_what_goes_without_saying);
        schema
    }

    /// Removes from a subschema of an input schema what tells neither a
    /// client nor a model anything, since every conversation pays for it:
    /// `additionalProperties: true`, which JSON Schema assumes anyway, and a
    /// `format` beside a `pattern`, which says more. The top level keeps its
    /// `additionalProperties: false`, which does say something.
    fn remove_what_goes_without_saying(schema: &mut Map<String, Value>) {
        if schema.get("additionalProperties") == Some(&Value::Bool(true)) {
            schema.remove("additionalProperties");
        }
        if schema.contains_key("pattern") {
            schema.remove("format");
        }
    }

    /// Calls `change` on every schema below `schema`: those of its
    /// properties, items and alternatives, and theirs in turn.
    fn for_each_subschema(schema: &mut Value, change: &mut impl FnMut(&mut Map<String, Value>)) {
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        let mut below = |subschema: &mut Value| {
            if let Some(object) = subschema.as_object_mut() {
                change(object);
            }
            for_each_subschema(subschema, change);
        };
        if let Some(Value::Object(properties)) = object.get_mut("properties") {
            properties.values_mut().for_each(&mut below);
        }
        for key in ["items", "additionalProperties"] {
            if let Some(subschema) = object.get_mut(key) {
                below(subschema);
            }
        }
        for key in ["anyOf", "oneOf", "allOf", "prefixItems"] {
            if let Some(Value::Array(subschemas)) = object.get_mut(key) {
                subschemas.iter_mut().for_each(&mut below);
            }
        }
    }

    /// An output schema says the result's structure only: its fields'
    /// descriptions stay in the output types' doc comments. No client shows
    /// an output schema to a model, and every `tools/list` answer carries
    /// each one in full; without descriptions the longest list is a third
    /// smaller. It says nothing that goes without saying either (as an
    /// input schema), and no `null` for a field that is left out rather
    /// than written as `null`.
    pub fn output<T: JsonSchema>() -> Value {
        let mut schema = schema_for::<T>(SchemaSettings::draft2020_12().for_serialize());
        if let Some(object) = schema.as_object_mut() {
            remove_null_of_optional_fields(object);
        }
        for_each_subschema(&mut schema, &mut |subschema| {
            subschema.remove("description");
            remove_what_goes_without_saying(subschema);
            remove_null_of_optional_fields(subschema);
        });
        schema
    }

    /// Takes `"null"` out of the type of every property the object schema
    /// does not require. Generated for serializing, a schema leaves a field
    /// out of `required` only when the field is skipped instead of written,
    /// which is how every output type writes a missing value it does not
    /// spell `null`; so such a field is never `null` on the wire.
    fn remove_null_of_optional_fields(schema: &mut Map<String, Value>) {
        let required: Vec<Value> = match schema.get("required") {
            Some(Value::Array(names)) => names.clone(),
            _ => Vec::new(),
        };
        let Some(Value::Object(properties)) = schema.get_mut("properties") else {
            return;
        };
        for (name, property) in properties.iter_mut() {
            if required.iter().any(|required| required == name.as_str()) {
                continue;
            }
            if let Some(Value::Array(types)) = property.get_mut("type") {
                types.retain(|kind| kind != "null");
                if let [only] = types.as_slice() {
                    let only = only.clone();
                    property["type"] = only;
                }
            }
        }
    }

    /// A JSON Schema (draft 2020-12, the MCP default dialect) for `T`, with
    /// every subschema inlined so that any client's validator reads it, and
    /// without `$schema` or a top-level `title` or `description` (the tool's
    /// own description says what the arguments and the result are).
    fn schema_for<T: JsonSchema>(settings: SchemaSettings) -> Value {
        let generator = settings
            .with(|settings| {
                settings.inline_subschemas = true;
                settings.meta_schema = None;
            })
            .into_generator();
        let mut schema = generator.into_root_schema_for::<T>().to_value();
        if let Some(object) = schema.as_object_mut() {
            object.remove("title");
            object.remove("description");
        }
        remove_numeric_formats(&mut schema);
        schema
    }

    /// Removes the `format`s schemars gives Rust number types (`uint32`,
    /// `int64`, `double`, ...): JSON Schema defines none of them, so
    /// validators only warn about them, and `minimum`/`maximum` already
    /// state the bounds.
    fn remove_numeric_formats(schema: &mut Value) {
        match schema {
            Value::Object(object) => {
                let numeric = object
                    .get("format")
                    .and_then(Value::as_str)
                    .is_some_and(|format| {
                        format.starts_with("int")
                            || format.starts_with("uint")
                            || format == "float"
                            || format == "double"
                    });
                if numeric {
                    object.remove("format");
                }
                object.values_mut().for_each(remove_numeric_formats);
            }
            Value::Array(items) => items.iter_mut().for_each(remove_numeric_formats),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tools::registry;

    /// `schemas.json` as the types define it: one tool a line, in registry order.
    fn generated() -> String {
        let lines: Vec<String> = registry()
            .map(|(_, tool)| {
                let input_schema = (tool.input_schema.generate)();
                let mut output_schema = (tool.output_schema.generate)();
                crate::tools::fields::relax_output_schema(&input_schema, &mut output_schema);
                let schemas = json!({
                    "inputSchema": input_schema,
                    "outputSchema": output_schema,
                });
                format!("{}:{schemas}", Value::from(tool.name))
            })
            .collect();
        format!("{{\n{}\n}}\n", lines.join(",\n"))
    }

    #[test]
    fn embedded_schemas_are_those_the_types_define() {
        let generated = generated();
        if std::env::var_os("UPDATE_GOLDEN").is_some() && generated != EMBEDDED {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/tools/schemas.json");
            std::fs::write(path, &generated).expect("schemas.json written");
            panic!("src/tools/schemas.json was rewritten; run cargo test again to build with it");
        }
        assert!(
            generated == EMBEDDED,
            "src/tools/schemas.json differs from the schemas the types define; if the change \
             is meant, run UPDATE_GOLDEN=1 cargo test, then cargo test, and review the diff"
        );
    }

    /// Every subschema of a published input schema, its own included.
    fn subschemas(schema: &Value, found: &mut Vec<Value>) {
        found.push(schema.clone());
        let mut below = |subschema: &Value| subschemas(subschema, found);
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            properties.values().for_each(&mut below);
        }
        if let Some(items) = schema.get("items") {
            below(items);
        }
    }

    #[test]
    fn input_schemas_say_nothing_that_goes_without_saying() {
        let mut metadata_arguments = 0;
        for (_, tool) in registry() {
            let (input, _) = of(tool.name);
            assert_eq!(input["additionalProperties"], false, "{}", tool.name);
            let mut found = Vec::new();
            subschemas(&input, &mut found);
            for schema in &found[1..] {
                assert_ne!(
                    schema["additionalProperties"], true,
                    "{}: {schema}",
                    tool.name
                );
                assert!(
                    schema.get("pattern").is_none() || schema.get("format").is_none(),
                    "{}: {schema}",
                    tool.name
                );
                metadata_arguments += usize::from(schema["type"] == json!(["object", "null"]));
            }
        }
        assert!(metadata_arguments > 0, "metadata arguments were looked at");
    }
}
