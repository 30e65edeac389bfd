#![cfg(target_arch = "wasm32")]
// The server URLs come from scripts/test.d/40-browser.sh at compile time; without them a test
// fails with a message saying so (option_env!, not env!, so that the crate still builds alone).
#![allow(clippy::option_env_unwrap)]
//! Hostile input, in headless Chromium: replies, stored values and arguments nested 100,000 deep
//! or referring to themselves, and replies of 16 MiB. Each must end as a typed `AuthError` (or be
//! skipped), never a stack overflow or a trap, and the module must work normally afterwards. The
//! replies come from tests/support/hostile_server.py. Run by scripts/test.d/40-browser.sh.

use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use wix_headless_auth::js::OAuthStrategy;

wasm_bindgen_test_configure!(run_in_browser);

const CLIENT_ID: &str = "9a3c1e7e-5b2f-4d8a-b6c4-2f1e0d9c8b7a";
const DEPTH: usize = 100_000;

fn emulator() -> &'static str {
    option_env!("EMULATOR_URL").expect("run through scripts/test.d/40-browser.sh (EMULATOR_URL)")
}
fn hostile(mode: &str) -> String {
    [option_env!("HOSTILE_URL").expect("run through scripts/test.d/40-browser.sh (HOSTILE_URL)"), mode].concat()
}
fn redirect_uri() -> String {
    [option_env!("BROWSER_TEST_ORIGIN").expect("BROWSER_TEST_ORIGIN"), "/callback"].concat()
}

#[wasm_bindgen(inline_js = r#"
export function parse(text) { return JSON.parse(text); }
export function ls_get(k) { return localStorage.getItem(k); }
export function ls_set(k, v) { localStorage.setItem(k, v); }
export function unique() { return Math.random().toString(36).slice(2); }
export function is_error(e) { return e instanceof Error && !(e instanceof TypeError); }
// An object with a member that is the object itself.
export function with_self(o, key) { o[key] = o; return o; }
// A chain of objects `depth` deep: {a: {a: {...}}}.
export function chain(depth) { let o = {}; for (let i = 0; i < depth; i++) o = { a: o }; return o; }
export function custom_storage(tokens) { return { getTokens: () => tokens, setTokens: () => {} }; }
"#)]
extern "C" {
    fn parse(text: &str) -> JsValue;
    fn ls_get(k: &str) -> Option<String>;
    fn ls_set(k: &str, v: &str);
    fn unique() -> String;
    fn is_error(e: &JsValue) -> bool;
    fn with_self(o: JsValue, key: &str) -> JsValue;
    fn chain(depth: u32) -> JsValue;
    fn custom_storage(tokens: &JsValue) -> JsValue;
}

fn deep() -> String {
    ["[".repeat(DEPTH), "]".repeat(DEPTH)].concat()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}
fn text(v: &JsValue, path: &str) -> String {
    path.split('.').fold(v.clone(), |o, k| if o.is_object() { get(&o, k) } else { JsValue::UNDEFINED }).as_string().unwrap_or_default()
}

