//! JSON text ⇄ `JsonValue`, through the browser's own `JSON` and serde-wasm-bindgen: replies and
//! stored values are parsed by `JSON.parse` into the one `JsonValue` the engine reads by shape,
//! and what it writes (bodies, stored values) is a `JsonValue` it built, given to
//! `JSON.stringify`; so one deserializer and one serializer exist in the module, and no other
//! JSON parser (stored values take this path too, see storage.rs).
//!
//! Nesting is bounded before parsing. V8's parser keeps its own stack, but a value of the wrong
//! type makes serde-wasm-bindgen describe it with wasm-bindgen's `debugString`, which recurses
//! into arrays: text nested deeper than [`MAX_NESTING`] (serde_json's own limit, which this path
//! replaced) is refused as not JSON, so nothing read from a reply or from storage is ever deep.

use wasm_bindgen::JsValue;

use crate::js::convert::{from_js_value, to_js_value};
use wix_auth_protocol::json_value::{nesting, JsonValue};

/// How many arrays and objects JSON text may nest.
pub(crate) const MAX_NESTING: usize = 128;

/// `JSON.parse(text)`; `None` for text that is not JSON or nests deeper than [`MAX_NESTING`].
pub(crate) fn parse(text: &str) -> Option<JsValue> {
    if nesting(text, MAX_NESTING) > MAX_NESTING {
        return None;
    }
    js_sys::JSON::parse(text).ok()
}

/// `JSON.stringify(value)`; `None` when it throws or gives `undefined`.
pub(crate) fn text(value: &JsValue) -> Option<String> {
    js_sys::JSON::stringify(value).ok()?.as_string()
}

/// `value` as JSON text: serde-wasm-bindgen to a JS value, then `JSON.stringify`.
pub(crate) fn to_text(value: &JsonValue) -> Option<String> {
    text(&to_js_value(value).ok()?)
}

/// JSON text as a `JsonValue`: `JSON.parse` (bounded), then serde-wasm-bindgen.
pub(crate) fn from_text(text: &str) -> Option<JsonValue> {
    from_js_value(parse(text)?).ok()
}
