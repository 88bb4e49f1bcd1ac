//! Sending one AI Hub request: URL, headers, timeout, retries, and turning the answer
//! into bytes or an [`AiHubError`]. Every operation goes through [`Transport::send`].
//!
//! Retry rules (contract section 3 and 6, item 10): a request that never reached the
//! server (connect failure) may always be tried again; GET, PUT and DELETE are also
//! retried after a lost connection, a timeout, 502/503/504, and 429/503 with a
//! Retry-After we are willing to wait for. A POST that may have reached the server
//! (create, add documents, converse, run query) is never sent twice.

use crate::config::ClientConfig;
use crate::error::{server_message, AiHubError};
use bytes::Bytes;
use reqwest::header::{
    HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER, USER_AGENT,
};
use reqwest::Method;
use std::time::Duration;

pub(crate) enum CallBody {
    /// GET and DELETE: no body and no Content-Type.
    None,
    /// PUT as the SDK sends it: no body, `Content-Length: 0`.
    EmptyPut,
    Json(Vec<u8>),
    /// Built once: multipart requests are POSTs and are never repeated.
    Multipart {
        form: reqwest::multipart::Form,
        bytes: u64,
    },
}

pub(crate) struct Call {
    /// Words for messages: "create conversation", "converse", ...
    pub operation: &'static str,
    pub method: Method,
    /// Already percent-encoded, starting with `/v2/`.
    pub path: String,
    /// Already encoded `k=v&...`, without the `?`.
    pub query: Option<String>,
    pub body: CallBody,
}

/// A 2xx answer.
pub(crate) struct Reply {
    pub status: u16,
    pub body: Bytes,
}

impl Reply {
    /// Parses the body as JSON; empty bodies and 204 are an error only here, where the
    /// operation needs an answer.
    /// For answers whose every field is optional: an empty 2xx (204, say) is the empty answer.
    pub fn json_or_default<T: serde::de::DeserializeOwned + Default>(&self, operation: &str) -> Result<T, AiHubError> {
        if self.status == 204 || self.body.iter().all(|b| b.is_ascii_whitespace()) {
            return Ok(T::default());
        }
        self.json(operation)
    }

    pub fn json<T: serde::de::DeserializeOwned>(&self, operation: &str) -> Result<T, AiHubError> {
        if self.status == 204 || self.body.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(AiHubError::Malformed {
                operation: operation.into(),
                detail: format!("empty {} answer", self.status),
            });
        }
        serde_json::from_slice(&self.body).map_err(|e| AiHubError::Malformed {
            operation: operation.into(),
            detail: format!("{e} (status {})", self.status),
        })
    }
}

pub(crate) struct Transport {
    http: reqwest::Client,
    pub config: ClientConfig,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport").field("config", &self.config).finish_non_exhaustive()
    }
}

impl Transport {
    pub fn new(config: ClientConfig) -> Result<Self, AiHubError> {
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            // Header names as urllib3 writes them (`Authorization`, `User-Agent`) rather than
            // hyper's lower case; names are case-insensitive, this only keeps traces alike.
            .http1_title_case_headers()
            // The SDK (urllib3) follows redirects too; Folio only within the same origin.
            // AI Hub's token (and anything else a caller adds) must never reach another origin.
            .redirect(folio_http::same_origin_redirects(5))
            .build()
            .map_err(|e| AiHubError::Input(format!("could not set up HTTP: {e}")))?;
        Ok(Transport { http, config })
    }

    fn url(&self, call: &Call) -> Result<reqwest::Url, AiHubError> {
        let mut text = format!("{}{}", self.config.normalized_root(), call.path);
        if let Some(q) = &call.query {
            text.push('?');
            text.push_str(q);
        }
        reqwest::Url::parse(&text)
            .map_err(|e| AiHubError::Input(format!("bad AI Hub address {:?}: {e}", self.config.api_root)))
    }

