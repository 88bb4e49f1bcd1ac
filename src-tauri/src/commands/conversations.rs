//! Conversations and their documents on the active backend. Each command takes the
//! backend from state, calls it, and lets folio-core's error cross as {kind, message}.

use crate::backends::Backends;
use crate::error::AppResult;
use folio_core::files::expand_folders;
use folio_core::{
    Conversation, ConversationSummary, ConversationUpdate, CreatedConversation, DocumentId, DocumentProgress,
    FollowOptions, ListQuery, NewConversation, SourceFact, UploadStatus,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

#[tauri::command]
pub async fn list_conversations<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    query: ListQuery,
) -> AppResult<Vec<ConversationSummary>> {
    Ok(backends.active(&app).await?.list_conversations(&query).await?)
}

/// Starts a conversation from dropped or picked files (a folder stands for the files in
/// it), named after the first thing dropped.
#[tauri::command]
pub async fn create_conversation<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    paths: Vec<PathBuf>,
) -> AppResult<CreatedConversation> {
    let name = conversation_name(&paths);
    let files = expand_folders(&paths)?;
    let new = NewConversation { name, description: None, files, options: Default::default() };
    Ok(backends.active(&app).await?.create_conversation(new).await?)
}

#[tauri::command]
pub async fn get_conversation<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    id: String,
) -> AppResult<Conversation> {
    Ok(backends.active(&app).await?.get_conversation(&id).await?)
}

#[tauri::command]
pub async fn update_conversation<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    id: String,
    update: ConversationUpdate,
) -> AppResult<()> {
    Ok(backends.active(&app).await?.update_conversation(&id, &update).await?)
}

#[tauri::command]
pub async fn delete_conversation<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    id: String,
) -> AppResult<()> {
    Ok(backends.active(&app).await?.delete_conversation(&id).await?)
}

/// What the service holding the conversation keeps about it (Airia's title, bookmark,
/// deployment, ...), read from it now; empty for backends with nothing to add.
#[tauri::command]
pub async fn source_facts<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    id: String,
) -> AppResult<Vec<SourceFact>> {
    Ok(backends.active(&app).await?.source_facts(&id).await?)
}

#[tauri::command]
pub async fn add_documents<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    id: String,
    paths: Vec<PathBuf>,
) -> AppResult<UploadStatus> {
    let files = expand_folders(&paths)?;
    Ok(backends.active(&app).await?.add_documents(&id, &files, true).await?)
}

#[tauri::command]
pub async fn delete_documents<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    id: String,
    document_ids: Vec<DocumentId>,
) -> AppResult<()> {
    Ok(backends.active(&app).await?.delete_documents(&id, &document_ids).await?)
}

/// Stops documents that are still being processed; they end as cancelled.
#[tauri::command]
pub async fn cancel_documents<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    id: String,
    document_ids: Vec<DocumentId>,
) -> AppResult<()> {
    Ok(backends.active(&app).await?.cancel_documents(&id, &document_ids).await?)
}

/// Processes failed or cancelled documents again.
#[tauri::command]
pub async fn retry_documents<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    id: String,
    document_ids: Vec<DocumentId>,
) -> AppResult<()> {
    Ok(backends.active(&app).await?.retry_documents(&id, &document_ids).await?)
}

/// Pushes every change of the conversation's documents to the window until none is
/// still processing, then returns the settled conversation. The local engine pushes;
/// AI Hub is polled adaptively inside its backend. The window never polls.
#[tauri::command]
pub async fn follow_conversation<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    id: String,
    on_progress: Channel<DocumentProgress>,
) -> AppResult<Conversation> {
    let sink = Arc::new(move |progress: DocumentProgress| {
        // A closed window just stops listening; the work itself goes on.
        let _ = on_progress.send(progress);
    });
    let backend = backends.active(&app).await?;
    let before = backend.get_conversation(&id).await?;
    let settled = backend.follow_documents(&id, sink, &FollowOptions::default()).await?;
    if !before.is_settled() {
        crate::notify::processing_finished(&app, &settled);
    }
    Ok(settled)
}

