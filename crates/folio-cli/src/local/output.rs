//! What `folio local` prints: AI Hub's wire shapes (as `folio aihub` prints them) built
//! from folio-core's types, plus the local engine's extra detail (stage, pages,
//! failure reason) as additional fields a script written for AI Hub simply ignores.

use folio_core::{
    Conversation, ConversationSummary, Document, DocumentMetadata, DocumentProgress, DocumentStage, UploadStatus,
};
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

/// AI Hub's keys (one `metadata` entry per page), then the local engine's facts about
/// the whole document as `folio` when there are any (as `folio serve` sends them).
pub fn metadata(m: &DocumentMetadata) -> Value {
    let mut out = json!({"id": m.id, "name": m.name, "ibdoc_path": m.digitized_path, "page_count": m.page_count, "metadata": m.metadata});
    if let Some(document) = &m.document {
        out["folio"] = document.clone();
    }
    out
}

/// One line on stderr per change of a document: "report.pdf: reading 12/40 pages".
pub fn report_progress(p: DocumentProgress) {
    let stage = match p.stage {
        DocumentStage::Waiting => "waiting",
        DocumentStage::Reading => "reading",
        DocumentStage::RecognisingText => "recognising text",
        DocumentStage::Indexing => "indexing",
        DocumentStage::Embedding => "embedding (askable)",
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

/// The word the JSON uses for which search answers: keywords alone, or keywords and meaning.
pub fn search_word(meaning: bool) -> &'static str {
    if meaning {
        "keywords+meaning"
    } else {
        "keywords"
    }
}

/// Passages of the conversation's searchable documents that have no vector yet.
pub fn passages_without_vectors(engine: &folio_engine::Engine, conversation_id: &str) -> anyhow::Result<i64> {
    Ok(engine.store().passages_without_vectors(Some(conversation_id)).map_err(folio_core::Error::from)?)
}

fn bboxes(boxes: &[folio_core::BoundingBox]) -> Vec<Value> {
    boxes
        .iter()
        .map(|b| json!({"top_x": b.top_x, "top_y": b.top_y, "bottom_x": b.bottom_x, "bottom_y": b.bottom_y}))
        .collect()
}

/// Converse's answer: AI Hub's `{prompt_id, answer}` plus where it comes from (each
/// source with document, page, quoted passage and boxes), whether it was quoted, and
/// each sentence's proof.
pub fn answer(a: &folio_core::Answer) -> Value {
    json!({
        "prompt_id": a.prompt_id,
        "answer": a.text,
        "kind": a.kind,
        "sources": a.sources.iter().map(|s| json!({
            "document_id": s.document_id,
            "document_name": s.document_name,
            "page_number": s.page,
            "passage": s.passage,
            "bboxes": bboxes(&s.boxes),
        })).collect::<Vec<_>>(),
        // Folio's own check of each sentence: the source (index into `sources`) and the
        // document's sentence that says it, or "not_found".
        "sentences": a.sentences.iter().map(|s| json!({
            "text": s.text,
            "support": match s.support { folio_core::Support::Supported => "supported", folio_core::Support::NotFound => "not_found" },
            "source": s.source,
            "evidence": s.evidence,
            "bboxes": bboxes(&s.boxes),
        })).collect::<Vec<_>>(),
    })
}

/// A query's status in AI Hub's shape: results with `source_documents`, each with its
/// pages and their boxes.
pub fn query_status(s: &folio_core::QueryStatus) -> Value {
    let state = match &s.state {
        folio_core::QueryState::Running => "RUNNING".to_string(),
        folio_core::QueryState::Complete => "COMPLETE".to_string(),
        folio_core::QueryState::Failed => "FAILED".to_string(),
        folio_core::QueryState::Unknown(w) => w.clone(),
    };
    let results: Vec<Value> = s
        .results
        .iter()
        .map(|r| {
            let mut docs: Vec<(String, Vec<Value>)> = Vec::new();
            for src in &r.sources {
                let page = json!({"page_number": src.page, "bboxes": bboxes(&src.boxes)});
                match docs.iter_mut().find(|(n, _)| *n == src.document_name) {
                    Some((_, pages)) => pages.push(page),
                    None => docs.push((src.document_name.clone(), vec![page])),
                }
            }
            let mut v = json!({"response": r.response});
            if !docs.is_empty() {
                v["source_documents"] =
                    docs.into_iter().map(|(name, pages)| json!({"name": name, "pages": pages})).collect();
            }
            v
        })
        .collect();
    let mut v = json!({"query_id": s.query_id, "status": state});
    if !results.is_empty() || s.state == folio_core::QueryState::Complete {
        v["results"] = Value::Array(results);
    }
    if let Some(e) = &s.error {
        v["error"] = json!(e);
    }
    v
}
