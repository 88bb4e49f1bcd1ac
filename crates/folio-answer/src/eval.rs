//! The evaluation behind `folio eval`: a question set over real documents, each
//! question with the document, the pages holding its answer and the answer's exact
//! words. For one conversation holding every document, it measures page hit@1 and hit@5
//! of Folio's retrieval and of plain BM25 over whole pages (the baseline), and the share
//! of quoted answers that contain the answer's words. Questions whose answer words are
//! not on the listed pages are reported and left out, so the set checks itself.
//!
//! The latency benchmark (`latency`) builds a conversation of synthetic documents from
//! real passages (text and vectors copied from an ingested conversation) and times
//! retrieval per query.

use crate::error::{AnswerError, Result};
use crate::extract;
use crate::retrieve::{Request, Retriever};
use crate::text;
use folio_core::ConverseMode;
use folio_engine::Engine;
use serde::{Deserialize, Serialize};
use std::time::Instant;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Question {
    pub question: String,
    /// File name of the document (as in the corpus folder).
    pub document: String,
    /// 1-based pages where the answer is.
    pub pages: Vec<u32>,
    /// Words that appear verbatim (up to spacing and case) on one of those pages.
    pub answer: String,
    /// Phrased without reusing the answer's words.
    #[serde(default)]
    pub paraphrased: bool,
}

pub fn read_questions(jsonl: &str) -> Result<Vec<Question>> {
    jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with("//"))
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| AnswerError::InvalidInput(format!("line {}: {e}", i + 1))))
        .collect()
}

/// Lower-case words joined by single spaces: how spans are compared (PDF text breaks
/// lines and hyphenates; the words are what count).
pub fn normalise(s: &str) -> String {
    text::words(s).collect::<Vec<_>>().join(" ")
}

#[derive(Debug, Default, Serialize)]
pub struct Scores {
    pub questions: usize,
    pub paraphrased: usize,
    pub unverified: Vec<String>,
    pub folio_hit1: f64,
    pub folio_hit5: f64,
    pub bm25_hit1: f64,
    pub bm25_hit5: f64,
    pub quote_contains_answer: f64,
    pub misses: Vec<String>,
    /// Questions whose quoted answer lacks the answer's words.
    pub quote_misses: Vec<String>,
}

/// Runs the question set on a conversation that holds every document named.
pub fn evaluate(retriever: &Retriever, conversation_id: &str, questions: &[Question], mode: ConverseMode) -> Result<Scores> {
    let engine = retriever.engine();
    let pages = page_texts(engine, conversation_id)?;
    let bm25 = PageIndex::build(&pages)?;
    let mut s = Scores::default();
    let (mut f1, mut f5, mut b1, mut b5, mut quoted) = (0, 0, 0, 0, 0);
    for q in questions {
        let on_page = q.pages.iter().any(|p| {
            pages.iter().any(|(d, n, t)| d == &q.document && n == p && normalise(t).contains(&normalise(&q.answer)))
        });
        if !on_page {
            s.unverified.push(format!("{} ({} p. {:?}): \"{}\" is not on those pages", q.question, q.document, q.pages, q.answer));
            continue;
        }
        s.questions += 1;
        s.paraphrased += q.paraphrased as usize;
        let right = |doc: &str, page: u32| doc == q.document && q.pages.contains(&page);
        let hits = retriever.retrieve(&Request::new(conversation_id, &q.question, None, mode))?;
        let mut ranked: Vec<(String, u32)> = Vec::new();
        for h in &hits {
            if !ranked.iter().any(|(d, p)| *d == h.document_name && *p == h.page) {
                ranked.push((h.document_name.clone(), h.page));
            }
        }
        let at = |k: usize, list: &[(String, u32)]| list.iter().take(k).any(|(d, p)| right(d, *p));
        f1 += at(1, &ranked) as usize;
        f5 += at(5, &ranked) as usize;
        if !at(1, &ranked) {
            s.misses.push(format!("{} -> {:?} (want {} {:?})", q.question, ranked.first(), q.document, q.pages));
        }
        let base = bm25.search(&q.question, 5)?;
        b1 += at(1, &base) as usize;
        b5 += at(5, &base) as usize;
        let (answer, _) = extract::quoted_answer(&q.question, &hits, Some(retriever));
        if normalise(&answer).contains(&normalise(&q.answer)) {
            quoted += 1;
        } else {
            s.quote_misses.push(format!("{} -> {}", q.question, answer.chars().take(300).collect::<String>()));
        }
    }
    let n = s.questions.max(1) as f64;
    s.folio_hit1 = f1 as f64 / n;
    s.folio_hit5 = f5 as f64 / n;
    s.bm25_hit1 = b1 as f64 / n;
    s.bm25_hit5 = b5 as f64 / n;
    s.quote_contains_answer = quoted as f64 / n;
    Ok(s)
}

