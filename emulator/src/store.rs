//! SQLite persistence: schema and queries. Secrets (tokens, codes, session tokens, cookies) are
//! stored as SHA-256 hashes only. One connection on its own thread (see `Db`); WAL mode so
//! readers of the file (tests, `sqlite3`) never block the server.

use rusqlite::{params, Connection, OptionalExtension, Row};
use std::path::Path;

use crate::error::ApiError;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS members(
  id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, password_hash TEXT, status TEXT NOT NULL,
  email_verified INTEGER NOT NULL, profile TEXT NOT NULL, created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL, revision INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tokens(
  hash TEXT PRIMARY KEY, kind TEXT NOT NULL, client_id TEXT NOT NULL, role TEXT NOT NULL,
  subject TEXT NOT NULL, family TEXT NOT NULL, expires_ms INTEGER, state TEXT NOT NULL,
  created_ms INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tokens_family ON tokens(family);
CREATE TABLE IF NOT EXISTS redirect_sessions(
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, request TEXT NOT NULL, client_origin TEXT,
  created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS auth_codes(
  hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, redirect_uri TEXT, challenge TEXT NOT NULL,
  member_id TEXT NOT NULL, expires_ms INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0, family TEXT);
CREATE TABLE IF NOT EXISTS grants(
  hash TEXT PRIMARY KEY, kind TEXT NOT NULL, member_id TEXT NOT NULL, expires_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS state_tokens(
  hash TEXT PRIMARY KEY, member_id TEXT NOT NULL, code TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, expires_ms INTEGER NOT NULL, dead INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS outbox(
  id INTEGER PRIMARY KEY AUTOINCREMENT, recipient TEXT NOT NULL, kind TEXT NOT NULL,
  code TEXT NOT NULL, link TEXT, created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS device_codes(
  hash TEXT PRIMARY KEY, user_code TEXT NOT NULL UNIQUE, client_id TEXT NOT NULL,
  status TEXT NOT NULL, member_id TEXT, expires_ms INTEGER NOT NULL, last_poll_ms INTEGER NOT NULL DEFAULT 0);
";

const TABLES: [&str; 8] =
    ["members", "tokens", "redirect_sessions", "auth_codes", "grants", "state_tokens", "outbox", "device_codes"];

/// Opens (creating if needed) the database at `path`, or an in-memory one for `:memory:`.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    if path.as_os_str() != ":memory:" {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        }
    }
    let conn = Connection::open(path)?;
    // WAL without fsync: every commit is in the OS page cache before its request is answered,
    // so data survives the process (kill, crash, restart) but not a power cut, which a dev
    // emulator can afford. With `synchronous=NORMAL` the checkpoint fsyncs stalled the database
    // thread and halved the anonymous-grant throughput.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "OFF")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // A big page cache and memory-mapped reads: lookups by random token hash touch random pages.
    conn.pragma_update(None, "cache_size", -65_536)?;
    conn.pragma_update(None, "mmap_size", 268_435_456)?;
    conn.execute_batch(SCHEMA)?;
    Ok(conn)
}

/// A unit of work for the database thread; it returns how to deliver its result once the
/// batch it ran in is committed (or failed to commit).
type Job = Box<dyn FnOnce(&mut Connection) -> Deliver + Send>;
type Deliver = Box<dyn FnOnce(Option<&str>) + Send>;

/// Most jobs run in one transaction.
const MAX_BATCH: usize = 256;

/// The database: one connection owned by one thread that runs queued jobs in batches, each
/// batch one transaction (group commit). Concurrent requests, such as a burst of anonymous
/// grants, then share one WAL commit instead of paying one each. Jobs run in arrival order,
/// so a request always sees the writes of every request answered before it was sent.
/// Jobs that need their own atomic unit use `savepoint()` (a nested transaction).
#[derive(Clone)]
pub struct Db(std::sync::mpsc::Sender<Job>);

impl Db {
    /// Starts the database thread for an open connection.
    pub fn new(mut conn: Connection) -> Self {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let worker = move || {
            while let Ok(first) = rx.recv() {
                let mut batch = vec![first];
                batch.extend(rx.try_iter().take(MAX_BATCH - 1));
                run_batch(&mut conn, batch);
            }
        };
        // If the thread cannot start, every `call` fails with an internal error (no panic).
        let _ = std::thread::Builder::new().name("emulator-db".into()).spawn(worker);
        Self(tx)
    }

    /// Runs `f` on the database thread and waits, without blocking a tokio worker, for its
    /// result after its batch is committed.
    pub async fn call<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, ApiError> + Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |c| {
            let result = f(c);
            Box::new(move |commit_error: Option<&str>| {
                let _ = tx.send(match commit_error {
                    Some(e) => Err(ApiError::Internal(e.to_owned())),
                    None => result,
                });
            })
        });
        self.0.send(job).map_err(|_| ApiError::Internal("the database thread stopped".into()))?;
        // A job that panicked drops its sender: that request fails, the thread lives on.
        rx.await.map_err(|_| ApiError::Internal("a database job failed".into()))?
    }
}

fn run_batch(conn: &mut Connection, batch: Vec<Job>) {
    let began = conn.execute_batch("BEGIN").map_err(|e| e.to_string());
    let deliveries: Vec<Deliver> = batch
        .into_iter()
        .filter_map(|job| std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(conn))).ok())
        .collect();
    let committed = began.and_then(|()| conn.execute_batch("COMMIT").map_err(|e| e.to_string()));
    if committed.is_err() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    let error = committed.err();
    for deliver in deliveries {
        deliver(error.as_deref());
    }
}

