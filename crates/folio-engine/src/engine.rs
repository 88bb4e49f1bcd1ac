//! The local engine: the store, the pipeline and the `Backend` implementation the app
//! and the CLI use.

use crate::error::{EngineError, Result};
use crate::pipeline::Pipeline;
use crate::settings::EngineSettings;
use crate::store::{display_name, SearchHit, Store};
use async_trait::async_trait;
use folio_core::{
    Answer, Backend, BackendKind, Conversation, ConversationSummary, ConversationUpdate, ConverseRequest,
    CreatedConversation, DocumentDetails, DocumentId, DocumentMetadata, DocumentProgress, DocumentStage, FollowOptions,
    ListQuery, NewConversation, PageView, ProgressReporter, ProgressSink, QueryRequest, QueryStatus, UploadFailure,
    UploadStatus,
};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

/// Cheap to clone; clones share one store and one worker pool.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<Store>,
    pipeline: Pipeline,
    settings: EngineSettings,
    /// Serialises adding documents with removing unreferenced stored copies, so a copy
    /// is never removed just as a new document starts using it.
    blob_lock: Mutex<()>,
}

impl Engine {
    /// Opens (or creates) the store under `data_dir` and, if the settings say so, starts
    /// the workers and resumes every document left unfinished by the last run.
    pub fn open(data_dir: &Path, settings: EngineSettings) -> Result<Engine> {
        Engine::open_with_sink(data_dir, settings, None)
    }

    /// As `open`, also reporting every stage and page change to `sink`.
    pub fn open_with_sink(data_dir: &Path, settings: EngineSettings, sink: Option<ProgressSink>) -> Result<Engine> {
        let store = Arc::new(Store::open(data_dir)?);
        let pipeline = Pipeline::start(store.clone(), settings.clone(), sink);
        let engine = Engine { inner: Arc::new(Inner { store, pipeline, settings, blob_lock: Mutex::new(()) }) };
        // Only the process holding the workers lock resumes, sets aside and cleans up:
        // another process on the same folder may be writing a copy right now.
        if engine.inner.pipeline.has_workers() {
            engine.inner.pipeline.set_aside_interrupted();
            for id in engine.inner.store.unfinished()? {
                engine.inner.pipeline.enqueue(id);
            }
            engine.inner.store.blobs.remove_stale_temp();
            engine.collect_garbage();
        }
        Ok(engine)
    }

    /// The engine as the documents half of a backend (its `Backend` implementation),
    /// where an inherent method of the same name would otherwise be found first.
    pub fn documents(&self) -> &dyn Backend {
        self
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn settings(&self) -> &EngineSettings {
        &self.inner.settings
    }

    /// Every stage and page change of every document, as it happens.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<DocumentProgress> {
        self.inner.pipeline.subscribe()
    }

    /// Stops the engine: no new work is taken, the workers and the embedder finish the
    /// page or batch in hand and are joined (at most `EngineSettings::shutdown_wait`),
    /// which releases the ONNX Runtime session before the process exits. Unfinished
    /// documents resume at the next open. Idempotent; dropping the last handle does the
    /// same. Looking (search, status, page views) keeps working; adding files does not.
    /// Returns false if a thread was still busy when the wait ran out.
    pub fn shutdown(&self) -> bool {
        self.inner.pipeline.shutdown(self.inner.settings.shutdown_wait)
    }

    /// Blocks until no document is queued or being read.
    pub fn wait_idle(&self) {
        self.inner.pipeline.wait_idle()
    }

    /// Blocks until every passage of every processed document has its embedding;
    /// Err says why embeddings are off.
    pub fn wait_embedded(&self) -> std::result::Result<(), String> {
        self.inner.pipeline.wait_embedded()
    }

    /// Keyword search over the documents of a conversation that are fully indexed: the
    /// passages best matching `query`, with page, character range and line boxes.
    pub fn search(
        &self,
        conversation_id: &str,
        query: &str,
        documents: Option<&[DocumentId]>,
        limit: usize,
    ) -> Result<Vec<SearchHit>> {
        if !self.inner.store.conversation_exists(conversation_id)? {
            return Err(crate::store::conversation_not_found(conversation_id));
        }
        self.inner.store.search(conversation_id, query, documents, limit)
    }

