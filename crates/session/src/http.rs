//! From bodies to requests and from replies to values or typed errors. Every error made here
//! carries the reply's status and `x-wix-request-id`, and a fixed text or the server's own
//! description: never a token. A server text that contains any of the request's `secrets`
//! (token, password, code, verifier, API key) is replaced by the fixed text, so not even a
//! server that echoes its input can put a secret into an error message.


use super::platform::{Method, Request, Response};
use super::replies::{oauth_error_body, state_reply, wix_error_body};
use super::{Platform, Session};
use wix_auth_protocol::error::{AuthError, ErrorCode, SITE_NOT_PUBLISHED};
use wix_auth_protocol::login_state::{self, FailureCause, Flow, StateMachine};
use wix_auth_protocol::json_value::{JsonValue, ToJson};
use wix_auth_protocol::token::TokenResponse;
use wix_auth_protocol::token_error;
use wix_auth_protocol::wix_error::WixErrorBody;
use wix_auth_protocol::{find_str, TOKEN_PATH};

/// Wix answers success with exactly 200.
const OK: u16 = 200;
/// The status of a refused access token.
const UNAUTHORIZED: u16 = 401;
/// The application code Wix APIs give a missing, expired or revoked access token.
const CODE_UNAUTHENTICATED: &str = "UNAUTHENTICATED";

impl<P: Platform> Session<P> {
    /// `body` as JSON text. Bodies are encoded before they go to the (non-generic) senders, so the
    /// request machinery exists once in the binary instead of once per body type.
    pub(crate) fn encode<B: ToJson>(&self, body: &B) -> Result<String, AuthError> {
        self.platform
            .to_json(&body.to_json())
            .ok_or_else(|| AuthError::new(ErrorCode::InvalidArgument, "request body cannot be encoded"))
    }

    /// POSTs JSON text to `path`; `authorization` is the raw header value, when the Wix client
    /// sends one for this call.
    pub(crate) async fn post(&self, path: &str, json: String, authorization: Option<String>) -> Result<Response, AuthError> {
        self.post_with(path, json, authorization, &[]).await
    }

    /// [`post`](Self::post) with `extra` headers last; one of them replaces a header of the same
    /// name, as the caller's headers do in `@wix/sdk`'s token requests (`tokenRequestOptions`).
    async fn post_with(
        &self,
        path: &str,
        json: String,
        authorization: Option<String>,
        extra: &[(String, String)],
    ) -> Result<Response, AuthError> {
        let mut headers: Vec<(String, String)> = Vec::with_capacity(2 + extra.len());
        headers.push(("Content-Type".into(), "application/json".into()));
        if let Some(value) = authorization {
            headers.push(("Authorization".into(), value));
        }
        for (name, value) in extra {
            headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
            headers.push((name.clone(), value.clone()));
        }
        self.platform.send(Request { method: Method::Post, url: self.config.url(path), headers, body: Some(json) }).await
    }

    /// POSTs to a Wix API other than the token endpoint: with the session's access token (minting
    /// or refreshing it first), as the Wix client's `wixClientWithTokens` does. The token comes
    /// back too, so that error texts can be checked for it. One place for every such call keeps
    /// one copy of this state machine in the binary.
    ///
    /// A 401 that refuses the token itself (no application code, or `UNAUTHENTICATED`: revoked,
    /// or the server's clock disagrees) is retried once with a refreshed token; a 401 carrying a
    /// login code (wrong password) is an answer, not a token problem, and is returned as is.
    pub(crate) async fn wix_post(&self, path: &str, json: String) -> Result<(Response, String), AuthError> {
        self.wix_post_as(path, json, None).await
    }

    /// [`Self::wix_post`], first with `token` when given (logout: the member's token, after the
    /// session has forgotten it; a refusal then retries with what the session holds now).
    pub(crate) async fn wix_post_as(&self, path: &str, json: String, token: Option<String>) -> Result<(Response, String), AuthError> {
        let token = match token {
            Some(t) => t,
            None => self.get_auth_headers().await?,
        };
        let resp = self.post(path, json.clone(), Some(token.clone())).await?;
        if !self.refuses_token(&resp) {
            return Ok((resp, token));
        }
        self.invalidate_access_token(&token);
        let token = self.get_auth_headers().await?;
        let resp = self.post(path, json, Some(token.clone())).await?;
        Ok((resp, token))
    }

    /// Whether a reply is a 401 about the access token rather than the request's content.
    fn refuses_token(&self, resp: &Response) -> bool {
        if resp.status != UNAUTHORIZED {
            return false;
        }
        match self.error_body(resp).as_ref().and_then(|b| b.application_code()) {
            None => true,
            Some(code) => code.is_empty() || code == CODE_UNAUTHENTICATED,
        }
    }

    /// A 200 reply's JSON body; any other reply is an error read as a Wix error body.
    pub(crate) fn wix_reply(&self, resp: &Response, secrets: &[&str]) -> Result<JsonValue, AuthError> {
        if resp.status != OK {
            return Err(self.wix_error(resp, secrets));
        }
        self.parse_ok(resp)
    }

    /// The body of a 200 reply, or `UnexpectedResponse`.
    pub(crate) fn parse_ok(&self, resp: &Response) -> Result<JsonValue, AuthError> {
        self.platform.parse_json(&resp.body).ok_or_else(|| self.unexpected(resp))
    }

