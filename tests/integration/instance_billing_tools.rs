//! The instance and billing toolsets, which a connection gets only by
//! naming them: the exact requests each tool sends, the results it makes of
//! Clerk's answers, the arguments it refuses, and what the updates' effects
//! say before anything changes.

use serde_json::{json, Value};

use crate::support::*;

const USER: &str = "user_2adaLovelace0Xy7Qm3Rk9Tn";
const ORG: &str = "org_2kT9aBcDeFgHiJkLmNoPqRsTuVw";

/// Calls `name` on a connection with `?toolsets=instance,billing`, acting at once.
fn call(clerk: &FakeClerk, name: &str, arguments: Value) -> Value {
    let body = call_tool(name, arguments).to_string();
    let request = mcp_post(&body)
        .uri("http://127.0.0.1:8787/mcp?toolsets=instance,billing")
        .header("x-clerk-secret-key", KEY)
        .body(body.into_bytes())
        .expect("valid request");
    let response = send(request, &config(&[("MCP_CONFIRM", "off")]), clerk);
    assert_eq!(response.status(), 200, "{}", body_text(&response));
    body_json(&response)["result"].clone()
}

fn refused(name: &str, arguments: Value, argument: &str) {
    let clerk = FakeClerk::unused();
    let result = call(&clerk, name, arguments.clone());
    assert_eq!(result["isError"], true, "{name} accepted {arguments}");
    let text = result_text(&result);
    assert!(text.contains("Nothing was sent to Clerk"), "{text}");
    if !argument.is_empty() {
        assert!(
            text.contains(&format!("`{argument}`")),
            "{name} {arguments}: {text}"
        );
    }
    assert_eq!(clerk.request_count(), 0);
}

fn settings() -> Value {
    json!({"object": "organization_settings", "enabled": true, "max_allowed_memberships": 5,
        "max_allowed_roles": 10, "max_allowed_domains": 10, "creator_role": "org:admin",
        "admin_delete_enabled": true, "domains_enabled": false, "slug_disabled": false,
        "domains_enrollment_modes": ["manual_invitation"], "domains_default_role": "org:member",
        "initial_role_set_key": null})
}

#[test]
fn the_default_connection_does_not_offer_them() {
    for name in ["clerk_get_instance", "clerk_list_billing_plans"] {
        let mut request = post_json(&call_tool(name, json!({})));
        request
            .headers_mut()
            .insert("x-clerk-secret-key", http::HeaderValue::from_static(KEY));
        let clerk = FakeClerk::unused();
        let response = send(request, &public_config(), &clerk);
        let body = body_json(&response);
        assert!(body["result"].is_null(), "{name} was called: {body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains(name),
            "{body}"
        );
        assert_eq!(clerk.request_count(), 0);
    }
}

#[test]
fn get_instance_reads_the_instance_and_its_protect_settings() {
    let clerk = FakeClerk::new(|request| {
        Ok(match request.uri().path() {
            "/v1/instance" => json_answer(
                200,
                &json!({"object": "instance", "id": "ins_2abc",
                "environment_type": "production", "allowed_origins": ["chrome-extension://abc"],
                "workspace_id": "org_2work"}),
            ),
            "/v1/instance/protect" => json_answer(
                200,
                &json!({"object": "instance_protect",
                "rules_enabled": true, "specter_enabled": false, "checks_bypassed": false}),
            ),
            _ => json_answer(500, &json!({})),
        })
    });
    let result = call(&clerk, "clerk_get_instance", json!({}));
    assert_eq!(result["isError"], false, "{result}");
    assert_eq!(
        result["structuredContent"],
        json!({"id": "ins_2abc", "environment": "production",
            "allowedOrigins": ["chrome-extension://abc"], "workspaceId": "org_2work",
            "protect": {"rulesEnabled": true, "specterEnabled": false, "checksBypassed": false}})
    );
    assert_eq!(clerk.urls(), ["/v1/instance", "/v1/instance/protect"]);
    for request in clerk.requests.borrow().iter() {
        assert_eq!(request.method(), "GET");
        assert!(request.body().is_empty());
    }
}

#[test]
fn get_instance_without_protect_says_why_and_shows_the_rest() {
    let clerk = FakeClerk::new(|request| {
        Ok(if request.uri().path() == "/v1/instance" {
            json_answer(
                200,
                &json!({"id": "ins_2abc", "environment_type": "development",
                "allowed_origins": null, "workspace_id": null}),
            )
        } else {
            json_answer(
                402,
                &json!({"errors": [{"code": "payment_required",
                "message": "payment required", "long_message": "Not on your plan"}]}),
            )
        })
    });
    let result = call(&clerk, "clerk_get_instance", json!({}));
    let output = &result["structuredContent"];
    assert_eq!(output["environment"], "development");
    assert_eq!(output["allowedOrigins"], json!([]));
    assert!(output.get("protect").is_none());
    assert!(
        output["protectUnavailable"]
            .as_str()
            .unwrap_or_default()
            .contains("402"),
        "{output}"
    );
}

