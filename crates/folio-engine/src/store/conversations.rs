//! Conversations: create, list, read, rename, delete.

use super::{now, parse_time, Store};
use crate::error::{EngineError, Result};
use folio_core::{Conversation, ConversationState, ConversationSummary, ListQuery, SortKey};
use rusqlite::{params, OptionalExtension};

impl Store {
    pub fn create_conversation(&self, name: &str, description: Option<&str>) -> Result<String> {
        let id = new_id();
        let at = now();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO conversations(id, name, description, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                params![id, name, description, at],
            )?;
            Ok(())
        })?;
        Ok(id)
    }

    pub fn list_conversations(&self, query: &ListQuery) -> Result<Vec<ConversationSummary>> {
        let column = match query.sort_key.unwrap_or_default() {
            SortKey::CreatedAt => "created_at",
            SortKey::UpdatedAt => "updated_at",
        };
        // Newest first unless asked otherwise, like AI Hub.
        let order = if query.ascending.unwrap_or(false) { "ASC" } else { "DESC" };
        let pattern = query.search.as_deref().map(|s| format!("%{}%", s.replace('%', "\\%").replace('_', "\\_")));
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT id, name, description, created_at, updated_at FROM conversations
             WHERE ?1 IS NULL OR name LIKE ?1 ESCAPE '\\' OR description LIKE ?1 ESCAPE '\\'
             ORDER BY {column} {order}, rowid {order}"
        ))?;
        let rows = stmt.query_map(params![pattern], |r| {
            Ok(ConversationSummary {
                id: r.get(0)?,
                name: r.get(1)?,
                description: r.get(2)?,
                created_at: parse_time(r.get(3)?),
                updated_at: parse_time(r.get(4)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn get_conversation(&self, id: &str) -> Result<Conversation> {
        let summary = {
            let conn = self.conn();
            conn.query_row(
                "SELECT id, name, description, created_at, updated_at FROM conversations WHERE id = ?1",
                [id],
                |r| {
                    Ok(ConversationSummary {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        description: r.get(2)?,
                        created_at: parse_time(r.get(3)?),
                        updated_at: parse_time(r.get(4)?),
                    })
                },
            )
            .optional()?
            .ok_or_else(|| not_found(id))?
        };
        let documents = self.documents_of(id)?;
        // AI Hub's words: RUNNING "still processing", COMPLETE "ready to converse",
        // FAILED "not able to process any of the uploaded files". So a conversation whose
        // every document failed (or was cancelled) is FAILED, not COMPLETE; one usable
        // document makes it COMPLETE (the others' failures show per document).
        let state = if documents.iter().any(|d| !d.state.is_settled()) {
            ConversationState::Running
        } else if !documents.is_empty() && documents.iter().all(|d| d.state == folio_core::DocumentState::Failed) {
            ConversationState::Failed
        } else {
            ConversationState::Complete
        };
        Ok(Conversation {
            id: summary.id,
            name: summary.name,
            description: summary.description,
            state,
            documents,
            created_at: summary.created_at,
            updated_at: summary.updated_at,
        })
    }

    pub fn update_conversation(&self, id: &str, name: Option<&str>, description: Option<&str>) -> Result<()> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE conversations SET name = COALESCE(?2, name), description = COALESCE(?3, description),
                 updated_at = ?4 WHERE id = ?1",
                params![id, name, description, now()],
            )?;
            if n == 0 {
                return Err(not_found(id));
            }
            Ok(())
        })
    }

    /// Deletes a conversation with its documents, passages and chat; returns the ids of
    /// the documents removed (so their work can be cancelled) and the stored copies no
    /// document refers to any more.
    pub fn delete_conversation(&self, id: &str) -> Result<(Vec<i64>, Vec<String>)> {
        self.write(|tx| {
            let exists: Option<String> =
                tx.query_row("SELECT id FROM conversations WHERE id = ?1", [id], |r| r.get(0)).optional()?;
            if exists.is_none() {
                return Err(not_found(id));
            }
            let ids: Vec<i64> = {
                let mut stmt = tx.prepare("SELECT id FROM documents WHERE conversation_id = ?1")?;
                let ids = stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
                ids
            };
            let orphans = super::documents::delete_documents_tx(tx, &ids)?;
            tx.execute("DELETE FROM messages WHERE conversation_id = ?1", [id])?;
            tx.execute("DELETE FROM conversations WHERE id = ?1", [id])?;
            Ok((ids, orphans))
        })
    }

    pub(crate) fn touch_conversation(tx: &rusqlite::Transaction, id: &str) -> Result<()> {
        tx.execute("UPDATE conversations SET updated_at = ?2 WHERE id = ?1", params![id, now()])?;
        Ok(())
    }

    pub fn conversation_exists(&self, id: &str) -> Result<bool> {
        let conn = self.conn();
        Ok(conn.query_row("SELECT 1 FROM conversations WHERE id = ?1", [id], |_| Ok(())).optional()?.is_some())
    }
}

pub fn not_found(id: &str) -> EngineError {
    EngineError::NotFound(format!("Conversation {id} was not found"))
}

/// A random-enough, sortable id without another dependency: time, process and a counter, hashed.
fn new_id() -> String {
    use sha2::{Digest, Sha256};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let seed = format!(
        "{}-{}-{}-{:p}",
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        &COUNTER
    );
    let digest = Sha256::digest(seed.as_bytes());
    digest[..12].iter().map(|b| format!("{b:02x}")).collect()
}
