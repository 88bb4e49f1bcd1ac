//! `AiriaClient`: one method per Airia operation Folio uses, sent as the SDK 0.1.41
//! sends it: urljoin'd URLs, one credential header, a fresh `X-Correlation-ID` on every
//! request, camelCase JSON with explicit nulls, and requests' time-out semantics (30 s to
//! connect, 30 s of silence while reading). No retries, as the SDK: a repeated chat turn
//! would be a second question in Airia's history.

use crate::config::{check_id, join, AiriaConfig, Auth};
use crate::error::{redact, server_message, AiriaError};
use crate::sse::{SseParser, Step, StreamState};
use crate::wire::*;
use folio_core::TokenSink;
use serde::de::DeserializeOwned;
use std::time::Duration;

type Result<T> = std::result::Result<T, AiriaError>;

/// The longest Retry-After believed; longer values (`1e30`, year 9999) are read as this.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);
/// The most bytes of one JSON answer kept in memory (Airia's are kilobytes).
pub const MAX_ANSWER_BYTES: usize = 64 * 1024 * 1024;
/// The longest single server-sent event (one token or status message is far smaller).
pub const MAX_EVENT_BYTES: usize = 1024 * 1024;
/// The longest streamed answer, in bytes of text.
pub const MAX_STREAMED_ANSWER_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct AiriaClient {
    http: reqwest::Client,
    config: AiriaConfig,
}

/// A streamed answer that Airia said was complete.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamedAnswer {
    pub text: String,
    pub execution_id: Option<String>,
    pub events: usize,
}

/// What "Test connection" found, in words.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ConnectionReport {
    pub ok: bool,
    pub message: String,
}

impl AiriaClient {
    pub fn new(config: AiriaConfig) -> Result<Self> {
        if config.user_id.trim().is_empty() {
            return Err(AiriaError::Input(
                "Airia needs a user id (the Airia user Folio's conversations belong to)".into(),
            ));
        }
        check_id("pipeline id", &config.pipeline_id).map_err(AiriaError::Input)?;
        if config.auth.secret().trim().is_empty() {
            return Err(AiriaError::Input(format!("the Airia {} is empty", config.auth.describe())));
        }
        if !(config.base_url.starts_with("http://") || config.base_url.starts_with("https://")) {
            return Err(AiriaError::Input(format!(
                "the Airia base URL \"{}\" must start with https:// (for example {})",
                config.base_url,
                crate::config::DEFAULT_BASE_URL
            )));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(config.timeout)
            .read_timeout(config.timeout)
            // The credential is a custom header (`X-API-KEY`) that reqwest would carry to
            // any host a redirect names: only same-origin redirects are followed.
            .redirect(folio_http::same_origin_redirects(10))
            .build()
            .map_err(|e| AiriaError::Input(format!("could not set up HTTP: {e}")))?;
        Ok(AiriaClient { http, config })
    }

    pub fn config(&self) -> &AiriaConfig {
        &self.config
    }

    fn request(&self, method: reqwest::Method, relative: &str) -> reqwest::RequestBuilder {
        let url = join(&self.config.base_url, relative);
        let builder = self.http.request(method, url).header("X-Correlation-ID", uuid::Uuid::new_v4().to_string());
        let (name, value) = match &self.config.auth {
            Auth::ApiKey(key) => ("X-API-KEY", key.expose().to_string()),
            Auth::Bearer(token) => ("Authorization", format!("Bearer {}", token.expose())),
        };
        let mut value = reqwest::header::HeaderValue::from_str(&value)
            .unwrap_or_else(|_| reqwest::header::HeaderValue::from_static(""));
        value.set_sensitive(true);
        builder.header(name, value)
    }

    fn json_body<T: serde::Serialize>(builder: reqwest::RequestBuilder, body: &T) -> Result<reqwest::RequestBuilder> {
        let bytes =
            serde_json::to_vec(body).map_err(|e| AiriaError::Input(format!("could not write the request: {e}")))?;
        Ok(builder.header("Content-Type", "application/json").body(bytes))
    }

    /// Sends and turns transport failures and non-2xx answers into errors.
    async fn send(&self, operation: &str, builder: reqwest::RequestBuilder) -> Result<reqwest::Response> {
        let url = builder
            .try_clone()
            .and_then(|b| b.build().ok())
            .map(|r| r.url().to_string())
            .unwrap_or_else(|| self.config.base_url.clone());
        let response = builder.send().await.map_err(|e| self.transport_error(operation, &url, e))?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| folio_http::retry_after(v, MAX_RETRY_AFTER));
        let body =
            folio_http::read_capped(response, MAX_ANSWER_BYTES).await.ok().and_then(|r| r.ok()).unwrap_or_default();
        Err(AiriaError::Status {
            operation: operation.to_string(),
            status: status.as_u16(),
            message: server_message(status.as_u16(), &body, self.config.auth.secret()),
            retry_after,
        })
    }

