//! What the IAM endpoints read and `members/my` writes: the register and sign-on bodies with the
//! profile typed (the client passes the profile through as JSON, as `@wix/sdk` does), the sign-on
//! reply, and the member. Only the server uses these.

use serde::{Deserialize, Serialize};
use wix_auth_protocol::authentication::{CaptchaToken, Identity, IdentityProfile, LoginId};

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
    use wix_auth_protocol::authentication::RegisterBody;
    use wix_auth_protocol::json_value::JsonValue;

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
    fn the_server_reads_the_passed_through_profile_typed() {
        let given: JsonValue = serde_json::from_str(
            r#"{"firstName":"Ada","company":"Engines","birthdate":"1815-12-10","phonesV2":[{"phone":"1"}],"unknownField":1}"#,
        )
        .unwrap();
        let body = RegisterBody { login_id: LoginId { email: "a@b.c".into() }, password: "pw", profile: Some(&given), captcha_tokens: None };
        let read: RegisterRequest = serde_json::from_str(&serde_json::to_string(&body).unwrap()).unwrap();
        let profile = read.profile.unwrap();
        assert_eq!((profile.first_name.as_deref(), profile.company.as_deref()), (Some("Ada"), Some("Engines")));
        assert_eq!(profile.birthdate.as_deref(), Some("1815-12-10"));
        assert!(profile.phones_v2.is_some());
    }
}
