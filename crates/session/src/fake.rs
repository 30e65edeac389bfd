//! The engine's test double: a `Platform` whose clock the test moves, with deterministic
//! randomness, in-memory storage shared by "tabs", a cross-tab lock, a scripted server that
//! records every request, and a scripted direct-login iframe. Every `send` and `sleep` yields
//! once, so concurrent calls really interleave. The engine's own tests use it; other crates
//! (a platform of their own, an app's Rust code) get it with the `fake` feature.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};


use super::platform::{LockGuard, Request, Response};
use super::{JsonValue, Platform};
use wix_auth_protocol::callback::CallbackParams;
use wix_auth_protocol::error::{AuthError, ErrorCode};

/// Decides the reply to one request.
pub type Server = Box<dyn FnMut(&Request) -> Result<Response, AuthError>>;
/// Decides the direct-login iframe's answer: `(url, expected_origin, state, timeout_ms)`.
pub type Frame = Box<dyn FnMut(&str, &str, &str, u32) -> Result<CallbackParams, AuthError>>;

/// How many polls a request stays in flight.
pub type Latency = Box<dyn Fn(&Request) -> u32>;

/// Pending once, then ready.
pub struct YieldNow(pub bool);
impl Future for YieldNow {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// A lock shared by the fakes of one "browser" (Web Locks stand-in).
#[derive(Default)]
pub struct FakeLock {
    held: Cell<bool>,
    waiters: RefCell<Vec<Waker>>,
    /// How many times it was taken.
    pub taken: Cell<u32>,
}

/// Waits for a [`FakeLock`].
struct Acquire(Rc<FakeLock>);
impl Future for Acquire {
    type Output = LockGuard;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<LockGuard> {
        let lock = &self.0;
        if lock.held.get() {
            lock.waiters.borrow_mut().push(cx.waker().clone());
            return Poll::Pending;
        }
        lock.held.set(true);
        lock.taken.set(lock.taken.get() + 1);
        let release = lock.clone();
        Poll::Ready(LockGuard::new(move || {
            release.held.set(false);
            for w in release.waiters.borrow_mut().drain(..) {
                w.wake();
            }
        }))
    }
}

/// Test double of the browser.
pub struct Fake {
    /// The clock, in Unix milliseconds; `sleep` moves it too.
    pub now_ms: Cell<u64>,
    rng: Cell<u64>,
    /// Shared so a second `Fake` (a reloaded page, another tab) sees the same storage.
    pub storage: Rc<RefCell<BTreeMap<String, String>>>,
    /// Shared by the tabs of one browser.
    pub lock: Rc<FakeLock>,
    /// Every write to storage fails (a full quota, a private mode).
    pub storage_fails: Cell<bool>,
    /// A browser without Web Locks: `lock` answers `None` and the engine leases storage.
    pub no_locks: Cell<bool>,
    /// How many times the engine announced a change of the stored tokens to other tabs.
    pub announced: Cell<u32>,
    /// Every request sent, in order.
    pub requests: RefCell<Vec<Request>>,
    server: RefCell<Server>,
    /// How many times a request yields before its reply: lets a test make one request slow.
    latency: RefCell<Latency>,
    frame: RefCell<Frame>,
    /// Every direct-login frame opened: `(url, expected_origin, state, timeout_ms)`.
    pub frame_calls: RefCell<Vec<(String, String, String, u32)>>,
    /// Every URL loaded in a pre-warm frame.
    pub loaded_frames: RefCell<Vec<String>>,
    /// Every sleep, in milliseconds.
    pub sleeps: RefCell<Vec<u32>>,
}

impl Default for Fake {
    fn default() -> Self {
        Self::new()
    }
}

/// The fake's start time: a round instant well after 1970.
pub const T0_MS: u64 = 1_700_000_000_000;

impl Fake {
    /// A fake at `T0_MS` whose server answers every request with a 500 until told otherwise.
    pub fn new() -> Self {
        Self::with_storage(Rc::new(RefCell::new(BTreeMap::new())))
    }

    /// A fake that shares `storage` with another.
    pub fn with_storage(storage: Rc<RefCell<BTreeMap<String, String>>>) -> Self {
        Self {
            now_ms: Cell::new(T0_MS),
            rng: Cell::new(0),
            storage,
            lock: Rc::new(FakeLock::default()),
            storage_fails: Cell::new(false),
            no_locks: Cell::new(false),
            announced: Cell::new(0),
            requests: RefCell::new(Vec::new()),
            server: RefCell::new(Box::new(|_| Ok(reply(500, "")))),
            latency: RefCell::new(Box::new(|_| 1)),
            frame: RefCell::new(Box::new(|_, _, _, _| Err(AuthError::new(ErrorCode::Timeout, "no answer")))),
            frame_calls: RefCell::new(Vec::new()),
            loaded_frames: RefCell::new(Vec::new()),
            sleeps: RefCell::new(Vec::new()),
        }
    }

