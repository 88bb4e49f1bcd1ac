//! Airia's JSON, camelCase both ways (contract section 4.2). Requests write every key
//! the SDK writes, with explicit `null` when unset (no `skip_serializing_if`): Airia
//! sees byte-for-byte the keys it sees from the SDK. Responses are read leniently (only
//! what Folio uses is required) and keep unknown fields, so the CLI prints them back.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `POST v1/Conversations` (`base_conversations.py` `_pre_create_conversation`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateConversationRequest {
    pub user_id: String,
    pub title: Option<String>,
    pub deployment_id: Option<String>,
    /// The SDK's default is `{}` (never null): data source id -> file ids.
    pub data_source_files: Map<String, Value>,
    pub is_bookmarked: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateConversationResponse {
    pub conversation_id: String,
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub websocket_url: Option<String>,
    #[serde(default)]
    pub deployment_id: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationMessage {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `GET v1/Conversations/{id}` (`GetConversationResponse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetConversationResponse {
    pub conversation_id: String,
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub messages: Vec<ConversationMessage>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `POST v2/PipelineExecution/{pipelineId}` (`_pre_execute_pipeline`): all 17 keys, in
/// the SDK's order, `null` when unset.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineExecutionRequest {
    pub user_input: String,
    pub debug: bool,
    pub user_id: Option<String>,
    pub conversation_id: Option<String>,
    /// true: the answer comes back as server-sent events.
    pub async_output: bool,
    pub include_tools_response: bool,
    pub images: Option<Vec<String>>,
    pub files: Option<Vec<String>>,
    pub data_source_folders: Option<Map<String, Value>>,
    pub data_source_files: Option<Map<String, Value>>,
    pub in_memory_messages: Option<Vec<Value>>,
    pub current_date_time: Option<String>,
    pub save_history: bool,
    pub additional_info: Option<Vec<Value>>,
    pub prompt_variables: Option<Map<String, Value>>,
    pub voice_enabled: bool,
    pub output_configuration: Option<Map<String, Value>>,
}

impl PipelineExecutionRequest {
    /// The SDK's defaults for `execute_pipeline(pipeline_id, user_input, ...)`.
    pub fn new(user_input: impl Into<String>) -> Self {
        PipelineExecutionRequest {
            user_input: user_input.into(),
            debug: false,
            user_id: None,
            conversation_id: None,
            async_output: false,
            include_tools_response: false,
            images: None,
            files: None,
            data_source_folders: None,
            data_source_files: None,
            in_memory_messages: None,
            current_date_time: None,
            save_history: true,
            additional_info: None,
            prompt_variables: None,
            voice_enabled: false,
            output_configuration: None,
        }
    }
}

/// The non-streamed answer (`PipelineExecutionResponse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineExecutionResponse {
    #[serde(default)]
    pub result: Option<String>,
    #[serde(default)]
    pub execution_id: Option<String>,
    #[serde(default)]
    pub is_backup_pipeline: Option<bool>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_fields_are_explicit_nulls_in_the_sdk_order() {
        let text = serde_json::to_string(&PipelineExecutionRequest::new("hi")).unwrap();
        assert_eq!(
            text,
            r#"{"userInput":"hi","debug":false,"userId":null,"conversationId":null,"asyncOutput":false,"includeToolsResponse":false,"images":null,"files":null,"dataSourceFolders":null,"dataSourceFiles":null,"inMemoryMessages":null,"currentDateTime":null,"saveHistory":true,"additionalInfo":null,"promptVariables":null,"voiceEnabled":false,"outputConfiguration":null}"#
        );
        let create = CreateConversationRequest {
            user_id: "u1".into(),
            title: None,
            deployment_id: None,
            data_source_files: Map::new(),
            is_bookmarked: false,
        };
        assert_eq!(
            serde_json::to_string(&create).unwrap(),
            r#"{"userId":"u1","title":null,"deploymentId":null,"dataSourceFiles":{},"isBookmarked":false}"#
        );
    }
}
