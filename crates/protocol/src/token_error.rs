//! Token-endpoint errors in both shapes the live service sends: OAuth's
//! `{"error": "invalid_grant", "error_description": …}` and Wix's `{"message": …, "details": …}`
//! (the public device-flow reference of `wix/skills` quotes both, e.g.
//! `{"message":"Device code is not yet verified"}`). A client that reads only `error` cannot tell a
//! refused grant from a broken server; this reading can.

use super::error::{ErrorCode, SITE_NOT_PUBLISHED};
use super::find_str;
use super::token::{OAuthErrorBody, OAuthErrorCode};
use super::wix_error::WixErrorBody;

/// The code and the server's own text (empty when it sent none) of a token-endpoint reply with
/// HTTP `status` (not 200), read as OAuth's body (`oauth`) or else as Wix's (`wix`), or neither
/// (garbage). The bodies are read with the deserialisers the client has anyway, so this reading
/// adds none:
/// - `SITE_NOT_PUBLISHED_EXCEPTION` anywhere in it → `site_not_published`;
/// - an OAuth `error` → that code (`unknown_error` for one this build does not know);
/// - a Wix body whose application code is an OAuth code → that code;
/// - any other Wix body (a `message` or an error in `details`) with a 4xx other than 429 →
///   `invalid_grant`: the endpoint refused what it was given (for a refresh: the refresh token),
///   so a member's session ends as it does on an OAuth `invalid_grant`;
/// - anything else (5xx, 429, no recognisable field) → `http_error`, which is transient at
///   5xx/429 and never ends a session.
pub fn classify<'a>(status: u16, oauth: Option<&'a OAuthErrorBody>, wix: Option<&'a WixErrorBody>) -> (ErrorCode, &'a str) {
    let error = oauth.map(|o| o.error.as_str()).filter(|e| !e.is_empty());
    let app = wix.and_then(|w| w.application_code());
    let message = wix.map_or("", |w| w.message.as_str());
    let description = oauth.and_then(|o| o.error_description.as_deref()).filter(|d| !d.is_empty()).unwrap_or(message);
    if [error.unwrap_or(""), app.unwrap_or(""), description].iter().any(|t| find_str(t, SITE_NOT_PUBLISHED).is_some()) {
        return (ErrorCode::SiteNotPublished, description);
    }
    if let Some(e) = error {
        return (ErrorCode::from_oauth(e), description);
    }
    if let Some(code) = app.and_then(OAuthErrorCode::parse) {
        return (ErrorCode::OAuth(code), description);
    }
    let wix_shaped = wix.is_some_and(|w| {
        !w.message.is_empty() || w.details.application_error.is_some() || w.details.validation_error.is_some()
    });
    if wix_shaped && (400..500).contains(&status) && status != 429 {
        return (ErrorCode::OAuth(OAuthErrorCode::InvalidGrant), description);
    }
    (ErrorCode::HttpError, description)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AuthError;

    /// As the client reads a reply: OAuth's shape first, else Wix's.
    fn read(status: u16, body: &str) -> (ErrorCode, String) {
        let oauth: Option<OAuthErrorBody> = serde_json::from_str(body).ok();
        let wix: Option<WixErrorBody> = if oauth.is_some() { None } else { serde_json::from_str(body).ok() };
        let (c, d) = classify(status, oauth.as_ref(), wix.as_ref());
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
