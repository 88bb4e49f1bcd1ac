//! What can go wrong talking to Pieces OS, and how each case becomes one of folio-core's
//! error kinds. Pieces answers errors as plain text; that text is kept in the message.

use folio_core::{Error, ErrorKind};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum PiecesError {
    /// Nothing answered the health check on any address tried.
    #[error("Pieces OS is not running on this computer (no answer on {tried}). Start Pieces OS, or set its address in Settings.")]
    NotRunning { tried: String },
    /// Pieces OS answered with a status outside 2xx.
    #[error("Pieces OS refused {operation} ({status}): {message}")]
    Status { operation: String, status: u16, message: String },
    /// The connection could not be made (Pieces OS stopped after it was found).
    #[error("could not reach Pieces OS at {base} for {operation}: {detail}")]
    Connect { operation: String, base: String, detail: String },
    /// The request was sent but the connection broke before an answer arrived.
    #[error("the connection to Pieces OS was lost during {operation}: {detail}")]
    ConnectionLost { operation: String, detail: String },
    #[error("Pieces OS did not answer {operation} within {} s", .after.as_secs_f32())]
    Timeout { operation: String, after: Duration },
    /// A 2xx answer Folio cannot read.
    #[error("Pieces OS sent an answer to {operation} that Folio cannot read: {detail}")]
    Malformed { operation: String, detail: String },
    /// The answer stream closed before Pieces said the answer was complete.
    #[error("Pieces OS stopped sending the answer part-way ({detail}); the partial answer was not kept as an answer. Ask again.")]
    StreamCut { detail: String },
    /// Pieces said the answer failed, was stopped or cancelled.
    #[error("Pieces OS could not answer ({status}): {message}")]
    StreamFailed { status: String, message: String, status_code: Option<u16> },
    /// Pieces OS offers no model Folio can ask.
    #[error("Pieces OS has no language model ready to answer: {0}. Download or enable one in Pieces, or choose one in Settings.")]
    NoModel(String),
    /// The caller's input is wrong before anything is sent.
    #[error("{0}")]
    Input(String),
}

impl PiecesError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            PiecesError::NotRunning { .. } | PiecesError::Connect { .. } | PiecesError::ConnectionLost { .. } => {
                ErrorKind::Unavailable
            }
            PiecesError::Status { status, .. } => ErrorKind::from_http_status(*status),
            PiecesError::Timeout { .. } => ErrorKind::Timeout,
            PiecesError::Malformed { .. } => ErrorKind::Internal,
            PiecesError::StreamCut { .. } => ErrorKind::Unavailable,
            PiecesError::StreamFailed { status_code: Some(code), .. } => ErrorKind::from_http_status(*code),
            PiecesError::StreamFailed { .. } => ErrorKind::Unavailable,
            PiecesError::NoModel(_) => ErrorKind::Unavailable,
            PiecesError::Input(_) => ErrorKind::InvalidInput,
        }
    }
}

/// A plain sentence for each status, said before the server's own text, so a person
/// knows what to do even when Pieces' text is terse.
pub fn status_hint(status: u16) -> &'static str {
    match status {
        401 | 403 => "Pieces OS did not allow Folio; open Pieces and check that you are signed in and Folio is allowed",
        404 => "Pieces OS does not know this",
        410 => "this conversation no longer exists in Pieces OS",
        429 => "Pieces OS is busy; wait a moment and try again",
        500..=599 => "Pieces OS failed; try again, or restart Pieces OS",
        _ => "Pieces OS refused the request",
    }
}

impl From<PiecesError> for Error {
    fn from(err: PiecesError) -> Self {
        Error::new(err.kind(), err.to_string())
    }
}

/// The text to show from an error body (plain text in Pieces; JSON `message` tolerated).
pub fn server_message(status: u16, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if let Ok(serde_json::Value::Object(o)) = serde_json::from_str::<serde_json::Value>(text) {
        for key in ["message", "error", "detail"] {
            if let Some(serde_json::Value::String(s)) = o.get(key) {
                return format!("{}: {s}", status_hint(status));
            }
        }
    }
    if text.is_empty() {
        return status_hint(status).to_string();
    }
    let short: String = text.chars().take(500).collect();
    format!("{}: {short}", status_hint(status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_running_names_the_addresses() {
        let err = Error::from(PiecesError::NotRunning { tried: "127.0.0.1 ports 39300-39333, 1000, 5323".into() });
        assert_eq!(err.kind(), ErrorKind::Unavailable);
        assert!(err.to_string().contains("not running"), "{err}");
        assert!(err.to_string().contains("39300-39333"), "{err}");
    }

    #[test]
    fn plain_text_bodies_are_kept() {
        assert!(server_message(410, b"Conversation gone").ends_with("Conversation gone"));
        assert_eq!(server_message(500, b""), status_hint(500));
    }
}
