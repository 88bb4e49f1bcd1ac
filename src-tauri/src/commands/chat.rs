//! Asking questions of a conversation's documents on the active backend: the answer
//! streams to the window as it is written, and the person can stop it.

use crate::answering::Answering;
use crate::backends::Backends;
use crate::error::AppResult;
use folio_core::{Answer, ChatTurn, ConverseRequest};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

/// Asks a question of some (or, with no ids, all) documents of a conversation. The
/// answer's text goes to `on_text` piece by piece; the whole answer, with the pages it
/// cites, is the result. `answer_id` names this answer for `stop_answer`.
#[tauri::command]
pub async fn converse<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    answering: State<'_, Answering>,
    id: String,
    request: ConverseRequest,
    answer_id: String,
    on_text: Channel<String>,
) -> AppResult<Answer> {
    if request.question.trim().is_empty() {
        return Err(folio_core::Error::InvalidInput("Type a question first".into()).into());
    }
    let backend = backends.active(&app).await?;
    let work = async move {
        let sink = move |piece: &str| {
            // A window that went away cannot be told; the answer is still recorded.
            let _ = on_text.send(piece.to_string());
        };
        backend.converse_streaming(&id, &request, &sink).await
    };
    Ok(answering.run(answer_id, work).await?)
}

/// Stops an answer that is still being written. Stopping one that already finished
/// does nothing.
#[tauri::command]
pub fn stop_answer(answering: State<'_, Answering>, answer_id: String) {
    answering.stop(&answer_id);
}

/// The conversation's earlier questions and answers, oldest first.
#[tauri::command]
pub async fn chat_history<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    id: String,
) -> AppResult<Vec<ChatTurn>> {
    Ok(backends.active(&app).await?.history(&id).await?)
}

#[cfg(test)]
mod tests {
    use crate::test_support::TestApp;
    use serde_json::json;

    #[test]
    fn a_question_about_a_note_is_answered_by_quoting_its_page_and_kept_in_history() {
        let app = TestApp::start();
        let dir = tempfile::tempdir().unwrap();
        let note = dir.path().join("Ferry.txt");
        std::fs::write(
            &note,
            "Opening hours are posted at the harbour.\nThe ferry to the island leaves at 7:40 from pier 3.\n",
        )
        .unwrap();
        let id =
            app.call("create_conversation", json!({ "paths": [note] })).unwrap()["id"].as_str().unwrap().to_string();
        app.call("follow_conversation", json!({ "id": id, "onProgress": "__CHANNEL__:1" })).unwrap();

        let request = json!({ "question": "When does the ferry leave?", "documentIds": [], "mode": "default", "fastMode": false });
        let args = json!({ "id": id, "request": request, "answerId": "a1", "onText": "__CHANNEL__:2" });
        let answer = app.call("converse", args).unwrap();
        assert_eq!(answer["kind"], "quoted", "{answer}");
        assert!(answer["text"].as_str().unwrap().contains("7:40"), "{answer}");
        let source = &answer["sources"][0];
        assert_eq!(source["documentName"], "Ferry.txt", "{answer}");
        assert_eq!(source["pageLabel"], "lines 1-2", "a text file is cited by its lines: {answer}");

        let history = app.call("chat_history", json!({ "id": id })).unwrap();
        assert_eq!(history[0]["question"], "When does the ferry leave?", "{history}");
        assert_eq!(history[0]["answer"]["text"], answer["text"]);

        let blank = json!({ "question": "  ", "documentIds": [], "mode": "default", "fastMode": false });
        let err = app
            .call("converse", json!({ "id": id, "request": blank, "answerId": "a2", "onText": "__CHANNEL__:3" }))
            .unwrap_err();
        assert_eq!(err["kind"], "invalid_input");
        // Stopping an answer that has finished is harmless.
        app.call("stop_answer", json!({ "answerId": "a1" })).unwrap();
    }
}
