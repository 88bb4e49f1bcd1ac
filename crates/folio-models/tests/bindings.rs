//! Fails when ui/src/ipc/models-bindings.ts no longer matches the Rust types.

use std::path::PathBuf;

#[test]
fn typescript_bindings_are_fresh() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/ipc/models-bindings.ts");
    let generated = folio_models::bindings::typescript();
    if std::env::var_os("FOLIO_UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).expect("write bindings");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale: run `FOLIO_UPDATE_BINDINGS=1 cargo test -p folio-models --test bindings` and commit it",
        path.display()
    );
}
