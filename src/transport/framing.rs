//! How the answer to a POST is written, as the client's `Accept` admits:
//! one `application/json` body, or a `text/event-stream` of one event
//! (MCP 2025-03-26 and later, Transports: Streamable HTTP). The server
//! opens no streams of its own, so an event stream is always this one
//! event long.

use http::header::ACCEPT;
use http::{HeaderMap, Response, StatusCode};
use serde::Serialize;

use super::responses::bytes_response;

/// How the answer to a POST is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnswerFormat {
    /// One `application/json` body: what every client that admits JSON gets.
    Json,
    /// A `text/event-stream` of one event, for a client that admits only
    /// event streams.
    EventStream,
}

/// Picks the answer format from `Accept`, or `None` when it admits neither
/// JSON nor event streams. A missing `Accept` admits anything (RFC 9110,
/// 12.5.1); a range with `q=0` admits nothing.
pub fn answer_format(headers: &HeaderMap) -> Option<AnswerFormat> {
    let (mut any, mut json, mut event_stream) = (false, false, false);
    for (media_range, weight) in media_ranges(headers) {
        any = true;
        if weight == Some(0) {
            continue;
        }
        match media_range.as_str() {
            "*/*" => (json, event_stream) = (true, true),
            "application/*" | "application/json" => json = true,
            "text/*" | "text/event-stream" => event_stream = true,
            _ => {}
        }
    }
    if json || !any {
        Some(AnswerFormat::Json)
    } else if event_stream {
        Some(AnswerFormat::EventStream)
    } else {
        None
    }
}

/// Each media range `Accept` lists, in lower case, with its weight in
/// thousandths: 1000 when it gives none, `None` when its `q` cannot be read.
pub fn media_ranges(headers: &HeaderMap) -> impl Iterator<Item = (String, Option<u16>)> + '_ {
    headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|range| {
            let mut parts = range.split(';');
            let media_range = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let weight = parts
                .filter_map(|param| param.split_once('='))
                .find(|(name, _)| name.trim().eq_ignore_ascii_case("q"))
                .map_or(Some(1000), |(_, value)| weight(value.trim()));
            (media_range, weight)
        })
}

/// A `q` weight in thousandths (RFC 9110, 12.4.2: `qvalue = ( "0" [ "."
/// 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`), or `None` when it is not
/// one. Read by hand: parsing it as a float would bring in float parsing
/// for this one test.
fn weight(value: &str) -> Option<u16> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|digit| digit.is_ascii_digit()) {
        return None;
    }
    let thousandths = fraction
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3)
        .fold(0, |number, digit| number * 10 + u16::from(digit - b'0'));
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// Writes JSON-RPC answers in the format the client admits, into one buffer
/// sized for `size_hint` bytes of JSON, so that a large answer is not copied
/// from buffer to buffer as it grows.
pub fn answer<T: Serialize>(
    status: StatusCode,
    message: &T,
    format: AnswerFormat,
    size_hint: usize,
) -> Response<Vec<u8>> {
    const EVENT_START: &[u8] = b"event: message\ndata: ";
    const EVENT_END: &[u8] = b"\n\n";
    let mut body = Vec::with_capacity(size_hint + EVENT_START.len() + EVENT_END.len());
    if format == AnswerFormat::EventStream {
        body.extend_from_slice(EVENT_START);
    }
    let start = body.len();
    if serde_json::to_writer(&mut body, message).is_err() {
        body.truncate(start);
    }
    match format {
        AnswerFormat::Json => bytes_response(status, "application/json", body),
        AnswerFormat::EventStream => {
            body.extend_from_slice(EVENT_END);
            bytes_response(status, "text/event-stream", body)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, http::HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn accept_picks_json_when_admitted_and_events_otherwise() {
        let both = headers(&[("accept", "application/json, text/event-stream")]);
        assert_eq!(answer_format(&both), Some(AnswerFormat::Json));
        let events = headers(&[("accept", "text/event-stream")]);
        assert_eq!(answer_format(&events), Some(AnswerFormat::EventStream));
        assert_eq!(answer_format(&headers(&[])), Some(AnswerFormat::Json));
        assert_eq!(
            answer_format(&headers(&[("accept", "*/*")])),
            Some(AnswerFormat::Json)
        );
    }

    #[test]
    fn accept_that_refuses_json_with_q_zero_is_honoured() {
        let refused = headers(&[("accept", "application/json;q=0, text/html")]);
        assert_eq!(answer_format(&refused), None);
        assert_eq!(answer_format(&headers(&[("accept", "text/html")])), None);
    }

    #[test]
    fn weights_are_read_as_rfc_9110_writes_them() {
        for zero in ["0", "0.", "0.0", "0.000"] {
            assert_eq!(weight(zero), Some(0), "{zero}");
        }
        assert_eq!(weight("0.5"), Some(500));
        assert_eq!(weight("0.001"), Some(1));
        assert_eq!(weight("1.000"), Some(1000));
        for unreadable in ["0.0000", "", "zero", "-0", "1.5", "2"] {
            assert_eq!(weight(unreadable), None, "{unreadable}");
        }
        let weighted = headers(&[("accept", "application/json;q=0.001")]);
        assert_eq!(answer_format(&weighted), Some(AnswerFormat::Json));
    }
}
