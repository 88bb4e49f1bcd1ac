//! Folio's desktop shell: the only code that knows about Tauri. It wires plugins,
//! state and commands; every command is a short adapter over a Tauri-free crate.

mod answering;
mod backends;
mod commands;
mod error;
mod models;
mod notify;
mod script_access;
mod secrets;
mod settings_store;
#[cfg(test)]
mod test_support;

pub use error::AppError;

use tauri::{Runtime, Wry};

/// Adds every plugin and command to a builder of any runtime: the real app starts
/// from Wry's builder, the command tests from Tauri's mock builder.
pub fn configure<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_store::Builder::new().build())
        .plugin(tauri_plugin_notification::init())
        .manage(backends::Backends::default())
        .manage(answering::Answering::default())
        .manage(models::Models::default())
        .manage(script_access::ScriptServer::default())
        .invoke_handler(tauri::generate_handler![
            commands::app::get_app_info,
            commands::settings::get_settings,
            commands::settings::save_settings,
            commands::settings::set_secret,
            commands::settings::has_secret,
            commands::settings::test_language_model,
            commands::settings::list_ollama_models,
            commands::settings::test_aihub_connection,
            commands::settings::test_airia_connection,
            commands::settings::test_pieces_connection,
            commands::conversations::list_conversations,
            commands::conversations::create_conversation,
            commands::conversations::get_conversation,
            commands::conversations::update_conversation,
            commands::conversations::delete_conversation,
            commands::conversations::source_facts,
            commands::conversations::add_documents,
            commands::conversations::delete_documents,
            commands::conversations::follow_conversation,
            commands::chat::converse,
            commands::chat::stop_answer,
            commands::chat::chat_history,
            commands::export::export_conversation,
            commands::viewer::page_view,
            commands::viewer::render_page,
            commands::viewer::document_details,
            commands::models::list_models,
            commands::models::download_model,
            commands::models::pause_model_download,
            commands::models::delete_model,
            commands::models::use_model,
            commands::chatbots::list_chatbots,
            commands::chatbots::create_chatbot,
            commands::chatbots::rename_chatbot,
            commands::chatbots::delete_chatbot,
            commands::chatbots::ask_chatbot,
            commands::conversations::cancel_documents,
            commands::conversations::retry_documents,
            commands::script_access::get_script_access,
            commands::script_access::set_script_access,
            commands::search::search_everywhere,
        ])
}

pub fn run() {
    init_tracing();
    // Desktop manners that need a real desktop session (D-Bus, a window manager), so
    // they are added here and not in `configure`, which the command tests also use.
    let builder = tauri::Builder::<Wry>::default()
        // A second launch brings the running window forward instead of opening another
        // Folio on the same data (must be the first plugin).
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            use tauri::Manager;
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        // The window opens where and as large as it was last time.
        .plugin(tauri_plugin_window_state::Builder::default().build());
    configure(builder).run(tauri::generate_context!("tauri.conf.json")).unwrap_or_else(|err| {
        tracing::error!("Folio could not start: {err}");
        eprintln!("Folio could not start: {err}");
        std::process::exit(1);
    });
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("FOLIO_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

#[cfg(test)]
mod tests {
    use crate::test_support::TestApp;
    use serde_json::json;

    #[test]
    fn the_window_may_not_reach_the_settings_store_directly() {
        // Settings are read and written only through Folio's commands; the capability
        // does not grant the store plugin to the page.
        let app = TestApp::start();
        let err = app.call("plugin:store|load", json!({ "path": "settings.json" })).unwrap_err();
        assert!(err.as_str().is_some_and(|m| m.contains("not allowed")), "{err}");
    }
}
