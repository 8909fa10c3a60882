//! The streamable HTTP rules (MCP 2025-03-26, 2025-06-18 and 2025-11-25,
//! Transports), each a test through the Worker's entry point.

use clerk_mcp_worker::transport;
use http::header::{CONTENT_LENGTH, HOST, ORIGIN};
use http::Request;
use serde_json::{json, Value};

use crate::support::*;

fn ping() -> Value {
    rpc("ping", json!({}))
}

#[test]
fn request_gets_200_with_a_json_body_and_no_session_id() {
    let clerk = FakeClerk::unused();
    let response = send(post_json(&ping()), &public_config(), &clerk);
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert!(response.headers().get("mcp-session-id").is_none());
    assert_eq!(
        body_json(&response),
        json!({"jsonrpc": "2.0", "id": 1, "result": {}})
    );
}

#[test]
fn notification_gets_202_with_empty_body() {
    let clerk = FakeClerk::unused();
    let notification = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
    let response = send(post_json(&notification), &public_config(), &clerk);
    assert_eq!(response.status(), 202);
    assert!(response.body().is_empty());
}

#[test]
fn client_response_gets_202_with_empty_body() {
    let clerk = FakeClerk::unused();
    let answer = json!({"jsonrpc": "2.0", "id": "s-1", "result": {}});
    let response = send(post_json(&answer), &public_config(), &clerk);
    assert_eq!(response.status(), 202);
    assert!(response.body().is_empty());
}

#[test]
fn malformed_json_is_400_parse_error_with_null_id() {
    let clerk = FakeClerk::unused();
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"#;
    let request = mcp_post(body).body(body.as_bytes().to_vec()).unwrap();
    let response = send(request, &public_config(), &clerk);
    assert_eq!(response.status(), 400);
    let answer = body_json(&response);
    assert_eq!(answer["id"], Value::Null);
    assert_eq!(answer["error"]["code"], -32700);
}

#[test]
fn message_that_is_not_json_rpc_is_400_invalid_request() {
    let clerk = FakeClerk::unused();
    let response = send(
        post_json(&json!({"hello": "world"})),
        &public_config(),
        &clerk,
    );
    assert_eq!(response.status(), 400);
    assert_eq!(body_json(&response)["error"]["code"], -32600);
}

#[test]
fn batch_is_answered_under_2025_03_26() {
    let clerk = FakeClerk::unused();
    let batch = json!([
        {"jsonrpc": "2.0", "id": 1, "method": "ping"},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": "two", "method": "nope"}
    ]);
    let mut request = post_json(&batch);
    request
        .headers_mut()
        .insert("mcp-protocol-version", "2025-03-26".parse().unwrap());
    let response = send(request, &public_config(), &clerk);
    assert_eq!(response.status(), 200);
    let answers = body_json(&response);
    assert_eq!(answers.as_array().map(Vec::len), Some(2));
    assert_eq!(answers[0], json!({"jsonrpc": "2.0", "id": 1, "result": {}}));
    assert_eq!(answers[1]["id"], "two");
    assert_eq!(answers[1]["error"]["code"], -32601);
}

#[test]
fn missing_protocol_version_header_means_2025_03_26_so_batches_work() {
    let clerk = FakeClerk::unused();
    let body = json!([{"jsonrpc": "2.0", "id": 1, "method": "ping"}]).to_string();
    let request = Request::post("http://127.0.0.1:8787/mcp")
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .body(body.into_bytes())
        .unwrap();
    let response = send(request, &public_config(), &clerk);
    assert_eq!(response.status(), 200);
    assert!(body_json(&response).is_array());
}

