use crate::error::AppResult;
use folio_core::AppInfo;
use tauri::{AppHandle, Manager, Runtime};

#[tauri::command]
pub fn get_app_info<R: Runtime>(app: AppHandle<R>) -> AppResult<AppInfo> {
    let data_dir = app.path().app_data_dir().map(|p| p.display().to_string()).unwrap_or_default();
    let package = app.package_info();
    Ok(AppInfo {
        name: package.name.clone(),
        version: package.version.to_string(),
        identifier: app.config().identifier.clone(),
        data_dir,
        os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
    })
}

#[cfg(test)]
mod tests {
    use crate::test_support::TestApp;
    use serde_json::json;

    #[test]
    fn app_info_names_the_app_and_its_data_folder() {
        let app = TestApp::start();
        let info = app.call("get_app_info", json!({})).unwrap();
        assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
        let data_dir = info["dataDir"].as_str().unwrap();
        assert!(data_dir.contains("xdg_data_home"), "test data must stay in the temp folder: {data_dir}");
        assert!(!info["identifier"].as_str().unwrap().is_empty());
    }
}
