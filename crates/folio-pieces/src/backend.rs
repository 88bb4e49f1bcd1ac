//! Pieces OS's chat grounded in Folio's local engine (a `GroundedRemoteChat`, so
//! folio-core gives it the whole `Backend`). A Folio
//! conversation on Pieces is a Pieces conversation (it holds the chat, and Pieces lists
//! it; its id is the Folio id) linked to a local-engine conversation that holds the
//! documents (read on this computer, as with Local). A question retrieves passages
//! locally, sends them numbered as the question's `relevant` seeds over the stream with
//! the Pieces conversation id, and maps the [n] citations in the reply back to pages.
//! Every turn is also written to the local history, an unanswered one with its reason.

use crate::client::PiecesClient;
use crate::config::PiecesConfig;
use crate::error::PiecesError;
use crate::links;
use crate::wire;
use async_trait::async_trait;
use folio_answer::llm::citations;
use folio_answer::LocalBackend;
use folio_core::grounded::GroundedRemoteChat;
use folio_core::{
    Answer, AnswerKind, Backend, BackendKind, ChatTurn, Conversation, ConversationState, ConversationSummary,
    ConversationUpdate, ConverseRequest, CreatedConversation, Error, ListQuery, NewConversation, Result, TokenSink,
};
use folio_engine::SearchHit;
use serde_json::Value;
use std::sync::Arc;

/// How many retrieved passages go to Pieces with a question.
pub const PASSAGES_SENT: usize = 6;

/// Appended to the question so the model cites the numbered passages (Pieces has no
/// separate system prompt on this path).
pub const CITE_INSTRUCTION: &str =
    "Answer from the numbered passages given as context and cite each one you use by its number in square brackets, like [1].";

#[derive(Clone)]
pub struct PiecesBackend {
    client: Arc<PiecesClient>,
    local: LocalBackend,
}

impl PiecesBackend {
    /// Pieces OS as `config` finds it, with documents kept by `local` (the app's one
    /// `LocalBackend`, sharing its engine).
    pub fn new(config: PiecesConfig, local: LocalBackend) -> std::result::Result<Self, PiecesError> {
        Ok(PiecesBackend { client: Arc::new(PiecesClient::new(config)?), local })
    }

    pub fn client(&self) -> &PiecesClient {
        &self.client
    }

    /// For Settings' "Test connection": where Pieces answers, that Folio could register,
    /// and the model it will ask; or, in words, what is wrong.
    pub async fn test_connection(&self) -> Result<String> {
        let session = self.client.session().await?.clone();
        let model = self.client.model_id().await?.to_string();
        let models = self.client.models().await?;
        let name = models.iter().find(|m| m.id == model).map(|m| m.name.clone()).unwrap_or(model);
        Ok(format!("Pieces OS answers at {}; Folio is registered and will ask {name}.", session.base))
    }

    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&folio_engine::Engine) -> folio_engine::Result<T> + Send + 'static,
    ) -> Result<T> {
        let engine = self.local.engine().clone();
        tokio::task::spawn_blocking(move || f(&engine))
            .await
            .map_err(|e| Error::Internal(format!("Folio's database task failed: {e}")))?
            .map_err(|e| Error::Internal(format!("Folio's database failed: {e}")))
    }

    async fn linked(&self, pieces_id: &str) -> Result<Option<String>> {
        let id = pieces_id.to_string();
        self.blocking(move |e| links::local_id(e, &id)).await
    }

    /// The local conversation for a Pieces one, made on first need (a conversation
    /// started in Pieces itself has none until documents are added).
    async fn ensure_linked(&self, pieces_id: &str) -> Result<String> {
        if let Some(local) = self.linked(pieces_id).await? {
            return Ok(local);
        }
        let pieces = self.client.get_conversation(pieces_id).await?;
        let name = pieces.name.unwrap_or_else(|| "Pieces conversation".into());
        let created = self.local.create_conversation(NewConversation { name, ..Default::default() }).await?;
        self.local.hold_for(&created.id, BackendKind::Pieces).await?;
        let (p, l) = (pieces_id.to_string(), created.id.clone());
        self.blocking(move |e| links::insert(e, &p, &l)).await?;
        Ok(created.id)
    }

    /// Records a turn in the local history; a failure to record is logged, never
    /// allowed to hide the answer or the error the user is about to see.
    async fn record(
        &self,
        local_id: Option<String>,
        question: &str,
        outcome: std::result::Result<(&str, &[folio_core::Source], &[folio_core::AnswerSentence]), &Error>,
    ) -> Option<i64> {
        let local_id = local_id?;
        let (q, text, meta) = match outcome {
            Ok((text, sources, sentences)) => (
                question.to_string(),
                text.to_string(),
                serde_json::json!({"kind": AnswerKind::Generated, "sources": sources, "sentences": sentences,
                    "backend": "pieces"}),
            ),
            Err(e) => (
                question.to_string(),
                format!("Pieces OS did not answer: {e}"),
                serde_json::json!({"error": e.payload(), "backend": "pieces"}),
            ),
        };
        let engine = self.local.engine().clone();
        let recorded = tokio::task::spawn_blocking(move || -> std::result::Result<i64, String> {
            let store = engine.store();
            store.add_message(&local_id, "user", &q, None).map_err(|e| e.to_string())?;
            store.add_message(&local_id, "assistant", &text, Some(&meta)).map_err(|e| e.to_string())
        })
        .await;
        match recorded {
            Ok(Ok(id)) => Some(id),
            Ok(Err(e)) => {
                tracing::error!("could not record a Pieces turn in Folio's history: {e}");
                None
            }
            Err(e) => {
                tracing::error!("could not record a Pieces turn in Folio's history: {e}");
                None
            }
        }
    }
}

