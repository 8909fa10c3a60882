//! What a write would change, read from Clerk before it is made: the one
//! sentence a person judges before saying yes, and the values a preview
//! shows beside it.
//!
//! Every write tool has a describer beside its handler, in its group's
//! module. A describer reads its arguments exactly as the handler does,
//! reads what the call would touch (an organization's members and pending
//! invitations before it is deleted, a user's metadata before it is merged
//! into), and answers an [`Effect`]. It sends nothing but reads. The
//! confirmation that comes before a destructive call and `clerk_preview`
//! both say what the [`Effect`] says.
//!
//! The names in a sentence (of organizations, users) are written by end
//! users; they are quoted and shortened here, and whoever shows the
//! sentence to a model fences it as data.

use std::future::Future;

use futures::future::LocalBoxFuture;
use serde::Serialize;
use serde_json::value::{to_raw_value, RawValue};
use serde_json::{Map, Value};

use super::call::{arguments_and_clerk, Call};
use super::error::{no_organization_with_id, no_user_with_id};
use super::{Arguments, ToolError};
use crate::clerk::memberships::MembershipUser;
use crate::clerk::organizations::Organization;
use crate::clerk::users::{ListedUser, User};
use crate::clerk::ClerkClient;
use crate::text::shorten;

/// What a write would change.
#[derive(Debug, Default)]
pub struct Effect {
    /// One sentence a person can judge: what is changed or destroyed, and
    /// what goes with it.
    pub summary: String,
    /// The object as it stands, in the tool's output shape, for a call
    /// that changes one.
    pub current: Option<Box<RawValue>>,
    /// The object as the call would leave it.
    pub after: Option<Box<RawValue>>,
    /// How many things go with the call (`memberships`, `activeSessions`).
    pub affected: Map<String, Value>,
}

/// Reads what one call of a write tool would change.
pub type Describer = for<'a> fn(Call<'a>) -> LocalBoxFuture<'a, Result<Effect, ToolError>>;

/// The runner of every describer, as `call::run` is of every handler:
/// reads and checks the arguments, makes sure there is a Clerk client,
/// then runs `describe`.
pub fn foresee<'a, A, F, Fut>(
    call: Call<'a>,
    describe: F,
) -> LocalBoxFuture<'a, Result<Effect, ToolError>>
where
    A: Arguments,
    F: FnOnce(&'a ClerkClient<'a>, A) -> Fut + 'a,
    Fut: Future<Output = Result<Effect, ToolError>> + 'a,
{
    Box::pin(async move {
        let (clerk, arguments) = arguments_and_clerk::<A>(call)?;
        describe(clerk, arguments).await
    })
}

impl Effect {
    /// An effect told by its sentence alone.
    pub fn said(summary: String) -> Self {
        Effect {
            summary,
            ..Effect::default()
        }
    }

    /// Adds a count of what goes with the call, when Clerk gave one.
    pub fn counting(mut self, what: &str, count: Option<i64>) -> Self {
        if let Some(count) = count {
            self.affected.insert(what.to_owned(), count.into());
        }
        self
    }

    /// Adds the object before and after, each in the tool's output shape.
    /// Written as JSON text the way the tool writes its output, so that no
    /// second serializer of the output types is built.
    pub fn changing<T: Serialize>(mut self, current: T, after: T) -> Self {
        self.current = to_raw_value(&current).ok();
        self.after = to_raw_value(&after).ok();
        self
    }

    /// Adds the object as it stands, for a call that removes it.
    pub fn removing<T: Serialize>(mut self, current: T) -> Self {
        self.current = to_raw_value(&current).ok();
        self
    }
}

/// The organization a write names, as it stands; a 404 says which.
pub async fn organization_as_it_stands(
    clerk: &ClerkClient<'_>,
    organization_id: &str,
) -> Result<Organization, ToolError> {
    clerk
        .get_organization(organization_id)
        .await
        .map_err(|error| ToolError::from_clerk(error, || no_organization_with_id(organization_id)))
}

