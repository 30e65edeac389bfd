//! The hosted pages a redirect session's `fullUrl` opens: sign-in / sign-up (the authorize
//! endpoint), logout and pre-warm. A successful sign-in leaves a site-session cookie, so a later
//! `prompt=none` completes without any page; results go back by redirect (`fragment`, `query`)
//! or by `postMessage` to the embedding page (`web_message`).

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::sync::Arc;
use crate::wire::callback::build_callback;
use crate::wire::identity::RegisterRequest;
use wix_auth_protocol::authentication::{IdentityProfile, LoginId};
use wix_auth_protocol::redirect_session::{AuthRequest, AuthSession, Prompt, RedirectSessionRequest, ResponseMode};

use super::authentication::{create_member, sign_in_with_password, Outcome};
use super::redirects::{store_session, validate_auth, KIND_AUTH, KIND_LOGOUT, KIND_PREWARM};
use crate::state::App;
use crate::extract::{Params, RawBody};
use crate::html::{self, esc};
use crate::store::{self, CodeRow};
use crate::util;

/// The authorize page (`fullUrl` of a login session).
pub const AUTHORIZE_PATH: &str = "/_api/oauth2/authorize";
/// The logout page.
pub const LOGOUT_PATH: &str = "/_api/oauth2/logout";
/// The pre-warm page.
pub const PREWARM_PATH: &str = "/_api/oauth2/prewarm";
/// The site-session cookie.
pub const SESSION_COOKIE: &str = "wix_emulator_session";
const SITE_SESSION_TTL_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// What the live service answers when the embedding origin is not an allowed redirect domain
/// (a public design log saw it on direct login).
pub const ORIGIN_REFUSED: &str = "Allowed_domains_fetch_failed";

/// Query or form field naming the redirect session.
const SESSION_ID: &str = "redirectSessionId";

/// A loaded login session.
struct AuthContext {
    id: String,
    request: AuthRequest,
    prompt: Prompt,
    /// Where `web_message` results go: the embedding page's origin.
    client_origin: Option<String>,
}

fn session_error(message: &str) -> Response {
    html::page(StatusCode::BAD_REQUEST, "Sign-in link not valid", &format!("<p role=\"alert\">{}</p>", esc(message)))
}

/// Loads a stored session of `kind`, with its request body.
async fn load(app: &Arc<App>, id: &str, kind: &'static str) -> Result<(RedirectSessionRequest, Option<String>), Response> {
    let id = id.to_owned();
    let row = app.db.call(move |c| Ok(store::session(c, &id)?)).await.map_err(IntoResponse::into_response)?;
    let row = row.filter(|r| r.kind == kind).ok_or_else(|| session_error("This link is unknown or was not made for this page."))?;
    let req = serde_json::from_str(&row.request).map_err(|_| session_error("This session is damaged."))?;
    Ok((req, row.client_origin))
}

async fn load_auth(app: &Arc<App>, id: &str) -> Result<AuthContext, Response> {
    let (req, client_origin) = load(app, id, KIND_AUTH).await?;
    let auth = req.auth.ok_or_else(|| session_error("This session is damaged."))?;
    Ok(AuthContext { id: id.to_owned(), request: auth.auth_request, prompt: auth.prompt, client_origin })
}

/// The origin of the page that embeds or opened us, from `Referer`, else `Origin`.
fn requesting_origin(headers: &HeaderMap) -> Option<String> {
    let get = |h: header::HeaderName| headers.get(h).and_then(|v| v.to_str().ok()).and_then(util::origin_of);
    get(header::REFERER).or_else(|| get(header::ORIGIN))
}

/// The value of our cookie in a `Cookie` header.
fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
}

fn cookie_header(value: &str, max_age_s: i64) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!("{SESSION_COOKIE}={value}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age_s}")).ok()
}

/// The authorization request of a flat OAuth query (`clientId`, `responseType`, `state`,
/// `redirectUri`, `scope`, `responseMode`, `codeChallenge`, `codeChallengeMethod`, `prompt`,
/// `sessionToken`), as a public script sends it to the live site's authorize endpoint.
fn flat_auth_session(q: &Params) -> Result<AuthSession, String> {
    let mut request = serde_json::Map::new();
    for name in ["clientId", "responseType", "state", "redirectUri", "scope", "responseMode", "codeChallenge", "codeChallengeMethod", "sessionToken"] {
        if let Some(v) = q.opt(name) {
            request.insert(name.to_owned(), json!(v));
        }
    }
    // Absent fields default as in a redirect session; an unknown mode or prompt is refused.
    for (name, default) in [("scope", "offline_access"), ("state", ""), ("codeChallenge", ""), ("codeChallengeMethod", ""), ("responseType", "")] {
        request.entry(name).or_insert_with(|| json!(default));
    }
    let session = json!({"authRequest": request, "prompt": q.opt("prompt").unwrap_or_else(|| "login".into())});
    serde_json::from_value(session).map_err(|e| format!("the authorization request is not valid: {e}"))
}

