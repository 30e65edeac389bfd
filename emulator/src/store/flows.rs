//! Short-lived state of sign-in flows: redirect sessions, authorization codes, member
//! grants (session tokens, site sessions, reset tokens), email verifications, device codes.

use rusqlite::{params, Connection, OptionalExtension};

/// A stored redirect session.
pub struct SessionRow {
    /// `auth`, `logout` or `prewarm`.
    pub kind: String,
    /// The original request body, as JSON.
    pub request: String,
    /// Origin of the page that first loaded the hosted page (for `web_message`).
    pub client_origin: Option<String>,
}

/// Stores a redirect session.
pub fn insert_session(c: &Connection, id: &str, kind: &str, request: &str, now: i64) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO redirect_sessions(id, kind, request, created_ms) VALUES (?1,?2,?3,?4)",
        params![id, kind, request, now],
    )?;
    Ok(())
}

/// The redirect session with this id.
pub fn session(c: &Connection, id: &str) -> rusqlite::Result<Option<SessionRow>> {
    c.query_row("SELECT kind, request, client_origin FROM redirect_sessions WHERE id = ?1", [id], |r| {
        Ok(SessionRow { kind: r.get(0)?, request: r.get(1)?, client_origin: r.get(2)? })
    })
    .optional()
}

/// Remembers the client origin of a session, first one wins.
pub fn set_session_origin(c: &Connection, id: &str, origin: &str) -> rusqlite::Result<()> {
    c.execute("UPDATE redirect_sessions SET client_origin = ?1 WHERE id = ?2 AND client_origin IS NULL", [origin, id])?;
    Ok(())
}

/// A stored authorization code.
pub struct CodeRow {
    pub client_id: String,
    pub redirect_uri: Option<String>,
    pub challenge: String,
    pub member_id: String,
    pub expires_ms: i64,
    /// Whether it had been redeemed before this call.
    pub was_used: bool,
    /// The token family the first redemption created (revoked on replay, RFC 6749 §4.1.2).
    pub family: Option<String>,
}

/// Stores a new code.
pub fn insert_code(c: &Connection, hash: &str, code: &CodeRow) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO auth_codes(hash, client_id, redirect_uri, challenge, member_id, expires_ms) VALUES (?1,?2,?3,?4,?5,?6)",
        params![hash, code.client_id, code.redirect_uri, code.challenge, code.member_id, code.expires_ms],
    )?;
    Ok(())
}

/// Reads a code and marks it used in the same step, so two racing exchanges cannot both win.
pub fn take_code(c: &Connection, hash: &str) -> rusqlite::Result<Option<CodeRow>> {
    let row = c
        .query_row(
            "SELECT client_id, redirect_uri, challenge, member_id, expires_ms, used, family FROM auth_codes WHERE hash = ?1",
            [hash],
            |r| {
                Ok(CodeRow {
                    client_id: r.get(0)?,
                    redirect_uri: r.get(1)?,
                    challenge: r.get(2)?,
                    member_id: r.get(3)?,
                    expires_ms: r.get(4)?,
                    was_used: r.get(5)?,
                    family: r.get(6)?,
                })
            },
        )
        .optional()?;
    if row.as_ref().is_some_and(|r| !r.was_used) {
        c.execute("UPDATE auth_codes SET used = 1 WHERE hash = ?1", [hash])?;
    }
    Ok(row)
}

/// Records which token family a code produced.
pub fn set_code_family(c: &Connection, hash: &str, family: &str) -> rusqlite::Result<()> {
    c.execute("UPDATE auth_codes SET family = ?1 WHERE hash = ?2", [family, hash])?;
    Ok(())
}

/// Kinds of short member credentials kept in `grants`.
pub mod grant {
    /// A `sessionToken` from login/register/sign-on.
    pub const SESSION_TOKEN: &str = "session";
    /// The hosted pages' site-session cookie.
    pub const SITE_SESSION: &str = "site";
    /// A password-reset link's token.
    pub const PASSWORD_RESET: &str = "reset";
}

/// Stores a grant under the key of its secret (`util::timed_secret`): its mint time, then its
/// SHA-256, as `tokens` are keyed. Every login stores a session token; with plain hashes as keys
/// each went to a random page of an ever-growing index, and login latency grew with the
/// database (p99 12 → 49 ms from 35 to 100 MiB under wrk); time-first keys append.
pub fn insert_grant(c: &Connection, secret: &str, kind: &str, member_id: &str, expires_ms: i64) -> rusqlite::Result<()> {
    c.prepare_cached("INSERT INTO grants(hash, kind, member_id, expires_ms) VALUES (?1,?2,?3,?4)")?
        .execute(params![super::token_key(secret), kind, member_id, expires_ms])?;
    Ok(())
}

