//! Queries: asynchronous questions to a chatbot or to several documents of a
//! conversation, followed by polling (contract 2.1-2.2).

use super::{path_param, AppState};
use crate::error::{ApiError, ApiResult};
use crate::uploads::read_json_value;
use crate::wire::{query_status, QueryAccepted, QueryShape, QueryStatusWire};
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use folio_core::{QueryModel, QueryRequest, QuerySource};
use serde_json::Value;

/// `POST /v2/queries` → 202 `{query_id}`. Body (SDK 0.13 `RunQueryRequest`): `query`,
/// `model_name` (multistep | multistep-lite; absent lets the backend choose),
/// `include_source_info`, `source_app: {type: CHATBOT | CONVERSE, id}`. `filters` is
/// accepted and ignored (the SDK never sends it).
pub async fn run(State(state): State<AppState>, body: Body) -> ApiResult<(StatusCode, Json<QueryAccepted>)> {
    let json = read_json_value(body, &state.limits)
        .await?
        .ok_or_else(|| ApiError::bad_request("Expected a JSON body with `query` and `source_app`"))?;
    let request = query_request(&json)?;
    let shape = QueryShape { include_source_info: request.include_source_info, model: request.model };
    let query_id = state.backend.run_query(&request).await?;
    state.queries.remember(&query_id, shape);
    Ok((StatusCode::ACCEPTED, Json(QueryAccepted { query_id })))
}

/// `GET /v2/queries/{query_id}` → 200 with RUNNING, COMPLETE (+ results) or FAILED (+ error).
pub async fn status(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<QueryStatusWire>> {
    let id = path_param(path)?;
    let status = state.backend.query_status(&id).await?;
    Ok(Json(query_status(status, state.queries.shape(&id))))
}

fn query_request(json: &Value) -> ApiResult<QueryRequest> {
    let query = json
        .get("query")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .ok_or_else(|| ApiError::bad_request("`query` must be a non-empty string"))?;
    let model = match json.get("model_name") {
        None | Some(Value::Null) => None,
        Some(Value::String(m)) if m == "multistep" => Some(QueryModel::Multistep),
        Some(Value::String(m)) if m == "multistep-lite" => Some(QueryModel::MultistepLite),
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "`model_name` is \"multistep\" or \"multistep-lite\", not {other}"
            )))
        }
    };
    let include_source_info = match json.get("include_source_info") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(ApiError::bad_request(format!("`include_source_info` must be true or false, not {other}")))
        }
    };
    let app = json.get("source_app").and_then(Value::as_object).ok_or_else(|| {
        ApiError::bad_request("`source_app` must be {\"type\": \"CHATBOT\" or \"CONVERSE\", \"id\": ...}")
    })?;
    let id = match app.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err(ApiError::bad_request("`source_app.id` must name the chatbot or the conversation")),
    };
    let source = match app.get("type").and_then(Value::as_str).map(str::to_ascii_uppercase).as_deref() {
        Some("CHATBOT") => QuerySource::Chatbot(id),
        Some("CONVERSE") => QuerySource::Conversation(id),
        _ => return Err(ApiError::bad_request("`source_app.type` is \"CHATBOT\" or \"CONVERSE\"")),
    };
    Ok(QueryRequest { query: query.to_string(), source, model, include_source_info })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_source_apps_and_both_models_parse() {
        let r = query_request(&json!({"query": "Q?", "model_name": "multistep", "include_source_info": true, "source_app": {"type": "CHATBOT", "id": "bot"}})).unwrap();
        assert_eq!(
            (r.source, r.model, r.include_source_info),
            (QuerySource::Chatbot("bot".into()), Some(QueryModel::Multistep), true)
        );
        let r = query_request(
            &json!({"query": "Q", "model_name": "multistep-lite", "source_app": {"type": "CONVERSE", "id": "c1"}}),
        )
        .unwrap();
        assert_eq!(
            (r.source, r.model, r.include_source_info),
            (QuerySource::Conversation("c1".into()), Some(QueryModel::MultistepLite), false)
        );
        for (body, word) in [
            (json!({"source_app": {"type": "CHATBOT", "id": "b"}}), "query"),
            (json!({"query": "q"}), "source_app"),
            (json!({"query": "q", "source_app": {"type": "APP", "id": "b"}}), "type"),
            (json!({"query": "q", "source_app": {"type": "CHATBOT"}}), "id"),
            (json!({"query": "q", "model_name": "gpt", "source_app": {"type": "CHATBOT", "id": "b"}}), "model_name"),
        ] {
            let err = query_request(&body).unwrap_err();
            assert_eq!(err.status, 400);
            assert!(err.message.contains(word), "{body}: {}", err.message);
        }
    }
}
