//! What a session is configured with; every default is one a storefront can live with.

use wix_auth_protocol::error::{AuthError, ErrorCode};
use wix_auth_protocol::{find_str, tokens, DEFAULT_BASE_URL};

/// Prefix of the default storage key: one namespace per client id, so two Wix sites on one
/// origin do not overwrite each other's tokens.
pub const DEFAULT_STORAGE_PREFIX: &str = "wix-headless-auth:";
/// Default wait for the direct-login iframe: the official client waits 120 s, a user will not.
pub const DEFAULT_DIRECT_LOGIN_TIMEOUT_MS: u32 = 10_000;
/// Default lifetime of stored OAuth data and pending verifications: long enough to sign in on
/// the hosted page or fetch a mailed code, short enough that an abandoned attempt expires.
pub const DEFAULT_OAUTH_DATA_TTL_MS: u64 = 15 * 60 * 1000;

/// The settings of one [`Session`](super::Session).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The OAuth app's client id.
    pub client_id: String,
    /// Origin (and optional path prefix) of the auth API, without a trailing slash.
    pub base_url: String,
    /// The Wix site id, when the caller knows it (carried for the layers above).
    pub site_id: Option<String>,
    /// Prefix of every storage key the session writes.
    pub storage_key: String,
    /// Seconds before `expiresAt` at which an access token counts as spent.
    pub skew_secs: u64,
    /// How long direct login waits for the hidden iframe's answer.
    pub direct_login_timeout_ms: u32,
    /// How long stored OAuth data and pending verifications stay usable.
    pub oauth_data_ttl_ms: u64,
}

impl Config {
    /// The defaults for `client_id`; an empty id is `InvalidArgument` (every token request needs it).
    pub fn new(client_id: &str) -> Result<Config, AuthError> {
        let client_id = client_id.trim();
        if client_id.is_empty() {
            return Err(AuthError::new(ErrorCode::InvalidArgument, "clientId is required"));
        }
        Ok(Config {
            client_id: client_id.into(),
            base_url: DEFAULT_BASE_URL.into(),
            site_id: None,
            storage_key: [DEFAULT_STORAGE_PREFIX, client_id].concat(),
            skew_secs: tokens::DEFAULT_SKEW_SECS,
            direct_login_timeout_ms: DEFAULT_DIRECT_LOGIN_TIMEOUT_MS,
            oauth_data_ttl_ms: DEFAULT_OAUTH_DATA_TTL_MS,
        })
    }

    /// `base_url` + `path`, tolerating a trailing slash on the base.
    pub(crate) fn url(&self, path: &str) -> String {
        [self.base_url.trim_end_matches('/'), path].concat()
    }

    /// `<storage_key>:<suffix>`.
    pub fn key(&self, suffix: &str) -> String {
        [self.storage_key.as_str(), ":", suffix].concat()
    }

    /// The origin of `base_url` (`scheme://host[:port]`): the only origin the direct-login
    /// iframe's answer is accepted from.
    pub(crate) fn origin(&self) -> &str {
        origin_of(&self.base_url)
    }
}

/// `scheme://host[:port]` of an absolute URL; the whole text when it has no `://`.
pub(crate) fn origin_of(url: &str) -> &str {
    let Some(scheme_end) = find_str(url, "://") else { return url };
    let rest_start = scheme_end + 3;
    let rest = url.get(rest_start..).unwrap_or("");
    let host_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    url.get(..rest_start + host_len).unwrap_or(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_rejection_of_an_empty_client_id() {
        let c = Config::new("abc").unwrap();
        assert_eq!(c.storage_key, "wix-headless-auth:abc");
        assert_eq!(c.url("/oauth2/token"), "https://www.wixapis.com/oauth2/token");
        assert_eq!(c.key("tokens"), "wix-headless-auth:abc:tokens");
        assert_eq!(Config::new("  ").unwrap_err().code, ErrorCode::InvalidArgument);
    }

    #[test]
    fn origins() {
        assert_eq!(origin_of("https://www.wixapis.com"), "https://www.wixapis.com");
        assert_eq!(origin_of("http://127.0.0.1:8080/api/"), "http://127.0.0.1:8080");
        assert_eq!(origin_of("http://h?x#y"), "http://h");
        assert_eq!(origin_of("odd"), "odd");
        let mut c = Config::new("a").unwrap();
        c.base_url = "http://localhost:9/".into();
        assert_eq!(c.url("/x"), "http://localhost:9/x");
        assert_eq!(c.origin(), "http://localhost:9");
    }
}
