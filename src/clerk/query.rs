//! URL paths and query strings for Clerk requests, encoded so that no value
//! can change the endpoint a request reaches.
//!
//! Path segments are percent-encoded byte by byte (everything but RFC 3986
//! unreserved characters), so `/`, `?`, `#`, `%` and `..` inside an ID stay
//! inside that segment. Query strings are form-encoded the way Clerk's SDK
//! writes them: arrays as repeated keys, a space as `+`, and a literal `+` as
//! `%2B` (so `order_by=+name` is not read as ` name`).

use std::fmt::Write;

/// The path of a Backend API endpoint below `/v1`, built segment by segment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UrlPath(String);

impl UrlPath {
    pub fn new() -> Self {
        UrlPath(String::new())
    }

    /// Appends one segment, percent-encoding every byte that is not unreserved.
    pub fn segment(mut self, value: &str) -> Self {
        self.0.push('/');
        for byte in value.bytes() {
            if is_unreserved(byte) {
                self.0.push(char::from(byte));
            } else {
                push_percent_encoded(&mut self.0, byte);
            }
        }
        self
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A form-encoded query string, in the order the pairs were pushed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query(String);

impl Query {
    pub fn new() -> Self {
        Query(String::new())
    }

    /// Appends `name=value`. Pushing the same name again repeats the key,
    /// which is how Clerk reads an array.
    pub fn push(&mut self, name: &str, value: &str) {
        if !self.0.is_empty() {
            self.0.push('&');
        }
        push_form_encoded(&mut self.0, name);
        self.0.push('=');
        push_form_encoded(&mut self.0, value);
    }

    /// Appends `name=value` when there is a value.
    pub fn push_opt(&mut self, name: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.push(name, value);
        }
    }

    /// Appends one `name=value` pair per item.
    pub fn push_each<S: AsRef<str>>(&mut self, name: &str, values: &[S]) {
        for value in values {
            self.push(name, value.as_ref());
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

fn push_form_encoded(out: &mut String, value: &str) {
    for byte in value.bytes() {
        match byte {
            b' ' => out.push('+'),
            b'*' => out.push('*'),
            _ if is_unreserved(byte) && byte != b'~' => out.push(char::from(byte)),
            _ => push_percent_encoded(out, byte),
        }
    }
}

fn push_percent_encoded(out: &mut String, byte: u8) {
    // Writing to a String cannot fail.
    let _ = write!(out, "%{byte:02X}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_cannot_escape_their_place() {
        let path = UrlPath::new()
            .segment("users")
            .segment("../organizations?x=1#frag/%2F");
        assert_eq!(
            path.as_str(),
            "/users/..%2Forganizations%3Fx%3D1%23frag%2F%252F"
        );
    }

    #[test]
    fn path_segment_keeps_ids_readable() {
        let path = UrlPath::new().segment("users").segment("user_2abcXYZ");
        assert_eq!(path.as_str(), "/users/user_2abcXYZ");
    }

    #[test]
    fn non_ascii_is_percent_encoded_as_utf8() {
        let path = UrlPath::new().segment("é");
        assert_eq!(path.as_str(), "/%C3%A9");
    }

    #[test]
    fn arrays_repeat_the_key_and_plus_travels_encoded() {
        let mut query = Query::new();
        query.push_each("user_id", &["user_a", "user_b"]);
        query.push("order_by", "+last_name");
        query.push("query", "ada lovelace&admin=1");
        assert_eq!(
            query.as_str(),
            "user_id=user_a&user_id=user_b&order_by=%2Blast_name&query=ada+lovelace%26admin%3D1"
        );
    }

    #[test]
    fn email_addresses_are_form_encoded() {
        let mut query = Query::new();
        query.push("email_address", "ada+test@example.com");
        assert_eq!(query.as_str(), "email_address=ada%2Btest%40example.com");
    }
}
