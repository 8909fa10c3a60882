//! The user tools: `clerk_list_users`, `clerk_count_users`, `clerk_get_user`,
//! `clerk_create_user`, `clerk_update_user`, `clerk_update_user_metadata`,
//! `clerk_ban_user`, `clerk_unban_user`, `clerk_lock_user`,
//! `clerk_unlock_user` and `clerk_delete_user`: their definitions and
//! handlers here, their arguments in [`arguments`], their outputs in
//! [`output`], what each write would change in [`effects`].
//!
//! A new user's password goes to Clerk and nowhere else: no output, error
//! or `Debug` of these modules shows it.

mod arguments;
mod effects;
mod output;

use serde_json::value::to_raw_value;

use super::call::{run, Written};
use super::effects::foresee;
use super::error::no_user_with_id;
use super::output::PageInfo;
use super::{Annotations, SchemaSource, ToolDefinition, ToolError};
use crate::clerk::ids::EmailAddress;
use crate::clerk::users::{self as wire, NewUser, UserAction, UserChanges};
use crate::clerk::{ClerkClient, ClerkError, MetadataChanges, Page};
use arguments::{
    user_filter, CountUsersArgs, CreateUserArgs, ListUsersArgs, Password, UpdateUserArgs,
    UpdateUserMetadataArgs, UserIdArgs,
};
use output::{CompactUser, DeletedUser, FullUser, UserCount, UserList};

pub static TOOLS: [ToolDefinition; 11] = [
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
        input_schema: SchemaSource::input::<UserIdArgs>(),
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
    let page = PageInfo::new(total_count, users.len(), args.offset);
    let list = UserList {
        users: users.into_iter().map(CompactUser::from).collect(),
        page,
    };
    to_raw_value(&list)
        .map(Written)
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

async fn get_user(clerk: &ClerkClient<'_>, args: UserIdArgs) -> Result<FullUser, ToolError> {
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
