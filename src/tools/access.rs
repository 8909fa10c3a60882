//! The access tools, on who may reach the instance: the allow-list
//! (`clerk_list_allowlist`, `clerk_add_to_allowlist`,
//! `clerk_remove_from_allowlist`), the block-list (`clerk_list_blocklist`,
//! `clerk_add_to_blocklist`, `clerk_remove_from_blocklist`), the waitlist
//! (`clerk_list_waitlist`, `clerk_invite_waitlist_entry`,
//! `clerk_reject_waitlist_entry`) and the application invitations, which
//! belong to no organization (`clerk_list_instance_invitations`,
//! `clerk_create_instance_invitation`, `clerk_bulk_invite_to_instance`,
//! `clerk_revoke_instance_invitation`).
//!
//! Both lists answer [`Identifier`]s, the waitlist [`WaitlistEntry`]s and
//! the invitations [`InstanceInvitation`]s, each mapped once from its wire
//! type in [`crate::clerk::access`]. Clerk offers no read of one of these
//! objects by ID, so the effects find it in its list.

use futures::future::LocalBoxFuture;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use super::arguments::{
    check_bulk_count, check_length, check_range, one_of, Argument, Arguments, Given, Limit,
};
use super::bulk::{BulkResult, Keyed};
use super::call::{run, Call, Outcome};
use super::effects::{count, foresee, Effect};
use super::invitations::{
    check_redirect_url, listed_addresses, send_invitations, InstanceInvitation, InvitationStatus,
    Made, MAX_EXPIRES_IN_DAYS, REDIRECT_URL_PATTERN,
};
use super::output::{items_and_page, mapped, non_empty, PageInfo, Timestamp};
use super::{Annotations, Fields, SchemaSource, ToolDefinition, ToolError};
use crate::clerk::access::{self as wire, IdentifierList};
use crate::clerk::ids::{EmailAddress, EntryId, InstanceInvitationId};
use crate::clerk::invitations::NewInvitation;
use crate::clerk::{ClerkClient, Page, PaginatedList};
use crate::text::{describe, shorten};

