//! Slim reading forms of the replies the engine parses: only the fields it acts on. The full
//! wire types (`protocol`) carry identities, custom fields and opaque JSON (`JsonValue`), whose
//! deserialisers would ship to every browser for fields nobody reads here.
//! Each slim form converts into the full type the `protocol` rules take.

use serde::Deserialize;

use wix_auth_protocol::authentication::{ServerState, StateMachineResponse};
use wix_auth_protocol::wix_error::{ApplicationError, ErrorDetails, ValidationError, WixErrorBody};

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

/// `details.applicationError` without its opaque `data`.
#[derive(Debug, Default, Deserialize)]
struct ApplicationErrorReply {
    #[serde(default)]
    code: String,
    #[serde(default)]
    description: String,
}

/// `details`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DetailsReply {
    #[serde(default)]
    application_error: Option<ApplicationErrorReply>,
    #[serde(default)]
    validation_error: Option<ValidationError>,
}

/// A Wix error body.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ErrorReply {
    #[serde(default)]
    message: String,
    #[serde(default)]
    details: DetailsReply,
}

impl From<ErrorReply> for WixErrorBody {
    fn from(r: ErrorReply) -> Self {
        Self {
            message: r.message,
            details: ErrorDetails {
                application_error: r
                    .details
                    .application_error
                    .map(|a| ApplicationError { code: a.code, description: a.description, data: None }),
                validation_error: r.details.validation_error,
            },
        }
    }
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
        let err: ErrorReply = serde_json::from_str(
            r#"{"message":"m","details":{"applicationError":{"code":"-19976","description":"d","data":{"k":[1]}}}}"#,
        )
        .unwrap();
        let body = WixErrorBody::from(err);
        assert_eq!(body.application_code(), Some(CODE_INVALID_PASSWORD));
        assert_eq!(body.message, "m");
        let val: ErrorReply = serde_json::from_str(
            r#"{"details":{"validationError":{"fieldViolations":[{"field":"f","description":"d","data":{"type":"EMAIL"}}]}}}"#,
        )
        .unwrap();
        assert!(WixErrorBody::from(val).has_email_violation());
        let rs: RedirectReply = serde_json::from_str(
            r#"{"redirectSession":{"id":"x","fullUrl":"u","urlDetails":{"endpoint":"e","searchParams":{"a":"b"}},"shortUrl":"s"}}"#,
        )
        .unwrap();
        assert_eq!((rs.redirect_session.full_url.as_str(), rs.redirect_session.url_details.endpoint.as_str()), ("u", "e"));
        assert!(serde_json::from_str::<RedirectReply>(r#"{"redirectSession":{"fullUrl":"u"}}"#).is_err());
    }
}
