//! JsValue ⇄ Rust at the boundary: arguments in (lenient where Wix is, typed errors where not),
//! results out as plain JSON-like objects, and `AuthError` as a JS `Error`.

use std::future::Future;

use js_sys::{Error, Promise, Reflect};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::browser::json;
use crate::protocol::error::{AuthError, ErrorCode};
use crate::session::{AccessToken, RefreshToken, Role, Tokens};

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

/// Tokens as JS code hands them in: Wix accepts partial objects (`{refreshToken}` alone) and
/// `expiresAt` computed with floats, so every part is optional here.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct LooseTokens {
    access_token: Option<LooseAccess>,
    refresh_token: Option<LooseRefresh>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct LooseAccess {
    value: Option<String>,
    expires_at: Option<f64>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct LooseRefresh {
    value: Option<String>,
    role: Option<Role>,
}

/// A `Tokens` argument (`null`/`undefined` → `None`).
pub(crate) fn tokens(value: JsValue) -> Result<Option<Tokens>, AuthError> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    if !value.is_object() {
        return Err(bad_arg("tokens must be a Tokens object"));
    }
    let loose: LooseTokens = from_js(value, "tokens must be a Tokens object")?;
    let access = loose.access_token.unwrap_or_default();
    let refresh = loose.refresh_token.unwrap_or_default();
    let expires_at = access.expires_at.filter(|t| t.is_finite() && *t > 0.0).map_or(0, |t| t as u64);
    Ok(Some(Tokens {
        access_token: AccessToken { value: access.value.unwrap_or_default(), expires_at },
        refresh_token: RefreshToken { value: refresh.value.unwrap_or_default(), role: refresh.role.unwrap_or_default() },
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
    let loose: LooseRefresh = from_js(value, WHAT)?;
    Ok(RefreshToken { value: loose.value.unwrap_or_default(), role: loose.role.unwrap_or_default() })
}
