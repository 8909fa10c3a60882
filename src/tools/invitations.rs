//! The invitation tools: `clerk_list_organization_invitations`,
//! `clerk_create_invitation`, `clerk_bulk_invite_to_organization` and
//! `clerk_revoke_invitation`.
//!
//! All answer invitations in one shape, [`Invitation`], mapped once from
//! Clerk's `OrganizationInvitation` wire type in
//! [`crate::clerk::invitations`]; the wire type itself is never shown. IDs,
//! the email address, the role and the redirect URL are checked before any
//! request is built.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use futures::future::LocalBoxFuture;

use super::arguments::{check_bulk_count, check_range, one_of, Argument, Arguments, Given, Limit};
use super::bulk::{send_all, Batch, BulkResult, BulkSend, Keyed, Pacer};
use super::call::run;
use super::effects::{
    count, foresee, organization_as_it_stands, organization_label, organization_named, Effect,
};
use super::error::{no_organization_with_id, no_user_with_id};
use super::output::{items_and_page, non_empty, PageInfo, Timestamp};
use super::{Annotations, Fields, SchemaSource, ToolDefinition, ToolError};
use crate::clerk::ids::{EmailAddress, InvitationId, OrganizationId, RoleKey, UserId};
use crate::clerk::invitations::{self as wire, NewInvitation, MAX_BULK_INVITATIONS};
use crate::clerk::{ClerkClient, ClerkError, Page};
use crate::text::describe;

pub static TOOLS: [ToolDefinition; 4] = [
    ToolDefinition {
        name: "clerk_list_organization_invitations",
        title: "List organization invitations",
        description: "List an organization's invitations, newest first: email address, role, \
            status, sender, acceptance link, expiry and metadata.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<ListInvitationsArgs>(),
        output_schema: SchemaSource::output::<InvitationList>(),
        handler: |call| run(call, list_invitations),
        effect: None,
    },
    ToolDefinition {
        name: "clerk_create_invitation",
        title: "Create invitation",
        description: "Invite an email address to an organization with `role` (it must exist: \
            clerk_list_roles). Clerk emails it at once; once accepted, the invitee is a member. \
            Each call sends another email: repeat only a call that failed.",
        annotations: Annotations::WRITE,
        input_schema: SchemaSource::input::<CreateInvitationArgs>(),
        output_schema: SchemaSource::output::<Invitation>(),
        handler: |call| run(call, create_invitation),
        effect: Some(|call| foresee(call, create_invitation_effect)),
    },
    ToolDefinition {
        name: "clerk_bulk_invite_to_organization",
        title: "Invite many to an organization",
        description: "Invite up to 100 email addresses to an organization (`org_...`), each \
            emailed at once. Each invitation's fields default to the shared ones beside the \
            list. Answers each item's result (succeeded, failed or not_attempted, and why); \
            retry only the items not attempted.",
        annotations: Annotations::WRITE,
        input_schema: SchemaSource::input::<BulkInviteArgs>(),
        output_schema: SchemaSource::output::<BulkResult<Invited>>(),
        handler: |call| run(call, bulk_invite),
        effect: Some(|call| foresee(call, bulk_invite_effect)),
    },
    ToolDefinition {
        name: "clerk_revoke_invitation",
        title: "Revoke invitation",
        description: "Revoke a pending invitation (clerk_list_organization_invitations with \
            `status: pending` lists them): its link stops working, for good, though the \
            address can be invited again.",
        annotations: Annotations::DESTRUCTIVE_IDEMPOTENT,
        input_schema: SchemaSource::input::<RevokeInvitationArgs>(),
        output_schema: SchemaSource::output::<Invitation>(),
        handler: |call| run(call, revoke_invitation),
        effect: Some(|call| foresee(call, revoke_invitation_effect)),
    },
];

pub(super) const MAX_EXPIRES_IN_DAYS: u32 = 365;
const MAX_URL_CHARS: usize = 2048;
pub(super) const REDIRECT_URL_PATTERN: &str = "^https?://[^\\s/?#]+([/?#]\\S*)?$";

