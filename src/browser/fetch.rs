//! One HTTP exchange through the global `fetch`, bounded by an `AbortController` timer.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestInit};

use super::{clear_timeout, set_timeout};
use wix_auth_protocol::error::{AuthError, ErrorCode};
use wix_auth_protocol::REQUEST_ID_HEADER;
use wix_auth_session::platform::{Method, Request, Response};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Result<Promise, JsValue>;
}

/// Sends `request`; `Err` only when no HTTP reply arrived: `Timeout` when our timer aborted it,
/// `Network` for everything else (offline, refused, CORS, a missing `fetch`).
pub(crate) async fn send(request: Request, timeout_ms: u32) -> Result<Response, AuthError> {
    let init = RequestInit::new();
    init.set_method(match request.method {
        Method::Get => "GET",
        Method::Post => "POST",
    });
    let headers = Headers::new().map_err(|_| network())?;
    for (name, value) in &request.headers {
        // The browser refuses header values outside Latin-1: an argument problem, not the network.
        headers
            .set(name, value)
            .map_err(|_| AuthError::new(ErrorCode::InvalidArgument, "a request header value is not valid"))?;
    }
    if let Some(body) = &request.body {
        let _ = headers.set("content-type", "application/json");
        init.set_body(&JsValue::from_str(body));
    }
    init.set_headers(&headers);

    // The timer aborts through a bound `abort`, so no Rust closure has to outlive this call.
    let controller = AbortController::new().ok();
    let timer = controller.as_ref().and_then(|c| {
        init.set_signal(Some(&c.signal()));
        let abort: Function = Reflect::get(c, &JsValue::from_str("abort")).ok()?.dyn_into().ok()?;
        Some(set_timeout(&abort.bind0(c), timeout_ms.min(i32::MAX as u32) as i32))
    });

    let result = exchange(&request.url, &init).await;
    if let Some(id) = &timer {
        clear_timeout(id);
    }
    result.map_err(|()| match &controller {
        Some(c) if c.signal().aborted() => AuthError::new(ErrorCode::Timeout, "the server did not answer in time"),
        _ => network(),
    })
}

async fn exchange(url: &str, init: &RequestInit) -> Result<Response, ()> {
    let promise = global_fetch(url, init).map_err(drop)?;
    let reply: web_sys::Response = JsFuture::from(promise).await.map_err(drop)?.dyn_into().map_err(drop)?;
    let request_id = reply.headers().get(REQUEST_ID_HEADER).ok().flatten();
    let text = JsFuture::from(reply.text().map_err(drop)?).await.map_err(drop)?;
    Ok(Response { status: reply.status(), request_id, body: text.as_string().unwrap_or_default() })
}

fn network() -> AuthError {
    AuthError::new(ErrorCode::Network, "the auth server could not be reached")
}