    /// Another tab of the same browser: same storage, same lock, its own server and clock.
    pub fn another_tab(&self) -> Self {
        let mut tab = Self::with_storage(self.storage.clone());
        tab.lock = self.lock.clone();
        tab.now_ms.set(self.now_ms.get());
        // Tabs draw different random numbers (lease claims, PKCE), as browsers' crypto does.
        tab.rng.set(0x5EED_0000 + Rc::strong_count(&self.storage) as u64);
        tab
    }

    /// Replaces the server.
    pub fn serve(&self, server: impl FnMut(&Request) -> Result<Response, AuthError> + 'static) {
        *self.server.borrow_mut() = Box::new(server);
    }

    /// Sets how many polls each request stays in flight.
    pub fn latency(&self, latency: impl Fn(&Request) -> u32 + 'static) {
        *self.latency.borrow_mut() = Box::new(latency);
    }

    /// Replaces the direct-login iframe.
    pub fn frame(&self, frame: impl FnMut(&str, &str, &str, u32) -> Result<CallbackParams, AuthError> + 'static) {
        *self.frame.borrow_mut() = Box::new(frame);
    }

    /// Moves the clock.
    pub fn advance_secs(&self, secs: u64) {
        self.now_ms.set(self.now_ms.get() + secs * 1000);
    }

    /// Paths of the requests sent so far.
    pub fn paths(&self) -> Vec<String> {
        self.requests.borrow().iter().map(|r| r.url.trim_start_matches(BASE).to_string()).collect()
    }

    /// Bodies of the requests sent so far.
    pub fn bodies(&self) -> Vec<String> {
        self.requests.borrow().iter().map(|r| r.body.clone().unwrap_or_default()).collect()
    }

    /// A stored value.
    pub fn stored(&self, key: &str) -> Option<String> {
        self.storage.borrow().get(key).cloned()
    }
}

/// Fills `buf` from SplitMix64 seeded by `seed`: deterministic, and unlike a counter it does not
/// repeat after 256 bytes.
pub fn splitmix(seed: &Cell<u64>, buf: &mut [u8]) {
    for b in buf.iter_mut() {
        let mut z = seed.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
        seed.set(z);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        *b = (z ^ (z >> 31)) as u8;
    }
}

/// The base URL the tests configure.
pub const BASE: &str = "https://api.test";

/// A reply with `status` and `body`, and a request id.
pub fn reply(status: u16, body: &str) -> Response {
    Response { status, request_id: Some("req-1".into()), body: body.into() }
}

impl Platform for Fake {
    async fn send(&self, request: Request) -> Result<Response, AuthError> {
        self.requests.borrow_mut().push(request.clone());
        let polls = (self.latency.borrow())(&request);
        for _ in 0..polls {
            YieldNow(false).await;
        }
        let result = (self.server.borrow_mut())(&request);
        result
    }

    fn to_json(&self, value: &JsonValue) -> Option<String> {
        serde_json::to_string(value).ok()
    }

    fn parse_json(&self, text: &str) -> Option<JsonValue> {
        serde_json::from_str(text).ok()
    }

    fn now_ms(&self) -> u64 {
        self.now_ms.get()
    }

    fn random(&self, buf: &mut [u8]) -> Result<(), AuthError> {
        splitmix(&self.rng, buf);
        Ok(())
    }

    fn load(&self, key: &str) -> Option<String> {
        self.storage.borrow().get(key).cloned()
    }

    fn store(&self, key: &str, value: Option<&str>) -> Result<(), AuthError> {
        if self.storage_fails.get() {
            return Err(AuthError::new(ErrorCode::Storage, "quota"));
        }
        match value {
            Some(v) => self.storage.borrow_mut().insert(key.into(), v.into()),
            None => self.storage.borrow_mut().remove(key),
        };
        Ok(())
    }

    async fn sleep(&self, ms: u32) {
        self.sleeps.borrow_mut().push(ms);
        self.now_ms.set(self.now_ms.get() + u64::from(ms));
        YieldNow(false).await;
    }

    async fn web_message(&self, url: &str, expected_origin: &str, state: &str, timeout_ms: u32) -> Result<CallbackParams, AuthError> {
        self.frame_calls.borrow_mut().push((url.into(), expected_origin.into(), state.into(), timeout_ms));
        YieldNow(false).await;
        let result = (self.frame.borrow_mut())(url, expected_origin, state, timeout_ms);
        result
    }

    async fn load_frame(&self, url: &str) -> Result<(), AuthError> {
        self.loaded_frames.borrow_mut().push(url.into());
        Ok(())
    }

    async fn lock(&self, _name: &str) -> Option<LockGuard> {
        if self.no_locks.get() {
            return None;
        }
        Some(Acquire(self.lock.clone()).await)
    }

    fn announce(&self) {
        self.announced.set(self.announced.get() + 1);
    }
}
