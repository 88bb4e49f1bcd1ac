//! `LocalBackend`: `folio_core::Backend` for Folio's own engine. Conversations and
//! documents are the engine's (`folio-engine`); questions, chatbots and queries are
//! answered here, with a language model when one is set up and by quoting otherwise.

use crate::absent;
use crate::chatbots;
use crate::error::{AnswerError, Result};
use crate::extract;
use crate::history;
use crate::llm::{self, prompt, written, TokenSink};
use crate::queries;
use crate::remote_halves;
use crate::retrieve::{self, Retriever};
use crate::settings::{AnswerSettings, ProviderSettings};
use crate::verify;
use async_trait::async_trait;
use folio_core::{
    Answer, AnswerKind, AnswerSentence, Backend, BackendKind, ChatTurn, ChatbotEntry, ChatbotFrom, Conversation,
    ConversationSummary, ConversationUpdate, ConverseMode, ConverseRequest, CreatedConversation, DocumentDetails,
    DocumentId, DocumentMetadata, FollowOptions, ListQuery, NewConversation, PageView, ProgressSink, QueryModel,
    QueryRequest, QueryResult, QuerySource, QueryStatus, Source, UploadStatus,
};
use folio_engine::{Engine, SearchHit};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

/// Cheap to clone; clones share the engine, the retriever and the running queries.
#[derive(Clone)]
pub struct LocalBackend {
    inner: Arc<Inner>,
}

struct Inner {
    engine: Engine,
    retriever: Arc<Retriever>,
    settings: RwLock<AnswerSettings>,
    running: Mutex<Vec<tokio::task::JoinHandle<()>>>,
}

fn no_sink(_: &str) {}

/// An answer before it is recorded.
struct Reply {
    text: String,
    sources: Vec<Source>,
    kind: AnswerKind,
    sentences: Vec<AnswerSentence>,
}

impl Reply {
    /// Folio's answer when the question names something no document in scope mentions.
    fn refusal(missing: &[String]) -> Reply {
        Reply { text: absent::refusal(missing), sources: Vec::new(), kind: AnswerKind::Quoted, sentences: Vec::new() }
    }
}

impl LocalBackend {
    /// Wraps an open engine (whose store made every table when it opened).
    pub fn new(engine: Engine, settings: AnswerSettings) -> Result<LocalBackend> {
        let retriever = Arc::new(Retriever::new(engine.clone()));
        Ok(LocalBackend {
            inner: Arc::new(Inner {
                engine,
                retriever,
                settings: RwLock::new(settings),
                running: Mutex::new(Vec::new()),
            }),
        })
    }

    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// Marks a local conversation as the local half of one on `backend` (Airia, Pieces
    /// OS): from now on only that backend lists it.
    pub async fn hold_for(&self, local_id: &str, backend: BackendKind) -> folio_core::Result<()> {
        let id = local_id.to_string();
        Ok(self.blocking(move |me| remote_halves::hold(&me.inner.engine, &id, backend)).await?)
    }

    /// The local halves `backend` holds, sorted and searched as `query` says.
    pub async fn list_held(
        &self,
        query: &ListQuery,
        backend: BackendKind,
    ) -> folio_core::Result<Vec<ConversationSummary>> {
        let all = self.inner.engine.list_conversations(query).await?;
        let held = self.blocking(move |me| remote_halves::held(&me.inner.engine, Some(backend))).await?;
        Ok(all.into_iter().filter(|c| held.contains(&c.id)).collect())
    }

    pub fn retriever(&self) -> &Retriever {
        &self.inner.retriever
    }

    pub fn settings(&self) -> AnswerSettings {
        self.inner.settings.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Switches the language model (or back to quoting) for the next questions.
    pub fn set_settings(&self, settings: AnswerSettings) {
        *self.inner.settings.write().unwrap_or_else(|p| p.into_inner()) = settings;
    }

    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(LocalBackend) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let me = self.clone();
        tokio::task::spawn_blocking(move || f(me))
            .await
            .map_err(|e| AnswerError::Internal(format!("the answering engine failed: {e}")))?
    }

    /// Names the question gives that no document in scope mentions (`absent`).
    pub async fn unmentioned(
        &self,
        conversation_id: &str,
        question: &str,
        documents: Option<Vec<DocumentId>>,
    ) -> Result<Vec<String>> {
        let (id, q) = (conversation_id.to_string(), question.to_string());
        self.blocking(move |me| absent::unmentioned_names(&me.inner.engine, &id, documents.as_deref(), &q)).await
    }

