//! URLs the server hands the client to load or navigate to (a redirect session's `fullUrl` and
//! `urlDetails.endpoint`): a page would put them into a frame or `location.href`, where a
//! `javascript:` or `data:` URL runs script in the storefront's origin. Only `https:` is taken,
//! and `http:` on the loopback host (the emulator, local development). The check is on the raw
//! text, stricter than a browser's URL parser, so that what is checked is what the browser loads.

/// Why a server URL was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlRefusal {
    /// Not `https:` (nor `http:` on loopback): `javascript:`, `data:`, `ftp:`, relative, empty.
    Scheme,
    /// Whitespace, control characters, backslashes, `user@` or anything but a plain (ASCII)
    /// host and port in the authority, or no host: text a browser reads differently from a
    /// plain parse.
    Malformed,
    /// The URL to load is not on the host of the redirect session's own endpoint.
    ForeignHost,
}

impl UrlRefusal {
    /// A fixed text for an error message (the URL itself is not repeated: it may carry tokens).
    pub fn message(self) -> &'static str {
        match self {
            Self::Scheme => "the server sent a URL that is not https (or http on loopback)",
            Self::Malformed => "the server sent a malformed URL",
            Self::ForeignHost => "the server sent a URL on another host than its redirect session's",
        }
    }
}

/// The origin (`scheme://host[:port]`, as written) of a URL that is safe to load or navigate
/// to, or why it is not. Byte by byte, without `str` pattern searches: this runs in the browser
/// build, where those bring kilobytes of searcher and panic-formatting code.
pub fn navigable_origin(url: &str) -> Result<&str, UrlRefusal> {
    let bytes = url.as_bytes();
    if bytes.iter().any(|&b| b <= b' ' || b == b'\\' || b == 0x7f) {
        return Err(UrlRefusal::Malformed);
    }
    let prefixed = |p: &[u8]| bytes.get(..p.len()).is_some_and(|head| head.eq_ignore_ascii_case(p));
    let scheme_len = if prefixed(b"https://") {
        8
    } else if prefixed(b"http://") {
        7
    } else {
        return Err(UrlRefusal::Scheme);
    };
    let rest = bytes.get(scheme_len..).unwrap_or(&[]);
    let authority = rest.get(..rest.iter().position(|b| matches!(b, b'/' | b'?' | b'#')).unwrap_or(rest.len())).unwrap_or(&[]);
    let host_byte = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b':' | b'[' | b']');
    if authority.is_empty() || !authority.iter().all(host_byte) {
        return Err(UrlRefusal::Malformed);
    }
    if scheme_len == 7 && !is_loopback(host_of(authority)) {
        return Err(UrlRefusal::Scheme);
    }
    url.get(..scheme_len + authority.len()).ok_or(UrlRefusal::Malformed)
}

/// `url` when it is navigable and on the same origin as `endpoint` (also navigable): the rule
/// for a redirect session's `fullUrl` against its `urlDetails.endpoint`.
pub fn check_on_endpoint<'a>(url: &'a str, endpoint: &str) -> Result<&'a str, UrlRefusal> {
    let origin = navigable_origin(url)?;
    if !origin.eq_ignore_ascii_case(navigable_origin(endpoint)?) {
        return Err(UrlRefusal::ForeignHost);
    }
    Ok(url)
}

/// The host of an authority (`host[:port]`, `[v6]:port`).
fn host_of(authority: &[u8]) -> &[u8] {
    let (start, end) = match authority.first() {
        Some(b'[') => (1, b']'),
        _ => (0, b':'),
    };
    let host = authority.get(start..).unwrap_or(&[]);
    host.get(..host.iter().position(|&b| b == end).unwrap_or(host.len())).unwrap_or(&[])
}

/// `localhost`, `127.0.0.0/8` or `::1`: traffic that never leaves the machine.
fn is_loopback(host: &[u8]) -> bool {
    if host.eq_ignore_ascii_case(b"localhost") || host == b"::1" {
        return true;
    }
    let mut parts = host.split(|&b| b == b'.');
    let octet = |p: &[u8]| !p.is_empty() && p.len() <= 3 && p.iter().all(u8::is_ascii_digit);
    parts.next() == Some(b"127".as_slice()) && parts.clone().count() == 3 && parts.all(octet)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_and_http_only_on_loopback() {
        assert_eq!(navigable_origin("https://shop.example/_api/oauth2/authorize?x=1"), Ok("https://shop.example"));
        assert_eq!(navigable_origin("HTTPS://Shop.Example:8443#f"), Ok("HTTPS://Shop.Example:8443"));
        for ok in ["http://127.0.0.1:9/x", "http://localhost/x", "http://[::1]:8080/", "http://127.9.9.9"] {
            assert!(navigable_origin(ok).is_ok(), "{ok}");
        }
        for plain in ["http://shop.example/", "http://127.0.0.1.evil.example/", "http://localhost.evil.example/", "http://10.0.0.1/"] {
            assert_eq!(navigable_origin(plain), Err(UrlRefusal::Scheme), "{plain}");
        }
    }

    #[test]
    fn script_data_and_other_schemes_are_refused() {
        for bad in ["javascript:alert(1)", "JavaScript:alert(1)//https://x", "data:text/html,<script>", "ftp://x/", "/relative", "", "vbscript:x", "blob:https://x/1"] {
            assert_eq!(navigable_origin(bad), Err(UrlRefusal::Scheme), "{bad}");
        }
    }

    #[test]
    fn text_a_browser_reads_otherwise_is_malformed() {
        for bad in [" javascript:alert(1)", "https://good.example@evil.example/", "http://127.0.0.1@evil.example/", "https:\\\\evil.example", "https://", "https://a b/", "https://x/\n", "https:///path", "https://*.example/", "https://ex%61mple.com/"] {
            assert_eq!(navigable_origin(bad), Err(UrlRefusal::Malformed), "{bad:?}");
        }
    }

    #[test]
    fn the_url_must_be_on_its_endpoints_host() {
        let endpoint = "https://shop.example/_api/oauth2/authorize";
        assert_eq!(check_on_endpoint("https://shop.example/_api/oauth2/authorize?s=1", endpoint), Ok("https://shop.example/_api/oauth2/authorize?s=1"));
        assert_eq!(check_on_endpoint("https://evil.example/_api/oauth2/authorize", endpoint), Err(UrlRefusal::ForeignHost));
        assert_eq!(check_on_endpoint("https://shop.example:444/", endpoint), Err(UrlRefusal::ForeignHost));
        assert_eq!(check_on_endpoint("https://shop.example/", "javascript:x"), Err(UrlRefusal::Scheme));
        assert_eq!(check_on_endpoint("data:x", endpoint), Err(UrlRefusal::Scheme));
    }
}
