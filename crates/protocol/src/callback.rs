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

/// What `parseFromUrl` returns, shaped as `@wix/sdk` shapes it: `code` and `state` are `null`
/// when the URL lacks them (not `""`), and `error` comes with `errorDescription` (itself `null`
/// when the server sent none) only when the callback carries a non-empty `error`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParsedCallback {
    pub code: Option<String>,
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_description: Option<Option<String>>,
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
    if mode == ResponseMode::WebMessage {
        return Err(CallbackError::UnsupportedMode);
    }
    let p = parse_callback_url(url, mode)?;
    Ok(CallbackParams {
        code: p.code.unwrap_or_default(),
        state: p.state.unwrap_or_default(),
        error: p.error,
        error_description: p.error_description.flatten(),
    })
}

/// Wix's `parseFromUrl`: the query for `query`, else the fragment (as `@wix/sdk` reads it), each
/// parameter `None` when absent. An `error` that is present but empty counts as none, as there.
pub fn parse_callback_url(url: &str, mode: ResponseMode) -> Result<ParsedCallback, CallbackError> {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err(CallbackError::InvalidUrl);
    }
    let (before_hash, fragment) = url.split_once('#').unwrap_or((url, ""));
    let part = match mode {
        ResponseMode::Query => before_hash.split_once('?').map_or("", |(_, q)| q),
        _ => fragment,
    };
    let (mut out, mut description) = (ParsedCallback::default(), None);
    for (k, v) in form::parse(part) {
        let slot = match k.as_str() {
            "code" => &mut out.code,
            "state" => &mut out.state,
            "error" => &mut out.error,
            "error_description" => &mut description,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(v);
        }
    }
    out.error = out.error.filter(|e| !e.is_empty());
    if out.error.is_some() {
        out.error_description = Some(description);
    }
    Ok(out)
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
    fn parse_from_url_has_the_sdk_shape() {
        let json = |url: &str, mode| serde_json::to_string(&parse_callback_url(url, mode).unwrap()).unwrap();
        assert_eq!(json("http://a/cb", ResponseMode::Fragment), r#"{"code":null,"state":null}"#);
        assert_eq!(json("http://a/cb#code=c&state=s", ResponseMode::Fragment), r#"{"code":"c","state":"s"}"#);
        assert_eq!(json("http://a/cb?code=&state=s", ResponseMode::Query), r#"{"code":"","state":"s"}"#);
        assert_eq!(
            json("http://a/cb#error=access_denied&state=s", ResponseMode::Fragment),
            r#"{"code":null,"state":"s","error":"access_denied","errorDescription":null}"#
        );
        assert_eq!(
            json("http://a/cb#error=x&error_description=no+way&error=y", ResponseMode::WebMessage),
            r#"{"code":null,"state":null,"error":"x","errorDescription":"no way"}"#
        );
        assert_eq!(json("http://a/cb#error=&error_description=d", ResponseMode::Fragment), r#"{"code":null,"state":null}"#);
    }

    #[test]
    fn malformed_urls_are_typed_errors() {
        for bad in ["", "not a url", "javascript:alert(1)#code=a", "/cb#code=a", "ftp://x#code=a", "é"] {
            assert_eq!(parse_callback(bad, ResponseMode::Fragment), Err(CallbackError::InvalidUrl), "{bad}");
        }
        assert_eq!(parse_callback("http://a/", ResponseMode::WebMessage), Err(CallbackError::UnsupportedMode));
    }

}
