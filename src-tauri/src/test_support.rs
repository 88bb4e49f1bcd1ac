//! Builds the real app (every plugin and command, its real config and capabilities)
//! on Tauri's mock runtime, with its data and config directories in a temporary
//! folder, and calls commands the way the UI does: through IPC, with JSON arguments.

use std::sync::{Mutex, MutexGuard, OnceLock};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

/// The XDG variables are process-wide, so tests that touch app data run one at a time.
static SERIAL: Mutex<()> = Mutex::new(());
static DATA_ROOT: OnceLock<tempfile::TempDir> = OnceLock::new();

pub struct TestApp {
    _app: App<MockRuntime>,
    pub window: WebviewWindow<MockRuntime>,
    _serial: MutexGuard<'static, ()>,
}

impl TestApp {
    /// A fresh app with no saved data.
    pub fn start() -> Self {
        let serial = SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        Self::launch(serial, true)
    }

    /// Closes this app and starts a new one over the data it left: a restart. The
    /// serial lock is held throughout, so no other test touches the data in between.
    pub fn restart(self) -> Self {
        let TestApp { _app, window, _serial } = self;
        drop(window);
        drop(_app);
        Self::launch(_serial, false)
    }

    fn launch(serial: MutexGuard<'static, ()>, fresh: bool) -> Self {
        let root = DATA_ROOT.get_or_init(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            for var in ["XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"] {
                std::env::set_var(var, dir.path().join(var.to_lowercase()));
            }
            // Keyword-only engines here: each test app's engine keeps its threads until
            // the process exits, and ONNX Runtime tearing down under a live embedding
            // thread crashed this binary at exit now and then. Embeddings are tested in
            // folio-engine and folio-answer, whose engines are shut down before exit.
            std::env::remove_var("FOLIO_ONNXRUNTIME");
            keyring::set_default_credential_builder(crate::secrets::test_store::builder());
            dir
        });
        if fresh {
            let _ = std::fs::remove_dir_all(root.path().join("xdg_data_home"));
        }
        let app = crate::configure(mock_builder())
            .build(tauri::generate_context!("tauri.conf.json", test = true))
            .expect("app builds");
        let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("window");
        TestApp { _app: app, window, _serial: serial }
    }

    /// Invokes a command as the UI would; Ok is the JSON result, Err the JSON error.
    pub fn call(&self, command: &str, args: serde_json::Value) -> Result<serde_json::Value, serde_json::Value> {
        let request = InvokeRequest {
            cmd: command.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            // The window's own URL, so the app's real capabilities decide what is allowed.
            url: self.window.url().expect("window url"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request)
            .map(|body| body.deserialize::<serde_json::Value>().expect("JSON response"))
    }
}
