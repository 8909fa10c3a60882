//! What a request asks to narrow: `?readonly=true`, `?toolsets=a,b` and
//! `?confirm=writes` on the MCP URL (the one an assistant is given), or the
//! `X-MCP-Readonly`, `X-MCP-Toolsets` and `X-MCP-Confirm` headers. Both may
//! be used; each only ever removes tools or asks for more confirmation.

use http::header::HeaderName;
use http::request::Parts;

use crate::config::Config;
use crate::tools::{Confirm, Selection, Toolsets};

pub const READONLY_HEADER: HeaderName = HeaderName::from_static("x-mcp-readonly");
pub const TOOLSETS_HEADER: HeaderName = HeaderName::from_static("x-mcp-toolsets");
pub const CONFIRM_HEADER: HeaderName = HeaderName::from_static("x-mcp-confirm");

/// What a request asks for: the tools it wants, and the confirmation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wishes {
    pub selection: Selection,
    /// Whether the request named its toolsets; one that did not gets the
    /// server's default set.
    pub names_toolsets: bool,
    /// The most confirmation asked for; `Off` when none was.
    pub confirm: Confirm,
}

impl Wishes {
    /// A request that asks for nothing: the server's default.
    pub const NONE: Wishes = Wishes {
        selection: Selection::EVERYTHING,
        names_toolsets: false,
        confirm: Confirm::Off,
    };

    /// The tools this request gets from a server configured as `config`:
    /// the toolsets it named, or else the default set, within what the
    /// server offers.
    pub fn selection(&self, config: &Config) -> Selection {
        let mut selection = config.selection.narrowed_by(self.selection);
        if !self.names_toolsets {
            selection.toolsets = selection.toolsets.and(config.default_toolsets);
        }
        selection
    }
}

/// What a request asks for, or why its wishes cannot be read.
pub fn requested(parts: &Parts) -> Result<Wishes, String> {
    let mut selection = Selection::EVERYTHING;
    let mut names_toolsets = false;
    let mut confirm = Confirm::Off;
    let query_pairs = parts
        .uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
        .map(|(name, value)| (percent_decode(name), percent_decode(value)));
    let header_pairs = [
        ("readonly", READONLY_HEADER),
        ("toolsets", TOOLSETS_HEADER),
        ("confirm", CONFIRM_HEADER),
    ]
    .into_iter()
    .flat_map(|(name, header)| {
        parts.headers.get_all(header).iter().map(move |value| {
            (
                name.to_owned(),
                value.to_str().unwrap_or("\u{fffd}").to_owned(),
            )
        })
    });
    for (name, value) in query_pairs.chain(header_pairs) {
        match name.to_ascii_lowercase().as_str() {
            "readonly" => {
                selection = selection.narrowed_by(Selection {
                    read_only: read_only_wish(&value)?,
                    toolsets: Toolsets::ALL,
                });
            }
            "toolsets" => {
                let toolsets = Toolsets::parse(&value).map_err(|unknown| {
                    format!(
                        "toolsets names {unknown:?}, which is not a toolset; the toolsets are {}",
                        Toolsets::ALL.names().join(", ")
                    )
                })?;
                selection = selection.narrowed_by(Selection {
                    read_only: false,
                    toolsets,
                });
                names_toolsets = true;
            }
            "confirm" => confirm = confirm.max(confirm_wish(&value)?),
            _ => {}
        }
    }
    Ok(Wishes {
        selection,
        names_toolsets,
        confirm,
    })
}

/// A `readonly` wish: `true` or `false` (or `1` or `0`), in any case.
pub(super) fn read_only_wish(value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(format!("readonly must be true or false (got {value:?})")),
    }
}

/// A `confirm` wish: a confirmation level's name.
pub(super) fn confirm_wish(value: &str) -> Result<Confirm, String> {
    Confirm::parse(value)
        .ok_or_else(|| format!("confirm must be destructive, writes or off (got {value:?})"))
}

