//! Members: who can sign in, with what password hash and status.

use rusqlite::{params, Connection, OptionalExtension, Row};

/// A stored member.
#[derive(Debug, Clone)]
pub struct MemberRow {
    pub id: String,
    pub email: String,
    pub password_hash: Option<String>,
    /// `ACTIVE` or `PENDING` (waiting for owner approval).
    pub status: String,
    pub email_verified: bool,
    /// `IdentityProfile` as JSON.
    pub profile: String,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub revision: i64,
}

/// Status of a member who may sign in.
pub const ACTIVE: &str = "ACTIVE";
/// Status of a member waiting for the site owner.
pub const PENDING: &str = "PENDING";

fn member_from(r: &Row) -> rusqlite::Result<MemberRow> {
    Ok(MemberRow {
        id: r.get(0)?,
        email: r.get(1)?,
        password_hash: r.get(2)?,
        status: r.get(3)?,
        email_verified: r.get(4)?,
        profile: r.get(5)?,
        created_ms: r.get(6)?,
        updated_ms: r.get(7)?,
        revision: r.get(8)?,
    })
}

/// The columns `member_from` reads, as a macro so the queries below are `&'static str`s that
/// `prepare_cached` can keep (members/my and login run them on every request).
macro_rules! member_cols {
    () => {
        "id, email, password_hash, status, email_verified, profile, created_ms, updated_ms, revision"
    };
}

/// Inserts a member; `false` if the email is taken.
pub fn insert_member(c: &Connection, m: &MemberRow) -> rusqlite::Result<bool> {
    let n = c.execute(
        concat!("INSERT OR IGNORE INTO members(", member_cols!(), ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)"),
        params![m.id, m.email, m.password_hash, m.status, m.email_verified, m.profile, m.created_ms, m.updated_ms, m.revision],
    )?;
    Ok(n == 1)
}

/// The member with this (lower-cased) email.
pub fn member_by_email(c: &Connection, email: &str) -> rusqlite::Result<Option<MemberRow>> {
    c.prepare_cached(concat!("SELECT ", member_cols!(), " FROM members WHERE email = ?1"))?.query_row([email], member_from).optional()
}

/// The member with this id.
pub fn member_by_id(c: &Connection, id: &str) -> rusqlite::Result<Option<MemberRow>> {
    c.prepare_cached(concat!("SELECT ", member_cols!(), " FROM members WHERE id = ?1"))?.query_row([id], member_from).optional()
}

/// Changes one column of a member and bumps its revision; `false` if there is no such member.
fn update_member(c: &Connection, id: &str, set: &str, value: &dyn rusqlite::ToSql, now: i64) -> rusqlite::Result<bool> {
    let sql = format!("UPDATE members SET {set} = ?1, updated_ms = ?2, revision = revision + 1 WHERE id = ?3");
    Ok(c.execute(&sql, params![value, now, id])? == 1)
}

/// Sets `ACTIVE`/`PENDING`.
pub fn set_member_status(c: &Connection, id: &str, status: &str, now: i64) -> rusqlite::Result<bool> {
    update_member(c, id, "status", &status, now)
}

/// Marks the email verified.
pub fn set_email_verified(c: &Connection, id: &str, now: i64) -> rusqlite::Result<bool> {
    update_member(c, id, "email_verified", &true, now)
}

/// Replaces the password hash.
pub fn set_password(c: &Connection, id: &str, hash: &str, now: i64) -> rusqlite::Result<bool> {
    update_member(c, id, "password_hash", &hash, now)
}
