//! The evaluation behind `folio eval`: question sets over real documents, each question
//! with its document, kind, split (dev or held-out), the pages holding its answer and the
//! answer's exact words (or `null`: no document answers it). For one conversation holding
//! every document it measures, per question, the page rank of Folio's retrieval, of plain
//! BM25 over whole pages and of the peer pipeline (page-level RRF of BM25 and MiniLM), all
//! in the same run; whether the answer's first source is the right document, whether the
//! quoted answer holds the answer's words, and whether Folio says it found nothing.
//! Answerable questions whose words are not on their pages are reported and left out, so
//! the set checks itself. `summarise` groups the outcomes by split, mode and kind.
//!
//! The latency benchmark (`latency`) builds a conversation of synthetic documents from
//! real passages (text and vectors copied from an ingested conversation) and times
//! retrieval per query.

use crate::error::{AnswerError, Result};
use crate::extract;
use crate::retrieve::{Request, Retriever};
use crate::text;
use folio_core::ConverseMode;
use folio_engine::store::{PageIndex, StoredPassage};
use folio_engine::Engine;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::Instant;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Question {
    #[serde(default)]
    pub id: Option<String>,
    pub question: String,
    /// File name of the document (as in the corpus folder).
    pub document: String,
    /// pdf, scanned-pdf, html, docx, xlsx, csv, eml, text, markdown (default: from the file name).
    #[serde(default)]
    pub kind: Option<String>,
    /// 1-based pages where the answer is; empty for formats without pages (a cited page is
    /// then right when its text holds the answer).
    #[serde(default)]
    pub pages: Vec<u32>,
    /// Words that appear verbatim (up to spacing, case and punctuation) on one of those
    /// pages; None: no document of the set answers the question.
    pub answer: Option<String>,
    /// Phrased without reusing the answer's words.
    #[serde(default)]
    pub paraphrased: bool,
    /// dev or heldout; a file without splits (the first question set) is dev.
    #[serde(default)]
    pub split: Option<String>,
}

impl Question {
    pub fn kind(&self) -> String {
        self.kind.clone().unwrap_or_else(|| {
            self.document.rsplit('.').next().filter(|e| *e != self.document).unwrap_or("text").to_lowercase()
        })
    }

    pub fn split(&self) -> &str {
        self.split.as_deref().unwrap_or("dev")
    }
}

pub fn read_questions(jsonl: &str) -> Result<Vec<Question>> {
    jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with("//"))
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| AnswerError::InvalidInput(format!("line {}: {e}", i + 1))))
        .collect()
}

/// Lower-case words joined by single spaces, with a space at each end: how spans are
/// compared (PDF text breaks lines and hyphenates, quotes and dashes vary; the words are
/// what count, and whole words only: "10" is not in "100").
pub fn normalise(s: &str) -> String {
    format!(" {} ", text::words(s).collect::<Vec<_>>().join(" "))
}

/// What happened to one question in one mode.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub id: String,
    pub question: String,
    pub document: String,
    pub split: String,
    pub kind: String,
    pub mode: String,
    pub answerable: bool,
    /// 1-based rank of the first right page among distinct pages (None: not in the top 10).
    pub folio_rank: Option<usize>,
    pub bm25_rank: Option<usize>,
    pub peer_rank: Option<usize>,
    pub first_document_right: bool,
    pub quote_holds_answer: bool,
    /// Folio said it did not find the answer in the documents.
    pub refused: bool,
    pub answer: String,
}

/// Pages looked at for the rank (hit@5 needs 5; a few more say how near a miss was).
const RANKED_PAGES: usize = 10;
/// Candidates each side of the peer pipeline brings to its page-level fusion.
const PEER_CANDIDATES: usize = 40;

