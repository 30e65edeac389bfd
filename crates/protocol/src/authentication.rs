//! The IAM bodies behind custom login: login, register, sign-on (API key), email verification
//! and password recovery. Wix's own examples write these in snake_case while the JS SDK sends
//! camelCase, so both are read and camelCase is written.

use serde::{Deserialize, Serialize};

pub use super::json_value::{FloatBits, JsonValue};
use super::json_value::{opt_text, text, ToJson};

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
    // The rest of `@wix/identity`'s `IdentityProfile` (its 1.21.16 typings), passed through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary_emails: Option<JsonValue>,
    #[serde(rename = "phonesV2", default, skip_serializing_if = "Option::is_none")]
    pub phones_v2: Option<JsonValue>,
    /// `[{tag, address}]`, the address in the wire's names (see [`addresses_to_wire`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addresses: Option<JsonValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birthdate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_id: Option<String>,
}

/// What a field of `IdentityProfile` holds, for checking a profile passed through as JSON.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Texts,
    Flag,
    List,
}

/// The typed fields of `@wix/identity`'s `IdentityProfile` (`customFields` is free-form). A
/// field not listed is passed through unchecked, as `@wix/sdk` passes everything.
const PROFILE_FIELDS: [(&str, Kind); 18] = [
    ("firstName", Kind::Text), ("lastName", Kind::Text), ("nickname", Kind::Text), ("picture", Kind::Text),
    ("language", Kind::Text), ("privacyStatus", Kind::Text), ("company", Kind::Text), ("position", Kind::Text),
    ("birthdate", Kind::Text), ("slug", Kind::Text), ("vatId", Kind::Text), ("emails", Kind::Texts),
    ("phones", Kind::Texts), ("labels", Kind::Texts), ("subscription", Kind::Flag), ("secondaryEmails", Kind::List),
    ("phonesV2", Kind::List), ("addresses", Kind::List),
];

/// Checks a profile given as JSON: an object whose typed fields hold their type (`null` counts
/// as absent). `Err` names the first field that does not.
pub fn check_profile(profile: &JsonValue) -> Result<(), &'static str> {
    let JsonValue::Object(fields) = profile else { return Err("profile") };
    for (name, value) in fields {
        let Some((field, kind)) = PROFILE_FIELDS.iter().find(|(f, _)| f == name) else { continue };
        let ok = match (kind, value) {
            (_, JsonValue::Null) | (Kind::Text, JsonValue::String(_)) | (Kind::Flag, JsonValue::Bool(_)) => true,
            (Kind::Texts, JsonValue::Array(items)) => items.iter().all(|i| matches!(i, JsonValue::String(_))),
            (Kind::List, JsonValue::Array(_)) => true,
            _ => false,
        };
        if !ok {
            return Err(field);
        }
    }
    Ok(())
}

/// The SDK's names of an address's fields and the wire's: `@wix/identity` renames these before
/// it sends a profile (`transformSDKAddressToRESTAddress`); the rest keep their names.
const ADDRESS_RENAMES: [(&str, &str); 3] =
    [("formatted", "formattedAddress"), ("location", "geocode"), ("addressLine1", "addressLine")];

/// `profile.addresses` as the user wrote it (`[{tag, address: {addressLine1, formatted, …}}]`)
/// → as the wire spells it, the way `@wix/sdk` sends it. Anything not of that shape is kept.
pub fn addresses_to_wire(addresses: JsonValue) -> JsonValue {
    let rename = |key: String| {
        ADDRESS_RENAMES.iter().find(|(sdk, _)| *sdk == key).map_or(key, |(_, wire)| (*wire).into())
    };
    let address = |v: JsonValue| match v {
        JsonValue::Object(fields) => JsonValue::Object(fields.into_iter().map(|(k, v)| (rename(k), v)).collect()),
        other => other,
    };
    let wrapper = |v: JsonValue| match v {
        JsonValue::Object(fields) => JsonValue::Object(
            fields.into_iter().map(|(k, v)| if k == "address" { (k, address(v)) } else { (k, v) }).collect(),
        ),
        other => other,
    };
    match addresses {
        JsonValue::Array(list) => JsonValue::Array(list.into_iter().map(wrapper).collect()),
        other => other,
    }
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

/// The register body as the client sends it: the profile as the caller gave it (any JSON; its
/// addresses already in the wire's names, see [`addresses_to_wire`]), passed through as
/// `@wix/sdk` passes it, so that every `IdentityProfile` field reaches Wix and none needs code
/// here. The server reads it with the profile typed (the emulator's `wire::identity`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegisterBody<'a> {
    pub login_id: LoginId,
    pub password: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<&'a JsonValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captcha_tokens: Option<Vec<CaptchaToken>>,
}

