//! The wire: every body the Wix client and server exchange, and the pure rules around them.
//! No I/O and no browser types, so it compiles and is tested natively, and the emulator shares it.

pub mod authentication;
pub mod callback;
pub mod error;
pub mod form;
pub mod json_value;
pub mod login_state;
pub mod oauth_data;
pub mod pkce;
pub mod redirect_session;
pub mod server_url;
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

/// Appends `n` in decimal, without `core::fmt` (its formatter is kilobytes of wasm, and the
/// emulator builds such text on every request). Shared by the client and the emulator.
pub fn push_decimal(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[i..].iter().map(|d| char::from(*d)));
}

/// Where `needle` first occurs in `hay`. A plain byte scan: `str::find` with a `&str` pattern
/// brings the two-way searcher and, through its slicing checks, the panic formatter with the
/// Unicode tables (9 KB of wasm, 5 KB gzip, measured); the texts searched here are short.
pub fn find_str(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return Some(0);
    }
    h.windows(n.len()).position(|w| w == n)
}

#[cfg(test)]
mod tests {
    #[test]
    fn byte_search() {
        for (hay, needle) in [("abc", "bc"), ("abc", "x"), ("", ""), ("a", ""), ("", "a"), ("aab", "ab"), ("é://x", "://")] {
            assert_eq!(super::find_str(hay, needle), hay.find(needle), "{hay:?} {needle:?}");
        }
    }

    #[test]
    fn decimal_text() {
        for n in [0, 7, 10, 1_234_567_890, u64::MAX] {
            let mut s = String::new();
            super::push_decimal(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }
}
