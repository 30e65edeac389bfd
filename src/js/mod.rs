//! The exported `OAuthStrategy` class: Wix's names, arguments and result shapes over the session
//! engine on the browser platform. Thin on purpose: it converts arguments and results, and every
//! decision stays in `session`.

mod args;
pub(crate) mod convert;
mod fetch_with_auth;
pub mod results;
mod types;

use std::rc::{Rc, Weak};

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

use crate::browser::{BrowserPlatform, StorageKind};
use wix_auth_protocol::error::AuthError;
use wix_auth_protocol::{CAPTCHA_INVISIBLE_SITE_KEY, CAPTCHA_VISIBLE_SITE_KEY, PREWARM_STORAGE_KEY};
use wix_auth_session::platform::Platform;
use wix_auth_session::{
    AuthUrlOptions, Config, Event, Prompt, ResponseMode, Session,
};
use convert::{bad_arg, field, js_error, promise, string};
use results::ToJs;

type Engine = Session<BrowserPlatform>;

/// The Wix Headless OAuth strategy (`OAuthStrategy({clientId})`).
#[wasm_bindgen]
pub struct OAuthStrategy {
    session: Rc<Engine>,
}

/// `strategy.sessions`: keeping Wix-hosted pages in the same session.
#[wasm_bindgen]
pub struct OAuthSessions {
    session: Rc<Engine>,
}