/// (document name, page, text) of every page of the conversation's searchable documents.
fn page_texts(engine: &Engine, conversation_id: &str) -> Result<Vec<(String, u32, String)>> {
    let conn = engine.store().conn();
    let mut stmt = conn.prepare(
        "SELECT d.name, g.page, g.text FROM pages g JOIN documents d ON d.id = g.document_id
         WHERE d.conversation_id = ?1 AND d.searchable = 1 ORDER BY d.id, g.page",
    )?;
    let rows = stmt.query_map([conversation_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The baseline: plain BM25 (FTS5, same tokenizer) over whole pages, every word of
/// the question OR-ed, no stop words removed, nothing else.
struct PageIndex {
    conn: rusqlite::Connection,
}

impl PageIndex {
    fn build(pages: &[(String, u32, String)]) -> Result<PageIndex> {
        let conn = rusqlite::Connection::open_in_memory()?;
        conn.execute_batch("CREATE VIRTUAL TABLE p USING fts5(doc UNINDEXED, page UNINDEXED, text, tokenize='unicode61 remove_diacritics 2');")?;
        {
            let mut stmt = conn.prepare("INSERT INTO p(doc, page, text) VALUES (?1, ?2, ?3)")?;
            for (d, n, t) in pages {
                stmt.execute(rusqlite::params![d, n, t])?;
            }
        }
        Ok(PageIndex { conn })
    }

    fn search(&self, question: &str, limit: usize) -> Result<Vec<(String, u32)>> {
        let words: Vec<String> = text::words(question).map(|w| format!("\"{w}\"")).collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare("SELECT doc, page FROM p WHERE p MATCH ?1 ORDER BY bm25(p) LIMIT ?2")?;
        let rows = stmt.query_map(rusqlite::params![words.join(" OR "), limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[derive(Debug, Serialize)]
pub struct Latency {
    pub documents: usize,
    pub pages: usize,
    pub passages: usize,
    pub queries: usize,
    pub cold_ms: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// Medians of each step: query embedding, keyword search, vector search, the rest
    /// (fusion, reading the winners).
    pub median_steps_ms: crate::retrieve::Timings,
}

/// Fills `target_conversation` with `documents` x `pages` synthetic pages made of the
/// real passages (text, boxes and vectors) of `source_conversation`, cycled with an
/// offset per document so documents differ, in one transaction per document.
pub fn synthesise(engine: &Engine, source_conversation: &str, target_conversation: &str, documents: usize, pages: usize, passages_per_page: usize) -> Result<usize> {
    let source: Vec<(String, String, Option<Vec<u8>>)> = {
        let conn = engine.store().conn();
        let mut stmt = conn.prepare(
            "SELECT p.text, p.boxes, p.embedding FROM passages p JOIN documents d ON d.id = p.document_id
             WHERE d.conversation_id = ?1 AND p.embedding IS NOT NULL ORDER BY p.id",
        )?;
        let rows = stmt.query_map([source_conversation], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    if source.is_empty() {
        return Err(AnswerError::InvalidInput("the source conversation has no embedded passages".into()));
    }
    let now = chrono::Utc::now().to_rfc3339();
    let mut total = 0;
    for d in 0..documents {
        engine.store().write(|tx| {
            tx.execute(
                "INSERT INTO documents(conversation_id, name, sha256, size, kind, process, stage, pages_done, page_total, searchable, uploaded_at, updated_at)
                 VALUES (?1, ?2, 'synthetic', 0, 'pdf', 1, 'ready', ?3, ?3, 1, ?4, ?4)",
                rusqlite::params![target_conversation, format!("synthetic-{d:03}.pdf"), pages as i64, now],
            )?;
            let doc = tx.last_insert_rowid();
            let mut page_stmt = tx.prepare_cached("INSERT INTO pages(document_id, page, width, height, text) VALUES (?1, ?2, 612, 792, ?3)")?;
            let mut passage_stmt = tx.prepare_cached(
                "INSERT INTO passages(document_id, page, char_start, char_end, text, boxes, embedding) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for p in 0..pages {
                let mut page_text = String::new();
                for k in 0..passages_per_page {
                    let (t, b, e) = &source[(d * 7919 + p * passages_per_page + k) % source.len()];
                    let start = page_text.chars().count();
                    page_text.push_str(t);
                    page_text.push('\n');
                    passage_stmt.execute(rusqlite::params![doc, p as i64 + 1, start as i64, (start + t.chars().count()) as i64, t, b, e])?;
                }
                page_stmt.execute(rusqlite::params![doc, p as i64 + 1, page_text])?;
            }
            Ok(())
        })?;
        total += pages * passages_per_page;
    }
    Ok(total)
}

/// Times retrieval (default mode) of each query `rounds` times over a conversation.
pub fn time_retrieval(retriever: &Retriever, conversation_id: &str, queries: &[String], rounds: usize) -> Result<(f64, Vec<f64>, crate::retrieve::Timings)> {
    let cold = Instant::now();
    retriever.retrieve(&Request::new(conversation_id, &queries[0], None, ConverseMode::Default))?;
    let cold_ms = cold.elapsed().as_secs_f64() * 1000.0;
    let mut times = Vec::new();
    let mut steps: [Vec<f64>; 4] = Default::default();
    for _ in 0..rounds {
        for q in queries {
            let t = Instant::now();
            retriever.retrieve(&Request::new(conversation_id, q, None, ConverseMode::Default))?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            let s = retriever.last_timings();
            for (v, x) in steps.iter_mut().zip([s.embed_ms, s.keywords_ms, s.vectors_ms, s.rest_ms]) {
                v.push(x);
            }
        }
    }
    times.sort_by(f64::total_cmp);
    for v in steps.iter_mut() {
        v.sort_by(f64::total_cmp);
    }
    let median = crate::retrieve::Timings {
        embed_ms: percentile(&steps[0], 0.5),
        keywords_ms: percentile(&steps[1], 0.5),
        vectors_ms: percentile(&steps[2], 0.5),
        rest_ms: percentile(&steps[3], 0.5),
    };
    Ok((cold_ms, times, median))
}

pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[cfg(test)]
mod tests {
    #[test]
    fn spans_compare_by_words() {
        assert_eq!(super::normalise("does not\nwork in two-column"), "does not work in two column");
        assert_eq!(super::percentile(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.5), 3.0);
    }
}
