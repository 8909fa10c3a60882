//! The member tools: `clerk_list_organization_members`,
//! `clerk_list_user_organizations`, `clerk_add_member`,
//! `clerk_update_member_role`, `clerk_update_member_metadata` and
//! `clerk_remove_member`.
//!
//! Every tool answers members in one shape, [`Member`], mapped once from
//! Clerk's `OrganizationMembership` wire type in [`crate::clerk::memberships`];
//! the wire type itself is never shown. IDs are checked before any path is
//! built from them.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use super::arguments::{
    check_count, check_length, check_metadata_given, Arguments, Given, Limit, OrderBy, OrderFields,
};
use super::call::run;
use super::effects::{
    foresee, member_label, merge_kind, merges, organization_as_it_stands, organization_label,
    organization_named, user_as_it_stands, user_label, Effect,
};
use super::error::{no_organization_with_id, no_user_with_id};
use super::output::{items_and_page, PageInfo, Timestamp};
use super::{Annotations, Fields, SchemaSource, ToolDefinition, ToolError};
use crate::clerk::ids::{OrganizationId, RoleKey, UserId};
use crate::clerk::memberships::{self as wire, MembershipFilter};
use crate::clerk::{ClerkClient, ClerkError, MetadataChanges, Page};

pub static TOOLS: [ToolDefinition; 6] = [
    ToolDefinition {
        name: "clerk_list_organization_members",
        title: "List organization members",
        description: "List an organization's members: user ID, names, identifier (usually the \
            email address), username, role key with its name and permissions, membership \
            metadata and times.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<ListMembersArgs>(),
        output_schema: SchemaSource::output::<MemberList>(),
        handler: |call| run(call, list_members),
        effect: None,
    },
    ToolDefinition {
        name: "clerk_list_user_organizations",
        title: "List user's organizations",
        description: "List the organizations a user belongs to: for each, the organization's \
            ID, name and slug, the user's role key with its name and permissions, membership \
            metadata and join time.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<ListUserOrganizationsArgs>(),
        output_schema: SchemaSource::output::<UserMembershipList>(),
        handler: |call| run(call, list_user_organizations),
        effect: None,
    },
    ToolDefinition {
        name: "clerk_add_member",
        title: "Add member",
        description: "Make an existing user a member of an organization at once, with `role` \
            (it must exist: clerk_list_roles). No email, nothing to accept. Refused for a \
            member (use clerk_update_member_role); to invite an email address, \
            clerk_create_invitation.",
        annotations: Annotations::WRITE,
        input_schema: SchemaSource::input::<AddMemberArgs>(),
        output_schema: SchemaSource::output::<Member>(),
        handler: |call| run(call, add_member),
        effect: Some(|call| foresee(call, add_member_effect)),
    },
    ToolDefinition {
        name: "clerk_update_member_role",
        title: "Update member role",
        description: "Change a member's role in an organization; the role must exist \
            (clerk_list_roles). For a user who is not a member yet: clerk_add_member or \
            clerk_create_invitation.",
        annotations: Annotations::WRITE_IDEMPOTENT,
        input_schema: SchemaSource::input::<UpdateMemberRoleArgs>(),
        output_schema: SchemaSource::output::<Member>(),
        handler: |call| run(call, update_member_role),
        effect: Some(|call| foresee(call, update_member_role_effect)),
    },
    ToolDefinition {
        name: "clerk_update_member_metadata",
        title: "Update member metadata",
        description: "Deep-merge `publicMetadata` and/or `privateMetadata` into a membership's \
            (the user's in that organization only): nested objects merge, a key set to null is \
            deleted, keys left out stay.",
        annotations: Annotations::WRITE_IDEMPOTENT,
        input_schema: SchemaSource::input::<UpdateMemberMetadataArgs>(),
        output_schema: SchemaSource::output::<Member>(),
        handler: |call| run(call, update_member_metadata),
        effect: Some(|call| foresee(call, update_member_metadata_effect)),
    },
    ToolDefinition {
        name: "clerk_remove_member",
        title: "Remove member",
        description: "Remove a user from an organization: the membership goes, with its role \
            and metadata. The user account stays and can be invited again.",
        annotations: Annotations::DESTRUCTIVE,
        input_schema: SchemaSource::input::<RemoveMemberArgs>(),
        output_schema: SchemaSource::output::<RemovedMember>(),
        handler: |call| run(call, remove_member),
        effect: Some(|call| foresee(call, remove_member_effect)),
    },
];

const MAX_QUERY_CHARS: usize = 256;
const MAX_ROLES: usize = 20;

/// The fields an organization's members can be sorted by.
enum MemberOrder {}

impl OrderFields for MemberOrder {
    const FIELDS: &'static [&'static str] = &[
        "phone_number",
        "email_address",
        "created_at",
        "first_name",
        "last_name",
        "username",
    ];
}

