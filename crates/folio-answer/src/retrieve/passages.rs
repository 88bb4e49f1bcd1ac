//! Reading passages by id (the vector side of retrieval only knows ids), in the same
//! shape keyword search returns them.

use crate::error::Result;
use folio_engine::{Engine, SearchHit};
use std::collections::HashMap;

/// The passages with these ids, in the order given; ids gone meanwhile are skipped.
pub fn by_ids(engine: &Engine, ids: &[i64]) -> Result<Vec<SearchHit>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    let conn = engine.store().conn();
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.document_id, d.name, p.page, g.label, p.char_start, p.char_end, p.text, p.boxes
         FROM passages p
         JOIN documents d ON d.id = p.document_id
         LEFT JOIN pages g ON g.document_id = p.document_id AND g.page = p.page
         WHERE p.id IN (SELECT value FROM json_each(?1))",
    )?;
    let rows = stmt.query_map([list], |r| SearchHit::from_row(r, 0.0))?;
    let mut found: HashMap<i64, SearchHit> = HashMap::new();
    for row in rows {
        let hit = row?;
        found.insert(hit.passage_id, hit);
    }
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// (document, page) of each passage id that still exists.
pub fn pages_of(engine: &Engine, ids: &[i64]) -> Result<HashMap<i64, (folio_core::DocumentId, u32)>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    let conn = engine.store().conn();
    let mut stmt = conn
        .prepare_cached("SELECT id, document_id, page FROM passages WHERE id IN (SELECT value FROM json_each(?1))")?;
    let rows = stmt.query_map([list], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
