//! Questions and the cited answers that come back.

use crate::document::DocumentId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `default` is fast; `advanced` casts a wider net and may be slower.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ConverseMode {
    #[default]
    Default,
    Advanced,
}

impl ConverseMode {
    pub fn as_wire(self) -> &'static str {
        match self {
            ConverseMode::Default => "default",
            ConverseMode::Advanced => "advanced",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConverseRequest {
    pub question: String,
    /// The documents to ask; empty means every document of the conversation.
    #[ts(type = "Array<number>")]
    pub document_ids: Vec<DocumentId>,
    #[serde(default)]
    pub mode: ConverseMode,
    #[serde(default)]
    pub fast_mode: bool,
}

/// A rectangle on a page, in the page's own coordinates (AI Hub's `BoundingBox`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BoundingBox {
    pub top_x: f64,
    pub top_y: f64,
    pub bottom_x: f64,
    pub bottom_y: f64,
}

/// Where part of an answer comes from: a passage on a page of a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    #[ts(type = "number | null")]
    pub document_id: Option<DocumentId>,
    pub document_name: String,
    /// 1-based page number; None when the backend gave document names only.
    pub page: Option<u32>,
    /// How the page is named to a person: "p. 58", "slide 3", "lines 41-80" (formats
    /// without pages cite what they have). None: say "p. {page}".
    #[serde(default)]
    pub page_label: Option<String>,
    /// The passage text, when the backend returns it.
    pub passage: Option<String>,
    pub boxes: Vec<BoundingBox>,
}

/// Whether a model wrote the answer or Folio quoted the documents directly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum AnswerKind {
    #[default]
    Generated,
    Quoted,
}

/// Whether Folio found a sentence of the answer in the documents it was given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Support {
    /// A sentence of a passage says the same (its words, or its meaning when the
    /// embedding model is set up): `source` points at that passage.
    Supported,
    /// Nothing in the passages given says it: shown marked "not found in your documents".
    #[default]
    NotFound,
}

/// One claim of an answer and its proof, checked by Folio itself (never taken on a
/// model's word). Text outside every sentence (a heading, a note) makes no claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AnswerSentence {
    /// Byte range of the sentence in `Answer::text`.
    pub start: u32,
    pub end: u32,
    /// The sentence itself (the range's text), so a reader need not count bytes.
    pub text: String,
    /// Index into `Answer::sources` of the passage that supports it.
    pub source: Option<u32>,
    pub support: Support,
    /// The sentence of the document that supports it, word for word.
    #[serde(default)]
    pub evidence: Option<String>,
    /// Where that supporting sentence is on the page (a strong highlight inside the
    /// source's passage boxes); empty when only the passage's place is known.
    #[serde(default)]
    pub boxes: Vec<BoundingBox>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Answer {
    pub prompt_id: String,
    pub text: String,
    pub sources: Vec<Source>,
    #[serde(default)]
    pub kind: AnswerKind,
    /// Every claim of `text` with its proof or a "not found" mark; empty from backends
    /// and answers recorded before Folio checked sentences.
    #[serde(default)]
    pub sentences: Vec<AnswerSentence>,
}

/// One question and its answer as the chat shows them again after a restart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChatTurn {
    pub question: String,
    pub answer: Answer,
    pub asked_at: Option<DateTime<Utc>>,
}

/// The sentences of a quoted answer: each quote (“...”) is its own proof, its source
/// the passage it was copied from; the lead-in line claims nothing.
pub fn quoted_sentences(text: &str, sources: &[Source]) -> Vec<AnswerSentence> {
    let mut out = Vec::new();
    let mut from = 0;
    for (i, s) in sources.iter().enumerate() {
        let Some(quote) = s.passage.as_deref() else { continue };
        let Some(at) = text[from..].find(&format!("“{quote}”")) else {
            continue;
        };
        let start = from + at + "“".len();
        let end = start + quote.len();
        out.push(AnswerSentence {
            start: start as u32,
            end: end as u32,
            text: quote.to_string(),
            source: Some(i as u32),
            support: Support::Supported,
            evidence: Some(quote.to_string()),
            boxes: s.boxes.clone(),
        });
        from = end;
    }
    out
}
