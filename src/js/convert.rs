//! JsValue ⇄ Rust at the boundary: arguments in (lenient where Wix is, typed errors where not),
//! results out as plain JSON-like objects, and `AuthError` as a JS `Error`.

use std::future::Future;
use std::pin::Pin;

use js_sys::{Array, Error, Object, Promise, Reflect};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::browser::json;
use wix_auth_protocol::error::{AuthError, ErrorCode};
use wix_auth_protocol::json_value::{FloatBits, JsonValue};
use wix_auth_session::{AccessToken, CaptchaTokens, IdentityProfile, RefreshToken, Role, Tokens};

/// `AuthError` → a JS `Error` named `AuthError` with `code`, `status` and `requestId`.
pub(crate) fn js_error(e: AuthError) -> JsValue {
    let error = Error::new(&e.message);
    error.set_name("AuthError");
    let set = |k: &str, v: JsValue| drop(Reflect::set(&error, &JsValue::from_str(k), &v));
    set("code", JsValue::from_str(e.code.as_str()));
    set("status", JsValue::from(e.status));
    set("requestId", e.request_id.as_deref().map_or(JsValue::UNDEFINED, JsValue::from_str));
    error.into()
}

/// An `invalid_argument` error naming the argument (never its value: it may be a token).
pub(crate) fn bad_arg(message: &str) -> AuthError {
    AuthError::new(ErrorCode::InvalidArgument, message)
}

/// Runs `f` as a JS promise; its `AuthError` rejects with [`js_error`].
pub(crate) fn promise<F>(f: F) -> Promise
where
    F: Future<Output = Result<JsValue, AuthError>> + 'static,
{
    run(Box::pin(f))
}

/// The one (non-generic) instance of the promise machinery: boxing each method's future keeps
/// wasm-bindgen-futures' executor glue from being copied into every exported method.
fn run(f: Pin<Box<dyn Future<Output = Result<JsValue, AuthError>>>>) -> Promise {
    wasm_bindgen_futures::future_to_promise(async move { f.await.map_err(js_error) })
}

/// A Rust value as a plain JS object (objects, not `Map`s; numbers, not `BigInt`s).
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, AuthError> {
    json::to_js(value).ok_or_else(|| AuthError::new(ErrorCode::UnexpectedResponse, "a result could not be converted"))
}

/// A JS argument as `T`, or `invalid_argument` with `what` as the message.
pub(crate) fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, AuthError> {
    json::from_js(value).ok_or_else(|| bad_arg(what))
}

/// A string argument (or `what` as an `invalid_argument`).
pub(crate) fn string(value: &JsValue, what: &str) -> Result<String, AuthError> {
    value.as_string().ok_or_else(|| bad_arg(what))
}

