#![cfg(target_arch = "wasm32")]
// The emulator URLs come from scripts/test.d/40-browser.sh at compile time; without them a test
// fails with a message saying so (option_env!, not env!, so that the crate still builds alone).
#![allow(clippy::option_env_unwrap)]
//! The browser `Platform` on its own, in headless Chromium: storage backends and their failures,
//! JSON (the browser's, bounded), randomness (getrandom), fetch failures, and the hidden-iframe `postMessage` wait with its origin,
//! source and state checks. Run by scripts/test.d/40-browser.sh.

use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use wix_headless_auth::browser::{BrowserPlatform, StorageKind};
use wix_auth_protocol::error::ErrorCode;
use wix_auth_protocol::json_value::{JsonValue, ToJson};
use wix_auth_protocol::tokens::{AccessToken, RefreshToken, Role, Tokens};
use wix_auth_session::platform::{Method, Platform, Request};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export function blob_page(html) {
  return URL.createObjectURL(new Blob([html], { type: 'text/html' }));
}
export function frame_count() { return document.querySelectorAll('iframe').length; }
export function post_to_self(data) { window.postMessage(data, '*'); }
export function page_origin() { return location.origin; }
export function ls_get(k) { return localStorage.getItem(k); }
export function ls_set(k, v) { localStorage.setItem(k, v); }
export function ss_get(k) { return sessionStorage.getItem(k); }
export function break_storage(method) {
  window.__orig = window.__orig || {};
  window.__orig[method] = Storage.prototype[method];
  Storage.prototype[method] = function () { throw new DOMException('broken', method === 'setItem' ? 'QuotaExceededError' : 'SecurityError'); };
}
export function restore_storage(method) { Storage.prototype[method] = window.__orig[method]; }
export function custom_storage(fail) {
  const o = { saved: [], current: { accessToken: { value: 'A', expiresAt: 5 }, refreshToken: { value: 'R', role: 'visitor' } } };
  o.getTokens = () => o.current;
  o.setTokens = (t) => { if (fail) throw new Error('nope'); o.saved.push(t); o.current = t; };
  return o;
}
export function custom_saved(o) { return JSON.stringify(o.saved); }
export function now() { return Date.now(); }
export function block_storage() {
  window.__lsOwn = Object.getOwnPropertyDescriptor(window, 'localStorage');
  Object.defineProperty(window, 'localStorage', { configurable: true, get() { throw new DOMException('denied', 'SecurityError'); } });
}
export function unblock_storage() {
  delete window.localStorage;
  if (window.__lsOwn) Object.defineProperty(window, 'localStorage', window.__lsOwn);
}
export function storage_blocked() { try { window.localStorage; return false; } catch (_) { return true; } }
"#)]
extern "C" {
    fn blob_page(html: &str) -> String;
    fn frame_count() -> u32;
    fn post_to_self(data: &JsValue);
    fn page_origin() -> String;
    fn ls_get(k: &str) -> Option<String>;
    fn ls_set(k: &str, v: &str);
    fn ss_get(k: &str) -> Option<String>;
    fn break_storage(method: &str);
    fn restore_storage(method: &str);
    fn custom_storage(fail: bool) -> JsValue;
    fn custom_saved(o: &JsValue) -> String;
    fn now() -> f64;
    fn block_storage();
    fn unblock_storage();
    fn storage_blocked() -> bool;
}

/// [`tokens`] as the engine writes them.
fn tokens_json() -> JsonValue {
    let t = tokens();
    JsonValue::object([("accessToken", Some(t.access_token.to_json())), ("refreshToken", Some(t.refresh_token.to_json()))])
}

fn tokens() -> Tokens {
    Tokens {
        access_token: AccessToken { value: "acc".into(), expires_at: 1_700_000_000 },
        refresh_token: RefreshToken { value: "ref".into(), role: Role::Member },
    }
}

