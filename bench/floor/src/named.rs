//! `named`: v5's work (one async method minting a visitor under a Web Lock, its tokens cached in
//! localStorage; one sync PKCE method) written on the project's named crates, each used for what
//! it is made for: serde-wasm-bindgen for the options, the reply and the result, gloo-net for the
//! request, gloo-storage for the storage, getrandom + base64 + sha2 for PKCE. The floor of the
//! stack itself, with none of the library's logic.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use gloo_net::http::RequestBuilder;
use gloo_storage::{LocalStorage, Storage as _};
use js_sys::{Promise, JSON};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::js::err;
use crate::web_lock::lock;

const KEY: &str = "wix-tokens";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Options {
    client_id: String,
    base_url: Option<String>,
}

/// The anonymous grant's body, as `@wix/sdk` sends it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Grant<'a> {
    client_id: &'a str,
    grant_type: &'a str,
}

#[derive(Deserialize)]
struct Reply {
    access_token: String,
    refresh_token: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Tokens {
    access_token: String,
    refresh_token: String,
}

struct Inner {
    client_id: String,
    base_url: String,
}

#[wasm_bindgen]
pub struct Client {
    inner: Rc<Inner>,
}

#[wasm_bindgen]
impl Client {
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Client, JsValue> {
        let o: Options = serde_wasm_bindgen::from_value(options).map_err(|_| err("bad options"))?;
        let base_url = o.base_url.unwrap_or_else(|| "https://www.wixapis.com".into());
        Ok(Client { inner: Rc::new(Inner { client_id: o.client_id, base_url }) })
    }

    /// v5's method, line for line (that is the point of the variant), over this file's
    /// `load`, `mint` and `save`.
    #[wasm_bindgen(js_name = generateVisitorTokens)]
    pub fn generate_visitor_tokens(&self) -> Promise {
        let s = self.inner.clone();
        future_to_promise(async move {
            let release = lock(KEY).await?;
            let tokens = match load() {
                Some(t) => Ok(t),
                None => mint(&s).await.inspect(save),
            };
            let _ = release.call0(&JsValue::UNDEFINED);
            serde_wasm_bindgen::to_value(&tokens?).map_err(|_| err("result"))
        })
    }

    #[wasm_bindgen(js_name = authUrl)]
    pub fn auth_url(&self, redirect_uri: &str) -> Result<String, JsValue> {
        let verifier = random()?;
        let state = random()?;
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        let url = authorize_url(&[
            ("client_id", &self.inner.client_id),
            ("redirect_uri", redirect_uri),
            ("response_type", "code"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
            ("state", &state),
        ]);
        Ok(url)
    }
}

fn random() -> Result<String, JsValue> {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).map_err(|_| err("no crypto"))?;
    Ok(URL_SAFE_NO_PAD.encode(buf))
}

/// The authorize URL, each value escaped by the browser's `encodeURIComponent`.
fn authorize_url(params: &[(&str, &str)]) -> String {
    let mut url = String::from("https://www.wix.com/oauth/authorize?");
    for (i, (k, v)) in params.iter().enumerate() {
        if i > 0 {
            url.push('&');
        }
        url.push_str(k);
        url.push('=');
        url.push_str(&String::from(js_sys::encode_uri_component(v)));
    }
    url
}

async fn mint(s: &Inner) -> Result<Tokens, JsValue> {
    let grant = Grant { client_id: &s.client_id, grant_type: "anonymous" };
    let body = serde_wasm_bindgen::to_value(&grant).ok().and_then(|v| JSON::stringify(&v).ok()).ok_or_else(|| err("body"))?;
    let url = [s.base_url.as_str(), "/oauth2/token"].concat();
    let resp = RequestBuilder::new(&url)
        .method(gloo_net::http::Method::POST)
        .header("content-type", "application/json")
        .body(String::from(body))
        .map_err(|_| err("request"))?
        .send()
        .await
        .map_err(|_| err("network"))?;
    if !resp.ok() {
        return Err(err("refused"));
    }
    let text = resp.text().await.map_err(|_| err("body"))?;
    let reply: Reply = serde_wasm_bindgen::from_value(JSON::parse(&text)?).map_err(|_| err("reply"))?;
    Ok(Tokens { access_token: reply.access_token, refresh_token: reply.refresh_token })
}

/// localStorage, found by gloo-storage (which throws where there is no window: checked first).
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?;
    Some(LocalStorage::raw())
}

fn load() -> Option<Tokens> {
    let text = storage()?.get_item(KEY).ok()??;
    serde_wasm_bindgen::from_value(JSON::parse(&text).ok()?).ok()
}

fn save(t: &Tokens) {
    if let Ok(v) = serde_wasm_bindgen::to_value(t) {
        if let (Some(s), Ok(text)) = (storage(), JSON::stringify(&v)) {
            let _ = s.set_item(KEY, &String::from(text));
        }
    }
}
