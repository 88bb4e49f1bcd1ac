//! folio-core's `Backend` for AI Hub: the app talks to this and never to the wire.

use crate::client::{AiHubClient, CreateRequest};
use crate::config::ClientConfig;
use crate::error::AiHubError;
use crate::history::HistoryLog;
use crate::mapping;
use async_trait::async_trait;
use folio_core::{
    follow_until, Answer, Backend, BackendKind, ChatTurn, Conversation, ConversationSummary, ConversationUpdate,
    ConverseRequest, CreatedConversation, DocumentDetails, DocumentId, DocumentMetadata, DocumentStage, FollowOptions,
    ListQuery, NewConversation, ProgressReporter, ProgressSink, QueryRequest, QueryStatus, Result, UploadStatus,
};
use std::path::PathBuf;

#[derive(Debug)]
pub struct AiHubBackend {
    client: AiHubClient,
    history: Option<HistoryLog>,
}

impl AiHubBackend {
    pub fn new(config: ClientConfig) -> std::result::Result<Self, AiHubError> {
        Ok(AiHubBackend { client: AiHubClient::new(config)?, history: None })
    }

    /// Keeps each conversation's questions and answers in `log`, so `history` can show
    /// them again (AI Hub cannot read prompts back).
    pub fn with_history(mut self, log: HistoryLog) -> Self {
        self.history = Some(log);
        self
    }

    pub fn client(&self) -> &AiHubClient {
        &self.client
    }

    /// The Settings screen's "Test connection": lists conversations once and says in
    /// words what worked, or what is wrong with the address or the token.
    pub async fn test_connection(&self) -> Result<String> {
        let api_root = self.client.config().api_root.clone();
        let listed = self.list_conversations(&ListQuery::default()).await.map_err(|e| match e.kind() {
            folio_core::ErrorKind::Auth => folio_core::Error::Auth(format!("AI Hub refused the token ({e})")),
            folio_core::ErrorKind::NotFound => {
                folio_core::Error::NotFound(format!("{api_root} does not look like an AI Hub API address ({e})"))
            }
            folio_core::ErrorKind::Unavailable | folio_core::ErrorKind::Timeout => {
                folio_core::Error::Unavailable(format!("Could not reach {api_root} ({e})"))
            }
            _ => e,
        })?;
        Ok(format!("Connected to {api_root}: {} conversations.", listed.len()))
    }
}

#[async_trait]
impl Backend for AiHubBackend {
    fn kind(&self) -> BackendKind {
        BackendKind::AiHub
    }

    async fn create_conversation(&self, new: NewConversation) -> Result<CreatedConversation> {
        let request = CreateRequest { name: new.name, description: new.description, options: new.options };
        let created = self.client.create_conversation(&request, &new.files).await?;
        Ok(CreatedConversation {
            id: created.id,
            name: created.name,
            upload: mapping::upload_status(created.upload_status),
        })
    }

    async fn list_conversations(&self, query: &ListQuery) -> Result<Vec<ConversationSummary>> {
        let list = self.client.list_conversations(query).await?;
        Ok(list.conversations.unwrap_or_default().into_iter().map(mapping::summary).collect())
    }

    async fn get_conversation(&self, id: &str) -> Result<Conversation> {
        Ok(mapping::conversation(self.client.get_conversation(id).await?))
    }

    async fn update_conversation(&self, id: &str, update: &ConversationUpdate) -> Result<()> {
        Ok(self.client.update_conversation(id, update.name.as_deref(), update.description.as_deref()).await?)
    }

    async fn delete_conversation(&self, id: &str) -> Result<()> {
        self.client.delete_conversation(id).await?;
        if let Some(log) = &self.history {
            if let Err(e) = log.remove(id) {
                tracing::warn!("could not remove the kept chat of AI Hub conversation {id}: {e}");
            }
        }
        Ok(())
    }