/// Passages numbered [1]..[n] with document and page, as `relevant` seeds.
pub fn seeds(application: &Value, hits: &[SearchHit]) -> Vec<Value> {
    hits.iter()
        .enumerate()
        .map(|(i, p)| {
            let place = p.page_label.clone().unwrap_or_else(|| format!("page {}", p.page));
            wire::relevant_seed(application, &format!("[{}] ({}, {place})\n{}", i + 1, p.document_name, p.text.trim()))
        })
        .collect()
}

/// Pieces OS holds the chat under its own conversation ids; a link says which local
/// conversation holds its documents (made when the first document is added).
#[async_trait]
impl GroundedRemoteChat for PiecesBackend {
    fn service(&self) -> BackendKind {
        BackendKind::Pieces
    }

    fn documents(&self) -> &dyn Backend {
        self.local.engine().documents()
    }

    async fn local_half(&self, id: &str) -> Result<Option<String>> {
        self.linked(id).await
    }

    async fn local_half_or_new(&self, id: &str) -> Result<String> {
        self.ensure_linked(id).await
    }

    /// The Pieces conversation first (if Pieces is down nothing is made locally), then
    /// the local one with the files; if that fails, the Pieces one is removed again.
    async fn create_chat(&self, new: NewConversation) -> Result<CreatedConversation> {
        let name = new.name.trim().to_string();
        if name.is_empty() {
            return Err(Error::InvalidInput("a conversation needs a name".into()));
        }
        let pieces = self.client.create_conversation(&name).await?;
        let local = match self.local.create_conversation(NewConversation { name: name.clone(), ..new }).await {
            Ok(local) => local,
            Err(e) => {
                if let Err(undo) = self.client.delete_conversation(&pieces.id).await {
                    tracing::warn!("could not remove Pieces conversation {} after a failed create: {undo}", pieces.id);
                }
                return Err(e);
            }
        };
        self.local.hold_for(&local.id, BackendKind::Pieces).await?;
        let (p, l) = (pieces.id.clone(), local.id.clone());
        self.blocking(move |e| links::insert(e, &p, &l)).await?;
        Ok(CreatedConversation { id: pieces.id, name, upload: local.upload })
    }

    async fn list_chats(&self, query: &ListQuery) -> Result<Vec<ConversationSummary>> {
        let mut list: Vec<ConversationSummary> = self
            .client
            .list_conversations()
            .await?
            .into_iter()
            .map(|c| ConversationSummary {
                name: c.name.clone().unwrap_or_else(|| "New Conversation".into()),
                created_at: c.created.as_ref().and_then(wire::GroupedTimestamp::parse),
                updated_at: c.updated.as_ref().and_then(wire::GroupedTimestamp::parse),
                id: c.id,
                description: None,
            })
            .collect();
        if let Some(search) = query.search.as_deref().map(str::to_lowercase).filter(|s| !s.is_empty()) {
            list.retain(|c| c.name.to_lowercase().contains(&search));
        }
        let key = |c: &ConversationSummary| match query.sort_key.unwrap_or_default() {
            folio_core::SortKey::CreatedAt => c.created_at,
            folio_core::SortKey::UpdatedAt => c.updated_at,
        };
        // Newest first unless asked otherwise; ties keep Pieces' own order (stable sort).
        let ascending = query.ascending.unwrap_or(false);
        list.sort_by(|a, b| if ascending { key(a).cmp(&key(b)) } else { key(b).cmp(&key(a)) });
        Ok(list)
    }

