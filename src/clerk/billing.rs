//! Clerk's billing endpoints, read only: the plans (`GET /v1/billing/plans`),
//! the subscription items of the instance
//! (`GET /v1/billing/subscription_items`), and the subscription of one user
//! or organization (`GET /v1/users/{id}/billing/subscription`,
//! `GET /v1/organizations/{id}/billing/subscription`).
//!
//! Money is read as Clerk gives it (`CommerceMoneyResponse`: an amount in
//! the currency's smallest unit, its formatted text and the currency), and
//! passed on unconverted. Every field is optional when read.

use serde::Deserialize;

use super::{ClerkClient, ClerkError, Page, PaginatedList, Query, UrlPath};

/// An amount of money (`CommerceMoneyResponse`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Money {
    pub amount: Option<i64>,
    pub amount_formatted: Option<String>,
    pub currency: Option<String>,
    pub currency_symbol: Option<String>,
}

/// A feature a plan includes (`FeatureResponse`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Feature {
    pub name: Option<String>,
    pub slug: Option<String>,
}

/// A plan (`CommercePlan`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Plan {
    pub id: String,
    pub name: Option<String>,
    pub slug: Option<String>,
    pub description: Option<String>,
    pub for_payer_type: Option<String>,
    pub is_default: Option<bool>,
    pub is_recurring: Option<bool>,
    pub publicly_visible: Option<bool>,
    pub has_base_fee: Option<bool>,
    pub fee: Option<Money>,
    pub annual_monthly_fee: Option<Money>,
    pub annual_fee: Option<Money>,
    pub free_trial_enabled: Option<bool>,
    pub free_trial_days: Option<i64>,
    pub features: Option<Vec<Feature>>,
}

/// Who pays (`CommercePayerResponse`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Payer {
    pub id: Option<String>,
    pub user_id: Option<String>,
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
}

/// The next payment of a subscription or an item.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct NextPayment {
    pub amount: Option<Money>,
    pub date: Option<i64>,
}

/// One plan a payer is subscribed to (`CommerceSubscriptionItem`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct SubscriptionItem {
    pub id: String,
    pub status: Option<String>,
    pub plan_id: Option<String>,
    pub plan: Option<Plan>,
    pub plan_period: Option<String>,
    pub payer_id: Option<String>,
    pub payer: Option<Payer>,
    pub is_free_trial: Option<bool>,
    pub lifetime_paid: Option<Money>,
    pub next_payment: Option<NextPayment>,
    pub period_start: Option<i64>,
    pub period_end: Option<i64>,
    pub canceled_at: Option<i64>,
    pub past_due_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
}

/// A payer's subscription (`CommerceSubscription`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Subscription {
    pub id: String,
    pub status: Option<String>,
    pub payer_id: Option<String>,
    pub subscription_items: Option<Vec<SubscriptionItem>>,
    pub next_payment: Option<NextPayment>,
    pub eligible_for_free_trial: Option<bool>,
    pub active_at: Option<i64>,
    pub past_due_at: Option<i64>,
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
}

/// The filters of `GET /billing/subscription_items` beside the page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubscriptionItemFilter {
    pub status: Option<&'static str>,
    pub payer_type: Option<&'static str>,
    pub plan_id: Option<String>,
    pub include_free: bool,
    pub query: Option<String>,
}

fn billing_path() -> UrlPath {
    UrlPath::new().segment("billing")
}

/// `paginated=true` with the page: Clerk answers `{data, total_count}`.
fn paged(page: &Page) -> Query {
    let mut query = Query::new();
    query.push("paginated", "true");
    page.push_to(&mut query);
    query
}

impl ClerkClient<'_> {
    /// `GET /v1/billing/plans`: one page of the plans, newest first.
    pub async fn list_billing_plans(
        &self,
        payer_type: Option<&str>,
        page: &Page,
    ) -> Result<PaginatedList<Plan>, ClerkError> {
        let mut query = paged(page);
        query.push_opt("payer_type", payer_type);
        self.get(&billing_path().segment("plans"), &query).await
    }

    /// `GET /v1/billing/subscription_items`: one page, newest first.
    pub async fn list_subscription_items(
        &self,
        filter: &SubscriptionItemFilter,
        page: &Page,
    ) -> Result<PaginatedList<SubscriptionItem>, ClerkError> {
        let mut query = paged(page);
        query.push_opt("status", filter.status);
        query.push_opt("payer_type", filter.payer_type);
        query.push_opt("plan_id", filter.plan_id.as_deref());
        if filter.include_free {
            query.push("include_free", "true");
        }
        query.push_opt("query", filter.query.as_deref());
        self.get(&billing_path().segment("subscription_items"), &query)
            .await
    }

    /// `GET /v1/users/{user_id}/billing/subscription` or
    /// `GET /v1/organizations/{organization_id}/billing/subscription`:
    /// `owner` is `users` or `organizations`.
    pub async fn get_billing_subscription(
        &self,
        owner: &str,
        id: &str,
    ) -> Result<Subscription, ClerkError> {
        let path = UrlPath::new()
            .segment(owner)
            .segment(id)
            .segment("billing")
            .segment("subscription");
        self.get(&path, &Query::new()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subscription_decodes_with_nulls_and_unknown_fields() {
        let subscription: Subscription = serde_json::from_str(
            r#"{"object":"commerce_subscription","id":"csub_1","status":"active",
                "subscription_items":[{"id":"csubi_1","plan":null,"period_end":null,
                "lifetime_paid":{"amount":4999,"amount_formatted":"49.99","currency":"USD",
                "currency_symbol":"$"},"new":1}],"next_payment":null}"#,
        )
        .expect("decodes");
        let items = subscription.subscription_items.unwrap_or_default();
        assert_eq!(
            items[0].lifetime_paid.as_ref().and_then(|m| m.amount),
            Some(4999)
        );
        assert_eq!(items[0].plan, None);
    }
}
