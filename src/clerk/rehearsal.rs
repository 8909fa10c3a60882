//! A dry run of a tool: its reads reach Clerk, its writes are held back
//! and written down instead.
//!
//! Every write tool sends one write, after any reads it needs. Run through a
//! [`Rehearsal`], the tool reads what it would read, and its write comes
//! back as "not sent" while the rehearsal keeps the request: the method,
//! the path and the body exactly as they would have gone to Clerk. A
//! preview shows them from here, so what it shows cannot drift from what
//! the tool does.

use std::cell::RefCell;
use std::time::Duration;

use futures::future::LocalBoxFuture;
use http::{Method, Request, Response};
use serde::Serialize;
use serde_json::{Map, Value};

use super::{HttpSend, SendError, SendFailure};

/// Sends reads through another [`HttpSend`], and keeps writes back.
pub struct Rehearsal<'a> {
    inner: &'a dyn HttpSend,
    held: RefCell<Vec<HeldRequest>>,
}

/// A request a rehearsal kept back, as a person may read it: no headers (the
/// key travels in one), and any password in the body masked.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HeldRequest {
    pub method: String,
    /// The path from `/v1` on, with its query string.
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
}

/// What a masked value reads as.
const MASK: &str = "(hidden)";

impl<'a> Rehearsal<'a> {
    pub fn new(inner: &'a dyn HttpSend) -> Self {
        Rehearsal {
            inner,
            held: RefCell::new(Vec::new()),
        }
    }

    /// The writes held back, in the order they were tried.
    pub fn into_held(self) -> Vec<HeldRequest> {
        self.held.into_inner()
    }
}

impl HttpSend for Rehearsal<'_> {
    fn send(
        &self,
        request: Request<Vec<u8>>,
    ) -> LocalBoxFuture<'_, Result<Response<Vec<u8>>, SendError>> {
        if request.method() == Method::GET {
            return self.inner.send(request);
        }
        self.held.borrow_mut().push(HeldRequest::of(&request));
        Box::pin(async {
            Err(SendError::new(
                SendFailure::HeldBack,
                "this was a preview, which changes nothing",
            ))
        })
    }

    fn wait(&self, duration: Duration) -> LocalBoxFuture<'_, ()> {
        self.inner.wait(duration)
    }

    fn now_ms(&self) -> Option<u64> {
        self.inner.now_ms()
    }
}

impl HeldRequest {
    fn of(request: &Request<Vec<u8>>) -> Self {
        let uri = request.uri();
        let path = uri
            .path_and_query()
            .map_or_else(|| uri.path().to_owned(), |path| path.as_str().to_owned());
        let body = (!request.body().is_empty()).then(|| {
            let mut body =
                serde_json::from_slice(request.body()).unwrap_or(Value::String(MASK.into()));
            mask_passwords(&mut body);
            body
        });
        HeldRequest {
            method: request.method().as_str().to_owned(),
            path,
            body,
        }
    }
}

/// Masks every value whose key names a password, at any depth.
fn mask_passwords(value: &mut Value) {
    match value {
        Value::Object(object) => mask_in(object),
        Value::Array(items) => items.iter_mut().for_each(mask_passwords),
        _ => {}
    }
}

fn mask_in(object: &mut Map<String, Value>) {
    for (key, value) in object.iter_mut() {
        if key.to_ascii_lowercase().contains("password") && !value.is_boolean() {
            *value = Value::String(MASK.into());
        } else {
            mask_passwords(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_masked_at_any_depth_and_flags_kept() {
        let mut body = serde_json::json!({
            "password": "hunter2",
            "skip_password_requirement": true,
            "nested": [{"new_password": "s3cret"}],
            "name": "Ada"
        });
        mask_passwords(&mut body);
        assert_eq!(
            body,
            serde_json::json!({
                "password": MASK,
                "skip_password_requirement": true,
                "nested": [{"new_password": MASK}],
                "name": "Ada"
            })
        );
    }
}
