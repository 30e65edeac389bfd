//! IAM authentication: `login`, `register` and `sign-on`, and the state machine they share
//! with verification and the hosted sign-in page (`Outcome`).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use std::sync::Arc;
use crate::wire::identity::{Member, MemberContact, MemberProfile, RegisterRequest, SignOnRequest, SignOnResponse};
use wix_auth_protocol::authentication::{
    CaptchaToken, Identity, IdentityEmail, IdentityProfile, IdentityStatus, LoginRequest, ServerState, StateMachineResponse,
};
use wix_auth_protocol::wix_error as code;

use crate::state::App;
use crate::error::ApiError;
use crate::extract::RawBody;
use crate::store::{self, MemberRow};
use crate::util;

/// How long a `sessionToken` can be exchanged for member tokens.
const SESSION_TOKEN_TTL_MS: i64 = 10 * 60 * 1000;
/// The captcha token `--require-captcha` rejects; every other non-empty token passes.
pub const INVALID_CAPTCHA_TOKEN: &str = "invalid-captcha-token";

/// Where a sign-in attempt ended after the credentials were accepted.
pub enum Outcome {
    /// Signed in; `session_token` can be exchanged for member tokens.
    Success { member: MemberRow, session_token: String },
    /// A code went to the outbox; `state_token` continues at `verify`.
    VerifyEmail { member: MemberRow, state_token: String },
    /// The site owner has to approve the member first.
    AwaitApproval { member: MemberRow },
}

impl Outcome {
    /// The Wix state-machine body.
    pub fn body(self) -> StateMachineResponse {
        let (state, member, session_token, state_token) = match self {
            Self::Success { member, session_token } => (ServerState::Success, member, Some(session_token), None),
            Self::VerifyEmail { member, state_token } => (ServerState::RequireEmailVerification, member, None, Some(state_token)),
            Self::AwaitApproval { member } => (ServerState::RequireOwnerApproval, member, None, None),
        };
        StateMachineResponse { state, session_token, state_token, identity: Some(identity(&member)), additional_data: None }
    }
}

/// The member's `identity` as IAM returns it.
pub fn identity(m: &MemberRow) -> Identity {
    let mut reasons = Vec::new();
    if m.status == store::PENDING {
        reasons.push("PENDING_ADMIN_APPROVAL_REQUIRED".to_owned());
    }
    Identity {
        id: m.id.clone(),
        revision: m.revision.to_string(),
        created_date: Some(util::rfc3339(m.created_ms)),
        updated_date: Some(util::rfc3339(m.updated_ms)),
        identity_profile: profile(m),
        email: IdentityEmail { address: m.email.clone(), is_verified: m.email_verified },
        status: IdentityStatus { name: m.status.clone(), reasons },
    }
}

/// The member as the Members API returns it.
pub fn member(m: &MemberRow) -> Member {
    let p = profile(m);
    Member {
        id: m.id.clone(),
        login_email: m.email.clone(),
        status: if m.status == store::ACTIVE { "APPROVED".into() } else { m.status.clone() },
        contact: MemberContact { first_name: p.first_name, last_name: p.last_name },
        profile: MemberProfile { nickname: p.nickname },
        created_date: Some(util::rfc3339(m.created_ms)),
    }
}

fn profile(m: &MemberRow) -> IdentityProfile {
    serde_json::from_str(&m.profile).unwrap_or_default()
}

/// After the credentials are accepted: verification first, then owner approval, then success.
pub async fn continue_sign_in(app: &Arc<App>, member: MemberRow) -> Result<Outcome, ApiError> {
    let app2 = app.clone();
    app.db
        .call(move |c| {
            let now = util::now_ms();
            if app2.config.require_email_verification && !member.email_verified {
                let state_token = util::secret("ST.");
                let code = util::six_digits();
                let expires = now.saturating_add(app2.config.verification_code_ttl as i64 * 1000);
                store::insert_state_token(c, &util::hash(&state_token), &member.id, &code, expires)?;
                store::insert_outbox(c, &member.email, "verification", &code, None, now)?;
                return Ok(Outcome::VerifyEmail { member, state_token });
            }
            if member.status == store::PENDING {
                return Ok(Outcome::AwaitApproval { member });
            }
            let session_token = new_session_token(c, &member.id)?;
            Ok(Outcome::Success { member, session_token })
        })
        .await
}

/// Stores and returns a fresh single-use `sessionToken`.
pub fn new_session_token(c: &rusqlite::Connection, member_id: &str) -> rusqlite::Result<String> {
    let token = util::timed_secret("JWS.");
    let expires = util::now_ms() + SESSION_TOKEN_TTL_MS;
    store::insert_grant(c, &token, store::grant::SESSION_TOKEN, member_id, expires)?;
    Ok(token)
}

/// `--require-captcha`: no token is -19971, the token `invalid-captcha-token` is -19970.
fn check_captcha(app: &App, tokens: Option<&[CaptchaToken]>) -> Result<(), ApiError> {
    if !app.config.require_captcha {
        return Ok(());
    }
    let given: Vec<&str> = tokens
        .unwrap_or_default()
        .iter()
        .flat_map(|t| [t.recaptcha.as_deref(), t.invisible_recaptcha.as_deref()])
        .flatten()
        .filter(|t| !t.trim().is_empty())
        .collect();
    if given.is_empty() {
        return Err(ApiError::wix(StatusCode::BAD_REQUEST, code::CODE_MISSING_CAPTCHA_TOKEN, "captcha token is missing"));
    }
    if given.contains(&INVALID_CAPTCHA_TOKEN) {
        return Err(ApiError::wix(StatusCode::BAD_REQUEST, code::CODE_INVALID_CAPTCHA_TOKEN, "captcha token is invalid"));
    }
    Ok(())
}

