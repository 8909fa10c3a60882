//! The billing tools, read only: `clerk_list_billing_plans`,
//! `clerk_get_user_subscription`, `clerk_get_organization_subscription` and
//! `clerk_list_subscription_items`.
//!
//! Money is shown as Clerk gives it ([`Money`]): the amount in the
//! currency's smallest unit, its formatted text and the currency; nothing
//! is converted. A payer without a subscription, like an unknown one, is a
//! 404 from Clerk, and a "not found" error naming both.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;
use serde_with::skip_serializing_none;

use super::arguments::{check_length, one_of, Argument, Arguments, Given, Limit};
use super::call::run;
use super::output::{items_and_page, mapped, PageInfo, Timestamp};
use super::{Annotations, Fields, SchemaSource, ToolDefinition, ToolError};
use crate::clerk::billing::{self as wire, SubscriptionItemFilter};
use crate::clerk::ids::{OrganizationId, UserId};
use crate::clerk::{ClerkClient, Page};

pub static TOOLS: [ToolDefinition; 4] = [
    ToolDefinition {
        name: "clerk_list_billing_plans",
        title: "List billing plans",
        description: "List the instance's billing plans, newest first: name, slug, payer type, \
            fees (as Clerk gives them: amount in minor units, formatted, currency), trial, \
            features. Filter by `payerType`.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<ListPlansArgs>(),
        output_schema: SchemaSource::output::<PlanList>(),
        handler: |call| run(call, list_plans),
        effect: None,
    },
    ToolDefinition {
        name: "clerk_get_user_subscription",
        title: "Get user subscription",
        description: "A user's billing subscription: status, next payment, and each plan \
            subscribed to. Not found when the user has none.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<UserSubscriptionArgs>(),
        output_schema: SchemaSource::output::<Subscription>(),
        handler: |call| run(call, user_subscription),
        effect: None,
    },
    ToolDefinition {
        name: "clerk_get_organization_subscription",
        title: "Get organization subscription",
        description: "An organization's billing subscription: status, next payment, and each \
            plan subscribed to. Not found when it has none.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<OrganizationSubscriptionArgs>(),
        output_schema: SchemaSource::output::<Subscription>(),
        handler: |call| run(call, organization_subscription),
        effect: None,
    },
    ToolDefinition {
        name: "clerk_list_subscription_items",
        title: "List subscription items",
        description: "List subscription items (one payer's plan each) across the instance, \
            newest first. Filter by `status`, `payerType`, `planId`, `query`; free plans only \
            with `includeFree`.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<ListItemsArgs>(),
        output_schema: SchemaSource::output::<SubscriptionItemList>(),
        handler: |call| run(call, list_items),
        effect: None,
    },
];

const PLAN_ID_PATTERN: &str = "^[A-Za-z0-9_]{1,80}$";

/// Who pays for a plan.
#[derive(Clone, Copy, Debug, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum PayerType {
    User,
    Org,
}

impl Argument for PayerType {
    fn from_value(value: Value) -> Result<Self, String> {
        one_of(value, &[PayerType::User, PayerType::Org], PayerType::as_str)
    }
}

impl PayerType {
    fn as_str(self) -> &'static str {
        match self {
            PayerType::User => "user",
            PayerType::Org => "org",
        }
    }
}

/// A subscription item status the filter accepts.
#[derive(Clone, Copy, Debug, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum ItemStatus {
    Active,
    Ended,
    PastDue,
    Upcoming,
    FreeTrial,
}

impl Argument for ItemStatus {
    fn from_value(value: Value) -> Result<Self, String> {
        one_of(
            value,
            &[
                ItemStatus::Active,
                ItemStatus::Ended,
                ItemStatus::PastDue,
                ItemStatus::Upcoming,
                ItemStatus::FreeTrial,
            ],
            ItemStatus::as_str,
        )
    }
}

impl ItemStatus {
    fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Active => "active",
            ItemStatus::Ended => "ended",
            ItemStatus::PastDue => "past_due",
            ItemStatus::Upcoming => "upcoming",
            ItemStatus::FreeTrial => "free_trial",
        }
    }
}

