//! Where the engine's strings live: localStorage (default), sessionStorage, memory, or the
//! user's own `{getTokens(), setTokens(tokens)}` object.
//!
//! Web Storage goes through gloo-storage, but only after checking that it is usable: gloo reads
//! `window.localStorage` on every call and throws (through wasm, with no `Result`) when there is no
//! window (Node, a worker) or the getter throws (storage blocked, sandboxed frames). So the check
//! is made once, up front, and a store without usable storage keeps its values in memory. A value
//! that cannot be written (quota, Safari's old private mode) is kept in memory instead, and a
//! value in memory wins over the web one, so the page keeps working for its lifetime.
//!
//! Every stored value is JSON, as gloo-storage's typed `get`/`set` would store it. The engine's
//! values are JSON text already (tokens, pending logins, the pre-warm time) except the cross-tab
//! lease ("claim until"): JSON text is stored as itself, so the stored tokens look as they always
//! did and as other readers of Wix's `Tokens` expect, and any other string is stored as a JSON
//! string. gloo-storage's typed layer would parse that text with serde_json only to write it back
//! unchanged (and the engine parses it again with `JSON.parse`): so values go through the
//! `web_sys::Storage` that gloo-storage found (`raw()`), and the browser's `JSON` is the module's
//! one JSON path (issue 16: serde_json and its second parser were 6.9 KB gzip of the package). A
//! stored value that is not JSON at all (corrupted, or an old lease) is removed when read.
//!
//! A custom object holds only the tokens (the key given as `tokens_key`, whose value is Wix's
//! `Tokens` object); every other key (pending OAuth data, the pre-warm time) goes to localStorage
//! (or memory), because those must survive the redirect to Wix's login page and back.

use std::cell::RefCell;

use gloo_storage::{LocalStorage, SessionStorage, Storage};
use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;

use crate::js::convert::from_js_value;
use wix_auth_protocol::error::{AuthError, ErrorCode};
use wix_auth_protocol::json_value::JsonValue;

/// The `storage` option.
pub enum StorageKind {
    /// `window.localStorage`: survives reloads and is shared by the origin's tabs.
    Local,
    /// `window.sessionStorage`: this tab only.
    Session,
    /// Nothing persisted.
    Memory,
    /// A user object `{getTokens(): Tokens, setTokens(tokens: Tokens)}` for the key `tokens_key`.
    Custom { object: JsValue, tokens_key: String },
}

/// Wix's `EMPTY_TOKENS`, given to a custom `setTokens` when the tokens are removed.
const EMPTY_TOKENS: &str = r#"{"accessToken":{"value":"","expiresAt":0},"refreshToken":{"value":"","role":"none"}}"#;

/// Which gloo storage a store found usable.
#[derive(Clone, Copy)]
enum Web {
    Local,
    Session,
}

impl Web {
    /// The storage gloo-storage reads; only called once [`usable`] has found it there.
    fn raw(self) -> web_sys::Storage {
        match self {
            Web::Local => LocalStorage::raw(),
            Web::Session => SessionStorage::raw(),
        }
    }
}

pub(crate) struct Store {
    web: Option<Web>,
    custom: Option<(JsValue, String)>,
    kind: &'static str,
    memory: RefCell<Vec<(String, String)>>,
}

impl Store {
    pub(crate) fn new(kind: StorageKind) -> Self {
        let (web, custom, name) = match kind {
            StorageKind::Local => (usable(Web::Local), None, "local"),
            StorageKind::Session => (usable(Web::Session), None, "session"),
            StorageKind::Memory => (None, None, "memory"),
            StorageKind::Custom { object, tokens_key } => (usable(Web::Local), Some((object, tokens_key)), "custom"),
        };
        let kind = if web.is_none() && custom.is_none() { "memory" } else { name };
        Self { web, custom, kind, memory: RefCell::new(Vec::new()) }
    }

    pub(crate) fn kind_in_use(&self) -> &'static str {
        self.kind
    }

    pub(crate) fn load(&self, key: &str) -> Option<String> {
        if let Some((object, tokens_key)) = &self.custom {
            if key == tokens_key {
                return get_custom(object);
            }
        }
        if let Some(v) = self.memory.borrow().iter().find(|(k, _)| k == key) {
            return Some(v.1.clone());
        }
        let storage = self.web?.raw();
        let text = storage.get_item(key).ok()??;
        // A JSON string is one this store encoded (the lease); other JSON text is the value itself.
        match super::json::parse(&text) {
            Some(value) => Some(value.as_string().unwrap_or(text)),
            None => {
                // Not JSON: nothing this store wrote can be read back from it.
                drop(storage.remove_item(key));
                None
            }
        }
    }

    pub(crate) fn store(&self, key: &str, value: Option<&str>) -> Result<(), AuthError> {
        if let Some((object, tokens_key)) = &self.custom {
            if key == tokens_key {
                return set_custom(object, value.unwrap_or(EMPTY_TOKENS));
            }
        }
        self.memory.borrow_mut().retain(|(k, _)| k != key);
        let Some(web) = self.web else {
            if let Some(v) = value {
                self.memory.borrow_mut().push((key.into(), v.into()));
            }
            return Ok(());
        };
        let storage = web.raw();
        match value {
            Some(v) => {
                let is_json_text = super::json::parse(v).is_some_and(|parsed| !parsed.is_string());
                let written = if is_json_text {
                    storage.set_item(key, v).is_ok()
                } else {
                    super::json::text(&JsValue::from_str(v)).is_some_and(|encoded| storage.set_item(key, &encoded).is_ok())
                };
                if !written {
                    // Quota or a storage that throws: keep it for this page, drop the stale copy.
                    drop(storage.remove_item(key));
                    self.memory.borrow_mut().push((key.into(), v.into()));
                }
            }
            None => drop(storage.remove_item(key)),
        }
        Ok(())
    }
}

/// `Some(web)` when that storage can be used through gloo (see the module docs): there is a
/// window, and reading its `localStorage` / `sessionStorage` neither throws nor gives `null`
/// (gloo-storage's `raw()` would throw through wasm otherwise).
fn usable(web: Web) -> Option<Web> {
    let window = web_sys::window()?;
    let storage = match web {
        Web::Local => window.local_storage(),
        Web::Session => window.session_storage(),
    };
    storage.ok().flatten().map(|_| web)
}

fn method(object: &JsValue, name: &str) -> Option<Function> {
    Reflect::get(object, &JsValue::from_str(name)).ok()?.dyn_into().ok()
}

/// What a custom `getTokens()` returns, as JSON text for the engine. Read as any JSON-like value
/// (bounded in depth, so a self-referring object is refused, not followed): the engine decides
/// whether it is a usable `Tokens` and replaces it if not.
fn get_custom(object: &JsValue) -> Option<String> {
    let tokens = method(object, "getTokens")?.call0(object).ok()?;
    if !tokens.is_object() {
        return None;
    }
    let value: JsonValue = from_js_value(tokens).ok()?;
    super::json::to_text(&value)
}

fn set_custom(object: &JsValue, json: &str) -> Result<(), AuthError> {
    let failed = || AuthError::new(ErrorCode::Storage, "the custom storage's setTokens failed");
    // The engine's own JSON text: JSON.parse gives the plain object a custom store expects.
    let tokens = super::json::parse(json).ok_or_else(failed)?;
    method(object, "setTokens").ok_or_else(failed)?.call1(object, &tokens).map_err(|_| failed())?;
    Ok(())
}
