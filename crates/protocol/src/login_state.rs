//! From server replies of login / register / verify to Wix's public `StateMachine`.

use serde::{Deserialize, Serialize};

use super::authentication::{ServerState, StateMachineResponse};
use super::wix_error::{self as code, WixErrorBody};

/// `StateMachine.loginState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LoginState {
    Success,
    EmailVerificationRequired,
    OwnerApprovalRequired,
    Failure,
}

impl LoginState {
    /// The state as Wix spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "SUCCESS",
            Self::EmailVerificationRequired => "EMAIL_VERIFICATION_REQUIRED",
            Self::OwnerApprovalRequired => "OWNER_APPROVAL_REQUIRED",
            Self::Failure => "FAILURE",
        }
    }
}

/// `StateMachine.errorCode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LoginErrorCode {
    InvalidEmail,
    InvalidPassword,
    ResetPassword,
    MissingCaptchaToken,
    EmailAlreadyExists,
    InvalidCaptchaToken,
}

impl LoginErrorCode {
    /// The code as Wix spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidEmail => "invalidEmail",
            Self::InvalidPassword => "invalidPassword",
            Self::ResetPassword => "resetPassword",
            Self::MissingCaptchaToken => "missingCaptchaToken",
            Self::EmailAlreadyExists => "emailAlreadyExists",
            Self::InvalidCaptchaToken => "invalidCaptchaToken",
        }
    }
}

/// `StateMachine.data`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StateData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_token: Option<String>,
}

impl StateData {
    /// `@wix/sdk` sends no `data` at all with `OWNER_APPROVAL_REQUIRED` and `FAILURE`.
    pub fn is_empty(&self) -> bool {
        self.session_token.is_none() && self.state_token.is_none()
    }
}

/// The typed error behind a `FAILURE` (`StateMachine.authError`): this library's addition to
/// Wix's shape, so that code written for `@wix/sdk` (which reads `errorCode` and `error`) runs
/// unchanged while new code can branch on a stable `code`, `status` and `requestId`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FailureCause {
    /// An `AuthErrorCode`.
    pub code: String,
    /// HTTP status of the reply, 0 when there was none.
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The Wix application code of the reply (`-19976`, …), when it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_code: Option<String>,
    pub message: String,
}

/// Wix's `StateMachine`: what `login`, `register` and `processVerification` resolve to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StateMachine {
    pub login_state: LoginState,
    #[serde(default, skip_serializing_if = "StateData::is_empty")]
    pub data: StateData,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<LoginErrorCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_error: Option<FailureCause>,
}

impl StateMachine {
    /// A `FAILURE` with Wix's `errorCode` (when Wix has one for it) and `error` text.
    pub fn failure(error_code: Option<LoginErrorCode>, error: String) -> Self {
        Self { login_state: LoginState::Failure, data: StateData::default(), error_code, error: Some(error), auth_error: None }
    }

    /// The same `FAILURE` with its typed cause attached.
    pub fn because(mut self, cause: FailureCause) -> Self {
        self.auth_error = Some(cause);
        self
    }

    fn with_data(login_state: LoginState, data: StateData) -> Self {
        Self { login_state, data, error_code: None, error: None, auth_error: None }
    }
}

/// Which call produced the reply: login and register map the same codes differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Login,
    Register,
    Verify,
}

/// A success body (HTTP 200) → `StateMachine`. A `SUCCESS` without a session token, or an email
/// verification without a state token, cannot be continued, so it is a failure, not a success.
pub fn from_response(resp: StateMachineResponse) -> StateMachine {
    match resp.state {
        ServerState::Success => match resp.session_token {
            Some(t) if !t.is_empty() => {
                StateMachine::with_data(LoginState::Success, StateData { session_token: Some(t), state_token: None })
            }
            _ => StateMachine::failure(None, "SUCCESS without a sessionToken".into()),
        },
        ServerState::RequireEmailVerification => match resp.state_token {
            Some(t) if !t.is_empty() => StateMachine::with_data(
                LoginState::EmailVerificationRequired,
                StateData { session_token: None, state_token: Some(t) },
            ),
            _ => StateMachine::failure(None, "email verification without a stateToken".into()),
        },
        ServerState::RequireOwnerApproval => StateMachine::with_data(LoginState::OwnerApprovalRequired, StateData::default()),
        // `@wix/sdk`'s text for a state it cannot continue.
        _ => StateMachine::failure(None, UNKNOWN_STATE_TEXT.into()),
    }
}

/// `error` of a `FAILURE` for a state nobody can continue, as `@wix/sdk` words it.
pub const UNKNOWN_STATE_TEXT: &str = "Unknown _state";

/// A Wix error body → the `errorCode` Wix documents for this flow, if it has one. Codes that have
/// no `errorCode` (and 5xx replies) are *not* turned into `invalidEmail`: the caller raises a typed
/// error for them instead (the official client's defect 6).
pub fn error_code_for(flow: Flow, body: &WixErrorBody) -> Option<LoginErrorCode> {
    let by_code = body.application_code().and_then(|c| match (c, flow) {
        (code::CODE_INVALID_PASSWORD, Flow::Login) => Some(LoginErrorCode::InvalidPassword),
        (code::CODE_RESET_PASSWORD, Flow::Login) => Some(LoginErrorCode::ResetPassword),
        (code::CODE_MEMBER_NOT_FOUND, Flow::Login) => Some(LoginErrorCode::InvalidEmail),
        (code::CODE_EMAIL_ALREADY_EXISTS, Flow::Register) => Some(LoginErrorCode::EmailAlreadyExists),
        (code::CODE_MISSING_CAPTCHA_TOKEN, _) => Some(LoginErrorCode::MissingCaptchaToken),
        (code::CODE_INVALID_CAPTCHA_TOKEN, _) => Some(LoginErrorCode::InvalidCaptchaToken),
        _ => None,
    });
    by_code.or_else(|| body.has_email_violation().then_some(LoginErrorCode::InvalidEmail))
}

