//! `POST /oauth2/token`: the anonymous, refresh, authorization-code and API-key grants (the
//! device grant lives in `device.rs`). Every token is stored as a hash with its family.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rusqlite::Connection;
use std::sync::Arc;
use wix_auth_protocol::pkce;
use crate::wire::token::TokenRequest;
use wix_auth_protocol::token::{
    OAuthErrorCode, TokenResponse, GRANT_ANONYMOUS, GRANT_AUTHORIZATION_CODE, GRANT_AUTHORIZED_CLIENT,
    GRANT_DEVICE_CODE, GRANT_REFRESH_TOKEN,
};

use crate::state::App;
use crate::error::ApiError;
use crate::extract::RawBody;
use crate::store::{self, NewToken, TokenKey};
use crate::util;

/// Role of a token minted for an anonymous visitor.
pub const ROLE_VISITOR: &str = "visitor";
/// Role of a token minted for a signed-in member.
pub const ROLE_MEMBER: &str = "member";

/// `POST /oauth2/token`.
pub async fn token(State(app): State<Arc<App>>, headers: HeaderMap, body: RawBody) -> Response {
    match grant(&app, &headers, &body).await {
        // RFC 6749 §5.1: token responses must not be cached.
        Ok(tokens) => ([(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))], Json(tokens)).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn grant(app: &Arc<App>, headers: &HeaderMap, body: &RawBody) -> Result<TokenResponse, ApiError> {
    let req: TokenRequest = body.parse().map_err(|e| e.oauth())?;
    app.stats.count_grant(&req.grant_type);
    if req.grant_type.is_empty() {
        return Err(ApiError::invalid_request("grantType is required"));
    }
    let known = [GRANT_ANONYMOUS, GRANT_REFRESH_TOKEN, GRANT_AUTHORIZATION_CODE, GRANT_AUTHORIZED_CLIENT, GRANT_DEVICE_CODE];
    if !known.contains(&req.grant_type.as_str()) {
        return Err(ApiError::oauth(OAuthErrorCode::UnsupportedGrantType, format!("grantType {:?} is not supported", req.grant_type)));
    }
    if let Some(field) = req.missing_field() {
        return Err(ApiError::invalid_request(format!("{field} is required for grantType {}", req.grant_type)));
    }
    if let Some(id) = req.client_id.as_deref().filter(|c| !c.is_empty()) {
        if !app.config.knows_client(id) {
            return Err(ApiError::unknown_client());
        }
    }
    match req.grant_type.as_str() {
        GRANT_ANONYMOUS => anonymous(app, req).await,
        GRANT_REFRESH_TOKEN => refresh(app, req).await,
        GRANT_AUTHORIZATION_CODE => authorization_code(app, req).await,
        GRANT_AUTHORIZED_CLIENT => authorized_client(app, headers, req).await,
        _ => super::device::token_grant(app, req).await,
    }
}

/// The random parts of one token response, made and hashed before the job enters the
/// database thread: that thread is the serial bottleneck, so it only writes.
pub struct Fresh {
    access: String,
    access_key: TokenKey,
    refresh: String,
    refresh_key: TokenKey,
    /// A new visitor id or token family, for grants that need one.
    id: String,
}

impl Fresh {
    /// New secrets.
    pub fn new() -> Self {
        let (access, refresh) = (util::timed_secret("OauthNG.JWS."), util::timed_secret("AQS."));
        Self { access_key: store::token_key(&access), refresh_key: store::token_key(&refresh), access, refresh, id: util::uuid() }
    }
}

/// Stores and returns the access token of `fresh` plus, unless `keep_refresh` is given, its
/// refresh token, all in `family`. Callers run it inside their transaction.
#[allow(clippy::too_many_arguments)]
pub fn mint(
    c: &Connection,
    app: &App,
    fresh: Fresh,
    client_id: &str,
    role: &str,
    subject: &str,
    family: &str,
    keep_refresh: Option<String>,
) -> rusqlite::Result<TokenResponse> {
    let now = util::now_ms();
    let ttl = app.config.access_token_ttl;
    let row = |key, kind, expires_ms| NewToken { key, kind, client_id, role, subject, family, expires_ms, created_ms: now };
    store::insert_token(c, &row(&fresh.access_key, "access", Some(now.saturating_add(ttl as i64 * 1000))))?;
    let refresh = match keep_refresh {
        Some(r) => r,
        None => {
            store::insert_token(c, &row(&fresh.refresh_key, "refresh", None))?;
            fresh.refresh
        }
    };
    Ok(TokenResponse { access_token: fresh.access, token_type: "Bearer".into(), expires_in: ttl, refresh_token: Some(refresh) })
}

/// Mints member tokens in a new family (`fresh.id`), if the member may sign in; returns the family.
pub fn mint_for_member(c: &Connection, app: &App, fresh: Fresh, client_id: &str, member_id: &str) -> Result<(TokenResponse, String), ApiError> {
    let member = store::member_by_id(c, member_id)?.ok_or_else(|| ApiError::invalid_grant("no such member"))?;
    if member.status != store::ACTIVE {
        return Err(ApiError::invalid_grant("the member is waiting for the site owner's approval"));
    }
    let family = fresh.id.clone();
    let tokens = mint(c, app, fresh, client_id, ROLE_MEMBER, &member.id, &family, None)?;
    Ok((tokens, family))
}

/// Runs `f` in one transaction that is committed whatever `f` returns: a burnt code or a
/// revoked family must stay so even though the request fails.
async fn always_commit<T, F>(app: &Arc<App>, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Connection, &App, Fresh) -> Result<T, ApiError> + Send + 'static,
{
    let app2 = app.clone();
    let fresh = Fresh::new();
    app.db
        .call(move |c| {
            let tx = c.savepoint()?;
            let result = f(&tx, &app2, fresh);
            tx.commit()?;
            result
        })
        .await
}

async fn anonymous(app: &Arc<App>, req: TokenRequest) -> Result<TokenResponse, ApiError> {
    let client = req.client_id.unwrap_or_default();
    let app2 = app.clone();
    // No savepoint: the batch is already a transaction, and this is the hot path.
    let fresh = Fresh::new();
    let visitor = util::uuid();
    app.db
        .call(move |c| {
            let family = fresh.id.clone();
            Ok(mint(c, &app2, fresh, &client, ROLE_VISITOR, &visitor, &family, None)?)
        })
        .await
}

async fn refresh(app: &Arc<App>, req: TokenRequest) -> Result<TokenResponse, ApiError> {
    always_commit(app, move |c, app, fresh| refresh_in(c, app, fresh, &req)).await
}

fn refresh_in(c: &Connection, app: &App, fresh: Fresh, req: &TokenRequest) -> Result<TokenResponse, ApiError> {
    let presented = req.refresh_token.clone().unwrap_or_default();
    let row = store::token(c, &store::token_key(&presented), "refresh")?
        .ok_or_else(|| ApiError::invalid_grant("unknown refresh token"))?;
    if req.client_id.as_deref().is_some_and(|id| !id.is_empty() && id != row.client_id) {
        return Err(ApiError::invalid_grant("the refresh token was issued to another client"));
    }
    match row.state.as_str() {
        store::TOKEN_ACTIVE => {}
        store::TOKEN_ROTATED => {
            // RFC 9700 §4.14.2: a rotated-out token coming back means it leaked; kill the family.
            store::revoke_family(c, &row.family)?;
            app.stats.count_reuse();
            return Err(ApiError::invalid_grant("refresh token reuse detected; the token family is revoked"));
        }
        _ => return Err(ApiError::invalid_grant("the refresh token was revoked")),
    }
    let keep = if app.config.rotate_refresh_tokens {
        if !store::transition_token(c, &row.key, store::TOKEN_ROTATED)? {
            return Err(ApiError::invalid_grant("the refresh token was already used"));
        }
        None
    } else {
        Some(presented)
    };
    Ok(mint(c, app, fresh, &row.client_id, &row.role, &row.subject, &row.family, keep)?)
}

async fn authorization_code(app: &Arc<App>, req: TokenRequest) -> Result<TokenResponse, ApiError> {
    if let Some(uri) = req.redirect_uri.as_deref() {
        if !app.config.allows_redirect(uri) {
            return Err(ApiError::bad_redirect_uri(uri, None));
        }
    }
    always_commit(app, move |c, app, fresh| exchange_code(c, app, fresh, &req)).await
}

fn exchange_code(c: &Connection, app: &App, fresh: Fresh, req: &TokenRequest) -> Result<TokenResponse, ApiError> {
    let hash = util::hash(req.code.as_deref().unwrap_or_default());
    let code = store::take_code(c, &hash)?.ok_or_else(|| ApiError::invalid_grant("unknown authorization code"))?;
    if code.was_used {
        // RFC 6749 §4.1.2: a replayed code revokes what the first exchange issued.
        if let Some(family) = &code.family {
            store::revoke_family(c, family)?;
        }
        return Err(ApiError::invalid_grant("the authorization code was already used"));
    }
    if code.expires_ms <= util::now_ms() {
        return Err(ApiError::invalid_grant("the authorization code expired"));
    }
    let client_id = req.client_id.clone().unwrap_or_default();
    if code.client_id != client_id {
        return Err(ApiError::invalid_grant("the authorization code was issued to another client"));
    }
    if code.redirect_uri != req.redirect_uri {
        return Err(ApiError::invalid_grant("redirectUri does not match the authorization request"));
    }
    if !pkce::verify(req.code_verifier.as_deref().unwrap_or_default(), &code.challenge) {
        return Err(ApiError::invalid_grant("codeVerifier does not match the codeChallenge"));
    }
    let (tokens, family) = mint_for_member(c, app, fresh, &client_id, &code.member_id)?;
    store::set_code_family(c, &hash, &family)?;
    Ok(tokens)
}

/// The API key of an `Authorization` header: the SDK sends `<accessToken>,<apiKey>` (the access
/// token may be empty); a bare key is accepted too.
pub fn api_key(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let key = value.rsplit_once(',').map_or(value, |(_, k)| k).trim();
    (!key.is_empty()).then(|| key.to_owned())
}

async fn authorized_client(app: &Arc<App>, headers: &HeaderMap, req: TokenRequest) -> Result<TokenResponse, ApiError> {
    let key = api_key(headers).ok_or_else(|| {
        ApiError::oauth(OAuthErrorCode::UnauthorizedClient, "authorized_client needs an API key in the Authorization header")
    })?;
    if !app.config.knows_api_key(&key) {
        return Err(ApiError::oauth(OAuthErrorCode::InvalidClient, "unknown API key"));
    }
    let client_id = req.client_id.clone().filter(|c| !c.is_empty()).or_else(|| app.config.client_ids.first().cloned()).unwrap_or_default();
    always_commit(app, move |c, app, fresh| {
        let member_id = req.member_id.unwrap_or_default();
        if let Some(session) = req.session_token.filter(|s| !s.is_empty()) {
            let owner = store::grant_member(c, &session, store::grant::SESSION_TOKEN, util::now_ms(), true)?;
            if owner.as_deref() != Some(member_id.as_str()) {
                return Err(ApiError::invalid_grant("session_token is invalid, expired, or belongs to another member"));
            }
        }
        Ok(mint_for_member(c, app, fresh, &client_id, &member_id)?.0)
    })
    .await
}
