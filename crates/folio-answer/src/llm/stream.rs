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
            // An API key must never follow a redirect to another host.
            .redirect(folio_http::same_origin_redirects(10))
            .build()
            .map_err(|e| AnswerError::Internal(format!("could not set up the HTTP client: {e}")))
    }
}

/// The longest line (one NDJSON object or SSE field) kept while waiting for its end.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;
/// The most bytes of one streamed answer read; tokens are a few bytes each.
pub const MAX_STREAM_BYTES: usize = 64 * 1024 * 1024;
/// The most bytes of a whole (non-streamed) answer: model lists and error bodies.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// The whole body as text, refusing more than `max` bytes.
pub async fn text_capped(response: reqwest::Response, max: usize, what: &str) -> Result<String> {
    match folio_http::read_capped(response, max).await.map_err(|e| super::unavailable(what, &e))? {
        Ok(body) => Ok(String::from_utf8_lossy(&body).into_owned()),
        Err(max) => {
            Err(AnswerError::provider(ErrorKind::Unavailable, format!("{what} sent an answer larger than {max} bytes")))
        }
    }
}

pub struct Lines {
    response: reqwest::Response,
    buf: Vec<u8>,
    /// Bytes received so far, against [`MAX_STREAM_BYTES`].
    received: usize,
    started: bool,
    ended: bool,
    timeouts: Timeouts,
    what: String,
}

impl Lines {
    pub fn new(response: reqwest::Response, timeouts: Timeouts, what: &str) -> Lines {
        Lines { response, buf: Vec::new(), received: 0, started: false, ended: false, timeouts, what: what.to_string() }
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
                    self.received += bytes.len();
                    self.buf.extend_from_slice(&bytes);
                    if self.received > MAX_STREAM_BYTES {
                        return Err(AnswerError::provider(
                            ErrorKind::Unavailable,
                            format!("{} sent more than {MAX_STREAM_BYTES} bytes for one answer", self.what),
                        ));
                    }
                    if self.buf.len() > MAX_LINE_BYTES && !self.buf.contains(&b'\n') {
                        return Err(AnswerError::provider(
                            ErrorKind::Unavailable,
                            format!("{} sent a line longer than {MAX_LINE_BYTES} bytes", self.what),
                        ));
                    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::llm::{openai::OpenAi, Provider};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn timeouts() -> Timeouts {
        Timeouts { connect: Duration::from_secs(2), first_token: Duration::from_secs(5), gap: Duration::from_secs(5) }
    }

    /// A loopback server that answers every request with `answer` (built from its own
    /// address) and counts the connections it got.
    async fn server(answer: impl Fn(&str) -> Vec<u8> + Send + Sync + 'static) -> (String, Arc<AtomicUsize>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let count = Arc::new(AtomicUsize::new(0));
        let (seen, own) = (count.clone(), addr.clone());
        let answer = Arc::new(answer);
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                seen.fetch_add(1, Ordering::SeqCst);
                let (answer, own) = (answer.clone(), own.clone());
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") && socket.read(&mut byte).await.unwrap_or(0) == 1 {
                        head.push(byte[0]);
                    }
                    let _ = socket.write_all(&(*answer)(&own)).await;
                });
            }
        });
        (format!("http://{addr}"), count)
    }

    #[tokio::test]
    async fn a_line_that_never_ends_is_refused() {
        let (url, _) = server(|_| {
            let mut answer =
                b"HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nConnection: close\r\n\r\n".to_vec();
            answer.extend(std::iter::repeat_n(b'x', 2 * MAX_LINE_BYTES));
            answer
        })
        .await;
        let response = timeouts().client().unwrap().get(&url).send().await.unwrap();
        let mut lines = Lines::new(response, timeouts(), "the test server");
        let err = lines.next().await.unwrap_err();
        assert!(err.to_string().contains("longer than"), "{err}");
    }

    #[tokio::test]
    async fn an_oversized_model_list_is_refused() {
        let (url, _) = server(|_| {
            format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", MAX_BODY_BYTES + 1)
                .into_bytes()
        })
        .await;
        let provider = OpenAi::new(url, "m".into(), None, timeouts());
        let err = provider.models().await.unwrap_err();
        assert!(err.to_string().contains("larger than"), "{err}");
    }

    #[tokio::test]
    async fn the_key_does_not_follow_a_redirect_to_another_origin() {
        let (elsewhere, contacted) =
            server(|_| b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{\"data\":[]}".to_vec()).await;
        let target = elsewhere.replace("127.0.0.1", "localhost");
        let (url, _) = server(move |_| {
            format!("HTTP/1.1 307 Temporary Redirect\r\nLocation: {target}/v1/models\r\nContent-Length: 0\r\n\r\n")
                .into_bytes()
        })
        .await;
        let provider = OpenAi::new(url, "m".into(), Some("sk-secret".into()), timeouts());
        assert!(provider.models().await.is_err(), "a 307 to another origin is not a model list");
        assert_eq!(contacted.load(Ordering::SeqCst), 0, "the other origin was contacted");
    }
}
