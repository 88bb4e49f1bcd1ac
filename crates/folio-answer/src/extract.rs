//! The answer without a language model (the default on a fresh install): the sentences
//! of the retrieved passages that best answer the question, quoted word for word with
//! their page, under a line that says plainly that they are quotes.
//!
//! A sentence scores by how many of the question's words it holds (stemmed, rarer words
//! count more), by how close it is in meaning to the question (MiniLM, when set up: this
//! is what finds "the default is 10" for "how big is it unless I change it") and a little
//! by its passage's rank. A short best sentence (a heading, "Syntax:") brings the next
//! one with it, since the fact usually follows.

use crate::dates;
use crate::retrieve::Retriever;
use crate::text::{self, Sentence};
use folio_core::{BoundingBox, Source};
use folio_engine::SearchHit;
use std::collections::{HashMap, HashSet};

/// Passages whose sentences are considered, and sentences embedded at most.
const PASSAGES: usize = 5;
const MAX_SENTENCES: usize = 60;

pub const QUOTING_PREFIX: &str = "Quoting your documents (no language model wrote this; these are their own words):";
pub const NOTHING_FOUND: &str = "Nothing in these documents matches the question, so there is nothing to quote.";

/// Whether an answer is Folio saying it found nothing to quote.
pub fn is_not_found(answer: &str) -> bool {
    answer.contains(NOTHING_FOUND)
}

#[derive(Debug, Clone)]
pub struct Quote {
    pub text: String,
    /// Index of the passage in the hits it was taken from.
    pub hit: usize,
    pub score: f64,
    pub boxes: Vec<BoundingBox>,
}

/// The quoted answer's text and its sources (one per quote, with page and boxes).
pub fn quoted_answer(question: &str, hits: &[SearchHit], retriever: Option<&Retriever>) -> (String, Vec<Source>) {
    let quotes = best_quotes(question, hits, retriever);
    if quotes.is_empty() {
        return (NOTHING_FOUND.to_string(), Vec::new());
    }
    let mut text = String::from(QUOTING_PREFIX);
    let mut sources = Vec::new();
    for q in &quotes {
        let h = &hits[q.hit];
        let place = h.page_label.clone().unwrap_or_else(|| format!("page {}", h.page));
        text.push_str(&format!("\n\n“{}” ({}, {place})", q.text, h.document_name));
        sources.push(Source {
            document_id: Some(h.document_id),
            document_name: h.document_name.clone(),
            page: Some(h.page),
            page_label: h.page_label.clone(),
            passage: Some(q.text.clone()),
            boxes: q.boxes.clone(),
        });
    }
    (text, sources)
}