/// `obj[key]`, `undefined` when `obj` is not an object.
pub(crate) fn field(obj: &JsValue, key: &str) -> JsValue {
    if obj.is_object() {
        Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// `obj[key]` as an optional string; present but not a string is `invalid_argument`.
pub(crate) fn opt_string(obj: &JsValue, key: &str, what: &str) -> Result<Option<String>, AuthError> {
    let v = field(obj, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    string(&v, what).map(Some)
}

/// Whether `v` is `null` or `undefined`.
pub(crate) fn absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// A `Role` by Wix's spelling.
fn role(v: Option<String>) -> Result<Role, AuthError> {
    Ok(match v.as_deref() {
        None | Some("none") => Role::None,
        Some("visitor") => Role::Visitor,
        Some("member") => Role::Member,
        Some(_) => return Err(bad_arg("refreshToken.role must be none, visitor or member")),
    })
}

// Arguments are read field by field rather than through serde: derived deserializers for these
// shapes would be shipped only for this, and cost more than these few lines.

/// A `Tokens` argument (`null`/`undefined` → `None`). Wix accepts partial objects (`{refreshToken}`
/// alone) and `expiresAt` computed with floats, so every part is optional here.
pub(crate) fn tokens(value: JsValue) -> Result<Option<Tokens>, AuthError> {
    const WHAT: &str = "tokens must be a Tokens object";
    if absent(&value) {
        return Ok(None);
    }
    if !value.is_object() {
        return Err(bad_arg(WHAT));
    }
    let access = field(&value, "accessToken");
    let expires_at = field(&access, "expiresAt").as_f64().filter(|t| t.is_finite() && *t > 0.0).map_or(0, |t| t as u64);
    Ok(Some(Tokens {
        access_token: AccessToken { value: opt_string(&access, "value", WHAT)?.unwrap_or_default(), expires_at },
        refresh_token: refresh_token(field(&value, "refreshToken")).unwrap_or_default(),
    }))
}

/// A `RefreshToken` argument; a bare string is taken as its value.
pub(crate) fn refresh_token(value: JsValue) -> Result<RefreshToken, AuthError> {
    const WHAT: &str = "refreshToken must be a RefreshToken object";
    if let Some(v) = value.as_string() {
        return Ok(RefreshToken { value: v, role: Role::None });
    }
    if !value.is_object() {
        return Err(bad_arg(WHAT));
    }
    Ok(RefreshToken {
        value: opt_string(&value, "value", WHAT)?.unwrap_or_default(),
        role: role(opt_string(&value, "role", WHAT)?)?,
    })
}

/// `captchaTokens` of `login` / `register`.
pub(crate) fn captcha(value: &JsValue) -> Result<Option<CaptchaTokens>, AuthError> {
    const WHAT: &str = "captchaTokens must be {recaptchaToken?, invisibleRecaptchaToken?}";
    if absent(value) {
        return Ok(None);
    }
    Ok(Some(CaptchaTokens {
        recaptcha_token: opt_string(value, "recaptchaToken", WHAT)?,
        invisible_recaptcha_token: opt_string(value, "invisibleRecaptchaToken", WHAT)?,
    }))
}

/// `profile` of `register`.
pub(crate) fn profile(value: &JsValue) -> Result<Option<IdentityProfile>, AuthError> {
    const WHAT: &str = "profile must be an IdentityProfile object";
    if absent(value) {
        return Ok(None);
    }
    if !value.is_object() {
        return Err(bad_arg(WHAT));
    }
    let text = |k| opt_string(value, k, WHAT);
    let custom = field(value, "customFields");
    Ok(Some(IdentityProfile {
        first_name: text("firstName")?,
        last_name: text("lastName")?,
        nickname: text("nickname")?,
        picture: text("picture")?,
        emails: strings(&field(value, "emails"), WHAT)?,
        phones: strings(&field(value, "phones"), WHAT)?,
        labels: strings(&field(value, "labels"), WHAT)?,
        language: text("language")?,
        privacy_status: text("privacyStatus")?,
        custom_fields: if absent(&custom) { None } else { Some(json_value(&custom, 0)?) },
    }))
}

/// An optional array of strings.
fn strings(value: &JsValue, what: &str) -> Result<Vec<String>, AuthError> {
    if absent(value) {
        return Ok(Vec::new());
    }
    let array: &Array = value.dyn_ref().ok_or_else(|| bad_arg(what))?;
    array.iter().map(|v| string(&v, what)).collect()
}

/// Any JSON-like value; cycles and absurd nesting are refused, not followed.
fn json_value(value: &JsValue, depth: u32) -> Result<JsonValue, AuthError> {
    const WHAT: &str = "customFields must be JSON data";
    if depth > 32 {
        return Err(bad_arg(WHAT));
    }
    if absent(value) {
        return Ok(JsonValue::Null);
    }
    if let Some(b) = value.as_bool() {
        return Ok(JsonValue::Bool(b));
    }
    if let Some(n) = value.as_f64() {
        return Ok(if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0 {
            JsonValue::Int(n as i64)
        } else {
            JsonValue::Float(FloatBits(n))
        });
    }
    if let Some(s) = value.as_string() {
        return Ok(JsonValue::String(s));
    }
    if let Some(array) = value.dyn_ref::<Array>() {
        return array.iter().map(|v| json_value(&v, depth + 1)).collect::<Result<_, _>>().map(JsonValue::Array);
    }
    if value.is_object() && !value.is_function() {
        let mut map = Vec::new();
        for key in Object::keys(value.unchecked_ref::<Object>()).iter() {
            let name = string(&key, WHAT)?;
            let v = Reflect::get(value, &key).map_err(|_| bad_arg(WHAT))?;
            map.push((name, json_value(&v, depth + 1)?));
        }
        return Ok(JsonValue::Object(map));
    }
    Err(bad_arg(WHAT))
}
