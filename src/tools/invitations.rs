//! The invitation tools: `clerk_list_organization_invitations`,
//! `clerk_create_invitation` and `clerk_revoke_invitation`.
//!
//! All answer invitations in one shape, [`Invitation`], mapped once from
//! Clerk's `OrganizationInvitation` wire type in
//! [`crate::clerk::invitations`]; the wire type itself is never shown. IDs,
//! the email address, the role and the redirect URL are checked before any
//! request is built.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use super::arguments::{check_range, Arguments, Limit};
use super::call::run;
use super::effects::{
    foresee, organization_as_it_stands, organization_label, organization_named, Effect,
};
use super::error::{no_organization_with_id, no_user_with_id};
use super::output::{items_and_page, PageInfo, Timestamp};
use super::{Annotations, Fields, SchemaSource, ToolDefinition, ToolError};
use crate::clerk::ids::{EmailAddress, InvitationId, OrganizationId, RoleKey, UserId};
use crate::clerk::invitations::{self as wire, NewInvitation};
use crate::clerk::{ClerkClient, Page};
use crate::text::describe;

pub static TOOLS: [ToolDefinition; 3] = [
    ToolDefinition {
        name: "clerk_list_organization_invitations",
        title: "List organization invitations",
        description: "List the invitations to join one organization (`organizationId`, \
            `org_...`), newest first: invited email address, role key (`org:admin`, \
            `org:member`, or a custom role), status, who sent it, the acceptance link, when it \
            expires, and its metadata. Filter by `status`: `pending` (not yet answered), \
            `accepted`, `revoked` or `expired`; without it every status is listed. 20 \
            invitations per page by default, up to 100. The answer carries `totalCount` and \
            `hasMore`; when `hasMore` is true, call again with `offset` set to `nextOffset` for \
            the next page.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<ListInvitationsArgs>(),
        output_schema: SchemaSource::output::<InvitationList>(),
        handler: |call| run(call, list_invitations),
        effect: None,
    },
    ToolDefinition {
        name: "clerk_create_invitation",
        title: "Create invitation",
        description: "Invite an email address to join an organization (`organizationId`, \
            `org_...`) with a role. Clerk emails the invitation at once; when it is accepted, \
            the person becomes a member with that role. `role` is a role key (`org:admin`, \
            `org:member`, or a custom role defined in the Clerk instance) and must exist \
            (clerk_list_roles lists them). \
            Optional: `inviterUserId`, the admin member (`user_...`) shown as the sender (when \
            you signed in to this server with Clerk, it defaults to you); \
            `redirectUrl`, the http(s) page the invitee lands on after accepting; \
            `publicMetadata`, copied to the membership on acceptance; `expiresInDays`, from 1 \
            to 365 (Clerk's default is 30). Each call sends a new email, so do not repeat it to \
            retry unless the first call failed. Returns the created invitation, status \
            `pending`.",
        annotations: Annotations::WRITE,
        input_schema: SchemaSource::input::<CreateInvitationArgs>(),
        output_schema: SchemaSource::output::<Invitation>(),
        handler: |call| run(call, create_invitation),
        effect: Some(|call| foresee(call, create_invitation_effect)),
    },
    ToolDefinition {
        name: "clerk_revoke_invitation",
        title: "Revoke invitation",
        description: "Revoke a pending invitation (`invitationId`, `orginv_...`) to join an \
            organization (`organizationId`, `org_...`). Its acceptance link stops working, so \
            the invitee can no longer join through it; this cannot be undone, but the address \
            can be invited again with clerk_create_invitation. Only a pending invitation can be \
            revoked: clerk_list_organization_invitations with `status` `pending` lists them. \
            `requestingUserId` (`user_...`), when given, names the organization admin recorded \
            as revoking it (when you signed in to this server with Clerk, it defaults to you). \
            Returns the invitation, with status `revoked`.",
        annotations: Annotations::DESTRUCTIVE_IDEMPOTENT,
        input_schema: SchemaSource::input::<RevokeInvitationArgs>(),
        output_schema: SchemaSource::output::<Invitation>(),
        handler: |call| run(call, revoke_invitation),
        effect: Some(|call| foresee(call, revoke_invitation_effect)),
    },
];

const MAX_EXPIRES_IN_DAYS: u32 = 365;
const MAX_URL_CHARS: usize = 2048;
const REDIRECT_URL_PATTERN: &str = "^https?://[^\\s/?#]+([/?#]\\S*)?$";

/// An invitation's status, as Clerk's `status` filter accepts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum InvitationStatus {
    Pending,
    Accepted,
    Revoked,
    Expired,
}

impl InvitationStatus {
    fn as_str(self) -> &'static str {
        match self {
            InvitationStatus::Pending => "pending",
            InvitationStatus::Accepted => "accepted",
            InvitationStatus::Revoked => "revoked",
            InvitationStatus::Expired => "expired",
        }
    }
}

/// Arguments of `clerk_list_organization_invitations`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ListInvitationsArgs {
    /// The organization's ID, `org_` followed by letters and digits.
    organization_id: OrganizationId,
    /// How many invitations to return, from 1 to 100. Default 20.
    #[serde(default)]
    limit: Limit<100>,
    /// How many invitations to skip first. Default 0; pass the previous answer's `nextOffset`.
    #[serde(default)]
    offset: u32,
    /// Only invitations with this status: pending, accepted, revoked or expired. Default: all.
    status: Option<InvitationStatus>,
    #[serde(default, rename = "fields")]
    _fields: Fields<Invitation>,
}

impl Arguments for ListInvitationsArgs {}

/// Arguments of `clerk_create_invitation`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CreateInvitationArgs {
    /// The organization's ID, `org_` followed by letters and digits.
    organization_id: OrganizationId,
    /// The email address to invite.
    email_address: EmailAddress,
    /// The role key the new member gets: `org:admin`, `org:member`, or a custom role.
    role: RoleKey,
    /// The user ID (`user_...`) of the organization admin who sends the invitation.
    inviter_user_id: Option<UserId>,
    /// An absolute http(s) URL the invitee is sent to after accepting.
    #[schemars(url, length(max = 2048), pattern(REDIRECT_URL_PATTERN))]
    redirect_url: Option<String>,
    /// Public metadata for the invitation, copied to the membership when it is accepted.
    public_metadata: Option<Map<String, Value>>,
    /// How many days the invitation stays valid, from 1 to 365. Clerk's default is 30.
    #[schemars(range(min = 1, max = 365))]
    expires_in_days: Option<u32>,
}

impl Arguments for CreateInvitationArgs {
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

/// Arguments of `clerk_revoke_invitation`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RevokeInvitationArgs {
    /// The organization's ID, `org_` followed by letters and digits.
    organization_id: OrganizationId,
    /// The ID of the pending invitation to revoke, `orginv_` followed by letters and digits.
    invitation_id: InvitationId,
    /// The user ID (`user_...`) of the organization admin recorded as revoking the invitation.
    requesting_user_id: Option<UserId>,
}

impl Arguments for RevokeInvitationArgs {}

/// Fails unless `value` is an absolute `http://` or `https://` URL with a
/// host, without spaces or control characters, of at most 2048 characters
/// (see [`REDIRECT_URL_PATTERN`]).
fn check_redirect_url(argument: &str, value: &str) -> Result<(), ToolError> {
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
struct Invitation {
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
    };
    let created = clerk
        .create_organization_invitation(&args.organization_id, invitation)
        .await
        .map_err(|error| ToolError::from_clerk(error, || not_found))?;
    Ok(Invitation::from(created))
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