/// An invitation's status, as Clerk's `status` filter accepts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(super) enum InvitationStatus {
    Pending,
    Accepted,
    Revoked,
    Expired,
}

impl Argument for InvitationStatus {
    fn from_value(value: Value) -> Result<Self, String> {
        one_of(
            value,
            &[
                InvitationStatus::Pending,
                InvitationStatus::Accepted,
                InvitationStatus::Revoked,
                InvitationStatus::Expired,
            ],
            InvitationStatus::as_str,
        )
    }
}

impl InvitationStatus {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            InvitationStatus::Pending => "pending",
            InvitationStatus::Accepted => "accepted",
            InvitationStatus::Revoked => "revoked",
            InvitationStatus::Expired => "expired",
        }
    }
}

/// Arguments of `clerk_list_organization_invitations`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ListInvitationsArgs {
    organization_id: OrganizationId,
    #[serde(default)]
    limit: Limit<100>,
    /// Next page: the last answer's `nextOffset`.
    #[serde(default)]
    offset: u32,
    /// Only this status; left out, all.
    status: Option<InvitationStatus>,
    #[serde(default, rename = "fields")]
    _fields: Fields<Invitation>,
}

impl Arguments for ListInvitationsArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(ListInvitationsArgs {
            organization_id: given.required("organizationId")?,
            limit: given.or_default("limit")?,
            offset: given.or_default("offset")?,
            status: given.optional("status")?,
            _fields: given.or_default("fields")?,
        })
    }
}

/// Arguments of `clerk_create_invitation`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CreateInvitationArgs {
    organization_id: OrganizationId,
    /// Email address to invite.
    email_address: EmailAddress,
    /// Role key the member gets, such as `org:member`.
    role: RoleKey,
    /// User ID of the admin shown as sender; signed in with Clerk, you by default.
    inviter_user_id: Option<UserId>,
    /// Page the invitee lands on after accepting.
    #[schemars(url, length(max = 2048), pattern(REDIRECT_URL_PATTERN))]
    redirect_url: Option<String>,
    /// Copied to the membership on acceptance.
    public_metadata: Option<Map<String, Value>>,
    /// Days it stays valid; Clerk's default is 30.
    #[schemars(range(min = 1, max = 365))]
    expires_in_days: Option<u32>,
}

impl Arguments for CreateInvitationArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(CreateInvitationArgs {
            organization_id: given.required("organizationId")?,
            email_address: given.required("emailAddress")?,
            role: given.required("role")?,
            inviter_user_id: given.optional("inviterUserId")?,
            redirect_url: given.optional("redirectUrl")?,
            public_metadata: given.optional("publicMetadata")?,
            expires_in_days: given.optional("expiresInDays")?,
        })
    }

    fn validate(&self) -> Result<(), ToolError> {
        if let Some(url) = &self.redirect_url {
            check_redirect_url("redirectUrl", url)?;
        }
        if let Some(days) = self.expires_in_days {
            check_range("expiresInDays", days, 1, MAX_EXPIRES_IN_DAYS)?;
        }
        Ok(())
    }
}

/// Arguments of `clerk_bulk_invite_to_organization`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct BulkInviteArgs {
    /// The organization's ID, `org_` followed by letters and digits.
    organization_id: OrganizationId,
    /// The invitations, 1 to 100. A field an item leaves out takes the shared value.
    #[schemars(length(min = 1, max = 100))]
    invitations: Vec<BulkInvitation>,
    /// Shared: the role key of each invitation that names none.
    role: Option<RoleKey>,
    /// Shared: the admin member (`user_...`) who sends them; default: you, when signed in.
    inviter_user_id: Option<UserId>,
    /// Shared: an absolute http(s) URL invitees land on after accepting.
    #[schemars(url, length(max = 2048), pattern(REDIRECT_URL_PATTERN))]
    redirect_url: Option<String>,
    /// Shared: public metadata, copied to the membership on acceptance.
    public_metadata: Option<Map<String, Value>>,
    /// Shared: days the invitations stay valid, 1 to 365. Clerk's default is 30.
    #[schemars(range(min = 1, max = 365))]
    expires_in_days: Option<u32>,
}

