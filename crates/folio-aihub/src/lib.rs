//! Instabase AI Hub as a Folio backend: Conversations v2 and chatbot Queries, spoken
//! exactly as the official Python SDK 0.13.0 speaks them (see the API contract,
//! sections 1 to 3 and 6). Three layers:
//!
//! - [`AiHubClient`]: one method per AI Hub operation, wire types in and out, plus the
//!   user-facing upload rules (limits checked locally, >100 MB selections split);
//! - [`AiHubBackend`]: folio-core's `Backend` on top of it, for the app;
//! - [`wait`]: following a conversation or a query until it settles, with callbacks.
//!
//! With the `testkit` feature, [`testkit`] adds AI Hub's routes to folio-testserver's recording server.

mod backend;
mod client;
mod config;
mod encode;
mod error;
mod history;
mod limits;
mod mapping;
mod multipart;
mod token;
mod transport;
pub mod wait;
pub mod wire;

#[cfg(feature = "testkit")]
pub mod testkit;

pub use backend::AiHubBackend;
pub use client::{AiHubClient, CreateRequest};
pub use config::{ClientConfig, DEFAULT_API_ROOT, SDK_USER_AGENT};
pub use error::AiHubError;
pub use history::HistoryLog;
pub use limits::{count_pdf_pages, guess_content_type, tiny_pdf, Limits, LocalFile, UploadBatch};
pub use token::ApiToken;
