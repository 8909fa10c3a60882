//! What each assistant needs to connect: its configuration for this
//! server's URL and mode, and its install link where it has one.
//!
//! Every snippet is written with [`URL_MARK`] where the MCP URL goes, so that
//! the page's script can put in the URL the controls make without knowing
//! any client's format; the server fills in the URL of the page's own
//! choices the same way. A credential is never on the page: each snippet
//! names an environment variable or a prompt the client fills in.
//!
//! The snippets depend only on which headers a server wants, so they are
//! written for each case by the unit tests (`generate`) and kept in
//! `clients.json` beside this file, as the tools' schemas are: a build
//! only reads them. `snippets_are_those_the_generator_writes` fails when
//! the two differ (`UPDATE_GOLDEN=1 cargo test` rewrites the file).

use std::sync::OnceLock;

#[cfg(test)]
use serde_json::json;
use serde_json::{Map, Value};

/// Where the MCP URL goes in a snippet or an install link's configuration.
pub const URL_MARK: &str = "{{MCP_URL}}";

/// Which headers a server wants of every assistant's requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Needs {
    /// A Clerk secret key in `X-Clerk-Secret-Key` (public mode).
    pub clerk_key: bool,
    /// One of the server's access tokens in `Authorization: Bearer`.
    pub access_token: bool,
}

impl Needs {
    /// Every case, in `clients.json` order.
    #[cfg(test)]
    const ALL: [Needs; 4] = [
        Needs {
            clerk_key: false,
            access_token: false,
        },
        Needs {
            clerk_key: true,
            access_token: false,
        },
        Needs {
            clerk_key: false,
            access_token: true,
        },
        Needs {
            clerk_key: true,
            access_token: true,
        },
    ];

    /// The case's name in `clients.json`.
    fn name(self) -> &'static str {
        match (self.clerk_key, self.access_token) {
            (false, false) => "nothing",
            (true, false) => "clerk-key",
            (false, true) => "access-token",
            (true, true) => "clerk-key+access-token",
        }
    }
}

/// Written by `snippets_are_those_the_generator_writes`: one line per
/// case of [`Needs`], each an array of clients with `id`, `name`, `place`
/// (HTML), `format` (`json` or `command`), `snippet` and, for those that
/// have one, `install` (`label`, `prefix`, `encoding`, `config`).
const EMBEDDED: &str = include_str!("clients.json");

/// Each client's way in, for a server that wants `needs`.
pub fn clients(needs: Needs) -> &'static [Value] {
    static CLIENTS: OnceLock<Map<String, Value>> = OnceLock::new();
    CLIENTS
        .get_or_init(|| serde_json::from_str(EMBEDDED).unwrap_or_default())
        .get(needs.name())
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The configurations, as the unit tests write them into `clients.json`.
#[cfg(test)]
mod generate {
    use super::*;

    /// A header the client must send, and where its value comes from.
    #[derive(Clone, Copy)]
    pub struct Credential {
        pub header: &'static str,
        /// What comes before the secret in the header's value (`Bearer `).
        pub scheme: &'static str,
        /// The environment variable a client that reads them takes it from.
        pub variable: &'static str,
        /// The id of the prompt a client that asks for it shows.
        pub input: &'static str,
        /// What the secret is, for a person: "your Clerk secret key".
        pub what: &'static str,
    }

    /// The Clerk secret key, which a public server takes from each request.
    pub const CLERK_KEY: Credential = Credential {
        header: "X-Clerk-Secret-Key",
        scheme: "",
        variable: "CLERK_SECRET_KEY",
        input: "clerk-secret-key",
        what: "your Clerk secret key",
    };

    /// One of the server's access tokens (`MCP_AUTH_TOKENS`).
    pub const ACCESS_TOKEN: Credential = Credential {
        header: "Authorization",
        scheme: "Bearer ",
        variable: "CLERK_MCP_TOKEN",
        input: "clerk-mcp-token",
        what: "your access token for this server",
    };

