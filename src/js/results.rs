//! What the methods resolve to, built member by member with js-sys (`Object` and `Reflect.set`)
//! in the shapes `@wix/sdk` resolves to. A serde `Serialize` per result type shipped a serializer
//! of its own for each; these are a few calls each. `tests/browser_results.rs` checks every shape
//! against the serde form the protocol types define (serde-wasm-bindgen, JSON-compatible).

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

use wix_auth_protocol::callback::ParsedCallback;
use wix_auth_protocol::login_state::{FailureCause, StateMachine};
use wix_auth_session::{AuthUrl, LogoutResult, OAuthData, Tokens};

/// A result as the JS value it resolves to.
pub trait ToJs {
    fn to_js(&self) -> JsValue;
}

/// A plain object with `members` in order; a member whose value is `None` is left out.
fn object(members: &[(&str, Option<JsValue>)]) -> JsValue {
    let o = Object::new();
    for (key, value) in members {
        if let Some(value) = value {
            // Setting a data property on a fresh plain object cannot throw.
            let _ = Reflect::set(&o, &JsValue::from_str(key), value);
        }
    }
    o.into()
}

fn text(s: &str) -> Option<JsValue> {
    Some(JsValue::from_str(s))
}

/// An optional text member: left out when `None`.
fn opt_text(s: &Option<String>) -> Option<JsValue> {
    s.as_deref().map(JsValue::from_str)
}

/// An optional text member that is there either way: `null` when `None`.
fn text_or_null(s: &Option<String>) -> Option<JsValue> {
    Some(opt_text(s).unwrap_or(JsValue::NULL))
}

fn number(n: f64) -> Option<JsValue> {
    Some(JsValue::from_f64(n))
}

impl ToJs for Tokens {
    fn to_js(&self) -> JsValue {
        let access = object(&[("value", text(&self.access_token.value)), ("expiresAt", number(self.access_token.expires_at as f64))]);
        let refresh = object(&[("value", text(&self.refresh_token.value)), ("role", text(self.refresh_token.role.as_str()))]);
        object(&[("accessToken", Some(access)), ("refreshToken", Some(refresh))])
    }
}

impl ToJs for StateMachine {
    fn to_js(&self) -> JsValue {
        let data = (!self.data.is_empty()).then(|| {
            object(&[("sessionToken", opt_text(&self.data.session_token)), ("stateToken", opt_text(&self.data.state_token))])
        });
        object(&[
            ("loginState", text(self.login_state.as_str())),
            ("data", data),
            ("errorCode", self.error_code.map(|c| JsValue::from_str(c.as_str()))),
            ("error", opt_text(&self.error)),
            ("authError", self.auth_error.as_ref().map(FailureCause::to_js)),
        ])
    }
}

impl ToJs for FailureCause {
    fn to_js(&self) -> JsValue {
        object(&[
            ("code", text(&self.code)),
            ("status", number(f64::from(self.status))),
            ("requestId", opt_text(&self.request_id)),
            ("applicationCode", opt_text(&self.application_code)),
            ("message", text(&self.message)),
        ])
    }
}

impl ToJs for OAuthData {
    fn to_js(&self) -> JsValue {
        object(&[
            ("state", text(&self.state)),
            ("redirectUri", text(&self.redirect_uri)),
            ("originalUri", text(&self.original_uri)),
            ("codeVerifier", text(&self.code_verifier)),
            ("codeChallenge", text(&self.code_challenge)),
        ])
    }
}

impl ToJs for ParsedCallback {
    fn to_js(&self) -> JsValue {
        object(&[
            ("code", text_or_null(&self.code)),
            ("state", text_or_null(&self.state)),
            ("error", opt_text(&self.error)),
            ("errorDescription", self.error_description.as_ref().and_then(text_or_null)),
        ])
    }
}

impl ToJs for AuthUrl {
    fn to_js(&self) -> JsValue {
        object(&[
            ("authUrl", text(&self.auth_url)),
            ("authorizationEndpoint", text(&self.authorization_endpoint)),
            ("sessionToken", opt_text(&self.session_token)),
        ])
    }
}

impl ToJs for LogoutResult {
    fn to_js(&self) -> JsValue {
        object(&[("logoutUrl", text(&self.logout_url))])
    }
}

/// What `getAuthHeaders` resolves to: `{headers: {Authorization}}`.
pub fn auth_headers(authorization: &str) -> JsValue {
    object(&[("headers", Some(object(&[("Authorization", text(authorization))])))])
}

/// `usableAuth`'s `[token, until]`.
pub fn usable_auth(token: &str, until_ms: u64) -> JsValue {
    Array::of2(&JsValue::from_str(token), &JsValue::from_f64(until_ms as f64)).into()
}
