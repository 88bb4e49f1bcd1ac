//! "Search everywhere": one search over the documents of every conversation on this
//! computer. Keywords (FTS5, BM25, across all conversations in one query) and meaning
//! (each conversation's vectors, the retriever's own cache) each rank passages, and
//! reciprocal rank fusion merges them, as retrieval for a question does. When the
//! embedding model is off, or some passages have no vector yet, the result says that
//! words alone found them (or some of them).
//!
//! It searches Folio's own library whatever backend is active, and skips the same
//! conversations the "On this computer" list hides: a chatbot's own documents and the
//! local half of an Airia or Pieces conversation (`LocalBackend::list_conversations`).

use crate::chatbots;
use crate::error::{AnswerError, Result};
use crate::remote_halves;
use crate::retrieve::{fusion, Retriever};
use crate::LocalBackend;
use folio_core::{MatchKind, SearchEverywhereHit, SearchEverywhereResults, SnippetPart};
use folio_engine::store::EverywhereHit;
use std::collections::{HashMap, HashSet};

/// Hits shown when the caller does not say.
pub const DEFAULT_LIMIT: usize = 30;

/// Most hits one search returns, however many are asked for.
pub const MAX_LIMIT: usize = 200;

/// Candidates taken from each ranked list before fusion.
const CANDIDATES: usize = 80;

/// Below this cosine a passage is no nearer the search than unrelated text is with
/// MiniLM (unrelated pairs score about 0 to 0.15). A search box lists what it finds, so
/// the floor sits above retrieval's 0.2: a near-miss there is context, here it is noise.
const MIN_COSINE: f32 = 0.3;

/// Words of the snippet shown before the first matched word, and in all.
const SNIPPET_LEAD: usize = 10;
const SNIPPET_WORDS: usize = 32;

/// Searches off the async threads (the store and the embedder block).
pub async fn search_everywhere(backend: &LocalBackend, query: &str, limit: usize) -> Result<SearchEverywhereResults> {
    let (me, query) = (backend.clone(), query.to_string());
    tokio::task::spawn_blocking(move || search(me.retriever(), &query, limit))
        .await
        .map_err(|e| AnswerError::Internal(format!("the search failed: {e}")))?
}

/// The passages best matching `query` in every conversation the person sees, best first.
pub fn search(retriever: &Retriever, query: &str, limit: usize) -> Result<SearchEverywhereResults> {
    let query = query.trim();
    let limit = limit.clamp(1, MAX_LIMIT);
    let mut results = SearchEverywhereResults { query: query.to_string(), hits: Vec::new(), keywords_only: None };
    let words = query_words(query);
    if words.is_empty() {
        return Ok(results);
    }
    let engine = retriever.engine();
    let mut skipped = chatbots::owned_conversations(engine)?;
    skipped.extend(remote_halves::held(engine, None)?);

    let by_words = engine.store().search_everywhere(query, &skipped, CANDIDATES)?;
    let keyword_ids: Vec<i64> = by_words.iter().map(|h| h.hit.passage_id).collect();
    let (meaning_ids, why_not) = nearest_everywhere(retriever, query, &skipped)?;
    results.keywords_only = why_not;

    let fused = fusion::rrf(&[(1.0, keyword_ids.clone()), (1.0, meaning_ids.clone())]);
    let top: Vec<(i64, f64)> = fused.into_iter().take(limit).collect();
    let mut known: HashMap<i64, EverywhereHit> = by_words.into_iter().map(|h| (h.hit.passage_id, h)).collect();
    let missing: Vec<i64> = top.iter().map(|(id, _)| *id).filter(|id| !known.contains_key(id)).collect();
    for found in engine.store().everywhere_passages(&missing)? {
        known.insert(found.hit.passage_id, found);
    }
    let (by_keyword, by_meaning): (HashSet<i64>, HashSet<i64>) =
        (keyword_ids.into_iter().collect(), meaning_ids.into_iter().collect());
    results.hits = top
        .into_iter()
        .filter_map(|(id, score)| {
            let found = known.remove(&id)?;
            let matched = match (by_keyword.contains(&id), by_meaning.contains(&id)) {
                (true, true) => MatchKind::Both,
                (false, true) => MatchKind::Meaning,
                _ => MatchKind::Keywords,
            };
            Some(to_hit(found, &words, matched, score))
        })
        .collect();
    Ok(results)
}

/// Passage ids nearest `query` in meaning across the conversations not skipped, best
/// first, and why meaning did not (fully) take part, if it did not.
fn nearest_everywhere(retriever: &Retriever, query: &str, skipped: &[String]) -> Result<(Vec<i64>, Option<String>)> {
    let engine = retriever.engine();
    let conversations = engine.store().searchable_conversations(skipped)?;
    // The query is embedded once; each conversation's vectors are the retriever's copy,
    // shared with questions asked in it.
    let scope: Vec<&str> = conversations.iter().map(String::as_str).collect();
    let mut near = retriever.nearest_passages(&scope, query, CANDIDATES)?;
    if let Some(why) = retriever.vectors_off() {
        return Ok((Vec::new(), Some(format!("Found by words only: {why}."))));
    }
    near.retain(|(_, cosine)| *cosine >= MIN_COSINE);
    let ids = near.into_iter().map(|(id, _)| id).collect();
    let pending = engine.store().pending_embeddings()?;
    let why_not = (pending > 0).then(|| {
        "Some documents are still being prepared for searching by meaning; until they are, \
         they are found by their words only."
            .to_string()
    });
    Ok((ids, why_not))
}

