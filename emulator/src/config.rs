//! Command line → `Config`. Defaults make `wix-auth-emulator` with no flags serve the demo
//! storefront on port 8080: its client id, its callback pages, its origins.

use clap::Parser;
use std::path::PathBuf;

/// The client id the demo and the tests use when no `--client-id` is given.
pub const DEFAULT_CLIENT_ID: &str = "9a3c1e7e-5b2f-4d8a-b6c4-2f1e0d9c8b7a";
/// The API key accepted when no `--api-key` is given.
pub const DEFAULT_API_KEY: &str = "emulator-dev-api-key";
/// Redirect URIs that are always allowed (the demo storefront's callback page).
pub const DEFAULT_REDIRECT_URIS: [&str; 2] =
    ["http://localhost:8080/callback.html", "http://127.0.0.1:8080/callback.html"];
/// Origins that are always allowed (the demo storefront).
pub const DEFAULT_ORIGINS: [&str; 2] = ["http://localhost:8080", "http://127.0.0.1:8080"];

/// A local stand-in for the Wix Headless auth endpoints (OAuth2, redirects, IAM, members).
#[derive(Debug, Parser)]
#[command(name = "wix-auth-emulator", version, about)]
pub struct Cli {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Port to listen on; 0 picks a free one (the first stdout line tells which).
    #[arg(long, default_value_t = 8788)]
    pub port: u16,
    /// SQLite file (created with its directory); `:memory:` keeps nothing.
    #[arg(long, default_value = ".wix-emulator/emulator.db")]
    pub db: PathBuf,
    /// OAuth client id to accept (repeatable). Replaces the default client id.
    #[arg(long = "client-id")]
    pub client_ids: Vec<String>,
    /// Redirect URI to allow, exact match (repeatable). Added to the demo's defaults.
    #[arg(long = "redirect-uri")]
    pub redirect_uris: Vec<String>,
    /// Origin allowed for CORS and as a `web_message` target (repeatable). Added to the defaults.
    #[arg(long = "allowed-origin")]
    pub allowed_origins: Vec<String>,
    /// API key for sign-on and the `authorized_client` grant (repeatable). Replaces the default.
    #[arg(long = "api-key")]
    pub api_keys: Vec<String>,
    /// Lifetime of access tokens, seconds.
    #[arg(long, default_value_t = 14_400)]
    pub access_token_ttl: u64,
    /// Lifetime of authorization codes, seconds.
    #[arg(long, default_value_t = 60)]
    pub code_ttl: u64,
    /// Lifetime of email verification codes, seconds.
    #[arg(long, default_value_t = 600)]
    pub verification_code_ttl: u64,
    /// Minimum seconds between device-code polls (RFC 8628 `interval`); faster polls get `slow_down`.
    #[arg(long, default_value_t = 5)]
    pub device_poll_interval: u64,
    /// New members must confirm their email with a 6-digit code (sent to the outbox).
    #[arg(long)]
    pub require_email_verification: bool,
    /// New members wait for `POST /_emulator/members/{id}/approve`.
    #[arg(long)]
    pub require_owner_approval: bool,
    /// Login and register need a captcha token (`invalid-captcha-token` is the one rejected).
    #[arg(long)]
    pub require_captcha: bool,
    /// Every refresh returns a new refresh token and kills the old one; reuse revokes the family.
    #[arg(long)]
    pub rotate_refresh_tokens: bool,
}

/// The settings the server runs with, defaults applied.
#[derive(Debug, Clone)]
pub struct Config {
    pub host: String,
    pub port: u16,
    pub db: PathBuf,
    pub client_ids: Vec<String>,
    pub redirect_uris: Vec<String>,
    pub allowed_origins: Vec<String>,
    pub api_keys: Vec<String>,
    pub access_token_ttl: u64,
    pub code_ttl: u64,
    pub verification_code_ttl: u64,
    pub device_poll_interval: u64,
    pub require_email_verification: bool,
    pub require_owner_approval: bool,
    pub require_captcha: bool,
    pub rotate_refresh_tokens: bool,
}

impl From<Cli> for Config {
    fn from(cli: Cli) -> Self {
        let or_default = |given: Vec<String>, default: &str| if given.is_empty() { vec![default.to_owned()] } else { given };
        let with_defaults = |given: Vec<String>, defaults: &[&str]| {
            let mut all: Vec<String> = defaults.iter().map(|s| (*s).to_owned()).collect();
            all.extend(given.into_iter().filter(|g| !defaults.contains(&g.as_str())));
            all
        };
        let redirect_uris = with_defaults(cli.redirect_uris, &DEFAULT_REDIRECT_URIS);
        // An allowed redirect URI implies its origin may receive results, so a test that adds
        // `--redirect-uri http://x:1/cb` need not repeat `--allowed-origin http://x:1`.
        let mut origins: Vec<String> = cli.allowed_origins.iter().map(|o| o.trim_end_matches('/').to_ascii_lowercase()).collect();
        origins.extend(redirect_uris.iter().filter_map(|u| crate::util::origin_of(u)));
        let mut allowed_origins = with_defaults(origins, &DEFAULT_ORIGINS);
        let mut seen = std::collections::HashSet::new();
        allowed_origins.retain(|o| seen.insert(o.clone()));
        Self {
            host: cli.host,
            port: cli.port,
            db: cli.db,
            client_ids: or_default(cli.client_ids, DEFAULT_CLIENT_ID),
            redirect_uris,
            allowed_origins,
            api_keys: or_default(cli.api_keys, DEFAULT_API_KEY),
            access_token_ttl: cli.access_token_ttl,
            code_ttl: cli.code_ttl,
            verification_code_ttl: cli.verification_code_ttl,
            device_poll_interval: cli.device_poll_interval,
            require_email_verification: cli.require_email_verification,
            require_owner_approval: cli.require_owner_approval,
            require_captcha: cli.require_captcha,
            rotate_refresh_tokens: cli.rotate_refresh_tokens,
        }
    }
}

impl Config {
    /// Whether `client_id` is one of ours.
    pub fn knows_client(&self, client_id: &str) -> bool {
        self.client_ids.iter().any(|c| c == client_id)
    }

    /// Exact-match redirect URI check (RFC 9700 §2.1: no prefix or pattern matching).
    pub fn allows_redirect(&self, uri: &str) -> bool {
        self.redirect_uris.iter().any(|u| u == uri)
    }

    /// Whether an origin (`scheme://host:port`) may receive results and make CORS calls.
    pub fn allows_origin(&self, origin: &str) -> bool {
        self.allowed_origins.iter().any(|o| o.eq_ignore_ascii_case(origin))
    }

    /// Whether `key` is a configured API key.
    pub fn knows_api_key(&self, key: &str) -> bool {
        self.api_keys.iter().any(|k| k == key)
    }
}
