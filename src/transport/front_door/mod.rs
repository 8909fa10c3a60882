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

use std::fmt::Write;
use std::sync::OnceLock;

use http::header::{
    HeaderValue, ACCEPT, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY,
    VARY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use http::request::Parts;
use http::{HeaderMap, Response, StatusCode};
use serde_json::Value;

use super::narrowing::{percent_decode, Wishes};
use super::{credentials, health, server_origin, Runtime};
use crate::clerk::KeyError;
use crate::config::{Access, Config, Mode};
use crate::mcp::prompts;
use crate::mcp::{ProtocolVersion, STATELESS_VERSION};
use crate::sha256::sha256;
use crate::tools::{self, Confirm, Selection, Toolset, Toolsets};
use clients::{Client, Credential, ACCESS_TOKEN, CLERK_KEY, URL_MARK};

/// The page, with `<!--name-->` where each part goes.
const PAGE: &str = include_str!("page.html");

/// Whether a request asks for a page rather than JSON: its `Accept` names
/// `text/html`, and prefers it to `application/json` when it names both.
/// A request without `Accept`, or with `*/*` alone, keeps the JSON answer.
pub fn wants_page(headers: &HeaderMap) -> bool {
    let (mut html, mut json) = (0u16, 0u16);
    for range in headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
    {
        let mut parts = range.split(';');
        let media_range = parts.next().unwrap_or_default().trim();
        let weight = parts
            .filter_map(|param| param.split_once('='))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("q"))
            .map_or(1000, |(_, value)| weight(value.trim()));
        if media_range.eq_ignore_ascii_case("text/html") {
            html = html.max(weight);
        } else if media_range.eq_ignore_ascii_case("application/json") {
            json = json.max(weight);
        }
    }
    html > json
}

