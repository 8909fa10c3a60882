//! Clerk's session endpoints (`GET /v1/sessions`,
//! `GET /v1/sessions/{session_id}` and `POST /v1/sessions/{session_id}/revoke`) and the wire type they answer
//! with.
//!
//! The caller checks every ID before it gets here; paths are still built
//! segment by segment, so no value can reach another endpoint. Decoding keeps
//! only the fields this server reads, ignores fields Clerk adds, and reads
//! `null` as absent.

use serde_json::{Map, Value};

use super::{
    ClerkClient, ClerkError, ListAnswer, Misread, Object, Page, PaginatedList, Query, UrlPath, Wire,
};

/// A session as Clerk's `Session` schema describes it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Session {
    pub id: String,
    pub user_id: Option<String>,
    pub client_id: Option<String>,
    /// `active`, `revoked`, `ended`, `expired`, `removed`, `abandoned`,
    /// `replaced` or `pending`.
    pub status: Option<String>,
    /// Who is acting as the user, for an impersonation session.
    pub actor: Option<Map<String, Value>>,
    pub last_active_organization_id: Option<String>,
    pub latest_activity: Option<SessionActivity>,
    pub last_active_at: Option<i64>,
    pub expire_at: Option<i64>,
    pub abandon_at: Option<i64>,
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
}

/// Where and on what a session was last used (Clerk's
/// `SessionActivityResponse`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SessionActivity {
    pub device_type: Option<String>,
    pub is_mobile: Option<bool>,
    pub browser_name: Option<String>,
    pub browser_version: Option<String>,
    pub ip_address: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
}

impl Wire for Session {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut session = Object::new(value)?;
        Ok(Session {
            id: session.required("id")?,
            user_id: session.take("user_id"),
            client_id: session.take("client_id"),
            status: session.take("status"),
            actor: session.take("actor"),
            last_active_organization_id: session.take("last_active_organization_id"),
            latest_activity: session.take("latest_activity"),
            last_active_at: session.take("last_active_at"),
            expire_at: session.take("expire_at"),
            abandon_at: session.take("abandon_at"),
            created_at: session.take("created_at"),
            updated_at: session.take("updated_at"),
        })
    }
}

impl Wire for SessionActivity {
    fn read(value: Value) -> Result<Self, Misread> {
        let mut activity = Object::new(value)?;
        Ok(SessionActivity {
            device_type: activity.take("device_type"),
            is_mobile: activity.take("is_mobile"),
            browser_name: activity.take("browser_name"),
            browser_version: activity.take("browser_version"),
            ip_address: activity.take("ip_address"),
            city: activity.take("city"),
            country: activity.take("country"),
        })
    }
}

/// Which sessions `GET /v1/sessions` lists.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionFilter {
    pub user_id: String,
    /// One of the statuses the spec's `status` filter accepts.
    pub status: Option<&'static str>,
}

impl ClerkClient<'_> {
    /// `GET /v1/sessions?user_id=...&paginated=true`: one page of a user's
    /// sessions, newest first, in either form [`ListAnswer`] reads.
    pub async fn list_sessions(
        &self,
        filter: &SessionFilter,
        page: &Page,
    ) -> Result<PaginatedList<Session>, ClerkError> {
        let mut query = Query::new();
        query.push("user_id", &filter.user_id);
        query.push("paginated", "true");
        page.push_to(&mut query);
        query.push_opt("status", filter.status);
        let answer: ListAnswer<Session> = self
            .get(&UrlPath::new().segment("sessions"), &query)
            .await?;
        Ok(answer.paged(page))
    }

    /// `GET /v1/sessions/{session_id}`.
    pub async fn get_session(&self, session_id: &str) -> Result<Session, ClerkError> {
        let path = UrlPath::new().segment("sessions").segment(session_id);
        self.get(&path, &Query::new()).await
    }

    /// `POST /v1/sessions/{session_id}/revoke`, without a body (the spec
    /// gives the operation none): Clerk answers with the revoked session.
    pub async fn revoke_session(&self, session_id: &str) -> Result<Session, ClerkError> {
        let path = UrlPath::new()
            .segment("sessions")
            .segment(session_id)
            .segment("revoke");
        self.post(&path, None).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_decodes_with_nulls_and_unknown_fields() {
        let session: Session = crate::clerk::wire::from_str(
            r#"{"object":"session","id":"sess_1","user_id":"user_1","client_id":"client_1",
                "actor":null,"status":"active","last_active_organization_id":null,
                "latest_activity":null,"last_active_at":1,"expire_at":2,"abandon_at":3,
                "created_at":4,"updated_at":5,"tasks":null,"a_field_from_the_future":true}"#,
        )
        .expect("tolerant decode");
        assert_eq!(session.id, "sess_1");
        assert_eq!(session.status.as_deref(), Some("active"));
        assert_eq!(session.latest_activity, None);
        assert_eq!(session.abandon_at, Some(3));
    }
}
