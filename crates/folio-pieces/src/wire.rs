//! Pieces OS JSON (pieces_os_client 5.0.1 models), lenient on the way in: unknown fields
//! are kept (a conversation is sent back whole when renamed), absent optional fields are
//! fine, and enums are strings so new values do not break reading.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupedTimestamp {
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readable: Option<String>,
}

impl GroupedTimestamp {
    pub fn parse(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        chrono::DateTime::parse_from_rfc3339(self.value.as_deref()?).ok().map(|d| d.with_timezone(&chrono::Utc))
    }
}

/// `Conversation`: the fields Folio reads, plus everything else as it came.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<GroupedTimestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<GroupedTimestamp>,
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

impl Conversation {
    /// Messages that are not deleted (an index of -1 marks a deleted one).
    pub fn message_count(&self) -> usize {
        match self.rest.get("messages").and_then(|m| m.get("indices")).and_then(Value::as_object) {
            Some(indices) => indices.values().filter(|v| v.as_i64() != Some(-1)).count(),
            None => {
                self.rest.get("messages").and_then(|m| m.get("iterable")).and_then(Value::as_array).map_or(0, Vec::len)
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversations {
    #[serde(default)]
    pub iterable: Vec<Conversation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationMessage {
    pub id: String,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fragment: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<GroupedTimestamp>,
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

impl ConversationMessage {
    /// The text: `fragment.string.raw` (the only form Pieces implements).
    pub fn text(&self) -> Option<&str> {
        self.fragment.as_ref()?.get("string")?.get("raw")?.as_str()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationMessages {
    #[serde(default)]
    pub iterable: Vec<ConversationMessage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indices: Option<Map<String, Value>>,
}

impl ConversationMessages {
    /// The messages not marked deleted, oldest first.
    pub fn live(&self) -> Vec<&ConversationMessage> {
        let deleted = |m: &ConversationMessage| {
            self.indices.as_ref().and_then(|i| i.get(&m.id)).and_then(Value::as_i64) == Some(-1)
        };
        let mut out: Vec<&ConversationMessage> = self.iterable.iter().filter(|m| !deleted(m)).collect();
        out.sort_by(|a, b| {
            let t = |m: &ConversationMessage| m.created.as_ref().and_then(|c| c.value.clone()).unwrap_or_default();
            t(a).cmp(&t(b))
        });
        out
    }
}

/// `Model` from `GET /models`: what is needed to choose one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub cloud: bool,
    #[serde(default)]
    pub downloaded: Option<bool>,
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Models {
    #[serde(default)]
    pub iterable: Vec<Model>,
}

/// `SeededConnectorConnection`: how Folio registers (`POST /connect`).
pub fn connector(version: &str) -> Value {
    json!({"application": {"name": "OPEN_SOURCE", "platform": crate::config::platform(), "version": version}})
}

/// `SeededConversation`, minimal as the wrapper creates it.
pub fn seeded_conversation(name: &str) -> Value {
    json!({"name": name, "type": "COPILOT"})
}

/// One passage as a `RelevantQGPTSeed`: an asset seed carrying the text as a fragment,
/// stamped with Folio's tracked application (the seed's asset requires one).
pub fn relevant_seed(application: &Value, text: &str) -> Value {
    json!({"seed": {"asset": {"application": application, "format": {"fragment": {"string": {"raw": text}}}}, "type": "SEEDED_ASSET"}})
}

/// `QGPTQuestionInput`.
pub fn question_input(query: &str, relevant: Vec<Value>, model: &str, application_id: &str) -> Value {
    json!({"application": application_id, "model": model, "query": query, "relevant": {"iterable": relevant}})
}

/// `QGPTStreamInput` asking a question inside a conversation (Pieces stores both turns).
pub fn stream_input(conversation: Option<&str>, question: Value) -> Value {
    match conversation {
        Some(id) => json!({"conversation": id, "question": question}),
        None => json!({"question": question}),
    }
}

/// `QGPTQuestionOutput`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionOutput {
    pub answers: Answers,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Answers {
    #[serde(default)]
    pub iterable: Vec<AnswerText>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerText {
    #[serde(default)]
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

/// `QGPTStreamOutput`: mixed casing as Pieces sends it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StreamOutput {
    #[serde(default)]
    pub conversation: Option<String>,
    #[serde(default)]
    pub request: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub question: Option<StreamQuestion>,
    #[serde(default, rename = "errorMessage")]
    pub error_message: Option<String>,
    #[serde(default, rename = "statusCode")]
    pub status_code: Option<u16>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StreamQuestion {
    #[serde(default)]
    pub answers: Answers,
}

impl StreamOutput {
    /// This frame's piece of the reply.
    pub fn chunk(&self) -> String {
        self.question.as_ref().map(|q| q.answers.iterable.iter().map(|a| a.text.as_str()).collect()).unwrap_or_default()
    }
}

/// `QGPTStreamEnum`, hyphen included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamStatus {
    InProgress,
    Completed,
    Initialized,
    Failed,
    Stopped,
    Canceled,
    Reset,
    Unknown(String),
}

impl StreamStatus {
    pub fn from_wire(word: Option<&str>) -> Self {
        match word.unwrap_or("UNKNOWN") {
            "IN-PROGRESS" => StreamStatus::InProgress,
            "COMPLETED" => StreamStatus::Completed,
            "INITIALIZED" => StreamStatus::Initialized,
            "FAILED" => StreamStatus::Failed,
            "STOPPED" => StreamStatus::Stopped,
            "CANCELED" => StreamStatus::Canceled,
            "RESET" => StreamStatus::Reset,
            other => StreamStatus::Unknown(other.to_string()),
        }
    }
}

/// Rewrites every `GroupedTimestamp.value` in `value` as the SDK writes datetimes back
/// (Python's `isoformat()`: `+00:00` rather than `Z`, microseconds only when non-zero),
/// so a conversation Folio sends back is the one the wrapper would send.
pub fn python_timestamps(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let is_timestamp = map.keys().all(|k| k == "value" || k == "readable" || k == "schema");
            if is_timestamp {
                if let Some(Value::String(s)) = map.get_mut("value") {
                    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
                        let micros = t.timestamp_subsec_micros();
                        *s = if micros == 0 {
                            t.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
                        } else {
                            format!("{}.{micros:06}{}", t.format("%Y-%m-%dT%H:%M:%S"), t.format("%:z"))
                        };
                    }
                }
            }
            map.values_mut().for_each(python_timestamps);
        }
        Value::Array(items) => items.iter_mut().for_each(python_timestamps),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_go_back_as_python_writes_them() {
        let mut v = json!({"created": {"value": "2026-11-20T10:00:00Z", "readable": "x"}, "updated": {"value": "2026-11-20T10:00:00.250Z"},
            "name": {"value": "2026-11-20T10:00:00Z", "other": 1}, "list": [{"value": "2026-01-01T00:00:00.000001+02:00"}]});
        python_timestamps(&mut v);
        assert_eq!(v["created"]["value"], "2026-11-20T10:00:00+00:00");
        assert_eq!(v["updated"]["value"], "2026-11-20T10:00:00.250000+00:00");
        assert_eq!(v["name"]["value"], "2026-11-20T10:00:00Z", "not a GroupedTimestamp");
        assert_eq!(v["list"][0]["value"], "2026-01-01T00:00:00.000001+02:00");
    }
}
