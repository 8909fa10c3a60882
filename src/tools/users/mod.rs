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
        description: "List the users of the Clerk instance, newest first unless `orderBy` says \
            otherwise. Narrow the list with `query` (free text matched against names, email \
            addresses, phone numbers, usernames and IDs), or with exact `emailAddress` or `userId` \
            lists. Users come back compact, with empty fields left out; use clerk_get_user for a \
            full profile. The answer carries `totalCount` and `hasMore`; when `hasMore` is true, \
            call again with `offset` set to `nextOffset` for the next page.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<ListUsersArgs>(),
        output_schema: SchemaSource::output::<UserList>(),
        handler: |call| run(call, list_users),
        effect: None,
    },
    ToolDefinition {
        name: "clerk_count_users",
        title: "Count users",
        description: "Count the users of the Clerk instance. Without arguments every user is \
            counted; `query` (free text matched against names, email addresses, phone numbers, \
            usernames and IDs), `emailAddress` (exact addresses) and `userId` (`user_...`) narrow \
            the count exactly as they narrow clerk_list_users. Returns `{totalCount}` and fetches \
            no users, so use it when only the number matters.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<CountUsersArgs>(),
        output_schema: SchemaSource::output::<UserCount>(),
        handler: |call| run(call, count_users),
        effect: None,
    },
    ToolDefinition {
        name: "clerk_get_user",
        title: "Get user",
        description: "Get one user's full profile by user ID (`user_...`): names, every email \
            address and phone number with its verification, external accounts (Google, GitHub, \
            ...), MFA settings, ban and lock state, the three metadata objects, organization \
            memberships when Clerk includes them, and sign-in and activity times. To find a \
            user's ID from an email address, use clerk_list_users with `emailAddress`.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<UserIdArgs>(),
        output_schema: SchemaSource::output::<FullUser>(),
        handler: |call| run(call, get_user),
        effect: None,
    },
    ToolDefinition {
        name: "clerk_create_user",
        title: "Create user",
        description: "Create a user. Give at least one identifier to sign in with: \
            `emailAddress`, `phoneNumber` (E.164, such as +15555550100) or `username`. The \
            instance's settings (Clerk Dashboard, User & authentication) decide which of them \
            are required and which are enabled at all; Clerk refuses a call that lacks a \
            required one or gives a disabled one, and names it. The first email address and \
            phone number become the primary ones; Clerk marks them verified and sends no \
            verification message. `externalId` links the user to your own systems but is not \
            something to sign in with. When the instance uses passwords, give `password` (at \
            least 8 characters, and not one known from a data breach) or set \
            `skipPasswordRequirement` to true to create the user without one; the password is \
            sent to Clerk only and never shown back. The metadata objects set the initial \
            metadata. Email addresses, phone numbers, usernames and external IDs must be unique \
            in the instance, and each call creates a new user. Returns the new user's full \
            profile, with their ID (`user_...`).",
        annotations: Annotations::WRITE,
        input_schema: SchemaSource::input::<CreateUserArgs>(),
        output_schema: SchemaSource::output::<FullUser>(),
        handler: |call| run(call, create_user),
        effect: Some(|call| foresee(call, effects::create_user)),
    },
    ToolDefinition {
        name: "clerk_update_user",
        title: "Update user",
        description: "Change a user's profile (`user_...`): `firstName`, `lastName`, `username` \
            and `externalId`; give at least one. Only the fields given change. An empty \
            `username` removes the username, where the instance does not require one. \
            Usernames and external IDs must be unique in the instance. Metadata is not changed \
            here: use clerk_update_user_metadata. Returns the user's full profile after the \
            change.",
        annotations: Annotations::WRITE_IDEMPOTENT,
        input_schema: SchemaSource::input::<UpdateUserArgs>(),
        output_schema: SchemaSource::output::<FullUser>(),
        handler: |call| run(call, update_user),
        effect: Some(|call| foresee(call, effects::update_user)),
    },
    ToolDefinition {
        name: "clerk_update_user_metadata",
        title: "Update user metadata",
        description: "Merge changes into a user's metadata (`user_...`). Give at least one of \
            `publicMetadata` (readable by the user's browser, writable only from the backend), \
            `privateMetadata` (backend only) and `unsafeMetadata` (readable and writable by the \
            user's browser). Clerk deep-merges each object into the stored one: nested objects \
            are merged key by key, a key set to null is removed, and keys you leave out are kept. \
            Returns the user's full profile after the change.",
        annotations: Annotations::WRITE_IDEMPOTENT,
        input_schema: SchemaSource::input::<UpdateUserMetadataArgs>(),
        output_schema: SchemaSource::output::<FullUser>(),
        handler: |call| run(call, update_user_metadata),
        effect: Some(|call| foresee(call, effects::update_user_metadata)),
    },
    ToolDefinition {
        name: "clerk_ban_user",
        title: "Ban user",
        description: "Ban a user (`user_...`). Clerk revokes all of the user's sessions at once, \
            signing them out on every device, and refuses every sign-in until the ban is lifted \
            with clerk_unban_user. The account and its data are kept. Banning a banned user \
            changes nothing. Returns the user's full profile, with `banned: true`.",
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
        description: "Lift a user's ban (`user_...`) so that they can sign in again. Sessions \
            the ban revoked stay revoked: the user signs in anew. Unbanning a user who is not \
            banned changes nothing. Returns the user's full profile, with `banned: false`.",
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
        description: "Lock a user (`user_...`): Clerk refuses their sign-ins until the lock \
            expires, after the lockout period set in the instance's restrictions settings, or \
            until clerk_unlock_user lifts it. Clerk also locks users by itself after too many \
            failed sign-in attempts. The account and its data are kept; to keep someone out \
            with no end date and sign them out everywhere, use clerk_ban_user. Locking a locked \
            user changes nothing. Returns the user's full profile, with `locked: true` and \
            `lockoutExpiresInSeconds`.",
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
        description: "Unlock a user (`user_...`) locked by clerk_lock_user or by too many \
            failed sign-in attempts, so that they can sign in again at once. Unlocking a user \
            who is not locked changes nothing. Returns the user's full profile, with \
            `locked: false`.",
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
        description: "Permanently delete a user (`user_...`). This is irreversible: the user is \
            signed out everywhere, and their email addresses, phone numbers, external accounts, \
            organization memberships and metadata are deleted with them; should the same \
            person sign up again, they become a new user with a new ID. To stop someone \
            signing in while keeping the account, use clerk_ban_user instead. Make sure the \
            user means this account (clerk_get_user shows it) before calling. Returns \
            `{id, deleted: true}`.",
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
