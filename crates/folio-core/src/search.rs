//! "Search everywhere": one search box over the documents of every conversation on this
//! computer, by their words and (when the embedding model is ready) by meaning. Each hit
//! carries what the page viewer needs to open its page with the passage highlighted.

use crate::{BoundingBox, DocumentId};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Which ranking found a hit: its words, its meaning, or both agreed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum MatchKind {
    Keywords,
    Meaning,
    Both,
}

/// A piece of a hit's snippet; `matched` pieces are words of the search, shown emphasised.
/// Pieces rather than markup, so the window never parses document text as HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SnippetPart {
    pub text: String,
    pub matched: bool,
}

/// One passage that answers a search, where it lives, and how to show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchEverywhereHit {
    pub conversation_id: String,
    pub conversation_name: String,
    #[ts(type = "number")]
    pub document_id: DocumentId,
    pub document_name: String,
    /// 1-based page (slide, sheet or section for formats without pages).
    pub page: u32,
    /// How the page is named to a person ("slide 3"); None: "p. {page}".
    pub page_label: Option<String>,
    /// Unicode scalar offsets of the passage in its page's text, as citations give them.
    pub char_start: u32,
    pub char_end: u32,
    /// The whole passage: the viewer finds and highlights it on the page.
    pub passage: String,
    /// A short stretch of the passage around the words searched for.
    pub snippet: Vec<SnippetPart>,
    /// Line boxes in page units; empty for text formats.
    pub boxes: Vec<BoundingBox>,
    pub matched: MatchKind,
    /// Fused rank score, higher is better; only the order means anything.
    pub score: f64,
}

/// The hits of one search, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchEverywhereResults {
    pub query: String,
    pub hits: Vec<SearchEverywhereHit>,
    /// Why meaning did not take part (or took part only partly), in words for a person;
    /// None when keywords and meaning both searched everything.
    pub keywords_only: Option<String>,
}
