//! The built-in language models: one model manager over the app's models folder, and
//! the downloads in flight so Pause can stop one (its partial file stays for Resume).

use crate::error::AppResult;
use folio_models::{CancellationToken, InstalledModel, ModelManager};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use tauri::{AppHandle, Manager, Runtime};

#[derive(Default)]
pub struct Models {
    manager: OnceLock<Arc<ModelManager>>,
    downloads: Mutex<HashMap<String, CancellationToken>>,
}

impl Models {
    pub fn manager<R: Runtime>(&self, app: &AppHandle<R>) -> AppResult<Arc<ModelManager>> {
        if let Some(manager) = self.manager.get() {
            return Ok(manager.clone());
        }
        let dir = app.path().app_data_dir().map_err(|e| folio_core::Error::Internal(e.to_string()))?.join("models");
        let manager = Arc::new(ModelManager::new(dir).map_err(folio_core::Error::from)?);
        Ok(self.manager.get_or_init(|| manager).clone())
    }

    /// The model answers are written with when the person chose the built-in one (or
    /// Automatic): the chosen installed model, else the first installed.
    pub fn active<R: Runtime>(&self, app: &AppHandle<R>) -> Option<InstalledModel> {
        self.manager(app).ok()?.active().ok().flatten()
    }

    /// Registers a download; a second one for the same model is refused.
    pub fn start(&self, id: &str) -> AppResult<CancellationToken> {
        let mut downloads = self.downloads.lock().unwrap_or_else(|p| p.into_inner());
        if downloads.contains_key(id) {
            return Err(folio_core::Error::InvalidInput(format!("{id} is already downloading")).into());
        }
        let token = CancellationToken::new();
        downloads.insert(id.to_string(), token.clone());
        Ok(token)
    }

    pub fn finish(&self, id: &str) {
        self.downloads.lock().unwrap_or_else(|p| p.into_inner()).remove(id);
    }

    /// Pauses a download: it stops, keeping what it has for the next Download.
    pub fn pause(&self, id: &str) {
        if let Some(token) = self.downloads.lock().unwrap_or_else(|p| p.into_inner()).get(id) {
            token.cancel();
        }
    }
}
