//! The instance tools: `clerk_get_instance`, `clerk_get_organization_settings`,
//! `clerk_update_organization_settings` and `clerk_update_instance_restrictions`.
//!
//! Both updates are annotated destructive, so that they wait for a yes by
//! default: neither deletes data, but switching organizations off takes
//! them away from every user, and an allowlist shuts out everyone not on
//! it. Clerk offers no way to read the restrictions, so the restrictions'
//! effect says what they become, not what they were.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;
use serde_with::skip_serializing_none;

use super::arguments::{check_any_given, check_range, one_of, Argument, Arguments, Given};
use super::call::run;
use super::effects::{foresee, Effect};
use super::{Annotations, SchemaSource, ToolDefinition, ToolError};
use crate::clerk::instance::{self as wire, OrganizationSettingsChanges};
use crate::clerk::ClerkClient;

pub static TOOLS: [ToolDefinition; 4] = [
    ToolDefinition {
        name: "clerk_get_instance",
        title: "Get instance",
        description: "The Clerk instance's settings: ID, environment, allowed origins, \
            workspace, and its Protect settings (bot and abuse rules).",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<NoArgs>(),
        output_schema: SchemaSource::output::<InstanceSettings>(),
        handler: |call| run(call, get_instance),
        effect: None,
    },
    ToolDefinition {
        name: "clerk_get_organization_settings",
        title: "Get organization settings",
        description: "The instance's organization settings: whether organizations are on, \
            membership/role/domain limits, creator role, domains and enrollment modes, slugs.",
        annotations: Annotations::READ_ONLY,
        input_schema: SchemaSource::input::<NoArgs>(),
        output_schema: SchemaSource::output::<OrganizationSettings>(),
        handler: |call| run(call, get_organization_settings),
        effect: None,
    },
    ToolDefinition {
        name: "clerk_update_organization_settings",
        title: "Update organization settings",
        description: "Change the instance's organization settings; only the settings given \
            change. `enabled: false` switches organizations off for every user. Returns the \
            settings as they now stand.",
        annotations: Annotations::DESTRUCTIVE_IDEMPOTENT,
        input_schema: SchemaSource::input::<UpdateOrganizationSettingsArgs>(),
        output_schema: SchemaSource::output::<OrganizationSettings>(),
        handler: |call| run(call, update_organization_settings),
        effect: Some(|call| foresee(call, update_organization_settings_effect)),
    },
    ToolDefinition {
        name: "clerk_update_instance_restrictions",
        title: "Update instance restrictions",
        description: "Switch the instance's sign-up restrictions on or off: allowlist (only \
            listed identifiers may sign up, and sign in unless exempted: everyone else is \
            locked out), blocklist, email subaddresses, disposable email domains.",
        annotations: Annotations::DESTRUCTIVE_IDEMPOTENT,
        input_schema: SchemaSource::input::<UpdateRestrictionsArgs>(),
        output_schema: SchemaSource::output::<Restrictions>(),
        handler: |call| run(call, update_instance_restrictions),
        effect: Some(|call| foresee(call, update_instance_restrictions_effect)),
    },
];

/// The most a membership limit may be set to here.
const MAX_MEMBERSHIPS: u32 = 100_000;

/// A tool that takes no arguments.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NoArgs {}

impl Arguments for NoArgs {
    fn read(_given: &mut Given) -> Result<Self, ToolError> {
        Ok(NoArgs {})
    }
}

/// A domain enrollment mode Clerk's update accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum EnrollmentMode {
    AutomaticInvitation,
    AutomaticSuggestion,
}

impl Argument for EnrollmentMode {
    fn from_value(value: Value) -> Result<Self, String> {
        one_of(
            value,
            &[
                EnrollmentMode::AutomaticInvitation,
                EnrollmentMode::AutomaticSuggestion,
            ],
            EnrollmentMode::as_str,
        )
    }
}

impl EnrollmentMode {
    fn as_str(self) -> &'static str {
        match self {
            EnrollmentMode::AutomaticInvitation => "automatic_invitation",
            EnrollmentMode::AutomaticSuggestion => "automatic_suggestion",
        }
    }
}

/// Arguments of `clerk_update_organization_settings`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct UpdateOrganizationSettingsArgs {
    /// Organizations on or off for the whole instance.
    enabled: Option<bool>,
    /// Default membership limit of an organization, 0 to 100000 (0: no limit).
    #[schemars(range(max = 100000))]
    max_allowed_memberships: Option<u32>,
    /// Whether admins may delete their organization.
    admin_delete_enabled: Option<bool>,
    /// Whether organizations may verify domains.
    domains_enabled: Option<bool>,
    /// Whether organizations go without slugs.
    slug_disabled: Option<bool>,
    /// The domain enrollment modes to enable (the rest are disabled).
    #[schemars(length(max = 2))]
    domains_enrollment_modes: Option<Vec<EnrollmentMode>>,
}

impl Arguments for UpdateOrganizationSettingsArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(UpdateOrganizationSettingsArgs {
            enabled: given.optional("enabled")?,
            max_allowed_memberships: given.optional("maxAllowedMemberships")?,
            admin_delete_enabled: given.optional("adminDeleteEnabled")?,
            domains_enabled: given.optional("domainsEnabled")?,
            slug_disabled: given.optional("slugDisabled")?,
            domains_enrollment_modes: given.optional("domainsEnrollmentModes")?,
        })
    }

    fn validate(&self) -> Result<(), ToolError> {
        check_any_given(&[
            ("enabled", self.enabled.is_some()),
            (
                "maxAllowedMemberships",
                self.max_allowed_memberships.is_some(),
            ),
            ("adminDeleteEnabled", self.admin_delete_enabled.is_some()),
            ("domainsEnabled", self.domains_enabled.is_some()),
            ("slugDisabled", self.slug_disabled.is_some()),
            (
                "domainsEnrollmentModes",
                self.domains_enrollment_modes.is_some(),
            ),
        ])?;
        if let Some(limit) = self.max_allowed_memberships {
            check_range("maxAllowedMemberships", limit, 0, MAX_MEMBERSHIPS)?;
        }
        if let Some(modes) = &self.domains_enrollment_modes {
            if modes.len() == 2 && modes[0] == modes[1] {
                return Err(ToolError::invalid(
                    "domainsEnrollmentModes",
                    "must not name a mode twice",
                ));
            }
        }
        Ok(())
    }
}

/// Arguments of `clerk_update_instance_restrictions`.
#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct UpdateRestrictionsArgs {
    /// Allowlist on: only identifiers on it may sign up (and sign in, unless exempted).
    allowlist: Option<bool>,
    /// Blocklist on: identifiers on it may not sign up or sign in.
    blocklist: Option<bool>,
    /// Apply allowlist and blocklist to sign-up only, not sign-in.
    allowlist_blocklist_disabled_on_sign_in: Option<bool>,
    /// Refuse email addresses with a `+` subaddress.
    block_email_subaddresses: Option<bool>,
    /// Refuse email addresses of disposable email domains.
    block_disposable_email_domains: Option<bool>,
}

impl Arguments for UpdateRestrictionsArgs {
    fn read(given: &mut Given) -> Result<Self, ToolError> {
        Ok(UpdateRestrictionsArgs {
            allowlist: given.optional("allowlist")?,
            blocklist: given.optional("blocklist")?,
            allowlist_blocklist_disabled_on_sign_in: given
                .optional("allowlistBlocklistDisabledOnSignIn")?,
            block_email_subaddresses: given.optional("blockEmailSubaddresses")?,
            block_disposable_email_domains: given.optional("blockDisposableEmailDomains")?,
        })
    }

    fn validate(&self) -> Result<(), ToolError> {
        check_any_given(&[
            ("allowlist", self.allowlist.is_some()),
            ("blocklist", self.blocklist.is_some()),
            (
                "allowlistBlocklistDisabledOnSignIn",
                self.allowlist_blocklist_disabled_on_sign_in.is_some(),
            ),
            (
                "blockEmailSubaddresses",
                self.block_email_subaddresses.is_some(),
            ),
            (
                "blockDisposableEmailDomains",
                self.block_disposable_email_domains.is_some(),
            ),
        ])
    }
}

/// The instance and its Protect settings.
#[skip_serializing_none]
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct InstanceSettings {
    /// The instance ID (`ins_...`).
    id: Option<String>,
    /// `development` or `production`.
    environment: Option<String>,
    /// Extra origins allowed to use the instance (browser extensions, apps).
    allowed_origins: Vec<String>,
    /// The Clerk workspace that owns the application.
    workspace_id: Option<String>,
    /// Protect settings; absent when Clerk would not give them.
    protect: Option<Protect>,
    /// Why `protect` is absent.
    protect_unavailable: Option<String>,
}

/// The instance's Protect settings.
#[skip_serializing_none]
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Protect {
    rules_enabled: Option<bool>,
    specter_enabled: Option<bool>,
    /// Whether Protect's prerequisite checks are bypassed.
    checks_bypassed: Option<bool>,
}

