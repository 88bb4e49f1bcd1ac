//! `PiecesClient`: one method per Pieces OS operation Folio uses, JSON in and out, sent
//! as the generated client (pieces_os_client 5.0.1) sends it. Finding Pieces and
//! registering happen once, on first use; the `application` header then goes on every
//! request, as the wrapper sets it.

use crate::config::{PiecesConfig, WRAPPER_DEFAULT_MODEL};
use crate::discovery;
use crate::error::{server_message, PiecesError};
use crate::wire::{self, Conversation, ConversationMessages, Conversations, Model, Models, QuestionOutput};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::sync::OnceCell;

/// Python's `quote(s, safe='')` set: everything but unreserved characters is encoded.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

pub(crate) fn seg(s: &str) -> String {
    utf8_percent_encode(s, PATH_SEGMENT).to_string()
}

/// Where Pieces answers and who Folio is to it.
#[derive(Debug, Clone)]
pub struct Session {
    pub base: String,
    /// The tracked application from `POST /connect` (its `id` goes in the header).
    pub application: Value,
    pub application_id: String,
}

#[derive(Debug)]
pub struct PiecesClient {
    config: PiecesConfig,
    http: reqwest::Client,
    session: OnceCell<Session>,
    model: OnceCell<String>,
}

/// What the Accept header says for an operation (the generated client's choice).
#[derive(Clone, Copy)]
enum Accept {
    Json,
    Text,
}

impl PiecesClient {
    pub fn new(config: PiecesConfig) -> Result<Self, PiecesError> {
        let http = reqwest::Client::builder()
            .no_proxy()
            .connect_timeout(config.connect_timeout)
            .user_agent(config.user_agent.clone())
            .build()
            .map_err(|e| PiecesError::Input(format!("could not set up HTTP: {e}")))?;
        Ok(PiecesClient { config, http, session: OnceCell::new(), model: OnceCell::new() })
    }

    pub fn config(&self) -> &PiecesConfig {
        &self.config
    }

    /// Finds Pieces OS and registers Folio (`POST /connect`), once.
    pub async fn session(&self) -> Result<&Session, PiecesError> {
        self.session
            .get_or_try_init(|| async {
                let base = discovery::discover(&self.config).await?;
                let context: Value = self
                    .send_at(
                        &base,
                        None,
                        "register with Pieces OS",
                        reqwest::Method::POST,
                        "/connect",
                        None,
                        Some(&wire::connector(&self.config.app_version)),
                        Accept::Json,
                    )
                    .await?;
                let application = context.get("application").cloned().unwrap_or(Value::Null);
                let application_id = application
                    .get("id")
                    .and_then(Value::as_str)
                    .ok_or_else(|| PiecesError::Malformed {
                        operation: "register with Pieces OS".into(),
                        detail: "the answer has no application id".into(),
                    })?
                    .to_string();
                Ok(Session { base, application, application_id })
            })
            .await
    }

    /// The model to ask: the configured id or name, else the wrapper's choice from
    /// `GET /models` (models in the cloud or downloaded; its default name when offered,
    /// else the first).
    pub async fn model_id(&self) -> Result<&str, PiecesError> {
        self.model
            .get_or_try_init(|| async {
                let models = self.models().await?;
                let usable: Vec<&Model> = models.iter().filter(|m| m.cloud || m.downloaded == Some(true)).collect();
                if let Some(wanted) = &self.config.model {
                    return models
                        .iter()
                        .find(|m| &m.id == wanted || m.name.eq_ignore_ascii_case(wanted))
                        .map(|m| m.id.clone())
                        .ok_or_else(|| {
                            PiecesError::NoModel(format!(
                                "the model {wanted:?} is not offered (offered: {})",
                                usable.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join(", ")
                            ))
                        });
                }
                usable
                    .iter()
                    .find(|m| m.name == WRAPPER_DEFAULT_MODEL)
                    .or_else(|| usable.first())
                    .map(|m| m.id.clone())
                    .ok_or_else(|| PiecesError::NoModel("none is in the cloud or downloaded".into()))
            })
            .await
            .map(String::as_str)
    }

    pub async fn models(&self) -> Result<Vec<Model>, PiecesError> {
        let models: Models = self.get("list models", "/models", None).await?;
        Ok(models.iterable)
    }

    pub async fn list_conversations(&self) -> Result<Vec<Conversation>, PiecesError> {
        let list: Conversations = self.get("list conversations", "/conversations", Some("transferables=false")).await?;
        Ok(list.iterable)
    }

    pub async fn get_conversation_raw(&self, id: &str) -> Result<Value, PiecesError> {
        self.get("read the conversation", &format!("/conversation/{}", seg(id)), Some("transferables=false")).await
    }

    pub async fn get_conversation(&self, id: &str) -> Result<Conversation, PiecesError> {
        decode("read the conversation", self.get_conversation_raw(id).await?)
    }

    pub async fn create_conversation(&self, name: &str) -> Result<Conversation, PiecesError> {
        let body = wire::seeded_conversation(name);
        self.send(
            "create a conversation",
            reqwest::Method::POST,
            "/conversations/create",
            Some("transferables=false"),
            Some(&body),
            Accept::Json,
        )
        .await
    }

