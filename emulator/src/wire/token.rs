//! What the token endpoint reads: every grant's parameters in one body, camelCase or snake_case
//! (the Wix docs' own examples send `refresh_token`, and the API-key grant is all snake_case), and
//! the RFC 8628 device authorization bodies. Only the server reads these; the client writes its
//! bodies with `wix_auth_protocol::token_bodies`, and the tests below hold the two together.

use serde::{Deserialize, Serialize};
use wix_auth_protocol::token::{GRANT_ANONYMOUS, GRANT_AUTHORIZATION_CODE, GRANT_AUTHORIZED_CLIENT, GRANT_DEVICE_CODE, GRANT_REFRESH_TOKEN};

/// The one grant-type-tagged body every token request shares; which fields are required
/// depends on `grant_type` (see [`TokenRequest::missing_field`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenRequest {
    #[serde(alias = "grant_type")]
    pub grant_type: String,
    #[serde(alias = "client_id", default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(alias = "refresh_token", default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(alias = "code_verifier", default, skip_serializing_if = "Option::is_none")]
    pub code_verifier: Option<String>,
    #[serde(alias = "redirect_uri", default, skip_serializing_if = "Option::is_none")]
    pub redirect_uri: Option<String>,
    #[serde(alias = "device_code", default, skip_serializing_if = "Option::is_none")]
    pub device_code: Option<String>,
    /// API-key grant: the member to issue tokens for.
    #[serde(alias = "member_id", default, skip_serializing_if = "Option::is_none")]
    pub member_id: Option<String>,
    /// API-key grant: an optional session token from `sign-on`.
    #[serde(alias = "session_token", default, skip_serializing_if = "Option::is_none")]
    pub session_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

impl TokenRequest {
    /// The first field the grant requires that is absent or empty, by its wire name; `None` when
    /// all are there or the grant is unknown (that is `unsupported_grant_type`, not a missing field).
    pub fn missing_field(&self) -> Option<&'static str> {
        let absent = |f: &Option<String>| f.as_deref().is_none_or(str::is_empty);
        let required: &[(&'static str, &Option<String>)] = match self.grant_type.as_str() {
            GRANT_ANONYMOUS => &[("clientId", &self.client_id)],
            GRANT_REFRESH_TOKEN => &[("refreshToken", &self.refresh_token)],
            GRANT_AUTHORIZATION_CODE => &[
                ("clientId", &self.client_id),
                ("code", &self.code),
                ("codeVerifier", &self.code_verifier),
            ],
            GRANT_DEVICE_CODE => &[("clientId", &self.client_id), ("deviceCode", &self.device_code)],
            GRANT_AUTHORIZED_CLIENT => &[("member_id", &self.member_id)],
            _ => &[],
        };
        required.iter().find(|(_, v)| absent(v)).map(|(name, _)| *name)
    }
}

/// Bodies as a client sends them, for the tests (the client itself writes them with
/// `wix_auth_protocol::token_bodies`).
#[cfg(test)]
impl TokenRequest {
    /// A visitor token request.
    pub fn anonymous(client_id: &str) -> Self {
        Self { grant_type: GRANT_ANONYMOUS.into(), client_id: Some(client_id.into()), ..Self::default() }
    }

    /// A refresh request.
    pub fn refresh(client_id: &str, refresh_token: &str) -> Self {
        Self {
            grant_type: GRANT_REFRESH_TOKEN.into(),
            client_id: Some(client_id.into()),
            refresh_token: Some(refresh_token.into()),
            ..Self::default()
        }
    }

    /// A code exchange; `redirect_uri` is `None` in the direct-login (web_message) flow, as the
    /// Wix client omits it there.
    pub fn authorization_code(client_id: &str, code: &str, verifier: &str, redirect_uri: Option<&str>) -> Self {
        Self {
            grant_type: GRANT_AUTHORIZATION_CODE.into(),
            client_id: Some(client_id.into()),
            code: Some(code.into()),
            code_verifier: Some(verifier.into()),
            redirect_uri: redirect_uri.map(Into::into),
            ..Self::default()
        }
    }
}

/// RFC 8628 §3.1: the device authorization request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceAuthorizationRequest {
    #[serde(alias = "client_id", default)]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// RFC 8628 §3.2: the device authorization response (snake_case, as the RFC spells it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceAuthorizationResponse {
    pub device_code: String,
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: String,
    pub expires_in: u64,
    pub interval: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use wix_auth_protocol::token_bodies::{AuthorizedClientBody, CodeBody};

    #[test]
    fn reads_camel_and_snake_case_bodies() {
        let camel: TokenRequest =
            serde_json::from_str(r#"{"grantType":"refresh_token","clientId":"c","refreshToken":"r"}"#).unwrap();
        let snake: TokenRequest =
            serde_json::from_str(r#"{"grant_type":"refresh_token","client_id":"c","refresh_token":"r"}"#).unwrap();
        assert_eq!(camel, snake);
        assert_eq!(camel, TokenRequest::refresh("c", "r"));
    }

    #[test]
    fn a_parameter_given_twice_is_rejected() {
        let twice = r#"{"grantType":"anonymous","clientId":"a","client_id":"b"}"#;
        assert!(serde_json::from_str::<TokenRequest>(twice).is_err());
    }

    #[test]
    fn writes_camel_case_and_omits_absent_fields() {
        let body = serde_json::to_string(&TokenRequest::anonymous("c")).unwrap();
        assert_eq!(body, r#"{"grantType":"anonymous","clientId":"c"}"#);
        let code = serde_json::to_string(&TokenRequest::authorization_code("c", "k", "v", None)).unwrap();
        assert_eq!(code, r#"{"grantType":"authorization_code","clientId":"c","code":"k","codeVerifier":"v"}"#);
    }

    #[test]
    fn required_fields_per_grant() {
        assert_eq!(TokenRequest::anonymous("c").missing_field(), None);
        assert_eq!(TokenRequest::anonymous("").missing_field(), Some("clientId"));
        assert_eq!(TokenRequest::refresh("c", "").missing_field(), Some("refreshToken"));
        let mut code = TokenRequest::authorization_code("c", "k", "v", None);
        assert_eq!(code.missing_field(), None);
        code.code_verifier = None;
        assert_eq!(code.missing_field(), Some("codeVerifier"));
        let unknown = TokenRequest { grant_type: "password".into(), ..TokenRequest::default() };
        assert_eq!(unknown.missing_field(), None);
    }

    #[test]
    fn the_server_side_reads_every_body() {
        let code: TokenRequest = serde_json::from_str(&serde_json::to_string(&CodeBody::new("c", "k", "v", None)).unwrap()).unwrap();
        assert_eq!(code, TokenRequest::authorization_code("c", "k", "v", None));
        let api: TokenRequest =
            serde_json::from_str(&serde_json::to_string(&AuthorizedClientBody::new("m")).unwrap()).unwrap();
        assert_eq!(api.missing_field(), None);
    }
}
