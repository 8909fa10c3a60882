//! A one-pass reader of JSON text, for an answer that is read on every call
//! and mostly not shown, such as a page of Clerk's `GET /users`.
//!
//! A listed user is some sixty fields in Clerk's answer, of which a list
//! shows a dozen. Decoded with serde, each of those keys is compared with
//! every field name and each value skipped is parsed token by token; under
//! the Workers runtime, that made the page's decoding the largest part of
//! `clerk_list_users`'s CPU time. [`Scanner`] lets its caller match the keys
//! it wants and steps over every other value by counting brackets outside
//! strings.
//!
//! What the caller reads is checked as strictly as serde_json checks it:
//! strings (whose escapes and control characters serde_json decodes or
//! refuses), integers, booleans and nulls. What is stepped over is checked
//! only for where it ends, so a malformed number deep inside a skipped
//! value goes unnoticed. A value passed on as the text it is goes through
//! serde_json whole ([`Scanner::value_or_null`]).

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;

use super::serde_kind;

/// Why the text could not be read: what was wrong, and where.
#[derive(Debug)]
pub struct ScanError {
    what: Cow<'static, str>,
    line: usize,
    column: usize,
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.what, self.line, self.column
        )
    }
}

/// Whether an object's reader wants the members still to come.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rest {
    Read,
    Skip,
}