#[test]
fn organization_settings_are_read_and_updated_with_only_what_is_given() {
    let clerk = FakeClerk::answering(settings());
    let result = call(&clerk, "clerk_get_organization_settings", json!({}));
    assert_eq!(result["structuredContent"]["maxAllowedMemberships"], 5);
    assert_eq!(result["structuredContent"]["creatorRole"], "org:admin");
    assert_eq!(
        only_request(&clerk),
        Sent::without_body("GET", "/v1/instance/organization_settings")
    );

    let clerk = FakeClerk::answering(settings());
    let result = call(
        &clerk,
        "clerk_update_organization_settings",
        json!({"enabled": false, "maxAllowedMemberships": 0,
            "domainsEnrollmentModes": ["automatic_invitation", "automatic_suggestion"]}),
    );
    assert_eq!(result["isError"], false, "{result}");
    assert_eq!(
        only_request(&clerk),
        Sent::with_json(
            "PATCH",
            "/v1/instance/organization_settings",
            json!({"enabled": false, "max_allowed_memberships": 0,
                "domains_enrollment_modes": ["automatic_invitation", "automatic_suggestion"]})
        )
    );
}

#[test]
fn restrictions_send_only_what_is_given_and_answer_clerks_state() {
    let clerk = FakeClerk::answering(json!({"object": "instance_restrictions", "allowlist": true,
        "blocklist": false, "allowlist_blocklist_disabled_on_sign_in": false,
        "block_email_subaddresses": true, "block_disposable_email_domains": false}));
    let result = call(
        &clerk,
        "clerk_update_instance_restrictions",
        json!({"allowlist": true}),
    );
    assert_eq!(
        result["structuredContent"],
        json!({"allowlist": true, "blocklist": false, "allowlistBlocklistDisabledOnSignIn": false,
            "blockEmailSubaddresses": true, "blockDisposableEmailDomains": false})
    );
    assert_eq!(
        only_request(&clerk),
        Sent::with_json(
            "PATCH",
            "/v1/instance/restrictions",
            json!({"allowlist": true})
        )
    );
}

#[test]
fn updates_with_nothing_or_wrong_values_are_refused() {
    refused("clerk_update_organization_settings", json!({}), "");
    refused(
        "clerk_update_organization_settings",
        json!({"enabled": "no"}),
        "enabled",
    );
    refused(
        "clerk_update_organization_settings",
        json!({"maxAllowedMemberships": 100001}),
        "maxAllowedMemberships",
    );
    refused(
        "clerk_update_organization_settings",
        json!({"maxAllowedMemberships": -1}),
        "maxAllowedMemberships",
    );
    refused(
        "clerk_update_organization_settings",
        json!({"domainsEnrollmentModes": ["manual_invitation"]}),
        "domainsEnrollmentModes",
    );
    refused(
        "clerk_update_organization_settings",
        json!({"domainsEnrollmentModes": ["automatic_invitation", "automatic_invitation"]}),
        "domainsEnrollmentModes",
    );
    refused(
        "clerk_update_organization_settings",
        json!({"creatorRoleId": "role_1"}),
        "creatorRoleId",
    );
    refused("clerk_update_instance_restrictions", json!({}), "");
    refused(
        "clerk_update_instance_restrictions",
        json!({"allowlist": 1}),
        "allowlist",
    );
    refused("clerk_get_instance", json!({"id": "ins_1"}), "id");
}

/// The effect `clerk_preview` gives of `tool` with `arguments`, against `clerk`.
fn preview(clerk: &FakeClerk, tool: &str, arguments: Value) -> Value {
    let result = call(
        clerk,
        "clerk_preview",
        json!({"name": tool, "arguments": arguments}),
    );
    assert_eq!(result["isError"], false, "{result}");
    result["structuredContent"].clone()
}

#[test]
fn the_organization_settings_effect_says_before_and_after_and_only_reads() {
    let clerk = FakeClerk::answering(settings());
    let effect = preview(
        &clerk,
        "clerk_update_organization_settings",
        json!({"enabled": false, "maxAllowedMemberships": 10}),
    );
    let text = effect.to_string();
    assert!(text.contains("organizations on to off"), "{text}");
    assert!(text.contains("membership limit 5 to 10"), "{text}");
    assert!(
        text.contains("Every user loses access to their organizations"),
        "{text}"
    );
    assert_eq!(clerk.urls(), ["/v1/instance/organization_settings"]);
    assert_eq!(clerk.requests.borrow()[0].method(), "GET");
}

