//! The keyword side of retrieval: FTS5 BM25 over a conversation's passages, with the
//! cost kept bounded on big conversations. BM25 is computed for every passage a query
//! matches, so an OR of common words ("mode", "text") over 200k passages costs hundreds
//! of milliseconds. Each word's passage count (fts5vocab) decides: when the words
//! together match few passages, OR them (best recall); otherwise require all of them
//! (AND: few matches, and the passages holding every word are the ones wanted), and
//! top up with an OR of the words rare enough to be cheap. Common words left out still
//! count through the vector side.

use crate::error::Result;
use crate::text;
use folio_core::DocumentId;
use folio_engine::store::Scope;
use folio_engine::Engine;

/// Most passages an OR query may match before it is narrowed.
const MATCH_BUDGET: i64 = 5_000;

/// Passage ids best matching the question's content words, best first. `share` is the
/// conversation's part of all passages in the store: the vocabulary counts words over
/// every conversation, so a word common elsewhere is not mistaken for common here.
pub fn search(
    engine: &Engine,
    conversation_id: &str,
    query: &str,
    documents: Option<&[DocumentId]>,
    limit: usize,
    share: f64,
) -> Result<Vec<i64>> {
    let mut words = text::content_words(query);
    if words.is_empty() {
        words = text::words(query).collect();
    }
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let mut counted: Vec<(String, i64)> = Vec::new();
    for w in words {
        // A word the vocabulary lists under another spelling (diacritics folded)
        // counts as rare: FTS5 folds the query the same way when matching.
        let n = engine.store().term_passages(&w)?;
        counted.push((w, n.unwrap_or(0)));
    }
    if counted.is_empty() {
        return Ok(Vec::new());
    }
    let quote = |w: &str| format!("\"{w}\"");
    let scaled = |n: i64| (n as f64 * share.clamp(0.0, 1.0)).ceil() as i64;
    let total: i64 = counted.iter().map(|(_, n)| scaled(*n)).sum();
    if counted.len() == 1 && total > 4 * MATCH_BUDGET {
        // One word found in tens of thousands of passages says little about which one
        // answers, and scoring them all is the slowest thing retrieval could do: the
        // vector side ranks alone.
        return Ok(Vec::new());
    }
    if total <= MATCH_BUDGET || counted.len() == 1 {
        let or = counted.iter().map(|(w, _)| quote(w)).collect::<Vec<_>>().join(" OR ");
        return run(engine, conversation_id, &or, documents, limit);
    }
    let and = counted.iter().map(|(w, _)| quote(w)).collect::<Vec<_>>().join(" AND ");
    let mut ids = run(engine, conversation_id, &and, documents, limit)?;
    if ids.len() < limit {
        let mut rare: Vec<&(String, i64)> = counted.iter().collect();
        rare.sort_by_key(|(_, n)| *n);
        let mut budget = 0;
        let cheap: Vec<String> = rare
            .into_iter()
            .take_while(|(_, n)| {
                budget += scaled(*n);
                budget <= MATCH_BUDGET
            })
            .map(|(w, _)| quote(w))
            .collect();
        if !cheap.is_empty() {
            for id in run(engine, conversation_id, &cheap.join(" OR "), documents, limit)? {
                if ids.len() >= limit {
                    break;
                }
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
    }
    Ok(ids)
}

/// Passage ids holding any of these exact phrases (the written forms of a date), best first.
pub fn search_phrases(
    engine: &Engine,
    conversation_id: &str,
    phrases: &[String],
    documents: Option<&[DocumentId]>,
    limit: usize,
) -> Result<Vec<i64>> {
    if phrases.is_empty() {
        return Ok(Vec::new());
    }
    let fts = phrases.iter().map(|p| format!("\"{}\"", p.replace('"', ""))).collect::<Vec<_>>().join(" OR ");
    run(engine, conversation_id, &fts, documents, limit)
}

fn run(
    engine: &Engine,
    conversation_id: &str,
    fts: &str,
    documents: Option<&[DocumentId]>,
    limit: usize,
) -> Result<Vec<i64>> {
    Ok(engine.store().match_ids(Scope { conversation_id, documents }, fts, limit)?)
}
