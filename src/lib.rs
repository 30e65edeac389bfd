//! wix-headless-auth: the Wix Headless `OAuthStrategy` for browsers, in Rust compiled to WebAssembly.
//!
//! Layers (see DESIGN.md): `protocol` is the wire, pure and native-testable, shared with the
//! emulator (`wix-auth-emulator`) so client and server cannot drift apart; `session` is the engine,
//! generic over a `Platform`; `browser` is that platform in a browser; `js` is the exported surface.

// The wasm module's allocator; native builds keep the system one and only test it.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod heap;
pub mod protocol;
pub mod session;

#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod js;
