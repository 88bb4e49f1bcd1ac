//! Re-ranking of the fused candidates (both modes), all offline: fused rank is a good
//! first cut, but it rewards a passage that mentions one rare word many times. The
//! re-ranker also asks how many of the question's words (stemmed, weighted by how rare
//! they are among the candidates) a passage holds, how close together (a passage with
//! every word of the question in one sentence is usually the one that answers it), and
//! how close in meaning the passage is to the question (MiniLM cosine, when set up).

use crate::text;
use folio_engine::SearchHit;
use std::collections::{HashMap, HashSet};

/// `cosines`: the question's cosine with each candidate that has a vector, weighed by
/// `meaning` (candidates without one count as 0).
pub fn rerank(question: &str, hits: Vec<SearchHit>, cosines: &HashMap<i64, f32>, meaning: f64) -> Vec<SearchHit> {
    if hits.len() < 2 {
        return hits;
    }
    let terms: Vec<String> = text::content_words(question).iter().map(|w| text::stem(w)).collect();
    if terms.is_empty() {
        return hits;
    }
    let stems: Vec<HashSet<String>> =
        hits.iter().map(|h| text::words(&h.text).map(|w| text::stem(&w)).collect()).collect();
    // Rarer among the candidates = more telling (a smoothed inverse document frequency).
    let n = hits.len() as f64;
    let weight: HashMap<&String, f64> = terms
        .iter()
        .map(|t| {
            let df = stems.iter().filter(|s| s.contains(t)).count() as f64;
            (t, ((n + 1.0) / (df + 0.5)).ln().max(0.05))
        })
        .collect();
    let total: f64 = weight.values().sum();
    let top_fused = hits.iter().map(|h| h.score).fold(0.0, f64::max).max(1e-9);
    let mut scored: Vec<(f64, SearchHit)> = hits
        .into_iter()
        .enumerate()
        .map(|(i, h)| {
            let coverage = weight.iter().filter(|(t, _)| stems[i].contains(**t)).map(|(_, w)| w).sum::<f64>() / total;
            let best_sentence = text::sentences(&h.text, 400)
                .iter()
                .map(|s| {
                    let ws: HashSet<String> = text::words(&s.text).map(|w| text::stem(&w)).collect();
                    weight.iter().filter(|(t, _)| ws.contains(**t)).map(|(_, w)| w).sum::<f64>() / total
                })
                .fold(0.0, f64::max);
            let cosine = cosines.get(&h.passage_id).copied().unwrap_or(0.0).max(0.0) as f64;
            let score = 0.4 * (h.score / top_fused) + 0.3 * coverage + 0.3 * best_sentence + meaning * cosine;
            (score, h)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored
        .into_iter()
        .map(|(s, mut h)| {
            h.score = s;
            h
        })
        .collect()
}
