//! Issue 12: the emulator as a model of the live service. Each test names the item it proves;
//! the evidence for each behaviour is cited in emulator/README.md ("Where the Wix contract was
//! guessed" lists what has none).

mod common;

use common::*;
use serde_json::{json, Value};
use wix_auth_protocol::callback::parse_callback;
use wix_auth_protocol::form;
use wix_auth_protocol::redirect_session::ResponseMode;

fn app_code(body: &Value) -> &str {
    body["details"]["applicationError"]["code"].as_str().unwrap_or_default()
}

async fn status_of(resp: reqwest::RequestBuilder) -> u16 {
    resp.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn issue12_item1_two_origins_each_host_answers_only_its_own_routes() {
    let emu = Emulator::start(&[]);
    assert_ne!(emu.url, emu.site, "two origins");
    let (_, challenge) = pkce_pair();
    let (status, s) = emu.auth_session(&challenge, "login", json!({})).await;
    assert_eq!(status, 200, "{s}");
    let full = s["redirectSession"]["fullUrl"].as_str().unwrap();
    assert!(full.starts_with(&format!("{}/_api/oauth2/authorize?", emu.site)), "{full}");
    assert_eq!(s["redirectSession"]["urlDetails"]["endpoint"], format!("{}/_api/oauth2/authorize", emu.site));
    assert_eq!(status_of(emu.http.get(full)).await, 200, "the page is served by the site host");

    // A client that confuses the hosts fails: the API host has no hosted pages...
    let query = full.split_once('?').unwrap().1;
    for page in ["/_api/oauth2/authorize", "/_api/oauth2/logout", "/_api/oauth2/prewarm", "/_api/iam/recovery/v1/reset", "/oauth2/device"] {
        assert_eq!(status_of(emu.http.get(emu.api_at(&format!("{page}?{query}")))).await, 404, "API host, {page}");
    }
    // ...and the site host has no API.
    let visitor = emu.visitor_token().await;
    for path in ["/oauth2/token", "/_api/redirects-api/v1/redirect-session", "/_api/iam/authentication/v2/login", "/_api/iam/recovery/v1/send-email", "/_emulator/reset"] {
        let req = emu.http.post(emu.site_at(path)).header("authorization", &visitor).json(&json!({"grantType": "anonymous", "clientId": CLIENT_ID}));
        assert_eq!(status_of(req).await, 404, "site host, {path}");
    }
    for path in ["/members/v1/members/my", "/_emulator/outbox", "/oauth2/device/code?clientId=x"] {
        assert_eq!(status_of(emu.http.get(emu.site_at(path)).header("authorization", &visitor)).await, 404, "site host, {path}");
    }

    // Links to hosted pages are on the site host: the reset link, the device page.
    member(&emu, "two@example.com").await;
    emu.post("/_api/iam/recovery/v1/send-email", json!({"email": "two@example.com", "redirect": {"url": REDIRECT_URI, "clientId": CLIENT_ID}})).await;
    let link = emu.outbox("two@example.com").await[0]["link"].as_str().unwrap().to_owned();
    assert!(link.starts_with(&format!("{}/_api/iam/recovery/v1/reset?", emu.site)), "{link}");
    let (_, device) = emu.get(&format!("/oauth2/device/code?clientId={CLIENT_ID}")).await;
    assert_eq!(device["verificationUri"], format!("{}/oauth2/device", emu.site));
}

#[test]
fn issue12_item1_site_port_is_api_port_plus_one_by_default_and_one_command_starts_both() {
    use std::io::{BufRead, BufReader};
    // A port whose successor is free too.
    let port = (0..50)
        .find_map(|_| {
            let a = std::net::TcpListener::bind("127.0.0.1:0").ok()?;
            let p = a.local_addr().ok()?.port();
            std::net::TcpListener::bind(("127.0.0.1", p.checked_add(1)?)).ok().map(|_| p)
        })
        .expect("two adjacent free ports");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_wix-auth-emulator"))
        .args(["--port", &port.to_string(), "--db", ":memory:"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let printed: Vec<String> = (0..3).map(|_| lines.next().unwrap().unwrap()).collect();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(printed[0], format!("wix-auth-emulator listening on http://127.0.0.1:{port}"));
    assert!(printed[1].starts_with("client id: "));
    assert_eq!(printed[2], format!("site: http://127.0.0.1:{}", port + 1));

    let clash = std::process::Command::new(env!("CARGO_BIN_EXE_wix-auth-emulator"))
        .args(["--port", "9000", "--site-port", "9000", "--db", ":memory:"])
        .output()
        .unwrap();
    assert_eq!(clash.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&clash.stderr).contains("--site-port 9000"), "{}", String::from_utf8_lossy(&clash.stderr));
}

#[tokio::test]
async fn issue12_item2_authorize_takes_the_flat_oauth_query() {
    let emu = Emulator::start(&[]);
    let (session, _) = member(&emu, "flat@example.com").await;
    let (verifier, challenge) = pkce_pair();
    let query = form::serialize([
        ("clientId", CLIENT_ID),
        ("responseType", "code"),
        ("state", "flat-state"),
        ("redirectUri", REDIRECT_URI),
        ("scope", "offline_access"),
        ("responseMode", "query"),
        ("codeChallenge", challenge.as_str()),
        ("codeChallengeMethod", "S256"),
        ("prompt", "none"),
        ("sessionToken", session.as_str()),
    ]);
    let resp = emu.http.get(emu.site_at(&format!("/_api/oauth2/authorize?{query}"))).send().await.unwrap();
    assert_eq!(resp.status(), 302);
    let back = location(&resp);
    assert!(back.starts_with(&format!("{REDIRECT_URI}?")), "302 to redirectUri?code=…&state=…: {back}");
    let callback = parse_callback(&back, ResponseMode::Query).unwrap();
    assert_eq!(callback.state, "flat-state");
    let (status, tokens) = emu.exchange(&callback.code, &verifier, Some(REDIRECT_URI)).await;
    assert_eq!(status, 200, "{tokens}");

    // The flat query is checked as a redirect session is.
    let bad = query.replace(CLIENT_ID, "unknown-client");
    assert_eq!(status_of(emu.http.get(emu.site_at(&format!("/_api/oauth2/authorize?{bad}")))).await, 400);
    let bad = query.replace("S256", "plain");
    assert_eq!(status_of(emu.http.get(emu.site_at(&format!("/_api/oauth2/authorize?{bad}")))).await, 400);
    let foreign = form::serialize([("clientId", CLIENT_ID), ("responseType", "code"), ("state", "s"), ("redirectUri", "http://evil.test/cb"),
        ("responseMode", "query"), ("codeChallenge", challenge.as_str()), ("codeChallengeMethod", "S256")]);
    let resp = emu.http.get(emu.site_at(&format!("/_api/oauth2/authorize?{foreign}"))).send().await.unwrap();
    assert_eq!(resp.status(), 400, "never redirected to an unregistered URI");
    // With prompt=login the form shows and posts back the stored session.
    let login = query.replace("prompt=none", "prompt=login").replace(&format!("&sessionToken={session}"), "");
    let page = emu.http.get(emu.site_at(&format!("/_api/oauth2/authorize?{login}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("name=\"redirectSessionId\""), "{page}");
}

#[tokio::test]
async fn issue12_item4_login_and_register_errors_use_only_documented_statuses() {
    let emu = Emulator::start(&["--require-captcha"]);
    let captcha = json!([{"Recaptcha": "ok"}]);
    let (status, _) = emu.post("/_api/iam/authentication/v2/register", json!({"loginId": {"email": "doc@example.com"}, "password": "pw-123", "captchaTokens": captcha})).await;
    assert_eq!(status, 200);
    let cases = [
        ("/_api/iam/authentication/v2/login", json!({"loginId": {"email": "doc@example.com"}, "password": "wrong", "captchaTokens": captcha}), 401, "-19976"),
        ("/_api/iam/authentication/v2/login", json!({"loginId": {"email": "nobody@example.com"}, "password": "pw", "captchaTokens": captcha}), 403, "-19999"),
        ("/_api/iam/authentication/v2/register", json!({"loginId": {"email": "doc@example.com"}, "password": "pw", "captchaTokens": captcha}), 400, "-19995"),
        ("/_api/iam/authentication/v2/login", json!({"loginId": {"email": "doc@example.com"}, "password": "pw-123"}), 400, "-19971"),
        ("/_api/iam/authentication/v2/login", json!({"loginId": {"email": "doc@example.com"}, "password": "pw-123", "captchaTokens": [{"Recaptcha": "invalid-captcha-token"}]}), 400, "-19970"),
    ];
    for (path, body, want, code) in cases {
        let (status, e) = emu.post(path, body).await;
        assert_eq!((status.as_u16(), app_code(&e)), (want, code), "{path}: {e}");
        assert!([400, 401, 403, 429, 500].contains(&status.as_u16()), "Login V2 documents 400, 401, 403, 429, 500");
    }
}

#[tokio::test]
async fn issue12_item4_unpublished_site_answers_site_not_published_exception() {
    let emu = Emulator::start(&["--site-not-published"]);
    let (_, challenge) = pkce_pair();
    let (status, e) = emu.auth_session(&challenge, "login", json!({})).await;
    assert_eq!((status.as_u16(), app_code(&e)), (428, "SITE_NOT_PUBLISHED_EXCEPTION"), "{e}");
    let (status, e) = emu.post("/_api/redirects-api/v1/redirect-session", json!({"logout": {"clientId": CLIENT_ID}})).await;
    assert_eq!((status.as_u16(), app_code(&e)), (428, "SITE_NOT_PUBLISHED_EXCEPTION"));
    // Tokens do not depend on the site being published.
    emu.anonymous().await;
    let published = Emulator::start(&[]);
    assert_eq!(published.auth_session(&challenge, "login", json!({})).await.0, 200);
}

#[tokio::test]
async fn issue12_item4_a_refused_origin_gets_allowed_domains_fetch_failed_at_once() {
    let emu = Emulator::start(&[]);
    let (session, _) = member(&emu, "refused@example.com").await;
    let (_, challenge) = pkce_pair();
    let (_, s) = emu.auth_session(&challenge, "none", json!({"responseMode": "web_message", "redirectUri": null, "sessionToken": session})).await;
    let full = s["redirectSession"]["fullUrl"].as_str().unwrap();
    let resp = emu.http.get(full).header("referer", "https://evil.example/shop").send().await.unwrap();
    assert_eq!(resp.status(), 400);
    let csp = resp.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("https://evil.example"), "the refusal may be framed by the page it tells: {csp}");
    let html = resp.text().await.unwrap();
    assert!(html.contains("\"error\":\"Allowed_domains_fetch_failed\""), "{html}");
    assert!(html.contains("\"rejectedOrigin\":\"https://evil.example\""), "{html}");
    assert!(!html.contains("\"code\""), "no code for a refused origin");
}

#[tokio::test]
async fn issue12_item4_device_flow_as_the_live_service_speaks_it() {
    let emu = Emulator::start(&[]);
    member(&emu, "device@example.com").await;
    let (status, start) = emu.get(&format!("/oauth2/device/code?clientId={CLIENT_ID}")).await;
    assert_eq!(status, 200, "{start}");
    let mut keys: Vec<&str> = start.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["deviceCode", "expiresIn", "userCode", "verificationUri"], "camelCase, no interval");
    let poll = || {
        emu.post("/oauth2/token", json!({"clientId": CLIENT_ID, "grantType": "urn:ietf:params:oauth:grant-type:device_code",
            "scope": "offline_access", "deviceCode": start["deviceCode"]}))
    };
    let (status, e) = poll().await;
    assert_eq!((status.as_u16(), e["error"].as_str()), (400, Some("authorization_pending")), "{e}");
    let (_, e) = poll().await;
    assert_eq!(e["error"], "slow_down", "faster than the 3 s the live service's clients wait");
    let user_code = start["userCode"].as_str().unwrap();
    let resp = emu.post_form("/oauth2/device", &[("user_code", user_code), ("email", "device@example.com"), ("password", "secret-pw"), ("action", "approve")]).await;
    assert_eq!(resp.status(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(3050)).await;
    let (status, tokens) = poll().await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(status_of(emu.http.get(emu.api_at("/oauth2/device/code?clientId=nope"))).await, 400);
}

#[tokio::test]
async fn issue12_item5_identity_calls_need_the_visitors_authorization() {
    let emu = Emulator::start(&["--require-email-verification"]);
    let bodies = [
        ("/_api/iam/authentication/v2/register", json!({"loginId": {"email": "auth@example.com"}, "password": "pw-123"})),
        ("/_api/iam/authentication/v2/login", json!({"loginId": {"email": "auth@example.com"}, "password": "pw-123"})),
        ("/_api/iam/verification/v1/auth/verify", json!({"code": "000000", "stateToken": "x"})),
        ("/_api/iam/recovery/v1/send-email", json!({"email": "auth@example.com"})),
    ];
    let visitor = emu.visitor_token().await;
    let member_tokens = external_member(&emu, "someone@example.com").await;
    for (path, body) in &bodies {
        for (who, header) in [("none", None), ("garbage", Some("garbage")), ("a refresh token", member_tokens["refresh_token"].as_str())] {
            let mut req = emu.http.post(emu.api_at(path)).json(body);
            if let Some(h) = header {
                req = req.header("authorization", h);
            }
            let (status, e) = read(req.send().await.unwrap()).await;
            assert_eq!((status.as_u16(), app_code(&e)), (401, "UNAUTHENTICATED"), "{path} with {who}: {e}");
        }
        for token in [visitor.as_str(), member_tokens["access_token"].as_str().unwrap()] {
            let status = status_of(emu.http.post(emu.api_at(path)).header("authorization", token).json(body)).await;
            assert_ne!(status, 401, "{path} with an access token");
        }
    }
    // What @wix/sdk sends: the raw token, no `Bearer` (tolerated too).
    let req = emu.http.post(emu.api_at("/_api/iam/authentication/v2/login")).header("authorization", format!("Bearer {visitor}")).json(&bodies[1].1);
    assert_eq!(status_of(req).await, 200);
}

#[tokio::test]
async fn issue12_item5_reset_redirect_must_be_an_allowed_redirect_uri_exactly() {
    let emu = Emulator::start(&[]);
    member(&emu, "exact@example.com").await;
    for url in ["http://localhost:8080/callback.html?x=1", "http://localhost:8080/", "http://evil.test/callback.html", "http://localhost:8080/callback.htm"] {
        let (status, e) = emu.post("/_api/iam/recovery/v1/send-email", json!({"email": "exact@example.com", "redirect": {"url": url, "clientId": CLIENT_ID}})).await;
        assert_eq!(status, 400, "{url}: {e}");
    }
    assert!(emu.outbox("exact@example.com").await.is_empty(), "nothing sent");
    let (status, _) = emu.post("/_api/iam/recovery/v1/send-email", json!({"email": "exact@example.com", "redirect": {"url": REDIRECT_URI, "clientId": CLIENT_ID}})).await;
    assert_eq!(status, 200);
    assert_eq!(emu.outbox("exact@example.com").await.len(), 1);
}

#[tokio::test]
async fn issue12_item5_members_my_fieldsets_public_by_default_full_on_request() {
    let emu = Emulator::start(&[]);
    let tokens = external_member(&emu, "fields@example.com").await;
    let access = tokens["access_token"].as_str().unwrap();
    let get = |q: &'static str| read_json(emu.http.get(emu.api_at(&format!("/members/v1/members/my{q}"))).header("authorization", access));
    let (status, public) = get("").await;
    assert_eq!(status, 200);
    let mut keys: Vec<&str> = public["member"].as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["id", "profile"], "PUBLIC: only id and profile: {public}");
    assert_eq!(get("?fieldsets=PUBLIC").await.1, public);
    let (_, full) = get("?fieldsets=FULL").await;
    assert_eq!(full["member"]["id"], public["member"]["id"]);
    assert_eq!(full["member"]["loginEmail"], "fields@example.com");
    for key in ["status", "contact", "createdDate"] {
        assert!(full["member"].get(key).is_some(), "FULL has {key}: {full}");
    }
}

async fn read_json(req: reqwest::RequestBuilder) -> (reqwest::StatusCode, Value) {
    read(req.send().await.unwrap()).await
}
