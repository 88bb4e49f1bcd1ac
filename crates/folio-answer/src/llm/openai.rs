//! Any OpenAI-compatible server (OpenAI, LM Studio, llama.cpp's server, vLLM...):
//! models from `GET {base}/models`, answers from `POST {base}/chat/completions` with
//! `stream: true`, as server-sent events (`data: {...}` lines, then `data: [DONE]`).

use super::stream::{status_error, text_capped, Lines, Timeouts, MAX_BODY_BYTES};
use super::{unavailable, ChatMessage, Provider, TokenSink};
use crate::error::{AnswerError, Result};
use async_trait::async_trait;
use folio_core::ErrorKind;
use serde_json::{json, Value};
use std::time::Duration;

pub struct OpenAi {
    base: String,
    model: String,
    api_key: Option<String>,
    timeouts: Timeouts,
}

impl OpenAi {
    /// `base_url` is the API root (`https://api.openai.com/v1`); a bare address
    /// (`http://localhost:1234`) gets `/v1`, as every compatible server serves it there.
    pub fn new(base_url: String, model: String, api_key: Option<String>, timeouts: Timeouts) -> OpenAi {
        let mut base = base_url.trim_end_matches('/').to_string();
        let has_path = base.split_once("://").map(|(_, rest)| rest.contains('/')).unwrap_or(false);
        if !has_path {
            base.push_str("/v1");
        }
        OpenAi { base, model, api_key: api_key.filter(|k| !k.is_empty()), timeouts }
    }

    fn what(&self) -> String {
        format!("the model server at {}", self.base)
    }

    fn authorise(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.api_key {
            Some(key) => request.bearer_auth(key),
            None => request,
        }
    }
}

#[async_trait]
impl Provider for OpenAi {
    fn describe(&self) -> String {
        format!("{} at {}", self.model, self.base)
    }

    async fn models(&self) -> Result<Vec<String>> {
        let client = self.timeouts.client()?;
        let request =
            client.get(format!("{}/models", self.base)).timeout(self.timeouts.connect + Duration::from_secs(10));
        let response = self.authorise(request).send().await.map_err(|e| unavailable(&self.what(), &e))?;
        let status = response.status();
        let body = text_capped(response, MAX_BODY_BYTES, &self.what()).await?;
        if !status.is_success() {
            return Err(status_error(&self.what(), &self.model, status, &body, false));
        }
        let v: Value = serde_json::from_str(&body).map_err(|e| {
            AnswerError::provider(
                ErrorKind::Unavailable,
                format!("{} sent a model list that is not JSON: {e}", self.what()),
            )
        })?;
        Ok(v["data"]
            .as_array()
            .map(|ms| ms.iter().filter_map(|m| m["id"].as_str().map(str::to_string)).collect())
            .unwrap_or_default())
    }

    async fn chat(&self, messages: &[ChatMessage], sink: TokenSink<'_>) -> Result<String> {
        let client = self.timeouts.client()?;
        let body = json!({"model": self.model, "messages": messages, "stream": true, "temperature": 0});
        let request = self.authorise(
            client
                .post(format!("{}/chat/completions", self.base))
                .header("Content-Type", "application/json")
                .body(body.to_string()),
        );
        let response = tokio::time::timeout(self.timeouts.first_token, request.send())
            .await
            .map_err(|_| AnswerError::provider(ErrorKind::Timeout, format!("{} did not answer in time", self.what())))?
            .map_err(|e| unavailable(&self.what(), &e))?;
        let status = response.status();
        if !status.is_success() {
            let text = text_capped(response, MAX_BODY_BYTES, &self.what()).await.unwrap_or_default();
            return Err(status_error(&self.what(), &self.model, status, &text, false));
        }
        let mut lines = Lines::new(response, self.timeouts, &self.what());
        let mut answer = String::new();
        while let Some(line) = lines.next().await? {
            // Events are `data: ...` lines; comments (`: keep-alive`), `event:` and blank
            // separators carry nothing for us.
            let Some(data) = line.strip_prefix("data:") else { continue };
            let data = data.trim();
            if data == "[DONE]" {
                return Ok(answer);
            }
            let v: Value = serde_json::from_str(data).map_err(|e| {
                AnswerError::provider(
                    ErrorKind::Unavailable,
                    format!("{} sent an event that is not JSON: {e}", self.what()),
                )
            })?;
            if v.get("error").is_some() {
                return Err(status_error(&self.what(), &self.model, reqwest::StatusCode::BAD_GATEWAY, data, false));
            }
            if let Some(piece) = v["choices"][0]["delta"]["content"].as_str() {
                if !piece.is_empty() {
                    sink(piece);
                    answer.push_str(piece);
                }
            }
        }
        Err(AnswerError::provider(
            ErrorKind::Unavailable,
            format!("the connection to {} was lost mid-answer (the stream ended without [DONE])", self.what()),
        ))
    }
}