    fn headers(&self) -> Result<HeaderMap, AiHubError> {
        let mut headers = HeaderMap::new();
        let mut auth = HeaderValue::from_str(&format!("Bearer {}", self.config.token.expose()))
            .map_err(|_| AiHubError::Input("the API token contains characters that cannot be sent".into()))?;
        auth.set_sensitive(true);
        headers.insert(AUTHORIZATION, auth);
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(
            USER_AGENT,
            HeaderValue::from_str(&self.config.user_agent).map_err(|_| AiHubError::Input("bad User-Agent".into()))?,
        );
        if let Some(ctx) = &self.config.ib_context {
            headers.insert(
                "IB-Context",
                HeaderValue::from_str(ctx).map_err(|_| AiHubError::Input(format!("bad IB-Context {ctx:?}")))?,
            );
        }
        Ok(headers)
    }

    /// How long one attempt may take: uploads get time for their bytes on top.
    fn deadline(&self, call: &Call) -> Duration {
        let upload = match &call.body {
            CallBody::Multipart { bytes, .. } => {
                Duration::try_from_secs_f64(*bytes as f64 / self.config.upload_bytes_per_second.max(1) as f64)
                    .unwrap_or(Duration::MAX)
            }
            _ => Duration::ZERO,
        };
        self.config.read_timeout + upload
    }

    pub async fn send(&self, mut call: Call) -> Result<Reply, AiHubError> {
        let url = self.url(&call)?;
        let headers = self.headers()?;
        let idempotent = matches!(call.method, Method::GET | Method::PUT | Method::DELETE | Method::HEAD);
        let deadline = self.deadline(&call);
        let mut attempt = 0u32;
        loop {
            let mut request =
                self.http.request(call.method.clone(), url.clone()).headers(headers.clone()).timeout(deadline);
            request = match &mut call.body {
                CallBody::None => request,
                CallBody::EmptyPut => request.header(CONTENT_LENGTH, "0").body(Vec::<u8>::new()),
                CallBody::Json(bytes) => request.header(CONTENT_TYPE, "application/json").body(bytes.clone()),
                CallBody::Multipart { form, .. } => {
                    request.multipart(std::mem::replace(form, reqwest::multipart::Form::new()))
                }
            };
            tracing::debug!(operation = call.operation, method = %call.method, path = %call.path, attempt, "AI Hub request");
            let outcome = request.send().await;
            let (error, wait) = match outcome {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let retry_after = parse_retry_after(response.headers());
                    let body = match folio_http::read_capped(response, self.config.max_answer_bytes).await {
                        Ok(Ok(body)) => body,
                        Ok(Err(max)) => {
                            return Err(AiHubError::Malformed {
                                operation: call.operation.into(),
                                detail: format!("the answer is larger than {max} bytes; not read"),
                            })
                        }
                        Err(e) => {
                            let err = self.transport_error(call.operation, &e, deadline);
                            if idempotent && attempt < self.config.retries {
                                attempt += 1;
                                tokio::time::sleep(self.backoff(attempt)).await;
                                continue;
                            }
                            return Err(err);
                        }
                    };
                    tracing::debug!(operation = call.operation, status, "AI Hub answer");
                    if (200..300).contains(&status) {
                        return Ok(Reply { status, body });
                    }
                    let message = self.config.token.scrub(&server_message(status, &body));
                    let error = AiHubError::Status { operation: call.operation.into(), status, message, retry_after };
                    (error, self.status_wait(status, retry_after, idempotent, attempt))
                }
                Err(e) => {
                    let error = self.transport_error(call.operation, &e, deadline);
                    let never_sent = matches!(error, AiHubError::Connect { .. });
                    let wait = (attempt < self.config.retries && (never_sent || idempotent))
                        .then(|| self.backoff(attempt + 1));
                    (error, wait)
                }
            };
            match wait {
                // A multipart body was consumed by the first attempt; only a connect
                // failure leaves it unsent, and then there is no body to send again.
                Some(_) if matches!(call.body, CallBody::Multipart { .. }) => return Err(error),
                Some(wait) => {
                    tracing::info!(operation = call.operation, ?wait, "AI Hub: retrying after {error}");
                    attempt += 1;
                    tokio::time::sleep(wait).await;
                }
                None => return Err(error),
            }
        }
    }

    /// Whether (and after how long) a failed status is worth another attempt.
    fn status_wait(
        &self,
        status: u16,
        retry_after: Option<Duration>,
        idempotent: bool,
        attempt: u32,
    ) -> Option<Duration> {
        if !idempotent || attempt >= self.config.retries {
            return None;
        }
        match (status, retry_after) {
            (429 | 503, Some(after)) if after <= self.config.max_retry_wait => Some(after),
            (429 | 503, Some(_)) => None,
            (502..=504, None) => Some(self.backoff(attempt + 1)),
            _ => None,
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        self.config.retry_backoff * 2u32.saturating_pow(attempt.saturating_sub(1))
    }

    fn transport_error(&self, operation: &'static str, e: &reqwest::Error, deadline: Duration) -> AiHubError {
        let detail = self.config.token.scrub(&error_chain(e));
        if e.is_connect() {
            AiHubError::Connect { operation: operation.into(), detail }
        } else if e.is_timeout() {
            AiHubError::Timeout { operation: operation.into(), after: deadline }
        } else {
            AiHubError::ConnectionLost { operation: operation.into(), detail }
        }
    }
}

