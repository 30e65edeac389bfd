//! `POST /_api/redirects-api/v1/redirect-session`: one endpoint for the login URL (`auth`), the
//! logout URL (`logout`) and the pre-warm URL (`login`). The response's `urlDetails` is required:
//! the Wix JS client breaks without it.

use serde::{Deserialize, Serialize};

use super::json_value::{opt_text, text, JsonValue, ToJson};

/// Path the Wix client posts to.
pub const PATH: &str = "/_api/redirects-api/v1/redirect-session";
/// Public alias of the same endpoint.
pub const PUBLIC_PATH: &str = "/redirect-session/v1/redirect-session";

/// `prompt` of a login request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Prompt {
    /// Show the sign-in page.
    #[default]
    Login,
    /// Complete silently from the site session or a `sessionToken`; fail otherwise.
    None,
}

/// How the hosted page returns the result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseMode {
    /// `redirectUri#code=…&state=…`.
    #[default]
    Fragment,
    /// `redirectUri?code=…&state=…`.
    Query,
    /// `window.parent.postMessage({code, state}, origin)` from an iframe.
    WebMessage,
}

impl ResponseMode {
    /// The mode as spelled on the wire and in `parseFromUrl`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fragment => "fragment",
            Self::Query => "query",
            Self::WebMessage => "web_message",
        }
    }
}

/// `idp` values the Wix client maps from friendly names; any other value is a connection id.
pub const IDP_GOOGLE: &str = "0e6a50f5-b523-4e29-990d-f37fa2ffdd69";
/// Facebook's connection id.
pub const IDP_FACEBOOK: &str = "3ecad13f-52c3-483d-911f-31dbcf2a6d23";

/// Maps `google` / `facebook` to their connection ids; passes any other id through.
pub fn idp_connection_id(idp: &str) -> &str {
    match idp {
        "google" => IDP_GOOGLE,
        "facebook" => IDP_FACEBOOK,
        other => other,
    }
}

/// `auth.authRequest`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthRequest {
    /// Absent in the direct-login (web_message) flow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_uri: Option<String>,
    pub client_id: String,
    pub code_challenge: String,
    pub code_challenge_method: String,
    #[serde(default)]
    pub response_mode: ResponseMode,
    pub response_type: String,
    pub scope: String,
    pub state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idp: Option<String>,
}

/// `auth`: an authorization request and its prompt.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthSession {
    pub auth_request: AuthRequest,
    #[serde(default)]
    pub prompt: Prompt,
}

/// `logout`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogoutSession {
    pub client_id: String,
}

/// `callbacks`: where the hosted flow returns the browser when it is done.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Callbacks {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_flow_url: Option<String>,
}

/// `login`: the pre-warm request has no fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrewarmSession {}

/// The request body; exactly one of `auth`, `logout`, `login` is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RedirectSessionRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<AuthSession>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logout: Option<LogoutSession>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login: Option<PrewarmSession>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callbacks: Option<Callbacks>,
}

impl Prompt {
    /// The prompt as Wix spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::None => "none",
        }
    }
}

impl ToJson for RedirectSessionRequest {
    fn to_json(&self) -> JsonValue {
        let auth = self.auth.as_ref().map(|a| {
            let r = &a.auth_request;
            let request = JsonValue::object([
                ("redirectUri", opt_text(r.redirect_uri.as_deref())),
                ("clientId", text(&r.client_id)),
                ("codeChallenge", text(&r.code_challenge)),
                ("codeChallengeMethod", text(&r.code_challenge_method)),
                ("responseMode", text(r.response_mode.as_str())),
                ("responseType", text(&r.response_type)),
                ("scope", text(&r.scope)),
                ("state", text(&r.state)),
                ("sessionToken", opt_text(r.session_token.as_deref())),
                ("idp", opt_text(r.idp.as_deref())),
            ]);
            JsonValue::object([("authRequest", Some(request)), ("prompt", text(a.prompt.as_str()))])
        });
        JsonValue::object([
            ("auth", auth),
            ("logout", self.logout.as_ref().map(|l| JsonValue::object([("clientId", text(&l.client_id))]))),
            ("login", self.login.as_ref().map(|_| JsonValue::Object(Vec::new()))),
            ("callbacks", self.callbacks.as_ref().map(|c| JsonValue::object([("postFlowUrl", opt_text(c.post_flow_url.as_deref()))]))),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_request_has_the_wix_shape() {
        let req = RedirectSessionRequest {
            auth: Some(AuthSession {
                auth_request: AuthRequest {
                    redirect_uri: Some("http://x/cb".into()),
                    client_id: "c".into(),
                    code_challenge: "ch".into(),
                    code_challenge_method: "S256".into(),
                    response_mode: ResponseMode::WebMessage,
                    response_type: "code".into(),
                    scope: "offline_access".into(),
                    state: "s".into(),
                    session_token: None,
                    idp: None,
                },
                prompt: Prompt::None,
            }),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            r#"{"auth":{"authRequest":{"redirectUri":"http://x/cb","clientId":"c","codeChallenge":"ch","codeChallengeMethod":"S256","responseMode":"web_message","responseType":"code","scope":"offline_access","state":"s"},"prompt":"none"}}"#
        );
        crate::json_value::assert_same_json(&req);
        let mut full = req.clone();
        if let Some(auth) = full.auth.as_mut() {
            auth.auth_request = AuthRequest {
                redirect_uri: None,
                session_token: Some("st".into()),
                idp: Some("g".into()),
                response_mode: ResponseMode::Query,
                ..auth.auth_request.clone()
            };
            auth.prompt = Prompt::Login;
        }
        crate::json_value::assert_same_json(&full);
        full.auth.as_mut().unwrap().auth_request.response_mode = ResponseMode::Fragment;
        crate::json_value::assert_same_json(&full);
    }

    #[test]
    fn other_bodies_build_their_serde_json() {
        use crate::json_value::assert_same_json as same;
        same(&RedirectSessionRequest { login: Some(PrewarmSession {}), ..Default::default() });
        same(&RedirectSessionRequest {
            logout: Some(LogoutSession { client_id: "c".into() }),
            callbacks: Some(Callbacks { post_flow_url: Some("http://x/".into()) }),
            ..Default::default()
        });
        same(&RedirectSessionRequest { callbacks: Some(Callbacks { post_flow_url: None }), ..Default::default() });
        same(&RedirectSessionRequest::default());
        for p in [Prompt::Login, Prompt::None] {
            assert_eq!(serde_json::to_value(p).unwrap(), p.as_str());
        }
    }

    #[test]
    fn prewarm_and_logout_bodies() {
        let pre: RedirectSessionRequest = serde_json::from_str(r#"{"login":{}}"#).unwrap();
        assert_eq!(pre.login, Some(PrewarmSession {}));
        let out: RedirectSessionRequest =
            serde_json::from_str(r#"{"logout":{"clientId":"c"},"callbacks":{"postFlowUrl":"http://x/"}}"#).unwrap();
        assert_eq!(out.logout.unwrap().client_id, "c");
        assert_eq!(out.callbacks.unwrap().post_flow_url.as_deref(), Some("http://x/"));
    }

    #[test]
    fn idp_names_map_to_connection_ids() {
        assert_eq!(idp_connection_id("google"), IDP_GOOGLE);
        assert_eq!(idp_connection_id("facebook"), IDP_FACEBOOK);
        assert_eq!(idp_connection_id("abc"), "abc");
    }
}