fn message(pairs: &[(&str, &str)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    o.into()
}

/// A page that posts `data_js` to its parent after `delay_ms`, targeted at the parent's origin.
fn poster(data_js: &str, delay_ms: u32) -> String {
    let html = [
        "<script>setTimeout(function(){parent.postMessage(",
        data_js,
        ", '*')}, ",
        &delay_ms.to_string(),
        ")</script>",
    ]
    .concat();
    blob_page(&html)
}

#[wasm_bindgen_test]
fn json_round_trips_the_wire_shape_and_rejects_garbage() {
    let p = BrowserPlatform::new(StorageKind::Memory);
    let text = p.to_json(&tokens_json()).expect("serialises");
    assert_eq!(
        text,
        r#"{"accessToken":{"value":"acc","expiresAt":1700000000},"refreshToken":{"value":"ref","role":"member"}}"#
    );
    let parsed = p.parse_json(&text).expect("parses");
    let access = parsed.get("accessToken").expect("accessToken");
    assert_eq!((access.str_at("value"), access.u64_at("expiresAt")), (Some("acc"), Some(1_700_000_000)));
    assert_eq!(parsed.get("refreshToken").and_then(|r| r.str_at("role")), Some("member"));
    for bad in ["", "{", "[1,]", "\u{0}", "undefined"] {
        assert_eq!(p.parse_json(bad), None, "{bad}");
    }
    for other in ["null", "[]", "42", r#""s""#] {
        assert!(p.parse_json(other).is_some(), "{other}: JSON, read by shape by its reader");
    }
    let members = JsonValue::object([("a", None), ("n", Some(14400u64.into())), ("s", Some("\"\u{0}é".into()))]);
    assert_eq!(p.to_json(&members).as_deref(), Some(r#"{"n":14400,"s":"\"\u0000é"}"#));
    assert_eq!(p.parse_json(&p.to_json(&members).unwrap()), Some(JsonValue::object([("n", Some(14400u64.into())), ("s", Some("\"\u{0}é".into()))])));
    // Numbers as JS has them: a safe integer reads as a whole number, anything else does not.
    let n = p.parse_json(r#"{"n":14400,"neg":-1,"f":1.5,"big":1e300,"extra":[1,{"x":null}]}"#).expect("parses");
    assert_eq!((n.u64_at("n"), n.u64_at("neg"), n.u64_at("f"), n.u64_at("big")), (Some(14400), None, None, None));
    // Deeper than JsonValue reads (32) is refused whole, never followed.
    let deep = ["[".repeat(40), "]".repeat(40)].concat();
    assert_eq!(p.parse_json(&deep), None);
}

#[wasm_bindgen_test]
fn random_fills_large_buffers_from_the_csprng() {
    let p = BrowserPlatform::new(StorageKind::Memory);
    let (mut a, mut b) = (vec![0u8; 70_000], vec![0u8; 32]);
    p.random(&mut a).expect("random");
    p.random(&mut b).expect("random");
    assert!(a[65_536..].iter().any(|&x| x != 0), "the chunk past 64 KiB is filled too");
    assert_ne!(b, vec![0u8; 32]);
}

#[wasm_bindgen_test]
fn clock_is_unix_milliseconds() {
    let p = BrowserPlatform::new(StorageKind::Memory);
    let (t, js) = (p.now_ms(), now() as u64);
    assert!(t > 1_600_000_000_000 && t.abs_diff(js) < 1_000);
}

#[wasm_bindgen_test]
fn local_storage_is_the_default_and_holds_json_as_itself() {
    let p = BrowserPlatform::new(StorageKind::Local);
    assert_eq!(p.storage_in_use(), "local");
    p.store("t:local", Some("{\"a\":1}")).expect("store");
    assert_eq!(ls_get("t:local").as_deref(), Some("{\"a\":1}"), "stored as is, not re-encoded");
    assert_eq!(p.load("t:local").as_deref(), Some("{\"a\":1}"));
    let other = BrowserPlatform::new(StorageKind::Local);
    assert_eq!(other.load("t:local").as_deref(), Some("{\"a\":1}"), "a second instance sees it");
    p.store("t:local", None).expect("remove");
    assert_eq!(ls_get("t:local"), None);
    assert_eq!(p.load("t:local"), None);
}

/// Stored values are JSON, as gloo-storage's typed layer stores them: JSON text is stored as
/// itself, any other string (the cross-tab lease, text nested deeper than the JSON bound) as a
/// JSON string, and both read back as given; a stored value that is not JSON (or nests deeper
/// than the bound) cannot have been written by this store, so it is removed when read.
#[wasm_bindgen_test]
fn strings_are_stored_as_json_and_unreadable_values_are_removed() {
    let p = BrowserPlatform::new(StorageKind::Local);
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let deep_encoded = format!("\"{deep}\"");
    let object = r#"{"accessToken":{"value":"a","expiresAt":1},"list":[1,"two",null]}"#;
    for (value, stored) in [
        ("claim 17", r#""claim 17""#),
        ("-x 17", r#""-x 17""#),
        ("1700000000", "1700000000"),
        (r#""q""#, r#""\"q\"""#),
        (object, object),
        (&deep, &deep_encoded),
    ] {
        p.store("t:enc", Some(value)).expect("store");
        assert_eq!(ls_get("t:enc").as_deref(), Some(stored), "{value}");
        assert_eq!(p.load("t:enc").as_deref(), Some(value), "{value}");
    }
    for unreadable in ["{not json", "claim 17", &deep] {
        ls_set("t:enc", unreadable);
        assert_eq!(p.load("t:enc"), None, "{unreadable}");
        assert_eq!(ls_get("t:enc"), None, "the unreadable value is gone: {unreadable}");
    }
}

/// A storage whose `getItem` or `removeItem` throws (a browser extension, a hostile page script)
/// reads as empty and removes nothing; no exception crosses wasm.
#[wasm_bindgen_test]
fn a_storage_that_throws_on_read_or_remove_reads_as_empty() {
    let p = BrowserPlatform::new(StorageKind::Local);
    p.store("t:throws", Some("{}")).expect("store");
    break_storage("getItem");
    let loaded = p.load("t:throws");
    restore_storage("getItem");
    assert_eq!(loaded, None);
    break_storage("removeItem");
    let removed = p.store("t:throws", None);
    restore_storage("removeItem");
    assert!(removed.is_ok());
    assert_eq!(p.load("t:throws").as_deref(), Some("{}"), "the value the storage kept");
    p.store("t:throws", None).expect("remove");
    assert_eq!(ls_get("t:throws"), None);
}

#[wasm_bindgen_test]
fn session_and_memory_storage_stay_out_of_local_storage() {
    let s = BrowserPlatform::new(StorageKind::Session);
    assert_eq!(s.storage_in_use(), "session");
    s.store("t:sess", Some("{}")).expect("store");
    assert_eq!(ss_get("t:sess").as_deref(), Some("{}"));
    assert_eq!(ls_get("t:sess"), None);

    let m = BrowserPlatform::new(StorageKind::Memory);
    assert_eq!(m.storage_in_use(), "memory");
    m.store("t:mem", Some("v")).expect("store");
    assert_eq!(m.load("t:mem").as_deref(), Some("v"));
    assert_eq!(ls_get("t:mem"), None);
    assert_eq!(BrowserPlatform::new(StorageKind::Memory).load("t:mem"), None, "memory is per instance");
    m.store("t:mem", None).expect("remove");
    assert_eq!(m.load("t:mem"), None);
}

#[wasm_bindgen_test]
fn a_throwing_local_storage_falls_back_to_memory() {
    let p = BrowserPlatform::new(StorageKind::Local);
    ls_set("t:quota", "0");
    break_storage("setItem");
    let stored = p.store("t:quota", Some("1"));
    let loaded = p.load("t:quota");
    let web_copy = ls_get("t:quota");
    restore_storage("setItem");
    assert!(stored.is_ok(), "a full storage is not an error for the caller");
    assert_eq!(loaded.as_deref(), Some("1"), "the value lives on in memory");
    assert_eq!(web_copy, None, "the stale web copy is dropped");
    p.store("t:quota", Some("2")).expect("store");
    assert_eq!(ls_get("t:quota").as_deref(), Some("2"), "writes go back to storage once it works");
    assert_eq!(p.load("t:quota").as_deref(), Some("2"));
    p.store("t:quota", None).expect("remove");
}

#[wasm_bindgen_test]
fn custom_storage_gets_the_tokens_and_local_storage_the_rest() {
    let object = custom_storage(false);
    let p = BrowserPlatform::new(StorageKind::Custom { object: object.clone(), tokens_key: "t:tokens".into() });
    assert_eq!(p.storage_in_use(), "custom");
    let initial = p.load("t:tokens").expect("read through getTokens");
    let refresh = p.parse_json(&initial).and_then(|v| v.get("refreshToken")?.str_at("value").map(String::from));
    assert_eq!(refresh, Some("R".into()));
    let text = p.to_json(&tokens_json()).expect("json");
    p.store("t:tokens", Some(&text)).expect("setTokens");
    p.store("t:tokens", None).expect("setTokens(empty)");
    assert_eq!(
        custom_saved(&object),
        [
            "[",
            &text,
            r#",{"accessToken":{"value":"","expiresAt":0},"refreshToken":{"value":"","role":"none"}}]"#
        ]
        .concat(),
        "setTokens receives objects, and EMPTY_TOKENS on removal"
    );
    assert_eq!(ls_get("t:tokens"), None, "the tokens never reach localStorage");
    p.store("t:oauth", Some("{}")).expect("store");
    assert_eq!(ls_get("t:oauth").as_deref(), Some("{}"));
    p.store("t:oauth", None).expect("remove");

    let failing = BrowserPlatform::new(StorageKind::Custom { object: custom_storage(true), tokens_key: "t:tokens".into() });
    let err = failing.store("t:tokens", Some(&text)).expect_err("a throwing setTokens is reported");
    assert_eq!(err.code, ErrorCode::Storage);
    assert!(!err.message.contains("acc") && !err.message.contains("ref"));
    let broken = BrowserPlatform::new(StorageKind::Custom { object: JsValue::from_str("nope"), tokens_key: "k".into() });
    assert_eq!(broken.load("k"), None);
    assert_eq!(broken.store("k", Some("{}")).map_err(|e| e.code), Err(ErrorCode::Storage));
}

fn get(url: &str) -> Request {
    Request { method: Method::Get, url: url.into(), headers: vec![], body: None }
}

#[wasm_bindgen_test]
async fn a_closed_port_is_a_network_error_not_a_type_error() {
    let p = BrowserPlatform::new(StorageKind::Memory);
    let err = p.send(get("http://127.0.0.1:9/oauth2/token")).await.expect_err("nothing listens on port 9");
    assert_eq!(err.code, ErrorCode::Network);
    assert_eq!(err.code.as_str(), "network_error");
    assert_eq!(err.status, 0);
    let err = p.send(get("http://[bad")).await.expect_err("an unparsable URL");
    assert_eq!(err.code, ErrorCode::Network);
}

#[wasm_bindgen_test]
async fn a_silent_server_times_out() {
    let hole = option_env!("BLACKHOLE_URL").expect("run through scripts/test.d/40-browser.sh (BLACKHOLE_URL)");
    let p = BrowserPlatform::new(StorageKind::Memory).with_request_timeout(300);
    let started = now();
    let err = p.send(get(hole)).await.expect_err("the server never answers");
    let elapsed = now() - started;
    assert_eq!(err.code, ErrorCode::Timeout);
    assert!((250.0..5_000.0).contains(&elapsed), "aborted by our timer after ~300 ms, took {elapsed}");
}

#[wasm_bindgen_test]
async fn a_bad_header_value_is_an_argument_error() {
    let p = BrowserPlatform::new(StorageKind::Memory);
    let mut r = get("http://127.0.0.1:9/");
    r.headers.push(("authorization".into(), "tok\u{263a}en".into()));
    let err = p.send(r).await.expect_err("non-Latin-1 header");
    assert_eq!(err.code, ErrorCode::InvalidArgument);
    assert!(!err.message.contains("tok"));
}

#[wasm_bindgen_test]
async fn sleep_waits() {
    let p = BrowserPlatform::new(StorageKind::Memory);
    let started = now();
    p.sleep(120).await;
    assert!(now() - started >= 100.0);
}

#[wasm_bindgen_test]
async fn the_frame_answer_is_accepted_and_the_frame_removed() {
    let p = BrowserPlatform::new(StorageKind::Memory);
    let url = poster("{state:'st-1', code:'the-code'}", 0);
    let got = p.web_message(&url, &page_origin(), "st-1", 5_000).await.expect("answered");
    assert_eq!((got.code.as_str(), got.state.as_str()), ("the-code", "st-1"));
    assert_eq!(got.error, None);
    assert_eq!(frame_count(), 0);
}

#[wasm_bindgen_test]
async fn a_forged_message_from_the_page_itself_is_ignored() {
    let p = BrowserPlatform::new(StorageKind::Memory);
    // The real frame answers after 400 ms; meanwhile this window (same origin, right state,
    // wrong source) posts a forged code.
    let url = poster("{state:'st-2', code:'real'}", 400);
    let origin = page_origin();
    let wait = p.web_message(&url, &origin, "st-2", 5_000);
    let forge = async {
        p.sleep(50).await;
        post_to_self(&message(&[("state", "st-2"), ("code", "forged")]));
        post_to_self(&message(&[("state", "st-2"), ("error", "access_denied")]));
    };
    let (got, ()) = futures_join(wait, forge).await;
    assert_eq!(got.expect("the real answer").code, "real");
    assert_eq!(frame_count(), 0);
}

#[wasm_bindgen_test]
async fn a_foreign_origin_and_a_wrong_state_are_ignored_until_timeout() {
    let p = BrowserPlatform::new(StorageKind::Memory);
    // A data: frame has an opaque origin ("null"), not the expected one.
    let foreign = "data:text/html,<script>parent.postMessage({state:'st-3',code:'x'},'*')</script>";
    let started = now();
    let err = p.web_message(foreign, &page_origin(), "st-3", 600).await.expect_err("ignored");
    assert_eq!(err.code, ErrorCode::Timeout);
    assert!(now() - started >= 550.0);
    assert_eq!(frame_count(), 0, "removed after a timeout");

    let wrong_state = poster("{state:'other', code:'x'}", 0);
    let err = p.web_message(&wrong_state, &page_origin(), "st-3", 500).await.expect_err("ignored");
    assert_eq!(err.code, ErrorCode::Timeout);
    let not_object = poster("'st-3'", 0);
    let err = p.web_message(&not_object, &page_origin(), "st-3", 400).await.expect_err("ignored");
    assert_eq!(err.code, ErrorCode::Timeout);
    assert_eq!(frame_count(), 0);
}

#[wasm_bindgen_test]
async fn an_error_answer_fails_at_once() {
    let p = BrowserPlatform::new(StorageKind::Memory);
    let url = poster("{state:'st-4', error:'redirect_uri_not_allowed', rejectedOrigin: location.origin}", 0);
    let started = now();
    let err = p.web_message(&url, &page_origin(), "st-4", 10_000).await.expect_err("refused");
    assert!(now() - started < 3_000.0, "no wait for the timeout");
    assert_eq!(err.code, ErrorCode::OriginNotAllowed);
    assert_eq!(err.code.as_str(), "redirect_uri_not_allowed");
    assert_eq!(frame_count(), 0, "removed after an error");

    let url = poster("{state:'st-5', error:'access_denied', errorDescription:'no session'}", 0);
    let err = p.web_message(&url, &page_origin(), "st-5", 10_000).await.expect_err("denied");
    assert_eq!(err.code.as_str(), "access_denied");
    assert_eq!(err.message, "no session");
}

/// Polls two futures together on one thread (no executor crate needed).
async fn futures_join<A: std::future::Future, B: std::future::Future>(a: A, b: B) -> (A::Output, B::Output) {
    use std::pin::pin;
    use std::task::Poll;
    let (mut a, mut b) = (pin!(a), pin!(b));
    let (mut ra, mut rb) = (None, None);
    std::future::poll_fn(move |cx| {
        if ra.is_none() {
            if let Poll::Ready(v) = a.as_mut().poll(cx) {
                ra = Some(v);
            }
        }
        if rb.is_none() {
            if let Poll::Ready(v) = b.as_mut().poll(cx) {
                rb = Some(v);
            }
        }
        if ra.is_some() && rb.is_some() {
            Poll::Ready((ra.take().expect("a"), rb.take().expect("b")))
        } else {
            Poll::Pending
        }
    })
    .await
}

#[wasm_bindgen_test]
async fn web_locks_exclude_and_release() {
    use std::cell::Cell;
    use std::rc::Rc;
    let p = BrowserPlatform::new(StorageKind::Memory);
    let first = p.lock("t:lock").await;
    let second_got = Rc::new(Cell::new(false));
    let flag = second_got.clone();
    let waiter = async {
        let g = p.lock("t:lock").await;
        flag.set(true);
        g
    };
    let release_later = async {
        p.sleep(150).await;
        assert!(!second_got.get(), "the lock is exclusive while held");
        drop(first);
    };
    let (second, ()) = futures_join(waiter, release_later).await;
    assert!(second_got.get(), "granted once released");
    drop(second);

    // A waiter that gives up before it is granted does not keep the lock afterwards.
    let held = p.lock("t:lock2").await;
    assert!(give_up_after(p.lock("t:lock2"), p.sleep(100)).await.is_none(), "still held");
    drop(held);
    let started = now();
    let again = futures_join(p.lock("t:lock2"), p.sleep(0)).await.0;
    assert!(now() - started < 1_000.0, "not stuck behind the abandoned waiter");
    drop(again);
}

/// Polls `f` until `deadline` resolves; `None` (and `f` dropped) if it did not finish first.
async fn give_up_after<F: std::future::Future, D: std::future::Future>(f: F, deadline: D) -> Option<F::Output> {
    use std::pin::pin;
    use std::task::Poll;
    let (mut f, mut d) = (pin!(f), pin!(deadline));
    std::future::poll_fn(move |cx| {
        if let Poll::Ready(v) = f.as_mut().poll(cx) {
            return Poll::Ready(Some(v));
        }
        if d.as_mut().poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        Poll::Pending
    })
    .await
}

#[wasm_bindgen_test]
fn blocked_local_storage_means_memory_not_a_crash() {
    block_storage();
    let blocked = storage_blocked();
    let p = BrowserPlatform::new(StorageKind::Local);
    let kind = p.storage_in_use();
    let stored = p.store("t:blocked", Some("v"));
    let loaded = p.load("t:blocked");
    unblock_storage();
    assert!(blocked, "the test really blocked window.localStorage");
    assert_eq!(kind, "memory");
    assert!(stored.is_ok());
    assert_eq!(loaded.as_deref(), Some("v"));
    assert!(!storage_blocked());
    assert_eq!(ls_get("t:blocked"), None);
}

/// The wasm build hashes with sha2's compact rounds (Cargo.toml): RFC 7636 Appendix B's vector,
/// in the browser, so the S256 challenge is right in the build users get.
#[wasm_bindgen_test]
fn pkce_matches_rfc_7636_appendix_b_in_wasm() {
    use wix_auth_protocol::pkce;
    let octets = [
        116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240,
        91, 88, 5, 88, 83, 132, 141, 121,
    ];
    let verifier = pkce::code_verifier(&octets);
    assert_eq!(verifier, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    assert_eq!(pkce::code_challenge(&verifier), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}
