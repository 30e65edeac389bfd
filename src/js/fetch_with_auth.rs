//! `fetchWithAuth(input, init?)`: the page's own `fetch` with the session's `Authorization`
//! header, for the Wix API origin (`baseUrl`) and the origins the app lists in
//! `fetchWithAuthOrigins` only. A request to any other origin goes out exactly as `fetch` would
//! send it, without the token, and its 401 is the caller's to read: a 401 from a host that
//! never saw the token says nothing about the token. (Sent rather than rejected: code moving
//! from `@wix/sdk`, whose `fetchWithAuth` adds the header everywhere, keeps working for its
//! other URLs, and only the token is withheld; `docs/api.md` says so.)
//! From an allowed origin, a 401 means the server no longer takes the access token (revoked,
//! or its clock runs ahead of ours): the token is marked spent, refreshed once, and the request
//! sent once more. Any other reply, 401 included the second time, is the caller's to read.

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::convert::{absent, bad_arg, field, string};
use super::Engine;
use wix_auth_session::Config;
use wix_auth_protocol::error::{AuthError, ErrorCode};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = fetch)]
    fn page_fetch(input: &JsValue, init: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(thread_local_v2, js_name = Headers)]
    static HEADERS: Function;
    #[wasm_bindgen(thread_local_v2, js_name = URL)]
    static URL: Function;
}

const ORIGINS: &str = "fetchWithAuthOrigins must be an array of origins such as https://api.example.com";

/// Reads the `fetchWithAuthOrigins` option into `config`.
pub(crate) fn read_origins(options: &JsValue, config: &mut Config) -> Result<(), AuthError> {
    let list = field(options, "fetchWithAuthOrigins");
    if absent(&list) {
        return Ok(());
    }
    if !Array::is_array(&list) {
        return Err(bad_arg(ORIGINS));
    }
    for origin in Array::from(&list).iter() {
        config.allow_fetch_origin(&string(&origin, ORIGINS)?)?;
    }
    Ok(())
}

/// The absolute URL `input` is fetched from: a `Request`'s `url`, or a string or `URL`
/// resolved against the page's address as `fetch` resolves it; `None` when it cannot be read
/// (then no token goes with it).
fn target_url(input: &JsValue) -> Option<String> {
    let text = match input.as_string() {
        Some(t) => t,
        None => field(input, "url").as_string().or_else(|| field(input, "href").as_string())?,
    };
    let page = field(&field(&js_sys::global(), "location"), "href");
    let args = if page.is_string() { Array::of2(&JsValue::from_str(&text), &page) } else { Array::of1(&JsValue::from_str(&text)) };
    let resolved = URL.with(|ctor| Reflect::construct(ctor, &args)).ok()?;
    field(&resolved, "href").as_string()
}

/// The status of a refused access token.
const UNAUTHORIZED: f64 = 401.0;

/// Sends the request with a valid token to an allowed origin (and refreshes and resends once on
/// a 401), or without one anywhere else.
pub(crate) async fn fetch_with_auth(session: &Engine, input: JsValue, init: JsValue) -> Result<JsValue, AuthError> {
    if !target_url(&input).is_some_and(|url| session.config().sends_token_to(&url)) {
        return send(&input, &init, None).await;
    }
    let token = session.get_auth_headers().await?;
    let reply = send(&input, &init, Some(&token)).await?;
    if field(&reply, "status").as_f64() != Some(UNAUTHORIZED) {
        return Ok(reply);
    }
    session.invalidate_access_token(&token);
    let token = session.get_auth_headers().await?;
    send(&input, &init, Some(&token)).await
}

/// One `fetch` of `input` with `init`'s options and headers, plus `Authorization: token` when
/// given. A `Request` is cloned first, so that its body is still there for the retry.
async fn send(input: &JsValue, init: &JsValue, token: Option<&str>) -> Result<JsValue, AuthError> {
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
    if let Some(token) = token {
        headers
            .set("Authorization", token)
            .map_err(|_| AuthError::new(ErrorCode::InvalidArgument, "a header value is not valid"))?;
    }
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