/// A `q` weight in thousandths (RFC 9110, 12.4.2), 0 when unreadable.
fn weight(value: &str) -> u16 {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|digit| digit.is_ascii_digit()) {
        return 0;
    }
    let thousandths = format!("{fraction:0<3}").parse::<u16>().unwrap_or(0);
    match whole {
        "0" => thousandths,
        "1" => 1000,
        _ => 0,
    }
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
             img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
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
            "readonly" => {
                wishes.selection.read_only = match value.trim() {
                    "true" | "1" => true,
                    "false" | "0" => false,
                    _ => return Err(format!("readonly must be true or false (got {value:?})")),
                }
            }
            "toolset" | "toolsets" => {
                wishes.names_toolsets = true;
                named.push(value);
            }
            "confirm" => {
                let asked = Confirm::parse(&value).ok_or_else(|| {
                    format!("confirm must be destructive, writes or off (got {value:?})")
                })?;
                wishes.confirm = wishes.confirm.max(asked);
            }
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
    fn credentials(&self) -> Vec<Credential> {
        let mut needed = Vec::new();
        if matches!(self.config.mode, Mode::Public) {
            needed.push(CLERK_KEY);
        }
        let tokens_only = match &self.config.access {
            Access::Protected { tokens, oauth } => !tokens.is_empty() && oauth.is_none(),
            Access::NotConfigured => true,
            Access::Open => false,
        };
        if tokens_only {
            needed.push(ACCESS_TOKEN);
        }
        needed
    }

    fn write_part(&self, name: &str, health: &Value, problem: Option<&str>, html: &mut String) {
        match name {
            "status" => self.write_status(health, problem, html),
            "form" => {
                let _ = write!(
                    html,
                    " data-base=\"{}\" data-defaults=\"{}\" data-confirm=\"{}\"",
                    escape(&self.base),
                    self.defaults.names().join(","),
                    self.config.confirm.name()
                );
            }
            "controls" => self.write_controls(html),
            "url" => html.push_str(&escape(&self.url())),
            "clients" => self.write_clients(html),
            "count" => {
                let count = tools::registry()
                    .filter(|(toolset, tool)| self.shows(*toolset, tool.annotations.read_only))
                    .count();
                let _ = write!(html, "{count}");
            }
            "tools" => self.write_tools(html),
            "prompts" => self.write_prompts(html),
            _ => {}
        }
    }

    /// Whether the choices get a tool.
    fn shows(&self, toolset: Option<Toolset>, read_only: bool) -> bool {
        self.chosen.allows(toolset, read_only)
    }

    fn write_status(&self, health: &Value, problem: Option<&str>, html: &mut String) {
        if let Some(problem) = problem {
            let _ = write!(
                html,
                "<p class=\"bad\" role=\"alert\">This page's address is not understood: {}. It shows the defaults instead.</p>",
                escape(problem)
            );
        }
        let hosted = matches!(self.config.mode, Mode::Hosted(_));
        let mode = match hosted {
            true => "<strong>hosted</strong>: the server keeps a Clerk secret key, which assistants never see",
            false => "<strong>public</strong>: the server keeps no Clerk key; each assistant sends its own in <code>X-Clerk-Secret-Key</code>",
        };
        let clerk = match health.get("clerkConnected") {
            Some(Value::Bool(true)) => {
                "<dd id=\"clerk\" class=\"ok\">reachable, and it accepts the server's key</dd>"
            }
            Some(Value::Bool(false)) => {
                "<dd id=\"clerk\" class=\"bad\">not working with the server's key (see below)</dd>"
            }
            _ => "<dd id=\"clerk\">checked on each request, with the key it brings</dd>",
        };
        let (access_class, access) = match (&self.config.access, hosted) {
            (Access::NotConfigured, _) => ("bad", "not configured: the server refuses every MCP request (see below)".to_owned()),
            (Access::Open, true) => ("bad", "none: opened on purpose (<code>MCP_ALLOW_UNAUTHENTICATED</code>), so anyone with the URL acts with the server's key".to_owned()),
            (Access::Open, false) => ("ok", "the Clerk key each request brings; no access token".to_owned()),
            (Access::Protected { tokens, oauth }, _) => {
                let mut ways = Vec::new();
                if !tokens.is_empty() {
                    ways.push("an access token of the server (<code>MCP_AUTH_TOKENS</code>) in <code>Authorization: Bearer</code>");
                }
                if oauth.is_some() {
                    ways.push("sign-in with Clerk, which the assistant asks its user for");
                }
                match oauth.as_ref().is_some_and(|settings| !settings.allows_anyone()) {
                    true => ("bad", format!("{}; but no user is allowed yet (see below)", ways.join(", or "))),
                    false => ("ok", ways.join(", or ")),
                }
            }
        };
        let status = health.get("status").and_then(Value::as_str).unwrap_or("ok");
        let mut versions: Vec<&str> = ProtocolVersion::ALL.iter().map(|v| v.as_str()).collect();
        versions.push(STATELESS_VERSION);
        let _ = write!(
            html,
            "<h2>Status</h2>\n<dl id=\"status\">\
             <dt>Health</dt><dd id=\"health\" class=\"{status_class}\">{status}</dd>\
             <dt>Mode</dt><dd id=\"mode\">{mode}</dd>\
             <dt>Clerk</dt>{clerk}\
             <dt>Access</dt><dd id=\"access\" class=\"{access_class}\">{access}</dd>\
             <dt>Protocol versions</dt><dd id=\"versions\">{versions}</dd>\
             <dt>Version</dt><dd>{version}</dd></dl>\n",
            status_class = if status == "ok" { "ok" } else { "bad" },
            status = escape(status),
            versions = versions.join(", "),
            version = crate::SERVER_VERSION,
        );
        if self.withheld {
            html.push_str(
                "<p id=\"withheld\">The server's key is a production key and <code>MCP_LIVE_WRITES</code> is not set, so the URL offers the reading tools only.</p>\n",
            );
        }
        if let Some(reason) = health.get("reason").and_then(Value::as_str) {
            let _ = writeln!(html, "<p id=\"fix\" class=\"bad\">{}</p>", escape(reason));
        }
    }

    fn write_controls(&self, html: &mut String) {
        let read_only_attributes = match (self.chosen.read_only, self.offered.read_only) {
            (_, true) => " checked disabled",
            (true, false) => " checked",
            (false, false) => "",
        };
        let _ = write!(
            html,
            "<fieldset><legend>Access</legend><label><input type=\"checkbox\" id=\"readonly\" name=\"readonly\" value=\"true\"{read_only_attributes}> Read-only: only tools that read</label></fieldset>\n\
             <fieldset><legend>Toolsets</legend><input type=\"hidden\" name=\"toolset\" value=\"\">"
        );
        for toolset in Toolset::ALL {
            if !self.offered.toolsets.contains(toolset) {
                continue;
            }
            let checked = match self.chosen.toolsets.contains(toolset) {
                true => " checked",
                false => "",
            };
            let _ = write!(
                html,
                "<label><input type=\"checkbox\" name=\"toolset\" value=\"{name}\"{checked}> {name}</label>",
                name = toolset.name()
            );
        }
        html.push_str("</fieldset>\n<fieldset><legend>Confirmation</legend><label for=\"confirm\">Ask the person's yes before</label> <select id=\"confirm\" name=\"confirm\">");
        for level in Confirm::ALL {
            if level < self.config.confirm {
                continue;
            }
            let label = match level {
                Confirm::Off => "no call: the assistant's own prompts only",
                Confirm::Destructive => "calls that delete, ban or revoke",
                Confirm::Writes => "every call that changes data",
            };
            let selected = match level == self.confirm {
                true => " selected",
                false => "",
            };
            let _ = write!(
                html,
                "<option value=\"{}\"{selected}>{label}</option>",
                level.name()
            );
        }
        html.push_str("</select></fieldset>\n");
    }

    fn write_clients(&self, html: &mut String) {
        let url = self.url();
        for Client {
            id,
            name,
            place,
            format,
            snippet,
            install,
        } in clients::clients(&self.credentials())
        {
            let _ = write!(
                html,
                "<section class=\"client\" data-client=\"{id}\" aria-labelledby=\"client-{id}\"><h3 id=\"client-{id}\">{name}</h3><p>{place}</p>\
                 <pre><code id=\"snippet-{id}\" data-format=\"{format}\" data-template=\"{template}\">{filled}</code></pre>\
                 <div class=\"row\"><button type=\"button\" data-copy=\"snippet-{id}\" hidden>Copy the {name} {what}</button>",
                format = format.name(),
                template = escape(&snippet),
                filled = escape(&snippet.replace(URL_MARK, &url)),
                what = match format {
                    clients::Format::Json => "configuration",
                    clients::Format::Command => "command",
                },
            );
            if let Some(install) = install {
                let config = install.config.replace(URL_MARK, &url);
                let encoded = match install.encoding {
                    "base64" => crate::base64::encode(config.as_bytes()),
                    _ => uri_component(&config),
                };
                let _ = write!(
                    html,
                    " <a class=\"install\" id=\"install-{id}\" href=\"{href}\" data-prefix=\"{prefix}\" data-encoding=\"{encoding}\" data-config=\"{config}\">{label}</a>",
                    href = escape(&format!("{}{encoded}", install.prefix)),
                    prefix = escape(install.prefix),
                    encoding = install.encoding,
                    config = escape(&install.config),
                    label = install.label,
                );
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
            let tools: Vec<&tools::ToolDefinition> = tools::registry()
                .filter(|(set, tool)| {
                    *set == toolset && self.offered.allows(*set, tool.annotations.read_only)
                })
                .map(|(_, tool)| tool)
                .collect();
            if tools.is_empty() {
                continue;
            }
            let any_shown = tools
                .iter()
                .any(|tool| self.shows(toolset, tool.annotations.read_only));
            let _ = write!(
                html,
                "<section data-group=\"{id}\"{hidden}><h3>{title}</h3><ul class=\"tools\">",
                hidden = if any_shown { "" } else { " hidden" },
            );
            for tool in tools {
                let annotations = tool.annotations;
                let kind = match (annotations.read_only, annotations.destructive) {
                    (true, _) => "read",
                    (false, false) => "write",
                    (false, true) => "destructive",
                };
                let _ = write!(
                    html,
                    "<li data-tool=\"{name}\" data-toolset=\"{id}\" data-kind=\"{kind}\"{hidden}><code>{name}</code><span class=\"mark {kind}\">{kind}</span><br><span class=\"dim\">{title}</span></li>",
                    name = tool.name,
                    hidden = if self.shows(toolset, annotations.read_only) { "" } else { " hidden" },
                    title = escape(tool.title),
                );
            }
            html.push_str("</ul></section>\n");
        }
    }

    fn write_prompts(&self, html: &mut String) {
        html.push_str("<ul id=\"prompts\">");
        for prompt in prompts::all() {
            let offered = prompt.tools.iter().all(|name| {
                tools::registry().any(|(toolset, tool)| {
                    tool.name == *name && self.offered.allows(toolset, tool.annotations.read_only)
                })
            });
            if !offered {
                continue;
            }
            let shown = prompts::offered(self.chosen).any(|p| p.name == prompt.name);
            let _ = write!(
                html,
                "<li data-prompt=\"{name}\" data-needs=\"{needs}\"{hidden}><code>{name}</code>: {title}. <span class=\"dim\">{description}</span></li>",
                name = prompt.name,
                needs = prompt.tools.join(" "),
                hidden = if shown { "" } else { " hidden" },
                title = escape(prompt.title),
                description = escape(prompt.description),
            );
        }
        html.push_str("</ul>\n");
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
    let mut encoded = String::with_capacity(text.len() * 2);
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'!'
            | b'~'
            | b'*'
            | b'\''
            | b'('
            | b')' => encoded.push(char::from(byte)),
            _ => {
                let _ = write!(encoded, "%{byte:02X}");
            }
        }
    }
    encoded
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
