//! What "Search everywhere" reads: keyword matches across every conversation at once,
//! each with the conversation it belongs to, and the conversations it may look in for
//! meaning. folio-answer fuses and presents them; the SQL stays here.

use super::passages::fts_query;
use super::{SearchHit, Store};
use crate::error::Result;
use rusqlite::params;
use std::collections::HashMap;

/// A passage found by searching everywhere, with its conversation.
#[derive(Debug, Clone)]
pub struct EverywhereHit {
    pub conversation_id: String,
    pub conversation_name: String,
    pub hit: SearchHit,
}

/// Columns every query here selects: a `SearchHit`'s nine (see `SearchHit::from_row`),
/// then the conversation's id and name.
const HIT_COLUMNS: &str = "p.id, p.document_id, d.name, p.page, g.label, p.char_start, p.char_end, p.text, p.boxes,
     c.id, c.name";
const HIT_JOINS: &str = "JOIN documents d ON d.id = p.document_id
     JOIN conversations c ON c.id = d.conversation_id
     LEFT JOIN pages g ON g.document_id = p.document_id AND g.page = p.page";

fn everywhere_row(r: &rusqlite::Row<'_>, score: f64) -> rusqlite::Result<EverywhereHit> {
    Ok(EverywhereHit { hit: SearchHit::from_row(r, score)?, conversation_id: r.get(9)?, conversation_name: r.get(10)? })
}

/// A JSON list of ids for `json_each`.
fn id_list<T: serde::Serialize>(ids: &[T]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}

impl Store {
    /// Passages of every fully indexed document, in any conversation but those in
    /// `skipped`, that match the words of `query`: best BM25 first (score: BM25, lower
    /// is better).
    pub fn search_everywhere(&self, query: &str, skipped: &[String], limit: usize) -> Result<Vec<EverywhereHit>> {
        let Some(fts) = fts_query(query) else {
            return Ok(Vec::new());
        };
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {HIT_COLUMNS}, bm25(passages_fts) AS score
             FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid {HIT_JOINS}
             WHERE passages_fts MATCH ?1 AND d.searchable = 1
               AND c.id NOT IN (SELECT value FROM json_each(?2))
             ORDER BY score LIMIT ?3"
        ))?;
        let rows = stmt.query_map(params![fts, id_list(skipped), limit as i64], |r| everywhere_row(r, r.get(11)?))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The passages with these ids and their conversations, in the order given; ids gone
    /// meanwhile are skipped. Score 0: the caller ranks them.
    pub fn everywhere_passages(&self, ids: &[i64]) -> Result<Vec<EverywhereHit>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {HIT_COLUMNS} FROM passages p {HIT_JOINS}
             WHERE p.id IN (SELECT value FROM json_each(?1))"
        ))?;
        let rows = stmt.query_map([id_list(ids)], |r| everywhere_row(r, 0.0))?;
        let mut found: HashMap<i64, EverywhereHit> = HashMap::new();
        for row in rows {
            let row = row?;
            found.insert(row.hit.passage_id, row);
        }
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// Conversations holding at least one fully indexed document, but those in `skipped`.
    pub fn searchable_conversations(&self, skipped: &[String]) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT DISTINCT conversation_id FROM documents
             WHERE searchable = 1 AND conversation_id NOT IN (SELECT value FROM json_each(?1))
             ORDER BY conversation_id",
        )?;
        let rows = stmt.query_map([id_list(skipped)], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
