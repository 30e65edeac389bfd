//! One module per Wix API the emulator serves, plus the dev-only `/_emulator` endpoints.

pub mod authentication;
pub mod authorize;
pub mod dev;
pub mod device;
pub mod members;
pub mod oauth2;
pub mod recovery;
pub mod redirects;
pub mod verification;
