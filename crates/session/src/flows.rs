//! The Wix flows on top of the tokens: OAuth data and the hosted login page, the code exchange,
//! custom login / registration / email verification, direct login, external login, password
//! reset, logout and the pre-warm of Wix pages.

use super::config::canonical_origin;
use super::decide;
use super::platform::Response;
use super::replies::{RedirectSessionReply, SignOnReply};
use super::{AuthUrl, AuthUrlOptions, LogoutResult, Platform, Session, SessionEndReason, SignOnOptions};
use wix_auth_protocol::authentication::{
    CaptchaTokens, LoginId, LoginRequest, RecoveryRedirect, RecoveryRequest, RegisterBody, SignOnBody, VerifyRequest,
    LOGIN_PATH, RECOVERY_PATH, REGISTER_PATH, SIGN_ON_PATH, VERIFY_PATH,
};
use wix_auth_protocol::json_value::{JsonValue, ToJson};
use wix_auth_protocol::token_bodies::{self as bodies, AuthorizedClientBody, CodeBody};
use wix_auth_protocol::callback::{parse_callback_url, CallbackError, ParsedCallback};
use wix_auth_protocol::error::{AuthError, ErrorCode};
use wix_auth_protocol::login_state::{FailureCause, Flow, LoginState, StateMachine, UNKNOWN_STATE_TEXT};
use wix_auth_protocol::oauth_data::{OAuthData, PendingOAuth, PendingVerification};
use wix_auth_protocol::redirect_session::{
    self as rs, AuthRequest, AuthSession, Callbacks, LogoutSession, PrewarmSession, Prompt, RedirectSessionRequest,
    ResponseMode,
};
use wix_auth_protocol::tokens::{Role, Tokens};
use wix_auth_protocol::{pkce, server_url, PREWARM_STORAGE_KEY, PREWARM_TTL_MS};

/// Storage key prefix of OAuth data, followed by its `state`.
const OAUTH_KEY_PREFIX: &str = "oauth:";
/// Storage key suffix of the index of pending OAuth attempts: `[[state, expiresAtMs], …]`.
const OAUTH_INDEX_KEY: &str = "oauth";
/// Most login attempts kept pending at once (tabs, retries); older ones are dropped.
const MAX_PENDING_OAUTH: usize = 8;
/// Storage key suffix of a pending email verification.
const VERIFICATION_KEY: &str = "verification";
/// The redirect URI `@wix/sdk` puts in the OAuth data it makes when `getAuthUrl` gets none.
const UNUSED_REDIRECT_URI: &str = "unused://";
/// `responseType` of every authorization request.
const RESPONSE_TYPE_CODE: &str = "code";

impl<P: Platform> Session<P> {
    /// Wix's `generateOAuthData`: a fresh PKCE pair and `state` from the platform's CSPRNG, also
    /// stored under its `state` (with a TTL) so the callback page can finish without it.
    pub fn generate_oauth_data(&self, redirect_uri: &str, original_uri: Option<&str>) -> Result<OAuthData, AuthError> {
        let data = self.new_oauth_data(redirect_uri, original_uri.unwrap_or(""))?;
        // Storage may be unavailable: the data still works when passed back explicitly.
        drop(self.remember_oauth(&data));
        Ok(data)
    }

    /// OAuth data that is not stored (direct login keeps it for the length of one call).
    fn new_oauth_data(&self, redirect_uri: &str, original_uri: &str) -> Result<OAuthData, AuthError> {
        let mut verifier = [0u8; pkce::VERIFIER_OCTETS];
        let mut state = [0u8; pkce::VERIFIER_OCTETS];
        self.platform.random(&mut verifier)?;
        self.platform.random(&mut state)?;
        Ok(OAuthData::from_random(&verifier, &state, redirect_uri, original_uri))
    }

    fn oauth_key(&self, state: &str) -> String {
        self.config.key(&[OAUTH_KEY_PREFIX, state].concat())
    }

    /// The index of pending attempts stored under `index_key`: `[[state, expiresAtMs], …]`, its
    /// unreadable entries skipped (the attempts they named expire on their own).
    fn oauth_index(&self, index_key: &str) -> Vec<(String, u64)> {
        let Some(index) = self.platform.load(index_key).and_then(|t| self.platform.parse_json(&t)) else {
            return Vec::new();
        };
        let entry = |e: &JsonValue| match e.items() {
            [JsonValue::String(state), JsonValue::Int(expires)] => Some((state.clone(), u64::try_from(*expires).ok()?)),
            _ => None,
        };
        index.items().iter().filter_map(entry).collect()
    }

