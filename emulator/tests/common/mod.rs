//! Test harness: spawns the real binary on a free port with its own SQLite file, and small
//! helpers for the calls most tests need. The process is killed when the handle drops.
#![allow(dead_code)]

use reqwest::{redirect, Client, Response, StatusCode};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicU8, Ordering};
use wix_auth_protocol::pkce;

pub const CLIENT_ID: &str = "9a3c1e7e-5b2f-4d8a-b6c4-2f1e0d9c8b7a";
pub const API_KEY: &str = "emulator-dev-api-key";
pub const REDIRECT_URI: &str = "http://localhost:8080/callback.html";
pub const ORIGIN: &str = "http://localhost:8080";
/// The pages the site host serves (everything else is on the API host).
pub const SITE_PAGES: [&str; 5] =
    ["/_api/oauth2/authorize", "/_api/oauth2/logout", "/_api/oauth2/prewarm", "/_api/iam/recovery/v1/reset", "/oauth2/device"];

/// A running emulator.
pub struct Emulator {
    child: Child,
    _stdout: BufReader<ChildStdout>,
    /// The API host.
    pub url: String,
    /// The site host (hosted pages), from the third stdout line.
    pub site: String,
    pub db: PathBuf,
    /// A visitor's access token, minted on first use: identity calls need one.
    visitor: tokio::sync::OnceCell<String>,
    _dir: Option<tempfile::TempDir>,
    /// No redirects followed, cookies kept: a browser that shows us every hop.
    pub http: Client,
}

impl Emulator {
    /// Starts on a fresh database with extra flags.
    pub fn start(args: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("emulator.db");
        let mut emu = Self::start_on(&db, args);
        emu._dir = Some(dir);
        emu
    }

    /// Starts on an existing database file (for restart tests).
    pub fn start_on(db: &Path, args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_wix-auth-emulator"))
            .args(["--port", "0", "--db"])
            .arg(db)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn emulator");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut first = String::new();
        stdout.read_line(&mut first).expect("first line");
        let url = first
            .trim()
            .strip_prefix("wix-auth-emulator listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_owned();
        let mut second = String::new();
        stdout.read_line(&mut second).expect("second line");
        assert!(second.starts_with("client id: "), "second line {second:?}");
        let mut third = String::new();
        stdout.read_line(&mut third).expect("third line");
        let site = third.trim().strip_prefix("site: ").unwrap_or_else(|| panic!("third line {third:?}")).to_owned();
        let http = Client::builder().redirect(redirect::Policy::none()).cookie_store(true).build().expect("client");
        Self { child, _stdout: stdout, url, site, db: db.to_owned(), _dir: None, http, visitor: tokio::sync::OnceCell::new() }
    }

    /// Sends SIGTERM and waits up to `secs` for the exit status.
    pub fn terminate(&mut self, secs: u64) -> Option<std::process::ExitStatus> {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().ok()?;
        for _ in 0..secs * 20 {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        None
    }

    /// `path` on the host that serves it: hosted pages on the site host, the rest on the API host.
    pub fn at(&self, path: &str) -> String {
        let page = path.split('?').next().unwrap_or_default();
        let on_site = SITE_PAGES.contains(&page);
        format!("{}{path}", if on_site { &self.site } else { &self.url })
    }

    /// `path` on the API host, whatever it is.
    pub fn api_at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// `path` on the site host, whatever it is.
    pub fn site_at(&self, path: &str) -> String {
        format!("{}{path}", self.site)
    }

    /// A visitor's access token (the same one for the emulator's whole life).
    pub async fn visitor_token(&self) -> String {
        self.visitor.get_or_init(|| async { self.anonymous().await["access_token"].as_str().unwrap_or_default().to_owned() }).await.clone()
    }

    /// POSTs JSON and returns status and body (Null when the body is not JSON). Identity calls
    /// carry a visitor's token, as the live service requires.
    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let mut req = self.http.post(self.at(path)).json(&body);
        if path.starts_with("/_api/iam/") && !path.contains("sign-on") {
            req = req.header("authorization", self.visitor_token().await);
        }
        read(req.send().await.expect("send")).await
    }

    /// POSTs a form, as a browser on the page of that host would (with its `Origin`).
    pub async fn post_form(&self, path: &str, pairs: &[(&str, &str)]) -> Response {
        let body = wix_auth_protocol::form::serialize(pairs.iter().copied());
        let url = self.at(path);
        let origin = if url.starts_with(&self.site) { &self.site } else { &self.url };
        self.http
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", origin.as_str())
            .body(body)
            .send()
            .await
            .expect("send")
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        read(self.http.get(self.at(path)).send().await.expect("send")).await
    }

    /// `GET /members/v1/members/my?fieldsets=FULL` with a raw access token.
    pub async fn my(&self, access_token: &str) -> (StatusCode, Value) {
        read(self.http.get(self.at("/members/v1/members/my?fieldsets=FULL")).header("authorization", access_token).send().await.expect("send"))
            .await
    }

    pub async fn anonymous(&self) -> Value {
        let req = self.http.post(self.at("/oauth2/token")).json(&json!({"grantType": "anonymous", "clientId": CLIENT_ID}));
        let (status, body) = read(req.send().await.expect("send")).await;
        assert_eq!(status, 200, "{body}");
        body
    }

    pub async fn register(&self, email: &str, password: &str) -> Value {
        self.post("/_api/iam/authentication/v2/register", json!({"loginId": {"email": email}, "password": password})).await.1
    }

    pub async fn login(&self, email: &str, password: &str) -> (StatusCode, Value) {
        self.post("/_api/iam/authentication/v2/login", json!({"loginId": {"email": email}, "password": password})).await
    }

    /// A login redirect session; `extra` is merged into `authRequest`.
    pub async fn auth_session(&self, challenge: &str, prompt: &str, extra: Value) -> (StatusCode, Value) {
        let mut req = json!({
            "redirectUri": REDIRECT_URI, "clientId": CLIENT_ID, "codeChallenge": challenge,
            "codeChallengeMethod": "S256", "responseMode": "fragment", "responseType": "code",
            "scope": "offline_access", "state": "state-123"
        });
        if let (Some(r), Some(e)) = (req.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                if v.is_null() {
                    r.remove(k);
                } else {
                    r.insert(k.clone(), v.clone());
                }
            }
        }
        self.post("/_api/redirects-api/v1/redirect-session", json!({"auth": {"authRequest": req, "prompt": prompt}})).await
    }