/// The sentences to quote, best first.
pub fn best_quotes(question: &str, hits: &[SearchHit], retriever: Option<&Retriever>) -> Vec<Quote> {
    let terms: Vec<String> = text::content_words(question).iter().map(|w| text::stem(w)).collect();
    let known = |w: &str| retriever.is_some_and(|r| r.is_known_word(w));
    // Each passage as prose: running headers, page numbers and markup blanked in place.
    let cleaned: Vec<String> = hits
        .iter()
        .take(PASSAGES)
        .map(|h| match retriever {
            Some(r) => text::blank_furniture(&h.text, &r.furniture(h.document_id)),
            None => text::blank_furniture(&h.text, &HashSet::new()),
        })
        .collect();
    let mut candidates: Vec<(usize, Vec<Sentence>)> = Vec::new();
    for (i, clean) in cleaned.iter().enumerate() {
        let mut ss = text::sentences(clean, 400);
        for s in &mut ss {
            s.text = text::fold_lines(&clean[s.start..s.end], &known);
        }
        ss.retain(|s| !s.text.is_empty());
        candidates.push((i, ss));
    }
    let flat: Vec<(usize, usize)> =
        candidates.iter().flat_map(|(i, ss)| (0..ss.len()).map(move |j| (*i, j))).take(MAX_SENTENCES).collect();
    if flat.is_empty() {
        return Vec::new();
    }
    let sentence = |(i, j): (usize, usize)| &candidates[i].1[j];
    let stems: Vec<HashSet<String>> =
        flat.iter().map(|k| text::words(&sentence(*k).text).map(|w| text::stem(&w)).collect()).collect();
    let n = flat.len() as f64;
    let weight: HashMap<&String, f64> = terms
        .iter()
        .map(|t| (t, ((n + 1.0) / (stems.iter().filter(|s| s.contains(t)).count() as f64 + 0.5)).ln().max(0.1)))
        .collect();
    let total: f64 = weight.values().sum::<f64>().max(1e-9);
    let meaning: Option<Vec<f32>> = retriever.and_then(|r| {
        let mut texts: Vec<&str> = vec![question];
        texts.extend(flat.iter().map(|k| sentence(*k).text.as_str()));
        let vs = r.embed(&texts)?;
        Some(vs[1..].iter().map(|v| folio_engine::embed::cosine(&vs[0], v)).collect())
    });
    let tune = crate::retrieve::tuning::tuning();
    let question_stems: HashSet<String> = text::words(question).map(|w| text::stem(&w)).collect();
    let question_dates = dates::find(question);
    let coverage: Vec<f64> = (0..flat.len())
        .map(|k| weight.iter().filter(|(t, _)| stems[k].contains(**t)).map(|(_, w)| w).sum::<f64>() / total)
        .collect();
    let mut scored: Vec<(f64, usize)> = flat
        .iter()
        .enumerate()
        .map(|(k, (i, j))| {
            let s = &candidates[*i].1[*j];
            let kw = coverage[k];
            let prior = 1.0 / (1.0 + *i as f64);
            let new = novelty(&s.text, &question_stems);
            let mut score = match &meaning {
                Some(m) => {
                    tune.quote_keywords * kw
                        + tune.quote_meaning * m[k].max(0.0) as f64
                        + tune.quote_prior * prior
                        + tune.quote_new * new
                }
                None => 0.7 * kw + 0.15 * prior + 0.15 * new,
            };
            if !question_dates.is_empty() && dates::find(&s.text).iter().any(|d| question_dates.contains(d)) {
                score += tune.quote_date;
            }
            let words = s.text.split_whitespace().count();
            if markup_dense(&s.text) && !markup_dense(question) {
                // A macro listing ("\DeclareOption*{\PassOptionsToPackage…}") answers no
                // question asked in prose, however many of its words it shares.
                score *= 0.5;
            }
            if words < 4 {
                score *= 0.5;
            }
            (score, k)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let best = scored[0].0;
    let best_cosine = meaning.as_ref().map(|m| m.iter().copied().fold(0.0f32, f32::max) as f64);
    // Nothing retrieved is close enough to answer: saying so beats quoting a neighbour.
    if best <= tune.min_quote_score || best_cosine.is_some_and(|c| c < tune.min_quote_cosine) {
        return Vec::new();
    }
    let mut quotes: Vec<Quote> = Vec::new();
    let mut sentences_quoted = 0;
    let mut taken: Vec<(usize, usize, usize)> = Vec::new(); // (hit, start, end) quoted
    for (score, k) in scored {
        if sentences_quoted >= MAX_SENTENCES_QUOTED || score < best * KEEP_WITHIN {
            break;
        }
        let (i, j) = flat[k];
        let ss = &candidates[i].1;
        let start = ss[j].start;
        let mut last = j;
        // A sentence that covers the question but holds no value or code states the
        // problem; the answer (`drop = FALSE`) is usually one or two sentences on.
        if coverage[k] >= STATES_PROBLEM && !code_like(&ss[j].text) {
            if let Some(v) = (j + 1..(j + 3).min(ss.len())).find(|x| code_like(&ss[*x].text)) {
                last = v;
            }
        }
        // A heading, a fragment, a lead-in ("as follows:") or a sentence that only
        // restates the question: the fact is usually in the next sentence.
        // A long sentence cut where the splitter's length limit fell ("…: if the") goes
        // on in the next piece, which usually holds the point.
        let cut_short = ss[j].text.split_whitespace().count() >= 12
            && !text::ends_complete(&ss[j].text)
            && !text::is_table_row(&ss[j].text);
        let lead_in = ss[j].text.split_whitespace().count() < 12
            || cut_short
            || ss[j].text.ends_with(':')
            || novelty(&ss[j].text, &question_stems) < RESTATES;
        if last == j && lead_in && j + 1 < ss.len() {
            last = j + 1;
        }
        last = last.min(j + MAX_SENTENCES_QUOTED.saturating_sub(sentences_quoted).max(1) - 1);
        let count = last - j + 1;
        let end = ss[last].end;
        let mut text = ss[j..=last].iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(" ");
        // Never quote the same words twice (a quote extended to its next sentence can
        // overlap another candidate).
        if taken.iter().any(|(h, a, b)| *h == i && *a < end && start < *b) {
            continue;
        }
        // An e-mail's subject says what the message is about: quoted with it when it
        // shares the question's words and the quote is from the body.
        if let Some(subject) = subject_line(&hits[i].text) {
            let shares = text::words(subject).any(|w| terms.contains(&text::stem(&w)));
            if shares && !text.contains(subject) {
                text = format!("{subject} … {text}");
            }
        }
        taken.push((i, start, end));
        sentences_quoted += count;
        quotes.push(Quote { text, hit: i, score, boxes: sentence_boxes(&hits[i], start, end) });
    }
    quotes
}

/// Other sentences are quoted when they score within this share of the best.
const KEEP_WITHIN: f64 = 0.8;
/// At most this many sentences in all (quotes extended to their next sentence count two).
const MAX_SENTENCES_QUOTED: usize = 3;
/// Below this novelty a sentence mostly restates the question.
const RESTATES: f64 = 0.3;
/// A sentence holding this share of the question's (weighted) words states its problem.
const STATES_PROBLEM: f64 = 0.6;

/// Source markup more than prose: at least three backslash commands, and one or more
/// for every four words.
fn markup_dense(sentence: &str) -> bool {
    let commands = sentence.as_bytes().windows(2).filter(|w| w[0] == b'\\' && w[1].is_ascii_alphabetic()).count();
    commands >= 3 && commands * 4 >= sentence.split_whitespace().count()
}

/// Numbers and code: what a how-to or a how-much answer holds.
fn code_like(sentence: &str) -> bool {
    sentence.chars().any(|c| c.is_ascii_digit() || "=_\\{}[]`".contains(c))
}

/// How much a sentence says beyond the question, 0..1: the share of its content words
/// the question lacks, raised when it holds what answers usually are (numbers, code,
/// names, an option's `=`).
fn novelty(sentence: &str, question: &HashSet<String>) -> f64 {
    let words = text::content_words(sentence);
    if words.is_empty() {
        return 0.0;
    }
    let new = words.iter().filter(|w| !question.contains(&text::stem(w))).count() as f64 / words.len() as f64;
    let value_like = sentence.chars().any(|c| c.is_ascii_digit() || "=_\\{}[]()`'\"".contains(c))
        || sentence.split_whitespace().skip(1).any(|w| w.chars().next().is_some_and(char::is_uppercase));
    (new + if value_like { 0.25 } else { 0.0 }).min(1.0)
}

/// The `Subject:` line of an e-mail's headers, when the passage holds them.
fn subject_line(passage: &str) -> Option<&str> {
    passage.lines().take(8).map(str::trim).find(|l| l.starts_with("Subject: ")).filter(|l| l.len() > 10)
}

/// The line boxes of the lines the byte range [start, end) of the passage covers, when
/// the passage has one box per non-empty line (PDF text); else the passage's boxes.
pub(crate) fn sentence_boxes(hit: &SearchHit, start: usize, end: usize) -> Vec<BoundingBox> {
    let mut lines: Vec<(usize, usize)> = Vec::new();
    let mut pos = 0;
    for line in hit.text.split('\n') {
        if !line.trim().is_empty() {
            lines.push((pos, pos + line.len()));
        }
        pos += line.len() + 1;
    }
    if lines.len() != hit.boxes.len() {
        return hit.boxes.clone();
    }
    lines.iter().zip(&hit.boxes).filter(|((a, b), _)| *a < end && *b > start).map(|(_, bx)| *bx).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(id: i64, page: u32, text: &str) -> SearchHit {
        let lines = text.split('\n').filter(|l| !l.trim().is_empty()).count();
        SearchHit {
            passage_id: id,
            document_id: 1,
            document_name: "manual.pdf".into(),
            page,
            page_label: None,
            char_start: 0,
            char_end: text.chars().count() as u32,
            text: text.into(),
            boxes: (0..lines)
                .map(|l| BoundingBox {
                    top_x: 0.0,
                    top_y: l as f64 * 10.0,
                    bottom_x: 100.0,
                    bottom_y: l as f64 * 10.0 + 9.0,
                })
                .collect(),
            score: 0.0,
        }
    }

    #[test]
    fn quotes_the_sentence_holding_the_fact_with_its_page_and_lines() {
        let hits = vec![
            hit(1, 4, "Colours are chosen with set palette. The palette has many options\nfor printing."),
            hit(2, 9, "The title is centred at the top.\nThe default font size of the title is 14 points, which\ncan be changed with the font option. Other text is smaller."),
        ];
        let (text, sources) = quoted_answer("What is the default font size of the title?", &hits, None);
        assert!(text.starts_with(QUOTING_PREFIX), "{text}");
        assert!(text.contains("14 points"), "{text}");
        assert_eq!(sources[0].page, Some(9));
        assert!(sources[0].passage.as_deref().unwrap().contains("14 points"));
        // The sentence spans lines 2 and 3 of the passage: their boxes, not line 1's.
        assert_eq!(sources[0].boxes.len(), 2, "{:?}", sources[0].boxes);
        assert_eq!(sources[0].boxes[0].top_y, 10.0);
    }

    #[test]
    fn quotes_the_sentence_that_answers_not_the_one_restating_the_question() {
        let hits = vec![hit(
            1,
            58,
            "Keeping a single row of a matrix as a matrix is a common problem when you index a matrix.\n\
             Indexing usually drops the dimensions.\nTo keep them, index with drop = FALSE, as in m[1, , drop = FALSE].",
        )];
        let (text, _) = quoted_answer("How do I keep a single row of a matrix as a matrix?", &hits, None);
        assert!(text.contains("drop = FALSE"), "{text}");
    }

    #[test]
    fn an_e_mail_quote_carries_its_subject_when_that_is_what_matches() {
        let hits = vec![hit(1, 1, "From: Ann <ann@example.org>\nSubject: Server migration on Friday\n\nWe start at 6 pm and expect two hours of downtime for the move.")];
        let (text, _) = quoted_answer("How long will the server migration take?", &hits, None);
        assert!(text.contains("Subject: Server migration on Friday"), "{text}");
        assert!(text.contains("two hours"), "{text}");
    }

    #[test]
    fn a_macro_listing_is_not_quoted_beside_the_prose_that_answers() {
        let hits = vec![
            hit(1, 1, "All text, within the landscape environment is rotated through 90 degrees. The environment may span several pages."),
            hit(2, 2, "8 \\DeclareOption*{\\PassOptionsToPackage\\CurrentOption{graphics}} 9 \\ProcessOptions 10\n\\RequirePackage{graphics} 11 \\def\\LS@rot{% 12 \\setbox\\@outputbox\\vbox{\\hbox{\\rotatebox{90}{\\box\\@outputbox}}}} First set up the page size for landscape."),
        ];
        let (text, sources) = quoted_answer("What does the landscape environment do to the pages?", &hits, None);
        assert!(text.contains("rotated through 90 degrees"), "{text}");
        assert!(!text.contains("DeclareOption"), "{text}");
        assert_eq!(sources.len(), 1);
    }

    #[test]
    fn says_so_when_nothing_matches() {
        let (text, sources) = quoted_answer("zebra migration", &[], None);
        assert_eq!(text, NOTHING_FOUND);
        assert!(sources.is_empty());
    }
}