    /// Stores `data` under its state and lists it in the index of pending attempts. Storage has
    /// no way to list keys, so the index is what lets abandoned attempts (never called back) be
    /// removed once expired instead of piling up in localStorage; at most
    /// [`MAX_PENDING_OAUTH`] are kept, the oldest dropped first.
    fn remember_oauth(&self, data: &OAuthData) -> Result<(), AuthError> {
        let now = self.platform.now_ms();
        let expires_at_ms = now.saturating_add(self.config.oauth_data_ttl_ms);
        let index_key = self.config.key(OAUTH_INDEX_KEY);
        let mut index = self.oauth_index(&index_key);
        index.retain(|(state, expires)| {
            let keep = *expires > now && *state != data.state;
            if !keep && *state != data.state {
                drop(self.platform.store(&self.oauth_key(state), None));
            }
            keep
        });
        while index.len() >= MAX_PENDING_OAUTH {
            let (oldest, _) = index.remove(0);
            drop(self.platform.store(&self.oauth_key(&oldest), None));
        }
        index.push((data.state.clone(), expires_at_ms));
        self.store_json(&self.oauth_key(&data.state), &PendingOAuth { data: data.clone(), expires_at_ms }.to_json())?;
        let entry = |(state, expires): &(String, u64)| JsonValue::Array(vec![state.as_str().into(), (*expires).into()]);
        self.store_json(&index_key, &JsonValue::Array(index.iter().map(entry).collect()))
    }

    /// The stored OAuth data of `state`, removed as it is read: a `state` is good for one
    /// callback only, and not after its TTL.
    fn take_oauth(&self, state: &str) -> Result<OAuthData, AuthError> {
        let key = self.oauth_key(state);
        let text = self.platform.load(&key);
        drop(self.platform.store(&key, None));
        let unknown = || AuthError::new(ErrorCode::UnknownState, "no login attempt with this state is pending");
        let pending = text.and_then(|t| self.platform.parse_json(&t)).as_ref().and_then(PendingOAuth::read).ok_or_else(unknown)?;
        if self.platform.now_ms() >= pending.expires_at_ms || pending.data.state != state {
            return Err(unknown());
        }
        Ok(pending.data)
    }

    /// The authorization request of `data`.
    fn auth_request(&self, data: &OAuthData, mode: ResponseMode, session_token: Option<&str>, idp: Option<&str>) -> AuthRequest {
        AuthRequest {
            redirect_uri: Some(data.redirect_uri.clone()).filter(|r| !r.is_empty()),
            client_id: self.config.client_id.clone(),
            code_challenge: data.code_challenge.clone(),
            code_challenge_method: pkce::CHALLENGE_METHOD.into(),
            response_mode: mode,
            response_type: RESPONSE_TYPE_CODE.into(),
            scope: bodies::SCOPE_OFFLINE_ACCESS.into(),
            state: data.state.clone(),
            session_token: session_token.filter(|t| !t.is_empty()).map(Into::into),
            idp: idp.filter(|i| !i.is_empty()).map(|i| rs::idp_connection_id(i).into()),
        }
    }

    /// POSTs a redirect session with the session's access token (as the Wix client does) and
    /// returns it; a reply without a `fullUrl` is `UnexpectedResponse`.
    async fn redirect_session(&self, request: &RedirectSessionRequest) -> Result<RedirectSessionReply, AuthError> {
        let (resp, token) = self.wix_post(rs::PATH, self.encode(request)?).await?;
        self.redirect_reply(&resp, &[&token])
    }

    /// A redirect session reply, its URLs checked: a page loads `fullUrl` into a frame or
    /// navigates to it, so it must be `https:` (or `http:` on loopback) and on the host of the
    /// session's own `urlDetails.endpoint` (`server_url::check_on_endpoint`), or it is `UnsafeUrl`.
    fn redirect_reply(&self, resp: &Response, secrets: &[&str]) -> Result<RedirectSessionReply, AuthError> {
        let session = RedirectSessionReply::read(&self.wix_reply(resp, secrets)?).ok_or_else(|| self.unexpected(resp))?;
        if session.full_url.is_empty() {
            return Err(AuthError::http(ErrorCode::UnexpectedResponse, resp.status, resp.request_id.clone(), "no fullUrl"));
        }
        server_url::check_on_endpoint(&session.full_url, &session.endpoint)
            .map_err(|r| AuthError::http(ErrorCode::UnsafeUrl, resp.status, resp.request_id.clone(), r.message()))?;
        Ok(session)
    }

