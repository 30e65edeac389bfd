//! `POST /oauth2/token`: every grant but the code and device grants (see hosted.rs, device.rs),
//! and every documented error.

mod common;

use common::*;
use serde_json::json;
use sha2::Digest;

#[tokio::test]
async fn anonymous_grant_in_json_and_form() {
    let emu = Emulator::start(&[]);
    let resp = emu.http.post(emu.at("/oauth2/token")).json(&json!({"grantType": "anonymous", "clientId": CLIENT_ID})).send().await.unwrap();
    assert!(resp.headers().contains_key("x-wix-request-id"));
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let (status, a) = read(resp).await;
    assert_eq!(status, 200);
    assert_eq!(a["token_type"], "Bearer");
    assert_eq!(a["expires_in"], 14400);
    assert!(a["access_token"].as_str().unwrap().len() > 40);
    assert!(a["refresh_token"].as_str().unwrap().len() > 40);

    let resp = emu.post_form("/oauth2/token", &[("grantType", "anonymous"), ("clientId", CLIENT_ID)]).await;
    let (status, b) = read(resp).await;
    assert_eq!(status, 200, "{b}");
    assert_ne!(a["access_token"], b["access_token"]);
    // Snake case, as the docs' own examples send it.
    let (status, _) = emu.post("/oauth2/token", json!({"grant_type": "anonymous", "client_id": CLIENT_ID})).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn documented_errors() {
    let emu = Emulator::start(&[]);
    let cases = [
        (json!({"grantType": "anonymous", "clientId": "nope"}), "invalid_client"),
        (json!({"grantType": "anonymous", "clientId": CLIENT_ID, "client_id": CLIENT_ID}), "invalid_request"),
        (json!({"grantType": "anonymous"}), "invalid_request"),
        (json!({"grantType": 5, "clientId": CLIENT_ID}), "invalid_request"),
        (json!({"clientId": CLIENT_ID}), "invalid_request"),
        (json!({"grantType": "", "clientId": CLIENT_ID}), "invalid_request"),
        (json!({"grantType": "password", "clientId": CLIENT_ID}), "unsupported_grant_type"),
        (json!({"grantType": "refresh_token", "clientId": CLIENT_ID}), "invalid_request"),
        (json!({"grantType": "refresh_token", "refreshToken": "AQS.forged"}), "invalid_grant"),
        (json!({"grantType": "authorization_code", "clientId": CLIENT_ID, "code": "x"}), "invalid_request"),
        (json!({"grantType": "authorization_code", "clientId": CLIENT_ID, "code": "x", "codeVerifier": "y"}), "invalid_grant"),
        (json!([1, 2]), "invalid_request"),
        (json!("text"), "invalid_request"),
    ];
    for (body, want) in cases {
        let (status, got) = emu.post("/oauth2/token", body.clone()).await;
        assert_eq!(status, 400, "{body} → {got}");
        assert_eq!(got["error"], want, "{body} → {got}");
        assert!(got["error_description"].is_string());
    }
    for raw in ["{", "", "{\"grantType\":\"anonymous\",", "\u{0}\u{1}"] {
        let resp = emu.http.post(emu.at("/oauth2/token")).header("content-type", "application/json").body(raw).send().await.unwrap();
        let (status, got) = read(resp).await;
        assert_eq!((status.as_u16(), got["error"].as_str()), (400, Some("invalid_request")), "{raw:?}");
    }
    let dup = emu.post_form("/oauth2/token", &[("grantType", "anonymous"), ("clientId", CLIENT_ID), ("clientId", CLIENT_ID)]).await;
    let (status, got) = read(dup).await;
    assert_eq!((status.as_u16(), got["error"].as_str()), (400, Some("invalid_request")));
}

#[tokio::test]
async fn huge_bodies_get_413() {
    let emu = Emulator::start(&[]);
    let big = json!({"grantType": "anonymous", "clientId": CLIENT_ID, "pad": "x".repeat(70 * 1024)});
    for path in ["/oauth2/token", "/_api/iam/authentication/v2/login", "/_api/redirects-api/v1/redirect-session"] {
        let (status, body) = emu.post(path, big.clone()).await;
        assert_eq!(status, 413, "{path}");
        assert_eq!(body["error"], "invalid_request");
    }
    // Still serving afterwards.
    emu.anonymous().await;
}

#[tokio::test]
async fn refresh_keeps_the_token_without_rotation() {
    let emu = Emulator::start(&[]);
    let t = emu.anonymous().await;
    for _ in 0..2 {
        let (status, r) = emu.post("/oauth2/token", json!({"grantType": "refresh_token", "clientId": CLIENT_ID, "refreshToken": t["refresh_token"]})).await;
        assert_eq!(status, 200, "{r}");
        assert_eq!(r["refresh_token"], t["refresh_token"]);
        assert_ne!(r["access_token"], t["access_token"]);
    }
    let (status, r) = emu.post("/oauth2/token", json!({"grantType": "refresh_token", "clientId": "other", "refreshToken": t["refresh_token"]})).await;
    assert_eq!((status.as_u16(), r["error"].as_str()), (400, Some("invalid_client")));
}

#[tokio::test]
async fn rotation_and_reuse_detection_revoke_the_family() {
    let emu = Emulator::start(&["--rotate-refresh-tokens"]);
    let t0 = external_member(&emu, "rot@example.com").await;
    let refresh = |rt: serde_json::Value| emu.post("/oauth2/token", json!({"grantType": "refresh_token", "clientId": CLIENT_ID, "refreshToken": rt}));
    let (s1, t1) = refresh(t0["refresh_token"].clone()).await;
    assert_eq!(s1, 200);
    assert_ne!(t1["refresh_token"], t0["refresh_token"], "rotated");
    let (s2, t2) = refresh(t1["refresh_token"].clone()).await;
    assert_eq!(s2, 200);
    assert_eq!(emu.my(t2["access_token"].as_str().unwrap()).await.0, 200, "same member after refresh");
    // The stolen t0 comes back: everything in the family dies.
    let (s, e) = refresh(t0["refresh_token"].clone()).await;
    assert_eq!((s.as_u16(), e["error"].as_str()), (400, Some("invalid_grant")));
    let (s, e) = refresh(t2["refresh_token"].clone()).await;
    assert_eq!((s.as_u16(), e["error"].as_str()), (400, Some("invalid_grant")), "the newest token is revoked too");
    assert_eq!(emu.my(t2["access_token"].as_str().unwrap()).await.0, 401, "access tokens of the family are revoked");
    let (_, stats) = emu.get("/_emulator/stats").await;
    assert_eq!(stats["refreshTokenReuseDetections"], 1);
    assert_eq!(stats["grants"]["refresh_token"], 4);
}

#[tokio::test]
async fn fifty_concurrent_anonymous_grants_are_fifty_visitors() {
    let emu = Emulator::start(&[]);
    let handles: Vec<_> = (0..50)
        .map(|_| {
            let req = emu.http.post(emu.at("/oauth2/token")).json(&json!({"grantType": "anonymous", "clientId": CLIENT_ID}));
            tokio::spawn(async move { read(req.send().await.unwrap()).await })
        })
        .collect();
    let mut tokens = std::collections::HashSet::new();
    for h in handles {
        let (status, body) = h.await.unwrap();
        assert_eq!(status, 200, "{body}");
        assert!(tokens.insert(body["refresh_token"].as_str().unwrap().to_owned()));
    }
    assert_eq!(tokens.len(), 50);
}

#[tokio::test]
async fn data_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nested/dir/emu.db");
    let (visitor, member_tokens) = {
        let emu = Emulator::start_on(&db, &[]);
        member(&emu, "keep@example.com").await;
        (emu.anonymous().await, external_member(&emu, "ext@example.com").await)
    };
    let emu = Emulator::start_on(&db, &[]);
    let (status, _) = emu.post("/oauth2/token", json!({"grantType": "refresh_token", "clientId": CLIENT_ID, "refreshToken": visitor["refresh_token"]})).await;
    assert_eq!(status, 200);
    assert_eq!(emu.my(member_tokens["access_token"].as_str().unwrap()).await.0, 200);
    assert_eq!(emu.login("keep@example.com", "secret-pw").await.1["state"], "SUCCESS");
}

