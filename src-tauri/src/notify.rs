//! A system notification when documents finish processing while Folio's window is in
//! the background, so a person can switch away during a long scan and come back.

use folio_core::{Conversation, DocumentStage};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

pub fn processing_finished<R: Runtime>(app: &AppHandle<R>, conversation: &Conversation) {
    let focused = app.get_webview_window("main").and_then(|w| w.is_focused().ok()).unwrap_or(false);
    if focused {
        return;
    }
    let body = summary(conversation);
    if let Err(e) = app.notification().builder().title(conversation.name.clone()).body(body).show() {
        // No notification service (a bare X session, say): the window still shows it.
        tracing::debug!("could not show a notification: {e}");
    }
}

/// "3 documents are ready", "2 ready, 1 failed".
fn summary(conversation: &Conversation) -> String {
    let count = |stage: DocumentStage| conversation.documents.iter().filter(|d| d.stage == stage).count();
    let (ready, failed) = (count(DocumentStage::Ready), count(DocumentStage::Failed));
    match (ready, failed) {
        (1, 0) => "1 document is ready to ask about".into(),
        (n, 0) => format!("{n} documents are ready to ask about"),
        (0, f) => format!("{f} {} could not be read", if f == 1 { "document" } else { "documents" }),
        (n, f) => format!("{n} ready, {f} could not be read"),
    }
}

#[cfg(test)]
mod tests {
    use super::summary;
    use folio_core::{Conversation, ConversationState, Document, DocumentState};

    #[test]
    fn the_notification_says_how_many_are_ready_and_how_many_failed() {
        let doc = |id, state| Document::from_state(id, "x.pdf", state);
        let conversation = |documents| Conversation {
            id: "c".into(),
            name: "Report".into(),
            description: None,
            state: ConversationState::Complete,
            documents,
            created_at: None,
            updated_at: None,
        };
        assert_eq!(summary(&conversation(vec![doc(1, DocumentState::Processed)])), "1 document is ready to ask about");
        assert_eq!(
            summary(&conversation(vec![doc(1, DocumentState::Processed), doc(2, DocumentState::Failed)])),
            "1 ready, 1 could not be read"
        );
        assert_eq!(summary(&conversation(vec![doc(1, DocumentState::Failed)])), "1 document could not be read");
    }
}
