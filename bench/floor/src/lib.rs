//! Size-floor probe (see README.md). Each feature vN adds one kind of work the real library does,
//! written the way the library writes it (browser APIs through js-sys/web-sys, no serde, no
//! `format!`, no `unwrap`), so that vN's size is a lower bound for code doing that much.
//! Never run: it only has to compile to the module whose size we measure.

use wasm_bindgen::prelude::*;

/// v1: the smallest module wasm-bindgen makes.
#[wasm_bindgen]
pub fn f() {}

/// Reading, writing and failing in JS terms, for v2 on and `named`.
#[cfg(any(feature = "v2", feature = "named"))]
#[allow(dead_code)]
mod js;

#[cfg(feature = "v2")]
pub use v2::*;

// Parts of v2 are used only from v3 on; v2 alone must still build without warnings.
#[cfg(feature = "v2")]
#[allow(dead_code)]
mod v2 {
    use std::rc::Rc;

    use wasm_bindgen::prelude::*;

    use crate::js::{err, get};

    /// Shared with the futures of the async methods (v3+), hence the Rc, as in the library.
    pub(crate) struct Inner {
        pub(crate) client_id: String,
    }

    #[wasm_bindgen]
    pub struct Client {
        pub(crate) inner: Rc<Inner>,
    }

    #[wasm_bindgen]
    impl Client {
        #[wasm_bindgen(constructor)]
        pub fn new(options: &JsValue) -> Result<Client, JsValue> {
            let client_id = get(options, "clientId").as_string().ok_or_else(|| err("clientId must be a string"))?;
            Ok(Client { inner: Rc::new(Inner { client_id }) })
        }
    }

}

#[cfg(feature = "v3")]
mod v3 {
    use js_sys::{Object, Promise, JSON};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{RequestInit, Response};

    use crate::js::{err, get, set};
    #[cfg(not(feature = "v5"))]
    use {crate::v2::Client, wasm_bindgen_futures::future_to_promise};

    #[wasm_bindgen]
    extern "C" {
        // The global, not `window.fetch`: as in the library (works in workers too).
        #[wasm_bindgen(catch, js_name = fetch)]
        fn global_fetch(url: &str, init: &RequestInit) -> Result<Promise, JsValue>;
    }

    pub(crate) const API: &str = "https://www.wixapis.com/oauth2/token";

    /// POSTs `body` (a JSON string) and returns the parsed JSON reply.
    pub(crate) async fn post(url: &str, body: &JsValue) -> Result<JsValue, JsValue> {
        let init = RequestInit::new();
        init.set_method("POST");
        let headers = Object::new();
        set(&headers, "content-type", &JsValue::from_str("application/json"));
        init.set_headers(&headers);
        init.set_body(&JSON::stringify(body)?.into());
        let resp: Response = JsFuture::from(global_fetch(url, &init)?).await?.dyn_into()?;
        if !resp.ok() {
            return Err(err("request failed"));
        }
        JsFuture::from(resp.json()?).await
    }

    /// Picks two fields of a reply into a new object under the names the JS API uses.
    pub(crate) fn pick(reply: &JsValue, a: (&str, &str), b: (&str, &str)) -> JsValue {
        let o = Object::new();
        set(&o, a.1, &get(reply, a.0));
        set(&o, b.1, &get(reply, b.0));
        o.into()
    }

    /// A new visitor's tokens: the anonymous grant, picked into the JS API's names.
    pub(crate) async fn visitor_tokens(client_id: &str) -> Result<JsValue, JsValue> {
        let body = Object::new();
        set(&body, "clientId", &JsValue::from_str(client_id));
        set(&body, "grantType", &JsValue::from_str("anonymous"));
        let reply = post(API, &body.into()).await?;
        Ok(pick(&reply, ("access_token", "accessToken"), ("refresh_token", "refreshToken")))
    }