    async fn add_documents(&self, id: &str, files: &[PathBuf], process: bool) -> Result<UploadStatus> {
        let added = self.client.add_documents(id, files, process).await?;
        Ok(mapping::upload_status(added.upload_status))
    }

    async fn delete_documents(&self, id: &str, document_ids: &[DocumentId]) -> Result<()> {
        Ok(self.client.delete_documents(id, document_ids).await?)
    }

    async fn document_metadata(&self, id: &str, document_id: DocumentId) -> Result<DocumentMetadata> {
        Ok(mapping::metadata(self.client.document_metadata(id, document_id).await?, document_id))
    }

    /// The conversation says the document's state; its metadata, once processed, its pages.
    async fn document_details(&self, id: &str, document_id: DocumentId) -> Result<DocumentDetails> {
        let conversation = self.get_conversation(id).await?;
        let document = conversation.documents.into_iter().find(|d| d.id == document_id).ok_or_else(|| {
            folio_core::Error::NotFound(format!("Document {document_id} is not in conversation {id}"))
        })?;
        let metadata = match document.stage {
            DocumentStage::Ready => self.document_metadata(id, document_id).await?,
            _ => DocumentMetadata {
                id: document_id,
                name: document.name.clone(),
                page_count: None,
                digitized_path: None,
                metadata: Vec::new(),
                document: None,
            },
        };
        Ok(mapping::details(&document, &metadata))
    }

    /// With no document ids, asks every processed document of the conversation (AI Hub
    /// needs explicit ids).
    async fn converse(&self, id: &str, request: &ConverseRequest) -> Result<Answer> {
        let mut ids = request.document_ids.clone();
        if ids.is_empty() {
            let conversation = self.get_conversation(id).await?;
            ids = conversation
                .documents
                .iter()
                .filter(|d| d.state == folio_core::DocumentState::Processed && d.id >= 0)
                .map(|d| d.id)
                .collect();
            if ids.is_empty() {
                return Err(folio_core::Error::InvalidInput(
                    "the conversation has no processed documents to ask".into(),
                ));
            }
        }
        // Fast mode at creation means fast mode when asking (contract section 6, item 6).
        let fast = request.fast_mode || self.client.config().fast_mode();
        let reply = self.client.converse(id, &request.question, &ids, request.mode, fast).await?;
        let answer = mapping::answer(reply);
        if let Some(log) = &self.history {
            let turn = ChatTurn {
                question: request.question.clone(),
                answer: answer.clone(),
                asked_at: Some(chrono::Utc::now()),
            };
            // The answer is what matters now; a record that could not be written only
            // means this turn is missing after a restart.
            if let Err(e) = log.append(id, &turn) {
                tracing::warn!("could not keep the AI Hub chat turn of conversation {id}: {e}");
            }
        }
        Ok(answer)
    }

    async fn history(&self, id: &str) -> Result<Vec<ChatTurn>> {
        let Some(log) = &self.history else { return Ok(Vec::new()) };
        log.read(id)
            .map_err(|e| folio_core::Error::Internal(format!("the chat of conversation {id} could not be read: {e}")))
    }

    async fn run_query(&self, request: &QueryRequest) -> Result<String> {
        let reply =
            self.client.run_query(&request.query, &request.source, request.model, request.include_source_info).await?;
        Ok(reply.query_id)
    }

    async fn query_status(&self, query_id: &str) -> Result<QueryStatus> {
        Ok(mapping::query_status(self.client.query_status(query_id).await?))
    }

    /// As the trait's default, but a conversation that is RUNNING with no documents
    /// listed yet is not taken as settled.
    async fn follow_documents(&self, id: &str, sink: ProgressSink, options: &FollowOptions) -> Result<Conversation> {
        let mut reporter = ProgressReporter::new(sink);
        follow_until(options, || self.get_conversation(id), mapping::conversation_settled, |c| reporter.report(c)).await
    }
}
