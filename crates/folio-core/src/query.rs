//! Queries: one-shot questions to a chatbot (a named collection of documents) or to
//! several documents of a conversation at once. They run asynchronously.

use crate::answer::Source;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Chatbot {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
}

/// A local chatbot as the Chatbots screen lists it: its documents live in a conversation
/// (its own, or one it was made from), which the page viewer opens sources in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChatbotEntry {
    pub chatbot: Chatbot,
    pub conversation_id: String,
    /// True when the chatbot was made from files and its documents go with it.
    pub owns_documents: bool,
}

/// What a new local chatbot is made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "type", content = "value")]
pub enum ChatbotFrom {
    Files(#[ts(type = "Array<string>")] Vec<std::path::PathBuf>),
    /// Every file in the folder and its subfolders (`files::expand_folders`).
    Folder(#[ts(type = "string")] std::path::PathBuf),
    /// The documents of an existing conversation (shared, not copied).
    Conversation(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewChatbot {
    pub name: String,
    pub description: Option<String>,
    pub from: ChatbotFrom,
}

/// Where a chatbot lives: Folio's own (local) or AI Hub's, asked by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ChatbotHost {
    Local,
    AiHub,
}

/// What a query asks: a chatbot (AI Hub `CHATBOT`) or a conversation (`CONVERSE`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "type", content = "id")]
pub enum QuerySource {
    Chatbot(String),
    Conversation(String),
}

/// `multistep` ("research mode") returns page-level sources; `multistep-lite` is faster.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum QueryModel {
    #[serde(rename = "multistep")]
    Multistep,
    #[default]
    #[serde(rename = "multistep-lite")]
    MultistepLite,
}

impl QueryModel {
    pub fn as_wire(self) -> &'static str {
        match self {
            QueryModel::Multistep => "multistep",
            QueryModel::MultistepLite => "multistep-lite",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QueryRequest {
    pub query: String,
    pub source: QuerySource,
    /// None lets the backend choose (AI Hub's SDK default is multistep-lite).
    pub model: Option<QueryModel>,
    #[serde(default)]
    pub include_source_info: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum QueryState {
    Running,
    Complete,
    Failed,
    Unknown(String),
}

impl QueryState {
    pub fn from_wire(word: &str) -> Self {
        match word.to_ascii_uppercase().as_str() {
            "RUNNING" => QueryState::Running,
            "COMPLETE" => QueryState::Complete,
            "FAILED" => QueryState::Failed,
            _ => QueryState::Unknown(word.to_string()),
        }
    }

    pub fn is_settled(&self) -> bool {
        !matches!(self, QueryState::Running)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QueryResult {
    pub response: String,
    pub sources: Vec<Source>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QueryStatus {
    pub query_id: String,
    pub state: QueryState,
    pub results: Vec<QueryResult>,
    /// The failure message, when the query failed.
    pub error: Option<String>,
}
