//! The Workers runtime edge: the only module that names the `worker` crate
//! and the runtime's JS types, compiled for `wasm32` alone.
//!
//! It turns the runtime's `Request` into an [`http::Request`], reads the
//! environment into a [`Config`] once per isolate, sends Clerk calls with
//! the Workers `fetch` ([`WorkerFetch`]), brings the clock and WebCrypto to
//! token checks and the audit trail, writes the trail's lines with
//! `console.log` ([`WebCrypto`]), keeps the isolate's [`IsolateCache`], and
//! turns the core's [`http::Response`] back into the runtime's `Response`.
//! Everything it hands over is plain data; no decision about the protocol
//! is made here.

use std::cell::OnceCell;
use std::time::Duration;

use futures::future::LocalBoxFuture;
use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortSignal, CryptoKey, ReadableStream, ReadableStreamDefaultReader, ReadableStreamReadResult,
    RequestInit, RequestRedirect, ResponseInit, SubtleCrypto, WorkerGlobalScope,
};
use worker::{event, Context, Delay, Env};

use crate::clerk::{HttpSend, SendError, SendFailure, ANSWER_HEADERS};
use crate::config::{Config, ConfigError};
use crate::oauth::{IsolateCache, Platform, RsaKey};
use crate::transport::{self, BodyError, RequestBody, Runtime};

thread_local! {
    /// The memory an isolate keeps between requests. Leaked once per
    /// isolate, so that a request may hold it across `await`s; every borrow
    /// inside it is short (see [`IsolateCache`]).
    static CACHE: &'static IsolateCache = Box::leak(Box::new(IsolateCache::new()));

    /// The configuration, read from the environment on an isolate's first
    /// request: a Worker's variables and secrets are fixed for the life of
    /// its isolates, and reading a dozen of them costs every request.
    static CONFIG: OnceCell<&'static Result<Config, ConfigError>> = const { OnceCell::new() };
}

#[event(fetch)]
async fn fetch(
    request: web_sys::Request,
    env: Env,
    _context: Context,
) -> worker::Result<web_sys::Response> {
    let config = match isolate_config(&env) {
        Ok(config) => config,
        Err(error) => return to_js_response(transport::misconfigured(error)),
    };
    let clerk = WorkerFetch {
        timeout: config.clerk_timeout,
    };
    let runtime = Runtime {
        http: &clerk,
        platform: &WebCrypto,
        cache: CACHE.with(|cache| *cache),
    };
    let response = match to_http_request(&request) {
        Some(request) => transport::handle(request, config, &runtime).await,
        None => transport::unreadable_request(),
    };
    to_js_response(response)
}

fn isolate_config(env: &Env) -> &'static Result<Config, ConfigError> {
    CONFIG.with(|config| {
        *config.get_or_init(|| {
            let read =
                Config::from_lookup(|name| env.var(name).ok().map(|value| value.to_string()));
            Box::leak(Box::new(read))
        })
    })
}

/// The body of an incoming request, read from the runtime's request, with
/// the length its headers declare.
struct WorkerBody<'a> {
    request: &'a web_sys::Request,
    declared: Option<usize>,
}

impl RequestBody for WorkerBody<'_> {
    async fn read_limited(self, limit: usize) -> Result<Vec<u8>, BodyError> {
        read_body(self.request, self.declared, limit)
            .await
            .map_err(|failure| match failure {
                ReadFailure::TooLarge => BodyError::TooLarge,
                ReadFailure::Broken(error) => BodyError::Unreadable(js_message(&error)),
            })
    }
}

/// Copies method, URL and the headers the server reads; `None` if the
/// runtime handed over something `http` cannot represent.
fn to_http_request(request: &web_sys::Request) -> Option<http::Request<WorkerBody<'_>>> {
    let mut builder = http::Request::builder()
        .method(request.method().as_str())
        .uri(request.url());
    let headers = request.headers();
    for name in transport::READ_HEADERS {
        // The runtime joins repeated headers with ", ".
        if let Some(value) = headers.get(name.as_str()).ok()? {
            builder = builder.header(name, value);
        }
    }
    let declared = builder
        .headers_ref()
        .and_then(transport::declared_length)
        .and_then(|length| usize::try_from(length).ok());
    builder.body(WorkerBody { request, declared }).ok()
}

fn to_js_response(response: http::Response<Vec<u8>>) -> worker::Result<web_sys::Response> {
    let (parts, mut body) = response.into_parts();
    let headers = web_sys::Headers::new()?;
    for (name, value) in &parts.headers {
        if let Ok(value) = value.to_str() {
            headers.append(name.as_str(), value)?;
        }
    }
    let init = ResponseInit::new();
    init.set_status(parts.status.as_u16());
    init.set_headers(&headers);
    // A 204 or 304 must have no body at all, not an empty one.
    let body = (!body.is_empty()).then_some(body.as_mut_slice());
    Ok(web_sys::Response::new_with_opt_u8_array_and_init(
        body, &init,
    )?)
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
        Box::pin(send_with_fetch(request, self.timeout))
    }

    fn wait(&self, duration: Duration) -> LocalBoxFuture<'_, ()> {
        Box::pin(Delay::from(duration))
    }

    /// The Workers clock, which moves on across I/O and timers: enough to
    /// measure a call that waits on both.
    fn now_ms(&self) -> Option<u64> {
        Some(js_sys::Date::now() as u64)
    }
}

