//! Evidence: sentences of the retrieved passages, each knowing its passage and its byte
//! range there (so its lines' boxes can be highlighted). `choose` keeps the few that best
//! answer a question, so a small model reads a prompt of a few hundred tokens instead of
//! ten whole passages (~3,000 tokens, ~20 s before the first word on 2 cores).

use crate::retrieve::Retriever;
use crate::text;
use folio_engine::SearchHit;
use std::collections::{HashMap, HashSet};

/// Passages whose sentences a small model may be given, and sentences scored at most.
const PASSAGES: usize = 5;
const MAX_SENTENCES: usize = 150;

#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// Index of the passage in the hits.
    pub hit: usize,
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Every sentence of the passages (at most MAX_SENTENCES), in passage order.
pub fn all(hits: &[SearchHit]) -> Vec<Evidence> {
    hits.iter()
        .enumerate()
        .flat_map(|(i, h)| {
            text::sentences(&h.text, 400).into_iter().map(move |s| Evidence {
                hit: i,
                text: s.text,
                start: s.start,
                end: s.end,
            })
        })
        .filter(|e| text::words(&e.text).next().is_some())
        .take(MAX_SENTENCES)
        .collect()
}

/// Up to `n` sentences that best answer `question`, best first: IDF-weighted overlap with
/// the question's stemmed words, MiniLM closeness when the embedder is set up, and a
/// little of the passage's rank. A short sentence (a heading, "Syntax:") brings the next
/// one of its passage, since the fact usually follows it.
pub fn choose(question: &str, hits: &[SearchHit], retriever: Option<&Retriever>, n: usize) -> Vec<Evidence> {
    let pool = all(&hits[..hits.len().min(PASSAGES)]);
    if pool.is_empty() || n == 0 {
        return Vec::new();
    }
    let terms: Vec<String> = text::content_words(question).iter().map(|w| text::stem(w)).collect();
    let stems: Vec<HashSet<String>> =
        pool.iter().map(|e| text::words(&e.text).map(|w| text::stem(&w)).collect()).collect();
    let count = pool.len() as f64;
    let weight: HashMap<&String, f64> = terms
        .iter()
        .map(|t| (t, ((count + 1.0) / (stems.iter().filter(|s| s.contains(t)).count() as f64 + 0.5)).ln().max(0.1)))
        .collect();
    let total: f64 = weight.values().sum::<f64>().max(1e-9);
    let meaning: Option<Vec<f32>> = retriever.and_then(|r| {
        let mut texts: Vec<&str> = vec![question];
        texts.extend(pool.iter().map(|e| e.text.as_str()));
        let vs = r.embed(&texts)?;
        Some(vs[1..].iter().map(|v| folio_engine::embed::cosine(&vs[0], v)).collect())
    });
    let mut scored: Vec<(f64, usize)> = pool
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let kw = weight.iter().filter(|(t, _)| stems[k].contains(**t)).map(|(_, w)| w).sum::<f64>() / total;
            let prior = 1.0 / (1.0 + e.hit as f64);
            let score = match &meaning {
                Some(m) => 0.45 * kw + 0.45 * m[k].max(0.0) as f64 + 0.1 * prior,
                None => 0.8 * kw + 0.2 * prior,
            };
            (score, k)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    if scored[0].0 <= 0.05 {
        return Vec::new();
    }
    let mut chosen: Vec<usize> = Vec::new();
    for (_, k) in scored {
        if chosen.len() >= n {
            break;
        }
        if !chosen.contains(&k) {
            chosen.push(k);
        }
        let short = pool[k].text.split_whitespace().count() < 8;
        let next = k + 1;
        if short && next < pool.len() && pool[next].hit == pool[k].hit && !chosen.contains(&next) && chosen.len() < n {
            chosen.push(next);
        }
    }
    chosen.into_iter().map(|k| pool[k].clone()).collect()
}
