//! One method per AI Hub operation (contract sections 1 and 2), each sending exactly
//! what SDK 0.13 sends. `create_conversation` and `add_documents` also apply the upload
//! rules: limits are checked locally first and selections over 100 MB go out as several
//! requests whose upload statuses are merged into one.

use crate::config::ClientConfig;
use crate::encode::{path_param, query_string};
use crate::error::AiHubError;
use crate::limits::{LocalFile, UploadBatch};
use crate::multipart::{self, python_bool};
use crate::transport::{Call, CallBody, Transport};
use crate::wire;
use folio_core::{ConverseMode, CreateOptions, ListQuery, QueryModel, QuerySource, SortKey};
use reqwest::Method;
use std::path::PathBuf;

/// What `conversations.create` takes besides the files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateRequest {
    pub name: String,
    pub description: Option<String>,
    pub options: CreateOptions,
}

#[derive(Debug)]
pub struct AiHubClient {
    transport: Transport,
}

impl AiHubClient {
    pub fn new(config: ClientConfig) -> Result<Self, AiHubError> {
        Ok(AiHubClient { transport: Transport::new(config)? })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.transport.config
    }

    // ---------- conversations ----------

    /// `POST /v2/conversations`. Checks every file first; when the files exceed one
    /// request, the first batch creates the conversation and the rest are added to it
    /// (processed, as at creation), and the answer carries the merged upload status.
    pub async fn create_conversation(
        &self,
        request: &CreateRequest,
        files: &[PathBuf],
    ) -> Result<wire::ConversationResponse, AiHubError> {
        let limits = self.config().limits;
        let batches = if files.is_empty() {
            vec![UploadBatch { files: vec![] }]
        } else {
            limits.plan(limits.check(files, 0).await?)
        };
        let mut batches = batches.into_iter();
        let first = batches.next().unwrap_or(UploadBatch { files: vec![] });
        let mut created = self.create_conversation_request(request, &first.files).await?;
        for batch in batches {
            let added = self.add_documents_request(&created.id, &batch.files, true).await?;
            created.upload_status = Some(merge_status(created.upload_status.take(), added.upload_status));
        }
        Ok(created)
    }

