//! Clerk's endpoints for who may reach the instance: the allow-list
//! (`/v1/allowlist_identifiers`), the block-list
//! (`/v1/blocklist_identifiers`), the waitlist (`/v1/waitlist_entries`,
//! its `/invite` and `/reject`) and the application invitations
//! (`/v1/invitations`, its `/bulk` and `/revoke`), with the wire types
//! they answer with.
//!
//! The caller checks every ID before it gets here; paths are still built
//! segment by segment. Decoding keeps only the fields this server shows,
//! ignores fields Clerk adds, and reads `null` as absent.

use serde::Serialize;
use serde_json::Value;
use serde_with::skip_serializing_none;

use super::invitations::{NewInvitation, OrganizationInvitation as Invitation};
use super::{
    ClerkClient, ClerkError, DeletedObject, JsonBody, ListAnswer, Misread, Object, Page,
    PaginatedList, Query, UrlPath, Wire,
};

/// An allow-list or block-list identifier (Clerk's `AllowlistIdentifier`
/// and `BlocklistIdentifier`, which differ only in `invitation_id`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Identifier {
    pub id: String,
    pub identifier: Option<String>,
    /// `email_address`, `phone_number` or `web3_wallet`.
    pub identifier_type: Option<String>,
    pub invitation_id: Option<String>,
    pub created_at: Option<i64>,
}

/// A waitlist entry (Clerk's `WaitlistEntry`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WaitlistEntry {
    pub id: String,
    pub email_address: String,
    /// `pending`, `invited`, `rejected` or `completed`.
    pub status: Option<String>,
    /// Read as an organization invitation, whose fields include all of an
    /// application invitation's.
    pub invitation: Option<Invitation>,
    pub created_at: Option<i64>,
}

impl Wire for Identifier {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut identifier = Object::new(value)?;
        Ok(Identifier {
            id: identifier.required("id")?,
            identifier: identifier.take("identifier"),
            identifier_type: identifier.take("identifier_type"),
            invitation_id: identifier.take("invitation_id"),
            created_at: identifier.take("created_at"),
        })
    }
}

impl Wire for WaitlistEntry {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut entry = Object::new(value)?;
        Ok(WaitlistEntry {
            id: entry.required("id")?,
            email_address: entry.or_default("email_address"),
            status: entry.take("status"),
            invitation: entry.take("invitation"),
            created_at: entry.take("created_at"),
        })
    }
}

/// Which list of identifiers: the allow-list or the block-list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdentifierList {
    Allow,
    Block,
}

impl IdentifierList {
    fn path(self) -> UrlPath {
        UrlPath::new().segment(match self {
            IdentifierList::Allow => "allowlist_identifiers",
            IdentifierList::Block => "blocklist_identifiers",
        })
    }
}

fn invitations_path() -> UrlPath {
    UrlPath::new().segment("invitations")
}

fn waitlist_path() -> UrlPath {
    UrlPath::new().segment("waitlist_entries")
}

/// The filters and page of a list that takes `status` and `query`.
fn filtered(status: Option<&str>, text: Option<&str>, page: &Page) -> Query {
    let mut query = Query::new();
    page.push_to(&mut query);
    query.push_opt("status", status);
    query.push_opt("query", text);
    query
}

