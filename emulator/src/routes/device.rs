//! The device authorization grant (RFC 8628): `POST /oauth2/device/code` starts it, a person
//! approves the user code at `GET/POST /oauth2/device`, and the device polls `/oauth2/token`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::json;
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::sync::Arc;
use wix_auth_protocol::form;
use crate::wire::token::{DeviceAuthorizationRequest, DeviceAuthorizationResponse, TokenRequest};
use wix_auth_protocol::token::{OAuthErrorCode, TokenResponse};

use super::authentication::{sign_in_with_password, Outcome};
use super::oauth2::{mint_for_member, Fresh};
use crate::state::App;
use crate::error::ApiError;
use crate::extract::{Params, RawBody};
use crate::html;
use crate::store::{self, DeviceRow};
use crate::util;

/// Where the person approves the device.
pub const VERIFICATION_PATH: &str = "/oauth2/device";
const DEVICE_CODE_TTL_S: u64 = 600;
const PENDING: &str = "pending";
const APPROVED: &str = "approved";
const DENIED: &str = "denied";
const USED: &str = "used";

/// Starts a device authorization: `(device_code, user_code, verification_uri)`.
async fn start(app: &App, client_id: Option<String>) -> Result<(String, String, String), ApiError> {
    let client_id = client_id.filter(|c| !c.is_empty()).ok_or_else(|| ApiError::invalid_request("clientId is required"))?;
    if !app.config.knows_client(&client_id) {
        return Err(ApiError::unknown_client());
    }
    let device_code = util::secret("DC.");
    let row = DeviceRow {
        hash: util::hash(&device_code),
        user_code: util::user_code(),
        client_id,
        status: PENDING.into(),
        member_id: None,
        expires_ms: util::now_ms() + DEVICE_CODE_TTL_S as i64 * 1000,
        last_poll_ms: 0,
    };
    let user_code = row.user_code.clone();
    app.db.call(move |c| Ok(store::insert_device(c, &row)?)).await?;
    // The approval page is a hosted page: on the site host, from configuration.
    Ok((device_code, user_code, format!("{}{VERIFICATION_PATH}", app.site_base)))
}

/// `GET /oauth2/device/code?clientId=…`, as the live service speaks it (the public `wix/skills`
/// device-flow reference): camelCase `{deviceCode, userCode, verificationUri, expiresIn}`, no
/// `interval` (its clients poll every 3 s).
pub async fn device_code_query(State(app): State<Arc<App>>, q: Params) -> Result<Json<serde_json::Value>, ApiError> {
    let (device_code, user_code, verification_uri) = start(&app, q.opt("clientId").or_else(|| q.opt("client_id"))).await?;
    Ok(Json(json!({
        "deviceCode": device_code,
        "userCode": user_code,
        "verificationUri": verification_uri,
        "expiresIn": DEVICE_CODE_TTL_S,
    })))
}

/// `POST /oauth2/device/code`: RFC 8628 §3.2 (snake_case, with `interval`).
pub async fn device_code(State(app): State<Arc<App>>, body: RawBody) -> Result<Json<DeviceAuthorizationResponse>, ApiError> {
    let req: DeviceAuthorizationRequest = body.parse().map_err(|e| e.oauth())?;
    let (device_code, user_code, verification_uri) = start(&app, req.client_id).await?;
    Ok(Json(DeviceAuthorizationResponse {
        verification_uri_complete: format!("{verification_uri}?{}", form::serialize([("user_code", user_code.as_str())])),
        device_code,
        user_code,
        verification_uri,
        expires_in: DEVICE_CODE_TTL_S,
        interval: app.config.device_poll_interval,
    }))
}

