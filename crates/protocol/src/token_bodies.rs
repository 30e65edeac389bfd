//! Token request bodies byte for byte as `@wix/sdk` writes them (its key order differs per grant,
//! and the API-key grant is snake_case), so a server or proxy that sees this client cannot tell
//! it from the official one. The reading side is the emulator's (`wire::token::TokenRequest`),
//! whose tests read these bodies.
//! Fields borrow: a body lives only until it is serialised.

use serde::Serialize;

use super::json_value::{opt_text, text, JsonValue, ToJson};
use super::token::{GRANT_ANONYMOUS, GRANT_AUTHORIZATION_CODE, GRANT_AUTHORIZED_CLIENT, GRANT_REFRESH_TOKEN};

/// `scope` the Wix client asks for: a refresh token comes back.
pub const SCOPE_OFFLINE_ACCESS: &str = "offline_access";

/// `{clientId, grantType: "anonymous"}`: a visitor's tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnonymousBody<'a> {
    pub client_id: &'a str,
    pub grant_type: &'static str,
}

impl<'a> AnonymousBody<'a> {
    /// The body for `client_id`.
    pub fn new(client_id: &'a str) -> Self {
        Self { client_id, grant_type: GRANT_ANONYMOUS }
    }
}

/// `{clientId, refreshToken, grantType: "refresh_token"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RefreshBody<'a> {
    pub client_id: &'a str,
    pub refresh_token: &'a str,
    pub grant_type: &'static str,
}

impl<'a> RefreshBody<'a> {
    /// The body renewing `refresh_token`.
    pub fn new(client_id: &'a str, refresh_token: &'a str) -> Self {
        Self { client_id, refresh_token, grant_type: GRANT_REFRESH_TOKEN }
    }
}

/// `{clientId, grantType: "authorization_code", redirectUri?, code, codeVerifier}`; no
/// `redirectUri` in the direct-login (web_message) flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeBody<'a> {
    pub client_id: &'a str,
    pub grant_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_uri: Option<&'a str>,
    pub code: &'a str,
    pub code_verifier: &'a str,
}

impl<'a> CodeBody<'a> {
    /// The exchange of `code` with its PKCE `code_verifier`.
    pub fn new(client_id: &'a str, code: &'a str, code_verifier: &'a str, redirect_uri: Option<&'a str>) -> Self {
        Self { client_id, grant_type: GRANT_AUTHORIZATION_CODE, redirect_uri, code, code_verifier }
    }
}

/// `{grant_type: "authorized_client", scope, member_id}`: the API-key grant of
/// `getMemberTokensForExternalLogin`, sent with [`authorized_client_header`]; with a sign-on's
/// `session_token` and no `scope`, that of `getMemberTokensForExternalLoginWithSession`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthorizedClientBody<'a> {
    pub grant_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<&'static str>,
    pub member_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_token: Option<&'a str>,
}

impl<'a> AuthorizedClientBody<'a> {
    /// The request for `member_id`.
    pub fn new(member_id: &'a str) -> Self {
        Self { grant_type: GRANT_AUTHORIZED_CLIENT, scope: Some(SCOPE_OFFLINE_ACCESS), member_id, session_token: None }
    }

    /// The request for `member_id` bound to the identity session of a sign-on.
    pub fn with_session(member_id: &'a str, session_token: &'a str) -> Self {
        Self { grant_type: GRANT_AUTHORIZED_CLIENT, scope: None, member_id, session_token: Some(session_token) }
    }
}

impl ToJson for AnonymousBody<'_> {
    fn to_json(&self) -> JsonValue {
        JsonValue::object([("clientId", text(self.client_id)), ("grantType", text(self.grant_type))])
    }
}

impl ToJson for RefreshBody<'_> {
    fn to_json(&self) -> JsonValue {
        JsonValue::object([
            ("clientId", text(self.client_id)),
            ("refreshToken", text(self.refresh_token)),
            ("grantType", text(self.grant_type)),
        ])
    }
}

impl ToJson for CodeBody<'_> {
    fn to_json(&self) -> JsonValue {
        JsonValue::object([
            ("clientId", text(self.client_id)),
            ("grantType", text(self.grant_type)),
            ("redirectUri", opt_text(self.redirect_uri)),
            ("code", text(self.code)),
            ("codeVerifier", text(self.code_verifier)),
        ])
    }
}

impl ToJson for AuthorizedClientBody<'_> {
    fn to_json(&self) -> JsonValue {
        JsonValue::object([
            ("grant_type", text(self.grant_type)),
            ("scope", opt_text(self.scope)),
            ("member_id", text(self.member_id)),
            ("session_token", opt_text(self.session_token)),
        ])
    }
}

/// The `Authorization` value of the API-key grant: the current access token, a comma, the key.
pub fn authorized_client_header(access_token: &str, api_key: &str) -> String {
    [access_token, ",", api_key].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_the_sdk_bytes() {
        let json = |v: &dyn erased::Ser| v.json();
        assert_eq!(json(&AnonymousBody::new("c")), r#"{"clientId":"c","grantType":"anonymous"}"#);
        assert_eq!(json(&RefreshBody::new("c", "r")), r#"{"clientId":"c","refreshToken":"r","grantType":"refresh_token"}"#);
        assert_eq!(
            json(&CodeBody::new("c", "k", "v", Some("http://x/cb"))),
            r#"{"clientId":"c","grantType":"authorization_code","redirectUri":"http://x/cb","code":"k","codeVerifier":"v"}"#
        );
        assert_eq!(
            json(&CodeBody::new("c", "k", "v", None)),
            r#"{"clientId":"c","grantType":"authorization_code","code":"k","codeVerifier":"v"}"#
        );
        assert_eq!(
            json(&AuthorizedClientBody::new("m1")),
            r#"{"grant_type":"authorized_client","scope":"offline_access","member_id":"m1"}"#
        );
        assert_eq!(
            json(&AuthorizedClientBody::with_session("m1", "s1")),
            r#"{"grant_type":"authorized_client","member_id":"m1","session_token":"s1"}"#
        );
        assert_eq!(authorized_client_header("tok", "key"), "tok,key");
    }


    mod erased {
        pub trait Ser {
            fn json(&self) -> String;
        }
        // The bytes the client sends (built by hand), checked against the serde form too.
        impl<T: serde::Serialize + super::ToJson + std::fmt::Debug> Ser for T {
            fn json(&self) -> String {
                crate::json_value::assert_same_json(self);
                serde_json::to_string(&self.to_json()).unwrap()
            }
        }
    }
}
