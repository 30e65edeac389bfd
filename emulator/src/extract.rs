//! Reading request bodies ourselves instead of with axum's `Json`/`Form`, so that every bad body
//! gets our documented error instead of axum's plain-text rejection, and so that the Wix SDK's
//! REST calls (which send JSON without a `Content-Type`, i.e. as `text/plain`) are accepted.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::header;
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;
use std::convert::Infallible;
use wix_auth_protocol::form;

use crate::error::{ApiError, BODY_LIMIT};

/// A request body of at most `BODY_LIMIT` bytes and whether it was sent as a form.
pub struct RawBody {
    pub bytes: Bytes,
    pub is_form: bool,
    /// Sent as `application/json` (the dev endpoints accept nothing else).
    pub is_json: bool,
}

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(|v| v.trim_start().to_ascii_lowercase());
        let is_type = |t: &str| content_type.as_deref().is_some_and(|v| v.starts_with(t));
        let (is_form, is_json) = (is_type("application/x-www-form-urlencoded"), is_type("application/json"));
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|n| n > DRAIN_LIMIT) {
            return Err(ApiError::TooLarge);
        }
        let bytes = read_limited(req.into_body()).await?;
        Ok(Self { bytes, is_form, is_json })
    }
}

/// Bodies up to this size are read (and dropped) to the end even when over `BODY_LIMIT`, so a
/// client that sends without `Expect: 100-continue` finishes sending and then reads our 413;
/// answering early made the kernel reset the connection under the unread bytes, and the client
/// saw a reset instead of the 413. Bigger ones are cut off.
const DRAIN_LIMIT: usize = 8 * 1024 * 1024;

/// The body if it fits in `BODY_LIMIT`. A read error (a truncated body, a broken connection)
/// is a 400 that says so: nothing here can be a 500.
async fn read_limited(body: axum::body::Body) -> Result<Bytes, ApiError> {
    let mut body = body;
    let mut buf = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| ApiError::UnreadableBody)?;
        let Ok(data) = frame.into_data() else { continue };
        seen += data.len();
        if seen > DRAIN_LIMIT {
            return Err(ApiError::TooLarge);
        }
        if seen <= BODY_LIMIT {
            buf.extend_from_slice(&data);
        }
    }
    if seen > BODY_LIMIT {
        return Err(ApiError::TooLarge);
    }
    Ok(Bytes::from(buf))
}

/// Why a body could not be read as `T`: serde's message, naming the field when it can.
pub struct BadBody(pub String);

impl RawBody {
    /// The body as `T`, from a form or from JSON (whatever the declared type otherwise).
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, BadBody> {
        // `curl -d '{…}'` labels JSON as a form; a form body can never start with `{`.
        let first = self.bytes.iter().find(|b| !b.is_ascii_whitespace());
        if first.is_none() {
            return Err(BadBody("the request body is empty".into()));
        }
        let looks_json = first == Some(&b'{');
        if self.is_form && !looks_json {
            serde_urlencoded::from_bytes(&self.bytes).map_err(|e| BadBody(e.to_string()))
        } else {
            serde_json::from_slice(&self.bytes).map_err(|e| BadBody(e.to_string()))
        }
    }

    /// The fields of a form body (a body that is not UTF-8 has none).
    pub fn form(&self) -> Params {
        Params(std::str::from_utf8(&self.bytes).map(form::parse).unwrap_or_default())
    }
}

impl BadBody {
    /// As an OAuth `invalid_request`.
    pub fn oauth(self) -> ApiError {
        ApiError::invalid_request(format!("malformed request body: {}", self.0))
    }

    /// As `invalid_request` in both shapes (the redirect-session endpoint).
    pub fn both(self) -> ApiError {
        ApiError::Both {
            status: axum::http::StatusCode::BAD_REQUEST,
            code: wix_auth_protocol::token::OAuthErrorCode::InvalidRequest,
            description: format!("malformed request body: {}", self.0),
        }
    }

    /// As a Wix validation error on the body.
    pub fn wix(self) -> ApiError {
        ApiError::validation("body", &format!("malformed request body: {}", self.0), "BODY")
    }
}

/// Decoded `name=value` pairs of a query string or a form body, read leniently like a browser's
/// `URLSearchParams` (so a bad query never gets axum's plain-text rejection): a malformed escape
/// stays literal and a repeated name keeps its first value.
pub struct Params(Vec<(String, String)>);

impl Params {
    /// The first value of `name`, or `""`.
    pub fn get(&self, name: &str) -> String {
        self.opt(name).unwrap_or_default()
    }

    /// The first value of `name`.
    pub fn opt(&self, name: &str) -> Option<String> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(parts.uri.query().map(form::parse).unwrap_or_default()))
    }
}
