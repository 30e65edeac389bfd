//! The session engine's [`Platform`] in a browser: HTTP through gloo-net, Web Storage through
//! gloo-storage, randomness through getrandom (`crypto.getRandomValues`), values through
//! serde-wasm-bindgen (JSON text through the browser's `JSON`, see `json.rs`); `Date`,
//! `setTimeout`, Web Locks, `BroadcastChannel` and the hidden iframe through web-sys/js-sys, which
//! no named crate wraps. Every browser failure becomes an [`AuthError`]; nothing here panics.
//!
//! Replies and stored values cross as one type, `JsonValue`, through serde-wasm-bindgen, in both
//! directions: the engine reads them by shape and builds what it writes, so the module has one
//! deserializer and one serializer, and the browser's `JSON` is the only JSON parser.

mod fetch;
mod frame;
pub(crate) mod json;
mod lock;
mod storage;
mod tabs;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use wix_auth_protocol::callback::CallbackParams;
use wix_auth_protocol::error::{AuthError, ErrorCode};
use wix_auth_protocol::json_value::JsonValue;
use wix_auth_session::platform::{LockGuard, Platform, Request, Response};

pub use storage::StorageKind;
use storage::Store;

/// How long one HTTP request may take before it is aborted with `ErrorCode::Timeout`.
pub const DEFAULT_REQUEST_TIMEOUT_MS: u32 = 30_000;

#[wasm_bindgen]
extern "C" {
    // Globals, not `window.*`: they exist in workers too, and a missing one throws (caught).
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// The [`Platform`] of a web page.
pub struct BrowserPlatform {
    store: Store,
    request_timeout_ms: u32,
    /// The channel to the origin's other tabs, when the tokens are in storage they share.
    tabs: Option<tabs::Tabs>,
}

impl BrowserPlatform {
    /// A platform storing in `kind`; when that storage is unavailable (Safari private mode,
    /// storage disabled, no `window`), values live in memory for the page's life instead.
    pub fn new(kind: StorageKind) -> Self {
        Self { store: Store::new(kind), request_timeout_ms: DEFAULT_REQUEST_TIMEOUT_MS, tabs: None }
    }

    /// Opens the channel `name` to the origin's other tabs, if the tokens live in storage they
    /// share (localStorage, or a custom object that may be); sessionStorage and memory are this
    /// tab's alone. Not outside a page: a server has no tabs, and in Node an open channel would
    /// keep the process alive.
    pub fn with_channel(mut self, name: &str) -> Self {
        if web_sys::window().is_none() {
            return self;
        }
        match self.store.kind_in_use() {
            "local" => self.tabs = Some(tabs::Tabs::new(name, true)),
            "custom" => self.tabs = Some(tabs::Tabs::new(name, false)),
            _ => {}
        }
        self
    }

    /// Calls `on_news` when another tab changed the stored tokens (see [`Self::with_channel`]).
    pub fn listen(&self, on_news: impl Fn() + 'static) {
        if let Some(tabs) = &self.tabs {
            tabs.listen(on_news);
        }
    }

    /// Sets how long one HTTP request may take (0 keeps the default).
    pub fn with_request_timeout(mut self, ms: u32) -> Self {
        if ms > 0 {
            self.request_timeout_ms = ms;
        }
        self
    }

    /// Which storage is actually in use: `"local"`, `"session"`, `"memory"` or `"custom"`.
    pub fn storage_in_use(&self) -> &'static str {
        self.store.kind_in_use()
    }
}

/// An error raised before any request could be made because there is no browser around.
pub(crate) fn browser_only() -> AuthError {
    AuthError::new(ErrorCode::BrowserOnly, "this call needs a browser window")
}

/// `Ok` in a page; `browser_only` elsewhere (Node, SSR): flows that need a frame check this
/// before their first request, so a server fails at once instead of after a round trip.
pub(crate) fn require_window() -> Result<(), AuthError> {
    web_sys::window().map(drop).ok_or_else(browser_only)
}

/// Resolves after `ms` milliseconds.
pub(crate) async fn sleep_ms(ms: u32) {
    let promise = Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, ms.min(i32::MAX as u32) as i32);
    });
    let _ = JsFuture::from(promise).await;
}

impl Platform for BrowserPlatform {
    async fn send(&self, request: Request) -> Result<Response, AuthError> {
        fetch::send(request, self.request_timeout_ms).await
    }

    fn to_json(&self, value: &JsonValue) -> Option<String> {
        json::to_text(value)
    }

    fn parse_json(&self, text: &str) -> Option<JsonValue> {
        json::from_text(text)
    }

    fn now_ms(&self) -> u64 {
        let now = js_sys::Date::now();
        if now.is_finite() && now > 0.0 {
            now as u64
        } else {
            0
        }
    }

    fn random(&self, buf: &mut [u8]) -> Result<(), AuthError> {
        getrandom::fill(buf).map_err(|_| AuthError::new(ErrorCode::BrowserOnly, "crypto.getRandomValues is unavailable"))
    }

    fn load(&self, key: &str) -> Option<String> {
        self.store.load(key)
    }

    fn store(&self, key: &str, value: Option<&str>) -> Result<(), AuthError> {
        self.store.store(key, value)
    }

    async fn sleep(&self, ms: u32) {
        sleep_ms(ms).await
    }

    async fn web_message(
        &self,
        url: &str,
        expected_origin: &str,
        state: &str,
        timeout_ms: u32,
    ) -> Result<CallbackParams, AuthError> {
        frame::web_message(url, expected_origin, state, timeout_ms).await
    }

    async fn load_frame(&self, url: &str) -> Result<(), AuthError> {
        frame::load_frame(url).await
    }

    async fn lock(&self, name: &str) -> Option<LockGuard> {
        match lock::acquire(name).await {
            Some(guard) => Some(guard),
            // No Web Locks: lease shared storage; storage no other tab sees needs no lock.
            None if self.tabs.is_some() => None,
            None => Some(LockGuard::none()),
        }
    }

    fn announce(&self) {
        if let Some(tabs) = &self.tabs {
            tabs.announce();
        }
    }
}