    fn transport_error(&self, operation: &str, url: &str, e: reqwest::Error) -> AiriaError {
        let detail = redact(&error_chain(&e), self.config.auth.secret());
        if e.is_timeout() {
            AiriaError::Timeout { operation: operation.to_string(), after: self.config.timeout }
        } else if e.is_connect() {
            AiriaError::Connect { operation: operation.to_string(), url: url.to_string(), detail }
        } else {
            AiriaError::ConnectionLost { operation: operation.to_string(), detail }
        }
    }

    async fn read_json<T: DeserializeOwned>(&self, operation: &str, response: reqwest::Response) -> Result<T> {
        let body = folio_http::read_capped(response, MAX_ANSWER_BYTES).await.map_err(|e| {
            if e.is_timeout() {
                AiriaError::Timeout { operation: operation.to_string(), after: self.config.timeout }
            } else {
                AiriaError::ConnectionLost { operation: operation.to_string(), detail: error_chain(&e) }
            }
        })?;
        let body = body.map_err(|max| AiriaError::Malformed {
            operation: operation.to_string(),
            detail: format!("the answer is larger than {max} bytes; not read"),
        })?;
        serde_json::from_slice(&body)
            .map_err(|e| AiriaError::Malformed { operation: operation.to_string(), detail: e.to_string() })
    }

    /// `POST v1/Conversations`.
    pub async fn create_conversation(&self, request: &CreateConversationRequest) -> Result<CreateConversationResponse> {
        let op = "create an Airia conversation";
        let builder = Self::json_body(self.request(reqwest::Method::POST, "v1/Conversations"), request)?;
        let response = self.send(op, builder).await?;
        self.read_json(op, response).await
    }

    /// A create request for this client's user and deployment.
    pub fn new_conversation(&self, title: Option<String>) -> CreateConversationRequest {
        CreateConversationRequest {
            user_id: self.config.user_id.clone(),
            title,
            deployment_id: self.config.deployment_id.clone(),
            data_source_files: Default::default(),
            is_bookmarked: false,
        }
    }

    /// `GET v1/Conversations/{id}`: the conversation with its messages.
    pub async fn get_conversation(&self, id: &str) -> Result<GetConversationResponse> {
        check_id("conversation id", id).map_err(AiriaError::Input)?;
        let op = "read the Airia conversation";
        let response = self.send(op, self.request(reqwest::Method::GET, &format!("v1/Conversations/{id}"))).await?;
        self.read_json(op, response).await
    }

    /// `DELETE v1/Conversations/{id}`; any 2xx is success and the body is not read.
    pub async fn delete_conversation(&self, id: &str) -> Result<()> {
        check_id("conversation id", id).map_err(AiriaError::Input)?;
        let builder =
            self.request(reqwest::Method::DELETE, &format!("v1/Conversations/{id}")).header("Content-Length", "0");
        self.send("delete the Airia conversation", builder).await?;
        Ok(())
    }

    fn pipeline_request(&self, request: &PipelineExecutionRequest) -> Result<reqwest::RequestBuilder> {
        if request.user_input.trim().is_empty() {
            return Err(AiriaError::Input("the question is empty".into()));
        }
        if let Some(id) = &request.conversation_id {
            check_id("conversation id", id).map_err(AiriaError::Input)?;
        }
        let path = format!("v2/PipelineExecution/{}", self.config.pipeline_id);
        Self::json_body(self.request(reqwest::Method::POST, &path), request)
    }

    /// A chat turn for this client's user in an Airia conversation.
    pub fn chat_turn(
        &self,
        conversation_id: Option<&str>,
        user_input: impl Into<String>,
        stream: bool,
    ) -> PipelineExecutionRequest {
        PipelineExecutionRequest {
            user_id: Some(self.config.user_id.clone()),
            conversation_id: conversation_id.map(str::to_string),
            async_output: stream,
            ..PipelineExecutionRequest::new(user_input)
        }
    }

    /// `POST v2/PipelineExecution/{pipelineId}` with `asyncOutput: false`.
    pub async fn execute(&self, request: &PipelineExecutionRequest) -> Result<PipelineExecutionResponse> {
        let op = "get an answer from the Airia pipeline";
        let response = self.send(op, self.pipeline_request(request)?).await?;
        self.read_json(op, response).await
    }

