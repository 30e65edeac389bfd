//! Redirect sessions and the hosted pages: sign-in form, cookie + `prompt=none`, response
//! modes, `web_message`, logout, pre-warm; and the authorization-code grant they feed.

mod common;

use common::*;
use serde_json::{json, Value};
use wix_auth_protocol::callback::parse_callback;
use wix_auth_protocol::redirect_session::ResponseMode;

/// The authorize page's path and query, from a redirect session's `fullUrl`.
fn page_path(session: &Value) -> String {
    let full = session["redirectSession"]["fullUrl"].as_str().unwrap();
    full.split_once("/_api/").map(|(_, rest)| format!("/_api/{rest}")).unwrap()
}

fn session_id(session: &Value) -> String {
    session["redirectSession"]["id"].as_str().unwrap().to_owned()
}

/// The `code` in a web_message page's `postMessage` call.
fn posted(html: &str) -> (Value, String) {
    let start = html.find("postMessage(").expect("postMessage") + "postMessage(".len();
    let rest = &html[start..];
    let end = rest.find("}, ").unwrap() + 1;
    let message: Value = serde_json::from_str(&rest[..end]).unwrap();
    let target = rest[end + 2..].split(')').next().unwrap().trim_matches('"').to_owned();
    (message, target)
}

#[tokio::test]
async fn redirect_session_shapes_and_validation() {
    let emu = Emulator::start(&[]);
    let (_, challenge) = pkce_pair();
    let (status, s) = emu.auth_session(&challenge, "login", json!({})).await;
    assert_eq!(status, 200, "{s}");
    let rs = &s["redirectSession"];
    assert!(rs["fullUrl"].as_str().unwrap().starts_with(&format!("{}/_api/oauth2/authorize?redirectSessionId=", emu.site)));
    assert_eq!(rs["urlDetails"]["endpoint"], format!("{}/_api/oauth2/authorize", emu.site));
    assert_eq!(rs["urlDetails"]["searchParams"]["redirectSessionId"], rs["id"]);

    let (status, e) = emu.auth_session(&challenge, "login", json!({"clientId": "unknown"})).await;
    assert_eq!((status.as_u16(), e["error"].as_str()), (400, Some("invalid_client")));
    assert!(e["details"]["applicationError"].is_object(), "Wix SDK readable too: {e}");

    // An unregistered redirect URI: a JSON error the SDK can read, not the seed's 302 (that rule is
    // the token endpoint's; a fetch here would follow a 302 to the app and never see the error).
    let resp = emu.http.post(emu.at("/redirect-session/v1/redirect-session"))
        .json(&json!({"auth": {"authRequest": {"redirectUri": "http://evil.test/cb", "clientId": CLIENT_ID, "codeChallenge": challenge,
            "codeChallengeMethod": "S256", "responseMode": "fragment", "responseType": "code", "scope": "offline_access", "state": "s1"}, "prompt": "login"}}))
        .send().await.unwrap();
    assert_eq!(resp.status(), 400);
    let e: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(e["error"], "invalid_request", "{e}");
    assert!(e["details"]["applicationError"].is_object(), "Wix SDK readable too: {e}");

    for (body, want) in [
        (json!({}), "invalid_request"),
        (json!({"logout": {"clientId": "nope"}}), "invalid_client"),
        (json!({"auth": {"authRequest": {"clientId": CLIENT_ID}}}), "invalid_request"),
    ] {
        let (status, e) = emu.post("/_api/redirects-api/v1/redirect-session", body.clone()).await;
        assert_eq!((status.as_u16(), e["error"].as_str()), (400, Some(want)), "{body}");
    }
    let (status, pre) = emu.post("/_api/redirects-api/v1/redirect-session", json!({"login": {}})).await;
    assert_eq!(status, 200);
    let page = emu.http.get(emu.at(&page_path(&pre))).send().await.unwrap();
    assert_eq!(page.status(), 200, "pre-warm page loads");
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains(ORIGIN) && !csp.contains("'none'"), "the storefront's hidden frame may load it: {csp}");
    assert_eq!(emu.http.get(emu.at("/_api/oauth2/authorize?redirectSessionId=nope")).send().await.unwrap().status(), 400);
}

