//! Arguments read property by property (js-sys `Reflect.get` and a type check per member): the
//! option bags and small objects whose members are a few strings, numbers or booleans. Each serde
//! struct read from JS ships a deserializer of its own (~1.1 KB of wasm, ~330 B gzip, measured in
//! bench/ANALYSIS.md), so these are read here, and members they do not name are never read (an
//! app's object may hold anything beside them). A profile, whose members may be anything JSON,
//! crosses as one `JsonValue` (serde-wasm-bindgen, bounded in depth).
//!
//! Every reader is as lenient as Wix where Wix is (`undefined` / `null` is absent) and refuses a
//! member of another type with `invalid_argument`, naming the argument, never its value.

use wasm_bindgen::prelude::*;

use super::convert::{absent, bad_arg, field, from_js, profile};
use wix_auth_protocol::error::AuthError;
use wix_auth_protocol::json_value::JsonValue;
use wix_auth_session::{AccessToken, CaptchaTokens, OAuthData, RefreshToken, Role, SignOnOptions, Tokens};

/// `obj[key]` read by `read`: `undefined` / `null` (or `obj` not an object) is `None`; a value
/// `read` refuses is `invalid_argument` with `what`.
fn optional<T>(obj: &JsValue, key: &str, what: &str, read: fn(&JsValue) -> Option<T>) -> Result<Option<T>, AuthError> {
    let value = field(obj, key);
    if absent(&value) {
        return Ok(None);
    }
    read(&value).map(Some).ok_or_else(|| bad_arg(what))
}

/// `obj[key]` as an optional string.
pub(crate) fn optional_string(obj: &JsValue, key: &str, what: &str) -> Result<Option<String>, AuthError> {
    optional(obj, key, what, JsValue::as_string)
}

/// `obj`, which must be an object (`what` otherwise).
pub(crate) fn object<'a>(obj: &'a JsValue, what: &str) -> Result<&'a JsValue, AuthError> {
    if obj.is_object() {
        Ok(obj)
    } else {
        Err(bad_arg(what))
    }
}

/// An optional options object: `undefined` / `null` or an object (`what` otherwise).
fn options<'a>(obj: &'a JsValue, what: &str) -> Result<&'a JsValue, AuthError> {
    if absent(obj) {
        Ok(obj)
    } else {
        object(obj, what)
    }
}

/// The constructor's options (`OAuthStrategyOptions`), each member checked for its type.
pub(crate) struct OptionsArg {
    pub(crate) client_id: Option<String>,
    pub(crate) base_url: Option<String>,
    pub(crate) storage_key: Option<String>,
    pub(crate) skew_seconds: Option<f64>,
    pub(crate) direct_login_timeout_ms: Option<f64>,
    pub(crate) request_timeout_ms: Option<f64>,
    /// `{headers}` for every token request, read by [`token_headers`].
    pub(crate) token_request_options: JsValue,
    /// Origins besides `baseUrl`'s that `fetchWithAuth` may send the access token to.
    pub(crate) fetch_with_auth_origins: Option<Vec<String>>,
    /// `"local"`, `"session"`, `"memory"` or the caller's `{getTokens, setTokens}` object, kept as
    /// the object it is (its methods are called later).
    pub(crate) storage: JsValue,
    /// `@wix/sdk`'s name for a custom `storage`.
    pub(crate) token_storage: JsValue,
    /// Read by [`tokens`].
    pub(crate) tokens: JsValue,
}

pub(crate) fn strategy_options(options: &JsValue) -> Result<OptionsArg, AuthError> {
    const WHAT: &str = "options must be OAuthStrategyOptions (clientId and the other settings as strings)";
    let o = object(options, "options must be an object with a clientId")?;
    let text = |key| optional_string(o, key, WHAT);
    let number = |key| optional(o, key, WHAT, JsValue::as_f64);
    // `publicKey` (`@wix/sdk`'s strategy takes it and never reads it) and `siteId` (not one of its
    // options: the client id names the site) are accepted, checked and unused.
    text("publicKey")?;
    text("siteId")?;
    Ok(OptionsArg {
        client_id: text("clientId")?,
        base_url: text("baseUrl")?,
        storage_key: text("storageKey")?,
        skew_seconds: number("skewSeconds")?,
        direct_login_timeout_ms: number("directLoginTimeoutMs")?,
        request_timeout_ms: number("requestTimeoutMs")?,
        token_request_options: field(o, "tokenRequestOptions"),
        fetch_with_auth_origins: optional(o, "fetchWithAuthOrigins", WHAT, strings)?,
        storage: field(o, "storage"),
        token_storage: field(o, "tokenStorage"),
        tokens: field(o, "tokens"),
    })
}

