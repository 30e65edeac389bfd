//! `fetchWithAuth(input, init?)`: the page's own `fetch` with the session's `Authorization`
//! header. A 401 means the server no longer takes the access token (revoked, or its clock runs
//! ahead of ours): the token is marked spent, refreshed once, and the request sent once more.
//! Any other reply, 401 included the second time, is the caller's to read.

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::convert::field;
use super::Engine;
use wix_auth_protocol::error::{AuthError, ErrorCode};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = fetch)]
    fn page_fetch(input: &JsValue, init: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(thread_local_v2, js_name = Headers)]
    static HEADERS: Function;
}

/// The status of a refused access token.
const UNAUTHORIZED: f64 = 401.0;

/// Sends the request with a valid token; refreshes and resends once on a 401.
pub(crate) async fn fetch_with_auth(session: &Engine, input: JsValue, init: JsValue) -> Result<JsValue, AuthError> {
    let token = session.get_auth_headers().await?;
    let reply = send(&input, &init, &token).await?;
    if field(&reply, "status").as_f64() != Some(UNAUTHORIZED) {
        return Ok(reply);
    }
    session.invalidate_access_token(&token);
    let token = session.get_auth_headers().await?;
    send(&input, &init, &token).await
}

/// One `fetch` of `input` with `init`'s options and headers plus `Authorization: token`. A
/// `Request` is cloned first, so that its body is still there for the retry.
async fn send(input: &JsValue, init: &JsValue, token: &str) -> Result<JsValue, AuthError> {
    let bad = || AuthError::new(ErrorCode::InvalidArgument, "fetchWithAuth takes fetch's (input, init?)");
    let options = Object::new();
    if init.is_object() {
        Object::assign(&options, init.unchecked_ref());
    } else if !init.is_undefined() && !init.is_null() {
        return Err(bad());
    }
    // `init.headers` wins over a Request's own, as in fetch itself.
    let mut source = field(&options, "headers");
    let mut target = input.clone();
    if input.is_object() {
        if source.is_undefined() {
            source = field(input, "headers");
        }
        if let Ok(clone) = field(input, "clone").dyn_into::<Function>() {
            target = clone.call0(input).map_err(|_| bad())?;
        }
    }
    let args = if source.is_undefined() { Array::new() } else { Array::of1(&source) };
    let headers: web_sys::Headers = HEADERS
        .with(|ctor| Reflect::construct(ctor, &args))
        .map_err(|_| bad())?
        .unchecked_into();
    headers
        .set("Authorization", token)
        .map_err(|_| AuthError::new(ErrorCode::InvalidArgument, "a header value is not valid"))?;
    drop(Reflect::set(&options, &JsValue::from_str("headers"), &headers));
    let pending = page_fetch(&target, &options).map_err(|_| bad())?;
    JsFuture::from(pending).await.map_err(|e| {
        if field(&e, "name").as_string().as_deref() == Some("AbortError") {
            AuthError::new(ErrorCode::Aborted, "the request was aborted")
        } else {
            AuthError::new(ErrorCode::Network, "the request failed: network, CORS or a bad URL")
        }
    })
}