/// Runs the questions on a conversation that holds every document named. Returns the
/// outcomes and the answerable questions left out because their words are not on their pages.
pub fn evaluate(
    retriever: &Retriever,
    conversation_id: &str,
    questions: &[Question],
    mode: ConverseMode,
) -> Result<(Vec<Outcome>, Vec<String>)> {
    let engine = retriever.engine();
    let pages = engine.store().conversation_pages(conversation_id)?;
    let normalised: HashMap<(String, u32), String> =
        pages.iter().map(|(d, n, t)| ((d.clone(), *n), normalise(t))).collect();
    let bm25 = PageIndex::build(&pages)?;
    let passage_pages = engine.store().passage_locations(conversation_id)?;
    let mode_name = match mode {
        ConverseMode::Default => "default",
        ConverseMode::Advanced => "advanced",
    };
    let mut outcomes = Vec::new();
    let mut unverified = Vec::new();
    for (i, q) in questions.iter().enumerate() {
        let want = q.answer.as_deref().map(normalise);
        let right = |doc: &str, page: u32| -> bool {
            let Some(want) = &want else { return false };
            doc == q.document
                && if q.pages.is_empty() {
                    normalised.get(&(doc.to_string(), page)).is_some_and(|t| t.contains(want.as_str()))
                } else {
                    q.pages.contains(&page)
                }
        };
        if let Some(w) = &want {
            let on_page = normalised.iter().any(|((d, n), t)| {
                d == &q.document && (q.pages.is_empty() || q.pages.contains(n)) && t.contains(w.as_str())
            });
            if !on_page {
                unverified.push(format!(
                    "{} ({} p. {:?}): \"{}\" is not there",
                    q.question,
                    q.document,
                    q.pages,
                    q.answer.as_deref().unwrap_or("")
                ));
                continue;
            }
        }
        let rank_of =
            |list: &[(String, u32)]| list.iter().take(RANKED_PAGES).position(|(d, p)| right(d, *p)).map(|r| r + 1);
        let hits = retriever.retrieve(&Request::new(conversation_id, &q.question, None, mode))?;
        let folio_pages = distinct_pages(hits.iter().map(|h| (h.document_name.clone(), h.page)));
        let base = baseline_pages(&bm25, &q.question, PEER_CANDIDATES)?;
        let peer = peer_pages(retriever, conversation_id, &q.question, &base, &passage_pages)?;
        let missing = crate::absent::unmentioned_names(engine, conversation_id, None, &q.question)?;
        let (answer, sources) = if missing.is_empty() {
            extract::quoted_answer(&q.question, &hits, Some(retriever))
        } else {
            (crate::absent::refusal(&missing), Vec::new())
        };
        let refused = extract::is_not_found(&answer);
        outcomes.push(Outcome {
            id: q.id.clone().unwrap_or_else(|| format!("q{:03}", i + 1)),
            question: q.question.clone(),
            document: q.document.clone(),
            split: q.split().to_string(),
            kind: q.kind(),
            mode: mode_name.to_string(),
            answerable: want.is_some(),
            folio_rank: rank_of(&folio_pages),
            bm25_rank: rank_of(&base),
            peer_rank: rank_of(&peer),
            first_document_right: sources.first().is_some_and(|s| s.document_name == q.document),
            quote_holds_answer: want.as_ref().is_some_and(|w| !refused && normalise(&answer).contains(w.as_str())),
            refused,
            answer,
        });
    }
    Ok((outcomes, unverified))
}

