//! One error type for every backend, with kinds the UI can act on. Backends map their
//! own failures into these kinds and keep the server's or the OS's message.

use serde::{Serialize, Serializer};
use std::time::Duration;
use ts_rs::TS;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, in terms the UI can turn into a next step. Serialized snake_case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The credentials are missing, wrong or not allowed (401/403): open settings.
    Auth,
    /// The conversation, document or query does not exist (any more).
    NotFound,
    /// The request itself is wrong: a bad file, an empty question, a conflict.
    InvalidInput,
    /// A size, page or count limit was hit: say which and by how much.
    LimitExceeded,
    /// The service asked us to slow down (429).
    RateLimited,
    /// The service is down or unreachable, or the connection was lost: try again later.
    Unavailable,
    /// The service did not answer in time.
    Timeout,
    /// This backend cannot do that at all (e.g. Airia has no list endpoint).
    Unsupported,
    /// The user cancelled.
    Cancelled,
    /// A bug or an unexpected answer: report it.
    Internal,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Auth(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    InvalidInput(String),
    #[error("{0}")]
    LimitExceeded(String),
    #[error("{message}")]
    RateLimited { message: String, retry_after: Option<Duration> },
    #[error("{0}")]
    Unavailable(String),
    #[error("{0}")]
    Timeout(String),
    #[error("{0}")]
    Unsupported(String),
    #[error("cancelled")]
    Cancelled,
    #[error("{0}")]
    Internal(String),
}

impl ErrorKind {
    /// What an HTTP error status means for the person, the same for every service Folio
    /// talks to: 401/403 auth, 404/410 gone, 408 timeout, 413 a limit, 429 slow down,
    /// other 4xx input, 5xx unavailable.
    pub fn from_http_status(status: u16) -> ErrorKind {
        match status {
            401 | 403 => ErrorKind::Auth,
            404 | 410 => ErrorKind::NotFound,
            408 => ErrorKind::Timeout,
            413 => ErrorKind::LimitExceeded,
            429 => ErrorKind::RateLimited,
            400..=499 => ErrorKind::InvalidInput,
            500..=599 => ErrorKind::Unavailable,
            _ => ErrorKind::Internal,
        }
    }
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Auth(_) => ErrorKind::Auth,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::InvalidInput(_) => ErrorKind::InvalidInput,
            Error::LimitExceeded(_) => ErrorKind::LimitExceeded,
            Error::RateLimited { .. } => ErrorKind::RateLimited,
            Error::Unavailable(_) => ErrorKind::Unavailable,
            Error::Timeout(_) => ErrorKind::Timeout,
            Error::Unsupported(_) => ErrorKind::Unsupported,
            Error::Cancelled => ErrorKind::Cancelled,
            Error::Internal(_) => ErrorKind::Internal,
        }
    }

    /// Builds an error of the given kind; used where a kind is chosen from data
    /// (an HTTP status, say) rather than written at the call site.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        let message = message.into();
        match kind {
            ErrorKind::Auth => Error::Auth(message),
            ErrorKind::NotFound => Error::NotFound(message),
            ErrorKind::InvalidInput => Error::InvalidInput(message),
            ErrorKind::LimitExceeded => Error::LimitExceeded(message),
            ErrorKind::RateLimited => Error::RateLimited { message, retry_after: None },
            ErrorKind::Unavailable => Error::Unavailable(message),
            ErrorKind::Timeout => Error::Timeout(message),
            ErrorKind::Unsupported => Error::Unsupported(message),
            ErrorKind::Cancelled => Error::Cancelled,
            ErrorKind::Internal => Error::Internal(message),
        }
    }

    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload { kind: self.kind(), message: self.to_string() }
    }
}

/// How an error crosses IPC and other process boundaries: `{kind, message}`.
/// The UI matches on `kind`, never on `message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
pub struct ErrorPayload {
    pub kind: ErrorKind,
    pub message: String,
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.payload().serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_statuses_map_to_kinds() {
        for (status, kind) in [
            (401, ErrorKind::Auth),
            (403, ErrorKind::Auth),
            (404, ErrorKind::NotFound),
            (410, ErrorKind::NotFound),
            (400, ErrorKind::InvalidInput),
            (409, ErrorKind::InvalidInput),
            (422, ErrorKind::InvalidInput),
            (413, ErrorKind::LimitExceeded),
            (429, ErrorKind::RateLimited),
            (500, ErrorKind::Unavailable),
            (503, ErrorKind::Unavailable),
        ] {
            assert_eq!(ErrorKind::from_http_status(status), kind, "{status}");
        }
    }

    #[test]
    fn serializes_as_kind_and_message() {
        let err = Error::NotFound("Conversation c1 was not found".into());
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json, serde_json::json!({"kind": "not_found", "message": "Conversation c1 was not found"}));
    }

    #[test]
    fn new_round_trips_every_kind() {
        for kind in [
            ErrorKind::Auth,
            ErrorKind::NotFound,
            ErrorKind::InvalidInput,
            ErrorKind::LimitExceeded,
            ErrorKind::RateLimited,
            ErrorKind::Unavailable,
            ErrorKind::Timeout,
            ErrorKind::Unsupported,
            ErrorKind::Cancelled,
            ErrorKind::Internal,
        ] {
            assert_eq!(Error::new(kind, "m").kind(), kind);
        }
    }
}
