//! What every handler can reach: the configuration, the database, request stats and injected
//! faults. Its own module, so that the routes and the router both depend on it and not on each
//! other.

use axum::http::{HeaderValue, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use wix_auth_protocol::authentication::{LOGIN_PATH, MEMBERS_MY_PATH, RECOVERY_PATH, REGISTER_PATH, SIGN_ON_PATH, VERIFY_PATH};
use wix_auth_protocol::token::{DEVICE_CODE_PATH, GRANT_ANONYMOUS, GRANT_AUTHORIZATION_CODE, GRANT_AUTHORIZED_CLIENT, GRANT_DEVICE_CODE, GRANT_REFRESH_TOKEN};
use wix_auth_protocol::{redirect_session, TOKEN_PATH};

use crate::config::Config;
use crate::passwords::Passwords;
use crate::store::Db;

/// Everything a handler can reach.
pub struct App {
    pub config: Config,
    pub db: Db,
    pub stats: Stats,
    pub faults: Faults,
    pub passwords: Passwords,
    /// Where the API host is reached; `api_hosts` are the `Host` values it answers to.
    pub api_base: String,
    /// Where the site host (the hosted pages) is reached: every link to a page is built from
    /// this, never from a request's `Host`.
    pub site_base: String,
    api_hosts: Vec<String>,
    site_hosts: Vec<String>,
    request_prefix: String,
    request_counter: AtomicU64,
}

impl App {
    /// The state of an emulator whose API and site hosts listen on `api_port` and `site_port`
    /// and are reached at `api_base` and `site_base`.
    pub fn new(config: Config, db: Db, api: (u16, String), site: (u16, String)) -> App {
        App {
            api_hosts: host_allow_list(api.0, config.public_url.as_deref()),
            site_hosts: host_allow_list(site.0, config.site_url.as_deref()),
            config,
            db,
            stats: Stats::default(),
            faults: Faults::default(),
            passwords: Passwords::new(),
            api_base: api.1,
            site_base: site.1,
            request_prefix: crate::util::uuid()[..8].to_owned(),
            request_counter: AtomicU64::new(1),
        }
    }

    /// Whether the listener of `side` answers to this (lower-cased) `Host`.
    pub fn answers_host(&self, side: Side, host: &str) -> bool {
        let allowed = if side == Side::Api { &self.api_hosts } else { &self.site_hosts };
        allowed.iter().any(|h| h == host)
    }

    /// `<prefix>-<n>`, built without `format!` (it runs for every request).
    pub fn next_request_id(&self) -> Option<HeaderValue> {
        let n = self.request_counter.fetch_add(1, Ordering::Relaxed);
        let mut id = String::with_capacity(self.request_prefix.len() + 21);
        id.push_str(&self.request_prefix);
        id.push('-');
        wix_auth_protocol::push_decimal(&mut id, n);
        HeaderValue::try_from(id).ok()
    }
}

/// Request counters for `/_emulator/stats`.
#[derive(Default)]
pub struct Stats(Mutex<StatsData>);

#[derive(Default)]
struct StatsData {
    requests: BTreeMap<String, u64>,
    grants: BTreeMap<String, u64>,
    refresh_token_reuse: u64,
}

impl Stats {
    fn with<T>(&self, f: impl FnOnce(&mut StatsData) -> T) -> T {
        f(&mut self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Only the first request to a route allocates its key.
    pub fn count_request(&self, endpoint: &str) {
        self.with(|s| bump(&mut s.requests, endpoint));
    }

    /// Counts a token request by grant type (unknown ones together, so junk cannot grow the map).
    pub fn count_grant(&self, grant_type: &str) {
        let known = [GRANT_ANONYMOUS, GRANT_REFRESH_TOKEN, GRANT_AUTHORIZATION_CODE, GRANT_AUTHORIZED_CLIENT, GRANT_DEVICE_CODE];
        let key = if known.contains(&grant_type) { grant_type } else { "other" };
        self.with(|s| bump(&mut s.grants, key));
    }

    /// Counts a rotated-out refresh token coming back.
    pub fn count_reuse(&self) {
        self.with(|s| s.refresh_token_reuse += 1);
    }

    /// The JSON of `/_emulator/stats`.
    pub fn snapshot(&self) -> Value {
        self.with(|s| {
            json!({
                "requests": s.requests,
                "grants": s.grants,
                "refreshTokenReuseDetections": s.refresh_token_reuse,
            })
        })
    }

    /// Back to zero.
    pub fn clear(&self) {
        self.with(|s| *s = StatsData::default());
    }
}

fn bump(counts: &mut BTreeMap<String, u64>, key: &str) {
    match counts.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            counts.insert(key.to_owned(), 1);
        }
    }
}

/// An injected failure for the next `remaining` requests to `endpoint`.
pub struct Fault {
    pub endpoint: String,
    pub remaining: u32,
    pub status: Option<StatusCode>,
    pub delay_ms: Option<u64>,
}

/// Pending injected failures, consumed in order. `armed` lets requests skip the lock while
/// there are none (the usual case, and the one load tests measure).
#[derive(Default)]
pub struct Faults {
    pending: Mutex<Vec<Fault>>,
    armed: AtomicBool,
}

/// Most faults pending at once: the list is scanned on every request while any is armed.
pub const MAX_FAULTS: usize = 64;

/// Short names `POST /_emulator/faults` accepts besides the paths themselves.
const ENDPOINT_NAMES: [(&str, &str); 10] = [
    ("token", TOKEN_PATH),
    ("device-code", DEVICE_CODE_PATH),
    ("redirect-session", redirect_session::PATH),
    ("redirect-session", redirect_session::PUBLIC_PATH),
    ("login", LOGIN_PATH),
    ("register", REGISTER_PATH),
    ("sign-on", SIGN_ON_PATH),
    ("verify", VERIFY_PATH),
    ("recovery", RECOVERY_PATH),
    ("members-my", MEMBERS_MY_PATH),
];

impl Faults {
    /// Adds a fault; `false` (and nothing added) when `MAX_FAULTS` are pending already.
    pub fn add(&self, fault: Fault) -> bool {
        let mut pending = self.lock();
        if pending.len() >= MAX_FAULTS {
            return false;
        }
        pending.push(fault);
        self.armed.store(true, Ordering::Relaxed);
        true
    }

    /// Removes all faults.
    pub fn clear(&self) {
        let mut pending = self.lock();
        pending.clear();
        self.armed.store(false, Ordering::Relaxed);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Fault>> {
        self.pending.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes one use of the first fault matching `path`: `(status, delay)`.
    pub fn take(&self, path: &str) -> Option<(Option<StatusCode>, Option<u64>)> {
        if !self.armed.load(Ordering::Relaxed) {
            return None;
        }
        let mut faults = self.lock();
        let matches = |f: &Fault| f.endpoint == path || ENDPOINT_NAMES.iter().any(|(n, p)| *p == path && *n == f.endpoint);
        let i = faults.iter().position(matches)?;
        let fault = &mut faults[i];
        fault.remaining -= 1;
        let effect = (fault.status, fault.delay_ms);
        if fault.remaining == 0 {
            faults.remove(i);
            self.armed.store(!faults.is_empty(), Ordering::Relaxed);
        }
        Some(effect)
    }
}

/// Which of the two listeners a request came in on.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Api,
    Site,
}

/// The `Host` values a listener on `port` answers to: the loopback names, and the configured
/// public URL's authority.
fn host_allow_list(port: u16, public: Option<&str>) -> Vec<String> {
    let mut hosts: Vec<String> = ["localhost", "127.0.0.1", "[::1]"].iter().map(|h| format!("{h}:{port}")).collect();
    if let Some(authority) = public.and_then(|u| u.split_once("://")).map(|(_, a)| a.to_owned()) {
        hosts.push(authority);
    }
    hosts
}
