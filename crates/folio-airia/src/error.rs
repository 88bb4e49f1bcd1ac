//! What can go wrong talking to Airia, and how each case becomes one of folio-core's
//! error kinds with a message a person can act on. The credential never appears:
//! messages are built from status, operation and body, and bodies are scrubbed of it.

use folio_core::{Error, ErrorKind};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum AiriaError {
    /// Airia answered with a status outside 2xx.
    #[error("{}", status_sentence(*.status, .operation, .message))]
    Status { operation: String, status: u16, message: String, retry_after: Option<Duration> },
    /// Nothing could be sent: no connection (DNS, refused, TLS).
    #[error(
        "could not reach Airia at {url} to {operation} (is the base URL right, and is this computer online?): {detail}"
    )]
    Connect { operation: String, url: String, detail: String },
    /// The request started but the connection broke before a whole answer arrived.
    #[error("the connection to Airia was lost while trying to {operation}: {detail}")]
    ConnectionLost { operation: String, detail: String },
    /// A streamed answer that stopped before Airia said it was finished: what arrived is
    /// not passed off as the whole answer.
    #[error("Airia's answer was cut off mid-stream after {received} characters ({detail}); the partial answer was not kept as an answer")]
    StreamCut { received: usize, detail: String },
    /// Airia reported a failure inside the stream (its model or pipeline failed).
    #[error("Airia's pipeline failed while answering: {0}")]
    StreamFailed(String),
    #[error("Airia did not answer within {} s while trying to {operation}", .after.as_secs_f32().ceil())]
    Timeout { operation: String, after: Duration },
    /// A 2xx answer whose body is not what the SDK expects.
    #[error("Airia sent an answer to {operation} that Folio cannot read: {detail}")]
    Malformed { operation: String, detail: String },
    /// The caller's input is wrong before anything is sent.
    #[error("{0}")]
    Input(String),
    #[error("Folio's list of Airia conversations could not be read or written: {0}")]
    Index(String),
}

fn status_sentence(status: u16, operation: &str, message: &str) -> String {
    let hint = match status {
        401 => "Airia did not accept the API key or token: check it in Settings",
        403 => "the API key or token is not allowed to do this: check its permissions in Airia",
        404 => "Airia does not know this conversation, user, deployment or pipeline",
        410 => "this is gone from Airia",
        429 => "Airia asks Folio to slow down: try again in a moment",
        500..=599 => "Airia had a problem on its side: try again later",
        _ => "Airia refused the request",
    };
    format!("could not {operation}: {hint} ({status}: {message})")
}

impl AiriaError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            AiriaError::Status { status, .. } => ErrorKind::from_http_status(*status),
            AiriaError::Connect { .. } | AiriaError::ConnectionLost { .. } | AiriaError::StreamCut { .. } => {
                ErrorKind::Unavailable
            }
            AiriaError::StreamFailed(_) => ErrorKind::Unavailable,
            AiriaError::Timeout { .. } => ErrorKind::Timeout,
            AiriaError::Malformed { .. } | AiriaError::Index(_) => ErrorKind::Internal,
            AiriaError::Input(_) => ErrorKind::InvalidInput,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            AiriaError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl From<AiriaError> for Error {
    fn from(err: AiriaError) -> Self {
        let message = err.to_string();
        match err {
            AiriaError::Status { status: 429, retry_after, .. } => Error::RateLimited { message, retry_after },
            other => Error::new(other.kind(), message),
        }
    }
}

/// The SDK's rule: `message`, else `error`, from a JSON body; Folio also keeps a short
/// text body (the SDK would say only "API request failed"), and the reason phrase when
/// the body is empty. The secret is replaced by `[REDACTED]`, as the SDK does.
pub fn server_message(status: u16, body: &[u8], secret: &str) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let picked = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(json) => ["message", "error", "detail", "title"].iter().find_map(|k| match json.get(k) {
            Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(v @ serde_json::Value::Object(_)) => v.get("message").and_then(|m| m.as_str()).map(str::to_string),
            _ => None,
        }),
        Err(_) => None,
    };
    let message = match picked {
        Some(m) => m,
        None if text.is_empty() => reqwest::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("no message")
            .to_string(),
        None => shorten(text, 300),
    };
    redact(&message, secret)
}

pub fn redact(text: &str, secret: &str) -> String {
    if secret.len() >= 4 {
        text.replace(secret, "[REDACTED]")
    } else {
        text.to_string()
    }
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
    fn messages_follow_the_sdk_and_hide_the_secret() {
        assert_eq!(server_message(400, br#"{"message":"bad key sk-secret-1"}"#, "sk-secret-1"), "bad key [REDACTED]");
        assert_eq!(server_message(400, br#"{"error":"nope"}"#, "k"), "nope");
        assert_eq!(server_message(502, b"upstream down", "k"), "upstream down");
        assert_eq!(server_message(404, b"", "k"), "Not Found");
    }
}
