//! Takes the Web Lock `name` and returns the function that releases it: the lock callback returns a
//! promise that stays pending until that function is called. Shared by v5 and `named`, which
//! take the same lock.

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::js::{err, get};

pub(crate) async fn lock(name: &str) -> Result<Function, JsValue> {
    let locks = get(&get(&js_sys::global(), "navigator"), "locks");
    let request: Function = get(&locks, "request").dyn_into()?;
    let mut release = None;
    let held = Promise::new(&mut |resolve, _| release = Some(resolve));
    let mut grant = None;
    let granted = Promise::new(&mut |resolve, _| grant = Some(resolve));
    let (release, grant) = release.zip(grant).ok_or_else(|| err("no promise"))?;
    let on_grant = Closure::once_into_js(move |_: JsValue| -> JsValue {
        let _ = grant.call0(&JsValue::UNDEFINED);
        held.into()
    });
    request.call2(&locks, &JsValue::from_str(name), &on_grant)?;
    JsFuture::from(granted).await?;
    Ok(release)
}