fn to_hit(found: EverywhereHit, words: &HashSet<String>, matched: MatchKind, score: f64) -> SearchEverywhereHit {
    let hit = found.hit;
    SearchEverywhereHit {
        conversation_id: found.conversation_id,
        conversation_name: found.conversation_name,
        document_id: hit.document_id,
        document_name: hit.document_name,
        page: hit.page,
        page_label: hit.page_label,
        char_start: hit.char_start,
        char_end: hit.char_end,
        snippet: snippet(&hit.text, words),
        passage: hit.text,
        boxes: hit.boxes,
        matched,
        score,
    }
}

/// The words of a search as the keyword index splits them (letters and digits, lower case).
fn query_words(query: &str) -> HashSet<String> {
    query.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// A short stretch of `text` starting a few words before the first word of the search
/// (the start when none is there, as for a hit by meaning), runs of white space made one
/// space, each searched word its own matched part, "…" where text was left out.
pub fn snippet(text: &str, words: &HashSet<String>) -> Vec<SnippetPart> {
    let tokens = tokens(text);
    let word_at: Vec<usize> = tokens.iter().enumerate().filter(|(_, t)| is_word(t)).map(|(i, _)| i).collect();
    if word_at.is_empty() {
        return vec![SnippetPart { text: collapse(text).trim().to_string(), matched: false }];
    }
    let searched = |t: &str| words.contains(&t.to_lowercase());
    let first_match = word_at.iter().position(|&i| searched(tokens[i])).unwrap_or(0);
    let from_word = first_match.saturating_sub(SNIPPET_LEAD);
    let to_word = (from_word + SNIPPET_WORDS).min(word_at.len());
    let from = if from_word == 0 { 0 } else { word_at[from_word] };
    let to = if to_word == word_at.len() { tokens.len() } else { word_at[to_word] };
    let mut parts: Vec<SnippetPart> = Vec::new();
    if from > 0 {
        push(&mut parts, "… ", false);
    }
    for token in &tokens[from..to] {
        if is_word(token) {
            push(&mut parts, token, searched(token));
        } else {
            push(&mut parts, &collapse(token), false);
        }
    }
    // The text's own edges (or the separator before the cut) carry no meaning.
    if let Some(first) = parts.first_mut().filter(|p| !p.matched) {
        first.text = first.text.trim_start().to_string();
    }
    if let Some(last) = parts.last_mut().filter(|p| !p.matched) {
        last.text = last.text.trim_end().to_string();
    }
    if to < tokens.len() {
        push(&mut parts, " …", false);
    }
    parts.retain(|p| !p.text.is_empty());
    parts
}

fn is_word(token: &str) -> bool {
    token.chars().all(char::is_alphanumeric)
}

/// Adds to a snippet, joining neighbouring plain text into one part.
fn push(parts: &mut Vec<SnippetPart>, text: &str, matched: bool) {
    match parts.last_mut() {
        Some(last) if !last.matched && !matched => last.text.push_str(text),
        _ => parts.push(SnippetPart { text: text.to_string(), matched }),
    }
}

/// `text` cut into alternating runs of letters-and-digits and of everything else.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_word: Option<bool> = None;
    for (i, c) in text.char_indices() {
        let word = c.is_alphanumeric();
        if in_word.is_some_and(|w| w != word) {
            out.push(&text[start..i]);
            start = i;
        }
        in_word = Some(word);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// White space runs (line breaks of a PDF's lines among them) as one space.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(q: &str) -> HashSet<String> {
        query_words(q)
    }

    fn shown(parts: &[SnippetPart]) -> String {
        parts.iter().map(|p| if p.matched { format!("[{}]", p.text) } else { p.text.clone() }).collect()
    }

    #[test]
    fn the_snippet_marks_every_searched_word_whatever_its_case() {
        let parts = snippet("The Ferry to the island\nleaves at 7:40 from pier 3.", &words("ferry PIER"));
        assert_eq!(shown(&parts), "The [Ferry] to the island leaves at 7:40 from [pier] 3.");
    }

    #[test]
    fn a_long_passage_is_cut_around_the_first_match() {
        let text: String =
            (0..100).map(|i| format!("w{i} ")).collect::<String>() + "harbour " + "tail ".repeat(50).as_str();
        let parts = snippet(&text, &words("harbour"));
        let s = shown(&parts);
        assert!(s.starts_with("… w90 "), "{s}");
        assert!(s.contains("[harbour]"), "{s}");
        assert!(s.ends_with(" …"), "{s}");
        let count = s.split_whitespace().filter(|w| *w != "…").count();
        assert_eq!(count, SNIPPET_WORDS, "{s}");
    }

    #[test]
    fn a_hit_by_meaning_shows_the_start_of_its_passage() {
        let parts = snippet("Boats cross to the isle twice daily.", &words("ferry"));
        assert_eq!(shown(&parts), "Boats cross to the isle twice daily.");
        assert!(parts.iter().all(|p| !p.matched));
    }

    #[test]
    fn words_are_split_as_the_keyword_index_splits_them() {
        assert_eq!(words("set-logscale: \"X\""), ["set", "logscale", "x"].iter().map(|s| s.to_string()).collect());
        assert!(words(" -- ").is_empty());
    }
}
