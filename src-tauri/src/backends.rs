//! The backend the window talks to: Folio's local engine with its answering layer (one
//! per process, opened on first use) or AI Hub (built from the settings and the keychain token). Commands ask
//! for `active()` and never know which one they got.

use crate::error::AppResult;
use crate::secrets::Keychain;
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
    /// Remote backends, each with the part of the settings it was built from; rebuilt
    /// when that part changes. Airia and Pieces OS hold the chat; their documents live
    /// in the local engine.
    aihub: Built<folio_core::AiHubSettings>,
    airia: Built<folio_core::AiriaSettings>,
    pieces: Built<folio_core::PiecesSettings>,
    /// Whether the local backend has been pointed at the chosen language model yet.
    model_applied: std::sync::atomic::AtomicBool,
}

/// A backend and the settings it was built from.
type Built<K> = Mutex<Option<(K, Arc<dyn Backend>)>>;

/// The backend in `slot` when it was built from `key`, else a new one from `build`.
async fn reuse_or_build<K: PartialEq, F, Fut>(slot: &Built<K>, key: K, build: F) -> AppResult<Arc<dyn Backend>>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = AppResult<Arc<dyn Backend>>>,
{
    let mut slot = slot.lock().await;
    if let Some((built_for, backend)) = slot.as_ref() {
        if *built_for == key {
            return Ok(backend.clone());
        }
    }
    let backend = build().await?;
    *slot = Some((key, backend.clone()));
    Ok(backend)
}

/// A secret from the OS keychain, read off the async threads.
pub async fn read_secret<R: Runtime>(app: &AppHandle<R>, name: folio_core::SecretName) -> AppResult<Option<String>> {
    let keychain = Keychain::new(app.config().identifier.clone());
    Ok(tauri::async_runtime::spawn_blocking(move || keychain.get(name.account()))
        .await
        .map_err(|e| folio_core::Error::Internal(e.to_string()))??)
}

impl Backends {
    pub async fn active<R: Runtime>(&self, app: &AppHandle<R>) -> AppResult<Arc<dyn Backend>> {
        let settings = settings_store::load(app)?;
        match settings.active_backend {
            BackendChoice::Local => Ok(Arc::new(self.local(app).await?)),
            BackendChoice::AiHub => self.aihub(app, settings).await,
            BackendChoice::Airia => self.airia(app, settings).await,
            BackendChoice::Pieces => self.pieces(app, settings).await,
        }
    }

    /// The local engine whatever the active backend is ("Allow scripts to use Folio"
    /// always serves this computer's documents).
    pub async fn local_backend<R: Runtime>(&self, app: &AppHandle<R>) -> AppResult<Arc<dyn Backend>> {
        Ok(Arc::new(self.local(app).await?))
    }

    /// The local engine with its answering layer (chatbots, page images) whatever the
    /// active backend is.
    pub async fn local<R: Runtime>(&self, app: &AppHandle<R>) -> AppResult<folio_answer::LocalBackend> {
        // Commands racing at start-up wait for the one opening: the engine takes its data
        // folder's lock, so it must be opened exactly once.
        let local = self
            .local
            .get_or_try_init(|| async {
                let dir =
                    app.path().app_data_dir().map_err(|e| folio_core::Error::Internal(e.to_string()))?.join("engine");
                // The bundle's native parts (pdfium, ONNX Runtime, the embedding model).
                let native = app.path().resource_dir().ok().map(|r| r.join("native"));
                let settings = folio_engine::EngineSettings::with_native_folder(native.as_deref());
                // Opening resumes unfinished documents and may take a moment: off the IPC thread.
                let engine = tauri::async_runtime::spawn_blocking(move || folio_engine::Engine::open(&dir, settings))
                    .await
                    .map_err(|e| folio_core::Error::Internal(format!("the local engine did not start: {e}")))?
                    .map_err(folio_core::Error::from)?;
                // Quoting until the language model is resolved just below.
                folio_answer::LocalBackend::new(engine, folio_answer::AnswerSettings::default())
                    .map_err(folio_core::Error::from)
            })
            .await?
            .clone();
        if !self.model_applied.swap(true, std::sync::atomic::Ordering::SeqCst) {
            self.apply_language_model(app, &local).await;
        }
        Ok(local)
    }