/// The login session a `GET` names: `redirectSessionId`, or a flat OAuth query, which is
/// checked as a redirect session would be and stored as one (the form posts back its id).
async fn requested_context(app: &Arc<App>, q: &Params) -> Result<AuthContext, Response> {
    if let Some(id) = q.opt(SESSION_ID) {
        return load_auth(app, &id).await;
    }
    if q.opt("clientId").is_none() {
        return Err(session_error("This link names no sign-in session (redirectSessionId or clientId)."));
    }
    let auth = flat_auth_session(q).map_err(|e| session_error(&e))?;
    validate_auth(&app.config, &auth).map_err(|e| session_error(&e.human_message()))?;
    let request = RedirectSessionRequest { auth: Some(auth), ..Default::default() };
    let stored = serde_json::to_string(&request).map_err(|_| session_error("This session is damaged."))?;
    let id = store_session(app, KIND_AUTH, stored).await.map_err(IntoResponse::into_response)?;
    load_auth(app, &id).await
}

/// `GET` the authorize page.
pub async fn authorize(State(app): State<Arc<App>>, q: Params, headers: HeaderMap) -> Response {
    let mut ctx = match requested_context(&app, &q).await {
        Ok(ctx) => ctx,
        Err(page) => return page,
    };
    if ctx.client_origin.is_none() && ctx.request.response_mode == ResponseMode::WebMessage {
        if let Some(origin) = requesting_origin(&headers) {
            let (id, o) = (ctx.id.clone(), origin.clone());
            if let Err(e) = app.db.call(move |c| Ok(store::set_session_origin(c, &id, &o)?)).await {
                return e.into_response();
            }
            ctx.client_origin = Some(origin);
        }
    }
    let resp = authorize_page(&app, &ctx, &headers).await;
    frame_policy(&app, &ctx, resp)
}

async fn authorize_page(app: &Arc<App>, ctx: &AuthContext, headers: &HeaderMap) -> Response {
    if delivery_refused(app, ctx) {
        // Nothing is consumed or issued for a page that could never receive it.
        return respond(app, ctx, Err((ORIGIN_REFUSED, "the embedding origin is not allowed")));
    }
    let session_token = ctx.request.session_token.clone().filter(|t| !t.is_empty());
    let cookie = session_cookie(headers);
    let consumed = app
        .db
        .call(move |c| {
            let now = util::now_ms();
            // An explicit sessionToken (direct login) wins over the cookie; it is single-use.
            if let Some(token) = session_token {
                if let Some(member) = store::grant_member(c, &token, store::grant::SESSION_TOKEN, now, true)? {
                    return Ok((Some(member), true));
                }
            }
            let from_cookie = match cookie {
                Some(v) => store::grant_member(c, &v, store::grant::SITE_SESSION, now, false)?,
                None => None,
            };
            Ok((from_cookie, false))
        })
        .await;
    let (member, explicit) = match consumed {
        Ok(found) => found,
        Err(e) => return e.into_response(),
    };
    match (ctx.prompt, member) {
        (_, Some(member)) if explicit => complete(app, ctx, &member, None).await,
        (Prompt::None, Some(member)) => complete(app, ctx, &member, None).await,
        (Prompt::None, None) => respond(app, ctx, Err(("login_required", "no signed-in member and no valid sessionToken"))),
        // prompt=login asks for credentials even with a site session (OpenID Connect's meaning).
        (Prompt::Login, _) => sign_in_form(ctx, "", None),
    }
}

fn sign_in_form(ctx: &AuthContext, email: &str, error: Option<&str>) -> Response {
    let has_error = error.is_some();
    let body = format!(
        "<p class=\"note\">Sign in to continue, or create an account.</p>{}\
<form method=\"post\" action=\"{AUTHORIZE_PATH}\">{}{}{}\
<button type=\"submit\" name=\"action\" value=\"login\">Sign in</button>\
<button type=\"submit\" name=\"action\" value=\"register\">Create account</button></form>",
        html::error_block(error),
        html::hidden(SESSION_ID, &ctx.id),
        html::input("email", "Email", "email", "email", email, has_error),
        html::input("password", "Password", "password", "current-password", "", has_error),
    );
    html::page(if has_error { StatusCode::BAD_REQUEST } else { StatusCode::OK }, "Sign in", &body)
}

