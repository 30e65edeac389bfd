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

/// A running emulator.
pub struct Emulator {
    child: Child,
    _stdout: BufReader<ChildStdout>,
    pub url: String,
    pub db: PathBuf,
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
        let http = Client::builder().redirect(redirect::Policy::none()).cookie_store(true).build().expect("client");
        Self { child, _stdout: stdout, url, db: db.to_owned(), _dir: None, http }
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

    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// POSTs JSON and returns status and body (Null when the body is not JSON).
    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        read(self.http.post(self.at(path)).json(&body).send().await.expect("send")).await
    }

    /// POSTs a form.
    pub async fn post_form(&self, path: &str, pairs: &[(&str, &str)]) -> Response {
        let body = wix_auth_protocol::form::serialize(pairs.iter().copied());
        self.http
            .post(self.at(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("send")
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        read(self.http.get(self.at(path)).send().await.expect("send")).await
    }

    /// `GET /members/v1/members/my` with a raw access token.
    pub async fn my(&self, access_token: &str) -> (StatusCode, Value) {
        read(self.http.get(self.at("/members/v1/members/my")).header("authorization", access_token).send().await.expect("send"))
            .await
    }

    pub async fn anonymous(&self) -> Value {
        let (status, body) = self.post("/oauth2/token", json!({"grantType": "anonymous", "clientId": CLIENT_ID})).await;
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
