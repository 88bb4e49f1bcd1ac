//! The engine's own errors. Every public entry point maps them into `folio_core::Error`
//! so the app and the CLI see the same kinds as with any other backend.

use std::path::PathBuf;

pub type Result<T, E = EngineError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("the database failed: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("{action} {path}: {source}")]
    Io { action: &'static str, path: PathBuf, source: std::io::Error },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    InvalidInput(String),
    #[error("{0}")]
    LimitExceeded(String),
    /// A file could not be read into text; the message names the file and says why.
    #[error("{0}")]
    Unreadable(String),
    #[error("{0}")]
    Unsupported(String),
    /// The engine cannot take this now (shutting down); trying again later may work.
    #[error("{0}")]
    Unavailable(String),
    #[error("cancelled")]
    Cancelled,
    #[error("{0}")]
    Internal(String),
}

impl EngineError {
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        EngineError::Io { action, path: path.into(), source }
    }
}

impl From<EngineError> for folio_core::Error {
    fn from(err: EngineError) -> Self {
        use folio_core::Error as E;
        match err {
            EngineError::NotFound(m) => E::NotFound(m),
            EngineError::InvalidInput(m) | EngineError::Unreadable(m) => E::InvalidInput(m),
            EngineError::LimitExceeded(m) => E::LimitExceeded(m),
            EngineError::Unsupported(m) => E::Unsupported(m),
            EngineError::Unavailable(m) => E::Unavailable(m),
            EngineError::Cancelled => E::Cancelled,
            // A disk that is full or unwritable is something the person can fix, but it
            // is not their input: report it as unavailable with the OS's words.
            e @ EngineError::Io { .. } => E::Unavailable(e.to_string()),
            e @ (EngineError::Database(_) | EngineError::Internal(_)) => E::Internal(e.to_string()),
        }
    }
}
