//! AI Hub's wire shapes turned into folio-core's backend-neutral types.

use crate::wire;
use folio_core::{
    Answer, AnswerKind, BoundingBox, Conversation, ConversationState, ConversationSummary, Document, DocumentDetails,
    DocumentMetadata, DocumentState, QueryResult, QueryState, QueryStatus, Source, UploadFailure, UploadStatus,
};

pub fn conversation(c: wire::Conversation) -> Conversation {
    let state = ConversationState::from_wire(&c.state);
    let documents = c
        .documents
        .unwrap_or_default()
        .into_iter()
        .map(|d| {
            // A document listed without a state shares the conversation's.
            let doc_state = match d.state.as_deref() {
                Some(word) => DocumentState::from_wire(word),
                None => match &state {
                    ConversationState::Running => DocumentState::Processing,
                    ConversationState::Complete => DocumentState::Processed,
                    ConversationState::Failed => DocumentState::Failed,
                    ConversationState::Unknown(word) => DocumentState::Unknown(word.clone()),
                },
            };
            let mut doc = Document::from_state(d.id.unwrap_or(-1), d.name.unwrap_or_default(), doc_state);
            doc.uploaded_at = d.upload_timestamp.as_deref().and_then(parse_time);
            if doc.state == DocumentState::Failed {
                doc.failure_reason = Some("AI Hub could not process this document".into());
            }
            doc
        })
        .collect();
    Conversation {
        id: c.id,
        name: c.name,
        description: c.description,
        state,
        documents,
        created_at: None,
        updated_at: None,
    }
}

/// Settled once no document is processing, and the conversation is not still running
/// before its documents are even listed.
pub fn conversation_settled(c: &Conversation) -> bool {
    c.is_settled() && !(c.state == ConversationState::Running && c.documents.is_empty())
}

fn parse_time(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&chrono::Utc))
        .ok()
        .or_else(|| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").ok().map(|t| t.and_utc()))
}

pub fn summary(s: wire::ConversationSummary) -> ConversationSummary {
    ConversationSummary { id: s.id, name: s.name, description: s.description, created_at: None, updated_at: None }
}

pub fn upload_status(s: Option<wire::UploadStatus>) -> UploadStatus {
    let s = s.unwrap_or_default();
    UploadStatus {
        succeeded: s.success.unwrap_or_default().into_iter().map(|f| f.name.unwrap_or_default()).collect(),
        failed: s
            .failure
            .unwrap_or_default()
            .into_iter()
            .map(|f| UploadFailure { name: f.name.unwrap_or_default(), reason: f.reason })
            .collect(),
    }
}

pub fn metadata(m: wire::DocumentMetadata, requested_id: i64) -> DocumentMetadata {
    let entries = m.metadata.unwrap_or_default();
    // The seed shows one entry per page, each with a `layout`.
    let pages = entries.iter().filter(|e| e.get("layout").is_some_and(|l| l.is_object())).count();
    DocumentMetadata {
        id: m.id.unwrap_or(requested_id),
        name: m.name.unwrap_or_default(),
        page_count: (pages > 0).then_some(pages as u32),
        digitized_path: m.ibdoc_path,
        metadata: entries,
        document: None,
    }
}

/// The document panel for an AI Hub document: its state from the conversation, its
/// pages from the metadata list (one entry per page, seed 001), image pages counted as
/// the pages AI Hub had to read as pictures. AI Hub does not say the file's size, its
/// type (the name's extension stands in) or how it splits passages: those stay 0/None.
pub fn details(document: &Document, metadata: &DocumentMetadata) -> DocumentDetails {
    let layouts: Vec<&serde_json::Value> = metadata.metadata.iter().filter_map(|e| e.get("layout")).collect();
    let image_pages = layouts.iter().filter(|l| l["is_image_page"].as_bool() == Some(true)).count() as u32;
    let size = |key: &str| layouts.first().and_then(|l| l[key].as_f64()).map(|v| v as f32);
    let kind = std::path::Path::new(&document.name).extension().map(|e| e.to_string_lossy().to_lowercase());
    DocumentDetails {
        id: document.id,
        name: document.name.clone(),
        kind,
        stage: document.stage,
        page_count: metadata.page_count,
        size_bytes: 0,
        ocr_used: image_pages > 0,
        ocr_pages: image_pages,
        ocr_mean_confidence: None,
        passages: 0,
        embedded_passages: 0,
        page_width: size("width"),
        page_height: size("height"),
        failure_reason: document.failure_reason.clone(),
        uploaded_at: document.uploaded_at,
    }
}

pub fn answer(p: wire::PromptResponse) -> Answer {
    Answer {
        prompt_id: p.prompt_id.unwrap_or_default(),
        text: p.answer.unwrap_or_default(),
        sources: vec![],
        kind: AnswerKind::Generated,
        sentences: vec![],
    }
}

pub fn query_status(s: wire::QueryStatus) -> QueryStatus {
    let results = s
        .results
        .unwrap_or_default()
        .into_iter()
        .map(|r| QueryResult { response: r.response, sources: sources(r.source_documents.unwrap_or_default()) })
        .collect();
    QueryStatus {
        query_id: s.query_id,
        state: QueryState::from_wire(&s.status),
        results,
        error: s.error.map(|e| e.message()),
    }
}

/// One `Source` per cited page; a document cited without pages (multistep-lite) gives
/// one `Source` without a page.
fn sources(docs: Vec<wire::SourceDocument>) -> Vec<Source> {
    let mut out = Vec::new();
    for doc in docs {
        let pages = doc.pages.unwrap_or_default();
        if pages.is_empty() {
            out.push(Source {
                document_id: None,
                document_name: doc.name,
                page: None,
                page_label: None,
                passage: None,
                boxes: vec![],
            });
            continue;
        }
        for page in pages {
            let boxes = page
                .bboxes
                .iter()
                .flatten()
                .map(|b| BoundingBox { top_x: b.top_x, top_y: b.top_y, bottom_x: b.bottom_x, bottom_y: b.bottom_y })
                .collect();
            out.push(Source {
                document_id: None,
                document_name: doc.name.clone(),
                page: page.page(),
                page_label: None,
                passage: None,
                boxes,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn documents_without_state_follow_the_conversation() {
        let c: wire::Conversation =
            serde_json::from_value(json!({"id": "c", "name": "n", "state": "RUNNING", "documents": [{"id": 1, "name": "a"}, {"id": 2, "state": "PROCESSED"}]}))
                .unwrap();
        let c = conversation(c);
        assert_eq!(c.documents[0].state, DocumentState::Processing);
        assert_eq!(c.documents[1].state, DocumentState::Processed);
        assert!(!conversation_settled(&c));
    }

    #[test]
    fn query_sources_keep_pages_and_boxes() {
        let s: wire::QueryStatus = serde_json::from_value(json!({
            "query_id": "q", "status": "COMPLETE",
            "results": [{"response": "r", "source_documents": [
                {"name": "a.pdf", "pages": [{"page_number": 2.0, "bboxes": [{"top_x": 1, "top_y": 2, "bottom_x": 3, "bottom_y": 4}]}]},
                {"name": "b.pdf"}
            ]}]
        }))
        .unwrap();
        let s = query_status(s);
        assert_eq!(s.state, QueryState::Complete);
        let src = &s.results[0].sources;
        assert_eq!((src[0].page, src[0].boxes.len(), src[1].page), (Some(2), 1, None));
    }
}
