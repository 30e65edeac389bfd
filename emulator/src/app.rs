//! Shared state, the router, and the cross-cutting middleware: request ids, stats, injected
//! faults, CORS. `run` binds, announces the address on stdout, and serves until a signal.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};
use wix_auth_protocol::authentication::{LOGIN_PATH, MEMBERS_MY_PATH, RECOVERY_PATH, REGISTER_PATH, SIGN_ON_PATH, VERIFY_PATH};
use wix_auth_protocol::token::{OAuthErrorCode, GRANT_ANONYMOUS, GRANT_AUTHORIZATION_CODE, GRANT_AUTHORIZED_CLIENT, GRANT_DEVICE_CODE, GRANT_REFRESH_TOKEN};
use wix_auth_protocol::{redirect_session, REQUEST_ID_HEADER, TOKEN_PATH};

use crate::config::Config;
use crate::error::ApiError;
use crate::passwords::Passwords;
use crate::routes::{authentication, authorize, dev, device, members, oauth2, recovery, redirects, verification};
use crate::store::{self, Db};

/// Everything a handler can reach.
pub struct App {
    pub config: Config,
    pub db: Db,
    pub stats: Stats,
    pub faults: Faults,
    pub passwords: Passwords,
    /// `http://host:port` as bound; used when a request has no usable `Host`.
    pub bound: String,
    request_prefix: String,
    request_counter: AtomicU64,
}

impl App {
    /// The base URL the caller reached us by (so hosted-page links and their cookies stay on
    /// the same host name the client uses: `localhost` and `127.0.0.1` are different sites).
    pub fn base_url(&self, headers: &HeaderMap) -> String {
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).filter(|h| {
            !h.is_empty() && h.len() < 256 && h.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        });
        host.map_or_else(|| self.bound.clone(), |h| format!("http://{h}"))
    }

    /// `<prefix>-<n>`, built without `format!` (it runs for every request).
    fn next_request_id(&self) -> Option<HeaderValue> {
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
    fn count_request(&self, endpoint: &str) {
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

/// Short names `POST /_emulator/faults` accepts besides the paths themselves.
const ENDPOINT_NAMES: [(&str, &str); 10] = [
    ("token", TOKEN_PATH),
    ("device-code", "/oauth2/device/code"),
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
    /// Adds a fault.
    pub fn add(&self, fault: Fault) {
        let mut pending = self.lock();
        pending.push(fault);
        self.armed.store(true, Ordering::Relaxed);
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
    fn take(&self, path: &str) -> Option<(Option<StatusCode>, Option<u64>)> {
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

/// Counts the request, applies injected faults, and runs it.
async fn observe(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    // A clone of the matched path is a reference count, not a copy of the text.
    let matched = req.extensions().get::<MatchedPath>().cloned();
    let path = matched.as_ref().map_or("unmatched", MatchedPath::as_str);
    if req.method() != Method::OPTIONS {
        app.stats.count_request(path);
        if !path.starts_with("/_emulator") {
            if let Some((status, delay)) = app.faults.take(path) {
                if let Some(ms) = delay {
                    tokio::time::sleep(Duration::from_millis(ms)).await;
                }
                if let Some(status) = status {
                    let code = if status == StatusCode::SERVICE_UNAVAILABLE { OAuthErrorCode::TemporarilyUnavailable } else { OAuthErrorCode::ServerError };
                    return ApiError::Both { status, code, description: "injected fault (/_emulator/faults)".into() }.into_response();
                }
            }
        }
    }
    next.run(req).await
}

/// Gives every response, CORS preflights and 404s included, an `x-wix-request-id`.
async fn request_id(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let id = app.next_request_id();
    let mut resp = next.run(req).await;
    if let Some(v) = id {
        resp.headers_mut().insert(HeaderName::from_static(REQUEST_ID_HEADER), v);
    }
    resp
}

async fn not_found() -> ApiError {
    ApiError::wix(StatusCode::NOT_FOUND, "NOT_FOUND", "no such endpoint in the Wix auth emulator")
}

async fn method_not_allowed() -> ApiError {
    ApiError::wix(StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", "method not allowed on this endpoint")
}

fn cors(config: &Config) -> CorsLayer {
    let origins: Vec<HeaderValue> = config.allowed_origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        // The SDK sends authorization, content-type, x-wix-bi-gateway, and callers may add
        // their own (client-binding, x-wix-consistent): mirror whatever is asked for.
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers([HeaderName::from_static(REQUEST_ID_HEADER), HeaderName::from_static("x-wix-consistent")])
        .allow_credentials(true)
        .max_age(Duration::from_secs(600))
}

/// All routes, with state and middleware.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route(TOKEN_PATH, post(oauth2::token))
        .route("/oauth2/device/code", post(device::device_code))
        .route(device::VERIFICATION_PATH, get(device::approval_page).post(device::approval_submit))
        .route(redirect_session::PATH, post(redirects::create))
        .route(redirect_session::PUBLIC_PATH, post(redirects::create))
        .route(authorize::AUTHORIZE_PATH, get(authorize::authorize).post(authorize::authorize_submit))
        .route(authorize::LOGOUT_PATH, get(authorize::logout))
        .route(authorize::PREWARM_PATH, get(authorize::prewarm))
        .route(LOGIN_PATH, post(authentication::login_route))
        .route(REGISTER_PATH, post(authentication::register_route))
        .route(SIGN_ON_PATH, post(authentication::sign_on_route))
        .route(VERIFY_PATH, post(verification::verify_route))
        .route(RECOVERY_PATH, post(recovery::send_email))
        .route(recovery::RESET_PATH, get(recovery::reset_page).post(recovery::reset_submit))
        .route(MEMBERS_MY_PATH, get(members::my))
        .route("/_emulator/outbox", get(dev::outbox))
        .route("/_emulator/stats", get(dev::stats))
        .route("/_emulator/reset", post(dev::reset))
        .route("/_emulator/members/{id}/approve", post(dev::approve))
        .route("/_emulator/health", get(dev::health))
        .route("/_emulator/faults", post(dev::faults))
        .route("/_emulator/tokens/revoke", post(dev::revoke_token))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(app.clone(), observe))
        .layer(cors(&app.config))
        .layer(middleware::from_fn_with_state(app.clone(), request_id))
        .with_state(app)
}

/// Opens the database, binds, prints the address line, and serves until SIGINT/SIGTERM.
pub async fn run(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let conn = store::open(&config.db)?;
    let listener = tokio::net::TcpListener::bind((config.host.as_str(), config.port)).await?;
    let port = listener.local_addr()?.port();
    let host = if config.host.contains(':') { format!("[{}]", config.host) } else { config.host.clone() };
    let bound = format!("http://{host}:{port}");
    let mut out = std::io::stdout().lock();
    // Test harnesses parse this first line; keep its format.
    writeln!(out, "wix-auth-emulator listening on {bound}")?;
    writeln!(out, "client id: {}", config.client_ids.first().map_or("", String::as_str))?;
    out.flush()?;
    drop(out);
    let app = Arc::new(App {
        config,
        db: Db::new(conn),
        stats: Stats::default(),
        faults: Faults::default(),
        passwords: Passwords::new(),
        bound,
        request_prefix: crate::util::uuid()[..8].to_owned(),
        request_counter: AtomicU64::new(1),
    });
    axum::serve(listener, router(app)).with_graceful_shutdown(shutdown_signal()).await?;
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
