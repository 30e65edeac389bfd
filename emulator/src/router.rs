//! The two routers (API host, site host) and the middleware every request passes: request ids,
//! stats, injected faults, the `Host` check, CORS and the security headers.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;
use std::time::Duration;
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};
use wix_auth_protocol::authentication::{LOGIN_PATH, MEMBERS_MY_PATH, RECOVERY_PATH, REGISTER_PATH, SIGN_ON_PATH, VERIFY_PATH};
use wix_auth_protocol::token::{OAuthErrorCode, DEVICE_CODE_PATH};
use wix_auth_protocol::{redirect_session, REQUEST_ID_HEADER, TOKEN_PATH};

use crate::config::Config;
use crate::error::ApiError;
use crate::routes::{authentication, authorize, dev, device, members, oauth2, recovery, redirects, verification};
use crate::state::{App, Side};

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
    ApiError::wix(StatusCode::NOT_FOUND, "NOT_FOUND", "no such endpoint on this host of the Wix auth emulator")
}

async fn method_not_allowed() -> ApiError {
    ApiError::wix(StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", "method not allowed on this endpoint")
}

/// Refuses a request whose `Host` is not one this listener answers to: a DNS-rebinding page
/// (its own name resolving to 127.0.0.1) would otherwise read the outbox and drive the dev
/// endpoints with the browser's same-origin blessing.
async fn check_host(State((app, side)): State<(Arc<App>, Side)>, req: Request, next: Next) -> Response {
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).map(str::to_ascii_lowercase);
    if host.is_some_and(|h| app.answers_host(side, &h)) {
        return next.run(req).await;
    }
    ApiError::wix(StatusCode::MISDIRECTED_REQUEST, "HOST_NOT_ALLOWED", "this Host is not one the emulator serves").into_response()
}

/// Every response: no MIME sniffing, and no framing unless a page says otherwise
/// (`html::framable_by`). A redirect has nothing to show, and a hidden frame may follow one
/// (`prompt=none` in a frame), so it carries no framing rule.
async fn security_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let redirect = resp.status().is_redirection();
    let h = resp.headers_mut();
    h.insert(HeaderName::from_static("x-content-type-options"), HeaderValue::from_static("nosniff"));
    if !redirect && !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("frame-ancestors 'none'"));
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    resp
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

/// The API host's routes: token, device code, redirect sessions, IAM, members, dev endpoints.
pub fn api_router(app: Arc<App>) -> Router {
    let routes = Router::new()
        .route(TOKEN_PATH, post(oauth2::token))
        .route(DEVICE_CODE_PATH, get(device::device_code_query).post(device::device_code))
        .route(redirect_session::PATH, post(redirects::create))
        .route(redirect_session::PUBLIC_PATH, post(redirects::create))
        .route(LOGIN_PATH, post(authentication::login_route))
        .route(REGISTER_PATH, post(authentication::register_route))
        .route(SIGN_ON_PATH, post(authentication::sign_on_route))
        .route(VERIFY_PATH, post(verification::verify_route))
        .route(RECOVERY_PATH, post(recovery::send_email))
        .route(MEMBERS_MY_PATH, get(members::my))
        .route("/_emulator/outbox", get(dev::outbox))
        .route("/_emulator/stats", get(dev::stats))
        .route("/_emulator/reset", post(dev::reset))
        .route("/_emulator/members/{id}/approve", post(dev::approve))
        .route("/_emulator/health", get(dev::health))
        .route("/_emulator/faults", post(dev::faults))
        .route("/_emulator/tokens/revoke", post(dev::revoke_token));
    with_middleware(routes, app, Side::Api)
}

/// The site host's routes: the hosted pages a redirect session's `fullUrl` opens, the reset
/// page of the emailed link and the device approval page.
pub fn site_router(app: Arc<App>) -> Router {
    let routes = Router::new()
        .route(authorize::AUTHORIZE_PATH, get(authorize::authorize).post(authorize::authorize_submit))
        .route(authorize::LOGOUT_PATH, get(authorize::logout))
        .route(authorize::PREWARM_PATH, get(authorize::prewarm))
        .route(recovery::RESET_PATH, get(recovery::reset_page).post(recovery::reset_submit))
        .route(device::VERIFICATION_PATH, get(device::approval_page).post(device::approval_submit))
        .route("/_emulator/health", get(dev::health));
    with_middleware(routes, app, Side::Site)
}

fn with_middleware(routes: Router<Arc<App>>, app: Arc<App>, side: Side) -> Router {
    routes
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(app.clone(), observe))
        .layer(cors(&app.config))
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn_with_state((app.clone(), side), check_host))
        .layer(middleware::from_fn_with_state(app.clone(), request_id))
        .with_state(app)
}
