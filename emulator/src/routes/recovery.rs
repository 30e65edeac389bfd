//! Password recovery: `POST /_api/iam/recovery/v1/send-email` puts a reset link in the outbox
//! (and answers `{}` for unknown emails too, so it cannot be used to probe for members); the
//! link opens a small page that sets a new password.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::sync::Arc;
use wix_auth_protocol::authentication::RecoveryRequest;
use wix_auth_protocol::form;

use super::authentication::{normalize_email, require_visitor};
use crate::state::App;
use crate::error::ApiError;
use crate::extract::{Params, RawBody};
use crate::html;
use crate::{store, util};

/// Path of the reset page the emailed link opens.
pub const RESET_PATH: &str = "/_api/iam/recovery/v1/reset";
const RESET_TTL_MS: i64 = 60 * 60 * 1000;
const INVALID_LINK: &str = "This reset link is invalid, used or expired.";

/// `POST /_api/iam/recovery/v1/send-email`.
pub async fn send_email(State(app): State<Arc<App>>, headers: HeaderMap, body: RawBody) -> Result<Json<serde_json::Value>, ApiError> {
    require_visitor(&app, &headers).await?;
    let req: RecoveryRequest = body.parse().map_err(|e| e.wix())?;
    let email = normalize_email(&req.email, "email")?;
    // Wix: the redirect URL must be one of the app's allowed authorization redirect URIs, exactly.
    if req.redirect.as_ref().is_some_and(|r| !app.config.allows_redirect(&r.url)) {
        return Err(ApiError::validation("redirect.url", "redirect.url is not an allowed authorization redirect URI", "URL"));
    }
    // The link opens the site host's reset page (built from configuration, never from `Host`).
    let mut link = format!("{}{RESET_PATH}?", app.site_base);
    let token = util::timed_secret("RST.");
    let mut pairs = vec![("token", token.as_str())];
    if let Some(r) = req.redirect.as_ref() {
        pairs.push(("redirectUrl", r.url.as_str()));
    }
    link.push_str(&form::serialize(pairs));
    app.db
        .call(move |c| {
            if let Some(member) = store::member_by_email(c, &email)? {
                let now = util::now_ms();
                store::insert_grant(c, &token, store::grant::PASSWORD_RESET, &member.id, now + RESET_TTL_MS)?;
                store::insert_outbox(c, &email, "password_reset", &token, Some(&link), now)?;
            }
            Ok(())
        })
        .await?;
    Ok(Json(serde_json::json!({})))
}

/// The reset link's fields (query of the `GET`, form of the `POST`).
struct ResetQuery {
    token: String,
    redirect_url: String,
}

impl From<&Params> for ResetQuery {
    fn from(p: &Params) -> Self {
        Self { token: p.get("token"), redirect_url: p.get("redirectUrl") }
    }
}

fn reset_form(q: &ResetQuery, error: Option<&str>) -> Response {
    let body = format!(
        "{}<form method=\"post\" action=\"{RESET_PATH}\">{}{}{}<button type=\"submit\">Set password</button></form>",
        html::error_block(error),
        html::hidden("token", &q.token),
        html::hidden("redirectUrl", &q.redirect_url),
        html::input("password", "New password", "password", "new-password", "", error.is_some()),
    );
    html::page(if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK }, "Choose a new password", &body)
}

/// `GET` the reset page.
pub async fn reset_page(q: Params) -> Response {
    reset_form(&ResetQuery::from(&q), None)
}

/// `POST` the reset page: sets the password, then returns to `redirectUrl` if its origin is allowed.
pub async fn reset_submit(State(app): State<Arc<App>>, headers: HeaderMap, body: RawBody) -> Response {
    if let Some(refused) = html::refuse_cross_site(&app.site_base, &headers) {
        return refused;
    }
    let form = body.form();
    let q = ResetQuery::from(&form);
    let password = form.get("password");
    if password.is_empty() {
        return reset_form(&q, Some("Enter a new password."));
    }
    // The token first: argon2 is only paid for by someone holding a live reset link.
    let (token, lookup) = (q.token.clone(), q.token.clone());
    match app.db.call(move |c| Ok(store::grant_member(c, &lookup, store::grant::PASSWORD_RESET, util::now_ms(), false)?)).await {
        Ok(Some(_)) => {}
        Ok(None) => return reset_form(&q, Some(INVALID_LINK)),
        Err(e) => return e.into_response(),
    }
    let hash = match app.passwords.hash(password).await {
        Ok(h) => h,
        Err(e) => return e.into_response(),
    };
    let changed = app
        .db
        .call(move |c| {
            let tx = c.savepoint()?;
            let now = util::now_ms();
            let Some(member) = store::grant_member(&tx, &token, store::grant::PASSWORD_RESET, now, true)? else {
                return Ok(false);
            };
            let changed = store::set_password(&tx, &member, &hash, now)?;
            // A reset is what a member does after losing control of the account: every token
            // and site session issued so far ends with it.
            store::revoke_subject(&tx, &member)?;
            store::delete_member_grants(&tx, &member, store::grant::SITE_SESSION)?;
            tx.commit()?;
            Ok(changed)
        })
        .await;
    match changed {
        Ok(true) if util::origin_of(&q.redirect_url).is_some_and(|o| app.config.allows_origin(&o)) => {
            (StatusCode::FOUND, [(header::LOCATION, q.redirect_url)]).into_response()
        }
        Ok(true) => html::page(StatusCode::OK, "Password changed", "<p>You can now sign in with your new password.</p>"),
        Ok(false) => reset_form(&q, Some(INVALID_LINK)),
        Err(e) => e.into_response(),
    }
}