/// The sign-on body as the client sends it (the profile passed through, as in [`RegisterBody`]);
/// the server reads it with the profile typed (the emulator's `wire::identity`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignOnBody<'a> {
    pub login_id: LoginId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<&'a JsonValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify_email: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merge_existing_contact: Option<bool>,
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

impl ServerState {
    /// The state Wix names `name` (as serde spells the variants); `UnknownState` for any other.
    pub fn parse(name: &str) -> ServerState {
        use ServerState::*;
        match name {
            "SUCCESS" => Success,
            "REQUIRE_EMAIL_VERIFICATION" => RequireEmailVerification,
            "REQUIRE_OWNER_APPROVAL" => RequireOwnerApproval,
            "STATUS_CHECK" => StatusCheck,
            "REQUIRE_MFA" => RequireMfa,
            "MFA_CHALLENGE" => MfaChallenge,
            "REQUIRE_FIRST_FACTOR" => RequireFirstFactor,
            "REQUIRE_MISSING_FIELDS" => RequireMissingFields,
            _ => UnknownState,
        }
    }
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

/// `loginId` and `captchaTokens`, as the bodies below write them.
fn login_id(id: &LoginId) -> Option<JsonValue> {
    Some(JsonValue::object([("email", text(&id.email))]))
}

fn captcha(tokens: &Option<Vec<CaptchaToken>>) -> Option<JsonValue> {
    let token = |t: &CaptchaToken| {
        JsonValue::object([
            ("Recaptcha", opt_text(t.recaptcha.as_deref())),
            ("InvisibleRecaptcha", opt_text(t.invisible_recaptcha.as_deref())),
        ])
    };
    tokens.as_ref().map(|list| JsonValue::Array(list.iter().map(token).collect()))
}

impl ToJson for LoginRequest {
    fn to_json(&self) -> JsonValue {
        JsonValue::object([
            ("loginId", login_id(&self.login_id)),
            ("password", text(&self.password)),
            ("captchaTokens", captcha(&self.captcha_tokens)),
        ])
    }
}

impl ToJson for RegisterBody<'_> {
    fn to_json(&self) -> JsonValue {
        JsonValue::object([
            ("loginId", login_id(&self.login_id)),
            ("password", text(self.password)),
            ("profile", self.profile.cloned()),
            ("captchaTokens", captcha(&self.captcha_tokens)),
        ])
    }
}

impl ToJson for SignOnBody<'_> {
    fn to_json(&self) -> JsonValue {
        JsonValue::object([
            ("loginId", login_id(&self.login_id)),
            ("profile", self.profile.cloned()),
            ("verifyEmail", self.verify_email.map(JsonValue::from)),
            ("mergeExistingContact", self.merge_existing_contact.map(JsonValue::from)),
        ])
    }
}

impl ToJson for VerifyRequest {
    fn to_json(&self) -> JsonValue {
        JsonValue::object([("code", text(&self.code)), ("stateToken", text(&self.state_token))])
    }
}