    /// One create request with exactly these (already checked) files.
    pub async fn create_conversation_request(
        &self,
        request: &CreateRequest,
        files: &[LocalFile],
    ) -> Result<wire::ConversationResponse, AiHubError> {
        // The account's organisation, workspace and flags unless this conversation sets its own.
        let o = &with_defaults(&request.options, &self.config().new_conversations);
        // `[0.13] conversations_api.py:1056-1079`: a field is sent only when it is set.
        let mut fields: Vec<(&'static str, String)> = vec![("name", request.name.clone())];
        let texts = [("description", &request.description), ("org", &o.org), ("workspace", &o.workspace)];
        fields.extend(texts.into_iter().filter_map(|(k, v)| v.clone().map(|v| (k, v))));
        let flags = [
            ("enable_object_detection", o.enable_object_detection),
            ("enable_entity_detection", o.enable_entity_detection),
            ("write_converted_image", o.write_converted_image),
            ("write_thumbnail", o.write_thumbnail),
            ("fast_mode", o.fast_mode),
            ("enable_multilanguage_support", o.enable_multilanguage_support),
            ("enable_multilanguage_advanced_mode", o.enable_multilanguage_advanced_mode),
        ];
        fields.extend(flags.into_iter().filter_map(|(k, v)| v.map(|v| (k, python_bool(v).to_string()))));
        let (form, bytes) = multipart::build(&fields, files).await?;
        let reply = self
            .transport
            .send(Call {
                operation: "create conversation",
                method: Method::POST,
                path: "/v2/conversations".into(),
                query: None,
                body: CallBody::Multipart { form, bytes },
            })
            .await?;
        reply.json("create conversation")
    }

    /// `GET /v2/conversations`. The SDK sends no query; the seed's sort and search
    /// parameters are sent only when asked for.
    pub async fn list_conversations(&self, query: &ListQuery) -> Result<wire::ConversationList, AiHubError> {
        let mut pairs = Vec::new();
        if let Some(key) = query.sort_key {
            pairs.push((
                "sort_key",
                match key {
                    SortKey::CreatedAt => "created_at",
                    SortKey::UpdatedAt => "updated_at",
                }
                .to_string(),
            ));
        }
        if let Some(asc) = query.ascending {
            pairs.push(("sort_is_ascending", asc.to_string()));
        }
        if let Some(search) = &query.search {
            pairs.push(("search_string", search.clone()));
        }
        let query = (!pairs.is_empty()).then(|| query_string(&pairs));
        let reply = self.get("list conversations", "/v2/conversations".into(), query).await?;
        reply.json_or_default("list conversations")
    }

    /// `GET /v2/conversations/{id}`: the conversation, its state and its documents.
    pub async fn get_conversation(&self, id: &str) -> Result<wire::Conversation, AiHubError> {
        let reply = self.get("get conversation", conversation_path(id), None).await?;
        reply.json("get conversation")
    }

    /// `PUT /v2/conversations/{id}?name=..&description=..`: values in the query string
    /// (spaces as %20), no body, `Content-Length: 0`.
    pub async fn update_conversation(
        &self,
        id: &str,
        name: Option<&str>,
        description: Option<&str>,
    ) -> Result<(), AiHubError> {
        let mut pairs = Vec::new();
        if let Some(name) = name {
            pairs.push(("name", name.to_string()));
        }
        if let Some(description) = description {
            pairs.push(("description", description.to_string()));
        }
        let query = (!pairs.is_empty()).then(|| query_string(&pairs));
        self.transport
            .send(Call {
                operation: "update conversation",
                method: Method::PUT,
                path: conversation_path(id),
                query,
                body: CallBody::EmptyPut,
            })
            .await?;
        Ok(())
    }

    /// `DELETE /v2/conversations/{id}` (known from the SDK only).
    pub async fn delete_conversation(&self, id: &str) -> Result<(), AiHubError> {
        self.transport
            .send(Call {
                operation: "delete conversation",
                method: Method::DELETE,
                path: conversation_path(id),
                query: None,
                body: CallBody::None,
            })
            .await?;
        Ok(())
    }

    /// `POST /v2/conversations/{id}/documents`. First reads the conversation to keep it
    /// within 100 documents, checks every file, then uploads in as many requests as the
    /// 100 MB limit needs and merges their upload statuses.
    pub async fn add_documents(
        &self,
        id: &str,
        files: &[PathBuf],
        process_files: bool,
    ) -> Result<wire::DocumentUploadResponse, AiHubError> {
        let limits = self.config().limits;
        let existing = self.get_conversation(id).await?.documents.map_or(0, |d| d.len());
        let batches = limits.plan(limits.check(files, existing).await?);
        let mut merged: Option<wire::DocumentUploadResponse> = None;
        for batch in batches {
            let added = self.add_documents_request(id, &batch.files, process_files).await?;
            merged = Some(match merged {
                None => added,
                Some(mut so_far) => {
                    so_far.upload_status = Some(merge_status(so_far.upload_status.take(), added.upload_status));
                    so_far
                }
            });
        }
        Ok(merged.unwrap_or_default())
    }

    /// One add-documents request: `process_files` (always sent, as the SDK's wrapper
    /// does) then one `files` part per file.
    pub async fn add_documents_request(
        &self,
        id: &str,
        files: &[LocalFile],
        process_files: bool,
    ) -> Result<wire::DocumentUploadResponse, AiHubError> {
        let fields = [("process_files", python_bool(process_files).to_string())];
        let (form, bytes) = multipart::build(&fields, files).await?;
        let reply = self
            .transport
            .send(Call {
                operation: "add documents",
                method: Method::POST,
                path: format!("{}/documents", conversation_path(id)),
                query: None,
                body: CallBody::Multipart { form, bytes },
            })
            .await?;
        reply.json_or_default("add documents")
    }

    /// `DELETE /v2/conversations/{id}/documents?ids=1,2`, the SDK's form (a literal
    /// comma). If AI Hub refuses that form as malformed (400, 405, 415 or 422), the
    /// seed's form follows: the same DELETE with the JSON body `{"ids":[1,2]}`. Both are
    /// idempotent, so trying the second cannot delete anything twice.
    pub async fn delete_documents(&self, id: &str, document_ids: &[i64]) -> Result<(), AiHubError> {
        if document_ids.is_empty() {
            return Err(AiHubError::Input("no document ids given".into()));
        }
        let path = format!("{}/documents", conversation_path(id));
        let csv = document_ids.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(",");
        let first = self
            .transport
            .send(Call {
                operation: "delete documents",
                method: Method::DELETE,
                path: path.clone(),
                query: Some(format!("ids={csv}")),
                body: CallBody::None,
            })
            .await;
        match first {
            Ok(_) => Ok(()),
            Err(err) if matches!(err.status(), Some(400 | 405 | 415 | 422)) => {
                tracing::warn!("AI Hub refused delete-documents with ?ids= ({err}); retrying with a JSON body");
                let body = serde_json::to_vec(&wire::DeleteDocumentsBody { ids: document_ids.to_vec() })
                    .expect("ids serialize");
                self.transport
                    .send(Call {
                        operation: "delete documents",
                        method: Method::DELETE,
                        path,
                        query: None,
                        body: CallBody::Json(body),
                    })
                    .await?;
                Ok(())
            }
            Err(err) => Err(err),
        }
    }

    /// `GET /v2/conversations/{id}/documents/{document_id}` (an integer id).
    pub async fn document_metadata(&self, id: &str, document_id: i64) -> Result<wire::DocumentMetadata, AiHubError> {
        let path = format!("{}/documents/{document_id}", conversation_path(id));
        let reply = self.get("get document metadata", path, None).await?;
        reply.json("get document metadata")
    }

    /// `POST /v2/conversations/{id}/prompts` with `mode` and `fast_mode` always sent,
    /// as the SDK's wrapper does. Never retried: a second POST would ask twice.
    pub async fn converse(
        &self,
        id: &str,
        question: &str,
        document_ids: &[i64],
        mode: ConverseMode,
        fast_mode: bool,
    ) -> Result<wire::PromptResponse, AiHubError> {
        let body = wire::ConverseBody {
            question: question.into(),
            document_ids: document_ids.to_vec(),
            mode: mode.as_wire().into(),
            fast_mode,
        };
        let reply = self.post_json("converse", format!("{}/prompts", conversation_path(id)), &body).await?;
        reply.json("converse")
    }

    // ---------- queries ----------

    /// `POST /v2/queries`. `model_name` is always sent; None means the SDK's default,
    /// `multistep-lite`. Never retried.
    pub async fn run_query(
        &self,
        query: &str,
        source: &QuerySource,
        model: Option<QueryModel>,
        include_source_info: bool,
    ) -> Result<wire::RunQueryResponse, AiHubError> {
        let (kind, id) = match source {
            QuerySource::Chatbot(id) => ("CHATBOT", id),
            QuerySource::Conversation(id) => ("CONVERSE", id),
        };
        let body = wire::RunQueryBody {
            query: query.into(),
            model_name: model.unwrap_or(QueryModel::MultistepLite).as_wire().into(),
            include_source_info,
            source_app: wire::SourceApp { kind: kind.into(), id: id.clone() },
        };
        let reply = self.post_json("run query", "/v2/queries".into(), &body).await?;
        reply.json("run query")
    }

    /// `GET /v2/queries/{query_id}`.
    pub async fn query_status(&self, query_id: &str) -> Result<wire::QueryStatus, AiHubError> {
        let reply = self.get("query status", format!("/v2/queries/{}", path_param(query_id)), None).await?;
        reply.json("query status")
    }

    // ---------- helpers ----------

    async fn get(
        &self,
        operation: &'static str,
        path: String,
        query: Option<String>,
    ) -> Result<crate::transport::Reply, AiHubError> {
        self.transport.send(Call { operation, method: Method::GET, path, query, body: CallBody::None }).await
    }

    async fn post_json(
        &self,
        operation: &'static str,
        path: String,
        body: &impl serde::Serialize,
    ) -> Result<crate::transport::Reply, AiHubError> {
        let body = serde_json::to_vec(body).map_err(|e| AiHubError::Input(e.to_string()))?;
        self.transport
            .send(Call { operation, method: Method::POST, path, query: None, body: CallBody::Json(body) })
            .await
    }
}

fn conversation_path(id: &str) -> String {
    format!("/v2/conversations/{}", path_param(id))
}

fn merge_status(a: Option<wire::UploadStatus>, b: Option<wire::UploadStatus>) -> wire::UploadStatus {
    a.unwrap_or_default().merge(b.unwrap_or_default())
}

/// `options` with every field it leaves unset taken from `defaults`.
fn with_defaults(options: &CreateOptions, defaults: &CreateOptions) -> CreateOptions {
    let o = options.clone();
    let d = defaults.clone();
    CreateOptions {
        org: o.org.or(d.org),
        workspace: o.workspace.or(d.workspace),
        enable_object_detection: o.enable_object_detection.or(d.enable_object_detection),
        enable_entity_detection: o.enable_entity_detection.or(d.enable_entity_detection),
        write_converted_image: o.write_converted_image.or(d.write_converted_image),
        write_thumbnail: o.write_thumbnail.or(d.write_thumbnail),
        fast_mode: o.fast_mode.or(d.fast_mode),
        enable_multilanguage_support: o.enable_multilanguage_support.or(d.enable_multilanguage_support),
        enable_multilanguage_advanced_mode: o
            .enable_multilanguage_advanced_mode
            .or(d.enable_multilanguage_advanced_mode),
    }
}
