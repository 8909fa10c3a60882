//! A remote MCP server that lets AI assistants administer a Clerk instance.
//!
//! The crate is a pure core with the runtime at its edge. Everything that
//! understands HTTP transport rules, JSON-RPC, MCP or Clerk's Backend API is
//! plain Rust: it opens no sockets and reads no clock or environment, so it
//! compiles and is tested natively. The only module that talks to the Workers
//! runtime is `wasm`, compiled for `wasm32` alone.
//!
//! The modules form layers. Each imports only from the layers below it, and
//! a type two layers share lives in the lower one:
//!
//! | layer | modules | what it owns |
//! |-------|---------|--------------|
//! | 1 | `wasm` | the Workers runtime: its request and response, the environment read into a [`config::Config`], `fetch` for Clerk calls, WebCrypto |
//! | 2 | [`transport`] | the HTTP surface: routes, headers, origins, access tokens and OAuth, the request's Clerk credentials, `/health`, the front door page, and every refusal a client can see |
//! | 3 | [`mcp`], [`config`] | the MCP methods and prompts, the audit trail; the settings, read from the environment into plain values |
//! | 4 | [`tools`], [`oauth`] | the tool registry, each tool's arguments, handler and output; sign-in with Clerk |
//! | 5 | [`clerk`] | the Backend API client, its wire types and errors, and the forms of Clerk's IDs |
//! | 6 | [`jsonrpc`], [`json`], [`text`], `sha256`, [`base64`] | JSON-RPC 2.0 messages; reading JSON bodies; short forms of text for messages; the hashes the audit trail pays for on every call; base64 for tokens, request states and the front door |
//!
//! A `POST /mcp` travels down them: `wasm` → [`transport::handle`] →
//! [`mcp::handle_request`] → [`tools::call`] → a handler → [`clerk::ClerkClient`].
//! The Clerk secret key is resolved once, in the transport, into the
//! [`clerk::ClerkClient`] the request's tools call through.

pub mod base64;
pub mod clerk;
pub mod config;
pub mod json;
pub mod jsonrpc;
pub mod mcp;
pub mod oauth;
mod sha256;
pub mod text;
pub mod tools;
pub mod transport;

#[cfg(target_arch = "wasm32")]
mod wasm;

/// The server's name, as announced in `initialize` and sent to Clerk.
pub const SERVER_NAME: &str = env!("CARGO_PKG_NAME");

/// The server's version, from Cargo.
pub const SERVER_VERSION: &str = env!("CARGO_PKG_VERSION");