    /// How a snippet is read.
    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    pub enum Format {
        Json,
        Command,
    }

    impl Format {
        pub fn name(self) -> &'static str {
            match self {
                Format::Json => "json",
                Format::Command => "command",
            }
        }
    }

    /// A link that installs the server in a client in one click.
    pub struct Install {
        pub label: &'static str,
        /// The link up to the encoded configuration.
        pub prefix: &'static str,
        /// How the configuration is encoded: `base64` or `uri`
        /// (`encodeURIComponent`).
        pub encoding: &'static str,
        /// The configuration, as JSON text with [`URL_MARK`].
        pub config: String,
    }

    /// One client's way in.
    pub struct Client {
        /// Its id on the page.
        pub id: &'static str,
        pub name: &'static str,
        /// Where the snippet goes, as HTML.
        pub place: String,
        pub format: Format,
        /// The snippet, with [`URL_MARK`].
        pub snippet: String,
        pub install: Option<Install>,
    }

    impl Client {
        fn into_json(self) -> Value {
            let mut client = json!({
                "id": self.id,
                "name": self.name,
                "place": self.place,
                "format": self.format.name(),
                "snippet": self.snippet,
            });
            if let Some(install) = self.install {
                client["install"] = json!({
                    "label": install.label,
                    "prefix": install.prefix,
                    "encoding": install.encoding,
                    "config": install.config,
                });
            }
            client
        }
    }

    /// The server's name in every client's configuration.
    const NAME: &str = "clerk";

    /// Every client's way in, for a server whose requests need `credentials`
    /// (none with sign-in with Clerk or an open server).
    pub fn for_credentials(credentials: &[Credential]) -> Vec<Client> {
        vec![
            claude_code(credentials),
            claude_desktop(credentials),
            cursor(credentials),
            vscode(credentials),
            windsurf(credentials),
        ]
    }

    /// JSON with its keys in the order given, as people write configuration
    /// files (a `serde_json` map sorts them, which would put a server's URL
    /// after its headers).
    pub enum J {
        Text(String),
        Yes,
        List(Vec<J>),
        Object(Vec<(String, J)>),
    }

    pub fn text(value: impl Into<String>) -> J {
        J::Text(value.into())
    }

    pub fn object(entries: Vec<(&str, J)>) -> J {
        J::Object(
            entries
                .into_iter()
                .map(|(key, value)| (key.to_owned(), value))
                .collect(),
        )
    }

    impl J {
        /// Adds an entry to an object.
        fn with(mut self, key: &str, value: J) -> J {
            if let J::Object(entries) = &mut self {
                entries.push((key.to_owned(), value));
            }
            self
        }

        /// Two spaces an indent, as people write configuration files.
        pub fn pretty(&self) -> String {
            let mut text = String::new();
            self.write(Some(0), &mut text);
            text
        }

        /// No spaces, as a link carries it.
        pub fn compact(&self) -> String {
            let mut text = String::new();
            self.write(None, &mut text);
            text
        }

        fn write(&self, indent: Option<usize>, text: &mut String) {
            let (open, close, entries): (char, char, Vec<(Option<&String>, &J)>) = match self {
                J::Text(value) => return text.push_str(&Value::from(value.as_str()).to_string()),
                J::Yes => return text.push_str("true"),
                J::List(items) => ('[', ']', items.iter().map(|item| (None, item)).collect()),
                J::Object(entries) => (
                    '{',
                    '}',
                    entries
                        .iter()
                        .map(|(key, value)| (Some(key), value))
                        .collect(),
                ),
            };
            text.push(open);
            for (index, (key, value)) in entries.iter().enumerate() {
                if index > 0 {
                    text.push(',');
                }
                if let Some(indent) = indent {
                    text.push('\n');
                    text.extend(std::iter::repeat_n(' ', indent + 2));
                }
                if let Some(key) = key {
                    text.push_str(&Value::from(key.as_str()).to_string());
                    text.push_str(if indent.is_some() { ": " } else { ":" });
                }
                value.write(indent.map(|indent| indent + 2), text);
            }
            if let Some(indent) = indent.filter(|_| !entries.is_empty()) {
                text.push('\n');
                text.extend(std::iter::repeat_n(' ', indent));
            }
            text.push(close);
        }
    }

    /// `{header: value}` for each credential, the value written by `value`.
    fn headers(credentials: &[Credential], value: impl Fn(&Credential) -> String) -> J {
        J::Object(
            credentials
                .iter()
                .map(|credential| (credential.header.to_owned(), text(value(credential))))
                .collect(),
        )
    }

    /// Where the secrets come from, said once under a snippet that reads
    /// environment variables.
    fn from_environment(credentials: &[Credential]) -> String {
        let named: Vec<String> = credentials
            .iter()
            .map(|credential| {
                format!(
                    "<code>{}</code> to {}",
                    credential.variable, credential.what
                )
            })
            .collect();
        match named.is_empty() {
            true => String::new(),
            false => format!(
                " Set {} in the environment the client starts from: the configuration names the variable, never the secret.",
                named.join(" and ")
            ),
        }
    }

    fn claude_code(credentials: &[Credential]) -> Client {
        let mut command = format!("claude mcp add --transport http {NAME} '{URL_MARK}'");
        for credential in credentials {
            command.push_str(&format!(
                " --header \"{}: {}${}\"",
                credential.header, credential.scheme, credential.variable
            ));
        }
        Client {
            id: "claude-code",
            name: "Claude Code",
            place: match credentials.is_empty() {
                true => "Run in a terminal; Claude Code asks you to sign in when the server wants it (<code>/mcp</code>).".to_owned(),
                false => format!(
                    "Run in a terminal where {}: the shell puts the secret into Claude Code's configuration; this page never sees it.",
                    credentials
                        .iter()
                        .map(|credential| format!("<code>{}</code> holds {}", credential.variable, credential.what))
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
            },
            format: Format::Command,
            snippet: command,
            install: None,
        }
    }

    fn claude_desktop(credentials: &[Credential]) -> Client {
        let mut args = vec![text("-y"), text("mcp-remote"), text(URL_MARK)];
        let mut env = Vec::new();
        for credential in credentials {
            // The whole value comes from the environment: a space inside an
            // argument is mangled on some systems.
            let variable = match credential.scheme.is_empty() {
                true => credential.variable.to_owned(),
                false => format!("{}_HEADER", credential.variable),
            };
            args.push(text("--header"));
            args.push(text(format!("{}:${{{variable}}}", credential.header)));
            env.push((
                variable,
                text(format!("{}<{}>", credential.scheme, credential.what)),
            ));
        }
        let mut server = object(vec![("command", text("npx")), ("args", J::List(args))]);
        if !env.is_empty() {
            server = server.with("env", J::Object(env));
        }
        Client {
            id: "claude-desktop",
            name: "Claude Desktop",
            place: format!(
                "In <code>claude_desktop_config.json</code> (Settings, Developer, Edit Config). \
                 Claude Desktop starts local programs, so it reaches this server through \
                 <code>mcp-remote</code>{}.",
                match credentials.is_empty() {
                    true => ", which asks you to sign in when the server wants it",
                    false => "; replace each placeholder in <code>env</code> with the secret",
                }
            ),
            format: Format::Json,
            snippet: object(vec![("mcpServers", object(vec![(NAME, server)]))]).pretty(),
            install: None,
        }
    }

    /// A server entry of `url_key` (and the headers, written by `value`), as
    /// Cursor and Windsurf read it.
    fn url_and_headers(
        url_key: &str,
        credentials: &[Credential],
        value: impl Fn(&Credential) -> String,
    ) -> J {
        let server = object(vec![(url_key, text(URL_MARK))]);
        match credentials.is_empty() {
            true => server,
            false => server.with("headers", headers(credentials, value)),
        }
    }

    fn from_env(credential: &Credential) -> String {
        format!("{}${{env:{}}}", credential.scheme, credential.variable)
    }

    fn cursor(credentials: &[Credential]) -> Client {
        let server = || url_and_headers("url", credentials, from_env);
        Client {
            id: "cursor",
            name: "Cursor",
            place: format!(
                "In <code>~/.cursor/mcp.json</code>, or <code>.cursor/mcp.json</code> in a project.{}",
                from_environment(credentials)
            ),
            format: Format::Json,
            snippet: object(vec![("mcpServers", object(vec![(NAME, server())]))]).pretty(),
            install: Some(Install {
                label: "Add to Cursor",
                prefix: "cursor://anysphere.cursor-deeplink/mcp/install?name=clerk&config=",
                encoding: "base64",
                config: server().compact(),
            }),
        }
    }

    fn vscode(credentials: &[Credential]) -> Client {
        let inputs = || {
            J::List(
                credentials
                    .iter()
                    .map(|credential| {
                        object(vec![
                            ("type", text("promptString")),
                            ("id", text(credential.input)),
                            ("description", text(credential.what)),
                            ("password", J::Yes),
                        ])
                    })
                    .collect(),
            )
        };
        let server = |start: Vec<(&str, J)>| {
            let server = object(start)
                .with("type", text("http"))
                .with("url", text(URL_MARK));
            match credentials.is_empty() {
                true => server,
                false => server.with(
                    "headers",
                    headers(credentials, |credential| {
                        format!("{}${{input:{}}}", credential.scheme, credential.input)
                    }),
                ),
            }
        };
        let mut file = object(vec![]);
        let mut link = server(vec![("name", text(NAME))]);
        if !credentials.is_empty() {
            file = file.with("inputs", inputs());
            link = link.with("inputs", inputs());
        }
        file = file.with("servers", object(vec![(NAME, server(vec![]))]));
        Client {
            id: "vscode",
            name: "VS Code",
            place: match credentials.is_empty() {
                true => "In <code>.vscode/mcp.json</code>, or your user configuration (MCP: Open User Configuration).".to_owned(),
                false => "In <code>.vscode/mcp.json</code>, or your user configuration (MCP: Open User Configuration). \
                          VS Code asks for the secret the first time and keeps it in its secret storage."
                    .to_owned(),
            },
            format: Format::Json,
            snippet: file.pretty(),
            install: Some(Install {
                label: "Add to VS Code",
                prefix: "vscode:mcp/install?",
                encoding: "uri",
                config: link.compact(),
            }),
        }
    }

    fn windsurf(credentials: &[Credential]) -> Client {
        Client {
            id: "windsurf",
            name: "Windsurf",
            place: format!(
                "In <code>~/.codeium/windsurf/mcp_config.json</code>.{}",
                from_environment(credentials)
            ),
            format: Format::Json,
            snippet: object(vec![(
                "mcpServers",
                object(vec![(
                    NAME,
                    url_and_headers("serverUrl", credentials, from_env),
                )]),
            )])
            .pretty(),
            install: None,
        }
    }

    /// `clients.json`: one line per case.
    pub fn generated() -> String {
        let lines: Vec<String> = Needs::ALL
            .iter()
            .map(|needs| {
                let mut credentials = Vec::new();
                if needs.clerk_key {
                    credentials.push(CLERK_KEY);
                }
                if needs.access_token {
                    credentials.push(ACCESS_TOKEN);
                }
                let listed: Vec<Value> = for_credentials(&credentials)
                    .into_iter()
                    .map(Client::into_json)
                    .collect();
                format!("{}:{}", Value::from(needs.name()), Value::Array(listed))
            })
            .collect();
        format!("{{\n{}\n}}\n", lines.join(",\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::generate::*;
    use super::*;

    #[test]
    fn snippets_are_those_the_generator_writes() {
        let generated = generated();
        if std::env::var_os("UPDATE_GOLDEN").is_some() && generated != EMBEDDED {
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/src/transport/front_door/clients.json"
            );
            std::fs::write(path, &generated).expect("clients.json written");
            panic!("src/transport/front_door/clients.json was rewritten; run cargo test again to build with it");
        }
        assert!(
            generated == EMBEDDED,
            "src/transport/front_door/clients.json differs from what the generator writes; run UPDATE_GOLDEN=1 cargo test"
        );
    }

    #[test]
    fn every_case_has_every_client() {
        for needs in Needs::ALL {
            let ids: Vec<&str> = super::clients(needs)
                .iter()
                .filter_map(|client| client["id"].as_str())
                .collect();
            assert_eq!(
                ids,
                [
                    "claude-code",
                    "claude-desktop",
                    "cursor",
                    "vscode",
                    "windsurf"
                ],
                "{needs:?}"
            );
        }
    }

    fn filled(text: &str) -> Value {
        serde_json::from_str(&text.replace(URL_MARK, "https://mcp.example.com/mcp?readonly=true"))
            .expect("a snippet is JSON once the URL is in")
    }

    #[test]
    fn a_public_server_names_where_the_key_goes_and_never_a_key() {
        let clients = for_credentials(&[CLERK_KEY]);
        let cursor = clients.iter().find(|client| client.id == "cursor").unwrap();
        assert_eq!(
            filled(&cursor.snippet)["mcpServers"]["clerk"]["headers"]["X-Clerk-Secret-Key"],
            "${env:CLERK_SECRET_KEY}"
        );
        let vscode = clients.iter().find(|client| client.id == "vscode").unwrap();
        let file = filled(&vscode.snippet);
        assert_eq!(file["inputs"][0]["id"], "clerk-secret-key");
        assert_eq!(
            file["servers"]["clerk"]["headers"]["X-Clerk-Secret-Key"],
            "${input:clerk-secret-key}"
        );
        let link = filled(&vscode.install.as_ref().unwrap().config);
        assert_eq!(link["name"], "clerk");
        assert_eq!(link["type"], "http");
        assert_eq!(link["url"], "https://mcp.example.com/mcp?readonly=true");
        for client in &clients {
            assert!(!client.snippet.contains("sk_"), "{}", client.id);
        }
    }

    #[test]
    fn a_token_server_sends_a_bearer_header_and_claude_code_quotes_the_url() {
        let clients = for_credentials(&[ACCESS_TOKEN]);
        assert_eq!(
            clients[0].snippet,
            "claude mcp add --transport http clerk '{{MCP_URL}}' --header \"Authorization: Bearer $CLERK_MCP_TOKEN\""
        );
        let desktop = filled(&clients[1].snippet);
        assert_eq!(
            desktop["mcpServers"]["clerk"]["args"],
            json!([
                "-y",
                "mcp-remote",
                "https://mcp.example.com/mcp?readonly=true",
                "--header",
                "Authorization:${CLERK_MCP_TOKEN_HEADER}"
            ])
        );
        assert_eq!(
            desktop["mcpServers"]["clerk"]["env"]["CLERK_MCP_TOKEN_HEADER"],
            "Bearer <your access token for this server>"
        );
    }

    #[test]
    fn configurations_keep_their_keys_in_order() {
        let value = object(vec![
            (
                "z",
                object(vec![
                    ("b", J::List(vec![text("x"), J::Yes])),
                    ("a", object(vec![])),
                ]),
            ),
            ("d", text("q\"uote")),
        ]);
        let expected = r#"{
  "z": {
    "b": [
      "x",
      true
    ],
    "a": {}
  },
  "d": "q\"uote"
}"#;
        assert_eq!(value.pretty(), expected);
        assert_eq!(
            value.compact(),
            r#"{"z":{"b":["x",true],"a":{}},"d":"q\"uote"}"#
        );
    }

    #[test]
    fn a_server_that_needs_no_header_gets_configurations_without_one() {
        for client in for_credentials(&[]) {
            assert!(!client.snippet.contains("header"), "{}", client.id);
            assert!(!client.snippet.contains("inputs"), "{}", client.id);
        }
    }
}
