//! The answering engine's own errors, mapped into `folio_core::Error` at the `Backend`
//! boundary so the app and the CLI see the same kinds as with any backend.

pub type Result<T, E = AnswerError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum AnswerError {
    #[error(transparent)]
    Engine(#[from] folio_engine::EngineError),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    InvalidInput(String),
    /// A language model could not answer; the kind says whether to retry, pull the
    /// model or fix the settings. The quoted answer is used instead.
    #[error("{message}")]
    Provider { kind: folio_core::ErrorKind, message: String },
    #[error("{0}")]
    Internal(String),
}

impl AnswerError {
    pub fn provider(kind: folio_core::ErrorKind, message: impl Into<String>) -> Self {
        AnswerError::Provider { kind, message: message.into() }
    }
}

impl From<AnswerError> for folio_core::Error {
    fn from(err: AnswerError) -> Self {
        use folio_core::Error as E;
        match err {
            AnswerError::Engine(e) => e.into(),
            AnswerError::NotFound(m) => E::NotFound(m),
            AnswerError::InvalidInput(m) => E::InvalidInput(m),
            AnswerError::Provider { kind, message } => E::new(kind, message),
            AnswerError::Internal(m) => E::Internal(m),
        }
    }
}
