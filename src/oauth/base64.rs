//! Base64 decoding (RFC 4648), for JWT parts and publishable keys: both the
//! standard and the URL-safe alphabet, padding optional. Small enough to
//! keep a crate out of the bundle.

/// Decodes `text`, or `None` when it is not base64 (a stray character, a
/// lone trailing character, padding in the middle).
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut bytes = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    // Six bits left over cannot end a whole byte: the text was cut short.
    (bits < 6).then_some(bytes)
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn decodes_both_alphabets_with_or_without_padding() {
        assert_eq!(decode("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode("aGVsbG8").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode("-_8").as_deref(), Some(&[0xfb, 0xff][..]));
        assert_eq!(decode("+/8=").as_deref(), Some(&[0xfb, 0xff][..]));
        assert_eq!(decode("").as_deref(), Some(&b""[..]));
    }

    #[test]
    fn refuses_what_is_not_base64() {
        assert_eq!(decode("a b"), None);
        assert_eq!(decode("a.b"), None);
        assert_eq!(decode("aGVsb"), None);
        assert_eq!(decode("a"), None);
    }
}
