//! `GET /members/v1/members/my`: who the access token belongs to. Only member tokens qualify.

use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::Json;
use std::sync::Arc;
use serde_json::{json, Value};
use crate::wire::identity::MemberResponse;

use super::authentication::member;
use super::oauth2::ROLE_MEMBER;
use crate::state::App;
use crate::error::ApiError;
use crate::extract::Params;
use crate::{store, util};

/// The raw access token of an `Authorization` header; Wix sends it bare, `Bearer ` is tolerated.
fn access_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let token = match value.get(..7) {
        Some(prefix) if prefix.eq_ignore_ascii_case("bearer ") => value[7..].trim(),
        _ => value,
    };
    (!token.is_empty()).then(|| token.to_owned())
}

/// The active, unexpired access token the request carries (any role), or why not.
pub async fn presented_token(app: &App, headers: &HeaderMap) -> Result<store::TokenRow, ApiError> {
    let token = access_token(headers).ok_or_else(|| ApiError::unauthenticated("missing access token"))?;
    let key = store::token_key(&token);
    let row = app
        .db
        .call(move |c| {
            let Some(t) = store::token(c, &key, "access")? else { return Ok(Err("unknown access token")) };
            if t.state != store::TOKEN_ACTIVE {
                return Ok(Err("the access token was revoked"));
            }
            if t.expires_ms.is_some_and(|e| e <= util::now_ms()) {
                return Ok(Err("the access token expired"));
            }
            Ok(Ok(t))
        })
        .await?;
    row.map_err(ApiError::unauthenticated)
}

/// `GET /members/v1/members/my[?fieldsets=PUBLIC|FULL]`. Wix: the default `PUBLIC` fieldset
/// returns only `id` and `profile`; `FULL` adds the contact, status and dates.
pub async fn my(State(app): State<Arc<App>>, q: Params, headers: HeaderMap) -> Result<Json<Value>, ApiError> {
    let t = presented_token(&app, &headers).await?;
    if t.role != ROLE_MEMBER {
        return Err(ApiError::unauthenticated("a visitor token has no member; sign in first"));
    }
    let subject = t.subject;
    let m = app
        .db
        .call(move |c| Ok(store::member_by_id(c, &subject)?))
        .await?
        .ok_or_else(|| ApiError::unauthenticated("the member no longer exists"))?;
    let full = serde_json::to_value(MemberResponse { member: member(&m) }).map_err(|e| ApiError::Internal(e.to_string()))?;
    let wants_full = q.opt("fieldsets").is_some_and(|f| f.split(',').any(|f| f.trim() == "FULL" || f.trim() == "EXTENDED"));
    if wants_full {
        return Ok(Json(full));
    }
    let public = json!({"member": {"id": full["member"]["id"], "profile": full["member"]["profile"]}});
    Ok(Json(public))
}
