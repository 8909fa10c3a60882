//! Base64 (RFC 4648): decoding for JWT parts, publishable keys and request
//! states, in both the standard and the URL-safe alphabet, padding
//! optional; encoding in the URL-safe alphabet without padding, for
//! request states, and in the standard one with padding, for the front
//! door's install links and script hashes. Small enough to keep a crate
//! out of the bundle.

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `bytes` in the URL-safe alphabet, without padding.
pub fn encode_url(bytes: &[u8]) -> String {
    encode_with(bytes, URL_SAFE, false)
}

/// `bytes` in the standard alphabet, padded with `=`.
pub fn encode(bytes: &[u8]) -> String {
    encode_with(bytes, STANDARD, true)
}

fn encode_with(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut text = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let buffer = chunk.iter().enumerate().fold(0u32, |buffer, (i, byte)| {
            buffer | u32::from(*byte) << (16 - 8 * i)
        });
        for i in 0..=chunk.len() {
            text.push(char::from(alphabet[(buffer >> (18 - 6 * i)) as usize & 63]));
        }
        if pad {
            for _ in chunk.len()..3 {
                text.push('=');
            }
        }
    }
    text
}

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
    use super::{decode, encode, encode_url};

    #[test]
    fn encodes_standard_with_padding() {
        assert_eq!(encode(b"hello"), "aGVsbG8=");
        assert_eq!(encode(b"hi"), "aGk=");
        assert_eq!(encode(b"abc"), "YWJj");
        assert_eq!(encode(&[0xfb, 0xff]), "+/8=");
        assert_eq!(encode(b""), "");
    }

    #[test]
    fn encodes_url_safe_without_padding_and_reads_back() {
        assert_eq!(encode_url(b"hello"), "aGVsbG8");
        assert_eq!(encode_url(&[0xfb, 0xff]), "-_8");
        assert_eq!(encode_url(b""), "");
        let bytes: Vec<u8> = (0..=255).collect();
        for length in 0..bytes.len() {
            assert_eq!(
                decode(&encode_url(&bytes[..length])).as_deref(),
                Some(&bytes[..length])
            );
        }
    }

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
