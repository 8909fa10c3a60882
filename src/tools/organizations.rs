//! The organization tools: `clerk_list_organizations`,
//! `clerk_get_organization`, `clerk_create_organization`,
//! `clerk_update_organization`, `clerk_update_organization_metadata` and
//! `clerk_delete_organization`.
//!
//! Every one of them answers with organizations in one output shape
//! ([`Organization`]), read from Clerk's wire type in
//! [`crate::clerk::organizations`], which is never exposed directly.
//! Memberships and invitations belong to their own modules.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use super::arguments::{
    check_any_given, check_length, check_metadata_given, newest_first, Arguments, Given, Limit,
    OrderBy, OrderFields,
};
use super::call::{run, Asked};
use super::effects::{
    count, foresee, merge_kind, merges, organization_as_it_stands, organization_label, quoted,
    Effect,
};
use super::error::no_organization_with_id;
use super::output::{items_and_page, non_empty, PageInfo, Timestamp};
use super::{
    Annotations, Choice, Fields, Question, SchemaSource, ToolDefinition, ToolError, MAX_CHOICES,
};
use crate::clerk::ids::{OrganizationId, Slug, UserId};
use crate::clerk::organizations::{
    self as wire, NewOrganization, OrganizationChanges, OrganizationFilter,
};
use crate::clerk::{ClerkClient, ClerkError, MetadataChanges, Page};
use crate::text::describe;

pub static TOOLS: [ToolDefinition; 6] = [
    ToolDefinition {
        name: "clerk_list_organizations",
        title: "List organizations",
        description: "List the instance's organizations: name, slug, member count, membership \
            limit, metadata and times.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<ListOrganizationsArgs>(),
        output_schema: SchemaSource::output::<OrganizationList>(),
        handler: |call| run(call, list_organizations),
        effect: None,
    },
    ToolDefinition {
        name: "clerk_get_organization",
        title: "Get organization",
        description: "Get one organization by `organizationId` or `slug` (exactly one): name, \
            slug, member and pending-invitation counts, membership limit, creator, image, \
            metadata and times. To search by name, use clerk_list_organizations.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<GetOrganizationArgs>(),
        output_schema: SchemaSource::output::<Organization>(),
        handler: |call| {
            let can_ask = call.can_ask;
            run(call, move |clerk, args| {
                get_organization(clerk, args, can_ask)
            })
        },
        effect: None,
    },
    ToolDefinition {
        name: "clerk_create_organization",
        title: "Create organization",
        description: "Create an organization; each call makes a new one, even with a name in \
            use. `createdBy` becomes its first admin; without it, it starts with no members. \
            Returns it with its ID.",
        annotations: Annotations::WRITE,
        input_schema: SchemaSource::input::<CreateOrganizationArgs>(),
        output_schema: SchemaSource::output::<Organization>(),
        handler: |call| run(call, create_organization),
        effect: Some(|call| foresee(call, create_organization_effect)),
    },
    ToolDefinition {
        name: "clerk_update_organization",
        title: "Update organization",
        description: "Change an organization's `name`, `slug`, `maxAllowedMemberships` or \
            `adminDeleteEnabled` (at least one); the rest stay. Metadata: \
            clerk_update_organization_metadata.",
        annotations: Annotations::WRITE_IDEMPOTENT,
        input_schema: SchemaSource::input::<UpdateOrganizationArgs>(),
        output_schema: SchemaSource::output::<Organization>(),
        handler: |call| run(call, update_organization),
        effect: Some(|call| foresee(call, update_organization_effect)),
    },
    ToolDefinition {
        name: "clerk_update_organization_metadata",
        title: "Update organization metadata",
        description: "Deep-merge `publicMetadata` and/or `privateMetadata` into an \
            organization's: nested objects merge, a key set to null is deleted, keys left out \
            stay.",
        annotations: Annotations::WRITE_IDEMPOTENT,
        input_schema: SchemaSource::input::<UpdateOrganizationMetadataArgs>(),
        output_schema: SchemaSource::output::<Organization>(),
        handler: |call| run(call, update_organization_metadata),
        effect: Some(|call| foresee(call, update_organization_metadata_effect)),
    },
    ToolDefinition {
        name: "clerk_delete_organization",
        title: "Delete organization",
        description: "Delete an organization for good, with its memberships, pending \
            invitations, metadata and image (the members' user accounts stay). Irreversible: \
            be sure the user means this one.",
        annotations: Annotations::DESTRUCTIVE,
        input_schema: SchemaSource::input::<DeleteOrganizationArgs>(),
        output_schema: SchemaSource::output::<DeletedOrganization>(),
        handler: |call| run(call, delete_organization),
        effect: Some(|call| foresee(call, delete_organization_effect)),
    },
];