    /// Retrieval for a question (blocking work off the async threads).
    pub async fn retrieve(
        &self,
        conversation_id: &str,
        question: &str,
        documents: Option<Vec<DocumentId>>,
        mode: ConverseMode,
        previous: Option<String>,
    ) -> Result<Vec<SearchHit>> {
        let (id, q) = (conversation_id.to_string(), question.to_string());
        self.blocking(move |me| {
            let mut request = retrieve::Request::new(&id, &q, documents.as_deref(), mode);
            if let Some(prev) = previous {
                // The previous question gives a follow-up its subject ("its default?").
                request.queries.push((format!("{prev} {q}"), 0.6));
            }
            me.inner.retriever.retrieve(&request)
        })
        .await
    }

    /// Answers from retrieved passages: the model's answer checked sentence by sentence
    /// (`llm::written`), or the quoted answer when no model is set up, the model fails or
    /// its answer cannot be checked (the reason is said first, in one sentence).
    async fn answer_from(
        &self,
        question: &str,
        hits: Vec<SearchHit>,
        previous: Option<&prompt::PreviousTurn>,
        sink: TokenSink<'_>,
    ) -> Reply {
        let settings = self.settings();
        let mut note = String::new();
        if let (Some(provider), false) = (llm::provider(&settings), hits.is_empty()) {
            let who = match settings.provider {
                Some(ProviderSettings::Builtin { .. }) => "The built-in model",
                _ => "The language model",
            };
            match self.written_answer(provider.as_ref(), question, &hits, previous, sink).await {
                Ok(Ok(w)) => {
                    return Reply {
                        text: w.text,
                        sources: w.sources,
                        kind: AnswerKind::Generated,
                        sentences: w.sentences,
                    }
                }
                Ok(Err(rejected)) => {
                    tracing::info!("{} answered, but not shown: {rejected:?}", provider.describe());
                    note = format!("{}\n\n", rejected.sentence(who));
                }
                Err(e) => {
                    tracing::warn!("{} could not answer: {e}", provider.describe());
                    note = format!("The language model could not answer ({e}), so Folio quotes instead.\n\n");
                }
            }
        }
        let q = question.to_string();
        let quoted = self
            .blocking(move |me| Ok(extract::quoted_answer(&q, &hits, Some(&me.inner.retriever))))
            .await
            .unwrap_or_else(|e| (format!("{}: {e}", extract::NOTHING_FOUND), Vec::new()));
        let text = format!("{note}{}", quoted.0);
        let sentences = verify::quoted_sentences(&text, &quoted.1);
        Reply { text, sources: quoted.1, kind: AnswerKind::Quoted, sentences }
    }

    /// The model answers from a few evidence sentences; Folio cuts loops and run-ons and
    /// checks each sentence. Err: the model failed; Ok(Err): it answered, but not so
    /// that Folio can show it.
    async fn written_answer(
        &self,
        provider: &dyn llm::Provider,
        question: &str,
        hits: &[SearchHit],
        previous: Option<&prompt::PreviousTurn>,
        sink: TokenSink<'_>,
    ) -> Result<std::result::Result<written::Written, written::Rejected>> {
        let (q, h) = (question.to_string(), hits.to_vec());
        let evidence = self
            .blocking(move |me| Ok(verify::evidence::choose(&q, &h, Some(&me.inner.retriever), written::FACTS)))
            .await?;
        if evidence.is_empty() {
            return Ok(Err(written::Rejected::NoAnswer));
        }
        let messages = written::messages(question, &evidence, previous);
        let (raw, cut) = written::guarded_chat(provider, &messages, sink, written::MAX_CHARS).await?;
        let text = match written::clean(&raw, cut) {
            Ok(text) => text,
            Err(rejected) => return Ok(Err(rejected)),
        };
        let (q, h) = (question.to_string(), hits.to_vec());
        self.blocking(move |me| {
            let mut sources = Vec::new();
            let proof = verify::prove(&q, &text, &evidence, &h, &mut sources, Some(&me.inner.retriever));
            Ok(written::accept(&text, proof, sources))
        })
        .await
    }

    /// The proof of an answer another backend wrote (Airia, Pieces) from `hits`, the
    /// local passages it was sent: each sentence matched to them or marked not found;
    /// supporting passages the answer did not cite are added to `sources`.
    pub async fn prove_answer(
        &self,
        question: &str,
        text: &str,
        mut sources: Vec<Source>,
        hits: &[SearchHit],
    ) -> (Vec<Source>, Vec<AnswerSentence>) {
        let (q, t, h, before) = (question.to_string(), text.to_string(), hits.to_vec(), sources.clone());
        let proved = self
            .blocking(move |me| {
                let evidence = verify::evidence::all(&h);
                let proof = verify::prove(&q, &t, &evidence, &h, &mut sources, Some(&me.inner.retriever));
                Ok((sources, proof.sentences))
            })
            .await;
        proved.unwrap_or((before, Vec::new()))
    }

