//! Slim reading forms of the replies the engine parses: only the fields it acts on. The full
//! wire types (`protocol`) carry identities, custom fields and opaque JSON (`JsonValue`), whose
//! deserialisers would ship to every browser for fields nobody reads here.
//! Each slim form converts into the full type the `protocol` rules take.

use serde::Deserialize;

use wix_auth_protocol::authentication::{ServerState, StateMachineResponse};
use wix_auth_protocol::json_value::JsonValue;
use wix_auth_protocol::token::OAuthErrorBody;
use wix_auth_protocol::wix_error::{
    ApplicationError, ErrorDetails, FieldViolation, ValidationError, ViolationData, WixErrorBody,
};

/// A login / register / verify success body, without `identity` and `additionalData`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StateReply {
    state: ServerState,
    #[serde(alias = "session_token", default)]
    session_token: Option<String>,
    #[serde(alias = "state_token", default)]
    state_token: Option<String>,
}

impl From<StateReply> for StateMachineResponse {
    fn from(r: StateReply) -> Self {
        Self { state: r.state, session_token: r.session_token, state_token: r.state_token, identity: None, additional_data: None }
    }
}

// Error bodies are read from one parsed `JsonValue` (Wix's shape here, OAuth's in
// `oauth_error_body`) rather than through a serde struct per nested object: each struct would ship
// its own deserializer (~1 KB of wasm apiece, six of them) for what is only ever an error path.
// Every member is optional, so one that is missing or of another type reads as absent.

fn object(v: &JsonValue) -> Option<&JsonValue> {
    matches!(v, JsonValue::Object(_)).then_some(v)
}

fn text(v: &JsonValue, key: &str) -> String {
    v.str_at(key).unwrap_or_default().into()
}

/// A Wix error body, `{message, details: {applicationError: {code, description}, validationError:
/// {fieldViolations: [{field, description, data: {type}}]}}}` (the application error's opaque
/// `data` is not read); `None` unless it is an object.
pub(crate) fn wix_error_body(v: &JsonValue) -> Option<WixErrorBody> {
    let details = object(v)?.get("details").and_then(object);
    let member = |key| details.and_then(|d| d.get(key)).and_then(object);
    let violations = member("validationError").map(|e| {
        let items = e.get("fieldViolations").map_or(&[][..], JsonValue::items);
        items
            .iter()
            .filter_map(object)
            .map(|f| FieldViolation {
                field: text(f, "field"),
                description: text(f, "description"),
                data: f.get("data").and_then(object).map(|d| ViolationData { kind: d.str_at("type").map(Into::into) }),
            })
            .collect()
    });
    Some(WixErrorBody {
        message: text(v, "message"),
        details: ErrorDetails {
            application_error: member("applicationError").map(|a| ApplicationError {
                code: text(a, "code"),
                description: text(a, "description"),
                data: None,
            }),
            validation_error: violations.map(|field_violations| ValidationError { field_violations }),
        },
    })
}

/// OAuth's error body, `{error, error_description?}`: `None` without a string `error`.
pub(crate) fn oauth_error_body(v: &JsonValue) -> Option<OAuthErrorBody> {
    Some(OAuthErrorBody { error: v.str_at("error")?.into(), error_description: v.str_at("error_description").map(Into::into) })
}

/// `identity` of a sign-on reply: only its id is read.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct IdentityIdReply {
    #[serde(default)]
    pub(crate) id: String,
}

/// A sign-on reply: `{sessionToken, identity: {id, …}}`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SignOnReply {
    #[serde(default)]
    pub(crate) session_token: String,
    #[serde(default)]
    pub(crate) identity: IdentityIdReply,
}

/// `urlDetails`: required, though only its `endpoint` is read (the Wix client breaks without it).
#[derive(Debug, Deserialize)]
pub(crate) struct UrlDetailsReply {
    pub(crate) endpoint: String,
}

/// `redirectSession`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RedirectSessionReply {
    pub(crate) full_url: String,
    pub(crate) url_details: UrlDetailsReply,
    #[serde(default)]
    pub(crate) session_token: Option<String>,
}

/// A redirect-session reply.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RedirectReply {
    pub(crate) redirect_session: RedirectSessionReply,
}

#[cfg(test)]
mod tests {
    use super::*;
    use wix_auth_protocol::wix_error::CODE_INVALID_PASSWORD;

    #[test]
    fn slim_forms_read_full_bodies() {
        let full = r#"{"state":"SUCCESS","sessionToken":"s","identity":{"id":"i","identityProfile":{"customFields":[{"x":1.5}]}},"additionalData":{"a":[null,true]}}"#;
        let r: StateReply = serde_json::from_str(full).unwrap();
        let sm = StateMachineResponse::from(r);
        assert_eq!((sm.state, sm.session_token.as_deref()), (ServerState::Success, Some("s")));
        let body = wix_error(r#"{"message":"m","details":{"applicationError":{"code":"-19976","description":"d","data":{"k":[1]}}}}"#);
        assert_eq!(body.application_code(), Some(CODE_INVALID_PASSWORD));
        assert_eq!(body.message, "m");
        let val = wix_error(r#"{"details":{"validationError":{"fieldViolations":[{"field":"f","description":"d","data":{"type":"EMAIL"}}]}}}"#);
        assert!(val.has_email_violation());
        let rs: RedirectReply = serde_json::from_str(
            r#"{"redirectSession":{"id":"x","fullUrl":"u","urlDetails":{"endpoint":"e","searchParams":{"a":"b"}},"shortUrl":"s"}}"#,
        )
        .unwrap();
        assert_eq!((rs.redirect_session.full_url.as_str(), rs.redirect_session.url_details.endpoint.as_str()), ("u", "e"));
        assert!(serde_json::from_str::<RedirectReply>(r#"{"redirectSession":{"fullUrl":"u"}}"#).is_err());
    }

    fn json(text: &str) -> JsonValue {
        serde_json::from_str(text).unwrap()
    }

    fn wix_error(text: &str) -> WixErrorBody {
        wix_error_body(&json(text)).expect("an object")
    }

    #[test]
    fn error_bodies_read_what_has_the_expected_shape() {
        // Members of another type read as absent; the rest of the body still counts.
        let body = wix_error(r#"{"message":5,"details":{"applicationError":{"code":"-19976","description":[]}}}"#);
        assert_eq!((body.message.as_str(), body.application_code()), ("", Some(CODE_INVALID_PASSWORD)));
        let body = wix_error(r#"{"message":"m","details":{"applicationError":null,"validationError":{"fieldViolations":[7,{"data":{"type":"EMAIL"}}]}}}"#);
        assert_eq!((body.message.as_str(), body.application_code()), ("m", None));
        assert!(body.has_email_violation(), "a violation without a field still marks the email");
        assert!(wix_error(r#"{"details":{"applicationError":{}}}"#).application_code() == Some(""));
        assert!(wix_error_body(&json(r#"["m"]"#)).is_none() && wix_error_body(&json(r#""m""#)).is_none());
        assert_eq!(wix_error("{}"), WixErrorBody::default());

        let oauth = oauth_error_body(&json(r#"{"error":"invalid_grant","error_description":"d"}"#)).unwrap();
        assert_eq!((oauth.error.as_str(), oauth.error_description.as_deref()), ("invalid_grant", Some("d")));
        assert_eq!(oauth_error_body(&json(r#"{"error":"x","error_description":1}"#)).unwrap().error_description, None);
        assert!(oauth_error_body(&json(r#"{"error":5}"#)).is_none() && oauth_error_body(&json(r#"{"message":"m"}"#)).is_none());
    }
}
