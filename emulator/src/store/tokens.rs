//! Access and refresh tokens (by key), their families and states.
//!
//! A token's key is its mint time (6 bytes, big-endian ms, copied from the token's first 6
//! random-looking bytes; see `util::timed_secret`) followed by its SHA-256. The time makes
//! inserts land at the end of the primary-key B-tree: with plain hashes every new token went to
//! a random leaf page, so each grant dirtied two pages that then went through the WAL and a
//! checkpoint (the anonymous grant spent most of its database time on that). The key tells a
//! leaked database nothing the `created_ms` column does not, and without the token's other 26
//! random bytes the hash cannot be matched.

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

/// Bytes of a token key: the mint time, then the SHA-256.
pub const TOKEN_KEY_LEN: usize = 6 + 32;

/// What the store keeps instead of a token.
pub type TokenKey = [u8; TOKEN_KEY_LEN];

/// The key of a presented token. Anything that does not carry a mint time (garbage, or a token
/// from before keys had one) gets a zero time, which is how migrated rows are keyed.
pub fn token_key(token: &str) -> TokenKey {
    let mut key = [0u8; TOKEN_KEY_LEN];
    key[6..].copy_from_slice(&Sha256::digest(token.as_bytes()));
    // The random part follows the last `.` of the prefix; its first 8 characters are 6 bytes.
    let payload = token.rsplit('.').next().unwrap_or_default().as_bytes();
    let time = payload.get(..8).and_then(|chars| chars.iter().try_fold(0u64, |acc, &c| Some(acc << 6 | sextet(c)?)));
    if let Some(ms) = time {
        key[..6].copy_from_slice(&ms.to_be_bytes()[2..]);
    }
    key
}

/// The value of one base64url character (RFC 4648 §5).
fn sextet(c: u8) -> Option<u64> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    };
    Some(u64::from(v))
}

/// A stored access or refresh token (of the kind it was looked up by), as far as requests read it.
#[derive(Debug, Clone)]
pub struct TokenRow {
    pub key: TokenKey,
    pub client_id: String,
    /// `visitor` or `member`.
    pub role: String,
    /// Visitor id or member id.
    pub subject: String,
    /// Every token descending from one grant shares a family; reuse detection revokes it whole.
    pub family: String,
    pub expires_ms: Option<i64>,
    /// `active`, `rotated` (a refresh token that was exchanged) or `revoked`.
    pub state: String,
}

/// Token states.
pub const TOKEN_ACTIVE: &str = "active";
/// A refresh token already exchanged under rotation.
pub const TOKEN_ROTATED: &str = "rotated";

/// A new, active token record. Borrowed, because inserting runs on the database thread (the
/// serial bottleneck), where an owned copy of each text was an allocation.
pub struct NewToken<'a> {
    pub key: &'a TokenKey,
    /// `access` or `refresh`.
    pub kind: &'a str,
    pub client_id: &'a str,
    pub role: &'a str,
    pub subject: &'a str,
    pub family: &'a str,
    pub expires_ms: Option<i64>,
    pub created_ms: i64,
}

/// Stores a token record.
pub fn insert_token(c: &Connection, t: &NewToken) -> rusqlite::Result<()> {
    c.prepare_cached(
        "INSERT INTO tokens(hash, kind, client_id, role, subject, family, expires_ms, state, created_ms)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
    )?
    .execute(params![t.key, t.kind, t.client_id, t.role, t.subject, t.family, t.expires_ms, TOKEN_ACTIVE, t.created_ms])?;
    Ok(())
}

/// The token record with this key and kind; a token minted before keys had a time is found by
/// its zero-time key.
pub fn token(c: &Connection, key: &TokenKey, kind: &str) -> rusqlite::Result<Option<TokenRow>> {
    match token_exact(c, key, kind)? {
        None if key[..6] != [0; 6] => {
            let mut legacy = *key;
            legacy[..6].fill(0);
            token_exact(c, &legacy, kind)
        }
        found => Ok(found),
    }
}

fn token_exact(c: &Connection, key: &TokenKey, kind: &str) -> rusqlite::Result<Option<TokenRow>> {
    c.prepare_cached(
        "SELECT hash, client_id, role, subject, family, expires_ms, state FROM tokens WHERE hash = ?1 AND kind = ?2",
    )?
    .query_row(params![key, kind], |r| {
        Ok(TokenRow {
            key: r.get(0)?,
            client_id: r.get(1)?,
            role: r.get(2)?,
            subject: r.get(3)?,
            family: r.get(4)?,
            expires_ms: r.get(5)?,
            state: r.get(6)?,
        })
    })
    .optional()
}

/// Sets a token's state only if it is still `active`; `false` if another request won the race.
pub fn transition_token(c: &Connection, key: &TokenKey, to: &str) -> rusqlite::Result<bool> {
    Ok(c.execute("UPDATE tokens SET state = ?1 WHERE hash = ?2 AND state = 'active'", params![to, key])? == 1)
}

/// Revokes one token; `false` if it was revoked already.
pub fn revoke_token(c: &Connection, key: &TokenKey) -> rusqlite::Result<bool> {
    Ok(c.execute("UPDATE tokens SET state = 'revoked' WHERE hash = ?1 AND state != 'revoked'", [key])? == 1)
}

/// Revokes every token of a family; returns how many were still alive.
pub fn revoke_family(c: &Connection, family: &str) -> rusqlite::Result<usize> {
    c.execute("UPDATE tokens SET state = 'revoked' WHERE family = ?1 AND state != 'revoked'", [family])
}

/// Revokes every token of a member or visitor. Only logout needs this, so `subject` has no
/// index (one less B-tree insert per minted token) and this is a table scan.
pub fn revoke_subject(c: &Connection, subject: &str) -> rusqlite::Result<usize> {
    c.execute("UPDATE tokens SET state = 'revoked' WHERE subject = ?1 AND state != 'revoked'", [subject])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util;

    #[test]
    fn keys_start_with_the_mint_time() {
        let before = util::now_ms();
        let token = util::timed_secret("AQS.");
        let key = token_key(&token);
        let mut ms = [0u8; 8];
        ms[2..].copy_from_slice(&key[..6]);
        let ms = i64::from_be_bytes(ms);
        assert!(ms >= before && ms <= util::now_ms(), "{ms}");
        assert_eq!(key[6..], Sha256::digest(token.as_bytes())[..]);
        assert_eq!(token.len(), "AQS.".len() + 43, "the wire shape is unchanged");
        for garbage in ["", "garbage", "OauthNG.JWS.!!!!!!!!!!", "AQS.\u{e9}\u{e9}\u{e9}\u{e9}"] {
            assert_eq!(token_key(garbage)[..6], [0; 6], "{garbage}");
        }
    }
}
