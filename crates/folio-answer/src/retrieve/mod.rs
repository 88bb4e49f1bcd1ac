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
pub mod tuning;
pub mod vectors;

use crate::dates;
use crate::error::Result;
use crate::text;
use folio_core::{ConverseMode, DocumentId};
use folio_engine::embed::Embedder;
use folio_engine::{Engine, SearchHit};
use std::collections::{HashMap, HashSet};
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
    pub fn new(
        conversation_id: &'a str,
        question: &str,
        documents: Option<&'a [DocumentId]>,
        mode: ConverseMode,
    ) -> Self {
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

/// Fused candidates whose pages vote together (`Tuning::page_vote`).
const PAGE_VOTE_CANDIDATES: usize = 60;

/// Fused passages the re-ranker orders (the best `limit` of them are returned).
const RERANK_CANDIDATES: usize = 40;

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
    /// Meaning-search took part (the question was embedded and the passages have vectors).
    pub meaning: bool,
}

/// Cheap to share (behind an Arc): holds the query embedder and the vector copies.
pub struct Retriever {
    engine: Engine,
    embedder: Mutex<EmbedderState>,
    vectors: vectors::VectorCache,
    all_passages: Mutex<Option<(i64, std::time::Instant)>>,
    last: Mutex<Timings>,
    furniture: Mutex<HashMap<DocumentId, std::sync::Arc<HashSet<String>>>>,
}

impl Retriever {
    pub fn new(engine: Engine) -> Retriever {
        Retriever {
            engine,
            embedder: Mutex::new(EmbedderState::NotLoaded),
            vectors: Default::default(),
            all_passages: Mutex::new(None),
            last: Mutex::new(Timings::default()),
            furniture: Default::default(),
        }
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
        let texts: Vec<&str> = queries.iter().map(|(q, _)| q.as_str()).collect();
        let step = std::time::Instant::now();
        let vectors = self.embed(&texts);
        t.embed_ms = ms(step);
        let step = std::time::Instant::now();
        let index =
            if vectors.is_some() { Some(self.vectors.get(&self.engine, request.conversation_id)?) } else { None };
        t.vectors_ms += ms(step);
        t.meaning = index.as_ref().is_some_and(|i| !i.is_empty());
        if !self.engine.store().conversation_exists(request.conversation_id)? {
            return Err(folio_engine::store::conversation_not_found(request.conversation_id).into());
        }
        let share = match &index {
            Some(index) => (index.len() as f64 / self.all_passages()? as f64).min(1.0),
            None => 1.0,
        };
        let tune = tuning::tuning();
        for (i, (query, weight)) in queries.iter().enumerate() {
            let step = std::time::Instant::now();
            lists.push((
                weight * tune.keywords,
                keywords::search(&self.engine, request.conversation_id, query, request.documents, n, share)?,
            ));
            t.keywords_ms += ms(step);
            if let (Some(vs), Some(index)) = (&vectors, &index) {
                let step = std::time::Instant::now();
                let near = index.nearest(&vs[i], request.documents, n);
                t.vectors_ms += ms(step);
                lists.push((
                    weight * tune.meaning,
                    near.iter().filter(|(_, cos)| *cos >= MIN_COSINE).map(|(id, _)| *id).collect(),
                ));
            }
        }
        // A date in the question is searched in every written form it could have: it is
        // the key a table row is asked by ("on 7 December 2013", stored as 2013/12/07).
        let phrases: Vec<String> = dates::find(&request.queries[0].0).iter().flat_map(|d| d.phrases()).collect();
        if !phrases.is_empty() {
            let step = std::time::Instant::now();
            let found =
                keywords::search_phrases(&self.engine, request.conversation_id, &phrases, request.documents, n)?;
            t.keywords_ms += ms(step);
            lists.push((tune.dates, found));
        }
        let mut fused = fusion::rrf(&lists);
        if tune.page_vote > 0.0 {
            fused = self.page_vote(fused, tune.page_vote)?;
        }
        // The re-ranker looks further down the fused list than what is returned. Both modes
        // re-rank (a word check over 40 passages, no model): on the dev questions the quick
        // mode then put the right page first for 0.746 instead of 0.681
        // (crates/folio-answer/NOTES.md, Evaluation figures).
        let keep = request.limit.max(RERANK_CANDIDATES);
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
        // Rank fusion keeps only each list's order; the re-ranker also weighs how close in
        // meaning each candidate is (dev: page@1 0.768 -> 0.797 at weight 0.45; 0.3, 0.6
        // and 1.0 were tried).
        let cosines = match (&vectors, &index) {
            (Some(vs), Some(index)) if tune.rerank_meaning > 0.0 => {
                let ids: Vec<i64> = out.iter().map(|h| h.passage_id).collect();
                index.cosines(&vs[0], &ids)
            }
            _ => HashMap::new(),
        };
        out = rerank::rerank(&request.queries[0].0, out, &cosines, tune.rerank_meaning);
        out.truncate(request.limit);
        t.rest_ms = (ms(started) - t.embed_ms - t.keywords_ms - t.vectors_ms).max(0.0);
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = t;
        Ok(out)
    }

