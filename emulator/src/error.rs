//! Every way a request can fail, each rendered in the body shape its API uses: OAuth
//! `{error, error_description}` for `/oauth2/*`, Wix `{message, details}` for the REST APIs.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use crate::wire::callback::build_callback;
use wix_auth_protocol::redirect_session::ResponseMode;
use wix_auth_protocol::token::{OAuthErrorBody, OAuthErrorCode};
use wix_auth_protocol::wix_error::{WixErrorBody, CODE_MEMBER_NOT_FOUND};

/// A failed request.
#[derive(Debug)]
pub enum ApiError {
    /// RFC 6749 §5.2 error: 400 (or another status for `invalid_client`-style cases) with JSON.
    OAuth { status: StatusCode, body: OAuthErrorBody },
    /// RFC 6749 §4.1.2.1: the error goes back to the redirect URI in its fragment.
    Redirect { location: String },
    /// A Wix REST error body.
    /// Boxed: the body is large and `ApiError` travels in every `Result` of the request path.
    Wix { status: StatusCode, body: Box<WixErrorBody> },
    /// A REST-style endpoint (redirect sessions) rejecting OAuth-level input: both shapes in one
    /// body, so OAuth-minded callers read `error` and the Wix SDK reads `message`/`details`.
    Both { status: StatusCode, code: OAuthErrorCode, description: String },
    /// The body is over the size limit.
    TooLarge,
    /// The body ended before its declared length, or the connection broke while it was read.
    UnreadableBody,
    /// Our own fault (the database failed); never caused by input.
    Internal(String),
}

const UNREADABLE: &str = "the request body could not be read to its end (truncated, or the connection broke)";

/// Largest request body accepted, in bytes.
pub const BODY_LIMIT: usize = 64 * 1024;

impl ApiError {
    /// A 400 OAuth error.
    pub fn oauth(code: OAuthErrorCode, description: impl Into<String>) -> Self {
        let status = if code == OAuthErrorCode::TemporarilyUnavailable { StatusCode::SERVICE_UNAVAILABLE } else { StatusCode::BAD_REQUEST };
        Self::OAuth { status, body: OAuthErrorBody::new(code, &description.into()) }
    }

    /// `invalid_request`.
    pub fn invalid_request(description: impl Into<String>) -> Self {
        Self::oauth(OAuthErrorCode::InvalidRequest, description)
    }

    /// `invalid_grant`.
    pub fn invalid_grant(description: impl Into<String>) -> Self {
        Self::oauth(OAuthErrorCode::InvalidGrant, description)
    }

    /// `invalid_client` for an unknown client id.
    pub fn unknown_client() -> Self {
        Self::oauth(OAuthErrorCode::InvalidClient, "unknown clientId")
    }

    /// The seed's answer to a redirect URI that is not registered: 302 to it with `#error=`.
    pub fn bad_redirect_uri(redirect_uri: &str, state: Option<&str>) -> Self {
        let mut pairs = vec![("error", "invalid_request"), ("error_description", "redirectUri is not on the allow-list")];
        if let Some(s) = state {
            pairs.push(("state", s));
        }
        Self::Redirect { location: build_callback(redirect_uri, ResponseMode::Fragment, &pairs) }
    }

    /// A Wix application error (`details.applicationError.code`).
    pub fn wix(status: StatusCode, code: &str, description: &str) -> Self {
        Self::Wix { status, body: Box::new(WixErrorBody::application(code, description)) }
    }

    /// A Wix validation error on one field, `kind` (`EMAIL`, `PASSWORD`, …) in its `data.type`:
    /// the Wix SDK's `register()` reads `data.type` of every violation unguarded.
    pub fn validation(field: &str, description: &str, kind: &str) -> Self {
        Self::Wix { status: StatusCode::BAD_REQUEST, body: Box::new(WixErrorBody::validation(field, description, Some(kind))) }
    }

    /// The same failure as the login endpoint must send it: the Wix SDK gives a
    /// `validationError` precedence over everything else and then its `login()` throws a
    /// `TypeError` reading `applicationError.code`, so login answers bad input with an
    /// application error only: `-19999` (→ `invalidEmail`) for a bad email, else `INVALID_ARGUMENT`.
    pub fn for_login(self) -> Self {
        match self {
            Self::Wix { status, body } if body.details.validation_error.is_some() => {
                let code = if body.has_email_violation() { CODE_MEMBER_NOT_FOUND } else { "INVALID_ARGUMENT" };
                Self::Wix { status, body: Box::new(WixErrorBody::application(code, &body.message)) }
            }
            other => other,
        }
    }

    /// 401 for a missing, expired, revoked or visitor token where a member is needed.
    pub fn unauthenticated(description: &str) -> Self {
        Self::wix(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", description)
    }

    /// The text a person should see (hosted pages show it next to the form).
    pub fn human_message(&self) -> String {
        match self {
            Self::OAuth { body, .. } => body.error_description.clone().unwrap_or_else(|| body.error.clone()),
            Self::Wix { body, .. } => body.message.clone(),
            Self::Both { description, .. } => description.clone(),
            Self::Redirect { .. } => "redirect URI not allowed".into(),
            Self::TooLarge => "request too large".into(),
            Self::UnreadableBody => UNREADABLE.into(),
            Self::Internal(_) => "internal error".into(),
        }
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Internal(e.to_string())
    }
}

/// The body of `Both`: OAuth fields and Wix fields side by side.
#[derive(Serialize)]
struct BothBody<'a> {
    error: &'a str,
    error_description: &'a str,
    #[serde(flatten)]
    wix: WixErrorBody,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::OAuth { status, body } => (status, Json(body)).into_response(),
            Self::Redirect { location } => (StatusCode::FOUND, [(header::LOCATION, location)]).into_response(),
            Self::Wix { status, body } => (status, Json(body)).into_response(),
            Self::Both { status, code, description } => {
                let wix = WixErrorBody::application(code.as_str(), &description);
                (status, Json(BothBody { error: code.as_str(), error_description: &description, wix })).into_response()
            }
            Self::TooLarge => {
                let description = format!("request body is larger than {} KiB", BODY_LIMIT / 1024);
                let wix = WixErrorBody::application("PAYLOAD_TOO_LARGE", &description);
                let body = BothBody { error: OAuthErrorCode::InvalidRequest.as_str(), error_description: &description, wix };
                (StatusCode::PAYLOAD_TOO_LARGE, Json(body)).into_response()
            }
            Self::UnreadableBody => {
                let wix = WixErrorBody::application("INVALID_ARGUMENT", UNREADABLE);
                let body = BothBody { error: OAuthErrorCode::InvalidRequest.as_str(), error_description: UNREADABLE, wix };
                (StatusCode::BAD_REQUEST, Json(body)).into_response()
            }
            Self::Internal(detail) => {
                eprintln!("wix-auth-emulator: internal error: {detail}");
                let body = OAuthErrorBody::new(OAuthErrorCode::ServerError, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response()
            }
        }
    }
}