// One invitation of `clerk_bulk_invite_to_organization` (a plain comment:
// a doc comment would be published in the schema, to no use).
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct BulkInvitation {
    /// The email address to invite.
    email_address: EmailAddress,
    /// The role key: `org:admin`, `org:member`, or a custom role.
    role: Option<RoleKey>,
    /// The admin member (`user_...`) who sends it.
    inviter_user_id: Option<UserId>,
    #[schemars(url, length(max = 2048), pattern(REDIRECT_URL_PATTERN))]
    redirect_url: Option<String>,
    public_metadata: Option<Map<String, Value>>,
    #[schemars(range(min = 1, max = 365))]
    expires_in_days: Option<u32>,
}

impl Argument for BulkInvitation {
    fn from_value(value: Value) -> Result<Self, String> {
        Given::read_item(value, |given| {
            Ok(BulkInvitation {
                email_address: given.required("emailAddress")?,
                role: given.optional("role")?,
                inviter_user_id: given.optional("inviterUserId")?,
                redirect_url: given.optional("redirectUrl")?,
                public_metadata: given.optional("publicMetadata")?,
                expires_in_days: given.optional("expiresInDays")?,
            })
        })
    }
}

impl Arguments for BulkInviteArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(BulkInviteArgs {
            organization_id: given.required("organizationId")?,
            invitations: given.required("invitations")?,
            role: given.optional("role")?,
            inviter_user_id: given.optional("inviterUserId")?,
            redirect_url: given.optional("redirectUrl")?,
            public_metadata: given.optional("publicMetadata")?,
            expires_in_days: given.optional("expiresInDays")?,
        })
    }

    fn validate(&self) -> Result<(), ToolError> {
        check_bulk_count("invitations", self.invitations.len(), "invitations")?;
        if let Some(url) = &self.redirect_url {
            check_redirect_url("redirectUrl", url)?;
        }
        if let Some(days) = self.expires_in_days {
            check_range("expiresInDays", days, 1, MAX_EXPIRES_IN_DAYS)?;
        }
        for (index, item) in self.invitations.iter().enumerate() {
            if item.role.is_none() && self.role.is_none() {
                return Err(ToolError::invalid(
                    &format!("invitations[{index}].role"),
                    "is missing, and no shared `role` is given",
                ));
            }
            if let Some(url) = &item.redirect_url {
                check_redirect_url(&format!("invitations[{index}].redirectUrl"), url)?;
            }
            if let Some(days) = item.expires_in_days {
                let argument = format!("invitations[{index}].expiresInDays");
                check_range(&argument, days, 1, MAX_EXPIRES_IN_DAYS)?;
            }
        }
        Ok(())
    }
}

/// Arguments of `clerk_revoke_invitation`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RevokeInvitationArgs {
    organization_id: OrganizationId,
    invitation_id: InvitationId,
    /// User ID of the admin recorded as revoking it; signed in with Clerk, you by default.
    requesting_user_id: Option<UserId>,
}

impl Arguments for RevokeInvitationArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(RevokeInvitationArgs {
            organization_id: given.required("organizationId")?,
            invitation_id: given.required("invitationId")?,
            requesting_user_id: given.optional("requestingUserId")?,
        })
    }
}

/// Fails unless `value` is an absolute `http://` or `https://` URL with a
/// host, without spaces or control characters, of at most 2048 characters
/// (see [`REDIRECT_URL_PATTERN`]).
pub(super) fn check_redirect_url(argument: &str, value: &str) -> Result<(), ToolError> {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    let valid = value.chars().count() <= MAX_URL_CHARS
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        && rest.is_some_and(|rest| !rest.is_empty() && !rest.starts_with(['/', '?', '#']));
    if valid {
        Ok(())
    } else {
        Err(ToolError::invalid(
            argument,
            format!(
                "must be an absolute http:// or https:// URL of at most {MAX_URL_CHARS} \
                 characters (got {})",
                describe(value)
            ),
        ))
    }
}

/// One item's invitation, in a bulk call's result.
#[derive(Debug, JsonSchema)]
struct Invited {
    /// The invitation created, for an item that succeeded.
    invitation: Invitation,
}