    /// The passages of `conversations` nearest the text in meaning alone, best first, as
    /// (passage id, cosine); empty when the embedding model is off. The text is embedded
    /// once, whatever the number of conversations. The evaluation's peer pipeline (one
    /// conversation) and Search everywhere (all of them) use it.
    pub fn nearest_passages(&self, conversations: &[&str], text: &str, limit: usize) -> Result<Vec<(i64, f32)>> {
        let Some(vs) = self.embed(&[text]) else {
            return Ok(Vec::new());
        };
        let mut near = Vec::new();
        for conversation_id in conversations {
            near.extend(self.vectors.get(&self.engine, conversation_id)?.nearest(&vs[0], None, limit));
        }
        near.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        near.truncate(limit);
        Ok(near)
    }

    /// Adds to each fused candidate `share` x the votes of the other candidates on its
    /// page (pages known from the store for the top candidates only), then re-sorts.
    fn page_vote(&self, fused: Vec<(i64, f64)>, share: f64) -> Result<Vec<(i64, f64)>> {
        let head: Vec<i64> = fused.iter().take(PAGE_VOTE_CANDIDATES).map(|(id, _)| *id).collect();
        let pages = passages::pages_of(&self.engine, &head)?;
        let mut per_page: HashMap<(DocumentId, u32), f64> = HashMap::new();
        for (id, score) in fused.iter().take(PAGE_VOTE_CANDIDATES) {
            if let Some(p) = pages.get(id) {
                *per_page.entry(*p).or_default() += score;
            }
        }
        let mut out: Vec<(i64, f64)> = fused
            .into_iter()
            .map(|(id, score)| match pages.get(&id) {
                Some(p) => (id, score + share * (per_page[p] - score)),
                None => (id, score),
            })
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(out)
    }

    /// The shapes (numbers blanked) of a PDF's running headers and footers: lines standing
    /// first or last on many of its pages. Read once per document and kept.
    pub fn furniture(&self, document_id: DocumentId) -> std::sync::Arc<HashSet<String>> {
        if let Some(found) = self.furniture.lock().unwrap_or_else(|p| p.into_inner()).get(&document_id) {
            return found.clone();
        }
        let found = std::sync::Arc::new(page_furniture(&self.engine, document_id).unwrap_or_else(|e| {
            tracing::warn!("could not read the pages of document {document_id}: {e}");
            HashSet::new()
        }));
        self.furniture.lock().unwrap_or_else(|p| p.into_inner()).insert(document_id, found.clone());
        found
    }

    /// Whether the documents of the store use this (lower-case) word: joins a line-break
    /// hyphenation only into a real word of theirs.
    pub fn is_known_word(&self, word: &str) -> bool {
        matches!(self.engine.store().term_passages(word), Ok(Some(_)))
    }

    /// Passages in the whole store (every conversation), re-counted at most every 5 s.
    fn all_passages(&self) -> Result<i64> {
        let mut cached = self.all_passages.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((n, at)) = *cached {
            if at.elapsed() < std::time::Duration::from_secs(5) {
                return Ok(n);
            }
        }
        let n = self.engine.store().passage_count()?;
        *cached = Some((n.max(1), std::time::Instant::now()));
        Ok(n.max(1))
    }
}

/// Lines (by shape) standing among the first two or last two lines of at least a third
/// of a PDF's pages (and of 3 pages or more): running headers, footers, page numbers.
fn page_furniture(engine: &Engine, document_id: DocumentId) -> Result<HashSet<String>> {
    let kind = engine.store().document_kind(document_id)?;
    // Other formats' "pages" are sections or sheets whose first lines are content
    // (a table's column names), not furniture.
    if kind.as_deref() != Some("pdf") {
        return Ok(HashSet::new());
    }
    let texts = engine.store().page_texts(document_id)?;
    let mut counts: HashMap<String, usize> = HashMap::new();
    for t in &texts {
        let lines: Vec<&str> = t.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        let mut edge: HashSet<String> = HashSet::new();
        for l in lines.iter().take(2).chain(lines.iter().rev().take(2)) {
            edge.insert(text::line_shape(l));
        }
        for shape in edge {
            *counts.entry(shape).or_default() += 1;
        }
    }
    let needed = (texts.len() / 3).max(3);
    Ok(counts.into_iter().filter(|(_, n)| *n >= needed).map(|(s, _)| s).collect())
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
