//! The Workers runtime edge: the only module that names the `worker` crate,
//! compiled for `wasm32` alone.
//!
//! It turns a `worker::Request` into an [`http::Request`], reads the
//! environment into a [`Config`], sends Clerk calls with the Workers `fetch`
//! ([`WorkerFetch`]), brings the clock and WebCrypto to token checks
//! ([`WebCrypto`]), keeps the isolate's [`IsolateCache`], and turns the
//! core's [`http::Response`] back into a `worker::Response`. Everything it
//! hands over is plain data; no decision about the protocol is made here.

use std::time::Duration;

use futures::future::{select, Either, LocalBoxFuture};
use futures::StreamExt;
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};
use worker::{
    event, AbortController, AbortSignal, Context, Delay, Env, Fetch, Headers, Method, RequestInit,
    RequestRedirect,
};

use crate::clerk::{HttpSend, SendError, SendFailure};
use crate::config::Config;
use crate::oauth::{IsolateCache, Platform, RsaKey};
use crate::transport::{self, BodyError, RequestBody, Runtime};

thread_local! {
    /// The memory an isolate keeps between requests. Leaked once per
    /// isolate, so that a request may hold it across `await`s; every borrow
    /// inside it is short (see [`IsolateCache`]).
    static CACHE: &'static IsolateCache = Box::leak(Box::new(IsolateCache::new()));
}

#[event(fetch)]
async fn fetch(
    mut request: worker::Request,
    env: Env,
    _context: Context,
) -> worker::Result<worker::Response> {
    let config = match Config::from_lookup(|name| env.var(name).ok().map(|value| value.to_string()))
    {
        Ok(config) => config,
        Err(error) => return to_worker_response(transport::misconfigured(&error)),
    };
    let body = WorkerBody(request.stream().ok());
    let clerk = WorkerFetch {
        timeout: config.clerk_timeout,
    };
    let runtime = Runtime {
        http: &clerk,
        platform: &WebCrypto,
        cache: CACHE.with(|cache| *cache),
    };
    let response = match to_http_request(&request, body) {
        Some(request) => transport::handle(request, &config, &runtime).await,
        None => transport::unreadable_request(),
    };
    to_worker_response(response)
}

/// The body stream of an incoming request (`None` when it has none).
struct WorkerBody(Option<worker::ByteStream>);

impl RequestBody for WorkerBody {
    async fn read_limited(self, limit: usize) -> Result<Vec<u8>, BodyError> {
        let Some(mut stream) = self.0 else {
            return Ok(Vec::new());
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|error| BodyError::Unreadable(error.to_string()))?;
            if bytes.len() + chunk.len() > limit {
                return Err(BodyError::TooLarge);
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }
}

/// Copies method, URL and headers; `None` if the runtime handed over
/// something `http` cannot represent.
fn to_http_request(
    request: &worker::Request,
    body: WorkerBody,
) -> Option<http::Request<WorkerBody>> {
    let mut builder = http::Request::builder()
        .method(request.method().as_ref())
        .uri(request.inner().url());
    for (name, value) in request.headers().entries() {
        builder = builder.header(name, value);
    }
    builder.body(body).ok()
}

fn to_worker_response(response: http::Response<Vec<u8>>) -> worker::Result<worker::Response> {
    let (parts, body) = response.into_parts();
    let headers = Headers::new();
    for (name, value) in &parts.headers {
        if let Ok(value) = value.to_str() {
            headers.append(name.as_str(), value)?;
        }
    }
    let response = if body.is_empty() {
        worker::Response::empty()?
    } else {
        worker::Response::from_bytes(body)?
    };
    Ok(response
        .with_status(parts.status.as_u16())
        .with_headers(headers))
}

/// The largest Clerk answer read: a page of 500 full users is well under it.
const MAX_ANSWER_BYTES: usize = 8 << 20;

/// Sends Clerk requests with the Workers `fetch`, each bounded by a timeout.
struct WorkerFetch {
    timeout: Duration,
}

impl HttpSend for WorkerFetch {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> LocalBoxFuture<'_, Result<http::Response<Vec<u8>>, SendError>> {
        Box::pin(async move {
            let controller = AbortController::default();
            let exchange = Box::pin(send_with_fetch(request, controller.signal()));
            let deadline = Delay::from(self.timeout);
            match select(exchange, deadline).await {
                Either::Left((outcome, _)) => outcome,
                Either::Right(((), _)) => {
                    controller.abort();
                    Err(SendError::new(
                        SendFailure::TimedOut,
                        format!("no answer within {} ms", self.timeout.as_millis()),
                    ))
                }
            }
        })
    }

    fn wait(&self, duration: Duration) -> LocalBoxFuture<'_, ()> {
        Box::pin(Delay::from(duration))
    }
}

