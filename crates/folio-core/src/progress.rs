//! Live per-document progress. Backends report through a plain callback; the desktop
//! shell forwards it over a Tauri Channel, the CLI prints it. No backend knows which.

use crate::conversation::Conversation;
use crate::document::{DocumentId, DocumentStage, PageProgress};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
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

/// Turns successive snapshots of a conversation into progress events: each document is
/// reported when first seen and whenever its stage, pages or failure reason change.
/// Every backend that follows a conversation by looking at it uses this one.
pub struct ProgressReporter {
    sink: ProgressSink,
    reported: HashMap<DocumentId, (DocumentStage, Option<PageProgress>, Option<String>)>,
}

impl ProgressReporter {
    pub fn new(sink: ProgressSink) -> Self {
        ProgressReporter { sink, reported: HashMap::new() }
    }

    /// Reports what changed in a snapshot of the conversation.
    pub fn report(&mut self, conversation: &Conversation) {
        for doc in &conversation.documents {
            self.forward(DocumentProgress {
                conversation_id: conversation.id.clone(),
                document_id: doc.id,
                name: doc.name.clone(),
                stage: doc.stage,
                progress: doc.progress,
                failure_reason: doc.failure_reason.clone(),
            });
        }
    }

    /// Passes on one event unless it says nothing new about its document.
    pub fn forward(&mut self, progress: DocumentProgress) {
        let now = (progress.stage, progress.progress, progress.failure_reason.clone());
        if self.reported.get(&progress.document_id) != Some(&now) {
            self.reported.insert(progress.document_id, now);
            (self.sink)(progress);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conversation::ConversationState;
    use crate::document::{Document, DocumentState};
    use std::sync::Mutex;

    #[test]
    fn reports_each_document_once_per_change() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink_seen = seen.clone();
        let mut reporter = ProgressReporter::new(Arc::new(move |p: DocumentProgress| {
            sink_seen.lock().unwrap().push((p.document_id, p.stage));
        }));
        let mut conversation = Conversation {
            id: "c".into(),
            name: "c".into(),
            description: None,
            state: ConversationState::Running,
            documents: vec![Document::from_state(1, "a.pdf", DocumentState::Processing)],
            created_at: None,
            updated_at: None,
        };
        reporter.report(&conversation);
        reporter.report(&conversation);
        conversation.documents[0] = Document::from_state(1, "a.pdf", DocumentState::Processed);
        conversation.documents.push(Document::from_state(2, "b.pdf", DocumentState::Failed));
        reporter.report(&conversation);
        assert_eq!(
            *seen.lock().unwrap(),
            vec![(1, DocumentStage::Waiting), (1, DocumentStage::Ready), (2, DocumentStage::Failed)]
        );
    }
}