/// A position in JSON text, moving forward only.
pub struct Scanner<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Scanner<'a> {
    pub fn new(text: &'a str) -> Self {
        Scanner { text, at: 0 }
    }

    /// An error about the text at the current position.
    pub fn error(&self, what: &'static str) -> ScanError {
        self.error_at(self.at, what)
    }

    fn error_at(&self, at: usize, what: &'static str) -> ScanError {
        self.located(at, Cow::Borrowed(what))
    }

    fn located(&self, at: usize, what: Cow<'static, str>) -> ScanError {
        let before = self
            .text
            .as_bytes()
            .get(..at)
            .unwrap_or(self.text.as_bytes());
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        ScanError {
            what,
            line: 1 + before.iter().filter(|&&b| b == b'\n').count(),
            column: 1 + at.saturating_sub(line_start),
        }
    }

    /// Steps over whitespace; the next byte, if any.
    #[inline(always)]
    fn peek(&mut self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        while let Some(&byte) = bytes.get(self.at) {
            if !matches!(byte, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(byte);
            }
            self.at += 1;
        }
        None
    }

    #[inline(always)]
    fn expect(&mut self, wanted: u8, otherwise: &'static str) -> Result<(), ScanError> {
        match self.peek() {
            Some(byte) if byte == wanted => {
                self.at += 1;
                Ok(())
            }
            Some(_) => Err(self.error(otherwise)),
            None => Err(self.error("EOF while parsing a value")),
        }
    }

    /// Only whitespace is left.
    pub fn end(&mut self) -> Result<(), ScanError> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error("trailing characters")),
        }
    }

    /// Reads an array, calling `each` on every element.
    pub fn array(
        &mut self,
        each: &mut dyn FnMut(&mut Self) -> Result<(), ScanError>,
    ) -> Result<(), ScanError> {
        let mut more = self.open(b'[', b']', "expected an array")?;
        while more {
            each(self)?;
            more = self.past_item(b']', "expected `,` or `]`", "EOF while parsing a list")?;
        }
        Ok(())
    }

    /// [`Scanner::array`], where `null` is an array with nothing in it.
    pub fn array_or_null(
        &mut self,
        each: &mut dyn FnMut(&mut Self) -> Result<(), ScanError>,
    ) -> Result<(), ScanError> {
        if self.null()? {
            Ok(())
        } else {
            self.array(each)
        }
    }

    /// Reads an object, calling `each` with every key; `each` must read or
    /// [`Scanner::skip`] the key's value, and says whether it wants the
    /// members still to come. Those it does not want are stepped over as
    /// [`Scanner::skip`] steps over a value, their keys unread.
    pub fn object(
        &mut self,
        each: &mut dyn FnMut(&mut Self, &str) -> Result<Rest, ScanError>,
    ) -> Result<(), ScanError> {
        let mut more = self.open(b'{', b'}', "expected an object")?;
        while more {
            if self.peek() != Some(b'"') {
                return Err(self.error("key must be a string"));
            }
            // Keys are nearly always plain: they are read without a `Cow`.
            let (start, end, plain) = self.string_span()?;
            self.expect(b':', "expected `:`")?;
            let rest = if plain {
                each(self, self.borrowed(start, end)?)?
            } else {
                each(self, &self.unescaped(start, end)?)?
            };
            if rest == Rest::Skip {
                return self.close_nested();
            }
            more = self.past_item(b'}', "expected `,` or `}`", "EOF while parsing an object")?;
        }
        Ok(())
    }

    /// Steps past the bracket `open` that starts an array or object, and past
    /// `close` too if nothing is inside; whether anything is.
    #[inline(always)]
    fn open(&mut self, open: u8, close: u8, otherwise: &'static str) -> Result<bool, ScanError> {
        self.expect(open, otherwise)?;
        if self.peek() == Some(close) {
            self.at += 1;
            return Ok(false);
        }
        Ok(true)
    }

    /// Steps past what follows an element or member: a comma, before the
    /// next one (`true`), or `close`, which ends the array or object.
    #[inline(always)]
    fn past_item(
        &mut self,
        close: u8,
        otherwise: &'static str,
        at_end: &'static str,
    ) -> Result<bool, ScanError> {
        match self.peek() {
            Some(b',') => {
                self.at += 1;
                Ok(true)
            }
            Some(byte) if byte == close => {
                self.at += 1;
                Ok(false)
            }
            Some(_) => Err(self.error(otherwise)),
            None => Err(self.error(at_end)),
        }
    }

    /// The index of the quote that ends the string whose contents start at
    /// `from`, and whether the string must go through serde_json: it has an
    /// escape, or (with `checked`) a control character.
    fn string_end(&self, from: usize, checked: bool) -> Result<(usize, bool), ScanError> {
        let bytes = self.text.as_bytes();
        let mut at = from;
        let mut plain = true;
        loop {
            // Strings are most of a page: they are searched eight bytes at a
            // time for the next byte that needs a look.
            while let Some(chunk) = bytes.get(at..at + 8) {
                let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
                let found = special_bytes(word, checked);
                if found != 0 {
                    at += (found.trailing_zeros() / 8) as usize;
                    break;
                }
                at += 8;
            }
            match bytes.get(at) {
                Some(b'"') => return Ok((at, plain)),
                Some(b'\\') => {
                    plain = false;
                    at += 2;
                }
                Some(0..0x20) if checked => {
                    plain = false;
                    at += 1;
                }
                Some(_) => at += 1,
                None => return Err(self.error_at(bytes.len(), "EOF while parsing a string")),
            }
        }
    }

    /// Reads a string. One without escapes is borrowed from the text.
    pub fn string(&mut self) -> Result<Cow<'a, str>, ScanError> {
        let (start, end, plain) = self.string_span()?;
        if plain {
            self.borrowed(start, end).map(Cow::Borrowed)
        } else {
            self.unescaped(start, end).map(Cow::Owned)
        }
    }

    /// Steps over the string that comes next: where its quotes are, and
    /// whether it is plain (no escape, no control character).
    #[inline(always)]
    fn string_span(&mut self) -> Result<(usize, usize, bool), ScanError> {
        if self.peek() != Some(b'"') {
            return Err(self.error("invalid type: expected a string"));
        }
        let start = self.at;
        let (end, plain) = self.past_string(true)?;
        Ok((start, end, plain))
    }

    /// Steps past the string whose opening quote is the next byte: where
    /// its closing quote is, and whether it is plain (see
    /// [`Scanner::string_end`]).
    #[inline(always)]
    fn past_string(&mut self, checked: bool) -> Result<(usize, bool), ScanError> {
        let (end, plain) = self.string_end(self.at + 1, checked)?;
        self.at = end + 1;
        Ok((end, plain))
    }

    /// The contents of the plain string quoted at `start` and `end`.
    fn borrowed(&self, start: usize, end: usize) -> Result<&'a str, ScanError> {
        // Both ends are quotes, which no character of more bytes holds.
        self.text
            .get(start + 1..end)
            .ok_or_else(|| self.error_at(start, "a string cut inside a character"))
    }

    /// The string quoted at `start` and `end`, with its escapes decoded.
    fn unescaped(&self, start: usize, end: usize) -> Result<String, ScanError> {
        let quoted = self
            .text
            .get(start..=end)
            .ok_or_else(|| self.error_at(start, "a string cut inside a character"))?;
        serde_json::from_str::<String>(quoted)
            .map_err(|error| self.located(start, serde_kind(&error).into()))
    }

    /// Reads a string, or `null`.
    pub fn string_or_null(&mut self) -> Result<Option<Cow<'a, str>>, ScanError> {
        if self.null()? {
            Ok(None)
        } else {
            self.string().map(Some)
        }
    }

    /// Reads a whole number that fits in an `i64`, or `null`.
    pub fn integer_or_null(&mut self) -> Result<Option<i64>, ScanError> {
        let start = self.at;
        match self.scalar()? {
            "null" => Ok(None),
            number => json_integer(number)
                .map(Some)
                .ok_or_else(|| self.error_at(start, "invalid type: expected an i64")),
        }
    }

    /// Reads `true`, `false` or `null`.
    pub fn bool_or_null(&mut self) -> Result<Option<bool>, ScanError> {
        let start = self.at;
        match self.scalar()? {
            "true" => Ok(Some(true)),
            "false" => Ok(Some(false)),
            "null" => Ok(None),
            _ => Err(self.error_at(start, "invalid type: expected a boolean")),
        }
    }

    /// Reads the next value with serde_json, or `null`: for a value that is
    /// passed on as the text it is, and so must be checked whole.
    pub fn value_or_null<T: Deserialize<'a>>(&mut self) -> Result<Option<T>, ScanError> {
        if self.null()? {
            return Ok(None);
        }
        let start = self.at;
        self.skip()?;
        let text = self
            .text
            .get(start..self.at)
            .ok_or_else(|| self.error_at(start, "a value cut inside a character"))?;
        serde_json::from_str(text)
            .map(Some)
            .map_err(|error| self.located(start, serde_kind(&error).into()))
    }

    /// Consumes `null` if it comes next.
    #[inline(always)]
    fn null(&mut self) -> Result<bool, ScanError> {
        if self.peek() != Some(b'n') {
            return Ok(false);
        }
        let start = self.at;
        match self.scalar()? {
            "null" => Ok(true),
            _ => Err(self.error_at(start, "expected value")),
        }
    }

    /// A number or a literal: the text up to the next delimiter.
    fn scalar(&mut self) -> Result<&'a str, ScanError> {
        if self.peek().is_none() {
            return Err(self.error("EOF while parsing a value"));
        }
        let bytes = self.text.as_bytes();
        let start = self.at;
        while let Some(&byte) = bytes.get(self.at) {
            if matches!(byte, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t') {
                break;
            }
            self.at += 1;
        }
        if self.at == start {
            return Err(self.error("expected value"));
        }
        self.text
            .get(start..self.at)
            .ok_or_else(|| self.error_at(start, "expected value"))
    }

    /// Steps over the next value: a string to its closing quote, an array
    /// or object to the bracket that closes it, anything else to the next
    /// delimiter.
    pub fn skip(&mut self) -> Result<(), ScanError> {
        match self.peek() {
            Some(b'"') => self.past_string(false).map(|_| ()),
            Some(b'[' | b'{') => self.skip_nested(),
            Some(_) => self.scalar().map(|_| ()),
            None => Err(self.error("EOF while parsing a value")),
        }
    }

    /// Steps over an array or object, from its opening bracket (the next
    /// byte) to the bracket that closes it.
    fn skip_nested(&mut self) -> Result<(), ScanError> {
        self.at += 1;
        self.close_nested()
    }

    /// Steps past the bracket that closes the array or object the position
    /// is in.
    fn close_nested(&mut self) -> Result<(), ScanError> {
        let bytes = self.text.as_bytes();
        let mut depth = 1usize;
        while let Some(&byte) = bytes.get(self.at) {
            match byte {
                b'"' => {
                    self.past_string(false)?;
                }
                b'[' | b'{' => {
                    depth += 1;
                    self.at += 1;
                }
                b']' | b'}' => {
                    self.at += 1;
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ => self.at += 1,
            }
        }
        Err(self.error_at(bytes.len(), "EOF while parsing a value"))
    }
}