/// The user a write names, as they stand; a 404 says which.
pub async fn user_as_it_stands(clerk: &ClerkClient<'_>, user_id: &str) -> Result<User, ToolError> {
    clerk
        .get_user(user_id)
        .await
        .map_err(|error| ToolError::from_clerk(error, || no_user_with_id(user_id)))
}

/// What merging each kind of metadata given did, as [`merge_kind`] says
/// it: `public metadata: 1 key set; private metadata: 1 key removed`.
pub fn merges<const N: usize>(kinds: [Option<String>; N]) -> String {
    kinds.into_iter().flatten().collect::<Vec<_>>().join("; ")
}

/// Text an end user wrote, as a sentence quotes it: cut to 60 characters,
/// in quotes, with any quote or control character escaped.
pub fn quoted(text: &str) -> String {
    format!("{:?}", shorten(text, 60))
}

/// `organization "Acme Inc" (org_1, slug "acme")`.
pub fn organization_label(organization: &Organization) -> String {
    organization_named(
        &organization.id,
        organization.name.as_deref(),
        organization.slug.as_deref(),
    )
}

/// An organization by its ID, and its name and slug where known.
pub fn organization_named(id: &str, name: Option<&str>, slug: Option<&str>) -> String {
    let mut label = String::from("organization ");
    if let Some(name) = name.filter(|name| !name.is_empty()) {
        label.push_str(&quoted(name));
        label.push(' ');
    }
    label.push('(');
    label.push_str(id);
    if let Some(slug) = slug.filter(|slug| !slug.is_empty()) {
        label.push_str(", slug ");
        label.push_str(&quoted(slug));
    }
    label.push(')');
    label
}

/// `user "Ada Lovelace" <ada@example.com> (user_1)`: the name, or else the
/// username, then the primary email address, when there are some.
pub fn user_label(user: &User) -> String {
    let name = full_name(user.first_name.as_deref(), user.last_name.as_deref())
        .or_else(|| user.username.clone().filter(|name| !name.is_empty()));
    let email = user
        .email_addresses
        .iter()
        .find(|email| email.id.is_some() && email.id == user.primary_email_address_id)
        .or(user.email_addresses.first())
        .map(|email| email.email_address.as_str());
    person_label(name.as_deref(), email, &user.id)
}

/// A user as a page of `GET /users` shows them, labelled as [`user_label`]
/// labels a user.
pub fn listed_user_label(user: &ListedUser<'_>) -> String {
    let name = full_name(user.first_name.as_deref(), user.last_name.as_deref()).or_else(|| {
        user.username
            .as_deref()
            .filter(|name| !name.is_empty())
            .map(str::to_owned)
    });
    let email = user
        .email_addresses
        .iter()
        .find(|email| email.id.is_some() && email.id == user.primary_email_address_id)
        .or(user.email_addresses.first())
        .map(|email| email.email_address.as_ref());
    person_label(name.as_deref(), email, &user.id)
}

/// A member as their membership names them.
pub fn member_label(member: &MembershipUser, user_id: &str) -> String {
    let name = full_name(member.first_name.as_deref(), member.last_name.as_deref())
        .or_else(|| member.username.clone().filter(|name| !name.is_empty()));
    person_label(name.as_deref(), member.identifier.as_deref(), user_id)
}

fn full_name(first: Option<&str>, last: Option<&str>) -> Option<String> {
    let name = [first, last]
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    (!name.is_empty()).then_some(name)
}

fn person_label(name: Option<&str>, identifier: Option<&str>, id: &str) -> String {
    let mut label = String::from("user ");
    if let Some(name) = name {
        label.push_str(&quoted(name));
        label.push(' ');
    }
    if let Some(identifier) = identifier.filter(|identifier| !identifier.is_empty()) {
        label.push('<');
        label.push_str(&shorten(identifier, 80));
        label.push_str("> ");
    }
    label.push('(');
    label.push_str(id);
    label.push(')');
    label
}

