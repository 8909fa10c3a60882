//! What can go wrong with a Clerk call, read from Clerk's answer.
//!
//! Clerk reports failures as `{"errors":[{"message","long_message","code",
//! "meta":{"param_name"}}],"clerk_trace_id"}` with a 4xx or 5xx status, and a
//! 429 carries `Retry-After` in seconds (HTTP also allows a date, which a
//! proxy in front of Clerk might send). An answer in any other shape (an HTML
//! page from a proxy, a truncated body) is still an error with its status; its
//! body is described, never quoted, since nothing guarantees what it holds.

use serde_json::Value;
use std::fmt;

use http::header::{CONTENT_TYPE, RETRY_AFTER};
use http::Response;

use super::{Misread, Object, SecretKey, SendError, SendFailure, Wire};

/// A failed Clerk call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClerkError {
    /// Clerk answered with a status other than 2xx.
    Api(ApiError),
    /// No answer came back (connection refused, DNS failure, ...).
    Unreachable(SendError),
    /// A 2xx answer whose body is not what the spec promises.
    UnexpectedBody { status: u16, detail: String },
}

/// A non-2xx answer from Clerk.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    /// The entries of Clerk's `errors` array, when the body had one.
    pub errors: Vec<ErrorDetail>,
    pub trace_id: Option<String>,
    /// `Retry-After`, when the answer had one in either of HTTP's forms.
    pub retry_after: Option<RetryAfter>,
    /// Set when the body was not Clerk's error format: what it was instead.
    pub unreadable_body: Option<String>,
}

/// When to try again, as `Retry-After` said it: `17 seconds` for a number
/// of seconds (what Clerk sends), or an HTTP date as written
/// (`Wed, 21 Oct 2015 07:28:00 GMT`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryAfter(Box<str>);

/// How [`RetryAfter`] writes a number of seconds after the number.
const SECONDS: &str = " seconds";

impl RetryAfter {
    /// Reads either form. Anything else is ignored rather than quoted:
    /// the header may come from whatever answered in Clerk's place.
    fn parse(value: &str) -> Option<RetryAfter> {
        let value = value.trim();
        if let Ok(seconds) = value.parse::<u64>() {
            return Some(RetryAfter(format!("{seconds}{SECONDS}").into()));
        }
        is_http_date(value).then(|| RetryAfter(value.into()))
    }

    /// How many seconds to wait, when the header gave a number of them
    /// rather than a date (which only a clock could turn into a wait).
    pub fn seconds(&self) -> Option<u64> {
        self.0.strip_suffix(SECONDS)?.parse().ok()
    }
}

impl fmt::Display for RetryAfter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether `value` has the shape of an HTTP date in its preferred form
/// (RFC 9110's IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`): letters where
/// the day and month names go, digits where the numbers go, and the rest
/// exactly as in the template.
fn is_http_date(value: &str) -> bool {
    const TEMPLATE: &[u8] = b"Aaa, 00 Aaa 0000 00:00:00 GMT";
    value.len() == TEMPLATE.len()
        && value
            .bytes()
            .zip(TEMPLATE)
            .all(|(byte, &expected)| match expected {
                b'A' => byte.is_ascii_uppercase(),
                b'a' => byte.is_ascii_lowercase(),
                b'0' => byte.is_ascii_digit(),
                _ => byte == expected,
            })
}

/// One entry of Clerk's `errors` array.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    pub long_message: Option<String>,
    pub meta: Option<ErrorMeta>,
}

impl Wire for ErrorDetail {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut detail = Object::new(value)?;
        Ok(ErrorDetail {
            code: detail.or_default("code"),
            message: detail.or_default("message"),
            long_message: detail.take("long_message"),
            meta: detail.take("meta"),
        })
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorMeta {
    pub param_name: Option<String>,
}

impl Wire for ErrorMeta {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut meta = Object::new(value)?;
        Ok(ErrorMeta {
            param_name: meta.take("param_name"),
        })
    }
}

struct ErrorBody {
    errors: Vec<ErrorDetail>,
    clerk_trace_id: Option<String>,
}

impl Wire for ErrorBody {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut body = Object::new(value)?;
        Ok(ErrorBody {
            errors: body.required("errors")?,
            clerk_trace_id: body.take("clerk_trace_id"),
        })
    }
}

impl ClerkError {
    /// Reads a non-2xx answer.
    pub(super) fn from_error_response(response: &Response<Vec<u8>>) -> Self {
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(RetryAfter::parse);
        let mut error = ApiError {
            status: response.status().as_u16(),
            retry_after,
            ..ApiError::default()
        };
        let body = crate::json::from_bytes::<Value>(response.body())
            .ok()
            .and_then(|body| ErrorBody::read(body).ok());
        match body {
            Some(body) => {
                error.errors = body.errors;
                error.trace_id = body.clerk_trace_id;
            }
            None => {
                let content_type = response
                    .headers()
                    .get(CONTENT_TYPE)
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or("no content type");
                error.unreadable_body = Some(format!(
                    "a body that is not Clerk's error format ({content_type}, {} bytes)",
                    response.body().len()
                ));
            }
        }
        ClerkError::Api(error)
    }

