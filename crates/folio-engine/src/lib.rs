//! Folio's local engine (no Tauri): takes dropped files in, keeps a content-addressed
//! copy of each, reads every format into page-exact text, cuts it into passages with
//! page, character range and boxes, and indexes them for keyword search, reporting
//! progress as it goes. `Engine` implements `folio_core::Backend` for conversations and
//! documents; answering questions arrives with part 2 (issue 5).

pub mod chunk;
pub mod embed;
pub mod engine;
pub mod error;
pub mod isolation;
pub mod pipeline;
pub mod readers;
pub mod scale;
pub mod settings;
pub mod store;
pub mod viewer;

pub use engine::{Engine, FollowUntil};
pub use error::{EngineError, Result};
pub use settings::{EngineSettings, ReaderMode};
pub use store::SearchHit;
