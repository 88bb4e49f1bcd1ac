//! Fails when ui/src/ipc/models-bindings.ts no longer matches the Rust types.

#[test]
fn typescript_bindings_are_fresh() {
    folio_core::bindings::check_committed(
        "ui/src/ipc/models-bindings.ts",
        &folio_models::bindings::typescript(),
        "folio-models",
    );
}