impl Keyed for Invited {
    const KEY: &'static str = "invitation";
    type Object = Invitation;
    fn object(&self) -> &Invitation {
        &self.invitation
    }
}

/// One page of an organization's invitations.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct InvitationList {
    invitations: Vec<Invitation>,
    #[serde(flatten)]
    page: PageInfo,
}

/// An invitation to join an organization. Fields Clerk sends as null are left out.
#[skip_serializing_none]
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct Invitation {
    /// The invitation's ID (`orginv_...`).
    id: String,
    organization_id: Option<String>,
    /// The invited email address.
    email_address: String,
    /// The role key the invitee gets on acceptance.
    role: String,
    /// The role's display name (`Member`).
    role_name: Option<String>,
    /// `pending`, `accepted`, `revoked` or `expired`.
    status: Option<String>,
    /// The user ID of whoever sent the invitation, when one was named.
    inviter_user_id: Option<String>,
    /// The link the invitee follows to accept.
    url: Option<String>,
    expires_at: Option<Timestamp>,
    /// The invitation's public metadata; `{}` when empty.
    public_metadata: Map<String, Value>,
    /// The invitation's private metadata; `{}` when empty.
    private_metadata: Map<String, Value>,
    created_at: Option<Timestamp>,
    updated_at: Option<Timestamp>,
}

impl From<wire::OrganizationInvitation> for Invitation {
    fn from(invitation: wire::OrganizationInvitation) -> Self {
        Invitation {
            id: invitation.id,
            organization_id: invitation.organization_id,
            email_address: invitation.email_address,
            role: invitation.role,
            role_name: invitation.role_name,
            status: invitation.status,
            inviter_user_id: invitation.inviter_id,
            url: invitation.url,
            expires_at: Timestamp::from_opt(invitation.expires_at),
            public_metadata: invitation.public_metadata.unwrap_or_default(),
            private_metadata: invitation.private_metadata.unwrap_or_default(),
            created_at: Timestamp::from_opt(invitation.created_at),
            updated_at: Timestamp::from_opt(invitation.updated_at),
        }
    }
}

async fn list_invitations(
    clerk: &ClerkClient<'_>,
    args: ListInvitationsArgs,
) -> Result<InvitationList, ToolError> {
    let page = Page {
        limit: args.limit.get(),
        offset: args.offset,
        order_by: None,
    };
    let status = args.status.map(InvitationStatus::as_str);
    let list = clerk
        .list_organization_invitations(&args.organization_id, status, &page)
        .await
        .map_err(|error| {
            ToolError::from_clerk(error, || no_organization_with_id(&args.organization_id))
        })?;
    let (invitations, page) = items_and_page(list, args.offset);
    Ok(InvitationList { invitations, page })
}

/// The user a call names, or else the one signed in with OAuth.
fn named_or_acting(named: Option<UserId>, clerk: &ClerkClient<'_>) -> Option<String> {
    named
        .map(UserId::into_string)
        .or_else(|| clerk.acting_user().map(str::to_owned))
}

async fn create_invitation(
    clerk: &ClerkClient<'_>,
    args: CreateInvitationArgs,
) -> Result<Invitation, ToolError> {
    let inviter_user_id = named_or_acting(args.inviter_user_id, clerk);
    let not_found = match &inviter_user_id {
        Some(inviter) => format!(
            "{}, or {}",
            no_organization_with_id(&args.organization_id),
            no_user_with_id(inviter)
        ),
        None => no_organization_with_id(&args.organization_id),
    };
    let invitation = NewInvitation {
        email_address: args.email_address.into_string(),
        role: args.role.into_string(),
        inviter_user_id,
        redirect_url: args.redirect_url,
        public_metadata: args.public_metadata,
        expires_in_days: args.expires_in_days,
        ..NewInvitation::default()
    };
    let created = clerk
        .create_organization_invitation(&args.organization_id, invitation)
        .await
        .map_err(|error| ToolError::from_clerk(error, || not_found))?;
    Ok(Invitation::from(created))
}

