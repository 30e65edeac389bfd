//! Cross-tab exclusive locks through Web Locks (`navigator.locks.request`), so that tabs opened
//! together mint one visitor and refresh a token once. Where the API is missing or refuses (old
//! browsers, opaque origins), `None` tells the engine to lease storage instead.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::set_timeout;
use wix_auth_session::platform::LockGuard;

/// How long a lock stays held after its holder is done. Chromium keeps a copy of localStorage in
/// each tab's process and sends other tabs' writes there asynchronously, on a different channel
/// from the lock's grant: a tab granted the lock right after another tab stored fresh tokens
/// could still read the old ones and mint (or refresh) again. Seen in the 4-tab sign-out test:
/// two visitors, 20 ms apart (and with rotating refresh tokens the same race would spend one
/// refresh token twice, which revokes the member's session). Holding the lock a moment longer
/// lets the write arrive first; the holder does not wait for it, only the next tab does, and
/// only when tabs contend. 50 ms fixed the test; 100 ms leaves room for a loaded machine.
const HANDOVER_MS: i32 = 100;

/// Resolves the promise the lock callback returned, which releases the lock. Armed while the
/// caller waits too: a caller that gives up before the lock is granted frees it at once.
struct Release(Option<Function>);

impl Drop for Release {
    fn drop(&mut self) {
        if let Some(f) = self.0.take() {
            let _ = f.call0(&JsValue::UNDEFINED);
        }
    }
}

/// Waits for the exclusive Web Lock `name`; the guard releases it when dropped. `None` when the
/// browser has no Web Locks or refused the request.
pub(crate) async fn acquire(name: &str) -> Option<LockGuard> {
    let request = lock_request()?;
    let mut release = None;
    let held = Promise::new(&mut |resolve, _| release = Some(resolve));
    let release = Release(release);
    let mut granted = None;
    let acquired = Promise::new(&mut |resolve, _| granted = Some(resolve));
    let granted = granted?;
    // The callback runs once the lock is ours; the lock is held until `held` settles.
    let on_grant = {
        let granted = granted.clone();
        Closure::once_into_js(move |_: JsValue| -> JsValue {
            let _ = granted.call1(&JsValue::UNDEFINED, &JsValue::TRUE);
            held.into()
        })
    };
    let (locks, method) = request;
    let pending = method.call2(&locks, &JsValue::from_str(name), &on_grant).ok()?;
    // A refused request (SecurityError) resolves `acquired` with false instead of hanging.
    let on_refusal = granted.bind1(&JsValue::UNDEFINED, &JsValue::FALSE);
    let catch = Reflect::get(&pending, &JsValue::from_str("catch")).ok().and_then(|c| c.dyn_into::<Function>().ok());
    if let Some(catch) = catch {
        let _ = catch.call1(&pending, &on_refusal);
    }
    let ok = JsFuture::from(acquired).await.map(|v| v.is_truthy()).unwrap_or(false);
    let mut release = release;
    match release.0.take() {
        Some(f) if ok => Some(LockGuard::new(move || drop(set_timeout(&f, HANDOVER_MS)))),
        _ => None,
    }
}

/// `navigator.locks` and its `request` method, when the browser has them.
fn lock_request() -> Option<(JsValue, Function)> {
    let navigator = Reflect::get(&js_sys::global(), &JsValue::from_str("navigator")).ok()?;
    let locks = Reflect::get(&navigator, &JsValue::from_str("locks")).ok()?;
    if !locks.is_object() {
        return None;
    }
    let request = Reflect::get(&locks, &JsValue::from_str("request")).ok()?.dyn_into().ok()?;
    Some((locks, request))
}