#[tokio::test]
async fn sign_in_on_the_hosted_page_then_prompt_none_uses_the_cookie() {
    let emu = Emulator::start(&[]);
    member(&emu, "page@example.com").await;
    let (verifier, challenge) = pkce_pair();
    let (_, s) = emu.auth_session(&challenge, "login", json!({})).await;
    let page = emu.http.get(emu.at(&page_path(&s))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<label for=\"email\">") && html.contains("<label for=\"password\">"), "{html}");

    // A wrong password shows the error next to the form.
    let id = session_id(&s);
    let resp = emu.post_form("/_api/oauth2/authorize", &[("redirectSessionId", &id), ("action", "login"), ("email", "page@example.com"), ("password", "nope")]).await;
    assert_eq!(resp.status(), 400);
    let html = resp.text().await.unwrap();
    assert!(html.contains("role=\"alert\"") && html.contains("wrong password"), "{html}");

    let resp = emu.post_form("/_api/oauth2/authorize", &[("redirectSessionId", &id), ("action", "login"), ("email", "page@example.com"), ("password", "secret-pw")]).await;
    assert_eq!(resp.status(), 302);
    let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    let cb = parse_callback(&location(&resp), ResponseMode::Fragment).unwrap();
    assert!(location(&resp).starts_with(REDIRECT_URI));
    assert_eq!(cb.state, "state-123");

    let (status, tokens) = emu.exchange(&cb.code, &verifier, Some(REDIRECT_URI)).await;
    assert_eq!(status, 200, "{tokens}");
    let (status, me) = emu.my(tokens["access_token"].as_str().unwrap()).await;
    assert_eq!((status.as_u16(), me["member"]["loginEmail"].as_str()), (200, Some("page@example.com")));
    let (status, e) = emu.exchange(&cb.code, &verifier, Some(REDIRECT_URI)).await;
    assert_eq!((status.as_u16(), e["error"].as_str()), (400, Some("invalid_grant")), "codes are single-use");
    assert_eq!(emu.my(tokens["access_token"].as_str().unwrap()).await.0, 401, "a replayed code revokes its tokens");

    // Later: prompt=none completes from the cookie, without a page.
    let (verifier, challenge) = pkce_pair();
    let (_, s) = emu.auth_session(&challenge, "none", json!({"responseMode": "query"})).await;
    let resp = emu.http.get(emu.at(&page_path(&s))).send().await.unwrap();
    assert_eq!(resp.status(), 302);
    let loc = location(&resp);
    assert!(loc.starts_with(&format!("{REDIRECT_URI}?code=")), "{loc}");
    let cb = parse_callback(&loc, ResponseMode::Query).unwrap();
    assert_eq!(emu.exchange(&cb.code, &verifier, Some(REDIRECT_URI)).await.0, 200);
}

#[tokio::test]
async fn hosted_page_can_create_an_account() {
    let emu = Emulator::start(&[]);
    let (verifier, challenge) = pkce_pair();
    let (_, s) = emu.auth_session(&challenge, "login", json!({})).await;
    let resp = emu.post_form("/_api/oauth2/authorize", &[("redirectSessionId", &session_id(&s)), ("action", "register"), ("email", "new@example.com"), ("password", "pw-1234")]).await;
    assert_eq!(resp.status(), 302);
    let cb = parse_callback(&location(&resp), ResponseMode::Fragment).unwrap();
    assert_eq!(emu.exchange(&cb.code, &verifier, Some(REDIRECT_URI)).await.0, 200);
    assert_eq!(emu.login("new@example.com", "pw-1234").await.1["state"], "SUCCESS");
}

#[tokio::test]
async fn prompt_none_without_a_session_returns_login_required() {
    let emu = Emulator::start(&[]);
    let (_, challenge) = pkce_pair();
    let (_, s) = emu.auth_session(&challenge, "none", json!({})).await;
    let resp = emu.http.get(emu.at(&page_path(&s))).send().await.unwrap();
    assert_eq!(resp.status(), 302);
    let cb = parse_callback(&location(&resp), ResponseMode::Fragment).unwrap();
    assert_eq!(cb.error.as_deref(), Some("login_required"));
    assert_eq!(cb.state, "state-123");
    assert!(cb.error_description.is_some());
}

