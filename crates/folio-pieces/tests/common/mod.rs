#![allow(dead_code)]

use folio_pieces::testkit::{Recorded, RecordingServer};
use folio_pieces::{PiecesClient, PiecesConfig};
use std::time::Duration;

/// A client for the recording server, with limits short enough for quick tests.
pub fn config(server: &RecordingServer) -> PiecesConfig {
    PiecesConfig {
        request_timeout: Duration::from_secs(5),
        stream_idle_timeout: Duration::from_secs(5),
        ..PiecesConfig::at(server.base())
    }
}

pub fn client(server: &RecordingServer) -> PiecesClient {
    PiecesClient::new(config(server)).unwrap()
}

/// The requests after discovery and registration (HEAD health, POST /connect).
pub fn after_registration(server: &RecordingServer) -> Vec<Recorded> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.method != "HEAD" && r.path != "/connect" && r.method != "WS-GONE")
        .collect()
}
