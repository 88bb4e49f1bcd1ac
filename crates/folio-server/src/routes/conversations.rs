//! Conversations: create (multipart, with files), list, status, update, delete
//! (contract 1.1-1.5).

use super::{no_content, path_param, query_pairs, AppState};
use crate::error::{ApiError, ApiResult};
use crate::uploads::{parse_bool, read_upload};
use crate::wire::{ConversationCreated, ConversationList, ConversationWire};
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use folio_core::{ConversationUpdate, CreateOptions, ListQuery, NewConversation, SortKey};

/// `POST /v2/conversations` → 201. Every SDK 0.13 flag is accepted; the ones the backend
/// cannot honour are ignored (see NOTES.md). Unknown text fields are ignored too.
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, Json<ConversationCreated>)> {
    let upload = read_upload(&headers, body, &state.staging, &state.limits).await?;
    let name = upload.field("name").map(str::trim).unwrap_or("");
    if name.is_empty() {
        return Err(ApiError::bad_request("A conversation needs a `name` field"));
    }
    let options = CreateOptions {
        org: upload.field("org").map(str::to_string),
        workspace: upload.field("workspace").map(str::to_string),
        enable_object_detection: upload.flag("enable_object_detection")?,
        enable_entity_detection: upload.flag("enable_entity_detection")?,
        write_converted_image: upload.flag("write_converted_image")?,
        write_thumbnail: upload.flag("write_thumbnail")?,
        fast_mode: upload.flag("fast_mode")?,
        enable_multilanguage_support: upload.flag("enable_multilanguage_support")?,
        enable_multilanguage_advanced_mode: upload.flag("enable_multilanguage_advanced_mode")?,
    };
    let new = NewConversation {
        name: name.to_string(),
        description: upload.field("description").map(str::to_string),
        files: upload.files.clone(),
        options,
    };
    let created = state.backend.create_conversation(new).await?;
    // The backend has its own copies now; the staging folder goes with `upload`.
    drop(upload);
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// `GET /v2/conversations` → 200, with the seed's `sort_key` (created_at | updated_at),
/// `sort_is_ascending` and `search_string`. The SDK sends none of them.
pub async fn list(State(state): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult<Json<ConversationList>> {
    let mut query = ListQuery::default();
    for (key, value) in query_pairs(raw.as_deref()) {
        match key.as_str() {
            "sort_key" => {
                query.sort_key = Some(match value.as_str() {
                    "created_at" => SortKey::CreatedAt,
                    "updated_at" => SortKey::UpdatedAt,
                    other => {
                        return Err(ApiError::bad_request(format!(
                            "`sort_key` is created_at or updated_at, not {other:?}"
                        )))
                    }
                })
            }
            "sort_is_ascending" => {
                query.ascending = Some(parse_bool(&value).ok_or_else(|| {
                    ApiError::bad_request(format!("`sort_is_ascending` must be true or false, not {value:?}"))
                })?)
            }
            "search_string" => query.search = Some(value).filter(|s| !s.is_empty()),
            _ => {}
        }
    }
    Ok(Json(state.backend.list_conversations(&query).await?.into()))
}

/// `GET /v2/conversations/{id}` → 200 with its state and documents.
pub async fn status(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<ConversationWire>> {
    let id = path_param(path)?;
    Ok(Json(state.backend.get_conversation(&id).await?.into()))
}

/// `PUT /v2/conversations/{id}?name=…&description=…` → 204. The new values travel in the
/// query string (the SDK sends no body; the seed's curl an empty one).
pub async fn update(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let id = path_param(path)?;
    let mut update = ConversationUpdate::default();
    for (key, value) in query_pairs(raw.as_deref()) {
        match key.as_str() {
            "name" if value.trim().is_empty() => {
                return Err(ApiError::bad_request("A conversation's name cannot be empty"))
            }
            "name" => update.name = Some(value),
            "description" => update.description = Some(value),
            _ => {}
        }
    }
    state.backend.update_conversation(&id, &update).await?;
    Ok(no_content())
}

/// `DELETE /v2/conversations/{id}` → 204 (known from the SDK only; the seed lacks it).
pub async fn delete(State(state): State<AppState>, path: Result<Path<String>, PathRejection>) -> ApiResult<Response> {
    let id = path_param(path)?;
    state.backend.delete_conversation(&id).await?;
    Ok(no_content())
}