#[test]
fn the_allowlist_effect_says_plainly_who_is_locked_out() {
    let clerk = FakeClerk::answering(json!({"id": "ins_2abc", "environment_type": "production"}));
    let effect = preview(
        &clerk,
        "clerk_update_instance_restrictions",
        json!({"allowlist": true}),
    );
    let text = effect.to_string();
    assert!(text.contains("ins_2abc (production)"), "{text}");
    assert!(
        text.contains("every other user, existing ones included, is locked out"),
        "{text}"
    );
    assert!(text.contains("no way to read"), "{text}");
    assert_eq!(clerk.urls(), ["/v1/instance"]);
}

#[test]
fn both_updates_wait_for_a_yes_by_default() {
    let body = rpc("tools/list", json!({})).to_string();
    let request = mcp_post(&body)
        .uri("http://127.0.0.1:8787/mcp?toolsets=instance,billing")
        .header("x-clerk-secret-key", KEY)
        .body(body.into_bytes())
        .expect("valid request");
    let response = send(request, &public_config(), &FakeClerk::unused());
    let tools = body_json(&response)["result"]["tools"].clone();
    let names: Vec<&str> = tools
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["name"].as_str())
        .collect();
    for name in [
        "clerk_get_instance",
        "clerk_get_organization_settings",
        "clerk_update_organization_settings",
        "clerk_update_instance_restrictions",
        "clerk_list_billing_plans",
        "clerk_get_user_subscription",
        "clerk_get_organization_subscription",
        "clerk_list_subscription_items",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    for tool in tools.as_array().into_iter().flatten() {
        let name = tool["name"].as_str().unwrap_or_default();
        if name.starts_with("clerk_update_") {
            assert_eq!(tool["annotations"]["destructiveHint"], true, "{name}");
            assert_eq!(tool["annotations"]["idempotentHint"], true, "{name}");
        }
        if name.contains("billing") || name.contains("subscription") {
            assert_eq!(tool["annotations"]["readOnlyHint"], true, "{name}");
        }
    }
}

fn money(amount: i64, formatted: &str) -> Value {
    json!({"amount": amount, "amount_formatted": formatted, "currency": "USD", "currency_symbol": "$"})
}

fn plan() -> Value {
    json!({"object": "commerce_plan", "id": "cplan_2pro", "name": "Pro", "fee": money(2500, "25.00"),
        "annual_monthly_fee": money(2000, "20.00"), "annual_fee": money(24000, "240.00"),
        "description": null, "product_id": "prod_1", "is_default": false, "is_recurring": true,
        "publicly_visible": true, "has_base_fee": true, "for_payer_type": "org", "slug": "pro",
        "avatar_url": null, "free_trial_enabled": true, "free_trial_days": 14,
        "features": [{"object": "feature", "id": "feat_1", "name": "SSO", "description": null,
            "slug": "sso", "avatar_url": null}]})
}

fn item() -> Value {
    json!({"object": "commerce_subscription_item", "id": "csubi_2one", "instance_id": "ins_2abc",
        "status": "active", "plan_id": "cplan_2pro", "plan": plan(), "plan_period": "month",
        "payer_id": "cpayer_2one", "payer": {"object": "commerce_payer", "id": "cpayer_2one",
            "instance_id": "ins_2abc", "organization_id": ORG, "organization_name": "Acme"},
        "is_free_trial": false, "period_start": 1_704_164_645_678_i64, "period_end": null,
        "canceled_at": null, "past_due_at": null, "ended_at": null,
        "lifetime_paid": money(7500, "75.00"),
        "next_payment": {"amount": money(2500, "25.00"), "date": 1_706_843_045_678_i64}})
}

#[test]
fn plans_are_listed_with_money_as_clerk_gives_it() {
    let clerk = FakeClerk::answering(json!({"data": [plan()], "total_count": 3}));
    let result = call(
        &clerk,
        "clerk_list_billing_plans",
        json!({"payerType": "org", "limit": 1}),
    );
    assert_eq!(result["isError"], false, "{result}");
    let output = &result["structuredContent"];
    assert_eq!(
        output["plans"][0]["fee"],
        json!({"amount": 2500, "amountFormatted": "25.00",
        "currency": "USD", "currencySymbol": "$"})
    );
    assert_eq!(output["plans"][0]["payerType"], "org");
    assert_eq!(output["plans"][0]["features"], json!(["sso"]));
    assert_eq!(output["nextOffset"], 1);
    assert_eq!(
        only_request(&clerk),
        Sent::without_body(
            "GET",
            "/v1/billing/plans?paginated=true&limit=1&offset=0&payer_type=org"
        )
    );
}

