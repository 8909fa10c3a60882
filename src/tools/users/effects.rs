//! What each user write would change (see `tools::effects`): the user as
//! they stand, and what goes with them.

use super::arguments::{
    BulkBanArgs, CreateUserArgs, UpdateUserArgs, UpdateUserMetadataArgs, UserIdArgs,
};
use super::output::FullUser;
use crate::clerk::ids::UserId;
use crate::clerk::sessions::SessionFilter;
use crate::clerk::users::UserAction;
use crate::clerk::{ClerkClient, Page};
use crate::tools::effects::{
    count, merge_kind, merges, quoted, user_as_it_stands, user_label, Effect,
};
use crate::tools::ToolError;

pub async fn create_user(
    _clerk: &ClerkClient<'_>,
    args: CreateUserArgs,
) -> Result<Effect, ToolError> {
    let mut with = Vec::new();
    if let Some(email) = args.email_address.first() {
        with.push(format!("email address <{}>", email.as_str()));
    }
    if let Some(phone) = args.phone_number.first() {
        with.push(format!("phone number {}", quoted(phone)));
    }
    if let Some(username) = &args.username {
        with.push(format!("username {}", quoted(username)));
    }
    let more = (args.email_address.len() + args.phone_number.len()).saturating_sub(2);
    if more > 0 {
        with.push(format!("{more} more identifiers"));
    }
    if args.password.is_some() {
        with.push("a password".to_owned());
    }
    Ok(Effect::said(format!(
        "Create a user with {}.",
        with.join(", ")
    )))
}

pub async fn update_user(
    clerk: &ClerkClient<'_>,
    args: UpdateUserArgs,
) -> Result<Effect, ToolError> {
    let current = user_as_it_stands(clerk, &args.user_id).await?;
    let mut after = current.clone();
    let mut changes = Vec::new();
    for (what, new, field) in [
        ("first name", args.first_name, &mut after.first_name),
        ("last name", args.last_name, &mut after.last_name),
        ("username", args.username, &mut after.username),
        ("external ID", args.external_id, &mut after.external_id),
    ] {
        if let Some(new) = new {
            let before = field.as_deref().unwrap_or_default();
            changes.push(format!("{what} {} to {}", quoted(before), quoted(&new)));
            *field = Some(new).filter(|value| !value.is_empty());
        }
    }
    let summary = format!("Update {}: {}.", user_label(&current), changes.join(", "));
    Ok(Effect::said(summary).changing(FullUser::from(current), FullUser::from(after)))
}

pub async fn update_user_metadata(
    clerk: &ClerkClient<'_>,
    args: UpdateUserMetadataArgs,
) -> Result<Effect, ToolError> {
    let current = user_as_it_stands(clerk, &args.user_id).await?;
    let mut after = current.clone();
    let changes = [
        merge_kind("public", &mut after.public_metadata, &args.public_metadata),
        merge_kind(
            "private",
            &mut after.private_metadata,
            &args.private_metadata,
        ),
        merge_kind("unsafe", &mut after.unsafe_metadata, &args.unsafe_metadata),
    ];
    let summary = format!(
        "Merge into the metadata of {}: {}.",
        user_label(&current),
        merges(changes)
    );
    Ok(Effect::said(summary).changing(FullUser::from(current), FullUser::from(after)))
}

/// Banning, unbanning, locking or unlocking: what it does to this user,
/// or that it changes nothing.
pub async fn user_action(
    clerk: &ClerkClient<'_>,
    args: UserIdArgs,
    action: UserAction,
) -> Result<Effect, ToolError> {
    let current = user_as_it_stands(clerk, &args.user_id).await?;
    let user = user_label(&current);
    let mut after = current.clone();
    let (summary, sessions) = match action {
        UserAction::Ban if current.banned => (
            format!("{user} is already banned: this changes nothing."),
            None,
        ),
        UserAction::Ban => {
            let sessions = active_sessions(clerk, &args.user_id).await?;
            after.banned = true;
            let summary = format!(
                "Ban {user}: their {} end at once, and they cannot sign in again until \
                 unbanned.",
                count(sessions, "active session", "active sessions")
            );
            (summary, Some(sessions))
        }
        UserAction::Unban if !current.banned => {
            (format!("{user} is not banned: this changes nothing."), None)
        }
        UserAction::Unban => {
            after.banned = false;
            (format!("Unban {user}: they can sign in again."), None)
        }
        UserAction::Lock if current.locked => (
            format!("{user} is already locked: this changes nothing."),
            None,
        ),
        UserAction::Lock => {
            after.locked = true;
            let summary = format!(
                "Lock {user}: they cannot sign in until they are unlocked or the lock expires \
                 (the instance's lockout setting says when)."
            );
            (summary, None)
        }
        UserAction::Unlock if !current.locked => {
            (format!("{user} is not locked: this changes nothing."), None)
        }
        UserAction::Unlock => {
            after.locked = false;
            after.lockout_expires_in_seconds = None;
            (
                format!("Unlock {user}: they can sign in again at once."),
                None,
            )
        }
    };
    let mut effect = Effect::said(summary).changing(FullUser::from(current), FullUser::from(after));
    if let Some(sessions) = sessions {
        effect = effect.counting("activeSessions", sessions);
    }
    Ok(effect)
}