/// The innermost causes say what happened ("connection reset by peer"); the outer
/// reqwest message mostly repeats the URL.
fn error_chain(e: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    if parts.is_empty() {
        parts.push(e.to_string());
    }
    parts.dedup();
    parts.join(": ")
}

/// The longest Retry-After believed. A server's value is only a hint: anything longer
/// (`1e30`, a date in the year 9999) is read as this, which is past
/// [`ClientConfig::max_retry_wait`](crate::config::ClientConfig) anyway, so the error is returned
/// at once instead of a wait, and no value can overflow a `Duration`.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);

/// The most bytes of one answer kept in memory; AI Hub's JSON answers are kilobytes.
/// A server (or something in between) streaming more gets [`AiHubError::Malformed`].
pub const MAX_ANSWER_BYTES: usize = 64 * 1024 * 1024;

/// Retry-After as seconds or as an HTTP date, clamped to `0..=MAX_RETRY_AFTER`;
/// negative, NaN or unreadable values are ignored, never a panic.
pub(crate) fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    folio_http::retry_after(headers.get(RETRY_AFTER)?.to_str().ok()?, MAX_RETRY_AFTER)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_static("3"));
        assert_eq!(parse_retry_after(&h), Some(Duration::from_secs(3)));
        h.insert(RETRY_AFTER, HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"));
        assert_eq!(parse_retry_after(&h), Some(Duration::ZERO));
        h.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(parse_retry_after(&h), None);
    }

    #[test]
    fn retry_after_never_panics_and_is_clamped() {
        let mut h = HeaderMap::new();
        for (value, expected) in [
            ("1e30", Some(MAX_RETRY_AFTER)),
            ("18446744073709551616", Some(MAX_RETRY_AFTER)),
            ("301", Some(MAX_RETRY_AFTER)),
            ("0.5", Some(Duration::from_millis(500))),
            ("inf", None),
            ("NaN", None),
            ("-1", None),
            ("-0", Some(Duration::ZERO)),
            ("", None),
            ("Fri, 31 Dec 9999 23:59:59 GMT", Some(MAX_RETRY_AFTER)),
            ("Mon, 01 Jan 1900 00:00:00 GMT", Some(Duration::ZERO)),
        ] {
            h.insert(RETRY_AFTER, HeaderValue::from_static(value));
            assert_eq!(parse_retry_after(&h), expected, "Retry-After: {value:?}");
        }
        h.insert(RETRY_AFTER, HeaderValue::from_bytes(b"\xff\xfe").unwrap());
        assert_eq!(parse_retry_after(&h), None);
    }
}