/// The invitations of a bulk call, each with its own fields or else the
/// shared ones: what is sent for each, in the order given.
fn bulk_invitations(clerk: &ClerkClient<'_>, args: BulkInviteArgs) -> Vec<NewInvitation> {
    let shared_inviter = named_or_acting(args.inviter_user_id, clerk);
    args.invitations
        .into_iter()
        .map(|item| NewInvitation {
            email_address: item.email_address.into_string(),
            role: item
                .role
                .or_else(|| args.role.clone())
                .map(RoleKey::into_string)
                .unwrap_or_default(),
            inviter_user_id: item
                .inviter_user_id
                .map(UserId::into_string)
                .or_else(|| shared_inviter.clone()),
            redirect_url: item.redirect_url.or_else(|| args.redirect_url.clone()),
            public_metadata: item
                .public_metadata
                .or_else(|| args.public_metadata.clone()),
            expires_in_days: item.expires_in_days.or(args.expires_in_days),
            ..NewInvitation::default()
        })
        .collect()
}

/// An invitation a bulk call made: to an organization, or to the
/// application (`clerk_bulk_invite_to_instance`), each in the output shape
/// of the tool that makes one. Both bulk invitation tools send through
/// [`Invites`], so that the bulk machinery exists once for the two.
#[derive(Debug)]
pub(super) enum Made {
    Organization(Invitation),
    Application(InstanceInvitation),
}

impl Keyed for Made {
    const KEY: &'static str = "invitation";
    type Object = Made;
    fn object(&self) -> &Made {
        self
    }
}

impl Serialize for Made {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Made::Organization(invitation) => invitation.serialize(serializer),
            Made::Application(invitation) => invitation.serialize(serializer),
        }
    }
}

/// How the bulk invitation tools send: ten invitations to a request, the
/// most Clerk's bulk endpoints take, to an organization or (without one)
/// to the application.
struct Invites<'a> {
    clerk: &'a ClerkClient<'a>,
    organization_id: Option<&'a OrganizationId>,
}

impl BulkSend for Invites<'_> {
    type Item = NewInvitation;
    type Wire = wire::OrganizationInvitation;
    type Out = Made;
    const CHUNK: usize = MAX_BULK_INVITATIONS;
    /// Each invitation sends an email: one a bulk answer leaves out may
    /// well have been sent, so it is not sent again.
    const RESEND_UNANSWERED: bool = false;

    fn send_chunk<'a>(
        &'a self,
        items: Vec<&'a NewInvitation>,
    ) -> LocalBoxFuture<'a, Result<Vec<wire::OrganizationInvitation>, ClerkError>> {
        Box::pin(async move {
            match self.organization_id {
                Some(organization_id) => self
                    .clerk
                    .create_organization_invitations(organization_id, &items)
                    .await
                    .map(|list| list.data),
                None => self.clerk.create_instance_invitations(&items).await,
            }
        })
    }

    fn send_one<'a>(
        &'a self,
        item: &'a NewInvitation,
    ) -> LocalBoxFuture<'a, Result<wire::OrganizationInvitation, ClerkError>> {
        match self.organization_id {
            Some(organization_id) => Box::pin(
                self.clerk
                    .create_organization_invitation(organization_id, item.clone()),
            ),
            None => Box::pin(self.clerk.create_instance_invitation(item)),
        }
    }

    fn answers(&self, item: &NewInvitation, wire: &wire::OrganizationInvitation) -> bool {
        wire.email_address.eq_ignore_ascii_case(&item.email_address)
    }

    fn output(&self, wire: wire::OrganizationInvitation) -> Made {
        match self.organization_id {
            Some(_) => Made::Organization(Invitation::from(wire)),
            None => Made::Application(InstanceInvitation::from(wire)),
        }
    }

    fn failure(&self, item: &NewInvitation, error: ClerkError) -> String {
        let Some(organization_id) = self.organization_id else {
            return ToolError::Clerk(error).to_string();
        };
        let organization = no_organization_with_id(organization_id);
        ToolError::from_clerk(error, || match &item.inviter_user_id {
            Some(inviter) => format!("{organization}, or {}", no_user_with_id(inviter)),
            None => organization,
        })
        .to_string()
    }

    fn unanswered(&self, _item: &NewInvitation) -> String {
        let list = if self.organization_id.is_some() {
            "clerk_list_organization_invitations"
        } else {
            "clerk_list_instance_invitations"
        };
        format!(
            "Clerk's answer held no invitation for this address, though it may have sent one: \
             check {list} before inviting it again"
        )
    }
}

