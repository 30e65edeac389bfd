//! Dev-only endpoints, fault injection, CORS, and the catch-alls.

mod common;

use common::*;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn faults_fail_or_delay_the_next_token_requests() {
    let emu = Emulator::start(&[]);
    let (status, _) = emu.post("/_emulator/faults", json!({"endpoint": "token", "count": 2, "status": 503})).await;
    assert_eq!(status, 200);
    for _ in 0..2 {
        let (status, e) = emu.post("/oauth2/token", json!({"grantType": "anonymous", "clientId": CLIENT_ID})).await;
        assert_eq!((status.as_u16(), e["error"].as_str()), (503, Some("temporarily_unavailable")));
    }
    emu.anonymous().await;
    emu.post("/_emulator/faults", json!({"endpoint": "token", "count": 1, "delayMs": 300})).await;
    let t = Instant::now();
    emu.anonymous().await;
    assert!(t.elapsed() >= Duration::from_millis(300));
    let (status, _) = emu.post("/_emulator/faults", json!({"endpoint": "token", "count": 0, "status": 503})).await;
    assert_eq!(status, 400);
    // Reset clears faults.
    emu.post("/_emulator/faults", json!({"endpoint": "token", "count": 5, "status": 500})).await;
    emu.post("/_emulator/reset", json!({})).await;
    emu.anonymous().await;
}

#[tokio::test]
async fn revoking_an_access_token_leaves_its_refresh_token_working() {
    let emu = Emulator::start(&[]);
    let t = external_member(&emu, "revoked@example.com").await;
    let access = t["access_token"].as_str().unwrap();
    assert_eq!(emu.my(access).await.0, 200);
    let (status, body) = emu.post("/_emulator/tokens/revoke", json!({"accessToken": access})).await;
    assert_eq!((status.as_u16(), body), (200, json!({"revoked": true})));
    let (status, e) = emu.my(access).await;
    assert_eq!(status, 401);
    assert!(e["message"].as_str().unwrap().contains("revoked"), "{e}");
    // Already revoked, unknown, or a refresh token presented as an access token: nothing to revoke.
    for token in [access, "OauthNG.JWS.unknown", t["refresh_token"].as_str().unwrap()] {
        let (status, body) = emu.post("/_emulator/tokens/revoke", json!({"accessToken": token})).await;
        assert_eq!((status.as_u16(), body), (200, json!({"revoked": false})), "{token}");
    }
    // The client recovers: its refresh token still mints a working access token.
    let (status, fresh) = emu.post("/oauth2/token", json!({"grantType": "refresh_token", "clientId": CLIENT_ID, "refreshToken": t["refresh_token"]})).await;
    assert_eq!(status, 200, "{fresh}");
    assert_eq!(emu.my(fresh["access_token"].as_str().unwrap()).await.0, 200);
    for bad in [json!({}), json!({"accessToken": 1}), json!({"accessToken": "x", "other": 1})] {
        let (status, e) = emu.post("/_emulator/tokens/revoke", bad.clone()).await;
        assert_eq!((status.as_u16(), e["error"].as_str()), (400, Some("invalid_request")), "{bad}");
    }
}

#[tokio::test]
async fn reset_wipes_everything() {
    let emu = Emulator::start(&["--require-email-verification"]);
    emu.register("gone@example.com", "pw-123").await;
    assert_eq!(emu.outbox("gone@example.com").await.len(), 1);
    let (status, _) = emu.post("/_emulator/reset", json!({})).await;
    assert_eq!(status, 200);
    assert!(emu.outbox("gone@example.com").await.is_empty());
    assert_eq!(emu.login("gone@example.com", "pw-123").await.0, 401, "the visitor token is gone too");
    let (_, stats) = emu.get("/_emulator/stats").await;
    assert_eq!(stats["requests"]["/_api/iam/authentication/v2/login"], 1, "counted since the reset only: {stats}");
}