    pub async fn create_chatbot(
        &self,
        name: &str,
        description: Option<&str>,
        source: ChatbotFrom,
    ) -> Result<ChatbotEntry> {
        let name = name.trim().to_string();
        if name.is_empty() {
            return Err(AnswerError::InvalidInput("A chatbot needs a name".into()));
        }
        let description = description.map(str::to_string);
        let (conversation_id, owns) = match source {
            ChatbotFrom::Conversation(id) => {
                self.inner.engine.get_conversation(&id).await.map_err(core_to_answer)?;
                (id, false)
            }
            ChatbotFrom::Files(files) => (self.backing_conversation(&name, files).await?, true),
            ChatbotFrom::Folder(dir) => {
                if !dir.is_dir() {
                    return Err(AnswerError::InvalidInput(format!("{} is not a folder", dir.display())));
                }
                let files = folio_core::files::expand_folders(&[dir]).map_err(core_to_answer)?;
                (self.backing_conversation(&name, files).await?, true)
            }
        };
        self.blocking(move |me| {
            chatbots::insert(&me.inner.engine, &name, description.as_deref(), &conversation_id, owns)
        })
        .await
    }

    async fn backing_conversation(&self, name: &str, files: Vec<PathBuf>) -> Result<String> {
        let new = NewConversation { name: format!("Chatbot: {name}"), files, ..Default::default() };
        Ok(self.inner.engine.create_conversation(new).await.map_err(core_to_answer)?.id)
    }

    pub async fn list_chatbots(&self) -> Result<Vec<ChatbotEntry>> {
        self.blocking(|me| chatbots::list(&me.inner.engine)).await
    }

    pub async fn chatbot(&self, id: &str) -> Result<ChatbotEntry> {
        let id = id.to_string();
        self.blocking(move |me| chatbots::get(&me.inner.engine, &id)).await
    }

    pub async fn rename_chatbot(&self, id: &str, name: &str, description: Option<&str>) -> Result<()> {
        let name = name.trim().to_string();
        if name.is_empty() {
            return Err(AnswerError::InvalidInput("A chatbot needs a name".into()));
        }
        let (id, description) = (id.to_string(), description.map(|d| d.trim().to_string()).filter(|d| !d.is_empty()));
        self.blocking(move |me| chatbots::rename(&me.inner.engine, &id, &name, description.as_deref())).await
    }

    /// Deletes a chatbot, and the documents it owns (never a conversation it only used).
    pub async fn delete_chatbot(&self, id: &str) -> Result<()> {
        let id = id.to_string();
        let row = self.blocking(move |me| chatbots::delete(&me.inner.engine, &id)).await?;
        if row.owns_documents {
            self.inner.engine.delete_conversation(&row.conversation_id).await.map_err(core_to_answer)?;
        }
        Ok(())
    }

    /// Waits until every query this process started has settled (the CLI calls it
    /// before exiting, so `queries run` leaves a finished query behind).
    pub async fn wait_for_queries(&self) {
        loop {
            let handles: Vec<_> = std::mem::take(&mut *self.inner.running.lock().unwrap_or_else(|p| p.into_inner()));
            if handles.is_empty() {
                return;
            }
            for h in handles {
                let _ = h.await;
            }
        }
    }