pub static TOOLS: [ToolDefinition; 13] = [
    ToolDefinition {
        name: "clerk_list_allowlist",
        title: "List allow-list",
        description: "List the allow-list: identifiers that may sign up while it is on.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<ListIdentifiersArgs>(),
        output_schema: SchemaSource::output::<IdentifierPage>(),
        handler: |call| list_identifiers_tool(call, IdentifierList::Allow),
        effect: None,
    },
    ToolDefinition {
        name: "clerk_add_to_allowlist",
        title: "Add to allow-list",
        description: "Allow an email address, phone number or web3 wallet to sign up while the \
            allow-list is on.",
        annotations: Annotations::WRITE,
        input_schema: SchemaSource::input::<AddAllowedArgs>(),
        output_schema: SchemaSource::output::<Identifier>(),
        handler: |call| run(call, add_to_allowlist),
        effect: Some(|call| foresee(call, add_to_allowlist_effect)),
    },
    ToolDefinition {
        name: "clerk_remove_from_allowlist",
        title: "Remove from allow-list",
        description: "Remove an identifier from the allow-list: while it is on, that identifier \
            can no longer sign up.",
        annotations: Annotations::DESTRUCTIVE_IDEMPOTENT,
        input_schema: SchemaSource::input::<RemoveIdentifierArgs>(),
        output_schema: SchemaSource::output::<Removed>(),
        handler: |call| remove_identifier_tool(call, IdentifierList::Allow),
        effect: Some(|call| remove_identifier_describer(call, IdentifierList::Allow)),
    },
    ToolDefinition {
        name: "clerk_list_blocklist",
        title: "List block-list",
        description: "List the block-list: identifiers refused at sign-up and sign-in while it \
            is on.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<ListIdentifiersArgs>(),
        output_schema: SchemaSource::output::<IdentifierPage>(),
        handler: |call| list_identifiers_tool(call, IdentifierList::Block),
        effect: None,
    },
    ToolDefinition {
        name: "clerk_add_to_blocklist",
        title: "Add to block-list",
        description: "Block an email address, email domain, phone number or web3 wallet from \
            signing up or in while the block-list is on.",
        annotations: Annotations::WRITE,
        input_schema: SchemaSource::input::<AddBlockedArgs>(),
        output_schema: SchemaSource::output::<Identifier>(),
        handler: |call| run(call, add_to_blocklist),
        effect: Some(|call| foresee(call, add_to_blocklist_effect)),
    },
    ToolDefinition {
        name: "clerk_remove_from_blocklist",
        title: "Remove from block-list",
        description: "Remove an identifier from the block-list, so that it may sign up and in \
            again.",
        annotations: Annotations::DESTRUCTIVE_IDEMPOTENT,
        input_schema: SchemaSource::input::<RemoveIdentifierArgs>(),
        output_schema: SchemaSource::output::<Removed>(),
        handler: |call| remove_identifier_tool(call, IdentifierList::Block),
        effect: Some(|call| remove_identifier_describer(call, IdentifierList::Block)),
    },
    ToolDefinition {
        name: "clerk_list_waitlist",
        title: "List waitlist",
        description: "List waitlist entries, newest first: email address, status, invitation.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<ListWaitlistArgs>(),
        output_schema: SchemaSource::output::<WaitlistPage>(),
        handler: |call| run(call, list_waitlist),
        effect: None,
    },
    ToolDefinition {
        name: "clerk_invite_waitlist_entry",
        title: "Invite waitlist entry",
        description: "Invite a waitlist entry: Clerk emails it a sign-up link.",
        annotations: Annotations::WRITE,
        input_schema: SchemaSource::input::<InviteEntryArgs>(),
        output_schema: SchemaSource::output::<WaitlistEntry>(),
        handler: |call| run(call, invite_waitlist_entry),
        effect: Some(|call| foresee(call, invite_waitlist_entry_effect)),
    },
    ToolDefinition {
        name: "clerk_reject_waitlist_entry",
        title: "Reject waitlist entry",
        description: "Reject a waitlist entry: it gets no invitation.",
        annotations: Annotations::DESTRUCTIVE,
        input_schema: SchemaSource::input::<RejectEntryArgs>(),
        output_schema: SchemaSource::output::<WaitlistEntry>(),
        handler: |call| run(call, reject_waitlist_entry),
        effect: Some(|call| foresee(call, reject_waitlist_entry_effect)),
    },
    ToolDefinition {
        name: "clerk_list_instance_invitations",
        title: "List application invitations",
        description: "List invitations to sign up to the application (not to an organization), \
            newest first.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<ListInstanceInvitationsArgs>(),
        output_schema: SchemaSource::output::<InstanceInvitationPage>(),
        handler: |call| run(call, list_instance_invitations),
        effect: None,
    },
    ToolDefinition {
        name: "clerk_create_instance_invitation",
        title: "Create application invitation",
        description: "Invite an email address to sign up to the application; Clerk emails the \
            link unless `notify` is false.",
        annotations: Annotations::WRITE,
        input_schema: SchemaSource::input::<CreateInstanceInvitationArgs>(),
        output_schema: SchemaSource::output::<InstanceInvitation>(),
        handler: |call| run(call, create_instance_invitation),
        effect: Some(|call| foresee(call, create_instance_invitation_effect)),
    },
    ToolDefinition {
        name: "clerk_bulk_invite_to_instance",
        title: "Invite many to the application",
        description: "Invite up to 100 email addresses to sign up to the application. Answers \
            each item's result; retry only the items not attempted.",
        annotations: Annotations::WRITE,
        input_schema: SchemaSource::input::<BulkInviteToInstanceArgs>(),
        output_schema: SchemaSource::output::<BulkResult<InvitedToInstance>>(),
        handler: |call| run(call, bulk_invite_to_instance),
        effect: Some(|call| foresee(call, bulk_invite_to_instance_effect)),
    },
    ToolDefinition {
        name: "clerk_revoke_instance_invitation",
        title: "Revoke application invitation",
        description: "Revoke a pending application invitation: its link stops working.",
        annotations: Annotations::DESTRUCTIVE_IDEMPOTENT,
        input_schema: SchemaSource::input::<RevokeInstanceInvitationArgs>(),
        output_schema: SchemaSource::output::<InstanceInvitation>(),
        handler: |call| run(call, revoke_instance_invitation),
        effect: Some(|call| foresee(call, revoke_instance_invitation_effect)),
    },
];

/// The longest identifier accepted, in characters.
const MAX_IDENTIFIER_CHARS: usize = 320;
/// The longest search text accepted, in characters.
const MAX_QUERY_CHARS: usize = 200;

/// A waitlist entry's status, as Clerk's `status` filter accepts it.
#[derive(Clone, Copy, Debug, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum WaitlistStatus {
    Pending,
    Invited,
    Completed,
    Rejected,
}

