//! Clerk's organization membership endpoints
//! (`/v1/organizations/{id}/memberships` and `.../memberships/{user_id}`,
//! with its `/metadata`), a user's memberships
//! (`/v1/users/{id}/organization_memberships`), and the wire type they all
//! answer with.
//!
//! The caller checks every ID before it gets here; paths are still built
//! segment by segment, so no value can reach another endpoint. Decoding
//! keeps only the fields this server reads, ignores fields Clerk adds, and
//! reads `null` as absent wherever a half-filled answer may hold one.

use serde_json::{Map, Value};

use super::{
    ClerkClient, ClerkError, JsonBody, MetadataChanges, Misread, Object, Page, PaginatedList,
    Query, UrlPath, Wire,
};

/// A user's membership in an organization, as Clerk's
/// `OrganizationMembership` schema describes it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OrganizationMembership {
    pub id: String,
    pub role: String,
    pub role_name: Option<String>,
    pub permissions: Option<Vec<String>>,
    pub public_metadata: Option<Map<String, Value>>,
    pub private_metadata: Option<Map<String, Value>>,
    pub organization: Option<MembershipOrganization>,
    pub public_user_data: Option<MembershipUser>,
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
}

impl Wire for OrganizationMembership {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut membership = Object::new(value)?;
        Ok(OrganizationMembership {
            id: membership.required("id")?,
            role: membership.or_default("role"),
            role_name: membership.take("role_name"),
            permissions: membership.take("permissions"),
            public_metadata: membership.take("public_metadata"),
            private_metadata: membership.take("private_metadata"),
            organization: membership.take("organization"),
            public_user_data: membership.take("public_user_data"),
            created_at: membership.take("created_at"),
            updated_at: membership.take("updated_at"),
        })
    }
}

/// The organization a membership belongs to; Clerk sends the whole
/// organization, of which only what names it is read here.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MembershipOrganization {
    pub id: String,
    pub name: Option<String>,
    pub slug: Option<String>,
}

impl Wire for MembershipOrganization {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut organization = Object::new(value)?;
        Ok(MembershipOrganization {
            id: organization.or_default("id"),
            name: organization.take("name"),
            slug: organization.take("slug"),
        })
    }
}

/// The member's public profile (`OrganizationMembershipPublicUserData`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MembershipUser {
    pub user_id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// The user's email address, phone number or other identifier.
    pub identifier: Option<String>,
    pub username: Option<String>,
    pub image_url: Option<String>,
}

impl Wire for MembershipUser {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut user = Object::new(value)?;
        Ok(MembershipUser {
            user_id: user.or_default("user_id"),
            first_name: user.take("first_name"),
            last_name: user.take("last_name"),
            identifier: user.take("identifier"),
            username: user.take("username"),
            image_url: user.take("image_url"),
        })
    }
}

/// The filters of `GET /organizations/{id}/memberships` this server uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MembershipFilter {
    pub query: Option<String>,
    pub roles: Vec<String>,
    /// Only these users' memberships.
    pub user_ids: Vec<String>,
}

fn memberships_path(organization_id: &str) -> UrlPath {
    UrlPath::new()
        .segment("organizations")
        .segment(organization_id)
        .segment("memberships")
}

fn membership_path(organization_id: &str, user_id: &str) -> UrlPath {
    memberships_path(organization_id).segment(user_id)
}

impl ClerkClient<'_> {
    /// `POST /v1/organizations/{organization_id}/memberships`: makes the
    /// user a member with `role` and answers with the new membership.
    pub async fn create_organization_membership(
        &self,
        organization_id: &str,
        user_id: &str,
        role: &str,
    ) -> Result<OrganizationMembership, ClerkError> {
        let body = JsonBody::of(&serde_json::json!({ "user_id": user_id, "role": role }));
        self.post(&memberships_path(organization_id), Some(&body))
            .await
    }

    /// `GET /v1/users/{user_id}/organization_memberships`: one page of the
    /// user's memberships, each with its organization, as `{data, total_count}`.
    pub async fn list_user_organization_memberships(
        &self,
        user_id: &str,
        page: &Page,
    ) -> Result<PaginatedList<OrganizationMembership>, ClerkError> {
        let mut query = Query::new();
        page.push_to(&mut query);
        let path = UrlPath::new()
            .segment("users")
            .segment(user_id)
            .segment("organization_memberships");
        self.get(&path, &query).await
    }

    /// `GET /v1/organizations/{organization_id}/memberships`: one page of
    /// members, as `{data, total_count}`. Roles travel as repeated `role` keys.
    pub async fn list_organization_memberships(
        &self,
        organization_id: &str,
        filter: &MembershipFilter,
        page: &Page,
    ) -> Result<PaginatedList<OrganizationMembership>, ClerkError> {
        let mut query = Query::new();
        page.push_to(&mut query);
        query.push_opt("query", filter.query.as_deref());
        query.push_each("role", &filter.roles);
        query.push_each("user_id", &filter.user_ids);
        self.get(&memberships_path(organization_id), &query).await
    }

    /// `PATCH /v1/organizations/{organization_id}/memberships/{user_id}`:
    /// gives the member `role`.
    pub async fn update_organization_membership_role(
        &self,
        organization_id: &str,
        user_id: &str,
        role: &str,
    ) -> Result<OrganizationMembership, ClerkError> {
        let body = JsonBody::of(&serde_json::json!({ "role": role }));
        self.patch(&membership_path(organization_id, user_id), &body)
            .await
    }

    /// `PATCH /v1/organizations/{organization_id}/memberships/{user_id}/metadata`:
    /// Clerk deep-merges each given object into what the membership holds.
    pub async fn update_organization_membership_metadata(
        &self,
        organization_id: &str,
        user_id: &str,
        changes: MetadataChanges,
    ) -> Result<OrganizationMembership, ClerkError> {
        let path = membership_path(organization_id, user_id).segment("metadata");
        self.patch(&path, &JsonBody::of(&changes)).await
    }

    /// `DELETE /v1/organizations/{organization_id}/memberships/{user_id}`:
    /// Clerk answers with the membership it removed.
    pub async fn delete_organization_membership(
        &self,
        organization_id: &str,
        user_id: &str,
    ) -> Result<OrganizationMembership, ClerkError> {
        self.delete(&membership_path(organization_id, user_id))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn membership_decodes_with_nulls_and_unknown_fields() {
        let membership: OrganizationMembership = crate::clerk::wire::from_str(
            r#"{"id":"orgmem_1","object":"organization_membership","role":"org:member",
                "role_name":null,"permissions":null,"public_metadata":null,
                "organization":{"id":"org_1","name":"Acme","members_count":3},
                "public_user_data":{"user_id":"user_1","first_name":null,"has_image":false},
                "created_at":1704164645678,"a_field_from_the_future":{"x":1}}"#,
        )
        .expect("tolerant decode");
        assert_eq!(membership.id, "orgmem_1");
        assert_eq!(membership.permissions, None);
        assert_eq!(membership.public_metadata, None);
        let organization = membership.organization.unwrap_or_default();
        assert_eq!(organization.id, "org_1");
        assert_eq!(organization.name.as_deref(), Some("Acme"));
        assert_eq!(organization.slug, None);
        let user = membership.public_user_data.unwrap_or_default();
        assert_eq!(user.user_id, "user_1");
        assert_eq!(user.first_name, None);
        assert_eq!(membership.updated_at, None);
    }
}