/// The instance's organization settings.
#[skip_serializing_none]
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct OrganizationSettings {
    /// Whether organizations are on.
    enabled: Option<bool>,
    /// Default membership limit of an organization (0: no limit).
    max_allowed_memberships: Option<i64>,
    max_allowed_roles: Option<i64>,
    max_allowed_domains: Option<i64>,
    /// The role key an organization's creator gets.
    creator_role: Option<String>,
    admin_delete_enabled: Option<bool>,
    domains_enabled: Option<bool>,
    slug_disabled: Option<bool>,
    domains_enrollment_modes: Option<Vec<String>>,
    /// The role key of members joining through a verified domain.
    domains_default_role: Option<String>,
    initial_role_set_key: Option<String>,
}

impl From<wire::OrganizationSettings> for OrganizationSettings {
    fn from(settings: wire::OrganizationSettings) -> Self {
        OrganizationSettings {
            enabled: settings.enabled,
            max_allowed_memberships: settings.max_allowed_memberships,
            max_allowed_roles: settings.max_allowed_roles,
            max_allowed_domains: settings.max_allowed_domains,
            creator_role: settings.creator_role,
            admin_delete_enabled: settings.admin_delete_enabled,
            domains_enabled: settings.domains_enabled,
            slug_disabled: settings.slug_disabled,
            domains_enrollment_modes: settings.domains_enrollment_modes,
            domains_default_role: settings.domains_default_role,
            initial_role_set_key: settings.initial_role_set_key,
        }
    }
}

/// The instance's restrictions as Clerk answers them after the update.
#[skip_serializing_none]
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Restrictions {
    allowlist: Option<bool>,
    blocklist: Option<bool>,
    allowlist_blocklist_disabled_on_sign_in: Option<bool>,
    block_email_subaddresses: Option<bool>,
    block_disposable_email_domains: Option<bool>,
}

async fn get_instance(clerk: &ClerkClient<'_>, _: NoArgs) -> Result<InstanceSettings, ToolError> {
    let instance = clerk.get_instance().await.map_err(ToolError::Clerk)?;
    // Protect may be out of the instance's plan: the rest still stands.
    let (protect, protect_unavailable) = match clerk.get_instance_protect().await {
        Ok(protect) => (
            Some(Protect {
                rules_enabled: protect.rules_enabled,
                specter_enabled: protect.specter_enabled,
                checks_bypassed: protect.checks_bypassed,
            }),
            None,
        ),
        Err(error) => (None, Some(crate::text::shorten(&error.to_string(), 200))),
    };
    Ok(InstanceSettings {
        id: instance.id,
        environment: instance.environment_type,
        allowed_origins: instance.allowed_origins.unwrap_or_default(),
        workspace_id: instance.workspace_id,
        protect,
        protect_unavailable,
    })
}

async fn organization_settings_as_they_stand(
    clerk: &ClerkClient<'_>,
) -> Result<wire::OrganizationSettings, ToolError> {
    clerk
        .get_organization_settings()
        .await
        .map_err(ToolError::Clerk)
}

async fn get_organization_settings(
    clerk: &ClerkClient<'_>,
    _: NoArgs,
) -> Result<OrganizationSettings, ToolError> {
    Ok(organization_settings_as_they_stand(clerk).await?.into())
}

fn settings_changes(args: &UpdateOrganizationSettingsArgs) -> OrganizationSettingsChanges {
    OrganizationSettingsChanges {
        admin_delete_enabled: args.admin_delete_enabled,
        domains_enabled: args.domains_enabled,
        domains_enrollment_modes: args
            .domains_enrollment_modes
            .as_ref()
            .map(|modes| modes.iter().map(|mode| mode.as_str().to_owned()).collect()),
        enabled: args.enabled,
        max_allowed_memberships: args.max_allowed_memberships,
        slug_disabled: args.slug_disabled,
    }
}

async fn update_organization_settings(
    clerk: &ClerkClient<'_>,
    args: UpdateOrganizationSettingsArgs,
) -> Result<OrganizationSettings, ToolError> {
    let updated = clerk
        .update_organization_settings(&settings_changes(&args))
        .await
        .map_err(ToolError::Clerk)?;
    Ok(updated.into())
}

async fn update_instance_restrictions(
    clerk: &ClerkClient<'_>,
    args: UpdateRestrictionsArgs,
) -> Result<Restrictions, ToolError> {
    let updated = clerk
        .update_instance_restrictions(&restrictions_of(&args))
        .await
        .map_err(ToolError::Clerk)?;
    Ok(Restrictions {
        allowlist: updated.allowlist,
        blocklist: updated.blocklist,
        allowlist_blocklist_disabled_on_sign_in: updated.allowlist_blocklist_disabled_on_sign_in,
        block_email_subaddresses: updated.block_email_subaddresses,
        block_disposable_email_domains: updated.block_disposable_email_domains,
    })
}

