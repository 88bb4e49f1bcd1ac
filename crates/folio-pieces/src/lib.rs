//! Pieces OS, the copilot that runs on the user's computer, as a Folio backend
//! (issue 9), speaking what the official `pieces_os_client` 5.0.1 speaks:
//!
//! - `discovery`: find Pieces OS (the wrapper's ports 39300-39333, then 1000 and 5323).
//! - `client`, `stream`: register (`POST /connect`), conversations and messages over
//!   REST, questions over `/qgpt/question` and the `/qgpt/stream` WebSocket.
//! - `backend`: `PiecesBackend`, folio-core's `Backend`: Pieces holds the chat, Folio's
//!   local engine holds the documents and finds the passages sent as grounding.

pub mod backend;
pub mod client;
pub mod config;
pub mod discovery;
pub mod error;
pub mod history;
pub mod links;
pub mod stream;
pub mod wire;

pub use backend::PiecesBackend;
pub use client::{PiecesClient, Session};
pub use config::PiecesConfig;
pub use error::PiecesError;
pub use stream::StreamedAnswer;

#[cfg(feature = "testkit")]
pub mod stand_in;
#[cfg(feature = "testkit")]
pub mod testkit;
