//! News between the tabs of an origin: "the stored tokens changed, read them again". Sent on a
//! `BroadcastChannel` named after the tokens' storage key; heard there and, as a fallback for
//! browsers without the channel, through the `storage` event, which a browser fires in every
//! other tab of the origin when localStorage changes. The message carries no token: each tab
//! reads the tokens from storage itself, so a lost or duplicated message costs nothing.

use js_sys::Function;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The browser's `BroadcastChannel` (absent in old browsers and some workers).
    pub(crate) type BroadcastChannel;
    #[wasm_bindgen(catch, constructor)]
    fn new(name: &str) -> Result<BroadcastChannel, JsValue>;
    #[wasm_bindgen(catch, method, js_name = postMessage)]
    fn post_message(this: &BroadcastChannel, message: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(method, setter)]
    fn set_onmessage(this: &BroadcastChannel, handler: &Function);
    // The global one, not `window.*`: a missing one throws, which is caught.
    #[wasm_bindgen(catch, js_name = addEventListener)]
    fn add_event_listener(kind: &str, handler: &Function) -> Result<(), JsValue>;
}

/// What is posted: only that something changed.
const NEWS: &str = "tokens";

/// This tab's end of the channel between the origin's tabs.
pub(crate) struct Tabs {
    channel: Option<BroadcastChannel>,
    /// Whether the `storage` event reaches us too (the tokens are in localStorage).
    storage_events: bool,
}

impl Tabs {
    /// The channel `name`; `storage_events` when the tokens live in localStorage.
    pub(crate) fn new(name: &str, storage_events: bool) -> Self {
        Self { channel: BroadcastChannel::new(name).ok(), storage_events }
    }

    /// Tells the other tabs; a browser without the channel still fires `storage` events.
    pub(crate) fn announce(&self) {
        if let Some(channel) = &self.channel {
            drop(channel.post_message(&JsValue::from_str(NEWS)));
        }
    }

    /// Calls `on_news` whenever another tab announces a change or changes localStorage, for the
    /// page's lifetime (a strategy lives as long as its page).
    pub(crate) fn listen(&self, on_news: impl Fn() + 'static) {
        let handler = Closure::<dyn Fn()>::new(on_news).into_js_value();
        let handler: &Function = handler.unchecked_ref();
        if let Some(channel) = &self.channel {
            channel.set_onmessage(handler);
        }
        if self.storage_events {
            drop(add_event_listener("storage", handler));
        }
    }
}
