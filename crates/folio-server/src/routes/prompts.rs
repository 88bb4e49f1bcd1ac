//! Converse: one question to documents of a conversation (contract 1.9).

use super::{document_id, path_param, AppState};
use crate::error::{ApiError, ApiResult};
use crate::uploads::read_json_value;
use crate::wire::PromptResponse;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::Json;
use folio_core::{ConverseMode, ConverseRequest};
use serde_json::Value;

/// `POST /v2/conversations/{id}/prompts` → 200 `{prompt_id, answer}`.
/// Body (SDK 0.13): `{"question", "document_ids": [int], "mode": "default"|"advanced",
/// "fast_mode": bool}`. `fast_mode` is accepted and passed on; numeric strings are
/// accepted as ids (seed000 shows strings). An empty `document_ids` asks every document
/// of the conversation (a Folio extension; AI Hub wants exactly one).
pub async fn converse(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    body: Body,
) -> ApiResult<Json<PromptResponse>> {
    let id = path_param(path)?;
    let json = read_json_value(body, &state.limits)
        .await?
        .ok_or_else(|| ApiError::bad_request("Expected a JSON body with `question` and `document_ids`"))?;
    let request = converse_request(&json)?;
    let answer = state.backend.converse(&id, &request).await?;
    Ok(Json(PromptResponse { prompt_id: answer.prompt_id, answer: answer.text }))
}

fn converse_request(json: &Value) -> ApiResult<ConverseRequest> {
    let question = json
        .get("question")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .ok_or_else(|| ApiError::bad_request("`question` must be a non-empty string"))?;
    let document_ids = match json.get("document_ids") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(ids)) => ids
            .iter()
            .map(|v| match v {
                Value::Number(n) => {
                    n.as_i64().ok_or_else(|| ApiError::bad_request(format!("Document ids are integers, not {n}")))
                }
                Value::String(s) => document_id(s),
                other => Err(ApiError::bad_request(format!("Document ids are integers, not {other}"))),
            })
            .collect::<ApiResult<_>>()?,
        Some(other) => {
            return Err(ApiError::bad_request(format!("`document_ids` must be a list of integers, not {other}")))
        }
    };
    let mode = match json.get("mode").and_then(|m| if m.is_null() { None } else { Some(m) }) {
        None => ConverseMode::Default,
        Some(Value::String(m)) if m == "default" => ConverseMode::Default,
        Some(Value::String(m)) if m == "advanced" => ConverseMode::Advanced,
        Some(other) => {
            return Err(ApiError::bad_request(format!("`mode` is \"default\" or \"advanced\", not {other}")))
        }
    };
    let fast_mode = match json.get("fast_mode") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => return Err(ApiError::bad_request(format!("`fast_mode` must be true or false, not {other}"))),
    };
    Ok(ConverseRequest { question: question.to_string(), document_ids, mode, fast_mode })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_sdk_body_parses_and_bad_ones_say_why() {
        let r = converse_request(
            &json!({"question": "What?", "document_ids": [15], "mode": "default", "fast_mode": false}),
        )
        .unwrap();
        assert_eq!(
            (r.question.as_str(), r.document_ids, r.mode, r.fast_mode),
            ("What?", vec![15], ConverseMode::Default, false)
        );
        let r = converse_request(&json!({"question": "Why?", "document_ids": ["16"], "mode": "advanced"})).unwrap();
        assert_eq!((r.document_ids, r.mode), (vec![16], ConverseMode::Advanced));
        for (body, word) in [
            (json!({"document_ids": [1]}), "question"),
            (json!({"question": "  ", "document_ids": [1]}), "question"),
            (json!({"question": "q", "document_ids": ["x"]}), "integers"),
            (json!({"question": "q", "document_ids": 3}), "document_ids"),
            (json!({"question": "q", "mode": "multistep"}), "mode"),
            (json!({"question": "q", "fast_mode": "yes"}), "fast_mode"),
        ] {
            let err = converse_request(&body).unwrap_err();
            assert_eq!(err.status, 400);
            assert!(err.message.contains(word), "{body}: {}", err.message);
        }
    }
}
