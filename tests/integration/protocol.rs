//! The MCP methods (MCP 2025-03-26, 2025-06-18, 2025-11-25: Lifecycle,
//! Utilities, Server Features), each a test through the Worker's entry point.

use serde_json::{json, Value};

use crate::support::*;

fn answer(body: &Value) -> Value {
    let clerk = FakeClerk::unused();
    let response = send(post_json(body), &public_config(), &clerk);
    assert_eq!(response.status(), 200, "{}", body_text(&response));
    assert_eq!(clerk.request_count(), 0, "nothing here may reach Clerk");
    body_json(&response)
}

fn initialize(version: &str) -> Value {
    answer(&rpc(
        "initialize",
        json!({
            "protocolVersion": version,
            "capabilities": {},
            "clientInfo": {"name": "test", "version": "1.0.0"}
        }),
    ))["result"]
        .clone()
}

#[test]
fn initialize_answers_each_supported_version_with_itself() {
    for version in ["2025-03-26", "2025-06-18", "2025-11-25"] {
        assert_eq!(initialize(version)["protocolVersion"], version);
    }
}

#[test]
fn initialize_answers_an_unknown_version_with_the_latest() {
    assert_eq!(initialize("2024-11-05")["protocolVersion"], "2025-11-25");
    assert_eq!(initialize("2099-01-01")["protocolVersion"], "2025-11-25");
}

#[test]
fn initialize_describes_the_server_and_its_capabilities() {
    let result = initialize("2025-11-25");
    let info = &result["serverInfo"];
    assert_eq!(info["name"], "clerk-mcp-worker");
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert!(info["title"]
        .as_str()
        .is_some_and(|title| !title.is_empty()));
    assert!(info["description"]
        .as_str()
        .is_some_and(|text| !text.is_empty()));
    assert_eq!(
        result["capabilities"]["tools"],
        json!({"listChanged": false})
    );
    assert_eq!(result["capabilities"]["logging"], json!({}));
}

#[test]
fn instructions_explain_id_prefixes_and_pagination() {
    let instructions = initialize("2025-06-18")["instructions"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    for needle in ["user_", "org_", "nextOffset", "hasMore"] {
        assert!(instructions.contains(needle), "instructions lack {needle}");
    }
}

#[test]
fn initialize_without_protocol_version_is_invalid_params() {
    let answer = answer(&rpc("initialize", json!({"capabilities": {}})));
    assert_eq!(answer["error"]["code"], -32602);
}

#[test]
fn ping_answers_an_empty_object() {
    assert_eq!(answer(&rpc("ping", json!({})))["result"], json!({}));
}

#[test]
fn unknown_method_is_method_not_found() {
    let answer = answer(&rpc(
        "resources/subscribe",
        json!({"uri": "clerk://users/user_1"}),
    ));
    assert_eq!(answer["error"]["code"], -32601);
    assert_eq!(answer["id"], 1);
}

#[test]
fn array_params_are_invalid_params() {
    let answer = answer(&json!({"jsonrpc": "2.0", "id": 3, "method": "ping", "params": []}));
    assert_eq!(answer["error"]["code"], -32602);
}

#[test]
fn string_ids_are_echoed() {
    let answer = answer(&json!({"jsonrpc": "2.0", "id": "abc-1", "method": "ping"}));
    assert_eq!(answer["id"], "abc-1");
}

fn tools() -> Vec<Value> {
    let answer = answer(&rpc("tools/list", json!({})));
    answer["result"]["tools"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn tool(name: &str) -> Value {
    tools()
        .into_iter()
        .find(|tool| tool["name"] == name)
        .unwrap_or_else(|| panic!("no tool {name}"))
}

/// The whole `tools/list` answer is checked in, so that any change to a
/// name, description, schema or annotation shows in review. After a
/// deliberate change, rewrite it with `UPDATE_GOLDEN=1 cargo test`.
#[test]
fn tools_list_matches_the_golden_file() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/tools_list.json");
    let actual = answer(&rpc("tools/list", json!({})))["result"].clone();
    let pretty = format!(
        "{}\n",
        serde_json::to_string_pretty(&actual).expect("serializable")
    );
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, &pretty).expect("golden file written");
    }
    let golden = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        golden == pretty,
        "tools/list differs from tests/golden/tools_list.json; if the change is meant, \
         run UPDATE_GOLDEN=1 cargo test and review the diff"
    );
}

#[test]
fn tools_list_works_without_a_key() {
    let names: Vec<String> = tools()
        .iter()
        .filter_map(|tool| tool["name"].as_str().map(str::to_owned))
        .collect();
    assert!(names.contains(&"clerk_list_users".to_owned()));
    assert!(names.contains(&"clerk_get_user".to_owned()));
}

#[test]
fn every_tool_has_title_description_schemas_and_read_only_annotations() {
    for tool in tools() {
        let name = &tool["name"];
        assert!(
            tool["title"].as_str().is_some_and(|t| !t.is_empty()),
            "{name}"
        );
        assert!(
            tool["description"].as_str().is_some_and(|d| d.len() > 40),
            "{name}"
        );
        assert_eq!(tool["inputSchema"]["type"], "object", "{name}");
        assert_eq!(tool["inputSchema"]["additionalProperties"], false, "{name}");
        assert!(tool["inputSchema"].get("$schema").is_none(), "{name}");
        assert_eq!(tool["outputSchema"]["type"], "object", "{name}");
        assert_eq!(tool["annotations"]["openWorldHint"], true, "{name}");
    }
}