/// Arguments of `clerk_list_organization_members`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ListMembersArgs {
    organization_id: OrganizationId,
    #[serde(default)]
    limit: Limit<100>,
    /// Next page: the last answer's `nextOffset`.
    #[serde(default)]
    offset: u32,
    /// Search names, email addresses, phone numbers, usernames and user IDs.
    #[schemars(length(max = 256))]
    query: Option<String>,
    /// Only members with one of these role keys.
    #[serde(default)]
    #[schemars(length(max = 20))]
    role: Vec<RoleKey>,
    /// Field to sort by; `-` before it for descending.
    order_by: Option<OrderBy<MemberOrder>>,
    #[serde(default, rename = "fields")]
    _fields: Fields<Member>,
}

impl Arguments for ListMembersArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(ListMembersArgs {
            organization_id: given.required("organizationId")?,
            limit: given.or_default("limit")?,
            offset: given.or_default("offset")?,
            query: given.optional("query")?,
            role: given.or_default("role")?,
            order_by: given.optional("orderBy")?,
            _fields: given.or_default("fields")?,
        })
    }

    fn validate(&self) -> Result<(), ToolError> {
        if let Some(query) = &self.query {
            check_length("query", query, MAX_QUERY_CHARS)?;
        }
        check_count("role", &self.role, MAX_ROLES, "role keys")
    }
}

/// Arguments of `clerk_list_user_organizations`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ListUserOrganizationsArgs {
    user_id: UserId,
    #[serde(default)]
    limit: Limit<100>,
    /// Next page: the last answer's `nextOffset`.
    #[serde(default)]
    offset: u32,
    #[serde(default, rename = "fields")]
    _fields: Fields<Member>,
}

impl Arguments for ListUserOrganizationsArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(ListUserOrganizationsArgs {
            user_id: given.required("userId")?,
            limit: given.or_default("limit")?,
            offset: given.or_default("offset")?,
            _fields: given.or_default("fields")?,
        })
    }
}

/// Arguments of `clerk_add_member`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct AddMemberArgs {
    organization_id: OrganizationId,
    user_id: UserId,
    /// Role key, such as `org:member`.
    role: RoleKey,
}

impl Arguments for AddMemberArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(AddMemberArgs {
            organization_id: given.required("organizationId")?,
            user_id: given.required("userId")?,
            role: given.required("role")?,
        })
    }
}

/// Arguments of `clerk_update_member_role`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct UpdateMemberRoleArgs {
    organization_id: OrganizationId,
    user_id: UserId,
    /// New role key, such as `org:admin`.
    role: RoleKey,
}

impl Arguments for UpdateMemberRoleArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(UpdateMemberRoleArgs {
            organization_id: given.required("organizationId")?,
            user_id: given.required("userId")?,
            role: given.required("role")?,
        })
    }
}

/// Arguments of `clerk_update_member_metadata`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct UpdateMemberMetadataArgs {
    organization_id: OrganizationId,
    user_id: UserId,
    /// Keys to merge into the public metadata (frontend reads, backend writes).
    public_metadata: Option<Map<String, Value>>,
    /// Keys to merge into the private metadata (backend only).
    private_metadata: Option<Map<String, Value>>,
}

impl Arguments for UpdateMemberMetadataArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(UpdateMemberMetadataArgs {
            organization_id: given.required("organizationId")?,
            user_id: given.required("userId")?,
            public_metadata: given.optional("publicMetadata")?,
            private_metadata: given.optional("privateMetadata")?,
        })
    }

    fn validate(&self) -> Result<(), ToolError> {
        check_metadata_given(&self.public_metadata, &self.private_metadata)
    }
}

/// Arguments of `clerk_remove_member`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RemoveMemberArgs {
    organization_id: OrganizationId,
    user_id: UserId,
}

impl Arguments for RemoveMemberArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(RemoveMemberArgs {
            organization_id: given.required("organizationId")?,
            user_id: given.required("userId")?,
        })
    }
}

/// One page of an organization's members.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct MemberList {
    members: Vec<Member>,
    #[serde(flatten)]
    page: PageInfo,
}

/// One page of a user's memberships, one per organization.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct UserMembershipList {
    memberships: Vec<Member>,
    #[serde(flatten)]
    page: PageInfo,
}

