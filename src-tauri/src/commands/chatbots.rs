//! The Chatbots screen: local chatbots (made from files, a folder or a conversation;
//! renamed; deleted) and questions to a chatbot, local or AI Hub's by id, with the
//! query's status pushed to the window while it runs.

use crate::answering::Answering;
use crate::backends::Backends;
use crate::error::AppResult;
use folio_core::{ChatbotEntry, ChatbotHost, NewChatbot, QueryModel, QueryRequest, QuerySource, QueryStatus};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

#[tauri::command]
pub async fn list_chatbots<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
) -> AppResult<Vec<ChatbotEntry>> {
    Ok(backends.local(&app).await?.list_chatbots().await.map_err(folio_core::Error::from)?)
}

/// Makes a local chatbot. Its files are read in the background like a conversation's;
/// follow them with `follow_conversation` on the entry's conversation id.
#[tauri::command]
pub async fn create_chatbot<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    new: NewChatbot,
) -> AppResult<ChatbotEntry> {
    let local = backends.local(&app).await?;
    Ok(local.create_chatbot(&new.name, new.description.as_deref(), new.from).await.map_err(folio_core::Error::from)?)
}

#[tauri::command]
pub async fn rename_chatbot<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    id: String,
    name: String,
    description: Option<String>,
) -> AppResult<()> {
    let local = backends.local(&app).await?;
    Ok(local.rename_chatbot(&id, &name, description.as_deref()).await.map_err(folio_core::Error::from)?)
}

/// Deletes a local chatbot and the documents it owns (never a conversation it was made from).
#[tauri::command]
pub async fn delete_chatbot<R: Runtime>(app: AppHandle<R>, backends: State<'_, Backends>, id: String) -> AppResult<()> {
    Ok(backends.local(&app).await?.delete_chatbot(&id).await.map_err(folio_core::Error::from)?)
}

/// Asks a chatbot one question and pushes the query's status until it settles; the
/// settled status (the reply and its sources, or why it failed) is the result.
/// `answer_id` names this question for `stop_answer` (the Stop button); a chatbot that
/// has not answered within `QUERY_TIME_LIMIT` ends with a timeout that says so.
#[allow(clippy::too_many_arguments)]
#[tauri::command]
pub async fn ask_chatbot<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    answering: State<'_, Answering>,
    host: ChatbotHost,
    id: String,
    query: String,
    model: QueryModel,
    include_sources: Option<bool>,
    answer_id: Option<String>,
    on_status: Channel<QueryStatus>,
) -> AppResult<QueryStatus> {
    let request = QueryRequest {
        query: query.trim().into(),
        source: QuerySource::Chatbot(id.trim().into()),
        model: Some(model),
        include_source_info: include_sources.unwrap_or(true),
    };
    if request.query.is_empty() {
        return Err(folio_core::Error::InvalidInput("Type a question first".into()).into());
    }
    if id.trim().is_empty() {
        return Err(folio_core::Error::InvalidInput("Enter the chatbot's id".into()).into());
    }
    let backend: std::sync::Arc<dyn folio_core::Backend> = match host {
        ChatbotHost::Local => std::sync::Arc::new(backends.local(&app).await?),
        ChatbotHost::AiHub => backends.aihub_backend(&app).await?,
    };
    let work = async move {
        folio_core::ask_query(backend.as_ref(), &request, folio_core::QUERY_TIME_LIMIT, |s| {
            let _ = on_status.send(s.clone());
        })
        .await
    };
    Ok(answering.run(answer_id.unwrap_or_else(unnamed), work).await?)
}

/// A name for a question the window did not name (nothing can stop it by name then).
fn unnamed() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("chatbot-{nanos}")
}

#[cfg(test)]
mod tests {
    use crate::test_support::TestApp;
    use serde_json::json;

    #[test]
    fn a_chatbot_made_from_a_note_answers_with_its_source_and_can_be_renamed_and_deleted() {
        let app = TestApp::start();
        let dir = tempfile::tempdir().unwrap();
        let note = dir.path().join("Ferry.txt");
        std::fs::write(&note, "The ferry to the island leaves at 7:40 from pier 3.\n").unwrap();
        let new = json!({ "name": "Ferries", "description": null, "from": { "type": "files", "value": [note] } });
        let entry = app.call("create_chatbot", json!({ "new": new })).unwrap();
        let (id, conversation) =
            (entry["chatbot"]["id"].as_str().unwrap().to_string(), entry["conversationId"].clone());
        assert_eq!(entry["ownsDocuments"], true);
        app.call("follow_conversation", json!({ "id": conversation, "onProgress": "__CHANNEL__:1" })).unwrap();

        let ask = json!({ "host": "local", "id": id, "query": "When does the ferry leave?", "model": "multistep-lite", "onStatus": "__CHANNEL__:2" });
        let status = app.call("ask_chatbot", ask).unwrap();
        assert_eq!(status["state"], "complete", "{status}");
        assert!(status["results"][0]["response"].as_str().unwrap().contains("7:40"), "{status}");
        assert_eq!(status["results"][0]["sources"][0]["documentName"], "Ferry.txt", "{status}");
        // The window's sources switch, off: the reply comes without them.
        let quiet = json!({ "host": "local", "id": id, "query": "When does the ferry leave?", "model": "multistep",
            "includeSources": false, "answerId": "a-quiet", "onStatus": "__CHANNEL__:4" });
        let status = app.call("ask_chatbot", quiet).unwrap();
        assert!(status["results"][0]["response"].as_str().unwrap().contains("7:40"), "{status}");
        assert_eq!(status["results"][0]["sources"], json!([]), "{status}");

        app.call("rename_chatbot", json!({ "id": id, "name": "Island ferries", "description": "timetables" })).unwrap();
        let listed = app.call("list_chatbots", json!({})).unwrap();
        assert_eq!(listed[0]["chatbot"]["name"], "Island ferries", "{listed}");
        app.call("delete_chatbot", json!({ "id": id })).unwrap();
        assert_eq!(app.call("list_chatbots", json!({})).unwrap(), json!([]));

        let unknown = json!({ "host": "local", "id": "cb-nope", "query": "anything", "model": "multistep", "onStatus": "__CHANNEL__:3" });
        let failed = app.call("ask_chatbot", unknown).unwrap();
        assert_eq!(failed["state"], "failed", "{failed}");
        assert!(failed["error"].as_str().unwrap().contains("cb-nope"), "{failed}");
    }
}