/// Sends `invitations` to the organization, or without one to the
/// application, and answers each one's result (see `bulk`); an address
/// given twice is sent once.
pub(super) async fn send_invitations(
    clerk: &ClerkClient<'_>,
    organization_id: Option<&OrganizationId>,
    invitations: Vec<NewInvitation>,
) -> Result<BulkResult<Made>, ToolError> {
    let mut batch = Batch::new(
        invitations
            .iter()
            .map(|invitation| invitation.email_address.clone())
            .collect(),
    );
    batch.fail_repeats(str::to_ascii_lowercase);
    let to_send: Vec<(usize, NewInvitation)> = invitations
        .into_iter()
        .enumerate()
        .filter(|(index, _)| !batch.is_settled(*index))
        .collect();
    let sender = Invites {
        clerk,
        organization_id,
    };
    let mut pacer = Pacer::start(clerk);
    send_all(&sender, &mut pacer, &mut batch, &to_send).await;
    batch.finish()
}

async fn bulk_invite(
    clerk: &ClerkClient<'_>,
    args: BulkInviteArgs,
) -> Result<BulkResult<Made>, ToolError> {
    let organization_id = args.organization_id.clone();
    let invitations = bulk_invitations(clerk, args);
    send_invitations(clerk, Some(&organization_id), invitations).await
}

async fn revoke_invitation(
    clerk: &ClerkClient<'_>,
    args: RevokeInvitationArgs,
) -> Result<Invitation, ToolError> {
    let requesting_user_id = named_or_acting(args.requesting_user_id, clerk);
    let invitation = format!(
        "no invitation with ID {} in organization {}",
        args.invitation_id, args.organization_id
    );
    let not_found = match &requesting_user_id {
        Some(requesting_user) => format!("{invitation}, or {}", no_user_with_id(requesting_user)),
        None => invitation,
    };
    let revoked = clerk
        .revoke_organization_invitation(
            &args.organization_id,
            &args.invitation_id,
            requesting_user_id.as_deref(),
        )
        .await
        .map_err(|error| ToolError::from_clerk(error, || not_found))?;
    Ok(Invitation::from(revoked))
}

// What each write would change (see `effects`).

async fn create_invitation_effect(
    clerk: &ClerkClient<'_>,
    args: CreateInvitationArgs,
) -> Result<Effect, ToolError> {
    let organization = organization_as_it_stands(clerk, &args.organization_id).await?;
    let days = args.expires_in_days.unwrap_or(30);
    Ok(Effect::said(format!(
        "Invite <{}> to {} with role {}: Clerk emails them a link to join, valid for {days} \
         days.",
        args.email_address.as_str(),
        organization_label(&organization),
        args.role.as_str()
    )))
}

/// How many invitations a bulk invitation's sentence lists before it
/// only counts the rest.
const LISTED_INVITATIONS: usize = 20;

async fn bulk_invite_effect(
    clerk: &ClerkClient<'_>,
    args: BulkInviteArgs,
) -> Result<Effect, ToolError> {
    let organization = organization_as_it_stands(clerk, &args.organization_id).await?;
    let invitations = bulk_invitations(clerk, args);
    let items: Vec<(&str, String)> = invitations
        .iter()
        .map(|invitation| {
            (
                invitation.email_address.as_str(),
                format!("<{}> as {}", invitation.email_address, invitation.role),
            )
        })
        .collect();
    let (listed, unique, repeats) = listed_addresses(&items);
    let summary = format!(
        "Invite {} to {}: Clerk emails each a link to join. {listed}.{repeats}",
        count(Some(unique as i64), "address", "addresses"),
        organization_label(&organization),
    );
    Ok(Effect::said(summary).counting("invitations", Some(unique as i64)))
}

