//! Shared set-up for the request-level tests: a client pointed at a recording server.
#![allow(dead_code)]

use folio_aihub::testkit::RecordingServer;
use folio_aihub::{AiHubClient, ApiToken, ClientConfig};
use std::path::PathBuf;
use std::time::Duration;

pub const TOKEN: &str = "tok-SECRET-4242";

pub fn config(server: &RecordingServer) -> ClientConfig {
    let mut config = ClientConfig::new(server.api_root(), ApiToken::new(TOKEN)).with_ib_context(Some("org1".into()));
    config.read_timeout = Duration::from_secs(10);
    config.retry_backoff = Duration::from_millis(20);
    config
}

pub fn client(server: &RecordingServer) -> AiHubClient {
    AiHubClient::new(config(server)).unwrap()
}

/// Writes files with known contents into a temporary folder.
pub fn files(dir: &tempfile::TempDir, specs: &[(&str, &[u8])]) -> Vec<PathBuf> {
    specs
        .iter()
        .map(|(name, bytes)| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        })
        .collect()
}
