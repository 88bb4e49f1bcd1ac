//! Documents inside a conversation, and where each one is in its processing.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// AI Hub's document ids are JSON integers; the local engine uses the same.
pub type DocumentId = i64;

/// The coarse state every backend reports (AI Hub: PROCESSING / PROCESSED / FAILED).
/// A state a backend invents later is kept as `Unknown` instead of failing to parse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum DocumentState {
    Processing,
    Processed,
    Failed,
    Unknown(String),
}

impl DocumentState {
    /// Maps a backend's state word (any case) to a state, keeping unknown words.
    pub fn from_wire(word: &str) -> Self {
        match word.to_ascii_uppercase().as_str() {
            "PROCESSING" => DocumentState::Processing,
            "PROCESSED" => DocumentState::Processed,
            "FAILED" => DocumentState::Failed,
            _ => DocumentState::Unknown(word.to_string()),
        }
    }

    pub fn is_settled(&self) -> bool {
        !matches!(self, DocumentState::Processing)
    }
}

/// The fine-grained stage a person sees ("reading", "recognising text", ...).
/// Backends that only know the coarse state report `Waiting`, `Ready` or `Failed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum DocumentStage {
    Waiting,
    Reading,
    RecognisingText,
    Indexing,
    Ready,
    Failed,
    Cancelled,
}

impl DocumentStage {
    pub fn is_terminal(self) -> bool {
        matches!(self, DocumentStage::Ready | DocumentStage::Failed | DocumentStage::Cancelled)
    }
}

impl From<&DocumentState> for DocumentStage {
    fn from(state: &DocumentState) -> Self {
        match state {
            DocumentState::Processing | DocumentState::Unknown(_) => DocumentStage::Waiting,
            DocumentState::Processed => DocumentStage::Ready,
            DocumentState::Failed => DocumentStage::Failed,
        }
    }
}

/// Pages done of total; `total` is unknown until the file has been opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PageProgress {
    pub done: u32,
    pub total: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    #[ts(type = "number")]
    pub id: DocumentId,
    pub name: String,
    pub state: DocumentState,
    pub stage: DocumentStage,
    pub progress: Option<PageProgress>,
    /// Why processing failed, in words a person can act on.
    pub failure_reason: Option<String>,
    pub uploaded_at: Option<DateTime<Utc>>,
}

impl Document {
    /// A document as a backend that only knows the coarse state describes it.
    pub fn from_state(id: DocumentId, name: impl Into<String>, state: DocumentState) -> Self {
        let stage = DocumentStage::from(&state);
        Document {
            id,
            name: name.into(),
            state,
            stage,
            progress: None,
            failure_reason: None,
            uploaded_at: None,
        }
    }
}

/// What a backend knows about one document beyond its state: page count, where its
/// digitized form lives, and free-form metadata entries (AI Hub's `metadata` list).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DocumentMetadata {
    #[ts(type = "number")]
    pub id: DocumentId,
    pub name: String,
    pub page_count: Option<u32>,
    /// AI Hub's `ibdoc_path`; the local engine's stored copy.
    pub digitized_path: Option<String>,
    #[ts(type = "Array<unknown>")]
    pub metadata: Vec<serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_states_are_kept() {
        assert_eq!(DocumentState::from_wire("PROCESSED"), DocumentState::Processed);
        assert_eq!(DocumentState::from_wire("processing"), DocumentState::Processing);
        assert_eq!(DocumentState::from_wire("QUEUED"), DocumentState::Unknown("QUEUED".into()));
        assert!(!DocumentState::Processing.is_settled());
        assert!(DocumentState::Unknown("QUEUED".into()).is_settled());
    }
}