/// A user's membership in an organization. Fields Clerk sends as null are left out.
#[skip_serializing_none]
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Member {
    /// The membership's ID (`orgmem_...`).
    id: String,
    organization_id: Option<String>,
    /// The organization's name.
    organization_name: Option<String>,
    /// The organization's slug, when it has one.
    organization_slug: Option<String>,
    user_id: Option<String>,
    /// The role key (`org:admin`, `org:member`, or a custom role).
    role: String,
    /// The role's display name (`Admin`).
    role_name: Option<String>,
    /// The permission keys the role grants (`org:sys_memberships:manage`, ...).
    permissions: Option<Vec<String>>,
    first_name: Option<String>,
    last_name: Option<String>,
    /// How the user signs in: usually an email address, else a phone number or username.
    identifier: Option<String>,
    username: Option<String>,
    image_url: Option<String>,
    /// The membership's public metadata; `{}` when empty.
    public_metadata: Map<String, Value>,
    /// The membership's private metadata; `{}` when empty.
    private_metadata: Map<String, Value>,
    /// When the user joined the organization.
    created_at: Option<Timestamp>,
    updated_at: Option<Timestamp>,
}

/// What `clerk_remove_member` answers.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct RemovedMember {
    /// Always true: the membership is gone.
    removed: bool,
    /// The member as it was just before removal.
    member: Member,
}

impl From<wire::OrganizationMembership> for Member {
    fn from(membership: wire::OrganizationMembership) -> Self {
        let user = membership.public_user_data.unwrap_or_default();
        let organization = membership.organization.unwrap_or_default();
        Member {
            id: membership.id,
            organization_id: Some(organization.id).filter(|id| !id.is_empty()),
            organization_name: organization.name.filter(|name| !name.is_empty()),
            organization_slug: organization.slug.filter(|slug| !slug.is_empty()),
            user_id: Some(user.user_id).filter(|id| !id.is_empty()),
            role: membership.role,
            role_name: membership.role_name,
            permissions: membership.permissions,
            first_name: user.first_name,
            last_name: user.last_name,
            identifier: user.identifier,
            username: user.username,
            image_url: user.image_url,
            public_metadata: membership.public_metadata.unwrap_or_default(),
            private_metadata: membership.private_metadata.unwrap_or_default(),
            created_at: Timestamp::from_opt(membership.created_at),
            updated_at: Timestamp::from_opt(membership.updated_at),
        }
    }
}

/// Wraps a failed call on one membership; a 404 says which one.
fn membership_error(error: ClerkError, organization_id: &str, user_id: &str) -> ToolError {
    ToolError::from_clerk(error, || {
        format!("no membership of user {user_id} in organization {organization_id}")
    })
}

async fn list_members(
    clerk: &ClerkClient<'_>,
    args: ListMembersArgs,
) -> Result<MemberList, ToolError> {
    let filter = MembershipFilter {
        query: args.query.filter(|query| !query.trim().is_empty()),
        roles: args.role.into_iter().map(RoleKey::into_string).collect(),
        ..MembershipFilter::default()
    };
    let page = Page {
        limit: args.limit.get(),
        offset: args.offset,
        order_by: args.order_by.map(OrderBy::into_string),
    };
    let list = clerk
        .list_organization_memberships(&args.organization_id, &filter, &page)
        .await
        .map_err(|error| {
            ToolError::from_clerk(error, || no_organization_with_id(&args.organization_id))
        })?;
    let (members, page) = items_and_page(list, args.offset);
    Ok(MemberList { members, page })
}

async fn list_user_organizations(
    clerk: &ClerkClient<'_>,
    args: ListUserOrganizationsArgs,
) -> Result<UserMembershipList, ToolError> {
    let page = Page {
        limit: args.limit.get(),
        offset: args.offset,
        order_by: None,
    };
    let list = clerk
        .list_user_organization_memberships(&args.user_id, &page)
        .await
        .map_err(|error| ToolError::from_clerk(error, || no_user_with_id(&args.user_id)))?;
    let (memberships, page) = items_and_page(list, args.offset);
    Ok(UserMembershipList { memberships, page })
}

async fn add_member(clerk: &ClerkClient<'_>, args: AddMemberArgs) -> Result<Member, ToolError> {
    let membership = clerk
        .create_organization_membership(&args.organization_id, &args.user_id, &args.role)
        .await
        .map_err(|error| {
            ToolError::from_clerk(error, || {
                format!(
                    "{}, or {}",
                    no_organization_with_id(&args.organization_id),
                    no_user_with_id(&args.user_id)
                )
            })
        })?;
    Ok(Member::from(membership))
}

async fn update_member_role(
    clerk: &ClerkClient<'_>,
    args: UpdateMemberRoleArgs,
) -> Result<Member, ToolError> {
    let membership = clerk
        .update_organization_membership_role(&args.organization_id, &args.user_id, &args.role)
        .await
        .map_err(|error| membership_error(error, &args.organization_id, &args.user_id))?;
    Ok(Member::from(membership))
}

async fn update_member_metadata(
    clerk: &ClerkClient<'_>,
    args: UpdateMemberMetadataArgs,
) -> Result<Member, ToolError> {
    let changes = MetadataChanges {
        public_metadata: args.public_metadata,
        private_metadata: args.private_metadata,
        unsafe_metadata: None,
    };
    let membership = clerk
        .update_organization_membership_metadata(&args.organization_id, &args.user_id, changes)
        .await
        .map_err(|error| membership_error(error, &args.organization_id, &args.user_id))?;
    Ok(Member::from(membership))
}