    // From v5 on, v5's version of this method replaces it.
    #[cfg(not(feature = "v5"))]
    #[wasm_bindgen]
    impl Client {
        /// Returns a Promise built by future_to_promise, the library's pattern for every async method.
        #[wasm_bindgen(js_name = generateVisitorTokens)]
        pub fn generate_visitor_tokens(&self) -> Promise {
            let s = self.inner.clone();
            future_to_promise(async move { visitor_tokens(&s.client_id).await })
        }
    }
}

#[cfg(feature = "v4")]
mod v4 {
    use sha2::{Digest, Sha256};
    use wasm_bindgen::prelude::*;

    use crate::js::err;
    use crate::v2::Client;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(catch, js_namespace = crypto, js_name = getRandomValues)]
        fn get_random_values(buf: &mut [u8]) -> Result<JsValue, JsValue>;
    }

    /// Unpadded base64url (RFC 4648 §5), as PKCE wants; by hand, no crate.
    fn base64url(bytes: &[u8]) -> String {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
        for c in bytes.chunks(3) {
            let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
            for i in 0..=c.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            }
        }
        out
    }

    /// application/x-www-form-urlencoded escaping of one value.
    fn push_encoded(out: &mut String, v: &str) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        for b in v.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => out.push(b as char),
                b' ' => out.push('+'),
                _ => {
                    out.push('%');
                    out.push(HEX[(b >> 4) as usize] as char);
                    out.push(HEX[(b & 15) as usize] as char);
                }
            }
        }
    }

    fn random_b64(n: usize) -> Result<String, JsValue> {
        let mut buf = vec![0u8; n];
        get_random_values(&mut buf).map_err(|_| err("no crypto"))?;
        Ok(base64url(&buf))
    }

    #[wasm_bindgen]
    impl Client {
        /// PKCE verifier → S256 challenge, a random state, and the authorize URL's query string.
        #[wasm_bindgen(js_name = authUrl)]
        pub fn auth_url(&self, redirect_uri: &str) -> Result<String, JsValue> {
            let verifier = random_b64(32)?;
            let state = random_b64(32)?;
            let challenge = base64url(&Sha256::digest(verifier.as_bytes()));
            let mut url = String::from("https://www.wix.com/oauth/authorize?");
            let params = [
                ("client_id", self.inner.client_id.as_str()),
                ("redirect_uri", redirect_uri),
                ("response_type", "code"),
                ("code_challenge", &challenge),
                ("code_challenge_method", "S256"),
                ("state", &state),
            ];
            for (i, (k, v)) in params.iter().enumerate() {
                if i > 0 {
                    url.push('&');
                }
                url.push_str(k);
                url.push('=');
                push_encoded(&mut url, v);
            }
            Ok(url)
        }
    }
}

/// The Web Lock of v5 and `named`.
#[cfg(any(feature = "v5", feature = "named"))]
mod web_lock;

#[cfg(feature = "v5")]
mod v5 {
    use js_sys::{Promise, JSON};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::future_to_promise;

    use crate::js::get;
    use crate::v2::Client;
    use crate::v3::visitor_tokens;
    use crate::web_lock::lock;

    const KEY: &str = "wix-tokens";

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    /// Cached tokens, if storage holds a JSON object with a string accessToken.
    fn load() -> Option<JsValue> {
        let text = storage()?.get_item(KEY).ok()??;
        let v = JSON::parse(&text).ok()?;
        get(&v, "accessToken").as_string().map(|_| v)
    }

    fn save(v: &JsValue) {
        if let (Some(s), Ok(text)) = (storage(), JSON::stringify(v)) {
            let _ = s.set_item(KEY, &String::from(text));
        }
    }

    #[wasm_bindgen]
    impl Client {
        /// v3's method behind a cross-tab lock, with the result cached in localStorage.
        #[wasm_bindgen(js_name = generateVisitorTokens)]
        pub fn generate_visitor_tokens(&self) -> Promise {
            let s = self.inner.clone();
            future_to_promise(async move {
                let release = lock(KEY).await?;
                let out = match load() {
                    Some(cached) => Ok(cached),
                    None => visitor_tokens(&s.client_id).await.inspect(save),
                };
                let _ = release.call0(&JsValue::UNDEFINED);
                out
            })
        }
    }
}

