//! The engine's token decisions as pure functions of the tokens, the clock and what a request
//! came back with: what a call for a token does (use, refresh or mint), whether a failed token
//! request is sent again, and what a refused refresh means. `tokens.rs` only carries them out,
//! so every rule here is tested without a platform, a lock or a future.

use wix_auth_protocol::error::AuthError;
use wix_auth_protocol::tokens::{effective_skew, RefreshToken, Role, Tokens};

/// What a call that needs a usable access token does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The held tokens are good: no request.
    Use(Tokens),
    /// Refresh with this refresh token.
    Refresh(RefreshToken),
    /// Mint a new anonymous visitor (there is nothing to refresh).
    Mint,
}

/// The token request a failure came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// `grantType: anonymous`: nothing is spent by sending it twice (at worst a visitor is lost).
    Mint,
    /// `grantType: refresh_token`: with rotation, the server spends the token the moment it
    /// processes the request, whether or not its answer reaches us.
    Refresh,
}

/// What a refused refresh token (`invalid_grant`) means for the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A member's session is over: clear it visibly, never turn it into a visitor.
    EndSession,
    /// A visitor (or unknown role) had nothing to lose: mint a fresh visitor.
    MintVisitor,
}

/// Whether `tokens` (issued at `issued_at`) are usable at `now` with the configured skew margin
/// (capped at half the token's life, so that short-lived tokens are usable when they arrive).
pub fn usable(tokens: &Tokens, issued_at: u64, now: u64, skew_secs: u64) -> bool {
    let lifetime = tokens.access_token.expires_at.saturating_sub(issued_at);
    !tokens.is_expired(now, effective_skew(skew_secs, lifetime))
}

/// The next step of a call for a usable token: `forced` (`renewToken`) refreshes with that
/// token whatever the held ones are; otherwise usable tokens are used, a refresh token is
/// refreshed, and nothing at all mints a visitor.
pub fn next_step(tokens: &Tokens, issued_at: u64, now: u64, skew_secs: u64, forced: Option<RefreshToken>) -> Step {
    if let Some(rt) = forced {
        return Step::Refresh(rt);
    }
    if usable(tokens, issued_at, now, skew_secs) {
        return Step::Use(tokens.clone());
    }
    if tokens.can_refresh() {
        return Step::Refresh(tokens.refresh_token.clone());
    }
    Step::Mint
}

/// Whether a token request of `grant` that failed with `err` is sent again within the same call.
/// Only transient failures are retried, and a refresh only when the server *answered* that it
/// did not do it (a 5xx or 429 reply): after a timeout or a broken connection the server may have
/// processed the refresh and rotated the token, and sending the spent token again would make it
/// revoke the whole token family (RFC 9700 §4.14.2), signing the member out.
pub fn retry(grant: Grant, err: &AuthError) -> bool {
    err.is_transient() && (grant == Grant::Mint || !answer_lost(err))
}

/// Whether a request failed without any HTTP answer (timeout, network): its effect on the
/// server is unknown.
pub fn answer_lost(err: &AuthError) -> bool {
    err.status == 0 && err.is_transient()
}

/// What a refused refresh of a token of `role` means.
pub fn after_refusal(role: Role) -> Refusal {
    if role == Role::Member {
        Refusal::EndSession
    } else {
        Refusal::MintVisitor
    }
}

/// After a refresh whose answer was lost: the held tokens when their access token has not
/// actually expired yet (refreshes start a skew margin early), so the member keeps working on it
/// instead of failing a call the server would still accept. Until the tokens change the session
/// then uses it without the skew margin (`TokenState::refresh_deferred` in lib.rs), so the refresh
/// is not sent again before the token really expires.
pub fn still_usable(tokens: &Tokens, now: u64) -> Option<Tokens> {
    (!tokens.is_expired(now, 0)).then(|| tokens.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wix_auth_protocol::error::ErrorCode;
    use wix_auth_protocol::token::OAuthErrorCode;
    use wix_auth_protocol::tokens::AccessToken;

    fn held(expires_at: u64, refresh: &str, role: Role) -> Tokens {
        Tokens {
            access_token: AccessToken { value: "a".into(), expires_at },
            refresh_token: RefreshToken { value: refresh.into(), role },
        }
    }

    #[test]
    fn use_refresh_or_mint_by_the_clock() {
        let t = held(1_000, "r", Role::Member);
        // Issued at 0 with a 60 s margin: usable until 940.
        assert_eq!(next_step(&t, 0, 939, 60, None), Step::Use(t.clone()));
        assert_eq!(next_step(&t, 0, 940, 60, None), Step::Refresh(t.refresh_token.clone()));
        assert_eq!(next_step(&held(1_000, "", Role::None), 0, 940, 60, None), Step::Mint);
        assert_eq!(next_step(&Tokens::default(), 0, 0, 60, None), Step::Mint);
        // A 10 s token: the margin is capped at 5 s.
        assert_eq!(next_step(&held(1_010, "r", Role::Visitor), 1_000, 1_004, 60, None), Step::Use(held(1_010, "r", Role::Visitor)));
        let forced = RefreshToken { value: "given".into(), role: Role::Member };
        assert_eq!(next_step(&t, 0, 0, 60, Some(forced.clone())), Step::Refresh(forced));
    }

    #[test]
    fn issue15_item4_a_refresh_without_an_answer_is_never_retried() {
        let timeout = AuthError::new(ErrorCode::Timeout, "x");
        let offline = AuthError::new(ErrorCode::Network, "x");
        let down = AuthError::http(ErrorCode::HttpError, 503, None, "x");
        let busy = AuthError::http(ErrorCode::HttpError, 429, None, "x");
        let refused = AuthError::http(ErrorCode::OAuth(OAuthErrorCode::InvalidGrant), 400, None, "x");
        assert!(!retry(Grant::Refresh, &timeout) && !retry(Grant::Refresh, &offline));
        assert!(retry(Grant::Refresh, &down) && retry(Grant::Refresh, &busy), "the server said it did not do it");
        assert!(retry(Grant::Mint, &timeout) && retry(Grant::Mint, &offline) && retry(Grant::Mint, &down));
        assert!(!retry(Grant::Mint, &refused) && !retry(Grant::Refresh, &refused));
        assert!(answer_lost(&timeout) && answer_lost(&offline) && !answer_lost(&down) && !answer_lost(&refused));
    }

    #[test]
    fn a_refusal_ends_a_member_and_renews_a_visitor() {
        assert_eq!(after_refusal(Role::Member), Refusal::EndSession);
        assert_eq!(after_refusal(Role::Visitor), Refusal::MintVisitor);
        assert_eq!(after_refusal(Role::None), Refusal::MintVisitor);
    }

    #[test]
    fn after_a_lost_answer_the_access_token_serves_until_it_really_expires() {
        let t = held(1_000, "r", Role::Member);
        assert_eq!(still_usable(&t, 999), Some(t.clone()));
        assert_eq!(still_usable(&t, 1_000), None);
        assert_eq!(still_usable(&Tokens::default(), 0), None);
    }
}