    /// Stops a document's processing; it ends as Cancelled.
    pub fn cancel_document(&self, conversation_id: &str, id: DocumentId) -> Result<()> {
        let doc = self.inner.store.document_in(conversation_id, id)?;
        self.inner.pipeline.cancel(id);
        if !doc.stage.is_terminal() && !self.inner.pipeline.has_workers() {
            self.inner.store.settle_unfinished(id, DocumentStage::Cancelled, None)?;
        }
        Ok(())
    }

    /// Reads a failed or cancelled document again from its stored copy.
    pub fn retry_document(&self, conversation_id: &str, id: DocumentId) -> Result<()> {
        let doc = self.inner.store.document_in(conversation_id, id)?;
        if self.inner.pipeline.is_shut_down() {
            return Err(EngineError::Unavailable(
                "The local engine is shutting down; try again after it restarts".into(),
            ));
        }
        if !self.inner.store.reset_for_retry(id)? {
            return Err(EngineError::InvalidInput(format!(
                "{} has not failed or been stopped, so there is nothing to retry",
                doc.name
            )));
        }
        self.inner.pipeline.retry(id);
        Ok(())
    }

    pub fn create(&self, new: &NewConversation) -> Result<CreatedConversation> {
        let name = new.name.trim();
        if name.is_empty() {
            return Err(EngineError::InvalidInput("A conversation needs a name".into()));
        }
        let id = self.inner.store.create_conversation(name, new.description.as_deref())?;
        let upload = self.add(&id, &new.files, true)?;
        Ok(CreatedConversation { id, name: name.to_string(), upload })
    }

    /// Copies files into the store and queues them. A file that cannot be copied (gone,
    /// unreadable, too big) is refused in the status with its reason; everything else
    /// becomes a document, which fails later with a reason if it cannot be read.
    pub fn add(&self, conversation_id: &str, files: &[PathBuf], process: bool) -> Result<UploadStatus> {
        let store = &self.inner.store;
        if process && self.inner.pipeline.is_shut_down() {
            return Err(EngineError::Unavailable(
                "The local engine is shutting down; add the files again after it restarts".into(),
            ));
        }
        if !store.conversation_exists(conversation_id)? {
            return Err(crate::store::conversation_not_found(conversation_id));
        }
        let existing = store.documents_of(conversation_id)?.len();
        if existing + files.len() > self.inner.settings.max_documents {
            return Err(EngineError::LimitExceeded(format!(
                "A conversation holds at most {} documents (setting max_documents); it has {existing} and {} were added",
                self.inner.settings.max_documents,
                files.len()
            )));
        }
        let mut status = UploadStatus::default();
        for file in files {
            let name = display_name(file);
            let _guard = self.inner.blob_lock.lock().unwrap_or_else(|p| p.into_inner());
            let blob = match store.blobs.put_file(file, self.inner.settings.max_file_bytes) {
                Ok(blob) => blob,
                Err(e) => {
                    status.failed.push(UploadFailure { name, reason: Some(e.to_string()) });
                    continue;
                }
            };
            let id = store.write(|tx| {
                Store::insert_document(tx, conversation_id, None, &name, &blob.sha256, blob.size, process)
            })?;
            drop(_guard);
            if process {
                self.inner.pipeline.enqueue(id);
            }
            status.succeeded.push(name);
        }
        Ok(status)
    }

    pub fn remove_documents(&self, conversation_id: &str, ids: &[DocumentId]) -> Result<()> {
        for id in ids {
            self.inner.pipeline.cancel(*id);
        }
        let _guard = self.inner.blob_lock.lock().unwrap_or_else(|p| p.into_inner());
        for sha in self.inner.store.delete_documents(conversation_id, ids)? {
            self.inner.store.blobs.remove(&sha);
        }
        Ok(())
    }

