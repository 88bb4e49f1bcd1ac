//! Which local-engine conversation holds the documents of a Pieces conversation. The
//! link lives in the engine's store, beside the conversations it points at, so it
//! survives restarts and goes with a backup of Folio's data.

use folio_engine::{Engine, Result};

pub fn insert(engine: &Engine, pieces_id: &str, local_id: &str) -> Result<()> {
    engine.store().link_pieces(pieces_id, local_id)
}

pub fn local_id(engine: &Engine, pieces_id: &str) -> Result<Option<String>> {
    engine.store().pieces_local_id(pieces_id)
}

pub fn remove(engine: &Engine, pieces_id: &str) -> Result<()> {
    engine.store().unlink_pieces(pieces_id)
}
