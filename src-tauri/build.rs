// Declares the app's own commands so capabilities must grant each one by name, and
// keeps the capability files inside src-tauri/ beside the code they guard.
fn main() {
    let commands = &[
        "get_app_info",
        "get_settings",
        "save_settings",
        "set_secret",
        "has_secret",
        "list_conversations",
        "create_conversation",
        "get_conversation",
        "update_conversation",
        "delete_conversation",
        "source_facts",
        "add_documents",
        "delete_documents",
        "follow_conversation",
        "converse",
        "get_script_access",
        "set_script_access",
        "stop_answer",
        "chat_history",
        "cancel_documents",
        "retry_documents",
        "export_conversation",
        "list_chatbots",
        "create_chatbot",
        "rename_chatbot",
        "delete_chatbot",
        "ask_chatbot",
        "test_language_model",
        "list_ollama_models",
        "test_aihub_connection",
        "page_view",
        "render_page",
        "document_details",
        "test_airia_connection",
        "test_pieces_connection",
        "list_models",
        "download_model",
        "pause_model_download",
        "delete_model",
        "use_model",
        "search_everywhere",
    ];
    // The default build embeds ui/dist (feature custom-protocol); say how to make it,
    // rather than tauri-codegen's bare "this path doesn't exist".
    // Read at run time: `env!` would bake in the path of whichever checkout first compiled
    // this script, and a shared CARGO_TARGET_DIR reuses it for every other checkout.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dist = std::path::Path::new(&manifest_dir).join("ui/dist");
    if std::env::var_os("CARGO_FEATURE_CUSTOM_PROTOCOL").is_some() && !dist.join("index.html").exists() {
        panic!(
            "{} has no built interface: run `npm --prefix ui run build` first (scripts/run.sh and scripts/test.sh \
             do), or build with --no-default-features for a development build that loads Vite's dev server",
            dist.display()
        );
    }
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("failed to run tauri-build");
}