const MAX_QUERY_CHARS: usize = 256;
const MAX_NAME_CHARS: usize = 256;

/// The fields organizations can be sorted by.
enum OrganizationOrder {}

impl OrderFields for OrganizationOrder {
    const FIELDS: &'static [&'static str] = &["created_at", "name", "members_count"];
}

/// Arguments of `clerk_list_organizations`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ListOrganizationsArgs {
    /// An organization ID (exact), or part of a name or slug.
    #[schemars(length(max = 256))]
    query: Option<String>,
    #[serde(default)]
    limit: Limit<100>,
    /// Next page: the last answer's `nextOffset`.
    #[serde(default)]
    offset: u32,
    /// Whether each comes with its `membersCount`.
    #[serde(default = "default_true")]
    include_members_count: bool,
    /// Field to sort by; `-` before it for descending.
    #[serde(default = "newest_first::<OrganizationOrder>")]
    order_by: OrderBy<OrganizationOrder>,
    #[serde(default, rename = "fields")]
    _fields: Fields<Organization>,
}

fn default_true() -> bool {
    true
}

impl Arguments for ListOrganizationsArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(ListOrganizationsArgs {
            query: given.optional("query")?,
            limit: given.or_default("limit")?,
            offset: given.or_default("offset")?,
            include_members_count: given.or_else("includeMembersCount", default_true)?,
            order_by: given.or_else("orderBy", newest_first::<OrganizationOrder>)?,
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

/// Arguments of `clerk_get_organization`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct GetOrganizationArgs {
    /// Organization ID; or give `slug`.
    organization_id: Option<OrganizationId>,
    /// Organization slug; or give `organizationId`.
    slug: Option<Slug>,
    #[serde(default, rename = "fields")]
    _fields: Fields<Organization>,
}

/// How `clerk_get_organization` names the organization it fetches.
enum Lookup<'a> {
    Id(&'a str),
    Slug(&'a str),
}

impl GetOrganizationArgs {
    /// The one way the arguments name an organization.
    fn lookup(&self) -> Result<Lookup<'_>, ToolError> {
        match (self.organization_id.as_deref(), self.slug.as_deref()) {
            (Some(id), None) => Ok(Lookup::Id(id)),
            (None, Some(slug)) => Ok(Lookup::Slug(slug)),
            (Some(_), Some(_)) => Err(ToolError::invalid(
                "",
                "give either `organizationId` or `slug`, not both",
            )),
            (None, None) => Err(ToolError::invalid(
                "",
                "give `organizationId` or `slug` to say which organization to get",
            )),
        }
    }
}

impl Arguments for GetOrganizationArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(GetOrganizationArgs {
            organization_id: given.optional("organizationId")?,
            slug: given.optional("slug")?,
            _fields: given.or_default("fields")?,
        })
    }

    fn validate(&self) -> Result<(), ToolError> {
        self.lookup().map(|_| ())
    }
}

