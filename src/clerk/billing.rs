//! Clerk's billing endpoints, read only: the plans (`GET /v1/billing/plans`),
//! the subscription items of the instance
//! (`GET /v1/billing/subscription_items`), and the subscription of one user
//! or organization (`GET /v1/users/{id}/billing/subscription`,
//! `GET /v1/organizations/{id}/billing/subscription`).
//!
//! Money is read as Clerk gives it (`CommerceMoneyResponse`: an amount in
//! the currency's smallest unit, its formatted text and the currency), and
//! passed on unconverted. Every field is optional when read.

use serde_json::Value;

use super::{ClerkClient, ClerkError, Misread, Object, Page, PaginatedList, Query, UrlPath, Wire};

/// An amount of money (`CommerceMoneyResponse`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Money {
    pub amount: Option<i64>,
    pub amount_formatted: Option<String>,
    pub currency: Option<String>,
    pub currency_symbol: Option<String>,
}

impl Wire for Money {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut money = Object::new(value)?;
        Ok(Money {
            amount: money.take("amount"),
            amount_formatted: money.take("amount_formatted"),
            currency: money.take("currency"),
            currency_symbol: money.take("currency_symbol"),
        })
    }
}

/// A feature a plan includes (`FeatureResponse`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Feature {
    pub name: Option<String>,
    pub slug: Option<String>,
}

impl Wire for Feature {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut feature = Object::new(value)?;
        Ok(Feature {
            name: feature.take("name"),
            slug: feature.take("slug"),
        })
    }
}

/// A plan (`CommercePlan`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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

impl Wire for Plan {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut plan = Object::new(value)?;
        Ok(Plan {
            id: plan.required("id")?,
            name: plan.take("name"),
            slug: plan.take("slug"),
            description: plan.take("description"),
            for_payer_type: plan.take("for_payer_type"),
            is_default: plan.take("is_default"),
            is_recurring: plan.take("is_recurring"),
            publicly_visible: plan.take("publicly_visible"),
            has_base_fee: plan.take("has_base_fee"),
            fee: plan.take("fee"),
            annual_monthly_fee: plan.take("annual_monthly_fee"),
            annual_fee: plan.take("annual_fee"),
            free_trial_enabled: plan.take("free_trial_enabled"),
            free_trial_days: plan.take("free_trial_days"),
            features: plan.take("features"),
        })
    }
}

/// Who pays (`CommercePayerResponse`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Payer {
    pub id: Option<String>,
    pub user_id: Option<String>,
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
}

impl Wire for Payer {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut payer = Object::new(value)?;
        Ok(Payer {
            id: payer.take("id"),
            user_id: payer.take("user_id"),
            organization_id: payer.take("organization_id"),
            organization_name: payer.take("organization_name"),
            first_name: payer.take("first_name"),
            last_name: payer.take("last_name"),
            email: payer.take("email"),
        })
    }
}

/// The next payment of a subscription or an item.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NextPayment {
    pub amount: Option<Money>,
    pub date: Option<i64>,
}

impl Wire for NextPayment {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut payment = Object::new(value)?;
        Ok(NextPayment {
            amount: payment.take("amount"),
            date: payment.take("date"),
        })
    }
}

/// One plan a payer is subscribed to (`CommerceSubscriptionItem`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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

impl Wire for SubscriptionItem {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut item = Object::new(value)?;
        Ok(SubscriptionItem {
            id: item.required("id")?,
            status: item.take("status"),
            plan_id: item.take("plan_id"),
            plan: item.take("plan"),
            plan_period: item.take("plan_period"),
            payer_id: item.take("payer_id"),
            payer: item.take("payer"),
            is_free_trial: item.take("is_free_trial"),
            lifetime_paid: item.take("lifetime_paid"),
            next_payment: item.take("next_payment"),
            period_start: item.take("period_start"),
            period_end: item.take("period_end"),
            canceled_at: item.take("canceled_at"),
            past_due_at: item.take("past_due_at"),
            ended_at: item.take("ended_at"),
            created_at: item.take("created_at"),
            updated_at: item.take("updated_at"),
        })
    }
}

/// A payer's subscription (`CommerceSubscription`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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

impl Wire for Subscription {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut subscription = Object::new(value)?;
        Ok(Subscription {
            id: subscription.required("id")?,
            status: subscription.take("status"),
            payer_id: subscription.take("payer_id"),
            subscription_items: subscription.take("subscription_items"),
            next_payment: subscription.take("next_payment"),
            eligible_for_free_trial: subscription.take("eligible_for_free_trial"),
            active_at: subscription.take("active_at"),
            past_due_at: subscription.take("past_due_at"),
            created_at: subscription.take("created_at"),
            updated_at: subscription.take("updated_at"),
        })
    }
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
        let subscription: Subscription = crate::clerk::wire::from_str(
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