/// The annotations of the tool contract: RO reads only; W writes without
/// destroying; D destroys; +I repeating the call changes nothing more.
const CONTRACT: &[(&str, &str)] = &[
    ("clerk_list_organizations", "RO"),
    ("clerk_get_organization", "RO"),
    ("clerk_create_organization", "W"),
    ("clerk_update_organization", "W+I"),
    ("clerk_update_organization_metadata", "W+I"),
    ("clerk_delete_organization", "D"),
    ("clerk_list_organization_members", "RO"),
    ("clerk_list_user_organizations", "RO"),
    ("clerk_add_member", "W"),
    ("clerk_update_member_role", "W+I"),
    ("clerk_update_member_metadata", "W+I"),
    ("clerk_remove_member", "D"),
    ("clerk_list_organization_invitations", "RO"),
    ("clerk_create_invitation", "W"),
    ("clerk_revoke_invitation", "D+I"),
    ("clerk_list_roles", "RO"),
    ("clerk_list_users", "RO"),
    ("clerk_count_users", "RO"),
    ("clerk_get_user", "RO"),
    ("clerk_create_user", "W"),
    ("clerk_update_user", "W+I"),
    ("clerk_update_user_metadata", "W+I"),
    ("clerk_ban_user", "D+I"),
    ("clerk_unban_user", "W+I"),
    ("clerk_lock_user", "D+I"),
    ("clerk_unlock_user", "W+I"),
    ("clerk_bulk_ban_users", "D+I"),
    ("clerk_bulk_invite_to_organization", "W"),
    ("clerk_delete_user", "D"),
    ("clerk_list_sessions", "RO"),
    ("clerk_revoke_session", "D+I"),
    ("clerk_list_allowlist", "RO"),
    ("clerk_add_to_allowlist", "W"),
    ("clerk_remove_from_allowlist", "D+I"),
    ("clerk_list_blocklist", "RO"),
    ("clerk_add_to_blocklist", "W"),
    ("clerk_remove_from_blocklist", "D+I"),
    ("clerk_list_waitlist", "RO"),
    ("clerk_invite_waitlist_entry", "W"),
    ("clerk_reject_waitlist_entry", "D"),
    ("clerk_list_instance_invitations", "RO"),
    ("clerk_create_instance_invitation", "W"),
    ("clerk_bulk_invite_to_instance", "W"),
    ("clerk_revoke_instance_invitation", "D+I"),
    ("clerk_preview", "RO"),
    ("clerk_whoami", "RO"),
];

#[test]
fn annotations_follow_the_tool_contract() {
    for tool in tools() {
        let name = tool["name"].as_str().unwrap_or_default();
        let (_, kind) = CONTRACT
            .iter()
            .find(|(listed, _)| *listed == name)
            .unwrap_or_else(|| panic!("{name} is not in the tool contract"));
        let annotations = &tool["annotations"];
        let read_only = *kind == "RO";
        assert_eq!(annotations["readOnlyHint"], read_only, "{name}");
        assert_eq!(
            annotations["destructiveHint"],
            kind.starts_with('D'),
            "{name}"
        );
        assert_eq!(
            annotations["idempotentHint"],
            read_only || kind.ends_with("+I"),
            "{name}"
        );
        assert_eq!(annotations["openWorldHint"], true, "{name}");
        assert_eq!(annotations["title"], tool["title"], "{name}");
    }
}

#[test]
fn list_users_schema_states_bounds_and_defaults() {
    let list_users = tool("clerk_list_users");
    let schema = &list_users["inputSchema"]["properties"];
    assert_eq!(schema["limit"]["minimum"], 1);
    assert_eq!(schema["limit"]["maximum"], 200);
    assert_eq!(schema["limit"]["default"], 20);
    assert_eq!(schema["orderBy"]["default"], "-created_at");
    assert!(schema["orderBy"]["pattern"].as_str().is_some());
    assert_eq!(schema["userId"]["type"], "array");
    assert_eq!(
        tool("clerk_get_user")["inputSchema"]["required"],
        json!(["userId"])
    );
}

#[test]
fn tools_list_with_any_cursor_is_invalid_params() {
    for cursor in [json!("page-2"), json!(""), json!(7)] {
        let answer = answer(&rpc("tools/list", json!({"cursor": cursor})));
        assert_eq!(answer["error"]["code"], -32602, "{cursor}");
    }
}

#[test]
fn unknown_tool_is_invalid_params() {
    let answer = answer(&call_tool("clerk_drop_database", json!({})));
    assert_eq!(answer["error"]["code"], -32602);
    assert!(answer["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("clerk_drop_database"));
}

#[test]
fn tool_call_without_a_key_says_how_to_pass_one() {
    let result =
        answer(&call_tool("clerk_get_user", json!({"userId": "user_123"})))["result"].clone();
    assert_eq!(result["isError"], true);
    assert!(result_text(&result).contains("X-Clerk-Secret-Key"));
}

#[test]
fn logging_set_level_accepts_each_level() {
    for level in [
        "debug",
        "info",
        "notice",
        "warning",
        "error",
        "critical",
        "alert",
        "emergency",
    ] {
        assert_eq!(
            answer(&rpc("logging/setLevel", json!({"level": level})))["result"],
            json!({})
        );
    }
}

#[test]
fn logging_set_level_rejects_an_unknown_level() {
    let answer = answer(&rpc("logging/setLevel", json!({"level": "loud"})));
    assert_eq!(answer["error"]["code"], -32602);
}
