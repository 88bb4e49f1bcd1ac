//! The embedder thread: vectors for passages of keyword-searchable documents, a batch
//! per transaction. It never blocks keyword search (documents answer keywords before
//! it reaches them) and resumes by itself: a passage without a vector is still to do.

use super::Shared;
use crate::embed::{self, EmbeddingSettings};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::Duration;

pub(crate) fn run(shared: Arc<Shared>, config: EmbeddingSettings) {
    let mut embedder = match embed::Embedder::load(&config) {
        Ok(e) => e,
        Err(e) => {
            tracing::warn!("embeddings are off: {e}");
            *shared.embed_error.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
            return;
        }
    };
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
                let _ = shared
                    .embed_wake
                    .wait_timeout(state, Duration::from_millis(500));
            }
            continue;
        }
        window.sort_by_key(|(_, t)| t.len());
        for batch in window.chunks(config.batch.max(1)) {
            if shared.is_shutting_down() {
                return;
            }
            embed_batch(&shared, &mut embedder, batch);
        }
    }
}

fn embed_batch(shared: &Shared, embedder: &mut embed::Embedder, batch: &[(i64, String)]) {
    let texts: Vec<&str> = batch.iter().map(|(_, t)| t.as_str()).collect();
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
    let rows: Vec<(i64, Vec<u8>)> = batch
        .iter()
        .zip(&vectors)
        .map(|((id, _), v)| (*id, embed::to_bytes(v)))
        .collect();
    if let Err(e) = shared.store.set_embeddings(&rows) {
        tracing::error!("could not store embeddings: {e}");
        std::thread::sleep(Duration::from_secs(1));
    }
}
