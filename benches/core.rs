//! What one request costs the native core: parse the HTTP request and its
//! JSON-RPC body, dispatch, build the Clerk request, decode Clerk's answer,
//! shape the result and serialize the response. Clerk is a stand-in that
//! answers at once with a recorded page, so only this crate's work is timed.
//!
//! Run with `cargo bench --bench core`. Before the timings it prints how
//! many bytes `clerk_list_users` returns for a page of users against the
//! bytes of Clerk's own JSON for the same users.

// The benchmark takes only a few of the tests' helpers: a request, a
// platform and a page of users.
#[allow(dead_code)]
#[path = "../tests/integration/support.rs"]
mod support;

use std::hint::black_box;
use std::time::Duration;

use clerk_mcp_worker::clerk::{HttpSend, SendError};
use clerk_mcp_worker::config::Config;
use clerk_mcp_worker::oauth::IsolateCache;
use clerk_mcp_worker::transport::{self, Runtime};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use futures::future::LocalBoxFuture;
use http::{Request, Response};
use serde_json::{json, Value};

const KEY: &str = "sk_test_BenchKey0123456789abcdef";
const TOKEN: &str = "bench-token-0123456789abcdef";

/// A Clerk that answers every request at once: `GET /v1/users/count` with
/// the count, anything else with the recorded page.
struct RecordedClerk {
    page: Vec<u8>,
    count: Vec<u8>,
}

impl RecordedClerk {
    fn new(page: &Value) -> Self {
        let total = page.as_array().map_or(0, Vec::len);
        RecordedClerk {
            page: page.to_string().into_bytes(),
            count: json!({"object": "total_count", "total_count": total})
                .to_string()
                .into_bytes(),
        }
    }
}

impl HttpSend for RecordedClerk {
    fn send(
        &self,
        request: Request<Vec<u8>>,
    ) -> LocalBoxFuture<'_, Result<Response<Vec<u8>>, SendError>> {
        let body = if request.uri().path().ends_with("/count") {
            self.count.clone()
        } else {
            self.page.clone()
        };
        Box::pin(async move {
            Ok(Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(body)
                .expect("a valid response"))
        })
    }

    fn wait(&self, _duration: Duration) -> LocalBoxFuture<'_, ()> {
        Box::pin(async {})
    }
}

const EVERY_TOOLSET: &str =
    "organizations,members,invitations,users,sessions,roles,instance,access,billing";

fn config_var(name: &str) -> Option<String> {
    let vars = [
        ("CLERK_SECRET_KEY", KEY),
        ("MCP_AUTH_TOKENS", TOKEN),
        ("CLERK_API_URL", "http://127.0.0.1:9"),
    ];
    vars.iter()
        .find(|(key, _)| *key == name)
        .map(|(_, value)| (*value).to_owned())
}

fn config() -> Config {
    Config::from_lookup(config_var).expect("a valid configuration")
}

fn request(body: &Value) -> Request<Vec<u8>> {
    let body = body.to_string();
    support::mcp_post(&body)
        .header("authorization", format!("Bearer {TOKEN}"))
        .body(body.into_bytes())
        .expect("a valid request")
}

/// Runs one request through the Worker's entry point; panics unless it
/// answered 200 (a benchmark of a failing request measures nothing).
fn run(body: &Value, config: &Config, clerk: &RecordedClerk) -> Response<Vec<u8>> {
    let platform = support::FakePlatform::default();
    let cache = IsolateCache::new();
    let runtime = Runtime {
        http: clerk,
        platform: &platform,
        cache: &cache,
    };
    let response = futures::executor::block_on(transport::handle(request(body), config, &runtime));
    assert_eq!(
        response.status(),
        200,
        "{}",
        String::from_utf8_lossy(response.body())
    );
    response
}

fn rpc(method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": 7, "method": method, "params": params})
}

fn list_users(limit: usize) -> Value {
    rpc(
        "tools/call",
        json!({"name": "clerk_list_users", "arguments": {"limit": limit}}),
    )
}

/// Prints the text `clerk_list_users` returns for 20 users against Clerk's
/// JSON for them.
fn print_output_size() {
    let page = support::many_users(20);
    let clerk = RecordedClerk::new(&page);
    let response = run(&list_users(20), &config(), &clerk);
    let answer: Value = serde_json::from_slice(response.body()).expect("JSON answer");
    let text = answer["result"]["content"][0]["text"]
        .as_str()
        .unwrap_or_default();
    let raw = page.to_string().len();
    println!(
        "clerk_list_users, 20 users: text {} bytes, Clerk's JSON {} bytes ({:.1}%)",
        text.len(),
        raw,
        100.0 * text.len() as f64 / raw as f64
    );
}

fn protocol(c: &mut Criterion) {
    let config = config();
    let clerk = RecordedClerk::new(&json!([]));
    let initialize = rpc(
        "initialize",
        json!({
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "bench", "version": "1.0.0"},
        }),
    );
    let mut group = c.benchmark_group("protocol");
    for (name, body) in [
        ("initialize", initialize),
        ("ping", rpc("ping", json!({}))),
        ("tools_list", rpc("tools/list", json!({}))),
    ] {
        group.bench_function(name, |b| b.iter(|| run(black_box(&body), &config, &clerk)));
    }
    // The longest list a connection can ask for: every toolset on.
    let every_toolset = Config::from_lookup(|name| match name {
        "MCP_DEFAULT_TOOLSETS" => Some(EVERY_TOOLSET.to_owned()),
        _ => config_var(name),
    })
    .expect("a valid configuration");
    let list = rpc("tools/list", json!({}));
    group.bench_function("tools_list_every_toolset", |b| {
        b.iter(|| run(black_box(&list), &every_toolset, &clerk))
    });
    group.finish();
}

fn list_users_by_page_size(c: &mut Criterion) {
    print_output_size();
    let config = config();
    let mut group = c.benchmark_group("clerk_list_users");
    for users in [20, 50, 100, 200] {
        let clerk = RecordedClerk::new(&support::many_users(users));
        let body = list_users(users);
        group.throughput(Throughput::Elements(users as u64));
        group.bench_with_input(BenchmarkId::from_parameter(users), &body, |b, body| {
            b.iter(|| run(black_box(body), &config, &clerk))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = protocol, list_users_by_page_size
}
criterion_main!(benches);
