//! Airia as a Folio backend (issue 9): conversations (`v1/Conversations`: create, get,
//! delete) and chat turns through pipeline execution (`v2/PipelineExecution/{id}`, whole
//! or streamed as server-sent events), spoken as the official SDK airia 0.1.41 speaks
//! them (API contract, sections 4 and 6).
//!
//! - [`AiriaClient`]: one method per operation, wire types in and out;
//! - [`AiriaBackend`]: folio-core's `Backend`, composing Airia (the chat) with Folio's
//!   local engine (the documents, retrieval and the pages that answers cite);
//! - [`sse`]: the incremental event-stream parser.
//!
//! With the `testkit` feature, [`testkit`] adds Airia's routes to folio-testserver's recording server, which
//! can stream answers slowly and cut them off.

mod backend;
mod client;
mod config;
mod error;
pub mod facts;
pub mod index;
pub mod sse;
pub mod wire;

#[cfg(feature = "testkit")]
pub mod stand_in;
#[cfg(feature = "testkit")]
pub mod testkit;

pub use backend::{grounded_input, AiriaBackend};
pub use client::{AiriaClient, ConnectionReport, StreamedAnswer};
pub use config::{check_id, join, AiriaConfig, Auth, Secret, DEFAULT_BASE_URL, DEFAULT_TIMEOUT};
pub use error::AiriaError;
