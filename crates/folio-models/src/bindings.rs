//! The model manager's types as the UI sees them, generated like folio-core's (this crate
//! has its own file because folio-core cannot depend on llama.cpp). `ui/src/ipc/
//! models-bindings.ts` is this function's output; a test fails when it is stale.

use crate::{DownloadProgress, DownloadStage, InstalledModel, ModelInfo};
use ts_rs::{Config, TS};

pub fn typescript() -> String {
    let cfg = Config::default();
    let decls =
        [ModelInfo::decl(&cfg), InstalledModel::decl(&cfg), DownloadProgress::decl(&cfg), DownloadStage::decl(&cfg)];
    let mut out = String::from(
        "// Generated from crates/folio-models by `FOLIO_UPDATE_BINDINGS=1 cargo test -p folio-models --test bindings`.\n// Do not edit: change the Rust types instead.\n\n",
    );
    out.push_str(&decls.map(|d| format!("export {d}")).join("\n\n"));
    out.push('\n');
    out
}