    /// The same with `asyncOutput: true`: the answer's text goes to `sink` as Airia writes
    /// it. Returns only an answer Airia said was finished; a stream that stops before
    /// that is [`AiriaError::StreamCut`]. Dropping the future closes the connection.
    pub async fn execute_streaming(
        &self,
        request: &PipelineExecutionRequest,
        sink: TokenSink<'_>,
    ) -> Result<StreamedAnswer> {
        let op = "get an answer from the Airia pipeline";
        let mut request = request.clone();
        request.async_output = true;
        let mut response = self.send(op, self.pipeline_request(&request)?).await?;
        let is_json = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if is_json {
            // A pipeline that does not stream answers in one piece.
            let whole: PipelineExecutionResponse = self.read_json(op, response).await?;
            let text = whole.result.unwrap_or_default();
            sink(&text);
            return Ok(StreamedAnswer { text, execution_id: whole.execution_id, events: 0 });
        }
        let mut parser = SseParser::new();
        let mut state = StreamState::default();
        loop {
            let chunk = match response.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(_) if state.finished => break,
                Err(e) if e.is_timeout() => {
                    return Err(AiriaError::Timeout {
                        operation: format!("{op} (the stream fell silent)"),
                        after: self.config.timeout,
                    })
                }
                Err(e) => {
                    return Err(AiriaError::StreamCut { received: state.text.chars().count(), detail: error_chain(&e) })
                }
            };
            let events =
                parser.push(&chunk).map_err(|detail| AiriaError::Malformed { operation: op.to_string(), detail })?;
            if parser.pending() > MAX_EVENT_BYTES {
                return Err(AiriaError::Malformed {
                    operation: op.to_string(),
                    detail: format!("one event is longer than {MAX_EVENT_BYTES} bytes"),
                });
            }
            for event in &events {
                match state.apply(event) {
                    Step::Text(piece) => sink(piece),
                    Step::Failed(reason) => {
                        return Err(AiriaError::StreamFailed(redact(&reason, self.config.auth.secret())))
                    }
                    Step::Nothing => {}
                }
            }
            if state.text.len() > MAX_STREAMED_ANSWER_BYTES {
                return Err(AiriaError::Malformed {
                    operation: op.to_string(),
                    detail: format!("the answer is longer than {MAX_STREAMED_ANSWER_BYTES} bytes"),
                });
            }
        }
        if !state.finished {
            let detail = if parser.pending() > 0 {
                "the connection closed in the middle of an event".to_string()
            } else {
                "the stream ended before Airia said the answer was finished".to_string()
            };
            return Err(AiriaError::StreamCut { received: state.text.chars().count(), detail });
        }
        Ok(StreamedAnswer { text: state.answer(), execution_id: state.execution_id, events: state.events })
    }

    /// For the Settings screen's "Test connection": reads the pipeline's configuration
    /// (`GET v1/PipelinesConfig/{pipelineId}`, as the SDK's `get_pipeline_config`), which
    /// proves the address, the credential and the pipeline id at once, and says in words
    /// which one is wrong.
    pub async fn test_connection(&self) -> ConnectionReport {
        let path = format!("v1/PipelinesConfig/{}", self.config.pipeline_id);
        let outcome = self.send("check the connection", self.request(reqwest::Method::GET, &path)).await;
        let what = self.config.auth.describe();
        let pipeline = &self.config.pipeline_id;
        let message = match outcome {
            Ok(_) => {
                return ConnectionReport {
                    ok: true,
                    message: format!("Connected: Airia accepts the {what} and knows pipeline {pipeline}."),
                }
            }
            Err(AiriaError::Status { status: 401, .. }) => {
                format!("Airia did not accept the {what}: check that it is copied whole and not revoked.")
            }
            Err(AiriaError::Status { status: 403, .. }) => {
                format!("The {what} works but may not use pipeline {pipeline}: check its permissions in Airia.")
            }
            Err(AiriaError::Status { status: 404, .. }) => {
                format!("Airia accepts the {what} but has no pipeline {pipeline}: check the pipeline id.")
            }
            Err(AiriaError::Connect { url, detail, .. }) => {
                format!("Airia is unreachable at {url}: check the base URL and the network ({detail}).")
            }
            Err(AiriaError::Timeout { after, .. }) => {
                format!("Airia did not answer within {} s: check the base URL and the network.", after.as_secs())
            }
            Err(other) => other.to_string(),
        };
        ConnectionReport { ok: false, message }
    }
}

/// The error with its causes ("error sending request: connection refused").
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}
