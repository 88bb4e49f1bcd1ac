//! Asking questions of a conversation's documents on the active backend.

use crate::backends::Backends;
use crate::error::AppResult;
use folio_core::{Answer, ConverseRequest};
use tauri::{AppHandle, Runtime, State};

/// Asks a question of some (or, with no ids, all) documents of a conversation and
/// returns the answer with the pages it cites.
#[tauri::command]
pub async fn converse<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    id: String,
    request: ConverseRequest,
) -> AppResult<Answer> {
    if request.question.trim().is_empty() {
        return Err(folio_core::Error::InvalidInput("Type a question first".into()).into());
    }
    Ok(backends.active(&app).await?.converse(&id, &request).await?)
}

#[cfg(test)]
mod tests {
    use crate::test_support::TestApp;
    use serde_json::json;

    #[test]
    fn a_question_about_a_note_is_answered_by_quoting_its_page() {
        let app = TestApp::start();
        let dir = tempfile::tempdir().unwrap();
        let note = dir.path().join("Ferry.txt");
        std::fs::write(&note, "Opening hours are posted at the harbour.\nThe ferry to the island leaves at 7:40 from pier 3.\n").unwrap();
        let id = app.call("create_conversation", json!({ "paths": [note] })).unwrap()["id"].as_str().unwrap().to_string();
        app.call("follow_conversation", json!({ "id": id, "onProgress": "__CHANNEL__:1" })).unwrap();

        let request = json!({ "question": "When does the ferry leave?", "documentIds": [], "mode": "default", "fastMode": false });
        let answer = app.call("converse", json!({ "id": id, "request": request })).unwrap();
        assert_eq!(answer["kind"], "quoted", "{answer}");
        assert!(answer["text"].as_str().unwrap().contains("7:40"), "{answer}");
        let source = &answer["sources"][0];
        assert_eq!(source["documentName"], "Ferry.txt", "{answer}");

        let blank = json!({ "question": "  ", "documentIds": [], "mode": "default", "fastMode": false });
        let err = app.call("converse", json!({ "id": id, "request": blank })).unwrap_err();
        assert_eq!(err["kind"], "invalid_input");
    }
}