/// One exchange: the request out, the whole answer (up to
/// [`MAX_ANSWER_BYTES`]) back, with the headers the client reads.
///
/// The whole exchange, the answer's body included, is bounded by one
/// `AbortSignal.timeout`: the runtime then rejects the pending step with a
/// `TimeoutError` and closes the connection. That costs far less than a
/// timer of our own (a callback, `setTimeout` and `clearTimeout` per call).
async fn send_with_fetch(
    request: http::Request<Vec<u8>>,
    timeout: Duration,
) -> Result<http::Response<Vec<u8>>, SendError> {
    let failed = |failure: SendFailure, error: JsValue| {
        if is_timeout(&error) {
            SendError::new(
                SendFailure::TimedOut,
                format!("no answer within {} ms", timeout.as_millis()),
            )
        } else {
            SendError::new(failure, js_message(&error))
        }
    };
    let unreachable = |error: JsValue| failed(SendFailure::Unreachable, error);
    let (parts, body) = request.into_parts();
    let headers = web_sys::Headers::new().map_err(unreachable)?;
    for (name, value) in &parts.headers {
        if let Ok(value) = value.to_str() {
            headers.append(name.as_str(), value).map_err(unreachable)?;
        }
    }
    let init = RequestInit::new();
    init.set_method(parts.method.as_str());
    init.set_headers(&headers);
    // A redirect is answered as the 3xx it is: the key is meant for Clerk
    // alone, and an answer from elsewhere would not be Clerk's.
    init.set_redirect(RequestRedirect::Manual);
    let milliseconds = u32::try_from(timeout.as_millis()).unwrap_or(u32::MAX);
    init.set_signal(Some(&AbortSignal::timeout_with_u32(milliseconds)));
    if !body.is_empty() {
        init.set_body(&Uint8Array::from(body.as_slice()));
    }
    let global: WorkerGlobalScope = js_sys::global().unchecked_into();
    let answer: web_sys::Response =
        JsFuture::from(global.fetch_with_str_and_init(&parts.uri.to_string(), &init))
            .await
            .map_err(unreachable)?
            .unchecked_into();
    let answer_headers = answer.headers();
    let mut builder = http::Response::builder().status(answer.status());
    for name in ANSWER_HEADERS {
        if let Ok(Some(value)) = answer_headers.get(name.as_str()) {
            builder = builder.header(name, value);
        }
    }
    // The runtime decompresses an encoded answer, so its declared length is
    // not the length read.
    let encoded = answer_headers
        .get("content-encoding")
        .ok()
        .flatten()
        .is_some_and(|encoding| !encoding.eq_ignore_ascii_case("identity"));
    let declared = if encoded {
        None
    } else {
        answer_length(&answer_headers)
    };
    let bytes = read_body(&answer, declared, MAX_ANSWER_BYTES)
        .await
        .map_err(|failure| match failure {
            ReadFailure::TooLarge => SendError::new(
                SendFailure::TooLarge,
                format!("the answer is over {MAX_ANSWER_BYTES} bytes"),
            ),
            ReadFailure::Broken(error) => failed(SendFailure::Interrupted, error),
        })?;
    builder
        .body(bytes)
        .map_err(|error| SendError::new(SendFailure::Unreachable, error.to_string()))
}

/// Whether a JS error is the one an `AbortSignal.timeout` gives.
fn is_timeout(error: &JsValue) -> bool {
    Reflect::get(error, &JsValue::from_str("name"))
        .ok()
        .and_then(|name| name.as_string())
        .is_some_and(|name| name == "TimeoutError")
}

/// A request or an answer, whose body can be read whole or as a stream.
trait Body {
    fn whole(&self) -> Result<Promise, JsValue>;
    fn stream(&self) -> Option<ReadableStream>;
}

impl Body for web_sys::Request {
    fn whole(&self) -> Result<Promise, JsValue> {
        self.array_buffer()
    }

    fn stream(&self) -> Option<ReadableStream> {
        self.body()
    }
}

impl Body for web_sys::Response {
    fn whole(&self) -> Result<Promise, JsValue> {
        self.array_buffer()
    }

    fn stream(&self) -> Option<ReadableStream> {
        self.body()
    }
}

/// Why a body could not be read.
enum ReadFailure {
    /// It is longer than the limit; reading stopped there.
    TooLarge,
    /// The stream failed, with the runtime's error.
    Broken(JsValue),
}

