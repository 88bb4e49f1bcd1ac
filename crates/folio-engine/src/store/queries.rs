//! AI Hub-style queries (run now, ask for the status later, from any process): their
//! state rows. folio-answer runs them and decides what a vanished process means.

use super::Store;
use crate::error::Result;
use rusqlite::{params, OptionalExtension};

/// A query as stored: `results` is the JSON the runner wrote, `pid` the process running it.
#[derive(Debug, Clone)]
pub struct QueryRow {
    pub state: String,
    pub results: Option<String>,
    pub error: Option<String>,
    pub pid: u32,
}

impl Store {
    /// Records a query as RUNNING in this process.
    pub fn start_query(&self, id: &str, request_json: &str) -> Result<()> {
        self.conn().execute(
            "INSERT INTO answer_queries(id, request, state, pid, created_at, updated_at)
             VALUES (?1, ?2, 'RUNNING', ?3, ?4, ?4)",
            params![id, request_json, std::process::id(), chrono::Utc::now().to_rfc3339()],
        )?;
        Ok(())
    }

    /// Ends a query: its state (COMPLETE or FAILED), results JSON or error.
    pub fn finish_query(&self, id: &str, state: &str, results: Option<&str>, error: Option<&str>) -> Result<()> {
        self.conn().execute(
            "UPDATE answer_queries SET state = ?2, results = ?3, error = ?4, updated_at = ?5 WHERE id = ?1",
            params![id, state, results, error, chrono::Utc::now().to_rfc3339()],
        )?;
        Ok(())
    }

    pub fn query(&self, id: &str) -> Result<Option<QueryRow>> {
        Ok(self
            .conn()
            .query_row("SELECT state, results, error, pid FROM answer_queries WHERE id = ?1", [id], |r| {
                Ok(QueryRow { state: r.get(0)?, results: r.get(1)?, error: r.get(2)?, pid: r.get(3)? })
            })
            .optional()?)
    }
}
