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
/// `Embedding` comes after `Indexing` on engines that make passage vectors: the document
/// already answers (keyword search), so its coarse state is `Processed`, but work goes on
/// until `Ready`; its progress counts pages whose passages all have vectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum DocumentStage {
    Waiting,
    Reading,
    RecognisingText,
    Indexing,
    Embedding,
    Ready,
    Failed,
    Cancelled,
}

impl DocumentStage {
    pub fn is_terminal(self) -> bool {
        matches!(self, DocumentStage::Ready | DocumentStage::Failed | DocumentStage::Cancelled)
    }

    /// True when the document can be asked (all its text is indexed), even if work on it
    /// continues (`Embedding`).
    pub fn is_askable(self) -> bool {
        matches!(self, DocumentStage::Ready | DocumentStage::Embedding)
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
        Document { id, name: name.into(), state, stage, progress: None, failure_reason: None, uploaded_at: None }
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
    /// AI Hub's list: one entry per page, each with its `layout` (seed 001).
    #[ts(type = "Array<unknown>")]
    pub metadata: Vec<serde_json::Value>,
    /// Facts about the whole document that AI Hub's shape has no place for (the local
    /// engine's kind, stage, size, OCR and passages); None from AI Hub itself.
    #[serde(default)]
    #[ts(type = "unknown")]
    pub document: Option<serde_json::Value>,
}

/// How the page viewer shows a page: PDF and image pages as pictures from the engine
/// (boxes drawn over them), text formats as their text (passages highlighted by range).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum PageKind {
    Pdf,
    Image,
    Text,
}

/// One passage of a page: where it is in the page's text and on the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PagePassage {
    #[ts(type = "number")]
    pub passage_id: i64,
    /// Unicode scalar offsets into `PageView::text`, as citations and search give them.
    pub char_start: u32,
    pub char_end: u32,
    /// The same range in UTF-16 code units, as JavaScript indexes strings.
    pub utf16_start: u32,
    pub utf16_end: u32,
    /// Line boxes in page units (see `PageView::width`); empty for text formats.
    pub boxes: Vec<crate::BoundingBox>,
}

/// One page of a document, for the viewer beside the chat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PageView {
    #[ts(type = "number")]
    pub document_id: DocumentId,
    /// 1-based.
    pub page: u32,
    pub page_count: u32,
    /// How to name the page where it has no number ("slide 3", "paragraphs 1-40").
    pub label: Option<String>,
    pub kind: PageKind,
    /// Page size in the units of the passage boxes, top-left origin: PDF points for
    /// PDF pages (OCR'd ones too), pixels for image pages; 0 for text formats.
    pub width: f32,
    pub height: f32,
    pub text: String,
    pub passages: Vec<PagePassage>,
    /// Tesseract's mean word confidence (0-100) when the page was recognised by OCR.
    pub ocr_confidence: Option<f32>,
}

/// What the document panel shows (the local engine; AI Hub documents have less).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DocumentDetails {
    #[ts(type = "number")]
    pub id: DocumentId,
    pub name: String,
    /// What the content turned out to be: "pdf", "docx", "png", ... (None until read).
    pub kind: Option<String>,
    pub stage: DocumentStage,
    pub page_count: Option<u32>,
    #[ts(type = "number")]
    pub size_bytes: u64,
    pub ocr_used: bool,
    pub ocr_pages: u32,
    pub ocr_mean_confidence: Option<f32>,
    #[ts(type = "number")]
    pub passages: u64,
    #[ts(type = "number")]
    pub embedded_passages: u64,
    /// Size of the first page in its units (points or pixels), where pages have one.
    pub page_width: Option<f32>,
    pub page_height: Option<f32>,
    pub failure_reason: Option<String>,
    pub uploaded_at: Option<DateTime<Utc>>,
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

    #[test]
    fn embedding_is_askable_but_not_finished() {
        assert!(DocumentStage::Embedding.is_askable() && !DocumentStage::Embedding.is_terminal());
        assert!(DocumentStage::Ready.is_askable() && DocumentStage::Ready.is_terminal());
        assert!(!DocumentStage::Indexing.is_askable() && !DocumentStage::Failed.is_askable());
        assert_eq!(serde_json::to_string(&DocumentStage::Embedding).unwrap(), "\"embedding\"");
    }
}