fn verify_form(ctx: &AuthContext, state_token: &str, error: Option<&str>) -> Response {
    let body = format!(
        "<p class=\"note\">We sent a 6-digit code to your email (see <code>/_emulator/outbox</code>).</p>{}\
<form method=\"post\" action=\"{AUTHORIZE_PATH}\">{}{}\
<label for=\"code\">Verification code</label>\
<input id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" pattern=\"[0-9]{{6}}\" required>\
<button type=\"submit\" name=\"action\" value=\"verify\">Verify</button></form>",
        html::error_block(error),
        html::hidden(SESSION_ID, &ctx.id),
        html::hidden("stateToken", state_token),
    );
    html::page(if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK }, "Verify your email", &body)
}

/// `POST` the sign-in / sign-up / verification form.
pub async fn authorize_submit(State(app): State<Arc<App>>, headers: HeaderMap, body: RawBody) -> Response {
    if let Some(refused) = html::refuse_cross_site(&app.site_base, &headers) {
        return refused;
    }
    let form = body.form();
    let ctx = match load_auth(&app, &form.get(SESSION_ID)).await {
        Ok(ctx) => ctx,
        Err(page) => return page,
    };
    let resp = submit(&app, &ctx, &form).await;
    frame_policy(&app, &ctx, resp)
}

async fn submit(app: &Arc<App>, ctx: &AuthContext, form: &Params) -> Response {
    let field = |n: &str| form.get(n);
    let email = field("email");
    let action = field("action");
    let outcome = match action.as_str() {
        "register" => {
            let req = RegisterRequest {
                login_id: LoginId { email: email.clone() },
                password: field("password"),
                profile: Some(IdentityProfile::default()),
                captcha_tokens: None,
            };
            create_member(app, req).await
        }
        "verify" => super::verification::verify(app, field("code"), field("stateToken")).await,
        _ => sign_in_with_password(app, &email, &field("password")).await,
    };
    match outcome {
        Ok(Outcome::Success { member, .. }) => {
            let site_session = util::timed_secret("SS.");
            let (secret, member_id) = (site_session.clone(), member.id.clone());
            let stored = app
                .db
                .call(move |c| {
                    let expires = util::now_ms() + SITE_SESSION_TTL_MS;
                    Ok(store::insert_grant(c, &secret, store::grant::SITE_SESSION, &member_id, expires)?)
                })
                .await;
            match stored {
                Ok(()) => complete(app, ctx, &member.id, Some(site_session)).await,
                Err(e) => e.into_response(),
            }
        }
        Ok(Outcome::VerifyEmail { state_token, .. }) => verify_form(ctx, &state_token, None),
        Ok(Outcome::AwaitApproval { .. }) => {
            sign_in_form(ctx, &email, Some("Your account is waiting for the site owner's approval."))
        }
        Err(e) if action == "verify" => verify_form(ctx, &field("stateToken"), Some(&e.human_message())),
        Err(e) => sign_in_form(ctx, &email, Some(&e.human_message())),
    }
}

/// Issues an authorization code for `member_id` and returns it to the client; with
/// `site_session`, also sets the cookie.
async fn complete(app: &Arc<App>, ctx: &AuthContext, member_id: &str, site_session: Option<String>) -> Response {
    if delivery_refused(app, ctx) {
        return respond(app, ctx, Err((ORIGIN_REFUSED, "the embedding origin is not allowed")));
    }
    let code = util::secret("OLI.");
    let row = CodeRow {
        client_id: ctx.request.client_id.clone(),
        redirect_uri: ctx.request.redirect_uri.clone(),
        challenge: ctx.request.code_challenge.clone(),
        member_id: member_id.to_owned(),
        expires_ms: util::now_ms().saturating_add(app.config.code_ttl as i64 * 1000),
        was_used: false,
        family: None,
    };
    let hash = util::hash(&code);
    if let Err(e) = app.db.call(move |c| Ok(store::insert_code(c, &hash, &row)?)).await {
        return e.into_response();
    }
    let mut resp = respond(app, ctx, Ok(&code));
    if let Some(cookie) = site_session.and_then(|s| cookie_header(&s, SITE_SESSION_TTL_MS / 1000)) {
        resp.headers_mut().append(header::SET_COOKIE, cookie);
    }
    resp
}

/// The `web_message` origin to deliver to: the embedding page's, else the redirect URI's.
fn web_message_origin(ctx: &AuthContext) -> Option<String> {
    ctx.client_origin.clone().or_else(|| ctx.request.redirect_uri.as_deref().and_then(util::origin_of))
}

/// Whether a `web_message` result would go to an origin that is not allowed.
fn delivery_refused(app: &App, ctx: &AuthContext) -> bool {
    ctx.request.response_mode == ResponseMode::WebMessage
        && web_message_origin(ctx).is_some_and(|o| !app.config.allows_origin(&o))
}

