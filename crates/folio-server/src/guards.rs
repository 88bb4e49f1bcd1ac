//! Middleware that protects the server itself, before any route runs: the Host check
//! (DNS rebinding), the cap on requests in flight, and the body idle timeout. The limits
//! and their values are listed in NOTES.md ("Limits").

use crate::error::ApiError;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The Host names a request may carry. A web page the person visits can make their
/// browser send requests to 127.0.0.1 under a name the page's owner controls (DNS
/// rebinding); such requests carry that name in Host, so only loopback names pass.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    /// `None`: any Host (`--allow-remote`, where the address is chosen on purpose).
    names: Option<Arc<Vec<String>>>,
}

impl AllowedHosts {
    pub fn any() -> Self {
        AllowedHosts { names: None }
    }

    /// `127.0.0.1`, `localhost` and `[::1]`, each bare or with the bound port.
    pub fn loopback(port: u16) -> Self {
        let names = ["127.0.0.1", "localhost", "[::1]"]
            .iter()
            .flat_map(|name| [name.to_string(), format!("{name}:{port}")])
            .collect();
        AllowedHosts { names: Some(Arc::new(names)) }
    }

    pub fn allows(&self, host: &str) -> bool {
        match &self.names {
            None => true,
            Some(names) => names.iter().any(|n| n.eq_ignore_ascii_case(host.trim())),
        }
    }
}

pub async fn check_host(State(allowed): State<AllowedHosts>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| request.uri().authority().map(|a| a.to_string()));
    match host {
        Some(host) if allowed.allows(&host) => next.run(request).await,
        Some(host) => ApiError::new(
            StatusCode::MISDIRECTED_REQUEST,
            format!(
                "This server answers only to 127.0.0.1, localhost or [::1], not {:?} (start it with --allow-remote \
                 to accept other names)",
                host.chars().take(100).collect::<String>()
            ),
        )
        .into_response(),
        None => ApiError::new(StatusCode::MISDIRECTED_REQUEST, "The request has no Host header").into_response(),
    }
}

/// Requests being handled at once; past the cap a request is answered 503 at once with
/// `Retry-After: 1` instead of queueing (each holds a body, a staging folder, a database
/// connection).
pub async fn limit_in_flight(State(slots): State<Arc<Semaphore>>, request: Request, next: Next) -> Response {
    let Ok(_slot) = slots.clone().try_acquire_owned() else {
        let mut busy = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Folio is handling as many requests as it allows at once; try again in a moment",
        );
        busy.retry_after = Some(1);
        return busy.into_response();
    };
    next.run(request).await
}

/// Ends a request whose body stops arriving for `idle` (a client that sends a byte a
/// minute would otherwise hold a slot, a staging folder and a connection for ever).
/// The timer runs only while the handler waits for body bytes. The client gets 408
/// and the connection is closed.
pub async fn body_idle_timeout(State(idle): State<Duration>, request: Request, next: Next) -> Response {
    let stalled = Arc::new(AtomicBool::new(false));
    let flag = stalled.clone();
    let request = request.map(|body| {
        let stream = body.into_data_stream();
        Body::from_stream(futures_util::stream::unfold((stream, false), move |(mut stream, ended)| {
            let flag = flag.clone();
            async move {
                if ended {
                    return None;
                }
                match tokio::time::timeout(idle, stream.next()).await {
                    Ok(Some(item)) => Some((item, (stream, false))),
                    Ok(None) => None,
                    Err(_) => {
                        flag.store(true, Ordering::SeqCst);
                        let err = std::io::Error::new(std::io::ErrorKind::TimedOut, "the request body stalled");
                        Some((Err(axum::Error::new(err)), (stream, true)))
                    }
                }
            }
        }))
    });
    let response = next.run(request).await;
    if !stalled.load(Ordering::SeqCst) {
        return response;
    }
    let mut response = ApiError::new(
        StatusCode::REQUEST_TIMEOUT,
        format!("No part of the request body arrived for {} s; nothing was stored", idle.as_secs_f32()),
    )
    .into_response();
    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_names_pass_unless_any() {
        let allowed = AllowedHosts::loopback(8465);
        for ok in ["127.0.0.1:8465", "localhost:8465", "LOCALHOST:8465", "[::1]:8465", "localhost", "127.0.0.1"] {
            assert!(allowed.allows(ok), "{ok}");
        }
        for bad in ["evil.example", "evil.example:8465", "127.0.0.1:8466", "127.0.0.1.evil.example", "", "0.0.0.0:8465"]
        {
            assert!(!allowed.allows(bad), "{bad}");
        }
        assert!(AllowedHosts::any().allows("evil.example"));
    }
}