/// The device-code grant of `/oauth2/token` (RFC 8628 §3.4–3.5).
pub async fn token_grant(app: &Arc<App>, req: TokenRequest) -> Result<TokenResponse, ApiError> {
    let app2 = app.clone();
    let fresh = Fresh::new();
    app.db
        .call(move |c| {
            let hash = util::hash(req.device_code.as_deref().unwrap_or_default());
            let d = store::device_by_hash(c, &hash)?.ok_or_else(|| ApiError::invalid_grant("unknown device_code"))?;
            if req.client_id.as_deref() != Some(d.client_id.as_str()) {
                return Err(ApiError::invalid_grant("the device_code was issued to another client"));
            }
            let now = util::now_ms();
            if d.expires_ms <= now {
                return Err(ApiError::oauth(OAuthErrorCode::ExpiredToken, "the device_code expired"));
            }
            match d.status.as_str() {
                PENDING => {
                    store::touch_device(c, &hash, now)?;
                    let interval_ms = app2.config.device_poll_interval as i64 * 1000;
                    if now - d.last_poll_ms < interval_ms {
                        return Err(ApiError::oauth(OAuthErrorCode::SlowDown, "polling faster than the interval"));
                    }
                    Err(ApiError::oauth(OAuthErrorCode::AuthorizationPending, "the user has not approved yet"))
                }
                DENIED => Err(ApiError::oauth(OAuthErrorCode::AccessDenied, "the user denied the request")),
                APPROVED if store::set_device_status(c, &hash, APPROVED, USED, None)? => {
                    let member = d.member_id.unwrap_or_default();
                    Ok(mint_for_member(c, &app2, fresh, &d.client_id, &member)?.0)
                }
                _ => Err(ApiError::invalid_grant("the device_code was already used")),
            }
        })
        .await
}

/// `bcdf ghjk` / `BCDFGHJK` → `BCDF-GHJK`: people type codes loosely (RFC 8628 §6.1).
fn normalize_user_code(code: &str) -> String {
    let letters: String = code.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect();
    match (letters.get(..4), letters.get(4..)) {
        (Some(a), Some(b)) if letters.len() == 8 => format!("{a}-{b}"),
        _ => letters,
    }
}

fn approval_form(user_code: &str, email: &str, error: Option<&str>) -> Response {
    let has_error = error.is_some();
    let body = format!(
        "<p class=\"note\">Check that the code matches the one on your device, then sign in to approve it.</p>{}\
<form method=\"post\" action=\"{VERIFICATION_PATH}\">{}{}{}\
<button type=\"submit\" name=\"action\" value=\"approve\">Approve</button>\
<button type=\"submit\" name=\"action\" value=\"deny\" formnovalidate>Deny</button></form>",
        html::error_block(error),
        html::input("user_code", "Code shown on the device", "text", "off", user_code, has_error),
        html::input("email", "Email", "email", "email", email, has_error),
        html::input("password", "Password", "password", "current-password", "", has_error),
    );
    html::page(if has_error { StatusCode::BAD_REQUEST } else { StatusCode::OK }, "Connect a device", &body)
}

/// `GET /oauth2/device`.
pub async fn approval_page(q: Params) -> Response {
    approval_form(&normalize_user_code(&q.get("user_code")), "", None)
}

/// `POST /oauth2/device`: approve (after signing in) or deny the code.
pub async fn approval_submit(State(app): State<Arc<App>>, headers: HeaderMap, body: RawBody) -> Response {
    if let Some(refused) = html::refuse_cross_site(&app.site_base, &headers) {
        return refused;
    }
    let form = body.form();
    let field = |n: &str| form.get(n);
    let (user_code, email) = (normalize_user_code(&field("user_code")), field("email"));
    let lookup = user_code.clone();
    let device = match app.db.call(move |c| Ok(store::device_by_user_code(c, &lookup)?)).await {
        Ok(d) => d.filter(|d| d.status == PENDING && d.expires_ms > util::now_ms()),
        Err(e) => return e.into_response(),
    };
    let Some(device) = device else {
        return approval_form(&user_code, &email, Some("This code is unknown, expired, or already used."));
    };
    let (to, member) = if field("action") == "deny" {
        (DENIED, None)
    } else {
        match sign_in_with_password(&app, &email, &field("password")).await {
            Ok(Outcome::Success { member, .. }) => (APPROVED, Some(member.id)),
            Ok(Outcome::VerifyEmail { .. }) => {
                return approval_form(&user_code, &email, Some("Verify your email first (sign in on the site)."))
            }
            Ok(Outcome::AwaitApproval { .. }) => {
                return approval_form(&user_code, &email, Some("Your account is waiting for the site owner's approval."))
            }
            Err(e) => return approval_form(&user_code, &email, Some(&e.human_message())),
        }
    };
    let hash = device.hash.clone();
    match app.db.call(move |c| Ok(store::set_device_status(c, &hash, PENDING, to, member.as_deref())?)).await {
        Ok(true) if to == DENIED => html::page(StatusCode::OK, "Request denied", "<p>The device was not connected.</p>"),
        Ok(true) => html::page(StatusCode::OK, "Device connected", "<p>You can return to your device.</p>"),
        Ok(false) => approval_form(&user_code, &email, Some("This code was already used.")),
        Err(e) => e.into_response(),
    }
}
