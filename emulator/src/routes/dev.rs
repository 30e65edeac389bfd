//! Dev-only endpoints under `/_emulator`: the outbox, stats, reset, owner approval, health,
//! failure injection and token revocation. Nothing here exists on the real service.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

use super::authentication::identity;
use crate::state::{App, Fault};
use crate::error::ApiError;
use crate::extract::{Params, RawBody};
use crate::store::{self, OutboxRow};
use crate::util;

/// `GET /_emulator/outbox[?email=]`: every email "sent", oldest first.
pub async fn outbox(State(app): State<Arc<App>>, q: Params) -> Result<Json<Vec<OutboxRow>>, ApiError> {
    let email = q.opt("email").map(|e| e.trim().to_lowercase());
    Ok(Json(app.db.call(move |c| Ok(store::outbox(c, email.as_deref())?)).await?))
}

/// `GET /_emulator/stats`.
pub async fn stats(State(app): State<Arc<App>>) -> Json<Value> {
    Json(app.stats.snapshot())
}

/// State-changing dev endpoints act only for tools and for the allowed origins: a request a
/// browser sends from any other page carries that page's `Origin` and is refused, and so is a
/// body that is not declared JSON (`text/plain` is what a page can send without a preflight).
/// An empty body needs no type (`curl -X POST …/reset`).
fn guard(app: &App, headers: &HeaderMap, body: &RawBody) -> Result<(), ApiError> {
    let origin = headers.get(header::ORIGIN).map(|v| v.to_str().unwrap_or_default());
    if origin.is_some_and(|o| !app.config.allows_origin(o) && !o.eq_ignore_ascii_case(&app.api_base)) {
        return Err(ApiError::wix(StatusCode::FORBIDDEN, "PERMISSION_DENIED", "dev endpoints refuse requests from origins that are not allowed"));
    }
    if !body.bytes.is_empty() && !body.is_json {
        return Err(ApiError::wix(StatusCode::UNSUPPORTED_MEDIA_TYPE, "INVALID_ARGUMENT", "dev endpoints take application/json bodies only"));
    }
    Ok(())
}

/// `POST /_emulator/reset`: wipes all data, stats and faults.
pub async fn reset(State(app): State<Arc<App>>, headers: HeaderMap, body: RawBody) -> Result<Json<Value>, ApiError> {
    guard(&app, &headers, &body)?;
    app.db.call(|c| Ok(store::wipe(c)?)).await?;
    app.stats.clear();
    app.faults.clear();
    Ok(Json(json!({"ok": true})))
}

/// `POST /_emulator/members/{id}/approve`: the site owner approves a pending member.
pub async fn approve(State(app): State<Arc<App>>, Path(id): Path<String>, headers: HeaderMap, body: RawBody) -> Result<Json<Value>, ApiError> {
    guard(&app, &headers, &body)?;
    let member = app
        .db
        .call(move |c| {
            store::set_member_status(c, &id, store::ACTIVE, util::now_ms())?;
            Ok(store::member_by_id(c, &id)?)
        })
        .await?
        .ok_or_else(|| ApiError::wix(StatusCode::NOT_FOUND, wix_auth_protocol::wix_error::CODE_MEMBER_NOT_FOUND, "no such member"))?;
    Ok(Json(json!({"identity": identity(&member)})))
}

/// `GET /_emulator/health`.
pub async fn health() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// Statuses a fault may answer with: the errors a client of the live service can meet. 1xx,
/// 2xx and 3xx were accepted once and answered incoherently (a 204 with a body, a 302 with no
/// `Location`).
const FAULT_STATUSES: [u16; 12] = [400, 401, 403, 404, 408, 409, 413, 429, 500, 502, 503, 504];
/// Most requests one fault may cover.
const MAX_FAULT_COUNT: u32 = 10_000;

/// `POST /_emulator/faults` body.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FaultRequest {
    endpoint: String,
    count: u32,
    status: Option<u16>,
    delay_ms: Option<u64>,
}

/// `POST /_emulator/faults`: the next `count` requests to `endpoint` fail with `status` or are
/// held for `delayMs` first.
pub async fn faults(State(app): State<Arc<App>>, headers: HeaderMap, body: RawBody) -> Result<Json<Value>, ApiError> {
    guard(&app, &headers, &body)?;
    let req: FaultRequest = body.parse().map_err(|e| e.oauth())?;
    let status = match req.status {
        Some(s) if FAULT_STATUSES.contains(&s) => StatusCode::from_u16(s).ok(),
        Some(_) => return Err(ApiError::invalid_request(format!("status must be one of {FAULT_STATUSES:?}: an error the client can meet"))),
        None => None,
    };
    if req.count == 0 || req.count > MAX_FAULT_COUNT || (status.is_none() && req.delay_ms.is_none()) {
        return Err(ApiError::invalid_request(format!("need 1 <= count <= {MAX_FAULT_COUNT} and one of status or delayMs")));
    }
    if req.delay_ms.is_some_and(|d| d > 120_000) {
        return Err(ApiError::invalid_request("delayMs is at most 120000"));
    }
    if !app.faults.add(Fault { endpoint: req.endpoint, remaining: req.count, status, delay_ms: req.delay_ms }) {
        return Err(ApiError::invalid_request(format!("at most {} faults can be pending; POST /_emulator/reset clears them", crate::state::MAX_FAULTS)));
    }
    Ok(Json(json!({"ok": true})))
}

/// `POST /_emulator/tokens/revoke` body.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RevokeRequest {
    access_token: String,
}

/// `POST /_emulator/tokens/revoke`: revokes one access token, as the real service may at any
/// time, so a test can show a client recovering; its family's refresh token keeps working.
pub async fn revoke_token(State(app): State<Arc<App>>, headers: HeaderMap, body: RawBody) -> Result<Json<Value>, ApiError> {
    guard(&app, &headers, &body)?;
    let req: RevokeRequest = body.parse().map_err(|e| e.oauth())?;
    let key = store::token_key(&req.access_token);
    let revoked = app
        .db
        .call(move |c| match store::token(c, &key, "access")? {
            Some(t) => Ok(store::revoke_token(c, &t.key)?),
            None => Ok(false),
        })
        .await?;
    Ok(Json(json!({"revoked": revoked})))
}
