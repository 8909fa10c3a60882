//! What the tool list costs a conversation: the names, descriptions and
//! input schemas of the tools a client shows the model (output schemas are
//! not shown to it). The default set stays under a budget, and the table of
//! sizes in `docs/tools.md` is the one the server's answers give.

use http::Request;
use serde_json::{json, Value};

use crate::support::*;

/// The most the default set's tools may cost, in bytes.
const BUDGET: usize = 40_000;

const MCP: &str = "http://127.0.0.1:8787/mcp";
const DOCS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/tools.md");
/// The first line of the table in `docs/tools.md`; the table ends at the
/// first line that is not a row.
const TABLE_HEADER: &str = "| toolset | in the default set | tools | bytes |";

/// The tools `tools/list` answers in public mode for `query` (the part of
/// the URL after `?`, or none).
fn tools(query: Option<&str>) -> Vec<Value> {
    let body = rpc("tools/list", json!({})).to_string();
    let uri = match query {
        Some(query) => format!("{MCP}?{query}"),
        None => MCP.to_owned(),
    };
    let request = mcp_post(&body)
        .uri(uri.as_str())
        .body(body.into_bytes())
        .expect("valid request");
    let response = send(request, &public_config(), &FakeClerk::unused());
    assert_eq!(response.status(), 200, "{}", body_text(&response));
    body_json(&response)["result"]["tools"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// What one tool costs: its name, description and input schema as one JSON
/// object, in bytes.
fn size(tool: &Value) -> usize {
    json!({
        "name": tool["name"],
        "description": tool["description"],
        "inputSchema": tool["inputSchema"],
    })
    .to_string()
    .len()
}

fn name(tool: &Value) -> &str {
    tool["name"].as_str().unwrap_or_default()
}

/// A list of toolset names from `/health`.
fn health_list(key: &str) -> Vec<String> {
    let request = Request::get("http://127.0.0.1:8787/health")
        .body(Vec::new())
        .expect("valid request");
    let body = body_json(&send(request, &public_config(), &FakeClerk::unused()));
    body[key]
        .as_array()
        .map(|names| {
            names
                .iter()
                .filter_map(|name| name.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// One group of tools and what it costs.
struct Row {
    name: String,
    in_default: bool,
    tools: usize,
    bytes: usize,
}

/// A row for each toolset, one for the tools every connection gets, and the
/// default set's total; each from the server's own `tools/list` answers.
fn rows() -> Vec<Row> {
    let defaults = health_list("defaultToolsets");
    let toolsets = health_list("availableToolsets");
    assert!(!toolsets.is_empty(), "/health names the toolsets");
    let lists: Vec<Vec<Value>> = toolsets
        .iter()
        .map(|toolset| tools(Some(&format!("toolsets={toolset}"))))
        .collect();
    // The tools of no toolset are those every selection has.
    let everywhere: Vec<Value> = lists[0]
        .iter()
        .filter(|tool| lists.iter().all(|list| list.contains(tool)))
        .cloned()
        .collect();
    let row = |name: &str, in_default: bool, tools: &[&Value]| Row {
        name: name.to_owned(),
        in_default,
        tools: tools.len(),
        bytes: tools.iter().map(|tool| size(tool)).sum(),
    };
    let mut rows: Vec<Row> = toolsets
        .iter()
        .zip(&lists)
        .map(|(toolset, list)| {
            let own: Vec<&Value> = list
                .iter()
                .filter(|tool| !everywhere.contains(tool))
                .collect();
            row(toolset, defaults.contains(toolset), &own)
        })
        .collect();
    rows.push(row(
        "(every connection)",
        true,
        &everywhere.iter().collect::<Vec<_>>(),
    ));
    let default_set = tools(None);
    rows.push(row(
        "**default set**",
        true,
        &default_set.iter().collect::<Vec<_>>(),
    ));
    rows
}

/// The table as `docs/tools.md` shows it.
fn table(rows: &[Row]) -> String {
    let mut table = format!("{TABLE_HEADER}\n|---|---|---:|---:|\n");
    for row in rows {
        table.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            row.name,
            if row.in_default { "yes" } else { "no" },
            row.tools,
            thousands(row.bytes),
        ));
    }
    table
}

/// `23456` as `23,456`.
fn thousands(number: usize) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[test]
fn the_default_set_costs_less_than_the_budget() {
    let default_set = tools(None);
    let sizes: Vec<(String, usize)> = default_set
        .iter()
        .map(|tool| (name(tool).to_owned(), size(tool)))
        .collect();
    let total: usize = sizes.iter().map(|(_, bytes)| bytes).sum();
    println!("default set: {} tools, {total} bytes", sizes.len());
    for (name, bytes) in &sizes {
        println!("  {bytes:>6}  {name}");
    }
    assert!(
        sizes.iter().any(|(name, _)| name == "clerk_list_users"),
        "the default set has the user tools"
    );
    assert!(
        total < BUDGET,
        "the default set's names, descriptions and input schemas take {total} bytes, \
         {} over the budget of {BUDGET}: say the same in fewer words",
        total - BUDGET + 1
    );
}

#[test]
fn a_tool_costs_its_name_description_and_input_schema() {
    let tool = json!({
        "name": "t",
        "title": "not counted",
        "description": "d",
        "inputSchema": {"type": "object"},
        "outputSchema": {"type": "object", "properties": {"x": {"type": "string"}}},
    });
    let counted = r#"{"name":"t","description":"d","inputSchema":{"type":"object"}}"#;
    assert_eq!(size(&tool), counted.len());
}

#[test]
fn the_size_table_in_the_docs_is_the_servers() {
    let rows = rows();
    let default_total = rows.last().map_or(0, |row| row.bytes);
    let parts: usize = rows
        .iter()
        .filter(|row| row.in_default && !row.name.starts_with("**"))
        .map(|row| row.bytes)
        .sum();
    assert_eq!(
        parts, default_total,
        "the default set is its toolsets and the tools every connection gets"
    );
    let expected = table(&rows);
    let docs = std::fs::read_to_string(DOCS).expect("docs/tools.md is readable");
    let start = docs.find(TABLE_HEADER).unwrap_or_else(|| {
        panic!("docs/tools.md has no table starting {TABLE_HEADER:?}");
    });
    let length: usize = docs[start..]
        .split_inclusive('\n')
        .take_while(|line| line.starts_with('|'))
        .map(str::len)
        .sum();
    let shown = &docs[start..start + length];
    if std::env::var_os("UPDATE_GOLDEN").is_some() && shown != expected {
        let updated = format!("{}{expected}{}", &docs[..start], &docs[start + length..]);
        std::fs::write(DOCS, updated).expect("docs/tools.md written");
        return;
    }
    assert!(
        shown == expected,
        "the tool list sizes in docs/tools.md are not the server's; if the change is meant, \
         run UPDATE_GOLDEN=1 cargo test and review the diff.\nshown:\n{shown}\nreal:\n{expected}"
    );
}