impl ToJson for RecoveryRequest {
    fn to_json(&self) -> JsonValue {
        let redirect = self.redirect.as_ref().map(|r| {
            JsonValue::object([("url", text(&r.url)), ("clientId", text(&r.client_id))])
        });
        JsonValue::object([("email", text(&self.email)), ("redirect", redirect)])
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn server_states_parse_as_serde_names_them() {
        use ServerState::*;
        for state in [Success, RequireEmailVerification, RequireOwnerApproval, StatusCheck, RequireMfa, MfaChallenge, RequireFirstFactor, RequireMissingFields] {
            let name = serde_json::to_string(&state).unwrap();
            assert_eq!(ServerState::parse(name.trim_matches('"')), state, "{name}");
        }
        assert_eq!(ServerState::parse("UNKNOWN_STATE"), UnknownState);
        assert_eq!(ServerState::parse("success"), UnknownState);
    }

    use super::*;

    #[test]
    fn addresses_go_out_in_the_wire_names() {
        let sdk: JsonValue = serde_json::from_str(
            r#"[{"tag":"HOME","address":{"addressLine1":"1 Main St","formatted":"1 Main St, Town","location":{"latitude":1},"city":"Town"}},7]"#,
        )
        .unwrap();
        assert_eq!(
            serde_json::to_string(&addresses_to_wire(sdk)).unwrap(),
            r#"[{"tag":"HOME","address":{"addressLine":"1 Main St","formattedAddress":"1 Main St, Town","geocode":{"latitude":1},"city":"Town"}},7]"#
        );
        let profile = IdentityProfile { company: Some("Acme".into()), vat_id: Some("V1".into()), subscription: Some(true), ..Default::default() };
        assert_eq!(serde_json::to_string(&profile).unwrap(), r#"{"company":"Acme","subscription":true,"vatId":"V1"}"#);
    }

    #[test]
    fn profiles_given_as_json_are_checked_field_by_field() {
        let check = |text: &str| check_profile(&serde_json::from_str(text).unwrap());
        assert_eq!(check(r#"{"firstName":"A","emails":["a@b.c"],"subscription":null,"addresses":[],"x":7,"customFields":{"a":1}}"#), Ok(()));
        assert_eq!(check(r#"{"firstName":7}"#), Err("firstName"));
        assert_eq!(check(r#"{"emails":"a@b.c"}"#), Err("emails"));
        assert_eq!(check(r#"{"emails":[1]}"#), Err("emails"));
        assert_eq!(check(r#"{"subscription":"yes"}"#), Err("subscription"));
        assert_eq!(check(r#"{"addresses":{}}"#), Err("addresses"));
        assert_eq!(check(r#"[]"#), Err("profile"));
    }

    #[test]
    fn sign_on_bodies_omit_what_is_absent() {
        let sign_on = SignOnBody { login_id: LoginId { email: "a@b.c".into() }, profile: None, verify_email: Some(true), merge_existing_contact: None };
        assert_eq!(serde_json::to_string(&sign_on).unwrap(), r#"{"loginId":{"email":"a@b.c"},"verifyEmail":true}"#);
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

    #[test]
    fn bodies_build_their_serde_json() {
        use crate::json_value::assert_same_json as same;
        let id = || LoginId { email: "a@b.c".into() };
        let both = CaptchaToken { recaptcha: Some("r".into()), invisible_recaptcha: Some("i".into()) };
        let one = CaptchaToken { recaptcha: None, invisible_recaptcha: Some("i".into()) };
        for captcha_tokens in [None, Some(vec![both]), Some(vec![one])] {
            same(&LoginRequest { login_id: id(), password: "p".into(), captcha_tokens: captcha_tokens.clone() });
            let profile: JsonValue = serde_json::from_str(r#"{"firstName":"A","customFields":[{"n":1.5,"k":[true,null]}]}"#).unwrap();
            for profile in [None, Some(&profile)] {
                same(&RegisterBody { login_id: id(), password: "p", profile, captcha_tokens: captcha_tokens.clone() });
                for flags in [(None, None), (Some(true), Some(false))] {
                    same(&SignOnBody { login_id: id(), profile, verify_email: flags.0, merge_existing_contact: flags.1 });
                }
            }
        }
        same(&VerifyRequest { code: "123456".into(), state_token: "t".into() });
        same(&RecoveryRequest { email: "a@b.c".into(), redirect: None });
        let redirect = RecoveryRedirect { url: "http://x/".into(), client_id: "c".into() };
        same(&RecoveryRequest { email: "a@b.c".into(), redirect: Some(redirect) });
    }
}
