//! The device authorization grant (RFC 8628), end to end.

mod common;

use common::*;
use serde_json::json;

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

#[tokio::test]
async fn device_flow_end_to_end() {
    let emu = Emulator::start(&["--device-poll-interval", "1"]);
    member(&emu, "tv@example.com").await;
    let (status, start) = emu.post("/oauth2/device/code", json!({"clientId": CLIENT_ID})).await;
    assert_eq!(status, 200, "{start}");
    assert_eq!(start["interval"], 1);
    assert!(start["verification_uri_complete"].as_str().unwrap().contains("user_code="));
    let user_code = start["user_code"].as_str().unwrap().to_owned();
    let poll = || emu.post("/oauth2/token", json!({"grantType": DEVICE_GRANT, "clientId": CLIENT_ID, "deviceCode": start["device_code"]}));
    assert_eq!(poll().await.1["error"], "authorization_pending");
    assert_eq!(poll().await.1["error"], "slow_down");

    let page = emu.http.get(start["verification_uri_complete"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains(&user_code));
    let loose = user_code.to_lowercase().replace('-', " ");
    let resp = emu.post_form("/oauth2/device", &[("user_code", &loose), ("email", "tv@example.com"), ("password", "bad"), ("action", "approve")]).await;
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("wrong password"));
    let resp = emu.post_form("/oauth2/device", &[("user_code", &loose), ("email", "tv@example.com"), ("password", "secret-pw"), ("action", "approve")]).await;
    assert_eq!(resp.status(), 200);

    tokio::time::sleep(std::time::Duration::from_millis(1050)).await;
    let (status, tokens) = poll().await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(emu.my(tokens["access_token"].as_str().unwrap()).await.1["member"]["loginEmail"], "tv@example.com");
    assert_eq!(poll().await.1["error"], "invalid_grant", "a device code is used once");
}

#[tokio::test]
async fn device_flow_errors() {
    let emu = Emulator::start(&["--device-poll-interval", "0"]);
    let (status, e) = emu.post("/oauth2/device/code", json!({"clientId": "nope"})).await;
    assert_eq!((status.as_u16(), e["error"].as_str()), (400, Some("invalid_client")));
    let (status, e) = emu.post("/oauth2/device/code", json!({})).await;
    assert_eq!((status.as_u16(), e["error"].as_str()), (400, Some("invalid_request")));
    let resp = emu.post_form("/oauth2/device/code", &[("client_id", CLIENT_ID)]).await;
    let (status, start) = read(resp).await;
    assert_eq!(status, 200, "form bodies too");
    let resp = emu.post_form("/oauth2/device", &[("user_code", start["user_code"].as_str().unwrap()), ("action", "deny")]).await;
    assert_eq!(resp.status(), 200);
    let (_, e) = emu.post("/oauth2/token", json!({"grantType": DEVICE_GRANT, "clientId": CLIENT_ID, "deviceCode": start["device_code"]})).await;
    assert_eq!(e["error"], "access_denied");
    let (_, e) = emu.post("/oauth2/token", json!({"grantType": DEVICE_GRANT, "clientId": CLIENT_ID, "deviceCode": "forged"})).await;
    assert_eq!(e["error"], "invalid_grant");
    let resp = emu.post_form("/oauth2/device", &[("user_code", "ZZZZ-ZZZZ"), ("action", "approve")]).await;
    assert_eq!(resp.status(), 400);
}
