use crate::error::AppResult;
use crate::secrets::{Keychain, AIHUB_TOKEN};
use crate::settings_store;
use folio_core::Settings;
use crate::backends::Backends;
use tauri::{AppHandle, Runtime, State};

#[tauri::command]
pub fn get_settings<R: Runtime>(app: AppHandle<R>) -> AppResult<Settings> {
    settings_store::load(&app)
}

/// Saves and returns the settings as stored (trimmed, blanks cleared).
#[tauri::command]
pub fn save_settings<R: Runtime>(app: AppHandle<R>, settings: Settings) -> AppResult<Settings> {
    let settings = settings.normalized();
    settings_store::save(&app, &settings)?;
    tracing::info!(backend = ?settings.active_backend, "settings saved");
    Ok(settings)
}

/// Stores the AI Hub token in the OS keychain; an empty token removes it.
/// The token never comes back to the UI: it can only ask whether one is stored.
#[tauri::command]
pub async fn set_aihub_token<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    token: String,
) -> AppResult<()> {
    let keychain = keychain(&app);
    // Keychain calls talk to a system service and may block: keep them off the IPC thread.
    blocking(move || keychain.set(AIHUB_TOKEN, &token)).await??;
    backends.reset_aihub().await;
    Ok(())
}

#[tauri::command]
pub async fn has_aihub_token<R: Runtime>(app: AppHandle<R>) -> AppResult<bool> {
    let keychain = keychain(&app);
    Ok(blocking(move || keychain.get(AIHUB_TOKEN)).await??.is_some())
}

async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| folio_core::Error::Internal(format!("keychain task failed: {e}")).into())
}

fn keychain<R: Runtime>(app: &AppHandle<R>) -> Keychain {
    Keychain::new(app.config().identifier.clone())
}

#[cfg(test)]
mod tests {
    use crate::test_support::TestApp;
    use serde_json::json;

    #[test]
    fn settings_round_trip_through_ipc_and_survive_a_restart() {
        let first = TestApp::start();
        let defaults = first.call("get_settings", json!({})).unwrap();
        assert_eq!(defaults["activeBackend"], "local");
        assert_eq!(defaults["aihub"]["apiRoot"], "https://aihub.instabase.com/api");

        let mut changed = defaults.clone();
        changed["activeBackend"] = json!("aiHub");
        changed["aihub"]["ibContext"] = json!("  org-42 ");
        changed["aihub"]["workspace"] = json!("   ");
        changed["languageModel"]["endpoint"] = json!("http://127.0.0.1:11434");
        let saved = first.call("save_settings", json!({ "settings": changed })).unwrap();
        assert_eq!(saved["aihub"]["ibContext"], "org-42", "saved settings come back normalized");
        assert_eq!(saved["aihub"]["workspace"], json!(null));
        // A new app (same data directory) reads what the last one saved.
        let second = first.restart();
        let loaded = second.call("get_settings", json!({})).unwrap();
        assert_eq!(loaded, saved);
    }

    #[test]
    fn malformed_settings_are_refused_and_change_nothing() {
        let app = TestApp::start();
        let err = app.call("save_settings", json!({ "settings": { "activeBackend": "mainframe" } })).unwrap_err();
        // Tauri refuses arguments that do not parse before the command runs; the UI
        // reads such a rejection as an internal error naming the bad value.
        assert!(err.as_str().is_some_and(|m| m.contains("unknown variant `mainframe`")), "{err}");
        let still = app.call("get_settings", json!({})).unwrap();
        assert_eq!(still["activeBackend"], "local", "a refused save changes nothing");
    }

    #[test]
    fn the_token_goes_to_the_keychain_not_the_settings_file() {
        let app = TestApp::start();
        assert_eq!(app.call("has_aihub_token", json!({})).unwrap(), json!(false));
        app.call("set_aihub_token", json!({ "token": "secret-token-123" })).unwrap();
        assert_eq!(app.call("has_aihub_token", json!({})).unwrap(), json!(true));

        app.call("save_settings", json!({ "settings": { "activeBackend": "aiHub" } })).unwrap();
        let data_dir = app.call("get_app_info", json!({})).unwrap()["dataDir"].as_str().unwrap().to_string();
        let stored = std::fs::read_to_string(std::path::Path::new(&data_dir).join("settings.json")).unwrap();
        assert!(stored.contains("aiHub"), "{stored}");
        assert!(!stored.contains("secret-token-123"), "the token leaked into {stored}");

        app.call("set_aihub_token", json!({ "token": "  " })).unwrap();
        assert_eq!(app.call("has_aihub_token", json!({})).unwrap(), json!(false));
    }
}
