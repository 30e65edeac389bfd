//! What the session engine needs from the world, as one trait: the browser implements it with
//! fetch / localStorage / crypto / Date / an iframe, the native tests with a fake whose clock,
//! randomness and server replies they control. Nothing here names a browser type.


use wix_auth_protocol::callback::CallbackParams;
use wix_auth_protocol::error::{AuthError, ErrorCode};
use wix_auth_protocol::json_value::JsonValue;

/// HTTP method of a [`Request`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

/// One HTTP request to the auth server. `url` is absolute (base URL + path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    pub url: String,
    /// `(name, value)` pairs; `Authorization` carries the raw token, no `Bearer ` (as Wix does).
    pub headers: Vec<(String, String)>,
    /// JSON text; `Content-Type: application/json` is sent only when this is `Some`.
    pub body: Option<String>,
}

/// One HTTP reply, whatever its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    /// `x-wix-request-id`, when the server sent one.
    pub request_id: Option<String>,
    /// The body as text (may be empty, HTML, or garbage: the engine decides).
    pub body: String,
}

/// Holds a cross-tab lock until dropped (see [`Platform::lock`]). Made by the platform from
/// whatever releases its lock; the default lock is no lock at all.
pub struct LockGuard(Option<Box<dyn FnOnce()>>);

impl LockGuard {
    /// A guard that calls `release` when dropped.
    pub fn new(release: impl FnOnce() + 'static) -> Self {
        Self(Some(Box::new(release)))
    }

    /// A guard that holds nothing (a platform without cross-tab locks).
    pub fn none() -> Self {
        Self(None)
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        if let Some(release) = self.0.take() {
            release();
        }
    }
}

/// The outside world of a session. Single-threaded (wasm), so futures need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait Platform {
    /// Sends a request. `Err` only when no HTTP reply arrived (network, CORS, timeout) with
    /// `ErrorCode::Network` or `ErrorCode::Timeout`; any status, even 500, is `Ok`.
    async fn send(&self, request: Request) -> Result<Response, AuthError>;

    /// JSON text of a value the engine built (`None` only if it cannot be represented).
    fn to_json(&self, value: &JsonValue) -> Option<String>;

    /// Parses JSON text (nested at most [`JsonValue`]'s `MAX_DEPTH` deep); `None` for malformed
    /// or deeper text, never a panic. The engine reads every value from it by shape.
    fn parse_json(&self, text: &str) -> Option<JsonValue>;

    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> u64;

    /// Fills `buf` from a CSPRNG.
    fn random(&self, buf: &mut [u8]) -> Result<(), AuthError>;

    /// Reads a stored string; `None` when absent or storage is unavailable.
    fn load(&self, key: &str) -> Option<String>;

    /// Writes (`Some`) or removes (`None`) a stored string.
    fn store(&self, key: &str, value: Option<&str>) -> Result<(), AuthError>;

    /// Resolves after `ms` milliseconds (retry backoff).
    async fn sleep(&self, ms: u32);

    /// Direct login's hidden iframe: loads `url`, waits for a `message` whose `origin` is exactly
    /// `expected_origin`, whose `source` is that iframe and whose `data.state` is `state`, and
    /// returns its `{code, state, error?, errorDescription?}`. Ignores every other message. Fails
    /// with `ErrorCode::Timeout` after `timeout_ms`; always removes the iframe and the listener.
    async fn web_message(&self, url: &str, expected_origin: &str, state: &str, timeout_ms: u32)
        -> Result<CallbackParams, AuthError>;

    /// `syncWithWixPages`' hidden frame: loads `url` in an invisible iframe so the Wix pages of the
    /// site get their session cookie, resolves once it has loaded (or fails with
    /// `ErrorCode::Timeout`), then removes it. The default is for platforms without frames.
    async fn load_frame(&self, url: &str) -> Result<(), AuthError> {
        let _ = url;
        Err(AuthError::new(ErrorCode::BrowserOnly, "this platform cannot load frames"))
    }

    /// Waits for the exclusive lock `name`, shared by every tab of the origin (Web Locks:
    /// `navigator.locks.request(name, …)` held until the guard drops). The engine holds it around
    /// each token request, so tabs opened together mint ONE visitor and never refresh the same
    /// token twice. `None` when the platform has no lock API: the engine then takes a lease in
    /// storage instead (`session/lease.rs`). A platform whose storage no other tab can see may
    /// return [`LockGuard::none`]: there is nobody to exclude.
    async fn lock(&self, name: &str) -> Option<LockGuard> {
        let _ = name;
        None
    }

    /// Tells the origin's other tabs that the stored tokens changed, so that they re-read them
    /// at once instead of on their next call (BroadcastChannel in a browser). Default: nobody.
    fn announce(&self) {}
}
