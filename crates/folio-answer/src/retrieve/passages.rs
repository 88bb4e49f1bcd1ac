//! Reading passages by id (the vector side of retrieval only knows ids), in the same
//! shape keyword search returns them.

use crate::error::Result;
use folio_engine::{Engine, SearchHit};
use std::collections::HashMap;

/// The passages with these ids, in the order given; ids gone meanwhile are skipped.
pub fn by_ids(engine: &Engine, ids: &[i64]) -> Result<Vec<SearchHit>> {
    Ok(engine.store().passages_by_ids(ids)?)
}

/// (document, page) of each passage id that still exists.
pub fn pages_of(engine: &Engine, ids: &[i64]) -> Result<HashMap<i64, (folio_core::DocumentId, u32)>> {
    Ok(engine.store().passage_pages(ids)?)
}
