//! The `/api/v2/...` routes of AI Hub's Conversations and Queries API, one file per
//! resource. Every route sits behind the token check; unknown paths and methods get
//! AI Hub-style JSON errors too, so a script never has to parse HTML or plain text.

mod conversations;
mod documents;
mod prompts;
mod queries;

use crate::auth::{require_token, Token};
use crate::error::{ApiError, ApiResult};
use crate::guards::{self, AllowedHosts};
use crate::limits::Limits;
use crate::wire::QueryShape;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use folio_core::Backend;
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub backend: Arc<dyn Backend>,
    /// Where uploads are staged before the backend takes its copy (inside its data folder).
    pub staging: Arc<PathBuf>,
    pub limits: Limits,
    pub queries: Arc<QueryShapes>,
}

impl AppState {
    pub fn new(backend: Arc<dyn Backend>, staging: PathBuf, limits: Limits) -> Self {
        AppState { backend, staging: Arc::new(staging), limits, queries: Arc::new(QueryShapes::default()) }
    }
}

/// What each recent query asked for (sources? pages?), so its status is shaped the way
/// AI Hub shapes it. Bounded: the oldest are forgotten first.
#[derive(Default)]
pub struct QueryShapes {
    inner: Mutex<(HashMap<String, QueryShape>, VecDeque<String>)>,
}

const REMEMBERED_QUERIES: usize = 10_000;

impl QueryShapes {
    pub fn remember(&self, id: &str, shape: QueryShape) {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let (map, order) = &mut *guard;
        if map.insert(id.to_string(), shape).is_none() {
            order.push_back(id.to_string());
        }
        while order.len() > REMEMBERED_QUERIES {
            if let Some(old) = order.pop_front() {
                map.remove(&old);
            }
        }
    }

    pub fn shape(&self, id: &str) -> QueryShape {
        let guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        guard.0.get(id).copied().unwrap_or_default()
    }
}

pub fn router(state: AppState, token: Token, hosts: AllowedHosts) -> Router {
    let limits = state.limits;
    Router::new()
        .route("/api/v2/conversations", get(conversations::list).post(conversations::create))
        .route(
            "/api/v2/conversations/{id}",
            get(conversations::status).put(conversations::update).delete(conversations::delete),
        )
        .route("/api/v2/conversations/{id}/documents", axum::routing::post(documents::add).delete(documents::delete))
        .route("/api/v2/conversations/{id}/documents/{document_id}", get(documents::metadata))
        .route("/api/v2/conversations/{id}/prompts", axum::routing::post(prompts::converse))
        .route("/api/v2/queries", axum::routing::post(queries::run))
        .route("/api/v2/queries/{query_id}", get(queries::status))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        // Before routing: the token is checked first, so without it nothing, not
        // even which paths exist, can be learnt.
        .layer(middleware::from_fn_with_state(token, require_token))
        .layer(middleware::from_fn_with_state(limits.body_idle_timeout, guards::body_idle_timeout))
        .layer(middleware::from_fn_with_state(Arc::new(Semaphore::new(limits.max_in_flight)), guards::limit_in_flight))
        // Before the token: a page reaching the server under another name learns nothing.
        .layer(middleware::from_fn_with_state(hosts, guards::check_host))
        .layer(middleware::from_fn(log_request))
}

async fn not_found(request: Request) -> ApiError {
    ApiError::not_found(format!(
        "No such endpoint: {} {}. Folio serves AI Hub's /api/v2/conversations and /api/v2/queries",
        request.method(),
        request.uri().path()
    ))
}

async fn method_not_allowed(request: Request) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{} is not allowed on {}", request.method(), request.uri().path()),
    )
}

/// One line per request: method, path, status, time. Never headers (the token) or
/// query strings and bodies (names and questions are the person's own).
async fn log_request(request: Request, next: Next) -> Response {
    let (method, path) = (request.method().clone(), request.uri().path().to_string());
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    tracing::info!(%method, %path, status = response.status().as_u16(), ms = started.elapsed().as_millis() as u64, "request");
    response
}

/// A path parameter, or a JSON 400 naming what was wrong with it.
pub(crate) fn path_param<T>(path: Result<Path<T>, PathRejection>) -> ApiResult<T> {
    path.map(|Path(value)| value).map_err(|e| ApiError::bad_request(format!("Bad path: {}", e.body_text())))
}

/// A document id from the path or a list: AI Hub's are integers.
pub(crate) fn document_id(text: &str) -> ApiResult<i64> {
    text.trim().parse::<i64>().map_err(|_| ApiError::bad_request(format!("Document ids are integers, not {text:?}")))
}

/// The pairs of a raw query string (`%20` and `+` both decode to a space).
pub(crate) fn query_pairs(raw: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or("").as_bytes()).into_owned().collect()
}

pub(crate) fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}
