//! Folio's local answering engine (issue 5), on top of `folio-engine`'s passages:
//!
//! - `retrieve`: hybrid retrieval, FTS5 keywords and MiniLM vectors fused by rank, scoped
//!   to some documents or a whole conversation; advanced mode casts a wider net and
//!   re-ranks offline.
//! - `extract`: the answer without a language model, quoting the sentences that best
//!   answer the question, each with its page.
//! - `llm`: Ollama and OpenAI-compatible providers, streaming, a numbered-passage prompt
//!   and citations mapped back to pages (never outside the passages given).
//! - `verify`: every sentence of an answer matched to the sentence of the documents that
//!   says the same (or marked not found), for every backend; a local model's answer that
//!   cannot be checked is replaced by the quoted one (`llm::written`).
//! - `absent`: a question naming something no document mentions is answered by saying so.
//! - `history`, `chatbots`, `queries`: chat history, local chatbots and AI Hub-style queries.
//! - `LocalBackend`: `folio_core::Backend` for the local engine, composing all of them.

pub mod absent;
pub mod chatbots;
pub mod dates;
pub mod error;
pub mod eval;
pub mod extract;
pub mod history;
pub mod llm;
pub mod local;
pub mod model_choice;
pub mod queries;
pub mod remote_halves;
pub mod retrieve;
pub mod search_everywhere;
pub mod settings;
pub mod text;
pub mod verify;

pub use error::{AnswerError, Result};
pub use local::LocalBackend;
pub use settings::AnswerSettings;