/// Arguments of `clerk_create_organization`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CreateOrganizationArgs {
    /// Clerk refuses URLs and HTML in it.
    #[schemars(length(min = 1, max = 256))]
    name: String,
    /// Unique in the instance; only where slugs are enabled.
    slug: Option<Slug>,
    /// User ID of its first admin.
    created_by: Option<UserId>,
    /// Most members it may have; left out, the instance's default.
    #[schemars(range(min = 1))]
    max_allowed_memberships: Option<u32>,
    /// Public metadata (frontend reads, backend writes).
    public_metadata: Option<Map<String, Value>>,
    /// Private metadata (backend only).
    private_metadata: Option<Map<String, Value>>,
}

impl Arguments for CreateOrganizationArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(CreateOrganizationArgs {
            name: given.required("name")?,
            slug: given.optional("slug")?,
            created_by: given.optional("createdBy")?,
            max_allowed_memberships: given.optional("maxAllowedMemberships")?,
            public_metadata: given.optional("publicMetadata")?,
            private_metadata: given.optional("privateMetadata")?,
        })
    }

    fn validate(&self) -> Result<(), ToolError> {
        check_name("name", &self.name)?;
        if self.max_allowed_memberships == Some(0) {
            return Err(ToolError::invalid(
                "maxAllowedMemberships",
                "must be at least 1 (got 0); leave it out for the instance's default",
            ));
        }
        Ok(())
    }
}

/// Fails unless `value` is an organization name Clerk may take: not blank,
/// at most 256 characters.
fn check_name(argument: &str, value: &str) -> Result<(), ToolError> {
    if value.trim().is_empty() {
        return Err(ToolError::invalid(
            argument,
            format!("must not be empty or blank (got {})", describe(value)),
        ));
    }
    check_length(argument, value, MAX_NAME_CHARS)
}

/// Arguments of `clerk_update_organization`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct UpdateOrganizationArgs {
    organization_id: OrganizationId,
    /// Clerk refuses URLs and HTML in it.
    #[schemars(length(min = 1, max = 256))]
    name: Option<String>,
    /// Unique in the instance; only where slugs are enabled.
    slug: Option<Slug>,
    /// Most members it may have; 0 for no limit.
    max_allowed_memberships: Option<u32>,
    /// Whether its admins may delete it.
    admin_delete_enabled: Option<bool>,
}

impl Arguments for UpdateOrganizationArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(UpdateOrganizationArgs {
            organization_id: given.required("organizationId")?,
            name: given.optional("name")?,
            slug: given.optional("slug")?,
            max_allowed_memberships: given.optional("maxAllowedMemberships")?,
            admin_delete_enabled: given.optional("adminDeleteEnabled")?,
        })
    }

    fn validate(&self) -> Result<(), ToolError> {
        if let Some(name) = &self.name {
            check_name("name", name)?;
        }
        check_any_given(&[
            ("name", self.name.is_some()),
            ("slug", self.slug.is_some()),
            (
                "maxAllowedMemberships",
                self.max_allowed_memberships.is_some(),
            ),
            ("adminDeleteEnabled", self.admin_delete_enabled.is_some()),
        ])
    }
}

/// Arguments of `clerk_update_organization_metadata`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct UpdateOrganizationMetadataArgs {
    organization_id: OrganizationId,
    /// Keys to merge into the public metadata (frontend reads, backend writes).
    public_metadata: Option<Map<String, Value>>,
    /// Keys to merge into the private metadata (backend only).
    private_metadata: Option<Map<String, Value>>,
}

impl Arguments for UpdateOrganizationMetadataArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(UpdateOrganizationMetadataArgs {
            organization_id: given.required("organizationId")?,
            public_metadata: given.optional("publicMetadata")?,
            private_metadata: given.optional("privateMetadata")?,
        })
    }

    fn validate(&self) -> Result<(), ToolError> {
        check_metadata_given(&self.public_metadata, &self.private_metadata)
    }
}

/// Arguments of `clerk_delete_organization`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct DeleteOrganizationArgs {
    organization_id: OrganizationId,
}

impl Arguments for DeleteOrganizationArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(DeleteOrganizationArgs {
            organization_id: given.required("organizationId")?,
        })
    }
}