#[wasm_bindgen]
impl OAuthStrategy {
    /// Creates a strategy; throws an `AuthError` (`invalid_argument`) for unusable options.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "OAuthStrategyOptions")] options: JsValue,
    ) -> Result<OAuthStrategy, JsValue> {
        let session = Rc::new(build(&options).map_err(js_error)?);
        // Other tabs' sign-ins, refreshes and sign-outs reach this tab's listeners at once.
        let weak: Weak<Engine> = Rc::downgrade(&session);
        session.platform().listen(move || {
            if let Some(s) = weak.upgrade() {
                s.sync();
            }
        });
        Ok(OAuthStrategy { session })
    }

    /// Valid tokens: `tokens` if still valid, else renewed, else a new visitor's.
    #[wasm_bindgen(js_name = generateVisitorTokens, unchecked_return_type = "Promise<Tokens>")]
    pub fn generate_visitor_tokens(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "Partial<Tokens>")] tokens: JsValue,
    ) -> Promise {
        let s = self.session.clone();
        promise(async move { Ok(s.generate_visitor_tokens(args::tokens(&tokens)?).await?.to_js()) })
    }

    /// New tokens from a refresh token.
    #[wasm_bindgen(js_name = renewToken, unchecked_return_type = "Promise<Tokens>")]
    pub fn renew_token(
        &self,
        #[wasm_bindgen(js_name = refreshToken, unchecked_param_type = "RefreshToken")] refresh_token: JsValue,
    ) -> Promise {
        let s = self.session.clone();
        promise(async move { Ok(s.renew_token(args::refresh_token(&refresh_token)?).await?.to_js()) })
    }

    /// PKCE data and `state` for a Wix-managed login; also kept for `getMemberTokens`.
    #[wasm_bindgen(js_name = generateOAuthData, unchecked_return_type = "OAuthData")]
    pub fn generate_oauth_data(
        &self,
        #[wasm_bindgen(js_name = redirectUri, unchecked_param_type = "string")] redirect_uri: JsValue,
        #[wasm_bindgen(js_name = originalUri, unchecked_optional_param_type = "string")] original_uri: JsValue,
    ) -> Result<JsValue, JsValue> {
        let run = || {
            let redirect = string(&redirect_uri, "redirectUri must be a string")?;
            let original = original_uri.as_string();
            Ok(self.session.generate_oauth_data(&redirect, original.as_deref())?.to_js())
        };
        run().map_err(js_error)
    }

    /// The URL of Wix's hosted login page for `oauthData` (made here when absent, as in `@wix/sdk`).
    #[wasm_bindgen(js_name = getAuthUrl, unchecked_return_type = "Promise<AuthUrl>")]
    pub fn get_auth_url(
        &self,
        #[wasm_bindgen(js_name = oauthData, unchecked_optional_param_type = "OAuthData")] oauth_data: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "AuthUrlOptions")] opts: JsValue,
    ) -> Promise {
        let s = self.session.clone();
        promise(async move {
            let data = args::oauth_data(&oauth_data)?;
            let opts = args::auth_url_options(&opts, AUTH_URL_OPTIONS)?;
            let options = AuthUrlOptions {
                prompt: match opts.prompt.as_deref() {
                    None | Some("login") => Prompt::Login,
                    Some("none") => Prompt::None,
                    Some(_) => return Err(bad_arg(AUTH_URL_OPTIONS)),
                },
                response_mode: response_mode(opts.response_mode.as_deref())?,
                idp: idp(opts.idp)?,
                session_token: opts.session_token,
            };
            Ok(s.get_auth_url(data.as_ref(), options).await?.to_js())
        })
    }

    /// Reads `code`, `state` and `error` from the callback URL (default: this page's URL); an
    /// error callback is returned, not thrown.
    #[wasm_bindgen(js_name = parseFromUrl, unchecked_return_type = "CallbackParams")]
    pub fn parse_from_url(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] url: JsValue,
        #[wasm_bindgen(js_name = responseMode, unchecked_optional_param_type = "\"fragment\" | \"query\"")]
        response_mode: JsValue,
    ) -> Result<JsValue, JsValue> {
        let run = || {
            let url = match url.as_string() {
                Some(u) => u,
                None if url.is_undefined() || url.is_null() => web_sys::window()
                    .and_then(|w| w.location().href().ok())
                    .ok_or_else(crate::browser::browser_only)?,
                None => return Err(bad_arg("url must be a string")),
            };
            let mode = match response_mode.as_string() {
                Some(mode) => self::response_mode(Some(&mode))?,
                None if convert::absent(&response_mode) => ResponseMode::Fragment,
                None => return Err(bad_arg(RESPONSE_MODE)),
            };
            Ok(self.session.parse_from_url(&url, mode)?.to_js())
        };
        run().map_err(js_error)
    }

    /// Exchanges the callback's `code` for a member's tokens (checks `state` first).
    #[wasm_bindgen(js_name = getMemberTokens, unchecked_return_type = "Promise<Tokens>")]
    pub fn get_member_tokens(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] code: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] state: JsValue,
        #[wasm_bindgen(js_name = oauthData, unchecked_optional_param_type = "OAuthData")] oauth_data: JsValue,
    ) -> Promise {
        let s = self.session.clone();
        promise(async move {
            // A missing code or state is the engine's to report (`missing_code`, `state_mismatch`).
            let code = code.as_string().unwrap_or_default();
            let state = state.as_string().unwrap_or_default();
            let data = args::oauth_data(&oauth_data)?;
            Ok(s.get_member_tokens(&code, &state, data).await?.to_js())
        })
    }

    /// Signs a member in with email and password.
    #[wasm_bindgen(unchecked_return_type = "Promise<StateMachine>")]
    pub fn login(&self, #[wasm_bindgen(unchecked_param_type = "LoginParams")] params: JsValue) -> Promise {
        let s = self.session.clone();
        promise(async move {
            let c = args::credentials(&params)?;
            Ok(s.login(&c.email, &c.password, c.captcha()?).await?.to_js())
        })
    }

    /// Registers a new member.
    #[wasm_bindgen(unchecked_return_type = "Promise<StateMachine>")]
    pub fn register(&self, #[wasm_bindgen(unchecked_param_type = "RegisterParams")] params: JsValue) -> Promise {
        let s = self.session.clone();
        promise(async move {
            let c = args::credentials(&params)?;
            Ok(s.register(&c.email, &c.password, c.profile()?, c.captcha()?).await?.to_js())
        })
    }

    /// Completes a login or registration with the emailed code, for `state` (a result of
    /// `login`/`register`) or else the pending verification.
    #[wasm_bindgen(js_name = processVerification, unchecked_return_type = "Promise<StateMachine>")]
    pub fn process_verification(
        &self,
        #[wasm_bindgen(unchecked_param_type = "VerificationInput")] input: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "StateMachine")] state: JsValue,
    ) -> Promise {
        let s = self.session.clone();
        promise(async move {
            let code = args::verification_code(&input)?;
            let state = if convert::absent(&state) { None } else { Some(args::verification_state_token(&state)?) };
            Ok(s.process_verification(&code, state).await?.to_js())
        })
    }

    /// A member's tokens from the `sessionToken` of a successful login (hidden iframe).
    #[wasm_bindgen(js_name = getMemberTokensForDirectLogin, unchecked_return_type = "Promise<Tokens>")]
    pub fn get_member_tokens_for_direct_login(&self, #[wasm_bindgen(js_name = sessionToken, unchecked_param_type = "string")] session_token: JsValue) -> Promise {
        let s = self.session.clone();
        promise(async move {
            crate::browser::require_window()?;
            let token = string(&session_token, "sessionToken must be a string")?;
            Ok(s.get_member_tokens_for_direct_login(&token).await?.to_js())
        })
    }

    /// Sends the member a password-reset email that returns to `redirectUri`.
    #[wasm_bindgen(js_name = sendPasswordResetEmail, unchecked_return_type = "Promise<void>")]
    pub fn send_password_reset_email(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] email: JsValue,
        #[wasm_bindgen(js_name = redirectUri, unchecked_param_type = "string")] redirect_uri: JsValue,
    ) -> Promise {
        let s = self.session.clone();
        promise(async move {
            let email = string(&email, "email must be a string")?;
            let redirect = string(&redirect_uri, "redirectUri must be a string")?;
            s.send_password_reset_email(&email, &redirect).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// A member's tokens from a member id and an API key (confidential clients only).
    #[wasm_bindgen(js_name = getMemberTokensForExternalLogin, unchecked_return_type = "Promise<Tokens>")]
    pub fn get_member_tokens_for_external_login(
        &self,
        #[wasm_bindgen(js_name = memberId, unchecked_param_type = "string")] member_id: JsValue,
        #[wasm_bindgen(js_name = apiKey, unchecked_param_type = "string")] api_key: JsValue,
    ) -> Promise {
        let s = self.session.clone();
        promise(async move {
            let member = string(&member_id, "memberId must be a string")?;
            let key = string(&api_key, "apiKey must be a string")?;
            Ok(s.get_member_tokens_for_external_login(&member, &key).await?.to_js())
        })
    }

    /// A member's tokens for an email, signed on with an API key and bound to a new identity
    /// session (confidential clients only).
    #[wasm_bindgen(js_name = getMemberTokensForExternalLoginWithSession, unchecked_return_type = "Promise<Tokens>")]
    pub fn get_member_tokens_for_external_login_with_session(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] email: JsValue,
        #[wasm_bindgen(js_name = apiKey, unchecked_param_type = "string")] api_key: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SignOnOptions")] options: JsValue,
    ) -> Promise {
        let s = self.session.clone();
        promise(async move {
            let email = string(&email, "email must be a string")?;
            let key = string(&api_key, "apiKey must be a string")?;
            let options = args::sign_on_options(&options)?;
            Ok(s.get_member_tokens_for_external_login_with_session(&email, &key, options).await?.to_js())
        })
    }

    /// The current tokens (possibly empty or expired).
    #[wasm_bindgen(js_name = getTokens, unchecked_return_type = "Tokens")]
    pub fn get_tokens(&self) -> Result<JsValue, JsValue> {
        Ok(self.session.get_tokens().to_js())
    }

    /// Makes `tokens` the current ones and stores them.
    #[wasm_bindgen(js_name = setTokens)]
    pub fn set_tokens(&self, #[wasm_bindgen(unchecked_param_type = "Tokens")] tokens: JsValue) -> Result<(), JsValue> {
        let run = || {
            let t = args::tokens(&tokens)?.ok_or_else(|| bad_arg("tokens must be a Tokens object"))?;
            self.session.set_tokens(t)
        };
        run().map_err(js_error)
    }

    /// The current access token's value (`@wix/sdk`'s `getActiveToken`).
    #[wasm_bindgen(js_name = getActiveToken)]
    pub fn get_active_token(&self) -> String {
        self.session.get_tokens().access_token.value
    }

    /// `{headers: {Authorization}}` with a valid access token (minted or refreshed once, however
    /// many calls wait for it).
    #[wasm_bindgen(js_name = getAuthHeaders, unchecked_return_type = "Promise<AuthHeaders>")]
    pub fn get_auth_headers(&self) -> Promise {
        let s = self.session.clone();
        promise(async move {
            let value = s.get_auth_headers().await?;
            Ok(results::auth_headers(&value))
        })
    }

    /// `fetch(input, init)` with the `Authorization` header for `baseUrl`'s origin and the
    /// `fetchWithAuthOrigins` only (elsewhere a plain fetch); on their 401, refreshes once and retries once.
    #[wasm_bindgen(js_name = fetchWithAuth, unchecked_return_type = "Promise<Response>")]
    pub fn fetch_with_auth(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RequestInfo | URL")] input: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestInit")] init: JsValue,
    ) -> Promise {
        let s = self.session.clone();
        promise(async move { fetch_with_auth::fetch_with_auth(&s, input, init).await })
    }

    /// `[accessToken, usableUntilMs]` while the access token is usable, else `undefined`: the
    /// package entry answers `getAuthHeaders` from it without entering wasm until then (or
    /// until the tokens change), as fast as a plain JS client.
    #[wasm_bindgen(js_name = usableAuth, unchecked_return_type = "[string, number] | undefined")]
    pub fn usable_auth(&self) -> JsValue {
        match self.session.usable_access_token() {
            Some((token, until)) => results::usable_auth(&token, until),
            None => JsValue::UNDEFINED,
        }
    }

    /// Whether a member is signed in.
    #[wasm_bindgen(js_name = loggedIn)]
    pub fn logged_in(&self) -> bool {
        self.session.logged_in()
    }

    /// Signs out here first (tokens and pending logins cleared before the request, in every tab)
    /// and returns Wix's logout URL.
    #[wasm_bindgen(unchecked_return_type = "Promise<LogoutResult>")]
    pub fn logout(&self, #[wasm_bindgen(js_name = originalUrl, unchecked_param_type = "string")] original_url: JsValue) -> Promise {
        let s = self.session.clone();
        promise(async move {
            let url = string(&original_url, "originalUrl must be a string")?;
            Ok(s.logout(&url).await?.to_js())
        })
    }

    /// Session helpers for Wix-hosted pages.
    #[wasm_bindgen(getter)]
    pub fn sessions(&self) -> OAuthSessions {
        OAuthSessions { session: self.session.clone() }
    }

    /// Wix's reCAPTCHA site key for a visible captcha.
    #[wasm_bindgen(getter, js_name = captchaVisibleSiteKey)]
    pub fn captcha_visible_site_key(&self) -> String {
        CAPTCHA_VISIBLE_SITE_KEY.into()
    }

    /// Wix's reCAPTCHA site key for an invisible captcha.
    #[wasm_bindgen(getter, js_name = captchaInvisibleSiteKey)]
    pub fn captcha_invisible_site_key(&self) -> String {
        CAPTCHA_INVISIBLE_SITE_KEY.into()
    }

    /// `@wix/sdk` clients send module calls to the CDN host with this strategy.
    #[wasm_bindgen(getter, js_name = shouldUseCDN)]
    pub fn should_use_cdn(&self) -> bool {
        true
    }

    /// Which storage holds the tokens: `local`, `session`, `memory` or `custom`.
    #[wasm_bindgen(getter, js_name = storageInUse, unchecked_return_type = "\"local\" | \"session\" | \"memory\" | \"custom\"")]
    pub fn storage_in_use(&self) -> String {
        self.session.platform().storage_in_use().into()
    }

    /// Calls `listener(tokens)` whenever the tokens change; returns the unsubscribe function.
    #[wasm_bindgen(js_name = onTokensChanged, unchecked_return_type = "Unsubscribe")]
    pub fn on_tokens_changed(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(tokens: Tokens) => void")] listener: Function,
    ) -> JsValue {
        self.listen(listener, |event| match event {
            Event::TokensChanged(t) => Some(t.to_js()),
            _ => None,
        })
    }

    /// Calls `listener(reason)` when a member's session ends; returns the unsubscribe function.
    #[wasm_bindgen(js_name = onSessionEnded, unchecked_return_type = "Unsubscribe")]
    pub fn on_session_ended(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(reason: SessionEndReason) => void")] listener: Function,
    ) -> JsValue {
        self.listen(listener, |event| match event {
            Event::SessionEnded(reason) => Some(JsValue::from_str(reason.as_str())),
            _ => None,
        })
    }
}