impl Argument for WaitlistStatus {
    fn from_value(value: Value) -> Result<Self, String> {
        one_of(
            value,
            &[
                WaitlistStatus::Pending,
                WaitlistStatus::Invited,
                WaitlistStatus::Completed,
                WaitlistStatus::Rejected,
            ],
            WaitlistStatus::as_str,
        )
    }
}

impl WaitlistStatus {
    fn as_str(self) -> &'static str {
        match self {
            WaitlistStatus::Pending => "pending",
            WaitlistStatus::Invited => "invited",
            WaitlistStatus::Completed => "completed",
            WaitlistStatus::Rejected => "rejected",
        }
    }
}

/// Arguments of `clerk_list_allowlist` and `clerk_list_blocklist`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ListIdentifiersArgs {
    #[serde(default)]
    limit: Limit<100>,
    /// Next page: the last answer's `nextOffset`.
    #[serde(default)]
    offset: u32,
    #[serde(default, rename = "fields")]
    _fields: Fields<Identifier>,
}

impl Arguments for ListIdentifiersArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(ListIdentifiersArgs {
            limit: given.or_default("limit")?,
            offset: given.or_default("offset")?,
            _fields: given.or_default("fields")?,
        })
    }
}

/// Arguments of `clerk_add_to_allowlist`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct AddAllowedArgs {
    /// Email address, phone number or web3 wallet.
    #[schemars(length(min = 1, max = 320))]
    identifier: String,
    /// Also send it an invitation (email or phone only). Default false.
    notify: Option<bool>,
}

impl Arguments for AddAllowedArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(AddAllowedArgs {
            identifier: given.required("identifier")?,
            notify: given.optional("notify")?,
        })
    }

    fn validate(&self) -> Result<(), ToolError> {
        check_identifier(&self.identifier)
    }
}

/// Arguments of `clerk_add_to_blocklist`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct AddBlockedArgs {
    /// Email address, email domain, phone number or web3 wallet.
    #[schemars(length(min = 1, max = 320))]
    identifier: String,
}

impl Arguments for AddBlockedArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(AddBlockedArgs {
            identifier: given.required("identifier")?,
        })
    }

    fn validate(&self) -> Result<(), ToolError> {
        check_identifier(&self.identifier)
    }
}

/// Arguments of `clerk_remove_from_allowlist` and `clerk_remove_from_blocklist`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RemoveIdentifierArgs {
    /// The identifier's `id` from the list.
    identifier_id: EntryId,
}

impl Arguments for RemoveIdentifierArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(RemoveIdentifierArgs {
            identifier_id: given.required("identifierId")?,
        })
    }
}

/// Arguments of `clerk_list_waitlist`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ListWaitlistArgs {
    /// Only this status; left out, all.
    status: Option<WaitlistStatus>,
    /// Part of an email address, or an entry ID.
    #[schemars(length(max = 200))]
    query: Option<String>,
    #[serde(default)]
    limit: Limit<100>,
    /// Next page: the last answer's `nextOffset`.
    #[serde(default)]
    offset: u32,
    #[serde(default, rename = "fields")]
    _fields: Fields<WaitlistEntry>,
}

impl Arguments for ListWaitlistArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(ListWaitlistArgs {
            status: given.optional("status")?,
            query: given.optional("query")?,
            limit: given.or_default("limit")?,
            offset: given.or_default("offset")?,
            _fields: given.or_default("fields")?,
        })
    }

    fn validate(&self) -> Result<(), ToolError> {
        check_query(self.query.as_deref())
    }
}

/// Arguments of `clerk_invite_waitlist_entry`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct InviteEntryArgs {
    waitlist_entry_id: EntryId,
    /// Invite even if the address has an invitation already.
    ignore_existing: Option<bool>,
}

impl Arguments for InviteEntryArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(InviteEntryArgs {
            waitlist_entry_id: given.required("waitlistEntryId")?,
            ignore_existing: given.optional("ignoreExisting")?,
        })
    }
}

/// Arguments of `clerk_reject_waitlist_entry`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RejectEntryArgs {
    waitlist_entry_id: EntryId,
}

impl Arguments for RejectEntryArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(RejectEntryArgs {
            waitlist_entry_id: given.required("waitlistEntryId")?,
        })
    }
}

/// Arguments of `clerk_list_instance_invitations`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ListInstanceInvitationsArgs {
    /// Only this status; left out, all.
    status: Option<InvitationStatus>,
    /// Part of an email address, or an invitation ID.
    #[schemars(length(max = 200))]
    query: Option<String>,
    #[serde(default)]
    limit: Limit<100>,
    /// Next page: the last answer's `nextOffset`.
    #[serde(default)]
    offset: u32,
    #[serde(default, rename = "fields")]
    _fields: Fields<InstanceInvitation>,
}

