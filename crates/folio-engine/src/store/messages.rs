//! Chat history, kept with the conversation (the answering engine, issue 5, writes it).

use super::{now, parse_time, Store};
use crate::error::Result;
use rusqlite::params;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub id: i64,
    pub role: String,
    pub content: String,
    /// JSON array of folio_core::Source, as the answer cited them.
    pub sources: Option<serde_json::Value>,
    pub created_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Store {
    pub fn add_message(
        &self,
        conversation_id: &str,
        role: &str,
        content: &str,
        sources: Option<&serde_json::Value>,
    ) -> Result<i64> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO messages(conversation_id, role, content, sources, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![conversation_id, role, content, sources.map(|s| s.to_string()), now()],
            )?;
            let id = tx.last_insert_rowid();
            Store::touch_conversation(tx, conversation_id)?;
            Ok(id)
        })
    }

    /// A question and its answer in one transaction, so a kill -9 between the two can
    /// never leave a question without its answer. Returns the answer's id.
    pub fn add_exchange(
        &self,
        conversation_id: &str,
        question: &str,
        answer: &str,
        sources: Option<&serde_json::Value>,
    ) -> Result<i64> {
        self.write(|tx| {
            let mut insert = tx.prepare_cached(
                "INSERT INTO messages(conversation_id, role, content, sources, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            let at = now();
            insert.execute(params![conversation_id, "user", question, None::<String>, at])?;
            insert.execute(params![conversation_id, "assistant", answer, sources.map(|s| s.to_string()), at])?;
            let id = tx.last_insert_rowid();
            Store::touch_conversation(tx, conversation_id)?;
            Ok(id)
        })
    }

    pub fn messages(&self, conversation_id: &str) -> Result<Vec<Message>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, role, content, sources, created_at FROM messages WHERE conversation_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([conversation_id], |r| {
            let sources: Option<String> = r.get(3)?;
            Ok(Message {
                id: r.get(0)?,
                role: r.get(1)?,
                content: r.get(2)?,
                sources: sources.and_then(|s| serde_json::from_str(&s).ok()),
                created_at: parse_time(r.get(4)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
