//! What can go wrong talking to AI Hub, and how each case becomes one of folio-core's
//! error kinds. The server's own message is kept; the token never appears (messages are
//! built from status, path and body, and bodies are scrubbed of the token).

use folio_core::{Error, ErrorKind};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum AiHubError {
    /// AI Hub answered with a status outside 2xx.
    #[error("AI Hub refused {operation} ({status}): {message}")]
    Status { operation: String, status: u16, message: String, retry_after: Option<Duration> },
    /// Nothing could be sent: no connection (DNS, refused, TLS).
    #[error("could not reach AI Hub for {operation}: {detail}")]
    Connect { operation: String, detail: String },
    /// The request started but the connection broke before an answer arrived.
    #[error("the connection to AI Hub was lost during {operation}: {detail}")]
    ConnectionLost { operation: String, detail: String },
    #[error("AI Hub did not answer {operation} within {} s", .after.as_secs())]
    Timeout { operation: String, after: Duration },
    /// A 2xx answer whose body is not what the API describes.
    #[error("AI Hub sent an answer to {operation} that Folio cannot read: {detail}")]
    Malformed { operation: String, detail: String },
    /// A local rule (file size, pages, count) refused the request before sending it.
    #[error("{0}")]
    Limit(String),
    /// The caller's input is wrong before anything is sent (missing file, bad id, ...).
    #[error("{0}")]
    Input(String),
    #[error("could not read {path}: {detail}")]
    File { path: String, detail: String },
    #[error("cancelled")]
    Cancelled,
}

impl AiHubError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            AiHubError::Status { status, .. } => ErrorKind::from_http_status(*status),
            AiHubError::Connect { .. } | AiHubError::ConnectionLost { .. } => ErrorKind::Unavailable,
            AiHubError::Timeout { .. } => ErrorKind::Timeout,
            AiHubError::Malformed { .. } => ErrorKind::Internal,
            AiHubError::Limit(_) => ErrorKind::LimitExceeded,
            AiHubError::Input(_) | AiHubError::File { .. } => ErrorKind::InvalidInput,
            AiHubError::Cancelled => ErrorKind::Cancelled,
        }
    }

    /// The HTTP status, when AI Hub answered at all.
    pub fn status(&self) -> Option<u16> {
        match self {
            AiHubError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl From<AiHubError> for Error {
    fn from(err: AiHubError) -> Self {
        let message = err.to_string();
        match err {
            AiHubError::Status { status: 429, retry_after, .. } => Error::RateLimited { message, retry_after },
            AiHubError::Cancelled => Error::Cancelled,
            other => Error::new(other.kind(), message),
        }
    }
}

/// The message to show from an error body: `message` (or `error`, `detail`) when the
/// body is JSON, else the text itself, shortened; the reason phrase when it is empty.
pub fn server_message(status: u16, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(text) {
        for key in ["message", "error", "detail", "msg"] {
            match json.get(key) {
                Some(serde_json::Value::String(s)) if !s.is_empty() => return s.clone(),
                Some(serde_json::Value::Object(o)) => {
                    if let Some(serde_json::Value::String(s)) = o.get("message") {
                        return s.clone();
                    }
                }
                _ => {}
            }
        }
    }
    if text.is_empty() {
        return reqwest::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("no message")
            .to_string();
    }
    shorten(text, 500)
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_messages_are_kept() {
        assert_eq!(server_message(500, br#"{"message":"update failed"}"#), "update failed");
        assert_eq!(server_message(400, br#"{"error":{"message":"bad uuid"}}"#), "bad uuid");
        assert_eq!(server_message(502, b"upstream down"), "upstream down");
        assert_eq!(server_message(404, b""), "Not Found");
    }

    #[test]
    fn rate_limits_keep_retry_after() {
        let err = AiHubError::Status {
            operation: "run query".into(),
            status: 429,
            message: "slow down".into(),
            retry_after: Some(Duration::from_secs(7)),
        };
        match Error::from(err) {
            Error::RateLimited { retry_after, message } => {
                assert_eq!(retry_after, Some(Duration::from_secs(7)));
                assert!(message.contains("slow down"));
            }
            other => panic!("{other:?}"),
        }
    }
}
