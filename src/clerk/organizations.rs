//! Clerk's organization endpoints (`/v1/organizations`,
//! `/v1/organizations/{id}` and `/v1/organizations/{id}/metadata`) and the
//! wire type they answer with. Memberships and invitations live elsewhere.
//!
//! [`Organization`] keeps only the fields this server reads. Decoding ignores
//! fields Clerk adds over time and reads `null` as absent wherever a value
//! could plausibly be missing (`slug` when slugs are off, `members_count`
//! unless it was asked for), so a sparse answer still decodes.

use serde::Serialize;
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use super::{
    ClerkClient, ClerkError, DeletedObject, JsonBody, MetadataChanges, Misread, Object, Page,
    PaginatedList, Query, UrlPath, Wire,
};

/// An organization as Clerk's `Organization` schema describes it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Organization {
    pub id: String,
    pub name: Option<String>,
    pub slug: Option<String>,
    pub image_url: Option<String>,
    pub has_image: Option<bool>,
    /// Present when the request asked for `include_members_count`.
    pub members_count: Option<i64>,
    pub pending_invitations_count: Option<i64>,
    /// The membership limit; `0` means no limit.
    pub max_allowed_memberships: Option<i64>,
    pub admin_delete_enabled: Option<bool>,
    pub public_metadata: Option<Map<String, Value>>,
    pub private_metadata: Option<Map<String, Value>>,
    pub created_by: Option<String>,
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
}

impl Wire for Organization {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut organization = Object::new(value)?;
        Ok(Organization {
            id: organization.required("id")?,
            name: organization.take("name"),
            slug: organization.take("slug"),
            image_url: organization.take("image_url"),
            has_image: organization.take("has_image"),
            members_count: organization.take("members_count"),
            pending_invitations_count: organization.take("pending_invitations_count"),
            max_allowed_memberships: organization.take("max_allowed_memberships"),
            admin_delete_enabled: organization.take("admin_delete_enabled"),
            public_metadata: organization.take("public_metadata"),
            private_metadata: organization.take("private_metadata"),
            created_by: organization.take("created_by"),
            created_at: organization.take("created_at"),
            updated_at: organization.take("updated_at"),
        })
    }
}

/// The filters of `GET /organizations` beside the page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrganizationFilter {
    /// Matches the ID exactly, or part of the name or slug.
    pub query: Option<String>,
    pub include_members_count: bool,
}

/// The body of `POST /organizations`: every field but `name` is sent only
/// when given.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct NewOrganization {
    pub created_by: Option<String>,
    pub max_allowed_memberships: Option<u32>,
    pub name: String,
    pub private_metadata: Option<Map<String, Value>>,
    pub public_metadata: Option<Map<String, Value>>,
    pub slug: Option<String>,
}

/// The body of `PATCH /organizations/{id}`: only the fields given are sent,
/// so Clerk keeps the others. As of API version 2026-05-12 this endpoint
/// refuses metadata, which goes through [`MetadataChanges`] instead.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OrganizationChanges {
    pub admin_delete_enabled: Option<bool>,
    /// `0` removes the limit.
    pub max_allowed_memberships: Option<u32>,
    pub name: Option<String>,
    pub slug: Option<String>,
}

impl ClerkClient<'_> {
    /// `GET /v1/organizations`: one page of organizations and how many match.
    pub async fn list_organizations(
        &self,
        filter: &OrganizationFilter,
        page: &Page,
    ) -> Result<PaginatedList<Organization>, ClerkError> {
        let mut query = Query::new();
        page.push_to(&mut query);
        query.push(
            "include_members_count",
            bool_param(filter.include_members_count),
        );
        query.push_opt("query", filter.query.as_deref());
        self.get(&UrlPath::new().segment("organizations"), &query)
            .await
    }

    /// `GET /v1/organizations/{organization_id}`, where Clerk takes either
    /// the ID or the slug, with the member count included.
    pub async fn get_organization(&self, id_or_slug: &str) -> Result<Organization, ClerkError> {
        let mut query = Query::new();
        query.push("include_members_count", bool_param(true));
        self.get(&organization_path(id_or_slug), &query).await
    }

    /// `POST /v1/organizations`.
    pub async fn create_organization(
        &self,
        organization: NewOrganization,
    ) -> Result<Organization, ClerkError> {
        let path = UrlPath::new().segment("organizations");
        self.post(&path, Some(&JsonBody::of(&organization))).await
    }

    /// `PATCH /v1/organizations/{organization_id}`: changes the given
    /// fields and answers with the organization.
    pub async fn update_organization(
        &self,
        organization_id: &str,
        changes: OrganizationChanges,
    ) -> Result<Organization, ClerkError> {
        self.patch(&organization_path(organization_id), &JsonBody::of(&changes))
            .await
    }

    /// `PATCH /v1/organizations/{organization_id}/metadata`: Clerk
    /// deep-merges each given object into the stored one, and removes a key
    /// set to `null`.
    pub async fn merge_organization_metadata(
        &self,
        organization_id: &str,
        changes: MetadataChanges,
    ) -> Result<Organization, ClerkError> {
        let path = organization_path(organization_id).segment("metadata");
        self.patch(&path, &JsonBody::of(&changes)).await
    }

    /// `DELETE /v1/organizations/{organization_id}`.
    pub async fn delete_organization(
        &self,
        organization_id: &str,
    ) -> Result<DeletedObject, ClerkError> {
        self.delete(&organization_path(organization_id)).await
    }
}

fn organization_path(id_or_slug: &str) -> UrlPath {
    UrlPath::new().segment("organizations").segment(id_or_slug)
}

fn bool_param(value: bool) -> &'static str {
    if value {
        "true"
    } else {
        "false"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organization_decodes_with_nulls_and_unknown_fields() {
        let organization: Organization = crate::clerk::wire::from_str(
            r#"{"object":"organization","id":"org_1","name":"Acme","slug":null,
                "members_count":null,"public_metadata":{},"private_metadata":null,
                "role_set_key":null,"a_field_from_the_future":{"x":1}}"#,
        )
        .expect("tolerant decode");
        assert_eq!(organization.id, "org_1");
        assert_eq!(organization.name.as_deref(), Some("Acme"));
        assert_eq!(organization.slug, None);
        assert_eq!(organization.members_count, None);
        assert_eq!(organization.private_metadata, None);
    }

    #[test]
    fn new_organization_body_holds_only_the_given_fields() {
        let body = JsonBody::of(&NewOrganization {
            name: "Acme".into(),
            max_allowed_memberships: Some(5),
            ..NewOrganization::default()
        });
        assert_eq!(body.0, br#"{"max_allowed_memberships":5,"name":"Acme"}"#);
    }

    #[test]
    fn organization_changes_body_holds_only_the_given_fields() {
        let body = JsonBody::of(&OrganizationChanges {
            max_allowed_memberships: Some(0),
            admin_delete_enabled: Some(false),
            ..OrganizationChanges::default()
        });
        assert_eq!(
            body.0,
            br#"{"admin_delete_enabled":false,"max_allowed_memberships":0}"#
        );
    }
}
