//! Direct login's hidden iframe: load the authorize URL invisibly and wait for the one
//! `postMessage` that answers it.
//!
//! A message counts only when its `origin` is exactly the expected one, its `source` is this
//! iframe's window and its `data.state` is this flow's state (the official client checks only the
//! state, so any page or frame could answer for Wix). An error answer (`{state, error,
//! rejectedOrigin?}`, sent when the page's origin is not allowed) ends the wait at once instead of
//! running into the timeout. The iframe, the listener and the timer are removed on every path,
//! including when the caller drops the future.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlIFrameElement, MessageEvent, Window};

use super::{browser_only, clear_timeout, set_timeout};
use wix_auth_protocol::callback::CallbackParams;
use wix_auth_protocol::error::{AuthError, ErrorCode};

/// Removes everything the wait installed, whichever way it ends.
struct Cleanup {
    window: Window,
    iframe: HtmlIFrameElement,
    listener: Closure<dyn FnMut(MessageEvent)>,
    timer: Option<JsValue>,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = self.window.remove_event_listener_with_callback("message", self.listener.as_ref().unchecked_ref());
        if let Some(id) = &self.timer {
            clear_timeout(id);
        }
        self.iframe.remove();
    }
}

/// Loads `url` in a hidden iframe and returns the answer posted by it (see the module docs).
pub(crate) async fn web_message(
    url: &str,
    expected_origin: &str,
    state: &str,
    timeout_ms: u32,
) -> Result<CallbackParams, AuthError> {
    let window = web_sys::window().ok_or_else(browser_only)?;
    let (iframe, parent) = hidden_iframe(&window)?;

    let resolve: Rc<RefCell<Option<Function>>> = Rc::default();
    let answered = Promise::new(&mut |res, _| *resolve.borrow_mut() = Some(res));
    let timeout_resolve = resolve.borrow().clone();

    let listener = {
        let (resolve, frame) = (resolve.clone(), iframe.clone());
        let (origin, state) = (expected_origin.to_owned(), state.to_owned());
        Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            if e.origin() != origin {
                return;
            }
            let from_frame = match (e.source(), frame.content_window()) {
                (Some(source), Some(own)) => JsValue::from(source) == JsValue::from(own),
                _ => false,
            };
            let data = e.data();
            if !from_frame || !data.is_object() || string_field(&data, "state").as_deref() != Some(state.as_str()) {
                return;
            }
            if let Some(f) = resolve.borrow_mut().take() {
                let _ = f.call1(&JsValue::UNDEFINED, &data);
            }
        })
    };
    let mut cleanup = Cleanup { window, iframe, listener, timer: None };
    cleanup
        .window
        .add_event_listener_with_callback("message", cleanup.listener.as_ref().unchecked_ref())
        .map_err(|_| browser_only())?;
    // Resolving with `undefined` marks the timeout.
    cleanup.timer = timeout_resolve.map(|f| set_timeout(&f, timeout_ms.min(i32::MAX as u32) as i32));
    cleanup.iframe.set_src(url);
    parent.append_child(&cleanup.iframe).map_err(|_| browser_only())?;

    let data = JsFuture::from(answered).await.unwrap_or(JsValue::UNDEFINED);
    drop(cleanup);
    if data.is_undefined() {
        return Err(AuthError::new(ErrorCode::Timeout, "the login frame did not answer in time"));
    }
    if let Some(error) = string_field(&data, "error") {
        let code = ErrorCode::from_oauth(&error);
        let message = match (code, string_field(&data, "errorDescription").or_else(|| string_field(&data, "error_description"))) {
            (ErrorCode::OriginNotAllowed, _) => "this page's origin is not allowed for the OAuth app".to_owned(),
            (_, Some(description)) => description,
            _ => error,
        };
        return Err(AuthError::new(code, &message));
    }
    Ok(CallbackParams {
        code: string_field(&data, "code").unwrap_or_default(),
        state: string_field(&data, "state").unwrap_or_default(),
        error: None,
        error_description: None,
    })
}

/// A new invisible iframe (not yet attached) and the element to attach it to.
fn hidden_iframe(window: &Window) -> Result<(HtmlIFrameElement, Element), AuthError> {
    let document = window.document().ok_or_else(browser_only)?;
    let iframe: HtmlIFrameElement = document
        .create_element("iframe")
        .ok()
        .and_then(|e| e.dyn_into().ok())
        .ok_or_else(browser_only)?;
    let _ = iframe.set_attribute("style", "display:none");
    let _ = iframe.set_attribute("aria-hidden", "true");
    let parent = document.body().map(Into::into).or_else(|| document.document_element()).ok_or_else(browser_only)?;
    Ok((iframe, parent))
}

fn string_field(object: &JsValue, name: &str) -> Option<String> {
    Reflect::get(object, &JsValue::from_str(name)).ok()?.as_string()
}

/// How long a pre-warm frame may take to load.
pub(crate) const LOAD_FRAME_TIMEOUT_MS: u32 = 10_000;

/// Loads `url` in a hidden iframe, resolves once it has loaded (`Timeout` after
/// [`LOAD_FRAME_TIMEOUT_MS`]) and removes it: the pre-warm of `syncWithWixPages`.
pub(crate) async fn load_frame(url: &str) -> Result<(), AuthError> {
    let (iframe, parent) = hidden_iframe(&web_sys::window().ok_or_else(browser_only)?)?;
    let mut timer = None;
    // `onload` gets the load event (an object); the timer resolves with `undefined`.
    let loaded = Promise::new(&mut |resolve, _| {
        iframe.set_onload(Some(&resolve));
        timer = Some(set_timeout(&resolve, LOAD_FRAME_TIMEOUT_MS as i32));
    });
    iframe.set_src(url);
    let appended = parent.append_child(&iframe);
    let outcome = match appended {
        Ok(_) => JsFuture::from(loaded).await.unwrap_or(JsValue::UNDEFINED),
        Err(_) => JsValue::UNDEFINED,
    };
    if let Some(id) = &timer {
        clear_timeout(id);
    }
    iframe.set_onload(None);
    iframe.remove();
    match (appended, outcome.is_undefined()) {
        (Err(_), _) => Err(browser_only()),
        (Ok(_), true) => Err(AuthError::new(ErrorCode::Timeout, "the pre-warm frame did not load in time")),
        (Ok(_), false) => Ok(()),
    }
}
