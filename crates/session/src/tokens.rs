//! Getting a usable access token: reuse, refresh, or mint a visitor, single-flight, with
//! refresh failures told apart. The official client turns *any* refresh failure into a new
//! anonymous visitor; here a member whose refresh token is refused ends visibly, and an outage
//! keeps the member's tokens for the next try. A refresh whose answer never came is not sent
//! again with the same token (the server may have rotated it). The rules are in `decide.rs`.

use super::decide::{self, Grant, Refusal, Step};
use super::{Platform, Session, SessionEndReason};
use wix_auth_protocol::error::{AuthError, ErrorCode};
use wix_auth_protocol::token::TokenResponse;
use wix_auth_protocol::token_bodies::{AnonymousBody, RefreshBody};
use wix_auth_protocol::tokens::{RefreshToken, Role, Tokens};

/// Retries of a token request that failed transiently (network, 5xx, 429) within one call.
const RETRIES: u32 = 2;
/// First backoff; doubled for each further retry.
const RETRY_BASE_MS: u32 = 250;
/// Wait before ending a member's session on a refused refresh, then look at storage again:
/// another tab that refreshed (and rotated) the same token a moment earlier stores its result
/// within this time, and its tokens are then adopted instead of signing the member out.
const REJECTION_GRACE_MS: u32 = 300;
/// Storage-key suffix naming the cross-tab lock held around token requests.
const LOCK_KEY: &str = "token-lock";
/// Rounds of decide–request–commit before giving up when tokens keep changing under a request.
const ROUNDS: u32 = 3;

impl<P: Platform> Session<P> {
    /// Wix's `getAuthHeaders`, as the value of the `Authorization` header: the raw access token
    /// (no `Bearer `), refreshed or minted first when it is spent.
    pub async fn get_auth_headers(&self) -> Result<String, AuthError> {
        self.valid_tokens().await.map(|t| t.access_token.value)
    }

    /// Wix's `generateVisitorTokens`: tokens that are usable now. Given tokens become the
    /// session's first; an expired one is refreshed. A visitor whose refresh token is refused
    /// gets a fresh visitor identity (it had nothing to lose); a member's refusal ends the session
    /// with `SessionEnded` and never becomes a visitor silently.
    pub async fn generate_visitor_tokens(&self, tokens: Option<Tokens>) -> Result<Tokens, AuthError> {
        if let Some(t) = tokens {
            if (!t.access_token.value.is_empty() || t.can_refresh()) && t != self.state.borrow().tokens {
                drop(self.replace_tokens(t, self.now_secs()));
            }
        }
        self.valid_tokens().await
    }

    /// Wix's `renewToken`: refreshes now and stores the result. Renewing the session's own refresh
    /// token joins any refresh under way; a refusal of a member's token ends the session.
    pub async fn renew_token(&self, refresh_token: RefreshToken) -> Result<Tokens, AuthError> {
        if refresh_token.value.is_empty() {
            return Err(AuthError::new(ErrorCode::NoRefreshToken, "no refresh token to renew"));
        }
        self.sync_from_storage();
        if self.state.borrow().tokens.refresh_token.value == refresh_token.value {
            return self.flight.run(|| self.acquire(Some(refresh_token))).await;
        }
        // A refresh token from elsewhere: its failure is its own and ends nothing here.
        let resp = self.refresh(&refresh_token).await?;
        let now = self.now_secs();
        let fresh = Tokens::from_response(resp, refresh_token.role, now, Some(&refresh_token.value));
        drop(self.replace_tokens(fresh.clone(), now));
        Ok(fresh)
    }

    /// Marks `access_token` as spent when the session still holds it, so that the next
    /// [`Self::get_auth_headers`] refreshes: for a Wix API call answered with HTTP 401 (revoked
    /// or clock-skewed token), which the official client never recovers from.
    pub fn invalidate_access_token(&self, access_token: &str) {
        self.sync_from_storage();
        let (mut tokens, issued_at) = {
            let s = self.state.borrow();
            (s.tokens.clone(), s.issued_at)
        };
        if access_token.is_empty() || tokens.access_token.value != access_token || tokens.access_token.expires_at == 0 {
            return;
        }
        tokens.access_token.expires_at = 0;
        drop(self.replace_tokens(tokens, issued_at));
    }

    /// Usable tokens: the ones held if still good, else one shared run of [`Self::acquire`].
    pub(crate) async fn valid_tokens(&self) -> Result<Tokens, AuthError> {
        self.sync_from_storage();
        if let Some(t) = self.usable_tokens() {
            return Ok(t);
        }
        self.flight.run(|| self.acquire(None)).await
    }