fn conversation_name(paths: &[PathBuf]) -> String {
    let first = paths.first().and_then(|p| Path::new(p).file_stem()).map(|s| s.to_string_lossy().into_owned());
    match (first, paths.len()) {
        (Some(name), 1) => name,
        (Some(name), n) => format!("{name} and {} more", n - 1),
        (None, _) => "New conversation".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::conversation_name;
    use crate::test_support::TestApp;
    use serde_json::json;
    use std::path::PathBuf;

    #[test]
    fn conversations_are_named_after_the_first_file() {
        assert_eq!(conversation_name(&[PathBuf::from("/d/Annual report.pdf")]), "Annual report");
        assert_eq!(conversation_name(&[PathBuf::from("/d/a.pdf"), PathBuf::from("/d/b.txt")]), "a and 1 more");
        assert_eq!(conversation_name(&[]), "New conversation");
    }

    #[test]
    fn a_dropped_note_becomes_a_conversation_on_the_local_engine() {
        let app = TestApp::start();
        let dir = tempfile::tempdir().unwrap();
        let note = dir.path().join("Trip notes.txt");
        std::fs::write(&note, "The ferry to the island leaves at 7:40 from pier 3.\n").unwrap();
        let bad = dir.path().join("nothing.txt");
        std::fs::write(&bad, "").unwrap();

        let created = app.call("create_conversation", json!({ "paths": [note, bad] })).unwrap();
        assert_eq!(created["name"], "Trip notes and 1 more");
        let id = created["id"].as_str().unwrap().to_string();

        let listed = app.call("list_conversations", json!({ "query": {} })).unwrap();
        assert!(listed.as_array().unwrap().iter().any(|c| c["id"] == id.as_str()), "{listed}");

        // The mock window drops what the channel sends; the real window's journey checks it.
        let settled = app.call("follow_conversation", json!({ "id": id, "onProgress": "__CHANNEL__:1" })).unwrap();
        let docs = settled["documents"].as_array().unwrap();
        let by_name = |n: &str| docs.iter().find(|d| d["name"] == n).unwrap_or_else(|| panic!("{n} in {settled}"));
        assert_eq!(by_name("Trip notes.txt")["stage"], "ready");
        assert_eq!(by_name("nothing.txt")["stage"], "failed");
        assert!(by_name("nothing.txt")["failureReason"].as_str().unwrap().contains("nothing.txt"), "{settled}");

        app.call("update_conversation", json!({ "id": id, "update": { "name": "Island trip" } })).unwrap();
        assert_eq!(app.call("get_conversation", json!({ "id": id })).unwrap()["name"], "Island trip");
        app.call("delete_conversation", json!({ "id": id })).unwrap();
        let err = app.call("get_conversation", json!({ "id": id })).unwrap_err();
        assert_eq!(err["kind"], "not_found", "{err}");
    }

    #[test]
    fn a_dropped_folder_becomes_a_conversation_of_its_files_and_an_empty_one_is_refused() {
        let app = TestApp::start();
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("Harbour");
        std::fs::create_dir_all(folder.join("2026")).unwrap();
        std::fs::write(folder.join("ferry.txt"), "The ferry leaves at 7:40.\n").unwrap();
        std::fs::write(folder.join("2026/fees.md"), "Parking costs 4 euros a day.\n").unwrap();
        std::fs::write(folder.join(".hidden.txt"), "not for Folio\n").unwrap();

        let created = app.call("create_conversation", json!({ "paths": [folder] })).unwrap();
        assert_eq!(created["name"], "Harbour");
        let id = created["id"].as_str().unwrap().to_string();
        let conversation = app.call("get_conversation", json!({ "id": id })).unwrap();
        let mut names: Vec<&str> =
            conversation["documents"].as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap()).collect();
        names.sort();
        assert_eq!(names, ["fees.md", "ferry.txt"], "{conversation}");

        let empty = dir.path().join("Empty");
        std::fs::create_dir(&empty).unwrap();
        let err = app.call("add_documents", json!({ "id": id, "paths": [empty] })).unwrap_err();
        assert_eq!(err["kind"], "invalid_input", "{err}");
        assert!(err["message"].as_str().unwrap().contains("Empty holds no files"), "{err}");
    }
}
