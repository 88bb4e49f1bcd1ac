//! The options that choose how `folio local` answers: quoting (the default, no model)
//! or a language model through Ollama or any OpenAI-compatible server. The key is read
//! from the environment so it never shows in a process list.

use clap::{Args, ValueEnum};
use folio_answer::settings::{AnswerSettings, ProviderSettings};

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

    pub async fn settings(&self) -> anyhow::Result<AnswerSettings> {
        let provider = match self.llm {
            None => None,
            Some(Llm::Builtin) => {
                let model_path = match &self.model_file {
                    Some(f) => f.clone(),
                    None => {
                        let active = crate::models::manager(None)?.active().map_err(folio_core::Error::from)?;
                        active.map(|m| m.path).ok_or_else(|| {
                            folio_core::Error::NotFound(format!(
                                "no built-in model is installed: run `folio models pull {}` (or pass --model-file FILE.gguf)",
                                folio_models::CATALOGUE.iter().find(|e| e.recommended).map(|e| e.id).unwrap_or("ID")
                            ))
                        })?
                    }
                };
                Some(ProviderSettings::Builtin { model_path })
            }
            Some(Llm::Ollama) => {
                let base_url =
                    self.llm_url.clone().unwrap_or_else(|| folio_answer::llm::ollama::DEFAULT_URL.to_string());
                let model = match &self.llm_model {
                    Some(m) => m.clone(),
                    None => {
                        let models = folio_answer::llm::ollama::detect(Some(&base_url)).await.ok_or_else(|| {
                            folio_core::Error::Unavailable(format!("Ollama is not running at {base_url}"))
                        })?;
                        models.into_iter().next().ok_or_else(|| {
                            folio_core::Error::NotFound(format!(
                                "Ollama at {base_url} has no models: run `ollama pull llama3.2`"
                            ))
                        })?
                    }
                };
                Some(ProviderSettings::Ollama { base_url, model })
            }
            Some(Llm::Openai) => {
                let base_url = self.llm_url.clone().ok_or_else(|| {
                    folio_core::Error::InvalidInput("--llm openai needs --llm-url (the server's API root)".into())
                })?;
                let model = self
                    .llm_model
                    .clone()
                    .ok_or_else(|| folio_core::Error::InvalidInput("--llm openai needs --llm-model".into()))?;
                Some(ProviderSettings::OpenAi { base_url, model, api_key: self.llm_api_key.clone() })
            }
        };
        Ok(AnswerSettings { provider, ..Default::default() })
    }
}