impl Arguments for ListInstanceInvitationsArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(ListInstanceInvitationsArgs {
            status: given.optional("status")?,
            query: given.optional("query")?,
            limit: given.or_default("limit")?,
            offset: given.or_default("offset")?,
            _fields: given.or_default("fields")?,
        })
    }

    fn validate(&self) -> Result<(), ToolError> {
        check_query(self.query.as_deref())
    }
}

/// Arguments of `clerk_create_instance_invitation`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CreateInstanceInvitationArgs {
    email_address: EmailAddress,
    /// Page the invitee lands on.
    #[schemars(url, length(max = 2048), pattern(REDIRECT_URL_PATTERN))]
    redirect_url: Option<String>,
    /// Copied to the user on sign-up.
    public_metadata: Option<Map<String, Value>>,
    /// 1 to 365; Clerk's default is 30.
    #[schemars(range(min = 1, max = 365))]
    expires_in_days: Option<u32>,
    /// Email the link. Default true.
    notify: Option<bool>,
    /// Invite even if the address has an invitation already.
    ignore_existing: Option<bool>,
}

impl Arguments for CreateInstanceInvitationArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(CreateInstanceInvitationArgs {
            email_address: given.required("emailAddress")?,
            redirect_url: given.optional("redirectUrl")?,
            public_metadata: given.optional("publicMetadata")?,
            expires_in_days: given.optional("expiresInDays")?,
            notify: given.optional("notify")?,
            ignore_existing: given.optional("ignoreExisting")?,
        })
    }

    fn validate(&self) -> Result<(), ToolError> {
        check_invitation_options(self.redirect_url.as_deref(), self.expires_in_days)
    }
}

/// Arguments of `clerk_bulk_invite_to_instance`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct BulkInviteToInstanceArgs {
    /// 1 to 100 addresses.
    #[schemars(length(min = 1, max = 100))]
    email_addresses: Vec<EmailAddress>,
    /// For each: the page the invitee lands on.
    #[schemars(url, length(max = 2048), pattern(REDIRECT_URL_PATTERN))]
    redirect_url: Option<String>,
    /// For each: copied to the user on sign-up.
    public_metadata: Option<Map<String, Value>>,
    /// For each: 1 to 365; Clerk's default is 30.
    #[schemars(range(min = 1, max = 365))]
    expires_in_days: Option<u32>,
    /// Email the links. Default true.
    notify: Option<bool>,
    /// Invite even addresses that have an invitation already.
    ignore_existing: Option<bool>,
}

impl Arguments for BulkInviteToInstanceArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(BulkInviteToInstanceArgs {
            email_addresses: given.required("emailAddresses")?,
            redirect_url: given.optional("redirectUrl")?,
            public_metadata: given.optional("publicMetadata")?,
            expires_in_days: given.optional("expiresInDays")?,
            notify: given.optional("notify")?,
            ignore_existing: given.optional("ignoreExisting")?,
        })
    }

    fn validate(&self) -> Result<(), ToolError> {
        check_bulk_count("emailAddresses", self.email_addresses.len(), "addresses")?;
        check_invitation_options(self.redirect_url.as_deref(), self.expires_in_days)
    }
}

/// Arguments of `clerk_revoke_instance_invitation`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RevokeInstanceInvitationArgs {
    invitation_id: InstanceInvitationId,
}

impl Arguments for RevokeInstanceInvitationArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(RevokeInstanceInvitationArgs {
            invitation_id: given.required("invitationId")?,
        })
    }
}

/// Fails unless `identifier` is 1 to 320 characters without spaces or
/// control characters.
fn check_identifier(identifier: &str) -> Result<(), ToolError> {
    check_length("identifier", identifier, MAX_IDENTIFIER_CHARS)?;
    if identifier.is_empty()
        || identifier
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(ToolError::invalid(
            "identifier",
            format!(
                "must be an email address, domain, phone number or wallet without spaces (got {})",
                describe(identifier)
            ),
        ));
    }
    Ok(())
}

fn check_query(query: Option<&str>) -> Result<(), ToolError> {
    query.map_or(Ok(()), |query| {
        check_length("query", query, MAX_QUERY_CHARS)
    })
}

