//! Conversations: a named set of documents the user asks questions of.

use crate::document::Document;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ConversationState {
    Running,
    Complete,
    Failed,
    Unknown(String),
}

impl ConversationState {
    pub fn from_wire(word: &str) -> Self {
        match word.to_ascii_uppercase().as_str() {
            "RUNNING" => ConversationState::Running,
            "COMPLETE" => ConversationState::Complete,
            "FAILED" => ConversationState::Failed,
            _ => ConversationState::Unknown(word.to_string()),
        }
    }
}

/// One row of the conversations list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConversationSummary {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Conversation {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub state: ConversationState,
    pub documents: Vec<Document>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

impl Conversation {
    /// True once no document is still being processed.
    pub fn is_settled(&self) -> bool {
        self.documents.iter().all(|d| d.state.is_settled())
    }
}

/// Options AI Hub accepts at creation (SDK 0.13). Backends ignore what they cannot honour.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct CreateOptions {
    pub org: Option<String>,
    pub workspace: Option<String>,
    pub enable_object_detection: Option<bool>,
    pub enable_entity_detection: Option<bool>,
    pub write_converted_image: Option<bool>,
    pub write_thumbnail: Option<bool>,
    pub fast_mode: Option<bool>,
    pub enable_multilanguage_support: Option<bool>,
    pub enable_multilanguage_advanced_mode: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewConversation {
    pub name: String,
    pub description: Option<String>,
    #[ts(type = "Array<string>")]
    pub files: Vec<PathBuf>,
    #[serde(default)]
    pub options: CreateOptions,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ConversationUpdate {
    pub name: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SortKey {
    #[default]
    CreatedAt,
    UpdatedAt,
}

/// The list filters of the AI Hub seed (`sort_key`, `sort_is_ascending`, `search_string`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ListQuery {
    pub sort_key: Option<SortKey>,
    pub ascending: Option<bool>,
    pub search: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UploadFailure {
    pub name: String,
    pub reason: Option<String>,
}

/// Which files were accepted and which were refused, with the reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UploadStatus {
    pub succeeded: Vec<String>,
    pub failed: Vec<UploadFailure>,
}

impl UploadStatus {
    /// Combines the statuses of several requests (large uploads are split) into one.
    pub fn merge(mut self, other: UploadStatus) -> Self {
        self.succeeded.extend(other.succeeded);
        self.failed.extend(other.failed);
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CreatedConversation {
    pub id: String,
    pub name: String,
    pub upload: UploadStatus,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_statuses_merge_in_order() {
        let a = UploadStatus { succeeded: vec!["a.pdf".into()], failed: vec![] };
        let b = UploadStatus {
            succeeded: vec!["b.pdf".into()],
            failed: vec![UploadFailure { name: "c.exe".into(), reason: Some("unsupported".into()) }],
        };
        let merged = a.merge(b);
        assert_eq!(merged.succeeded, vec!["a.pdf", "b.pdf"]);
        assert_eq!(merged.failed.len(), 1);
    }

    #[test]
    fn conversation_states_parse_leniently() {
        assert_eq!(ConversationState::from_wire("COMPLETE"), ConversationState::Complete);
        assert_eq!(ConversationState::from_wire("PAUSED"), ConversationState::Unknown("PAUSED".into()));
    }
}

/// One thing the service holding a conversation keeps about it (Airia's title,
/// bookmark, deployment, ...), in words, for the conversation's details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SourceFact {
    pub label: String,
    pub value: String,
}

impl SourceFact {
    pub fn new(label: impl Into<String>, value: impl Into<String>) -> Self {
        SourceFact { label: label.into(), value: value.into() }
    }
}
