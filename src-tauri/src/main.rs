// Keeps a console window from opening beside the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // FOLIO_READER=1: this process is the engine's reader child; no window, no runtime.
    folio_engine::isolation::enter_reader_mode_or_continue();
    folio_desktop::run()
}
