//! Dev-only endpoints under `/_emulator`: the outbox, stats, reset, owner approval, health,
//! failure injection and token revocation. Nothing here exists on the real service.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

use super::authentication::identity;
use crate::app::{App, Fault};
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

/// `POST /_emulator/reset`: wipes all data, stats and faults.
pub async fn reset(State(app): State<Arc<App>>) -> Result<Json<Value>, ApiError> {
    app.db.call(|c| Ok(store::wipe(c)?)).await?;
    app.stats.clear();
    app.faults.clear();
    Ok(Json(json!({"ok": true})))
}

/// `POST /_emulator/members/{id}/approve`: the site owner approves a pending member.
pub async fn approve(State(app): State<Arc<App>>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
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
pub async fn faults(State(app): State<Arc<App>>, body: RawBody) -> Result<Json<Value>, ApiError> {
    let req: FaultRequest = body.parse().map_err(|e| e.oauth())?;
    let status = req.status.map(StatusCode::from_u16).transpose().map_err(|_| ApiError::invalid_request("status must be an HTTP status"))?;
    if req.count == 0 || (status.is_none() && req.delay_ms.is_none()) {
        return Err(ApiError::invalid_request("need count >= 1 and one of status or delayMs"));
    }
    if req.delay_ms.is_some_and(|d| d > 120_000) {
        return Err(ApiError::invalid_request("delayMs is at most 120000"));
    }
    app.faults.add(Fault { endpoint: req.endpoint, remaining: req.count, status, delay_ms: req.delay_ms });
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
pub async fn revoke_token(State(app): State<Arc<App>>, body: RawBody) -> Result<Json<Value>, ApiError> {
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
