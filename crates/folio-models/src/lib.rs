//! Folio's built-in language model (issue 8): written answers with no other software
//! installed. `runner` runs GGUF models in this process through llama.cpp, `catalogue`
//! lists the recommended ones, `manager` downloads (resumable, checksummed), lists,
//! deletes and picks them. Tauri-free.

pub mod error;
pub mod runner;
pub mod system;

pub mod bindings;
pub use error::{ModelsError, Result};
pub use runner::{Finish, GenerateOptions, Generation, LoadOptions, Message, Runner};

pub mod catalogue;
pub mod download;
pub mod manager;

pub use catalogue::{CatalogueEntry, CATALOGUE};
pub use download::{DownloadProgress, DownloadStage};
pub use manager::{InstalledModel, ModelInfo, ModelManager};
pub use tokio_util::sync::CancellationToken;
pub mod stream;
pub use stream::{running_generations, spawn, Streaming};