/// What a bulk invitation's sentence says of its items, each an address
/// and how the sentence writes it: each address once, in the order given,
/// the first [`LISTED_INVITATIONS`] written and then how many more; how
/// many addresses that is; and a sentence on the repeats the list holds
/// (empty when none).
pub(super) fn listed_addresses(items: &[(&str, String)]) -> (String, usize, String) {
    let mut seen: Vec<&str> = Vec::new();
    let mut listed = Vec::new();
    for (address, label) in items {
        if seen
            .iter()
            .any(|earlier| earlier.eq_ignore_ascii_case(address))
        {
            continue;
        }
        seen.push(address);
        if listed.len() < LISTED_INVITATIONS {
            listed.push(label.as_str());
        }
    }
    let more = seen.len().saturating_sub(LISTED_INVITATIONS);
    let mut text = listed.join(", ");
    if more > 0 {
        text.push_str(&format!(", and {more} more"));
    }
    let repeats = items.len() - seen.len();
    let repeated = if repeats > 0 {
        format!(
            " {} repeated in the list {} not sent again.",
            count(Some(repeats as i64), "address", "addresses"),
            if repeats == 1 { "is" } else { "are" }
        )
    } else {
        String::new()
    };
    (text, seen.len(), repeated)
}

async fn revoke_invitation_effect(
    clerk: &ClerkClient<'_>,
    args: RevokeInvitationArgs,
) -> Result<Effect, ToolError> {
    let invitation = clerk
        .get_organization_invitation(&args.organization_id, &args.invitation_id)
        .await
        .map_err(|error| {
            ToolError::from_clerk(error, || {
                format!(
                    "no invitation with ID {} in organization {}",
                    args.invitation_id, args.organization_id
                )
            })
        })?;
    let organization = organization_named(&args.organization_id, None, None);
    let status = invitation.status.as_deref().unwrap_or("pending");
    let summary = if status == "pending" {
        format!(
            "Revoke invitation {} of <{}> to {organization} with role {}: its link stops \
             working. This cannot be undone.",
            invitation.id, invitation.email_address, invitation.role
        )
    } else {
        format!(
            "Invitation {} of <{}> to {organization} is {}, not pending: Clerk refuses to \
             revoke it, and nothing changes.",
            invitation.id,
            invitation.email_address,
            crate::text::shorten(status, 20)
        )
    };
    Ok(Effect::said(summary).removing(Invitation::from(invitation)))
}

/// An invitation to sign up to the application.
#[skip_serializing_none]
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct InstanceInvitation {
    /// `inv_...`
    id: String,
    email_address: String,
    /// `pending`, `accepted`, `revoked` or `expired`.
    status: Option<String>,
    /// The link the invitee follows.
    url: Option<String>,
    public_metadata: Option<Map<String, Value>>,
    expires_at: Option<Timestamp>,
    created_at: Option<Timestamp>,
}

impl From<wire::OrganizationInvitation> for InstanceInvitation {
    fn from(invitation: wire::OrganizationInvitation) -> Self {
        InstanceInvitation {
            id: invitation.id,
            email_address: invitation.email_address,
            status: invitation.status,
            url: non_empty(invitation.url),
            public_metadata: invitation.public_metadata,
            expires_at: Timestamp::from_opt(invitation.expires_at),
            created_at: Timestamp::from_opt(invitation.created_at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_urls_must_be_absolute_http_or_https() {
        for good in [
            "https://app.example.com/welcome?from=invite#top",
            "http://localhost:3000",
        ] {
            assert!(check_redirect_url("redirectUrl", good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "/welcome",
            "example.com/welcome",
            "javascript:alert(1)",
            "ftp://example.com",
            "https://",
            "https:///path",
            "https://exa mple.com",
            "https://example.com/\nx",
        ] {
            assert!(check_redirect_url("redirectUrl", bad).is_err(), "{bad:?}");
        }
        let long = format!("https://example.com/{}", "a".repeat(2048));
        assert!(check_redirect_url("redirectUrl", &long).is_err());
    }
}
