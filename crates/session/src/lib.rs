//! The session engine: when to mint, refresh, store and forget tokens, and every Wix flow built
//! on the wire types of `protocol`. Generic over [`Platform`], so its rules run natively in tests
//! with a fake clock, random source and server.
//!
//! Storage is the source of truth shared by the tabs of an origin; the session keeps a copy in
//! memory (so it works where storage does not) and re-reads storage before it decides anything,
//! so a refresh done by another tab is adopted instead of repeated with a spent refresh token.

pub mod config;
pub mod decide;
mod flight;
mod flows;
mod http;
mod lease;
pub mod platform;
mod replies;
mod tokens;

#[cfg(any(test, feature = "fake"))]
pub mod fake;
#[cfg(test)]
mod live_tests;
#[cfg(test)]
mod tests;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use serde::{Deserialize, Serialize};

pub use config::Config;
pub use platform::Platform;

pub use wix_auth_protocol::authentication::CaptchaTokens;
pub use wix_auth_protocol::json_value::JsonValue;
use wix_auth_protocol::json_value::ToJson;
pub use wix_auth_protocol::callback::{CallbackParams, ParsedCallback};
pub use wix_auth_protocol::error::{AuthError, ErrorCode};
pub use wix_auth_protocol::login_state::{FailureCause, StateMachine};
pub use wix_auth_protocol::oauth_data::OAuthData;
pub use wix_auth_protocol::redirect_session::{Prompt, ResponseMode};
pub use wix_auth_protocol::tokens::{AccessToken, RefreshToken, Role, Tokens};

use flight::Flight;

/// Options of [`Session::get_auth_url`] (Wix's `getAuthUrl` `opts`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthUrlOptions {
    /// `login` shows the sign-in page; `none` completes silently or fails.
    pub prompt: Prompt,
    /// How the hosted page hands the code back.
    pub response_mode: ResponseMode,
    /// `google`, `facebook` or a connection id: skip the choice of identity provider.
    pub idp: Option<String>,
    /// A `sessionToken` from `login`/`register`, to complete without a password prompt.
    pub session_token: Option<String>,
}

/// Options of [`Session::get_member_tokens_for_external_login_with_session`] (Wix's
/// `SignOnOptions`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignOnOptions {
    /// The member's profile, created or updated (`IdentityProfile` as JSON, passed through).
    pub profile: Option<JsonValue>,
    /// Whether the sign-on marks the email as verified.
    pub verify_email: Option<bool>,
    /// Whether an existing contact with this email becomes the member.
    pub merge_existing_contact: Option<bool>,
}

/// What `getAuthUrl` resolves to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthUrl {
    /// Where to send the browser (the redirect session's `fullUrl`).
    pub auth_url: String,
    /// The hosted page's endpoint without its query (`urlDetails.endpoint`).
    pub authorization_endpoint: String,
    /// The redirect session's `sessionToken`, when the server sent one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_token: Option<String>,
}

/// What `logout` resolves to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogoutResult {
    /// Where to send the browser so that Wix ends its own session too.
    pub logout_url: String,
}

/// Why a member's session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEndReason {
    /// `logout` was called in this tab.
    SignedOut,
    /// The server refused the member's refresh token (`invalid_grant`): signed out elsewhere,
    /// revoked, or expired.
    RefreshRejected,
    /// Another tab of this origin signed out (the stored tokens disappeared).
    SignedOutInAnotherTab,
}

impl SessionEndReason {
    /// The stable string listeners match on.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignedOut => "signed_out",
            Self::RefreshRejected => "refresh_rejected",
            Self::SignedOutInAnotherTab => "signed_out_in_another_tab",
        }
    }
}

/// What listeners registered with [`Session::subscribe`] hear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The session's tokens changed (minted, refreshed, signed in, set, cleared).
    TokensChanged(Tokens),
    /// A member's session is over; the tokens are already cleared.
    SessionEnded(SessionEndReason),
}