#[cfg(feature = "v6")]
mod v6 {
    use js_sys::{Object, Promise};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::future_to_promise;

    use crate::js::set;
    use crate::v2::Client;
    use crate::v3::post;

    /// Nine more exported async methods, each its own future (state machine) and glue wrapper:
    /// two string arguments into a JSON body, one POST, two fields out. The shared helpers stay
    /// shared, as they would in a well-factored library, so the difference v6 − v5 is the
    /// per-method cost itself.
    macro_rules! methods {
        ($($name:ident $js:literal $path:literal ($a:literal, $b:literal) -> ($x:literal, $y:literal);)*) => {
            #[wasm_bindgen]
            impl Client {
                $(
                    #[wasm_bindgen(js_name = $js)]
                    pub fn $name(&self, a: String, b: String) -> Promise {
                        let s = self.inner.clone();
                        future_to_promise(async move {
                            let body = Object::new();
                            set(&body, "clientId", &JsValue::from_str(&s.client_id));
                            set(&body, $a, &JsValue::from_str(&a));
                            set(&body, $b, &JsValue::from_str(&b));
                            let reply = post(concat!("https://www.wixapis.com", $path), &body.into()).await?;
                            Ok(crate::v3::pick(&reply, ($x, $x), ($y, $y)))
                        })
                    }
                )*
            }
        };
    }

    methods! {
        login "login" "/auth/v1/login" ("email", "password") -> ("state", "sessionToken");
        register "register" "/auth/v1/register" ("email", "password") -> ("state", "identity");
        process_verification "processVerification" "/auth/v1/verify" ("code", "stateToken") -> ("state", "sessionToken");
        renew_token "renewToken" "/oauth2/token/renew" ("refreshToken", "scope") -> ("access_token", "refresh_token");
        member_tokens "getMemberTokens" "/oauth2/token/member" ("code", "codeVerifier") -> ("access_token", "expires_in");
        direct_login "getMemberTokensForDirectLogin" "/oauth2/token/direct" ("sessionToken", "redirectUri") -> ("access_token", "refresh_token");
        external_login "getMemberTokensForExternalLogin" "/oauth2/token/external" ("memberId", "apiKey") -> ("access_token", "refresh_token");
        reset_email "sendPasswordResetEmail" "/auth/v1/reset" ("email", "redirectUri") -> ("ok", "message");
        logout "logout" "/redirects/v1/logout" ("originalUrl", "clientId2") -> ("redirectSession", "fullUrl");
    }
}

/// Not a variant: prices dlmalloc by swapping in a bump allocator that never frees (`v5,bump`).
/// Unusable in a long-lived page; a real small allocator would land between the two numbers.
#[cfg(feature = "bump")]
mod bump {
    use std::alloc::{GlobalAlloc, Layout};
    use std::arch::wasm32::memory_grow;

    struct Bump;
    static mut NEXT: usize = 0;
    static mut END: usize = 0;

    unsafe impl GlobalAlloc for Bump {
        unsafe fn alloc(&self, l: Layout) -> *mut u8 {
            let align = l.align() - 1;
            let mut start = (NEXT + align) & !align;
            if start + l.size() > END {
                // Fresh pages at the end of memory; the tail of the old region is wasted.
                let pages = (l.size() + align + 0xffff) >> 16;
                let prev = memory_grow(0, pages);
                if prev == usize::MAX {
                    return std::ptr::null_mut();
                }
                start = ((prev << 16) + align) & !align;
                END = (prev + pages) << 16;
            }
            NEXT = start + l.size();
            start as *mut u8
        }
        unsafe fn dealloc(&self, _: *mut u8, _: Layout) {}
    }

    #[global_allocator]
    static A: Bump = Bump;
}

#[cfg(feature = "named")]
mod named;
