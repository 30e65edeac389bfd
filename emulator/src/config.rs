//! Command line → `Config`. Defaults make `wix-auth-emulator` with no flags serve the demo
//! storefront on port 8080: its client id, its callback pages, its origins.

use clap::Parser;
use std::path::PathBuf;

/// The client id the demo and the tests use when no `--client-id` is given.
pub const DEFAULT_CLIENT_ID: &str = "9a3c1e7e-5b2f-4d8a-b6c4-2f1e0d9c8b7a";
/// The API key accepted when no `--api-key` is given.
pub const DEFAULT_API_KEY: &str = "emulator-dev-api-key";
/// Redirect URIs that are always allowed: the demo storefront's callback page, and the page its
/// password reset returns to (reset redirect URLs must be allowed redirect URIs, exactly).
pub const DEFAULT_REDIRECT_URIS: [&str; 4] = [
    "http://localhost:8080/callback.html",
    "http://127.0.0.1:8080/callback.html",
    "http://localhost:8080/?password-reset=done",
    "http://127.0.0.1:8080/?password-reset=done",
];
/// Origins that are always allowed (the demo storefront).
pub const DEFAULT_ORIGINS: [&str; 2] = ["http://localhost:8080", "http://127.0.0.1:8080"];

/// Longest `--access-token-ttl` accepted: ten years. Far longer than any real token, and far
/// from the millisecond arithmetic's overflow (a TTL near `u64::MAX` became a token that was
/// expired when issued).
const MAX_TTL_S: u64 = 10 * 365 * 24 * 60 * 60;

/// A local stand-in for the Wix Headless auth endpoints (OAuth2, redirects, IAM, members).
#[derive(Debug, Parser)]
#[command(name = "wix-auth-emulator", version, about)]
pub struct Cli {
    /// Address to listen on. Anything but a loopback address also needs `--allow-remote`.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Port of the API host; 0 picks a free one (the first stdout line tells which).
    #[arg(long, default_value_t = 8788)]
    pub port: u16,
    /// Port of the site host (the hosted pages); default `--port` + 1, or a free one with `--port 0`.
    #[arg(long)]
    pub site_port: Option<u16>,
    /// Serve on a non-loopback `--host` (anyone who can reach it can drive the dev endpoints).
    #[arg(long)]
    pub allow_remote: bool,
    /// Public URL of the API host, when it is reached by another name (a proxy, a tunnel): its
    /// host is accepted in `Host` besides the loopback names.
    #[arg(long, value_parser = parse_origin)]
    pub public_url: Option<String>,
    /// Public URL of the site host; links to hosted pages are built from it.
    #[arg(long, value_parser = parse_origin)]
    pub site_url: Option<String>,
    /// SQLite file (created with its directory); `:memory:` keeps nothing.
    #[arg(long, default_value = ".wix-emulator/emulator.db")]
    pub db: PathBuf,
    /// OAuth client id to accept (repeatable). Replaces the default client id.
    #[arg(long = "client-id")]
    pub client_ids: Vec<String>,
    /// Redirect URI to allow, exact match (repeatable). Added to the demo's defaults.
    #[arg(long = "redirect-uri", value_parser = parse_redirect_uri)]
    pub redirect_uris: Vec<String>,
    /// Origin allowed for CORS and as a `web_message` target (repeatable). Added to the defaults.
    #[arg(long = "allowed-origin", value_parser = parse_origin)]
    pub allowed_origins: Vec<String>,
    /// API key for sign-on and the `authorized_client` grant (repeatable). Replaces the default.
    #[arg(long = "api-key")]
    pub api_keys: Vec<String>,
    /// Lifetime of access tokens, seconds (1 to 10 years).
    #[arg(long, default_value_t = 14_400, value_parser = clap::value_parser!(u64).range(1..=MAX_TTL_S))]
    pub access_token_ttl: u64,
    /// Lifetime of authorization codes, seconds (1 to 86400).
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub code_ttl: u64,
    /// Lifetime of email verification codes, seconds (1 to 86400).
    #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub verification_code_ttl: u64,
    /// Minimum seconds between device-code polls; faster polls get `slow_down`. The live
    /// service's clients poll every 3 s.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(0..=600))]
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
    /// Behave as a site that was never published: redirect sessions answer 428
    /// `SITE_NOT_PUBLISHED_EXCEPTION`.
    #[arg(long)]
    pub site_not_published: bool,
}

/// `scheme://host[:port]`, nothing else: `*` and URLs with paths are refused with a reason
/// (tower-http panics on `*` in an origin list; a path would never match an `Origin` header).
fn parse_origin(value: &str) -> Result<String, String> {
    if value.trim() == "*" {
        return Err("'*' is not accepted: list each origin (scheme://host[:port])".into());
    }
    let trimmed = value.trim_end_matches('/').to_ascii_lowercase();
    match crate::util::origin_of(&trimmed) {
        Some(origin) if origin == trimmed => Ok(origin),
        _ => Err(format!("{value:?} is not an origin (scheme://host[:port], http or https)")),
    }
}

/// An absolute http(s) URL.
fn parse_redirect_uri(value: &str) -> Result<String, String> {
    crate::util::origin_of(value).map(|_| value.to_owned()).ok_or_else(|| format!("{value:?} is not an absolute http(s) URL"))
}

/// Whether `host` names this machine only.
pub fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost") || bare.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The settings the server runs with, defaults applied.
#[derive(Debug, Clone)]
pub struct Config {
    pub host: String,
    pub port: u16,
    pub site_port: u16,
    pub public_url: Option<String>,
    pub site_url: Option<String>,
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
    pub site_not_published: bool,
}

impl TryFrom<Cli> for Config {
    /// What is wrong, naming the flag.
    type Error = String;

    fn try_from(cli: Cli) -> Result<Self, String> {
        if !is_loopback(&cli.host) && !cli.allow_remote {
            return Err(format!("--host {}: not a loopback address; add --allow-remote to serve other machines", cli.host));
        }
        let site_port = match cli.site_port {
            Some(p) => p,
            None if cli.port == 0 => 0,
            None => cli.port.checked_add(1).ok_or("--port 65535 leaves no default --site-port; give --site-port")?,
        };
        if site_port != 0 && site_port == cli.port {
            return Err(format!("--site-port {site_port}: must differ from --port (the site and the API are two origins)"));
        }
        let or_default = |given: Vec<String>, default: &str| if given.is_empty() { vec![default.to_owned()] } else { given };
        let with_defaults = |given: Vec<String>, defaults: &[&str]| {
            let mut all: Vec<String> = defaults.iter().map(|s| (*s).to_owned()).collect();
            all.extend(given.into_iter().filter(|g| !defaults.contains(&g.as_str())));
            all
        };
        let redirect_uris = with_defaults(cli.redirect_uris, &DEFAULT_REDIRECT_URIS);
        // An allowed redirect URI implies its origin may receive results, so a test that adds
        // `--redirect-uri http://x:1/cb` need not repeat `--allowed-origin http://x:1`.
        let mut origins = cli.allowed_origins;
        origins.extend(redirect_uris.iter().filter_map(|u| crate::util::origin_of(u)));
        let mut allowed_origins = with_defaults(origins, &DEFAULT_ORIGINS);
        let mut seen = std::collections::HashSet::new();
        allowed_origins.retain(|o| seen.insert(o.clone()));
        Ok(Self {
            host: cli.host,
            port: cli.port,
            site_port,
            public_url: cli.public_url,
            site_url: cli.site_url,
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
            site_not_published: cli.site_not_published,
        })
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
