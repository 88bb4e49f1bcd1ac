//! Local chatbots: a name over a conversation's documents. folio-answer decides what a
//! chatbot is (ids, which conversation it owns); this is where the rows live.

use super::Store;
use crate::error::Result;
use folio_core::{Chatbot, ChatbotEntry};
use rusqlite::{params, OptionalExtension};

const COLUMNS: &str = "id, name, description, conversation_id, owns_conversation";

impl Store {
    pub fn insert_chatbot(&self, entry: &ChatbotEntry) -> Result<()> {
        self.conn().execute(
            &format!("INSERT INTO chatbots({COLUMNS}, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
            params![
                entry.chatbot.id,
                entry.chatbot.name,
                entry.chatbot.description,
                entry.conversation_id,
                entry.owns_documents as i64,
                chrono::Utc::now().to_rfc3339()
            ],
        )?;
        Ok(())
    }

    /// Every chatbot, oldest first.
    pub fn chatbots(&self) -> Result<Vec<ChatbotEntry>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM chatbots ORDER BY created_at, id"))?;
        let rows = stmt.query_map([], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn chatbot(&self, id: &str) -> Result<Option<ChatbotEntry>> {
        Ok(self.conn().query_row(&format!("SELECT {COLUMNS} FROM chatbots WHERE id = ?1"), [id], row).optional()?)
    }

    pub fn delete_chatbot(&self, id: &str) -> Result<()> {
        self.conn().execute("DELETE FROM chatbots WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Renames a chatbot and replaces its description; false when there is no such chatbot.
    pub fn rename_chatbot(&self, id: &str, name: &str, description: Option<&str>) -> Result<bool> {
        let changed = self
            .conn()
            .execute("UPDATE chatbots SET name = ?2, description = ?3 WHERE id = ?1", params![id, name, description])?;
        Ok(changed > 0)
    }

    /// Conversations that exist only to hold a chatbot's documents.
    pub fn chatbot_owned_conversations(&self) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT conversation_id FROM chatbots WHERE owns_conversation = 1")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn row(r: &rusqlite::Row) -> rusqlite::Result<ChatbotEntry> {
    Ok(ChatbotEntry {
        chatbot: Chatbot { id: r.get(0)?, name: r.get(1)?, description: r.get(2)? },
        conversation_id: r.get(3)?,
        owns_documents: r.get::<_, i64>(4)? == 1,
    })
}
