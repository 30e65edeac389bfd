//! The engine against a running `wix-auth-emulator` (the real server of this project, not a
//! script): set `WIX_EMULATOR_URL=http://127.0.0.1:PORT` (and `WIX_EMULATOR_CLIENT_ID` if not
//! the default) and run them with `--ignored`, as `scripts/test.d/15-live.sh` does with an emulator
//! it starts. They are `#[ignore]`d in a plain `cargo test`, so a run without a server reports them
//! as ignored rather than passing them unchecked. The platform here is a minimal blocking
//! HTTP/1.1 client on `std::net` — tests only.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::executor::block_on;

use super::platform::{LockGuard, Method, Request, Response};
use super::*;
use wix_auth_protocol::login_state::{LoginErrorCode, LoginState};

/// The emulator's default client id.
const DEFAULT_CLIENT: &str = "9a3c1e7e-5b2f-4d8a-b6c4-2f1e0d9c8b7a";
/// An origin the emulator allows by default: the page that "embeds" the direct-login frame.
const PAGE_ORIGIN: &str = "http://127.0.0.1:8080";

struct Live {
    storage: RefCell<BTreeMap<String, String>>,
    seed: Cell<u64>,
    /// Refresh answers still to lose: the request reaches the server (which processes it and,
    /// with rotation, spends the token), the answer never reaches the session (a timeout).
    lose_refresh_answers: Cell<u32>,
    /// Refresh requests sent.
    refreshes_sent: Cell<u32>,
}

/// One HTTP/1.1 exchange (`Connection: close`), chunked bodies decoded.
fn http(method: &str, url: &str, headers: &[(String, String)], body: Option<&str>) -> Result<Response, AuthError> {
    let net = |_| AuthError::new(ErrorCode::Network, "connection failed");
    let rest = url.strip_prefix("http://").ok_or_else(|| AuthError::new(ErrorCode::InvalidUrl, "http only"))?;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = TcpStream::connect(host).map_err(net)?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).map_err(net)?;
    let mut head = [method, " ", if path.is_empty() { "/" } else { path }, " HTTP/1.1\r\nHost: ", host, "\r\nConnection: close\r\n"].concat();
    for (k, v) in headers {
        head.push_str(&[k.as_str(), ": ", v, "\r\n"].concat());
    }
    let body = body.unwrap_or("");
    head.push_str(&["Content-Length: ", &body.len().to_string(), "\r\n\r\n", body].concat());
    stream.write_all(head.as_bytes()).map_err(net)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(net)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let header = |name: &str| {
        head.lines().find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim().to_string()))
    };
    let body = if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        let mut out = String::new();
        let mut rest = body;
        while let Some((size, tail)) = rest.split_once("\r\n") {
            let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            if n == 0 {
                break;
            }
            out.push_str(&tail[..n]);
            rest = &tail[n + 2..];
        }
        out
    } else {
        body.to_string()
    };
    Ok(Response { status, request_id: header("x-wix-request-id"), body })
}