    pub fn remove_conversation(&self, id: &str) -> Result<()> {
        let _guard = self.inner.blob_lock.lock().unwrap_or_else(|p| p.into_inner());
        let (ids, orphans) = self.inner.store.delete_conversation(id)?;
        for doc in ids {
            self.inner.pipeline.cancel(doc);
        }
        for sha in orphans {
            self.inner.store.blobs.remove(&sha);
        }
        Ok(())
    }

    /// Removes stored copies no document refers to (left by a crash mid-delete), sparing
    /// fresh ones: another process may have just stored or reused one for a document it
    /// is about to record.
    fn collect_garbage(&self) {
        let _guard = self.inner.blob_lock.lock().unwrap_or_else(|p| p.into_inner());
        if let Ok(orphans) = self.inner.store.unreferenced_blobs() {
            for sha in orphans {
                if !self.inner.store.blobs.is_fresh(&sha) {
                    self.inner.store.blobs.remove(&sha);
                }
            }
        }
    }

    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(Engine) -> Result<T> + Send + 'static,
    ) -> folio_core::Result<T> {
        let engine = self.clone();
        tokio::task::spawn_blocking(move || f(engine))
            .await
            .map_err(|e| folio_core::Error::Internal(format!("the local engine failed: {e}")))?
            .map_err(Into::into)
    }
}

fn answers_elsewhere() -> folio_core::Error {
    folio_core::Error::Unsupported(
        "The engine keeps documents; questions are answered by folio-answer's LocalBackend".into(),
    )
}

#[async_trait]
impl Backend for Engine {
    fn kind(&self) -> BackendKind {
        BackendKind::Local
    }

    async fn create_conversation(&self, new: NewConversation) -> folio_core::Result<CreatedConversation> {
        self.blocking(move |e| e.create(&new)).await
    }

    async fn list_conversations(&self, query: &ListQuery) -> folio_core::Result<Vec<ConversationSummary>> {
        let query = query.clone();
        self.blocking(move |e| e.inner.store.list_conversations(&query)).await
    }

    async fn get_conversation(&self, id: &str) -> folio_core::Result<Conversation> {
        let id = id.to_string();
        self.blocking(move |e| e.inner.store.get_conversation(&id)).await
    }

    async fn update_conversation(&self, id: &str, update: &ConversationUpdate) -> folio_core::Result<()> {
        let (id, update) = (id.to_string(), update.clone());
        self.blocking(move |e| {
            e.inner.store.update_conversation(&id, update.name.as_deref(), update.description.as_deref())
        })
        .await
    }

    async fn delete_conversation(&self, id: &str) -> folio_core::Result<()> {
        let id = id.to_string();
        self.blocking(move |e| e.remove_conversation(&id)).await
    }

    async fn add_documents(&self, id: &str, files: &[PathBuf], process: bool) -> folio_core::Result<UploadStatus> {
        let (id, files) = (id.to_string(), files.to_vec());
        self.blocking(move |e| e.add(&id, &files, process)).await
    }

    async fn delete_documents(&self, id: &str, document_ids: &[DocumentId]) -> folio_core::Result<()> {
        let (id, ids) = (id.to_string(), document_ids.to_vec());
        self.blocking(move |e| e.remove_documents(&id, &ids)).await
    }

    async fn document_metadata(&self, id: &str, document_id: DocumentId) -> folio_core::Result<DocumentMetadata> {
        let id = id.to_string();
        self.blocking(move |e| e.inner.store.metadata(&id, document_id)).await
    }

    async fn page_view(&self, id: &str, document_id: DocumentId, page: u32) -> folio_core::Result<PageView> {
        let id = id.to_string();
        self.blocking(move |e| e.page_view(&id, document_id, page)).await
    }

    async fn render_page(
        &self,
        id: &str,
        document_id: DocumentId,
        page: u32,
        width_px: u32,
    ) -> folio_core::Result<Vec<u8>> {
        let id = id.to_string();
        self.blocking(move |e| e.render_page(&id, document_id, page, width_px)).await
    }

