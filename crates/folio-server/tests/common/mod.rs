//! A real server for the tests: the local engine on a temporary data folder, served by
//! `Server::bind` on 127.0.0.1 with a random port, spoken to over real HTTP.

#![allow(dead_code)]

use folio_engine::{Engine, EngineSettings};
use folio_server::{RunningServer, Server, ServerConfig, Token};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const TOKEN: &str = "test-token-0123456789abcdef";

pub struct Served {
    /// Holds the data folder (and, for some tests, folders around it).
    pub root: tempfile::TempDir,
    pub data_dir: PathBuf,
    /// `data_dir` relative to `root`.
    pub relative: String,
    pub server: RunningServer,
    pub http: reqwest::Client,
}

impl Served {
    pub async fn start() -> Served {
        Self::start_in("data").await
    }

    /// Data folder at `root/<relative>`, so tests can see what lands beside it.
    pub async fn start_in(relative: &str) -> Served {
        Self::start_configured(relative, |_| {}).await
    }

    /// With the server's configuration changed first (limits, `allow_remote`).
    pub async fn start_configured(relative: &str, change: impl FnOnce(&mut ServerConfig)) -> Served {
        let root = tempfile::tempdir().unwrap();
        let data_dir = root.path().join(relative);
        std::fs::create_dir_all(&data_dir).unwrap();
        let engine =
            Engine::open(&data_dir, EngineSettings { workers: 1, ..Default::default() }).expect("engine opens");
        let mut config = ServerConfig::loopback(0, Token::parse(TOKEN).unwrap(), data_dir.join("incoming"));
        change(&mut config);
        let server = Server::bind(config, Arc::new(engine)).await.expect("server binds");
        Served { root, data_dir, relative: relative.to_string(), server, http: reqwest::Client::new() }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.api_root())
    }

    pub fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.get(self.url(path)).bearer_auth(TOKEN)
    }

    pub fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.post(self.url(path)).bearer_auth(TOKEN)
    }

    pub fn put(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.put(self.url(path)).bearer_auth(TOKEN)
    }

    pub fn delete(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.delete(self.url(path)).bearer_auth(TOKEN)
    }

    /// Polls the conversation (every 100 ms, at most 60 s) until it is COMPLETE.
    pub async fn wait_complete(&self, id: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let (status, body) = json(self.get(&format!("/v2/conversations/{id}")).send().await.unwrap()).await;
            assert_eq!(status, 200, "{body}");
            if body["state"] == "COMPLETE" {
                return body;
            }
            assert!(Instant::now() < deadline, "still not COMPLETE after 60 s: {body}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The list answers 200: the server still serves.
    pub async fn still_serving(&self) {
        let response = self.get("/v2/conversations").send().await.expect("the server still answers");
        assert_eq!(response.status(), 200);
    }

    /// Every file under the root (relative paths), to prove what was or was not written.
    pub fn files_under_root(&self) -> Vec<String> {
        let mut out = Vec::new();
        walk(self.root.path(), self.root.path(), &mut out);
        out.sort();
        out
    }

    /// Stored copies of documents (the engine's `files/`) and staged uploads (`incoming/`).
    pub fn stored_files(&self) -> Vec<String> {
        let (copies, staged) = (format!("{}/files/", self.relative), format!("{}/incoming/", self.relative));
        self.files_under_root().into_iter().filter(|f| f.starts_with(&copies) || f.starts_with(&staged)).collect()
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(root, &path, out);
        } else {
            out.push(path.strip_prefix(root).unwrap().display().to_string());
        }
    }
}

/// Status and JSON body; panics (with the text) if the body is not JSON.
pub async fn json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let content_type = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string());
    let text = response.text().await.unwrap();
    let value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("status {status}: body is not JSON ({e}): {text:?}"));
    assert_eq!(content_type.as_deref(), Some("application/json"), "status {status}: {text}");
    (status, value)
}

/// An error answer: the status and the `message` of AI Hub's `{"message": ...}` body.
pub async fn error(response: reqwest::Response) -> (u16, String) {
    let (status, body) = json(response).await;
    let message = body["message"].as_str().unwrap_or_else(|| panic!("no message in {body}")).to_string();
    assert!(!message.is_empty());
    (status, message)
}

/// Multipart as the SDK sends it: text fields first (booleans as `True`/`False`), then
/// one `files` part per file.
pub fn form(fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    for (name, bytes) in files {
        form = form.part("files", reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()));
    }
    form
}

pub const NOTES: &[u8] =
    b"Project Heron notes\n\nThe kickoff meeting is on the third of March.\nBudget owner: Ana Lima.\n";
pub const README: &[u8] =
    b"# Heron\n\nHeron is a *migration* project.\n\n## Risks\n\nThe vendor contract ends in June.\n";
pub const TABLE: &[u8] = b"city,population\nLisbon,545000\nPorto,232000\n";