#[test]
fn batch_is_refused_under_later_versions() {
    let clerk = FakeClerk::unused();
    for version in ["2025-06-18", "2025-11-25"] {
        let mut request = post_json(&json!([{"jsonrpc": "2.0", "id": 1, "method": "ping"}]));
        request
            .headers_mut()
            .insert("mcp-protocol-version", version.parse().unwrap());
        let response = send(request, &public_config(), &clerk);
        assert_eq!(response.status(), 400, "{version}");
        assert_eq!(body_json(&response)["error"]["code"], -32600);
    }
}

#[test]
fn batch_of_notifications_only_gets_202() {
    let clerk = FakeClerk::unused();
    let mut request =
        post_json(&json!([{"jsonrpc": "2.0", "method": "notifications/initialized"}]));
    request
        .headers_mut()
        .insert("mcp-protocol-version", "2025-03-26".parse().unwrap());
    let response = send(request, &public_config(), &clerk);
    assert_eq!(response.status(), 202);
    assert!(response.body().is_empty());
}

#[test]
fn empty_batch_is_invalid_request() {
    let clerk = FakeClerk::unused();
    let mut request = post_json(&json!([]));
    request
        .headers_mut()
        .insert("mcp-protocol-version", "2025-03-26".parse().unwrap());
    let response = send(request, &public_config(), &clerk);
    assert_eq!(response.status(), 400);
    assert_eq!(body_json(&response)["error"]["code"], -32600);
}

#[test]
fn unsupported_protocol_version_header_is_400() {
    let clerk = FakeClerk::unused();
    let mut request = post_json(&ping());
    request
        .headers_mut()
        .insert("mcp-protocol-version", "1999-01-01".parse().unwrap());
    let response = send(request, &public_config(), &clerk);
    assert_eq!(response.status(), 400);
    let answer = body_json(&response);
    assert_eq!(answer["error"]["code"], -32600);
    assert!(answer["error"]["message"]
        .as_str()
        .unwrap()
        .contains("2025-11-25"));
}

/// Clients that try the 2026-07-28 protocol first fall back to `initialize`
/// on a 4xx that carries a JSON-RPC error.
#[test]
fn discover_probe_at_2026_07_28_gets_a_4xx_json_rpc_error() {
    let clerk = FakeClerk::unused();
    let mut request = post_json(&rpc("server/discover", json!({})));
    request
        .headers_mut()
        .insert("mcp-protocol-version", "2026-07-28".parse().unwrap());
    let response = send(request, &public_config(), &clerk);
    assert_eq!(response.status(), 400);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert!(body_json(&response)["error"]["code"].is_i64());
}

#[test]
fn content_type_other_than_json_is_415() {
    let clerk = FakeClerk::unused();
    let body = ping().to_string();
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let mut builder = Request::post("http://127.0.0.1:8787/mcp")
            .header("accept", "application/json, text/event-stream");
        if let Some(content_type) = content_type {
            builder = builder.header("content-type", content_type);
        }
        let response = send(
            builder.body(body.clone().into_bytes()).unwrap(),
            &public_config(),
            &clerk,
        );
        assert_eq!(response.status(), 415, "{content_type:?}");
    }
}

#[test]
fn accept_admitting_neither_json_nor_event_stream_is_406() {
    let clerk = FakeClerk::unused();
    let mut request = post_json(&ping());
    request
        .headers_mut()
        .insert("accept", "text/html".parse().unwrap());
    let response = send(request, &public_config(), &clerk);
    assert_eq!(response.status(), 406);
}

#[test]
fn accept_of_event_stream_only_gets_one_sse_event() {
    let clerk = FakeClerk::unused();
    let mut request = post_json(&ping());
    request
        .headers_mut()
        .insert("accept", "text/event-stream".parse().unwrap());
    let response = send(request, &public_config(), &clerk);
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    assert_eq!(
        body_text(&response),
        "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n\n"
    );
}

#[test]
fn undeclared_body_over_1_mib_is_413() {
    let clerk = FakeClerk::unused();
    let padding = "x".repeat(1 << 20);
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "ping", "params": {"pad": padding}});
    let request = Request::post("http://127.0.0.1:8787/mcp")
        .header("content-type", "application/json")
        .body(body.to_string().into_bytes())
        .unwrap();
    let response = send(request, &public_config(), &clerk);
    assert_eq!(response.status(), 413);
}