/// Deletes every row of every table (`POST /_emulator/reset`).
pub fn wipe(c: &Connection) -> rusqlite::Result<()> {
    for t in TABLES {
        c.execute(&format!("DELETE FROM {t}"), [])?;
    }
    Ok(())
}

// ---------------------------------------------------------------- members

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

const MEMBER_COLS: &str =
    "id, email, password_hash, status, email_verified, profile, created_ms, updated_ms, revision";

/// Inserts a member; `false` if the email is taken.
pub fn insert_member(c: &Connection, m: &MemberRow) -> rusqlite::Result<bool> {
    let n = c.execute(
        &format!("INSERT OR IGNORE INTO members({MEMBER_COLS}) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)"),
        params![m.id, m.email, m.password_hash, m.status, m.email_verified, m.profile, m.created_ms, m.updated_ms, m.revision],
    )?;
    Ok(n == 1)
}

/// The member with this (lower-cased) email.
pub fn member_by_email(c: &Connection, email: &str) -> rusqlite::Result<Option<MemberRow>> {
    c.query_row(&format!("SELECT {MEMBER_COLS} FROM members WHERE email = ?1"), [email], member_from).optional()
}

/// The member with this id.
pub fn member_by_id(c: &Connection, id: &str) -> rusqlite::Result<Option<MemberRow>> {
    c.query_row(&format!("SELECT {MEMBER_COLS} FROM members WHERE id = ?1"), [id], member_from).optional()
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

// ---------------------------------------------------------------- tokens

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

/// Revokes every token of a family; returns how many were still alive.
pub fn revoke_family(c: &Connection, family: &str) -> rusqlite::Result<usize> {
    c.execute("UPDATE tokens SET state = 'revoked' WHERE family = ?1 AND state != 'revoked'", [family])
}

/// Revokes every token of a member or visitor. Only logout needs this, so `subject` has no
/// index (one less B-tree insert per minted token) and this is a table scan.
pub fn revoke_subject(c: &Connection, subject: &str) -> rusqlite::Result<usize> {
    c.execute("UPDATE tokens SET state = 'revoked' WHERE subject = ?1 AND state != 'revoked'", [subject])
}

// ---------------------------------------------------------------- redirect sessions

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

// ---------------------------------------------------------------- authorization codes

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

// ---------------------------------------------------------------- member grants

/// Kinds of short member credentials kept in `grants`.
pub mod grant {
    /// A `sessionToken` from login/register/sign-on.
    pub const SESSION_TOKEN: &str = "session";
    /// The hosted pages' site-session cookie.
    pub const SITE_SESSION: &str = "site";
    /// A password-reset link's token.
    pub const PASSWORD_RESET: &str = "reset";
}

/// Stores a grant.
pub fn insert_grant(c: &Connection, hash: &str, kind: &str, member_id: &str, expires_ms: i64) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO grants(hash, kind, member_id, expires_ms) VALUES (?1,?2,?3,?4)",
        params![hash, kind, member_id, expires_ms],
    )?;
    Ok(())
}

/// The member of a live grant; with `consume` the grant is deleted (single use).
pub fn grant_member(c: &Connection, hash: &str, kind: &str, now: i64, consume: bool) -> rusqlite::Result<Option<String>> {
    let member = c
        .query_row(
            "SELECT member_id FROM grants WHERE hash = ?1 AND kind = ?2 AND expires_ms > ?3",
            params![hash, kind, now],
            |r| r.get::<_, String>(0),
        )
        .optional()?;
    if consume || member.is_none() {
        c.execute("DELETE FROM grants WHERE hash = ?1 AND kind = ?2", [hash, kind])?;
    }
    Ok(member)
}

/// Deletes every grant of a member of one kind (logout ends all site sessions).
pub fn delete_member_grants(c: &Connection, member_id: &str, kind: &str) -> rusqlite::Result<usize> {
    c.execute("DELETE FROM grants WHERE member_id = ?1 AND kind = ?2", [member_id, kind])
}

// ---------------------------------------------------------------- verification state tokens

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

// ---------------------------------------------------------------- outbox

/// One email the emulator "sent".
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxRow {
    pub id: i64,
    pub to: String,
    /// `verification` or `password_reset`.
    pub kind: String,
    pub code: String,
    pub link: Option<String>,
    pub created_date: String,
}

/// Puts an email in the outbox.
pub fn insert_outbox(c: &Connection, to: &str, kind: &str, code: &str, link: Option<&str>, now: i64) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO outbox(recipient, kind, code, link, created_ms) VALUES (?1,?2,?3,?4,?5)",
        params![to, kind, code, link, now],
    )?;
    Ok(())
}

/// The outbox, oldest first, optionally for one recipient.
pub fn outbox(c: &Connection, to: Option<&str>) -> rusqlite::Result<Vec<OutboxRow>> {
    let mut stmt = c.prepare(
        "SELECT id, recipient, kind, code, link, created_ms FROM outbox WHERE ?1 IS NULL OR recipient = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([to], |r| {
        Ok(OutboxRow {
            id: r.get(0)?,
            to: r.get(1)?,
            kind: r.get(2)?,
            code: r.get(3)?,
            link: r.get(4)?,
            created_date: crate::util::rfc3339(r.get(5)?),
        })
    })?;
    rows.collect()
}

// ---------------------------------------------------------------- device codes

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