/// One page of organizations.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct OrganizationList {
    organizations: Vec<Organization>,
    #[serde(flatten)]
    page: PageInfo,
}

/// An organization. Empty fields are left out; both metadata objects are always there.
#[skip_serializing_none]
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Organization {
    /// The organization's ID (`org_...`).
    id: String,
    name: String,
    slug: Option<String>,
    /// How many members the organization has.
    members_count: Option<i64>,
    /// How many invitations are still waiting for an answer.
    pending_invitations_count: Option<i64>,
    /// The most members the organization may have; 0 means no limit.
    max_allowed_memberships: Option<i64>,
    /// Whether its admins may delete the organization themselves.
    admin_delete_enabled: Option<bool>,
    /// Readable from the frontend, writable only from the backend.
    public_metadata: Map<String, Value>,
    /// Visible only to the backend.
    private_metadata: Map<String, Value>,
    /// The ID of the user who created the organization (`user_...`).
    created_by: Option<String>,
    image_url: Option<String>,
    /// Whether the organization has its own logo rather than the default image.
    has_image: Option<bool>,
    created_at: Option<Timestamp>,
    updated_at: Option<Timestamp>,
}

/// What is left of a deleted organization.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct DeletedOrganization {
    /// The ID of the deleted organization (`org_...`).
    id: String,
    /// True once Clerk has deleted the organization.
    deleted: bool,
}

impl From<wire::Organization> for Organization {
    fn from(organization: wire::Organization) -> Self {
        Organization {
            id: organization.id,
            name: organization.name.unwrap_or_default(),
            slug: non_empty(organization.slug),
            members_count: organization.members_count,
            pending_invitations_count: organization.pending_invitations_count,
            max_allowed_memberships: organization.max_allowed_memberships,
            admin_delete_enabled: organization.admin_delete_enabled,
            public_metadata: organization.public_metadata.unwrap_or_default(),
            private_metadata: organization.private_metadata.unwrap_or_default(),
            created_by: non_empty(organization.created_by),
            image_url: non_empty(organization.image_url),
            has_image: organization.has_image,
            created_at: Timestamp::from_opt(organization.created_at),
            updated_at: Timestamp::from_opt(organization.updated_at),
        }
    }
}

/// A call's answer about the organization `organization_id` in its output
/// shape; a 404 says which organization was not found.
fn organization(
    outcome: Result<wire::Organization, ClerkError>,
    organization_id: &str,
) -> Result<Organization, ToolError> {
    outcome
        .map(Organization::from)
        .map_err(|error| ToolError::from_clerk(error, || no_organization_with_id(organization_id)))
}

async fn list_organizations(
    clerk: &ClerkClient<'_>,
    args: ListOrganizationsArgs,
) -> Result<OrganizationList, ToolError> {
    let filter = OrganizationFilter {
        query: args.query.filter(|query| !query.trim().is_empty()),
        include_members_count: args.include_members_count,
    };
    let page = Page {
        limit: args.limit.get(),
        offset: args.offset,
        order_by: Some(args.order_by.into_string()),
    };
    let list = clerk
        .list_organizations(&filter, &page)
        .await
        .map_err(ToolError::Clerk)?;
    let (organizations, page) = items_and_page(list, args.offset);
    Ok(OrganizationList {
        organizations,
        page,
    })
}

/// Gets an organization by ID or slug. A slug that names no organization,
/// from a client that can ask its user, looks for organizations whose slug
/// or name is like it and asks which one was meant.
async fn get_organization(
    clerk: &ClerkClient<'_>,
    args: GetOrganizationArgs,
    can_ask: bool,
) -> Result<Asked<Organization>, ToolError> {
    let (id_or_slug, missing) = match args.lookup()? {
        Lookup::Id(id) => (id, no_organization_with_id(id)),
        Lookup::Slug(slug) => (slug, format!("no organization with slug {slug}")),
    };
    let error = match clerk.get_organization(id_or_slug).await {
        Ok(organization) => return Ok(Asked::Answer(Organization::from(organization))),
        Err(error) => error,
    };
    if let (true, Some(404), Lookup::Slug(slug)) = (can_ask, error.status(), args.lookup()?) {
        let choices = organizations_like(clerk, slug).await;
        if !choices.is_empty() {
            return Ok(Asked::Question(Question {
                argument: "slug",
                title: "Organization",
                message: format!(
                    "No organization has the slug \"{slug}\". Which of these did you mean?"
                ),
                choices,
            }));
        }
    }
    Err(ToolError::from_clerk(error, || missing))
}

