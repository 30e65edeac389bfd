//! The hosted pages' HTML: one plain, accessible layout, with every value escaped.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

/// Escapes text for HTML element content and double-quoted attributes.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON safe to place inside a `<script>`: `<`, `>` and `&` become `\u00XX` so that no
/// `</script>` or `<!--` can end the script early.
pub fn script_json(value: &serde_json::Value) -> String {
    value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// A full page. `body` must already be escaped HTML.
pub fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title} · Wix auth emulator</title>\
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}}\
label{{display:block;margin-top:1rem;font-weight:600}}input{{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}}\
button{{margin-top:1.25rem;margin-right:.5rem;padding:.5rem 1rem;font:inherit}}\
.error{{color:#a00;border:1px solid #a00;padding:.5rem}}.note{{color:#555}}</style>\
</head><body><main><h1>{title}</h1>{body}</main></body></html>",
        title = esc(title),
    );
    let mut resp = (status, Html(html)).into_response();
    // The pages hold one-time credentials in forms; never cache them.
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// An error paragraph announced by screen readers, or nothing.
pub fn error_block(error: Option<&str>) -> String {
    error.map_or_else(String::new, |e| format!("<p class=\"error\" role=\"alert\" id=\"form-error\">{}</p>", esc(e)))
}

/// A labelled input; `describedby` links it to the error block when there is one.
pub fn input(id: &str, label: &str, kind: &str, autocomplete: &str, value: &str, has_error: bool) -> String {
    let described = if has_error { " aria-describedby=\"form-error\" aria-invalid=\"true\"" } else { "" };
    format!(
        "<label for=\"{id}\">{label}</label><input id=\"{id}\" name=\"{id}\" type=\"{kind}\" autocomplete=\"{autocomplete}\" value=\"{value}\" required{described}>",
        label = esc(label),
        value = esc(value),
    )
}

/// A hidden input.
pub fn hidden(name: &str, value: &str) -> String {
    format!("<input type=\"hidden\" name=\"{name}\" value=\"{}\">", esc(value))
}

/// Lets `origins` frame this page (`frame-ancestors`); every other response keeps
/// `app::security_headers`' `'none'`. The origins come from validated configuration.
pub fn framable_by(resp: &mut Response, origins: &[String]) {
    let policy = if origins.is_empty() { "frame-ancestors 'none'".to_owned() } else { format!("frame-ancestors {}", origins.join(" ")) };
    if let Ok(v) = HeaderValue::from_str(&policy) {
        let h = resp.headers_mut();
        h.insert(header::CONTENT_SECURITY_POLICY, v);
        h.remove(header::X_FRAME_OPTIONS);
    }
}

/// A 403 page unless the form was posted from the site host's own pages: browsers send
/// `Origin` with every form POST, so a missing or foreign one is another site submitting
/// credentials (login CSRF) or a script that did not load our page.
pub fn refuse_cross_site(site_base: &str, headers: &axum::http::HeaderMap) -> Option<Response> {
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    if origin.is_some_and(|o| o.eq_ignore_ascii_case(site_base)) {
        return None;
    }
    Some(page(StatusCode::FORBIDDEN, "Form refused", "<p role=\"alert\">This form can only be sent from its own page.</p>"))
}
