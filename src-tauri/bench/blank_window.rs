//! The reference `scripts/bench.sh` measures Folio's window against: a Tauri 2 window
//! of Folio's size showing an empty page, built from the same tauri, features and
//! profile as Folio and nothing else, so "how much does Folio add" is read in the same
//! run on the same machine. It reuses Folio's generated context (tauri only accepts a
//! config file named tauri.conf.json, and a second one would confuse the Tauri CLI) but
//! opens none of Folio's windows or commands.

use tauri::http::Response;
use tauri::{WebviewUrl, WebviewWindowBuilder};

/// A real page, served the way Folio's own is (a custom protocol), not about:blank:
/// WebKit starts no web process for about:blank, and that process is most of any
/// window's memory.
const PAGE: &[u8] = b"<!doctype html><html><head><title>Blank</title></head><body></body></html>";

fn main() {
    let mut context = tauri::generate_context!("tauri.conf.json");
    context.config_mut().app.windows.clear();
    tauri::Builder::default()
        .register_uri_scheme_protocol("blank", |_, _| {
            Response::builder().header("Content-Type", "text/html").body(PAGE.to_vec()).unwrap_or_default()
        })
        .setup(|app| {
            let page = WebviewUrl::CustomProtocol("blank://localhost/".parse()?);
            WebviewWindowBuilder::new(app, "blank", page)
                .title("Blank Tauri window")
                .inner_size(1200.0, 780.0)
                .build()?;
            Ok(())
        })
        .run(context)
        .unwrap_or_else(|err| {
            eprintln!("The blank window could not start: {err}");
            std::process::exit(1)
        });
}