/// Up to [`MAX_CHOICES`] organizations whose slug or name is like `slug`,
/// the closest first: those Clerk finds by the whole slug, or else by its
/// longest word. A search that fails finds nothing: the caller then answers
/// as if it had not searched.
async fn organizations_like(clerk: &ClerkClient<'_>, slug: &str) -> Vec<Choice> {
    let longest_word = slug
        .split(['-', '_'])
        .max_by_key(|word| word.len())
        .filter(|word| word.len() >= 3 && word.len() < slug.len());
    let mut found = Vec::new();
    for query in std::iter::once(slug).chain(longest_word) {
        let filter = OrganizationFilter {
            query: Some(query.to_owned()),
            include_members_count: false,
        };
        let page = Page {
            limit: 20,
            offset: 0,
            order_by: None,
        };
        found = match clerk.list_organizations(&filter, &page).await {
            Ok(list) => list.data,
            Err(_) => return Vec::new(),
        };
        if !found.is_empty() {
            break;
        }
    }
    // The closest first; among equals, the order Clerk gave.
    let mut choices: Vec<(usize, Choice)> = Vec::new();
    for organization in found {
        let Some(value) = organization.slug else {
            continue;
        };
        let distance = edit_distance(slug, &value);
        let label = format!("{} ({value})", organization.name.unwrap_or_default());
        let at = choices.partition_point(|(closer, _)| *closer <= distance);
        choices.insert(at, (distance, Choice { value, label }));
    }
    choices
        .into_iter()
        .take(MAX_CHOICES)
        .map(|(_, choice)| choice)
        .collect()
}

/// How many one-character edits turn `a` into `b` (Levenshtein).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, a_char) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, b_char) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(a_char != *b_char);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

async fn create_organization(
    clerk: &ClerkClient<'_>,
    args: CreateOrganizationArgs,
) -> Result<Organization, ToolError> {
    let organization = clerk
        .create_organization(NewOrganization {
            name: args.name,
            slug: args.slug.map(Slug::into_string),
            created_by: args.created_by.map(UserId::into_string),
            max_allowed_memberships: args.max_allowed_memberships,
            public_metadata: args.public_metadata,
            private_metadata: args.private_metadata,
        })
        .await
        .map_err(ToolError::Clerk)?;
    Ok(Organization::from(organization))
}

async fn update_organization(
    clerk: &ClerkClient<'_>,
    args: UpdateOrganizationArgs,
) -> Result<Organization, ToolError> {
    let changes = OrganizationChanges {
        name: args.name,
        slug: args.slug.map(Slug::into_string),
        max_allowed_memberships: args.max_allowed_memberships,
        admin_delete_enabled: args.admin_delete_enabled,
    };
    let outcome = clerk
        .update_organization(&args.organization_id, changes)
        .await;
    organization(outcome, &args.organization_id)
}

async fn update_organization_metadata(
    clerk: &ClerkClient<'_>,
    args: UpdateOrganizationMetadataArgs,
) -> Result<Organization, ToolError> {
    let changes = MetadataChanges {
        public_metadata: args.public_metadata,
        private_metadata: args.private_metadata,
        unsafe_metadata: None,
    };
    let outcome = clerk
        .merge_organization_metadata(&args.organization_id, changes)
        .await;
    organization(outcome, &args.organization_id)
}

