//! The user tools: `clerk_list_users`, `clerk_count_users`, `clerk_get_user`,
//! `clerk_create_user`, `clerk_update_user`, `clerk_update_user_metadata`,
//! `clerk_ban_user`, `clerk_bulk_ban_users`, `clerk_unban_user`,
//! `clerk_lock_user`, `clerk_unlock_user` and `clerk_delete_user`: their definitions and
//! handlers here, their arguments in [`arguments`], their outputs in
//! [`output`], what each write would change in [`effects`].
//!
//! A new user's password goes to Clerk and nowhere else: no output, error
//! or `Debug` of these modules shows it.

mod arguments;
mod effects;
mod output;

use futures::future::LocalBoxFuture;
use schemars::JsonSchema;
use serde_json::value::to_raw_value;

use super::bulk::{send_all, Batch, BulkResult, BulkSend, Keyed, Pacer, Stopped};
use super::call::{run, Written};
use super::effects::{foresee, listed_user_label};
use super::error::no_user_with_id;
use super::output::{mapped, PageInfo};
use super::{Annotations, SchemaSource, ToolDefinition, ToolError};
use crate::clerk::ids::{EmailAddress, UserId};
use crate::clerk::users::{self as wire, NewUser, UserAction, UserChanges};
use crate::clerk::{ClerkClient, ClerkError, MetadataChanges, Page};
use arguments::{
    user_filter, BulkBanArgs, CountUsersArgs, CreateUserArgs, GetUserArgs, ListUsersArgs, Password,
    UpdateUserArgs, UpdateUserMetadataArgs, UserIdArgs,
};
use output::{CompactUser, DeletedUser, FullUser, UserCount, UserList};