/// Sends a code or an error (always with `state`) back the way the client asked.
fn respond(app: &App, ctx: &AuthContext, result: Result<&str, (&str, &str)>) -> Response {
    let state = ctx.request.state.as_str();
    let mode = ctx.request.response_mode;
    if mode != ResponseMode::WebMessage {
        let Some(uri) = ctx.request.redirect_uri.as_deref() else {
            return session_error("This session has no redirect URI.");
        };
        let pairs: Vec<(&str, &str)> = match result {
            Ok(code) => vec![("code", code), ("state", state)],
            Err((error, description)) => vec![("error", error), ("error_description", description), ("state", state)],
        };
        return (StatusCode::FOUND, [(header::LOCATION, build_callback(uri, mode, &pairs))]).into_response();
    }
    let Some(origin) = web_message_origin(ctx) else {
        return session_error("Cannot tell which page embeds this one (no Referer), so the result cannot be delivered.");
    };
    if !app.config.allows_origin(&origin) {
        // The live service answers 400 `Allowed_domains_fetch_failed`; the page also tells the
        // embedding page at once instead of leaving it to time out.
        let message = json!({"state": state, "error": ORIGIN_REFUSED, "error_description": "this origin is not an allowed redirect domain", "rejectedOrigin": origin});
        let mut resp = web_message_page(&message, &origin);
        *resp.status_mut() = StatusCode::BAD_REQUEST;
        return resp;
    }
    let message = match result {
        Ok(code) => json!({"code": code, "state": state}),
        Err((error, description)) => json!({"state": state, "error": error, "error_description": description}),
    };
    web_message_page(&message, &origin)
}

/// Who may frame a page of this session: the allowed origins for a `web_message` session (its
/// page answers inside the client's hidden frame; a refused origin may frame the refusal, which
/// carries no code), nobody otherwise (the default of `app::security_headers`).
fn frame_policy(app: &App, ctx: &AuthContext, mut resp: Response) -> Response {
    if ctx.request.response_mode == ResponseMode::WebMessage {
        let mut ancestors = app.config.allowed_origins.clone();
        if let Some(o) = web_message_origin(ctx).filter(|o| !app.config.allows_origin(o)) {
            ancestors.push(o);
        }
        html::framable_by(&mut resp, &ancestors);
    }
    resp
}

fn web_message_page(message: &serde_json::Value, target_origin: &str) -> Response {
    let script = format!(
        "<script>window.parent.postMessage({}, {});</script>",
        html::script_json(message),
        html::script_json(&json!(target_origin)),
    );
    html::page(StatusCode::OK, "Returning to the site", &format!("<p>You can close this window.</p>{script}"))
}

/// `GET` the logout page: ends the site session, revokes the member's tokens, and returns to
/// `postFlowUrl` when its origin is allowed.
pub async fn logout(State(app): State<Arc<App>>, q: Params, headers: HeaderMap) -> Response {
    let (req, _) = match load(&app, &q.get(SESSION_ID), KIND_LOGOUT).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    if let Some(cookie) = session_cookie(&headers) {
        let ended = app
            .db
            .call(move |c| {
                let tx = c.savepoint()?;
                if let Some(member) = store::grant_member(&tx, &cookie, store::grant::SITE_SESSION, util::now_ms(), true)? {
                    store::delete_member_grants(&tx, &member, store::grant::SITE_SESSION)?;
                    store::revoke_subject(&tx, &member)?;
                }
                tx.commit()?;
                Ok(())
            })
            .await;
        if let Err(e) = ended {
            return e.into_response();
        }
    }
    let target = req.callbacks.and_then(|c| c.post_flow_url).filter(|u| util::origin_of(u).is_some_and(|o| app.config.allows_origin(&o)));
    let mut resp = match target {
        Some(url) => (StatusCode::FOUND, [(header::LOCATION, url)]).into_response(),
        None => html::page(StatusCode::OK, "Signed out", "<p>You are signed out.</p>"),
    };
    if let Some(clear) = cookie_header("", 0) {
        resp.headers_mut().append(header::SET_COOKIE, clear);
    }
    resp
}

/// `GET` the pre-warm page: nothing to warm in the emulator; it only has to load, in the hidden
/// frame of an allowed storefront (`sessions.syncWithWixPages`).
pub async fn prewarm(State(app): State<Arc<App>>, q: Params) -> Response {
    match load(&app, &q.get(SESSION_ID), KIND_PREWARM).await {
        Ok(_) => {
            let mut resp = html::page(StatusCode::OK, "Ready", "<p>Session ready.</p>");
            html::framable_by(&mut resp, &app.config.allowed_origins);
            resp
        }
        Err(page) => page,
    }
}