fn check_invitation_options(
    redirect_url: Option<&str>,
    expires_in_days: Option<u32>,
) -> Result<(), ToolError> {
    if let Some(url) = redirect_url {
        check_redirect_url("redirectUrl", url)?;
    }
    if let Some(days) = expires_in_days {
        check_range("expiresInDays", days, 1, MAX_EXPIRES_IN_DAYS)?;
    }
    Ok(())
}

/// One page of the allow-list or block-list.
#[derive(Debug, Serialize, JsonSchema)]
struct IdentifierPage {
    identifiers: Vec<Identifier>,
    #[serde(flatten)]
    page: PageInfo,
}

/// An identifier on the allow-list or block-list.
#[skip_serializing_none]
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Identifier {
    id: String,
    identifier: Option<String>,
    /// `email_address`, `phone_number` or `web3_wallet`.
    identifier_type: Option<String>,
    /// Allow-list: the invitation sent with it.
    invitation_id: Option<String>,
    created_at: Option<Timestamp>,
}

impl From<wire::Identifier> for Identifier {
    fn from(identifier: wire::Identifier) -> Self {
        Identifier {
            id: identifier.id,
            identifier: identifier.identifier,
            identifier_type: identifier.identifier_type,
            invitation_id: non_empty(identifier.invitation_id),
            created_at: Timestamp::from_opt(identifier.created_at),
        }
    }
}

/// What is left of a removed identifier.
#[derive(Debug, Serialize, JsonSchema)]
struct Removed {
    id: String,
    /// True once Clerk has removed it.
    deleted: bool,
}

/// One page of the waitlist.
#[derive(Debug, Serialize, JsonSchema)]
struct WaitlistPage {
    entries: Vec<WaitlistEntry>,
    #[serde(flatten)]
    page: PageInfo,
}

/// A waitlist entry.
#[skip_serializing_none]
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct WaitlistEntry {
    id: String,
    email_address: String,
    /// `pending`, `invited`, `rejected` or `completed`.
    status: Option<String>,
    /// The invitation it was sent.
    invitation: Option<InstanceInvitation>,
    created_at: Option<Timestamp>,
}

impl From<wire::WaitlistEntry> for WaitlistEntry {
    fn from(entry: wire::WaitlistEntry) -> Self {
        WaitlistEntry {
            id: entry.id,
            email_address: entry.email_address,
            status: entry.status,
            invitation: entry.invitation.map(InstanceInvitation::from),
            created_at: Timestamp::from_opt(entry.created_at),
        }
    }
}

/// One page of application invitations.
#[derive(Debug, Serialize, JsonSchema)]
struct InstanceInvitationPage {
    invitations: Vec<InstanceInvitation>,
    #[serde(flatten)]
    page: PageInfo,
}

/// One item's invitation, in a bulk call's result.
#[derive(Debug, JsonSchema)]
struct InvitedToInstance {
    /// The invitation created, for an item that succeeded.
    invitation: InstanceInvitation,
}

impl Keyed for InvitedToInstance {
    const KEY: &'static str = "invitation";
    type Object = InstanceInvitation;
    fn object(&self) -> &InstanceInvitation {
        &self.invitation
    }
}

// The tools of both lists share one runner each: the list is a value, so
// that the runner's code exists once for the two tools.

fn list_identifiers_tool(
    call: Call<'_>,
    list: IdentifierList,
) -> LocalBoxFuture<'_, Result<Outcome, ToolError>> {
    run(call, move |clerk, args| list_identifiers(clerk, list, args))
}

fn remove_identifier_tool(
    call: Call<'_>,
    list: IdentifierList,
) -> LocalBoxFuture<'_, Result<Outcome, ToolError>> {
    run(call, move |clerk, args| {
        remove_identifier(clerk, list, args)
    })
}

fn remove_identifier_describer(
    call: Call<'_>,
    list: IdentifierList,
) -> LocalBoxFuture<'_, Result<Effect, ToolError>> {
    foresee(call, move |clerk, args| {
        remove_identifier_effect(clerk, list, args)
    })
}

fn page(limit: Limit<100>, offset: u32) -> Page {
    Page {
        limit: limit.get(),
        offset,
        order_by: None,
    }
}

fn list_name(list: IdentifierList) -> &'static str {
    match list {
        IdentifierList::Allow => "allow-list",
        IdentifierList::Block => "block-list",
    }
}