/// The email, trimmed and lower-cased, or the validation error Wix marks with `type: EMAIL`.
pub fn normalize_email(email: &str, field: &str) -> Result<String, ApiError> {
    let email = email.trim().to_lowercase();
    if util::is_valid_email(&email) {
        Ok(email)
    } else {
        Err(ApiError::validation(field, "email address is not valid", "EMAIL"))
    }
}

/// Email + password sign-in, shared by `login` and the hosted pages (which have no captcha).
pub async fn sign_in_with_password(app: &Arc<App>, email: &str, password: &str) -> Result<Outcome, ApiError> {
    let email = normalize_email(email, "loginId.email")?;
    let member = app
        .db
        .call(move |c| Ok(store::member_by_email(c, &email)?))
        .await?
        .ok_or_else(|| ApiError::wix(StatusCode::FORBIDDEN, code::CODE_MEMBER_NOT_FOUND, "no member with this email"))?;
    let Some(hash) = member.password_hash.clone() else {
        // Members created by sign-on have no password yet.
        return Err(ApiError::wix(StatusCode::BAD_REQUEST, code::CODE_RESET_PASSWORD, "the member must set a password first"));
    };
    if !app.passwords.verify(hash, password.to_owned()).await {
        return Err(ApiError::wix(StatusCode::UNAUTHORIZED, code::CODE_INVALID_PASSWORD, "wrong password"));
    }
    continue_sign_in(app, member).await
}

/// Creates a member, shared by `register` and the hosted pages (which have no captcha).
pub async fn create_member(app: &Arc<App>, req: RegisterRequest) -> Result<Outcome, ApiError> {
    let email = normalize_email(&req.login_id.email, "loginId.email")?;
    if req.password.is_empty() {
        return Err(ApiError::validation("password", "password is required", "PASSWORD"));
    }
    let password_hash = app.passwords.hash(req.password).await?;
    let member = new_member(app, email, Some(password_hash), req.profile.unwrap_or_default(), false);
    let stored = member.clone();
    let inserted = app.db.call(move |c| Ok(store::insert_member(c, &stored)?)).await?;
    if !inserted {
        return Err(ApiError::wix(StatusCode::BAD_REQUEST, code::CODE_EMAIL_ALREADY_EXISTS, "a member with this email already exists"));
    }
    continue_sign_in(app, member).await
}

fn new_member(app: &App, email: String, password_hash: Option<String>, profile: IdentityProfile, verified: bool) -> MemberRow {
    let now = util::now_ms();
    MemberRow {
        id: util::uuid(),
        email,
        password_hash,
        status: if app.config.require_owner_approval { store::PENDING } else { store::ACTIVE }.into(),
        email_verified: verified,
        profile: serde_json::to_string(&profile).unwrap_or_else(|_| "{}".into()),
        created_ms: now,
        updated_ms: now,
        revision: 1,
    }
}

/// Identity calls (login, register, verify, recovery) act for a visitor: the live service
/// wants the visitor's access token as `Authorization`, as the Wix custom-login guide sends it
/// and as `@wix/sdk` does through its client. A member's token is a visitor's too.
pub async fn require_visitor(app: &App, headers: &HeaderMap) -> Result<(), ApiError> {
    super::members::presented_token(app, headers).await.map(drop)
}

/// `POST /_api/iam/authentication/v2/login`.
pub async fn login_route(State(app): State<Arc<App>>, headers: HeaderMap, body: RawBody) -> Result<Json<StateMachineResponse>, ApiError> {
    require_visitor(&app, &headers).await?;
    let req: LoginRequest = body.parse().map_err(|e| e.wix().for_login())?;
    check_captcha(&app, req.captcha_tokens.as_deref())?;
    Ok(Json(sign_in_with_password(&app, &req.login_id.email, &req.password).await.map_err(ApiError::for_login)?.body()))
}

/// `POST /_api/iam/authentication/v2/register`.
pub async fn register_route(State(app): State<Arc<App>>, headers: HeaderMap, body: RawBody) -> Result<Json<StateMachineResponse>, ApiError> {
    require_visitor(&app, &headers).await?;
    let req: RegisterRequest = body.parse().map_err(|e| e.wix())?;
    check_captcha(&app, req.captcha_tokens.as_deref())?;
    Ok(Json(create_member(&app, req).await?.body()))
}

/// `POST /_api/iam/authentication/v2/sign-on`: a trusted server (API key) signs a member in by
/// email, creating the member if needed; the session token feeds the `authorized_client` grant.
pub async fn sign_on_route(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: RawBody,
) -> Result<Json<SignOnResponse>, ApiError> {
    match super::oauth2::api_key(&headers) {
        Some(key) if app.config.knows_api_key(&key) => {}
        Some(_) => return Err(ApiError::wix(StatusCode::FORBIDDEN, "PERMISSION_DENIED", "unknown API key")),
        None => return Err(ApiError::unauthenticated("sign-on needs an API key in the Authorization header")),
    }
    let req: SignOnRequest = body.parse().map_err(|e| e.wix())?;
    let email = normalize_email(&req.login_id.email, "loginId.email")?;
    let fresh = new_member(&app, email.clone(), None, req.profile.unwrap_or_default(), req.verify_email.unwrap_or(false));
    let (member, session_token) = app
        .db
        .call(move |c| {
            let tx = c.savepoint()?;
            store::insert_member(&tx, &fresh)?;
            let member = store::member_by_email(&tx, &email)?.ok_or_else(|| ApiError::Internal("member vanished".into()))?;
            let token = new_session_token(&tx, &member.id)?;
            tx.commit()?;
            Ok((member, token))
        })
        .await?;
    Ok(Json(SignOnResponse { session_token, identity: identity(&member) }))
}