/// The member of a live grant, looked up by its secret; with `consume` the grant is deleted
/// (single use). A grant stored before keys had a time is found by its zero-time key.
pub fn grant_member(c: &Connection, secret: &str, kind: &str, now: i64, consume: bool) -> rusqlite::Result<Option<String>> {
    let key = super::token_key(secret);
    let mut legacy = key;
    legacy[..6].fill(0);
    for k in if key == legacy { vec![key] } else { vec![key, legacy] } {
        let member = c
            .prepare_cached("SELECT member_id, expires_ms > ?3 FROM grants WHERE hash = ?1 AND kind = ?2")?
            .query_row(params![k, kind, now], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)))
            .optional()?;
        let Some((member, live)) = member else { continue };
        if consume || !live {
            c.prepare_cached("DELETE FROM grants WHERE hash = ?1 AND kind = ?2")?.execute(params![k, kind])?;
        }
        return Ok(live.then_some(member));
    }
    Ok(None)
}

/// Deletes every grant of a member of one kind (logout ends all site sessions).
pub fn delete_member_grants(c: &Connection, member_id: &str, kind: &str) -> rusqlite::Result<usize> {
    c.execute("DELETE FROM grants WHERE member_id = ?1 AND kind = ?2", [member_id, kind])
}

/// A pending email verification.
pub struct StateTokenRow {
    pub member_id: String,
    pub code: String,
    pub attempts: i64,
    pub expires_ms: i64,
    pub dead: bool,
}

/// Stores a pending verification.
pub fn insert_state_token(c: &Connection, hash: &str, member_id: &str, code: &str, expires_ms: i64) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO state_tokens(hash, member_id, code, expires_ms) VALUES (?1,?2,?3,?4)",
        params![hash, member_id, code, expires_ms],
    )?;
    Ok(())
}

/// The pending verification of a state token.
pub fn state_token(c: &Connection, hash: &str) -> rusqlite::Result<Option<StateTokenRow>> {
    c.query_row("SELECT member_id, code, attempts, expires_ms, dead FROM state_tokens WHERE hash = ?1", [hash], |r| {
        Ok(StateTokenRow { member_id: r.get(0)?, code: r.get(1)?, attempts: r.get(2)?, expires_ms: r.get(3)?, dead: r.get(4)? })
    })
    .optional()
}

/// Counts a wrong code; kills the token when `max` attempts are reached.
pub fn fail_state_token(c: &Connection, hash: &str, max: i64) -> rusqlite::Result<()> {
    c.execute("UPDATE state_tokens SET attempts = attempts + 1, dead = (attempts + 1 >= ?2) WHERE hash = ?1", params![hash, max])?;
    Ok(())
}

/// Ends a state token (used or expired).
pub fn kill_state_token(c: &Connection, hash: &str) -> rusqlite::Result<()> {
    c.execute("UPDATE state_tokens SET dead = 1 WHERE hash = ?1", [hash])?;
    Ok(())
}

/// A device authorization (RFC 8628).
pub struct DeviceRow {
    pub hash: String,
    pub user_code: String,
    pub client_id: String,
    /// `pending`, `approved`, `denied` or `used`.
    pub status: String,
    pub member_id: Option<String>,
    pub expires_ms: i64,
    pub last_poll_ms: i64,
}

/// Stores a device authorization.
pub fn insert_device(c: &Connection, d: &DeviceRow) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO device_codes(hash, user_code, client_id, status, expires_ms) VALUES (?1,?2,?3,?4,?5)",
        params![d.hash, d.user_code, d.client_id, d.status, d.expires_ms],
    )?;
    Ok(())
}

fn device_where(c: &Connection, column: &str, value: &str) -> rusqlite::Result<Option<DeviceRow>> {
    let sql = format!(
        "SELECT hash, user_code, client_id, status, member_id, expires_ms, last_poll_ms FROM device_codes WHERE {column} = ?1"
    );
    c.query_row(&sql, [value], |r| {
        Ok(DeviceRow {
            hash: r.get(0)?,
            user_code: r.get(1)?,
            client_id: r.get(2)?,
            status: r.get(3)?,
            member_id: r.get(4)?,
            expires_ms: r.get(5)?,
            last_poll_ms: r.get(6)?,
        })
    })
    .optional()
}

/// By device-code hash.
pub fn device_by_hash(c: &Connection, hash: &str) -> rusqlite::Result<Option<DeviceRow>> {
    device_where(c, "hash", hash)
}

/// By user code (upper-cased, with its dash).
pub fn device_by_user_code(c: &Connection, user_code: &str) -> rusqlite::Result<Option<DeviceRow>> {
    device_where(c, "user_code", user_code)
}

/// Moves a device authorization from `from` to `to` status; `false` if it was not in `from`.
pub fn set_device_status(c: &Connection, hash: &str, from: &str, to: &str, member_id: Option<&str>) -> rusqlite::Result<bool> {
    let n = c.execute(
        "UPDATE device_codes SET status = ?1, member_id = COALESCE(?2, member_id) WHERE hash = ?3 AND status = ?4",
        params![to, member_id, hash, from],
    )?;
    Ok(n == 1)
}

/// Records a poll time.
pub fn touch_device(c: &Connection, hash: &str, now: i64) -> rusqlite::Result<()> {
    c.execute("UPDATE device_codes SET last_poll_ms = ?1 WHERE hash = ?2", params![now, hash])?;
    Ok(())
}