/// An array of strings; `None` for anything else, or an array with an item that is not a string.
fn strings(value: &JsValue) -> Option<Vec<String>> {
    if !js_sys::Array::is_array(value) {
        return None;
    }
    js_sys::Array::from(value).iter().map(|item| item.as_string()).collect()
}

/// `login`'s and `register`'s argument (`LoginParams` / `RegisterParams`): `{email, password,
/// captchaTokens?, profile?}`, the last two read when asked for.
pub(crate) struct Credentials {
    pub(crate) email: String,
    pub(crate) password: String,
    params: JsValue,
}

const CREDENTIALS: &str = "login and register take {email: string, password: string, captchaTokens?, profile?}";

pub(crate) fn credentials(params: &JsValue) -> Result<Credentials, AuthError> {
    let params = object(params, "login and register take an object {email, password}")?;
    let required = |key| optional_string(params, key, CREDENTIALS)?.ok_or_else(|| bad_arg(CREDENTIALS));
    Ok(Credentials { email: required("email")?, password: required("password")?, params: params.clone() })
}

impl Credentials {
    /// The captcha tokens, if any: `{recaptchaToken?, invisibleRecaptchaToken?}`.
    pub(crate) fn captcha(&self) -> Result<Option<CaptchaTokens>, AuthError> {
        const WHAT: &str = "captchaTokens must be {recaptchaToken?, invisibleRecaptchaToken?} of strings";
        let tokens = field(&self.params, "captchaTokens");
        if absent(&tokens) {
            return Ok(None);
        }
        let tokens = object(&tokens, WHAT)?;
        Ok(Some(CaptchaTokens {
            recaptcha_token: optional_string(tokens, "recaptchaToken", WHAT)?,
            invisible_recaptcha_token: optional_string(tokens, "invisibleRecaptchaToken", WHAT)?,
        }))
    }

    /// The new member's profile, if any, checked and as it goes on the wire.
    pub(crate) fn profile(&self) -> Result<Option<JsonValue>, AuthError> {
        profile_arg(field(&self.params, "profile"), CREDENTIALS)
    }
}

/// A `profile` member (`IdentityProfile`), checked and renamed for the wire (`convert::profile`).
fn profile_arg(value: JsValue, what: &str) -> Result<Option<JsonValue>, AuthError> {
    if absent(&value) {
        return Ok(None);
    }
    profile(Some(from_js(value, what)?))
}

/// The state token of `processVerification`'s `state` argument (a `StateMachine` from `login` /
/// `register`: `{loginState, data: {stateToken}}`). A state that is not
/// `EMAIL_VERIFICATION_REQUIRED` with a `stateToken` gives an empty one, which the engine answers
/// with `FAILURE`, as `@wix/sdk` does.
pub(crate) fn verification_state_token(state: &JsValue) -> Result<String, AuthError> {
    const WHAT: &str = "state must be a StateMachine from login or register";
    let login_state = optional_string(object(state, WHAT)?, "loginState", WHAT)?;
    let data = field(state, "data");
    let token = optional_string(options(&data, WHAT)?, "stateToken", WHAT)?;
    let waiting = login_state.as_deref() == Some("EMAIL_VERIFICATION_REQUIRED");
    Ok(token.filter(|_| waiting).unwrap_or_default())
}

/// `processVerification`'s first argument: `{verificationCode}` (`@wix/sdk` also reads `code`).
pub(crate) fn verification_code(input: &JsValue) -> Result<String, AuthError> {
    const WHAT: &str = "verificationCode must be a string";
    let input = options(input, WHAT)?;
    let verification_code = optional_string(input, "verificationCode", WHAT)?;
    let code = optional_string(input, "code", WHAT)?;
    verification_code.or(code).ok_or_else(|| bad_arg("verificationCode is required"))
}

/// `getAuthUrl`'s `idp` given as `{connectionId}`.
pub(crate) fn connection_id(idp: &JsValue, what: &str) -> Result<String, AuthError> {
    optional_string(object(idp, what)?, "connectionId", what)?.ok_or_else(|| bad_arg(what))
}

/// `getAuthUrl`'s options, `{prompt?, responseMode?, idp?, sessionToken?}`, as the three strings
/// and the `idp` value (read by the caller: a string or `{connectionId}`).
pub(crate) struct AuthUrlOptionsArg {
    pub(crate) prompt: Option<String>,
    pub(crate) response_mode: Option<String>,
    pub(crate) idp: JsValue,
    pub(crate) session_token: Option<String>,
}

