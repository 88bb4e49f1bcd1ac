//! AI Hub's JSON as it travels, parsed leniently (contract section 6, item 7): every
//! optional field may be missing, ids may come as numbers or strings, page numbers as
//! floats, `error` as a string or an object, states as any word. Unknown fields are
//! kept in `extra` so that printing a response (the CLI does) shows what the server sent.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

type Extra = Map<String, Value>;

// ---------- requests ----------

/// `ConverseRequest` (`[0.13] aihub/models/converse_request.py`): ids are JSON integers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConverseBody {
    pub question: String,
    pub document_ids: Vec<i64>,
    pub mode: String,
    pub fast_mode: bool,
}

/// `RunQueryRequest`; the SDK's `filters` never reaches the wire, so it is not here.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunQueryBody {
    pub query: String,
    pub model_name: String,
    pub include_source_info: bool,
    pub source_app: SourceApp,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceApp {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
}

/// The seed's form of delete-documents, used only as a fallback (see client.rs).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeleteDocumentsBody {
    pub ids: Vec<i64>,
}

// ---------- responses ----------

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UploadedFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Only failures carry it, and not in every SDK model: accepted wherever it appears.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UploadStatus {
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "null_as_none")]
    pub success: Option<Vec<UploadedFile>>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "null_as_none")]
    pub failure: Option<Vec<UploadedFile>>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl UploadStatus {
    /// One status for an upload that went out as several requests.
    pub fn merge(mut self, other: UploadStatus) -> Self {
        fn join(a: Option<Vec<UploadedFile>>, b: Option<Vec<UploadedFile>>) -> Option<Vec<UploadedFile>> {
            match (a, b) {
                (None, None) => None,
                (a, b) => Some(a.unwrap_or_default().into_iter().chain(b.unwrap_or_default()).collect()),
            }
        }
        self.success = join(self.success.take(), other.success);
        self.failure = join(self.failure.take(), other.failure);
        self
    }
}

/// 201 of create (`ConversationResponse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationResponse {
    #[serde(deserialize_with = "string_or_number")]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_status: Option<UploadStatus>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// 201 of add-documents (`DocumentUploadResponse`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocumentUploadResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_status: Option<UploadStatus>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationSummary {
    #[serde(deserialize_with = "string_or_number")]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConversationList {
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "null_as_none")]
    pub conversations: Option<Vec<ConversationSummary>>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `DocumentDetails`; note the camelCase `uploadTimestamp` on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentDetails {
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient_int")]
    pub id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(rename = "uploadTimestamp", default, skip_serializing_if = "Option::is_none")]
    pub upload_timestamp: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// 200 of get conversation (`Conversation`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    #[serde(deserialize_with = "string_or_number")]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// RUNNING, COMPLETE, FAILED, or whatever AI Hub adds later.
    #[serde(default)]
    pub state: String,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "null_as_none")]
    pub documents: Option<Vec<DocumentDetails>>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient_int")]
    pub id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ibdoc_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Free-form objects (layout, metadata_list, annotation_data, ...).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "null_as_none")]
    pub metadata: Option<Vec<Value>>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// 200 of converse (`PromptResponse`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PromptResponse {
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "opt_string_or_number")]
    pub prompt_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// 202 of run query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunQueryResponse {
    #[serde(deserialize_with = "string_or_number")]
    pub query_id: String,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoundingBox {
    #[serde(default)]
    pub top_x: f64,
    #[serde(default)]
    pub top_y: f64,
    #[serde(default)]
    pub bottom_x: f64,
    #[serde(default)]
    pub bottom_y: f64,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourcePage {
    /// Any JSON number: the SDK demands an int, the seed shows `9.0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_number: Option<serde_json::Number>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "null_as_none")]
    pub bboxes: Option<Vec<BoundingBox>>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl SourcePage {
    pub fn page(&self) -> Option<u32> {
        let n = self.page_number.as_ref()?.as_f64()?;
        (n.is_finite() && n >= 0.0).then_some(n.round() as u32)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceDocument {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "null_as_none")]
    pub pages: Option<Vec<SourcePage>>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryResult {
    #[serde(default)]
    pub response: String,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "null_as_none")]
    pub source_documents: Option<Vec<SourceDocument>>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `error` of a failed query: the SDK says a string, the seed an object with `message`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum QueryError {
    Text(String),
    Object(Map<String, Value>),
}

impl QueryError {
    pub fn message(&self) -> String {
        match self {
            QueryError::Text(s) => s.clone(),
            QueryError::Object(o) => match o.get("message") {
                Some(Value::String(s)) => s.clone(),
                _ => Value::Object(o.clone()).to_string(),
            },
        }
    }
}

/// 200 of query status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryStatus {
    #[serde(default, deserialize_with = "string_or_number")]
    pub query_id: String,
    /// RUNNING, COMPLETE, FAILED, or a later word.
    #[serde(default)]
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "null_as_none")]
    pub results: Option<Vec<QueryResult>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<QueryError>,
    #[serde(flatten)]
    pub extra: Extra,
}