impl OAuthStrategy {
    /// The engine behind this strategy (for Rust callers and tests).
    pub fn session(&self) -> &Rc<Session<BrowserPlatform>> {
        &self.session
    }

    fn listen(&self, listener: Function, pick: fn(&Event) -> Option<JsValue>) -> JsValue {
        let id = self.session.subscribe(Box::new(move |event| {
            if let Some(arg) = pick(event) {
                // A throwing listener must not break the session.
                let _ = listener.call1(&JsValue::UNDEFINED, &arg);
            }
        }));
        // Weak: an unsubscribe function kept around must not keep the session alive.
        let weak: Weak<Engine> = Rc::downgrade(&self.session);
        Closure::<dyn FnMut()>::new(move || {
            if let Some(s) = weak.upgrade() {
                s.unsubscribe(id);
            }
        })
        .into_js_value()
    }
}

#[wasm_bindgen]
impl OAuthSessions {
    /// Whether Wix-hosted pages were synced with this session in the last 7 days.
    #[wasm_bindgen(js_name = isSessionSynced)]
    pub fn is_session_synced(&self) -> bool {
        self.session.is_session_synced()
    }

    /// Syncs Wix-hosted pages with this session (hidden frame) unless done recently or `force`.
    #[wasm_bindgen(js_name = syncToWixPages, unchecked_return_type = "Promise<void>")]
    pub fn sync_to_wix_pages(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "{ force?: boolean }")] opts: JsValue,
    ) -> Promise {
        if field(&opts, "force").is_truthy() {
            let _ = self.session.platform().store(PREWARM_STORAGE_KEY, None);
        }
        self.sync_with_wix_pages()
    }

    /// Same as `syncToWixPages()`.
    #[wasm_bindgen(js_name = syncWithWixPages, unchecked_return_type = "Promise<void>")]
    pub fn sync_with_wix_pages(&self) -> Promise {
        let s = self.session.clone();
        promise(async move {
            crate::browser::require_window()?;
            s.sync_with_wix_pages().await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

/// The engine from the constructor's options.
fn build(options: &JsValue) -> Result<Engine, AuthError> {
    let o = args::strategy_options(options)?;
    let mut config = Config::new(&o.client_id.unwrap_or_default())?;
    if let Some(url) = o.base_url {
        config.base_url = url.trim_end_matches('/').into();
    }
    config.token_headers = args::token_headers(&o.token_request_options)?;
    if let Some(key) = o.storage_key {
        config.storage_key = key;
    }
    if let Some(skew) = non_negative(o.skew_seconds)? {
        config.skew_secs = skew as u64;
    }
    if let Some(ms) = non_negative(o.direct_login_timeout_ms)? {
        config.direct_login_timeout_ms = ms.min(u32::MAX as f64) as u32;
    }
    for origin in o.fetch_with_auth_origins.iter().flatten() {
        config.allow_fetch_origin(origin)?;
    }
    let request_timeout = non_negative(o.request_timeout_ms)?.map_or(0, |ms| ms.min(u32::MAX as f64) as u32);

    // The engine keeps the tokens at `<storageKey>:tokens`; a custom object gets that key.
    let tokens_key = [config.storage_key.as_str(), ":tokens"].concat();
    let storage = if o.storage.is_undefined() { o.token_storage } else { o.storage };
    let kind = match storage.as_string().as_deref() {
        _ if storage.is_undefined() || storage.is_null() => StorageKind::Local,
        Some("local") => StorageKind::Local,
        Some("session") => StorageKind::Session,
        Some("memory") => StorageKind::Memory,
        None if storage.is_object() => StorageKind::Custom { object: storage, tokens_key },
        _ => return Err(bad_arg("storage must be \"local\", \"session\", \"memory\" or {getTokens, setTokens}")),
    };
    let tokens = args::tokens(&o.tokens)?;
    let platform = BrowserPlatform::new(kind)
        .with_request_timeout(request_timeout)
        .with_channel(&config.key(wix_auth_session::TOKENS_KEY));
    Ok(Session::new(platform, config, tokens))
}

/// A number option, which must be finite and non-negative when given.
fn non_negative(v: Option<f64>) -> Result<Option<f64>, AuthError> {
    match v {
        Some(n) if !(n.is_finite() && n >= 0.0) => {
            Err(bad_arg("skewSeconds, directLoginTimeoutMs and requestTimeoutMs must be non-negative numbers"))
        }
        _ => Ok(v),
    }
}

const AUTH_URL_OPTIONS: &str = "getAuthUrl's options must be {prompt?: \"login\" | \"none\", responseMode?, idp?, sessionToken?}";
const RESPONSE_MODE: &str = "responseMode must be fragment, query or web_message";

/// A `responseMode` argument (absent → `fragment`).
fn response_mode(v: Option<&str>) -> Result<ResponseMode, AuthError> {
    Ok(match v {
        None | Some("fragment") => ResponseMode::Fragment,
        Some("query") => ResponseMode::Query,
        Some("web_message") => ResponseMode::WebMessage,
        Some(_) => return Err(bad_arg(RESPONSE_MODE)),
    })
}

/// `getAuthUrl`'s `idp`: `google`, `facebook`, a connection id, or `{connectionId}`.
fn idp(v: JsValue) -> Result<Option<String>, AuthError> {
    if convert::absent(&v) {
        return Ok(None);
    }
    match v.as_string() {
        Some(name) => Ok(Some(name)),
        None => args::connection_id(&v, "idp must be \"google\", \"facebook\" or {connectionId}").map(Some),
    }
}
