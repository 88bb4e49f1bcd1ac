//! Reads and writes the one `settings` key of the app's store file. All settings
//! persistence goes through here; the rest of the shell only sees `Settings`.

use crate::error::AppResult;
use folio_core::Settings;
use tauri::{AppHandle, Runtime};
use tauri_plugin_store::StoreExt;

const STORE_FILE: &str = "settings.json";
const SETTINGS_KEY: &str = "settings";

pub fn load<R: Runtime>(app: &AppHandle<R>) -> AppResult<Settings> {
    let store = app.store(STORE_FILE)?;
    let settings = match store.get(SETTINGS_KEY) {
        // A value from another version of Folio loads field by field; what cannot be
        // read falls back to defaults rather than locking the user out of the app.
        Some(value) => serde_json::from_value(value).unwrap_or_else(|err| {
            tracing::warn!("settings could not be read, using defaults: {err}");
            Settings::default()
        }),
        None => Settings::default(),
    };
    Ok(settings)
}

pub fn save<R: Runtime>(app: &AppHandle<R>, settings: &Settings) -> AppResult<()> {
    let store = app.store(STORE_FILE)?;
    let value = serde_json::to_value(settings).map_err(|e| crate::AppError::Settings(e.to_string()))?;
    store.set(SETTINGS_KEY, value);
    store.save()?;
    Ok(())
}
