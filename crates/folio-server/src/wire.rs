//! AI Hub's JSON as the server sends it (contract sections 1.1-1.9 and 2), built from
//! folio-core's types. These are the server's own types: folio-core is camelCase for the
//! UI, AI Hub is snake_case (with one camelCase field, `uploadTimestamp`). Shapes follow
//! what SDK 0.13's models accept, since that is the strictest client: integer document
//! ids and page numbers, `error` as a string, states in capitals.

use folio_core::{
    Conversation, ConversationState, ConversationSummary, CreatedConversation, Document, DocumentMetadata,
    DocumentState, QueryModel, QueryState, QueryStatus, Source, UploadStatus,
};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct FileName {
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct FileFailure {
    pub name: String,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct UploadStatusWire {
    pub success: Vec<FileName>,
    pub failure: Vec<FileFailure>,
}

impl From<UploadStatus> for UploadStatusWire {
    fn from(status: UploadStatus) -> Self {
        UploadStatusWire {
            success: status.succeeded.into_iter().map(|name| FileName { name }).collect(),
            failure: status
                .failed
                .into_iter()
                .map(|f| FileFailure {
                    name: f.name,
                    reason: f.reason.unwrap_or_else(|| "The file was refused".into()),
                })
                .collect(),
        }
    }
}

/// 201 of create (`ConversationResponse`).
#[derive(Debug, Serialize)]
pub struct ConversationCreated {
    pub id: String,
    pub name: String,
    pub upload_status: UploadStatusWire,
}

impl From<CreatedConversation> for ConversationCreated {
    fn from(c: CreatedConversation) -> Self {
        ConversationCreated { id: c.id, name: c.name, upload_status: c.upload.into() }
    }
}

/// 201 of add documents (`DocumentUploadResponse`).
#[derive(Debug, Serialize)]
pub struct DocumentsAdded {
    pub upload_status: UploadStatusWire,
}

#[derive(Debug, Serialize)]
pub struct ConversationSummaryWire {
    pub id: String,
    pub name: String,
    /// The seed shows `""` for a conversation without one.
    pub description: String,
}

/// 200 of list.
#[derive(Debug, Serialize)]
pub struct ConversationList {
    pub conversations: Vec<ConversationSummaryWire>,
}

impl From<Vec<ConversationSummary>> for ConversationList {
    fn from(list: Vec<ConversationSummary>) -> Self {
        ConversationList {
            conversations: list
                .into_iter()
                .map(|c| ConversationSummaryWire {
                    id: c.id,
                    name: c.name,
                    description: c.description.unwrap_or_default(),
                })
                .collect(),
        }
    }
}

/// `DocumentDetails`: note the camelCase `uploadTimestamp`, as AI Hub sends it.
#[derive(Debug, Serialize)]
pub struct DocumentDetails {
    pub id: i64,
    pub name: String,
    pub state: String,
    #[serde(rename = "uploadTimestamp", skip_serializing_if = "Option::is_none")]
    pub upload_timestamp: Option<String>,
}

pub fn document_state(state: &DocumentState) -> String {
    match state {
        DocumentState::Processing => "PROCESSING".into(),
        DocumentState::Processed => "PROCESSED".into(),
        DocumentState::Failed => "FAILED".into(),
        DocumentState::Unknown(word) => word.to_ascii_uppercase(),
    }
}

impl From<Document> for DocumentDetails {
    fn from(d: Document) -> Self {
        DocumentDetails {
            id: d.id,
            name: d.name,
            state: document_state(&d.state),
            // ISO 8601 with microseconds and an offset, which pydantic (the SDK) parses.
            upload_timestamp: d.uploaded_at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, false)),
        }
    }
}

/// 200 of get conversation (`Conversation`).
#[derive(Debug, Serialize)]
pub struct ConversationWire {
    pub id: String,
    pub name: String,
    pub description: String,
    pub state: String,
    pub documents: Vec<DocumentDetails>,
}

pub fn conversation_state(state: &ConversationState) -> String {
    match state {
        ConversationState::Running => "RUNNING".into(),
        ConversationState::Complete => "COMPLETE".into(),
        ConversationState::Failed => "FAILED".into(),
        ConversationState::Unknown(word) => word.to_ascii_uppercase(),
    }
}