/// Decodes `%XX` escapes and `+` (a space, in a query), leaving anything
/// malformed as it is.
pub(super) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'+' => decoded.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(index + 1..index + 3)
                    .and_then(|hex| std::str::from_utf8(hex).ok())
                    .and_then(|hex| u8::from_str_radix(hex, 16).ok());
                match hex {
                    Some(byte) => {
                        decoded.push(byte);
                        index += 2;
                    }
                    None => decoded.push(b'%'),
                }
            }
            byte => decoded.push(byte),
        }
        index += 1;
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(uri: &str, headers: &[(&str, &str)]) -> Parts {
        let mut builder = http::Request::get(uri);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(()).expect("valid request").into_parts().0
    }

    #[test]
    fn query_and_headers_both_narrow() {
        let wishes = requested(&parts(
            "http://h/mcp?toolsets=users%2Croles,organizations&other=1&confirm=writes",
            &[
                ("x-mcp-readonly", "true"),
                ("x-mcp-toolsets", "users,organizations"),
                ("x-mcp-confirm", "off"),
            ],
        ))
        .expect("valid");
        assert!(wishes.selection.read_only);
        assert_eq!(
            wishes.selection.toolsets.names(),
            ["organizations", "users"]
        );
        // The most confirmation asked for wins, wherever it was asked.
        assert_eq!(wishes.confirm, Confirm::Writes);
    }

    #[test]
    fn no_wishes_select_everything() {
        assert_eq!(
            requested(&parts("http://h/mcp", &[])),
            Ok(Wishes {
                selection: Selection::EVERYTHING,
                names_toolsets: false,
                confirm: Confirm::Off,
            })
        );
    }

    fn server(vars: &[(&str, &str)]) -> Config {
        Config::from_lookup(|name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        })
        .expect("valid configuration")
    }

    fn toolsets_for(uri: &str, config: &Config) -> Vec<&'static str> {
        let wishes = requested(&parts(uri, &[])).expect("valid");
        wishes.selection(config).toolsets.names()
    }

    #[test]
    fn a_connection_naming_no_toolsets_gets_the_default_set() {
        let config = server(&[]);
        let default = toolsets_for("http://h/mcp", &config);
        assert!(!default.contains(&"instance") && !default.contains(&"billing"));
        assert!(default.contains(&"users") && default.contains(&"access"));
        // Naming them turns them on; naming others leaves the default aside.
        assert_eq!(
            toolsets_for("http://h/mcp?toolsets=billing,users", &config),
            ["users", "billing"]
        );
        // A readonly wish alone names no toolsets.
        assert_eq!(toolsets_for("http://h/mcp?readonly=true", &config), default);
    }

    #[test]
    fn the_default_set_is_configurable_and_stays_within_what_the_server_offers() {
        let config = server(&[
            ("MCP_TOOLSETS", "users,instance,billing"),
            ("MCP_DEFAULT_TOOLSETS", "users, billing, roles"),
        ]);
        assert_eq!(toolsets_for("http://h/mcp", &config), ["users", "billing"]);
        assert_eq!(
            toolsets_for("http://h/mcp?toolsets=instance,roles", &config),
            ["instance"]
        );
    }

    #[test]
    fn unreadable_wishes_are_errors_that_say_what_is_wrong() {
        let error = requested(&parts("http://h/mcp?readonly=maybe", &[])).unwrap_err();
        assert!(error.contains("readonly"), "{error}");
        let error = requested(&parts("http://h/mcp?confirm=never", &[])).unwrap_err();
        assert!(
            error.contains("confirm") && error.contains("\"never\""),
            "{error}"
        );
        let error = requested(&parts("http://h/mcp?toolsets=payments", &[])).unwrap_err();
        assert!(
            error.contains("\"payments\"") && error.contains("billing"),
            "{error}"
        );
    }

    #[test]
    fn percent_decoding_handles_escapes_plus_and_garbage() {
        assert_eq!(percent_decode("a%2Cb+c%zz%"), "a,b c%zz%");
    }
}