/// How many users a bulk ban's sentence names in each of its lists before
/// it only counts the rest.
const LISTED_USERS: usize = 20;

/// `a, b and 3 more`: at most [`LISTED_USERS`] of `names`.
fn listing(names: &[String]) -> String {
    let mut listed: Vec<&str> = names
        .iter()
        .take(LISTED_USERS)
        .map(String::as_str)
        .collect();
    let more = names.len().saturating_sub(LISTED_USERS);
    let more_text = format!("and {more} more");
    if more > 0 {
        listed.push(&more_text);
    }
    listed.join(", ")
}

/// Who a bulk ban would ban, who already is, and which IDs have no user.
pub async fn bulk_ban(clerk: &ClerkClient<'_>, args: BulkBanArgs) -> Result<Effect, ToolError> {
    let mut ids: Vec<&str> = Vec::new();
    for id in args.user_ids.iter().map(UserId::as_str) {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let existing = super::users_named(clerk, &ids)
        .await
        .map_err(ToolError::Clerk)?;
    let (mut to_ban, mut already, mut missing) = (Vec::new(), Vec::new(), Vec::new());
    for id in &ids {
        match existing
            .iter()
            .find(|(known, _)| known == id)
            .map(|(_, user)| user)
        {
            Some(user) if user.banned => already.push(user.label.clone()),
            Some(user) => to_ban.push(user.label.clone()),
            None => missing.push((*id).to_owned()),
        }
    }
    let mut summary = if to_ban.is_empty() {
        "Ban nobody new.".to_owned()
    } else {
        format!(
            "Ban {}: their sessions end at once, and they cannot sign in again until unbanned. \
             {}.",
            count(Some(to_ban.len() as i64), "user", "users"),
            listing(&to_ban)
        )
    };
    if !already.is_empty() {
        summary.push_str(&format!(
            " Already banned, unchanged: {}.",
            listing(&already)
        ));
    }
    if !missing.is_empty() {
        summary.push_str(&format!(
            " No user has these IDs, which are not sent: {}.",
            listing(&missing)
        ));
    }
    let repeats = args.user_ids.len() - ids.len();
    if repeats > 0 {
        summary.push_str(&format!(
            " {} repeated in the list {} sent once.",
            count(Some(repeats as i64), "ID", "IDs"),
            if repeats == 1 { "is" } else { "are" }
        ));
    }
    Ok(Effect::said(summary)
        .counting("users", Some(to_ban.len() as i64))
        .counting("alreadyBanned", Some(already.len() as i64))
        .counting("notFound", Some(missing.len() as i64)))
}

pub async fn delete_user(clerk: &ClerkClient<'_>, args: UserIdArgs) -> Result<Effect, ToolError> {
    let current = user_as_it_stands(clerk, &args.user_id).await?;
    let memberships = clerk
        .list_user_organization_memberships(&args.user_id, &Page::FIRST)
        .await
        .map_err(ToolError::Clerk)?
        .total_count;
    let sessions = active_sessions(clerk, &args.user_id).await?;
    let summary = format!(
        "Delete {}: their {} and {} go with them. This cannot be undone.",
        user_label(&current),
        count(
            memberships,
            "organization membership",
            "organization memberships"
        ),
        count(sessions, "active session", "active sessions"),
    );
    Ok(Effect::said(summary)
        .counting("organizationMemberships", memberships)
        .counting("activeSessions", sessions)
        .removing(FullUser::from(current)))
}

/// How many sessions of the user are active.
async fn active_sessions(
    clerk: &ClerkClient<'_>,
    user_id: &UserId,
) -> Result<Option<i64>, ToolError> {
    let filter = SessionFilter {
        user_id: user_id.as_str().to_owned(),
        status: Some("active"),
    };
    let list = clerk
        .list_sessions(&filter, &Page::FIRST)
        .await
        .map_err(ToolError::Clerk)?;
    Ok(list.total_count)
}