#[tokio::test]
async fn access_tokens_expire() {
    let emu = Emulator::start(&["--access-token-ttl", "1"]);
    let t = external_member(&emu, "short@example.com").await;
    assert_eq!(t["expires_in"], 1);
    assert_eq!(emu.my(t["access_token"].as_str().unwrap()).await.0, 200);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (status, body) = emu.my(t["access_token"].as_str().unwrap()).await;
    assert_eq!(status, 401);
    assert!(body["message"].as_str().unwrap().contains("expired"));
}

#[tokio::test]
async fn authorized_client_needs_a_valid_api_key_and_session() {
    let emu = Emulator::start(&[]);
    let (session, id) = member(&emu, "api@example.com").await;
    let grant = |auth: Option<String>, session: &str| {
        let mut req = emu.http.post(emu.at("/oauth2/token")).json(&json!({"grant_type": "authorized_client", "scope": "offline_access", "member_id": id, "session_token": session}));
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        async move { read(req.send().await.unwrap()).await }
    };
    let (s, e) = grant(None, &session).await;
    assert_eq!((s.as_u16(), e["error"].as_str()), (400, Some("unauthorized_client")));
    let (s, e) = grant(Some("tok,wrong-key".into()), &session).await;
    assert_eq!((s.as_u16(), e["error"].as_str()), (400, Some("invalid_client")));
    let (s, t) = grant(Some(format!(",{API_KEY}")), &session).await;
    assert_eq!(s, 200, "{t}");
    let (_, me) = emu.my(t["access_token"].as_str().unwrap()).await;
    assert_eq!(me["member"]["loginEmail"], "api@example.com");
    let (s, e) = grant(Some(format!(",{API_KEY}")), &session).await;
    assert_eq!((s.as_u16(), e["error"].as_str()), (400, Some("invalid_grant")), "session tokens are single-use");
    // Without a session token the API key alone vouches for the member.
    let resp = emu.http.post(emu.at("/oauth2/token")).header("authorization", format!("x,{API_KEY}"))
        .json(&json!({"grant_type": "authorized_client", "scope": "offline_access", "member_id": id})).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let resp = emu.http.post(emu.at("/oauth2/token")).header("authorization", format!("x,{API_KEY}"))
        .json(&json!({"grant_type": "authorized_client", "member_id": "no-such-member"})).send().await.unwrap();
    assert_eq!(read(resp).await.1["error"], "invalid_grant");
}

