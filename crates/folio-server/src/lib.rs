//! `folio serve`: Instabase AI Hub's Conversations v2 and Queries REST API, served over
//! any `folio_core::Backend` (in practice the local engine). Scripts written for AI Hub,
//! including the official Python SDK 0.13, point their `api_root` at this server and
//! work offline against the person's own documents.
//!
//! The wire shapes are AI Hub's (`../shared/contract/api-contract.md`, sections 1-3),
//! snake_case with the odd camelCase `uploadTimestamp`; they live in `wire.rs` so that
//! folio-core can stay camelCase for the UI. No Tauri here: the desktop app embeds the
//! server through [`Server::bind`], the CLI through `folio serve`.

pub mod auth;
pub mod error;
pub mod guards;
pub mod limits;
mod listen;
pub mod routes;
pub mod server;
pub mod uploads;
pub mod wire;

pub use auth::Token;
pub use error::{ApiError, ServerError};
pub use limits::Limits;
pub use server::{RunningServer, Server, ServerConfig, ShutdownHandle};
