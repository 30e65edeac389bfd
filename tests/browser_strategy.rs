#![cfg(target_arch = "wasm32")]
// The emulator URLs come from scripts/test.d/40-browser.sh at compile time; without them a test
// fails with a message saying so (option_env!, not env!, so that the crate still builds alone).
#![allow(clippy::option_env_unwrap)]
//! The exported `OAuthStrategy` against live emulators, in headless Chromium: every public method,
//! success and failure, persistence, single-flight minting, email verification, refresh-token
//! rotation, direct login through the emulator's real web_message frame, fail-fast on a refused
//! origin, and network failures. Run by scripts/test.d/40-browser.sh, which starts the emulators.

use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use wix_headless_auth::js::OAuthStrategy;

wasm_bindgen_test_configure!(run_in_browser);

const CLIENT_ID: &str = "9a3c1e7e-5b2f-4d8a-b6c4-2f1e0d9c8b7a";
const API_KEY: &str = "emulator-dev-api-key";
const PASSWORD: &str = "correct horse battery";

fn emulator() -> &'static str {
    option_env!("EMULATOR_URL").expect("run through scripts/test.d/40-browser.sh (EMULATOR_URL)")
}
/// The emulator's site host: the hosted pages live there, as on the live service.
fn emulator_site() -> &'static str {
    option_env!("EMULATOR_URL_SITE").expect("run through scripts/test.d/40-browser.sh (EMULATOR_URL_SITE)")
}
fn verify_emulator() -> &'static str {
    option_env!("EMULATOR_VERIFY_URL").expect("EMULATOR_VERIFY_URL")
}
fn rotate_emulator() -> &'static str {
    option_env!("EMULATOR_ROTATE_URL").expect("EMULATOR_ROTATE_URL")
}
fn strict_emulator() -> &'static str {
    option_env!("EMULATOR_STRICT_URL").expect("EMULATOR_STRICT_URL")
}
fn redirect_uri() -> String {
    [option_env!("BROWSER_TEST_ORIGIN").expect("BROWSER_TEST_ORIGIN"), "/callback"].concat()
}

#[wasm_bindgen(inline_js = r#"
export async function get_json(url) { const r = await fetch(url); return r.json(); }
export async function get_status(url, auth) {
  const r = await fetch(url, { headers: auth ? { authorization: auth } : {} });
  return r.status;
}
export function parse(text) { return JSON.parse(text); }
export function stringify(v) { return JSON.stringify(v); }
export function frame_count() { return document.querySelectorAll('iframe').length; }
export function ls_get(k) { return localStorage.getItem(k); }
export function ls_set(k, v) { localStorage.setItem(k, v); }
export function unique() { return Math.random().toString(36).slice(2); }
export function is_error(e) { return e instanceof Error && !(e instanceof TypeError); }
export function call0(f) { return f(); }
// Loads `url` in a frame until it lands back on this origin; resolves with that URL.
export function land_in_frame(url) {
  return new Promise((resolve, reject) => {
    const f = document.createElement('iframe');
    const done = (fn, v) => { clearTimeout(t); f.remove(); fn(v); };
    const t = setTimeout(() => done(reject, new Error('frame did not come back')), 10000);
    f.onload = () => { try { const h = f.contentWindow.location.href; if (h.startsWith(location.origin)) done(resolve, h); } catch (_) {} };
    f.src = url; document.body.appendChild(f);
  });
}
"#)]
extern "C" {
    async fn get_json(url: &str) -> JsValue;
    async fn get_status(url: &str, auth: Option<String>) -> JsValue;
    fn parse(text: &str) -> JsValue;
    fn stringify(v: &JsValue) -> String;
    fn frame_count() -> u32;
    fn ls_get(k: &str) -> Option<String>;
    fn ls_set(k: &str, v: &str);
    fn unique() -> String;
    fn is_error(e: &JsValue) -> bool;
    fn call0(f: &JsValue) -> JsValue;
    #[wasm_bindgen(catch)]
    async fn land_in_frame(url: &str) -> Result<JsValue, JsValue>;
}