fn distinct_pages(all: impl Iterator<Item = (String, u32)>) -> Vec<(String, u32)> {
    let mut out: Vec<(String, u32)> = Vec::new();
    for p in all {
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// The peer pipeline: BM25 over whole pages and MiniLM over passages (each passage votes
/// for its page, at its best rank), fused by reciprocal rank at page level.
fn peer_pages(
    retriever: &Retriever,
    conversation_id: &str,
    question: &str,
    bm25: &[(String, u32)],
    passage_pages: &HashMap<i64, (String, u32)>,
) -> Result<Vec<(String, u32)>> {
    let near = retriever.nearest_passages(&[conversation_id], question, PEER_CANDIDATES * 3)?;
    let by_meaning = distinct_pages(near.iter().filter_map(|(id, _)| passage_pages.get(id).cloned()));
    let mut scores: HashMap<(String, u32), f64> = HashMap::new();
    for list in [bm25, &by_meaning[..by_meaning.len().min(PEER_CANDIDATES)]] {
        for (rank, p) in list.iter().enumerate() {
            *scores.entry(p.clone()).or_default() += 1.0 / (crate::retrieve::fusion::K + rank as f64 + 1.0);
        }
    }
    let mut fused: Vec<((String, u32), f64)> = scores.into_iter().collect();
    fused.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(fused.into_iter().map(|(p, _)| p).collect())
}

/// One line of the table: the outcomes of one split, mode and kind ("all" for every kind).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Row {
    pub split: String,
    pub mode: String,
    pub kind: String,
    pub questions: usize,
    pub answerable: usize,
    pub folio_hit1: f64,
    pub folio_hit5: f64,
    pub bm25_hit1: f64,
    pub bm25_hit5: f64,
    pub peer_hit1: f64,
    pub peer_hit5: f64,
    pub first_document_right: f64,
    pub quote_holds_answer: f64,
    /// Answerable questions Folio said it found nothing for.
    pub wrongly_refused: f64,
    pub unanswerable: usize,
    /// Unanswerable questions for which Folio said it found nothing (the right reply).
    pub unanswerable_refused: f64,
}

/// Rows per (split, mode, kind), each split and mode closed by an "all" row.
pub fn summarise(outcomes: &[Outcome]) -> Vec<Row> {
    let mut keys: Vec<(String, String, String)> = Vec::new();
    for o in outcomes {
        for kind in [o.kind.clone(), "all".to_string()] {
            let k = (o.split.clone(), o.mode.clone(), kind);
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    let order = |s: &str| if s == "all" { "~".to_string() } else { s.to_string() };
    keys.sort_by_key(|(s, m, k)| (s.clone(), m.clone(), order(k)));
    keys.into_iter()
        .map(|(split, mode, kind)| {
            let group: Vec<&Outcome> = outcomes
                .iter()
                .filter(|o| o.split == split && o.mode == mode && (kind == "all" || o.kind == kind))
                .collect();
            let answerable: Vec<&&Outcome> = group.iter().filter(|o| o.answerable).collect();
            let unanswerable: Vec<&&Outcome> = group.iter().filter(|o| !o.answerable).collect();
            let share = |set: &[&&Outcome], f: &dyn Fn(&Outcome) -> bool| {
                if set.is_empty() {
                    0.0
                } else {
                    set.iter().filter(|o| f(o)).count() as f64 / set.len() as f64
                }
            };
            let at = |r: Option<usize>, k: usize| r.is_some_and(|r| r <= k);
            Row {
                questions: group.len(),
                answerable: answerable.len(),
                folio_hit1: share(&answerable, &|o| at(o.folio_rank, 1)),
                folio_hit5: share(&answerable, &|o| at(o.folio_rank, 5)),
                bm25_hit1: share(&answerable, &|o| at(o.bm25_rank, 1)),
                bm25_hit5: share(&answerable, &|o| at(o.bm25_rank, 5)),
                peer_hit1: share(&answerable, &|o| at(o.peer_rank, 1)),
                peer_hit5: share(&answerable, &|o| at(o.peer_rank, 5)),
                first_document_right: share(&answerable, &|o| o.first_document_right),
                quote_holds_answer: share(&answerable, &|o| o.quote_holds_answer),
                wrongly_refused: share(&answerable, &|o| o.refused),
                unanswerable: unanswerable.len(),
                unanswerable_refused: share(&unanswerable, &|o| o.refused),
                split,
                mode,
                kind,
            }
        })
        .collect()
}

/// The table `folio eval` prints: one line per row.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "split    mode     kind          n  ans | Folio @1 @5 | BM25 @1 @5  | peer @1 @5  | doc1  quote wrong-refused | null refused\n",
    );
    for r in rows {
        out.push_str(&format!(
            "{:<8} {:<8} {:<11} {:>4} {:>4} | {:.3} {:.3} | {:.3} {:.3} | {:.3} {:.3} | {:.3} {:.3} {:.3}         | {:>2} {}\n",
            r.split,
            r.mode,
            r.kind,
            r.questions,
            r.answerable,
            r.folio_hit1,
            r.folio_hit5,
            r.bm25_hit1,
            r.bm25_hit5,
            r.peer_hit1,
            r.peer_hit5,
            r.first_document_right,
            r.quote_holds_answer,
            r.wrongly_refused,
            r.unanswerable,
            if r.unanswerable > 0 { format!("{:.3}", r.unanswerable_refused) } else { "-".into() },
        ));
    }
    out
}

/// The baseline: plain BM25 over whole pages, every word of the question OR-ed, no
/// stop words removed, nothing else.
fn baseline_pages(index: &PageIndex, question: &str, limit: usize) -> Result<Vec<(String, u32)>> {
    let words: Vec<String> = text::words(question).collect();
    Ok(index.search(&words, limit)?)
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
pub fn synthesise(
    engine: &Engine,
    source_conversation: &str,
    target_conversation: &str,
    documents: usize,
    pages: usize,
    passages_per_page: usize,
) -> Result<usize> {
    let source = engine.store().embedded_passages(source_conversation)?;
    if source.is_empty() {
        return Err(AnswerError::InvalidInput("the source conversation has no embedded passages".into()));
    }
    let mut total = 0;
    for d in 0..documents {
        // Cycled with an offset per document, so documents differ.
        let page_list: Vec<Vec<&StoredPassage>> = (0..pages)
            .map(|p| {
                (0..passages_per_page).map(|k| &source[(d * 7919 + p * passages_per_page + k) % source.len()]).collect()
            })
            .collect();
        engine.store().insert_synthetic_document(target_conversation, &format!("synthetic-{d:03}.pdf"), &page_list)?;
        total += pages * passages_per_page;
    }
    Ok(total)
}

/// Times retrieval (default mode) of each query `rounds` times over a conversation.
pub fn time_retrieval(
    retriever: &Retriever,
    conversation_id: &str,
    queries: &[String],
    rounds: usize,
) -> Result<(f64, Vec<f64>, crate::retrieve::Timings)> {
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
        meaning: true,
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
    fn outcome(split: &str, kind: &str, answerable: bool, rank: Option<usize>, refused: bool) -> super::Outcome {
        super::Outcome {
            id: String::new(),
            question: String::new(),
            document: String::new(),
            split: split.into(),
            kind: kind.into(),
            mode: "default".into(),
            answerable,
            folio_rank: rank,
            bm25_rank: None,
            peer_rank: rank.map(|r| r + 1),
            first_document_right: rank.is_some(),
            quote_holds_answer: rank == Some(1),
            refused,
            answer: String::new(),
        }
    }

    #[test]
    fn rows_keep_splits_and_kinds_apart_and_count_refusals() {
        let outcomes = vec![
            outcome("dev", "pdf", true, Some(1), false),
            outcome("dev", "pdf", true, Some(3), false),
            outcome("dev", "csv", true, None, true),
            outcome("dev", "csv", false, None, true),
            outcome("heldout", "pdf", true, Some(1), false),
        ];
        let rows = super::summarise(&outcomes);
        let row = |split: &str, kind: &str| rows.iter().find(|r| r.split == split && r.kind == kind).unwrap().clone();
        let pdf = row("dev", "pdf");
        // Folio ranks the page 1st and 3rd; the peer pipeline (one lower each) 2nd and 4th.
        assert_eq!(
            (pdf.questions, pdf.folio_hit1, pdf.folio_hit5, pdf.peer_hit1, pdf.peer_hit5),
            (2, 0.5, 1.0, 0.0, 1.0)
        );
        let csv = row("dev", "csv");
        assert_eq!((csv.answerable, csv.unanswerable, csv.unanswerable_refused, csv.wrongly_refused), (1, 1, 1.0, 1.0));
        let all = row("dev", "all");
        assert_eq!((all.questions, all.answerable), (4, 3));
        assert_eq!(row("heldout", "all").folio_hit1, 1.0, "held-out is summed on its own");
        assert_eq!(rows.last().unwrap().kind, "all");
    }

    #[test]
    fn questions_read_with_and_without_the_new_fields() {
        let qs = super::read_questions(
            "{\"question\":\"q\",\"document\":\"a.pdf\",\"pages\":[1],\"answer\":\"x\"}\n\
             {\"id\":\"b-1\",\"question\":\"q\",\"document\":\"b.eml\",\"kind\":\"eml\",\"pages\":[],\"answer\":null,\"split\":\"heldout\"}",
        )
        .unwrap();
        assert_eq!((qs[0].kind(), qs[0].split()), ("pdf".to_string(), "dev"));
        assert_eq!((qs[1].kind(), qs[1].split(), qs[1].answer.is_none()), ("eml".to_string(), "heldout", true));
    }

    #[test]
    fn spans_compare_by_words() {
        assert_eq!(super::normalise("does not\nwork in two-column"), " does not work in two column ");
        assert!(!super::normalise("about 100 pages").contains(&super::normalise("10")));
        assert_eq!(super::percentile(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.5), 3.0);
    }
}
