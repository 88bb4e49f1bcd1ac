use crate::backends::Backends;
use crate::error::AppResult;
use crate::secrets::Keychain;
use crate::settings_store;
use folio_core::{AiHubSettings, AiriaSettings, LanguageModelSettings, PiecesSettings, SecretName, Settings};
use tauri::{AppHandle, Runtime, State};

#[tauri::command]
pub fn get_settings<R: Runtime>(app: AppHandle<R>) -> AppResult<Settings> {
    settings_store::load(&app)
}

/// Saves and returns the settings as stored (trimmed, blanks cleared).
#[tauri::command]
pub async fn save_settings<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    settings: Settings,
) -> AppResult<Settings> {
    let settings = settings.normalized();
    if let Some(why) = settings.aihub.processing.conflict() {
        return Err(folio_core::Error::InvalidInput(why.into()).into());
    }
    settings_store::save(&app, &settings)?;
    tracing::info!(backend = ?settings.active_backend, "settings saved");
    backends.settings_changed(&app).await;
    Ok(settings)
}

/// Tries the language model these settings choose and says in words what answers will
/// be written with, or what is wrong.
#[tauri::command]
pub async fn test_language_model<R: Runtime>(
    app: AppHandle<R>,
    models: State<'_, crate::models::Models>,
    choice: LanguageModelSettings,
) -> AppResult<String> {
    let key = crate::backends::read_secret(&app, SecretName::OpenAiKey).await?;
    let choice = Settings { language_model: choice, ..Settings::default() }.normalized().language_model;
    let builtin = models.active(&app);
    Ok(folio_answer::model_choice::test(&choice, key, builtin.as_ref()).await?)
}

/// The models of the Ollama server at `endpoint` (its default address when None), or
/// None when Ollama is not running there.
#[tauri::command]
pub async fn list_ollama_models(endpoint: Option<String>) -> Option<Vec<String>> {
    let endpoint = endpoint.map(|e| e.trim().trim_end_matches('/').to_string()).filter(|e| !e.is_empty());
    folio_answer::llm::ollama::detect(endpoint.as_deref()).await
}

/// Tries Airia with these settings and the saved key: says in words what is wrong.
#[tauri::command]
pub async fn test_airia_connection<R: Runtime>(app: AppHandle<R>, airia: AiriaSettings) -> AppResult<String> {
    let airia = Settings { airia, ..Settings::default() }.normalized().airia;
    let config = crate::backends::airia_config(&app, &airia).await?;
    let client = folio_airia::AiriaClient::new(config).map_err(folio_core::Error::from)?;
    let report = client.test_connection().await;
    if report.ok {
        Ok(report.message)
    } else {
        Err(folio_core::Error::Unavailable(report.message).into())
    }
}

/// Finds Pieces OS (at the address given, or on the ports its wrapper scans) and says
/// which model Folio will ask, or why it cannot.
#[tauri::command]
pub async fn test_pieces_connection<R: Runtime>(
    backends: State<'_, Backends>,
    app: AppHandle<R>,
    pieces: PiecesSettings,
) -> AppResult<String> {
    let pieces = Settings { pieces, ..Settings::default() }.normalized().pieces;
    let local = backends.local(&app).await?;
    let backend = folio_pieces::PiecesBackend::new(folio_pieces::PiecesConfig::from_settings(&pieces), local)
        .map_err(folio_core::Error::from)?;
    Ok(backend.test_connection().await?)
}

/// Tries AI Hub with these account settings and the saved token: lists conversations
/// once and says what is wrong in words when that fails.
#[tauri::command]
pub async fn test_aihub_connection<R: Runtime>(app: AppHandle<R>, aihub: AiHubSettings) -> AppResult<String> {
    let aihub = Settings { aihub, ..Settings::default() }.normalized().aihub;
    let token = crate::backends::read_secret(&app, SecretName::AihubToken)
        .await?
        .ok_or_else(|| folio_core::Error::Auth("No AI Hub token is saved yet: paste it above and save it".into()))?;
    let config = folio_aihub::ClientConfig::from_settings(&aihub, token);
    let backend = folio_aihub::AiHubBackend::new(config).map_err(folio_core::Error::from)?;
    Ok(backend.test_connection().await?)
}

/// Stores a secret (an API token or key) in the OS keychain; an empty one removes it.
/// Secrets never come back to the window: it can only ask whether one is stored.
#[tauri::command]
pub async fn set_secret<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    name: SecretName,
    value: String,
) -> AppResult<()> {
    let keychain = keychain(&app);
    // Keychain calls talk to a system service and may block: keep them off the IPC thread.
    blocking(move || keychain.set(name.account(), &value)).await??;
    // Backends built with the old secret are rebuilt on next use.
    backends.secrets_changed(&app).await;
    Ok(())
}

#[tauri::command]
pub async fn has_secret<R: Runtime>(app: AppHandle<R>, name: SecretName) -> AppResult<bool> {
    let keychain = keychain(&app);
    Ok(blocking(move || keychain.get(name.account())).await??.is_some())
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
        let token = json!({ "name": "aihubToken" });
        assert_eq!(app.call("has_secret", token.clone()).unwrap(), json!(false));
        app.call("set_secret", json!({ "name": "aihubToken", "value": "secret-token-123" })).unwrap();
        assert_eq!(app.call("has_secret", token.clone()).unwrap(), json!(true));
        assert_eq!(
            app.call("has_secret", json!({ "name": "openAiKey" })).unwrap(),
            json!(false),
            "each secret is its own entry"
        );

        app.call("save_settings", json!({ "settings": { "activeBackend": "aiHub" } })).unwrap();
        let data_dir = app.call("get_app_info", json!({})).unwrap()["dataDir"].as_str().unwrap().to_string();
        let stored = std::fs::read_to_string(std::path::Path::new(&data_dir).join("settings.json")).unwrap();
        assert!(stored.contains("aiHub"), "{stored}");
        assert!(!stored.contains("secret-token-123"), "the token leaked into {stored}");

        app.call("set_secret", json!({ "name": "aihubToken", "value": "  " })).unwrap();
        assert_eq!(app.call("has_secret", token).unwrap(), json!(false));
    }
}
