//! How the engine reads the replies of the Wix APIs other than the token endpoint's success (a
//! `TokenResponse`): by shape, from the one `JsonValue` the reply is parsed into, taking only the
//! members it acts on. The full wire types (`protocol`) carry identities, custom fields and opaque
//! JSON; a serde struct per reply and per nested object would ship a deserializer each (~1 KB of
//! wasm apiece) for a few strings. Each reading gives the type the `protocol` rules take.

use wix_auth_protocol::authentication::{ServerState, StateMachineResponse};
use wix_auth_protocol::json_value::JsonValue;
use wix_auth_protocol::token::OAuthErrorBody;
use wix_auth_protocol::wix_error::{
    ApplicationError, ErrorDetails, FieldViolation, ValidationError, ViolationData, WixErrorBody,
};

/// A login / register / verify success body, `{state, sessionToken?, stateToken?, …}` (the tokens
/// also as `session_token` / `state_token`), without `identity` and `additionalData`: `None`
/// without a string `state`; an unknown state is `UnknownState`.
pub(crate) fn state_reply(v: &JsonValue) -> Option<StateMachineResponse> {
    let token = |camel, snake| v.str_at(camel).or_else(|| v.str_at(snake)).map(String::from);
    Some(StateMachineResponse {
        state: ServerState::parse(v.str_at("state")?),
        session_token: token("sessionToken", "session_token"),
        state_token: token("stateToken", "state_token"),
        identity: None,
        additional_data: None,
    })
}

// In an error body every member is optional, so one that is missing or of another type reads as
// absent (empty text).

/// `v` if it is an object.
fn object(v: &JsonValue) -> Option<&JsonValue> {
    matches!(v, JsonValue::Object(_)).then_some(v)
}

/// The string member `key` of `v`, empty when missing or not a string.
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

/// A sign-on reply, `{sessionToken, identity: {id, …}}`: its session token and identity id (empty
/// when missing or not strings).
pub(crate) struct SignOnReply {
    pub(crate) session_token: String,
    pub(crate) identity_id: String,
}

impl SignOnReply {
    pub(crate) fn read(v: &JsonValue) -> Self {
        let identity = v.get("identity").and_then(object);
        Self { session_token: text(v, "sessionToken"), identity_id: identity.map(|i| text(i, "id")).unwrap_or_default() }
    }
}

/// `redirectSession` of a redirect-session reply: `{fullUrl, urlDetails: {endpoint, …},
/// sessionToken?, …}`.
pub(crate) struct RedirectSessionReply {
    pub(crate) full_url: String,
    /// `urlDetails.endpoint`: required, as the Wix client breaks without it.
    pub(crate) endpoint: String,
    pub(crate) session_token: Option<String>,
}

impl RedirectSessionReply {
    /// `None` unless `redirectSession` is an object with a string `fullUrl` and an `urlDetails`
    /// object with a string `endpoint`.
    pub(crate) fn read(v: &JsonValue) -> Option<Self> {
        let session = v.get("redirectSession").and_then(object)?;
        Some(Self {
            full_url: session.str_at("fullUrl")?.into(),
            endpoint: session.get("urlDetails").and_then(object)?.str_at("endpoint")?.into(),
            session_token: session.str_at("sessionToken").map(Into::into),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wix_auth_protocol::wix_error::CODE_INVALID_PASSWORD;

    #[test]
    fn slim_forms_read_full_bodies() {
        let full = r#"{"state":"SUCCESS","sessionToken":"s","identity":{"id":"i","identityProfile":{"customFields":[{"x":1.5}]}},"additionalData":{"a":[null,true]}}"#;
        let sm = state_reply(&json(full)).unwrap();
        assert_eq!((sm.state, sm.session_token.as_deref()), (ServerState::Success, Some("s")));
        let body = wix_error(r#"{"message":"m","details":{"applicationError":{"code":"-19976","description":"d","data":{"k":[1]}}}}"#);
        assert_eq!(body.application_code(), Some(CODE_INVALID_PASSWORD));
        assert_eq!(body.message, "m");
        let val = wix_error(r#"{"details":{"validationError":{"fieldViolations":[{"field":"f","description":"d","data":{"type":"EMAIL"}}]}}}"#);
        assert!(val.has_email_violation());
        let rs = RedirectSessionReply::read(&json(
            r#"{"redirectSession":{"id":"x","fullUrl":"u","urlDetails":{"endpoint":"e","searchParams":{"a":"b"}},"shortUrl":"s"}}"#,
        ))
        .unwrap();
        assert_eq!((rs.full_url.as_str(), rs.endpoint.as_str(), rs.session_token), ("u", "e", None));
        for bad in [
            r#"{"redirectSession":{"fullUrl":"u"}}"#,
            r#"{"redirectSession":{"fullUrl":"u","urlDetails":{"endpoint":5}}}"#,
            r#"{"redirectSession":{"fullUrl":7,"urlDetails":{"endpoint":"e"}}}"#,
            r#"{"redirectSession":"u"}"#,
            "{}",
        ] {
            assert!(RedirectSessionReply::read(&json(bad)).is_none(), "{bad}");
        }
        let so = SignOnReply::read(&json(r#"{"sessionToken":"s","identity":{"id":"i","identityProfile":{}}}"#));
        assert_eq!((so.session_token.as_str(), so.identity_id.as_str()), ("s", "i"));
        let so = SignOnReply::read(&json(r#"{"sessionToken":1,"identity":"i"}"#));
        assert_eq!((so.session_token.as_str(), so.identity_id.as_str()), ("", ""));
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
