//! "Search everywhere": the one search box over every conversation's documents. It
//! always searches Folio's own library on this computer, whichever backend answers
//! questions: AI Hub keeps its documents on its server, and the documents of an Airia
//! or Pieces conversation, though stored here, belong to that backend's list.

use crate::backends::Backends;
use crate::error::AppResult;
use folio_answer::search_everywhere::{self, DEFAULT_LIMIT};
use folio_core::SearchEverywhereResults;
use tauri::{AppHandle, Runtime, State};

#[tauri::command]
pub async fn search_everywhere<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    query: String,
    limit: Option<u32>,
) -> AppResult<SearchEverywhereResults> {
    let local = backends.local(&app).await?;
    let limit = limit.map_or(DEFAULT_LIMIT, |n| n as usize);
    Ok(search_everywhere::search_everywhere(&local, &query, limit).await.map_err(folio_core::Error::from)?)
}

#[cfg(test)]
mod tests {
    use crate::test_support::TestApp;
    use serde_json::json;

    #[test]
    fn finds_a_passage_of_another_conversation_with_its_page() {
        let app = TestApp::start();
        let dir = tempfile::tempdir().unwrap();
        let (ferry, hours) = (dir.path().join("Ferry.txt"), dir.path().join("Hours.txt"));
        std::fs::write(&ferry, "The ferry to the island leaves at 7:40 from pier 3.\n").unwrap();
        std::fs::write(&hours, "The library opens at nine and closes at five.\n").unwrap();
        let mut ids = Vec::new();
        for file in [&ferry, &hours] {
            let id = app.call("create_conversation", json!({ "paths": [file] })).unwrap()["id"].clone();
            app.call("follow_conversation", json!({ "id": id, "onProgress": "__CHANNEL__:1" })).unwrap();
            ids.push(id);
        }

        let found = app.call("search_everywhere", json!({ "query": "pier" })).unwrap();
        let hits = found["hits"].as_array().unwrap();
        assert_eq!(hits[0]["conversationId"], ids[0], "{found}");
        // The other note may be near in meaning, never in words.
        assert!(hits[1..].iter().all(|h| h["matched"] == "meaning"), "{found}");
        assert_eq!(hits[0]["documentName"], "Ferry.txt");
        assert_eq!(hits[0]["page"], 1);
        assert!(hits[0]["snippet"].as_array().unwrap().iter().any(|p| p["matched"] == true && p["text"] == "pier"));

        let found = app.call("search_everywhere", json!({ "query": "library", "limit": 5 })).unwrap();
        assert_eq!(found["hits"][0]["conversationId"], ids[1], "{found}");
    }
}
