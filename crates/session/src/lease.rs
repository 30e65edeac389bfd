//! The cross-tab lock where the platform has none (browsers without Web Locks): a lease written to
//! the storage the tabs share. Storage has no compare-and-swap, so a tab claims the lease, waits
//! a moment for any rival claim to land, and holds it only if its own claim is still the one
//! stored; the last writer wins and every other claimant backs off and tries again. A lease
//! expires on its own, so a tab closed while holding one delays the others, never blocks them.
//!
//! The lease is a second line of defence, not the only one: a request made without the lock
//! is still committed only if the tokens did not change meanwhile (see `tokens.rs`).

use super::flows::decimal;
use wix_auth_protocol::pkce::base64url;
use super::platform::LockGuard;
use super::{Platform, Session};

/// How long a claim stays valid: longer than a token request normally takes.
const LEASE_MS: u64 = 10_000;
/// How long a claimant waits for rival claims before reading the lease back. Chromium hands a
/// tab's localStorage writes to the other tabs' processes asynchronously, and a tab busy with long
/// tasks (a page loading) applies them late: a rival may claim on a stale view up to one delay
/// after our claim, and its claim reaches us one delay later, so the wait must exceed two delays.
/// 40 ms was seen to be too short on a loaded machine; 100 ms made two visitors in about one
/// round in ten of the e2e test whose tabs run 60-100 ms long tasks; 250 ms made none in 55.
/// Only browsers without Web Locks wait it, once per token request.
const SETTLE_MS: u32 = 250;
/// Pause between tries while another tab holds the lease (plus up to as much again at random,
/// so that tabs waiting together do not claim in lock-step).
const RETRY_MS: u32 = 50;
/// After this long without the lease, go ahead without it (the commit check still guards).
const GIVE_UP_MS: u64 = 15_000;

/// What the engine holds around a token request.
pub(crate) enum Held<'a, P: Platform> {
    /// The platform's own lock (Web Locks), or nothing when nobody else shares the storage.
    Lock { _guard: LockGuard },
    /// A storage lease: removed on drop, if it is still ours.
    Lease { session: &'a Session<P>, key: String, claim: String },
    /// No lock could be had in time.
    Nothing,
}

impl<P: Platform> Drop for Held<'_, P> {
    fn drop(&mut self) {
        if let Held::Lease { session, key, claim } = self {
            if session.platform.load(key).as_deref() == Some(claim.as_str()) {
                drop(session.platform.store(key, None));
            }
        }
    }
}

impl<P: Platform> Session<P> {
    /// The platform's lock `name`, or else a lease on the storage key `name`.
    pub(crate) async fn cross_tab_lock(&self, name: &str) -> Held<'_, P> {
        match self.platform.lock(name).await {
            Some(guard) => Held::Lock { _guard: guard },
            None => self.lease(name).await,
        }
    }

    /// Waits for the storage lease `key` (see the module docs).
    async fn lease(&self, key: &str) -> Held<'_, P> {
        let claim = {
            let mut id = [0u8; 8];
            if self.platform.random(&mut id).is_err() {
                return Held::Nothing;
            }
            base64url(&id)
        };
        let start = self.platform.now_ms();
        loop {
            let now = self.platform.now_ms();
            if now.saturating_sub(start) > GIVE_UP_MS {
                return Held::Nothing;
            }
            if !held_by_other(self.platform.load(key).as_deref(), &claim, now) {
                let value = [claim.as_str(), " ", &decimal(now.saturating_add(LEASE_MS))].concat();
                if self.platform.store(key, Some(&value)).is_err() {
                    return Held::Nothing;
                }
                self.platform.sleep(SETTLE_MS).await;
                if self.platform.load(key).as_deref() == Some(value.as_str()) {
                    return Held::Lease { session: self, key: key.into(), claim: value };
                }
            }
            let mut jitter = [0u8; 1];
            drop(self.platform.random(&mut jitter));
            self.platform.sleep(RETRY_MS + u32::from(jitter[0]) * RETRY_MS / 255).await;
        }
    }
}

/// Whether `stored` is a live lease of another claimant; anything unreadable counts as free.
fn held_by_other(stored: Option<&str>, claim: &str, now_ms: u64) -> bool {
    let Some((owner, until)) = stored.and_then(|s| s.split_once(' ')) else { return false };
    owner != claim && until.parse::<u64>().is_ok_and(|until| until > now_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lease_is_free_when_absent_expired_ours_or_unreadable() {
        assert!(!held_by_other(None, "me", 5));
        assert!(!held_by_other(Some("other 5"), "me", 5), "expired at 5");
        assert!(!held_by_other(Some("me 99"), "me", 5));
        assert!(!held_by_other(Some("garbage"), "me", 5));
        assert!(!held_by_other(Some("other soon"), "me", 5));
        assert!(held_by_other(Some("other 6"), "me", 5));
    }
}