/// The `Content-Length` an answer declares, if it is a number.
fn answer_length(headers: &web_sys::Headers) -> Option<usize> {
    headers
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|length| length.trim().parse().ok())
}

/// Reads a body of at most `limit` bytes. One whose length is declared and
/// within the limit is read in one piece, which costs the runtime far less
/// than a stream; any other is read chunk by chunk and given up as soon as
/// it passes the limit, so that an oversized body is never held whole.
async fn read_body(
    body: &impl Body,
    declared: Option<usize>,
    limit: usize,
) -> Result<Vec<u8>, ReadFailure> {
    let broken = ReadFailure::Broken;
    if declared.is_some_and(|length| length <= limit) {
        let buffer = JsFuture::from(body.whole().map_err(broken)?)
            .await
            .map_err(broken)?;
        let bytes = Uint8Array::new(&buffer);
        if bytes.length() as usize > limit {
            return Err(ReadFailure::TooLarge);
        }
        return Ok(bytes.to_vec());
    }
    let Some(stream) = body.stream() else {
        return Ok(Vec::new());
    };
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut bytes = Vec::new();
    loop {
        let chunk: ReadableStreamReadResult = JsFuture::from(reader.read())
            .await
            .map_err(broken)?
            .unchecked_into();
        if chunk.get_done().unwrap_or(true) {
            return Ok(bytes);
        }
        let chunk = Uint8Array::new(&chunk.get_value());
        if bytes.len() + chunk.length() as usize > limit {
            // Stops the sender; what it says back does not matter.
            let _ = reader.cancel();
            return Err(ReadFailure::TooLarge);
        }
        let start = bytes.len();
        bytes.resize(start + chunk.length() as usize, 0);
        chunk.copy_to(&mut bytes[start..]);
    }
}

/// The message of a JS error, or a description of a thrown non-error.
fn js_message(error: &JsValue) -> String {
    Reflect::get(error, &JsValue::from_str("message"))
        .ok()
        .and_then(|message| message.as_string())
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "the runtime gave no reason".to_owned())
}

/// The runtime's clock, WebCrypto (`crypto.subtle`) and console.
struct WebCrypto;

impl WebCrypto {
    fn crypto() -> Result<web_sys::Crypto, String> {
        Reflect::get(&js_sys::global(), &JsValue::from_str("crypto"))
            .map(JsCast::unchecked_into)
            .map_err(|_| "no crypto in this runtime".to_owned())
    }

    fn subtle() -> Result<SubtleCrypto, String> {
        Ok(WebCrypto::crypto()?.subtle())
    }

    /// Imports `key_data` (in `format`) as a key of `algorithm` for `usage`;
    /// `what` names it in an error.
    async fn import_key(
        subtle: &SubtleCrypto,
        format: &str,
        key_data: &Object,
        algorithm: &Object,
        usage: &str,
        what: &str,
    ) -> Result<CryptoKey, String> {
        let usages = Array::of1(&JsValue::from_str(usage));
        let import = subtle
            .import_key_with_object(format, key_data, algorithm, false, &usages)
            .map_err(|error| crypto_error(what, &error))?;
        JsFuture::from(import)
            .await
            .map(JsCast::unchecked_into)
            .map_err(|error| crypto_error(what, &error))
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
    fn now_ms(&self) -> u64 {
        js_sys::Date::now() as u64
    }

    fn log(&self, line: &str) {
        web_sys::console::log_1(&JsValue::from_str(line));
    }

    fn random_bytes(&self, bytes: &mut [u8]) -> Result<(), String> {
        WebCrypto::crypto()?
            .get_random_values_with_u8_array(bytes)
            .map(|_| ())
            .map_err(|error| crypto_error("getRandomValues", &error))
    }

    fn hmac_sha256<'a>(
        &'a self,
        key: &'a [u8],
        message: &'a [u8],
    ) -> LocalBoxFuture<'a, Result<[u8; 32], String>> {
        Box::pin(async move {
            let subtle = WebCrypto::subtle()?;
            let algorithm = object(&[("name", "HMAC"), ("hash", "SHA-256")])?;
            let key_data = Uint8Array::from(key);
            let crypto_key = WebCrypto::import_key(
                &subtle,
                "raw",
                &key_data,
                &algorithm,
                "sign",
                "importing the HMAC key",
            )
            .await?;
            let sign = subtle
                .sign_with_object_and_u8_array(&algorithm, &crypto_key, message)
                .map_err(|error| crypto_error("HMAC-SHA256", &error))?;
            let mac = JsFuture::from(sign)
                .await
                .map_err(|error| crypto_error("HMAC-SHA256", &error))?;
            Uint8Array::new(&mac)
                .to_vec()
                .try_into()
                .map_err(|_| "HMAC-SHA256 gave a MAC of another length".to_owned())
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
            let crypto_key = WebCrypto::import_key(
                &subtle,
                "jwk",
                &jwk,
                &algorithm,
                "verify",
                "importing the signing key",
            )
            .await?;
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