pub static TOOLS: [ToolDefinition; 12] = [
    ToolDefinition {
        name: "clerk_list_users",
        title: "List users",
        description: "List users, compact (empty fields left out); clerk_get_user gives a full \
            profile.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<ListUsersArgs>(),
        output_schema: SchemaSource::output::<UserList>(),
        handler: |call| run(call, list_users),
        effect: None,
    },
    ToolDefinition {
        name: "clerk_count_users",
        title: "Count users",
        description: "Count the users clerk_list_users would list with the same filters (none: \
            every user). Fetches no users.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<CountUsersArgs>(),
        output_schema: SchemaSource::output::<UserCount>(),
        handler: |call| run(call, count_users),
        effect: None,
    },
    ToolDefinition {
        name: "clerk_get_user",
        title: "Get user",
        description: "Get a user's full profile: names, email addresses and phone numbers with \
            verification, external accounts, MFA, ban and lock state, metadata, memberships \
            (when Clerk includes them), times. To find an ID by email: clerk_list_users.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<GetUserArgs>(),
        output_schema: SchemaSource::output::<FullUser>(),
        handler: |call| run(call, get_user),
        effect: None,
    },
    ToolDefinition {
        name: "clerk_create_user",
        title: "Create user",
        description: "Create a user; each call makes a new one. Give an identifier: \
            `emailAddress`, `phoneNumber` or `username` (the instance's settings say which are \
            required or allowed). The first email and phone are primary and marked verified; \
            no message is sent. Where the instance uses passwords, give `password` or \
            `skipPasswordRequirement`.",
        annotations: Annotations::WRITE,
        input_schema: SchemaSource::input::<CreateUserArgs>(),
        output_schema: SchemaSource::output::<FullUser>(),
        handler: |call| run(call, create_user),
        effect: Some(|call| foresee(call, effects::create_user)),
    },
    ToolDefinition {
        name: "clerk_update_user",
        title: "Update user",
        description: "Change a user's `firstName`, `lastName`, `username` or `externalId` (at \
            least one); the rest stay. Metadata: clerk_update_user_metadata.",
        annotations: Annotations::WRITE_IDEMPOTENT,
        input_schema: SchemaSource::input::<UpdateUserArgs>(),
        output_schema: SchemaSource::output::<FullUser>(),
        handler: |call| run(call, update_user),
        effect: Some(|call| foresee(call, effects::update_user)),
    },
    ToolDefinition {
        name: "clerk_update_user_metadata",
        title: "Update user metadata",
        description: "Deep-merge `publicMetadata`, `privateMetadata` and/or `unsafeMetadata` \
            into a user's: nested objects merge, a key set to null is removed, keys left out \
            stay.",
        annotations: Annotations::WRITE_IDEMPOTENT,
        input_schema: SchemaSource::input::<UpdateUserMetadataArgs>(),
        output_schema: SchemaSource::output::<FullUser>(),
        handler: |call| run(call, update_user_metadata),
        effect: Some(|call| foresee(call, effects::update_user_metadata)),
    },
    ToolDefinition {
        name: "clerk_ban_user",
        title: "Ban user",
        description: "Ban a user: Clerk ends all their sessions at once and refuses their \
            sign-ins until clerk_unban_user. The account and its data stay.",
        annotations: Annotations::DESTRUCTIVE_IDEMPOTENT,
        input_schema: SchemaSource::input::<UserIdArgs>(),
        output_schema: SchemaSource::output::<FullUser>(),
        handler: |call| {
            run(call, |clerk, args| {
                act_on_user(clerk, args, UserAction::Ban)
            })
        },
        effect: Some(|call| {
            foresee(call, |clerk, args| {
                effects::user_action(clerk, args, UserAction::Ban)
            })
        }),
    },
    ToolDefinition {
        name: "clerk_bulk_ban_users",
        title: "Ban many users",
        description: "Ban up to 100 users (`user_...`) as clerk_ban_user bans one: their \
            sessions end and they cannot sign in until unbanned. Answers each user's result \
            (succeeded, failed or not_attempted, and why); retry only the users not attempted.",
        annotations: Annotations::DESTRUCTIVE_IDEMPOTENT,
        input_schema: SchemaSource::input::<BulkBanArgs>(),
        output_schema: SchemaSource::output::<BulkResult<Banned>>(),
        handler: |call| run(call, bulk_ban),
        effect: Some(|call| foresee(call, effects::bulk_ban)),
    },
    ToolDefinition {
        name: "clerk_unban_user",
        title: "Unban user",
        description: "Lift a user's ban so they can sign in again; sessions the ban ended stay \
            ended.",
        annotations: Annotations::WRITE_IDEMPOTENT,
        input_schema: SchemaSource::input::<UserIdArgs>(),
        output_schema: SchemaSource::output::<FullUser>(),
        handler: |call| {
            run(call, |clerk, args| {
                act_on_user(clerk, args, UserAction::Unban)
            })
        },
        effect: Some(|call| {
            foresee(call, |clerk, args| {
                effects::user_action(clerk, args, UserAction::Unban)
            })
        }),
    },
    ToolDefinition {
        name: "clerk_lock_user",
        title: "Lock user",
        description: "Lock a user out of signing in until the instance's lockout period ends \
            or clerk_unlock_user. The account and its data stay; to keep someone out with no \
            end and sign them out everywhere, use clerk_ban_user.",
        annotations: Annotations::DESTRUCTIVE_IDEMPOTENT,
        input_schema: SchemaSource::input::<UserIdArgs>(),
        output_schema: SchemaSource::output::<FullUser>(),
        handler: |call| {
            run(call, |clerk, args| {
                act_on_user(clerk, args, UserAction::Lock)
            })
        },
        effect: Some(|call| {
            foresee(call, |clerk, args| {
                effects::user_action(clerk, args, UserAction::Lock)
            })
        }),
    },
    ToolDefinition {
        name: "clerk_unlock_user",
        title: "Unlock user",
        description: "Unlock a user locked by clerk_lock_user or by failed sign-ins, so they \
            can sign in at once.",
        annotations: Annotations::WRITE_IDEMPOTENT,
        input_schema: SchemaSource::input::<UserIdArgs>(),
        output_schema: SchemaSource::output::<FullUser>(),
        handler: |call| {
            run(call, |clerk, args| {
                act_on_user(clerk, args, UserAction::Unlock)
            })
        },
        effect: Some(|call| {
            foresee(call, |clerk, args| {
                effects::user_action(clerk, args, UserAction::Unlock)
            })
        }),
    },
    ToolDefinition {
        name: "clerk_delete_user",
        title: "Delete user",
        description: "Delete a user for good, signing them out everywhere; their email \
            addresses, phone numbers, external accounts, memberships and metadata go too. \
            Irreversible: be sure it is the right user (clerk_get_user). To only keep them \
            out: clerk_ban_user.",
        annotations: Annotations::DESTRUCTIVE,
        input_schema: SchemaSource::input::<UserIdArgs>(),
        output_schema: SchemaSource::output::<DeletedUser>(),
        handler: |call| run(call, delete_user),
        effect: Some(|call| foresee(call, effects::delete_user)),
    },
];

