//! Ollama (https://github.com/ollama/ollama/blob/main/docs/api.md): models from
//! `GET /api/tags`, answers streamed from `POST /api/chat` as one JSON object per line,
//! the last with `"done": true`. Found automatically at 127.0.0.1:11434.

use super::stream::{status_error, text_capped, Lines, Timeouts, MAX_BODY_BYTES};
use super::{unavailable, ChatMessage, Provider, TokenSink};
use crate::error::{AnswerError, Result};
use async_trait::async_trait;
use folio_core::ErrorKind;
use serde_json::{json, Value};
use std::time::Duration;

pub const DEFAULT_URL: &str = "http://127.0.0.1:11434";

pub struct Ollama {
    base: String,
    model: String,
    timeouts: Timeouts,
}

impl Ollama {
    pub fn new(base_url: String, model: String, timeouts: Timeouts) -> Ollama {
        Ollama { base: base_url.trim_end_matches('/').to_string(), model, timeouts }
    }

    fn what(&self) -> String {
        format!("Ollama at {}", self.base)
    }
}

/// The models of an Ollama server at `base_url` (DEFAULT_URL when None), or None when
/// nothing answers there quickly: how the app offers Ollama without any setup.
pub async fn detect(base_url: Option<&str>) -> Option<Vec<String>> {
    let base = base_url.unwrap_or(DEFAULT_URL).to_string();
    let probe = Ollama::new(
        base,
        String::new(),
        Timeouts {
            connect: Duration::from_millis(500),
            first_token: Duration::from_secs(2),
            gap: Duration::from_secs(2),
        },
    );
    probe.models().await.ok()
}

#[async_trait]
impl Provider for Ollama {
    fn describe(&self) -> String {
        format!("Ollama ({}) at {}", self.model, self.base)
    }

    async fn models(&self) -> Result<Vec<String>> {
        let client = self.timeouts.client()?;
        let response = client
            .get(format!("{}/api/tags", self.base))
            .timeout(self.timeouts.connect + Duration::from_secs(5))
            .send()
            .await
            .map_err(|e| unavailable(&self.what(), &e))?;
        let status = response.status();
        let body = text_capped(response, MAX_BODY_BYTES, &self.what()).await?;
        if !status.is_success() {
            return Err(status_error(&self.what(), &self.model, status, &body, true));
        }
        let v: Value = serde_json::from_str(&body).map_err(|e| {
            AnswerError::provider(
                ErrorKind::Unavailable,
                format!("{} sent a model list that is not JSON: {e}", self.what()),
            )
        })?;
        Ok(v["models"]
            .as_array()
            .map(|ms| {
                ms.iter().filter_map(|m| m["name"].as_str().or(m["model"].as_str()).map(str::to_string)).collect()
            })
            .unwrap_or_default())
    }

    async fn chat(&self, messages: &[ChatMessage], sink: TokenSink<'_>) -> Result<String> {
        let client = self.timeouts.client()?;
        let body = json!({"model": self.model, "messages": messages, "stream": true, "options": {"temperature": 0}});
        let response = tokio::time::timeout(
            self.timeouts.first_token,
            client
                .post(format!("{}/api/chat", self.base))
                .header("Content-Type", "application/json")
                .body(body.to_string())
                .send(),
        )
        .await
        .map_err(|_| AnswerError::provider(ErrorKind::Timeout, format!("{} did not answer in time", self.what())))?
        .map_err(|e| unavailable(&self.what(), &e))?;
        let status = response.status();
        if !status.is_success() {
            let text = text_capped(response, MAX_BODY_BYTES, &self.what()).await.unwrap_or_default();
            return Err(status_error(&self.what(), &self.model, status, &text, true));
        }
        let mut lines = Lines::new(response, self.timeouts, &self.what());
        let mut answer = String::new();
        while let Some(line) = lines.next().await? {
            if line.trim().is_empty() {
                continue;
            }
            let v: Value = serde_json::from_str(&line).map_err(|e| {
                AnswerError::provider(
                    ErrorKind::Unavailable,
                    format!("{} sent a line that is not JSON: {e}", self.what()),
                )
            })?;
            if let Some(err) = v["error"].as_str() {
                return Err(status_error(
                    &self.what(),
                    &self.model,
                    reqwest::StatusCode::BAD_GATEWAY,
                    &json!({"error": err}).to_string(),
                    true,
                ));
            }
            if let Some(piece) = v["message"]["content"].as_str() {
                if !piece.is_empty() {
                    sink(piece);
                    answer.push_str(piece);
                }
            }
            if v["done"].as_bool() == Some(true) {
                return Ok(answer);
            }
        }
        Err(AnswerError::provider(
            ErrorKind::Unavailable,
            format!("the connection to {} was lost mid-answer (the stream ended before it was done)", self.what()),
        ))
    }
}
