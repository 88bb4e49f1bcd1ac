//! The backend the window talks to: Folio's local engine with its answering layer (one
//! per process, opened on first use) or AI Hub (built from the settings and the keychain token). Commands ask
//! for `active()` and never know which one they got.

use crate::error::AppResult;
use crate::secrets::{Keychain, AIHUB_TOKEN};
use crate::settings_store;
use folio_core::{Backend, BackendChoice, Settings};
use std::sync::Arc;
use tauri::{AppHandle, Manager, Runtime};
use tokio::sync::{Mutex, OnceCell};

#[derive(Default)]
pub struct Backends {
    /// The local engine owns worker threads and the database: exactly one per process,
    /// kept alive when the person switches to AI Hub and back.
    local: OnceCell<folio_answer::LocalBackend>,
    /// The AI Hub backend for the settings it was built from; rebuilt when they change.
    aihub: Mutex<Option<(Settings, Arc<dyn Backend>)>>,
}

impl Backends {
    pub async fn active<R: Runtime>(&self, app: &AppHandle<R>) -> AppResult<Arc<dyn Backend>> {
        let settings = settings_store::load(app)?;
        match settings.active_backend {
            BackendChoice::Local => Ok(Arc::new(self.local(app).await?)),
            BackendChoice::AiHub => self.aihub(app, settings).await,
            choice @ (BackendChoice::Airia | BackendChoice::Pieces) => Err(folio_core::Error::Unsupported(format!(
                "{} is not available in this version of Folio yet",
                if choice == BackendChoice::Airia { "Airia" } else { "Pieces OS" }
            ))
            .into()),
        }
    }

    /// The local engine whatever the active backend is ("Allow scripts to use Folio"
    /// always serves this computer's documents).
    pub async fn local_backend<R: Runtime>(&self, app: &AppHandle<R>) -> AppResult<Arc<dyn Backend>> {
        Ok(Arc::new(self.local(app).await?))
    }

    async fn local<R: Runtime>(&self, app: &AppHandle<R>) -> AppResult<folio_answer::LocalBackend> {
        // Commands racing at start-up wait for the one opening: the engine takes its data
        // folder's lock, so it must be opened exactly once.
        let local = self
            .local
            .get_or_try_init(|| async {
                let dir = app.path().app_data_dir().map_err(|e| folio_core::Error::Internal(e.to_string()))?.join("engine");
                let settings = engine_settings(app.path().resource_dir().ok());
                // Opening resumes unfinished documents and may take a moment: off the IPC thread.
                let engine = tauri::async_runtime::spawn_blocking(move || folio_engine::Engine::open(&dir, settings))
                    .await
                    .map_err(|e| folio_core::Error::Internal(format!("the local engine did not start: {e}")))?
                    .map_err(folio_core::Error::from)?;
                // With no language model configured the local backend answers by quoting.
                folio_answer::LocalBackend::new(engine, folio_answer::AnswerSettings::default())
                    .map_err(folio_core::Error::from)
            })
            .await?;
        Ok(local.clone())
    }

    async fn aihub<R: Runtime>(&self, app: &AppHandle<R>, settings: Settings) -> AppResult<Arc<dyn Backend>> {
        let mut cached = self.aihub.lock().await;
        if let Some((built_for, backend)) = cached.as_ref() {
            if built_for.aihub == settings.aihub {
                return Ok(backend.clone());
            }
        }
        let keychain = Keychain::new(app.config().identifier.clone());
        let token = tauri::async_runtime::spawn_blocking(move || keychain.get(AIHUB_TOKEN))
            .await
            .map_err(|e| folio_core::Error::Internal(e.to_string()))??
            .ok_or_else(|| folio_core::Error::Auth("No AI Hub token is saved yet".into()))?;
        let config = folio_aihub::ClientConfig::new(settings.aihub.api_root.clone(), folio_aihub::ApiToken::new(token))
            .with_ib_context(settings.aihub.ib_context.clone());
        let backend: Arc<dyn Backend> =
            Arc::new(folio_aihub::AiHubBackend::new(config).map_err(folio_core::Error::from)?);
        *cached = Some((settings, backend.clone()));
        Ok(backend)
    }

    /// Forgets the AI Hub backend, e.g. after its token changed.
    pub async fn reset_aihub(&self) {
        *self.aihub.lock().await = None;
    }
}

/// The engine's native parts come from the app bundle's `native/` resources when it has
/// them (scripts/bundle.sh stages them from PyPI wheels); a development build finds them
/// through the variables scripts/setup.sh exports.
fn engine_settings(resources: Option<std::path::PathBuf>) -> folio_engine::EngineSettings {
    use std::env::consts::{DLL_PREFIX, DLL_SUFFIX};
    let mut settings = folio_engine::EngineSettings::default();
    let Some(native) = resources.map(|r| r.join("native")) else { return settings };
    let pdfium = native.join(format!("{DLL_PREFIX}pdfium{DLL_SUFFIX}"));
    if pdfium.is_file() {
        settings.pdfium_path = Some(pdfium);
    }
    let (runtime, model, vocab) = (
        native.join(format!("{DLL_PREFIX}onnxruntime{DLL_SUFFIX}")),
        native.join("minilm-int8.onnx"),
        native.join("minilm-vocab.txt"),
    );
    if settings.embeddings.is_none() && runtime.is_file() && model.is_file() && vocab.is_file() {
        settings.embeddings = Some(folio_engine::embed::EmbeddingSettings {
            runtime,
            model,
            vocab,
            max_tokens: 256,
            batch: 16,
            threads: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
        });
    }
    settings
}