    /// Exchanges a code.
    pub async fn exchange(&self, code: &str, verifier: &str, redirect_uri: Option<&str>) -> (StatusCode, Value) {
        let mut body = json!({"grantType": "authorization_code", "clientId": CLIENT_ID, "code": code, "codeVerifier": verifier});
        if let Some(uri) = redirect_uri {
            body["redirectUri"] = json!(uri);
        }
        self.post("/oauth2/token", body).await
    }

    pub async fn outbox(&self, email: &str) -> Vec<Value> {
        let (_, body) = self.get(&format!("/_emulator/outbox?email={email}")).await;
        body.as_array().cloned().unwrap_or_default()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub async fn read(resp: Response) -> (StatusCode, Value) {
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// A fresh PKCE pair (verifier, challenge).
pub fn pkce_pair() -> (String, String) {
    static N: AtomicU8 = AtomicU8::new(1);
    let seed = N.fetch_add(1, Ordering::Relaxed);
    let verifier = pkce::code_verifier(&[seed; 32]);
    let challenge = pkce::code_challenge(&verifier);
    (verifier, challenge)
}

/// The `Location` header.
pub fn location(resp: &Response) -> String {
    resp.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

/// A registered member's session token and id.
pub async fn member(emu: &Emulator, email: &str) -> (String, String) {
    let body = emu.register(email, "secret-pw").await;
    assert_eq!(body["state"], "SUCCESS", "{body}");
    (body["sessionToken"].as_str().unwrap_or_default().to_owned(), body["identity"]["id"].as_str().unwrap_or_default().to_owned())
}

/// Member tokens for a member made by sign-on, through the `authorized_client` grant.
pub async fn external_member(emu: &Emulator, email: &str) -> Value {
    let resp = emu
        .http
        .post(emu.at("/_api/iam/authentication/v2/sign-on"))
        .header("authorization", format!(",{API_KEY}"))
        .json(&json!({"loginId": {"email": email}}))
        .send()
        .await
        .unwrap();
    let (status, signed) = read(resp).await;
    assert_eq!(status, 200, "{signed}");
    let visitor = emu.anonymous().await;
    let resp = emu
        .http
        .post(emu.at("/oauth2/token"))
        .header("authorization", format!("{},{API_KEY}", visitor["access_token"].as_str().unwrap()))
        .json(&json!({"grant_type": "authorized_client", "scope": "offline_access",
            "member_id": signed["identity"]["id"], "session_token": signed["sessionToken"]}))
        .send()
        .await
        .unwrap();
    let (status, tokens) = read(resp).await;
    assert_eq!(status, 200, "{tokens}");
    tokens
}