impl From<Conversation> for ConversationWire {
    fn from(c: Conversation) -> Self {
        ConversationWire {
            state: conversation_state(&c.state),
            id: c.id,
            name: c.name,
            description: c.description.unwrap_or_default(),
            documents: c.documents.into_iter().map(Into::into).collect(),
        }
    }
}

/// 200 of document metadata (`DocumentMetadataResponse`): AI Hub's keys, then Folio's
/// facts about the whole document as `folio` (the SDK reads only the known keys).
#[derive(Debug, Serialize)]
pub struct DocumentMetadataWire {
    pub id: i64,
    /// AI Hub's path to its digitized document; here the stored copy's place inside
    /// the data folder, never where that folder is on this computer.
    pub ibdoc_path: Option<String>,
    pub name: String,
    /// One entry per page with its `layout`, as seed 001 shows.
    pub metadata: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folio: Option<serde_json::Value>,
}

impl From<DocumentMetadata> for DocumentMetadataWire {
    fn from(m: DocumentMetadata) -> Self {
        DocumentMetadataWire {
            id: m.id,
            ibdoc_path: m.digitized_path.as_deref().map(inside_data_folder),
            name: m.name,
            metadata: m.metadata,
            folio: m.document,
        }
    }
}

/// The engine's stored copies live at `<data folder>/files/<ab>/<sha256>`: an absolute
/// path is cut to its place under `files/`, so the wire never tells a script (or a
/// remote client with `--allow-remote`) this computer's folders or user name. A
/// relative path (AI Hub's own drive path, from a remote backend) is kept as it is.
fn inside_data_folder(path: &str) -> String {
    let p = std::path::Path::new(path);
    if !p.is_absolute() {
        return path.to_string();
    }
    let tail: Vec<String> =
        p.components().rev().take(3).map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    tail.into_iter().rev().collect::<Vec<_>>().join("/")
}

/// 200 of converse (`PromptResponse`).
#[derive(Debug, Serialize)]
pub struct PromptResponse {
    pub prompt_id: String,
    pub answer: String,
}

/// 202 of run query.
#[derive(Debug, Serialize)]
pub struct QueryAccepted {
    pub query_id: String,
}

#[derive(Debug, Serialize)]
pub struct BoundingBoxWire {
    pub top_x: f64,
    pub top_y: f64,
    pub bottom_x: f64,
    pub bottom_y: f64,
}

#[derive(Debug, Serialize)]
pub struct SourcePage {
    /// An integer: SDK 0.13 rejects the seed's `9.0` (StrictInt).
    pub page_number: u32,
    pub bboxes: Vec<BoundingBoxWire>,
}

#[derive(Debug, Serialize)]
pub struct SourceDocument {
    pub name: String,
    /// Only with `multistep` (the seed: multistep-lite gives document names only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<Vec<SourcePage>>,
}

#[derive(Debug, Serialize)]
pub struct QueryResultWire {
    pub response: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_documents: Option<Vec<SourceDocument>>,
}

/// 200 of query status (`QueryStatusResponse`).
#[derive(Debug, Serialize)]
pub struct QueryStatusWire {
    pub query_id: String,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results: Option<Vec<QueryResultWire>>,
    /// A string, as SDK 0.13 expects (the seed's `{message}` object makes it raise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// How a query's answer is to be shown, remembered from its request: whether sources
/// were asked for, and whether pages come with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryShape {
    pub include_source_info: bool,
    pub model: Option<QueryModel>,
}

impl Default for QueryShape {
    /// For a query this server did not start (or started before a restart): show what
    /// the backend gives.
    fn default() -> Self {
        QueryShape { include_source_info: true, model: Some(QueryModel::Multistep) }
    }
}

