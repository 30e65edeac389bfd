//! `POST /oauth2/token`: the request parameters of every grant, the success body and the OAuth
//! error body. The server accepts JSON and form bodies with the same names; the Wix docs and SDK
//! use camelCase but the docs' own examples also send snake_case (`refresh_token`), and the
//! API-key grant is all snake_case, so both spellings are read and camelCase is written.

use serde::{Deserialize, Serialize};

/// `grantType` of a visitor token request.
pub const GRANT_ANONYMOUS: &str = "anonymous";
/// `grantType` of a refresh.
pub const GRANT_REFRESH_TOKEN: &str = "refresh_token";
/// `grantType` of a code exchange.
pub const GRANT_AUTHORIZATION_CODE: &str = "authorization_code";
/// `grant_type` of the API-key (external login) grant.
pub const GRANT_AUTHORIZED_CLIENT: &str = "authorized_client";
/// `grantType` of the device authorization grant (RFC 8628 §3.4).
pub const GRANT_DEVICE_CODE: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// Where a device asks for its codes (`GET ?clientId=`, as the live service answers it).
pub const DEVICE_CODE_PATH: &str = "/oauth2/device/code";

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

    /// The first field the grant requires that is absent or empty, by its wire name; `None` when
    /// all are there or the grant is unknown (that is `unsupported_grant_type`, not a missing field).
    pub fn missing_field(&self) -> Option<&'static str> {
        let absent = |f: &Option<String>| f.as_deref().map_or(true, str::is_empty);
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

/// The success body of `POST /oauth2/token`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: String,
    pub expires_in: u64,
    /// Present on every Wix grant; a server that rotates refresh tokens sends a new one here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// The error codes of RFC 6749 §5.2 and §4.1.2.1, plus RFC 8628 §3.5's device-flow codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OAuthErrorCode {
    InvalidRequest,
    InvalidClient,
    InvalidGrant,
    UnauthorizedClient,
    UnsupportedGrantType,
    AccessDenied,
    ServerError,
    TemporarilyUnavailable,
    AuthorizationPending,
    SlowDown,
    ExpiredToken,
    InvalidScope,
}

impl OAuthErrorCode {
    /// The code as it is spelled on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::AccessDenied => "access_denied",
            Self::ServerError => "server_error",
            Self::TemporarilyUnavailable => "temporarily_unavailable",
            Self::AuthorizationPending => "authorization_pending",
            Self::SlowDown => "slow_down",
            Self::ExpiredToken => "expired_token",
            Self::InvalidScope => "invalid_scope",
        }
    }

    /// Reads a wire code; unknown codes are `None` (the caller keeps the raw text). A `match`
    /// rather than a search over `as_str`, which the compiler unrolls into ~3 KB of wasm.
    pub fn parse(code: &str) -> Option<Self> {
        Some(match code {
            "invalid_request" => Self::InvalidRequest,
            "invalid_client" => Self::InvalidClient,
            "invalid_grant" => Self::InvalidGrant,
            "unauthorized_client" => Self::UnauthorizedClient,
            "unsupported_grant_type" => Self::UnsupportedGrantType,
            "access_denied" => Self::AccessDenied,
            "server_error" => Self::ServerError,
            "temporarily_unavailable" => Self::TemporarilyUnavailable,
            "authorization_pending" => Self::AuthorizationPending,
            "slow_down" => Self::SlowDown,
            "expired_token" => Self::ExpiredToken,
            "invalid_scope" => Self::InvalidScope,
            _ => return None,
        })
    }
}

#[cfg(test)]
const ALL_OAUTH_CODES: [OAuthErrorCode; 12] = [
    OAuthErrorCode::InvalidRequest,
    OAuthErrorCode::InvalidClient,
    OAuthErrorCode::InvalidGrant,
    OAuthErrorCode::UnauthorizedClient,
    OAuthErrorCode::UnsupportedGrantType,
    OAuthErrorCode::AccessDenied,
    OAuthErrorCode::ServerError,
    OAuthErrorCode::TemporarilyUnavailable,
    OAuthErrorCode::AuthorizationPending,
    OAuthErrorCode::SlowDown,
    OAuthErrorCode::ExpiredToken,
    OAuthErrorCode::InvalidScope,
];

/// The JSON error body of the token endpoint: `{error, error_description?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthErrorBody {
    pub error: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
}

impl OAuthErrorBody {
    /// An error body with a description that names the broken rule.
    pub fn new(code: OAuthErrorCode, description: &str) -> Self {
        Self { error: code.as_str().into(), error_description: Some(description.into()) }
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
    fn oauth_codes_round_trip() {
        for c in ALL_OAUTH_CODES {
            assert_eq!(OAuthErrorCode::parse(c.as_str()), Some(c));
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{}\"", c.as_str()));
        }
        assert_eq!(OAuthErrorCode::parse("nope"), None);
    }
}