/// `1 membership`, `3 memberships`; without a count, `memberships`.
pub fn count(n: Option<i64>, one: &str, many: &str) -> String {
    match n {
        Some(n) => format!("{n} {}", if n == 1 { one } else { many }),
        None => many.to_owned(),
    }
}

/// Merges `changes` into `stored` the way Clerk's `/metadata` endpoints do:
/// nested objects merge key by key, a key set to `null` is removed, and
/// any other value replaces the stored one. Answers how many keys, at any
/// depth, were set and how many removed.
pub fn merge_metadata(
    stored: &mut Map<String, Value>,
    changes: &Map<String, Value>,
) -> (usize, usize) {
    let (mut set, mut removed) = (0, 0);
    for (key, change) in changes {
        match (stored.get_mut(key), change) {
            (Some(_), Value::Null) => {
                stored.remove(key);
                removed += 1;
            }
            (None, Value::Null) => {}
            (Some(Value::Object(inner)), Value::Object(change)) => {
                let (s, r) = merge_metadata(inner, change);
                set += s;
                removed += r;
            }
            (_, change) => {
                let mut change = change.clone();
                drop_nulls(&mut change);
                stored.insert(key.clone(), change);
                set += 1;
            }
        }
    }
    (set, removed)
}

/// A new object stores no `null` member: there is nothing to remove.
fn drop_nulls(value: &mut Value) {
    if let Value::Object(object) = value {
        object.retain(|_, value| !value.is_null());
        object.values_mut().for_each(drop_nulls);
    }
}

/// Merges `changes`, when given, into the `stored` metadata of one kind
/// (`public`, `private`, `unsafe`), and says what that did:
/// `public metadata: 2 keys set`.
pub fn merge_kind(
    kind: &str,
    stored: &mut Option<Map<String, Value>>,
    changes: &Option<Map<String, Value>>,
) -> Option<String> {
    let changes = changes.as_ref()?;
    let (set, removed) = merge_metadata(stored.get_or_insert_with(Map::new), changes);
    Some(format!("{kind} metadata: {}", merge_counts(set, removed)))
}

/// `2 keys set and 1 removed`, of a metadata merge.
pub fn merge_counts(set: usize, removed: usize) -> String {
    let keys = |n: usize| if n == 1 { "key" } else { "keys" };
    match (set, removed) {
        (0, 0) => "no key changes".to_owned(),
        (set, 0) => format!("{set} {} set", keys(set)),
        (0, removed) => format!("{removed} {} removed", keys(removed)),
        (set, removed) => format!("{set} {} set and {removed} removed", keys(set)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(object) => object,
            _ => Map::new(),
        }
    }

    #[test]
    fn metadata_merges_deeply_and_null_removes() {
        let mut stored =
            object(json!({"plan": "free", "limits": {"seats": 3, "sso": false}, "old": 1}));
        let changes = object(
            json!({"plan": "pro", "limits": {"seats": 10}, "old": null, "gone": null, "new": {"a": 1, "b": null}}),
        );
        let (set, removed) = merge_metadata(&mut stored, &changes);
        assert_eq!(
            Value::Object(stored),
            json!({"plan": "pro", "limits": {"seats": 10, "sso": false}, "new": {"a": 1}})
        );
        assert_eq!((set, removed), (3, 1));
        assert_eq!(merge_counts(set, removed), "3 keys set and 1 removed");
    }

    #[test]
    fn labels_quote_what_users_wrote() {
        let organization = Organization {
            id: "org_1".into(),
            name: Some("Acme \"Inc\"\nIgnore".into()),
            slug: Some("acme".into()),
            ..Organization::default()
        };
        assert_eq!(
            organization_label(&organization),
            r#"organization "Acme \"Inc\"\nIgnore" (org_1, slug "acme")"#
        );
        let user = User {
            id: "user_1".into(),
            username: Some("ada".into()),
            ..User::default()
        };
        assert_eq!(user_label(&user), r#"user "ada" (user_1)"#);
    }
}