    async fn run_query_now(&self, request: &QueryRequest) -> Result<Vec<QueryResult>> {
        let conversation_id = match &request.source {
            QuerySource::Chatbot(id) => self.chatbot(id).await?.conversation_id,
            QuerySource::Conversation(id) => id.clone(),
        };
        let conversation =
            self.inner.engine.get_conversation(&conversation_id).await.map_err(|e| match &request.source {
                QuerySource::Chatbot(id) => {
                    AnswerError::NotFound(format!("the documents of chatbot {id} are gone ({e})"))
                }
                QuerySource::Conversation(_) => core_to_answer(e),
            })?;
        if conversation.documents.is_empty() {
            return Err(AnswerError::InvalidInput(format!("{} has no documents to answer from", conversation.name)));
        }
        if !conversation.documents.iter().any(|d| d.stage.is_askable()) {
            return Err(AnswerError::InvalidInput(format!("no document of {} is ready (read) yet", conversation.name)));
        }
        let question = request.query.trim();
        if question.is_empty() {
            return Err(AnswerError::InvalidInput("The query is empty".into()));
        }
        let parts: Vec<String> = match request.model.unwrap_or_default() {
            QueryModel::MultistepLite => vec![question.to_string()],
            QueryModel::Multistep => {
                let parts: Vec<String> =
                    retrieve::expand(question).into_iter().filter(|(_, w)| *w < 1.0).map(|(p, _)| p).collect();
                let parts: Vec<String> = parts.into_iter().filter(|p| p.split_whitespace().count() > 2).collect();
                if parts.len() > 1 {
                    parts
                } else {
                    vec![question.to_string()]
                }
            }
        };
        let mode = match request.model.unwrap_or_default() {
            QueryModel::MultistepLite => ConverseMode::Default,
            QueryModel::Multistep => ConverseMode::Advanced,
        };
        let mut response = String::new();
        let mut sources: Vec<Source> = Vec::new();
        for part in &parts {
            let missing = self.unmentioned(&conversation_id, part, None).await?;
            let Reply { text, sources: found, .. } = if missing.is_empty() {
                let hits = self.retrieve(&conversation_id, part, None, mode, None).await?;
                self.answer_from(part, hits, None, &no_sink).await
            } else {
                Reply::refusal(&missing)
            };
            if parts.len() > 1 {
                response.push_str(&format!("{part}:\n{text}\n\n"));
            } else {
                response = text;
            }
            for s in found {
                if !sources.iter().any(|x| x.document_id == s.document_id && x.page == s.page && x.passage == s.passage)
                {
                    sources.push(s);
                }
            }
        }
        let sources = if request.include_source_info { sources } else { Vec::new() };
        Ok(vec![QueryResult { response: response.trim_end().to_string(), sources }])
    }
}

fn core_to_answer(e: folio_core::Error) -> AnswerError {
    match e.kind() {
        folio_core::ErrorKind::NotFound => AnswerError::NotFound(e.to_string()),
        folio_core::ErrorKind::InvalidInput => AnswerError::InvalidInput(e.to_string()),
        kind => AnswerError::provider(kind, e.to_string()),
    }
}

#[async_trait]
impl Backend for LocalBackend {
    fn kind(&self) -> BackendKind {
        BackendKind::Local
    }

    async fn create_conversation(&self, new: NewConversation) -> folio_core::Result<CreatedConversation> {
        self.inner.engine.create_conversation(new).await
    }

    /// The engine's conversations, without those that only hold a chatbot's documents
    /// or are the local half of an Airia or Pieces conversation.
    async fn list_conversations(&self, query: &ListQuery) -> folio_core::Result<Vec<ConversationSummary>> {
        let all = self.inner.engine.list_conversations(query).await?;
        let hidden = self
            .blocking(|me| {
                let mut hidden = chatbots::owned_conversations(&me.inner.engine)?;
                hidden.extend(remote_halves::held(&me.inner.engine, None)?);
                Ok(hidden)
            })
            .await?;
        Ok(all.into_iter().filter(|c| !hidden.contains(&c.id)).collect())
    }

    async fn get_conversation(&self, id: &str) -> folio_core::Result<Conversation> {
        self.inner.engine.get_conversation(id).await
    }

    async fn update_conversation(&self, id: &str, update: &ConversationUpdate) -> folio_core::Result<()> {
        self.inner.engine.update_conversation(id, update).await
    }

    async fn delete_conversation(&self, id: &str) -> folio_core::Result<()> {
        self.inner.engine.delete_conversation(id).await
    }

    // The documents half is the engine's, implemented there once.
    async fn page_view(&self, id: &str, document_id: DocumentId, page: u32) -> folio_core::Result<PageView> {
        self.inner.engine.documents().page_view(id, document_id, page).await
    }

    async fn render_page(
        &self,
        id: &str,
        document_id: DocumentId,
        page: u32,
        width_px: u32,
    ) -> folio_core::Result<Vec<u8>> {
        self.inner.engine.documents().render_page(id, document_id, page, width_px).await
    }

    async fn document_details(&self, id: &str, document_id: DocumentId) -> folio_core::Result<DocumentDetails> {
        self.inner.engine.documents().document_details(id, document_id).await
    }

    async fn cancel_documents(&self, id: &str, document_ids: &[DocumentId]) -> folio_core::Result<()> {
        self.inner.engine.documents().cancel_documents(id, document_ids).await
    }

    async fn retry_documents(&self, id: &str, document_ids: &[DocumentId]) -> folio_core::Result<()> {
        self.inner.engine.documents().retry_documents(id, document_ids).await
    }

