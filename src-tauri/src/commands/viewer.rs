//! The page viewer beside the chat: a cited page's size, text and passages, the page
//! as a picture, and the document's details, from the active backend.

use crate::backends::Backends;
use crate::error::AppResult;
use folio_core::{DocumentDetails, DocumentId, PageView};
use tauri::ipc::Response;
use tauri::{AppHandle, Runtime, State};

/// Pictures wider than this are not sharper on any screen, only slower.
const MAX_WIDTH_PX: u32 = 2400;

#[tauri::command]
pub async fn page_view<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    id: String,
    document_id: DocumentId,
    page: u32,
) -> AppResult<PageView> {
    Ok(backends.active(&app).await?.page_view(&id, document_id, page).await?)
}

/// The page as PNG bytes (sent raw, not as a JSON array of numbers).
#[tauri::command]
pub async fn render_page<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    id: String,
    document_id: DocumentId,
    page: u32,
    width_px: u32,
) -> AppResult<Response> {
    let width = width_px.clamp(64, MAX_WIDTH_PX);
    let png = backends.active(&app).await?.render_page(&id, document_id, page, width).await?;
    Ok(Response::new(png))
}

#[tauri::command]
pub async fn document_details<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    id: String,
    document_id: DocumentId,
) -> AppResult<DocumentDetails> {
    Ok(backends.active(&app).await?.document_details(&id, document_id).await?)
}

#[cfg(test)]
mod tests {
    use crate::test_support::TestApp;
    use serde_json::json;

    #[test]
    fn a_cited_text_page_comes_with_its_passages_and_details() {
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
        let settled = app.call("follow_conversation", json!({ "id": id, "onProgress": "__CHANNEL__:1" })).unwrap();
        let doc = settled["documents"][0]["id"].clone();

        let view = app.call("page_view", json!({ "id": id, "documentId": doc, "page": 1 })).unwrap();
        assert_eq!(view["kind"], "text", "{view}");
        assert_eq!(view["pageCount"], 1);
        assert!(view["text"].as_str().unwrap().contains("7:40"), "{view}");
        assert!(!view["passages"].as_array().unwrap().is_empty(), "{view}");

        let details = app.call("document_details", json!({ "id": id, "documentId": doc })).unwrap();
        assert_eq!(details["pageCount"], 1, "{details}");
        assert_eq!(details["ocrUsed"], false, "{details}");

        // A text page has no picture; a page past the end is named as such.
        let err =
            app.call("render_page", json!({ "id": id, "documentId": doc, "page": 1, "widthPx": 800 })).unwrap_err();
        assert!(["unsupported", "invalid_input", "not_found"].contains(&err["kind"].as_str().unwrap()), "{err}");
        let err = app.call("page_view", json!({ "id": id, "documentId": doc, "page": 9 })).unwrap_err();
        assert_eq!(err["kind"], "not_found", "{err}");
    }
}
