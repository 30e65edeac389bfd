//! Where the engine's strings live: localStorage (default), sessionStorage, memory, or the
//! user's own `{getTokens(), setTokens(tokens)}` object.
//!
//! Web Storage may be missing or throw at any call (Safari private mode, storage disabled by the
//! user, quota exceeded): a value that cannot be written there is kept in memory instead, and a
//! value in memory wins over the web one, so the page keeps working for its lifetime.
//!
//! A custom object holds only the tokens (the key given as `tokens_key`, whose value is Wix's
//! `Tokens` object); every other key (pending OAuth data, the pre-warm time) goes to localStorage
//! (or memory), because those must survive the redirect to Wix's login page and back.

use std::cell::RefCell;

use js_sys::{Function, Reflect, JSON};
use wasm_bindgen::prelude::*;

use wix_auth_protocol::error::{AuthError, ErrorCode};

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

pub(crate) struct Store {
    web: Option<web_sys::Storage>,
    custom: Option<(JsValue, String)>,
    kind: &'static str,
    memory: RefCell<Vec<(String, String)>>,
}

impl Store {
    pub(crate) fn new(kind: StorageKind) -> Self {
        let (web, custom, name) = match kind {
            StorageKind::Local => (local(), None, "local"),
            StorageKind::Session => (web_sys::window().and_then(|w| w.session_storage().ok().flatten()), None, "session"),
            StorageKind::Memory => (None, None, "memory"),
            StorageKind::Custom { object, tokens_key } => (local(), Some((object, tokens_key)), "custom"),
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
                let tokens = method(object, "getTokens")?.call0(object).ok()?;
                if !tokens.is_object() {
                    return None;
                }
                return JSON::stringify(&tokens).ok()?.as_string();
            }
        }
        if let Some(v) = self.memory.borrow().iter().find(|(k, _)| k == key) {
            return Some(v.1.clone());
        }
        self.web.as_ref()?.get_item(key).ok().flatten()
    }

    pub(crate) fn store(&self, key: &str, value: Option<&str>) -> Result<(), AuthError> {
        if let Some((object, tokens_key)) = &self.custom {
            if key == tokens_key {
                return set_custom(object, value.unwrap_or(EMPTY_TOKENS));
            }
        }
        self.memory.borrow_mut().retain(|(k, _)| k != key);
        let Some(web) = &self.web else {
            if let Some(v) = value {
                self.memory.borrow_mut().push((key.into(), v.into()));
            }
            return Ok(());
        };
        match value {
            Some(v) => {
                if web.set_item(key, v).is_err() {
                    // Quota or a storage that throws: keep it for this page, drop the stale copy.
                    let _ = web.remove_item(key);
                    self.memory.borrow_mut().push((key.into(), v.into()));
                }
            }
            None => {
                let _ = web.remove_item(key);
            }
        }
        Ok(())
    }
}

fn local() -> Option<web_sys::Storage> {
    // Reading `window.localStorage` itself throws when storage is blocked.
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn method(object: &JsValue, name: &str) -> Option<Function> {
    Reflect::get(object, &JsValue::from_str(name)).ok()?.dyn_into().ok()
}

fn set_custom(object: &JsValue, json: &str) -> Result<(), AuthError> {
    let failed = || AuthError::new(ErrorCode::Storage, "the custom storage's setTokens failed");
    let tokens = JSON::parse(json).map_err(|_| failed())?;
    method(object, "setTokens").ok_or_else(failed)?.call1(object, &tokens).map_err(|_| failed())?;
    Ok(())
}
