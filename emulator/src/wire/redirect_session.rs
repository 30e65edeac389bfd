//! The redirect-session reply as the server writes it. `urlDetails` is required: the Wix JS client
//! breaks without it. The client reads the reply with its own lenient type (`wix-auth-session`).

use serde::{Deserialize, Serialize};

/// `urlDetails`: the URL split into endpoint and query parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UrlDetails {
    pub endpoint: String,
    #[serde(default)]
    pub search_params: std::collections::BTreeMap<String, String>,
}

/// `redirectSession`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RedirectSession {
    pub id: String,
    pub full_url: String,
    pub url_details: UrlDetails,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_url: Option<String>,
}

/// The response body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RedirectSessionResponse {
    pub redirect_session: RedirectSession,
}
