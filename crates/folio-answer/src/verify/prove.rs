//! An answer's sentences with their proof: each claim aligned to the evidence, its
//! passage added to the sources when the answer had not cited it, the supporting
//! sentence's line boxes kept for a strong highlight inside the passage's light one.

use super::align::{self, Claim};
use super::evidence::Evidence;
use crate::retrieve::Retriever;
use folio_core::{AnswerSentence, Source, Support};
use folio_engine::SearchHit;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Proof {
    pub sentences: Vec<AnswerSentence>,
    /// Sentences that make a claim (hold words).
    pub claims: usize,
    pub supported: usize,
    /// The answer says the documents hold no answer.
    pub no_answer: bool,
}

impl Proof {
    /// Worth showing as a written answer: it claims something, and nearly all of it is
    /// found (one- and two-sentence answers entirely; longer ones two thirds, their
    /// first sentence included).
    pub fn holds(&self) -> bool {
        let first = self.sentences.first().is_some_and(|s| s.support == Support::Supported);
        self.claims > 0
            && !self.no_answer
            && first
            && self.supported * 3 >= self.claims * 2
            && (self.claims > 2 || self.supported == self.claims)
    }
}

/// The proof of `text`, an answer to `question`, against `evidence` (sentences of `hits`).
/// Supporting passages are found in `sources` (same document, page and passage text) or
/// appended to it.
pub fn prove(
    question: &str,
    text: &str,
    evidence: &[Evidence],
    hits: &[SearchHit],
    sources: &mut Vec<Source>,
    retriever: Option<&Retriever>,
) -> Proof {
    let claims: Vec<Claim> = align::claims(text).into_iter().filter(Claim::has_words).collect();
    let alignments = align::align(question, &claims, evidence, retriever);
    let mut proof = Proof { claims: claims.len(), ..Proof::default() };
    for (claim, a) in claims.iter().zip(alignments) {
        proof.no_answer |= align::says_no_answer(&claim.plain);
        let mut sentence = AnswerSentence {
            start: claim.start as u32,
            end: claim.end as u32,
            text: claim.shown.clone(),
            source: None,
            support: Support::NotFound,
            evidence: None,
            boxes: Vec::new(),
        };
        if let (true, Some(k)) = (a.supported, a.evidence) {
            let e = &evidence[k];
            let hit = &hits[e.hit];
            sentence.source = Some(source_index(sources, hit) as u32);
            sentence.support = Support::Supported;
            sentence.evidence = Some(e.text.clone());
            sentence.boxes = crate::extract::sentence_boxes(hit, e.start, e.end);
            proof.supported += 1;
        }
        proof.sentences.push(sentence);
    }
    proof
}

fn source_index(sources: &mut Vec<Source>, hit: &SearchHit) -> usize {
    let same = |s: &Source| {
        s.document_id == Some(hit.document_id)
            && s.page == Some(hit.page)
            && s.passage.as_deref() == Some(hit.text.as_str())
    };
    if let Some(i) = sources.iter().position(same) {
        return i;
    }
    sources.push(Source {
        document_id: Some(hit.document_id),
        document_name: hit.document_name.clone(),
        page: Some(hit.page),
        page_label: hit.page_label.clone(),
        passage: Some(hit.text.clone()),
        boxes: hit.boxes.clone(),
    });
    sources.len() - 1
}
