//! `AiriaBackend`: Airia's chat grounded in Folio's local engine (a `GroundedRemoteChat`,
//! so folio-core gives it the whole `Backend`). A Folio
//! conversation on Airia is two things: a local-engine conversation that holds the
//! documents (read, indexed and cited on this computer) and the chat history, and an
//! Airia conversation that holds the chat on Airia's side. Each question retrieves the
//! relevant passages locally, sends them numbered inside the user input, streams Airia's
//! reply, and maps its [n] markers back to Folio's pages.

use crate::client::{AiriaClient, ConnectionReport};
use crate::config::AiriaConfig;
use crate::error::AiriaError;
use crate::index;
use async_trait::async_trait;
use folio_answer::llm::{citations, prompt};
use folio_answer::LocalBackend;
use folio_core::grounded::GroundedRemoteChat;
use folio_core::{
    Answer, AnswerKind, Backend, BackendKind, ChatTurn, Conversation, ConversationSummary, ConversationUpdate,
    ConverseRequest, CreatedConversation, Error, ErrorKind, ListQuery, NewConversation, Result, SourceFact, TokenSink,
};
use folio_engine::SearchHit;

#[derive(Clone)]
pub struct AiriaBackend {
    client: AiriaClient,
    local: LocalBackend,
}

impl AiriaBackend {
    /// `local` is the app's local backend (the same engine and data folder): documents
    /// are read and retrieved there, and Folio's index of Airia conversations is kept.
    pub fn new(config: AiriaConfig, local: LocalBackend) -> std::result::Result<Self, AiriaError> {
        let client = AiriaClient::new(config)?;
        Ok(AiriaBackend { client, local })
    }

    pub fn client(&self) -> &AiriaClient {
        &self.client
    }

    pub fn local(&self) -> &LocalBackend {
        &self.local
    }

    /// The Airia conversation id behind a Folio conversation on Airia.
    pub async fn airia_id(&self, id: &str) -> Result<String> {
        Ok(self.row(id).await?.airia_id)
    }

    /// The Settings screen's "Test connection".
    pub async fn test_connection(&self) -> ConnectionReport {
        self.client.test_connection().await
    }

    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&folio_engine::Engine) -> std::result::Result<T, AiriaError> + Send + 'static,
    ) -> Result<T> {
        let engine = self.local.engine().clone();
        tokio::task::spawn_blocking(move || f(&engine))
            .await
            .map_err(|e| Error::Internal(format!("Folio's Airia index failed: {e}")))?
            .map_err(Error::from)
    }

    /// The index row of a Folio conversation on Airia; NotFound for any other id.
    async fn row(&self, id: &str) -> Result<index::IndexRow> {
        let key = id.to_string();
        self.blocking(move |e| index::get(e, &key)).await?.ok_or_else(|| {
            Error::NotFound(format!(
                "Conversation {id} is not one of Folio's Airia conversations (it may have been deleted)"
            ))
        })
    }

    async fn record(
        &self,
        local_id: &str,
        role: &'static str,
        content: String,
        meta: Option<serde_json::Value>,
    ) -> Result<i64> {
        let id = local_id.to_string();
        self.blocking(move |e| {
            e.store().add_message(&id, role, &content, meta.as_ref()).map_err(|err| AiriaError::Index(err.to_string()))
        })
        .await
    }
}

/// The user input sent to Airia: the local engine's passages numbered [1]..[n] with
/// their document and page (the same prompt Folio gives a local model), then the
/// question. Airia keeps the conversation's earlier turns itself (`saveHistory`).
pub fn grounded_input(question: &str, hits: &[SearchHit]) -> String {
    let messages = prompt::messages(question, hits, None);
    let mut text = String::new();
    for m in &messages {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&m.content);
    }
    if hits.is_empty() {
        text = text.replace("Passages:\n", "Passages: none of the user's documents matched this question.\n");
    }
    text
}

/// Airia holds the chat; the conversation's id is its local half's (Folio's own index
/// says which Airia conversation is behind it).
#[async_trait]
impl GroundedRemoteChat for AiriaBackend {
    fn service(&self) -> BackendKind {
        BackendKind::Airia
    }

    fn documents(&self) -> &dyn Backend {
        self.local.engine().documents()
    }

    async fn local_half(&self, id: &str) -> Result<Option<String>> {
        self.row(id).await?;
        Ok(Some(id.to_string()))
    }

    /// Creates the Airia conversation first (so a bad key or an unknown deployment
    /// leaves nothing behind), then the local one with the files, then the index row.
    async fn create_chat(&self, new: NewConversation) -> Result<CreatedConversation> {
        let name = new.name.trim().to_string();
        if name.is_empty() {
            return Err(Error::InvalidInput("A conversation needs a name".into()));
        }
        let created = self.client.create_conversation(&self.client.new_conversation(Some(name.clone()))).await?;
        let airia_id = created.conversation_id;
        let local = match self.local.create_conversation(NewConversation { name: name.clone(), ..new }).await {
            Ok(local) => local,
            Err(e) => {
                if let Err(undo) = self.client.delete_conversation(&airia_id).await {
                    tracing::warn!("could not remove Airia conversation {airia_id} after a local failure: {undo}");
                }
                return Err(e);
            }
        };
        self.local.hold_for(&local.id, BackendKind::Airia).await?;
        let (local_id, a, t) = (local.id.clone(), airia_id.clone(), name.clone());
        self.blocking(move |e| index::insert(e, &local_id, &a, &t)).await?;
        Ok(local)
    }