/// Arguments of `clerk_list_billing_plans`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ListPlansArgs {
    /// Only plans for this payer type. Default: both.
    payer_type: Option<PayerType>,
    /// 1 to 100. Default 20.
    #[serde(default)]
    limit: Limit<100>,
    /// Pass the previous answer's `nextOffset`.
    #[serde(default)]
    offset: u32,
    #[serde(default, rename = "fields")]
    _fields: Fields<Plan>,
}

impl Arguments for ListPlansArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(ListPlansArgs {
            payer_type: given.optional("payerType")?,
            limit: given.or_default("limit")?,
            offset: given.or_default("offset")?,
            _fields: given.or_default("fields")?,
        })
    }
}

/// Arguments of `clerk_get_user_subscription`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct UserSubscriptionArgs {
    user_id: UserId,
    #[serde(default, rename = "fields")]
    _fields: Fields<Subscription>,
}

impl Arguments for UserSubscriptionArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(UserSubscriptionArgs {
            user_id: given.required("userId")?,
            _fields: given.or_default("fields")?,
        })
    }
}

/// Arguments of `clerk_get_organization_subscription`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct OrganizationSubscriptionArgs {
    organization_id: OrganizationId,
    #[serde(default, rename = "fields")]
    _fields: Fields<Subscription>,
}

impl Arguments for OrganizationSubscriptionArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(OrganizationSubscriptionArgs {
            organization_id: given.required("organizationId")?,
            _fields: given.or_default("fields")?,
        })
    }
}

/// Arguments of `clerk_list_subscription_items`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ListItemsArgs {
    status: Option<ItemStatus>,
    payer_type: Option<PayerType>,
    /// A plan's ID, from clerk_list_billing_plans.
    #[schemars(pattern(PLAN_ID_PATTERN))]
    plan_id: Option<String>,
    /// Include free plans' items. Default false.
    #[serde(default)]
    include_free: bool,
    /// Search text.
    #[schemars(length(max = 200))]
    query: Option<String>,
    /// 1 to 100. Default 20.
    #[serde(default)]
    limit: Limit<100>,
    /// Pass the previous answer's `nextOffset`.
    #[serde(default)]
    offset: u32,
    #[serde(default, rename = "fields")]
    _fields: Fields<SubscriptionItem>,
}

impl Arguments for ListItemsArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(ListItemsArgs {
            status: given.optional("status")?,
            payer_type: given.optional("payerType")?,
            plan_id: given.optional("planId")?,
            include_free: given.or_default("includeFree")?,
            query: given.optional("query")?,
            limit: given.or_default("limit")?,
            offset: given.or_default("offset")?,
            _fields: given.or_default("fields")?,
        })
    }

    fn validate(&self) -> Result<(), ToolError> {
        if let Some(plan_id) = &self.plan_id {
            let valid = (1..=80).contains(&plan_id.len())
                && plan_id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_');
            if !valid {
                return Err(ToolError::invalid(
                    "planId",
                    format!(
                        "must be a plan ID: letters, digits and `_` (got {})",
                        crate::text::describe(plan_id)
                    ),
                ));
            }
        }
        if let Some(query) = &self.query {
            check_length("query", query, 200)?;
        }
        Ok(())
    }
}

/// An amount of money as Clerk gives it.
#[skip_serializing_none]
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Money {
    /// In the currency's smallest unit (cents).
    amount: Option<i64>,
    /// As Clerk formats it.
    amount_formatted: Option<String>,
    /// ISO code (`USD`).
    currency: Option<String>,
    currency_symbol: Option<String>,
}

impl From<wire::Money> for Money {
    fn from(money: wire::Money) -> Self {
        Money {
            amount: money.amount,
            amount_formatted: money.amount_formatted,
            currency: money.currency,
            currency_symbol: money.currency_symbol,
        }
    }
}

fn money(money: Option<wire::Money>) -> Option<Money> {
    money.map(Money::from)
}

