//! `AuthError`: every failure the library reports, with a stable string `code` (the Wix or OAuth
//! code where there is one), the HTTP `status` and the `x-wix-request-id` where known. Messages are
//! fixed texts or server descriptions: a token never goes into one.

use super::login_state::LoginErrorCode;
use super::token::OAuthErrorCode;

/// The stable codes of [`AuthError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// An OAuth error from the token endpoint or the hosted page.
    OAuth(OAuthErrorCode),
    /// A Wix login/register `errorCode`, raised by calls that cannot return a `StateMachine`.
    Login(LoginErrorCode),
    /// `fetch` failed: offline, DNS, CORS, connection refused.
    Network,
    /// The server did not answer in time.
    Timeout,
    /// The caller aborted the request (its own `AbortSignal`).
    Aborted,
    /// A reply that is not the documented body (garbage, wrong shape, missing fields).
    UnexpectedResponse,
    /// A non-200 reply with no recognisable error body (e.g. a 502 page).
    HttpError,
    /// The callback's `state` is missing or does not match the one sent.
    StateMismatch,
    /// The callback carries no `code`.
    MissingCode,
    /// No stored OAuth data for this `state` (expired, used, or never issued here).
    UnknownState,
    /// A URL argument could not be read.
    InvalidUrl,
    /// The server sent a URL to load or navigate to that is not safe: not `https:` (nor `http:`
    /// on loopback), malformed, or not on its redirect session's own host.
    UnsafeUrl,
    /// An argument is missing or of the wrong type.
    InvalidArgument,
    /// The hosted page refused the page's origin (`redirect_uri_not_allowed`).
    OriginNotAllowed,
    /// A call needs a refresh token and there is none.
    NoRefreshToken,
    /// `processVerification` without a pending verification.
    NoPendingVerification,
    /// Browser-only call in an environment without a browser (server-side rendering).
    BrowserOnly,
    /// Reading or writing token storage failed.
    Storage,
    /// The member's session ended (refresh rejected, signed out elsewhere).
    SessionEnded,
    /// Anything the server sent as an error code this build does not know.
    Unknown,
}

impl ErrorCode {
    /// The stable string users match on.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OAuth(c) => c.as_str(),
            Self::Login(c) => c.as_str(),
            Self::Network => "network_error",
            Self::Timeout => "timeout",
            Self::Aborted => "aborted",
            Self::UnexpectedResponse => "unexpected_response",
            Self::HttpError => "http_error",
            Self::StateMismatch => "state_mismatch",
            Self::MissingCode => "missing_code",
            Self::UnknownState => "unknown_state",
            Self::InvalidUrl => "invalid_url",
            Self::UnsafeUrl => "unsafe_url",
            Self::InvalidArgument => "invalid_argument",
            Self::OriginNotAllowed => "redirect_uri_not_allowed",
            Self::NoRefreshToken => "no_refresh_token",
            Self::NoPendingVerification => "no_pending_verification",
            Self::BrowserOnly => "browser_only",
            Self::Storage => "storage_error",
            Self::SessionEnded => "session_ended",
            Self::Unknown => "unknown_error",
        }
    }

    /// A hosted-page or token-endpoint code → `ErrorCode`.
    pub fn from_oauth(code: &str) -> Self {
        match code {
            // Our emulator's old word, and what the live service was seen answering.
            "redirect_uri_not_allowed" | "Allowed_domains_fetch_failed" => Self::OriginNotAllowed,
            c => OAuthErrorCode::parse(c).map_or(Self::Unknown, Self::OAuth),
        }
    }
}

/// A typed failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthError {
    pub code: ErrorCode,
    /// HTTP status of the reply, 0 when there was none.
    pub status: u16,
    /// `x-wix-request-id` of the reply, when there was one.
    pub request_id: Option<String>,
    /// Human-readable; never contains a token.
    pub message: String,
}

impl AuthError {
    /// An error with no HTTP reply behind it.
    pub fn new(code: ErrorCode, message: &str) -> Self {
        Self { code, status: 0, request_id: None, message: message.into() }
    }

    /// An error from an HTTP reply.
    pub fn http(code: ErrorCode, status: u16, request_id: Option<String>, message: &str) -> Self {
        Self { code, status, request_id, message: message.into() }
    }

    /// Whether retrying later may succeed: the network, a timeout, a 5xx or 429, or the server's
    /// own "try later" codes. A refresh that fails this way keeps the member signed in.
    pub fn is_transient(&self) -> bool {
        matches!(
            self.code,
            ErrorCode::Network
                | ErrorCode::Timeout
                | ErrorCode::OAuth(OAuthErrorCode::ServerError | OAuthErrorCode::TemporarilyUnavailable)
        ) || self.status >= 500
            || self.status == 429
    }

    /// Whether the refresh token itself was refused: the session is over and must end visibly.
    /// `SessionEnded` is the engine's report of exactly that, so it ends the session too.
    pub fn ends_session(&self) -> bool {
        matches!(
            self.code,
            ErrorCode::OAuth(OAuthErrorCode::InvalidGrant | OAuthErrorCode::InvalidClient) | ErrorCode::SessionEnded
        ) && !self.is_transient()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_wire_spellings() {
        assert_eq!(ErrorCode::OAuth(OAuthErrorCode::InvalidGrant).as_str(), "invalid_grant");
        assert_eq!(ErrorCode::Login(LoginErrorCode::EmailAlreadyExists).as_str(), "emailAlreadyExists");
        assert_eq!(ErrorCode::from_oauth("redirect_uri_not_allowed").as_str(), "redirect_uri_not_allowed");
        assert_eq!(ErrorCode::from_oauth("Allowed_domains_fetch_failed"), ErrorCode::OriginNotAllowed);
        assert_eq!(ErrorCode::from_oauth("access_denied"), ErrorCode::OAuth(OAuthErrorCode::AccessDenied));
        assert_eq!(ErrorCode::from_oauth("made_up"), ErrorCode::Unknown);
    }

    #[test]
    fn refresh_failure_classes() {
        let grant = AuthError::http(ErrorCode::OAuth(OAuthErrorCode::InvalidGrant), 400, None, "x");
        assert!(grant.ends_session() && !grant.is_transient());
        let down = AuthError::http(ErrorCode::HttpError, 503, None, "x");
        assert!(down.is_transient() && !down.ends_session());
        let net = AuthError::new(ErrorCode::Network, "x");
        assert!(net.is_transient() && !net.ends_session());
        let odd = AuthError::http(ErrorCode::UnexpectedResponse, 200, None, "x");
        assert!(!odd.is_transient() && !odd.ends_session());
        let weird = AuthError::http(ErrorCode::OAuth(OAuthErrorCode::InvalidGrant), 502, None, "x");
        assert!(!weird.ends_session(), "a 5xx is an outage, whatever its body says");
        let ended = AuthError::http(ErrorCode::SessionEnded, 400, None, "x");
        assert!(ended.ends_session() && !ended.is_transient());
    }
}
