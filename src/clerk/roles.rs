//! Clerk's organization role endpoint (`/v1/organization_roles`) and the
//! wire type it answers with.
//!
//! Roles belong to the instance, not to one organization. Decoding keeps
//! only the fields this server reads, ignores fields Clerk adds, and reads
//! `null` as absent wherever a half-filled answer may hold one.

use serde_json::Value;

use super::{ClerkClient, ClerkError, Misread, Object, Page, PaginatedList, Query, UrlPath, Wire};

/// An organization role, as Clerk's `Role` schema describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Role {
    pub id: String,
    /// What memberships and invitations name the role by (`org:admin`).
    pub key: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub is_creator_eligible: Option<bool>,
    pub permissions: Option<Vec<Permission>>,
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
}

impl Wire for Role {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut role = Object::new(value)?;
        Ok(Role {
            id: role.required("id")?,
            key: role.or_default("key"),
            name: role.take("name"),
            description: role.take("description"),
            is_creator_eligible: role.take("is_creator_eligible"),
            permissions: role.take("permissions"),
            created_at: role.take("created_at"),
            updated_at: role.take("updated_at"),
        })
    }
}

/// One permission a role grants (Clerk's `Permission` schema), of which
/// only the key is read here.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Permission {
    pub key: String,
}

impl Wire for Permission {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut permission = Object::new(value)?;
        Ok(Permission {
            key: permission.or_default("key"),
        })
    }
}

impl ClerkClient<'_> {
    /// `GET /v1/organization_roles`: one page of the instance's roles,
    /// newest first, as `{data, total_count}`. `query` matches a role ID
    /// exactly, or part of a name or key.
    pub async fn list_organization_roles(
        &self,
        query: Option<&str>,
        page: &Page,
    ) -> Result<PaginatedList<Role>, ClerkError> {
        let mut params = Query::new();
        page.push_to(&mut params);
        params.push_opt("query", query);
        self.get(&UrlPath::new().segment("organization_roles"), &params)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_decodes_with_nulls_and_unknown_fields() {
        let role: Role = crate::clerk::wire::from_str(
            r#"{"object":"role","id":"role_1","key":"org:member","name":"Member",
                "description":null,"is_creator_eligible":false,
                "permissions":[{"object":"permission","id":"perm_1","key":"org:sys_profile:read",
                "name":"Read profile","description":"","type":"system","created_at":1,"updated_at":1}],
                "created_at":1,"updated_at":null,"a_field_from_the_future":{"x":1}}"#,
        )
        .expect("tolerant decode");
        assert_eq!(role.key, "org:member");
        assert_eq!(role.description, None);
        assert_eq!(role.is_creator_eligible, Some(false));
        let keys: Vec<String> = role
            .permissions
            .unwrap_or_default()
            .into_iter()
            .map(|permission| permission.key)
            .collect();
        assert_eq!(keys, ["org:sys_profile:read"]);
        assert_eq!(role.updated_at, None);
    }
}