#[test]
fn body_of_exactly_1_mib_is_read() {
    let clerk = FakeClerk::unused();
    let skeleton = r#"{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":""}}"#;
    let padding = "x".repeat((1 << 20) - skeleton.len());
    let body = skeleton.replace("\"pad\":\"\"", &format!("\"pad\":\"{padding}\""));
    assert_eq!(body.len(), 1 << 20);
    let request = mcp_post(&body).body(body.into_bytes()).unwrap();
    assert_eq!(send(request, &public_config(), &clerk).status(), 200);
}

#[test]
fn request_without_origin_is_allowed_without_cors_headers() {
    let clerk = FakeClerk::unused();
    let response = send(post_json(&ping()), &public_config(), &clerk);
    assert_eq!(response.status(), 200);
    assert!(response
        .headers()
        .get("access-control-allow-origin")
        .is_none());
}

#[test]
fn loopback_origin_is_allowed_and_echoed() {
    let clerk = FakeClerk::unused();
    for origin in [
        "http://localhost:6274",
        "http://127.0.0.1:8787",
        "http://[::1]:3000",
    ] {
        let mut request = post_json(&ping());
        request
            .headers_mut()
            .insert("origin", origin.parse().unwrap());
        let response = send(request, &public_config(), &clerk);
        assert_eq!(response.status(), 200, "{origin}");
        assert_eq!(response.headers()["access-control-allow-origin"], origin);
        assert_eq!(response.headers()["vary"], "Origin");
    }
}

#[test]
fn foreign_origin_is_403_even_when_host_agrees_with_it() {
    let clerk = FakeClerk::unused();
    let mut request = post_json(&rpc("initialize", json!({"protocolVersion": "2025-11-25"})));
    request
        .headers_mut()
        .insert("origin", "http://evil.example.com".parse().unwrap());
    request
        .headers_mut()
        .insert("host", "evil.example.com".parse().unwrap());
    let response = send(request, &public_config(), &clerk);
    assert_eq!(response.status(), 403);
    assert!(response
        .headers()
        .get("access-control-allow-origin")
        .is_none());
}

#[test]
fn origin_listed_in_allowed_origins_is_allowed() {
    let clerk = FakeClerk::unused();
    let config = config(&[(
        "ALLOWED_ORIGINS",
        "https://app.example.com, https://other.example",
    )]);
    let mut request = post_json(&ping());
    request
        .headers_mut()
        .insert("origin", "https://app.example.com".parse().unwrap());
    let response = send(request, &config, &clerk);
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
}

