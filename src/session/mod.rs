//! The session engine: when to mint, refresh, store and forget tokens, and every Wix flow built
//! on the wire types of `protocol`. Generic over [`Platform`], so its rules run natively in tests
//! with a fake clock, random source and server.

pub mod platform;

pub use platform::Platform;
