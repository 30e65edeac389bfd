//! `POST /_api/iam/verification/v1/auth/verify`: the 6-digit email code of a pending login or
//! registration. Codes expire (`--verification-code-ttl`) and a state token dies after
//! `MAX_ATTEMPTS` wrong codes, so a 6-digit code cannot be brute-forced.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use std::sync::Arc;
use wix_auth_protocol::authentication::{StateMachineResponse, VerifyRequest};
use wix_auth_protocol::wix_error::CODE_INVALID_VERIFICATION_CODE;

use super::authentication::{continue_sign_in, Outcome};
use crate::state::App;
use crate::error::ApiError;
use crate::extract::RawBody;
use crate::{store, util};

/// Wrong codes allowed per state token.
pub const MAX_ATTEMPTS: i64 = 5;

fn invalid(description: &str) -> ApiError {
    ApiError::wix(StatusCode::BAD_REQUEST, CODE_INVALID_VERIFICATION_CODE, description)
}

/// Checks `code` against the pending verification of `state_token`; shared with the hosted page.
pub async fn verify(app: &Arc<App>, code: String, state_token: String) -> Result<Outcome, ApiError> {
    let hash = util::hash(&state_token);
    let member = app
        .db
        .call(move |c| {
            let row = store::state_token(c, &hash)?.ok_or_else(|| invalid("unknown state token"))?;
            if row.dead {
                return Err(invalid("this verification is no longer valid; sign in again for a new code"));
            }
            let now = util::now_ms();
            if row.expires_ms <= now {
                store::kill_state_token(c, &hash)?;
                return Err(invalid("the verification code expired; sign in again for a new code"));
            }
            if row.code != code.trim() {
                store::fail_state_token(c, &hash, MAX_ATTEMPTS)?;
                let left = MAX_ATTEMPTS - row.attempts - 1;
                return Err(invalid(&if left > 0 {
                    format!("wrong verification code; {left} attempts left")
                } else {
                    "wrong verification code; no attempts left, sign in again for a new code".to_owned()
                }));
            }
            store::kill_state_token(c, &hash)?;
            store::set_email_verified(c, &row.member_id, now)?;
            store::member_by_id(c, &row.member_id)?.ok_or_else(|| invalid("the member no longer exists"))
        })
        .await?;
    continue_sign_in(app, member).await
}

/// `POST /_api/iam/verification/v1/auth/verify`.
pub async fn verify_route(State(app): State<Arc<App>>, headers: axum::http::HeaderMap, body: RawBody) -> Result<Json<StateMachineResponse>, ApiError> {
    super::authentication::require_visitor(&app, &headers).await?;
    let req: VerifyRequest = body.parse().map_err(|e| e.wix())?;
    Ok(Json(verify(&app, req.code, req.state_token).await?.body()))
}