async fn delete_organization(
    clerk: &ClerkClient<'_>,
    args: DeleteOrganizationArgs,
) -> Result<DeletedOrganization, ToolError> {
    let deleted = clerk
        .delete_organization(&args.organization_id)
        .await
        .map_err(|error| {
            ToolError::from_clerk(error, || no_organization_with_id(&args.organization_id))
        })?;
    Ok(DeletedOrganization {
        id: non_empty(deleted.id).unwrap_or_else(|| args.organization_id.into_string()),
        deleted: deleted.deleted,
    })
}

// What each write would change (see `effects`).

async fn create_organization_effect(
    _clerk: &ClerkClient<'_>,
    args: CreateOrganizationArgs,
) -> Result<Effect, ToolError> {
    let mut summary = format!("Create organization {}", quoted(&args.name));
    if let Some(slug) = &args.slug {
        summary.push_str(&format!(" with slug {}", quoted(slug.as_str())));
    }
    match &args.created_by {
        Some(user_id) => summary.push_str(&format!(", with user {user_id} as its first admin.")),
        None => summary.push_str(", with no members."),
    }
    Ok(Effect::said(summary))
}

async fn update_organization_effect(
    clerk: &ClerkClient<'_>,
    args: UpdateOrganizationArgs,
) -> Result<Effect, ToolError> {
    let current = organization_as_it_stands(clerk, &args.organization_id).await?;
    let mut after = current.clone();
    let mut changes = Vec::new();
    if let Some(name) = args.name {
        let before = current.name.as_deref().unwrap_or_default();
        changes.push(format!("name {} to {}", quoted(before), quoted(&name)));
        after.name = Some(name);
    }
    if let Some(slug) = args.slug {
        let before = current.slug.as_deref().unwrap_or_default();
        changes.push(format!(
            "slug {} to {}",
            quoted(before),
            quoted(slug.as_str())
        ));
        after.slug = Some(slug.into_string());
    }
    if let Some(limit) = args.max_allowed_memberships {
        let before = current.max_allowed_memberships.unwrap_or_default();
        changes.push(format!("membership limit {before} to {limit} (0: none)"));
        after.max_allowed_memberships = Some(limit.into());
    }
    if let Some(enabled) = args.admin_delete_enabled {
        changes.push(format!("admins may delete it: {enabled}"));
        after.admin_delete_enabled = Some(enabled);
    }
    let summary = format!(
        "Update {}: {}.",
        organization_label(&current),
        changes.join(", ")
    );
    Ok(Effect::said(summary).changing(Organization::from(current), Organization::from(after)))
}

async fn update_organization_metadata_effect(
    clerk: &ClerkClient<'_>,
    args: UpdateOrganizationMetadataArgs,
) -> Result<Effect, ToolError> {
    let current = organization_as_it_stands(clerk, &args.organization_id).await?;
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
        "Merge into the metadata of {}: {}.",
        organization_label(&current),
        merges(changes)
    );
    Ok(Effect::said(summary).changing(Organization::from(current), Organization::from(after)))
}

async fn delete_organization_effect(
    clerk: &ClerkClient<'_>,
    args: DeleteOrganizationArgs,
) -> Result<Effect, ToolError> {
    let organization = organization_as_it_stands(clerk, &args.organization_id).await?;
    let members = match organization.members_count {
        Some(members) => Some(members),
        None => {
            clerk
                .list_organization_memberships(&organization.id, &Default::default(), &Page::FIRST)
                .await
                .map_err(ToolError::Clerk)?
                .total_count
        }
    };
    let pending = clerk
        .list_organization_invitations(&organization.id, Some("pending"), &Page::FIRST)
        .await
        .map_err(ToolError::Clerk)?
        .total_count;
    let summary = format!(
        "Delete {}: its {} and {} go with it. This cannot be undone.",
        organization_label(&organization),
        count(members, "membership", "memberships"),
        count(pending, "pending invitation", "pending invitations"),
    );
    Ok(Effect::said(summary)
        .counting("memberships", members)
        .counting("pendingInvitations", pending)
        .removing(Organization::from(organization)))
}
