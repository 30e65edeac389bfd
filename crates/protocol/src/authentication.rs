//! The IAM bodies behind custom login: login, register, sign-on (API key), email verification
//! and password recovery. Wix's own examples write these in snake_case while the JS SDK sends
//! camelCase, so both are read and camelCase is written.

use serde::{Deserialize, Serialize};

pub use super::json_value::{FloatBits, JsonValue};

/// `POST` path of login.
pub const LOGIN_PATH: &str = "/_api/iam/authentication/v2/login";
/// `POST` path of register.
pub const REGISTER_PATH: &str = "/_api/iam/authentication/v2/register";
/// `POST` path of sign-on (server side, with an API key).
pub const SIGN_ON_PATH: &str = "/_api/iam/authentication/v2/sign-on";
/// `POST` path of email-code verification.
pub const VERIFY_PATH: &str = "/_api/iam/verification/v1/auth/verify";
/// `POST` path of the password-reset email.
pub const RECOVERY_PATH: &str = "/_api/iam/recovery/v1/send-email";
/// `GET` path of the current member.
pub const MEMBERS_MY_PATH: &str = "/members/v1/members/my";

/// `loginId`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginId {
    pub email: String,
}

/// One entry of `captchaTokens`: Wix's own capitalised keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptchaToken {
    #[serde(rename = "Recaptcha", default, skip_serializing_if = "Option::is_none")]
    pub recaptcha: Option<String>,
    #[serde(rename = "InvisibleRecaptcha", default, skip_serializing_if = "Option::is_none")]
    pub invisible_recaptcha: Option<String>,
}

/// The public `CaptchaTokens` argument of `login`/`register`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaptchaTokens {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recaptcha_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invisible_recaptcha_token: Option<String>,
}

impl CaptchaTokens {
    /// The wire list, or `None` when no token was given (the field is then omitted).
    pub fn to_wire(&self) -> Option<Vec<CaptchaToken>> {
        if self.recaptcha_token.is_none() && self.invisible_recaptcha_token.is_none() {
            return None;
        }
        Some(vec![CaptchaToken {
            recaptcha: self.recaptcha_token.clone(),
            invisible_recaptcha: self.invisible_recaptcha_token.clone(),
        }])
    }
}

/// `IdentityProfile` (register's `profile`, an identity's `identityProfile`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityProfile {
    #[serde(alias = "first_name", default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(alias = "last_name", default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picture: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(alias = "privacy_status", default, skip_serializing_if = "Option::is_none")]
    pub privacy_status: Option<String>,
    /// Free-form: Wix documents an object but its examples send a list.
    #[serde(alias = "custom_fields", default, skip_serializing_if = "Option::is_none")]
    pub custom_fields: Option<JsonValue>,
}


/// Login body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginRequest {
    #[serde(alias = "login_id")]
    pub login_id: LoginId,
    pub password: String,
    #[serde(alias = "captcha_tokens", default, skip_serializing_if = "Option::is_none")]
    pub captcha_tokens: Option<Vec<CaptchaToken>>,
}

/// Register body: a login body plus a profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegisterRequest {
    #[serde(alias = "login_id")]
    pub login_id: LoginId,
    pub password: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<IdentityProfile>,
    #[serde(alias = "captcha_tokens", default, skip_serializing_if = "Option::is_none")]
    pub captcha_tokens: Option<Vec<CaptchaToken>>,
}

/// Sign-on body (API key): issues a session token for an email without a password.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignOnRequest {
    #[serde(alias = "login_id")]
    pub login_id: LoginId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<IdentityProfile>,
    #[serde(alias = "verify_email", default, skip_serializing_if = "Option::is_none")]
    pub verify_email: Option<bool>,
    #[serde(alias = "merge_existing_contact", default, skip_serializing_if = "Option::is_none")]
    pub merge_existing_contact: Option<bool>,
}

/// Sign-on response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignOnResponse {
    pub session_token: String,
    pub identity: Identity,
}