/// One page of plans.
#[derive(Debug, Serialize, JsonSchema)]
struct PlanList {
    plans: Vec<Plan>,
    #[serde(flatten)]
    page: PageInfo,
}

/// A billing plan.
#[skip_serializing_none]
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Plan {
    id: String,
    name: Option<String>,
    slug: Option<String>,
    description: Option<String>,
    /// `user` or `org`.
    payer_type: Option<String>,
    is_default: Option<bool>,
    is_recurring: Option<bool>,
    publicly_visible: Option<bool>,
    has_base_fee: Option<bool>,
    /// Monthly fee.
    fee: Option<Money>,
    /// Monthly fee when paid annually.
    annual_monthly_fee: Option<Money>,
    annual_fee: Option<Money>,
    free_trial_enabled: Option<bool>,
    free_trial_days: Option<i64>,
    /// The slugs of the features it includes.
    features: Vec<String>,
}

impl From<wire::Plan> for Plan {
    fn from(plan: wire::Plan) -> Self {
        Plan {
            id: plan.id,
            name: plan.name,
            slug: plan.slug,
            description: plan.description,
            payer_type: plan.for_payer_type,
            is_default: plan.is_default,
            is_recurring: plan.is_recurring,
            publicly_visible: plan.publicly_visible,
            has_base_fee: plan.has_base_fee,
            fee: money(plan.fee),
            annual_monthly_fee: money(plan.annual_monthly_fee),
            annual_fee: money(plan.annual_fee),
            free_trial_enabled: plan.free_trial_enabled,
            free_trial_days: plan.free_trial_days,
            features: plan
                .features
                .unwrap_or_default()
                .into_iter()
                .filter_map(|feature| feature.slug.or(feature.name))
                .collect(),
        }
    }
}

/// A payment to come.
#[skip_serializing_none]
#[derive(Debug, Serialize, JsonSchema)]
struct NextPayment {
    amount: Option<Money>,
    date: Option<Timestamp>,
}

fn next_payment(next: Option<wire::NextPayment>) -> Option<NextPayment> {
    next.map(|next| NextPayment {
        amount: money(next.amount),
        date: Timestamp::from_opt(next.date),
    })
}

/// Who pays.
#[skip_serializing_none]
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Payer {
    id: Option<String>,
    user_id: Option<String>,
    organization_id: Option<String>,
    organization_name: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
}

/// One payer's subscription to one plan.
#[skip_serializing_none]
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct SubscriptionItem {
    id: String,
    /// `active`, `upcoming`, `past_due`, `canceled`, `ended`, ...
    status: Option<String>,
    plan_id: Option<String>,
    plan_name: Option<String>,
    /// `month` or `annual`.
    plan_period: Option<String>,
    payer_id: Option<String>,
    payer: Option<Payer>,
    is_free_trial: Option<bool>,
    lifetime_paid: Option<Money>,
    next_payment: Option<NextPayment>,
    period_start: Option<Timestamp>,
    period_end: Option<Timestamp>,
    canceled_at: Option<Timestamp>,
    past_due_at: Option<Timestamp>,
    ended_at: Option<Timestamp>,
    created_at: Option<Timestamp>,
}

impl From<wire::SubscriptionItem> for SubscriptionItem {
    fn from(item: wire::SubscriptionItem) -> Self {
        let plan_name = item.plan.as_ref().and_then(|plan| plan.name.clone());
        let plan_id = item.plan_id.or(item.plan.map(|plan| plan.id));
        SubscriptionItem {
            id: item.id,
            status: item.status,
            plan_id,
            plan_name,
            plan_period: item.plan_period,
            payer_id: item.payer_id,
            payer: item.payer.map(|payer| Payer {
                id: payer.id,
                user_id: payer.user_id,
                organization_id: payer.organization_id,
                organization_name: payer.organization_name,
                first_name: payer.first_name,
                last_name: payer.last_name,
                email: payer.email,
            }),
            is_free_trial: item.is_free_trial,
            lifetime_paid: money(item.lifetime_paid),
            next_payment: next_payment(item.next_payment),
            period_start: Timestamp::from_opt(item.period_start),
            period_end: Timestamp::from_opt(item.period_end),
            canceled_at: Timestamp::from_opt(item.canceled_at),
            past_due_at: Timestamp::from_opt(item.past_due_at),
            ended_at: Timestamp::from_opt(item.ended_at),
            created_at: Timestamp::from_opt(item.created_at),
        }
    }
}

