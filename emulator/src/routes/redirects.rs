//! `POST /_api/redirects-api/v1/redirect-session` (and its public alias): stores a login,
//! logout or pre-warm request and answers with the URL of the hosted page that carries it out.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use std::collections::BTreeMap;
use std::sync::Arc;
use wix_auth_protocol::pkce::CHALLENGE_METHOD;
use crate::wire::redirect_session::{RedirectSession, RedirectSessionResponse, UrlDetails};
use wix_auth_protocol::redirect_session::{AuthSession, RedirectSessionRequest, ResponseMode};
use wix_auth_protocol::token::OAuthErrorCode;

use super::authorize::{AUTHORIZE_PATH, LOGOUT_PATH, PREWARM_PATH};
use crate::state::App;
use crate::config::Config;
use crate::error::ApiError;
use crate::extract::RawBody;
use crate::{store, util};

/// The application code of an unpublished site (`--site-not-published`).
pub const SITE_NOT_PUBLISHED: &str = "SITE_NOT_PUBLISHED_EXCEPTION";

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
pub fn validate_auth(config: &Config, auth: &AuthSession) -> Result<(), ApiError> {
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
pub async fn create(State(app): State<Arc<App>>, body: RawBody) -> Result<Json<RedirectSessionResponse>, ApiError> {
    if app.config.site_not_published {
        // Wix: "for this request to succeed, you must publish the Wix site"; public notes saw
        // 428 and `SITE_NOT_PUBLISHED` here. The body's exact shape is a guess (emulator/README.md).
        return Err(ApiError::wix(StatusCode::PRECONDITION_REQUIRED, SITE_NOT_PUBLISHED, "the site is not published"));
    }
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
    let stored = serde_json::to_string(&req).map_err(|e| ApiError::Internal(e.to_string()))?;
    let id = store_session(&app, kind, stored).await?;
    // On the site's domain, as the live service's `fullUrl` is (not on the API host).
    let endpoint = format!("{}{path}", app.site_base);
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

/// Stores a session of `kind` with its request (JSON) and returns its new id.
pub async fn store_session(app: &App, kind: &'static str, request: String) -> Result<String, ApiError> {
    let id = util::uuid();
    let id2 = id.clone();
    app.db.call(move |c| Ok(store::insert_session(c, &id2, kind, &request, util::now_ms())?)).await?;
    Ok(id)
}