    /// The login URL of an authorization request.
    async fn auth_url(&self, request: AuthRequest, prompt: Prompt) -> Result<AuthUrl, AuthError> {
        let body = RedirectSessionRequest {
            auth: Some(AuthSession { auth_request: request, prompt }),
            ..RedirectSessionRequest::default()
        };
        let session = self.redirect_session(&body).await?;
        Ok(AuthUrl {
            auth_url: session.full_url,
            authorization_endpoint: session.endpoint,
            session_token: session.session_token,
        })
    }

    /// Wix's `getAuthUrl`: the hosted login page for `data`. The data is (re)stored under its
    /// state, so data made by the caller also works with `get_member_tokens(code, state, None)`.
    /// Without `data`, as `@wix/sdk` does, fresh data for the redirect URI `unused://` is made
    /// (the caller gets the URL only; the data stays stored under its state for the callback).
    pub async fn get_auth_url(&self, data: Option<&OAuthData>, opts: AuthUrlOptions) -> Result<AuthUrl, AuthError> {
        let made;
        let data = match data {
            Some(d) => d,
            None => {
                made = self.new_oauth_data(UNUSED_REDIRECT_URI, "")?;
                &made
            }
        };
        if data.state.is_empty() || data.code_challenge.is_empty() {
            return Err(AuthError::new(ErrorCode::InvalidArgument, "OAuth data needs a state and a code challenge"));
        }
        let request = self.auth_request(data, opts.response_mode, opts.session_token.as_deref(), opts.idp.as_deref());
        let url = self.auth_url(request, opts.prompt).await?;
        if self.platform.load(&self.oauth_key(&data.state)).is_none() {
            drop(self.remember_oauth(data));
        }
        Ok(url)
    }

    /// Wix's `parseFromUrl`: `code`, `state` and any OAuth `error` of a callback URL, in
    /// `@wix/sdk`'s shape (`null` for what is absent). An error callback is returned, not
    /// thrown, as there, so its `error_description` (anybody can link a storefront's callback
    /// page with any text) never becomes an `AuthError`'s message; its stored OAuth data is
    /// discarded (the attempt is over). Only a URL that cannot be read throws.
    pub fn parse_from_url(&self, url: &str, mode: ResponseMode) -> Result<ParsedCallback, AuthError> {
        let params = parse_callback_url(url, mode).map_err(|e| match e {
            CallbackError::InvalidUrl => AuthError::new(ErrorCode::InvalidUrl, "not an absolute http(s) URL"),
            CallbackError::UnsupportedMode => AuthError::new(ErrorCode::InvalidArgument, "unsupported responseMode"),
        })?;
        if let (Some(_), Some(state)) = (&params.error, params.state.as_deref().filter(|s| !s.is_empty())) {
            drop(self.platform.store(&self.oauth_key(state), None));
        }
        Ok(params)
    }

    /// Wix's `getMemberTokens`: checks `state` (before anything is sent), exchanges the code and
    /// stores the member's tokens. With `data = None` the OAuth data stored under `state` is used
    /// (once).
    pub async fn get_member_tokens(&self, code: &str, state: &str, data: Option<OAuthData>) -> Result<Tokens, AuthError> {
        if state.is_empty() {
            return Err(AuthError::new(ErrorCode::StateMismatch, "the callback carries no state"));
        }
        if data.as_ref().is_some_and(|d| d.state != state) {
            return Err(AuthError::new(ErrorCode::StateMismatch, "the callback's state is not this login's"));
        }
        if code.is_empty() {
            return Err(AuthError::new(ErrorCode::MissingCode, "the callback carries no code"));
        }
        let data = match data {
            Some(d) => {
                drop(self.platform.store(&self.oauth_key(state), None));
                d
            }
            None => self.take_oauth(state)?,
        };
        let redirect_uri = Some(data.redirect_uri.as_str()).filter(|r| !r.is_empty());
        self.exchange_code(code, &data.code_verifier, redirect_uri).await
    }