    async fn get_chat(&self, id: &str) -> Result<Conversation> {
        let pieces = self.client.get_conversation(id).await?;
        let documents = match self.linked(id).await? {
            Some(local) => self.local.get_conversation(&local).await?.documents,
            None => Vec::new(),
        };
        Ok(Conversation {
            id: pieces.id.clone(),
            name: pieces.name.clone().unwrap_or_else(|| "New Conversation".into()),
            description: None,
            state: ConversationState::Complete,
            documents,
            created_at: pieces.created.as_ref().and_then(wire::GroupedTimestamp::parse),
            updated_at: pieces.updated.as_ref().and_then(wire::GroupedTimestamp::parse),
        })
    }

    async fn update_chat(&self, id: &str, update: &ConversationUpdate) -> Result<()> {
        if let Some(name) = &update.name {
            self.client.rename_conversation(id, name).await?;
        }
        if let Some(local) = self.linked(id).await? {
            self.local.update_conversation(&local, update).await?;
        }
        Ok(())
    }

    /// Pieces first; a conversation Pieces already lost (404/410) is still removed here.
    async fn delete_chat(&self, id: &str) -> Result<()> {
        match self.client.delete_conversation(id).await {
            Ok(()) => {}
            Err(e) if e.kind() == folio_core::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
        if let Some(local) = self.linked(id).await? {
            match self.local.delete_conversation(&local).await {
                Ok(()) => {}
                Err(e) if e.kind() == folio_core::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
            let p = id.to_string();
            self.blocking(move |e| links::remove(e, &p)).await?;
        }
        Ok(())
    }

    /// Pieces OS always streams; without a sink the pieces are simply not shown.
    async fn ask(&self, id: &str, request: &ConverseRequest, sink: Option<TokenSink<'_>>) -> Result<Answer> {
        let sink = sink.unwrap_or(&|_: &str| {});
        let question = request.question.trim().to_string();
        if question.is_empty() {
            return Err(Error::InvalidInput("The question is empty".into()));
        }
        let local = self.linked(id).await?;
        let session = match self.client.session().await {
            Ok(s) => s.clone(),
            Err(e) => {
                let e = Error::from(e);
                self.record(local, &question, Err(&e)).await;
                return Err(e);
            }
        };
        let hits = match &local {
            Some(local_id) => {
                let documents = (!request.document_ids.is_empty()).then(|| request.document_ids.clone());
                let mut hits = self.local.retrieve(local_id, &question, documents, request.mode, None).await?;
                hits.truncate(PASSAGES_SENT);
                hits
            }
            None => Vec::new(),
        };
        let query = if hits.is_empty() { question.clone() } else { format!("{question}\n\n{CITE_INSTRUCTION}") };
        let relevant = seeds(&session.application, &hits);
        match self.client.ask_stream(Some(id), &query, relevant, sink).await {
            Ok(streamed) => {
                let (text, sources) = citations::map(&streamed.text, &hits);
                // Pieces' model cites by number; Folio still checks each sentence itself.
                let (sources, sentences) = self.local.prove_answer(&question, &text, sources, &hits).await;
                let prompt_id = self.record(local, &question, Ok((&text, &sources, &sentences))).await;
                Ok(Answer {
                    prompt_id: prompt_id
                        .map(|p| p.to_string())
                        .unwrap_or_else(|| format!("pieces-{}", streamed.frames)),
                    text,
                    sources,
                    kind: AnswerKind::Generated,
                    sentences,
                })
            }
            Err(e) => {
                let e = Error::from(e);
                self.record(local, &question, Err(&e)).await;
                Err(e)
            }
        }
    }

    /// Folio's record of the turns it asked (pages and checked sentences) when it has
    /// one; otherwise Pieces' own messages (a conversation started in Pieces itself, or
    /// asked there before documents were added in Folio).
    async fn chat_history(&self, id: &str) -> Result<Vec<ChatTurn>> {
        if let Some(local) = self.linked(id).await? {
            let recorded = self.local.history(&local).await?;
            if !recorded.is_empty() {
                return Ok(recorded);
            }
        }
        Ok(crate::history::turns_from_messages(&self.client.messages(id).await?))
    }
}
