//! Folio's own index of the Airia conversations it created. Airia has no list
//! endpoint, so this table (in the engine's SQLite, next to the documents and the chat
//! history) is how Folio lists them and finds the Airia conversation behind a Folio one.

use crate::error::AiriaError;
use folio_engine::Engine;
use rusqlite::{params, OptionalExtension};

pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS airia_conversations (
    local_id   TEXT PRIMARY KEY, -- the engine's conversation: documents and history
    airia_id   TEXT NOT NULL,    -- Airia's conversationId: the chat
    title      TEXT NOT NULL,    -- the title Airia was given at creation
    created_at TEXT NOT NULL
);";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexRow {
    pub local_id: String,
    pub airia_id: String,
    pub title: String,
    pub created_at: String,
}

fn db(e: rusqlite::Error) -> AiriaError {
    AiriaError::Index(e.to_string())
}

pub fn create(engine: &Engine) -> Result<(), AiriaError> {
    engine.store().conn().execute_batch(SCHEMA).map_err(db)
}

pub fn insert(engine: &Engine, local_id: &str, airia_id: &str, title: &str) -> Result<(), AiriaError> {
    engine
        .store()
        .conn()
        .execute(
            "INSERT INTO airia_conversations(local_id, airia_id, title, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![local_id, airia_id, title, chrono::Utc::now().to_rfc3339()],
        )
        .map(|_| ())
        .map_err(db)
}

pub fn get(engine: &Engine, local_id: &str) -> Result<Option<IndexRow>, AiriaError> {
    engine
        .store()
        .conn()
        .query_row(
            "SELECT local_id, airia_id, title, created_at FROM airia_conversations WHERE local_id = ?1",
            [local_id],
            |r| Ok(IndexRow { local_id: r.get(0)?, airia_id: r.get(1)?, title: r.get(2)?, created_at: r.get(3)? }),
        )
        .optional()
        .map_err(db)
}

pub fn list(engine: &Engine) -> Result<Vec<IndexRow>, AiriaError> {
    let conn = engine.store().conn();
    let mut stmt = conn
        .prepare("SELECT local_id, airia_id, title, created_at FROM airia_conversations ORDER BY created_at, local_id")
        .map_err(db)?;
    let rows = stmt
        .query_map([], |r| {
            Ok(IndexRow { local_id: r.get(0)?, airia_id: r.get(1)?, title: r.get(2)?, created_at: r.get(3)? })
        })
        .map_err(db)?;
    rows.collect::<rusqlite::Result<_>>().map_err(db)
}

pub fn rename(engine: &Engine, local_id: &str, title: &str) -> Result<(), AiriaError> {
    engine
        .store()
        .conn()
        .execute("UPDATE airia_conversations SET title = ?2 WHERE local_id = ?1", params![local_id, title])
        .map(|_| ())
        .map_err(db)
}

pub fn remove(engine: &Engine, local_id: &str) -> Result<(), AiriaError> {
    engine
        .store()
        .conn()
        .execute("DELETE FROM airia_conversations WHERE local_id = ?1", [local_id])
        .map(|_| ())
        .map_err(db)
}
