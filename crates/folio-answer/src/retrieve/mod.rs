//! Hybrid retrieval: keyword search (FTS5, BM25) and vector search (MiniLM) each rank
//! passages, and reciprocal rank fusion merges the lists. Keywords find exact names
//! (`set logscale`, a package option); vectors find passages that say the same thing in
//! other words. Without the embedding model the keyword list alone answers.
//!
//! Advanced mode casts a wider net: more candidates per list, several queries (the
//! question, its content words, each part of a compound question) and an offline
//! re-ranking step (`rerank.rs`) over the fused candidates.

pub mod fusion;
pub mod keywords;
pub mod passages;
pub mod rerank;
pub mod vectors;

use crate::error::Result;
use crate::text;
use folio_core::{ConverseMode, DocumentId};
use folio_engine::embed::Embedder;
use folio_engine::{Engine, SearchHit};
use std::collections::HashMap;
use std::sync::Mutex;

/// What to retrieve: for which conversation, from which of its documents, by which
/// queries (each with a weight in the fusion), how thoroughly and how many.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub conversation_id: &'a str,
    /// None: every document of the conversation.
    pub documents: Option<&'a [DocumentId]>,
    /// The question first; extra queries (a previous turn, parts of the question) after.
    pub queries: Vec<(String, f64)>,
    pub mode: ConverseMode,
    pub limit: usize,
}

impl<'a> Request<'a> {
    pub fn new(conversation_id: &'a str, question: &str, documents: Option<&'a [DocumentId]>, mode: ConverseMode) -> Self {
        let limit = match mode {
            ConverseMode::Default => 8,
            ConverseMode::Advanced => 12,
        };
        Request { conversation_id, documents, queries: vec![(question.to_string(), 1.0)], mode, limit }
    }
}

/// Below this cosine a passage is no nearer the question than unrelated text is with
/// MiniLM (unrelated pairs score about 0 to 0.15); without the floor a question about
/// nothing in the documents would still get its "nearest" passages.
const MIN_COSINE: f32 = 0.2;

/// Candidates taken from each ranked list before fusion.
fn candidates(mode: ConverseMode) -> usize {
    match mode {
        ConverseMode::Default => 40,
        ConverseMode::Advanced => 120,
    }
}

enum EmbedderState {
    NotLoaded,
    Loaded(Box<Embedder>),
    Off(String),
}

/// Where the time of the last retrieval went, in milliseconds (for `folio eval --latency`).
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Timings {
    pub embed_ms: f64,
    pub keywords_ms: f64,
    pub vectors_ms: f64,
    pub rest_ms: f64,
}

/// Cheap to share (behind an Arc): holds the query embedder and the vector copies.
pub struct Retriever {
    engine: Engine,
    embedder: Mutex<EmbedderState>,
    vectors: vectors::VectorCache,
    vocab_ready: std::sync::atomic::AtomicBool,
    all_passages: Mutex<Option<(i64, std::time::Instant)>>,
    last: Mutex<Timings>,
}