    /// A conversation about an asset (Pieces adds a summary message); returns its id.
    pub async fn create_from_asset(&self, asset: &str) -> Result<String, PiecesError> {
        let path = format!("/conversations/create/from_asset/{}", seg(asset));
        let out: Value = self
            .send("create a conversation from an asset", reqwest::Method::POST, &path, None, None, Accept::Json)
            .await?;
        out.pointer("/conversation/id").and_then(Value::as_str).map(str::to_string).ok_or_else(|| {
            PiecesError::Malformed {
                operation: "create a conversation from an asset".into(),
                detail: "no conversation id in the answer".into(),
            }
        })
    }

    /// Renames as the wrapper does (`BasicChat.name = ...`): the conversation is read,
    /// its name changed and the whole of it sent to `POST /conversation/update`
    /// (timestamps rewritten as the SDK re-serializes them).
    /// (`/conversation/{id}/rename` lets Pieces choose a name itself, so it is not used.)
    pub async fn rename_conversation(&self, id: &str, name: &str) -> Result<Conversation, PiecesError> {
        if name.trim().is_empty() {
            return Err(PiecesError::Input("a conversation needs a name".into()));
        }
        let mut conversation = self.get_conversation_raw(id).await?;
        match conversation.as_object_mut() {
            Some(o) => o.insert("name".into(), Value::String(name.to_string())),
            None => {
                return Err(PiecesError::Malformed {
                    operation: "read the conversation".into(),
                    detail: "not an object".into(),
                })
            }
        };
        wire::python_timestamps(&mut conversation);
        self.send(
            "rename the conversation",
            reqwest::Method::POST,
            "/conversation/update",
            Some("transferables=false"),
            Some(&conversation),
            Accept::Json,
        )
        .await
    }

    /// Delete is a POST in Pieces OS.
    pub async fn delete_conversation(&self, id: &str) -> Result<(), PiecesError> {
        let path = format!("/conversations/{}/delete", seg(id));
        let _: Value =
            self.send("delete the conversation", reqwest::Method::POST, &path, None, None, Accept::Text).await?;
        Ok(())
    }

    pub async fn messages(&self, id: &str) -> Result<ConversationMessages, PiecesError> {
        self.get(
            "read the conversation's messages",
            &format!("/conversation/{}/messages", seg(id)),
            Some("transferables=false"),
        )
        .await
    }

    /// One-shot question, attached to no conversation (`POST /qgpt/question`).
    pub async fn question(&self, query: &str, relevant: Vec<Value>) -> Result<QuestionOutput, PiecesError> {
        let session = self.session().await?.clone();
        let model = self.model_id().await?.to_string();
        let body = wire::question_input(query, relevant, &model, &session.application_id);
        self.send("ask Pieces", reqwest::Method::POST, "/qgpt/question", None, Some(&body), Accept::Json).await
    }

    async fn get<T: DeserializeOwned>(
        &self,
        operation: &str,
        path: &str,
        query: Option<&str>,
    ) -> Result<T, PiecesError> {
        self.send(operation, reqwest::Method::GET, path, query, None, Accept::Json).await
    }

    async fn send<T: DeserializeOwned>(
        &self,
        operation: &str,
        method: reqwest::Method,
        path: &str,
        query: Option<&str>,
        body: Option<&Value>,
        accept: Accept,
    ) -> Result<T, PiecesError> {
        let session = self.session().await?;
        let (base, app) = (session.base.clone(), session.application_id.clone());
        self.send_at(&base, Some(&app), operation, method, path, query, body, accept).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn send_at<T: DeserializeOwned>(
        &self,
        base: &str,
        application: Option<&str>,
        operation: &str,
        method: reqwest::Method,
        path: &str,
        query: Option<&str>,
        body: Option<&Value>,
        accept: Accept,
    ) -> Result<T, PiecesError> {
        let url = match query {
            Some(q) => format!("{base}{path}?{q}"),
            None => format!("{base}{path}"),
        };
        let mut request = self.http.request(method, &url).timeout(self.config.request_timeout).header(
            "Accept",
            match accept {
                Accept::Json => "application/json",
                Accept::Text => "text/plain",
            },
        );
        if let Some(app) = application {
            request = request.header("application", app);
        }
        if let Some(body) = body {
            request = request.header("Content-Type", "application/json").body(body.to_string());
        }
        let response =
            request.send().await.map_err(|e| transport_error(operation, base, &e, self.config.request_timeout))?;
        let status = response.status().as_u16();
        let bytes =
            response.bytes().await.map_err(|e| transport_error(operation, base, &e, self.config.request_timeout))?;
        if !(200..300).contains(&status) {
            return Err(PiecesError::Status {
                operation: operation.into(),
                status,
                message: server_message(status, &bytes),
            });
        }
        // 204 and empty bodies read as null (delete answers with nothing).
        let value: Value = if bytes.iter().all(u8::is_ascii_whitespace) {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .map_err(|e| PiecesError::Malformed { operation: operation.into(), detail: e.to_string() })?
        };
        decode(operation, value)
    }
}

fn decode<T: DeserializeOwned>(operation: &str, value: Value) -> Result<T, PiecesError> {
    serde_json::from_value(value)
        .map_err(|e| PiecesError::Malformed { operation: operation.into(), detail: e.to_string() })
}

fn transport_error(operation: &str, base: &str, e: &reqwest::Error, after: std::time::Duration) -> PiecesError {
    if e.is_timeout() {
        PiecesError::Timeout { operation: operation.into(), after }
    } else if e.is_connect() {
        PiecesError::Connect { operation: operation.into(), base: base.into(), detail: root_cause(e) }
    } else {
        PiecesError::ConnectionLost { operation: operation.into(), detail: root_cause(e) }
    }
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}
