//! How the local backend answers: with a language model (and which), or by quoting.

use std::time::Duration;

/// Which language model writes answers. None (the default on a fresh install): quote.
#[derive(Debug, Clone, PartialEq)]
pub enum ProviderSettings {
    /// An Ollama server (default address http://127.0.0.1:11434) and one of its models.
    Ollama { base_url: String, model: String },
    /// Any server speaking OpenAI's chat completions (`/v1/chat/completions`): the
    /// address up to and including `/v1`, the model, and the key if it needs one (the
    /// app reads it from the OS keychain and passes it in; it is never stored here).
    OpenAi { base_url: String, model: String, api_key: Option<String> },
    /// The built-in model: a GGUF file run inside Folio (folio-models). The app and the
    /// CLI pass the active model of the models folder (`ModelManager::active`).
    Builtin { model_path: std::path::PathBuf },
}

impl ProviderSettings {
    pub fn model(&self) -> &str {
        match self {
            ProviderSettings::Ollama { model, .. } | ProviderSettings::OpenAi { model, .. } => model,
            ProviderSettings::Builtin { model_path } => {
                model_path.file_name().and_then(|n| n.to_str()).unwrap_or("built-in model")
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct AnswerSettings {
    pub provider: Option<ProviderSettings>,
    /// Connecting to the model's server.
    pub connect_timeout: Duration,
    /// From the request to the first token (a model loading from disk takes a while).
    pub first_token_timeout: Duration,
    /// Longest pause between two tokens once the answer streams.
    pub token_gap_timeout: Duration,
}

impl Default for AnswerSettings {
    fn default() -> Self {
        AnswerSettings {
            provider: None,
            connect_timeout: Duration::from_secs(3),
            first_token_timeout: Duration::from_secs(120),
            token_gap_timeout: Duration::from_secs(30),
        }
    }
}
