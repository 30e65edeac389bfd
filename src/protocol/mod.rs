//! The wire: every body the Wix client and server exchange, and the pure rules around them.
//! No I/O and no browser types, so it compiles and is tested natively, and the emulator shares it.

pub mod authentication;
pub mod callback;
pub mod error;
pub mod form;
pub mod login_state;
pub mod oauth_data;
pub mod pkce;
pub mod redirect_session;
pub mod token;
pub mod token_bodies;
pub mod tokens;
pub mod wix_error;

/// Header that carries Wix's request id on every reply.
pub const REQUEST_ID_HEADER: &str = "x-wix-request-id";

/// Where the real service lives; the default `baseUrl`.
pub const DEFAULT_BASE_URL: &str = "https://www.wixapis.com";

/// `POST` path of the token endpoint.
pub const TOKEN_PATH: &str = "/oauth2/token";

/// Wix's reCAPTCHA site key for a visible captcha (`captchaVisibleSiteKey`).
pub const CAPTCHA_VISIBLE_SITE_KEY: &str = "6Ld0J8IcAAAAANyrnxzrRlX1xrrdXsOmsepUYosy";
/// Wix's reCAPTCHA site key for an invisible captcha (`captchaInvisibleSiteKey`).
pub const CAPTCHA_INVISIBLE_SITE_KEY: &str = "6LdoPaUfAAAAAJphvHoUoOob7mx0KDlXyXlgrx5v";

/// localStorage key the Wix client keeps its last pre-warm time under (`isSessionSynced`).
pub const PREWARM_STORAGE_KEY: &str = "wixRedirectSessionLastPreWarm";
/// How long a pre-warmed Wix session counts as synced.
pub const PREWARM_TTL_MS: u64 = 7 * 24 * 60 * 60 * 1000;
