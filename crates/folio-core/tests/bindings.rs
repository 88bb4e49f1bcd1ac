//! Fails when ui/src/ipc/bindings.ts no longer matches the Rust types.

#[test]
fn typescript_bindings_are_fresh() {
    folio_core::bindings::check_committed("ui/src/ipc/bindings.ts", &folio_core::bindings::typescript(), "folio-core");
}
