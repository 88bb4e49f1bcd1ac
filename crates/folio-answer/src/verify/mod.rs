//! Proof for every sentence of an answer, found by Folio itself: a model's citation
//! markers are never trusted (small models write `[1]` for everything, or nothing).
//!
//! - `evidence`: the sentences of the retrieved passages, and the few that best answer
//!   a question (what a small model is asked to answer from).
//! - `align`: each sentence of an answer matched to the evidence sentence that says the
//!   same (stemmed word overlap, numbers that must agree, MiniLM meaning when set up).
//! - `prove`: the answer's sentences with their sources and support marks, as
//!   `folio_core::AnswerSentence`, for every backend (local models, Airia, Pieces, quotes).

pub mod align;
pub mod evidence;
mod prove;

pub use align::{claims, Alignment, Claim};
pub use evidence::Evidence;
pub use folio_core::answer::quoted_sentences;
pub use prove::{prove, Proof};