    /// `UnexpectedResponse` for a 200 reply whose body is not what the call returns.
    pub(crate) fn unexpected(&self, resp: &Response) -> AuthError {
        AuthError::http(ErrorCode::UnexpectedResponse, resp.status, resp.request_id.clone(), "unexpected response body")
    }

    /// A reply's body as JSON, for reading an error from it.
    fn error_json(&self, resp: &Response) -> Option<JsonValue> {
        self.platform.parse_json(&resp.body)
    }

    /// A reply's body as a Wix error body, when it is one.
    fn error_body(&self, resp: &Response) -> Option<WixErrorBody> {
        self.error_json(resp).as_ref().and_then(wix_error_body)
    }

    /// A non-200 reply of a Wix API as `HttpError`, with the server's message when it sent one.
    pub(crate) fn wix_error(&self, resp: &Response, secrets: &[&str]) -> AuthError {
        self.error_of(resp, self.error_body(resp).as_ref(), secrets)
    }

    /// A non-200 reply with its (maybe) parsed Wix body as an `AuthError`: `site_not_published`
    /// when it says so, else `http_error`.
    fn error_of(&self, resp: &Response, body: Option<&WixErrorBody>, secrets: &[&str]) -> AuthError {
        let message = safe_text(body.map_or("", |b| b.message.as_str()), secrets, "request failed");
        let unpublished = body.is_some_and(|b| {
            b.application_code() == Some(SITE_NOT_PUBLISHED) || find_str(&b.message, SITE_NOT_PUBLISHED).is_some()
        });
        let code = if unpublished { ErrorCode::SiteNotPublished } else { ErrorCode::HttpError };
        AuthError::http(code, resp.status, resp.request_id.clone(), message)
    }

    /// A login / register / verify reply as a `StateMachine`, resolving and rejecting where
    /// `@wix/sdk` 1.21.16 does: a 200 goes through `login_state::from_response`; any other reply
    /// to login or register is a `FAILURE` (the SDK resolves them all), with Wix's `errorCode`
    /// only where the reply says which (a 5xx or an unknown code is not called `invalidEmail`,
    /// as the SDK does) and the typed error in `authError`; a refused verification rejects, as
    /// the SDK's does (it has no `catch`).
    pub(crate) fn state_machine(&self, flow: Flow, resp: &Response, secrets: &[&str]) -> Result<StateMachine, AuthError> {
        if resp.status == OK {
            let reply = state_reply(&self.parse_ok(resp)?).ok_or_else(|| self.unexpected(resp))?;
            return Ok(login_state::from_response(reply));
        }
        let body = self.error_body(resp);
        let error = self.error_of(resp, body.as_ref(), secrets);
        if flow == Flow::Verify {
            return Err(error);
        }
        let application_code = body.as_ref().and_then(|b| b.application_code()).map(String::from);
        let mapped = body.as_ref().and_then(|b| login_state::from_error(flow, b));
        let mut sm = mapped.unwrap_or_else(|| StateMachine::failure(None, error.message.clone()));
        if sm.error.as_deref().is_some_and(|t| safe_text(t, secrets, "").is_empty()) {
            sm.error = Some(error.message.clone());
        }
        let code = sm.error_code.map_or(error.code, ErrorCode::Login);
        Ok(sm.because(FailureCause {
            code: code.as_str().into(),
            status: error.status,
            request_id: error.request_id,
            application_code,
            message: error.message,
        }))
    }

    /// POSTs a token request (no `Authorization` unless given, as the Wix client does) and reads
    /// the reply: OAuth error bodies become their OAuth code.
    pub(crate) async fn token_request(
        &self,
        json: String,
        authorization: Option<String>,
        secrets: &[&str],
    ) -> Result<TokenResponse, AuthError> {
        let resp = self.post_with(TOKEN_PATH, json, authorization, &self.config.token_headers).await?;
        if resp.status != OK {
            // Either shape: OAuth's `{error}`, else Wix's `{message, details}`.
            let json = self.error_json(&resp);
            let oauth = json.as_ref().and_then(oauth_error_body);
            let wix = if oauth.is_some() { None } else { json.as_ref().and_then(wix_error_body) };
            let (code, text) = token_error::classify(resp.status, oauth.as_ref(), wix.as_ref());
            let message = safe_text(text, secrets, "token request failed");
            return Err(AuthError::http(code, resp.status, resp.request_id.clone(), message));
        }
        let parsed = TokenResponse::read(&self.parse_ok(&resp)?).ok_or_else(|| self.unexpected(&resp))?;
        if parsed.access_token.is_empty() {
            return Err(AuthError::http(ErrorCode::UnexpectedResponse, resp.status, resp.request_id, "no access_token"));
        }
        Ok(parsed)
    }
}

/// `text`, unless it is empty or contains a non-empty secret: then `fallback`.
pub(crate) fn safe_text<'a>(text: &'a str, secrets: &[&str], fallback: &'a str) -> &'a str {
    if text.is_empty() || secrets.iter().any(|s| !s.is_empty() && find_str(text, s).is_some()) {
        fallback
    } else {
        text
    }
}