    /// Replaces every occurrence of `key` in the texts this error carries
    /// with its prefix, so that an answer that quotes the key (a misbehaving
    /// proxy, say) cannot carry it on to a client.
    pub(super) fn without_key(self, key: &SecretKey) -> Self {
        self.without_secret(key.expose(), &key.to_string())
    }

    /// Replaces every occurrence of `secret` in the texts this error carries
    /// with `shown_as`: for a value sent to Clerk that must never come back
    /// to a client, such as a new user's password.
    pub(super) fn without_secret(mut self, secret: &str, shown_as: &str) -> Self {
        if secret.is_empty() {
            return self;
        }
        let scrub = |text: &mut String| {
            if text.contains(secret) {
                *text = text.replace(secret, shown_as);
            }
        };
        match &mut self {
            ClerkError::Api(error) => {
                for detail in &mut error.errors {
                    scrub(&mut detail.code);
                    scrub(&mut detail.message);
                    if let Some(long_message) = &mut detail.long_message {
                        scrub(long_message);
                    }
                    if let Some(param) = detail.meta.as_mut().and_then(|m| m.param_name.as_mut()) {
                        scrub(param);
                    }
                }
                if let Some(trace_id) = &mut error.trace_id {
                    scrub(trace_id);
                }
            }
            ClerkError::Unreachable(error) => scrub(&mut error.message),
            ClerkError::UnexpectedBody { detail, .. } => scrub(detail),
        }
        self
    }

    /// Whether trying the same read again may well succeed: a 502 or 503
    /// from Clerk or its proxies, or a connection that could not be made.
    pub fn is_transient(&self) -> bool {
        match self {
            ClerkError::Api(error) => matches!(error.status, 502 | 503),
            ClerkError::Unreachable(error) => matches!(
                error.failure,
                SendFailure::Unreachable | SendFailure::Interrupted
            ),
            ClerkError::UnexpectedBody { .. } => false,
        }
    }

    /// For a 429, Clerk's rate limit: `Some` with the `Retry-After` it gave,
    /// if it gave one; `None` for any other error.
    pub fn rate_limited(&self) -> Option<Option<&RetryAfter>> {
        match self {
            ClerkError::Api(error) if error.status == 429 => Some(error.retry_after.as_ref()),
            _ => None,
        }
    }

    /// The HTTP status Clerk answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClerkError::Api(error) => Some(error.status),
            ClerkError::UnexpectedBody { status, .. } => Some(*status),
            ClerkError::Unreachable(_) => None,
        }
    }
}

