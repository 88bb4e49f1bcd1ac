//! The one interface every backend implements. The app, the CLI and the loopback
//! server hold a `dyn Backend` and never ask which one it is.

use crate::answer::{Answer, ChatTurn, ConverseRequest};
use crate::conversation::{
    Conversation, ConversationSummary, ConversationUpdate, CreatedConversation, ListQuery, NewConversation,
    UploadStatus,
};
use crate::document::{DocumentDetails, DocumentId, DocumentMetadata, PageView};
use crate::error::Result;
use crate::follow::{follow_until, FollowOptions};
use crate::progress::{ProgressReporter, ProgressSink};
use crate::query::{QueryRequest, QueryStatus};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum BackendKind {
    Local,
    AiHub,
    Airia,
    Pieces,
}

impl BackendKind {
    /// The name a person sees ("not supported by Airia").
    pub fn display_name(self) -> &'static str {
        match self {
            BackendKind::Local => "Folio (on this computer)",
            BackendKind::AiHub => "Instabase AI Hub",
            BackendKind::Airia => "Airia",
            BackendKind::Pieces => "Pieces OS",
        }
    }
}

/// Called with each piece of an answer as it is written. Dropping the `converse_streaming`
/// future is how a caller stops an answer: every backend must stop work promptly then.
pub type TokenSink<'a> = &'a (dyn Fn(&str) + Send + Sync);

#[async_trait]
pub trait Backend: Send + Sync {
    fn kind(&self) -> BackendKind;

    /// Creates a conversation and uploads its first files.
    async fn create_conversation(&self, new: NewConversation) -> Result<CreatedConversation>;
    async fn list_conversations(&self, query: &ListQuery) -> Result<Vec<ConversationSummary>>;
    /// The conversation with its documents and their states.
    async fn get_conversation(&self, id: &str) -> Result<Conversation>;
    async fn update_conversation(&self, id: &str, update: &ConversationUpdate) -> Result<()>;
    async fn delete_conversation(&self, id: &str) -> Result<()>;
    /// Adds files; `process` false stores them without digitizing (AI Hub's `process_files`).
    async fn add_documents(&self, id: &str, files: &[PathBuf], process: bool) -> Result<UploadStatus>;
    async fn delete_documents(&self, id: &str, document_ids: &[DocumentId]) -> Result<()>;
    async fn document_metadata(&self, id: &str, document_id: DocumentId) -> Result<DocumentMetadata>;
    /// One page of a document for the page viewer: size, text and passages.
    async fn page_view(&self, id: &str, document_id: DocumentId, page: u32) -> Result<PageView> {
        let _ = (id, document_id, page);
        Err(crate::Error::Unsupported(format!("{} does not send its pages to Folio", self.kind().display_name())))
    }
    /// A PDF or image page as a PNG `width_px` wide.
    async fn render_page(&self, id: &str, document_id: DocumentId, page: u32, width_px: u32) -> Result<Vec<u8>> {
        let _ = (id, document_id, page, width_px);
        Err(crate::Error::Unsupported(format!("{} does not send its pages to Folio", self.kind().display_name())))
    }
    /// What the document panel shows: pages, size, type, OCR.
    async fn document_details(&self, id: &str, document_id: DocumentId) -> Result<DocumentDetails> {
        let _ = (id, document_id);
        Err(crate::Error::Unsupported(format!(
            "{} does not describe its documents to Folio",
            self.kind().display_name()
        )))
    }
    /// Stops processing documents that are not finished yet.
    async fn cancel_documents(&self, id: &str, document_ids: &[DocumentId]) -> Result<()> {
        let _ = (id, document_ids);
        Err(crate::Error::Unsupported(format!("{} cannot stop a document once it is sent", self.kind().display_name())))
    }
    /// Processes failed or cancelled documents again from the copy the backend kept.
    async fn retry_documents(&self, id: &str, document_ids: &[DocumentId]) -> Result<()> {
        let _ = (id, document_ids);
        Err(crate::Error::Unsupported(format!(
            "{} cannot process a document again: remove it and add the file again",
            self.kind().display_name()
        )))
    }
    /// Asks a question of some documents of a conversation and returns the cited answer.
    async fn converse(&self, id: &str, request: &ConverseRequest) -> Result<Answer>;
    /// `converse`, with the answer's text sent to `sink` as it is written. Backends that
    /// cannot stream answer in one piece (the default).
    async fn converse_streaming(&self, id: &str, request: &ConverseRequest, sink: TokenSink<'_>) -> Result<Answer> {
        let answer = self.converse(id, request).await?;
        sink(&answer.text);
        Ok(answer)
    }
    /// The questions asked in a conversation and their answers, oldest first. Backends
    /// whose history Folio cannot read return none (the default).
    async fn history(&self, id: &str) -> Result<Vec<ChatTurn>> {
        let _ = id;
        Ok(Vec::new())
    }
    /// What the service itself keeps about a conversation beyond Folio's own view
    /// (Airia's title, bookmark and deployment, say), read from it now. None by default.
    async fn source_facts(&self, id: &str) -> Result<Vec<crate::conversation::SourceFact>> {
        let _ = id;
        Ok(Vec::new())
    }
    /// Starts a query and returns its id; follow it with `query_status`.
    async fn run_query(&self, request: &QueryRequest) -> Result<String>;
    async fn query_status(&self, query_id: &str) -> Result<QueryStatus>;

    /// Reports every change of every document of a conversation to `sink` until none is
    /// still processing, then returns the settled conversation. The default polls
    /// `get_conversation` adaptively; backends that can push (the local engine) override it.
    async fn follow_documents(&self, id: &str, sink: ProgressSink, options: &FollowOptions) -> Result<Conversation> {
        let mut reporter = ProgressReporter::new(sink);
        follow_until(options, || self.get_conversation(id), Conversation::is_settled, |c| reporter.report(c)).await
    }

    /// Follows a query until it completes or fails.
    async fn follow_query(&self, query_id: &str, options: &FollowOptions) -> Result<QueryStatus> {
        follow_until(options, || self.query_status(query_id), |s| s.state.is_settled(), |_| {}).await
    }
}
