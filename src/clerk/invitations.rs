//! Clerk's organization invitation endpoints
//! (`/v1/organizations/{id}/invitations`, its `/bulk`,
//! `.../invitations/{invitation_id}` and its `/revoke`) and the wire type they answer
//! with.
//!
//! The caller checks every ID before it gets here; paths are still built
//! segment by segment, so no value can reach another endpoint. Decoding
//! keeps only the fields this server reads, ignores fields Clerk adds, and
//! reads `null` as absent wherever a half-filled answer may hold one.

use serde::Serialize;
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use super::{
    ClerkClient, ClerkError, JsonBody, Misread, Object, Page, PaginatedList, Query, UrlPath, Wire,
};

/// An invitation to join an organization, as Clerk's
/// `OrganizationInvitation` schema describes it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OrganizationInvitation {
    pub id: String,
    pub email_address: String,
    pub role: String,
    pub role_name: Option<String>,
    pub organization_id: Option<String>,
    /// The user who sent the invitation, when one was named.
    pub inviter_id: Option<String>,
    /// `pending`, `accepted`, `revoked` or `expired`.
    pub status: Option<String>,
    pub public_metadata: Option<Map<String, Value>>,
    pub private_metadata: Option<Map<String, Value>>,
    /// The link the invitee follows to accept.
    pub url: Option<String>,
    pub expires_at: Option<i64>,
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
}

impl Wire for OrganizationInvitation {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut invitation = Object::new(value)?;
        Ok(OrganizationInvitation {
            id: invitation.required("id")?,
            email_address: invitation.or_default("email_address"),
            role: invitation.or_default("role"),
            role_name: invitation.take("role_name"),
            organization_id: invitation.take("organization_id"),
            inviter_id: invitation.take("inviter_id"),
            status: invitation.take("status"),
            public_metadata: invitation.take("public_metadata"),
            private_metadata: invitation.take("private_metadata"),
            url: invitation.take("url"),
            expires_at: invitation.take("expires_at"),
            created_at: invitation.take("created_at"),
            updated_at: invitation.take("updated_at"),
        })
    }
}

/// What `POST /organizations/{id}/invitations` is given, and also
/// `POST /invitations` (an application invitation, which has no role or
/// inviter, and may say `ignore_existing` and `notify`). Optional fields
/// are sent only when set, so Clerk's defaults apply to the rest.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct NewInvitation {
    pub email_address: String,
    pub expires_in_days: Option<u32>,
    pub ignore_existing: Option<bool>,
    pub inviter_user_id: Option<String>,
    pub notify: Option<bool>,
    pub public_metadata: Option<Map<String, Value>>,
    pub redirect_url: Option<String>,
    /// Empty, and then not sent, for an application invitation.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub role: String,
}

/// The most invitations one bulk request may carry (the spec's `maxItems`).
pub const MAX_BULK_INVITATIONS: usize = 10;

fn invitations_path(organization_id: &str) -> UrlPath {
    UrlPath::new()
        .segment("organizations")
        .segment(organization_id)
        .segment("invitations")
}

impl ClerkClient<'_> {
    /// `GET /v1/organizations/{organization_id}/invitations`: one page of
    /// invitations, newest first, as `{data, total_count}`.
    pub async fn list_organization_invitations(
        &self,
        organization_id: &str,
        status: Option<&str>,
        page: &Page,
    ) -> Result<PaginatedList<OrganizationInvitation>, ClerkError> {
        let mut query = Query::new();
        page.push_to(&mut query);
        query.push_opt("status", status);
        self.get(&invitations_path(organization_id), &query).await
    }

    /// `GET /v1/organizations/{organization_id}/invitations/{invitation_id}`.
    pub async fn get_organization_invitation(
        &self,
        organization_id: &str,
        invitation_id: &str,
    ) -> Result<OrganizationInvitation, ClerkError> {
        let path = invitations_path(organization_id).segment(invitation_id);
        self.get(&path, &Query::new()).await
    }

    /// `POST /v1/organizations/{organization_id}/invitations`: Clerk emails
    /// the invitation and answers with it.
    pub async fn create_organization_invitation(
        &self,
        organization_id: &str,
        invitation: NewInvitation,
    ) -> Result<OrganizationInvitation, ClerkError> {
        self.post(
            &invitations_path(organization_id),
            Some(&JsonBody::of(&invitation)),
        )
        .await
    }

    /// `POST /v1/organizations/{organization_id}/invitations/bulk`: Clerk
    /// emails each invitation (at most [`MAX_BULK_INVITATIONS`]) and answers
    /// with them, as `{data, total_count}`. The body is the array itself.
    pub async fn create_organization_invitations(
        &self,
        organization_id: &str,
        invitations: &[&NewInvitation],
    ) -> Result<PaginatedList<OrganizationInvitation>, ClerkError> {
        let path = invitations_path(organization_id).segment("bulk");
        self.post(&path, Some(&JsonBody::of(&invitations))).await
    }

    /// `POST /v1/organizations/{organization_id}/invitations/{invitation_id}/revoke`:
    /// Clerk revokes a pending invitation and answers with it. The spec
    /// makes the body optional, so one is sent only to name the user who
    /// revokes it.
    pub async fn revoke_organization_invitation(
        &self,
        organization_id: &str,
        invitation_id: &str,
        requesting_user_id: Option<&str>,
    ) -> Result<OrganizationInvitation, ClerkError> {
        let path = invitations_path(organization_id)
            .segment(invitation_id)
            .segment("revoke");
        let body = requesting_user_id
            .map(|user_id| JsonBody::of(&serde_json::json!({ "requesting_user_id": user_id })));
        self.post(&path, body.as_ref()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitation_decodes_with_nulls_and_unknown_fields() {
        let invitation: OrganizationInvitation = crate::clerk::wire::from_str(
            r#"{"id":"orginv_1","object":"organization_invitation","email_address":"a@b.co",
                "role":"org:member","role_name":null,"inviter_id":null,"public_inviter_data":null,
                "url":null,"expires_at":null,"private_metadata":null,"created_at":1,"extra":true}"#,
        )
        .expect("tolerant decode");
        assert_eq!(invitation.id, "orginv_1");
        assert_eq!(invitation.inviter_id, None);
        assert_eq!(invitation.private_metadata, None);
        assert_eq!(invitation.created_at, Some(1));
    }

    #[test]
    fn new_invitation_body_holds_only_the_given_fields() {
        let invitation = NewInvitation {
            email_address: "ada@example.com".into(),
            role: "org:member".into(),
            expires_in_days: Some(7),
            ..NewInvitation::default()
        };
        assert_eq!(
            JsonBody::of(&invitation).0,
            br#"{"email_address":"ada@example.com","expires_in_days":7,"role":"org:member"}"#
        );
        assert_eq!(
            JsonBody::of(&[&invitation]).0,
            br#"[{"email_address":"ada@example.com","expires_in_days":7,"role":"org:member"}]"#
        );
    }
}