async fn list_identifiers(
    clerk: &ClerkClient<'_>,
    list: IdentifierList,
    args: ListIdentifiersArgs,
) -> Result<IdentifierPage, ToolError> {
    let page = page(args.limit, args.offset);
    let mut answer = clerk
        .list_identifiers(list, &page)
        .await
        .map_err(ToolError::Clerk)?;
    if list == IdentifierList::Block {
        // Clerk answers the whole block-list: the page is cut here.
        let total = answer.total_count.unwrap_or(answer.data.len() as i64);
        let from = answer.data.len().min(args.offset as usize);
        let mut data = answer.data.split_off(from);
        data.truncate(page.limit as usize);
        answer = PaginatedList {
            data,
            total_count: Some(total),
        };
    }
    let (identifiers, page) = items_and_page(answer, args.offset);
    Ok(IdentifierPage { identifiers, page })
}

async fn add_to_allowlist(
    clerk: &ClerkClient<'_>,
    args: AddAllowedArgs,
) -> Result<Identifier, ToolError> {
    let added = clerk
        .add_identifier(IdentifierList::Allow, &args.identifier, args.notify)
        .await
        .map_err(ToolError::Clerk)?;
    Ok(added.into())
}

async fn add_to_blocklist(
    clerk: &ClerkClient<'_>,
    args: AddBlockedArgs,
) -> Result<Identifier, ToolError> {
    let added = clerk
        .add_identifier(IdentifierList::Block, &args.identifier, None)
        .await
        .map_err(ToolError::Clerk)?;
    Ok(added.into())
}

fn no_identifier(list: IdentifierList, id: &str) -> String {
    format!("no identifier with ID {id} on the {}", list_name(list))
}

async fn remove_identifier(
    clerk: &ClerkClient<'_>,
    list: IdentifierList,
    args: RemoveIdentifierArgs,
) -> Result<Removed, ToolError> {
    let deleted = clerk
        .remove_identifier(list, &args.identifier_id)
        .await
        .map_err(|error| {
            ToolError::from_clerk(error, || no_identifier(list, &args.identifier_id))
        })?;
    Ok(Removed {
        id: non_empty(deleted.id).unwrap_or_else(|| args.identifier_id.into_string()),
        deleted: deleted.deleted,
    })
}

async fn list_waitlist(
    clerk: &ClerkClient<'_>,
    args: ListWaitlistArgs,
) -> Result<WaitlistPage, ToolError> {
    let list = clerk
        .list_waitlist(
            args.status.map(WaitlistStatus::as_str),
            args.query.as_deref(),
            &page(args.limit, args.offset),
        )
        .await
        .map_err(ToolError::Clerk)?;
    let (entries, page) = items_and_page(list, args.offset);
    Ok(WaitlistPage { entries, page })
}

fn no_entry(id: &str) -> String {
    format!("no waitlist entry with ID {id}")
}

async fn invite_waitlist_entry(
    clerk: &ClerkClient<'_>,
    args: InviteEntryArgs,
) -> Result<WaitlistEntry, ToolError> {
    let entry = clerk
        .act_on_waitlist_entry(&args.waitlist_entry_id, "invite", args.ignore_existing)
        .await
        .map_err(|error| ToolError::from_clerk(error, || no_entry(&args.waitlist_entry_id)))?;
    Ok(entry.into())
}

async fn reject_waitlist_entry(
    clerk: &ClerkClient<'_>,
    args: RejectEntryArgs,
) -> Result<WaitlistEntry, ToolError> {
    let entry = clerk
        .act_on_waitlist_entry(&args.waitlist_entry_id, "reject", None)
        .await
        .map_err(|error| ToolError::from_clerk(error, || no_entry(&args.waitlist_entry_id)))?;
    Ok(entry.into())
}

async fn list_instance_invitations(
    clerk: &ClerkClient<'_>,
    args: ListInstanceInvitationsArgs,
) -> Result<InstanceInvitationPage, ToolError> {
    let list = clerk
        .list_instance_invitations(
            args.status.map(InvitationStatus::as_str),
            args.query.as_deref(),
            &page(args.limit, args.offset),
        )
        .await
        .map_err(ToolError::Clerk)?;
    let (invitations, page) = items_and_page(list, args.offset);
    Ok(InstanceInvitationPage { invitations, page })
}

async fn create_instance_invitation(
    clerk: &ClerkClient<'_>,
    args: CreateInstanceInvitationArgs,
) -> Result<InstanceInvitation, ToolError> {
    let invitation = NewInvitation {
        email_address: args.email_address.into_string(),
        expires_in_days: args.expires_in_days,
        ignore_existing: args.ignore_existing,
        notify: args.notify,
        public_metadata: args.public_metadata,
        redirect_url: args.redirect_url,
        ..NewInvitation::default()
    };
    let created = clerk
        .create_instance_invitation(&invitation)
        .await
        .map_err(ToolError::Clerk)?;
    Ok(created.into())
}