#[tokio::test]
async fn code_exchange_errors() {
    let emu = Emulator::start(&["--code-ttl", "1"]);
    let (session, _) = member(&emu, "codes@example.com").await;
    let code_for = |challenge: String| {
        let emu = &emu;
        let session = session.clone();
        async move {
            let (_, s) = emu.auth_session(&challenge, "none", json!({"sessionToken": session})).await;
            let resp = emu.http.get(emu.at(&page_path(&s))).send().await.unwrap();
            parse_callback(&location(&resp), ResponseMode::Fragment).unwrap().code
        }
    };
    let (verifier, challenge) = pkce_pair();
    let code = code_for(challenge.clone()).await;
    assert!(!code.is_empty());
    let (status, e) = emu.exchange(&code, &pkce_pair().0, Some(REDIRECT_URI)).await;
    assert_eq!((status.as_u16(), e["error"].as_str()), (400, Some("invalid_grant")), "wrong verifier");
    assert_eq!(emu.exchange(&code, &verifier, Some(REDIRECT_URI)).await.0, 400, "a failed attempt burns the code");

    // Session tokens are single-use, so each code needs a fresh one.
    let (s2, _) = (emu.login("codes@example.com", "secret-pw").await.1["sessionToken"].as_str().unwrap().to_owned(), ());
    let (_, s) = emu.auth_session(&challenge, "none", json!({"sessionToken": s2})).await;
    let resp = emu.http.get(emu.at(&page_path(&s))).send().await.unwrap();
    let code = parse_callback(&location(&resp), ResponseMode::Fragment).unwrap().code;
    // An unregistered redirect URI: 302 with #error=, per the seed.
    let resp = emu.http.post(emu.at("/oauth2/token"))
        .json(&json!({"grantType": "authorization_code", "clientId": CLIENT_ID, "code": code, "codeVerifier": verifier, "redirectUri": "http://evil.test/cb"}))
        .send().await.unwrap();
    assert_eq!(resp.status(), 302);
    assert!(location(&resp).starts_with("http://evil.test/cb#error="), "{}", location(&resp));
    // A registered but different one: invalid_grant.
    let (status, e) = emu.exchange(&code, &verifier, Some("http://127.0.0.1:8080/callback.html")).await;
    assert_eq!((status.as_u16(), e["error"].as_str()), (400, Some("invalid_grant")));

    let s3 = emu.login("codes@example.com", "secret-pw").await.1["sessionToken"].as_str().unwrap().to_owned();
    let (_, s) = emu.auth_session(&challenge, "none", json!({"sessionToken": s3})).await;
    let resp = emu.http.get(emu.at(&page_path(&s))).send().await.unwrap();
    let code = parse_callback(&location(&resp), ResponseMode::Fragment).unwrap().code;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (status, e) = emu.exchange(&code, &verifier, Some(REDIRECT_URI)).await;
    assert_eq!((status.as_u16(), e["error"].as_str()), (400, Some("invalid_grant")), "expired: {e}");
    assert!(e["error_description"].as_str().unwrap().contains("expired"));
}

#[tokio::test]
async fn web_message_posts_to_the_embedding_origin_only_if_allowed() {
    let emu = Emulator::start(&[]);
    let (session, _) = member(&emu, "iframe@example.com").await;
    let (verifier, challenge) = pkce_pair();
    // Direct login: web_message, prompt none, sessionToken, no redirectUri.
    let (status, s) = emu.auth_session(&challenge, "none", json!({"responseMode": "web_message", "redirectUri": null, "sessionToken": session})).await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["redirectSession"]["sessionToken"], json!(session));
    let resp = emu.http.get(emu.at(&page_path(&s))).header("referer", format!("{ORIGIN}/shop/page?x=1")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let (message, target) = posted(&resp.text().await.unwrap());
    assert_eq!(target, ORIGIN);
    assert_eq!(message["state"], "state-123");
    let (status, tokens) = emu.exchange(message["code"].as_str().unwrap(), &verifier, None).await;
    assert_eq!(status, 200, "{tokens}");

    // Embedded by a page whose origin is not allowed: it learns so at once.
    let s2 = emu.login("iframe@example.com", "secret-pw").await.1["sessionToken"].clone();
    let (_, s) = emu.auth_session(&challenge, "none", json!({"responseMode": "web_message", "redirectUri": null, "sessionToken": s2})).await;
    let resp = emu.http.get(emu.at(&page_path(&s))).header("referer", "http://evil.test/").send().await.unwrap();
    assert_eq!(resp.status(), 400, "the live service's status for a refused origin");
    let (message, target) = posted(&resp.text().await.unwrap());
    assert_eq!(target, "http://evil.test");
    assert_eq!((message["state"].as_str(), message["error"].as_str()), (Some("state-123"), Some("Allowed_domains_fetch_failed")), "{message}");
    assert_eq!(message["rejectedOrigin"], "http://evil.test");
    assert!(message.get("code").is_none());
    // The refused page consumed nothing: the session token still works.
    let (status, ok) = emu.post("/_api/redirects-api/v1/redirect-session", json!({"auth": {"authRequest": {"clientId": CLIENT_ID,
        "codeChallenge": challenge, "codeChallengeMethod": "S256", "responseMode": "web_message", "responseType": "code",
        "scope": "offline_access", "state": "s2", "sessionToken": s2}, "prompt": "none"}})).await;
    assert_eq!(status, 200);
    let resp = emu.http.get(emu.at(&page_path(&ok))).header("referer", format!("{ORIGIN}/")).send().await.unwrap();
    let (message, _) = posted(&resp.text().await.unwrap());
    assert!(message["code"].is_string(), "{message}");

    // No session: the error goes to the allowed origin, with state.
    let (_, s) = emu.auth_session(&challenge, "none", json!({"responseMode": "web_message", "redirectUri": null})).await;
    let resp = emu.http.get(emu.at(&page_path(&s))).header("referer", format!("{ORIGIN}/")).send().await.unwrap();
    let (message, target) = posted(&resp.text().await.unwrap());
    assert_eq!((target.as_str(), message["error"].as_str(), message["state"].as_str()), (ORIGIN, Some("login_required"), Some("state-123")));
}

