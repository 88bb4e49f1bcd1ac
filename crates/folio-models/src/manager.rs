//! The models folder: what is installed, downloading, deleting, and which model answers.
//!
//! The active model is stored in the folder itself (`active.txt`, one file name), so the
//! CLI and the app agree without sharing a settings store; with none chosen (or the
//! chosen one deleted) the first installed model in catalogue order is active, so
//! installing a model is enough to start using it.

use crate::catalogue::{self, CatalogueEntry, CATALOGUE, DEFAULT_BASE_URL};
use crate::download::{self, DownloadProgress};
use crate::error::{ModelsError, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

const ACTIVE_FILE: &str = "active.txt";

/// A catalogue model as the model manager shows it: what it is and its state here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ModelInfo {
    pub id: String,
    pub name: String,
    pub file_name: String,
    #[ts(type = "number")]
    pub size_bytes: u64,
    #[ts(type = "number")]
    pub memory_bytes: u64,
    pub licence: String,
    pub good_for: String,
    pub recommended: bool,
    pub installed: bool,
    /// Bytes of a paused or interrupted download (0 when none): "Resume" instead of "Download".
    #[ts(type = "number")]
    pub partial_bytes: u64,
    pub active: bool,
}

/// A GGUF file in the models folder (from the catalogue or put there by hand).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InstalledModel {
    /// The catalogue id, or the file name for a file not in the catalogue.
    pub id: String,
    pub name: String,
    pub file_name: String,
    #[ts(type = "string")]
    pub path: PathBuf,
    #[ts(type = "number")]
    pub size_bytes: u64,
    pub active: bool,
}

pub struct ModelManager {
    dir: PathBuf,
    base_url: String,
    catalogue: Vec<CatalogueEntry>,
    client: reqwest::Client,
}

impl ModelManager {
    /// Manages `dir` (created when missing), downloading from `FOLIO_MODEL_MIRROR` if set,
    /// else Hugging Face.
    pub fn new(dir: impl Into<PathBuf>) -> Result<Self> {
        let base = std::env::var("FOLIO_MODEL_MIRROR").ok().filter(|s| !s.trim().is_empty());
        Self::with_base_url(dir, base.as_deref().unwrap_or(DEFAULT_BASE_URL), CATALOGUE.to_vec())
    }

