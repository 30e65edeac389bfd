//! What a session is configured with; every default is one a storefront can live with.

use wix_auth_protocol::error::{AuthError, ErrorCode};
use wix_auth_protocol::{find_str, server_url, tokens, DEFAULT_BASE_URL};

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
    /// Origins besides `base_url`'s that `fetchWithAuth` sends the access token to
    /// (`fetchWithAuthOrigins`), each checked by [`Config::allow_fetch_origin`].
    pub fetch_with_auth_origins: Vec<String>,
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
            fetch_with_auth_origins: Vec::new(),
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

    /// Adds an origin `fetchWithAuth` may send the access token to: `https://host[:port]`, or
    /// `http:` on loopback (a token must not cross the network in clear), and nothing but the
    /// origin (no path, no wildcard), so that what the app lists is exactly what matches.
    pub fn allow_fetch_origin(&mut self, origin: &str) -> Result<(), AuthError> {
        let bad = || AuthError::new(ErrorCode::InvalidArgument, "fetchWithAuthOrigins must list origins such as https://api.example.com");
        let listed = origin.strip_suffix('/').unwrap_or(origin);
        match server_url::navigable_origin(listed) {
            Ok(o) if o.len() == listed.len() => {
                self.fetch_with_auth_origins.push(listed.into());
                Ok(())
            }
            _ => Err(bad()),
        }
    }

    /// Whether `fetchWithAuth` may send the session's access token to `url` (absolute): only to
    /// the origin of `base_url` (where the token is going anyway) and to the listed
    /// `fetch_with_auth_origins`. Anything unreadable is a no.
    pub fn sends_token_to(&self, url: &str) -> bool {
        let Some(target) = canonical_origin(url) else { return false };
        std::iter::once(self.base_url.as_str())
            .chain(self.fetch_with_auth_origins.iter().map(String::as_str))
            .any(|allowed| canonical_origin(allowed).is_some_and(|a| a == target))
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

/// The origin of an absolute URL as a browser compares it: scheme and host in lower case, the
/// default port dropped; `None` without a host or with `user@` (whose host is not what it seems).
pub(crate) fn canonical_origin(url: &str) -> Option<String> {
    let origin = origin_of(url);
    let authority = origin.get(find_str(origin, "://")? + 3..)?;
    if authority.is_empty() || authority.as_bytes().contains(&b'@') {
        return None;
    }
    let mut out = origin.to_ascii_lowercase();
    let default_port = if out.starts_with("https://") {
        ":443"
    } else if out.starts_with("http://") {
        ":80"
    } else {
        ""
    };
    if !default_port.is_empty() && out.ends_with(default_port) {
        out.truncate(out.len() - default_port.len());
    }
    Some(out)
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
    }

    #[test]
    fn issue15_item2_the_token_goes_only_to_the_api_origin_and_listed_origins() {
        let mut c = Config::new("a").unwrap();
        c.base_url = "https://www.wixapis.com".into();
        c.allow_fetch_origin("https://api.shop.example/").unwrap();
        c.allow_fetch_origin("http://127.0.0.1:8787").unwrap();
        for yes in [
            "https://www.wixapis.com/stores/v1/products",
            "HTTPS://WWW.WIXAPIS.COM:443/x",
            "https://api.shop.example/orders?x=1",
            "http://127.0.0.1:8787/",
        ] {
            assert!(c.sends_token_to(yes), "{yes}");
        }
        for no in [
            "https://evil.example/steal",
            "https://www.wixapis.com.evil.example/",
            "https://www.wixapis.com@evil.example/",
            "http://www.wixapis.com/x",
            "https://www.wixapis.com:8443/x",
            "https://shop.example/",
            "http://127.0.0.1:8788/",
            "/relative",
            "",
            "javascript:alert(1)",
        ] {
            assert!(!c.sends_token_to(no), "{no}");
        }
        for bad in ["*", "https://*.shop.example", "http://shop.example", "https://shop.example/api", "shop.example", "javascript:x", ""] {
            assert_eq!(c.allow_fetch_origin(bad).unwrap_err().code, ErrorCode::InvalidArgument, "{bad}");
        }
    }
}