/// A strategy on `base` with its own storage key; the key is returned too.
fn strategy_at(base: &str) -> (OAuthStrategy, String) {
    let key = ["h:", &unique()].concat();
    let options = [r#"{"clientId":""#, CLIENT_ID, r#"","baseUrl":""#, base, r#"","storageKey":""#, &key, r#""}"#].concat();
    (OAuthStrategy::new(parse(&options)).expect("options accepted"), key)
}

/// The `AuthError` `p` rejects with (a JS `Error` named AuthError, not a RangeError or TypeError).
async fn auth_error(p: Promise) -> JsValue {
    let e = JsFuture::from(p).await.expect_err("should reject");
    assert!(is_error(&e), "an Error, not a TypeError: {}", text(&e, "message"));
    assert_eq!(text(&e, "name"), "AuthError", "{}", text(&e, "message"));
    e
}

/// The module still works: a new strategy mints a visitor at the emulator, and storage reads back.
async fn still_usable() {
    let (s, key) = strategy_at(emulator());
    let tokens = JsFuture::from(s.generate_visitor_tokens(JsValue::UNDEFINED)).await.expect("a visitor after the hostile input");
    assert!(!text(&tokens, "accessToken.value").is_empty());
    let (again, _) = strategy_at(emulator());
    drop(again);
    assert!(ls_get(&[key.as_str(), ":tokens"].concat()).is_some(), "the tokens were stored");
}

fn oauth_data(s: &OAuthStrategy) -> JsValue {
    s.generate_oauth_data(JsValue::from_str(&redirect_uri()), JsValue::UNDEFINED).expect("oauth data")
}

#[wasm_bindgen_test]
async fn token_replies_nested_100000_deep_are_typed_errors() {
    // JSON text nested deeper than 128 levels anywhere, even in a member nobody reads, is not
    // parsed at all (src/browser/json.rs): a malformed reply.
    let (s, _) = strategy_at(&hostile("deep-unknown"));
    let e = auth_error(s.generate_visitor_tokens(JsValue::UNDEFINED)).await;
    assert_eq!(text(&e, "code"), "unexpected_response");

    // A known member nested that deep is a malformed reply.
    let (s, _) = strategy_at(&hostile("deep-known"));
    let e = auth_error(s.generate_visitor_tokens(JsValue::UNDEFINED)).await;
    assert_eq!(text(&e, "code"), "unexpected_response");

    // A Wix error whose opaque `data` (read as any JSON) nests 100,000 deep.
    let (s, _) = strategy_at(&hostile("deep-error"));
    let e = auth_error(s.generate_visitor_tokens(JsValue::UNDEFINED)).await;
    assert_eq!(get(&e, "status").as_f64(), Some(400.0));
    still_usable().await;
}

#[wasm_bindgen_test]
async fn redirect_session_replies_nested_100000_deep_are_skipped_or_typed_errors() {
    let (s, _) = strategy_at(&hostile("deep-unknown"));
    let url = JsFuture::from(s.get_auth_url(oauth_data(&s), JsValue::UNDEFINED)).await;
    match url {
        Ok(v) => assert!(text(&v, "authUrl").starts_with("https://www.wix.com/oauth/login")),
        Err(e) => assert_eq!(text(&e, "name"), "AuthError", "{}", text(&e, "message")),
    }
    let (s, _) = strategy_at(&hostile("deep-known"));
    auth_error(s.get_auth_url(oauth_data(&s), JsValue::UNDEFINED)).await;
    still_usable().await;
}

#[wasm_bindgen_test]
async fn stored_tokens_nested_100000_deep_are_discarded() {
    let (s, key) = strategy_at(emulator());
    drop(s);
    let tokens_key = [key.as_str(), ":tokens"].concat();
    let far = (js_sys::Date::now() / 1000.0) as u64 + 3600;
    let good = [
        r#"{"accessToken":{"value":"stored","expiresAt":"#,
        &far.to_string(),
        r#"},"refreshToken":{"value":"r","role":"visitor"},"junk":"#,
        &deep(),
        "}",
    ]
    .concat();
    ls_set(&tokens_key, &[r#"{"accessToken":{"value":"stored","expiresAt":"#, &far.to_string(), r#"},"refreshToken":{"value":"r","role":"visitor"}}"#].concat());
    let s = reopen(&key);
    assert_eq!(text(&s.get_tokens().expect("tokens"), "accessToken.value"), "stored", "a plain stored value is read");
    // A member nested deeper than 128 levels: the whole stored value is unreadable and removed.
    ls_set(&tokens_key, &good);
    let s = reopen(&key);
    assert_eq!(text(&s.get_tokens().expect("tokens"), "accessToken.value"), "");
    assert_eq!(ls_get(&tokens_key), None, "the deep stored value was discarded");

    // Deep where a token belongs: the stored value is unusable, so it is removed.
    ls_set(&tokens_key, &[r#"{"accessToken":"#, &deep(), r#","refreshToken":{"value":"r","role":"visitor"}}"#].concat());
    let s = reopen(&key);
    assert_eq!(text(&s.get_tokens().expect("tokens"), "accessToken.value"), "");
    assert_eq!(ls_get(&tokens_key), None, "the bad stored value was discarded");
    // And every later construction in the page works.
    let s = reopen(&key);
    JsFuture::from(s.generate_visitor_tokens(JsValue::UNDEFINED)).await.expect("a visitor");
    still_usable().await;
}

/// A strategy on the emulator over the storage key `key`.
fn reopen(key: &str) -> OAuthStrategy {
    let options = [r#"{"clientId":""#, CLIENT_ID, r#"","baseUrl":""#, emulator(), r#"","storageKey":""#, key, r#""}"#].concat();
    OAuthStrategy::new(parse(&options)).expect("a strategy over the stored value")
}

#[wasm_bindgen_test]
async fn self_referring_and_deep_arguments_are_typed_errors_or_ignored() {
    let (s, _) = strategy_at(emulator());
    // An unknown member that is the object itself is never read.
    let data = with_self(oauth_data(&s), "self");
    let url = JsFuture::from(s.get_auth_url(data, JsValue::UNDEFINED)).await.expect("the extra member is ignored");
    assert!(!text(&url, "authUrl").is_empty());
    // A known member that is the object itself is the wrong type.
    let e = auth_error(s.get_auth_url(with_self(oauth_data(&s), "state"), JsValue::UNDEFINED)).await;
    assert_eq!(text(&e, "code"), "invalid_argument");

    // Custom fields (any JSON) that refer to themselves, or nest 100,000 deep.
    for custom in [with_self(js_sys::Object::new().into(), "me"), chain(DEPTH as u32)] {
        let profile = js_sys::Object::new();
        let _ = Reflect::set(&profile, &"customFields".into(), &custom);
        let params = parse(r#"{"email":"x@example.com","password":"correct horse battery"}"#);
        let _ = Reflect::set(&params, &"profile".into(), &profile);
        let e = auth_error(s.register(params)).await;
        assert_eq!(text(&e, "code"), "invalid_argument");
    }

    // Tokens with a member that refers to the tokens: ignored; as the token's value: refused.
    let t = parse(r#"{"accessToken":{"value":"v","expiresAt":1},"refreshToken":{"value":"r","role":"visitor"}}"#);
    s.set_tokens(with_self(t, "loop")).expect("the extra member is ignored");
    assert_eq!(s.get_active_token(), "v");
    let t = parse(r#"{"accessToken":{"expiresAt":1}}"#);
    let access = get(&t, "accessToken");
    let _ = Reflect::set(&access, &"value".into(), &t);
    let e = s.set_tokens(t).expect_err("a token value that is an object");
    assert_eq!(text(&e, "code"), "invalid_argument");

    // A custom storage whose getTokens() returns an object that refers to itself, or nests deep.
    for stored in [with_self(js_sys::Object::new().into(), "accessToken"), chain(DEPTH as u32)] {
        let options = parse(&[r#"{"clientId":""#, CLIENT_ID, r#"","baseUrl":""#, emulator(), r#""}"#].concat());
        let _ = Reflect::set(&options, &"storage".into(), &custom_storage(&stored));
        let s = OAuthStrategy::new(options).expect("constructed");
        assert_eq!(text(&s.get_tokens().expect("tokens"), "accessToken.value"), "", "unreadable tokens are none");
    }
    still_usable().await;
}

#[wasm_bindgen_test]
async fn replies_over_the_size_limit_are_typed_errors() {
    for mode in ["huge", "huge-declared"] {
        let (s, _) = strategy_at(&hostile(mode));
        let e = auth_error(s.generate_visitor_tokens(JsValue::UNDEFINED)).await;
        assert_eq!(text(&e, "code"), "unexpected_response", "{mode}");
        assert_eq!(get(&e, "status").as_f64(), Some(200.0), "{mode}");
    }
    still_usable().await;
}