/// Storage key suffix of the tokens (also the name of the channel between tabs).
pub const TOKENS_KEY: &str = "tokens";

/// The stored form of the tokens: Wix's `Tokens` shape (any reader of `Tokens` can read it) plus
/// when the access token was issued, which the skew cap for short-lived tokens needs.
#[derive(Debug, Clone)]
struct StoredTokens {
    access_token: AccessToken,
    refresh_token: RefreshToken,
    issued_at: u64,
}

impl StoredTokens {
    /// The stored tokens read by shape: `accessToken: {value, expiresAt}` and `refreshToken:
    /// {value, role?}` as Wix's `Tokens` has them (a role, when given, one Wix spells), `issuedAt`
    /// a whole number when given.
    fn read(v: &JsonValue) -> Option<Self> {
        let access = v.get("accessToken")?;
        let refresh = v.get("refreshToken")?;
        let role = match refresh.get("role") {
            None => Role::None,
            Some(r) => Role::parse(r.as_str()?)?,
        };
        Some(Self {
            access_token: AccessToken { value: access.str_at("value")?.into(), expires_at: access.u64_at("expiresAt")? },
            refresh_token: RefreshToken { value: refresh.str_at("value")?.into(), role },
            issued_at: if v.get("issuedAt").is_some() { v.u64_at("issuedAt")? } else { 0 },
        })
    }
}

impl ToJson for StoredTokens {
    fn to_json(&self) -> JsonValue {
        JsonValue::object([
            ("accessToken", Some(self.access_token.to_json())),
            ("refreshToken", Some(self.refresh_token.to_json())),
            ("issuedAt", Some(self.issued_at.into())),
        ])
    }
}

/// The in-memory copy of the session's tokens.
#[derive(Debug, Default)]
struct TokenState {
    tokens: Tokens,
    /// Unix seconds the access token was issued (or first seen), for its lifetime.
    issued_at: u64,
    /// Bumped on every change, so that a request that started before a change does not
    /// overwrite its outcome (a visitor minted during a sign-in must not replace the member).
    generation: u64,
    /// The stored text as this session last wrote or read it. Storage that still holds exactly
    /// this has not changed (no parse needed); anything else was written by another tab. A failed
    /// write leaves it as it was, so stale stored tokens never replace newer ones in memory.
    seen: Option<String>,    /// The generation whose refresh lost its answer (timeout, network) while its access token
    /// still lasted. Until the tokens change, that token is used until it really expires (no skew
    /// margin): the refresh token, which the server may already have rotated, is not sent again
    /// on every call of the margin, and those calls do not each wait for another timeout.
    refresh_deferred: Option<u64>,
}

type Listener = Rc<dyn Fn(&Event)>;

/// One browser session of a Wix Headless client: the engine behind `OAuthStrategy`.
pub struct Session<P: Platform> {
    platform: P,
    config: Config,
    state: RefCell<TokenState>,
    flight: Flight<Result<Tokens, AuthError>>,
    listeners: RefCell<Vec<(u32, Listener)>>,
    next_listener: Cell<u32>,
}

impl<P: Platform> Session<P> {
    /// A session with `tokens` (which replace any stored ones), or (when `None` or empty, as
    /// Wix's `EMPTY_TOKENS`) with the tokens a previous page left in storage.
    pub fn new(platform: P, config: Config, tokens: Option<Tokens>) -> Session<P> {
        let session = Session {
            platform,
            config,
            state: RefCell::new(TokenState::default()),
            flight: Flight::new(),
            listeners: RefCell::new(Vec::new()),
            next_listener: Cell::new(1),
        };
        match tokens.filter(|t| *t != Tokens::default()) {
            // Storage may be unavailable; the tokens still serve this page from memory.
            Some(t) => drop(session.replace_tokens(t, session.now_secs())),
            None => session.sync_from_storage(),
        }
        session
    }

    /// The platform this session runs on.
    pub fn platform(&self) -> &P {
        &self.platform
    }

