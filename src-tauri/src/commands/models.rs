//! The model manager in Settings: the catalogue of built-in models with their state here,
//! downloads with progress pushed to the window, pause, delete, and the model in use.

use crate::backends::Backends;
use crate::error::AppResult;
use crate::models::Models;
use folio_models::{DownloadProgress, InstalledModel, ModelInfo};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

#[tauri::command]
pub async fn list_models<R: Runtime>(app: AppHandle<R>, models: State<'_, Models>) -> AppResult<Vec<ModelInfo>> {
    Ok(models.manager(&app)?.catalogue().map_err(folio_core::Error::from)?)
}

/// Downloads (or resumes) a catalogue model, checks its checksum and installs it; from
/// then on Automatic answers are written by it.
#[tauri::command]
pub async fn download_model<R: Runtime>(
    app: AppHandle<R>,
    models: State<'_, Models>,
    backends: State<'_, Backends>,
    id: String,
    on_progress: Channel<DownloadProgress>,
) -> AppResult<InstalledModel> {
    let manager = models.manager(&app)?;
    let cancel = models.start(&id)?;
    let mut report = |p: &DownloadProgress| {
        let _ = on_progress.send(p.clone());
    };
    let outcome = manager.download(&id, &mut report, &cancel).await;
    models.finish(&id);
    let installed = outcome.map_err(folio_core::Error::from)?;
    backends.settings_changed(&app).await;
    Ok(installed)
}

/// Pauses a download; Download again resumes where it stopped.
#[tauri::command]
pub fn pause_model_download(models: State<'_, Models>, id: String) {
    models.pause(&id);
}

#[tauri::command]
pub async fn delete_model<R: Runtime>(
    app: AppHandle<R>,
    models: State<'_, Models>,
    backends: State<'_, Backends>,
    id: String,
) -> AppResult<()> {
    models.manager(&app)?.delete(&id).map_err(folio_core::Error::from)?;
    backends.settings_changed(&app).await;
    Ok(())
}

/// Chooses which installed model writes answers.
#[tauri::command]
pub async fn use_model<R: Runtime>(
    app: AppHandle<R>,
    models: State<'_, Models>,
    backends: State<'_, Backends>,
    id: String,
) -> AppResult<InstalledModel> {
    let chosen = models.manager(&app)?.set_active(&id).map_err(folio_core::Error::from)?;
    backends.settings_changed(&app).await;
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use crate::test_support::TestApp;
    use serde_json::json;

    #[test]
    fn the_catalogue_lists_a_recommended_model_and_unknown_models_are_refused() {
        let app = TestApp::start();
        let listed = app.call("list_models", json!({})).unwrap();
        let models = listed.as_array().unwrap();
        assert!(!models.is_empty(), "{listed}");
        assert!(models.iter().any(|m| m["recommended"] == true), "{listed}");
        assert!(models.iter().all(|m| m["installed"] == false), "a fresh app has none: {listed}");
        let err = app.call("use_model", json!({ "id": "no-such-model" })).unwrap_err();
        assert_eq!(err["kind"], "not_found", "{err}");
    }
}
