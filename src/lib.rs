//! A remote MCP server that lets AI assistants administer a Clerk instance.
//!
//! The crate is a pure core with the runtime at its edge. Everything that
//! understands HTTP transport rules, JSON-RPC, MCP or Clerk's Backend API is
//! plain Rust: it opens no sockets and reads no clock or environment, so it
//! compiles and is tested natively. The only module that talks to the Workers
//! runtime is [`wasm`], compiled for `wasm32` alone.
//!
//! A request travels down these layers, and each depends only on the ones
//! below it:
//!
//! 1. `wasm`: turns the runtime's `Request` into an [`http::Request`], reads
//!    the environment into a [`config::Config`], sends Clerk calls with
//!    `fetch`.
//! 2. [`transport`]: the streamable HTTP rules (routes, headers, origins, body
//!    limit, CORS) and the `/health` endpoint.
//! 3. [`jsonrpc`]: JSON-RPC 2.0 messages.
//! 4. [`mcp`]: the MCP methods (`initialize`, `ping`, `tools/*`, ...).
//! 5. [`tools`]: the tool registry and one module per group of tools, and
//!    [`prompts`]: ready-made workflows over those tools.
//! 6. [`clerk`]: the Backend API client, its wire types and its errors.
//!
//! Beside the MCP path, [`oauth`] checks the OAuth access tokens of a hosted
//! server that lets its users sign in with Clerk; the transport asks it who a
//! request's token belongs to, and it asks the Clerk client.
//!
//! [`config`] reads the environment into the plain values the layers use
//! (a [`clerk::SecretKey`], a [`tools::Selection`], ...).

pub mod clerk;
pub mod config;
pub mod json;
pub mod jsonrpc;
pub mod mcp;
pub mod oauth;
pub mod prompts;
pub mod tools;
pub mod transport;

#[cfg(target_arch = "wasm32")]
mod wasm;

/// The server's name, as announced in `initialize` and sent to Clerk.
pub const SERVER_NAME: &str = env!("CARGO_PKG_NAME");

/// The server's version, from Cargo.
pub const SERVER_VERSION: &str = env!("CARGO_PKG_VERSION");