impl Platform for Live {
    async fn send(&self, r: Request) -> Result<Response, AuthError> {
        let method = if r.method == Method::Post { "POST" } else { "GET" };
        let refresh = r.body.as_deref().is_some_and(|b| b.contains(r#""grantType":"refresh_token""#));
        let reply = http(method, &r.url, &r.headers, r.body.as_deref());
        if refresh {
            self.refreshes_sent.set(self.refreshes_sent.get() + 1);
            if self.lose_refresh_answers.get() > 0 {
                self.lose_refresh_answers.set(self.lose_refresh_answers.get() - 1);
                return Err(AuthError::new(ErrorCode::Timeout, "the answer was lost"));
            }
        }
        reply
    }
    fn to_json(&self, value: &JsonValue) -> Option<String> {
        serde_json::to_string(value).ok()
    }
    fn parse_json(&self, text: &str) -> Option<JsonValue> {
        serde_json::from_str(text).ok()
    }
    fn now_ms(&self) -> u64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
    }
    fn random(&self, buf: &mut [u8]) -> Result<(), AuthError> {
        super::fake::splitmix(&self.seed, buf);
        Ok(())
    }
    fn load(&self, key: &str) -> Option<String> {
        self.storage.borrow().get(key).cloned()
    }
    fn store(&self, key: &str, value: Option<&str>) -> Result<(), AuthError> {
        match value {
            Some(v) => self.storage.borrow_mut().insert(key.into(), v.into()),
            None => self.storage.borrow_mut().remove(key),
        };
        Ok(())
    }
    async fn lock(&self, _name: &str) -> Option<LockGuard> {
        // One process, one session: nobody to exclude.
        Some(LockGuard::none())
    }

    async fn sleep(&self, ms: u32) {
        std::thread::sleep(Duration::from_millis(u64::from(ms)));
    }
    /// The frame: GET the hosted page as a page of `PAGE_ORIGIN` would embed it, and read the
    /// message its script posts.
    async fn web_message(&self, url: &str, expected_origin: &str, state: &str, _timeout_ms: u32) -> Result<CallbackParams, AuthError> {
        assert!(url.starts_with(expected_origin), "the frame's page lives on the expected origin");
        let page = http("GET", url, &[("Referer".into(), [PAGE_ORIGIN, "/"].concat())], None)?;
        let start = page.body.find("postMessage(").map(|i| i + "postMessage(".len()).unwrap_or(page.body.len());
        let message: serde_json::Value = serde_json::Deserializer::from_str(&page.body[start..])
            .into_iter()
            .next()
            .and_then(Result::ok)
            .ok_or_else(|| AuthError::new(ErrorCode::Timeout, "no message"))?;
        let field = |k: &str| message.get(k).and_then(|v| v.as_str()).map(str::to_string);
        assert_eq!(field("state").as_deref(), Some(state));
        Ok(CallbackParams {
            code: field("code").unwrap_or_default(),
            state: field("state").unwrap_or_default(),
            error: field("error"),
            error_description: field("error_description"),
        })
    }
}

/// A session on the emulator named by `WIX_EMULATOR_URL`; a run without one is a failed run.
fn live() -> Session<Live> {
    let base = std::env::var("WIX_EMULATOR_URL").expect("WIX_EMULATOR_URL names a running emulator");
    let client = std::env::var("WIX_EMULATOR_CLIENT_ID").unwrap_or_else(|_| DEFAULT_CLIENT.into());
    let mut config = Config::new(&client).unwrap();
    config.base_url = base;
    let seed = SystemTime::now().duration_since(UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64);
    let platform = Live {
        storage: RefCell::new(BTreeMap::new()),
        seed: Cell::new(seed),
        lose_refresh_answers: Cell::new(0),
        refreshes_sent: Cell::new(0),
    };
    Session::new(platform, config, None)
}

fn unique_email() -> String {
    let n = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    ["live-", &n.to_string(), "@example.com"].concat()
}

fn dev_post(s: &Session<Live>, path: &str, body: &str) {
    let headers = [("Content-Type".to_string(), "application/json".to_string())];
    let r = http("POST", &s.config().url(path), &headers, Some(body)).unwrap();
    assert_eq!(r.status, 200, "{path}: {}", r.body);
}

#[test]
#[ignore = "needs a running emulator: scripts/test.d/15-live.sh"]
fn live_visitor_refresh_rotation_and_outage() {
    let s = live();
    let visitor = block_on(s.get_auth_headers()).unwrap();
    assert!(!visitor.is_empty());
    assert_eq!(block_on(s.get_auth_headers()).unwrap(), visitor, "reused, not re-minted");
    for _ in 0..3 {
        // Works with and without --rotate-refresh-tokens: each rotated token is stored.
        let t = block_on(s.renew_token(s.get_tokens().refresh_token)).unwrap();
        assert_eq!(t.refresh_token.role, Role::Visitor);
    }
    dev_post(&s, "/_emulator/faults", r#"{"endpoint":"token","count":1,"status":503}"#);
    let t = block_on(s.renew_token(s.get_tokens().refresh_token)).unwrap();
    assert!(!t.access_token.value.is_empty(), "one 503 is retried away");
}

/// Registers a new member (verifying the email when the emulator asks) and signs them in by
/// direct login; their email and tokens.
fn sign_up(s: &Session<Live>) -> (String, Tokens) {
    let email = unique_email();
    let mut sm = block_on(s.register(&email, "Password-123!", None, None)).unwrap();
    if sm.login_state == LoginState::EmailVerificationRequired {
        let outbox = http("GET", &s.config().url(&["/_emulator/outbox?email=", &email.replace('@', "%40")].concat()), &[], None).unwrap();
        let mails: serde_json::Value = serde_json::from_str(&outbox.body).unwrap();
        let code = mails.as_array().and_then(|m| m.last()).and_then(|m| m["code"].as_str()).unwrap().to_string();
        sm = block_on(s.process_verification(&code, None)).unwrap();
    }
    assert_eq!(sm.login_state, LoginState::Success, "{sm:?}");
    let session_token = sm.data.session_token.unwrap();
    let t = block_on(s.get_member_tokens_for_direct_login(&session_token)).unwrap();
    assert!(s.logged_in());
    (email, t)
}

/// `GET /members/v1/members/my` with `access_token`: its status and body.
fn my_member(s: &Session<Live>, access_token: &str) -> Response {
    http("GET", &s.config().url("/members/v1/members/my?fieldsets=FULL"), &[("Authorization".into(), access_token.into())], None).unwrap()
}

#[test]
#[ignore = "needs a running emulator: scripts/test.d/15-live.sh"]
fn live_register_verify_direct_login_and_logout() {
    let s = live();
    let (email, t) = sign_up(&s);
    let me = my_member(&s, &t.access_token.value);
    assert_eq!(me.status, 200, "{}", me.body);
    assert!(me.body.contains(&email));
    let out = block_on(s.logout("http://127.0.0.1:8080/")).unwrap();
    assert!(out.logout_url.contains("/_api/oauth2/logout"));
    assert!(!s.logged_in());

    let wrong = block_on(s.login(&email, "wrong-password", None)).unwrap();
    assert_eq!(wrong.error_code, Some(LoginErrorCode::InvalidPassword));
    let unknown = block_on(s.login(&unique_email(), "whatever-1", None)).unwrap();
    assert_eq!(unknown.error_code, Some(LoginErrorCode::InvalidEmail));
}

#[test]
#[ignore = "needs a running emulator: scripts/test.d/15-live.sh"]
fn live_pkce_login_url_and_refused_code() {
    let s = live();
    let data = s.generate_oauth_data("http://127.0.0.1:8080/callback.html", None).unwrap();
    let url = block_on(s.get_auth_url(Some(&data), AuthUrlOptions::default())).unwrap();
    assert!(url.auth_url.starts_with(&url.authorization_endpoint));
    let err = block_on(s.get_member_tokens("not-a-code", &data.state, None)).unwrap_err();
    assert_eq!(err.code, ErrorCode::OAuth(wix_auth_protocol::token::OAuthErrorCode::InvalidGrant));
    assert!(err.request_id.is_some());
}

/// `refreshTokenReuseDetections` of the emulator's stats.
fn reuse_detections(s: &Session<Live>) -> u64 {
    let stats = http("GET", &s.config().url("/_emulator/stats"), &[], None).unwrap();
    let stats: serde_json::Value = serde_json::from_str(&stats.body).unwrap();
    stats["refreshTokenReuseDetections"].as_u64().unwrap()
}

/// Issue 15 item 4 against the real server with rotation on (15-live.sh starts it so): the
/// emulator processes the refresh, rotates the member's token, and the answer is lost.
#[test]
#[ignore = "needs a running emulator: scripts/test.d/15-live.sh"]
fn live_issue15_item4_a_lost_refresh_answer_is_not_resent_and_the_member_stays() {
    let s = live();
    let (_, t) = sign_up(&s);
    let reuses = reuse_detections(&s);
    s.invalidate_access_token(&t.access_token.value);
    s.platform().lose_refresh_answers.set(1);
    let err = block_on(s.get_auth_headers()).unwrap_err();
    assert_eq!(err.code, ErrorCode::Timeout);
    assert_eq!(s.platform().refreshes_sent.get(), 1, "the spent token was not sent again");
    assert_eq!(reuse_detections(&s), reuses, "so the server saw no reuse and revoked nothing");
    assert!(s.logged_in(), "the member is still signed in");
    assert_eq!(my_member(&s, &t.access_token.value).status, 200, "and the access token still works");

    // What remains (docs/api.md): the answer with the new refresh token is gone for good, so the
    // next refresh presents the rotated-out token, is refused, and the session ends visibly.
    let err = block_on(s.get_auth_headers()).unwrap_err();
    assert_eq!(err.code, ErrorCode::SessionEnded);
    assert!(!s.logged_in());
}