impl fmt::Display for ClerkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClerkError::Api(error) => error.fmt(f),
            ClerkError::Unreachable(error) => match error.failure {
                SendFailure::Unreachable => write!(
                    f,
                    "Clerk could not be reached: {}. If this call was to change something, it \
                     may or may not have happened: check before trying again",
                    error.message.trim_end_matches('.')
                ),
                SendFailure::Interrupted => write!(
                    f,
                    "Clerk's answer broke off: {}. If this call was to change something, it \
                     may or may not have happened: check before trying again",
                    error.message.trim_end_matches('.')
                ),
                SendFailure::TimedOut => write!(
                    f,
                    "Clerk did not answer in time: {}. Nothing is known of the outcome; for a \
                     change, check its result before trying again",
                    error.message
                ),
                SendFailure::TooLarge => {
                    write!(f, "Clerk's answer was too large to read: {}", error.message)
                }
                SendFailure::HeldBack => write!(f, "Not sent to Clerk: {}", error.message),
            },
            ClerkError::UnexpectedBody { status, detail } => write!(
                f,
                "Clerk answered HTTP {status} with a body this server could not read: {detail}"
            ),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Clerk answered HTTP {}", self.status)?;
        for (index, detail) in self.errors.iter().enumerate() {
            f.write_str(if index == 0 { ": " } else { "; " })?;
            if !detail.code.is_empty() {
                write!(f, "[{}] ", detail.code)?;
            }
            let text = detail
                .long_message
                .as_deref()
                .filter(|text| !text.is_empty())
                .unwrap_or(&detail.message);
            f.write_str(text)?;
            if let Some(param) = detail.meta.as_ref().and_then(|m| m.param_name.as_deref()) {
                write!(f, " (parameter: {param})")?;
            }
        }
        if let Some(body) = &self.unreadable_body {
            write!(f, " with {body}")?;
        }
        if let Some(retry_after) = &self.retry_after {
            write!(f, ". Rate limited: retry after {retry_after}")?;
        }
        if let Some(trace_id) = &self.trace_id {
            write!(f, " (Clerk trace ID {trace_id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ClerkError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> Response<Vec<u8>> {
        let mut builder = Response::builder().status(status);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder
            .body(body.as_bytes().to_vec())
            .expect("valid test response")
    }

    #[test]
    fn clerk_error_names_status_code_long_message_and_param() {
        let response = answer(
            422,
            &[("content-type", "application/json")],
            r#"{"errors":[{"message":"is invalid","long_message":"limit must be at most 500","code":"form_param_value_invalid","meta":{"param_name":"limit"}}],"clerk_trace_id":"trace_1"}"#,
        );
        let message = ClerkError::from_error_response(&response).to_string();
        assert_eq!(
            message,
            "Clerk answered HTTP 422: [form_param_value_invalid] limit must be at most 500 \
             (parameter: limit) (Clerk trace ID trace_1)"
        );
    }

    #[test]
    fn rate_limit_error_carries_retry_after() {
        let response = answer(
            429,
            &[("retry-after", "17")],
            r#"{"errors":[{"message":"Too many requests","code":"too_many_requests"}]}"#,
        );
        let error = ClerkError::from_error_response(&response);
        assert!(error
            .to_string()
            .ends_with("Rate limited: retry after 17 seconds"));
        let retry_after = error.rate_limited().flatten().expect("a Retry-After");
        assert_eq!(retry_after.seconds(), Some(17));
    }

    #[test]
    fn rate_limit_error_carries_a_retry_after_date_and_ignores_other_text() {
        let rate_limited = |retry_after: &str| {
            ClerkError::from_error_response(&answer(
                429,
                &[("retry-after", retry_after)],
                r#"{"errors":[{"message":"Too many requests","code":"too_many_requests"}]}"#,
            ))
            .to_string()
        };
        assert!(rate_limited("Wed, 21 Oct 2015 07:28:00 GMT")
            .ends_with("Rate limited: retry after Wed, 21 Oct 2015 07:28:00 GMT"));
        let dated = ClerkError::from_error_response(&answer(
            429,
            &[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")],
            "{}",
        ));
        let retry_after = dated.rate_limited().flatten().expect("a Retry-After");
        assert_eq!(retry_after.seconds(), None);
        for other in [
            "soon",
            "Wed, 21 Oct 2015 07:28:00 UTC",
            "Wed 21 Oct 2015 07:28:00 GMT",
            "Wed, 21 Oct 2015 7:28:00 GMT",
            "WED, 21 Oct 2015 07:28:00 GMT",
            "Wed, 21 Oct 2015 07:28:00 GMT <script>",
            "-5",
        ] {
            let message = rate_limited(other);
            assert!(!message.contains("retry after"), "{other}: {message}");
            assert!(message.contains("too_many_requests"), "{message}");
        }
    }

    #[test]
    fn key_quoted_in_an_answer_is_reduced_to_its_prefix() {
        let key = SecretKey::parse(
            "sk_test_0123456789abcdef",
            super::super::KeySource::ServerSecret,
        )
        .expect("valid key");
        let response = answer(
            401,
            &[],
            r#"{"errors":[{"message":"bad","long_message":"key sk_test_0123456789abcdef is invalid","code":"authentication_invalid"}]}"#,
        );
        let message = ClerkError::from_error_response(&response)
            .without_key(&key)
            .to_string();
        assert!(message.contains("key sk_test_… is invalid"), "{message}");
        assert!(!message.contains("0123456789abcdef"));
    }

    #[test]
    fn secret_quoted_in_an_answer_is_replaced_and_an_empty_one_changes_nothing() {
        let response = answer(
            422,
            &[],
            r#"{"errors":[{"message":"bad","long_message":"password Tr0ub4dor&3 was pwned","code":"form_password_pwned","meta":{"param_name":"Tr0ub4dor&3"}}]}"#,
        );
        let error = ClerkError::from_error_response(&response);
        let message = error
            .clone()
            .without_secret("Tr0ub4dor&3", "[password]")
            .to_string();
        assert!(
            message.contains("password [password] was pwned"),
            "{message}"
        );
        assert!(!message.contains("Tr0ub4dor"), "{message}");
        assert_eq!(error.clone().without_secret("", "[password]"), error);
    }

    #[test]
    fn html_error_page_is_described_not_quoted() {
        let response = answer(
            502,
            &[("content-type", "text/html")],
            "<html>Bad gateway</html>",
        );
        let message = ClerkError::from_error_response(&response).to_string();
        assert_eq!(
            message,
            "Clerk answered HTTP 502 with a body that is not Clerk's error format (text/html, 24 bytes)"
        );
    }
}