/// One page of subscription items.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct SubscriptionItemList {
    subscription_items: Vec<SubscriptionItem>,
    #[serde(flatten)]
    page: PageInfo,
}

/// A payer's subscription.
#[skip_serializing_none]
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Subscription {
    id: String,
    /// `active`, `past_due`, `canceled`, `ended`, ...
    status: Option<String>,
    payer_id: Option<String>,
    eligible_for_free_trial: Option<bool>,
    next_payment: Option<NextPayment>,
    /// Each plan subscribed to.
    items: Vec<SubscriptionItem>,
    active_at: Option<Timestamp>,
    past_due_at: Option<Timestamp>,
    created_at: Option<Timestamp>,
    updated_at: Option<Timestamp>,
}

impl From<wire::Subscription> for Subscription {
    fn from(subscription: wire::Subscription) -> Self {
        Subscription {
            id: subscription.id,
            status: subscription.status,
            payer_id: subscription.payer_id,
            eligible_for_free_trial: subscription.eligible_for_free_trial,
            next_payment: next_payment(subscription.next_payment),
            items: mapped(
                subscription.subscription_items.unwrap_or_default(),
                SubscriptionItem::from,
            ),
            active_at: Timestamp::from_opt(subscription.active_at),
            past_due_at: Timestamp::from_opt(subscription.past_due_at),
            created_at: Timestamp::from_opt(subscription.created_at),
            updated_at: Timestamp::from_opt(subscription.updated_at),
        }
    }
}

fn page(limit: u32, offset: u32) -> Page {
    Page {
        limit,
        offset,
        order_by: None,
    }
}

async fn list_plans(clerk: &ClerkClient<'_>, args: ListPlansArgs) -> Result<PlanList, ToolError> {
    let list = clerk
        .list_billing_plans(
            args.payer_type.map(PayerType::as_str),
            &page(args.limit.get(), args.offset),
        )
        .await
        .map_err(ToolError::Clerk)?;
    let (plans, page) = items_and_page(list, args.offset);
    Ok(PlanList { plans, page })
}

async fn subscription_of(
    clerk: &ClerkClient<'_>,
    owner: &str,
    id: &str,
    noun: &str,
) -> Result<Subscription, ToolError> {
    let subscription = clerk
        .get_billing_subscription(owner, id)
        .await
        .map_err(|error| {
            ToolError::from_clerk(error, || {
                format!("no {noun} with ID {id}, or no billing subscription for it")
            })
        })?;
    Ok(subscription.into())
}

async fn user_subscription(
    clerk: &ClerkClient<'_>,
    args: UserSubscriptionArgs,
) -> Result<Subscription, ToolError> {
    subscription_of(clerk, "users", &args.user_id, "user").await
}

async fn organization_subscription(
    clerk: &ClerkClient<'_>,
    args: OrganizationSubscriptionArgs,
) -> Result<Subscription, ToolError> {
    subscription_of(
        clerk,
        "organizations",
        &args.organization_id,
        "organization",
    )
    .await
}

async fn list_items(
    clerk: &ClerkClient<'_>,
    args: ListItemsArgs,
) -> Result<SubscriptionItemList, ToolError> {
    let filter = SubscriptionItemFilter {
        status: args.status.map(ItemStatus::as_str),
        payer_type: args.payer_type.map(PayerType::as_str),
        plan_id: args.plan_id,
        include_free: args.include_free,
        query: args.query.filter(|query| !query.is_empty()),
    };
    let list = clerk
        .list_subscription_items(&filter, &page(args.limit.get(), args.offset))
        .await
        .map_err(ToolError::Clerk)?;
    let (subscription_items, page) = items_and_page(list, args.offset);
    Ok(SubscriptionItemList {
        subscription_items,
        page,
    })
}
