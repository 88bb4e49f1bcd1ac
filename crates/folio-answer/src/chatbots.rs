//! Local chatbots: a named collection of documents that answers queries in one go. A
//! chatbot made from files or a folder owns a conversation of its own (hidden from the
//! conversation list, deleted with the chatbot); one made from an existing conversation
//! only points at it, so its documents are never copied or read twice.

use crate::error::{AnswerError, Result};
use folio_core::{Chatbot, ChatbotEntry};
use folio_engine::Engine;
use rusqlite::{params, OptionalExtension};

pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS chatbots (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    description       TEXT,
    conversation_id   TEXT NOT NULL,   -- whose documents it answers from
    owns_conversation INTEGER NOT NULL, -- 1: made from files, the conversation goes with it
    created_at        TEXT NOT NULL
);";

pub fn insert(
    engine: &Engine,
    name: &str,
    description: Option<&str>,
    conversation_id: &str,
    owns: bool,
) -> Result<ChatbotEntry> {
    let id = format!("cb-{}", new_id());
    engine.store().conn().execute(
        "INSERT INTO chatbots(id, name, description, conversation_id, owns_conversation, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, name, description, conversation_id, owns as i64, chrono::Utc::now().to_rfc3339()],
    )?;
    Ok(ChatbotEntry {
        chatbot: Chatbot { id, name: name.to_string(), description: description.map(str::to_string) },
        conversation_id: conversation_id.to_string(),
        owns_documents: owns,
    })
}

pub fn list(engine: &Engine) -> Result<Vec<ChatbotEntry>> {
    let conn = engine.store().conn();
    let mut stmt = conn.prepare(
        "SELECT id, name, description, conversation_id, owns_conversation FROM chatbots ORDER BY created_at, id",
    )?;
    let rows = stmt.query_map([], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get(engine: &Engine, id: &str) -> Result<ChatbotEntry> {
    let conn = engine.store().conn();
    conn.query_row(
        "SELECT id, name, description, conversation_id, owns_conversation FROM chatbots WHERE id = ?1",
        [id],
        row,
    )
    .optional()?
    .ok_or_else(|| AnswerError::NotFound(format!("Chatbot {id} was not found")))
}

pub fn delete(engine: &Engine, id: &str) -> Result<ChatbotEntry> {
    let found = get(engine, id)?;
    engine.store().conn().execute("DELETE FROM chatbots WHERE id = ?1", [id])?;
    Ok(found)
}

/// Renames a chatbot; the description is replaced too (None clears it).
pub fn rename(engine: &Engine, id: &str, name: &str, description: Option<&str>) -> Result<()> {
    let changed = engine
        .store()
        .conn()
        .execute("UPDATE chatbots SET name = ?2, description = ?3 WHERE id = ?1", params![id, name, description])?;
    if changed == 0 {
        return Err(AnswerError::NotFound(format!("Chatbot {id} was not found")));
    }
    Ok(())
}

/// Conversations that exist only to hold a chatbot's documents.
pub fn owned_conversations(engine: &Engine) -> Result<Vec<String>> {
    let conn = engine.store().conn();
    let mut stmt = conn.prepare("SELECT conversation_id FROM chatbots WHERE owns_conversation = 1")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn row(r: &rusqlite::Row) -> rusqlite::Result<ChatbotEntry> {
    Ok(ChatbotEntry {
        chatbot: Chatbot { id: r.get(0)?, name: r.get(1)?, description: r.get(2)? },
        conversation_id: r.get(3)?,
        owns_documents: r.get::<_, i64>(4)? == 1,
    })
}

/// Unique enough for local ids: time in nanoseconds plus a process-wide counter.
pub fn new_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{:x}{:04x}{:x}", nanos, COUNTER.fetch_add(1, Ordering::Relaxed) & 0xffff, std::process::id())
}
