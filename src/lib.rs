//! wix-headless-auth: the Wix Headless `OAuthStrategy` for browsers, in Rust compiled to WebAssembly.
//!
//! Layers, each its own crate (docs/architecture.md): `wix-auth-protocol` is the wire, pure and
//! native-testable, shared with the emulator so client and server cannot drift apart;
//! `wix-auth-session` is the engine, generic over a `Platform`; this crate is that platform in a
//! browser (`browser`) and the exported surface (`js`).

// The wasm module's allocator; native builds keep the system one and only test it.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod heap;

#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod js;