    /// The code exchange (not retried: a code is good once) and the member's tokens stored.
    async fn exchange_code(&self, code: &str, verifier: &str, redirect_uri: Option<&str>) -> Result<Tokens, AuthError> {
        let request = CodeBody::new(&self.config.client_id, code, verifier, redirect_uri);
        let resp = self.token_request(self.encode(&request)?, None, &[code, verifier]).await?;
        self.commit_member(resp)
    }

    /// Stores a token response as the member's tokens.
    fn commit_member(&self, resp: wix_auth_protocol::token::TokenResponse) -> Result<Tokens, AuthError> {
        let now = self.now_secs();
        let tokens = Tokens::from_response(resp, Role::Member, now, None);
        drop(self.replace_tokens(tokens.clone(), now));
        Ok(tokens)
    }

    /// Wix's `login` (custom login form).
    pub async fn login(&self, email: &str, password: &str, captcha: Option<CaptchaTokens>) -> Result<StateMachine, AuthError> {
        let body = LoginRequest {
            login_id: LoginId { email: email.into() },
            password: password.into(),
            captcha_tokens: captcha.and_then(|c| c.to_wire()),
        };
        self.state_machine_call(Flow::Login, LOGIN_PATH, self.encode(&body)?, password).await
    }

    /// Wix's `register` (custom sign-up form).
    pub async fn register(
        &self,
        email: &str,
        password: &str,
        profile: Option<JsonValue>,
        captcha: Option<CaptchaTokens>,
    ) -> Result<StateMachine, AuthError> {
        let body = RegisterBody {
            login_id: LoginId { email: email.into() },
            password,
            profile: profile.as_ref(),
            captcha_tokens: captcha.and_then(|c| c.to_wire()),
        };
        self.state_machine_call(Flow::Register, REGISTER_PATH, self.encode(&body)?, password).await
    }

    /// Wix's `processVerification`: submits the emailed code for `state_token` (from the `state`
    /// argument; `Some("")` for a state that cannot be verified), else (`None`) for the pending
    /// verification, which survives a reload (stored with a TTL). Without a token it resolves
    /// `FAILURE`, as `@wix/sdk` does, with the typed cause.
    pub async fn process_verification(&self, code: &str, state_token: Option<String>) -> Result<StateMachine, AuthError> {
        // A `state` that was given but holds no state token is a failure, not the pending one.
        let token = match state_token {
            Some(t) => Some(t).filter(|t| !t.is_empty()),
            None => self.pending_verification(),
        };
        let Some(state_token) = token else {
            let cause = AuthError::new(ErrorCode::NoPendingVerification, "no email verification is pending");
            return Ok(StateMachine::failure(None, UNKNOWN_STATE_TEXT.into()).because(FailureCause {
                code: cause.code.as_str().into(),
                message: cause.message,
                ..FailureCause::default()
            }));
        };
        let body = VerifyRequest { code: code.into(), state_token };
        self.state_machine_call(Flow::Verify, VERIFY_PATH, self.encode(&body)?, &body.state_token).await
    }

    /// One login / register / verify call with the session's access token, its reply mapped, and
    /// the verification step it opens or closes remembered. `secret` (password, state token)
    /// never reaches an error message.
    async fn state_machine_call(
        &self,
        flow: Flow,
        path: &str,
        json: String,
        secret: &str,
    ) -> Result<StateMachine, AuthError> {
        let (resp, token) = self.wix_post(path, json).await?;
        let machine = self.state_machine(flow, &resp, &[&token, secret])?;
        match (machine.login_state, machine.data.state_token.as_deref()) {
            (LoginState::EmailVerificationRequired, Some(t)) => drop(self.remember_verification(t)),
            (LoginState::Success, _) => self.forget_verification(),
            _ => {}
        }
        Ok(machine)
    }

    fn remember_verification(&self, state_token: &str) -> Result<(), AuthError> {
        let pending = PendingVerification {
            state_token: state_token.into(),
            expires_at_ms: self.platform.now_ms().saturating_add(self.config.oauth_data_ttl_ms),
        };
        self.store_json(&self.config.key(VERIFICATION_KEY), &pending.to_json())
    }

    fn forget_verification(&self) {
        drop(self.platform.store(&self.config.key(VERIFICATION_KEY), None));
    }

    /// The pending verification's state token, if one is stored and not expired.
    fn pending_verification(&self) -> Option<String> {
        let key = self.config.key(VERIFICATION_KEY);
        let text = self.platform.load(&key)?;
        match self.platform.parse_json(&text).as_ref().and_then(PendingVerification::read) {
            Some(p) if self.platform.now_ms() < p.expires_at_ms && !p.state_token.is_empty() => Some(p.state_token),
            _ => {
                drop(self.platform.store(&key, None));
                None
            }
        }
    }

