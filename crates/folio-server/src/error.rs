//! Two kinds of failure: `ServerError` for starting and stopping the server (bad
//! address, port taken), and `ApiError` for one request, which always reaches the
//! client as AI Hub does it: a status code and a JSON body `{"message": "..."}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use folio_core::{Error as CoreError, ErrorKind};
use std::net::SocketAddr;

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(
        "refusing to listen on {0}: it is reachable from other computers and the API is plain HTTP; \
         use a loopback address (127.0.0.1), or pass --allow-remote if you really mean it"
    )]
    NotLoopback(std::net::IpAddr),
    #[error("could not listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("could not prepare the upload folder {path}: {source}")]
    Staging { path: std::path::PathBuf, source: std::io::Error },
    #[error("the token must be 16 to 512 visible ASCII characters without spaces")]
    BadToken,
    #[error("the system gave no randomness for a token: {0}")]
    NoRandomness(String),
    #[error("the server stopped with an error: {0}")]
    Serve(std::io::Error),
}

/// A failed request: the status and the message the client sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    /// Seconds, for 429 and 503 when the backend said when to come back.
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError { status, message: message.into(), retry_after: None }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn too_large(message: impl Into<String>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
}

/// The HTTP status AI Hub would use for each kind of backend failure. Invalid input is
/// 400 rather than 422: the SDK raises `BadRequestException` for it, which is what
/// scripts written against AI Hub catch.
pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Auth => StatusCode::UNAUTHORIZED,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::InvalidInput => StatusCode::BAD_REQUEST,
        ErrorKind::LimitExceeded => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Unavailable | ErrorKind::Cancelled => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Timeout => StatusCode::GATEWAY_TIMEOUT,
        ErrorKind::Unsupported => StatusCode::NOT_IMPLEMENTED,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<CoreError> for ApiError {
    fn from(err: CoreError) -> Self {
        let retry_after = match &err {
            CoreError::RateLimited { retry_after, .. } => retry_after.map(|d| d.as_secs().max(1)),
            _ => None,
        };
        ApiError { status: status_of(err.kind()), message: err.to_string(), retry_after }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // 501 is the backend saying "not yet": expected, not worth a warning.
        if self.status.is_server_error() && self.status != StatusCode::NOT_IMPLEMENTED {
            tracing::warn!(status = self.status.as_u16(), message = %self.message, "request failed");
        } else {
            tracing::debug!(status = self.status.as_u16(), message = %self.message, "request refused");
        }
        let body = serde_json::json!({ "message": self.message }).to_string();
        let mut response = (self.status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
        if let Some(secs) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
