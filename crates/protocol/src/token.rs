//! `POST /oauth2/token`: the request parameters of every grant, the success body and the OAuth
//! error body. The server accepts JSON and form bodies with the same names; the Wix docs and SDK
//! use camelCase but the docs' own examples also send snake_case (`refresh_token`), and the
//! API-key grant is all snake_case, so both spellings are read and camelCase is written.

use serde::{Deserialize, Serialize};

use super::json_value::JsonValue;

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

impl TokenResponse {
    /// The success body read by shape (see `json_value`): `access_token` and `token_type`
    /// strings, `expires_in` a whole number of seconds, `refresh_token` a string when present
    /// and not `null`.
    pub fn read(v: &JsonValue) -> Option<Self> {
        let refresh_token = match v.get("refresh_token") {
            None | Some(JsonValue::Null) => None,
            Some(r) => Some(r.as_str()?.into()),
        };
        Some(Self {
            access_token: v.str_at("access_token")?.into(),
            token_type: v.str_at("token_type")?.into(),
            expires_in: v.u64_at("expires_in")?,
            refresh_token,
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;


    #[test]
    fn oauth_codes_round_trip() {
        for c in ALL_OAUTH_CODES {
            assert_eq!(OAuthErrorCode::parse(c.as_str()), Some(c));
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{}\"", c.as_str()));
        }
        assert_eq!(OAuthErrorCode::parse("nope"), None);
    }

    /// The reader by shape takes and refuses what serde's derived deserializer takes and refuses.
    #[test]
    fn token_response_reader_agrees_with_serde() {
        for text in [
            r#"{"access_token":"a","token_type":"Bearer","expires_in":14400,"refresh_token":"r","scope":"x"}"#,
            r#"{"access_token":"a","token_type":"Bearer","expires_in":0}"#,
            r#"{"access_token":"a","token_type":"Bearer","expires_in":5,"refresh_token":null}"#,
            r#"{"access_token":"a","token_type":"Bearer","expires_in":5,"refresh_token":7}"#,
            r#"{"access_token":"a","token_type":"Bearer","expires_in":-5}"#,
            r#"{"access_token":"a","token_type":"Bearer","expires_in":1.5}"#,
            r#"{"access_token":"a","token_type":"Bearer","expires_in":"5"}"#,
            r#"{"access_token":"a","expires_in":5}"#,
            r#"{"access_token":null,"token_type":"Bearer","expires_in":5}"#,
            r#"["a"]"#,
        ] {
            let v: JsonValue = serde_json::from_str(text).unwrap();
            assert_eq!(TokenResponse::read(&v), serde_json::from_str::<TokenResponse>(text).ok(), "{text}");
        }
    }
}
