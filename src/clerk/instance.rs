//! Clerk's instance endpoint (`GET /v1/instance`) and the wire type it
//! answers with: which instance a key belongs to.
//!
//! Decoding keeps only the fields this server reads, ignores fields Clerk
//! adds, and reads `null` or a missing field as absent: the spec requires
//! `id` and `environment_type`, yet an answer without them still says
//! something, and the caller shows what is there.

use serde::Deserialize;

use super::{ClerkClient, ClerkError, Query, UrlPath};

/// An instance as Clerk's `Instance` schema describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Instance {
    pub id: Option<String>,
    /// `development` or `production` (the spec gives no list: any other
    /// value passes through).
    pub environment_type: Option<String>,
}

impl ClerkClient<'_> {
    /// `GET /v1/instance`: the instance the key belongs to.
    pub async fn get_instance(&self) -> Result<Instance, ClerkError> {
        self.get(&UrlPath::new().segment("instance"), &Query::new())
            .await
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
}
