//! The answer without a language model (the default on a fresh install): the sentences
//! of the retrieved passages that best answer the question, quoted word for word with
//! their page, under a line that says plainly that they are quotes.
//!
//! A sentence scores by how many of the question's words it holds (stemmed, rarer words
//! count more), by how close it is in meaning to the question (MiniLM, when set up: this
//! is what finds "the default is 10" for "how big is it unless I change it") and a little
//! by its passage's rank. A short best sentence (a heading, "Syntax:") brings the next
//! one with it, since the fact usually follows.

use crate::retrieve::Retriever;
use crate::text::{self, Sentence};
use folio_core::{BoundingBox, Source};
use folio_engine::SearchHit;
use std::collections::{HashMap, HashSet};

/// Passages whose sentences are considered, and sentences embedded at most.
const PASSAGES: usize = 5;
const MAX_SENTENCES: usize = 60;
const MAX_QUOTES: usize = 3;

pub const QUOTING_PREFIX: &str = "Quoting your documents (no language model wrote this; these are their own words):";
pub const NOTHING_FOUND: &str = "Nothing in these documents matches the question, so there is nothing to quote.";

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
    let mut candidates: Vec<(usize, Vec<Sentence>)> = Vec::new();
    for (i, h) in hits.iter().take(PASSAGES).enumerate() {
        candidates.push((i, text::sentences(&h.text, 400)));
    }
    let flat: Vec<(usize, usize)> = candidates
        .iter()
        .flat_map(|(i, ss)| (0..ss.len()).map(move |j| (*i, j)))
        .take(MAX_SENTENCES)
        .collect();
    if flat.is_empty() {
        return Vec::new();
    }
    let sentence = |(i, j): (usize, usize)| &candidates[i].1[j];
    let stems: Vec<HashSet<String>> = flat.iter().map(|k| text::words(&sentence(*k).text).map(|w| text::stem(&w)).collect()).collect();
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
    let mut scored: Vec<(f64, usize)> = flat
        .iter()
        .enumerate()
        .map(|(k, (i, j))| {
            let s = &candidates[*i].1[*j];
            let kw = weight.iter().filter(|(t, _)| stems[k].contains(**t)).map(|(_, w)| w).sum::<f64>() / total;
            let prior = 1.0 / (1.0 + *i as f64);
            let mut score = match &meaning {
                Some(m) => 0.45 * kw + 0.45 * m[k].max(0.0) as f64 + 0.1 * prior,
                None => 0.8 * kw + 0.2 * prior,
            };
            let words = s.text.split_whitespace().count();
            if words < 4 {
                score *= 0.5;
            }
            (score, k)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let best = scored[0].0;
    if best <= 0.05 {
        return Vec::new();
    }
    let mut quotes: Vec<Quote> = Vec::new();
    let mut used: HashSet<(usize, usize)> = HashSet::new();
    let mut taken: Vec<(usize, usize, usize)> = Vec::new(); // (hit, start, end) quoted
    for (score, k) in scored {
        if quotes.len() >= MAX_QUOTES || score < best * 0.75 {
            break;
        }
        let (i, j) = flat[k];
        if !used.insert((i, j)) {
            continue;
        }
        let ss = &candidates[i].1;
        let start = ss[j].start;
        let mut end = ss[j].end;
        let mut text = ss[j].text.clone();
        // A heading or a fragment: the fact is usually in the next sentence.
        if ss[j].text.split_whitespace().count() < 12 && j + 1 < ss.len() {
            text = format!("{} {}", text, ss[j + 1].text);
            end = ss[j + 1].end;
        }
        // Never quote the same words twice (a quote extended to its next sentence can
        // overlap another candidate).
        if taken.iter().any(|(h, a, b)| *h == i && *a < end && start < *b) {
            continue;
        }
        taken.push((i, start, end));
        quotes.push(Quote { text, hit: i, score, boxes: sentence_boxes(&hits[i], start, end) });
    }
    quotes
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
                .map(|l| BoundingBox { top_x: 0.0, top_y: l as f64 * 10.0, bottom_x: 100.0, bottom_y: l as f64 * 10.0 + 9.0 })
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
    fn says_so_when_nothing_matches() {
        let (text, sources) = quoted_answer("zebra migration", &[], None);
        assert_eq!(text, NOTHING_FOUND);
        assert!(sources.is_empty());
    }
}
