//! Queries with AI Hub's semantics: `run` stores the query as RUNNING and returns its id
//! at once; the work runs in the background and ends COMPLETE with results or FAILED
//! with a message. States live in the database, so `status` from another process (the
//! CLI after `queries run`) sees them. A RUNNING query whose process is gone (killed
//! mid-answer) reads as FAILED instead of running forever.

use crate::error::{AnswerError, Result};
use folio_core::{QueryResult, QueryState, QueryStatus};
use folio_engine::Engine;

pub fn start(engine: &Engine, request: &folio_core::QueryRequest) -> Result<String> {
    let id = format!("q-{}", crate::chatbots::new_id());
    engine.store().start_query(&id, &serde_json::to_string(request).unwrap_or_default())?;
    Ok(id)
}

pub fn complete(engine: &Engine, id: &str, results: &[QueryResult]) -> Result<()> {
    let results = serde_json::to_string(results).unwrap_or_default();
    Ok(engine.store().finish_query(id, "COMPLETE", Some(&results), None)?)
}

pub fn fail(engine: &Engine, id: &str, message: &str) -> Result<()> {
    Ok(engine.store().finish_query(id, "FAILED", None, Some(message))?)
}

pub fn status(engine: &Engine, id: &str) -> Result<QueryStatus> {
    let row = engine.store().query(id)?.ok_or_else(|| AnswerError::NotFound(format!("Query {id} was not found")))?;
    let mut status = QueryStatus {
        query_id: id.to_string(),
        state: QueryState::from_wire(&row.state),
        results: row.results.and_then(|r| serde_json::from_str(&r).ok()).unwrap_or_default(),
        error: row.error,
    };
    if status.state == QueryState::Running && !process_alive(row.pid) {
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
