//! Documents of a conversation: add (multipart), delete (both wire forms), metadata
//! (contract 1.6-1.8).

use super::{document_id, no_content, path_param, query_pairs, AppState};
use crate::error::{ApiError, ApiResult};
use crate::uploads::{read_json_value, read_upload};
use crate::wire::{DocumentMetadataWire, DocumentsAdded};
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use serde_json::Value;

/// `POST /v2/conversations/{id}/documents` → 201 with each file's outcome. Files the
/// backend refuses are listed under `failure` with the reason, as AI Hub does.
pub async fn add(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, Json<DocumentsAdded>)> {
    let id = path_param(path)?;
    let upload = read_upload(&headers, body, &state.staging, &state.limits).await?;
    if upload.files.is_empty() {
        return Err(ApiError::bad_request("No files: send each file as a multipart part named `files`"));
    }
    let process = upload.flag("process_files")?.unwrap_or(true);
    let status = state.backend.add_documents(&id, &upload.files, process).await?;
    drop(upload);
    Ok((StatusCode::CREATED, Json(DocumentsAdded { upload_status: status.into() })))
}

/// `DELETE /v2/conversations/{id}/documents` → 204. The SDK sends `?ids=15,16` with no
/// body; the seed's curl sends `{"ids": [15, 16]}`. Both are accepted; the query wins
/// when both are present.
pub async fn delete(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
    body: Body,
) -> ApiResult<Response> {
    let id = path_param(path)?;
    let mut ids = Vec::new();
    for (key, value) in query_pairs(raw.as_deref()) {
        if key == "ids" {
            for part in value.split(',').filter(|p| !p.trim().is_empty()) {
                ids.push(document_id(part)?);
            }
        }
    }
    if ids.is_empty() {
        if let Some(json) = read_json_value(body, &state.limits).await? {
            ids = ids_from_json(&json)?;
        }
    }
    if ids.is_empty() {
        return Err(ApiError::bad_request("Which documents? Send `?ids=15,16` or the JSON body {\"ids\": [15, 16]}"));
    }
    state.backend.delete_documents(&id, &ids).await?;
    Ok(no_content())
}

fn ids_from_json(json: &Value) -> ApiResult<Vec<i64>> {
    let list = json
        .get("ids")
        .and_then(Value::as_array)
        .ok_or_else(|| ApiError::bad_request("The body must be {\"ids\": [<document id>, ...]}"))?;
    list.iter()
        .map(|v| match v {
            Value::Number(n) => {
                n.as_i64().ok_or_else(|| ApiError::bad_request(format!("Document ids are integers, not {n}")))
            }
            Value::String(s) => document_id(s),
            other => Err(ApiError::bad_request(format!("Document ids are integers, not {other}"))),
        })
        .collect()
}

/// `GET /v2/conversations/{id}/documents/{document_id}` → 200.
pub async fn metadata(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> ApiResult<Json<DocumentMetadataWire>> {
    let (id, document) = path_param(path)?;
    let document = document_id(&document)?;
    Ok(Json(state.backend.document_metadata(&id, document).await?.into()))
}
