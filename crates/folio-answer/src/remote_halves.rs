//! Local conversations that are the local half of a conversation on another backend:
//! Airia and Pieces OS hold the chat, and a local-engine conversation holds its
//! documents (and Folio's record of the turns). Those halves belong to that backend, so
//! the "On this computer" list, `folio local` and `folio serve` never show them.

use crate::error::Result;
use folio_core::BackendKind;
use folio_engine::Engine;
use rusqlite::params;

pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS remote_halves (
    local_id TEXT PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
    backend  TEXT NOT NULL  -- 'airia' or 'pieces': who shows this conversation
);";

/// Where Folio kept the halves before this table, per backend. A data folder written by
/// such a Folio has them only there: they are adopted when the table is first made.
const EARLIER_RECORDS: &[(&str, BackendKind)] =
    &[("airia_conversations", BackendKind::Airia), ("pieces_links", BackendKind::Pieces)];

fn name(backend: BackendKind) -> String {
    serde_json::to_value(backend).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// Creates the table and adopts halves recorded the earlier way (idempotent).
pub fn create(engine: &Engine) -> Result<()> {
    let conn = engine.store().conn();
    conn.execute_batch(SCHEMA)?;
    for (table, backend) in EARLIER_RECORDS {
        let exists: bool = conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
            [table],
            |r| r.get(0),
        )?;
        if exists {
            conn.execute(
                &format!(
                    "INSERT OR IGNORE INTO remote_halves(local_id, backend)
                     SELECT local_id, ?1 FROM {table} WHERE local_id IN (SELECT id FROM conversations)"
                ),
                [name(*backend)],
            )?;
        }
    }
    Ok(())
}

/// Marks `local_id` as the local half of a conversation on `backend`.
pub fn hold(engine: &Engine, local_id: &str, backend: BackendKind) -> Result<()> {
    engine.store().conn().execute(
        "INSERT OR REPLACE INTO remote_halves(local_id, backend) VALUES (?1, ?2)",
        params![local_id, name(backend)],
    )?;
    Ok(())
}

/// The local halves `backend` holds, or every backend's when `None`.
pub fn held(engine: &Engine, backend: Option<BackendKind>) -> Result<Vec<String>> {
    let conn = engine.store().conn();
    let mut stmt = conn.prepare("SELECT local_id FROM remote_halves WHERE ?1 IS NULL OR backend = ?1")?;
    let rows = stmt.query_map([backend.map(name)], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
