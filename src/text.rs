//! Short forms of text that came from outside (a client's argument, a
//! method name), for the messages that quote it: an error about a huge
//! value must not repeat it whole. And text percent-encoded for a URI.

/// `text` cut to `max` characters with an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// A value as an error shows it: quoted when short, by its length when long.
pub fn describe(value: &str) -> String {
    const SHOWN: usize = 80;
    if value.chars().count() <= SHOWN {
        format!("{value:?}")
    } else {
        format!("a value of {} characters", value.chars().count())
    }
}

/// `text` with every byte `keep` refuses written as `%XX`.
pub fn percent_encode(text: &str, keep: impl Fn(u8) -> bool) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if keep(byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push('%');
            encoded.push(char::from(HEX[usize::from(byte >> 4)]));
            encoded.push(char::from(HEX[usize::from(byte & 15)]));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding_writes_what_is_not_kept_as_hex() {
        assert_eq!(
            percent_encode("a b/é", |byte| byte.is_ascii_alphanumeric()),
            "a%20b%2F%C3%A9"
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
