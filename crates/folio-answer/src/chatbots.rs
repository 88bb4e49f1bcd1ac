//! Local chatbots: a named collection of documents that answers queries in one go. A
//! chatbot made from files or a folder owns a conversation of its own (hidden from the
//! conversation list, deleted with the chatbot); one made from an existing conversation
//! only points at it, so its documents are never copied or read twice.

use crate::error::{AnswerError, Result};
use folio_core::{Chatbot, ChatbotEntry};
use folio_engine::Engine;

pub fn insert(
    engine: &Engine,
    name: &str,
    description: Option<&str>,
    conversation_id: &str,
    owns: bool,
) -> Result<ChatbotEntry> {
    let entry = ChatbotEntry {
        chatbot: Chatbot {
            id: format!("cb-{}", new_id()),
            name: name.to_string(),
            description: description.map(str::to_string),
        },
        conversation_id: conversation_id.to_string(),
        owns_documents: owns,
    };
    engine.store().insert_chatbot(&entry)?;
    Ok(entry)
}

pub fn list(engine: &Engine) -> Result<Vec<ChatbotEntry>> {
    Ok(engine.store().chatbots()?)
}

pub fn get(engine: &Engine, id: &str) -> Result<ChatbotEntry> {
    engine.store().chatbot(id)?.ok_or_else(|| not_found(id))
}

pub fn delete(engine: &Engine, id: &str) -> Result<ChatbotEntry> {
    let found = get(engine, id)?;
    engine.store().delete_chatbot(id)?;
    Ok(found)
}

/// Renames a chatbot; the description is replaced too (None clears it).
pub fn rename(engine: &Engine, id: &str, name: &str, description: Option<&str>) -> Result<()> {
    if !engine.store().rename_chatbot(id, name, description)? {
        return Err(not_found(id));
    }
    Ok(())
}

/// Conversations that exist only to hold a chatbot's documents.
pub fn owned_conversations(engine: &Engine) -> Result<Vec<String>> {
    Ok(engine.store().chatbot_owned_conversations()?)
}

fn not_found(id: &str) -> AnswerError {
    AnswerError::NotFound(format!("Chatbot {id} was not found"))
}

/// Unique enough for local ids: time in nanoseconds plus a process-wide counter.
pub fn new_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{:x}{:04x}{:x}", nanos, COUNTER.fetch_add(1, Ordering::Relaxed) & 0xffff, std::process::id())
}