#[tokio::test]
async fn health_stats_cors_and_fallbacks() {
    let emu = Emulator::start(&["--allowed-origin", "http://app.test:3000"]);
    let (status, health) = emu.get("/_emulator/health").await;
    assert_eq!((status.as_u16(), health["status"].as_str()), (200, Some("ok")));
    emu.anonymous().await;
    let (_, stats) = emu.get("/_emulator/stats").await;
    assert_eq!(stats["grants"]["anonymous"], 1);
    assert_eq!(stats["requests"]["/oauth2/token"], 1);

    let resp = emu.http.get(emu.at("/no/such/thing")).send().await.unwrap();
    assert_eq!(resp.status(), 404);
    assert!(resp.headers().contains_key("x-wix-request-id"));
    let resp = emu.http.get(emu.at("/oauth2/token")).send().await.unwrap();
    assert_eq!(resp.status(), 405);

    for origin in [ORIGIN, "http://app.test:3000"] {
        let resp = emu.http.request(reqwest::Method::OPTIONS, emu.at("/oauth2/token"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "authorization,content-type,x-wix-bi-gateway")
            .send().await.unwrap();
        assert_eq!(resp.headers()["access-control-allow-origin"], origin);
        let allowed = resp.headers()["access-control-allow-headers"].to_str().unwrap().to_owned();
        assert!(allowed.contains("x-wix-bi-gateway") && allowed.contains("authorization"), "{allowed}");
        assert!(resp.headers().contains_key("x-wix-request-id"));
    }
    let resp = emu.http.post(emu.at("/oauth2/token")).header("origin", ORIGIN)
        .json(&json!({"grantType": "anonymous", "clientId": CLIENT_ID})).send().await.unwrap();
    assert!(resp.headers()["access-control-expose-headers"].to_str().unwrap().contains("x-wix-request-id"));
    let resp = emu.http.post(emu.at("/oauth2/token")).header("origin", "http://evil.test")
        .json(&json!({"grantType": "anonymous", "clientId": CLIENT_ID})).send().await.unwrap();
    assert!(!resp.headers().contains_key("access-control-allow-origin"));
}

#[tokio::test]
async fn bad_input_never_gets_a_5xx() {
    let emu = Emulator::start(&[]);
    let paths = [
        "/oauth2/token",
        "/oauth2/device/code",
        "/_api/redirects-api/v1/redirect-session",
        "/redirect-session/v1/redirect-session",
        "/_api/iam/authentication/v2/login",
        "/_api/iam/authentication/v2/register",
        "/_api/iam/authentication/v2/sign-on",
        "/_api/iam/verification/v1/auth/verify",
        "/_api/iam/recovery/v1/send-email",
        "/_emulator/faults",
        "/_emulator/tokens/revoke",
    ];
    let deep = "[".repeat(5000);
    let bodies: [&[u8]; 9] = [b"", b"{", b"[]", b"null", b"{\"a\":1}", b"\xff\xfe\x00", deep.as_bytes(), b"{\"loginId\":{\"email\":[]}}", b"{\"auth\":{},\"logout\":{}}"];
    for path in paths {
        for body in bodies {
            for ct in ["application/json", "application/x-www-form-urlencoded", "text/plain"] {
                let resp = emu.http.post(emu.at(path)).header("content-type", ct).body(body.to_vec()).send().await.unwrap();
                let status = resp.status();
                assert!(status.is_client_error(), "{path} {ct} {:?} → {status}", String::from_utf8_lossy(body));
                let (_, json) = read(resp).await;
                assert!(json.is_object(), "{path} answers JSON");
            }
        }
    }
    for path in ["/_api/oauth2/authorize?redirectSessionId=%FF%", "/_api/oauth2/logout", "/_api/oauth2/prewarm?x=%zz", "/oauth2/device?user_code=%E2%9C", "/_api/iam/recovery/v1/reset?token=%"] {
        let status = emu.http.get(emu.at(path)).send().await.unwrap().status();
        assert!(status.is_client_error() || status.is_success(), "{path} → {status}");
    }
    for path in ["/_api/oauth2/authorize", "/oauth2/device", "/_api/iam/recovery/v1/reset"] {
        let status = emu.post_form(path, &[("redirectSessionId", "x"), ("user_code", "\u{0}")]).await.status();
        assert!(status.is_client_error(), "{path} → {status}");
    }
    let (status, list) = emu.get("/_emulator/outbox?email=%zz").await;
    assert_eq!((status.as_u16(), list), (200, json!([])));
    emu.anonymous().await;
}

#[tokio::test]
async fn sigterm_shuts_down_gracefully_and_keeps_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("emu.db");
    let mut emu = Emulator::start_on(&db, &[]);
    member(&emu, "stay@example.com").await;
    let status = emu.terminate(5).expect("exits within 5 s");
    assert!(status.success(), "{status:?}");
    let emu = Emulator::start_on(&db, &[]);
    assert_eq!(emu.login("stay@example.com", "secret-pw").await.1["state"], "SUCCESS");
}

#[tokio::test]
async fn client_ids_replace_and_redirect_uris_add_to_the_defaults() {
    let emu = Emulator::start(&["--client-id", "other-client", "--redirect-uri", "http://app.test:3000/cb", "--api-key", "k2"]);
    let (status, e) = emu.post("/oauth2/token", json!({"grantType": "anonymous", "clientId": CLIENT_ID})).await;
    assert_eq!((status.as_u16(), e["error"].as_str()), (400, Some("invalid_client")), "the default id is replaced");
    assert_eq!(emu.post("/oauth2/token", json!({"grantType": "anonymous", "clientId": "other-client"})).await.0, 200);
    for uri in ["http://app.test:3000/cb", REDIRECT_URI] {
        let (status, s) = emu.post("/_api/redirects-api/v1/redirect-session", json!({"auth": {"authRequest": {"redirectUri": uri,
            "clientId": "other-client", "codeChallenge": pkce_pair().1, "codeChallengeMethod": "S256", "responseMode": "query",
            "responseType": "code", "scope": "offline_access", "state": "s"}, "prompt": "login"}})).await;
        assert_eq!(status, 200, "{uri}: {s}");
    }
    let resp = emu.http.request(reqwest::Method::OPTIONS, emu.at("/oauth2/token"))
        .header("origin", "http://app.test:3000").header("access-control-request-method", "POST").send().await.unwrap();
    assert_eq!(resp.headers()["access-control-allow-origin"], "http://app.test:3000", "a redirect URI's origin is allowed");
    let resp = emu.http.post(emu.at("/_api/iam/authentication/v2/sign-on")).header("authorization", format!(",{API_KEY}"))
        .json(&json!({"loginId": {"email": "k@example.com"}})).send().await.unwrap();
    assert_eq!(resp.status(), 403, "the default API key is replaced");
}