    /// Points the local backend at the language model the settings choose. A choice
    /// that does not work (Ollama stopped, say) falls back to quoting, with a log line;
    /// Settings' Test button says why in words.
    async fn apply_language_model<R: Runtime>(&self, app: &AppHandle<R>, local: &folio_answer::LocalBackend) {
        let settings = settings_store::load(app).unwrap_or_default();
        let key = read_secret(app, folio_core::SecretName::OpenAiKey).await.ok().flatten();
        let builtin = app.state::<crate::models::Models>().active(app);
        match folio_answer::model_choice::resolve(&settings.language_model, key, builtin.as_ref()).await {
            Ok(resolved) => {
                tracing::info!("{}", resolved.description);
                local.set_settings(resolved.settings);
            }
            Err(e) => {
                tracing::warn!("the chosen language model cannot be used, quoting instead: {e}");
                local.set_settings(folio_answer::AnswerSettings::default());
            }
        }
    }

    /// Settings were saved: the next answers use the language model they choose.
    pub async fn settings_changed<R: Runtime>(&self, app: &AppHandle<R>) {
        if let Some(local) = self.local.get() {
            self.apply_language_model(app, local).await;
        }
    }

    /// A secret changed: backends built with the old one are rebuilt on next use.
    pub async fn secrets_changed<R: Runtime>(&self, app: &AppHandle<R>) {
        *self.aihub.lock().await = None;
        *self.airia.lock().await = None;
        self.settings_changed(app).await;
    }

    async fn aihub<R: Runtime>(&self, app: &AppHandle<R>, settings: Settings) -> AppResult<Arc<dyn Backend>> {
        let aihub = settings.aihub;
        reuse_or_build(&self.aihub, aihub.clone(), || async move {
            let token = read_secret(app, folio_core::SecretName::AihubToken)
                .await?
                .ok_or_else(|| folio_core::Error::Auth("No AI Hub token is saved yet".into()))?;
            let config = folio_aihub::ClientConfig::from_settings(&aihub, token);
            // AI Hub cannot read prompts back: Folio keeps each account's chats itself.
            let account = folio_aihub::HistoryLog::account_folder(&aihub.api_root, aihub.ib_context.as_deref());
            let data = app.path().app_data_dir().map_err(|e| folio_core::Error::Internal(e.to_string()))?;
            let log = folio_aihub::HistoryLog::new(data.join("aihub-chats").join(account));
            Ok(Arc::new(folio_aihub::AiHubBackend::new(config).map_err(folio_core::Error::from)?.with_history(log))
                as Arc<dyn Backend>)
        })
        .await
    }

    async fn airia<R: Runtime>(&self, app: &AppHandle<R>, settings: Settings) -> AppResult<Arc<dyn Backend>> {
        let airia = settings.airia;
        reuse_or_build(&self.airia, airia.clone(), || async move {
            let config = airia_config(app, &airia).await?;
            let local = self.local(app).await?;
            Ok(Arc::new(folio_airia::AiriaBackend::new(config, local).map_err(folio_core::Error::from)?)
                as Arc<dyn Backend>)
        })
        .await
    }

    async fn pieces<R: Runtime>(&self, app: &AppHandle<R>, settings: Settings) -> AppResult<Arc<dyn Backend>> {
        let pieces = settings.pieces;
        reuse_or_build(&self.pieces, pieces.clone(), || async move {
            let local = self.local(app).await?;
            let backend = folio_pieces::PiecesBackend::new(folio_pieces::PiecesConfig::from_settings(&pieces), local)
                .map_err(folio_core::Error::from)?;
            Ok(Arc::new(backend) as Arc<dyn Backend>)
        })
        .await
    }

    /// AI Hub from the saved settings and token, whatever the active backend is (AI Hub
    /// chatbots are asked by id from the Chatbots screen).
    pub async fn aihub_backend<R: Runtime>(&self, app: &AppHandle<R>) -> AppResult<Arc<dyn Backend>> {
        let settings = settings_store::load(app)?;
        self.aihub(app, settings).await
    }
}

/// Airia's client settings from Folio's settings and the keychain.
pub async fn airia_config<R: Runtime>(
    app: &AppHandle<R>,
    settings: &folio_core::AiriaSettings,
) -> AppResult<folio_airia::AiriaConfig> {
    let secret = read_secret(app, folio_core::SecretName::AiriaKey)
        .await?
        .ok_or_else(|| folio_core::Error::Auth("No Airia API key or token is saved yet".into()))?;
    Ok(folio_airia::AiriaConfig::from_settings(settings, secret)?)
}
