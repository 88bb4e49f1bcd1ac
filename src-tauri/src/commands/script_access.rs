//! Settings' "Allow scripts to use Folio" switch.

use crate::backends::Backends;
use crate::error::AppResult;
use crate::script_access::ScriptServer;
use folio_core::ScriptAccess;
use tauri::{AppHandle, Manager, Runtime, State};

/// Where scripts reach Folio and with which token, or None when they may not.
#[tauri::command]
pub async fn get_script_access(server: State<'_, ScriptServer>) -> AppResult<Option<ScriptAccess>> {
    Ok(server.status().await)
}

#[tauri::command]
pub async fn set_script_access<R: Runtime>(
    app: AppHandle<R>,
    backends: State<'_, Backends>,
    server: State<'_, ScriptServer>,
    enabled: bool,
) -> AppResult<Option<ScriptAccess>> {
    if !enabled {
        server.stop().await?;
        return Ok(None);
    }
    let staging = app.path().app_data_dir().map_err(|e| folio_core::Error::Internal(e.to_string()))?.join("incoming");
    Ok(Some(server.start(backends.local_backend(&app).await?, staging).await?))
}

#[cfg(test)]
mod tests {
    use crate::test_support::TestApp;
    use serde_json::json;

    #[test]
    fn scripts_reach_the_local_engine_with_the_token_only() {
        let app = TestApp::start();
        assert_eq!(app.call("get_script_access", json!({})).unwrap(), json!(null));
        let access = app.call("set_script_access", json!({ "enabled": true })).unwrap();
        let api_root = access["apiRoot"].as_str().unwrap().to_string();
        let token = access["token"].as_str().unwrap().to_string();
        assert!(api_root.starts_with("http://127.0.0.1:"), "{api_root}");
        assert_eq!(app.call("get_script_access", json!({})).unwrap(), access);

        // A script asks with the token and is answered; without it, it is refused.
        let list = format!("{api_root}/v2/conversations");
        let answered = http_get(&list, Some(&token));
        assert!(answered.starts_with("HTTP/1.1 200"), "{answered}");
        assert!(answered.contains("\"conversations\""), "{answered}");
        assert!(http_get(&list, None).starts_with("HTTP/1.1 401"));

        assert_eq!(app.call("set_script_access", json!({ "enabled": false })).unwrap(), json!(null));
        let address = api_root.trim_start_matches("http://").trim_end_matches("/api").to_string();
        assert!(std::net::TcpStream::connect(address).is_err(), "the server must stop listening");
    }

    /// A plain HTTP/1.1 GET on loopback, so the test needs no HTTP client crate.
    fn http_get(url: &str, token: Option<&str>) -> String {
        use std::io::{Read, Write};
        let rest = url.trim_start_matches("http://");
        let (host, path) = rest.split_at(rest.find('/').unwrap());
        let mut stream = std::net::TcpStream::connect(host).unwrap();
        let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\n{auth}Connection: close\r\n\r\n").unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    }
}
