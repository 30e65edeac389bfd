//! SQLite persistence: schema and queries. Secrets (tokens, codes, session tokens, cookies) are
//! stored as SHA-256 hashes only. One connection on its own thread (see `Db`); WAL mode so
//! readers of the file (tests, `sqlite3`) never block the server.

use rusqlite::Connection;
use std::path::Path;

use crate::error::ApiError;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS members(
  id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, password_hash TEXT, status TEXT NOT NULL,
  email_verified INTEGER NOT NULL, profile TEXT NOT NULL, created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL, revision INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tokens(
  hash BLOB PRIMARY KEY, kind TEXT NOT NULL, client_id TEXT NOT NULL, role TEXT NOT NULL,
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
  hash BLOB PRIMARY KEY, kind TEXT NOT NULL, member_id TEXT NOT NULL, expires_ms INTEGER NOT NULL) WITHOUT ROWID;
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
    let mut conn = Connection::open(path)?;
    // WAL without fsync: every commit is in the OS page cache before its request is answered,
    // so data survives the process (kill, crash, restart) but not a power cut, which a dev
    // emulator can afford. With `synchronous=NORMAL` the checkpoint fsyncs stalled the database
    // thread and halved the anonymous-grant throughput.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "OFF")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // Memory-mapped reads for lookups. The page cache stays at SQLite's default (2 MiB): a
    // 64 MiB one cost ~8 µs more CPU per token grant (perf: `pager_end_transaction` →
    // `pcache1TruncateUnsafe` walking the cache at each commit, 15 % of the samples).
    conn.pragma_update(None, "mmap_size", 268_435_456)?;
    conn.execute_batch(SCHEMA)?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// Brings a database written by an older emulator up to date (`PRAGMA user_version`):
/// 1 = token keys carry a mint time (`tokens::token_key`); before, they were hex SHA-256 text,
/// which becomes the zero-time key `store::token` falls back to, so old tokens keep working.
/// 2 = the same for `grants` (session tokens, site sessions, reset links).
fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version < 1 {
        tx.execute("UPDATE tokens SET hash = unhex('000000000000' || hash) WHERE typeof(hash) = 'text'", [])?;
        tx.pragma_update(None, "user_version", 1)?;
    }
    if version < 2 {
        tx.execute("UPDATE grants SET hash = unhex('000000000000' || hash) WHERE typeof(hash) = 'text'", [])?;
        tx.pragma_update(None, "user_version", 2)?;
    }
    tx.commit()
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
        // A job that panicked drops its sender: that request fails, the thread lives on (in
        // dev and test builds; the workspace's release profile aborts on panic).
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

mod flows;
mod members;
mod outbox;
mod tokens;

pub use flows::*;
pub use members::*;
pub use outbox::*;
pub use tokens::*;
