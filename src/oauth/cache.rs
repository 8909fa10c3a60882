//! What the isolate remembers between requests: decisions about tokens, the
//! instance's signing keys, and its authorization-server metadata.
//!
//! A Worker isolate serves many requests, some at once: each value is read
//! or written inside one short borrow that never spans an `await`, so that
//! interleaved requests cannot meet a borrowed cell. Every entry carries the
//! Unix second it expires at; an expired entry is never returned.

use std::cell::RefCell;

use super::jwt::RsaKey;
use super::Grant;

/// The most token decisions kept; past it, the one that expires first goes.
pub const MAX_DECISIONS: usize = 256;

/// How long the signing keys are trusted without asking again, in seconds.
pub const KEYS_SECONDS: u64 = 3600;

/// The least time between two fetches of the signing keys, in seconds: a
/// token naming an unknown key refetches them (keys rotate), but a stream of
/// such tokens cannot make the server fetch on every request.
pub const KEYS_REFETCH_SECONDS: u64 = 10;

/// How long the authorization-server metadata is served from memory.
pub const METADATA_SECONDS: u64 = 300;

struct Decision {
    /// The SHA-256 of the token; the token itself is never kept.
    digest: [u8; 32],
    user_id: String,
    /// What the user may use, or `None` when they may not use the server:
    /// a remembered decision gives the same grant as the one it saves.
    grant: Option<Grant>,
    until: u64,
}

struct Keys {
    keys: Vec<RsaKey>,
    fetched_at: u64,
}

/// The isolate's memory: one per isolate in the Worker, one per test.
#[derive(Default)]
pub struct IsolateCache {
    decisions: RefCell<Vec<Decision>>,
    keys: RefCell<Option<Keys>>,
    metadata: RefCell<Option<(Vec<u8>, u64)>>,
}

impl IsolateCache {
    pub fn new() -> Self {
        IsolateCache::default()
    }

    /// The user and grant (`None`: refused) remembered for the token of
    /// `digest`, unless expired at `now`.
    pub fn decision(&self, digest: &[u8; 32], now: u64) -> Option<(String, Option<Grant>)> {
        self.decisions
            .borrow()
            .iter()
            .find(|entry| entry.digest == *digest && entry.until > now)
            .map(|entry| (entry.user_id.clone(), entry.grant))
    }

    /// Remembers a decision until `until` (already bounded by the token's
    /// expiry); nothing when that is not after `now`.
    pub fn remember_decision(
        &self,
        digest: [u8; 32],
        user_id: &str,
        grant: Option<Grant>,
        until: u64,
        now: u64,
    ) {
        if until <= now {
            return;
        }
        let mut decisions = self.decisions.borrow_mut();
        decisions.retain(|entry| entry.until > now && entry.digest != digest);
        if decisions.len() >= MAX_DECISIONS {
            if let Some(first) = (0..decisions.len()).min_by_key(|&i| decisions[i].until) {
                decisions.swap_remove(first);
            }
        }
        decisions.push(Decision {
            digest,
            user_id: user_id.to_owned(),
            grant,
            until,
        });
    }

    /// How many decisions are kept (for tests of the bound).
    pub fn decision_count(&self) -> usize {
        self.decisions.borrow().len()
    }

    /// The signing key `kid`, if the keys are fresh at `now` and hold it.
    pub fn signing_key(&self, kid: &str, now: u64) -> Option<RsaKey> {
        self.keys
            .borrow()
            .as_ref()
            .filter(|keys| now < keys.fetched_at + KEYS_SECONDS)
            .and_then(|keys| keys.keys.iter().find(|key| key.kid == kid).cloned())
    }

    /// Whether the keys may be fetched (again) at `now`.
    pub fn may_refetch_keys(&self, now: u64) -> bool {
        self.keys
            .borrow()
            .as_ref()
            .is_none_or(|keys| now >= keys.fetched_at + KEYS_REFETCH_SECONDS)
    }

    pub fn remember_keys(&self, keys: Vec<RsaKey>, now: u64) {
        *self.keys.borrow_mut() = Some(Keys {
            keys,
            fetched_at: now,
        });
    }

    /// The authorization-server metadata, if fetched less than
    /// `METADATA_SECONDS` before `now`.
    pub fn server_metadata(&self, now: u64) -> Option<Vec<u8>> {
        self.metadata
            .borrow()
            .as_ref()
            .filter(|(_, fetched_at)| now < fetched_at + METADATA_SECONDS)
            .map(|(body, _)| body.clone())
    }

    pub fn remember_server_metadata(&self, body: Vec<u8>, now: u64) {
        *self.metadata.borrow_mut() = Some((body, now));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decision_is_kept_until_its_time_and_no_longer() {
        let cache = IsolateCache::new();
        let full = Some(Grant::Full);
        cache.remember_decision([1; 32], "user_a", full, 160, 100);
        assert_eq!(cache.decision(&[1; 32], 159), Some(("user_a".into(), full)));
        assert_eq!(cache.decision(&[1; 32], 160), None);
        assert_eq!(cache.decision(&[2; 32], 100), None);
        cache.remember_decision([3; 32], "user_b", full, 100, 100);
        assert_eq!(cache.decision(&[3; 32], 99), None);
    }

    #[test]
    fn a_decision_keeps_its_grant_and_a_new_one_replaces_it() {
        let cache = IsolateCache::new();
        cache.remember_decision([1; 32], "user_a", Some(Grant::ReadOnly), 160, 100);
        cache.remember_decision([2; 32], "user_b", None, 160, 100);
        assert_eq!(
            cache.decision(&[1; 32], 120),
            Some(("user_a".into(), Some(Grant::ReadOnly)))
        );
        assert_eq!(cache.decision(&[2; 32], 120), Some(("user_b".into(), None)));
        cache.remember_decision([1; 32], "user_a", Some(Grant::Full), 170, 120);
        assert_eq!(
            cache.decision(&[1; 32], 130),
            Some(("user_a".into(), Some(Grant::Full)))
        );
        assert_eq!(cache.decision_count(), 2);
    }

    #[test]
    fn decisions_are_bounded() {
        let cache = IsolateCache::new();
        for i in 0..(MAX_DECISIONS + 10) {
            let digest = [
                (i % 251) as u8,
                (i / 251) as u8,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
            ];
            cache.remember_decision(digest, "user_a", Some(Grant::Full), 1000 + i as u64, 0);
        }
        assert_eq!(cache.decision_count(), MAX_DECISIONS);
    }

    #[test]
    fn keys_refetch_is_rate_limited() {
        let cache = IsolateCache::new();
        assert!(cache.may_refetch_keys(0));
        cache.remember_keys(Vec::new(), 100);
        assert!(!cache.may_refetch_keys(105));
        assert!(cache.may_refetch_keys(110));
    }
}
