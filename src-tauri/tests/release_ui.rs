//! An app built the ordinary way (`cargo build`, `cargo build --release`, `cargo test`)
//! must show the interface bundled in its binary. Without the `custom-protocol` feature
//! Tauri treats the build as a development one and points the window at
//! `build.devUrl` (http://localhost:1420): a released app would then show whatever
//! happens to listen on that port. Only `tauri dev` should turn the feature off.

#[test]
fn a_default_build_serves_the_bundled_interface_not_a_dev_server() {
    assert!(
        !tauri::is_dev(),
        "this build would load the UI from the Vite dev server: `custom-protocol` must stay a default feature \
         of the app package (root Cargo.toml)"
    );
}
