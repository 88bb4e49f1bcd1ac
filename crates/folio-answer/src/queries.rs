//! Queries with AI Hub's semantics: `run` stores the query as RUNNING and returns its id
//! at once; the work runs in the background and ends COMPLETE with results or FAILED
//! with a message. States live in the database, so `status` from another process (the
//! CLI after `queries run`) sees them. A RUNNING query whose process is gone (killed
//! mid-answer) reads as FAILED instead of running forever.

use crate::error::{AnswerError, Result};
use folio_core::{QueryResult, QueryState, QueryStatus};
use folio_engine::Engine;
use rusqlite::{params, OptionalExtension};

pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS answer_queries (
    id         TEXT PRIMARY KEY,
    request    TEXT NOT NULL,    -- JSON folio_core::QueryRequest
    state      TEXT NOT NULL,    -- RUNNING | COMPLETE | FAILED
    results    TEXT,             -- JSON array of folio_core::QueryResult
    error      TEXT,
    pid        INTEGER NOT NULL, -- the process running it
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);";

pub fn start(engine: &Engine, request: &folio_core::QueryRequest) -> Result<String> {
    let id = format!("q-{}", crate::chatbots::new_id());
    let now = chrono::Utc::now().to_rfc3339();
    engine.store().conn().execute(
        "INSERT INTO answer_queries(id, request, state, pid, created_at, updated_at) VALUES (?1, ?2, 'RUNNING', ?3, ?4, ?4)",
        params![id, serde_json::to_string(request).unwrap_or_default(), std::process::id(), now],
    )?;
    Ok(id)
}

pub fn complete(engine: &Engine, id: &str, results: &[QueryResult]) -> Result<()> {
    finish(engine, id, "COMPLETE", Some(serde_json::to_string(results).unwrap_or_default()), None)
}

pub fn fail(engine: &Engine, id: &str, message: &str) -> Result<()> {
    finish(engine, id, "FAILED", None, Some(message))
}

fn finish(engine: &Engine, id: &str, state: &str, results: Option<String>, error: Option<&str>) -> Result<()> {
    engine.store().conn().execute(
        "UPDATE answer_queries SET state = ?2, results = ?3, error = ?4, updated_at = ?5 WHERE id = ?1",
        params![id, state, results, error, chrono::Utc::now().to_rfc3339()],
    )?;
    Ok(())
}

pub fn status(engine: &Engine, id: &str) -> Result<QueryStatus> {
    let row: Option<(String, Option<String>, Option<String>, u32)> = engine
        .store()
        .conn()
        .query_row("SELECT state, results, error, pid FROM answer_queries WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let (state, results, error, pid) = row.ok_or_else(|| AnswerError::NotFound(format!("Query {id} was not found")))?;
    let mut status = QueryStatus {
        query_id: id.to_string(),
        state: QueryState::from_wire(&state),
        results: results.and_then(|r| serde_json::from_str(&r).ok()).unwrap_or_default(),
        error,
    };
    if status.state == QueryState::Running && !process_alive(pid) {
        let message = "The query was interrupted: Folio stopped before it finished";
        fail(engine, id, message)?;
        status.state = QueryState::Failed;
        status.error = Some(message.into());
    }
    Ok(status)
}

/// Whether the process that started a query still runs. Only Linux can tell cheaply
/// (/proc); elsewhere a query is trusted to be running.
fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc_root = std::path::Path::new("/proc");
    !proc_root.join("self").exists() || proc_root.join(pid.to_string()).exists()
}
