//! Clerk's instance endpoints and the wire types they answer with: the
//! instance itself (`GET /v1/instance`), its Protect settings
//! (`GET /v1/instance/protect`), its organization settings
//! (`GET` and `PATCH /v1/instance/organization_settings`) and its
//! restrictions (`PATCH /v1/instance/restrictions`, which Clerk offers no
//! way to read).
//!
//! Decoding keeps only the fields this server reads, ignores fields Clerk
//! adds, and reads `null` or a missing field as absent: the spec requires
//! most of them, yet an answer without them still says something, and the
//! caller shows what is there.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::{ClerkClient, ClerkError, JsonBody, Query, UrlPath};

/// An instance as Clerk's `Instance` schema describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Instance {
    pub id: Option<String>,
    /// `development` or `production` (the spec gives no list: any other
    /// value passes through).
    pub environment_type: Option<String>,
    pub allowed_origins: Option<Vec<String>>,
    pub workspace_id: Option<String>,
}

/// Clerk's `InstanceProtect` schema.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct InstanceProtect {
    pub rules_enabled: Option<bool>,
    pub specter_enabled: Option<bool>,
    pub checks_bypassed: Option<bool>,
}

/// Clerk's `OrganizationSettings` schema.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct OrganizationSettings {
    pub enabled: Option<bool>,
    pub max_allowed_memberships: Option<i64>,
    pub max_allowed_roles: Option<i64>,
    pub max_allowed_domains: Option<i64>,
    pub creator_role: Option<String>,
    pub admin_delete_enabled: Option<bool>,
    pub domains_enabled: Option<bool>,
    pub slug_disabled: Option<bool>,
    pub domains_enrollment_modes: Option<Vec<String>>,
    pub domains_default_role: Option<String>,
    pub initial_role_set_key: Option<String>,
}

/// The body of `PATCH /instance/organization_settings`: only what is given
/// is sent, so Clerk keeps the rest.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OrganizationSettingsChanges {
    pub admin_delete_enabled: Option<bool>,
    pub domains_enabled: Option<bool>,
    pub domains_enrollment_modes: Option<Vec<String>>,
    pub enabled: Option<bool>,
    pub max_allowed_memberships: Option<u32>,
    pub slug_disabled: Option<bool>,
}

/// Clerk's `InstanceRestrictions` schema, which is also the body of
/// `PATCH /instance/restrictions` (only what is given is sent).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceRestrictions {
    pub allowlist: Option<bool>,
    pub allowlist_blocklist_disabled_on_sign_in: Option<bool>,
    pub block_disposable_email_domains: Option<bool>,
    pub block_email_subaddresses: Option<bool>,
    pub blocklist: Option<bool>,
}

fn instance_path() -> UrlPath {
    UrlPath::new().segment("instance")
}

impl ClerkClient<'_> {
    /// `GET /v1/instance`: the instance the key belongs to.
    pub async fn get_instance(&self) -> Result<Instance, ClerkError> {
        self.get(&instance_path(), &Query::new()).await
    }

    /// `GET /v1/instance/protect`.
    pub async fn get_instance_protect(&self) -> Result<InstanceProtect, ClerkError> {
        self.get(&instance_path().segment("protect"), &Query::new())
            .await
    }

    /// `GET /v1/instance/organization_settings`.
    pub async fn get_organization_settings(&self) -> Result<OrganizationSettings, ClerkError> {
        let path = instance_path().segment("organization_settings");
        self.get(&path, &Query::new()).await
    }

    /// `PATCH /v1/instance/organization_settings`.
    pub async fn update_organization_settings(
        &self,
        changes: &OrganizationSettingsChanges,
    ) -> Result<OrganizationSettings, ClerkError> {
        let path = instance_path().segment("organization_settings");
        self.patch(&path, &JsonBody::of(changes)).await
    }

    /// `PATCH /v1/instance/restrictions`: answers the restrictions as they
    /// now stand.
    pub async fn update_instance_restrictions(
        &self,
        changes: &InstanceRestrictions,
    ) -> Result<InstanceRestrictions, ClerkError> {
        let path = instance_path().segment("restrictions");
        self.patch(&path, &JsonBody::of(changes)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instance_decodes_with_nulls_unknown_fields_and_values_added_later() {
        let instance: Instance = serde_json::from_str(
            r#"{"object":"instance","id":"ins_2abc","environment_type":"staging",
                "allowed_origins":null,"workspace_id":null,"new_field":1}"#,
        )
        .expect("decodes");
        assert_eq!(instance.id.as_deref(), Some("ins_2abc"));
        assert_eq!(instance.environment_type.as_deref(), Some("staging"));
        let bare: Instance = serde_json::from_str(r#"{"id":null}"#).expect("decodes");
        assert_eq!(bare, Instance::default());
    }

    #[test]
    fn restrictions_send_only_what_is_given() {
        let changes = InstanceRestrictions {
            allowlist: Some(true),
            ..InstanceRestrictions::default()
        };
        assert_eq!(
            serde_json::to_string(&changes).expect("writes"),
            r#"{"allowlist":true}"#
        );
    }
}