impl Retriever {
    pub fn new(engine: Engine) -> Retriever {
        Retriever { engine, embedder: Mutex::new(EmbedderState::NotLoaded), vectors: Default::default(), vocab_ready: Default::default(), all_passages: Mutex::new(None), last: Mutex::new(Timings::default()) }
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Why vector search is off (no model set up, or it failed to load), once known.
    pub fn vectors_off(&self) -> Option<String> {
        match &*self.embedder.lock().unwrap_or_else(|p| p.into_inner()) {
            EmbedderState::Off(why) => Some(why.clone()),
            _ => None,
        }
    }

    /// Unit vectors for `texts`, or None when the embedding model is not set up (or failed).
    pub fn embed(&self, texts: &[&str]) -> Option<Vec<Vec<f32>>> {
        let mut state = self.embedder.lock().unwrap_or_else(|p| p.into_inner());
        if let EmbedderState::NotLoaded = *state {
            *state = match self.engine.settings().embeddings.as_ref() {
                None => EmbedderState::Off("the embedding model is not set up".into()),
                Some(settings) => match Embedder::load(settings) {
                    Ok(e) => EmbedderState::Loaded(Box::new(e)),
                    Err(e) => {
                        tracing::warn!("vector search is off: {e}");
                        EmbedderState::Off(e)
                    }
                },
            };
        }
        match &mut *state {
            EmbedderState::Loaded(e) => match e.embed(texts) {
                Ok(v) => Some(v),
                Err(err) => {
                    tracing::warn!("could not embed a query: {err}");
                    None
                }
            },
            _ => None,
        }
    }

    pub fn last_timings(&self) -> Timings {
        *self.last.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The passages best answering the request, best first, `score` = fused score.
    pub fn retrieve(&self, request: &Request) -> Result<Vec<SearchHit>> {
        let started = std::time::Instant::now();
        let mut t = Timings::default();
        let ms = |since: std::time::Instant| since.elapsed().as_secs_f64() * 1000.0;
        let mut queries = request.queries.clone();
        if request.mode == ConverseMode::Advanced {
            queries.extend(expand(&request.queries[0].0));
        }
        let n = candidates(request.mode);
        let mut lists: Vec<(f64, Vec<i64>)> = Vec::new();
        let mut known: HashMap<i64, SearchHit> = HashMap::new();
        self.ensure_vocab()?;
        let texts: Vec<&str> = queries.iter().map(|(q, _)| q.as_str()).collect();
        let step = std::time::Instant::now();
        let vectors = self.embed(&texts);
        t.embed_ms = ms(step);
        let step = std::time::Instant::now();
        let index = if vectors.is_some() { Some(self.vectors.get(&self.engine, request.conversation_id)?) } else { None };
        t.vectors_ms += ms(step);
        if !self.engine.store().conversation_exists(request.conversation_id)? {
            return Err(folio_engine::store::conversation_not_found(request.conversation_id).into());
        }
        let share = match &index {
            Some(index) => (index.len() as f64 / self.all_passages()? as f64).min(1.0),
            None => 1.0,
        };
        for (i, (query, weight)) in queries.iter().enumerate() {
            let step = std::time::Instant::now();
            lists.push((*weight, keywords::search(&self.engine, request.conversation_id, query, request.documents, n, share)?));
            t.keywords_ms += ms(step);
            if let (Some(vs), Some(index)) = (&vectors, &index) {
                let step = std::time::Instant::now();
                let near = index.nearest(&vs[i], request.documents, n);
                t.vectors_ms += ms(step);
                lists.push((*weight, near.iter().filter(|(_, cos)| *cos >= MIN_COSINE).map(|(id, _)| *id).collect()));
            }
        }
        let fused = fusion::rrf(&lists);
        let keep = match request.mode {
            ConverseMode::Default => request.limit,
            // The re-ranker looks further down the fused list than what is returned.
            ConverseMode::Advanced => request.limit.max(40),
        };
        let top: Vec<(i64, f64)> = fused.into_iter().take(keep).collect();
        let missing: Vec<i64> = top.iter().map(|(id, _)| *id).filter(|id| !known.contains_key(id)).collect();
        for hit in passages::by_ids(&self.engine, &missing)? {
            known.insert(hit.passage_id, hit);
        }
        let mut out: Vec<SearchHit> = top
            .into_iter()
            .filter_map(|(id, score)| {
                known.remove(&id).map(|mut h| {
                    h.score = score;
                    h
                })
            })
            .collect();
        if request.mode == ConverseMode::Advanced {
            out = rerank::rerank(&request.queries[0].0, out);
            out.truncate(request.limit);
        }
        t.rest_ms = (ms(started) - t.embed_ms - t.keywords_ms - t.vectors_ms).max(0.0);
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = t;
        Ok(out)
    }

    /// Passages in the whole store (every conversation), re-counted at most every 5 s.
    fn all_passages(&self) -> Result<i64> {
        let mut cached = self.all_passages.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((n, at)) = *cached {
            if at.elapsed() < std::time::Duration::from_secs(5) {
                return Ok(n);
            }
        }
        let n: i64 = self.engine.store().conn().query_row("SELECT COUNT(*) FROM passages", [], |r| r.get(0))?;
        *cached = Some((n.max(1), std::time::Instant::now()));
        Ok(n.max(1))
    }

    /// The fts5vocab view over the engine's keyword index, made once per process.
    fn ensure_vocab(&self) -> Result<()> {
        if !self.vocab_ready.load(std::sync::atomic::Ordering::Relaxed) {
            self.engine.store().conn().execute_batch(keywords::SCHEMA)?;
            self.vocab_ready.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(())
    }
}

/// Advanced mode's extra queries: the content words alone, and each part of a compound
/// question ("what is X and how do I set Y"), each weighted below the question itself.
pub fn expand(question: &str) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    let words = text::content_words(question);
    if words.len() >= 2 {
        out.push((words.join(" "), 0.5));
    }
    let lower = question.to_lowercase();
    let parts: Vec<&str> = lower
        .split(['?', ';'])
        .flat_map(|p| p.split(" and "))
        .map(str::trim)
        .filter(|p| text::content_words(p).len() >= 2)
        .collect();
    if parts.len() > 1 {
        for p in parts {
            out.push((p.to_string(), 0.5));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn compound_questions_become_several_queries() {
        let q = super::expand("How do I change the line width and what sets the key position?");
        let texts: Vec<&str> = q.iter().map(|(t, _)| t.as_str()).collect();
        assert!(texts.contains(&"how do i change the line width"), "{texts:?}");
        assert!(texts.contains(&"what sets the key position"), "{texts:?}");
    }
}
