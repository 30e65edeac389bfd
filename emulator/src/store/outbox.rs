//! The emails the emulator "sends" (`/_emulator/outbox`).

use rusqlite::{params, Connection};

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
