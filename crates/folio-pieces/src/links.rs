//! Which local-engine conversation holds the documents of a Pieces conversation. The
//! table lives in the engine's SQLite database, beside the conversations it points at,
//! so a link survives restarts and goes with a backup of Folio's data.

use folio_engine::Engine;
use rusqlite::{params, OptionalExtension};

pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS pieces_links (
    pieces_id  TEXT PRIMARY KEY,        -- the Pieces OS conversation (holds the chat)
    local_id   TEXT NOT NULL UNIQUE,    -- the engine conversation (holds the documents)
    created_at TEXT NOT NULL
);";

pub fn create_table(engine: &Engine) -> rusqlite::Result<()> {
    engine.store().conn().execute_batch(SCHEMA)
}

pub fn insert(engine: &Engine, pieces_id: &str, local_id: &str) -> rusqlite::Result<()> {
    engine.store().conn().execute(
        "INSERT OR REPLACE INTO pieces_links(pieces_id, local_id, created_at) VALUES (?1, ?2, ?3)",
        params![pieces_id, local_id, chrono::Utc::now().to_rfc3339()],
    )?;
    Ok(())
}

pub fn local_id(engine: &Engine, pieces_id: &str) -> rusqlite::Result<Option<String>> {
    engine
        .store()
        .conn()
        .query_row("SELECT local_id FROM pieces_links WHERE pieces_id = ?1", [pieces_id], |r| r.get(0))
        .optional()
}

pub fn remove(engine: &Engine, pieces_id: &str) -> rusqlite::Result<()> {
    engine.store().conn().execute("DELETE FROM pieces_links WHERE pieces_id = ?1", [pieces_id])?;
    Ok(())
}
