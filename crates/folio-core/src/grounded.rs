//! Chat on another service, documents on this computer. Airia and Pieces OS hold the
//! chat; a local conversation of Folio's engine (the "local half") holds the documents,
//! reads them and finds the passages each question is grounded in. A service adapter
//! implements `GroundedRemoteChat` (its chat, and where its local half is) and gets the
//! whole `Backend`: every document operation goes to the local half here, once.

use crate::backend::{Backend, BackendKind, TokenSink};
use crate::conversation::SourceFact;
use crate::{
    Answer, ChatTurn, Conversation, ConversationSummary, ConversationUpdate, ConverseRequest, CreatedConversation,
    DocumentDetails, DocumentId, DocumentMetadata, Error, FollowOptions, ListQuery, NewConversation, PageView,
    ProgressSink, QueryRequest, QueryStatus, Result, UploadStatus,
};
use async_trait::async_trait;
use std::path::PathBuf;

#[async_trait]
pub trait GroundedRemoteChat: Send + Sync {
    fn service(&self) -> BackendKind;
    /// Folio's local backend, which keeps the documents.
    fn documents(&self) -> &dyn Backend;
    /// The local conversation holding the documents of conversation `id`: an error
    /// (NotFound) when `id` is not one of this service's conversations, None when it has
    /// no documents in Folio yet.
    async fn local_half(&self, id: &str) -> Result<Option<String>>;
    /// The local half, made on first need (adding documents). By default only an
    /// existing one.
    async fn local_half_or_new(&self, id: &str) -> Result<String> {
        required_half(self, id).await
    }

    /// Creates the conversation on the service and its local half with the first files.
    async fn create_chat(&self, new: NewConversation) -> Result<CreatedConversation>;
    async fn list_chats(&self, query: &ListQuery) -> Result<Vec<ConversationSummary>>;
    async fn get_chat(&self, id: &str) -> Result<Conversation>;
    async fn update_chat(&self, id: &str, update: &ConversationUpdate) -> Result<()>;
    async fn delete_chat(&self, id: &str) -> Result<()>;
    /// Asks the service with the local half's passages; with a sink, the answer streams
    /// to it as it is written (a service may stream either way).
    async fn ask(&self, id: &str, request: &ConverseRequest, sink: Option<TokenSink<'_>>) -> Result<Answer>;
    async fn chat_history(&self, id: &str) -> Result<Vec<ChatTurn>>;
    /// What the service keeps about the conversation beyond Folio's own view.
    async fn chat_facts(&self, id: &str) -> Result<Vec<SourceFact>> {
        let _ = id;
        Ok(Vec::new())
    }
}

/// The local half of `id`, which must exist for any operation on its documents.
async fn required_half<C: GroundedRemoteChat + ?Sized>(chat: &C, id: &str) -> Result<String> {
    chat.local_half(id).await?.ok_or_else(|| {
        Error::NotFound(format!("The {} conversation {id} has no documents in Folio", chat.service().display_name()))
    })
}

#[async_trait]
impl<C: GroundedRemoteChat> Backend for C {
    fn kind(&self) -> BackendKind {
        self.service()
    }

    async fn create_conversation(&self, new: NewConversation) -> Result<CreatedConversation> {
        self.create_chat(new).await
    }

    async fn list_conversations(&self, query: &ListQuery) -> Result<Vec<ConversationSummary>> {
        self.list_chats(query).await
    }

    async fn get_conversation(&self, id: &str) -> Result<Conversation> {
        self.get_chat(id).await
    }

    async fn update_conversation(&self, id: &str, update: &ConversationUpdate) -> Result<()> {
        self.update_chat(id, update).await
    }

    async fn delete_conversation(&self, id: &str) -> Result<()> {
        self.delete_chat(id).await
    }

    async fn add_documents(&self, id: &str, files: &[PathBuf], process: bool) -> Result<UploadStatus> {
        let local = self.local_half_or_new(id).await?;
        self.documents().add_documents(&local, files, process).await
    }

    async fn delete_documents(&self, id: &str, document_ids: &[DocumentId]) -> Result<()> {
        self.documents().delete_documents(&required_half(self, id).await?, document_ids).await
    }

    async fn document_metadata(&self, id: &str, document_id: DocumentId) -> Result<DocumentMetadata> {
        self.documents().document_metadata(&required_half(self, id).await?, document_id).await
    }

    async fn page_view(&self, id: &str, document_id: DocumentId, page: u32) -> Result<PageView> {
        self.documents().page_view(&required_half(self, id).await?, document_id, page).await
    }

    async fn render_page(&self, id: &str, document_id: DocumentId, page: u32, width_px: u32) -> Result<Vec<u8>> {
        self.documents().render_page(&required_half(self, id).await?, document_id, page, width_px).await
    }

    async fn document_details(&self, id: &str, document_id: DocumentId) -> Result<DocumentDetails> {
        self.documents().document_details(&required_half(self, id).await?, document_id).await
    }

    async fn cancel_documents(&self, id: &str, document_ids: &[DocumentId]) -> Result<()> {
        self.documents().cancel_documents(&required_half(self, id).await?, document_ids).await
    }

    async fn retry_documents(&self, id: &str, document_ids: &[DocumentId]) -> Result<()> {
        self.documents().retry_documents(&required_half(self, id).await?, document_ids).await
    }

    async fn converse(&self, id: &str, request: &ConverseRequest) -> Result<Answer> {
        self.ask(id, request, None).await
    }

    async fn converse_streaming(&self, id: &str, request: &ConverseRequest, sink: TokenSink<'_>) -> Result<Answer> {
        self.ask(id, request, Some(sink)).await
    }

    async fn history(&self, id: &str) -> Result<Vec<ChatTurn>> {
        self.chat_history(id).await
    }

    async fn source_facts(&self, id: &str) -> Result<Vec<SourceFact>> {
        self.chat_facts(id).await
    }

    async fn run_query(&self, _request: &QueryRequest) -> Result<String> {
        Err(queries_unsupported(self.service()))
    }

    async fn query_status(&self, _query_id: &str) -> Result<QueryStatus> {
        Err(queries_unsupported(self.service()))
    }

    /// The local half's documents as they are read, under the service's conversation id.
    async fn follow_documents(&self, id: &str, sink: ProgressSink, options: &FollowOptions) -> Result<Conversation> {
        let Some(local) = self.local_half(id).await? else { return self.get_chat(id).await };
        let mut conversation = self.documents().follow_documents(&local, sink, options).await?;
        conversation.id = id.to_string();
        Ok(conversation)
    }
}

fn queries_unsupported(service: BackendKind) -> Error {
    let name = service.display_name();
    Error::Unsupported(format!(
        "{name} answers in conversations: asking a chatbot or several documents in one query is not supported by {name}"
    ))
}
