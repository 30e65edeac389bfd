//! The public `Tokens` object of the Wix SDK and the rules for when an access token is spent.

use serde::{Deserialize, Serialize};

use super::json_value::{text, JsonValue, ToJson};
use super::token::TokenResponse;

/// Whose tokens these are. Wix's `refreshToken.role`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// No session yet (Wix's initial value).
    #[default]
    None,
    /// An anonymous site visitor.
    Visitor,
    /// A signed-in site member.
    Member,
}

impl Role {
    /// The role as Wix spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Visitor => "visitor",
            Self::Member => "member",
        }
    }

    /// The role Wix spells `name`; `None` for any other text.
    pub fn parse(name: &str) -> Option<Role> {
        [Role::None, Role::Visitor, Role::Member].into_iter().find(|r| r.as_str() == name)
    }
}

/// `accessToken`: the value and when it stops working, in Unix seconds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessToken {
    pub value: String,
    pub expires_at: u64,
}

/// `refreshToken`: the value and the role it was issued for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefreshToken {
    pub value: String,
    #[serde(default)]
    pub role: Role,
}

/// Wix's `Tokens`: `{accessToken:{value, expiresAt}, refreshToken:{value, role}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tokens {
    pub access_token: AccessToken,
    pub refresh_token: RefreshToken,
}

impl ToJson for AccessToken {
    fn to_json(&self) -> JsonValue {
        JsonValue::object([("value", text(&self.value)), ("expiresAt", Some(self.expires_at.into()))])
    }
}

impl ToJson for RefreshToken {
    fn to_json(&self) -> JsonValue {
        JsonValue::object([("value", text(&self.value)), ("role", text(self.role.as_str()))])
    }
}

/// Default margin before `expiresAt` at which a token counts as spent: clocks drift and a request
/// takes time in flight, so a token that "expires in 2 s" is already unusable. Peers use 30–300 s.
pub const DEFAULT_SKEW_SECS: u64 = 60;

impl Tokens {
    /// Tokens from a token response. `previous_refresh` is kept when the server sends no new
    /// refresh token (a refresh without rotation); a rotated one always replaces it.
    pub fn from_response(resp: TokenResponse, role: Role, now_secs: u64, previous_refresh: Option<&str>) -> Self {
        let refresh = resp.refresh_token.filter(|r| !r.is_empty()).or_else(|| previous_refresh.map(Into::into));
        Self {
            access_token: AccessToken { value: resp.access_token, expires_at: now_secs.saturating_add(resp.expires_in) },
            refresh_token: RefreshToken { value: refresh.unwrap_or_default(), role },
        }
    }

    /// Whether the access token is unusable at `now_secs` with a `skew_secs` margin (see
    /// [`effective_skew`] for short-lived tokens). An empty token is always spent.
    pub fn is_expired(&self, now_secs: u64, skew_secs: u64) -> bool {
        self.access_token.value.is_empty() || now_secs.saturating_add(skew_secs) >= self.access_token.expires_at
    }

    /// Whether there is a refresh token to renew with.
    pub fn can_refresh(&self) -> bool {
        !self.refresh_token.value.is_empty()
    }

    /// Wix's `loggedIn()`: the refresh token belongs to a member.
    pub fn is_member(&self) -> bool {
        self.refresh_token.role == Role::Member && self.can_refresh()
    }
}

/// The skew to use for a token that lived `lifetime_secs`: the configured margin, capped at half
/// the lifetime so that a short-lived token (a few seconds, in tests) is usable when it arrives.
pub fn effective_skew(configured_secs: u64, lifetime_secs: u64) -> u64 {
    configured_secs.min(lifetime_secs / 2)
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_build_their_serde_json() {
        use crate::json_value::assert_same_json as same;
        for role in [Role::None, Role::Visitor, Role::Member] {
            same(&RefreshToken { value: "r".into(), role });
        }
        same(&AccessToken { value: "a".into(), expires_at: 1_700_000_000 });
        // Up to i64::MAX (beyond, a float, as JavaScript holds any such number).
        same(&AccessToken { value: String::new(), expires_at: i64::MAX as u64 });
    }

    #[test]
    fn roles_parse_as_wix_and_serde_spell_them() {
        for role in [Role::None, Role::Visitor, Role::Member] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(serde_json::to_string(&role).unwrap(), format!("\"{}\"", role.as_str()));
        }
        assert_eq!(Role::parse("admin"), None);
        assert_eq!(Role::parse("Member"), None);
    }

    use super::*;

    fn resp(refresh: Option<&str>) -> TokenResponse {
        TokenResponse {
            access_token: "a".into(),
            token_type: "Bearer".into(),
            expires_in: 14400,
            refresh_token: refresh.map(Into::into),
        }
    }

    #[test]
    fn expires_at_is_now_plus_lifetime() {
        let t = Tokens::from_response(resp(Some("r")), Role::Visitor, 1_000, None);
        assert_eq!(t.access_token.expires_at, 15_400);
        assert_eq!(t.refresh_token.value, "r");
        assert_eq!(t.refresh_token.role, Role::Visitor);
    }

    #[test]
    fn a_rotated_refresh_token_replaces_the_old_one_and_absence_keeps_it() {
        assert_eq!(Tokens::from_response(resp(Some("new")), Role::Member, 0, Some("old")).refresh_token.value, "new");
        assert_eq!(Tokens::from_response(resp(None), Role::Member, 0, Some("old")).refresh_token.value, "old");
        assert_eq!(Tokens::from_response(resp(Some("")), Role::Member, 0, Some("old")).refresh_token.value, "old");
    }

    #[test]
    fn expiry_edges_with_skew() {
        let t = Tokens::from_response(resp(Some("r")), Role::Visitor, 0, None); // expires at 14400
        assert!(!t.is_expired(14_400 - 61, 60));
        assert!(t.is_expired(14_400 - 60, 60), "inside the margin counts as spent");
        assert!(t.is_expired(14_400, 0), "the instant of expiry is spent");
        assert!(!t.is_expired(14_399, 0));
        assert!(t.is_expired(u64::MAX, 60), "no overflow at the end of time");
        assert!(Tokens::default().is_expired(0, 0), "an empty token is spent");
    }

    #[test]
    fn short_lifetimes_cap_the_skew() {
        assert_eq!(effective_skew(60, 14_400), 60);
        assert_eq!(effective_skew(60, 4), 2);
        assert_eq!(effective_skew(60, 0), 0);
    }

    #[test]
    fn logged_in_means_a_member_refresh_token() {
        let mut t = Tokens::from_response(resp(Some("r")), Role::Member, 0, None);
        assert!(t.is_member());
        t.refresh_token.role = Role::Visitor;
        assert!(!t.is_member());
        assert!(!Tokens::default().is_member());
    }

    #[test]
    fn wire_shape_matches_wix() {
        let t = Tokens::from_response(resp(Some("r")), Role::Member, 0, None);
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"accessToken":{"value":"a","expiresAt":14400},"refreshToken":{"value":"r","role":"member"}}"#
        );
        let back: Tokens = serde_json::from_str(r#"{"accessToken":{"value":"a","expiresAt":1},"refreshToken":{"value":"r"}}"#).unwrap();
        assert_eq!(back.refresh_token.role, Role::None);
    }
}