    async fn history(&self, id: &str) -> folio_core::Result<Vec<ChatTurn>> {
        let cid = id.to_string();
        Ok(self.blocking(move |me| history::turns(&me.inner.engine, &cid)).await?)
    }

    /// Straight to the engine's reader on the blocking pool: a dropped file is one hop
    /// from the command to the code that stores and queues it.
    async fn add_documents(&self, id: &str, files: &[PathBuf], process: bool) -> folio_core::Result<UploadStatus> {
        let (id, files) = (id.to_string(), files.to_vec());
        Ok(self.blocking(move |me| Ok(me.inner.engine.add(&id, &files, process)?)).await?)
    }

    async fn delete_documents(&self, id: &str, document_ids: &[DocumentId]) -> folio_core::Result<()> {
        self.inner.engine.delete_documents(id, document_ids).await
    }

    async fn document_metadata(&self, id: &str, document_id: DocumentId) -> folio_core::Result<DocumentMetadata> {
        self.inner.engine.document_metadata(id, document_id).await
    }

    async fn converse(&self, id: &str, request: &ConverseRequest) -> folio_core::Result<Answer> {
        self.converse_streaming(id, request, &no_sink).await
    }

    /// The question answered from the conversation's documents (quoted, or written by the
    /// chosen model with every sentence checked), streamed to `sink` and recorded.
    async fn converse_streaming(
        &self,
        id: &str,
        request: &ConverseRequest,
        sink: TokenSink<'_>,
    ) -> folio_core::Result<Answer> {
        let question = request.question.trim().to_string();
        if question.is_empty() {
            return Err(folio_core::Error::InvalidInput("The question is empty".into()));
        }
        let cid = id.to_string();
        let previous = self
            .blocking(move |me| {
                if !me.inner.engine.store().conversation_exists(&cid)? {
                    return Err(folio_engine::store::conversation_not_found(&cid).into());
                }
                history::previous_turn(&me.inner.engine, &cid)
            })
            .await?
            .filter(|_| history::is_follow_up(&question));
        let documents = (!request.document_ids.is_empty()).then(|| request.document_ids.clone());
        let missing = self.unmentioned(id, &question, documents.clone()).await?;
        let Reply { text, sources, kind, sentences } = if missing.is_empty() {
            let hits = self
                .retrieve(id, &question, documents, request.mode, previous.as_ref().map(|p| p.question.clone()))
                .await?;
            self.answer_from(&question, hits, previous.as_ref(), sink).await
        } else {
            Reply::refusal(&missing)
        };
        let (cid, q, t, s, ss) = (id.to_string(), question.clone(), text.clone(), sources.clone(), sentences.clone());
        let prompt_id = self.blocking(move |me| history::record(&me.inner.engine, &cid, &q, &t, &s, kind, &ss)).await?;
        Ok(Answer { prompt_id: prompt_id.to_string(), text, sources, kind, sentences })
    }

    async fn run_query(&self, request: &QueryRequest) -> folio_core::Result<String> {
        let r = request.clone();
        let id = self.blocking(move |me| queries::start(&me.inner.engine, &r)).await?;
        let (me, qid, request) = (self.clone(), id.clone(), request.clone());
        let handle = tokio::spawn(async move {
            // The work runs in its own task so that even a panic ends as FAILED.
            let worker = me.clone();
            let outcome = tokio::spawn(async move { worker.run_query_now(&request).await }).await;
            let engine = me.inner.engine.clone();
            let recorded = tokio::task::spawn_blocking(move || match outcome {
                Ok(Ok(results)) => queries::complete(&engine, &qid, &results),
                Ok(Err(e)) => queries::fail(&engine, &qid, &e.to_string()),
                Err(e) => queries::fail(&engine, &qid, &format!("the query failed unexpectedly: {e}")),
            })
            .await;
            if let Ok(Err(e)) | Err(e) = recorded.map_err(|e| AnswerError::Internal(e.to_string())) {
                tracing::error!("could not record a query's outcome: {e}");
            }
        });
        self.inner.running.lock().unwrap_or_else(|p| p.into_inner()).push(handle);
        Ok(id)
    }

    async fn query_status(&self, query_id: &str) -> folio_core::Result<QueryStatus> {
        let id = query_id.to_string();
        Ok(self.blocking(move |me| queries::status(&me.inner.engine, &id)).await?)
    }

    async fn follow_documents(
        &self,
        id: &str,
        sink: ProgressSink,
        options: &FollowOptions,
    ) -> folio_core::Result<Conversation> {
        self.inner.engine.follow_documents(id, sink, options).await
    }
}
