//! The built-in model: a GGUF file run inside Folio by folio-models (llama.cpp), so a
//! written answer needs no other software. Same prompt, same citation mapping as the
//! servers; the model's own chat template shapes the prompt. Dropping the `chat` future
//! (the Stop button) stops the generating thread at its next token.

use super::{ChatMessage, Provider, TokenSink};
use crate::error::{AnswerError, Result};
use folio_core::ErrorKind;
use folio_models::{GenerateOptions, LoadOptions, Message, ModelsError, Runner};
use std::path::PathBuf;
use std::time::Duration;

pub struct Builtin {
    model_path: PathBuf,
    /// Longest wait for the first piece (reading a long prompt on a slow machine).
    first_token: Duration,
    load: LoadOptions,
    /// Tokens written at most: a written answer is one or two sentences, and each token
    /// costs ~25 ms for a 0.5B model on 2 cores.
    max_tokens: usize,
}

/// Enough for two sentences; a model that goes on is cut (and its answer checked).
pub const MAX_TOKENS: usize = 160;

impl Builtin {
    pub fn new(model_path: PathBuf, first_token: Duration) -> Builtin {
        Builtin { model_path, first_token, load: LoadOptions::default(), max_tokens: MAX_TOKENS }
    }

    /// With a memory limit instead of the system's free memory (tests).
    pub fn with_load_options(mut self, load: LoadOptions) -> Builtin {
        self.load = load;
        self
    }

    fn name(&self) -> String {
        self.model_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.model_path.display().to_string())
    }
}

fn provider_error(e: ModelsError) -> AnswerError {
    AnswerError::provider(e.kind(), format!("the built-in model: {e}"))
}

#[async_trait::async_trait]
impl Provider for Builtin {
    fn describe(&self) -> String {
        format!("the built-in model ({})", self.name())
    }

    async fn models(&self) -> Result<Vec<String>> {
        Ok(vec![self.name()])
    }

    async fn chat(&self, messages: &[ChatMessage], sink: TokenSink<'_>) -> Result<String> {
        let path = self.model_path.clone();
        let load = self.load.clone();
        // Loading reads the file (seconds for a real model): off the async threads.
        let runner = tokio::task::spawn_blocking(move || Runner::shared(&path, &load))
            .await
            .map_err(|e| AnswerError::Internal(format!("loading the built-in model failed: {e}")))?
            .map_err(provider_error)?;
        let messages = messages.iter().map(|m| Message::new(m.role, m.content.clone())).collect();
        let mut stream = folio_models::spawn(
            runner,
            messages,
            GenerateOptions { max_tokens: self.max_tokens, ..GenerateOptions::default() },
        );
        let mut answer = String::new();
        let mut first = true;
        loop {
            let piece = if first {
                match tokio::time::timeout(self.first_token, stream.next()).await {
                    Ok(p) => p,
                    Err(_) => {
                        return Err(AnswerError::provider(
                            ErrorKind::Timeout,
                            format!(
                                "{} took more than {} s to start answering; a smaller model answers sooner",
                                self.describe(),
                                self.first_token.as_secs()
                            ),
                        ))
                    }
                }
            } else {
                stream.next().await
            };
            first = false;
            match piece {
                Some(p) => {
                    sink(&p);
                    answer.push_str(&p);
                }
                None => break,
            }
        }
        stream.finish().await.map_err(provider_error)?;
        if answer.trim().is_empty() {
            // An empty answer is no answer: the quoted one is shown instead, with this reason.
            return Err(AnswerError::provider(
                ErrorKind::Unavailable,
                format!("{} wrote nothing; try again or choose another model", self.describe()),
            ));
        }
        Ok(answer)
    }
}