    /// Decides ([`decide::next_step`]), requests, commits; `forced` refreshes even a usable token
    /// (`renewToken`). The decision is taken under the platform's cross-tab lock, after a fresh
    /// look at storage, so a tab that waited for another's request uses its outcome instead of
    /// repeating it. The outcome is committed only if nothing changed the tokens meanwhile (a
    /// sign-in, a sign-out); otherwise the decision is taken again on the new tokens.
    async fn acquire(&self, mut forced: Option<RefreshToken>) -> Result<Tokens, AuthError> {
        let lock_name = self.config.key(LOCK_KEY);
        for _ in 0..ROUNDS {
            self.sync_from_storage();
            let before = self.generation();
            if let (None, Step::Use(t)) = (&forced, self.step(None)) {
                return Ok(t);
            }
            let _lock = self.cross_tab_lock(&lock_name).await;
            self.sync_from_storage();
            let generation = self.generation();
            if generation != before {
                // Another tab renewed while this one waited: its tokens are as fresh as ours would be.
                forced = None;
            }
            let fresh = match self.step(forced.take()) {
                Step::Use(t) => return Ok(t),
                Step::Mint => self.mint_visitor().await?,
                Step::Refresh(rt) => match self.refresh(&rt).await {
                    Ok(resp) => Tokens::from_response(resp, rt.role, self.now_secs(), Some(&rt.value)),
                    Err(e) if e.ends_session() => {
                        let refusal = decide::after_refusal(rt.role);
                        if refusal == Refusal::EndSession {
                            self.platform.sleep(REJECTION_GRACE_MS).await;
                        }
                        self.sync_from_storage();
                        if self.generation() != generation {
                            continue;
                        }
                        if refusal == Refusal::EndSession {
                            self.end_session(SessionEndReason::RefreshRejected);
                            return Err(AuthError::http(
                                ErrorCode::SessionEnded,
                                e.status,
                                e.request_id,
                                "the member's session ended: the refresh token was rejected",
                            ));
                        }
                        self.mint_visitor().await?
                    }
                    Err(e) if decide::answer_lost(&e) => {
                        // The server may have processed it and rotated the token: the token is
                        // not sent again now. Another tab's result wins; else the member keeps
                        // the access token while it really lasts, and the error is the caller's.
                        self.sync_from_storage();
                        if self.generation() != generation {
                            continue;
                        }
                        let held = decide::still_usable(&self.state.borrow().tokens, self.now_secs());
                        if held.is_some() {
                            self.state.borrow_mut().refresh_deferred = Some(generation);
                        }
                        return held.ok_or(e);
                    }
                    Err(e) => return Err(e),
                },
            };
            self.sync_from_storage();
            if self.generation() == generation {
                drop(self.replace_tokens(fresh.clone(), self.now_secs()));
                return Ok(fresh);
            }
        }
        Err(AuthError::new(ErrorCode::Unknown, "the tokens kept changing during the request"))
    }

    /// [`decide::next_step`] on the tokens held now.
    fn step(&self, forced: Option<RefreshToken>) -> Step {
        let s = self.state.borrow();
        decide::next_step(&s.tokens, s.issued_at, self.now_secs(), self.skew_secs(&s), forced)
    }

    /// A new anonymous visitor.
    async fn mint_visitor(&self) -> Result<Tokens, AuthError> {
        let json = self.encode(&AnonymousBody::new(&self.config.client_id))?;
        let resp = self.token_request_retrying(Grant::Mint, json, "").await?;
        Ok(Tokens::from_response(resp, Role::Visitor, self.now_secs(), None))
    }

    /// A refresh request for `rt`.
    async fn refresh(&self, rt: &RefreshToken) -> Result<TokenResponse, AuthError> {
        let json = self.encode(&RefreshBody::new(&self.config.client_id, &rt.value))?;
        self.token_request_retrying(Grant::Refresh, json, &rt.value).await
    }

    /// A token request retried with a short, capped backoff while [`decide::retry`] says so.
    async fn token_request_retrying(&self, grant: Grant, json: String, secret: &str) -> Result<TokenResponse, AuthError> {
        let (mut left, mut delay) = (RETRIES, RETRY_BASE_MS);
        loop {
            match self.token_request(json.clone(), None, &[secret]).await {
                Err(e) if left > 0 && decide::retry(grant, &e) => {
                    left -= 1;
                    self.platform.sleep(delay).await;
                    delay = delay.saturating_mul(2);
                }
                result => return result,
            }
        }
    }
}
