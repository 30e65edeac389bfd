//! The few JS helpers every variant from v2 on (and `named`) uses, as the library has its own.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

/// A missing field and a throwing getter both read as `undefined`: callers check the type.
pub(crate) fn get(o: &JsValue, key: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

pub(crate) fn set(o: &Object, key: &str, v: &JsValue) {
    let _ = Reflect::set(o, &JsValue::from_str(key), v);
}

/// A JS Error rather than a bare string, as a typed-error library would throw.
pub(crate) fn err(msg: &str) -> JsValue {
    js_sys::Error::new(msg).into()
}
