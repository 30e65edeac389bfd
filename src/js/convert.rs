//! JsValue ⇄ `JsonValue` at the boundary, through serde-wasm-bindgen (a profile, a custom storage's
//! tokens, and what `json.rs` parses and writes), a register profile's checks, and `AuthError` as a
//! JS `Error`. Option bags are read in `args`; results are built in `results`.
//!
//! `JsonValue` is the one recursive type read from JS, and it bounds its own depth, so an argument
//! that refers to itself or nests without end is a typed error, never a recursion without end.

use std::future::Future;
use std::pin::Pin;

use js_sys::{Error, Promise, Reflect};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_wasm_bindgen::Serializer;
use wasm_bindgen::prelude::*;

use wix_auth_protocol::authentication::{addresses_to_wire, check_profile};
use wix_auth_protocol::error::{AuthError, ErrorCode};
use wix_auth_protocol::json_value::JsonValue;

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

/// A Rust value as a plain JS value: objects, not `Map`s; numbers, not `BigInt`s; `None` as `null`
/// (as the JSON these results were first specified in has it).
pub(crate) fn to_js_value<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, serde_wasm_bindgen::Error> {
    value.serialize(&Serializer::json_compatible())
}

/// A JS value as `T` (in this crate, always a `JsonValue`).
pub(crate) fn from_js_value<T: DeserializeOwned>(value: JsValue) -> Result<T, serde_wasm_bindgen::Error> {
    serde_wasm_bindgen::from_value(value)
}

/// A JS argument as `T`, or `invalid_argument` with `what` as the message.
pub(crate) fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, AuthError> {
    from_js_value(value).map_err(|_| bad_arg(what))
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

/// Whether `v` is `null` or `undefined`.
pub(crate) fn absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// `profile` of `register` and of a sign-on: `@wix/identity`'s `IdentityProfile` as JSON (bounded
/// in depth by `JsonValue`, so a self-referring object is an `invalid_argument`), its known fields
/// checked, passed through as `@wix/sdk` passes it, its addresses renamed for the wire as it
/// renames them.
pub(crate) fn profile(value: Option<JsonValue>) -> Result<Option<JsonValue>, AuthError> {
    let Some(profile) = value else { return Ok(None) };
    check_profile(&profile).map_err(|_| bad_arg("profile must be an IdentityProfile object"))?;
    match profile {
        JsonValue::Object(fields) => Ok(Some(JsonValue::Object(
            fields.into_iter().map(|(k, v)| if k == "addresses" { (k, addresses_to_wire(v)) } else { (k, v) }).collect(),
        ))),
        JsonValue::Null => Ok(None),
        _ => Err(bad_arg("profile must be an IdentityProfile object")),
    }
}
