#![cfg(target_arch = "wasm32")]
//! The results built member by member (`js::results`) against the serde form the protocol types
//! define (serde-wasm-bindgen, JSON-compatible, as results were made before): the same members, in
//! the same order, with the same values, `null`s and left-out members. Run by
//! scripts/test.d/40-browser.sh.

use serde::Serialize;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use wix_auth_protocol::callback::ParsedCallback;
use wix_auth_protocol::login_state::{FailureCause, LoginErrorCode, LoginState, StateData, StateMachine};
use wix_auth_session::{AccessToken, AuthUrl, LogoutResult, OAuthData, RefreshToken, Role, Tokens};
use wix_headless_auth::js::results::{auth_headers, usable_auth, ToJs};

wasm_bindgen_test_configure!(run_in_browser);

fn json(v: &JsValue) -> String {
    js_sys::JSON::stringify(v).expect("stringify").as_string().expect("text")
}

fn same<T: Serialize + ToJs + std::fmt::Debug>(value: &T) {
    let serde = value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).expect("serde form");
    assert_eq!(json(&value.to_js()), json(&serde), "{value:?}");
}

#[wasm_bindgen_test]
fn results_have_the_serde_shapes() {
    for role in [Role::None, Role::Visitor, Role::Member] {
        same(&Tokens {
            access_token: AccessToken { value: "a".into(), expires_at: 1_700_000_000 },
            refresh_token: RefreshToken { value: "r".into(), role },
        });
    }
    same(&Tokens::default());

    let cause = FailureCause {
        code: "invalid_password".into(),
        status: 401,
        request_id: Some("req".into()),
        application_code: Some("-19976".into()),
        message: "wrong".into(),
    };
    let states = [
        StateMachine {
            login_state: LoginState::Success,
            data: StateData { session_token: Some("s".into()), state_token: None },
            error_code: None,
            error: None,
            auth_error: None,
        },
        StateMachine {
            login_state: LoginState::EmailVerificationRequired,
            data: StateData { session_token: None, state_token: Some("t".into()) },
            error_code: None,
            error: None,
            auth_error: None,
        },
        StateMachine::failure(None, "pending".into()),
        StateMachine { login_state: LoginState::OwnerApprovalRequired, ..StateMachine::failure(None, String::new()) },
        StateMachine::failure(Some(LoginErrorCode::InvalidPassword), "wrong".into()).because(cause.clone()),
        StateMachine::failure(Some(LoginErrorCode::EmailAlreadyExists), "taken".into())
            .because(FailureCause { request_id: None, application_code: None, status: 0, ..cause }),
    ];
    for sm in &states {
        same(sm);
    }

    same(&OAuthData::from_random(&[1; 32], &[2; 32], "http://shop/cb", ""));
    for parsed in [
        ParsedCallback { code: Some("c".into()), state: Some("s".into()), error: None, error_description: None },
        ParsedCallback { code: None, state: Some("s".into()), error: Some("access_denied".into()), error_description: Some(None) },
        ParsedCallback { code: None, state: None, error: Some("e".into()), error_description: Some(Some("d".into())) },
        ParsedCallback::default(),
    ] {
        same(&parsed);
    }
    same(&AuthUrl { auth_url: "u".into(), authorization_endpoint: "e".into(), session_token: None });
    same(&AuthUrl { auth_url: "u".into(), authorization_endpoint: "e".into(), session_token: Some("s".into()) });
    same(&LogoutResult { logout_url: "l".into() });
}

#[wasm_bindgen_test]
fn headers_and_the_usable_token_have_their_documented_shapes() {
    assert_eq!(json(&auth_headers("tok")), r#"{"headers":{"Authorization":"tok"}}"#);
    assert_eq!(json(&usable_auth("tok", 1_700_000_000_123)), r#"["tok",1700000000123]"#);
}
