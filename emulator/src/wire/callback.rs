//! The redirect the hosted page answers with: the callback URL carrying the result, which the
//! client reads back with `wix_auth_protocol::callback`.

use wix_auth_protocol::form;
use wix_auth_protocol::redirect_session::ResponseMode;

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
    use wix_auth_protocol::callback::parse_callback;

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
