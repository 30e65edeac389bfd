//! `POST /_api/redirects-api/v1/redirect-session` (and its public alias): stores a login,
//! logout or pre-warm request and answers with the URL of the hosted page that carries it out.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use std::collections::BTreeMap;
use std::sync::Arc;
use wix_auth_protocol::pkce::CHALLENGE_METHOD;
use wix_auth_protocol::redirect_session::{
    AuthSession, RedirectSession, RedirectSessionRequest, RedirectSessionResponse, ResponseMode, UrlDetails,
};
use wix_auth_protocol::token::OAuthErrorCode;

use super::authorize::{AUTHORIZE_PATH, LOGOUT_PATH, PREWARM_PATH};
use crate::app::App;
use crate::config::Config;
use crate::error::ApiError;
use crate::extract::RawBody;
use crate::{store, util};

/// Session kinds as stored.
pub const KIND_AUTH: &str = "auth";
/// A logout session.
pub const KIND_LOGOUT: &str = "logout";
/// A pre-warm session.
pub const KIND_PREWARM: &str = "prewarm";

fn reject(code: OAuthErrorCode, description: &str) -> ApiError {
    ApiError::Both { status: StatusCode::BAD_REQUEST, code, description: description.into() }
}

/// Checks an authorization request before anyone is sent to the hosted page with it.
fn validate_auth(config: &Config, auth: &AuthSession) -> Result<(), ApiError> {
    let r = &auth.auth_request;
    if !config.knows_client(&r.client_id) {
        return Err(reject(OAuthErrorCode::InvalidClient, "unknown clientId"));
    }
    if let Some(uri) = r.redirect_uri.as_deref() {
        // A JSON API cannot answer with the seed's 302: the client's fetch would follow it to the
        // app's own URL and never see the error. The token endpoint keeps the 302.
        if !config.allows_redirect(uri) {
            return Err(reject(OAuthErrorCode::InvalidRequest, "redirectUri is not on the allow-list"));
        }
    } else if r.response_mode != ResponseMode::WebMessage {
        return Err(reject(OAuthErrorCode::InvalidRequest, "redirectUri is required unless responseMode is web_message"));
    }
    if r.response_type != "code" {
        return Err(reject(OAuthErrorCode::UnsupportedGrantType, "responseType must be code"));
    }
    if r.code_challenge_method != CHALLENGE_METHOD || r.code_challenge.is_empty() {
        return Err(reject(OAuthErrorCode::InvalidRequest, "a codeChallenge with codeChallengeMethod S256 is required"));
    }
    Ok(())
}

/// `POST` a redirect session.
pub async fn create(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: RawBody,
) -> Result<Json<RedirectSessionResponse>, ApiError> {
    let req: RedirectSessionRequest = body.parse().map_err(|e| e.both())?;
    let (kind, path, session_token) = if let Some(auth) = &req.auth {
        validate_auth(&app.config, auth)?;
        (KIND_AUTH, AUTHORIZE_PATH, auth.auth_request.session_token.clone())
    } else if let Some(logout) = &req.logout {
        if !app.config.knows_client(&logout.client_id) {
            return Err(reject(OAuthErrorCode::InvalidClient, "unknown clientId"));
        }
        (KIND_LOGOUT, LOGOUT_PATH, None)
    } else if req.login.is_some() {
        (KIND_PREWARM, PREWARM_PATH, None)
    } else {
        return Err(reject(OAuthErrorCode::InvalidRequest, "one of auth, logout or login is required"));
    };
    let id = util::uuid();
    let stored = serde_json::to_string(&req).map_err(|e| ApiError::Internal(e.to_string()))?;
    let id2 = id.clone();
    app.db.call(move |c| Ok(store::insert_session(c, &id2, kind, &stored, util::now_ms())?)).await?;
    let endpoint = format!("{}{path}", app.base_url(&headers));
    let full_url = format!("{endpoint}?redirectSessionId={id}");
    let search_params = BTreeMap::from([("redirectSessionId".to_owned(), id.clone())]);
    Ok(Json(RedirectSessionResponse {
        redirect_session: RedirectSession {
            id,
            full_url,
            url_details: UrlDetails { endpoint, search_params },
            session_token,
            short_url: None,
        },
    }))
}