    /// Wix's `getMemberTokensForDirectLogin`: turns a `sessionToken` (from `login`/`register`)
    /// into member tokens through a hidden iframe (`prompt: none`, `web_message`), accepting its
    /// answer only from the origin of the page the frame loads (the live service serves it on
    /// the site's domain, not on the API host), failing at once on an OAuth error and after
    /// `direct_login_timeout_ms` on silence.
    pub async fn get_member_tokens_for_direct_login(&self, session_token: &str) -> Result<Tokens, AuthError> {
        if session_token.is_empty() {
            return Err(AuthError::new(ErrorCode::InvalidArgument, "a sessionToken is required"));
        }
        let data = self.new_oauth_data("", "")?;
        let request = self.auth_request(&data, ResponseMode::WebMessage, Some(session_token), None);
        let url = self.auth_url(request, Prompt::None).await?;
        // `auth_url` checked the URL (https, or http on loopback); a browser reports the frame's
        // origin in canonical form (lower case, no default port), so compare against that.
        let frame_origin = canonical_origin(&url.auth_url)
            .ok_or_else(|| AuthError::new(ErrorCode::UnsafeUrl, "the login page's URL has no usable origin"))?;
        let answer = self
            .platform
            .web_message(&url.auth_url, &frame_origin, &data.state, self.config.direct_login_timeout_ms)
            .await?;
        if answer.state != data.state {
            return Err(AuthError::new(ErrorCode::StateMismatch, "the answer's state is not this login's"));
        }
        if let Some(error) = &answer.error {
            return Err(oauth_error(error, answer.error_description.as_deref()));
        }
        if answer.code.is_empty() {
            return Err(AuthError::new(ErrorCode::MissingCode, "the answer carries no code"));
        }
        self.exchange_code(&answer.code, &data.code_verifier, None).await
    }

    /// Wix's `getMemberTokensForExternalLogin`: the API-key grant, authorised as the Wix client
    /// does with `<current access token>,<apiKey>`; the member's tokens are stored.
    pub async fn get_member_tokens_for_external_login(&self, member_id: &str, api_key: &str) -> Result<Tokens, AuthError> {
        if member_id.is_empty() || api_key.is_empty() {
            return Err(AuthError::new(ErrorCode::InvalidArgument, "a member id and an API key are required"));
        }
        let access = self.state.borrow().tokens.access_token.value.clone();
        let authorization = bodies::authorized_client_header(&access, api_key);
        let resp = self
            .token_request(self.encode(&AuthorizedClientBody::new(member_id))?, Some(authorization), &[&access, api_key])
            .await?;
        self.commit_member(resp)
    }

    /// Wix's `getMemberTokensForExternalLoginWithSession`: signs `email` on with the API key
    /// (creating or updating the member, `options` as `@wix/sdk` passes them: `profile`,
    /// `verifyEmail`, `mergeExistingContact`), then the API-key grant bound to that sign-on's
    /// session; both authorised with `<visitor access token>,<apiKey>`. The member's tokens are
    /// stored.
    pub async fn get_member_tokens_for_external_login_with_session(
        &self,
        email: &str,
        api_key: &str,
        options: SignOnOptions,
    ) -> Result<Tokens, AuthError> {
        if email.is_empty() || api_key.is_empty() {
            return Err(AuthError::new(ErrorCode::InvalidArgument, "an email and an API key are required"));
        }
        let access = self.get_auth_headers().await?;
        let authorization = bodies::authorized_client_header(&access, api_key);
        let body = SignOnBody {
            login_id: LoginId { email: email.into() },
            profile: options.profile.as_ref(),
            verify_email: options.verify_email,
            merge_existing_contact: options.merge_existing_contact,
        };
        let resp = self.post(SIGN_ON_PATH, self.encode(&body)?, Some(authorization.clone())).await?;
        let reply = SignOnReply::read(&self.wix_reply(&resp, &[&access, api_key])?);
        if reply.identity_id.is_empty() || reply.session_token.is_empty() {
            return Err(AuthError::http(ErrorCode::UnexpectedResponse, resp.status, resp.request_id, "no identity or sessionToken"));
        }
        let grant = AuthorizedClientBody::with_session(&reply.identity_id, &reply.session_token);
        let resp = self
            .token_request(self.encode(&grant)?, Some(authorization), &[&access, api_key, &reply.session_token])
            .await?;
        self.commit_member(resp)
    }

