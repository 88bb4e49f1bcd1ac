//! The reference `scripts/bench.sh` measures Folio's window against: a Tauri 2 window
//! of Folio's size showing an empty page, built from the same tauri, features and
//! profile as Folio and nothing else, so "how much does Folio add" is read in the same
//! run on the same machine. It reuses Folio's generated context (tauri only accepts a
//! config file named tauri.conf.json, and a second one would confuse the Tauri CLI) but
//! opens none of Folio's windows or commands.

use tauri::{WebviewUrl, WebviewWindowBuilder};

fn main() {
    let mut context = tauri::generate_context!("tauri.conf.json");
    context.config_mut().app.windows.clear();
    tauri::Builder::default()
        .setup(|app| {
            let blank = WebviewUrl::External("about:blank".parse()?);
            WebviewWindowBuilder::new(app, "blank", blank)
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