// ---------- lenient field parsers ----------

fn null_as_none<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    Option::<T>::deserialize(d)
}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    })
}

fn opt_string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Null => None,
        Value::String(s) => Some(s),
        other => Some(other.to_string()),
    })
}

/// Document ids are integers, but a `"15"` or `15.0` is understood rather than refused;
/// anything else becomes None instead of failing the whole response.
fn lenient_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn query_status_accepts_float_pages_and_object_errors() {
        let s: QueryStatus = serde_json::from_value(json!({
            "query_id": "q1", "status": "COMPLETE",
            "results": [{"response": "r", "source_documents": [{"name": "a.pdf", "pages": [{"page_number": 9.0}]}]}]
        }))
        .unwrap();
        assert_eq!(
            s.results.unwrap()[0].source_documents.as_ref().unwrap()[0].pages.as_ref().unwrap()[0].page(),
            Some(9)
        );

        let f: QueryStatus = serde_json::from_value(
            json!({"query_id": "q1", "status": "FAILED", "error": {"message": "Invalid query uuid passed"}}),
        )
        .unwrap();
        assert_eq!(f.error.unwrap().message(), "Invalid query uuid passed");
        let g: QueryStatus =
            serde_json::from_value(json!({"query_id": "q1", "status": "FAILED", "error": "boom"})).unwrap();
        assert_eq!(g.error.unwrap().message(), "boom");
    }

    #[test]
    fn missing_optional_fields_and_unknown_states_parse() {
        let c: Conversation =
            serde_json::from_value(json!({"id": "c1", "name": "n", "state": "PAUSED", "later": 1})).unwrap();
        assert_eq!(c.state, "PAUSED");
        assert!(c.documents.is_none());
        assert_eq!(c.extra.get("later"), Some(&json!(1)));
        let d: DocumentDetails =
            serde_json::from_value(json!({"id": "15", "uploadTimestamp": "2024-01-01T00:00:00Z"})).unwrap();
        assert_eq!(d.id, Some(15));
        assert_eq!(d.upload_timestamp.as_deref(), Some("2024-01-01T00:00:00Z"));
        let q: QueryStatus =
            serde_json::from_value(json!({"query_id": "q", "status": "COMPLETE", "results": [{"response": "x"}]}))
                .unwrap();
        assert!(q.results.unwrap()[0].source_documents.is_none());
        let u: ConversationResponse = serde_json::from_value(json!({"id": "c", "name": "n", "upload_status": {"failure": [{"name": "a", "reason": "File already exists."}]}})).unwrap();
        assert_eq!(u.upload_status.unwrap().failure.unwrap()[0].reason.as_deref(), Some("File already exists."));
    }

    #[test]
    fn responses_print_back_as_sent() {
        let sent = json!({"id": "c1", "name": "n", "state": "RUNNING", "documents": [{"id": 15, "name": "a.pdf", "state": "PROCESSING", "uploadTimestamp": "t"}], "new_field": [1]});
        let parsed: Conversation = serde_json::from_value(sent.clone()).unwrap();
        assert_eq!(serde_json::to_value(&parsed).unwrap(), sent);
    }

    #[test]
    fn converse_body_has_integer_ids() {
        let body =
            ConverseBody { question: "What?".into(), document_ids: vec![15], mode: "default".into(), fast_mode: false };
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"question":"What?","document_ids":[15],"mode":"default","fast_mode":false}"#
        );
    }
}