    async fn document_details(&self, id: &str, document_id: DocumentId) -> folio_core::Result<DocumentDetails> {
        let id = id.to_string();
        self.blocking(move |e| e.document_details(&id, document_id)).await
    }

    async fn cancel_documents(&self, id: &str, document_ids: &[DocumentId]) -> folio_core::Result<()> {
        let (id, ids) = (id.to_string(), document_ids.to_vec());
        self.blocking(move |e| ids.into_iter().try_for_each(|document| e.cancel_document(&id, document))).await
    }

    async fn retry_documents(&self, id: &str, document_ids: &[DocumentId]) -> folio_core::Result<()> {
        let (id, ids) = (id.to_string(), document_ids.to_vec());
        self.blocking(move |e| ids.into_iter().try_for_each(|document| e.retry_document(&id, document))).await
    }

    // The engine is the documents half of every backend that keeps documents on this
    // computer; questions are answered by folio-answer's LocalBackend over it.
    async fn converse(&self, _id: &str, _request: &ConverseRequest) -> folio_core::Result<Answer> {
        Err(answers_elsewhere())
    }

    async fn run_query(&self, _request: &QueryRequest) -> folio_core::Result<String> {
        Err(answers_elsewhere())
    }

    async fn query_status(&self, _query_id: &str) -> folio_core::Result<QueryStatus> {
        Err(answers_elsewhere())
    }

    /// Follows until every document is `Ready`, failed or cancelled, so `Embedding`
    /// progress keeps coming (see `follow_until`).
    async fn follow_documents(
        &self,
        id: &str,
        sink: ProgressSink,
        options: &FollowOptions,
    ) -> folio_core::Result<Conversation> {
        self.follow_until(id, sink, options, FollowUntil::Finished).await
    }
}

/// How far `Engine::follow_until` follows a conversation's documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUntil {
    /// Every document can be asked (`Embedding` or `Ready`), failed or was cancelled:
    /// what a command that exits afterwards waits for.
    Askable,
    /// Every document is `Ready`, failed or cancelled: vectors included (the app).
    Finished,
}

impl Engine {
    /// Pushes each change as the pipeline reports it (no polling lag), and re-reads the
    /// store every second as well, which also follows work done by another process
    /// (the app) on the same data folder.
    pub async fn follow_until(
        &self,
        id: &str,
        sink: ProgressSink,
        options: &FollowOptions,
        until: FollowUntil,
    ) -> folio_core::Result<Conversation> {
        let done = move |stage: DocumentStage| match until {
            FollowUntil::Askable => stage.is_terminal() || stage.is_askable(),
            FollowUntil::Finished => stage.is_terminal(),
        };
        let mut events = self.subscribe();
        let mut reporter = ProgressReporter::new(sink);
        let deadline = options.timeout.map(|t| tokio::time::Instant::now() + t);
        let far = tokio::time::Instant::now() + Duration::from_secs(60 * 60 * 24 * 365);
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            let conversation = self.get_conversation(id).await?;
            reporter.report(&conversation);
            if conversation.documents.iter().all(|d| done(d.stage)) {
                return Ok(conversation);
            }
            // Wait for a change of a document that settles, or the next tick.
            loop {
                tokio::select! {
                    _ = options.cancel.cancelled() => return Err(folio_core::Error::Cancelled),
                    _ = tokio::time::sleep_until(deadline.unwrap_or(far)) => {
                        return Err(folio_core::Error::Timeout(format!(
                            "documents still processing after {} s",
                            options.timeout.unwrap_or_default().as_secs()
                        )));
                    }
                    _ = tick.tick() => break,
                    event = events.recv() => match event {
                        Ok(p) if p.conversation_id == id => {
                            let settles = done(p.stage);
                            reporter.forward(p);
                            if settles { break; }
                        }
                        Ok(_) => {}
                        Err(RecvError::Lagged(_)) => break,
                        Err(RecvError::Closed) => break,
                    },
                }
            }
        }
    }
}
