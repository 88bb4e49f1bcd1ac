//! Reading passages by id (the vector side of retrieval only knows ids), in the same
//! shape keyword search returns them.

use crate::error::Result;
use folio_core::BoundingBox;
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
    let rows = stmt.query_map([list], |r| {
        let boxes: String = r.get(8)?;
        Ok(SearchHit {
            passage_id: r.get(0)?,
            document_id: r.get(1)?,
            document_name: r.get(2)?,
            page: r.get(3)?,
            page_label: r.get(4)?,
            char_start: r.get(5)?,
            char_end: r.get(6)?,
            text: r.get(7)?,
            boxes: parse_boxes(&boxes),
            score: 0.0,
        })
    })?;
    let mut found: HashMap<i64, SearchHit> = HashMap::new();
    for row in rows {
        let hit = row?;
        found.insert(hit.passage_id, hit);
    }
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

pub fn parse_boxes(json: &str) -> Vec<BoundingBox> {
    let boxes: Vec<[f64; 4]> = serde_json::from_str(json).unwrap_or_default();
    boxes.into_iter().map(|[x0, y0, x1, y1]| BoundingBox { top_x: x0, top_y: y0, bottom_x: x1, bottom_y: y1 }).collect()
}
