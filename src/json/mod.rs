//! Reading JSON bodies: every body this server reads (a client's request,
//! Clerk's answers, a token's parts) is checked as UTF-8 once, whole, and
//! then parsed as text. That is faster than letting the parser check each
//! string as it meets it, and it keeps one parser in the build. A large
//! answer of which little is shown can instead be read with [`Scanner`].

mod scan;

use std::fmt;

use serde::Deserialize;

pub use scan::{Rest, ScanError, Scanner};

/// Why bytes could not be read as JSON of the wanted type.
#[derive(Debug)]
pub enum JsonError {
    /// The bytes are not UTF-8: valid up to this byte.
    NotUtf8 { valid_up_to: usize },
    /// The text is not JSON of the wanted type.
    Invalid(serde_json::Error),
}

/// `bytes` as JSON of type `T`, whose strings may borrow from `bytes`.
pub fn from_bytes<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, JsonError> {
    serde_json::from_str(utf8(bytes)?).map_err(JsonError::Invalid)
}

/// `bytes` as text, for a reader of its own.
pub fn utf8(bytes: &[u8]) -> Result<&str, JsonError> {
    std::str::from_utf8(bytes).map_err(|error| JsonError::NotUtf8 {
        valid_up_to: error.valid_up_to(),
    })
}

/// serde_json's words for what is wrong, without its position (the caller
/// gives one) or any value it quotes, which may be anything Clerk (or
/// whatever answered in its place) sent, of any length.
pub fn serde_kind(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let kind = message
        .split_once(" at line ")
        .map_or(message.as_str(), |(kind, _)| kind);
    let kind = kind.split_once(": ").map_or(kind, |(kind, _)| kind);
    kind.chars().take(80).collect()
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonError::NotUtf8 { valid_up_to } => {
                write!(f, "the body is not UTF-8 text from byte {valid_up_to}")
            }
            JsonError::Invalid(error) => error.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn text_that_is_json_is_read_and_other_bytes_say_why_not() {
        assert_eq!(
            from_bytes::<Value>(br#"{"a":[1,"\u00e9"]}"#).ok(),
            Some(serde_json::json!({"a": [1, "é"]}))
        );
        let not_utf8 = from_bytes::<Value>(b"{\"a\":\"\xff\"}");
        assert!(matches!(
            not_utf8,
            Err(JsonError::NotUtf8 { valid_up_to: 6 })
        ));
        let invalid = from_bytes::<Value>(b"{\"a\":").map_err(|error| error.to_string());
        assert!(invalid.is_err_and(|message| message.contains("EOF")));
    }
}