impl ClerkClient<'_> {
    /// `GET /v1/allowlist_identifiers?paginated=true` with the page, or
    /// `GET /v1/blocklist_identifiers`, which takes no parameters and
    /// answers the whole list (`page` is then not sent).
    pub async fn list_identifiers(
        &self,
        list: IdentifierList,
        page: &Page,
    ) -> Result<PaginatedList<Identifier>, ClerkError> {
        let mut query = Query::new();
        if list == IdentifierList::Allow {
            query.push("paginated", "true");
            page.push_to(&mut query);
        }
        let answer: ListAnswer<Identifier> = self.get(&list.path(), &query).await?;
        Ok(answer.paged(page))
    }

    /// `POST /v1/allowlist_identifiers` or `/v1/blocklist_identifiers`;
    /// `notify` is sent only for the allow-list, and only when set.
    pub async fn add_identifier(
        &self,
        list: IdentifierList,
        identifier: &str,
        notify: Option<bool>,
    ) -> Result<Identifier, ClerkError> {
        #[skip_serializing_none]
        #[derive(Serialize)]
        struct Body<'a> {
            identifier: &'a str,
            notify: Option<bool>,
        }
        let body = Body { identifier, notify };
        self.post(&list.path(), Some(&JsonBody::of(&body))).await
    }

    /// `DELETE /v1/allowlist_identifiers/{id}` or `/v1/blocklist_identifiers/{id}`.
    pub async fn remove_identifier(
        &self,
        list: IdentifierList,
        id: &str,
    ) -> Result<DeletedObject, ClerkError> {
        self.delete(&list.path().segment(id)).await
    }

    /// `GET /v1/waitlist_entries`: one page, newest first, as
    /// `{data, total_count}`.
    pub async fn list_waitlist(
        &self,
        status: Option<&str>,
        text: Option<&str>,
        page: &Page,
    ) -> Result<PaginatedList<WaitlistEntry>, ClerkError> {
        self.get(&waitlist_path(), &filtered(status, text, page))
            .await
    }

    /// `POST /v1/waitlist_entries/{id}/invite` (a body only to set
    /// `ignore_existing`) or `POST /v1/waitlist_entries/{id}/reject`
    /// (`action`), answering the entry.
    pub async fn act_on_waitlist_entry(
        &self,
        id: &str,
        action: &str,
        ignore_existing: Option<bool>,
    ) -> Result<WaitlistEntry, ClerkError> {
        let path = waitlist_path().segment(id).segment(action);
        let body = ignore_existing
            .map(|ignore| JsonBody(format!("{{\"ignore_existing\":{ignore}}}").into_bytes()));
        self.post(&path, body.as_ref()).await
    }

    /// `GET /v1/invitations?paginated=true`: one page, newest first, in
    /// either form [`ListAnswer`] reads.
    pub async fn list_instance_invitations(
        &self,
        status: Option<&str>,
        text: Option<&str>,
        page: &Page,
    ) -> Result<PaginatedList<Invitation>, ClerkError> {
        let mut query = filtered(status, text, page);
        query.push("paginated", "true");
        let answer: ListAnswer<Invitation> = self.get(&invitations_path(), &query).await?;
        Ok(answer.paged(page))
    }

    /// `POST /v1/invitations`: Clerk emails it (unless `notify` is false).
    pub async fn create_instance_invitation(
        &self,
        invitation: &NewInvitation,
    ) -> Result<Invitation, ClerkError> {
        self.post(&invitations_path(), Some(&JsonBody::of(invitation)))
            .await
    }

    /// `POST /v1/invitations/bulk`: at most
    /// [`super::invitations::MAX_BULK_INVITATIONS`], as for an organization;
    /// the body is the array itself, and so is the answer.
    pub async fn create_instance_invitations(
        &self,
        invitations: &[&NewInvitation],
    ) -> Result<Vec<Invitation>, ClerkError> {
        let path = invitations_path().segment("bulk");
        let answer: ListAnswer<Invitation> =
            self.post(&path, Some(&JsonBody::of(&invitations))).await?;
        Ok(answer.items())
    }

    /// `POST /v1/invitations/{id}/revoke`, without a body.
    pub async fn revoke_instance_invitation(&self, id: &str) -> Result<Invitation, ClerkError> {
        let path = invitations_path().segment(id).segment("revoke");
        self.post(&path, None).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_decode_with_nulls_and_unknown_fields() {
        let entry: WaitlistEntry = crate::clerk::wire::from_str(
            r#"{"object":"waitlist_entry","id":"wle_1","email_address":null,"status":"held",
                "is_locked":null,"invitation":{"id":"inv_1","email_address":"a@b.co",
                "public_metadata":null,"status":"pending","new":1},"created_at":1}"#,
        )
        .expect("tolerant decode");
        assert_eq!(entry.email_address, "");
        assert_eq!(entry.status.as_deref(), Some("held"));
        assert_eq!(entry.invitation.map(|i| i.id), Some("inv_1".into()));
        let identifier: Identifier =
            crate::clerk::wire::from_str(r#"{"id":"alid_1","identifier_type":"ens","x":null}"#)
                .expect("tolerant decode");
        assert_eq!(identifier.identifier_type.as_deref(), Some("ens"));
        assert!(crate::clerk::wire::from_str::<Identifier>(r#"{"identifier":"a"}"#).is_err());
        let list: ListAnswer<Identifier> =
            crate::clerk::wire::from_str(r#"[{"id":"alid_1"}]"#).expect("a bare array");
        assert_eq!(list.items().len(), 1);
    }

    #[test]
    fn an_application_invitation_sends_no_role_and_only_what_is_set() {
        let invitation = NewInvitation {
            email_address: "ada@example.com".into(),
            notify: Some(false),
            ..NewInvitation::default()
        };
        assert_eq!(
            JsonBody::of(&invitation).0,
            br#"{"email_address":"ada@example.com","notify":false}"#
        );
    }
}
