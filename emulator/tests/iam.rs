//! IAM: login, register, verification, owner approval, captcha, recovery, members/my.

mod common;

use common::*;
use serde_json::{json, Value};

fn app_code(body: &Value) -> &str {
    body["details"]["applicationError"]["code"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn register_and_login_state_machine_and_errors() {
    let emu = Emulator::start(&[]);
    let body = emu.register("Ann@Example.com", "pw-123").await;
    assert_eq!(body["state"], "SUCCESS", "{body}");
    assert!(body["sessionToken"].is_string());
    assert_eq!(body["identity"]["email"]["address"], "ann@example.com");
    assert!(body["identity"]["createdDate"].as_str().unwrap().ends_with('Z'));

    let (status, ok) = emu.login("ann@example.com", "pw-123").await;
    assert_eq!((status.as_u16(), ok["state"].as_str()), (200, Some("SUCCESS")));
    let (status, e) = emu.login("ann@example.com", "wrong").await;
    assert_eq!((status.as_u16(), app_code(&e)), (401, "-19976"));
    let (status, e) = emu.login("nobody@example.com", "pw").await;
    assert_eq!((status.as_u16(), app_code(&e)), (403, "-19999"), "Login V2 documents no 404");
    let (status, e) = emu.post("/_api/iam/authentication/v2/register", json!({"loginId": {"email": "ann@example.com"}, "password": "x"})).await;
    assert_eq!((status.as_u16(), app_code(&e)), (400, "-19995"), "Register V2 documents no 409");
    let (status, e) = emu.post("/_api/iam/authentication/v2/register", json!({"loginId": {"email": "not-an-email"}, "password": "x"})).await;
    assert_eq!(status, 400);
    assert_eq!(e["details"]["validationError"]["fieldViolations"][0]["data"]["type"], "EMAIL", "{e}");
    // The SDK's register() reads data.type of every violation.
    let (status, e) = emu.post("/_api/iam/authentication/v2/register", json!({"loginId": {"email": "p@example.com"}, "password": ""})).await;
    assert_eq!(status, 400);
    assert_eq!(e["details"]["validationError"]["fieldViolations"][0]["data"]["type"], "PASSWORD", "{e}");
    // The SDK's login() crashes on any validationError: login sends application errors only.
    let (status, e) = emu.login("not-an-email", "x").await;
    assert_eq!((status.as_u16(), app_code(&e)), (400, "-19999"), "{e}");
    assert!(e["details"].get("validationError").is_none(), "{e}");
    let (status, e) = emu.post("/_api/iam/authentication/v2/login", json!({"loginId": {"email": 7}})).await;
    assert_eq!((status.as_u16(), app_code(&e)), (400, "INVALID_ARGUMENT"), "{e}");
    assert!(e["details"].get("validationError").is_none(), "{e}");
    // The SDK's REST calls carry JSON without a content type; snake_case bodies work too.
    let resp = emu.http.post(emu.at("/_api/iam/authentication/v2/login")).header("content-type", "text/plain;charset=UTF-8")
        .header("authorization", emu.visitor_token().await)
        .body(r#"{"login_id":{"email":"ann@example.com"},"password":"pw-123"}"#).send().await.unwrap();
    assert_eq!(read(resp).await.1["state"], "SUCCESS");
}

#[tokio::test]
async fn many_concurrent_logins_all_succeed_and_a_wrong_password_still_fails() {
    let emu = Emulator::start(&[]);
    member(&emu, "busy@example.com").await;
    let visitor = emu.visitor_token().await;
    let logins: Vec<_> = (0..48).map(|i| {
        let password = if i % 8 == 7 { "wrong-pw" } else { "secret-pw" };
        let req = emu.http.post(emu.at("/_api/iam/authentication/v2/login")).header("authorization", &visitor)
            .json(&json!({"loginId": {"email": "busy@example.com"}, "password": password}));
        tokio::spawn(async move { (password, read(req.send().await.unwrap()).await) })
    }).collect();
    for login in logins {
        let (password, (status, body)) = login.await.unwrap();
        let expected = if password == "wrong-pw" { 401 } else { 200 };
        assert_eq!(status, expected, "{password}: {body}");
    }
    assert_eq!(emu.login("busy@example.com", "secret-pw2").await.0, 401, "a longer password is not a cached one");
}

#[tokio::test]
async fn email_verification_with_codes_from_the_outbox() {
    let emu = Emulator::start(&["--require-email-verification"]);
    let body = emu.register("ver@example.com", "pw-123").await;
    assert_eq!(body["state"], "REQUIRE_EMAIL_VERIFICATION", "{body}");
    assert!(body.get("sessionToken").is_none());
    let state_token = body["stateToken"].as_str().unwrap().to_owned();
    let mail = emu.outbox("ver@example.com").await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0]["kind"], "verification");
    let code = mail[0]["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 6);
    let wrong = if code == "000000" { "111111" } else { "000000" };

    let verify = |code: String, token: String| emu.post("/_api/iam/verification/v1/auth/verify", json!({"code": code, "stateToken": token}));
    let (status, e) = verify(wrong.into(), state_token.clone()).await;
    assert_eq!((status.as_u16(), app_code(&e)), (400, "-19958"));
    let (status, ok) = verify(code.clone(), state_token.clone()).await;
    assert_eq!((status.as_u16(), ok["state"].as_str()), (200, Some("SUCCESS")), "{ok}");
    assert_eq!(ok["identity"]["email"]["isVerified"], true);
    assert_eq!(verify(code, state_token).await.0, 400, "a state token is used once");
    assert_eq!(emu.login("ver@example.com", "pw-123").await.1["state"], "SUCCESS", "verified members sign in directly");

    // Five wrong codes kill the state token; the right code no longer helps.
    emu.register("brute@example.com", "pw-123").await;
    let (_, pending) = emu.login("brute@example.com", "pw-123").await;
    assert_eq!(pending["state"], "REQUIRE_EMAIL_VERIFICATION");
    let token = pending["stateToken"].as_str().unwrap().to_owned();
    let code = emu.outbox("brute@example.com").await.last().unwrap()["code"].as_str().unwrap().to_owned();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        assert_eq!(verify(wrong.into(), token.clone()).await.0, 400);
    }
    let (status, e) = verify(code, token).await;
    assert_eq!(status, 400);
    assert!(e["message"].as_str().unwrap().contains("no longer valid"), "{e}");
}

#[tokio::test]
async fn verification_codes_expire() {
    let emu = Emulator::start(&["--require-email-verification", "--verification-code-ttl", "1"]);
    let body = emu.register("slow@example.com", "pw-123").await;
    let code = emu.outbox("slow@example.com").await[0]["code"].clone();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (status, e) = emu.post("/_api/iam/verification/v1/auth/verify", json!({"code": code, "stateToken": body["stateToken"]})).await;
    assert_eq!(status, 400);
    assert!(e["message"].as_str().unwrap().contains("expired"), "{e}");
}

#[tokio::test]
async fn owner_approval() {
    let emu = Emulator::start(&["--require-owner-approval"]);
    let body = emu.register("wait@example.com", "pw-123").await;
    assert_eq!(body["state"], "REQUIRE_OWNER_APPROVAL", "{body}");
    let id = body["identity"]["id"].as_str().unwrap().to_owned();
    assert_eq!(emu.login("wait@example.com", "pw-123").await.1["state"], "REQUIRE_OWNER_APPROVAL");
    let (status, _) = emu.post(&format!("/_emulator/members/{id}/approve"), json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(emu.login("wait@example.com", "pw-123").await.1["state"], "SUCCESS");
    assert_eq!(emu.post("/_emulator/members/nope/approve", json!({})).await.0, 404);
}

#[tokio::test]
async fn captcha_modes() {
    let emu = Emulator::start(&["--require-captcha"]);
    let reg = |captcha: Value| emu.post("/_api/iam/authentication/v2/register", json!({"loginId": {"email": "cap@example.com"}, "password": "pw-123", "captchaTokens": captcha}));
    let (status, e) = reg(Value::Null).await;
    assert_eq!((status.as_u16(), app_code(&e)), (400, "-19971"));
    let (status, e) = reg(json!([{"Recaptcha": "invalid-captcha-token"}])).await;
    assert_eq!((status.as_u16(), app_code(&e)), (400, "-19970"));
    let (status, ok) = reg(json!([{"InvisibleRecaptcha": "anything"}])).await;
    assert_eq!((status.as_u16(), ok["state"].as_str()), (200, Some("SUCCESS")));
    let (_, e) = emu.login("cap@example.com", "pw-123").await;
    assert_eq!(app_code(&e), "-19971");
}

#[tokio::test]
async fn password_recovery_via_the_outbox_link() {
    let emu = Emulator::start(&[]);
    member(&emu, "lost@example.com").await;
    // Remembered as verified now: the reset below must still make it fail.
    assert_eq!(emu.login("lost@example.com", "secret-pw").await.1["state"], "SUCCESS");
    for email in ["lost@example.com", "ghost@example.com"] {
        let (status, body) = emu.post("/_api/iam/recovery/v1/send-email", json!({"email": email, "redirect": {"url": REDIRECT_URI, "clientId": CLIENT_ID}})).await;
        assert_eq!((status.as_u16(), body), (200, json!({})));
    }
    assert!(emu.outbox("ghost@example.com").await.is_empty(), "nothing is sent to unknown emails");
    let mail = emu.outbox("lost@example.com").await;
    assert_eq!(mail[0]["kind"], "password_reset");
    let link = mail[0]["link"].as_str().unwrap();
    assert_eq!(emu.http.get(link).send().await.unwrap().status(), 200);
    let resp = emu.post_form("/_api/iam/recovery/v1/reset", &[("token", mail[0]["code"].as_str().unwrap()), ("redirectUrl", REDIRECT_URI), ("password", "new-pw")]).await;
    assert_eq!((resp.status().as_u16(), location(&resp)), (302, REDIRECT_URI.to_owned()));
    assert_eq!(emu.login("lost@example.com", "new-pw").await.1["state"], "SUCCESS");
    assert_eq!(emu.login("lost@example.com", "secret-pw").await.0, 401);
    let (status, e) = emu.post("/_api/iam/recovery/v1/send-email", json!({"email": "bad"})).await;
    assert_eq!(status, 400, "{e}");
}

#[tokio::test]
async fn members_my_needs_a_member_token() {
    let emu = Emulator::start(&[]);
    let visitor = emu.anonymous().await;
    let (status, e) = emu.my(visitor["access_token"].as_str().unwrap()).await;
    assert_eq!(status, 401);
    assert!(e["message"].as_str().unwrap().contains("visitor"), "{e}");
    assert!(e["details"]["applicationError"]["code"].is_string());
    assert_eq!(emu.my("garbage").await.0, 401);
    let resp = emu.http.get(emu.at("/members/v1/members/my")).send().await.unwrap();
    assert_eq!(resp.status(), 401);
}
