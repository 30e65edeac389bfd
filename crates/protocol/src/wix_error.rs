//! Wix API error bodies and the application codes behind the custom-login `errorCode`s.

use serde::{Deserialize, Serialize};

use super::json_value::JsonValue;

/// Member not found (login with an unknown email).
pub const CODE_MEMBER_NOT_FOUND: &str = "-19999";
/// Email already registered.
pub const CODE_EMAIL_ALREADY_EXISTS: &str = "-19995";
/// Wrong password.
pub const CODE_INVALID_PASSWORD: &str = "-19976";
/// The member must reset the password before signing in.
pub const CODE_RESET_PASSWORD: &str = "-19973";
/// Captcha is on and no captcha token was sent.
pub const CODE_MISSING_CAPTCHA_TOKEN: &str = "-19971";
/// The captcha token was rejected.
pub const CODE_INVALID_CAPTCHA_TOKEN: &str = "-19970";
/// The member is blocked or its registration was not approved (emulator's choice of code).
pub const CODE_MEMBER_BLOCKED: &str = "-19959";
/// A verification code is wrong, expired, or was tried too often (emulator's choice of code).
pub const CODE_INVALID_VERIFICATION_CODE: &str = "-19958";

/// `details.applicationError`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationError {
    pub code: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<JsonValue>,
}

/// `data` of a field violation: Wix marks email problems with `type: "EMAIL"`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViolationData {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// One entry of `details.validationError.fieldViolations`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldViolation {
    pub field: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<ViolationData>,
}

/// `details.validationError`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidationError {
    #[serde(default)]
    pub field_violations: Vec<FieldViolation>,
}

/// `details`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_error: Option<ApplicationError>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_error: Option<ValidationError>,
}

/// A Wix API error body: `{message, details}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WixErrorBody {
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub details: ErrorDetails,
}

impl WixErrorBody {
    /// An application error, as the IAM endpoints send it.
    pub fn application(code: &str, description: &str) -> Self {
        Self {
            message: description.into(),
            details: ErrorDetails {
                application_error: Some(ApplicationError { code: code.into(), description: description.into(), data: None }),
                validation_error: None,
            },
        }
    }

    /// A validation error on one field; `kind` is e.g. `EMAIL`.
    pub fn validation(field: &str, description: &str, kind: Option<&str>) -> Self {
        Self {
            message: description.into(),
            details: ErrorDetails {
                application_error: None,
                validation_error: Some(ValidationError {
                    field_violations: vec![FieldViolation {
                        field: field.into(),
                        description: description.into(),
                        data: kind.map(|k| ViolationData { kind: Some(k.into()) }),
                    }],
                }),
            },
        }
    }

    /// The application code, if any.
    pub fn application_code(&self) -> Option<&str> {
        self.details.application_error.as_ref().map(|e| e.code.as_str())
    }

    /// Whether a field violation marks an email problem.
    pub fn has_email_violation(&self) -> bool {
        self.details.validation_error.as_ref().is_some_and(|v| {
            v.field_violations.iter().any(|f| f.data.as_ref().and_then(|d| d.kind.as_deref()) == Some("EMAIL"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn application_and_validation_shapes() {
        let app = WixErrorBody::application(CODE_INVALID_PASSWORD, "wrong password");
        assert_eq!(
            serde_json::to_string(&app).unwrap(),
            r#"{"message":"wrong password","details":{"applicationError":{"code":"-19976","description":"wrong password"}}}"#
        );
        assert_eq!(app.application_code(), Some(CODE_INVALID_PASSWORD));
        let val = WixErrorBody::validation("loginId.email", "bad email", Some("EMAIL"));
        assert!(val.has_email_violation());
        assert!(!WixErrorBody::validation("password", "short", None).has_email_violation());
    }

    #[test]
    fn reads_partial_bodies() {
        let b: WixErrorBody = serde_json::from_str(r#"{"message":"x"}"#).unwrap();
        assert_eq!(b.application_code(), None);
        let b: WixErrorBody = serde_json::from_str("{}").unwrap();
        assert!(!b.has_email_violation());
    }
}
