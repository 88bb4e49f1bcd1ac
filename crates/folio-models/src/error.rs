//! What can go wrong with the built-in model, worded for someone who has never heard of
//! GGUF, and how each case becomes one of folio-core's error kinds.

use folio_core::{Error, ErrorKind};

pub type Result<T, E = ModelsError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum ModelsError {
    /// No such catalogue entry or installed file.
    #[error("{0}")]
    NotFound(String),
    /// The file is not a usable model (not GGUF, damaged, unknown architecture).
    #[error("{0}")]
    BadModel(String),
    /// Not enough free memory or disk: the message says how much is needed and free.
    #[error("{0}")]
    TooLarge(String),
    /// The download server could not be reached or the connection broke.
    #[error("{0}")]
    Network(String),
    /// The downloaded bytes are not the catalogue's file.
    #[error("{0}")]
    Checksum(String),
    /// The caller stopped it (pause, Stop button, dropped future).
    #[error("cancelled")]
    Cancelled,
    #[error("{0}")]
    InvalidInput(String),
    /// Reading or writing the models folder failed.
    #[error("{what}: {source}")]
    Io { what: String, source: std::io::Error },
    #[error("{0}")]
    Internal(String),
}

impl ModelsError {
    pub fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        ModelsError::Io { what: what.into(), source }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            ModelsError::NotFound(_) => ErrorKind::NotFound,
            ModelsError::BadModel(_) | ModelsError::Checksum(_) | ModelsError::InvalidInput(_) => {
                ErrorKind::InvalidInput
            }
            ModelsError::TooLarge(_) => ErrorKind::LimitExceeded,
            ModelsError::Network(_) => ErrorKind::Unavailable,
            ModelsError::Cancelled => ErrorKind::Cancelled,
            ModelsError::Io { source, .. } if source.raw_os_error() == Some(libc::ENOSPC) => ErrorKind::LimitExceeded,
            ModelsError::Io { .. } | ModelsError::Internal(_) => ErrorKind::Internal,
        }
    }
}

impl From<ModelsError> for Error {
    fn from(err: ModelsError) -> Self {
        Error::new(err.kind(), err.to_string())
    }
}