    /// The configuration this session runs with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Registers a listener for [`Event`]s; the id unregisters it.
    pub fn subscribe(&self, listener: Box<dyn Fn(&Event)>) -> u32 {
        let id = self.next_listener.get();
        self.next_listener.set(id.wrapping_add(1));
        self.listeners.borrow_mut().push((id, Rc::from(listener)));
        id
    }

    /// Unregisters a listener; an unknown id is ignored.
    pub fn unsubscribe(&self, id: u32) {
        self.listeners.borrow_mut().retain(|(i, _)| *i != id);
    }

    /// Calls every listener. The list is copied first, so a listener may (un)subscribe or call
    /// the session without a double borrow.
    fn emit(&self, event: &Event) {
        let listeners: Vec<Listener> = self.listeners.borrow().iter().map(|(_, l)| l.clone()).collect();
        for l in listeners {
            l(event);
        }
    }

    /// Unix seconds now.
    fn now_secs(&self) -> u64 {
        self.platform.now_ms() / 1000
    }

    /// The current generation of the tokens (see [`TokenState::generation`]).
    fn generation(&self) -> u64 {
        self.state.borrow().generation
    }

    /// The skew margin for the access token held (capped for short-lived tokens).
    fn skew(&self, s: &TokenState) -> u64 {
        let lifetime = s.tokens.access_token.expires_at.saturating_sub(s.issued_at);
        wix_auth_protocol::tokens::effective_skew(self.skew_secs(s), lifetime)
    }

    /// The configured skew margin, or none while a lost refresh answer defers the next refresh
    /// ([`TokenState::refresh_deferred`]).
    fn skew_secs(&self, s: &TokenState) -> u64 {
        if s.refresh_deferred == Some(s.generation) {
            0
        } else {
            self.config.skew_secs
        }
    }

    /// The tokens, when the access token is still usable with the skew margin.
    fn usable_tokens(&self) -> Option<Tokens> {
        let s = self.state.borrow();
        decide::usable(&s.tokens, s.issued_at, self.now_secs(), self.skew_secs(&s)).then(|| s.tokens.clone())
    }

    /// The access token and the Unix milliseconds until which it stays usable, when it is usable
    /// now (after a look at storage): what a caller may serve `getAuthHeaders` from without the
    /// engine until then, or until [`Event::TokensChanged`], whichever comes first.
    pub fn usable_access_token(&self) -> Option<(String, u64)> {
        self.sync_from_storage();
        let s = self.state.borrow();
        let skew = self.skew(&s);
        let t = &s.tokens.access_token;
        (!s.tokens.is_expired(self.now_secs(), skew)).then(|| (t.value.clone(), t.expires_at.saturating_sub(skew).saturating_mul(1000)))
    }

    /// Makes `tokens` the session's, stores them and tells listeners if they changed. A storage
    /// failure is returned, but the tokens serve from memory all the same.
    fn replace_tokens(&self, tokens: Tokens, issued_at: u64) -> Result<(), AuthError> {
        let changed = {
            let mut s = self.state.borrow_mut();
            let changed = s.tokens != tokens;
            if changed {
                s.generation = s.generation.wrapping_add(1);
            }
            s.tokens = tokens.clone();
            s.issued_at = issued_at;
            changed
        };
        let stored = self.persist();
        if changed {
            self.emit(&Event::TokensChanged(tokens));
        }
        stored
    }

    /// Writes the in-memory tokens to storage (empty tokens remove the entry).
    fn persist(&self) -> Result<(), AuthError> {
        let key = self.config.key(TOKENS_KEY);
        let text = {
            let s = self.state.borrow();
            if s.tokens.access_token.value.is_empty() && !s.tokens.can_refresh() {
                None
            } else {
                let stored = StoredTokens {
                    access_token: s.tokens.access_token.clone(),
                    refresh_token: s.tokens.refresh_token.clone(),
                    issued_at: s.issued_at,
                };
                Some(
                    self.platform
                        .to_json(&stored.to_json())
                        .ok_or_else(|| AuthError::new(ErrorCode::Storage, "tokens cannot be encoded"))?,
                )
            }
        };
        let result = self.platform.store(&key, text.as_deref());
        if result.is_ok() {
            self.state.borrow_mut().seen = text;
            self.platform.announce();
        }
        result
    }