#[test]
fn billing_lists_and_subscriptions_give_only_the_fields_asked_for() {
    let clerk = FakeClerk::answering(json!({"data": [plan()], "total_count": 1}));
    let result = call(
        &clerk,
        "clerk_list_billing_plans",
        json!({"fields": ["name", "fee"]}),
    );
    assert_eq!(result["isError"], false, "{result}");
    let plan = &result["structuredContent"]["plans"][0];
    let mut keys: Vec<&str> = plan
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["fee", "id", "name"]);
    let clerk = FakeClerk::unused();
    let result = call(
        &clerk,
        "clerk_get_user_subscription",
        json!({"userId": USER, "fields": ["plan", "colour"]}),
    );
    assert_eq!(result["isError"], true);
    let text = result_text(&result);
    assert!(
        text.contains("`fields`") && text.contains("\"colour\""),
        "{text}"
    );
    assert_eq!(clerk.request_count(), 0);
}

#[test]
fn subscriptions_of_users_and_organizations_are_read_by_id() {
    let subscription = json!({"object": "commerce_subscription", "id": "csub_2one",
        "instance_id": "ins_2abc", "status": "active", "payer_id": "cpayer_2one",
        "created_at": 1_704_164_645_678_i64, "updated_at": 1_704_164_645_678_i64,
        "active_at": 1_704_164_645_678_i64, "past_due_at": null, "subscription_items": [item()]});
    let clerk = FakeClerk::answering(subscription.clone());
    let result = call(
        &clerk,
        "clerk_get_user_subscription",
        json!({"userId": USER}),
    );
    let output = &result["structuredContent"];
    assert_eq!(output["status"], "active");
    assert_eq!(output["activeAt"], "2024-01-02T03:04:05.678Z");
    assert_eq!(output["items"][0]["planName"], "Pro");
    assert_eq!(output["items"][0]["lifetimePaid"]["amount"], 7500);
    assert_eq!(
        output["items"][0]["nextPayment"]["date"],
        "2024-02-02T03:04:05.678Z"
    );
    assert_eq!(
        only_request(&clerk),
        Sent::without_body("GET", &format!("/v1/users/{USER}/billing/subscription"))
    );

    let clerk = FakeClerk::answering(subscription);
    call(
        &clerk,
        "clerk_get_organization_subscription",
        json!({"organizationId": ORG}),
    );
    assert_eq!(
        clerk.urls(),
        [format!("/v1/organizations/{ORG}/billing/subscription")]
    );
}

#[test]
fn no_subscription_is_a_not_found_naming_the_payer() {
    let clerk = FakeClerk::failing(404, "resource_not_found", "Resource not found", None);
    let result = call(
        &clerk,
        "clerk_get_user_subscription",
        json!({"userId": USER}),
    );
    assert_eq!(result["isError"], true);
    let text = result_text(&result);
    assert!(
        text.contains(&format!(
            "no user with ID {USER}, or no billing subscription"
        )),
        "{text}"
    );
    refused(
        "clerk_get_user_subscription",
        json!({"userId": ORG}),
        "userId",
    );
    refused(
        "clerk_get_organization_subscription",
        json!({"organizationId": "org_1/.."}),
        "organizationId",
    );
}

#[test]
fn subscription_items_send_every_filter() {
    let clerk = FakeClerk::answering(json!({"data": [item()], "total_count": 1}));
    let result = call(
        &clerk,
        "clerk_list_subscription_items",
        json!({"status": "past_due",
        "payerType": "user", "planId": "cplan_2pro", "includeFree": true, "query": "ada & co",
        "limit": 100, "offset": 0}),
    );
    assert_eq!(
        result["structuredContent"]["subscriptionItems"][0]["payer"]["organizationName"],
        "Acme"
    );
    assert_eq!(
        clerk.urls(),
        ["/v1/billing/subscription_items?paginated=true&limit=100&offset=0&status=past_due&payer_type=user&plan_id=cplan_2pro&include_free=true&query=ada+%26+co"]
    );
    let clerk = FakeClerk::answering(json!({"data": [], "total_count": 0}));
    call(&clerk, "clerk_list_subscription_items", json!({}));
    assert_eq!(
        clerk.urls(),
        ["/v1/billing/subscription_items?paginated=true&limit=20&offset=0"]
    );
    refused(
        "clerk_list_subscription_items",
        json!({"status": "canceled"}),
        "status",
    );
    refused(
        "clerk_list_subscription_items",
        json!({"planId": "cplan_1&x=1"}),
        "planId",
    );
    refused(
        "clerk_list_subscription_items",
        json!({"limit": 101}),
        "limit",
    );
    refused(
        "clerk_list_billing_plans",
        json!({"payerType": "team"}),
        "payerType",
    );
}
