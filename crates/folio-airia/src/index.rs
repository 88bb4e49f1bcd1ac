//! Folio's own index of the Airia conversations it created. Airia has no list
//! endpoint, so this record (in the engine's store, next to the documents and the chat
//! history) is how Folio lists them and finds the Airia conversation behind a Folio one.

use crate::error::AiriaError;
use folio_engine::{Engine, EngineError};

/// A Folio conversation on Airia: the local half, Airia's id, the title it was given.
pub type IndexRow = folio_engine::store::AiriaRecord;

fn db(e: EngineError) -> AiriaError {
    AiriaError::Index(e.to_string())
}

pub fn insert(engine: &Engine, local_id: &str, airia_id: &str, title: &str) -> Result<(), AiriaError> {
    engine.store().insert_airia_conversation(local_id, airia_id, title).map_err(db)
}

pub fn get(engine: &Engine, local_id: &str) -> Result<Option<IndexRow>, AiriaError> {
    engine.store().airia_conversation(local_id).map_err(db)
}

pub fn list(engine: &Engine) -> Result<Vec<IndexRow>, AiriaError> {
    engine.store().airia_conversations().map_err(db)
}

pub fn rename(engine: &Engine, local_id: &str, title: &str) -> Result<(), AiriaError> {
    engine.store().rename_airia_conversation(local_id, title).map_err(db)
}

pub fn remove(engine: &Engine, local_id: &str) -> Result<(), AiriaError> {
    engine.store().remove_airia_conversation(local_id).map_err(db)
}