/// The invitations of a bulk call, one per address given, in that order.
fn bulk_instance_invitations(args: BulkInviteToInstanceArgs) -> Vec<NewInvitation> {
    mapped(args.email_addresses, |address| NewInvitation {
        email_address: address.into_string(),
        expires_in_days: args.expires_in_days,
        ignore_existing: args.ignore_existing,
        notify: args.notify,
        public_metadata: args.public_metadata.clone(),
        redirect_url: args.redirect_url.clone(),
        ..NewInvitation::default()
    })
}

async fn bulk_invite_to_instance(
    clerk: &ClerkClient<'_>,
    args: BulkInviteToInstanceArgs,
) -> Result<BulkResult<Made>, ToolError> {
    send_invitations(clerk, None, bulk_instance_invitations(args)).await
}

fn no_invitation(id: &str) -> String {
    format!("no application invitation with ID {id}")
}

async fn revoke_instance_invitation(
    clerk: &ClerkClient<'_>,
    args: RevokeInstanceInvitationArgs,
) -> Result<InstanceInvitation, ToolError> {
    let revoked = clerk
        .revoke_instance_invitation(&args.invitation_id)
        .await
        .map_err(|error| ToolError::from_clerk(error, || no_invitation(&args.invitation_id)))?;
    Ok(revoked.into())
}

// What each write would change (see `effects`).

/// How many allow-list identifiers an effect reads to find the one a call
/// names: one request's worth.
const MAX_SCANNED: u32 = 500;

/// The identifier with ID `id` on `list`, and whether the whole list was
/// read to look for it (the block-list comes whole; the allow-list's first
/// [`MAX_SCANNED`]).
async fn find_identifier(
    clerk: &ClerkClient<'_>,
    list: IdentifierList,
    id: &str,
) -> Result<(Option<wire::Identifier>, bool), ToolError> {
    let page = Page {
        limit: MAX_SCANNED,
        offset: 0,
        order_by: None,
    };
    let answer = clerk
        .list_identifiers(list, &page)
        .await
        .map_err(ToolError::Clerk)?;
    let whole = list == IdentifierList::Block || answer.data.len() < MAX_SCANNED as usize;
    Ok((answer.data.into_iter().find(|item| item.id == id), whole))
}

async fn add_to_allowlist_effect(
    _clerk: &ClerkClient<'_>,
    args: AddAllowedArgs,
) -> Result<Effect, ToolError> {
    let notify = if args.notify == Some(true) {
        ", and Clerk sends it an invitation"
    } else {
        ""
    };
    Ok(Effect::said(format!(
        "Add {} to the allow-list: while the allow-list is on, it may sign up{notify}.",
        describe(&args.identifier)
    )))
}

async fn add_to_blocklist_effect(
    _clerk: &ClerkClient<'_>,
    args: AddBlockedArgs,
) -> Result<Effect, ToolError> {
    Ok(Effect::said(format!(
        "Add {} to the block-list: while the block-list is on, it can neither sign up nor \
         sign in.",
        describe(&args.identifier)
    )))
}

async fn remove_identifier_effect(
    clerk: &ClerkClient<'_>,
    list: IdentifierList,
    args: RemoveIdentifierArgs,
) -> Result<Effect, ToolError> {
    let id = args.identifier_id.as_str();
    let (found, whole) = find_identifier(clerk, list, id).await?;
    let name = list_name(list);
    Ok(match found {
        Some(found) => {
            let after = match list {
                IdentifierList::Allow => "while the allow-list is on, it can no longer sign up",
                IdentifierList::Block => "it may sign up and sign in again",
            };
            Effect::said(format!(
                "Remove {} ({id}) from the {name}: {after}.",
                describe(found.identifier.as_deref().unwrap_or_default())
            ))
            .removing(Identifier::from(found))
        }
        None if whole => Effect::said(format!(
            "No identifier with ID {id} is on the {name}: Clerk answers not found, and nothing \
             changes."
        )),
        None => Effect::said(format!(
            "Remove identifier {id} from the {name}; it is not among the first {MAX_SCANNED} \
             read, so what it is could not be told."
        )),
    })
}

/// The waitlist entry with ID `id`, found by Clerk's search, which matches
/// IDs too.
async fn waitlist_entry(
    clerk: &ClerkClient<'_>,
    id: &str,
) -> Result<Option<WaitlistEntry>, ToolError> {
    let page = Page {
        limit: 10,
        offset: 0,
        order_by: None,
    };
    let list = clerk
        .list_waitlist(None, Some(id), &page)
        .await
        .map_err(ToolError::Clerk)?;
    Ok(list
        .data
        .into_iter()
        .find(|entry| entry.id == id)
        .map(WaitlistEntry::from))
}