async fn list_users(clerk: &ClerkClient<'_>, args: ListUsersArgs) -> Result<Written, ToolError> {
    let filter = user_filter(args.query, args.email_address, args.user_id);
    let page = Page {
        limit: args.limit.get(),
        offset: args.offset,
        order_by: Some(args.order_by.into_string()),
    };
    let (answer, total_count) =
        futures::join!(clerk.list_users(&filter, &page), clerk.count_users(&filter));
    let answer = answer.map_err(ToolError::Clerk)?;
    let total_count = total_count.map_err(ToolError::Clerk)?;
    // The users borrow from the answer, which ends with this function, so
    // the list is written out here.
    let users = clerk.read_users(&answer).map_err(ToolError::Clerk)?;
    let page = PageInfo::new(Some(total_count), users.len(), args.offset);
    let ids = users.iter().map(|user| user.id.to_string()).collect();
    let list = UserList {
        users: mapped(users, CompactUser::from),
        page,
    };
    to_raw_value(&list)
        .map(|output| Written { output, ids })
        .map_err(ToolError::internal)
}

async fn count_users(
    clerk: &ClerkClient<'_>,
    args: CountUsersArgs,
) -> Result<UserCount, ToolError> {
    let filter = user_filter(args.query, args.email_address, args.user_id);
    let total_count = clerk.count_users(&filter).await.map_err(ToolError::Clerk)?;
    Ok(UserCount { total_count })
}

async fn get_user(clerk: &ClerkClient<'_>, args: GetUserArgs) -> Result<FullUser, ToolError> {
    let outcome = clerk.get_user(&args.user_id).await;
    full_user(outcome, &args.user_id)
}

async fn create_user(clerk: &ClerkClient<'_>, args: CreateUserArgs) -> Result<FullUser, ToolError> {
    let user = clerk
        .create_user(NewUser {
            email_addresses: args
                .email_address
                .into_iter()
                .map(EmailAddress::into_string)
                .collect(),
            phone_numbers: args.phone_number,
            username: args.username,
            first_name: args.first_name,
            last_name: args.last_name,
            external_id: args.external_id,
            password: args.password.map(Password::expose),
            skip_password_requirement: args.skip_password_requirement,
            public_metadata: args.public_metadata,
            private_metadata: args.private_metadata,
            unsafe_metadata: args.unsafe_metadata,
        })
        .await
        .map_err(ToolError::Clerk)?;
    Ok(FullUser::from(user))
}

async fn update_user(clerk: &ClerkClient<'_>, args: UpdateUserArgs) -> Result<FullUser, ToolError> {
    let changes = UserChanges {
        first_name: args.first_name,
        last_name: args.last_name,
        username: args.username,
        external_id: args.external_id,
    };
    let outcome = clerk.update_user(&args.user_id, changes).await;
    full_user(outcome, &args.user_id)
}

async fn update_user_metadata(
    clerk: &ClerkClient<'_>,
    args: UpdateUserMetadataArgs,
) -> Result<FullUser, ToolError> {
    let changes = MetadataChanges {
        public_metadata: args.public_metadata,
        private_metadata: args.private_metadata,
        unsafe_metadata: args.unsafe_metadata,
    };
    let outcome = clerk.update_user_metadata(&args.user_id, changes).await;
    full_user(outcome, &args.user_id)
}

/// A user call's answer as the full profile; a 404 names the user asked for.
fn full_user(
    outcome: Result<wire::User, ClerkError>,
    user_id: &str,
) -> Result<FullUser, ToolError> {
    outcome
        .map(FullUser::from)
        .map_err(|error| ToolError::from_clerk(error, || no_user_with_id(user_id)))
}

/// The one body of `clerk_ban_user`, `clerk_unban_user`, `clerk_lock_user`
/// and `clerk_unlock_user`: `POST /users/{id}/<action>`, answered with the user.
async fn act_on_user(
    clerk: &ClerkClient<'_>,
    args: UserIdArgs,
    action: UserAction,
) -> Result<FullUser, ToolError> {
    let outcome = clerk.act_on_user(&args.user_id, action).await;
    full_user(outcome, &args.user_id)
}

/// One user a bulk call names, as Clerk knows them.
struct NamedUser {
    label: String,
    banned: bool,
}