    /// Wix's `sendPasswordResetEmail`.
    pub async fn send_password_reset_email(&self, email: &str, redirect_uri: &str) -> Result<(), AuthError> {
        let body = RecoveryRequest {
            email: email.into(),
            redirect: Some(RecoveryRedirect { url: redirect_uri.into(), client_id: self.config.client_id.clone() }),
        };
        let (resp, token) = self.wix_post(RECOVERY_PATH, self.encode(&body)?).await?;
        if resp.status == 200 {
            Ok(())
        } else {
            Err(self.wix_error(&resp, &[&token]))
        }
    }

    /// Wix's `logout`: the URL that ends the Wix session too. Everything local goes FIRST, before
    /// any request, so that a tab closed (or a network that hangs) during the call still leaves
    /// nobody signed in: the tokens (storage and memory, announced to the other tabs), the pending
    /// login attempts and email verification, and `SessionEnded(SignedOut)`. The request is then
    /// made with the access token the member had, while it is valid (otherwise with a visitor's,
    /// as any call after a sign-out); its failure is returned, the sign-out stands.
    pub async fn logout(&self, original_url: &str) -> Result<LogoutResult, AuthError> {
        let body = RedirectSessionRequest {
            logout: Some(LogoutSession { client_id: self.config.client_id.clone() }),
            callbacks: Some(Callbacks { post_flow_url: Some(original_url.into()) }),
            ..RedirectSessionRequest::default()
        };
        let json = self.encode(&body)?;
        self.sync_from_storage();
        let held = self.state.borrow().tokens.clone();
        self.forget_verification();
        self.forget_pending_logins();
        self.end_session(SessionEndReason::SignedOut);
        // The member's token while it is valid; else (or when the server refuses it) a visitor's,
        // as for any call after a sign-out. Nothing refreshes the member's token any more.
        let member = decide::still_usable(&held, self.now_secs()).map(|t| t.access_token.value);
        let (resp, token) = self.wix_post_as(rs::PATH, json, member).await?;
        Ok(LogoutResult { logout_url: self.redirect_reply(&resp, &[&token])?.full_url })
    }

    /// Removes every pending login attempt (OAuth data and its index): after a sign-out, no
    /// callback started before it may sign anybody in.
    pub(crate) fn forget_pending_logins(&self) {
        let index_key = self.config.key(OAUTH_INDEX_KEY);
        for (state, _) in self.oauth_index(&index_key) {
            drop(self.platform.store(&self.oauth_key(&state), None));
        }
        drop(self.platform.store(&index_key, None));
    }

    /// Wix's `sessions.isSessionSynced`: Wix pages were pre-warmed less than 7 days ago.
    pub fn is_session_synced(&self) -> bool {
        self.platform
            .load(PREWARM_STORAGE_KEY)
            .and_then(|t| t.trim().parse::<u64>().ok())
            .is_some_and(|t| self.platform.now_ms().saturating_sub(t) < PREWARM_TTL_MS)
    }

    /// Wix's `sessions.syncToWixPages`: unless synced recently, loads a pre-warm redirect session
    /// (`{login:{}}`) in a hidden frame so Wix-hosted pages share this visitor, then records when.
    pub async fn sync_with_wix_pages(&self) -> Result<(), AuthError> {
        if self.is_session_synced() {
            return Ok(());
        }
        drop(self.platform.store(PREWARM_STORAGE_KEY, None));
        let body = RedirectSessionRequest { login: Some(PrewarmSession {}), ..RedirectSessionRequest::default() };
        let session = self.redirect_session(&body).await?;
        self.platform.load_frame(&session.full_url).await?;
        drop(self.platform.store(PREWARM_STORAGE_KEY, Some(&decimal(self.platform.now_ms()))));
        Ok(())
    }
}

/// An OAuth error from the hosted page as a typed error, with its description when it has one.
fn oauth_error(code: &str, description: Option<&str>) -> AuthError {
    AuthError::new(
        ErrorCode::from_oauth(code),
        description.filter(|d| !d.is_empty()).unwrap_or("the authorization server refused the login"),
    )
}

/// `n` in decimal text.
pub(crate) fn decimal(n: u64) -> String {
    let mut s = String::with_capacity(20);
    wix_auth_protocol::push_decimal(&mut s, n);
    s
}