/// `v.a.b.c` (undefined when absent).
fn at(v: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(v.clone(), |o, k| {
        if o.is_object() {
            Reflect::get(&o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
        } else {
            JsValue::UNDEFINED
        }
    })
}
fn s(v: &JsValue, path: &str) -> String {
    at(v, path).as_string().unwrap_or_default()
}

async fn ok(p: Promise) -> JsValue {
    match JsFuture::from(p).await {
        Ok(v) => v,
        Err(e) => panic!("rejected: {} {}", s(&e, "code"), s(&e, "message")),
    }
}

/// The rejection of `p`, checked to be an `AuthError` (not a raw TypeError).
async fn rejected(p: Promise) -> JsValue {
    let e = JsFuture::from(p).await.expect_err("should reject");
    assert_auth_error(&e);
    e
}

fn assert_auth_error(e: &JsValue) {
    assert!(is_error(e), "an Error, not a TypeError: {}", stringify(e));
    assert_eq!(s(e, "name"), "AuthError");
    assert!(at(e, "status").as_f64().is_some(), "status is a number");
    let rid = at(e, "requestId");
    assert!(rid.is_undefined() || rid.as_string().is_some());
}

fn strategy_at(base: &str, extra: &str) -> (OAuthStrategy, String) {
    let key = ["t:", &unique()].concat();
    let text = [
        r#"{"clientId":""#,
        CLIENT_ID,
        r#"","baseUrl":""#,
        base,
        r#"","storageKey":""#,
        &key,
        r#"""#,
        extra,
        "}",
    ]
    .concat();
    (OAuthStrategy::new(parse(&text)).expect("options accepted"), key)
}

fn strategy(extra: &str) -> (OAuthStrategy, String) {
    strategy_at(emulator(), extra)
}

async fn anonymous_grants(base: &str) -> f64 {
    let stats = get_json(&[base, "/_emulator/stats"].concat()).await;
    at(&stats, "grants.anonymous").as_f64().unwrap_or(0.0)
}

fn login_params(email: &str, password: &str) -> JsValue {
    let o = js_sys::Object::new();
    let _ = Reflect::set(&o, &"email".into(), &email.into());
    let _ = Reflect::set(&o, &"password".into(), &password.into());
    o.into()
}

fn email() -> String {
    ["m-", &unique(), "@example.com"].concat()
}

#[wasm_bindgen_test]
async fn visitor_headers_tokens_and_logged_in() {
    let (auth, key) = strategy("");
    assert!(!auth.logged_in());
    assert_eq!(auth.storage_in_use(), "local");
    let before = anonymous_grants(emulator()).await;
    let headers = ok(auth.get_auth_headers()).await;
    let value = s(&headers, "headers.Authorization");
    assert!(!value.is_empty() && !value.starts_with("Bearer"), "the raw token, as Wix sends it");
    let tokens = auth.get_tokens().expect("tokens");
    assert_eq!(s(&tokens, "accessToken.value"), value);
    assert_eq!(s(&tokens, "refreshToken.role"), "visitor");
    let expires = at(&tokens, "accessToken.expiresAt").as_f64().expect("number");
    assert!(expires > js_sys::Date::now() / 1000.0 + 3600.0);
    assert_eq!(auth.get_active_token(), value);
    assert!(!auth.logged_in());
    assert_eq!(anonymous_grants(emulator()).await, before + 1.0);
    // Valid tokens are reused, not re-minted.
    ok(auth.get_auth_headers()).await;
    let again = ok(auth.generate_visitor_tokens(JsValue::UNDEFINED)).await;
    assert_eq!(s(&again, "accessToken.value"), value);
    assert_eq!(anonymous_grants(emulator()).await, before + 1.0);
    assert!(ls_get(&[key.as_str(), ":tokens"].concat()).is_some_and(|t| t.contains("\"role\":\"visitor\"")));
    assert_eq!(auth.captcha_visible_site_key(), "6Ld0J8IcAAAAANyrnxzrRlX1xrrdXsOmsepUYosy");
    assert_eq!(auth.captcha_invisible_site_key(), "6LdoPaUfAAAAAJphvHoUoOob7mx0KDlXyXlgrx5v");
}

#[wasm_bindgen_test]
async fn twenty_concurrent_first_calls_mint_one_visitor() {
    let (auth, _) = strategy("");
    let before = anonymous_grants(emulator()).await;
    let calls: Vec<Promise> = (0..20).map(|_| auth.get_auth_headers()).collect();
    let all = ok(Promise::all(&calls.into_iter().collect::<js_sys::Array>())).await;
    let all: js_sys::Array = all.unchecked_into();
    let first = s(&all.get(0), "headers.Authorization");
    assert!(!first.is_empty());
    for h in all.iter() {
        assert_eq!(s(&h, "headers.Authorization"), first, "every caller gets the same visitor");
    }
    assert_eq!(anonymous_grants(emulator()).await, before + 1.0, "exactly one anonymous token request");
}

#[wasm_bindgen_test]
async fn tokens_persist_across_instances_and_corruption_resets_cleanly() {
    let (a, key) = strategy("");
    let minted = s(&ok(a.get_auth_headers()).await, "headers.Authorization");
    let same_key = [r#","storageKey":""#, &key, r#"""#].concat();
    let b = OAuthStrategy::new(parse(&[r#"{"clientId":""#, CLIENT_ID, r#"","baseUrl":""#, emulator(), r#"""#, &same_key, "}"].concat()))
        .expect("second instance");
    let before = anonymous_grants(emulator()).await;
    assert_eq!(s(&ok(b.get_auth_headers()).await, "headers.Authorization"), minted, "restored, not re-minted");
    assert_eq!(anonymous_grants(emulator()).await, before);

    let stored_key = [key.as_str(), ":tokens"].concat();
    for garbage in ["{not json", "null", "[1,2]", r#"{"accessToken":"x"}"#, "\u{0}\u{ffff}"] {
        ls_set(&stored_key, garbage);
        let c = OAuthStrategy::new(parse(&[r#"{"clientId":""#, CLIENT_ID, r#"","baseUrl":""#, emulator(), r#"""#, &same_key, "}"].concat()))
            .expect("a corrupted entry does not break construction");
        let t = c.get_tokens().expect("tokens");
        assert_eq!(s(&t, "accessToken.value"), "", "clean reset for {garbage}");
        assert!(!c.logged_in());
        let fresh = s(&ok(c.get_auth_headers()).await, "headers.Authorization");
        assert!(!fresh.is_empty() && fresh != minted);
        let stored = ls_get(&stored_key).expect("stored again");
        assert!(stored.contains(&fresh), "storage holds valid tokens again");
    }
}

#[wasm_bindgen_test]
async fn set_tokens_generate_and_renew() {
    let (auth, _) = strategy(r#","storage":"memory""#);
    assert_eq!(auth.storage_in_use(), "memory");
    let t = ok(auth.generate_visitor_tokens(JsValue::UNDEFINED)).await;
    let refresh = at(&t, "refreshToken");
    let renewed = ok(auth.renew_token(refresh.clone())).await;
    assert_ne!(s(&renewed, "accessToken.value"), s(&t, "accessToken.value"));
    assert_eq!(s(&renewed, "refreshToken.value"), s(&refresh, "value"));
    assert_eq!(s(&auth.get_tokens().expect("t"), "accessToken.value"), s(&renewed, "accessToken.value"), "stored");

    // setTokens then getTokens round-trips; a partial object to generateVisitorTokens renews.
    let (other, _) = strategy(r#","storage":"memory""#);
    other.set_tokens(t.clone()).expect("set");
    assert_eq!(stringify(&other.get_tokens().expect("t")), stringify(&t));
    let partial = parse(&[r#"{"refreshToken":{"value":""#, &s(&refresh, "value"), r#"","role":"visitor"}}"#].concat());
    let from_partial = ok(other.generate_visitor_tokens(partial)).await;
    assert!(!s(&from_partial, "accessToken.value").is_empty());
    assert_eq!(s(&from_partial, "refreshToken.value"), s(&refresh, "value"), "renewed, not a new visitor");

    let bogus = parse(r#"{"value":"not-a-refresh-token","role":"visitor"}"#);
    let e = rejected(auth.renew_token(bogus)).await;
    assert_eq!(s(&e, "code"), "invalid_grant");
    assert_eq!(at(&e, "status").as_f64(), Some(400.0));
    assert!(!s(&e, "message").contains("not-a-refresh-token"), "no token in messages");
    let e = rejected(auth.renew_token(parse(r#"{"value":"","role":"visitor"}"#))).await;
    assert_eq!(s(&e, "code"), "no_refresh_token");
    let thrown = auth.set_tokens(JsValue::from_f64(3.0)).expect_err("not tokens");
    assert_auth_error(&thrown);
    assert_eq!(s(&thrown, "code"), "invalid_argument");
}

#[wasm_bindgen_test]
async fn bad_options_throw_auth_errors() {
    for bad in [r#"{}"#, r#"{"clientId":""}"#, r#"{"clientId":5}"#, r#"{"clientId":"x","storage":"disk"}"#, r#"{"clientId":"x","skewSeconds":-1}"#, "7",
        r#"{"clientId":"x","tokenRequestOptions":"h"}"#, r#"{"clientId":"x","tokenRequestOptions":{"headers":{"a":1}}}"#,
        r#"{"clientId":"x","tokenRequestOptions":{"headers":["a"]}}"#,
        r#"{"clientId":"x","fetchWithAuthOrigins":"https://api.example.com"}"#, r#"{"clientId":"x","fetchWithAuthOrigins":[1]}"#,
        r#"{"clientId":"x","publicKey":5}"#, r#"{"clientId":"x","requestTimeoutMs":"5"}"#] {
        let e = OAuthStrategy::new(parse(bad)).err().expect("rejected options");
        assert_auth_error(&e);
        assert_eq!(s(&e, "code"), "invalid_argument", "{bad}");
    }
}

#[wasm_bindgen_test]
async fn register_login_direct_login_and_members_api() {
    let (auth, _) = strategy("");
    let mail = email();
    let changes = std::rc::Rc::new(std::cell::Cell::new(0u32));
    let counter = changes.clone();
    let unsubscribe =
        auth.on_tokens_changed(Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| counter.set(counter.get() + 1)).into_js_value().unchecked_into());

    let reg = ok(auth.register(login_params(&mail, PASSWORD))).await;
    assert_eq!(s(&reg, "loginState"), "SUCCESS");
    let session_token = s(&reg, "data.sessionToken");
    assert!(!session_token.is_empty());
    let tokens = ok(auth.get_member_tokens_for_direct_login(JsValue::from_str(&session_token))).await;
    assert_eq!(s(&tokens, "refreshToken.role"), "member");
    assert_eq!(frame_count(), 0, "the direct-login frame is removed");
    assert!(auth.logged_in(), "direct-login tokens are stored, unlike @wix/sdk");
    let header = s(&ok(auth.get_auth_headers()).await, "headers.Authorization");
    assert_eq!(header, s(&tokens, "accessToken.value"));
    let status = get_status(&[emulator(), "/members/v1/members/my"].concat(), Some(header)).await;
    assert_eq!(status.as_f64(), Some(200.0), "the member token works against the members API");
    assert!(changes.get() >= 2, "visitor minted, then member: {}", changes.get());

    let seen = changes.get();
    call0(&unsubscribe);
    call0(&unsubscribe);
    let login = ok(auth.login(login_params(&mail, PASSWORD))).await;
    assert_eq!(s(&login, "loginState"), "SUCCESS");
    ok(auth.get_member_tokens_for_direct_login(JsValue::from_str(&s(&login, "data.sessionToken")))).await;
    assert_eq!(changes.get(), seen, "no calls after unsubscribe");

    let wrong = ok(auth.login(login_params(&mail, "wrong password"))).await;
    assert_eq!(s(&wrong, "loginState"), "FAILURE");
    assert_eq!(s(&wrong, "errorCode"), "invalidPassword");
    let unknown = ok(auth.login(login_params(&email(), PASSWORD))).await;
    assert_eq!(s(&unknown, "errorCode"), "invalidEmail");
    let dup = ok(auth.register(login_params(&mail, PASSWORD))).await;
    assert_eq!(s(&dup, "errorCode"), "emailAlreadyExists");
    let e = rejected(auth.login(JsValue::from_str("positional"))).await;
    assert_eq!(s(&e, "code"), "invalid_argument");
    let e = rejected(auth.get_member_tokens_for_direct_login(JsValue::from_str("forged-session-token"))).await;
    assert_ne!(s(&e, "code"), "timeout", "a refused session token fails fast");
    assert_eq!(frame_count(), 0);
}

#[wasm_bindgen_test]
async fn email_verification_registration_with_the_outbox_code() {
    let (auth, _) = strategy_at(verify_emulator(), "");
    // Nothing pending: FAILURE as in @wix/sdk, the typed cause beside it.
    let none = ok(auth.process_verification(parse(r#"{"verificationCode":"123456"}"#), JsValue::UNDEFINED)).await;
    assert_eq!(s(&none, "loginState"), "FAILURE");
    assert_eq!(s(&none, "authError.code"), "no_pending_verification");

    let mail = email();
    let reg = ok(auth.register(login_params(&mail, PASSWORD))).await;
    assert_eq!(s(&reg, "loginState"), "EMAIL_VERIFICATION_REQUIRED");
    assert!(!s(&reg, "data.stateToken").is_empty());
    let outbox = get_json(&[verify_emulator(), "/_emulator/outbox?email=", &mail].concat()).await;
    let outbox: js_sys::Array = outbox.unchecked_into();
    let code = s(&outbox.get(outbox.length() - 1), "code");
    assert_eq!(code.len(), 6);
    let done = ok(auth.process_verification(parse(&[r#"{"verificationCode":""#, &code, r#""}"#].concat()), JsValue::UNDEFINED)).await;
    assert_eq!(s(&done, "loginState"), "SUCCESS");
    let tokens = ok(auth.get_member_tokens_for_direct_login(JsValue::from_str(&s(&done, "data.sessionToken")))).await;
    assert_eq!(s(&tokens, "refreshToken.role"), "member");
    assert!(auth.logged_in());
}

#[wasm_bindgen_test]
async fn rotated_refresh_tokens_are_stored_and_the_old_one_dies() {
    let (auth, key) = strategy_at(rotate_emulator(), "");
    let first = ok(auth.generate_visitor_tokens(JsValue::UNDEFINED)).await;
    let old = at(&first, "refreshToken");
    let rotated = ok(auth.renew_token(old.clone())).await;
    let new_value = s(&rotated, "refreshToken.value");
    assert!(!new_value.is_empty() && new_value != s(&old, "value"), "the server rotated it");
    assert_eq!(s(&auth.get_tokens().expect("t"), "refreshToken.value"), new_value, "the rotated one is kept");
    assert!(ls_get(&[key.as_str(), ":tokens"].concat()).is_some_and(|t| t.contains(&new_value)), "and persisted");
    let again = ok(auth.renew_token(at(&rotated, "refreshToken"))).await;
    assert!(!s(&again, "accessToken.value").is_empty(), "the rotated token works");

    let (other, _) = strategy_at(rotate_emulator(), r#","storage":"memory""#);
    let e = rejected(other.renew_token(old)).await;
    assert_eq!(s(&e, "code"), "invalid_grant", "the old one is dead");
}

#[wasm_bindgen_test]
async fn wix_managed_login_round_trip() {
    let (auth, _) = strategy("");
    let mail = email();
    let reg = ok(auth.register(login_params(&mail, PASSWORD))).await;
    let data = auth.generate_oauth_data(JsValue::from_str(&redirect_uri()), JsValue::from_str("/account")).expect("data");
    assert_eq!(s(&data, "redirectUri"), redirect_uri());
    assert_eq!(s(&data, "originalUri"), "/account");
    assert_eq!(s(&data, "codeVerifier").len(), 43);
    assert_eq!(s(&data, "codeChallenge").len(), 43);
    assert!(s(&data, "state").len() >= 43);

    let opts = parse(&[r#"{"prompt":"none","sessionToken":""#, &s(&reg, "data.sessionToken"), r#""}"#].concat());
    let url = ok(auth.get_auth_url(data.clone(), opts)).await;
    let auth_url = s(&url, "authUrl");
    assert!(auth_url.starts_with(emulator_site()), "{auth_url}");
    assert!(!s(&url, "authorizationEndpoint").is_empty());
    let landed = land_in_frame(&auth_url).await.expect("the hosted page sends the browser back").as_string().expect("url");
    let params = auth.parse_from_url(JsValue::from_str(&landed), JsValue::UNDEFINED).expect("parsed");
    assert_eq!(s(&params, "state"), s(&data, "state"));
    let code = s(&params, "code");
    assert!(!code.is_empty());

    let e = rejected(auth.get_member_tokens(JsValue::from_str(&code), JsValue::from_str("other-state"), data.clone())).await;
    assert_eq!(s(&e, "code"), "state_mismatch");
    // oauthData omitted: the stored copy (kept by generateOAuthData) is used.
    let tokens = ok(auth.get_member_tokens(JsValue::from_str(&code), at(&params, "state"), JsValue::UNDEFINED)).await;
    assert_eq!(s(&tokens, "refreshToken.role"), "member");
    assert!(auth.logged_in());

    let default_url = ok(auth.get_auth_url(auth.generate_oauth_data(JsValue::from_str(&redirect_uri()), JsValue::UNDEFINED).expect("d"), JsValue::UNDEFINED)).await;
    assert!(s(&default_url, "authUrl").starts_with(emulator_site()));
    let e = auth.parse_from_url(JsValue::from_str("not a url"), JsValue::UNDEFINED).expect_err("bad url");
    assert_auth_error(&e);
    assert_eq!(s(&e, "code"), "invalid_url");
    // An error callback is returned, not thrown, as @wix/sdk does; absent values are null.
    let back = auth
        .parse_from_url(JsValue::from_str("http://a.test/cb?error=access_denied&state=s"), JsValue::from_str("query"))
        .expect("an error callback is a result");
    assert_eq!((s(&back, "error"), s(&back, "state")), ("access_denied".to_string(), "s".to_string()));
    assert!(at(&back, "code").is_null() && at(&back, "errorDescription").is_null());
    let here = auth.parse_from_url(JsValue::UNDEFINED, JsValue::UNDEFINED).expect("defaults to location.href");
    assert!(at(&here, "code").is_null());
}

#[wasm_bindgen_test]
async fn logout_external_login_reset_email_and_events() {
    let (auth, _) = strategy("");
    let mail = email();
    let reg = ok(auth.register(login_params(&mail, PASSWORD))).await;
    ok(auth.get_member_tokens_for_direct_login(JsValue::from_str(&s(&reg, "data.sessionToken")))).await;
    let ended = std::rc::Rc::new(std::cell::RefCell::new(Vec::<String>::new()));
    let sink = ended.clone();
    let _keep = auth.on_session_ended(
        Closure::<dyn FnMut(JsValue)>::new(move |r: JsValue| sink.borrow_mut().push(r.as_string().unwrap_or_default()))
            .into_js_value()
            .unchecked_into(),
    );
    let out = ok(auth.logout(JsValue::from_str(&redirect_uri()))).await;
    assert!(s(&out, "logoutUrl").starts_with(emulator_site()));
    assert!(!auth.logged_in());
    assert_eq!(s(&auth.get_tokens().expect("t"), "accessToken.value"), "");
    assert_eq!(*ended.borrow(), vec!["signed_out".to_owned()]);

    ok(auth.send_password_reset_email(JsValue::from_str(&mail), JsValue::from_str(&redirect_uri()))).await;
    let outbox = get_json(&[emulator(), "/_emulator/outbox?email=", &mail].concat()).await;
    let outbox: js_sys::Array = outbox.unchecked_into();
    assert!(outbox.iter().any(|m| s(&m, "kind") == "password_reset"), "{}", stringify(&outbox));

    // External login needs the member id: read it with the member's own token.
    let login = ok(auth.login(login_params(&mail, PASSWORD))).await;
    let t = ok(auth.get_member_tokens_for_direct_login(JsValue::from_str(&s(&login, "data.sessionToken")))).await;
    let me = get_json_auth(&[emulator(), "/members/v1/members/my"].concat(), &s(&t, "accessToken.value")).await;
    let member_id = s(&me, "member.id");
    assert!(!member_id.is_empty(), "{}", stringify(&me));
    let (server, _) = strategy(r#","storage":"memory""#);
    let ext = ok(server.get_member_tokens_for_external_login(JsValue::from_str(&member_id), JsValue::from_str(API_KEY))).await;
    assert_eq!(s(&ext, "refreshToken.role"), "member");
    let e = rejected(server.get_member_tokens_for_external_login(JsValue::from_str(&member_id), JsValue::from_str("wrong-key"))).await;
    assert!(!s(&e, "message").contains("wrong-key"), "no API key in messages");
}

#[wasm_bindgen(inline_js = r#"
export async function get_json_auth(url, auth) { const r = await fetch(url, { headers: { authorization: auth } }); return r.json(); }
"#)]
extern "C" {
    async fn get_json_auth(url: &str, auth: &str) -> JsValue;
}

#[wasm_bindgen_test]
async fn sessions_sync_with_wix_pages() {
    let (auth, _) = strategy("");
    let sessions = auth.sessions();
    ok(sessions.sync_to_wix_pages(parse(r#"{"force":true}"#))).await;
    assert!(sessions.is_session_synced());
    assert_eq!(frame_count(), 0, "the pre-warm frame is removed");
    ok(sessions.sync_with_wix_pages()).await;
    assert!(ls_get("wixRedirectSessionLastPreWarm").is_some());
}

#[wasm_bindgen_test]
async fn direct_login_from_a_refused_origin_fails_fast() {
    let (auth, _) = strategy_at(strict_emulator(), r#","directLoginTimeoutMs":20000"#);
    let reg = ok(auth.register(login_params(&email(), PASSWORD))).await;
    let started = js_sys::Date::now();
    let e = rejected(auth.get_member_tokens_for_direct_login(JsValue::from_str(&s(&reg, "data.sessionToken")))).await;
    assert_eq!(s(&e, "code"), "redirect_uri_not_allowed");
    assert!(js_sys::Date::now() - started < 5_000.0, "not a timeout");
    assert_eq!(frame_count(), 0);
    assert!(!auth.logged_in());
}

#[wasm_bindgen_test]
async fn a_closed_port_rejects_with_network_error_everywhere() {
    let (auth, _) = strategy_at("http://127.0.0.1:9", r#","storage":"memory""#);
    let e = rejected(auth.get_auth_headers()).await;
    assert_eq!(s(&e, "code"), "network_error");
    assert_eq!(at(&e, "status").as_f64(), Some(0.0));
    let e = rejected(auth.login(login_params("a@b.c", "pw"))).await;
    assert_eq!(s(&e, "code"), "network_error", "never a raw TypeError");
    let e = rejected(auth.register(login_params("a@b.c", "pw"))).await;
    assert_eq!(s(&e, "code"), "network_error");
    let e = rejected(auth.get_member_tokens_for_direct_login(JsValue::from_str("st"))).await;
    assert_eq!(s(&e, "code"), "network_error");
    assert_eq!(frame_count(), 0);
    let e = rejected(auth.logout(JsValue::from_str("http://a.test/"))).await;
    assert_eq!(s(&e, "code"), "network_error");
    let e = rejected(auth.send_password_reset_email(JsValue::from_str("a@b.c"), JsValue::from_str("http://a.test/"))).await;
    assert_eq!(s(&e, "code"), "network_error");
    let e = rejected(auth.renew_token(parse(r#"{"value":"r","role":"visitor"}"#))).await;
    assert_eq!(s(&e, "code"), "network_error");
    let e = rejected(auth.get_member_tokens_for_external_login(JsValue::from_str("m"), JsValue::from_str("k"))).await;
    assert_eq!(s(&e, "code"), "network_error");
    let data = auth.generate_oauth_data(JsValue::from_str("http://a.test/cb"), JsValue::UNDEFINED).expect("local");
    let e = rejected(auth.get_auth_url(data.clone(), JsValue::UNDEFINED)).await;
    assert_eq!(s(&e, "code"), "network_error");
    let e = rejected(auth.get_member_tokens(JsValue::from_str("c"), at(&data, "state"), data)).await;
    assert_eq!(s(&e, "code"), "network_error");
    let e = rejected(auth.sessions().sync_to_wix_pages(parse(r#"{"force":true}"#))).await;
    assert_eq!(s(&e, "code"), "network_error");
    assert!(!auth.sessions().is_session_synced());
    let e = rejected(auth.send_password_reset_email(JsValue::from_f64(1.0), JsValue::from_str("x"))).await;
    assert_eq!(s(&e, "code"), "invalid_argument");
}

#[wasm_bindgen_test]
async fn arguments_are_checked_and_profiles_carried() {
    let (auth, _) = strategy("");
    let params = parse(
        &[
            r#"{"email":""#,
            &email(),
            r#"","password":""#,
            PASSWORD,
            r#"","captchaTokens":{"recaptchaToken":"ok"},"profile":{"firstName":"Ada","lastName":"L","emails":["a@b.c"],"privacyStatus":"PUBLIC","customFields":[{"name":"x","value":{"n":1.5,"k":[true,null,"s",-3]}}]}}"#,
        ]
        .concat(),
    );
    let reg = ok(auth.register(params)).await;
    assert_eq!(s(&reg, "loginState"), "SUCCESS");
    for (bad, what) in [
        (r#"{"email":"a@b.c","password":"p","profile":{"firstName":7}}"#, "a number for a name"),
        (r#"{"email":"a@b.c","password":"p","profile":{"emails":"a@b.c"}}"#, "a string for a list"),
        (r#"{"email":"a@b.c","password":"p","captchaTokens":{"recaptchaToken":1}}"#, "a number for a captcha token"),
        (r#"{"email":"a@b.c","password":"p","captchaTokens":"t"}"#, "a string for the captcha tokens"),
        (r#"{"email":"a@b.c"}"#, "no password"),
    ] {
        let e = rejected(auth.register(parse(bad))).await;
        assert_eq!(s(&e, "code"), "invalid_argument", "{what}");
    }
    let data = auth.generate_oauth_data(JsValue::from_str(&redirect_uri()), JsValue::UNDEFINED).expect("data");
    for (opts, what) in [
        (r#"{"idp":7}"#, "a number for idp"),
        (r#"{"idp":{"connectionId":7}}"#, "a number for its connection id"),
        (r#"{"idp":{}}"#, "no connection id"),
    ] {
        let e = rejected(auth.get_auth_url(data.clone(), parse(opts))).await;
        assert_eq!(s(&e, "code"), "invalid_argument", "{what}");
    }
    for (input, state, what) in [
        (r#"{"verificationCode":123456}"#, "null", "a number for the code"),
        (r#""123456""#, "null", "a bare string"),
        ("{}", "null", "no code"),
        (r#"{"code":"1"}"#, r#""EMAIL_VERIFICATION_REQUIRED""#, "a string for the state"),
        (r#"{"code":"1"}"#, r#"{"loginState":"EMAIL_VERIFICATION_REQUIRED","data":"t"}"#, "a string for its data"),
        (r#"{"code":"1"}"#, r#"{"loginState":"EMAIL_VERIFICATION_REQUIRED","data":{"stateToken":5}}"#, "a number for its token"),
    ] {
        let e = rejected(auth.process_verification(parse(input), parse(state))).await;
        assert_eq!(s(&e, "code"), "invalid_argument", "{what}");
    }
    for (bad, what) in [
        (r#"{"state":"s","codeChallenge":"c"}"#, "no code verifier"),
        (r#"{"state":"s","codeVerifier":"v","codeChallenge":7}"#, "a number for the challenge"),
        (r#"{"state":"s","codeVerifier":"v","codeChallenge":"c","redirectUri":{}}"#, "an object for the redirect URI"),
        (r#""data""#, "a string for the data"),
    ] {
        let e = rejected(auth.get_auth_url(parse(bad), JsValue::UNDEFINED)).await;
        assert_eq!(s(&e, "code"), "invalid_argument", "{what}");
        let e = rejected(auth.get_member_tokens(JsValue::from_str("c"), JsValue::from_str("s"), parse(bad))).await;
        assert_eq!(s(&e, "code"), "invalid_argument", "{what}");
    }
    let e = rejected(auth.get_auth_url(data.clone(), parse(r#""login""#))).await;
    assert_eq!(s(&e, "code"), "invalid_argument", "options that are not an object");
    for (opts, what) in [
        (r#""x""#, "a string for the options"),
        (r#"{"verifyEmail":"yes"}"#, "a string for a flag"),
        (r#"{"profile":{"firstName":7}}"#, "a number for a name"),
    ] {
        let e = rejected(auth.get_member_tokens_for_external_login_with_session(
            JsValue::from_str("a@b.c"),
            JsValue::from_str("key"),
            parse(opts),
        ))
        .await;
        assert_eq!(s(&e, "code"), "invalid_argument", "{what}");
    }
    for (tokens, what) in [
        (r#"{"accessToken":"t"}"#, "a string for the access token"),
        (r#"{"accessToken":{"value":"t","expiresAt":"soon"}}"#, "a string for its expiry"),
        (r#"{"accessToken":{"value":1}}"#, "a number for its value"),
    ] {
        let e = auth.set_tokens(parse(tokens)).expect_err(what);
        assert_eq!(s(&e, "code"), "invalid_argument", "{what}");
    }
    let e = rejected(auth.get_auth_url(data.clone(), parse(r#"{"responseMode":"popup"}"#))).await;
    assert_eq!(s(&e, "code"), "invalid_argument");
    let e = rejected(auth.get_auth_url(data, parse(r#"{"prompt":"consent"}"#))).await;
    assert_eq!(s(&e, "code"), "invalid_argument");
    let e = rejected(auth.get_auth_url(JsValue::from_str("nope"), JsValue::UNDEFINED)).await;
    assert_eq!(s(&e, "code"), "invalid_argument");
    let e = auth.parse_from_url(JsValue::from_str("http://a.test/#code=c&state=s"), JsValue::from_str("web")).expect_err("bad mode");
    assert_eq!(s(&e, "code"), "invalid_argument");
    let role = parse(r#"{"value":"r","role":"admin"}"#);
    let e = rejected(auth.renew_token(role)).await;
    assert_eq!(s(&e, "code"), "invalid_argument");
}

#[wasm_bindgen(inline_js = r#"
export function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }
export function aborted_init() { const c = new AbortController(); c.abort(); return { signal: c.signal }; }
export function new_request(url) { return new Request(url); }
export function with_storage(options, storage) { return { ...options, storage }; }
export function shared_storage() {
  let tokens;
  return { getTokens: () => tokens, setTokens: (t) => { tokens = t; } };
}
"#)]
extern "C" {
    async fn sleep(ms: u32);
    fn aborted_init() -> JsValue;
    fn new_request(url: &str) -> JsValue;
    fn with_storage(options: &JsValue, storage: &JsValue) -> JsValue;
    fn shared_storage() -> JsValue;
}

/// A listener that records what it is called with: a string, or a `Tokens`' refresh role.
fn recorder() -> (std::rc::Rc<std::cell::RefCell<Vec<String>>>, js_sys::Function) {
    let log = std::rc::Rc::new(std::cell::RefCell::new(Vec::<String>::new()));
    let sink = log.clone();
    let f = Closure::<dyn FnMut(JsValue)>::new(move |v: JsValue| {
        sink.borrow_mut().push(v.as_string().unwrap_or_else(|| s(&v, "refreshToken.role")));
    });
    (log, f.into_js_value().unchecked_into())
}

/// Two strategies on the same stored tokens, as two tabs are: the one that does nothing hears the
/// other's sign-in and sign-out by itself, through the BroadcastChannel (a page's own storage
/// changes fire no `storage` event in it, so this is the channel alone), for localStorage and
/// for a custom storage object the two share.
#[wasm_bindgen_test]
async fn a_strategy_hears_another_sign_in_and_sign_out_without_calling() {
    for custom in [false, true] {
        let key = ["t:", &unique()].concat();
        let mut options = parse(&[r#"{"clientId":""#, CLIENT_ID, r#"","baseUrl":""#, emulator(), r#"","storageKey":""#, &key, r#""}"#].concat());
        if custom {
            options = with_storage(&options, &shared_storage());
        }
        let a = OAuthStrategy::new(options.clone()).expect("a");
        let b = OAuthStrategy::new(options).expect("b");
        let (changes, on_change) = recorder();
        let (ends, on_end) = recorder();
        let _c = b.on_tokens_changed(on_change);
        let _e = b.on_session_ended(on_end);

        let reg = ok(a.register(login_params(&email(), PASSWORD))).await;
        ok(a.get_member_tokens_for_direct_login(JsValue::from_str(&s(&reg, "data.sessionToken")))).await;
        sleep(200).await;
        assert!(changes.borrow().iter().any(|r| r == "member"), "custom={custom}: B heard the sign-in: {:?}", changes.borrow());
        assert!(!b.usable_auth().is_undefined(), "B can serve the member's token at once");

        ok(a.logout(JsValue::from_str(&redirect_uri()))).await;
        sleep(200).await;
        assert_eq!(*ends.borrow(), vec!["signed_out_in_another_tab".to_owned()], "custom={custom}");
        assert!(!b.logged_in());
    }
}

#[wasm_bindgen_test]
async fn fetch_with_auth_adds_the_header_and_types_its_failures() {
    let (auth, _) = strategy("");
    let reg = ok(auth.register(login_params(&email(), PASSWORD))).await;
    ok(auth.get_member_tokens_for_direct_login(JsValue::from_str(&s(&reg, "data.sessionToken")))).await;
    let url = [emulator(), "/members/v1/members/my"].concat();
    let res = ok(auth.fetch_with_auth(JsValue::from_str(&url), JsValue::UNDEFINED)).await;
    assert_eq!(at(&res, "status").as_f64(), Some(200.0), "the member's header was sent");
    // A Request object works too (cloned, so that a retry could resend it).
    let res = ok(auth.fetch_with_auth(new_request(&url), JsValue::UNDEFINED)).await;
    assert_eq!(at(&res, "status").as_f64(), Some(200.0));

    let e = rejected(auth.fetch_with_auth(JsValue::from_str(&url), aborted_init())).await;
    assert_eq!(s(&e, "code"), "aborted");
    let e = rejected(auth.fetch_with_auth(JsValue::from_str(&url), JsValue::from_f64(3.0))).await;
    assert_eq!(s(&e, "code"), "invalid_argument");
    let e = rejected(auth.fetch_with_auth(JsValue::from_str("http://127.0.0.1:9/x"), JsValue::UNDEFINED)).await;
    assert_eq!(s(&e, "code"), "network_error");
    assert!(auth.logged_in(), "nothing here signs the member out");
}

// ------------------------------------------------------------- issue 15: hostile hosts and pages

#[wasm_bindgen(inline_js = r#"
// Wraps the page's fetch to record the Authorization header each request to `prefix` carried.
export function record_authorization(prefix) {
  const real = globalThis.fetch;
  const seen = [];
  globalThis.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : input.url;
    if (url.startsWith(prefix)) {
      const h = new Headers((init && init.headers) || (input instanceof Request ? input.headers : undefined));
      seen.push(h.get('authorization'));
    }
    return real.apply(this, arguments);
  };
  return { seen, restore() { globalThis.fetch = real; } };
}
export async function post_json(url, body) {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return r.status;
}
"#)]
extern "C" {
    fn record_authorization(prefix: &str) -> JsValue;
    async fn post_json(url: &str, body: &str) -> JsValue;
}

/// What the recorder of `record_authorization` saw, `null` as `"-"`.
fn seen_authorization(recorder: &JsValue) -> Vec<String> {
    let seen: js_sys::Array = at(recorder, "seen").unchecked_into();
    seen.iter().map(|v| v.as_string().unwrap_or_else(|| "-".into())).collect()
}

#[wasm_bindgen_test]
async fn issue15_item2_fetch_with_auth_sends_the_token_only_to_the_api_and_listed_origins() {
    // Another emulator is another origin (another port): a host the app did not list.
    let foreign = verify_emulator();
    let foreign_url = [foreign, "/members/v1/members/my"].concat();
    let (auth, _) = strategy("");
    let token = s(&ok(auth.get_auth_headers()).await, "headers.Authorization");
    let recorder = record_authorization(foreign);
    let res = ok(auth.fetch_with_auth(JsValue::from_str(&foreign_url), JsValue::UNDEFINED)).await;
    assert_eq!(at(&res, "status").as_f64(), Some(401.0), "the foreign host got no token");
    assert_eq!(seen_authorization(&recorder), vec!["-".to_owned()], "sent once, without Authorization");
    assert_eq!(auth.get_active_token(), token, "its 401 did not spend the Wix token");
    // A Request object to a foreign host: no token either.
    ok(auth.fetch_with_auth(new_request(&foreign_url), JsValue::UNDEFINED)).await;
    assert_eq!(seen_authorization(&recorder).len(), 2);
    assert!(seen_authorization(&recorder).iter().all(|a| a == "-"));
    let _ = call0(&at(&recorder, "restore"));

    // The API origin gets it.
    let recorder = record_authorization(emulator());
    let api = [emulator(), "/members/v1/members/my"].concat();
    ok(auth.fetch_with_auth(JsValue::from_str(&api), JsValue::UNDEFINED)).await;
    let _ = call0(&at(&recorder, "restore"));
    assert_eq!(seen_authorization(&recorder).first(), Some(&token));

    // A listed origin gets it, and its 401 counts: the token is refreshed and the call resent.
    let (listed, _) = strategy(&[r#","fetchWithAuthOrigins":[""#, foreign, r#"/"]"#].concat());
    let token = s(&ok(listed.get_auth_headers()).await, "headers.Authorization");
    let recorder = record_authorization(foreign);
    let res = ok(listed.fetch_with_auth(JsValue::from_str(&foreign_url), JsValue::UNDEFINED)).await;
    let _ = call0(&at(&recorder, "restore"));
    assert_eq!(at(&res, "status").as_f64(), Some(401.0));
    let sent = seen_authorization(&recorder);
    assert_eq!(sent.len(), 2, "sent, refused, refreshed, resent: {sent:?}");
    assert_eq!(sent[0], token);
    assert_ne!(listed.get_active_token(), token, "a listed origin's 401 spends the token");

    for bad in [r#"["*"]"#, r#"["http://shop.example"]"#, r#"["https://shop.example/api"]"#, r#""https://x.example""#] {
        let options = parse(&[r#"{"clientId":"c","fetchWithAuthOrigins":"#, bad, "}"].concat());
        let e = OAuthStrategy::new(options).err().expect("refused");
        assert_eq!(s(&e, "code"), "invalid_argument", "{bad}");
    }
}

#[wasm_bindgen_test]
async fn issue15_item3_logout_clears_every_tab_before_its_request_completes() {
    // The API host accepts connections and never answers.
    let hole = option_env!("BLACKHOLE_URL").expect("BLACKHOLE_URL").trim_end_matches('/');
    let key = ["t:", &unique()].concat();
    let far = js_sys::Date::now() / 1000.0 + 3600.0;
    let options = [
        r#"{"clientId":""#, CLIENT_ID, r#"","baseUrl":""#, hole, r#"","storageKey":""#, &key, r#"","requestTimeoutMs":60000,"#,
        r#""tokens":{"accessToken":{"value":"member-access","expiresAt":"#, &far.to_string(), r#"},"refreshToken":{"value":"member-refresh","role":"member"}}}"#,
    ]
    .concat();
    let auth = OAuthStrategy::new(parse(&options)).expect("a");
    let other_tab = OAuthStrategy::new(parse(&[r#"{"clientId":""#, CLIENT_ID, r#"","baseUrl":""#, hole, r#"","storageKey":""#, &key, r#""}"#].concat())).expect("b");
    assert!(auth.logged_in() && other_tab.logged_in());
    let pending = auth.generate_oauth_data(JsValue::from_str(&redirect_uri()), JsValue::UNDEFINED).expect("data");
    let pending_key = [key.as_str(), ":oauth:", &s(&pending, "state")].concat();
    assert!(ls_get(&pending_key).is_some());
    let (ends, on_end) = recorder();
    let _e = other_tab.on_session_ended(on_end);

    let _never = auth.logout(JsValue::from_str(&redirect_uri()));
    sleep(200).await;
    assert_eq!(ls_get(&[key.as_str(), ":tokens"].concat()), None, "the tokens are gone from storage");
    assert_eq!(ls_get(&pending_key), None, "and the pending login");
    assert!(!auth.logged_in());
    assert!(!other_tab.logged_in(), "every tab");
    assert_eq!(*ends.borrow(), vec!["signed_out_in_another_tab".to_owned()], "told through the channel");
}

#[wasm_bindgen_test]
async fn issue15_item4_a_member_survives_a_timed_out_refresh_with_rotation_on() {
    let base = rotate_emulator();
    let (auth, _) = strategy_at(base, r#","requestTimeoutMs":1000"#);
    let reg = ok(auth.register(login_params(&email(), PASSWORD))).await;
    ok(auth.get_member_tokens_for_direct_login(JsValue::from_str(&s(&reg, "data.sessionToken")))).await;
    let stats = || async { get_json(&[base, "/_emulator/stats"].concat()).await };
    let before = stats().await;
    let refreshes = |v: &JsValue| at(v, "grants.refresh_token").as_f64().unwrap_or(0.0);
    let reuses = |v: &JsValue| at(v, "refreshTokenReuseDetections").as_f64().unwrap_or(0.0);

    // The access token is spent; the next refresh is held by the server past our timeout.
    let tokens = auth.get_tokens().expect("t");
    let _ = Reflect::set(&at(&tokens, "accessToken"), &"expiresAt".into(), &JsValue::from_f64(1.0));
    auth.set_tokens(tokens).expect("set");
    let armed = post_json(&[base, "/_emulator/faults"].concat(), r#"{"endpoint":"token","count":1,"delayMs":3000}"#).await;
    assert_eq!(armed.as_f64(), Some(200.0));
    let e = rejected(auth.get_auth_headers()).await;
    assert_eq!(s(&e, "code"), "timeout");
    assert!(auth.logged_in(), "a lost answer signs nobody out");
    sleep(3500).await;
    let after = stats().await;
    assert_eq!(refreshes(&after), refreshes(&before), "the refresh token was not sent again behind the timeout");

    // Later: the refresh goes through, and the member is still the member.
    let headers = ok(auth.get_auth_headers()).await;
    let me = get_json_auth(&[base, "/members/v1/members/my"].concat(), &s(&headers, "headers.Authorization")).await;
    assert!(!s(&me, "member.id").is_empty(), "{}", stringify(&me));
    assert!(auth.logged_in());
    let end = stats().await;
    assert_eq!(reuses(&end), reuses(&before), "no reuse was ever detected");
    assert_eq!(refreshes(&end), refreshes(&before) + 1.0);
}