/// The effect of inviting or rejecting a waitlist entry: `to` is the
/// status it takes (`invited`, `rejected`), `then` what follows.
async fn waitlist_effect(
    clerk: &ClerkClient<'_>,
    id: &str,
    to: &str,
    then: &str,
) -> Result<Effect, ToolError> {
    let Some(entry) = waitlist_entry(clerk, id).await? else {
        return Ok(Effect::said(format!(
            "No waitlist entry with ID {id}: Clerk answers not found, and nothing changes."
        )));
    };
    let status = entry.status.as_deref().unwrap_or("pending");
    let mut summary = format!(
        "The waitlist entry {id} of <{}> becomes {to}: {then}.",
        entry.email_address
    );
    if status != "pending" {
        summary.push_str(&format!(
            " The entry is {}, not pending: Clerk may refuse.",
            shorten(status, 20)
        ));
    }
    Ok(Effect::said(summary).removing(entry))
}

async fn invite_waitlist_entry_effect(
    clerk: &ClerkClient<'_>,
    args: InviteEntryArgs,
) -> Result<Effect, ToolError> {
    waitlist_effect(
        clerk,
        &args.waitlist_entry_id,
        "invited",
        "Clerk emails the address a link to sign up",
    )
    .await
}

async fn reject_waitlist_entry_effect(
    clerk: &ClerkClient<'_>,
    args: RejectEntryArgs,
) -> Result<Effect, ToolError> {
    waitlist_effect(
        clerk,
        &args.waitlist_entry_id,
        "rejected",
        "it gets no invitation",
    )
    .await
}

async fn create_instance_invitation_effect(
    _clerk: &ClerkClient<'_>,
    args: CreateInstanceInvitationArgs,
) -> Result<Effect, ToolError> {
    let days = args.expires_in_days.unwrap_or(30);
    let sent = if args.notify == Some(false) {
        "Clerk makes a sign-up link without emailing it"
    } else {
        "Clerk emails a sign-up link"
    };
    let existing = if args.ignore_existing == Some(true) {
        ", even if the address has an invitation already"
    } else {
        "; Clerk refuses if the address has a pending invitation"
    };
    Ok(Effect::said(format!(
        "Invite <{}> to sign up to the application: {sent}, valid for {days} days{existing}.",
        args.email_address.as_str()
    )))
}

async fn bulk_invite_to_instance_effect(
    _clerk: &ClerkClient<'_>,
    args: BulkInviteToInstanceArgs,
) -> Result<Effect, ToolError> {
    let emailed = args.notify != Some(false);
    let items: Vec<(&str, String)> = args
        .email_addresses
        .iter()
        .map(|address| (address.as_str(), format!("<{address}>")))
        .collect();
    let (listed, unique, repeats) = listed_addresses(&items);
    let sent = if emailed {
        "Clerk emails each a sign-up link"
    } else {
        "Clerk makes each a sign-up link without emailing it"
    };
    let summary = format!(
        "Invite {} to sign up to the application: {sent}. {listed}.{repeats}",
        count(Some(unique as i64), "address", "addresses"),
    );
    Ok(Effect::said(summary).counting("invitations", Some(unique as i64)))
}

async fn revoke_instance_invitation_effect(
    clerk: &ClerkClient<'_>,
    args: RevokeInstanceInvitationArgs,
) -> Result<Effect, ToolError> {
    let id = args.invitation_id.as_str();
    let list = clerk
        .list_instance_invitations(None, Some(id), &Page::FIRST)
        .await
        .map_err(ToolError::Clerk)?;
    let Some(invitation) = list.data.into_iter().find(|invitation| invitation.id == id) else {
        return Ok(Effect::said(format!(
            "No application invitation with ID {id}: Clerk answers not found, and nothing changes."
        )));
    };
    let status = invitation.status.as_deref().unwrap_or("pending");
    let summary = if status == "pending" {
        format!(
            "Revoke invitation {id} of <{}>: its sign-up link stops working. This cannot be \
             undone.",
            invitation.email_address
        )
    } else {
        format!(
            "Invitation {id} of <{}> is {}, not pending: Clerk refuses to revoke it, and \
             nothing changes.",
            invitation.email_address,
            shorten(status, 20)
        )
    };
    Ok(Effect::said(summary).removing(InstanceInvitation::from(invitation)))
}