pub(crate) fn auth_url_options(opts: &JsValue, what: &str) -> Result<AuthUrlOptionsArg, AuthError> {
    let opts = options(opts, what)?;
    Ok(AuthUrlOptionsArg {
        prompt: optional_string(opts, "prompt", what)?,
        response_mode: optional_string(opts, "responseMode", what)?,
        idp: field(opts, "idp"),
        session_token: optional_string(opts, "sessionToken", what)?,
    })
}

/// `getMemberTokensForExternalLoginWithSession`'s options (`SignOnOptions`: `{profile?,
/// verifyEmail?, mergeExistingContact?}`), the profile checked and renamed for the wire.
pub(crate) fn sign_on_options(opts: &JsValue) -> Result<SignOnOptions, AuthError> {
    const WHAT: &str = "options must be SignOnOptions {profile?, verifyEmail?, mergeExistingContact?}";
    let opts = options(opts, WHAT)?;
    Ok(SignOnOptions {
        profile: profile_arg(field(opts, "profile"), WHAT)?,
        verify_email: optional(opts, "verifyEmail", WHAT, JsValue::as_bool)?,
        merge_existing_contact: optional(opts, "mergeExistingContact", WHAT, JsValue::as_bool)?,
    })
}

/// The headers of the constructor's `tokenRequestOptions` (`{headers}`, sent with every token
/// request) as `(name, value)` pairs, in the order given; every value must be a string.
pub(crate) fn token_headers(opts: &JsValue) -> Result<Vec<(String, String)>, AuthError> {
    const WHAT: &str = "tokenRequestOptions.headers must be an object of strings";
    let headers = field(options(opts, WHAT)?, "headers");
    if absent(&headers) {
        return Ok(Vec::new());
    }
    match from_js(headers, WHAT)? {
        JsonValue::Object(fields) => fields
            .into_iter()
            .map(|(k, v)| match v {
                JsonValue::String(v) => Ok((k, v)),
                _ => Err(bad_arg(WHAT)),
            })
            .collect(),
        _ => Err(bad_arg(WHAT)),
    }
}

/// A `Tokens` argument (`null` / `undefined` → `None`). Wix accepts partial objects
/// (`{refreshToken}` alone) and `expiresAt` computed with floats, so every part is optional and
/// the time any number; a refresh token that is unusable leaves the tokens without one, as Wix does.
pub(crate) fn tokens(value: &JsValue) -> Result<Option<Tokens>, AuthError> {
    const WHAT: &str = "tokens must be a Tokens object";
    if absent(value) {
        return Ok(None);
    }
    let access = field(object(value, WHAT)?, "accessToken");
    let access = options(&access, WHAT)?;
    let expires_at = optional(access, "expiresAt", WHAT, JsValue::as_f64)?;
    let expires_at = expires_at.filter(|t| t.is_finite() && *t > 0.0).map_or(0, |t| t as u64);
    Ok(Some(Tokens {
        access_token: AccessToken { value: optional_string(access, "value", WHAT)?.unwrap_or_default(), expires_at },
        refresh_token: refresh_token(&field(value, "refreshToken")).unwrap_or_default(),
    }))
}

/// An `OAuthData` argument (`null` / `undefined` → `None`): `state`, `codeVerifier` and
/// `codeChallenge` strings, `redirectUri` and `originalUri` strings when given.
pub(crate) fn oauth_data(value: &JsValue) -> Result<Option<OAuthData>, AuthError> {
    const WHAT: &str = "oauthData must be an OAuthData object";
    if absent(value) {
        return Ok(None);
    }
    let o = object(value, WHAT)?;
    let required = |key| optional_string(o, key, WHAT)?.ok_or_else(|| bad_arg(WHAT));
    let given = |key| Ok::<_, AuthError>(optional_string(o, key, WHAT)?.unwrap_or_default());
    Ok(Some(OAuthData {
        state: required("state")?,
        redirect_uri: given("redirectUri")?,
        original_uri: given("originalUri")?,
        code_verifier: required("codeVerifier")?,
        code_challenge: required("codeChallenge")?,
    }))
}

/// A `RefreshToken` argument (`{value, role}`, `role` absent is `none`); a bare string is taken
/// as its value.
pub(crate) fn refresh_token(value: &JsValue) -> Result<RefreshToken, AuthError> {
    const WHAT: &str = "refreshToken must be a RefreshToken object with role none, visitor or member";
    if let Some(v) = value.as_string() {
        return Ok(RefreshToken { value: v, role: Role::None });
    }
    let value = object(value, WHAT)?;
    let role = match optional_string(value, "role", WHAT)? {
        None => Role::None,
        Some(name) => Role::parse(&name).ok_or_else(|| bad_arg(WHAT))?,
    };
    Ok(RefreshToken { value: optional_string(value, "value", WHAT)?.unwrap_or_default(), role })
}