/// The bytes of `word` (eight bytes, the first lowest) that end a run of
/// plain string text: a quote, a backslash, and with `controls` a control
/// character. The lowest such byte has its high bit set in the result; bits
/// above it may be set falsely, so only the lowest is to be used.
fn special_bytes(word: u64, controls: bool) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let below = |limit: u8| word.wrapping_sub(ONES * u64::from(limit)) & !word & HIGHS;
    let equal = |byte: u8| {
        let zeroed = word ^ (ONES * u64::from(byte));
        zeroed.wrapping_sub(ONES) & !zeroed & HIGHS
    };
    let found = equal(b'"') | equal(b'\\');
    if controls {
        found | below(0x20)
    } else {
        found
    }
}

/// `text` as an integer written as JSON writes one (an optional minus, then
/// digits with no leading zero), if it fits in an `i64`.
fn json_integer(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, text),
    };
    if digits.is_empty() || (digits.len() > 1 && digits.starts_with('0')) {
        return None;
    }
    // Negative numbers are summed downwards, so that `i64::MIN` fits.
    digits.bytes().try_fold(0i64, |sum, byte| {
        let digit = i64::from(byte.checked_sub(b'0').filter(|digit| *digit <= 9)?);
        let sum = sum.checked_mul(10)?;
        if negative {
            sum.checked_sub(digit)
        } else {
            sum.checked_add(digit)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::value::RawValue;

    /// Reads `text` as an object of strings-or-nulls, integers, booleans
    /// and skipped values, as a caller would, into a printable summary.
    fn read(text: &str) -> Result<Vec<String>, String> {
        let mut scan = Scanner::new(text);
        let mut seen = Vec::new();
        scan.object(&mut |scan, key| {
            let value = match key {
                "s" => format!("{:?}", scan.string_or_null()?),
                "i" => format!("{:?}", scan.integer_or_null()?),
                "b" => format!("{:?}", scan.bool_or_null()?),
                "r" => format!(
                    "{:?}",
                    scan.value_or_null::<&RawValue>()?.map(RawValue::get)
                ),
                "a" => {
                    let mut items = Vec::new();
                    scan.array_or_null(&mut |scan| {
                        items.push(scan.string()?.into_owned());
                        Ok(())
                    })?;
                    format!("{items:?}")
                }
                _ => {
                    scan.skip()?;
                    "skipped".to_owned()
                }
            };
            seen.push(format!("{key}={value}"));
            Ok(Rest::Read)
        })
        .and_then(|()| scan.end())
        .map_err(|error| error.to_string())?;
        Ok(seen)
    }

    #[test]
    fn reads_what_is_asked_and_steps_over_the_rest() {
        let text = r#"{ "x": {"a": [1, {"b": "}]\"["}], "c": null},
            "s": "plain", "y": [[], {}, "\\", -1.5e3, true],
            "i": -1707793497506, "b": false, "i": 0, "z": "x", "r": {"k": [1, "]"]} ,
            "a": ["one", "t\u0077o"], "w": null }"#;
        assert_eq!(
            read(text).unwrap(),
            [
                "x=skipped",
                r#"s=Some("plain")"#,
                "y=skipped",
                "i=Some(-1707793497506)",
                "b=Some(false)",
                "i=Some(0)",
                "z=skipped",
                r#"r=Some("{\"k\": [1, \"]\"]}")"#,
                r#"a=["one", "two"]"#,
                "w=skipped",
            ]
        );
    }

    #[test]
    fn strings_are_borrowed_unless_they_have_escapes() {
        let mut scan = Scanner::new(r#"["caf\u00e9 \"pro\"", "café"]"#);
        let mut strings = Vec::new();
        scan.array(&mut |scan| {
            strings.push(scan.string()?);
            Ok(())
        })
        .unwrap();
        assert!(matches!(&strings[0], Cow::Owned(s) if s == "café \"pro\""));
        assert!(matches!(&strings[1], Cow::Borrowed("café")));
    }

    #[test]
    fn quotes_escapes_and_control_characters_are_found_at_any_offset() {
        for before in 0..20 {
            for after in 0..12 {
                let run = |length: usize| "aé".repeat(length / 3) + &"a".repeat(length % 3);
                let (head, tail) = (run(before), run(after));
                let plain = format!(r#""{head}{tail}""#);
                assert_eq!(Scanner::new(&plain).string().unwrap(), head.clone() + &tail);
                let escaped = format!(r#""{head}\"{tail}""#);
                let read = Scanner::new(&escaped).string().unwrap();
                assert_eq!(read, format!("{head}\"{tail}"), "{escaped}");
                let control = format!("\"{head}\u{1}{tail}\"");
                assert!(Scanner::new(&control).string().is_err(), "{control:?}");
                let mut skipped = Scanner::new(&control);
                skipped.skip().unwrap();
                skipped.end().unwrap();
            }
        }
    }

    #[test]
    fn members_after_the_last_wanted_are_stepped_over_unread() {
        let text = r#"[{"a": 1, "b": "}\"]", "c": {"d": [{}, "{"]}, "e": [1, 2]},
            {"z": null, "a": 2}, {"a": 3}]"#;
        let mut scan = Scanner::new(text);
        let mut read = Vec::new();
        scan.array(&mut |scan| {
            scan.object(&mut |scan, key| {
                if key == "a" {
                    read.push(scan.integer_or_null()?);
                    Ok(Rest::Skip)
                } else {
                    scan.skip()?;
                    Ok(Rest::Read)
                }
            })
        })
        .and_then(|()| scan.end())
        .unwrap();
        assert_eq!(read, [Some(1), Some(2), Some(3)]);

        // What is stepped over must still end.
        let mut unended = Scanner::new(r#"{"a": 1, "b": [}"#);
        let error = unended
            .object(&mut |scan, _| scan.integer_or_null().map(|_| Rest::Skip))
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "EOF while parsing a value at line 1 column 17"
        );
    }

    #[test]
    fn nulls_read_as_absent() {
        assert_eq!(
            read(r#"{"s":null,"i":null,"b":null,"r":null,"a":null}"#).unwrap(),
            ["s=None", "i=None", "b=None", "r=None", "a=[]"]
        );
    }

    #[test]
    fn what_is_read_is_checked_as_serde_json_checks_it() {
        for (text, error) in [
            (r#"{"s":7}"#, "invalid type: expected a string at line 1 column 6"),
            (r#"{"s":"a\qb"}"#, "invalid escape at line 1 column 6"),
            ("{\"s\":\"a\tb\"}", "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 6"),
            (r#"{"i":1.5}"#, "invalid type: expected an i64 at line 1 column 6"),
            (r#"{"i":+1}"#, "invalid type: expected an i64 at line 1 column 6"),
            (r#"{"i":01}"#, "invalid type: expected an i64 at line 1 column 6"),
            (r#"{"i":-}"#, "invalid type: expected an i64 at line 1 column 6"),
            (r#"{"i":"1"}"#, "invalid type: expected an i64 at line 1 column 6"),
            (r#"{"i":99999999999999999999}"#, "invalid type: expected an i64 at line 1 column 6"),
            (r#"{"b":1}"#, "invalid type: expected a boolean at line 1 column 6"),
            (r#"{"b":nul}"#, "invalid type: expected a boolean at line 1 column 6"),
            (r#"{"s":nul}"#, "expected value at line 1 column 6"),
            (r#"{"i":}"#, "expected value at line 1 column 6"),
            (r#"{"a":"x"}"#, "expected an array at line 1 column 6"),
            (r#"{"s":"x" "i":1}"#, "expected `,` or `}` at line 1 column 10"),
            (r#"{"s" "x"}"#, "expected `:` at line 1 column 6"),
            (r#"{s:1}"#, "key must be a string at line 1 column 2"),
            ("{\"s\":null}\n x", "trailing characters at line 2 column 2"),
        ] {
            assert_eq!(read(text).unwrap_err(), error, "{text}");
        }
    }

    #[test]
    fn text_cut_anywhere_is_an_error_and_never_a_panic() {
        let text = r#"{"s":"caf\u00e9","x":{"a":["]",{"b":"\""}]},"i":-12,"b":true,"r":{"k":"é"},"a":["y"]}"#;
        assert!(read(text).is_ok());
        for end in 0..text.len() {
            if let Some(cut) = text.get(..end) {
                assert!(read(cut).is_err(), "{cut}");
            }
        }
    }
}
