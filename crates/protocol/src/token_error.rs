//! Token-endpoint errors in both shapes the live service sends: OAuth's
//! `{"error": "invalid_grant", "error_description": …}` and Wix's `{"message": …, "details": …}`
//! (the public device-flow reference of `wix/skills` quotes both, e.g.
//! `{"message":"Device code is not yet verified"}`). A client that reads only `error` cannot tell a
//! refused grant from a broken server; this reading can.

use serde::Deserialize;

use super::error::{ErrorCode, SITE_NOT_PUBLISHED};
use super::find_str;
use super::token::OAuthErrorCode;

/// `details.applicationError.code`, the only part of `details` a token error is judged by.
#[derive(Debug, Default, Deserialize)]
struct AppCode {
    #[serde(default)]
    code: Option<String>,
}

/// `details` of a Wix-shaped error.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Details {
    #[serde(default)]
    application_error: Option<AppCode>,
}

/// A token-endpoint error body, either shape (every field optional).
#[derive(Debug, Default, Deserialize)]
pub struct TokenErrorReply {
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    details: Option<Details>,
}

impl TokenErrorReply {
    /// The error's code and the server's own text (empty when it sent none), for a reply with
    /// HTTP `status` (not 200):
    /// - `SITE_NOT_PUBLISHED_EXCEPTION` anywhere in it → `site_not_published`;
    /// - an OAuth `error` → that code (`unknown_error` for one this build does not know);
    /// - a Wix `{message, details}` with an application code that is an OAuth code → that code;
    /// - any other Wix-shaped refusal with a 4xx other than 429 → `invalid_grant`: the endpoint
    ///   refused what it was given (for a refresh: the refresh token), so a member's session
    ///   ends as it does on an OAuth `invalid_grant`;
    /// - anything else (5xx, 429, no recognisable field) → `http_error`, which is transient at
    ///   5xx/429 and never ends a session.
    pub fn classify(&self, status: u16) -> (ErrorCode, &str) {
        let app = self.details.as_ref().and_then(|d| d.application_error.as_ref()).and_then(|a| a.code.as_deref());
        let message = self.message.as_deref().unwrap_or("");
        let description = self.error_description.as_deref().filter(|d| !d.is_empty()).unwrap_or(message);
        let error = self.error.as_deref().filter(|e| !e.is_empty());
        let texts = [error.unwrap_or(""), app.unwrap_or(""), description];
        if texts.iter().any(|t| find_str(t, SITE_NOT_PUBLISHED).is_some()) {
            return (ErrorCode::SiteNotPublished, description);
        }
        if let Some(e) = error {
            return (ErrorCode::from_oauth(e), description);
        }
        if let Some(code) = app.and_then(OAuthErrorCode::parse) {
            return (ErrorCode::OAuth(code), description);
        }
        let wix_shaped = self.message.is_some() || self.details.is_some();
        if wix_shaped && (400..500).contains(&status) && status != 429 {
            return (ErrorCode::OAuth(OAuthErrorCode::InvalidGrant), description);
        }
        (ErrorCode::HttpError, description)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AuthError;

    fn read(status: u16, body: &str) -> (ErrorCode, String) {
        let r: TokenErrorReply = serde_json::from_str(body).unwrap();
        let (c, d) = r.classify(status);
        (c, d.to_string())
    }

    #[test]
    fn both_shapes_of_a_refusal_end_a_session() {
        for (status, body) in [
            (400, r#"{"error":"invalid_grant","error_description":"revoked"}"#),
            (400, r#"{"message":"refresh token is invalid","details":{}}"#),
            (401, r#"{"message":"refresh token is invalid"}"#),
            (403, r#"{"message":"m","details":{"applicationError":{"code":"-1","description":"d"}}}"#),
        ] {
            let (code, _) = read(status, body);
            assert!(AuthError::http(code, status, None, "x").ends_session(), "{status} {body}");
        }
        assert_eq!(read(400, r#"{"message":"gone"}"#).1, "gone");
    }

    #[test]
    fn a_broken_server_does_not_end_a_session() {
        for (status, body) in [
            (500, r#"{"message":"internal"}"#),
            (503, r#"{"error":"temporarily_unavailable"}"#),
            (502, r#"{"error":"invalid_grant"}"#),
            (429, r#"{"message":"slow down"}"#),
            (400, r#"{}"#),
            (400, r#"{"unrelated":1}"#),
        ] {
            let (code, _) = read(status, body);
            assert!(!AuthError::http(code, status, None, "x").ends_session(), "{status} {body}");
        }
    }

    #[test]
    fn codes_in_either_place() {
        assert_eq!(read(400, r#"{"message":"x","details":{"applicationError":{"code":"invalid_client"}}}"#).0, ErrorCode::OAuth(OAuthErrorCode::InvalidClient));
        assert_eq!(read(400, r#"{"error":"authorization_pending"}"#).0, ErrorCode::OAuth(OAuthErrorCode::AuthorizationPending));
        for body in [
            r#"{"error":"SITE_NOT_PUBLISHED_EXCEPTION"}"#,
            r#"{"message":"x","details":{"applicationError":{"code":"SITE_NOT_PUBLISHED_EXCEPTION"}}}"#,
            r#"{"message":"failed: SITE_NOT_PUBLISHED_EXCEPTION"}"#,
        ] {
            assert_eq!(read(400, body).0, ErrorCode::SiteNotPublished, "{body}");
        }
    }
}