/// The users among `ids` that exist, each with its ID, read with one
/// `GET /users?user_id=...`; an ID Clerk does not list has no user.
async fn users_named(
    clerk: &ClerkClient<'_>,
    ids: &[&str],
) -> Result<Vec<(String, NamedUser)>, ClerkError> {
    let filter = wire::UserFilter {
        user_ids: ids.iter().map(|id| (*id).to_owned()).collect(),
        ..wire::UserFilter::default()
    };
    let page = Page {
        limit: u32::try_from(ids.len().max(1)).unwrap_or(u32::MAX),
        offset: 0,
        order_by: None,
    };
    let answer = clerk.list_users(&filter, &page).await?;
    Ok(clerk
        .read_users(&answer)?
        .iter()
        .map(|user| {
            let named = NamedUser {
                label: listed_user_label(user),
                banned: user.banned,
            };
            (user.id.clone().into_owned(), named)
        })
        .collect())
}

/// One user's profile, in a bulk call's result.
#[derive(Debug, JsonSchema)]
pub struct Banned {
    /// The user's full profile after the ban, for an item that succeeded.
    user: FullUser,
}

impl Keyed for Banned {
    const KEY: &'static str = "user";
    type Object = FullUser;
    fn object(&self) -> &FullUser {
        &self.user
    }
}

/// How `clerk_bulk_ban_users` sends: fifty users to a request, the most
/// Clerk's bulk endpoint takes; a user its answer leaves out is banned
/// alone, which changes nothing more if they already are.
struct UserBans<'a> {
    clerk: &'a ClerkClient<'a>,
}

impl BulkSend for UserBans<'_> {
    type Item = String;
    type Wire = wire::User;
    type Out = Banned;
    const CHUNK: usize = wire::MAX_BULK_BANS;
    const RESEND_UNANSWERED: bool = true;

    fn send_chunk<'a>(
        &'a self,
        items: Vec<&'a String>,
    ) -> LocalBoxFuture<'a, Result<Vec<wire::User>, ClerkError>> {
        Box::pin(async move {
            let ids: Vec<&str> = items.iter().map(|id| id.as_str()).collect();
            self.clerk.ban_users(&ids).await
        })
    }

    fn send_one<'a>(
        &'a self,
        item: &'a String,
    ) -> LocalBoxFuture<'a, Result<wire::User, ClerkError>> {
        Box::pin(self.clerk.act_on_user(item, UserAction::Ban))
    }

    fn answers(&self, item: &String, wire: &wire::User) -> bool {
        wire.id == *item
    }

    fn output(&self, wire: wire::User) -> Banned {
        Banned {
            user: FullUser::from(wire),
        }
    }

    fn failure(&self, item: &String, error: ClerkError) -> String {
        ToolError::from_clerk(error, || no_user_with_id(item)).to_string()
    }

    fn unanswered(&self, item: &String) -> String {
        format!("Clerk's answer did not list {item}")
    }
}

async fn bulk_ban(
    clerk: &ClerkClient<'_>,
    args: BulkBanArgs,
) -> Result<BulkResult<Banned>, ToolError> {
    let ids: Vec<String> = args.user_ids.into_iter().map(UserId::into_string).collect();
    let mut batch = Batch::new(ids.clone());
    batch.fail_repeats(str::to_owned);
    let unique: Vec<(usize, String)> = ids
        .into_iter()
        .enumerate()
        .filter(|(index, _)| !batch.is_settled(*index))
        .collect();
    let mut pacer = Pacer::start(clerk);
    let names: Vec<&str> = unique.iter().map(|(_, id)| id.as_str()).collect();
    let existing = match pacer.send(|| users_named(clerk, &names)).await {
        Ok(read) => read.map_err(ToolError::Clerk)?,
        Err(Stopped(reason)) => {
            for (index, _) in &unique {
                batch.not_attempted(*index, reason.clone());
            }
            return batch.finish();
        }
    };
    let mut to_ban = Vec::new();
    for (index, id) in unique {
        if existing.iter().any(|(known, _)| *known == id) {
            to_ban.push((index, id));
        } else {
            batch.fail(
                index,
                format!("Not found: {}: not sent", no_user_with_id(&id)),
            );
        }
    }
    send_all(&UserBans { clerk }, &mut pacer, &mut batch, &to_ban).await;
    batch.finish()
}

async fn delete_user(clerk: &ClerkClient<'_>, args: UserIdArgs) -> Result<DeletedUser, ToolError> {
    let deleted = clerk
        .delete_user(&args.user_id)
        .await
        .map_err(|error| ToolError::from_clerk(error, || no_user_with_id(&args.user_id)))?;
    Ok(DeletedUser {
        id: deleted
            .id
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| args.user_id.into_string()),
        deleted: deleted.deleted,
    })
}
