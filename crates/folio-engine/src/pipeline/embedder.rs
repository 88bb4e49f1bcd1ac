//! The embedder thread: vectors for passages of keyword-searchable documents, a batch
//! per transaction. It never blocks keyword search (documents answer keywords before
//! it reaches them) and resumes by itself: a passage without a vector is still to do.

use super::Shared;
use crate::embed::{self, EmbeddingSettings};
use folio_core::document::PageProgress;
use folio_core::{DocumentId, DocumentProgress, DocumentStage};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::Duration;

pub(crate) fn run(shared: Arc<Shared>, config: EmbeddingSettings) {
    // ONNX Runtime and the model take ~100 MB and a second to load: they are loaded when
    // the first passage needs a vector, not when the window opens with nothing to read.
    let mut embedder: Option<embed::Embedder> = None;
    // Documents left mid-way by the last run: those with passages still to embed wait
    // for the model, those whose vectors all exist are ready now.
    if let Err(e) = shared.store.settle_embedding_stages(true) {
        tracing::error!("could not mark documents still to embed: {e}");
    }
    loop {
        if shared.is_shutting_down() {
            return;
        }
        // A window of passages sorted by length, so each batch pads little: padding is
        // pure waste for the model (a 40-token passage padded to 256 costs 6x).
        let mut window = match shared.store.passages_to_embed(config.batch.max(1) * 8) {
            Ok(b) => b,
            Err(e) => {
                tracing::error!("could not read passages to embed: {e}");
                Vec::new()
            }
        };
        if window.is_empty() {
            let state = shared.lock();
            if !state.shutdown {
                let _ = shared.embed_wake.wait_timeout(state, Duration::from_millis(500));
            }
            continue;
        }
        let embedder = match &mut embedder {
            Some(loaded) => loaded,
            None => match load(&shared, &config) {
                Some(loaded) => embedder.insert(loaded),
                None => return,
            },
        };
        window.sort_by_key(|(_, _, t)| t.len());
        for batch in window.chunks(config.batch.max(1)) {
            if shared.is_shutting_down() {
                return;
            }
            embed_batch(&shared, embedder, batch);
        }
    }
}

/// The model, or None (embeddings off for this run, documents marked ready on keywords)
/// when it cannot load.
fn load(shared: &Shared, config: &EmbeddingSettings) -> Option<embed::Embedder> {
    match embed::Embedder::load(config) {
        Ok(e) => Some(e),
        Err(e) => {
            tracing::warn!("embeddings are off: {e}");
            // Under the same lock workers hold while marking a document read, so no
            // document is left `Embedding` with no one to finish it.
            let mut error = shared.embed_error.lock().unwrap_or_else(|p| p.into_inner());
            *error = Some(e);
            if let Err(e) = shared.store.settle_embedding_stages(false) {
                tracing::error!("could not mark documents ready: {e}");
            }
            None
        }
    }
}

fn embed_batch(shared: &Shared, embedder: &mut embed::Embedder, batch: &[(i64, DocumentId, String)]) {
    let texts: Vec<&str> = batch.iter().map(|(_, _, t)| t.as_str()).collect();
    let vectors = match catch_unwind(AssertUnwindSafe(|| embedder.embed(&texts))) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            // A model failure on one batch must not spin forever: record empty
            // vectors so those passages count as done (keyword search still finds them).
            tracing::error!("embedding failed: {e}");
            vec![Vec::new(); batch.len()]
        }
        Err(_) => {
            tracing::error!("the embedding model crashed on a batch");
            vec![Vec::new(); batch.len()]
        }
    };
    let rows: Vec<(i64, Vec<u8>)> =
        batch.iter().zip(&vectors).map(|((id, _, _), v)| (*id, embed::to_bytes(v))).collect();
    let mut documents: Vec<DocumentId> = batch.iter().map(|(_, d, _)| *d).collect();
    documents.sort_unstable();
    documents.dedup();
    match shared.store.set_embeddings(&rows, &documents) {
        Ok(finished) => report(shared, &documents, &finished),
        Err(e) => {
            tracing::error!("could not store embeddings: {e}");
            std::thread::sleep(Duration::from_secs(1));
        }
    }
}

/// Tells followers how far each document of the batch is: pages embedded, or Ready.
fn report(shared: &Shared, documents: &[DocumentId], finished: &[DocumentId]) {
    for id in documents {
        let Ok(Some(doc)) = shared.store.document(*id) else {
            continue;
        };
        let (stage, progress) = if finished.contains(id) {
            let total = doc.page_total.unwrap_or(doc.pages_done);
            (DocumentStage::Ready, Some(PageProgress { done: total, total: Some(total) }))
        } else if doc.stage == DocumentStage::Embedding {
            (DocumentStage::Embedding, shared.store.embedding_progress(*id).ok())
        } else {
            continue;
        };
        shared.emit(DocumentProgress {
            conversation_id: doc.conversation_id,
            document_id: doc.id,
            name: doc.name,
            stage,
            progress,
            failure_reason: None,
        });
    }
}