#[test]
fn preflight_from_allowed_origin_allows_the_headers_clients_send() {
    let clerk = FakeClerk::unused();
    let request = Request::options("http://127.0.0.1:8787/mcp")
        .header("origin", "http://localhost:6274")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type, x-clerk-secret-key",
        )
        .body(Vec::new())
        .unwrap();
    let response = send(request, &public_config(), &clerk);
    assert_eq!(response.status(), 204);
    let headers = response.headers();
    assert_eq!(
        headers["access-control-allow-origin"],
        "http://localhost:6274"
    );
    let allowed = headers["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    for name in [
        "content-type",
        "x-clerk-secret-key",
        "authorization",
        "mcp-protocol-version",
        "x-mcp-readonly",
        "x-mcp-toolsets",
    ] {
        assert!(allowed.contains(name), "{name} missing from {allowed}");
    }
    // Every header the server reads, but those a browser or Cloudflare's
    // edge sets itself.
    let set_by_browser = [HOST, CONTENT_LENGTH, ORIGIN];
    for name in transport::READ_HEADERS {
        if !set_by_browser.contains(&name) && name != "cf-ray" {
            assert!(
                allowed.contains(name.as_str()),
                "{name} missing from {allowed}"
            );
        }
    }
    assert!(headers["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("POST"));
}

#[test]
fn preflight_from_foreign_origin_is_403() {
    let clerk = FakeClerk::unused();
    let request = Request::options("http://127.0.0.1:8787/mcp")
        .header("origin", "https://evil.example.com")
        .header("access-control-request-method", "POST")
        .body(Vec::new())
        .unwrap();
    let response = send(request, &public_config(), &clerk);
    assert_eq!(response.status(), 403);
}

#[test]
fn get_and_delete_on_mcp_are_405_with_allow_post() {
    let clerk = FakeClerk::unused();
    for method in ["GET", "DELETE"] {
        let request = Request::builder()
            .method(method)
            .uri("http://127.0.0.1:8787/mcp")
            .header("accept", "text/event-stream")
            .body(Vec::new())
            .unwrap();
        let response = send(request, &public_config(), &clerk);
        assert_eq!(response.status(), 405, "{method}");
        assert_eq!(response.headers()["allow"], "POST");
    }
}

#[test]
fn unknown_path_is_404_with_a_short_json_body() {
    let clerk = FakeClerk::unused();
    let request = Request::get("http://127.0.0.1:8787/nothing-here")
        .body(Vec::new())
        .unwrap();
    let response = send(request, &public_config(), &clerk);
    assert_eq!(response.status(), 404);
    assert_eq!(body_json(&response)["error"], "not_found");
}

/// A body that records whether the server read it.
struct WatchedBody {
    bytes: Vec<u8>,
    read: std::rc::Rc<std::cell::Cell<bool>>,
}

impl clerk_mcp_worker::transport::RequestBody for WatchedBody {
    async fn read_limited(
        self,
        limit: usize,
    ) -> Result<Vec<u8>, clerk_mcp_worker::transport::BodyError> {
        self.read.set(true);
        self.bytes.read_limited(limit).await
    }
}

/// A refusal that left the body unread would leave its bytes on a kept-alive
/// connection, where the next request would trip over them.
#[test]
fn refused_posts_still_have_their_body_read() {
    let cases: [(&str, &str, &str); 3] = [
        ("origin", "http://evil.example.com", "403"),
        ("content-type", "text/plain", "415"),
        ("mcp-protocol-version", "2026-07-28", "400"),
    ];
    for (name, value, status) in cases {
        let clerk = FakeClerk::unused();
        let read = std::rc::Rc::new(std::cell::Cell::new(false));
        let mut request = post_json(&ping());
        request.headers_mut().insert(name, value.parse().unwrap());
        let (parts, bytes) = request.into_parts();
        let request = Request::from_parts(
            parts,
            WatchedBody {
                bytes,
                read: read.clone(),
            },
        );
        let response = with_runtime(&clerk, |runtime| {
            futures::executor::block_on(clerk_mcp_worker::transport::handle(
                request,
                &public_config(),
                runtime,
            ))
        });
        assert_eq!(response.status().as_str(), status, "{name}: {value}");
        assert!(read.get(), "{name}: {value} left the body unread");
    }
}

#[test]
fn body_declared_over_the_limit_is_not_read() {
    let clerk = FakeClerk::unused();
    let read = std::rc::Rc::new(std::cell::Cell::new(false));
    let mut request = post_json(&ping());
    request
        .headers_mut()
        .insert("content-length", "5000000".parse().unwrap());
    let (parts, bytes) = request.into_parts();
    let request = Request::from_parts(
        parts,
        WatchedBody {
            bytes,
            read: read.clone(),
        },
    );
    let response = with_runtime(&clerk, |runtime| {
        futures::executor::block_on(clerk_mcp_worker::transport::handle(
            request,
            &public_config(),
            runtime,
        ))
    });
    assert_eq!(response.status(), 413);
    assert!(!read.get());
}