/// Groups sources by document (in the order they first appear), one entry per page with
/// the boxes of every passage cited on it.
pub fn source_documents(sources: &[Source], with_pages: bool) -> Vec<SourceDocument> {
    let mut docs: Vec<(String, Vec<SourcePage>)> = Vec::new();
    for s in sources {
        let index = match docs.iter().position(|(name, _)| *name == s.document_name) {
            Some(i) => i,
            None => {
                docs.push((s.document_name.clone(), Vec::new()));
                docs.len() - 1
            }
        };
        let Some(page) = s.page else { continue };
        let pages = &mut docs[index].1;
        let boxes = s.boxes.iter().map(|b| BoundingBoxWire {
            top_x: b.top_x,
            top_y: b.top_y,
            bottom_x: b.bottom_x,
            bottom_y: b.bottom_y,
        });
        match pages.iter_mut().find(|p| p.page_number == page) {
            Some(p) => p.bboxes.extend(boxes),
            None => pages.push(SourcePage { page_number: page, bboxes: boxes.collect() }),
        }
    }
    docs.into_iter().map(|(name, pages)| SourceDocument { name, pages: with_pages.then_some(pages) }).collect()
}

pub fn query_status(status: QueryStatus, shape: QueryShape) -> QueryStatusWire {
    let with_pages = shape.model != Some(QueryModel::MultistepLite);
    match status.state {
        QueryState::Running => {
            QueryStatusWire { query_id: status.query_id, status: "RUNNING", results: None, error: None }
        }
        QueryState::Complete => QueryStatusWire {
            results: Some(
                status
                    .results
                    .into_iter()
                    .map(|r| QueryResultWire {
                        source_documents: shape.include_source_info.then(|| source_documents(&r.sources, with_pages)),
                        response: r.response,
                    })
                    .collect(),
            ),
            query_id: status.query_id,
            status: "COMPLETE",
            error: None,
        },
        QueryState::Failed => QueryStatusWire {
            query_id: status.query_id,
            status: "FAILED",
            results: None,
            error: Some(status.error.unwrap_or_else(|| "The query failed".into())),
        },
        // The SDK raises on any status but these three; a word the backend invented is
        // reported as a failure that names it rather than polled for ever.
        QueryState::Unknown(word) => QueryStatusWire {
            query_id: status.query_id,
            status: "FAILED",
            results: None,
            error: Some(format!("The backend reported the unknown query state {word:?}")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use folio_core::{BoundingBox, QueryResult};

    fn source(doc: &str, page: Option<u32>) -> Source {
        Source {
            document_id: Some(1),
            document_name: doc.into(),
            page,
            page_label: None,
            passage: None,
            boxes: vec![BoundingBox { top_x: 1.0, top_y: 2.0, bottom_x: 3.0, bottom_y: 4.0 }],
        }
    }

    #[test]
    fn sources_group_by_document_and_page_with_integer_pages() {
        let status = QueryStatus {
            query_id: "q".into(),
            state: QueryState::Complete,
            results: vec![QueryResult {
                response: "r".into(),
                sources: vec![
                    source("a.pdf", Some(3)),
                    source("b.pdf", Some(1)),
                    source("a.pdf", Some(3)),
                    source("a.pdf", Some(5)),
                ],
            }],
            error: None,
        };
        let json = serde_json::to_value(query_status(status.clone(), QueryShape::default())).unwrap();
        let docs = &json["results"][0]["source_documents"];
        assert_eq!(docs[0]["name"], "a.pdf");
        assert_eq!(docs[0]["pages"][0]["page_number"], serde_json::json!(3));
        assert!(docs[0]["pages"][0]["page_number"].is_u64());
        assert_eq!(docs[0]["pages"][0]["bboxes"].as_array().unwrap().len(), 2);
        assert_eq!(docs[0]["pages"][1]["page_number"], 5);
        assert_eq!(docs[1]["name"], "b.pdf");

        let lite = QueryShape { include_source_info: true, model: Some(QueryModel::MultistepLite) };
        let json = serde_json::to_value(query_status(status.clone(), lite)).unwrap();
        assert!(json["results"][0]["source_documents"][0].get("pages").is_none());

        let none = QueryShape { include_source_info: false, model: None };
        let json = serde_json::to_value(query_status(status, none)).unwrap();
        assert!(json["results"][0].get("source_documents").is_none());
    }

    #[test]
    fn failed_queries_carry_a_string_error_and_no_results() {
        let status = QueryStatus {
            query_id: "q".into(),
            state: QueryState::Failed,
            results: vec![],
            error: Some("boom".into()),
        };
        let json = serde_json::to_value(query_status(status, QueryShape::default())).unwrap();
        assert_eq!(json, serde_json::json!({"query_id": "q", "status": "FAILED", "error": "boom"}));
    }
}
