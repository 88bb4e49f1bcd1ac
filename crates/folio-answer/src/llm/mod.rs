//! Language models that write answers from retrieved passages. A provider streams the
//! answer token by token; `prompt` numbers the passages and `citations` maps the
//! model's [n] markers back to pages, dropping any that point outside the passages given.

pub mod builtin;
pub mod citations;
pub mod guard;
pub mod ollama;
pub mod openai;
pub mod prompt;
mod stream;
pub mod written;
pub use stream::Timeouts;

use crate::error::{AnswerError, Result};
use crate::settings::{AnswerSettings, ProviderSettings};
use async_trait::async_trait;
use folio_core::ErrorKind;

/// One message of a chat with the model.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ChatMessage {
    pub role: &'static str,
    pub content: String,
}

/// Called with each piece of the answer as it arrives (one type for every backend).
pub use folio_core::TokenSink;

#[async_trait]
pub trait Provider: Send + Sync {
    /// "Ollama (llama3.2) at http://127.0.0.1:11434", for messages.
    fn describe(&self) -> String;
    /// The models the server offers.
    async fn models(&self) -> Result<Vec<String>>;
    /// Streams the answer to `sink` and returns it whole. A stream that ends before the
    /// server said it was done is an error (a cut answer is never passed off as whole).
    async fn chat(&self, messages: &[ChatMessage], sink: TokenSink<'_>) -> Result<String>;
}

pub fn provider(settings: &AnswerSettings) -> Option<Box<dyn Provider>> {
    let timeouts = stream::Timeouts {
        connect: settings.connect_timeout,
        first_token: settings.first_token_timeout,
        gap: settings.token_gap_timeout,
    };
    match settings.provider.clone()? {
        ProviderSettings::Ollama { base_url, model } => Some(Box::new(ollama::Ollama::new(base_url, model, timeouts))),
        ProviderSettings::OpenAi { base_url, model, api_key } => {
            Some(Box::new(openai::OpenAi::new(base_url, model, api_key, timeouts)))
        }
        ProviderSettings::Builtin { model_path } => {
            Some(Box::new(builtin::Builtin::new(model_path, settings.first_token_timeout)))
        }
    }
}

pub(crate) fn unavailable(what: &str, e: &reqwest::Error) -> AnswerError {
    if e.is_timeout() {
        AnswerError::provider(ErrorKind::Timeout, format!("{what} did not answer in time"))
    } else if e.is_connect() {
        AnswerError::provider(ErrorKind::Unavailable, format!("{what} is not reachable (is it running?)"))
    } else {
        AnswerError::provider(ErrorKind::Unavailable, format!("{what} failed: {e}"))
    }
}
