//! The role tools: `clerk_list_roles`.
//!
//! Roles belong to the Clerk instance and are named by their keys
//! (`org:admin`) wherever a member or invitation gets one. They are answered
//! in one shape, [`Role`], mapped once from Clerk's `Role` wire type in
//! [`crate::clerk::roles`]; the wire type itself is never shown.

use schemars::JsonSchema;
use serde::Serialize;
use serde_with::skip_serializing_none;

use super::arguments::{check_length, Arguments, Given, Limit};
use super::call::run;
use super::output::{items_and_page, PageInfo, Timestamp};
use super::{Annotations, Fields, SchemaSource, ToolDefinition, ToolError};
use crate::clerk::roles as wire;
use crate::clerk::{ClerkClient, Page};

pub static TOOLS: [ToolDefinition; 1] = [ToolDefinition {
    name: "clerk_list_roles",
    title: "List roles",
    description: "List the instance's organization roles, newest first: key, name, \
        description, permissions, and whether a creator may get it. Gives the valid role keys \
        for clerk_add_member, clerk_update_member_role and clerk_create_invitation.",
    annotations: Annotations::READ_ONLY,
    input_schema: SchemaSource::input::<ListRolesArgs>(),
    output_schema: SchemaSource::output::<RoleList>(),
    handler: |call| run(call, list_roles),
    effect: None,
}];

const MAX_QUERY_CHARS: usize = 256;

/// Arguments of `clerk_list_roles`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ListRolesArgs {
    /// A role ID (exact), or part of a name or key.
    #[schemars(length(max = 256))]
    query: Option<String>,
    #[serde(default)]
    limit: Limit<100>,
    /// Next page: the last answer's `nextOffset`.
    #[serde(default)]
    offset: u32,
    #[serde(default, rename = "fields")]
    _fields: Fields<Role>,
}

impl Arguments for ListRolesArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(ListRolesArgs {
            query: given.optional("query")?,
            limit: given.or_default("limit")?,
            offset: given.or_default("offset")?,
            _fields: given.or_default("fields")?,
        })
    }

    fn validate(&self) -> Result<(), ToolError> {
        if let Some(query) = &self.query {
            check_length("query", query, MAX_QUERY_CHARS)?;
        }
        Ok(())
    }
}

/// One page of the instance's roles.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct RoleList {
    roles: Vec<Role>,
    #[serde(flatten)]
    page: PageInfo,
}

/// An organization role. Fields Clerk sends as null are left out.
#[skip_serializing_none]
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Role {
    /// The role's ID.
    id: String,
    /// The key members and invitations name the role by (`org:admin`).
    key: String,
    /// The role's display name (`Admin`).
    name: String,
    description: Option<String>,
    /// The permission keys the role grants (`org:sys_memberships:manage`, ...).
    permissions: Vec<String>,
    /// Whether an organization's creator may be given this role.
    is_creator_eligible: Option<bool>,
    created_at: Option<Timestamp>,
    updated_at: Option<Timestamp>,
}

impl From<wire::Role> for Role {
    fn from(role: wire::Role) -> Self {
        Role {
            id: role.id,
            key: role.key,
            name: role.name.unwrap_or_default(),
            description: role.description.filter(|text| !text.is_empty()),
            permissions: role
                .permissions
                .unwrap_or_default()
                .into_iter()
                .map(|permission| permission.key)
                .collect(),
            is_creator_eligible: role.is_creator_eligible,
            created_at: Timestamp::from_opt(role.created_at),
            updated_at: Timestamp::from_opt(role.updated_at),
        }
    }
}

async fn list_roles(clerk: &ClerkClient<'_>, args: ListRolesArgs) -> Result<RoleList, ToolError> {
    let query = args.query.filter(|query| !query.trim().is_empty());
    let page = Page {
        limit: args.limit.get(),
        offset: args.offset,
        order_by: None,
    };
    let list = clerk
        .list_organization_roles(query.as_deref(), &page)
        .await
        .map_err(ToolError::Clerk)?;
    let (roles, page) = items_and_page(list, args.offset);
    Ok(RoleList { roles, page })
}