#[tokio::test]
async fn logout_ends_the_site_session_and_revokes_tokens() {
    let emu = Emulator::start(&[]);
    member(&emu, "bye@example.com").await;
    let (verifier, challenge) = pkce_pair();
    let (_, s) = emu.auth_session(&challenge, "login", json!({})).await;
    let resp = emu.post_form("/_api/oauth2/authorize", &[("redirectSessionId", &session_id(&s)), ("action", "login"), ("email", "bye@example.com"), ("password", "secret-pw")]).await;
    let code = parse_callback(&location(&resp), ResponseMode::Fragment).unwrap().code;
    let (_, tokens) = emu.exchange(&code, &verifier, Some(REDIRECT_URI)).await;
    assert_eq!(emu.my(tokens["access_token"].as_str().unwrap()).await.0, 200);

    let (status, out) = emu.post("/_api/redirects-api/v1/redirect-session", json!({"logout": {"clientId": CLIENT_ID}, "callbacks": {"postFlowUrl": "http://localhost:8080/shop"}})).await;
    assert_eq!(status, 200, "{out}");
    let resp = emu.http.get(emu.at(&page_path(&out))).send().await.unwrap();
    assert_eq!(resp.status(), 302);
    assert_eq!(location(&resp), "http://localhost:8080/shop");
    assert!(resp.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    assert_eq!(emu.my(tokens["access_token"].as_str().unwrap()).await.0, 401);
    let (status, _) = emu.post("/oauth2/token", json!({"grantType": "refresh_token", "refreshToken": tokens["refresh_token"]})).await;
    assert_eq!(status, 400);

    let (_, s) = emu.auth_session(&challenge, "none", json!({})).await;
    let resp = emu.http.get(emu.at(&page_path(&s))).send().await.unwrap();
    assert_eq!(parse_callback(&location(&resp), ResponseMode::Fragment).unwrap().error.as_deref(), Some("login_required"));

    // A postFlowUrl on a foreign origin is not followed.
    let (_, out) = emu.post("/_api/redirects-api/v1/redirect-session", json!({"logout": {"clientId": CLIENT_ID}, "callbacks": {"postFlowUrl": "http://evil.test/"}})).await;
    assert_eq!(emu.http.get(emu.at(&page_path(&out))).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn hosted_page_asks_for_the_email_code_when_required() {
    let emu = Emulator::start(&["--require-email-verification"]);
    let (verifier, challenge) = pkce_pair();
    let (_, s) = emu.auth_session(&challenge, "login", json!({})).await;
    let id = session_id(&s);
    let resp = emu.post_form("/_api/oauth2/authorize", &[("redirectSessionId", &id), ("action", "register"), ("email", "step@example.com"), ("password", "pw-1234")]).await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(html.contains("<label for=\"code\">"), "{html}");
    let marker = "name=\"stateToken\" value=\"";
    let start = html.find(marker).unwrap() + marker.len();
    let state_token = html[start..].split('"').next().unwrap().to_owned();
    let code = emu.outbox("step@example.com").await[0]["code"].as_str().unwrap().to_owned();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let resp = emu.post_form("/_api/oauth2/authorize", &[("redirectSessionId", &id), ("action", "verify"), ("stateToken", &state_token), ("code", wrong)]).await;
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("role=\"alert\""));
    let resp = emu.post_form("/_api/oauth2/authorize", &[("redirectSessionId", &id), ("action", "verify"), ("stateToken", &state_token), ("code", &code)]).await;
    assert_eq!(resp.status(), 302);
    let cb = parse_callback(&location(&resp), ResponseMode::Fragment).unwrap();
    assert_eq!(emu.exchange(&cb.code, &verifier, Some(REDIRECT_URI)).await.0, 200);
}

#[tokio::test]
async fn hosted_page_tells_pending_members_to_wait() {
    let emu = Emulator::start(&["--require-owner-approval"]);
    let (_, challenge) = pkce_pair();
    let (_, s) = emu.auth_session(&challenge, "login", json!({})).await;
    let resp = emu.post_form("/_api/oauth2/authorize", &[("redirectSessionId", &session_id(&s)), ("action", "register"), ("email", "p@example.com"), ("password", "pw-1234")]).await;
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("approval"));
}
