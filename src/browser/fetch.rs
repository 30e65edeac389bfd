//! One HTTP exchange through gloo-net, bounded by an `AbortController` timer and by the size of
//! the body it will read.

use gloo_net::http::{Headers, Method as HttpMethod, RequestBuilder};
use js_sys::{Function, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, ReadableStreamDefaultReader};

use super::{clear_timeout, set_timeout};
use wix_auth_protocol::error::{AuthError, ErrorCode};
use wix_auth_protocol::REQUEST_ID_HEADER;
use wix_auth_session::platform::{Method, Request, Response};

/// The largest reply body read: every reply of the auth API is a few hundred bytes, so anything
/// near this is not one, and reading it whole would only spend the page's memory.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// Sends `request`; `Err` when no usable HTTP reply arrived: `Timeout` when our timer aborted it,
/// `Network` for everything else (offline, refused, CORS, a missing `fetch`), and
/// `UnexpectedResponse` (with the status) for a body over [`MAX_BODY_BYTES`].
pub(crate) async fn send(request: Request, timeout_ms: u32) -> Result<Response, AuthError> {
    // gloo-net calls `fetch` and `new Headers()` without catching: where they are missing (an
    // old runtime) that would throw through the module, so their presence is checked first.
    if !has_global("fetch") || !has_global("Headers") {
        return Err(network());
    }
    // gloo's `header()` throws on a value the browser refuses (outside Latin-1), so the headers
    // are set here, where that failure can be caught: an argument problem, not the network.
    let headers = web_sys::Headers::new().map_err(|_| network())?;
    for (name, value) in &request.headers {
        headers
            .set(name, value)
            .map_err(|_| AuthError::new(ErrorCode::InvalidArgument, "a request header value is not valid"))?;
    }
    if request.body.is_some() {
        let _ = headers.set("content-type", "application/json");
    }
    let builder = RequestBuilder::new(&request.url)
        .method(match request.method {
            Method::Get => HttpMethod::GET,
            Method::Post => HttpMethod::POST,
        })
        .headers(Headers::from_raw(headers));

    // The timer aborts through a bound `abort`, so no Rust closure has to outlive this call. It
    // runs until the body is read: a server that sends headers and then stalls times out too.
    let controller = AbortController::new().ok();
    let builder = builder.abort_signal(controller.as_ref().map(|c| c.signal()).as_ref());
    let timer = controller.as_ref().and_then(|c| {
        let abort: Function = Reflect::get(c, &JsValue::from_str("abort")).ok()?.dyn_into().ok()?;
        Some(set_timeout(&abort.bind0(c), timeout_ms.min(i32::MAX as u32) as i32))
    });

    let result = exchange(builder, request.body).await;
    if let Some(id) = &timer {
        clear_timeout(id);
    }
    result.map_err(|failure| match failure {
        Failure::TooLarge(status, request_id) => AuthError::http(
            ErrorCode::UnexpectedResponse,
            status,
            request_id,
            "the server's reply is larger than this client reads",
        ),
        Failure::Lost => match &controller {
            Some(c) if c.signal().aborted() => AuthError::new(ErrorCode::Timeout, "the server did not answer in time"),
            _ => network(),
        },
    })
}

/// Why an exchange gave no [`Response`].
enum Failure {
    /// No reply, or it broke off (network, CORS, abort).
    Lost,
    /// A reply whose body is over [`MAX_BODY_BYTES`]: its status and request id.
    TooLarge(u16, Option<String>),
}

async fn exchange(builder: RequestBuilder, body: Option<String>) -> Result<Response, Failure> {
    let sent = match body {
        Some(text) => builder.body(text).map_err(|_| Failure::Lost)?.send().await,
        None => builder.send().await,
    };
    let reply: web_sys::Response = sent.map_err(|_| Failure::Lost)?.into();
    let status = reply.status();
    let request_id = reply.headers().get(REQUEST_ID_HEADER).ok().flatten();
    match read_body(&reply).await? {
        Some(body) => Ok(Response { status, request_id, body }),
        None => Err(Failure::TooLarge(status, request_id)),
    }
}

/// The body as text, read chunk by chunk so that reading stops (and the stream is cancelled) as
/// soon as it passes [`MAX_BODY_BYTES`]: `None` then. gloo-net's `text()` has no limit, so the
/// stream is read here; a `Content-Length` over the limit is refused before reading anything.
async fn read_body(reply: &web_sys::Response) -> Result<Option<String>, Failure> {
    let declared = reply.headers().get("content-length").ok().flatten();
    if declared.and_then(|n| n.trim().parse::<u64>().ok()).is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        if let Some(stream) = reply.body() {
            drop(stream.cancel());
        }
        return Ok(None);
    }
    let Some(stream) = reply.body() else { return Ok(Some(String::new())) };
    let reader = ReadableStreamDefaultReader::new(&stream).map_err(|_| Failure::Lost)?;
    let mut bytes = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(|_| Failure::Lost)?;
        if Reflect::get(&chunk, &JsValue::from_str("done")).map_or(true, |d| d.is_truthy()) {
            break;
        }
        let value: Uint8Array = Reflect::get(&chunk, &JsValue::from_str("value"))
            .ok()
            .and_then(|v| v.dyn_into().ok())
            .ok_or(Failure::Lost)?;
        let len = value.length() as usize;
        if bytes.len() + len > MAX_BODY_BYTES {
            drop(reader.cancel());
            return Ok(None);
        }
        let start = bytes.len();
        bytes.resize(start + len, 0);
        value.copy_to(&mut bytes[start..]);
    }
    // As `Response.text()` decodes: invalid UTF-8 becomes U+FFFD.
    Ok(Some(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }))
}

/// Whether the global `name` is there (a function or constructor).
fn has_global(name: &str) -> bool {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name)).is_ok_and(|v| v.is_function())
}

fn network() -> AuthError {
    AuthError::new(ErrorCode::Network, "the auth server could not be reached")
}
