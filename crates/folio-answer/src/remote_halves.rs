//! Local conversations that are the local half of a conversation on another backend:
//! Airia and Pieces OS hold the chat, and a local-engine conversation holds its
//! documents (and Folio's record of the turns). Those halves belong to that backend, so
//! the "On this computer" list, `folio local` and `folio serve` never show them.

use crate::error::Result;
use folio_core::BackendKind;
use folio_engine::Engine;

fn name(backend: BackendKind) -> String {
    serde_json::to_value(backend).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// Marks `local_id` as the local half of a conversation on `backend`.
pub fn hold(engine: &Engine, local_id: &str, backend: BackendKind) -> Result<()> {
    Ok(engine.store().hold_remote_half(local_id, &name(backend))?)
}

/// The local halves `backend` holds, or every backend's when `None`.
pub fn held(engine: &Engine, backend: Option<BackendKind>) -> Result<Vec<String>> {
    Ok(engine.store().remote_halves(backend.map(name).as_deref())?)
}