/// A Wix error body → a `FAILURE` state machine, when the flow has an `errorCode` for it. Its
/// `error` is the text `@wix/sdk` would show for an email violation (the violation's own
/// description), else the server's message.
pub fn from_error(flow: Flow, body: &WixErrorBody) -> Option<StateMachine> {
    error_code_for(flow, body).map(|c| StateMachine::failure(Some(c), failure_text(flow, body).into()))
}

/// The `error` text of a refused login or registration.
pub fn failure_text(flow: Flow, body: &WixErrorBody) -> &str {
    let violation = body.details.validation_error.as_ref().and_then(|v| {
        v.field_violations.iter().find(|f| f.data.as_ref().and_then(|d| d.kind.as_deref()) == Some("EMAIL"))
    });
    match violation {
        Some(v) if flow == Flow::Register && !v.description.is_empty() => &v.description,
        _ => &body.message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wix_error::*;

    fn reply(state: ServerState, session: Option<&str>, st: Option<&str>) -> StateMachineResponse {
        StateMachineResponse {
            state,
            session_token: session.map(Into::into),
            state_token: st.map(Into::into),
            identity: None,
            additional_data: None,
        }
    }

    #[test]
    fn server_states_map_to_login_states() {
        let ok = from_response(reply(ServerState::Success, Some("s"), None));
        assert_eq!(ok.login_state, LoginState::Success);
        assert_eq!(ok.data.session_token.as_deref(), Some("s"));
        let ver = from_response(reply(ServerState::RequireEmailVerification, None, Some("t")));
        assert_eq!(ver.login_state, LoginState::EmailVerificationRequired);
        assert_eq!(ver.data.state_token.as_deref(), Some("t"));
        assert_eq!(from_response(reply(ServerState::RequireOwnerApproval, None, None)).login_state, LoginState::OwnerApprovalRequired);
        for s in [ServerState::StatusCheck, ServerState::RequireMfa, ServerState::UnknownState] {
            assert_eq!(from_response(reply(s, None, None)).login_state, LoginState::Failure);
        }
    }

    #[test]
    fn incomplete_successes_are_failures() {
        assert_eq!(from_response(reply(ServerState::Success, None, None)).login_state, LoginState::Failure);
        assert_eq!(from_response(reply(ServerState::Success, Some(""), None)).login_state, LoginState::Failure);
        assert_eq!(from_response(reply(ServerState::RequireEmailVerification, None, None)).login_state, LoginState::Failure);
    }

    #[test]
    fn application_codes_per_flow() {
        let cases = [
            (CODE_INVALID_PASSWORD, Flow::Login, Some(LoginErrorCode::InvalidPassword)),
            (CODE_INVALID_PASSWORD, Flow::Register, None),
            (CODE_RESET_PASSWORD, Flow::Login, Some(LoginErrorCode::ResetPassword)),
            (CODE_MEMBER_NOT_FOUND, Flow::Login, Some(LoginErrorCode::InvalidEmail)),
            (CODE_EMAIL_ALREADY_EXISTS, Flow::Register, Some(LoginErrorCode::EmailAlreadyExists)),
            (CODE_EMAIL_ALREADY_EXISTS, Flow::Login, None),
            (CODE_MISSING_CAPTCHA_TOKEN, Flow::Register, Some(LoginErrorCode::MissingCaptchaToken)),
            (CODE_INVALID_CAPTCHA_TOKEN, Flow::Login, Some(LoginErrorCode::InvalidCaptchaToken)),
            ("-1", Flow::Login, None),
        ];
        for (c, flow, want) in cases {
            assert_eq!(error_code_for(flow, &WixErrorBody::application(c, "x")), want, "{c} {flow:?}");
        }
    }

    #[test]
    fn email_violations_are_invalid_email_and_nothing_else_is() {
        let v = WixErrorBody { message: "INVALID_ARGUMENT".into(), ..WixErrorBody::validation("loginId.email", "bad", Some("EMAIL")) };
        assert_eq!(error_code_for(Flow::Register, &v), Some(LoginErrorCode::InvalidEmail));
        assert_eq!(from_error(Flow::Register, &v).unwrap().error.as_deref(), Some("bad"), "the violation's text, as @wix/sdk shows");
        assert_eq!(error_code_for(Flow::Login, &WixErrorBody::default()), None, "an empty 500 body is not invalidEmail");
        let sm = from_error(Flow::Login, &WixErrorBody::application(CODE_INVALID_PASSWORD, "wrong")).unwrap();
        assert_eq!(sm.error_code, Some(LoginErrorCode::InvalidPassword));
        assert_eq!(sm.error.as_deref(), Some("wrong"));
        assert_eq!(
            serde_json::to_string(&sm).unwrap(),
            r#"{"loginState":"FAILURE","errorCode":"invalidPassword","error":"wrong"}"#
        );
    }

    #[test]
    fn names_are_serde_names() {
        use LoginErrorCode as E;
        use LoginState as S;
        for state in [S::Success, S::EmailVerificationRequired, S::OwnerApprovalRequired, S::Failure] {
            assert_eq!(serde_json::to_value(state).unwrap(), state.as_str());
        }
        for code in [E::InvalidEmail, E::InvalidPassword, E::ResetPassword, E::MissingCaptchaToken, E::EmailAlreadyExists, E::InvalidCaptchaToken] {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
    }
}
