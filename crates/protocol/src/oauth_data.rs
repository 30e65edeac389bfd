//! Wix's `OAuthData` (what `generateOAuthData` returns and `getMemberTokens` checks against), and
//! the record a client keeps of it between leaving for the hosted login page and coming back.

use serde::{Deserialize, Serialize};

use super::json_value::{text, JsonValue, ToJson};
use super::pkce;

/// Wix's `OAuthData`: the PKCE pair and `state` of one login attempt, and where it returns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OAuthData {
    pub state: String,
    #[serde(default)]
    pub redirect_uri: String,
    #[serde(default)]
    pub original_uri: String,
    pub code_verifier: String,
    pub code_challenge: String,
}

impl OAuthData {
    /// OAuth data from two CSPRNG draws: one for the verifier, one for `state` (each 256 bits, so a
    /// state cannot be guessed and doubles as the key under which the data is kept).
    pub fn from_random(
        verifier_octets: &[u8; pkce::VERIFIER_OCTETS],
        state_octets: &[u8; pkce::VERIFIER_OCTETS],
        redirect_uri: &str,
        original_uri: &str,
    ) -> Self {
        let code_verifier = pkce::code_verifier(verifier_octets);
        Self {
            state: pkce::base64url(state_octets),
            redirect_uri: redirect_uri.into(),
            original_uri: original_uri.into(),
            code_challenge: pkce::code_challenge(&code_verifier),
            code_verifier,
        }
    }
}

impl OAuthData {
    /// `OAuthData` read by shape (the engine's one reading of it, from storage or from an
    /// argument, instead of a deserializer per format): `state`, `codeVerifier` and
    /// `codeChallenge` must be strings, `redirectUri` and `originalUri` strings when present.
    pub fn read(v: &JsonValue) -> Option<Self> {
        Some(Self {
            state: v.str_at("state")?.into(),
            redirect_uri: v.str_or_empty("redirectUri")?.into(),
            original_uri: v.str_or_empty("originalUri")?.into(),
            code_verifier: v.str_at("codeVerifier")?.into(),
            code_challenge: v.str_at("codeChallenge")?.into(),
        })
    }
}

impl ToJson for OAuthData {
    fn to_json(&self) -> JsonValue {
        JsonValue::object([
            ("state", text(&self.state)),
            ("redirectUri", text(&self.redirect_uri)),
            ("originalUri", text(&self.original_uri)),
            ("codeVerifier", text(&self.code_verifier)),
            ("codeChallenge", text(&self.code_challenge)),
        ])
    }
}

/// A stored [`OAuthData`] with the instant (Unix ms) after which it may no longer be used: an
/// abandoned login must not leave a code verifier usable forever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingOAuth {
    pub data: OAuthData,
    pub expires_at_ms: u64,
}

impl PendingOAuth {
    /// `{data, expiresAtMs}`, both required (see [`OAuthData::read`]).
    pub fn read(v: &JsonValue) -> Option<Self> {
        Some(Self { data: OAuthData::read(v.get("data")?)?, expires_at_ms: v.u64_at("expiresAtMs")? })
    }
}

impl ToJson for PendingOAuth {
    fn to_json(&self) -> JsonValue {
        JsonValue::object([("data", Some(self.data.to_json())), ("expiresAtMs", Some(self.expires_at_ms.into()))])
    }
}

/// A stored verification step (`stateToken` of `EMAIL_VERIFICATION_REQUIRED`) with its expiry, so
/// that `processVerification` works after a reload of the page the code was typed into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingVerification {
    pub state_token: String,
    pub expires_at_ms: u64,
}

impl PendingVerification {
    /// `{stateToken, expiresAtMs}`, both required.
    pub fn read(v: &JsonValue) -> Option<Self> {
        Some(Self { state_token: v.str_at("stateToken")?.into(), expires_at_ms: v.u64_at("expiresAtMs")? })
    }
}

impl ToJson for PendingVerification {
    fn to_json(&self) -> JsonValue {
        JsonValue::object([("stateToken", text(&self.state_token)), ("expiresAtMs", Some(self.expires_at_ms.into()))])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_make_a_valid_pkce_pair_and_state() {
        let d = OAuthData::from_random(&[1; 32], &[2; 32], "http://x/cb", "");
        assert!(pkce::verify(&d.code_verifier, &d.code_challenge));
        assert_eq!(d.state.len(), 43);
        assert_ne!(d.state, d.code_verifier);
    }

    #[test]
    fn wire_names_are_wix_camel_case() {
        let d = OAuthData::from_random(&[0; 32], &[0; 32], "r", "o");
        let json = serde_json::to_value(&d).unwrap();
        for k in ["state", "redirectUri", "originalUri", "codeVerifier", "codeChallenge"] {
            assert!(json.get(k).is_some(), "{k}");
        }
        let p: PendingOAuth = serde_json::from_str(
            r#"{"data":{"state":"s","codeVerifier":"v","codeChallenge":"c"},"expiresAtMs":5}"#,
        )
        .unwrap();
        assert_eq!((p.data.redirect_uri.as_str(), p.expires_at_ms), ("", 5));
    }

    /// The readers by shape take and refuse what serde's derived deserializers take and refuse.
    #[test]
    fn readers_agree_with_serde() {
        let data = r#"{"state":"s","redirectUri":"r","originalUri":"o","codeVerifier":"v","codeChallenge":"c","extra":[1]}"#;
        let pending = [
            format!(r#"{{"data":{data},"expiresAtMs":5}}"#),
            r#"{"data":{"state":"s","codeVerifier":"v","codeChallenge":"c"},"expiresAtMs":0}"#.into(),
            r#"{"data":{"state":"s","codeVerifier":"v"},"expiresAtMs":5}"#.into(),
            r#"{"data":{"state":"s","redirectUri":5,"codeVerifier":"v","codeChallenge":"c"},"expiresAtMs":5}"#.into(),
            r#"{"data":{"state":7,"codeVerifier":"v","codeChallenge":"c"},"expiresAtMs":5}"#.into(),
            format!(r#"{{"data":{data},"expiresAtMs":-5}}"#),
            format!(r#"{{"data":{data},"expiresAtMs":1.5}}"#),
            format!(r#"{{"data":{data},"expiresAtMs":"5"}}"#),
            format!(r#"{{"data":{data}}}"#),
            r#"{"data":"s","expiresAtMs":5}"#.into(),
            "[]".into(),
        ];
        for text in &pending {
            let v: JsonValue = serde_json::from_str(text).unwrap();
            let read = PendingOAuth::read(&v);
            assert_eq!(read, serde_json::from_str::<PendingOAuth>(text).ok(), "{text}");
            if let Some(p) = read {
                crate::json_value::assert_same_json(&p);
                assert_eq!(PendingOAuth::read(&p.to_json()), Some(p), "written as it is read");
            }
        }
        for text in [
            r#"{"stateToken":"t","expiresAtMs":9,"x":null}"#,
            r#"{"stateToken":"t"}"#,
            r#"{"stateToken":null,"expiresAtMs":9}"#,
            r#"{"expiresAtMs":9}"#,
            "5",
        ] {
            let v: JsonValue = serde_json::from_str(text).unwrap();
            let read = PendingVerification::read(&v);
            assert_eq!(read, serde_json::from_str::<PendingVerification>(text).ok(), "{text}");
            if let Some(p) = read {
                crate::json_value::assert_same_json(&p);
            }
        }
    }
}