    /// Stores `value` as JSON under `key`.
    fn store_json(&self, key: &str, value: &JsonValue) -> Result<(), AuthError> {
        let text = self
            .platform
            .to_json(value)
            .ok_or_else(|| AuthError::new(ErrorCode::Storage, "the value cannot be encoded"))?;
        self.platform.store(key, Some(&text))
    }

    /// Clears the tokens (memory and storage) and tells listeners why.
    fn end_session(&self, reason: SessionEndReason) {
        drop(self.replace_tokens(Tokens::default(), 0));
        self.emit(&Event::SessionEnded(reason));
    }

    /// Adopts what storage holds, if another tab changed it: its refresh (so this tab does not
    /// refresh again with a spent token), its sign-in, its sign-out. A corrupted or foreign entry
    /// is removed and replaced by this tab's copy; nothing here fails.
    fn sync_from_storage(&self) {
        let key = self.config.key(TOKENS_KEY);
        let raw = self.platform.load(&key);
        if raw == self.state.borrow().seen {
            return;
        }
        let was_member = self.state.borrow().tokens.is_member();
        let parsed = raw.as_deref().map(|text| self.platform.parse_json(text).as_ref().and_then(StoredTokens::read));
        match parsed {
            Some(Some(stored)) => {
                self.state.borrow_mut().seen = raw;
                let tokens = Tokens { access_token: stored.access_token, refresh_token: stored.refresh_token };
                if tokens == self.state.borrow().tokens {
                    return;
                }
                let issued_at = if stored.issued_at == 0 { self.now_secs() } else { stored.issued_at };
                let now_member = tokens.is_member();
                self.adopt(tokens, issued_at);
                if was_member && !now_member {
                    self.emit(&Event::SessionEnded(SessionEndReason::SignedOutInAnotherTab));
                }
            }
            Some(None) => {
                drop(self.platform.store(&key, None));
                self.state.borrow_mut().seen = None;
                drop(self.persist());
            }
            None => {
                self.state.borrow_mut().seen = None;
                if self.state.borrow().tokens != Tokens::default() {
                    self.adopt(Tokens::default(), 0);
                    if was_member {
                        self.emit(&Event::SessionEnded(SessionEndReason::SignedOutInAnotherTab));
                    }
                }
            }
        }
    }

    /// Takes tokens that storage already holds: no write back.
    fn adopt(&self, tokens: Tokens, issued_at: u64) {
        {
            let mut s = self.state.borrow_mut();
            s.generation = s.generation.wrapping_add(1);
            s.tokens = tokens.clone();
            s.issued_at = issued_at;
        }
        self.emit(&Event::TokensChanged(tokens));
    }

    /// Re-reads the stored tokens now: for the platform's news that another tab changed them
    /// (a BroadcastChannel message, a `storage` event), so that sign-ins, refreshes and sign-outs
    /// reach this tab's listeners at once, not on its next call.
    pub fn sync(&self) {
        self.sync_from_storage();
    }

    /// Wix's `getTokens`: the session's tokens as they are (possibly empty or expired).
    pub fn get_tokens(&self) -> Tokens {
        self.sync_from_storage();
        self.state.borrow().tokens.clone()
    }

    /// Wix's `setTokens`: makes `tokens` the session's and stores them. The tokens are set even
    /// when storing fails (that failure is returned).
    pub fn set_tokens(&self, tokens: Tokens) -> Result<(), AuthError> {
        self.replace_tokens(tokens, self.now_secs())
    }

    /// Wix's `loggedIn`: whether the session holds a member's refresh token.
    pub fn logged_in(&self) -> bool {
        self.sync_from_storage();
        self.state.borrow().tokens.is_member()
    }
}
