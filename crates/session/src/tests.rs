//! The engine's behaviour as a storefront would notice it, against the fake platform.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures::executor::block_on;
use futures::future::join_all;

use super::fake::{reply, Fake, BASE, T0_MS};
use super::platform::{Method, Request};
use super::*;
use wix_auth_protocol::login_state::{LoginErrorCode, LoginState};
use wix_auth_protocol::token::OAuthErrorCode;

const CLIENT: &str = "cid";
const TOKENS: &str = "wix-headless-auth:cid:tokens";
const NOW: u64 = T0_MS / 1000;

fn config() -> Config {
    let mut c = Config::new(CLIENT).unwrap();
    c.base_url = BASE.into();
    c
}

fn session() -> Session<Fake> {
    Session::new(Fake::new(), config(), None)
}

fn body_json(r: &Request) -> serde_json::Value {
    serde_json::from_str(r.body.as_deref().unwrap_or("null")).unwrap_or(serde_json::Value::Null)
}

fn grant(r: &Request) -> String {
    let b = body_json(r);
    b.get("grantType").or_else(|| b.get("grant_type")).and_then(|g| g.as_str()).unwrap_or("").to_string()
}

fn token_body(access: &str, refresh: Option<&str>, expires_in: u64) -> String {
    let mut v = serde_json::json!({"access_token": access, "token_type": "Bearer", "expires_in": expires_in});
    if let Some(r) = refresh {
        v["refresh_token"] = r.into();
    }
    v.to_string()
}

const REDIRECT: &str = r#"{"redirectSession":{"id":"rs1","fullUrl":"https://api.test/_api/oauth2/authorize?x=1","urlDetails":{"endpoint":"https://api.test/_api/oauth2/authorize","searchParams":{"x":"1"}},"sessionToken":"st-1"}}"#;

/// A well-behaved Wix: numbered visitors, refreshes without rotation, one member per code.
fn wix(fake: &Fake) {
    let n = Cell::new(0);
    fake.serve(move |r| {
        n.set(n.get() + 1);
        let path = r.url.trim_start_matches(BASE);
        Ok(match (path, grant(r).as_str()) {
            ("/oauth2/token", "anonymous") => {
                reply(200, &token_body(&["visitor-", &n.get().to_string()].concat(), Some("visitor-refresh"), 14400))
            }
            ("/oauth2/token", "refresh_token") => reply(200, &token_body(&["refreshed-", &n.get().to_string()].concat(), None, 14400)),
            ("/oauth2/token", "authorization_code") => reply(200, &token_body("member-access", Some("member-refresh"), 14400)),
            ("/oauth2/token", "authorized_client") => reply(200, &token_body("external-access", Some("external-refresh"), 14400)),
            ("/_api/redirects-api/v1/redirect-session", _) => reply(200, REDIRECT),
            _ => reply(404, ""),
        })
    });
}

fn tokens(access: &str, expires_at: u64, refresh: &str, role: Role) -> Tokens {
    Tokens {
        access_token: AccessToken { value: access.into(), expires_at },
        refresh_token: RefreshToken { value: refresh.into(), role },
    }
}

fn member(expires_at: u64) -> Tokens {
    tokens("member-access", expires_at, "member-refresh", Role::Member)
}

fn events(s: &Session<Fake>) -> Rc<RefCell<Vec<Event>>> {
    let log = Rc::new(RefCell::new(Vec::new()));
    let sink = log.clone();
    s.subscribe(Box::new(move |e| sink.borrow_mut().push(e.clone())));
    log
}

fn ended(log: &Rc<RefCell<Vec<Event>>>) -> Vec<SessionEndReason> {
    log.borrow()
        .iter()
        .filter_map(|e| match e {
            Event::SessionEnded(r) => Some(*r),
            _ => None,
        })
        .collect()
}

// ---------------------------------------------------------------- visitor tokens, single-flight