    /// Another download base and catalogue: a mirror, or a loopback server in tests.
    pub fn with_base_url(dir: impl Into<PathBuf>, base_url: &str, catalogue: Vec<CatalogueEntry>) -> Result<Self> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir)
            .map_err(|e| ModelsError::io(format!("could not create the models folder {}", dir.display()), e))?;
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            // Between two pieces of the body, not the whole download.
            .read_timeout(Duration::from_secs(60))
            .user_agent(concat!("Folio/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ModelsError::Internal(format!("could not set up downloads: {e}")))?;
        Ok(ModelManager { dir, base_url: base_url.trim_end_matches('/').to_string(), catalogue, client })
    }

    /// `FOLIO_MODELS_DIR`, else `$XDG_DATA_HOME/folio/models` (~/.local/share/folio/models).
    /// The app passes its own data folder to `new` instead.
    pub fn default_dir() -> PathBuf {
        if let Some(d) = std::env::var_os("FOLIO_MODELS_DIR") {
            return PathBuf::from(d);
        }
        let data = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
            .unwrap_or_else(|| PathBuf::from("."));
        data.join("folio").join("models")
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every catalogue model with its state here.
    pub fn catalogue(&self) -> Result<Vec<ModelInfo>> {
        let active = self.active()?.map(|m| m.file_name);
        Ok(self
            .catalogue
            .iter()
            .map(|e| {
                let path = self.dir.join(e.file_name);
                ModelInfo {
                    id: e.id.into(),
                    name: e.name.into(),
                    file_name: e.file_name.into(),
                    size_bytes: e.size_bytes,
                    memory_bytes: e.memory_bytes,
                    licence: e.licence.into(),
                    good_for: e.good_for.into(),
                    recommended: e.recommended,
                    installed: path.is_file(),
                    partial_bytes: std::fs::metadata(download::part_path(&path)).map(|m| m.len()).unwrap_or(0),
                    active: active.as_deref() == Some(e.file_name),
                }
            })
            .collect())
    }

    /// The model files in the folder: catalogue ones first (in catalogue order), then any
    /// other `.gguf` put there by hand, by name.
    pub fn installed(&self) -> Result<Vec<InstalledModel>> {
        let mut found = self.files()?;
        let chosen = self.chosen();
        let order = |file: &str| self.catalogue.iter().position(|e| e.file_name == file).unwrap_or(usize::MAX);
        found.sort_by(|a, b| order(&a.0).cmp(&order(&b.0)).then(a.0.cmp(&b.0)));
        let active =
            chosen.filter(|c| found.iter().any(|(f, _)| f == c)).or_else(|| found.first().map(|(f, _)| f.clone()));
        Ok(found
            .into_iter()
            .map(|(file_name, size)| {
                let entry = self.catalogue.iter().find(|e| e.file_name == file_name);
                InstalledModel {
                    id: entry.map(|e| e.id.to_string()).unwrap_or_else(|| file_name.clone()),
                    name: entry
                        .map(|e| e.name.to_string())
                        .unwrap_or_else(|| file_name.trim_end_matches(".gguf").to_string()),
                    path: self.dir.join(&file_name),
                    size_bytes: size,
                    active: active.as_deref() == Some(file_name.as_str()),
                    file_name,
                }
            })
            .collect())
    }

    /// The model that answers: the chosen one, else the first installed; None when no
    /// model is installed (Folio then quotes and offers the recommended download).
    pub fn active(&self) -> Result<Option<InstalledModel>> {
        Ok(self.installed()?.into_iter().find(|m| m.active))
    }

    /// Chooses the model that answers (catalogue id or file name); it must be installed.
    pub fn set_active(&self, id: &str) -> Result<InstalledModel> {
        let model = self.find_installed(id)?;
        let path = self.dir.join(ACTIVE_FILE);
        std::fs::write(&path, format!("{}\n", model.file_name))
            .map_err(|e| ModelsError::io(format!("could not write {}", path.display()), e))?;
        Ok(InstalledModel { active: true, ..model })
    }

    /// Deletes an installed model and any partial download of it.
    pub fn delete(&self, id: &str) -> Result<()> {
        let file_name = match self.find_installed(id) {
            Ok(m) => m.file_name,
            // A paused download of a catalogue model can be deleted too.
            Err(e) => match catalogue::find(&self.catalogue, id) {
                Some(entry) if download::part_path(&self.dir.join(entry.file_name)).exists() => {
                    entry.file_name.to_string()
                }
                _ => return Err(e),
            },
        };
        let path = self.dir.join(&file_name);
        for p in [download::part_path(&path), path.clone()] {
            match std::fs::remove_file(&p) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(ModelsError::io(format!("could not delete {}", p.display()), e)),
            }
        }
        if self.chosen().as_deref() == Some(file_name.as_str()) {
            std::fs::remove_file(self.dir.join(ACTIVE_FILE)).ok();
        }
        Ok(())
    }

    /// Downloads a catalogue model (resuming a partial download), verifies its sha256 and
    /// installs it. `cancel` pauses: the partial file stays and the next call resumes.
    /// Errors say what to do: no network, disk too small, checksum mismatch.
    pub async fn download(
        &self,
        id: &str,
        on_progress: &mut (dyn FnMut(&DownloadProgress) + Send),
        cancel: &CancellationToken,
    ) -> Result<InstalledModel> {
        let entry = catalogue::find(&self.catalogue, id).ok_or_else(|| self.unknown(id))?.clone();
        let dest = self.dir.join(entry.file_name);
        if !dest.is_file() {
            let job = download::Job {
                client: &self.client,
                model_id: entry.id,
                name: entry.name,
                url: format!("{}/{}", self.base_url, entry.url_path),
                dest,
                expected_size: entry.size_bytes,
                sha256: entry.sha256,
            };
            download::run(job, on_progress, cancel).await?;
        }
        self.find_installed(entry.id)
    }

    fn find_installed(&self, id: &str) -> Result<InstalledModel> {
        let file =
            catalogue::find(&self.catalogue, id).map(|e| e.file_name.to_string()).unwrap_or_else(|| id.to_string());
        self.installed()?.into_iter().find(|m| m.file_name == file || m.id == id).ok_or_else(|| {
            ModelsError::NotFound(format!(
                "the model {id} is not installed (see `folio models list`; install it with `folio models pull {id}`)"
            ))
        })
    }

    fn unknown(&self, id: &str) -> ModelsError {
        let ids: Vec<_> = self.catalogue.iter().map(|e| e.id).collect();
        ModelsError::NotFound(format!(
            "there is no model called {id} in the catalogue; choose one of: {}",
            ids.join(", ")
        ))
    }

    fn chosen(&self) -> Option<String> {
        std::fs::read_to_string(self.dir.join(ACTIVE_FILE)).ok().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
    }

    fn files(&self) -> Result<Vec<(String, u64)>> {
        let entries = std::fs::read_dir(&self.dir)
            .map_err(|e| ModelsError::io(format!("could not read the models folder {}", self.dir.display()), e))?;
        let mut out = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let meta = match entry.metadata() {
                Ok(m) if m.is_file() => m,
                _ => continue,
            };
            if name.ends_with(".gguf") {
                out.push((name, meta.len()));
            }
        }
        Ok(out)
    }
}
