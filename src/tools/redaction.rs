//! Taking `privateMetadata` out of what tools return, for a server set with
//! `MCP_REDACT_PRIVATE_METADATA`: out of every output, and out of the output
//! schemas that `tools/list` publishes, so that a redacted output still
//! satisfies its schema.

use serde_json::Value;

/// Removes every `privateMetadata` member from a tool's output.
pub fn redact_private_metadata(output: &mut Value) {
    match output {
        Value::Object(object) => {
            object.remove("privateMetadata");
            object.values_mut().for_each(redact_private_metadata);
        }
        Value::Array(items) => items.iter_mut().for_each(redact_private_metadata),
        _ => {}
    }
}

/// Removes `privateMetadata` from an output schema's properties and
/// `required` lists, so that a redacted output still satisfies it.
pub fn redact_private_metadata_schema(schema: &mut Value) {
    match schema {
        Value::Object(object) => {
            if let Some(Value::Object(properties)) = object.get_mut("properties") {
                properties.remove("privateMetadata");
            }
            if let Some(Value::Array(required)) = object.get_mut("required") {
                required.retain(|name| name != "privateMetadata");
            }
            object.values_mut().for_each(redact_private_metadata_schema);
        }
        Value::Array(items) => items.iter_mut().for_each(redact_private_metadata_schema),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn private_metadata_is_removed_at_every_depth_from_outputs_and_schemas() {
        let mut output =
            json!({"privateMetadata": {"a": 1}, "members": [{"privateMetadata": {}, "id": "x"}]});
        redact_private_metadata(&mut output);
        assert_eq!(output, json!({"members": [{"id": "x"}]}));
        let mut schema = json!({
            "type": "object",
            "properties": {"privateMetadata": {"type": "object"}, "id": {"type": "string"}},
            "required": ["id", "privateMetadata"]
        });
        redact_private_metadata_schema(&mut schema);
        assert_eq!(
            schema,
            json!({"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]})
        );
    }
}
