//! Reading a tool's `arguments` object into its typed struct, and the checks
//! that JSON types alone cannot express (bounds, ID formats).
//!
//! Deserialization goes through `serde_path_to_error`, so a wrong type names
//! the argument it is in (`limit: invalid type: string "x", expected u32`).
//! Argument structs deny unknown fields, which also makes their schemas say
//! `additionalProperties: false`.

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::ToolError;

/// A tool's arguments: a serde struct whose schema is the tool's input schema.
pub trait Arguments: DeserializeOwned + JsonSchema {
    /// Checks what the types do not: bounds, formats, combinations.
    fn validate(&self) -> Result<(), ToolError> {
        Ok(())
    }

    /// Reads and checks `arguments`.
    fn parse(arguments: Map<String, Value>) -> Result<Self, ToolError> {
        let parsed: Self =
            serde_path_to_error::deserialize(Value::Object(arguments)).map_err(|error| {
                let argument = error.path().to_string();
                let argument = if argument == "." {
                    String::new()
                } else {
                    argument
                };
                ToolError::invalid(&argument, error.into_inner().to_string())
            })?;
        parsed.validate()?;
        Ok(parsed)
    }
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

/// The pattern of a Clerk user ID, as published in input schemas.
pub const USER_ID_PATTERN: &str = "^user_[A-Za-z0-9]{1,64}$";

/// Fails unless `value` is a Clerk user ID (`user_` and letters or digits).
/// Keeping IDs to this form also keeps them from changing the endpoint a
/// path is built into.
pub fn check_user_id(argument: &str, value: &str) -> Result<(), ToolError> {
    let body = value.strip_prefix("user_").unwrap_or_default();
    if !body.is_empty() && body.len() <= 64 && body.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(ToolError::invalid(
            argument,
            format!(
                "must be a Clerk user ID: `user_` followed by letters and digits (got {})",
                describe(value)
            ),
        ))
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
    fn long_values_are_described_by_length() {
        assert_eq!(describe("abc"), "\"abc\"");
        assert_eq!(describe(&"x".repeat(10_000)), "a value of 10000 characters");
    }
}
