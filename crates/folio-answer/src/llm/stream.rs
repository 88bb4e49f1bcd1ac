//! Reading a streamed HTTP body line by line (Ollama's NDJSON, OpenAI's server-sent
//! events), with a time limit for the first piece and for each pause after it, and
//! telling a connection lost mid-answer apart from a stream that ended properly.

use crate::error::{AnswerError, Result};
use folio_core::ErrorKind;
use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub connect: Duration,
    pub first_token: Duration,
    pub gap: Duration,
}

impl Timeouts {
    pub fn client(&self) -> Result<reqwest::Client> {
        reqwest::Client::builder()
            .connect_timeout(self.connect)
            .build()
            .map_err(|e| AnswerError::Internal(format!("could not set up the HTTP client: {e}")))
    }
}

pub struct Lines {
    response: reqwest::Response,
    buf: Vec<u8>,
    started: bool,
    ended: bool,
    timeouts: Timeouts,
    what: String,
}

impl Lines {
    pub fn new(response: reqwest::Response, timeouts: Timeouts, what: &str) -> Lines {
        Lines { response, buf: Vec::new(), started: false, ended: false, timeouts, what: what.to_string() }
    }

    /// The next line (without its end), or None once the server closed the body.
    pub async fn next(&mut self) -> Result<Option<String>> {
        loop {
            if let Some(i) = self.buf.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.buf.drain(..=i).collect();
                let line = String::from_utf8_lossy(&line[..line.len() - 1]).trim_end_matches('\r').to_string();
                return Ok(Some(line));
            }
            if self.ended {
                if self.buf.is_empty() {
                    return Ok(None);
                }
                let rest = String::from_utf8_lossy(&std::mem::take(&mut self.buf)).to_string();
                return Ok(Some(rest));
            }
            let limit = if self.started { self.timeouts.gap } else { self.timeouts.first_token };
            match tokio::time::timeout(limit, self.response.chunk()).await {
                Err(_) => {
                    return Err(AnswerError::provider(
                        ErrorKind::Timeout,
                        format!("{} stopped answering for {} s", self.what, limit.as_secs()),
                    ))
                }
                Ok(Err(e)) => {
                    return Err(AnswerError::provider(
                        ErrorKind::Unavailable,
                        format!("the connection to {} was lost mid-answer: {e}", self.what),
                    ))
                }
                Ok(Ok(None)) => self.ended = true,
                Ok(Ok(Some(bytes))) => {
                    self.started = true;
                    self.buf.extend_from_slice(&bytes);
                }
            }
        }
    }
}

/// The error for a non-success status: a missing model, a refused key, a busy or
/// broken server, each in words a person can act on.
pub fn status_error(what: &str, model: &str, status: reqwest::StatusCode, body: &str, pull_hint: bool) -> AnswerError {
    let message = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            let e = v.get("error")?;
            e.as_str().map(str::to_string).or_else(|| e.get("message").and_then(|m| m.as_str()).map(str::to_string))
        })
        .unwrap_or_else(|| body.chars().take(300).collect());
    let lower = message.to_lowercase();
    let model_missing = status == reqwest::StatusCode::NOT_FOUND
        || lower.contains("model_not_found")
        || (lower.contains("model") && (lower.contains("not found") || lower.contains("does not exist")));
    if model_missing {
        let hint = if pull_hint { format!(" (run `ollama pull {model}`)") } else { String::new() };
        return AnswerError::provider(ErrorKind::NotFound, format!("{what} has no model \"{model}\"{hint}: {message}"));
    }
    let kind = match status.as_u16() {
        401 | 403 => ErrorKind::Auth,
        429 => ErrorKind::RateLimited,
        400 | 422 => ErrorKind::InvalidInput,
        _ => ErrorKind::Unavailable,
    };
    AnswerError::provider(kind, format!("{what} answered {status}: {message}"))
}
