//! What `folio local` prints: AI Hub's wire shapes (as `folio aihub` prints them) built
//! from folio-core's types, plus the local engine's extra detail (stage, pages,
//! failure reason) as additional fields a script written for AI Hub simply ignores.

use folio_core::{Conversation, ConversationSummary, Document, DocumentMetadata, DocumentProgress, DocumentStage, UploadStatus};
use serde::Serialize;
use serde_json::{json, Value};

pub fn print_json(value: &impl Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

pub fn print_empty() -> anyhow::Result<()> {
    println!("{{}}");
    Ok(())
}

pub fn upload_status(status: &UploadStatus) -> Value {
    json!({
        "success": status.succeeded.iter().map(|n| json!({"name": n})).collect::<Vec<_>>(),
        "failure": status.failed.iter().map(|f| json!({"name": f.name, "reason": f.reason})).collect::<Vec<_>>(),
    })
}

pub fn created(id: &str, name: &str, status: &UploadStatus) -> Value {
    json!({"id": id, "name": name, "upload_status": upload_status(status)})
}

pub fn list(conversations: &[ConversationSummary]) -> Value {
    json!({
        "conversations": conversations.iter().map(|c| json!({
            "id": c.id,
            "name": c.name,
            "description": c.description,
            "created_at": c.created_at,
            "updated_at": c.updated_at,
        })).collect::<Vec<_>>()
    })
}

fn state_word(state: &folio_core::DocumentState) -> String {
    match state {
        folio_core::DocumentState::Processing => "PROCESSING".into(),
        folio_core::DocumentState::Processed => "PROCESSED".into(),
        folio_core::DocumentState::Failed => "FAILED".into(),
        folio_core::DocumentState::Unknown(s) => s.clone(),
    }
}

pub fn document(d: &Document) -> Value {
    json!({
        "id": d.id,
        "name": d.name,
        "state": state_word(&d.state),
        "uploadTimestamp": d.uploaded_at.map(|t| t.to_rfc3339()),
        "stage": d.stage,
        "pages_done": d.progress.map(|p| p.done),
        "page_total": d.progress.and_then(|p| p.total),
        "failure_reason": d.failure_reason,
    })
}

pub fn conversation(c: &Conversation) -> Value {
    let state = match &c.state {
        folio_core::ConversationState::Running => "RUNNING".to_string(),
        folio_core::ConversationState::Complete => "COMPLETE".to_string(),
        folio_core::ConversationState::Failed => "FAILED".to_string(),
        folio_core::ConversationState::Unknown(s) => s.clone(),
    };
    json!({
        "id": c.id,
        "name": c.name,
        "description": c.description,
        "state": state,
        "documents": c.documents.iter().map(document).collect::<Vec<_>>(),
    })
}

pub fn metadata(m: &DocumentMetadata) -> Value {
    json!({"id": m.id, "name": m.name, "ibdoc_path": m.digitized_path, "page_count": m.page_count, "metadata": m.metadata})
}

/// One line on stderr per change of a document: "report.pdf: reading 12/40 pages".
pub fn report_progress(p: DocumentProgress) {
    let stage = match p.stage {
        DocumentStage::Waiting => "waiting",
        DocumentStage::Reading => "reading",
        DocumentStage::RecognisingText => "recognising text",
        DocumentStage::Indexing => "indexing",
        DocumentStage::Ready => "ready",
        DocumentStage::Failed => "failed",
        DocumentStage::Cancelled => "cancelled",
    };
    let pages = match p.progress {
        Some(g) => match g.total {
            Some(t) => format!(" {}/{t} pages", g.done),
            None => format!(" {} pages", g.done),
        },
        None => String::new(),
    };
    let reason = p.failure_reason.map(|r| format!(": {r}")).unwrap_or_default();
    eprintln!("{} (document {}): {stage}{pages}{reason}", p.name, p.document_id);
}