/// Verify body: the emailed code and the state token of the pending login/registration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyRequest {
    pub code: String,
    #[serde(alias = "state_token")]
    pub state_token: String,
}

/// `redirect` of the recovery body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryRedirect {
    pub url: String,
    #[serde(alias = "client_id")]
    pub client_id: String,
}

/// Password-reset email body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryRequest {
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect: Option<RecoveryRedirect>,
}

/// `identity.email`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityEmail {
    pub address: String,
    #[serde(default)]
    pub is_verified: bool,
}

/// `identity.status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityStatus {
    pub name: String,
    #[serde(default)]
    pub reasons: Vec<String>,
}

/// The member identity returned by login, register and verify.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Identity {
    pub id: String,
    #[serde(default)]
    pub revision: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_date: Option<String>,
    #[serde(alias = "identity_profile", default)]
    pub identity_profile: IdentityProfile,
    #[serde(default)]
    pub email: IdentityEmail,
    #[serde(default)]
    pub status: IdentityStatus,
}

/// Server `state` of a multi-step login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ServerState {
    Success,
    RequireEmailVerification,
    RequireOwnerApproval,
    StatusCheck,
    RequireMfa,
    MfaChallenge,
    RequireFirstFactor,
    RequireMissingFields,
    /// Any state this build does not know (including `UNKNOWN_STATE`).
    #[serde(other)]
    UnknownState,
}

/// The state-machine body of login, register and verify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StateMachineResponse {
    pub state: ServerState,
    #[serde(alias = "session_token", default, skip_serializing_if = "Option::is_none")]
    pub session_token: Option<String>,
    #[serde(alias = "state_token", default, skip_serializing_if = "Option::is_none")]
    pub state_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    #[serde(alias = "additional_data", default, skip_serializing_if = "Option::is_none")]
    pub additional_data: Option<JsonValue>,
}

/// The body of `GET /members/v1/members/my`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberResponse {
    pub member: Member,
}

/// The parts of a Wix member this project serves: enough to show who is signed in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub id: String,
    #[serde(alias = "login_email")]
    pub login_email: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub contact: MemberContact,
    #[serde(default)]
    pub profile: MemberProfile,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_date: Option<String>,
}

/// `member.contact`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberContact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
}

/// `member.profile`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberProfile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_docs_snake_case_register_example() {
        let body = r#"{"login_id":{"email":"test@test.com"},"password":"p",
            "profile":{"nickname":"test","emails":["test@test.com"],"customFields":[]},
            "captcha_tokens":[{"Recaptcha":"03AA"}]}"#;
        let req: RegisterRequest = serde_json::from_str(body).unwrap();
        assert_eq!(req.login_id.email, "test@test.com");
        assert_eq!(req.captcha_tokens.unwrap()[0].recaptcha.as_deref(), Some("03AA"));
        assert_eq!(req.profile.unwrap().custom_fields, Some(JsonValue::Array(vec![])));
    }

    #[test]
    fn writes_the_sdk_camel_case_login() {
        let req = LoginRequest {
            login_id: LoginId { email: "a@b.c".into() },
            password: "p".into(),
            captcha_tokens: CaptchaTokens { recaptcha_token: Some("t".into()), ..Default::default() }.to_wire(),
        };
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            r#"{"loginId":{"email":"a@b.c"},"password":"p","captchaTokens":[{"Recaptcha":"t"}]}"#
        );
        assert_eq!(CaptchaTokens::default().to_wire(), None);
    }

    #[test]
    fn unknown_server_states_are_read_not_rejected() {
        let r: StateMachineResponse = serde_json::from_str(r#"{"state":"SOMETHING_NEW"}"#).unwrap();
        assert_eq!(r.state, ServerState::UnknownState);
        let r: StateMachineResponse =
            serde_json::from_str(r#"{"state":"SUCCESS","session_token":"s","identity":{"id":"i"}}"#).unwrap();
        assert_eq!(r.session_token.as_deref(), Some("s"));
        assert_eq!(r.identity.unwrap().id, "i");
    }
}