    /// Folio's own index (Airia has no list endpoint), with the engine's names and dates.
    async fn list_chats(&self, query: &ListQuery) -> Result<Vec<ConversationSummary>> {
        let ours: Vec<String> = self.blocking(index::list).await?.into_iter().map(|r| r.local_id).collect();
        let held = self.local.list_held(query, BackendKind::Airia).await?;
        Ok(held.into_iter().filter(|c| ours.contains(&c.id)).collect())
    }

    async fn get_chat(&self, id: &str) -> Result<Conversation> {
        self.row(id).await?;
        self.local.get_conversation(id).await
    }

    /// Airia has no update endpoint: the name and description change in Folio only
    /// (Airia keeps the title it was created with; nothing Airia does depends on it).
    async fn update_chat(&self, id: &str, update: &ConversationUpdate) -> Result<()> {
        self.row(id).await?;
        self.local.update_conversation(id, update).await?;
        if let Some(name) = update.name.clone() {
            let key = id.to_string();
            self.blocking(move |e| index::rename(e, &key, &name)).await?;
        }
        Ok(())
    }

    /// Deletes on Airia first; if Airia refuses (other than "already gone"), nothing
    /// is deleted locally, so the user can try again.
    async fn delete_chat(&self, id: &str) -> Result<()> {
        let row = self.row(id).await?;
        match self.client.delete_conversation(&row.airia_id).await {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
        self.local.delete_conversation(id).await?;
        let key = id.to_string();
        self.blocking(move |e| index::remove(e, &key)).await
    }

    /// The local passages go to Airia inside the user input; with a sink the answer is
    /// asked for as a stream (`asyncOutput`), without one in one piece, as the SDK's two
    /// calls do.
    async fn ask(&self, id: &str, request: &ConverseRequest, sink: Option<TokenSink<'_>>) -> Result<Answer> {
        let question = request.question.trim().to_string();
        if question.is_empty() {
            return Err(Error::InvalidInput("The question is empty".into()));
        }
        let row = self.row(id).await?;
        let documents = (!request.document_ids.is_empty()).then(|| request.document_ids.clone());
        let hits = self.local.retrieve(id, &question, documents, request.mode, None).await.map_err(Error::from)?;
        // The question goes into Folio's history before Airia is asked, so a failure
        // (or a cancelled stream) never loses it.
        self.record(id, "user", question.clone(), None).await?;
        let turn = self.client.chat_turn(Some(&row.airia_id), grounded_input(&question, &hits), sink.is_some());
        let reply = match sink {
            Some(sink) => self.client.execute_streaming(&turn, sink).await.map(|a| a.text),
            None => self.client.execute(&turn).await.map(|r| r.result.unwrap_or_default()),
        };
        match reply {
            Ok(text) => {
                let (text, sources) = citations::map(&text, &hits);
                // Airia's model cites by number; Folio still checks each sentence itself.
                let (sources, sentences) = self.local.prove_answer(&question, &text, sources, &hits).await;
                let meta = serde_json::json!({"kind": AnswerKind::Generated, "sources": sources,
                    "sentences": sentences, "backend": "airia"});
                let prompt_id = self.record(id, "assistant", text.clone(), Some(meta)).await?;
                Ok(Answer { prompt_id: prompt_id.to_string(), text, sources, kind: AnswerKind::Generated, sentences })
            }
            Err(err) => {
                let error = Error::from(err);
                let meta = serde_json::json!({"kind": AnswerKind::Generated, "sources": [], "backend": "airia",
                    "error": error.payload()});
                // Recording the failure must not hide it: the Airia error is what the user needs.
                if let Err(e) =
                    self.record(id, "assistant", format!("Airia could not answer: {error}"), Some(meta)).await
                {
                    tracing::error!("could not record Airia's failure in the history: {e}");
                }
                Err(error)
            }
        }
    }

    /// The turns Folio recorded as they were asked (with their pages and checked
    /// sentences); Airia's own copy has no citations, so it is not read back.
    async fn chat_history(&self, id: &str) -> Result<Vec<ChatTurn>> {
        self.row(id).await?;
        self.local.history(id).await
    }

    /// Airia's own record of the conversation (`GET v1/Conversations/{id}`, seed 003).
    async fn chat_facts(&self, id: &str) -> Result<Vec<SourceFact>> {
        let row = self.row(id).await?;
        let airia = self.client.get_conversation(&row.airia_id).await?;
        Ok(crate::facts::facts(&airia))
    }
}
