//! Access and refresh tokens (by hash), their families and states.

use rusqlite::{params, Connection, OptionalExtension};

/// Access or refresh token record.
#[derive(Debug, Clone)]
pub struct TokenRow {
    pub hash: String,
    /// `access` or `refresh`.
    pub kind: String,
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
    pub created_ms: i64,
}

/// Token states.
pub const TOKEN_ACTIVE: &str = "active";
/// A refresh token already exchanged under rotation.
pub const TOKEN_ROTATED: &str = "rotated";

/// Stores a token record.
pub fn insert_token(c: &Connection, t: &TokenRow) -> rusqlite::Result<()> {
    c.prepare_cached(
        "INSERT INTO tokens(hash, kind, client_id, role, subject, family, expires_ms, state, created_ms)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
    )?
    .execute(params![t.hash, t.kind, t.client_id, t.role, t.subject, t.family, t.expires_ms, t.state, t.created_ms])?;
    Ok(())
}

/// The token record with this hash and kind.
pub fn token(c: &Connection, hash: &str, kind: &str) -> rusqlite::Result<Option<TokenRow>> {
    c.prepare_cached(
        "SELECT hash, kind, client_id, role, subject, family, expires_ms, state, created_ms
         FROM tokens WHERE hash = ?1 AND kind = ?2",
    )?
    .query_row([hash, kind], |r| {
        Ok(TokenRow {
            hash: r.get(0)?,
            kind: r.get(1)?,
            client_id: r.get(2)?,
            role: r.get(3)?,
            subject: r.get(4)?,
            family: r.get(5)?,
            expires_ms: r.get(6)?,
            state: r.get(7)?,
            created_ms: r.get(8)?,
        })
    })
    .optional()
}

/// Sets a token's state only if it is still `active`; `false` if another request won the race.
pub fn transition_token(c: &Connection, hash: &str, to: &str) -> rusqlite::Result<bool> {
    Ok(c.execute("UPDATE tokens SET state = ?1 WHERE hash = ?2 AND state = 'active'", [to, hash])? == 1)
}

/// Revokes one token of this kind; `false` if there is none or it was revoked already.
pub fn revoke_token(c: &Connection, hash: &str, kind: &str) -> rusqlite::Result<bool> {
    Ok(c.execute("UPDATE tokens SET state = 'revoked' WHERE hash = ?1 AND kind = ?2 AND state != 'revoked'", [hash, kind])? == 1)
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