#[tokio::test]
async fn sign_on_needs_the_api_key() {
    let emu = Emulator::start(&[]);
    let body = json!({"loginId": {"email": "so@example.com"}});
    let (status, e) = emu.post("/_api/iam/authentication/v2/sign-on", body.clone()).await;
    assert_eq!(status, 401, "{e}");
    let resp = emu.http.post(emu.at("/_api/iam/authentication/v2/sign-on")).header("authorization", "t,bad").json(&body).send().await.unwrap();
    assert_eq!(resp.status(), 403);
    let resp = emu.http.post(emu.at("/_api/iam/authentication/v2/sign-on")).header("authorization", API_KEY).json(&body).send().await.unwrap();
    let (status, first) = read(resp).await;
    assert_eq!(status, 200, "{first}");
    let resp = emu.http.post(emu.at("/_api/iam/authentication/v2/sign-on")).header("authorization", API_KEY).json(&body).send().await.unwrap();
    let (_, second) = read(resp).await;
    assert_eq!(first["identity"]["id"], second["identity"]["id"], "the same member signs on again");
    assert_ne!(first["sessionToken"], second["sessionToken"]);
}

#[tokio::test]
async fn tokens_of_an_older_database_keep_working() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    {
        // The tokens table as emulators before schema version 1 wrote it: hex SHA-256 keys.
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch("CREATE TABLE tokens(hash TEXT PRIMARY KEY, kind TEXT NOT NULL, client_id TEXT NOT NULL,
            role TEXT NOT NULL, subject TEXT NOT NULL, family TEXT NOT NULL, expires_ms INTEGER, state TEXT NOT NULL,
            created_ms INTEGER NOT NULL) WITHOUT ROWID").unwrap();
        let hex: String = sha2::Sha256::digest(b"AQS.minted-by-an-older-emulator").iter().map(|b| format!("{b:02x}")).collect();
        c.execute("INSERT INTO tokens VALUES (?1, 'refresh', ?2, 'visitor', 'v-1', 'f-1', NULL, 'active', 0)", [hex.as_str(), CLIENT_ID]).unwrap();
    }
    let emu = Emulator::start_on(&db, &[]);
    let (status, body) = emu.post("/oauth2/token", json!({"grantType": "refresh_token", "clientId": CLIENT_ID, "refreshToken": "AQS.minted-by-an-older-emulator"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["refresh_token"], "AQS.minted-by-an-older-emulator");
}