#[test]
fn the_first_call_mints_a_visitor_with_the_sdk_request_and_stores_it() {
    let s = session();
    wix(s.platform());
    let log = events(&s);
    assert_eq!(block_on(s.get_auth_headers()).unwrap(), "visitor-1");
    let reqs = s.platform().requests.borrow().clone();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].method, Method::Post);
    assert_eq!(reqs[0].url, "https://api.test/oauth2/token");
    assert_eq!(reqs[0].body.as_deref(), Some(r#"{"clientId":"cid","grantType":"anonymous"}"#));
    assert_eq!(reqs[0].headers, vec![("Content-Type".to_string(), "application/json".to_string())], "no Authorization");
    let stored: Tokens = serde_json::from_str(&s.platform().stored(TOKENS).unwrap()).unwrap();
    assert_eq!(stored, tokens("visitor-1", NOW + 14400, "visitor-refresh", Role::Visitor));
    assert_eq!(*log.borrow(), vec![Event::TokensChanged(stored)]);
    assert!(!s.logged_in());
    // Still good: no second request.
    assert_eq!(block_on(s.get_auth_headers()).unwrap(), "visitor-1");
    assert_eq!(s.platform().requests.borrow().len(), 1);
}

#[test]
fn twenty_concurrent_first_calls_send_one_request_and_share_one_visitor() {
    let s = session();
    wix(s.platform());
    let results = block_on(join_all((0..20).map(|_| s.get_auth_headers())));
    assert_eq!(s.platform().requests.borrow().len(), 1);
    assert!(results.iter().all(|r| r.as_deref() == Ok("visitor-1")), "{results:?}");
    let visitors = block_on(join_all((0..5).map(|_| s.generate_visitor_tokens(None))));
    assert!(visitors.iter().all(|t| t.as_ref().unwrap().access_token.value == "visitor-1"));
}

#[test]
fn concurrent_refreshes_send_one_request() {
    let s = Session::new(Fake::new(), config(), Some(member(NOW)));
    wix(s.platform());
    let mut calls: Vec<_> = (0..10).map(|_| Box::pin(s.get_auth_headers())).collect::<Vec<_>>();
    let renew = s.renew_token(RefreshToken { value: "member-refresh".into(), role: Role::Member });
    let (heads, renewed) = block_on(async { futures::join!(join_all(calls.iter_mut()), renew) });
    assert_eq!(s.platform().paths(), vec!["/oauth2/token"]);
    assert_eq!(s.platform().bodies()[0], r#"{"clientId":"cid","refreshToken":"member-refresh","grantType":"refresh_token"}"#);
    assert!(heads.iter().all(|h| h.as_deref() == Ok("refreshed-1")));
    assert_eq!(renewed.unwrap().access_token.value, "refreshed-1");
    assert!(s.logged_in(), "a refresh keeps the member");
}

#[test]
fn concurrent_callers_during_a_sign_in_get_the_member_not_a_late_visitor() {
    let s = session();
    wix(s.platform());
    s.platform().latency(|r| if grant(r) == "anonymous" { 5 } else { 1 });
    let data = s.generate_oauth_data("http://shop/cb", None).unwrap();
    let (head, member) = block_on(async { futures::join!(s.get_auth_headers(), s.get_member_tokens("code", &data.state, None)) });
    assert_eq!(member.unwrap().access_token.value, "member-access");
    assert_eq!(head.unwrap(), "member-access", "the visitor minted meanwhile does not replace the member");
    assert!(s.logged_in());
}

// ---------------------------------------------------------------- expiry and skew

#[test]
fn expiry_edges_before_at_and_inside_the_skew_margin() {
    let s = session();
    wix(s.platform());
    block_on(s.get_auth_headers()).unwrap(); // visitor-1, issued NOW, expires NOW + 14400
    s.platform().advance_secs(14400 - 61);
    assert_eq!(block_on(s.get_auth_headers()).unwrap(), "visitor-1", "61 s before expiry: still good");
    s.platform().advance_secs(1);
    assert_eq!(block_on(s.get_auth_headers()).unwrap(), "refreshed-2", "60 s before: inside the margin");
    assert_eq!(grant(&s.platform().requests.borrow()[1]), "refresh_token");
}

#[test]
fn at_expiry_the_token_is_refreshed_and_the_refresh_token_kept_without_rotation() {
    let s = session();
    wix(s.platform());
    block_on(s.get_auth_headers()).unwrap();
    s.platform().advance_secs(14400);
    assert_eq!(block_on(s.get_auth_headers()).unwrap(), "refreshed-2");
    let t = s.get_tokens();
    assert_eq!(t.refresh_token.value, "visitor-refresh");
    assert_eq!(t.access_token.expires_at, NOW + 14400 + 14400);
}

#[test]
fn a_short_lived_token_caps_the_skew_at_half_its_life() {
    let s = session();
    s.platform().serve(|_| Ok(reply(200, &token_body("short", Some("r"), 4))));
    block_on(s.get_auth_headers()).unwrap();
    s.platform().advance_secs(1);
    block_on(s.get_auth_headers()).unwrap();
    assert_eq!(s.platform().requests.borrow().len(), 1, "usable at 1 s of 4 (skew capped at 2)");
    s.platform().advance_secs(1);
    block_on(s.get_auth_headers()).unwrap();
    assert_eq!(s.platform().requests.borrow().len(), 2, "spent at 2 s of 4");
}

#[test]
fn the_usable_access_token_comes_with_the_instant_it_stops_being_usable() {
    let s = session();
    assert_eq!(s.usable_access_token(), None, "nothing minted yet");
    s.platform().serve(|_| Ok(reply(200, &token_body("short", Some("r"), 4))));
    block_on(s.get_auth_headers()).unwrap();
    // Spent at 2 s of 4 (the skew cap), exactly when get_auth_headers would refresh.
    assert_eq!(s.usable_access_token(), Some(("short".to_string(), T0_MS + 2000)));
    s.platform().advance_secs(2);
    assert_eq!(s.usable_access_token(), None);
    // Another tab's newer tokens are what is usable, as soon as they are stored.
    let other = Session::new(s.platform().another_tab(), config(), Some(member(NOW + 9999)));
    assert_eq!(s.usable_access_token().map(|t| t.0), Some("member-access".to_string()));
    drop(other);
}

#[test]
fn a_rotated_refresh_token_is_stored() {
    let s = Session::new(Fake::new(), config(), Some(member(NOW)));
    s.platform().serve(|_| Ok(reply(200, &token_body("a2", Some("rotated"), 14400))));
    block_on(s.get_auth_headers()).unwrap();
    let stored: Tokens = serde_json::from_str(&s.platform().stored(TOKENS).unwrap()).unwrap();
    assert_eq!(stored.refresh_token, RefreshToken { value: "rotated".into(), role: Role::Member });
    assert_eq!(stored.access_token.value, "a2");
}

// ---------------------------------------------------------------- refresh failures

fn invalid_grant() -> super::platform::Response {
    reply(400, r#"{"error":"invalid_grant","error_description":"refresh token revoked"}"#)
}

#[test]
fn a_refused_member_refresh_ends_the_session_visibly_and_never_mints_a_visitor() {
    let s = Session::new(Fake::new(), config(), Some(member(NOW)));
    s.platform().serve(|_| Ok(invalid_grant()));
    let log = events(&s);
    let err = block_on(s.get_auth_headers()).unwrap_err();
    assert_eq!(err.code, ErrorCode::SessionEnded);
    assert_eq!((err.status, err.request_id.as_deref()), (400, Some("req-1")));
    assert!(err.ends_session() && !err.is_transient());
    assert!(!err.message.contains("member-refresh") && !err.message.contains("member-access"));
    assert_eq!(s.platform().requests.borrow().len(), 1);
    assert_eq!(grant(&s.platform().requests.borrow()[0]), "refresh_token", "no anonymous request");
    assert_eq!(s.platform().stored(TOKENS), None, "tokens cleared from storage");
    assert_eq!(s.get_tokens(), Tokens::default());
    assert!(!s.logged_in());
    assert_eq!(ended(&log), vec![SessionEndReason::RefreshRejected]);
    assert_eq!(log.borrow()[0], Event::TokensChanged(Tokens::default()));
}

#[test]
fn a_refusal_in_wix_shape_ends_the_session_too_and_a_wix_shaped_outage_does_not() {
    let s = Session::new(Fake::new(), config(), Some(member(NOW)));
    s.platform().serve(|_| Ok(reply(400, r#"{"message":"refresh token is not valid","details":{}}"#)));
    let log = events(&s);
    assert_eq!(block_on(s.get_auth_headers()).unwrap_err().code, ErrorCode::SessionEnded);
    assert!(!s.logged_in());
    assert_eq!(ended(&log), vec![SessionEndReason::RefreshRejected]);

    let s = Session::new(Fake::new(), config(), Some(member(NOW)));
    s.platform().serve(|_| Ok(reply(500, r#"{"message":"internal error","details":{}}"#)));
    let log = events(&s);
    let err = block_on(s.get_auth_headers()).unwrap_err();
    assert!(err.is_transient() && !err.ends_session());
    assert!(s.logged_in());
    assert!(log.borrow().is_empty());
}

#[test]
fn token_requests_carry_the_token_request_headers() {
    let mut c = config();
    c.token_headers = vec![("client-binding".into(), "cb-1".into()), ("content-type".into(), "application/json".into())];
    let s = Session::new(Fake::new(), c, None);
    wix(s.platform());
    block_on(s.get_auth_headers()).unwrap();
    let r = s.platform().requests.borrow()[0].clone();
    assert!(r.headers.contains(&("client-binding".into(), "cb-1".into())));
    assert_eq!(r.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case("content-type")).count(), 1, "replaced, not doubled");
}

#[test]
fn external_login_with_session_signs_on_then_binds_the_grant_to_that_session() {
    let s = visitor_session();
    s.platform().serve(|r| {
        Ok(if r.url.ends_with("/sign-on") {
            reply(200, r#"{"sessionToken":"so-sess","identity":{"id":"m-7","revision":"1"}}"#)
        } else {
            reply(200, r#"{"access_token":"ma","token_type":"Bearer","expires_in":14400,"refresh_token":"mr"}"#)
        })
    });
    let opts = super::SignOnOptions { verify_email: Some(true), ..Default::default() };
    let t = block_on(s.get_member_tokens_for_external_login_with_session("a@b.c", "KEY", opts)).unwrap();
    assert_eq!((t.refresh_token.role, s.logged_in()), (Role::Member, true));
    let reqs = s.platform().requests.borrow().clone();
    assert_eq!(reqs[0].url, "https://api.test/_api/iam/authentication/v2/sign-on");
    assert_eq!(reqs[0].body.as_deref(), Some(r#"{"loginId":{"email":"a@b.c"},"verifyEmail":true}"#));
    assert_eq!(reqs[1].body.as_deref(), Some(r#"{"grant_type":"authorized_client","member_id":"m-7","session_token":"so-sess"}"#));
    for r in &reqs {
        assert!(r.headers.contains(&("Authorization".into(), "vis,KEY".into())), "{:?}", r.headers);
    }
}

#[test]
fn an_outage_keeps_the_member_and_retries_with_capped_backoff() {
    let s = Session::new(Fake::new(), config(), Some(member(NOW)));
    s.platform().serve(|_| Ok(reply(503, "<html>down</html>")));
    let log = events(&s);
    let err = block_on(s.get_auth_headers()).unwrap_err();
    assert_eq!((err.code, err.status), (ErrorCode::HttpError, 503));
    assert!(err.is_transient() && !err.ends_session());
    assert_eq!(s.platform().requests.borrow().len(), 3, "one try and two retries");
    assert_eq!(*s.platform().sleeps.borrow(), vec![250, 500]);
    assert!(s.platform().requests.borrow().iter().all(|r| grant(r) == "refresh_token"));
    assert!(s.logged_in());
    assert_eq!(s.get_tokens(), member(NOW));
    assert!(s.platform().stored(TOKENS).is_some());
    assert!(log.borrow().is_empty());
}

#[test]
fn a_network_failure_keeps_the_member_and_a_later_call_recovers() {
    let s = Session::new(Fake::new(), config(), Some(member(NOW)));
    let down = Rc::new(Cell::new(true));
    let flag = down.clone();
    s.platform().serve(move |_| {
        if flag.get() {
            Err(AuthError::new(ErrorCode::Network, "offline"))
        } else {
            Ok(reply(200, &token_body("back", None, 14400)))
        }
    });
    assert_eq!(block_on(s.get_auth_headers()).unwrap_err().code, ErrorCode::Network);
    assert!(s.logged_in());
    down.set(false);
    assert_eq!(block_on(s.get_auth_headers()).unwrap(), "back");
    assert!(s.logged_in());
}

#[test]
fn a_visitor_whose_refresh_is_refused_becomes_a_new_visitor() {
    let s = Session::new(Fake::new(), config(), Some(tokens("old", NOW, "old-refresh", Role::Visitor)));
    s.platform().serve(|r| {
        Ok(if grant(r) == "refresh_token" { invalid_grant() } else { reply(200, &token_body("new-visitor", Some("nr"), 14400)) })
    });
    let log = events(&s);
    assert_eq!(block_on(s.get_auth_headers()).unwrap(), "new-visitor");
    let grants: Vec<String> = s.platform().requests.borrow().iter().map(grant).collect();
    assert_eq!(grants, vec!["refresh_token", "anonymous"]);
    assert!(ended(&log).is_empty(), "a visitor has no session to end");
    assert_eq!(s.get_tokens().refresh_token.role, Role::Visitor);
}

#[test]
fn a_garbage_token_reply_is_unexpected_response_and_keeps_the_tokens() {
    let s = Session::new(Fake::new(), config(), Some(member(NOW)));
    s.platform().serve(|_| Ok(reply(200, "not json")));
    let err = block_on(s.get_auth_headers()).unwrap_err();
    assert_eq!((err.code, err.status), (ErrorCode::UnexpectedResponse, 200));
    assert!(s.logged_in());
}

#[test]
fn renewing_without_a_refresh_token_is_a_typed_error() {
    let s = session();
    let err = block_on(s.renew_token(RefreshToken::default())).unwrap_err();
    assert_eq!(err.code, ErrorCode::NoRefreshToken);
    assert!(s.platform().requests.borrow().is_empty());
}

#[test]
fn generate_visitor_tokens_keeps_given_valid_tokens_and_refreshes_expired_ones() {
    let s = session();
    wix(s.platform());
    let given = tokens("given", NOW + 1000, "given-refresh", Role::Visitor);
    assert_eq!(block_on(s.generate_visitor_tokens(Some(given.clone()))).unwrap(), given);
    assert!(s.platform().requests.borrow().is_empty());
    let expired = tokens("stale", NOW - 1, "member-refresh", Role::Member);
    let t = block_on(s.generate_visitor_tokens(Some(expired))).unwrap();
    assert_eq!(t.refresh_token.role, Role::Member);
    assert_eq!(grant(&s.platform().requests.borrow()[0]), "refresh_token");
}

// ---------------------------------------------------------------- persistence

#[test]
fn a_new_session_restores_the_stored_tokens() {
    let first = session();
    wix(first.platform());
    block_on(first.get_auth_headers()).unwrap();
    let reloaded = Session::new(Fake::with_storage(first.platform().storage.clone()), config(), None);
    assert_eq!(reloaded.get_tokens(), first.get_tokens());
    assert_eq!(block_on(reloaded.get_auth_headers()).unwrap(), "visitor-1");
    assert!(reloaded.platform().requests.borrow().is_empty(), "no new visitor after a reload");
}

#[test]
fn corrupted_or_foreign_storage_is_removed_and_the_session_starts_clean() {
    for bad in ["{not json", r#"{"foo":1}"#, r#"{"accessToken":{"value":7}}"#, "null", "\u{0}"] {
        let fake = Fake::new();
        fake.storage.borrow_mut().insert(TOKENS.into(), bad.into());
        let s = Session::new(fake, config(), None);
        assert_eq!(s.get_tokens(), Tokens::default(), "{bad}");
        assert_eq!(s.platform().stored(TOKENS), None, "{bad} is removed");
        wix(s.platform());
        assert_eq!(block_on(s.get_auth_headers()).unwrap(), "visitor-1");
    }
}

#[test]
fn tokens_restored_without_issued_at_still_work() {
    let fake = Fake::new();
    fake.storage.borrow_mut().insert(TOKENS.into(), serde_json::to_string(&member(NOW + 3600)).unwrap());
    let s = Session::new(fake, config(), None);
    assert!(s.logged_in());
    assert_eq!(block_on(s.get_auth_headers()).unwrap(), "member-access");
}

#[test]
fn every_flow_that_yields_tokens_stores_them() {
    let s = session();
    wix(s.platform());
    let stored = || serde_json::from_str::<Tokens>(&s.platform().stored(TOKENS).unwrap()).unwrap();
    let data = s.generate_oauth_data("http://shop/cb", None).unwrap();
    block_on(s.get_member_tokens("c", &data.state, Some(data.clone()))).unwrap();
    assert_eq!(stored().access_token.value, "member-access");
    block_on(s.get_member_tokens_for_external_login("m1", "key")).unwrap();
    assert_eq!(stored().access_token.value, "external-access");
    block_on(s.renew_token(RefreshToken { value: "other".into(), role: Role::Member })).unwrap();
    assert_eq!(stored().refresh_token.value, "other");
    assert!(stored().access_token.value.starts_with("refreshed-"));
    s.set_tokens(member(NOW + 50)).unwrap();
    assert_eq!(stored(), member(NOW + 50));
}

#[test]
fn set_tokens_reports_a_storage_failure_but_keeps_the_tokens() {
    let s = session();
    s.platform().storage_fails.set(true);
    let err = s.set_tokens(member(NOW + 999)).unwrap_err();
    assert_eq!(err.code, ErrorCode::Storage);
    assert_eq!(s.get_tokens(), member(NOW + 999));
    assert!(s.logged_in());
}

#[test]
fn another_tabs_refresh_is_adopted_and_its_sign_out_ends_this_tab() {
    let a = Session::new(Fake::new(), config(), Some(member(NOW)));
    let b = Session::new(Fake::with_storage(a.platform().storage.clone()), config(), None);
    wix(a.platform());
    wix(b.platform());
    let log = events(&b);
    block_on(a.get_auth_headers()).unwrap();
    assert_eq!(block_on(b.get_auth_headers()).unwrap(), "refreshed-1", "b uses a's refresh");
    assert!(b.platform().requests.borrow().is_empty());
    block_on(a.logout("http://shop/")).unwrap();
    assert!(!b.logged_in());
    assert_eq!(ended(&log), vec![SessionEndReason::SignedOutInAnotherTab]);
}

// ---------------------------------------------------------------- OAuth data and the callback

#[test]
fn oauth_data_comes_from_the_platform_random_and_is_stored_by_state() {
    let s = session();
    let d = s.generate_oauth_data("http://shop/cb", Some("http://shop/cart")).unwrap();
    // The same draws from an identical random source: verifier first, then state.
    let twin = Fake::new();
    let (mut verifier, mut state) = ([0u8; 32], [0u8; 32]);
    twin.random(&mut verifier).unwrap();
    twin.random(&mut state).unwrap();
    assert_eq!(d.code_verifier, wix_auth_protocol::pkce::code_verifier(&verifier));
    assert_eq!(d.state, wix_auth_protocol::pkce::base64url(&state));
    assert_eq!(d.code_challenge, wix_auth_protocol::pkce::code_challenge(&d.code_verifier));
    assert_eq!(d.original_uri, "http://shop/cart");
    let key = ["wix-headless-auth:cid:oauth:", &d.state].concat();
    let pending: wix_auth_protocol::oauth_data::PendingOAuth = serde_json::from_str(&s.platform().stored(&key).unwrap()).unwrap();
    assert_eq!(pending.data, d);
    assert_eq!(pending.expires_at_ms, T0_MS + 15 * 60 * 1000);
}

#[test]
fn the_code_exchange_sends_the_sdk_body_and_uses_stored_data_once() {
    let s = session();
    wix(s.platform());
    let d = s.generate_oauth_data("http://shop/cb", None).unwrap();
    let t = block_on(s.get_member_tokens("the-code", &d.state, None)).unwrap();
    assert_eq!(t, tokens("member-access", NOW + 14400, "member-refresh", Role::Member));
    let expected = [
        r#"{"clientId":"cid","grantType":"authorization_code","redirectUri":"http://shop/cb","code":"the-code","codeVerifier":""#,
        &d.code_verifier,
        r#""}"#,
    ]
    .concat();
    assert_eq!(s.platform().bodies(), vec![expected]);
    assert!(s.platform().requests.borrow()[0].headers.iter().all(|(k, _)| k != "Authorization"));
    assert!(s.logged_in());
    let again = block_on(s.get_member_tokens("the-code", &d.state, None)).unwrap_err();
    assert_eq!(again.code, ErrorCode::UnknownState, "single use");
    assert_eq!(s.platform().requests.borrow().len(), 1);
}

#[test]
fn bad_callbacks_are_rejected_before_the_code_is_sent() {
    let s = session();
    wix(s.platform());
    let d = s.generate_oauth_data("http://shop/cb", None).unwrap();
    let code = |code: &str, state: &str, data: Option<OAuthData>| block_on(s.get_member_tokens(code, state, data)).unwrap_err().code;
    assert_eq!(code("c", "", Some(d.clone())), ErrorCode::StateMismatch);
    assert_eq!(code("c", "forged", Some(d.clone())), ErrorCode::StateMismatch);
    assert_eq!(code("", &d.state, Some(d.clone())), ErrorCode::MissingCode);
    assert_eq!(code("c", "never-issued", None), ErrorCode::UnknownState);
    assert!(s.platform().requests.borrow().is_empty(), "nothing was sent");
}

#[test]
fn expired_oauth_data_is_unknown() {
    let s = session();
    wix(s.platform());
    let d = s.generate_oauth_data("http://shop/cb", None).unwrap();
    s.platform().advance_secs(15 * 60);
    assert_eq!(block_on(s.get_member_tokens("c", &d.state, None)).unwrap_err().code, ErrorCode::UnknownState);
    assert!(s.platform().requests.borrow().is_empty());
}

#[test]
fn parse_from_url_returns_what_the_sdk_returns_even_for_an_error() {
    let s = session();
    let p = s.parse_from_url("http://shop/cb#code=c1&state=s1", ResponseMode::Fragment).unwrap();
    assert_eq!((p.code.as_deref(), p.state.as_deref()), (Some("c1"), Some("s1")));
    let p = s.parse_from_url("http://shop/cb?code=c2&state=s2", ResponseMode::Query).unwrap();
    assert_eq!(p.code.as_deref(), Some("c2"));
    let p = s.parse_from_url("http://shop/cb", ResponseMode::Fragment).unwrap();
    assert_eq!((p.code, p.state, p.error), (None, None, None), "absent is null, not \"\"");
    let d = s.generate_oauth_data("http://shop/cb", None).unwrap();
    let url = ["http://shop/cb#error=access_denied&error_description=user+said+no&state=", &d.state].concat();
    let p = s.parse_from_url(&url, ResponseMode::Fragment).unwrap();
    assert_eq!((p.code, p.error.as_deref()), (None, Some("access_denied")));
    assert_eq!(p.error_description, Some(Some("user said no".into())));
    assert_eq!(s.platform().stored(&["wix-headless-auth:cid:oauth:", &d.state].concat()), None, "the attempt is over");
    assert_eq!(s.parse_from_url("not a url", ResponseMode::Fragment).unwrap_err().code, ErrorCode::InvalidUrl);
    assert_eq!(s.parse_from_url("http://a/#code=w", ResponseMode::WebMessage).unwrap().code.as_deref(), Some("w"));
}

#[test]
fn a_refused_code_is_a_typed_oauth_error_and_ends_nothing() {
    let s = Session::new(Fake::new(), config(), Some(tokens("v", NOW + 999, "vr", Role::Visitor)));
    s.platform().serve(|_| Ok(invalid_grant()));
    let d = s.generate_oauth_data("http://shop/cb", None).unwrap();
    let err = block_on(s.get_member_tokens("c", &d.state, None)).unwrap_err();
    assert_eq!((err.code, err.status), (ErrorCode::OAuth(OAuthErrorCode::InvalidGrant), 400));
    assert_eq!(s.get_tokens().access_token.value, "v");
}

// ---------------------------------------------------------------- redirect sessions

#[test]
fn get_auth_url_posts_the_sdk_redirect_session_with_the_access_token() {
    let s = Session::new(Fake::new(), config(), Some(tokens("vis", NOW + 999, "vr", Role::Visitor)));
    wix(s.platform());
    let d = s.generate_oauth_data("http://shop/cb", None).unwrap();
    let opts = AuthUrlOptions { idp: Some("google".into()), ..AuthUrlOptions::default() };
    let url = block_on(s.get_auth_url(Some(&d), opts)).unwrap();
    assert_eq!(
        url,
        AuthUrl {
            auth_url: "https://api.test/_api/oauth2/authorize?x=1".into(),
            authorization_endpoint: "https://api.test/_api/oauth2/authorize".into(),
            session_token: Some("st-1".into()),
        }
    );
    let r = s.platform().requests.borrow()[0].clone();
    assert_eq!(r.url, "https://api.test/_api/redirects-api/v1/redirect-session");
    assert!(r.headers.contains(&("Authorization".into(), "vis".into())), "raw token, no Bearer");
    let expected = [
        r#"{"auth":{"authRequest":{"redirectUri":"http://shop/cb","clientId":"cid","codeChallenge":""#,
        &d.code_challenge,
        r#"","codeChallengeMethod":"S256","responseMode":"fragment","responseType":"code","scope":"offline_access","state":""#,
        &d.state,
        r#"","idp":"0e6a50f5-b523-4e29-990d-f37fa2ffdd69"},"prompt":"login"}}"#,
    ]
    .concat();
    assert_eq!(r.body.unwrap(), expected);
    assert!(serde_json::to_string(&url).unwrap().contains("authorizationEndpoint"));
}

#[test]
fn get_auth_url_mints_a_visitor_first_when_there_is_none() {
    let s = session();
    wix(s.platform());
    let d = s.generate_oauth_data("http://shop/cb", None).unwrap();
    block_on(s.get_auth_url(Some(&d), AuthUrlOptions::default())).unwrap();
    assert_eq!(s.platform().paths(), vec!["/oauth2/token", "/_api/redirects-api/v1/redirect-session"]);
    assert!(s.platform().requests.borrow()[1].headers.contains(&("Authorization".into(), "visitor-1".into())));
}

#[test]
fn a_redirect_session_without_url_details_is_unexpected() {
    let s = Session::new(Fake::new(), config(), Some(tokens("vis", NOW + 999, "vr", Role::Visitor)));
    s.platform().serve(|_| Ok(reply(200, r#"{"redirectSession":{"id":"x","fullUrl":"https://a"}}"#)));
    let d = s.generate_oauth_data("http://shop/cb", None).unwrap();
    let err = block_on(s.get_auth_url(Some(&d), AuthUrlOptions::default())).unwrap_err();
    assert_eq!((err.code, err.status, err.request_id.as_deref()), (ErrorCode::UnexpectedResponse, 200, Some("req-1")));
}

#[test]
fn logout_posts_the_sdk_body_and_clears_the_member() {
    let s = Session::new(Fake::new(), config(), Some(member(NOW + 999)));
    wix(s.platform());
    let log = events(&s);
    let out = block_on(s.logout("http://shop/")).unwrap();
    assert_eq!(out.logout_url, "https://api.test/_api/oauth2/authorize?x=1");
    assert_eq!(s.platform().bodies(), vec![r#"{"logout":{"clientId":"cid"},"callbacks":{"postFlowUrl":"http://shop/"}}"#]);
    assert!(s.platform().requests.borrow()[0].headers.contains(&("Authorization".into(), "member-access".into())));
    assert!(!s.logged_in());
    assert_eq!(s.platform().stored(TOKENS), None);
    assert_eq!(ended(&log), vec![SessionEndReason::SignedOut]);
    assert_eq!(serde_json::to_string(&out).unwrap(), r#"{"logoutUrl":"https://api.test/_api/oauth2/authorize?x=1"}"#);
}

#[test]
fn logout_clears_locally_even_when_the_network_fails() {
    let s = Session::new(Fake::new(), config(), Some(member(NOW + 999)));
    s.platform().serve(|_| Err(AuthError::new(ErrorCode::Network, "offline")));
    let log = events(&s);
    let err = block_on(s.logout("http://shop/")).unwrap_err();
    assert_eq!(err.code, ErrorCode::Network);
    assert!(!s.logged_in());
    assert_eq!(s.get_tokens(), Tokens::default());
    assert_eq!(s.platform().stored(TOKENS), None);
    assert_eq!(ended(&log), vec![SessionEndReason::SignedOut]);
}

// ---------------------------------------------------------------- custom login, register, verify

fn visitor_session() -> Session<Fake> {
    Session::new(Fake::new(), config(), Some(tokens("vis", NOW + 9999, "vr", Role::Visitor)))
}

fn answer_with(s: &Session<Fake>, status: u16, body: &'static str) {
    s.platform().serve(move |_| Ok(reply(status, body)));
}

#[test]
fn login_sends_the_sdk_body_and_maps_success() {
    let s = visitor_session();
    answer_with(&s, 200, r#"{"state":"SUCCESS","sessionToken":"sess-1","identity":{"id":"m1"}}"#);
    let captcha = CaptchaTokens { recaptcha_token: Some("cap".into()), invisible_recaptcha_token: None };
    let sm = block_on(s.login("a@b.c", "pw", Some(captcha))).unwrap();
    assert_eq!(sm.login_state, LoginState::Success);
    assert_eq!(sm.data.session_token.as_deref(), Some("sess-1"));
    let r = s.platform().requests.borrow()[0].clone();
    assert_eq!(r.url, "https://api.test/_api/iam/authentication/v2/login");
    assert_eq!(r.body.unwrap(), r#"{"loginId":{"email":"a@b.c"},"password":"pw","captchaTokens":[{"Recaptcha":"cap"}]}"#);
    assert!(r.headers.contains(&("Authorization".into(), "vis".into())));
}

#[test]
fn login_error_codes_are_mapped_per_flow() {
    let s = visitor_session();
    answer_with(&s, 401, r#"{"message":"wrong","details":{"applicationError":{"code":"-19976","description":"wrong"}}}"#);
    let sm = block_on(s.login("a@b.c", "pw", None)).unwrap();
    assert_eq!((sm.login_state, sm.error_code), (LoginState::Failure, Some(LoginErrorCode::InvalidPassword)));
    answer_with(&s, 409, r#"{"message":"exists","details":{"applicationError":{"code":"-19995"}}}"#);
    let sm = block_on(s.register("a@b.c", "pw", None, None)).unwrap();
    assert_eq!(sm.error_code, Some(LoginErrorCode::EmailAlreadyExists));
    answer_with(&s, 400, r#"{"message":"bad","details":{"validationError":{"fieldViolations":[{"field":"loginId.email","description":"bad email","data":{"type":"EMAIL"}}]}}}"#);
    let sm = block_on(s.register("nope", "pw", None, None)).unwrap();
    assert_eq!(sm.error_code, Some(LoginErrorCode::InvalidEmail));
}

#[test]
fn a_500_resolves_failure_as_the_sdk_does_but_is_not_called_invalid_email() {
    let s = visitor_session();
    s.platform().serve(|_| Ok(super::platform::Response { status: 500, request_id: Some("rid-500".into()), body: "{}".into() }));
    for sm in [block_on(s.login("a@b.c", "pw", None)).unwrap(), block_on(s.register("a@b.c", "pw", None, None)).unwrap()] {
        assert_eq!((sm.login_state, sm.error_code, sm.error.as_deref()), (LoginState::Failure, None, Some("request failed")));
        let cause = sm.auth_error.unwrap();
        assert_eq!((cause.code.as_str(), cause.status, cause.request_id.as_deref()), ("http_error", 500, Some("rid-500")));
    }
    for (status, body) in [(502, "<html>bad gateway</html>"), (429, r#"{"message":"slow down"}"#)] {
        answer_with(&s, status, body);
        let sm = block_on(s.login("a@b.c", "pw", None)).unwrap();
        assert_eq!((sm.login_state, sm.error_code, sm.auth_error.unwrap().status), (LoginState::Failure, None, status));
    }
    answer_with(&s, 403, r#"{"message":"member is blocked","details":{"applicationError":{"code":"-19972"}}}"#);
    let sm = block_on(s.login("a@b.c", "pw", None)).unwrap();
    assert_eq!((sm.error_code, sm.error.as_deref()), (None, Some("member is blocked")), "unknown code: no errorCode, not invalidEmail");
    let cause = sm.auth_error.unwrap();
    assert_eq!((cause.code.as_str(), cause.application_code.as_deref()), ("http_error", Some("-19972")));
    answer_with(&s, 401, r#"{"message":"wrong","details":{"applicationError":{"code":"-19976"}}}"#);
    let cause = block_on(s.login("a@b.c", "pw", None)).unwrap().auth_error.unwrap();
    assert_eq!((cause.code.as_str(), cause.status), ("invalidPassword", 401), "a mapped code is the typed code too");
    answer_with(&s, 400, r#"{"message":"x","details":{"applicationError":{"code":"SITE_NOT_PUBLISHED_EXCEPTION"}}}"#);
    assert_eq!(block_on(s.login("a@b.c", "pw", None)).unwrap().auth_error.unwrap().code, "site_not_published");
}

#[test]
fn a_garbage_200_is_unexpected_response_and_the_network_is_network() {
    let s = visitor_session();
    answer_with(&s, 200, "<html>hello</html>");
    let err = block_on(s.login("a@b.c", "pw", None)).unwrap_err();
    assert_eq!((err.code, err.status), (ErrorCode::UnexpectedResponse, 200));
    answer_with(&s, 200, r#"{"unexpected":true}"#);
    assert_eq!(block_on(s.register("a@b.c", "pw", None, None)).unwrap_err().code, ErrorCode::UnexpectedResponse);
    s.platform().serve(|_| Err(AuthError::new(ErrorCode::Network, "offline")));
    assert_eq!(block_on(s.login("a@b.c", "pw", None)).unwrap_err().code, ErrorCode::Network);
}

#[test]
fn register_sends_the_profile_and_verification_survives_a_reload() {
    let s = visitor_session();
    answer_with(&s, 200, r#"{"state":"REQUIRE_EMAIL_VERIFICATION","stateToken":"stt-1"}"#);
    let profile = JsonValue::Object(vec![("nickname".into(), JsonValue::String("nick".into()))]);
    let sm = block_on(s.register("a@b.c", "pw", Some(profile), None)).unwrap();
    assert_eq!(sm.login_state, LoginState::EmailVerificationRequired);
    assert_eq!(
        s.platform().bodies()[0],
        r#"{"loginId":{"email":"a@b.c"},"password":"pw","profile":{"nickname":"nick"}}"#
    );
    // A reloaded page finishes the verification.
    let reloaded = Session::new(Fake::with_storage(s.platform().storage.clone()), config(), None);
    answer_with(&reloaded, 200, r#"{"state":"SUCCESS","sessionToken":"sess-2"}"#);
    let done = block_on(reloaded.process_verification("123456", None)).unwrap();
    assert_eq!(done.data.session_token.as_deref(), Some("sess-2"));
    let r = reloaded.platform().requests.borrow()[0].clone();
    assert_eq!(r.url, "https://api.test/_api/iam/verification/v1/auth/verify");
    assert_eq!(r.body.unwrap(), r#"{"code":"123456","stateToken":"stt-1"}"#);
    let used = block_on(reloaded.process_verification("1", None)).unwrap();
    assert_eq!((used.login_state, used.auth_error.unwrap().code.as_str()), (LoginState::Failure, "no_pending_verification"), "used up");
}

#[test]
fn verification_without_a_pending_step_or_after_its_ttl_resolves_failure_as_the_sdk_does() {
    let s = visitor_session();
    let pending = |s: &Session<Fake>| {
        let sm = block_on(s.process_verification("1", None)).unwrap();
        assert_eq!((sm.login_state, sm.error.as_deref()), (LoginState::Failure, Some("Unknown _state")));
        assert_eq!(sm.auth_error.unwrap().code, "no_pending_verification");
    };
    pending(&s);
    answer_with(&s, 200, r#"{"state":"REQUIRE_EMAIL_VERIFICATION","stateToken":"stt"}"#);
    block_on(s.login("a@b.c", "pw", None)).unwrap();
    s.platform().advance_secs(15 * 60);
    pending(&s);
    assert_eq!(s.platform().requests.borrow().len(), 1);
}

#[test]
fn verification_takes_the_state_argument_over_the_pending_step() {
    let s = visitor_session();
    answer_with(&s, 200, r#"{"state":"SUCCESS","sessionToken":"sess"}"#);
    let sm = block_on(s.process_verification("42", Some("given-stt".into()))).unwrap();
    assert_eq!(sm.data.session_token.as_deref(), Some("sess"));
    assert_eq!(s.platform().bodies()[0], r#"{"code":"42","stateToken":"given-stt"}"#);
}

#[test]
fn a_wrong_verification_code_keeps_the_step_pending() {
    let s = visitor_session();
    answer_with(&s, 200, r#"{"state":"REQUIRE_EMAIL_VERIFICATION","stateToken":"stt"}"#);
    block_on(s.login("a@b.c", "pw", None)).unwrap();
    answer_with(&s, 400, r#"{"message":"bad code","details":{"applicationError":{"code":"-19958"}}}"#);
    let err = block_on(s.process_verification("000", None)).unwrap_err();
    assert_eq!((err.code, err.status, err.message.as_str()), (ErrorCode::HttpError, 400, "bad code"));
    answer_with(&s, 200, r#"{"state":"SUCCESS","sessionToken":"s"}"#);
    assert_eq!(block_on(s.process_verification("111", None)).unwrap().login_state, LoginState::Success);
}

#[test]
fn password_reset_sends_the_sdk_body() {
    let s = visitor_session();
    answer_with(&s, 200, "{}");
    block_on(s.send_password_reset_email("a@b.c", "http://shop/reset")).unwrap();
    let r = s.platform().requests.borrow()[0].clone();
    assert_eq!(r.url, "https://api.test/_api/iam/recovery/v1/send-email");
    assert_eq!(r.body.unwrap(), r#"{"email":"a@b.c","redirect":{"url":"http://shop/reset","clientId":"cid"}}"#);
    answer_with(&s, 500, "");
    assert_eq!(block_on(s.send_password_reset_email("a@b.c", "x")).unwrap_err().status, 500);
}

// ---------------------------------------------------------------- direct and external login

#[test]
fn direct_login_pins_the_origin_and_exchanges_the_code_without_redirect_uri() {
    let s = visitor_session();
    wix(s.platform());
    s.platform().frame(|_, _, state, _| Ok(CallbackParams { code: "dl-code".into(), state: state.into(), ..Default::default() }));
    let t = block_on(s.get_member_tokens_for_direct_login("sess-1")).unwrap();
    assert_eq!(t.refresh_token.role, Role::Member);
    assert!(s.logged_in());
    let calls = s.platform().frame_calls.borrow().clone();
    assert_eq!(calls.len(), 1);
    let (url, origin, state, timeout) = &calls[0];
    assert_eq!((url.as_str(), origin.as_str(), *timeout), ("https://api.test/_api/oauth2/authorize?x=1", "https://api.test", 10_000));
    let bodies = s.platform().bodies();
    let redirect: serde_json::Value = serde_json::from_str(&bodies[0]).unwrap();
    let auth = &redirect["auth"];
    assert_eq!(auth["prompt"], "none");
    assert_eq!(auth["authRequest"]["responseMode"], "web_message");
    assert_eq!(auth["authRequest"]["sessionToken"], "sess-1");
    assert_eq!(auth["authRequest"]["state"], state.as_str());
    assert!(auth["authRequest"].get("redirectUri").is_none());
    assert!(bodies[1].starts_with(r#"{"clientId":"cid","grantType":"authorization_code","code":"dl-code","codeVerifier":""#), "{}", bodies[1]);
}

/// Serves the Wix endpoints with a redirect session whose `fullUrl` is `full_url`.
fn wix_with_login_page(fake: &Fake, full_url: &'static str) {
    fake.serve(move |r| {
        let path = r.url.trim_start_matches(BASE);
        Ok(match (path, grant(r).as_str()) {
            ("/oauth2/token", "anonymous") => reply(200, &token_body("visitor-1", Some("visitor-refresh"), 14400)),
            ("/oauth2/token", "authorization_code") => reply(200, &token_body("member-access", Some("member-refresh"), 14400)),
            ("/_api/redirects-api/v1/redirect-session", _) => {
                let session = serde_json::json!({"redirectSession": {"id": "rs1", "fullUrl": full_url,
                    "urlDetails": {"endpoint": full_url, "searchParams": {}}}});
                reply(200, &session.to_string())
            }
            _ => reply(404, ""),
        })
    });
}

#[test]
fn direct_login_trusts_the_origin_of_the_site_page_it_loads_not_the_api_host() {
    // The live service's `fullUrl` is on the site's domain; its frame answers from there.
    let s = visitor_session();
    wix_with_login_page(s.platform(), "https://shop.example.com/_api/oauth2/authorize?redirectSessionId=1");
    s.platform().frame(|_, origin, state, _| {
        // The fake frame answers only a listener that expects the site's origin.
        if origin != "https://shop.example.com" {
            return Err(AuthError::new(ErrorCode::Timeout, "answer came from the site's origin; nobody listened"));
        }
        Ok(CallbackParams { code: "dl-code".into(), state: state.into(), ..Default::default() })
    });
    let t = block_on(s.get_member_tokens_for_direct_login("sess-1")).unwrap();
    assert_eq!(t.refresh_token.role, Role::Member);
    let calls = s.platform().frame_calls.borrow().clone();
    assert_eq!(calls[0].1, "https://shop.example.com", "not the API host https://api.test");
}

#[test]
fn direct_login_refuses_a_login_page_that_is_not_http() {
    let s = visitor_session();
    wix_with_login_page(s.platform(), "javascript:alert(1)");
    s.platform().frame(|_, _, state, _| Ok(CallbackParams { code: "c".into(), state: state.into(), ..Default::default() }));
    let err = block_on(s.get_member_tokens_for_direct_login("sess-1")).unwrap_err();
    assert_eq!(err.code, ErrorCode::UnsafeUrl);
    assert!(s.platform().frame_calls.borrow().is_empty(), "no frame was loaded");
    assert!(!s.logged_in());
}

#[test]
fn direct_login_reads_allowed_domains_fetch_failed_as_origin_not_allowed_at_once() {
    for word in ["Allowed_domains_fetch_failed", "redirect_uri_not_allowed"] {
        let s = visitor_session();
        wix(s.platform());
        s.platform().frame(move |_, _, state, _| Ok(CallbackParams { state: state.into(), error: Some(word.into()), ..Default::default() }));
        let err = block_on(s.get_member_tokens_for_direct_login("sess")).unwrap_err();
        assert_eq!(err.code, ErrorCode::OriginNotAllowed, "{word}");
        assert_eq!(s.platform().frame_calls.borrow().len(), 1, "{word}: one frame, no wait for a second answer");
        assert_eq!(s.platform().paths().len(), 1, "{word}: no code exchange");
    }
}

#[test]
fn direct_login_fails_at_once_on_an_error_message_and_on_timeout() {
    let s = visitor_session();
    wix(s.platform());
    s.platform().frame(|_, _, state, _| {
        Ok(CallbackParams { state: state.into(), error: Some("redirect_uri_not_allowed".into()), ..Default::default() })
    });
    let err = block_on(s.get_member_tokens_for_direct_login("sess")).unwrap_err();
    assert_eq!((err.code, err.code.as_str()), (ErrorCode::OriginNotAllowed, "redirect_uri_not_allowed"));
    assert_eq!(s.platform().paths().len(), 1, "no code exchange");
    s.platform().frame(|_, _, _, _| Err(AuthError::new(ErrorCode::Timeout, "no answer")));
    assert_eq!(block_on(s.get_member_tokens_for_direct_login("sess")).unwrap_err().code, ErrorCode::Timeout);
    assert!(!s.logged_in());
    assert_eq!(block_on(s.get_member_tokens_for_direct_login("")).unwrap_err().code, ErrorCode::InvalidArgument);
}

#[test]
fn external_login_sends_the_api_key_grant_as_the_sdk() {
    let s = visitor_session();
    wix(s.platform());
    let t = block_on(s.get_member_tokens_for_external_login("m-1", "api-key")).unwrap();
    assert_eq!(t, tokens("external-access", NOW + 14400, "external-refresh", Role::Member));
    let r = s.platform().requests.borrow()[0].clone();
    assert_eq!(r.url, "https://api.test/oauth2/token");
    assert_eq!(r.body.unwrap(), r#"{"grant_type":"authorized_client","scope":"offline_access","member_id":"m-1"}"#);
    assert!(r.headers.contains(&("Authorization".into(), "vis,api-key".into())));
}

// ---------------------------------------------------------------- pre-warm

#[test]
fn sync_with_wix_pages_prewarms_once_a_week() {
    let s = visitor_session();
    wix(s.platform());
    assert!(!s.is_session_synced());
    block_on(s.sync_with_wix_pages()).unwrap();
    assert_eq!(s.platform().bodies(), vec![r#"{"login":{}}"#]);
    assert_eq!(*s.platform().loaded_frames.borrow(), vec!["https://api.test/_api/oauth2/authorize?x=1".to_string()]);
    assert_eq!(s.platform().stored("wixRedirectSessionLastPreWarm"), Some(T0_MS.to_string()));
    assert!(s.is_session_synced());
    block_on(s.sync_with_wix_pages()).unwrap();
    assert_eq!(s.platform().requests.borrow().len(), 1, "synced: nothing sent");
    s.platform().advance_secs(7 * 24 * 3600);
    assert!(!s.is_session_synced());
    s.platform().storage.borrow_mut().insert("wixRedirectSessionLastPreWarm".into(), "garbage".into());
    assert!(!s.is_session_synced());
}

// ---------------------------------------------------------------- events

#[test]
fn unsubscribed_listeners_hear_nothing_and_listeners_may_reenter() {
    let s = Rc::new(session());
    wix(s.platform());
    let heard = Rc::new(Cell::new(0));
    let h = heard.clone();
    let id = s.subscribe(Box::new(move |_| h.set(h.get() + 1)));
    s.unsubscribe(id);
    let weak = Rc::downgrade(&s);
    let seen = Rc::new(RefCell::new(None));
    let sink = seen.clone();
    s.subscribe(Box::new(move |_| {
        if let Some(s) = weak.upgrade() {
            *sink.borrow_mut() = Some(s.get_tokens());
        }
    }));
    block_on(s.get_auth_headers()).unwrap();
    assert_eq!(heard.get(), 0);
    assert_eq!(seen.borrow().as_ref().map(|t| t.access_token.value.clone()), Some("visitor-1".into()));
    s.set_tokens(s.get_tokens()).unwrap();
}

#[test]
fn a_sign_out_in_another_tab_during_a_refresh_does_not_resurrect_the_member() {
    let a = Session::new(Fake::new(), config(), Some(member(NOW)));
    let storage = a.platform().storage.clone();
    wix(a.platform());
    a.platform().latency(|r| if grant(r) == "refresh_token" { 3 } else { 1 });
    let log = events(&a);
    let other_tab_signs_out = async {
        super::fake::YieldNow(false).await;
        storage.borrow_mut().clear();
    };
    let (head, ()) = block_on(async { futures::join!(a.get_auth_headers(), other_tab_signs_out) });
    assert!(head.unwrap().starts_with("visitor-"), "the refreshed member tokens are dropped");
    assert!(!a.logged_in());
    assert_eq!(ended(&log), vec![SessionEndReason::SignedOutInAnotherTab]);
}

#[test]
fn a_refusal_after_another_tab_rotated_the_token_adopts_that_tabs_tokens() {
    let s = Session::new(Fake::new(), config(), Some(member(NOW)));
    let storage = s.platform().storage.clone();
    let log = events(&s);
    s.platform().serve(move |_| {
        // The other tab won the race: it stored the rotated tokens; our old token is refused.
        let theirs = tokens("theirs", NOW + 14400, "rotated", Role::Member);
        storage.borrow_mut().insert(TOKENS.into(), serde_json::to_string(&theirs).unwrap());
        Ok(invalid_grant())
    });
    assert_eq!(block_on(s.get_auth_headers()).unwrap(), "theirs");
    assert!(s.logged_in());
    assert!(ended(&log).is_empty());
    assert_eq!(*s.platform().sleeps.borrow(), vec![300], "one short grace wait before deciding");
}

#[test]
fn an_invalidated_access_token_is_refreshed_on_the_next_call() {
    let s = Session::new(Fake::new(), config(), Some(member(NOW + 9999)));
    wix(s.platform());
    s.invalidate_access_token("some-other-token");
    assert_eq!(block_on(s.get_auth_headers()).unwrap(), "member-access");
    s.invalidate_access_token("member-access");
    assert!(block_on(s.get_auth_headers()).unwrap().starts_with("refreshed-"));
    assert!(s.logged_in());
    assert_eq!(s.platform().requests.borrow().len(), 1);
}

#[test]
fn server_texts_that_echo_a_secret_never_reach_an_error() {
    let s = Session::new(Fake::new(), config(), Some(member(NOW)));
    s.platform().serve(|_| Ok(reply(400, r#"{"error":"invalid_request","error_description":"bad token member-refresh"}"#)));
    let err = block_on(s.get_auth_headers()).unwrap_err();
    assert_eq!(err.code, ErrorCode::OAuth(OAuthErrorCode::InvalidRequest));
    assert_eq!(err.message, "token request failed");
    let v = visitor_session();
    answer_with(&v, 401, r#"{"message":"password hunter2 is wrong","details":{"applicationError":{"code":"-19976"}}}"#);
    let sm = block_on(v.login("a@b.c", "hunter2", None)).unwrap();
    assert_eq!(sm.error.as_deref(), Some("request failed"));
    answer_with(&v, 500, r#"{"message":"token vis rejected"}"#);
    let sm = block_on(v.login("a@b.c", "pw", None)).unwrap();
    assert_eq!((sm.error.as_deref(), sm.auth_error.unwrap().message.as_str()), (Some("request failed"), "request failed"));
}

#[test]
fn stale_storage_never_replaces_newer_tokens_that_could_not_be_stored() {
    let s = Session::new(Fake::new(), config(), Some(member(NOW)));
    wix(s.platform());
    s.platform().storage_fails.set(true);
    assert_eq!(block_on(s.get_auth_headers()).unwrap(), "refreshed-1");
    assert_eq!(block_on(s.get_auth_headers()).unwrap(), "refreshed-1", "the old stored token is not adopted back");
    assert_eq!(s.platform().requests.borrow().len(), 1);
}

#[test]
fn without_any_storage_the_session_works_from_memory() {
    let s = session();
    wix(s.platform());
    s.platform().storage_fails.set(true);
    assert_eq!(block_on(s.get_auth_headers()).unwrap(), "visitor-1");
    assert_eq!(block_on(s.get_auth_headers()).unwrap(), "visitor-1");
    assert_eq!(s.platform().requests.borrow().len(), 1);
    let d = s.generate_oauth_data("http://shop/cb", None).unwrap();
    assert_eq!(block_on(s.get_member_tokens("c", &d.state, Some(d.clone()))).unwrap().access_token.value, "member-access");
    assert!(s.logged_in());
}

#[test]
fn empty_initial_tokens_restore_instead_of_wiping_the_stored_session() {
    let first = Session::new(Fake::new(), config(), Some(member(NOW + 999)));
    let empty = Tokens {
        access_token: AccessToken { value: String::new(), expires_at: 0 },
        refresh_token: RefreshToken { value: String::new(), role: Role::None },
    };
    let reloaded = Session::new(Fake::with_storage(first.platform().storage.clone()), config(), Some(empty));
    assert!(reloaded.logged_in());
    assert!(first.platform().stored(TOKENS).is_some());
}

#[test]
fn abandoned_login_attempts_are_pruned_from_storage() {
    let s = session();
    let first = s.generate_oauth_data("http://shop/cb", None).unwrap();
    let key = |d: &OAuthData| ["wix-headless-auth:cid:oauth:", &d.state].concat();
    s.platform().advance_secs(15 * 60);
    let second = s.generate_oauth_data("http://shop/cb", None).unwrap();
    assert_eq!(s.platform().stored(&key(&first)), None, "expired and never called back: removed");
    assert!(s.platform().stored(&key(&second)).is_some());
    let many: Vec<OAuthData> = (0..8).map(|_| s.generate_oauth_data("http://shop/cb", None).unwrap()).collect();
    assert_eq!(s.platform().stored(&key(&second)), None, "at most 8 pending: the oldest goes");
    assert!(many.iter().all(|d| s.platform().stored(&key(d)).is_some()));
    let oauth_keys = s.platform().storage.borrow().keys().filter(|k| k.contains(":oauth:")).count();
    assert_eq!(oauth_keys, 8);
}

#[test]
fn direct_login_rejects_an_answer_for_another_state() {
    let s = visitor_session();
    wix(s.platform());
    s.platform().frame(|_, _, _, _| Ok(CallbackParams { code: "c".into(), state: "other".into(), ..Default::default() }));
    assert_eq!(block_on(s.get_member_tokens_for_direct_login("sess")).unwrap_err().code, ErrorCode::StateMismatch);
    assert_eq!(s.platform().paths(), vec!["/_api/redirects-api/v1/redirect-session"], "no code exchange");
}

#[test]
fn redirect_session_errors_carry_status_request_id_and_server_message() {
    let s = visitor_session();
    answer_with(&s, 400, r#"{"message":"invalid redirect uri"}"#);
    let d = s.generate_oauth_data("http://shop/cb", None).unwrap();
    let err = block_on(s.get_auth_url(Some(&d), AuthUrlOptions::default())).unwrap_err();
    assert_eq!(
        (err.code, err.status, err.request_id.as_deref(), err.message.as_str()),
        (ErrorCode::HttpError, 400, Some("req-1"), "invalid redirect uri")
    );
    let err = block_on(s.sync_with_wix_pages()).unwrap_err();
    assert_eq!(err.status, 400);
    assert!(!s.is_session_synced(), "a failed pre-warm is not recorded");
}

#[test]
fn tabs_opened_together_mint_one_visitor_for_the_browser() {
    let a = session();
    let b = Session::new(a.platform().another_tab(), config(), None);
    let minted = Rc::new(Cell::new(0));
    for tab in [&a, &b] {
        let n = minted.clone();
        tab.platform().serve(move |_| {
            n.set(n.get() + 1);
            Ok(reply(200, &token_body(&["visitor-", &n.get().to_string()].concat(), Some("vr"), 14400)))
        });
    }
    let (ta, tb) = block_on(async { futures::join!(a.get_auth_headers(), b.get_auth_headers()) });
    assert_eq!(minted.get(), 1, "one anonymous request across both tabs");
    assert_eq!((ta.unwrap(), tb.unwrap()), ("visitor-1".to_string(), "visitor-1".to_string()));
    assert_eq!(a.platform().lock.taken.get(), 2);
}

#[test]
fn tabs_refreshing_together_send_one_refresh() {
    let a = Session::new(Fake::new(), config(), Some(member(NOW)));
    let b = Session::new(a.platform().another_tab(), config(), None);
    wix(a.platform());
    wix(b.platform());
    let (ta, tb) = block_on(async { futures::join!(a.get_auth_headers(), b.renew_token(b.get_tokens().refresh_token)) });
    let sent = a.platform().requests.borrow().len() + b.platform().requests.borrow().len();
    assert_eq!(sent, 1, "the waiting tab adopts the other's refresh");
    assert_eq!(ta.unwrap(), tb.unwrap().access_token.value);
    assert!(a.logged_in() && b.logged_in());
}

#[test]
fn without_web_locks_tabs_opened_together_still_mint_one_visitor() {
    let a = session();
    a.platform().no_locks.set(true);
    let tabs: Vec<_> = (0..3)
        .map(|_| {
            let tab = a.platform().another_tab();
            tab.no_locks.set(true);
            Session::new(tab, config(), None)
        })
        .collect();
    let minted = Rc::new(Cell::new(0));
    for tab in std::iter::once(&a).chain(&tabs) {
        let n = minted.clone();
        tab.platform().serve(move |_| {
            n.set(n.get() + 1);
            Ok(reply(200, &token_body(&["visitor-", &n.get().to_string()].concat(), Some("vr"), 14400)))
        });
    }
    let all = block_on(join_all(std::iter::once(&a).chain(&tabs).map(|t| t.get_auth_headers())));
    assert_eq!(minted.get(), 1, "one anonymous request across four tabs leasing storage");
    assert!(all.iter().all(|t| t.as_deref() == Ok("visitor-1")), "{all:?}");
    let lease_key = config().key("token-lock");
    assert_eq!(a.platform().stored(&lease_key), None, "every lease is given back");
    assert_eq!(a.platform().lock.taken.get(), 0, "the Web Locks stand-in was never asked");
}

#[test]
fn a_lease_left_by_a_closed_tab_expires() {
    let s = session();
    s.platform().no_locks.set(true);
    let key = config().key("token-lock");
    let until = T0_MS + 3_000;
    s.platform().storage.borrow_mut().insert(key.clone(), ["closed-tab ", &until.to_string()].concat());
    s.platform().serve(|_| Ok(reply(200, &token_body("visitor", Some("vr"), 14400))));
    assert_eq!(block_on(s.get_auth_headers()).unwrap(), "visitor");
    assert!(s.platform().now_ms() >= until, "waited for the stale lease to run out");
    assert_eq!(s.platform().stored(&key), None);
}

#[test]
fn every_stored_change_is_announced_to_other_tabs_and_sync_adopts_it_at_once() {
    let a = Session::new(Fake::new(), config(), Some(member(NOW + 9999)));
    let b = Session::new(a.platform().another_tab(), config(), None);
    let announced = a.platform().announced.get();
    let ended = Rc::new(RefCell::new(Vec::new()));
    let seen = ended.clone();
    b.subscribe(Box::new(move |e| {
        if let Event::SessionEnded(r) = e {
            seen.borrow_mut().push(*r);
        }
    }));
    a.platform().serve(|_| Ok(reply(200, REDIRECT)));
    block_on(a.logout("http://shop/")).unwrap();
    assert!(a.platform().announced.get() > announced, "the sign-out was announced");
    b.sync();
    assert_eq!(*ended.borrow(), vec![SessionEndReason::SignedOutInAnotherTab]);
    assert!(!b.logged_in());
}

#[test]
fn a_refused_access_token_is_refreshed_and_the_call_retried_once() {
    let s = Session::new(Fake::new(), config(), Some(member(NOW + 9999)));
    let refused = Rc::new(Cell::new(true));
    let flag = refused.clone();
    s.platform().serve(move |r| {
        Ok(if grant(r) == "refresh_token" {
            reply(200, &token_body("fresh", None, 14400))
        } else if flag.replace(false) {
            reply(401, r#"{"message":"token revoked","details":{"applicationError":{"code":"UNAUTHENTICATED"}}}"#)
        } else {
            reply(200, REDIRECT)
        })
    });
    let d = s.generate_oauth_data("http://shop/cb", None).unwrap();
    block_on(s.get_auth_url(Some(&d), AuthUrlOptions::default())).unwrap();
    let auth: Vec<String> = s
        .platform()
        .requests
        .borrow()
        .iter()
        .map(|r| r.headers.iter().find(|(k, _)| k == "Authorization").map_or("-".into(), |(_, v)| v.clone()))
        .collect();
    assert_eq!(auth, vec!["member-access", "-", "fresh"], "refused, refreshed, retried with the new token");
    assert!(s.logged_in());
}

#[test]
fn a_wrong_password_401_is_an_answer_not_a_token_problem() {
    let s = visitor_session();
    answer_with(&s, 401, r#"{"message":"wrong password","details":{"applicationError":{"code":"-19976"}}}"#);
    let sm = block_on(s.login("a@b.c", "pw", None)).unwrap();
    assert_eq!(sm.error_code, Some(LoginErrorCode::InvalidPassword));
    assert_eq!(s.platform().requests.borrow().len(), 1, "no refresh, no retry");
}

#[test]
fn generate_visitor_tokens_never_turns_a_refused_member_into_a_visitor() {
    let s = session();
    s.platform().serve(|_| Ok(invalid_grant()));
    let log = events(&s);
    let err = block_on(s.generate_visitor_tokens(Some(member(NOW - 1)))).unwrap_err();
    assert_eq!(err.code, ErrorCode::SessionEnded);
    assert!(s.platform().requests.borrow().iter().all(|r| grant(r) != "anonymous"));
    assert_eq!(ended(&log), vec![SessionEndReason::RefreshRejected]);
    let err = block_on(s.renew_token(RefreshToken { value: "member-refresh".into(), role: Role::Member })).unwrap_err();
    assert_eq!(err.code, ErrorCode::OAuth(OAuthErrorCode::InvalidGrant), "a token the session no longer holds ends nothing");
    assert!(s.platform().requests.borrow().iter().all(|r| grant(r) != "anonymous"));
}

#[test]
fn renewing_the_members_own_refused_token_ends_the_session() {
    let s = Session::new(Fake::new(), config(), Some(member(NOW + 9999)));
    s.platform().serve(|_| Ok(invalid_grant()));
    let log = events(&s);
    let rt = s.get_tokens().refresh_token;
    assert_eq!(block_on(s.renew_token(rt)).unwrap_err().code, ErrorCode::SessionEnded);
    assert!(!s.logged_in());
    assert_eq!(ended(&log), vec![SessionEndReason::RefreshRejected]);
}

// ---------------------------------------------------------------- issue 15 item 4: lost refresh answers

/// A Wix with refresh-token rotation and reuse detection (RFC 9700 §4.14.2) whose first
/// `lose` refresh answers are lost on the way back: the server has rotated the token, the
/// client sees a timeout. Returns the number of family revocations it made.
fn rotating_wix_losing_answers(fake: &Fake, first: &str, lose: u32) -> Rc<Cell<u32>> {
    let active = Rc::new(RefCell::new(first.to_string()));
    let revoked = Rc::new(Cell::new(0));
    let (left, n, count) = (Cell::new(lose), Cell::new(0), revoked.clone());
    fake.serve(move |r| {
        let presented = body_json(r)["refreshToken"].as_str().unwrap_or("").to_string();
        if grant(r) != "refresh_token" {
            return Ok(reply(404, ""));
        }
        if count.get() > 0 || presented != *active.borrow() {
            count.set(count.get() + 1);
            return Ok(invalid_grant());
        }
        n.set(n.get() + 1);
        let next = ["rotated-", &n.get().to_string()].concat();
        *active.borrow_mut() = next.clone();
        if left.get() > 0 {
            left.set(left.get() - 1);
            return Err(AuthError::new(ErrorCode::Timeout, "the server did not answer in time"));
        }
        Ok(reply(200, &token_body(&["access-", &n.get().to_string()].concat(), Some(&next), 14400)))
    });
    revoked
}

#[test]
fn issue15_item4_a_timed_out_refresh_is_not_resent_and_the_member_keeps_working() {
    // The access token expires in 30 s: inside the 60 s margin, so a refresh is due, but the
    // server still takes it.
    let s = Session::new(Fake::new(), config(), Some(member(NOW + 14_400)));
    s.platform().advance_secs(14_400 - 30);
    let revoked = rotating_wix_losing_answers(s.platform(), "member-refresh", 1);
    let log = events(&s);
    assert_eq!(block_on(s.get_auth_headers()).unwrap(), "member-access", "served until it really expires");
    let grants: Vec<String> = s.platform().requests.borrow().iter().map(grant).collect();
    assert_eq!(grants, vec!["refresh_token"], "one refresh, no blind retry with the same token");
    assert_eq!(revoked.get(), 0, "the server never saw the spent token again");
    assert!(s.logged_in() && ended(&log).is_empty());
    assert!(s.platform().sleeps.borrow().is_empty(), "no retry backoff either");
}

/// A member 30 s before expiry (inside the 60 s margin) whose refresh answer was lost: the call
/// was answered with the held access token.
fn member_after_a_lost_refresh_answer() -> Session<Fake> {
    let s = Session::new(Fake::new(), config(), Some(member(NOW + 14_400)));
    s.platform().advance_secs(14_400 - 30);
    rotating_wix_losing_answers(s.platform(), "member-refresh", 1);
    assert_eq!(block_on(s.get_auth_headers()).unwrap(), "member-access");
    s
}

#[test]
fn a_lost_refresh_answer_defers_the_next_refresh_until_the_token_really_expires() {
    let s = member_after_a_lost_refresh_answer();
    // Later calls inside the margin use the token with no request: none sends again the refresh
    // token the server may have rotated, none waits for another timeout; the JS fast path may
    // serve it until it really expires.
    s.platform().advance_secs(20);
    assert_eq!(block_on(s.get_auth_headers()).unwrap(), "member-access");
    assert_eq!(s.usable_access_token(), Some(("member-access".into(), (NOW + 14_400) * 1000)));
    assert_eq!(s.platform().requests.borrow().len(), 1);
    // Once it really has expired, the refresh is sent again.
    s.platform().advance_secs(10);
    let _ = block_on(s.get_auth_headers());
    let grants: Vec<String> = s.platform().requests.borrow().iter().map(grant).collect();
    assert_eq!(grants, vec!["refresh_token", "refresh_token"]);
}

#[test]
fn a_deferred_refresh_ends_when_the_tokens_change() {
    let s = member_after_a_lost_refresh_answer();
    // New tokens for 100 s (margin 50 s, half their life): 60 s later they are inside it and
    // refreshed, as any tokens would be; the old tokens' deferral does not carry over.
    s.set_tokens(tokens("other-access", NOW + 14_400 - 30 + 100, "other-refresh", Role::Member)).unwrap();
    s.platform().advance_secs(60);
    let _ = block_on(s.get_auth_headers());
    let requests = s.platform().requests.borrow();
    assert_eq!(requests.len(), 2);
    assert_eq!(body_json(&requests[1])["refreshToken"], "other-refresh");
}

#[test]
fn issue15_item4_a_timed_out_refresh_of_an_expired_token_is_a_timeout_and_keeps_the_member() {
    let s = Session::new(Fake::new(), config(), Some(member(NOW)));
    let revoked = rotating_wix_losing_answers(s.platform(), "member-refresh", 1);
    let log = events(&s);
    let err = block_on(s.get_auth_headers()).unwrap_err();
    assert_eq!((err.code, err.status), (ErrorCode::Timeout, 0));
    assert_eq!(s.platform().requests.borrow().len(), 1);
    assert_eq!(revoked.get(), 0);
    assert!(s.logged_in() && ended(&log).is_empty());
    assert_eq!(s.get_tokens(), member(NOW), "the member's tokens are kept");
}

#[test]
fn issue15_item4_after_a_lost_answer_another_tabs_result_wins() {
    let a = Session::new(Fake::new(), config(), Some(member(NOW)));
    let b = Session::new(a.platform().another_tab(), config(), None);
    // Tab A's refresh is processed but its answer lost; tab B holds the result (it refreshed
    // in the meantime, e.g. the answer reached it through its own request).
    a.platform().serve({
        let storage = a.platform().storage.clone();
        move |_| {
            let fresh = tokens("from-tab-b", NOW + 14400, "rotated-by-b", Role::Member);
            let stored = serde_json::json!({"accessToken": fresh.access_token, "refreshToken": fresh.refresh_token, "issuedAt": NOW});
            storage.borrow_mut().insert(TOKENS.into(), stored.to_string());
            Err(AuthError::new(ErrorCode::Timeout, "no answer"))
        }
    });
    assert_eq!(block_on(a.get_auth_headers()).unwrap(), "from-tab-b");
    assert_eq!(a.platform().requests.borrow().len(), 1);
    assert_eq!(a.get_tokens().refresh_token.value, "rotated-by-b");
    assert_eq!(b.get_tokens().refresh_token.value, "rotated-by-b");
    assert!(a.logged_in());
}

#[test]
fn issue15_item4_a_refresh_refused_by_a_5xx_reply_is_still_retried() {
    // The server answered that it did not do it: the same token is safe to send again.
    let s = Session::new(Fake::new(), config(), Some(member(NOW)));
    let calls = Cell::new(0);
    s.platform().serve(move |_| {
        calls.set(calls.get() + 1);
        Ok(if calls.get() == 1 { reply(503, "") } else { reply(200, &token_body("after-503", None, 14400)) })
    });
    assert_eq!(block_on(s.get_auth_headers()).unwrap(), "after-503");
    assert_eq!(s.platform().requests.borrow().len(), 2);
}

// ---------------------------------------------------------------- issue 15 item 7: foreign error texts

#[test]
fn issue15_item7_an_error_description_for_a_state_not_issued_here_never_reaches_the_message() {
    // parseFromUrl returns an error callback as @wix/sdk does (its text is the caller's to show
    // or not); what this library turns into an AuthError never carries that text.
    let s = session();
    wix(s.platform());
    let lure = "Your+account+is+locked.+Call+%2B1-555-0100+now";
    for state in ["", "never-issued-here"] {
        let url = ["http://shop/cb#error=access_denied&error_description=", lure, "&state=", state].concat();
        let p = s.parse_from_url(&url, ResponseMode::Fragment).unwrap();
        assert_eq!(p.error.as_deref(), Some("access_denied"));
        assert_eq!(p.code, None);
        let err = block_on(s.get_member_tokens(p.code.as_deref().unwrap_or(""), p.state.as_deref().unwrap_or(""), None)).unwrap_err();
        assert!(!err.message.contains("locked") && !err.message.contains("555"), "{}", err.message);
    }
    assert!(s.platform().paths().is_empty(), "nothing was sent for a foreign callback");
}

// ---------------------------------------------------------------- issue 15 item 3: logout clears first

#[test]
fn issue15_item3_logout_clears_tokens_and_pending_logins_before_the_request_completes() {
    let s = Session::new(Fake::new(), config(), Some(member(NOW + 999)));
    wix(s.platform());
    let d = s.generate_oauth_data("http://shop/cb", None).unwrap();
    s.platform().storage.borrow_mut().insert("wix-headless-auth:cid:verification".into(), format!(r#"{{"stateToken":"st","expiresAtMs":{}}}"#, T0_MS + 60_000));
    let other_tab = Session::new(s.platform().another_tab(), config(), None);
    assert!(other_tab.logged_in());
    let log = events(&s);
    // The logout request never completes.
    s.platform().latency(|_| u32::MAX);
    block_on(async {
        let mut logout = Box::pin(s.logout("http://shop/"));
        assert!(futures::poll!(&mut logout).is_pending(), "the request is in flight");
        assert_eq!(s.platform().requests.borrow().len(), 1);
        let left: Vec<String> = s.platform().storage.borrow().keys().cloned().collect();
        assert!(left.is_empty(), "nothing of the member is left in storage: {left:?}");
        assert!(!s.logged_in());
        assert!(s.platform().announced.get() > 0, "the other tabs were told");
        assert!(!other_tab.logged_in(), "another tab sees the sign-out at once");
        assert_eq!(ended(&log), vec![SessionEndReason::SignedOut]);
        drop(logout); // the tab closes
    });
    assert_eq!(block_on(s.get_member_tokens("code", &d.state, None)).unwrap_err().code, ErrorCode::UnknownState, "a login started before the sign-out cannot complete");
    let sm = block_on(s.process_verification("123", None)).unwrap();
    assert_eq!(sm.login_state, LoginState::Failure);
    assert_eq!(sm.auth_error.map(|c| c.code), Some("no_pending_verification".into()), "the pending verification is gone");
    assert_eq!(s.platform().requests.borrow().len(), 1, "neither sent anything");
}

#[test]
fn issue15_item3_logout_sends_the_members_token_it_held_before_clearing() {
    let s = Session::new(Fake::new(), config(), Some(member(NOW + 999)));
    wix(s.platform());
    let out = block_on(s.logout("http://shop/")).unwrap();
    assert_eq!(out.logout_url, "https://api.test/_api/oauth2/authorize?x=1");
    let reqs = s.platform().requests.borrow().clone();
    assert_eq!(reqs.len(), 1, "no visitor was minted for it");
    assert!(reqs[0].headers.contains(&("Authorization".into(), "member-access".into())));
    // A member whose access token has expired: the request goes out with a visitor's token.
    let s = Session::new(Fake::new(), config(), Some(member(NOW)));
    wix(s.platform());
    block_on(s.logout("http://shop/")).unwrap();
    assert_eq!(s.platform().paths(), vec!["/oauth2/token", "/_api/redirects-api/v1/redirect-session"]);
    assert_eq!(grant(&s.platform().requests.borrow()[0]), "anonymous", "never a refresh of the signed-out member");
}

// ---------------------------------------------------------------- issue 15 item 5: server URLs

fn redirect_reply_with(full_url: &str, endpoint: &str) -> String {
    serde_json::json!({"redirectSession": {"id": "rs", "fullUrl": full_url, "urlDetails": {"endpoint": endpoint, "searchParams": {}}}}).to_string()
}

fn serve_redirect(s: &Session<Fake>, full_url: &str, endpoint: &str) {
    let body = redirect_reply_with(full_url, endpoint);
    s.platform().serve(move |r| {
        Ok(if r.url.ends_with("/oauth2/token") { reply(200, &token_body("v", Some("vr"), 14400)) } else { reply(200, &body) })
    });
}

const UNSAFE: [(&str, &str); 6] = [
    ("javascript:alert(document.cookie)", "https://site.test/_api/oauth2/authorize"),
    ("data:text/html,<script>alert(1)</script>", "https://site.test/_api/oauth2/authorize"),
    ("http://site.test/_api/oauth2/authorize?s=1", "http://site.test/_api/oauth2/authorize"),
    ("https://evil.test/_api/oauth2/authorize?s=1", "https://site.test/_api/oauth2/authorize"),
    (" javascript:alert(1)", "https://site.test/"),
    ("https://site.test@evil.test/", "https://site.test/"),
];

#[test]
fn issue15_item5_unsafe_auth_and_logout_urls_are_typed_errors() {
    for (full, endpoint) in UNSAFE {
        let s = session();
        serve_redirect(&s, full, endpoint);
        let d = s.generate_oauth_data("http://shop/cb", None).unwrap();
        let err = block_on(s.get_auth_url(Some(&d), AuthUrlOptions::default())).unwrap_err();
        assert_eq!((err.code, err.code.as_str()), (ErrorCode::UnsafeUrl, "unsafe_url"), "{full}");
        assert!(!err.message.contains(full.trim()), "the URL is not repeated");
        let err = block_on(s.logout("http://shop/")).unwrap_err();
        assert_eq!(err.code, ErrorCode::UnsafeUrl, "{full}");
        assert!(!s.logged_in());
    }
    // What the real service and the emulator send passes: https, or http on loopback.
    for (full, endpoint) in [
        ("https://site.test/_api/oauth2/authorize?s=1", "https://site.test/_api/oauth2/authorize"),
        ("http://127.0.0.1:4000/_api/oauth2/authorize?s=1", "http://127.0.0.1:4000/_api/oauth2/authorize"),
    ] {
        let s = session();
        serve_redirect(&s, full, endpoint);
        let d = s.generate_oauth_data("http://shop/cb", None).unwrap();
        assert_eq!(block_on(s.get_auth_url(Some(&d), AuthUrlOptions::default())).unwrap().auth_url, full);
    }
}

#[test]
fn issue15_item5_frames_load_only_the_redirect_sessions_own_host() {
    for (full, endpoint) in UNSAFE {
        let s = session();
        serve_redirect(&s, full, endpoint);
        s.platform().frame(|_, _, state, _| Ok(CallbackParams { code: "c".into(), state: state.into(), ..Default::default() }));
        assert_eq!(block_on(s.get_member_tokens_for_direct_login("sess")).unwrap_err().code, ErrorCode::UnsafeUrl, "{full}");
        assert_eq!(block_on(s.sync_with_wix_pages()).unwrap_err().code, ErrorCode::UnsafeUrl, "{full}");
        assert!(s.platform().frame_calls.borrow().is_empty(), "the direct-login frame never loaded {full}");
        assert!(s.platform().loaded_frames.borrow().is_empty(), "the pre-warm frame never loaded {full}");
        assert!(!s.logged_in());
    }
}

#[test]
fn issue15_item3_logout_with_a_revoked_member_token_asks_again_as_a_visitor() {
    let s = Session::new(Fake::new(), config(), Some(member(NOW + 999)));
    s.platform().serve(|r| {
        let auth = r.headers.iter().find(|(k, _)| k == "Authorization").map(|(_, v)| v.as_str());
        Ok(match (r.url.trim_start_matches(BASE), auth) {
            ("/oauth2/token", _) if grant(r) == "anonymous" => reply(200, &token_body("visitor-1", Some("vr"), 14400)),
            ("/oauth2/token", _) => invalid_grant(),
            (_, Some("member-access")) => reply(401, r#"{"message":"revoked","details":{"applicationError":{"code":"UNAUTHENTICATED"}}}"#),
            (_, Some(_)) => reply(200, REDIRECT),
            _ => reply(404, ""),
        })
    });
    let out = block_on(s.logout("http://shop/")).unwrap();
    assert_eq!(out.logout_url, "https://api.test/_api/oauth2/authorize?x=1");
    let grants: Vec<String> = s.platform().requests.borrow().iter().map(grant).collect();
    assert_eq!(grants, vec!["", "anonymous", ""], "no refresh of the signed-out member's token");
    assert!(!s.logged_in());
}

/// Stored tokens are read by shape: what Wix's `Tokens` deserializer takes (plus `issuedAt`), and
/// nothing it refuses.
#[test]
fn stored_tokens_are_read_as_wix_tokens_are() {
    let at = r#""accessToken":{"value":"a","expiresAt":9}"#;
    for text in [
        format!(r#"{{{at},"refreshToken":{{"value":"r","role":"member"}},"x":[{{}}]}}"#),
        format!(r#"{{{at},"refreshToken":{{"value":"r"}}}}"#),
        format!(r#"{{{at},"refreshToken":{{"value":"r","role":"admin"}}}}"#),
        format!(r#"{{{at},"refreshToken":{{"value":"r","role":null}}}}"#),
        format!(r#"{{{at},"refreshToken":{{"role":"visitor"}}}}"#),
        format!(r#"{{{at}}}"#),
        r#"{"accessToken":{"value":"a","expiresAt":-1},"refreshToken":{"value":"r"}}"#.into(),
        r#"{"accessToken":{"value":"a","expiresAt":1.5},"refreshToken":{"value":"r"}}"#.into(),
        r#"{"accessToken":{"value":5,"expiresAt":9},"refreshToken":{"value":"r"}}"#.into(),
        r#"{"accessToken":"a","refreshToken":{"value":"r"}}"#.into(),
        "[]".into(),
    ] {
        let v: JsonValue = serde_json::from_str(&text).unwrap();
        let read = StoredTokens::read(&v).map(|s| Tokens { access_token: s.access_token, refresh_token: s.refresh_token });
        assert_eq!(read, serde_json::from_str::<Tokens>(&text).ok(), "{text}");
    }
    let issued = |text: &str| StoredTokens::read(&serde_json::from_str(text).unwrap()).map(|s| s.issued_at);
    let rt = r#""refreshToken":{"value":"r"}"#;
    assert_eq!(issued(&format!(r#"{{{at},{rt},"issuedAt":7}}"#)), Some(7));
    assert_eq!(issued(&format!(r#"{{{at},{rt}}}"#)), Some(0), "written before issuedAt was");
    assert_eq!(issued(&format!(r#"{{{at},{rt},"issuedAt":"7"}}"#)), None);
    // Written as Wix's `Tokens` plus `issuedAt`, and read back as written.
    let stored = StoredTokens::read(&serde_json::from_str(&format!(r#"{{{at},{rt},"issuedAt":7}}"#)).unwrap()).unwrap();
    assert_eq!(
        serde_json::to_string(&stored.to_json()).unwrap(),
        r#"{"accessToken":{"value":"a","expiresAt":9},"refreshToken":{"value":"r","role":"none"},"issuedAt":7}"#
    );
    assert_eq!(StoredTokens::read(&stored.to_json()).map(|s| s.issued_at), Some(7));
}

/// An index of pending logins with unreadable entries keeps its readable ones, so a sign-out
/// still removes the attempts they name.
#[test]
fn a_damaged_index_of_pending_logins_keeps_its_readable_entries() {
    let s = session();
    let d = s.generate_oauth_data("http://shop/cb", None).unwrap();
    let index_key = config().key("oauth");
    let good = s.platform().stored(&index_key).unwrap();
    let damaged = good.replacen('[', r#"[7,["x"],["y",-1],{"a":1},"#, 1);
    s.platform().storage.borrow_mut().insert(index_key.clone(), damaged);
    s.forget_pending_logins();
    assert_eq!(s.platform().stored(&config().key(&["oauth:", &d.state].concat())), None);
    assert_eq!(s.platform().stored(&index_key), None);
}
