//! `GET /members/v1/members/my`: who the access token belongs to. Only member tokens qualify.

use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::Json;
use std::sync::Arc;
use wix_auth_protocol::authentication::MemberResponse;

use super::authentication::member;
use super::oauth2::ROLE_MEMBER;
use crate::app::App;
use crate::error::ApiError;
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

/// `GET /members/v1/members/my`.
pub async fn my(State(app): State<Arc<App>>, headers: HeaderMap) -> Result<Json<MemberResponse>, ApiError> {
    let token = access_token(&headers).ok_or_else(|| ApiError::unauthenticated("missing access token"))?;
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
            if t.role != ROLE_MEMBER {
                return Ok(Err("a visitor token has no member; sign in first"));
            }
            Ok(store::member_by_id(c, &t.subject)?.ok_or("the member no longer exists"))
        })
        .await?;
    let m = row.map_err(ApiError::unauthenticated)?;
    Ok(Json(MemberResponse { member: member(&m) }))
}