fn restrictions_of(args: &UpdateRestrictionsArgs) -> wire::InstanceRestrictions {
    wire::InstanceRestrictions {
        allowlist: args.allowlist,
        allowlist_blocklist_disabled_on_sign_in: args.allowlist_blocklist_disabled_on_sign_in,
        block_disposable_email_domains: args.block_disposable_email_domains,
        block_email_subaddresses: args.block_email_subaddresses,
        blocklist: args.blocklist,
    }
}

// What each write would change (see `effects`).

/// `off` or `on`, of a setting that may be unknown.
fn on_off(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "on",
        Some(false) => "off",
        None => "unknown",
    }
}

async fn update_organization_settings_effect(
    clerk: &ClerkClient<'_>,
    args: UpdateOrganizationSettingsArgs,
) -> Result<Effect, ToolError> {
    let current = organization_settings_as_they_stand(clerk).await?;
    let mut after = current.clone();
    let mut changes = Vec::new();
    let mut flag = |name: &str, given: Option<bool>, stored: &mut Option<bool>| {
        if let Some(value) = given {
            changes.push(format!(
                "{name} {} to {}",
                on_off(*stored),
                on_off(Some(value))
            ));
            *stored = Some(value);
        }
    };
    flag("organizations", args.enabled, &mut after.enabled);
    flag(
        "admins may delete organizations",
        args.admin_delete_enabled,
        &mut after.admin_delete_enabled,
    );
    flag(
        "verified domains",
        args.domains_enabled,
        &mut after.domains_enabled,
    );
    flag(
        "slugs disabled",
        args.slug_disabled,
        &mut after.slug_disabled,
    );
    if let Some(limit) = args.max_allowed_memberships {
        let before = current
            .max_allowed_memberships
            .map_or_else(|| "unknown".to_owned(), |n| n.to_string());
        changes.push(format!(
            "membership limit {before} to {limit} (0: no limit)"
        ));
        after.max_allowed_memberships = Some(limit.into());
    }
    if let Some(modes) = &args.domains_enrollment_modes {
        let modes: Vec<String> = modes.iter().map(|m| m.as_str().to_owned()).collect();
        let before = current
            .domains_enrollment_modes
            .as_ref()
            .map_or_else(|| "unknown".to_owned(), |m| format!("[{}]", m.join(", ")));
        changes.push(format!(
            "domain enrollment modes {before} to [{}]",
            modes.join(", ")
        ));
        after.domains_enrollment_modes = Some(modes);
    }
    let mut summary = format!(
        "Change the instance's organization settings: {}.",
        changes.join(", ")
    );
    if args.enabled == Some(false) && current.enabled != Some(false) {
        summary.push_str(
            " Every user loses access to their organizations until they are switched on again; \
             no organization is deleted.",
        );
    }
    Ok(Effect::said(summary).changing(
        OrganizationSettings::from(current),
        OrganizationSettings::from(after),
    ))
}

async fn update_instance_restrictions_effect(
    clerk: &ClerkClient<'_>,
    args: UpdateRestrictionsArgs,
) -> Result<Effect, ToolError> {
    let instance = clerk.get_instance().await.map_err(ToolError::Clerk)?;
    let label = format!(
        "instance {} ({})",
        instance.id.as_deref().unwrap_or("?"),
        instance
            .environment_type
            .as_deref()
            .unwrap_or("unknown environment")
    );
    let mut changes = Vec::new();
    for (name, value) in [
        ("allowlist", args.allowlist),
        ("blocklist", args.blocklist),
        (
            "allowlist and blocklist skipped at sign-in",
            args.allowlist_blocklist_disabled_on_sign_in,
        ),
        ("email subaddresses blocked", args.block_email_subaddresses),
        (
            "disposable email domains blocked",
            args.block_disposable_email_domains,
        ),
    ] {
        if let Some(value) = value {
            changes.push(format!("{name} {}", on_off(Some(value))));
        }
    }
    let mut summary = format!(
        "Set the sign-up restrictions of {label}: {}. Clerk gives no way to read the \
         restrictions first, so what they are now is unknown.",
        changes.join(", ")
    );
    if args.allowlist == Some(true) {
        let sign_in = if args.allowlist_blocklist_disabled_on_sign_in == Some(true) {
            "sign up"
        } else {
            "sign up or sign in (unless allowlist and blocklist are skipped at sign-in)"
        };
        summary.push_str(&format!(
            " With the allowlist on, only identifiers on the allowlist may {sign_in}: every \
             other user, existing ones included, is locked out."
        ));
    }
    if args.blocklist == Some(true) {
        summary.push_str(" With the blocklist on, identifiers on it are refused.");
    }
    Ok(Effect::said(summary))
}
