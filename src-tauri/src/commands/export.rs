//! Saving a conversation as Markdown or as one web page. Rust asks where (the native save
//! dialog, offering both) and writes the file in the format its name ends with, so the
//! page itself can never choose a path to write to.

use crate::backends::Backends;
use crate::error::AppResult;
use folio_core::export::ExportFormat;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

/// Returns where the file was saved, or None when the person cancelled the dialog.
#[tauri::command]
pub async fn export_conversation<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    id: String,
) -> AppResult<Option<String>> {
    let backend = backends.active(&app).await?;
    let conversation = backend.get_conversation(&id).await?;
    let turns = backend.history(&id).await?;
    let file_name = format!("{}.md", safe_file_name(&conversation.name));
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title("Export conversation")
        .set_file_name(file_name)
        .add_filter("Markdown", &["md"])
        .add_filter("Web page", &["html", "htm"])
        .save_file(move |path| {
            let _ = tx.send(path);
        });
    let Some(path) = rx.await.ok().flatten() else { return Ok(None) };
    let path = path
        .into_path()
        .map_err(|e| folio_core::Error::InvalidInput(format!("That place cannot be written to: {e}")))?;
    let format = ExportFormat::for_path(&path);
    let text = folio_core::export::export(format, &conversation, &turns);
    // A few kilobytes: written directly rather than on a blocking thread.
    std::fs::write(&path, text)
        .map_err(|e| folio_core::Error::InvalidInput(format!("{} could not be written: {e}", path.display())))?;
    Ok(Some(path.display().to_string()))
}

/// A conversation name as a file name: no path separators or characters Windows refuses.
fn safe_file_name(name: &str) -> String {
    let cleaned: String =
        name.chars()
            .map(|c| {
                if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                    '-'
                } else {
                    c
                }
            })
            .collect();
    let cleaned = cleaned.trim().trim_matches('.').to_string();
    if cleaned.is_empty() {
        "Conversation".into()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::safe_file_name;

    #[test]
    fn conversation_names_become_safe_file_names() {
        assert_eq!(safe_file_name("Trip: 2025/26?"), "Trip- 2025-26-");
        assert_eq!(safe_file_name(" .. "), "Conversation");
    }
}
