//! Reading the redirect back from the hosted login page: `code`, `state`, `error` from the
//! fragment or the query of the callback URL (Wix's `parseFromUrl`).

use serde::{Deserialize, Serialize};

use super::form;
use super::redirect_session::ResponseMode;

/// What `parseFromUrl` returns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallbackParams {
    pub code: String,
    pub state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
}

/// Why a callback URL could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackError {
    /// Not an absolute `http(s)` URL.
    InvalidUrl,
    /// `web_message` results arrive by `postMessage`, never in a URL.
    UnsupportedMode,
}

/// Parses `url` for `mode` (`fragment` reads after `#`, `query` between `?` and `#`). A URL that
/// carries no parameters gives empty `code` and `state`; the caller decides what that means.
/// A parameter given twice keeps its first value, as `URLSearchParams.get` does.
pub fn parse_callback(url: &str, mode: ResponseMode) -> Result<CallbackParams, CallbackError> {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err(CallbackError::InvalidUrl);
    }
    let (before_hash, fragment) = url.split_once('#').unwrap_or((url, ""));
    let part = match mode {
        ResponseMode::Fragment => fragment,
        ResponseMode::Query => before_hash.split_once('?').map_or("", |(_, q)| q),
        ResponseMode::WebMessage => return Err(CallbackError::UnsupportedMode),
    };
    let mut out = CallbackParams::default();
    let (mut seen_code, mut seen_state) = (false, false);
    for (k, v) in form::parse(part) {
        match k.as_str() {
            "code" if !seen_code => (out.code, seen_code) = (v, true),
            "state" if !seen_state => (out.state, seen_state) = (v, true),
            "error" if out.error.is_none() => out.error = Some(v),
            "error_description" if out.error_description.is_none() => out.error_description = Some(v),
            _ => {}
        }
    }
    Ok(out)
}

/// The URL the hosted page sends the browser to: `redirect_uri` plus the result in the
/// fragment or the query (appended to any query the redirect URI already has).
pub fn build_callback(redirect_uri: &str, mode: ResponseMode, pairs: &[(&str, &str)]) -> String {
    let encoded = form::serialize(pairs.iter().copied());
    let base = redirect_uri.split_once('#').map_or(redirect_uri, |(b, _)| b);
    match mode {
        ResponseMode::Query => {
            let sep = if base.contains('?') { '&' } else { '?' };
            [base, &sep.to_string(), &encoded].concat()
        }
        _ => [base, "#", &encoded].concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_fragment() {
        let p = parse_callback("http://shop.test/cb#code=abc&state=x%2By", ResponseMode::Fragment).unwrap();
        assert_eq!((p.code.as_str(), p.state.as_str()), ("abc", "x+y"));
        assert_eq!(p.error, None);
    }

    #[test]
    fn reads_the_query_and_ignores_the_fragment() {
        let p = parse_callback("https://shop.test/cb?state=s&code=c#code=other", ResponseMode::Query).unwrap();
        assert_eq!((p.code.as_str(), p.state.as_str()), ("c", "s"));
    }

    #[test]
    fn reads_errors() {
        let p = parse_callback(
            "http://a/cb#error=access_denied&error_description=no+way&state=s",
            ResponseMode::Fragment,
        )
        .unwrap();
        assert_eq!(p.error.as_deref(), Some("access_denied"));
        assert_eq!(p.error_description.as_deref(), Some("no way"));
        assert_eq!(p.code, "");
    }

    #[test]
    fn first_value_wins_and_missing_is_empty() {
        let p = parse_callback("http://a/cb#state=1&state=2", ResponseMode::Fragment).unwrap();
        assert_eq!((p.code.as_str(), p.state.as_str()), ("", "1"));
    }

    #[test]
    fn malformed_urls_are_typed_errors() {
        for bad in ["", "not a url", "javascript:alert(1)#code=a", "/cb#code=a", "ftp://x#code=a", "é"] {
            assert_eq!(parse_callback(bad, ResponseMode::Fragment), Err(CallbackError::InvalidUrl), "{bad}");
        }
        assert_eq!(parse_callback("http://a/", ResponseMode::WebMessage), Err(CallbackError::UnsupportedMode));
    }

    #[test]
    fn builds_what_it_parses() {
        let url = build_callback("http://a/cb?x=1#old", ResponseMode::Query, &[("code", "c d"), ("state", "s")]);
        assert_eq!(url, "http://a/cb?x=1&code=c%20d&state=s");
        let p = parse_callback(&url, ResponseMode::Query).unwrap();
        assert_eq!((p.code.as_str(), p.state.as_str()), ("c d", "s"));
        let frag = build_callback("http://a/cb", ResponseMode::Fragment, &[("error", "access_denied"), ("state", "s")]);
        assert_eq!(frag, "http://a/cb#error=access_denied&state=s");
    }
}
