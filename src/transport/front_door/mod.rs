//! `GET /` in a browser: the front door. A page that says what this server
//! is, its mode and health, the protocol versions it speaks, the MCP URL
//! with controls that narrow it, each assistant's configuration for that
//! URL, and the tools and prompts it offers.
//!
//! The page is `page.html`, built into the worker, with its parts filled in
//! per request. It works without JavaScript: the controls are a form that
//! asks for the page again with the choices in its query (`?readonly=true`,
//! `?toolset=users&toolset=roles` or `?toolsets=users,roles`,
//! `?confirm=writes`), and the server writes the URL, configurations and
//! tool list for them. The page's own script (the only one it runs, named
//! by its hash in the `Content-Security-Policy`) rewrites them as the
//! controls change, and adds the copy buttons.
//!
//! Nothing secret is on it: no key, token, user or instance data. Health is
//! what `/health` says of the server itself; in public mode it checks no
//! key. Only a client that asks for HTML gets the page: any other gets the
//! JSON 404 every unknown path gets.

mod clients;

use std::sync::OnceLock;

use http::header::{
    HeaderValue, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, VARY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use http::request::Parts;
use http::{HeaderMap, Response, StatusCode};
use serde_json::Value;

use super::framing::media_ranges;
use super::narrowing::{confirm_wish, percent_decode, read_only_wish, Wishes};
use super::{credentials, health, server_origin, Runtime};
use crate::clerk::KeyError;
use crate::config::{Access, Config, Mode};
use crate::mcp::prompts;
use crate::mcp::{ProtocolVersion, STATELESS_VERSION};
use crate::sha256::sha256;
use crate::text::percent_encode;
use crate::tools::{self, Confirm, Selection, Toolset, Toolsets};
use clients::{Needs, URL_MARK};

/// The page, with `<!--name-->` where each part goes.
const PAGE: &str = include_str!("page.html");

/// Whether a request asks for a page rather than JSON: its `Accept` names
/// `text/html`, and prefers it to `application/json` when it names both.
/// A request without `Accept`, or with `*/*` alone, keeps the JSON answer.
pub fn wants_page(headers: &HeaderMap) -> bool {
    let (mut html, mut json) = (0, 0);
    for (media_range, weight) in media_ranges(headers) {
        let weight = weight.unwrap_or(0);
        match media_range.as_str() {
            "text/html" => html = html.max(weight),
            "application/json" => json = json.max(weight),
            _ => {}
        }
    }
    html > json
}

/// Answers `GET /` with the page.
pub async fn answer(parts: &Parts, config: &Config, runtime: &Runtime<'_>) -> Response<Vec<u8>> {
    let (wishes, problem) = match choices(parts.uri.query().unwrap_or_default()) {
        Ok(wishes) => (wishes, None),
        Err(problem) => (Wishes::NONE, Some(problem)),
    };
    // The page checks the server's own key, never one a visitor brings.
    let clerk = match config.mode {
        Mode::Hosted(_) => credentials::resolve(config, runtime.http, &parts.headers),
        Mode::Public => Err(KeyError::Missing),
    };
    let withheld = credentials::live_guard(config, &clerk);
    let (_, health) = health::check(config, wishes.selection(config), clerk).await;
    let page = Page::new(config, wishes, withheld, &server_origin(parts));
    let mut html = String::with_capacity(PAGE.len() + 24 * 1024);
    let mut rest = PAGE;
    while let Some((before, after)) = rest.split_once("<!--") {
        html.push_str(before);
        let Some((name, after)) = after.split_once("-->") else {
            rest = after;
            break;
        };
        page.write_part(name, &health, problem.as_deref(), &mut html);
        rest = after;
    }
    html.push_str(rest);
    let status = match problem {
        Some(_) => StatusCode::BAD_REQUEST,
        None => StatusCode::OK,
    };
    let mut response = Response::new(html.into_bytes());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(VARY, HeaderValue::from_static("Accept"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(policy) = HeaderValue::from_str(content_security_policy()) {
        headers.insert(CONTENT_SECURITY_POLICY, policy);
    }
    for (name, value) in [
        (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (REFERRER_POLICY, "no-referrer"),
        (X_FRAME_OPTIONS, "DENY"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// The page's policy: nothing from anywhere but its own inline style and
/// script, named by their hashes; no framing, no form sent elsewhere.
fn content_security_policy() -> &'static str {
    static POLICY: OnceLock<String> = OnceLock::new();
    POLICY.get_or_init(|| {
        let hash = |open: &str, close: &str| {
            let body = PAGE
                .split_once(open)
                .and_then(|(_, rest)| rest.split_once(close))
                .map_or("", |(body, _)| body);
            crate::base64::encode(&sha256(body.as_bytes()))
        };
        format!(
            "default-src 'none'; style-src 'sha256-{}'; script-src 'sha256-{}'; \
             img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            hash("<style>", "</style>"),
            hash("<script>", "</script>"),
        )
    })
}

/// The choices in the page's query: the MCP URL's own (`readonly`,
/// `toolsets`, `confirm`) and the form's (`toolset`, once per box ticked,
/// with an empty one always sent so that no box ticked means no toolset).
fn choices(query: &str) -> Result<Wishes, String> {
    let mut wishes = Wishes::NONE;
    let mut named: Vec<String> = Vec::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(value);
        match percent_decode(name).as_str() {
            "readonly" => wishes.selection.read_only = read_only_wish(&value)?,
            "toolset" | "toolsets" => {
                wishes.names_toolsets = true;
                named.push(value);
            }
            "confirm" => wishes.confirm = wishes.confirm.max(confirm_wish(&value)?),
            _ => {}
        }
    }
    if wishes.names_toolsets {
        wishes.selection.toolsets = Toolsets::parse(&named.join(",")).map_err(|unknown| {
            format!(
                "{unknown:?} is not a toolset; the toolsets are {}",
                Toolsets::ALL.names().join(", ")
            )
        })?;
    }
    Ok(wishes)
}

/// What the page shows, worked out from the configuration and the choices.
struct Page<'a> {
    config: &'a Config,
    /// The tools the server offers at most: its own selection, read-only
    /// when the production guard withholds writes.
    offered: Selection,
    /// The tools the page's choices get.
    chosen: Selection,
    /// The toolsets of a URL that names none.
    defaults: Toolsets,
    confirm: Confirm,
    withheld: bool,
    /// `https://host/mcp`.
    base: String,
}

impl<'a> Page<'a> {
    fn new(config: &'a Config, wishes: Wishes, withheld: bool, origin: &str) -> Page<'a> {
        let mut offered = config.selection;
        offered.read_only |= withheld;
        let mut chosen = wishes.selection(config);
        chosen.read_only |= offered.read_only;
        Page {
            config,
            offered,
            chosen,
            defaults: config.selection.toolsets.and(config.default_toolsets),
            confirm: config.confirm.max(wishes.confirm),
            withheld,
            base: format!("{}/mcp", plain_origin(origin)),
        }
    }

    /// The MCP URL for the choices.
    fn url(&self) -> String {
        let mut query = Vec::new();
        if self.chosen.read_only && !self.offered.read_only {
            query.push("readonly=true".to_owned());
        }
        if self.chosen.toolsets != self.defaults {
            query.push(format!(
                "toolsets={}",
                self.chosen.toolsets.names().join(",")
            ));
        }
        if self.confirm != self.config.confirm {
            query.push(format!("confirm={}", self.confirm.name()));
        }
        match query.is_empty() {
            true => self.base.clone(),
            false => format!("{}?{}", self.base, query.join("&")),
        }
    }

    /// The headers an assistant's requests need, by mode and access.
    fn needs(&self) -> Needs {
        Needs {
            clerk_key: matches!(self.config.mode, Mode::Public),
            access_token: match &self.config.access {
                Access::Protected { tokens, oauth } => !tokens.is_empty() && oauth.is_none(),
                Access::NotConfigured => true,
                Access::Open => false,
            },
        }
    }

    /// Writes the part of the page named `name` (`<!--name-->` in
    /// `page.html`).
    fn write_part(&self, name: &str, health: &Value, problem: Option<&str>, html: &mut String) {
        let hosted = matches!(self.config.mode, Mode::Hosted(_));
        let healthy = health.get("status").and_then(Value::as_str) == Some("ok");
        match name {
            "problem" => {
                if let Some(problem) = problem {
                    html.push_str("<p class=\"bad\" role=\"alert\">This page's address is not understood: ");
                    html.push_str(&escape(problem));
                    html.push_str(". It shows the defaults instead.</p>");
                }
            }
            "health-class" => html.push_str(if healthy { "ok" } else { "bad" }),
            "health" => html.push_str(if healthy { "ok" } else { "degraded" }),
            "mode" => html.push_str(match hosted {
                true => "<strong>hosted</strong>: the server keeps a Clerk secret key, which assistants never see",
                false => "<strong>public</strong>: the server keeps no Clerk key; each assistant sends its own in <code>X-Clerk-Secret-Key</code>",
            }),
            "clerk-class" => html.push_str(match health.get("clerkConnected") {
                Some(Value::Bool(true)) => "ok",
                Some(Value::Bool(false)) => "bad",
                _ => "",
            }),
            "clerk" => html.push_str(match health.get("clerkConnected") {
                Some(Value::Bool(true)) => "reachable, and it accepts the server's key",
                Some(Value::Bool(false)) => "not working with the server's key (see below)",
                _ => "checked on each request, with the key it brings",
            }),
            "access-class" => html.push_str(match self.access_works() {
                true => "ok",
                false => "bad",
            }),
            "access" => self.write_access(html),
            "versions" => {
                for version in ProtocolVersion::ALL {
                    html.push_str(version.as_str());
                    html.push_str(", ");
                }
                html.push_str(STATELESS_VERSION);
            }
            "version" => html.push_str(crate::SERVER_VERSION),
            "icon" => html.push_str(&escape(&crate::mcp::icon())),
            "notes" => {
                if self.withheld {
                    html.push_str("<p id=\"withheld\">The server's key is a production key and <code>MCP_LIVE_WRITES</code> is not set, so the URL offers the reading tools only.</p>");
                }
                if let Some(reason) = health.get("reason").and_then(Value::as_str) {
                    html.push_str("<p id=\"fix\" class=\"bad\">");
                    html.push_str(&escape(reason));
                    html.push_str("</p>");
                }
            }
            "base" => html.push_str(&escape(&self.base)),
            "defaults" => html.push_str(&self.defaults.names().join(",")),
            "server-confirm" => html.push_str(self.config.confirm.name()),
            "readonly" => html.push_str(match (self.chosen.read_only, self.offered.read_only) {
                (_, true) => " checked disabled",
                (true, false) => " checked",
                (false, false) => "",
            }),
            "toolsets" => {
                for toolset in Toolset::ALL {
                    if self.offered.toolsets.contains(toolset) {
                        html.push_str("<label><input type=\"checkbox\" name=\"toolset\" value=\"");
                        html.push_str(toolset.name());
                        html.push('"');
                        if self.chosen.toolsets.contains(toolset) {
                            html.push_str(" checked");
                        }
                        html.push_str("> ");
                        html.push_str(toolset.name());
                        html.push_str("</label>");
                    }
                }
            }
            "confirm-off" => self.write_confirm_option(Confirm::Off, html),
            "confirm-destructive" => self.write_confirm_option(Confirm::Destructive, html),
            "confirm-writes" => self.write_confirm_option(Confirm::Writes, html),
            "url" => html.push_str(&escape(&self.url())),
            "clients" => self.write_clients(html),
            "count" => {
                let count = tools::registry()
                    .filter(|(toolset, tool)| self.chosen.allows(*toolset, tool.annotations.read_only))
                    .count();
                html.push_str(&count.to_string());
            }
            "tools" => self.write_tools(html),
            "prompts" => self.write_prompts(html),
            _ => {}
        }
    }

    /// Whether assistants can get in as the server is configured.
    fn access_works(&self) -> bool {
        match &self.config.access {
            Access::NotConfigured => false,
            Access::Open => !matches!(self.config.mode, Mode::Hosted(_)),
            Access::Protected { oauth, .. } => oauth
                .as_ref()
                .is_none_or(|settings| settings.allows_anyone()),
        }
    }

    /// Who may use the MCP URL, and what is wrong when nobody can.
    fn write_access(&self, html: &mut String) {
        match &self.config.access {
            Access::NotConfigured => html.push_str("not configured: the server refuses every MCP request (see below)"),
            Access::Open => html.push_str(match self.config.mode {
                Mode::Hosted(_) => "none: opened on purpose (<code>MCP_ALLOW_UNAUTHENTICATED</code>), so anyone with the URL acts with the server's key",
                Mode::Public => "the Clerk key each request brings; no access token",
            }),
            Access::Protected { tokens, oauth } => {
                if !tokens.is_empty() {
                    html.push_str("an access token of the server (<code>MCP_AUTH_TOKENS</code>) in <code>Authorization: Bearer</code>");
                }
                if let Some(settings) = oauth {
                    if !tokens.is_empty() {
                        html.push_str(", or ");
                    }
                    html.push_str("sign-in with Clerk, which the assistant asks its user for");
                    if !settings.allows_anyone() {
                        html.push_str("; but no user is allowed yet (see below)");
                    }
                }
            }
        }
    }

    /// The attributes of the confirmation level's option: chosen, or not
    /// offered when the server already asks for more.
    fn write_confirm_option(&self, level: Confirm, html: &mut String) {
        if level < self.config.confirm {
            html.push_str(" disabled hidden");
        } else if level == self.confirm {
            html.push_str(" selected");
        }
    }

    fn write_clients(&self, html: &mut String) {
        let url = self.url();
        let text = |client: &Value, field: &str| -> String {
            client
                .get(field)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        for client in clients::clients(self.needs()) {
            let (id, name, snippet) = (
                text(client, "id"),
                text(client, "name"),
                text(client, "snippet"),
            );
            let format = text(client, "format");
            html.push_str("<section class=\"client\" data-client=\"");
            html.push_str(&id);
            html.push_str("\"><h3>");
            html.push_str(&name);
            html.push_str("</h3><p>");
            html.push_str(&text(client, "place"));
            html.push_str("</p><pre><code id=\"snippet-");
            html.push_str(&id);
            html.push_str("\" data-format=\"");
            html.push_str(&format);
            html.push_str("\" data-template=\"");
            html.push_str(&escape(&snippet));
            html.push_str("\">");
            html.push_str(&escape(&snippet.replace(URL_MARK, &url)));
            html.push_str(
                "</code></pre><div class=\"row\"><button type=\"button\" data-copy=\"snippet-",
            );
            html.push_str(&id);
            html.push_str("\" hidden>Copy the ");
            html.push_str(&name);
            html.push_str(if format == "command" {
                " command"
            } else {
                " configuration"
            });
            html.push_str("</button>");
            if let Some(install) = client.get("install") {
                let prefix = text(install, "prefix");
                let config = text(install, "config");
                let filled = config.replace(URL_MARK, &url);
                let encoding = text(install, "encoding");
                let encoded = match encoding.as_str() {
                    "base64" => crate::base64::encode(filled.as_bytes()),
                    _ => uri_component(&filled),
                };
                html.push_str(" <a class=\"install\" id=\"install-");
                html.push_str(&id);
                html.push_str("\" href=\"");
                html.push_str(&escape(&prefix));
                html.push_str(&escape(&encoded));
                html.push_str("\" data-prefix=\"");
                html.push_str(&escape(&prefix));
                html.push_str("\" data-encoding=\"");
                html.push_str(&encoding);
                html.push_str("\" data-config=\"");
                html.push_str(&escape(&config));
                html.push_str("\">");
                html.push_str(&text(install, "label"));
                html.push_str("</a>");
            }
            html.push_str("</div></section>\n");
        }
    }

    fn write_tools(&self, html: &mut String) {
        let groups = Toolset::ALL
            .into_iter()
            .filter(|toolset| self.offered.toolsets.contains(*toolset))
            .map(Some)
            .chain([None]);
        for toolset in groups {
            let (id, title) = match toolset {
                Some(toolset) => (toolset.name(), toolset.name()),
                None => ("", "on every connection"),
            };
            let tools = || {
                tools::registry()
                    .filter(move |(set, tool)| {
                        *set == toolset && self.offered.allows(*set, tool.annotations.read_only)
                    })
                    .map(|(_, tool)| tool)
            };
            if tools().next().is_none() {
                continue;
            }
            html.push_str("<section data-group=\"");
            html.push_str(id);
            html.push('"');
            if !tools().any(|tool| self.chosen.allows(toolset, tool.annotations.read_only)) {
                html.push_str(" hidden");
            }
            html.push_str("><h3>");
            html.push_str(title);
            html.push_str("</h3><ul class=\"tools\">");
            for tool in tools() {
                let annotations = tool.annotations;
                let kind = match (annotations.read_only, annotations.destructive) {
                    (true, _) => "read",
                    (false, false) => "write",
                    (false, true) => "destructive",
                };
                for piece in [
                    "<li data-tool=\"",
                    tool.name,
                    "\" data-toolset=\"",
                    id,
                    "\" data-kind=\"",
                    kind,
                    if self.chosen.allows(toolset, annotations.read_only) {
                        "\">"
                    } else {
                        "\" hidden>"
                    },
                    "<code>",
                    tool.name,
                    "</code><br><span class=\"mark ",
                    kind,
                    "\">",
                    kind,
                    "</span><span class=\"dim\">",
                ] {
                    html.push_str(piece);
                }
                html.push_str(&escape(tool.title));
                html.push_str("</span></li>");
            }
            html.push_str("</ul></section>\n");
        }
    }

    fn write_prompts(&self, html: &mut String) {
        for prompt in prompts::all() {
            if !prompt.is_offered(self.offered) {
                continue;
            }
            let shown = prompt.is_offered(self.chosen);
            html.push_str("<li data-prompt=\"");
            html.push_str(prompt.name);
            html.push_str("\" data-needs=\"");
            html.push_str(&prompt.tools.join(" "));
            html.push_str(if shown {
                "\"><code>"
            } else {
                "\" hidden><code>"
            });
            html.push_str(prompt.name);
            html.push_str("</code>: ");
            html.push_str(&escape(prompt.title));
            html.push_str(". <span class=\"dim\">");
            html.push_str(&escape(prompt.description));
            html.push_str("</span></li>");
        }
    }
}

/// The origin as the page may show it: one whose host is made of letters,
/// digits, dots, hyphens and a port (or an IPv6 literal), else a
/// placeholder, so that whatever a request says its host is cannot reach
/// the page's script or a shell command as anything but text.
fn plain_origin(origin: &str) -> &str {
    let (scheme, host) = origin.split_once("://").unwrap_or(("", origin));
    let plain = matches!(scheme, "http" | "https")
        && !host.is_empty()
        && host
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b".-:[]".contains(&byte));
    match plain {
        true => origin,
        false => "https://your-worker.example",
    }
}

/// Text made safe inside an HTML element or a quoted attribute.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// `text` as JavaScript's `encodeURIComponent` writes it.
fn uri_component(text: &str) -> String {
    percent_encode(text, |byte| {
        byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::header::ACCEPT;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn only_a_request_that_prefers_html_gets_the_page() {
        assert!(wants_page(&accept(
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        )));
        assert!(wants_page(&accept("application/json;q=0.5, text/html")));
        assert!(!wants_page(&HeaderMap::new()));
        assert!(!wants_page(&accept("*/*")));
        assert!(!wants_page(&accept("application/json")));
        assert!(!wants_page(&accept("text/html, application/json")));
        assert!(!wants_page(&accept("text/html;q=0")));
        assert!(!wants_page(&accept("text/html;q=abc")));
    }

    #[test]
    fn the_form_and_the_mcp_url_say_the_same_choices() {
        let form =
            choices("readonly=true&toolset=&toolset=users&toolset=roles&confirm=writes").unwrap();
        let url = choices("readonly=true&toolsets=users,roles&confirm=writes").unwrap();
        assert_eq!(form, url);
        assert!(form.selection.read_only);
        assert_eq!(form.selection.toolsets.names(), ["users", "roles"]);
        assert_eq!(form.confirm, Confirm::Writes);
        let none_ticked = choices("toolset=").unwrap();
        assert!(none_ticked.names_toolsets);
        assert!(none_ticked.selection.toolsets.names().is_empty());
        assert_eq!(choices("").unwrap(), Wishes::NONE);
    }

    #[test]
    fn unreadable_choices_are_named() {
        assert!(choices("toolset=nope").unwrap_err().contains("\"nope\""));
        assert!(choices("readonly=maybe").unwrap_err().contains("readonly"));
        assert!(choices("confirm=always").unwrap_err().contains("confirm"));
    }

    #[test]
    fn an_odd_host_is_never_shown() {
        assert_eq!(
            plain_origin("https://mcp.example.com"),
            "https://mcp.example.com"
        );
        assert_eq!(
            plain_origin("http://127.0.0.1:8787"),
            "http://127.0.0.1:8787"
        );
        assert_eq!(plain_origin("http://[::1]:8787"), "http://[::1]:8787");
        assert_eq!(
            plain_origin("https://a'b.example"),
            "https://your-worker.example"
        );
        assert_eq!(plain_origin("https://"), "https://your-worker.example");
    }

    #[test]
    fn escapes_text_and_encodes_uri_components_as_a_browser_does() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(
            uri_component("{\"url\":\"https://x/mcp?a=b&c\"}"),
            "%7B%22url%22%3A%22https%3A%2F%2Fx%2Fmcp%3Fa%3Db%26c%22%7D"
        );
    }

    #[test]
    fn the_policy_names_the_page_script_and_style_by_hash() {
        let policy = content_security_policy();
        assert!(policy.starts_with("default-src 'none'; style-src 'sha256-"));
        assert!(!policy.contains("sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="));
        assert!(policy.contains("frame-ancestors 'none'"));
    }
}
