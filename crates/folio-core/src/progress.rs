//! Live per-document progress. Backends report through a plain callback; the desktop
//! shell forwards it over a Tauri Channel, the CLI prints it. No backend knows which.

use crate::document::{DocumentId, DocumentStage, PageProgress};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DocumentProgress {
    pub conversation_id: String,
    #[ts(type = "number")]
    pub document_id: DocumentId,
    pub name: String,
    pub stage: DocumentStage,
    pub progress: Option<PageProgress>,
    pub failure_reason: Option<String>,
}

/// Receives every change of a document's stage or page count. Must not block.
pub type ProgressSink = Arc<dyn Fn(DocumentProgress) + Send + Sync>;
