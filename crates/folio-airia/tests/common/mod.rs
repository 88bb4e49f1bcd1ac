//! Shared helpers: a client for a recording server.
#![allow(dead_code)]

use folio_airia::testkit::RecordingServer;
use folio_airia::{AiriaClient, AiriaConfig, Auth, Secret};
use std::time::Duration;

pub const KEY: &str = "airia-key-123456";

pub fn config(base_url: &str) -> AiriaConfig {
    AiriaConfig::new(base_url, Auth::ApiKey(Secret::new(KEY)), "user-1", "pipe-1")
}

pub fn client(server: &RecordingServer) -> AiriaClient {
    AiriaClient::new(config(&server.base_url())).expect("client")
}

pub fn client_with_timeout(server: &RecordingServer, timeout: Duration) -> AiriaClient {
    AiriaClient::new(config(&server.base_url()).with_timeout(timeout)).expect("client")
}

/// A correlation id is a UUID: 36 characters, hyphens at 8, 13, 18 and 23.
pub fn is_uuid(v: &str) -> bool {
    v.len() == 36 && [8, 13, 18, 23].iter().all(|i| v.as_bytes()[*i] == b'-')
}
