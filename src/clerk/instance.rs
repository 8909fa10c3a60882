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

use serde::Serialize;
use serde_json::Value;
use serde_with::skip_serializing_none;

use super::{ClerkClient, ClerkError, JsonBody, Misread, Object, Query, UrlPath, Wire};

/// An instance as Clerk's `Instance` schema describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Instance {
    pub id: Option<String>,
    /// `development` or `production` (the spec gives no list: any other
    /// value passes through).
    pub environment_type: Option<String>,
    pub allowed_origins: Option<Vec<String>>,
    pub workspace_id: Option<String>,
}

impl Wire for Instance {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut instance = Object::new(value)?;
        Ok(Instance {
            id: instance.take("id"),
            environment_type: instance.take("environment_type"),
            allowed_origins: instance.take("allowed_origins"),
            workspace_id: instance.take("workspace_id"),
        })
    }
}

/// Clerk's `InstanceProtect` schema.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InstanceProtect {
    pub rules_enabled: Option<bool>,
    pub specter_enabled: Option<bool>,
    pub checks_bypassed: Option<bool>,
}

impl Wire for InstanceProtect {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut protect = Object::new(value)?;
        Ok(InstanceProtect {
            rules_enabled: protect.take("rules_enabled"),
            specter_enabled: protect.take("specter_enabled"),
            checks_bypassed: protect.take("checks_bypassed"),
        })
    }
}

/// Clerk's `OrganizationSettings` schema.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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

impl Wire for OrganizationSettings {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut settings = Object::new(value)?;
        Ok(OrganizationSettings {
            enabled: settings.take("enabled"),
            max_allowed_memberships: settings.take("max_allowed_memberships"),
            max_allowed_roles: settings.take("max_allowed_roles"),
            max_allowed_domains: settings.take("max_allowed_domains"),
            creator_role: settings.take("creator_role"),
            admin_delete_enabled: settings.take("admin_delete_enabled"),
            domains_enabled: settings.take("domains_enabled"),
            slug_disabled: settings.take("slug_disabled"),
            domains_enrollment_modes: settings.take("domains_enrollment_modes"),
            domains_default_role: settings.take("domains_default_role"),
            initial_role_set_key: settings.take("initial_role_set_key"),
        })
    }
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct InstanceRestrictions {
    pub allowlist: Option<bool>,
    pub allowlist_blocklist_disabled_on_sign_in: Option<bool>,
    pub block_disposable_email_domains: Option<bool>,
    pub block_email_subaddresses: Option<bool>,
    pub blocklist: Option<bool>,
}

impl Wire for InstanceRestrictions {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut restrictions = Object::new(value)?;
        Ok(InstanceRestrictions {
            allowlist: restrictions.take("allowlist"),
            allowlist_blocklist_disabled_on_sign_in: restrictions
                .take("allowlist_blocklist_disabled_on_sign_in"),
            block_disposable_email_domains: restrictions.take("block_disposable_email_domains"),
            block_email_subaddresses: restrictions.take("block_email_subaddresses"),
            blocklist: restrictions.take("blocklist"),
        })
    }
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
        let instance: Instance = crate::clerk::wire::from_str(
            r#"{"object":"instance","id":"ins_2abc","environment_type":"staging",
                "allowed_origins":null,"workspace_id":null,"new_field":1}"#,
        )
        .expect("decodes");
        assert_eq!(instance.id.as_deref(), Some("ins_2abc"));
        assert_eq!(instance.environment_type.as_deref(), Some("staging"));
        let bare: Instance = crate::clerk::wire::from_str(r#"{"id":null}"#).expect("decodes");
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