async fn remove_member(
    clerk: &ClerkClient<'_>,
    args: RemoveMemberArgs,
) -> Result<RemovedMember, ToolError> {
    let membership = clerk
        .delete_organization_membership(&args.organization_id, &args.user_id)
        .await
        .map_err(|error| membership_error(error, &args.organization_id, &args.user_id))?;
    Ok(RemovedMember {
        removed: true,
        member: Member::from(membership),
    })
}

// What each write would change (see `effects`).

async fn add_member_effect(
    clerk: &ClerkClient<'_>,
    args: AddMemberArgs,
) -> Result<Effect, ToolError> {
    let organization = organization_as_it_stands(clerk, &args.organization_id).await?;
    let user = user_as_it_stands(clerk, &args.user_id).await?;
    Ok(Effect::said(format!(
        "Add {} to {} with role {}.",
        user_label(&user),
        organization_label(&organization),
        args.role.as_str()
    )))
}

async fn update_member_role_effect(
    clerk: &ClerkClient<'_>,
    args: UpdateMemberRoleArgs,
) -> Result<Effect, ToolError> {
    let current = read_membership(clerk, &args.organization_id, &args.user_id).await?;
    let (member, organization) = labels(&current, &args.organization_id, &args.user_id);
    let summary = if current.role == args.role.as_str() {
        format!(
            "{member} already has role {} in {organization}: this changes nothing.",
            current.role
        )
    } else {
        format!(
            "Change the role of {member} in {organization} from {} to {}.",
            current.role,
            args.role.as_str()
        )
    };
    let mut after = current.clone();
    after.role = args.role.into_string();
    after.role_name = None;
    after.permissions = None;
    Ok(Effect::said(summary).changing(Member::from(current), Member::from(after)))
}

async fn update_member_metadata_effect(
    clerk: &ClerkClient<'_>,
    args: UpdateMemberMetadataArgs,
) -> Result<Effect, ToolError> {
    let current = read_membership(clerk, &args.organization_id, &args.user_id).await?;
    let (member, organization) = labels(&current, &args.organization_id, &args.user_id);
    let mut after = current.clone();
    let changes = [
        merge_kind("public", &mut after.public_metadata, &args.public_metadata),
        merge_kind(
            "private",
            &mut after.private_metadata,
            &args.private_metadata,
        ),
    ];
    let summary = format!(
        "Merge into the metadata of {member}'s membership of {organization}: {}.",
        merges(changes)
    );
    Ok(Effect::said(summary).changing(Member::from(current), Member::from(after)))
}

async fn remove_member_effect(
    clerk: &ClerkClient<'_>,
    args: RemoveMemberArgs,
) -> Result<Effect, ToolError> {
    let current = read_membership(clerk, &args.organization_id, &args.user_id).await?;
    let (member, organization) = labels(&current, &args.organization_id, &args.user_id);
    let summary = format!(
        "Remove {member} from {organization}, where their role is {}: they lose access to it \
         at once, and only a new invitation or membership brings them back.",
        current.role
    );
    Ok(Effect::said(summary).removing(Member::from(current)))
}

/// The membership of `user_id` in `organization_id`, as it stands.
async fn read_membership(
    clerk: &ClerkClient<'_>,
    organization_id: &OrganizationId,
    user_id: &UserId,
) -> Result<wire::OrganizationMembership, ToolError> {
    let filter = MembershipFilter {
        user_ids: vec![user_id.as_str().to_owned()],
        ..MembershipFilter::default()
    };
    let list = clerk
        .list_organization_memberships(organization_id, &filter, &Page::FIRST)
        .await
        .map_err(|error| membership_error(error, organization_id, user_id))?;
    list.data
        .into_iter()
        .find(|membership| {
            membership
                .public_user_data
                .as_ref()
                .is_none_or(|user| user.user_id == user_id.as_str())
        })
        .ok_or_else(|| {
            ToolError::invalid(
                "userId",
                format!("user {user_id} is not a member of organization {organization_id}"),
            )
        })
}

/// How a sentence names a membership's member and organization.
fn labels(
    membership: &wire::OrganizationMembership,
    organization_id: &str,
    user_id: &str,
) -> (String, String) {
    let member = match &membership.public_user_data {
        Some(user) => member_label(user, user_id),
        None => format!("user {user_id}"),
    };
    let organization = match &membership.organization {
        Some(organization) => organization_named(
            organization_id,
            organization.name.as_deref(),
            organization.slug.as_deref(),
        ),
        None => format!("organization {organization_id}"),
    };
    (member, organization)
}
