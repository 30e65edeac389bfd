//! The parts of the Wix wire only the server reads or writes; what both sides share stays in
//! `wix-auth-protocol`.

pub mod callback;
pub mod identity;
pub mod redirect_session;
pub mod token;