/// One exchange: the request out, the whole answer (up to
/// [`MAX_ANSWER_BYTES`]) back.
async fn send_with_fetch(
    request: http::Request<Vec<u8>>,
    signal: AbortSignal,
) -> Result<http::Response<Vec<u8>>, SendError> {
    let unreachable =
        |error: worker::Error| SendError::new(SendFailure::Unreachable, error.to_string());
    let (parts, body) = request.into_parts();
    let headers = Headers::new();
    for (name, value) in &parts.headers {
        if let Ok(value) = value.to_str() {
            headers.append(name.as_str(), value).map_err(unreachable)?;
        }
    }
    let mut init = RequestInit::new();
    // A redirect is answered as the 3xx it is: the key is meant for Clerk
    // alone, and an answer from elsewhere would not be Clerk's.
    init.with_method(Method::from(parts.method.to_string()))
        .with_headers(headers)
        .with_redirect(RequestRedirect::Manual);
    if !body.is_empty() {
        let bytes = worker::js_sys::Uint8Array::from(body.as_slice());
        init.with_body(Some(JsValue::from(bytes)));
    }
    let outbound =
        worker::Request::new_with_init(&parts.uri.to_string(), &init).map_err(unreachable)?;
    let mut answer = Fetch::Request(outbound)
        .send_with_signal(&signal)
        .await
        .map_err(unreachable)?;
    let mut builder = http::Response::builder().status(answer.status_code());
    for (name, value) in answer.headers().entries() {
        builder = builder.header(name, value);
    }
    let bytes = read_answer(&mut answer).await?;
    builder
        .body(bytes)
        .map_err(|error| SendError::new(SendFailure::Unreachable, error.to_string()))
}

/// Reads an answer's body chunk by chunk, giving up past [`MAX_ANSWER_BYTES`].
async fn read_answer(answer: &mut worker::Response) -> Result<Vec<u8>, SendError> {
    let too_large = || {
        SendError::new(
            SendFailure::TooLarge,
            format!("the answer is over {MAX_ANSWER_BYTES} bytes"),
        )
    };
    let declared = answer
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|length| length.parse::<usize>().ok());
    if declared.is_some_and(|length| length > MAX_ANSWER_BYTES) {
        return Err(too_large());
    }
    let Ok(mut stream) = answer.stream() else {
        return Ok(Vec::new());
    };
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk =
            chunk.map_err(|error| SendError::new(SendFailure::Interrupted, error.to_string()))?;
        if bytes.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// The runtime's clock and WebCrypto (`crypto.subtle`).
struct WebCrypto;

impl WebCrypto {
    fn subtle() -> Result<SubtleCrypto, String> {
        let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto"))
            .map_err(|_| "no crypto in this runtime".to_owned())?;
        let subtle = Reflect::get(&crypto, &JsValue::from_str("subtle"))
            .map_err(|_| "no crypto.subtle in this runtime".to_owned())?;
        Ok(subtle.unchecked_into())
    }
}

/// A WebCrypto failure, in words that hold no key or token.
fn crypto_error(doing: &str, error: &JsValue) -> String {
    let name = Reflect::get(error, &JsValue::from_str("name"))
        .ok()
        .and_then(|name| name.as_string())
        .unwrap_or_else(|| "Error".to_owned());
    format!("{doing} failed ({name})")
}

/// A plain JS object with the given string properties.
fn object(entries: &[(&str, &str)]) -> Result<Object, String> {
    let object = Object::new();
    for (name, value) in entries {
        Reflect::set(&object, &JsValue::from_str(name), &JsValue::from_str(value))
            .map_err(|_| "a JS object could not be built".to_owned())?;
    }
    Ok(object)
}

impl Platform for WebCrypto {
    fn now(&self) -> u64 {
        (js_sys::Date::now() / 1000.0) as u64
    }

    fn sha256<'a>(&'a self, data: &'a [u8]) -> LocalBoxFuture<'a, Result<[u8; 32], String>> {
        Box::pin(async move {
            let promise = WebCrypto::subtle()?
                .digest_with_str_and_u8_array("SHA-256", data)
                .map_err(|error| crypto_error("SHA-256", &error))?;
            let digest = JsFuture::from(promise)
                .await
                .map_err(|error| crypto_error("SHA-256", &error))?;
            let bytes = Uint8Array::new(&digest).to_vec();
            bytes
                .try_into()
                .map_err(|_| "SHA-256 gave a digest of another length".to_owned())
        })
    }

    fn verify_rs256<'a>(
        &'a self,
        key: &'a RsaKey,
        message: &'a [u8],
        signature: &'a [u8],
    ) -> LocalBoxFuture<'a, Result<bool, String>> {
        Box::pin(async move {
            let subtle = WebCrypto::subtle()?;
            let jwk = object(&[
                ("kty", "RSA"),
                ("n", &key.n),
                ("e", &key.e),
                ("alg", "RS256"),
            ])?;
            let algorithm = object(&[("name", "RSASSA-PKCS1-v1_5"), ("hash", "SHA-256")])?;
            let usages = Array::of1(&JsValue::from_str("verify"));
            let import = subtle
                .import_key_with_object("jwk", &jwk, &algorithm, false, &usages)
                .map_err(|error| crypto_error("importing the signing key", &error))?;
            let crypto_key: CryptoKey = JsFuture::from(import)
                .await
                .map_err(|error| crypto_error("importing the signing key", &error))?
                .unchecked_into();
            let verify = subtle
                .verify_with_object_and_js_u8_array_and_js_u8_array(
                    &algorithm,
                    &crypto_key,
                    &Uint8Array::from(signature),
                    &Uint8Array::from(message),
                )
                .map_err(|error| crypto_error("verifying the signature", &error))?;
            let outcome = JsFuture::from(verify)
                .await
                .map_err(|error| crypto_error("verifying the signature", &error))?;
            Ok(outcome.as_bool().unwrap_or(false))
        })
    }
}
