//! The options that choose how `folio local` answers: quoting (the default, no model)
//! or a language model through Ollama or any OpenAI-compatible server. The key is read
//! from the environment so it never shows in a process list.

use clap::{Args, ValueEnum};
use folio_answer::model_choice;
use folio_answer::settings::AnswerSettings;
use folio_core::{LanguageModelSettings, ModelProvider};
use folio_models::InstalledModel;

#[derive(Args, Clone, Default)]
pub struct ModelArgs {
    /// Write answers with a language model: builtin (a GGUF model run inside Folio, see `folio models`), ollama (found at 127.0.0.1:11434) or an OpenAI-compatible server; without it Folio quotes the documents
    #[arg(long, visible_alias = "provider", env = "FOLIO_LLM", value_enum, global = true)]
    llm: Option<Llm>,
    /// The GGUF file for --llm builtin (default: the active model of `folio models`)
    #[arg(long, env = "FOLIO_MODEL_FILE", global = true, value_name = "FILE")]
    model_file: Option<std::path::PathBuf>,
    /// The model server's address (Ollama: http://127.0.0.1:11434; OpenAI-compatible: its API root, e.g. https://api.openai.com/v1)
    #[arg(long, env = "FOLIO_LLM_URL", global = true, value_name = "URL")]
    llm_url: Option<String>,
    /// The model (Ollama: the first one it lists when not given)
    #[arg(long, env = "FOLIO_LLM_MODEL", global = true, value_name = "NAME")]
    llm_model: Option<String>,
    /// API key for an OpenAI-compatible server (never printed)
    #[arg(long, env = "FOLIO_LLM_API_KEY", hide_env_values = true, global = true, value_name = "KEY")]
    llm_api_key: Option<String>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Llm {
    Builtin,
    Ollama,
    Openai,
}

impl ModelArgs {
    /// What `folio local models` prints: the chosen server's models, or Ollama's when
    /// none is chosen (`running: false` when nothing answers there).
    pub async fn models(&self) -> anyhow::Result<serde_json::Value> {
        if self.llm == Some(Llm::Builtin) {
            let installed = crate::models::manager(None)?.installed().map_err(folio_core::Error::from)?;
            return Ok(serde_json::json!({"builtin": {"installed": installed}}));
        }
        if self.llm == Some(Llm::Openai) {
            let settings = self.settings().await?;
            let provider = folio_answer::llm::provider(&settings)
                .ok_or_else(|| folio_core::Error::Internal("no provider".into()))?;
            let models = provider.models().await.map_err(folio_core::Error::from)?;
            return Ok(serde_json::json!({"openai": {"url": self.llm_url, "models": models}}));
        }
        let url = self.llm_url.clone().unwrap_or_else(|| folio_answer::llm::ollama::DEFAULT_URL.to_string());
        let found = folio_answer::llm::ollama::detect(Some(&url)).await;
        Ok(serde_json::json!({"ollama": {"url": url, "running": found.is_some(), "models": found.unwrap_or_default()}}))
    }

    /// The flags as the app's language-model choice, resolved by the same code the app
    /// uses (`folio_answer::model_choice`). Only what is about flags is checked here.
    pub async fn settings(&self) -> anyhow::Result<AnswerSettings> {
        let provider = match self.llm {
            None => return Ok(AnswerSettings::default()),
            Some(Llm::Builtin) => ModelProvider::Builtin,
            Some(Llm::Ollama) => ModelProvider::Ollama,
            Some(Llm::Openai) => {
                if self.llm_url.is_none() {
                    anyhow::bail!(folio_core::Error::InvalidInput(
                        "--llm openai needs --llm-url (the server's API root)".into()
                    ));
                }
                if self.llm_model.is_none() {
                    anyhow::bail!(folio_core::Error::InvalidInput("--llm openai needs --llm-model".into()));
                }
                ModelProvider::OpenAi
            }
        };
        let builtin = if provider == ModelProvider::Builtin { Some(self.builtin_model()?) } else { None };
        let choice = LanguageModelSettings { provider, endpoint: self.llm_url.clone(), model: self.llm_model.clone() };
        let resolved = model_choice::resolve(&choice, self.llm_api_key.clone(), builtin.as_ref()).await?;
        Ok(resolved.settings)
    }

    /// --model-file, or the active model of `folio models`.
    fn builtin_model(&self) -> anyhow::Result<InstalledModel> {
        if let Some(path) = &self.model_file {
            let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            return Ok(InstalledModel {
                id: name.clone(),
                name,
                file_name: path.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
                path: path.clone(),
                size_bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
                active: true,
            });
        }
        let active = crate::models::manager(None)?.active().map_err(folio_core::Error::from)?;
        Ok(active.ok_or_else(|| {
            folio_core::Error::NotFound(format!(
                "no built-in model is installed: run `folio models pull {}` (or pass --model-file FILE.gguf)",
                folio_models::CATALOGUE.iter().find(|e| e.recommended).map(|e| e.id).unwrap_or("ID")
            ))
        })?)
    }
}
