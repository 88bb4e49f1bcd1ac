//! How to reach Pieces OS: an address the user set, or the ports to look on, and the
//! time limits. Defaults follow the official wrapper (pieces_os_client 5.0.1).

use std::time::Duration;

/// The ports the official wrapper scans (`wrapper/client.py`: 39300..39334), then the
/// generated client's documented defaults (1000, and 5323 "Linux").
pub fn default_ports() -> Vec<u16> {
    let mut ports: Vec<u16> = (39300..=39333).collect();
    ports.extend([1000, 5323]);
    ports
}

/// The wrapper's default model name; used when Pieces offers it and nothing was chosen.
pub const WRAPPER_DEFAULT_MODEL: &str = "GPT-3.5-turbo Chat Model";

/// The User-Agent the generated client sends (it says 5.0.0 even in 5.0.1), so Pieces
/// sees the same traffic from Folio as from the SDK.
pub const SDK_USER_AGENT: &str = "OpenAPI-Generator/5.0.0/python";

#[derive(Debug, Clone)]
pub struct PiecesConfig {
    /// `http://127.0.0.1:39300`: when set, only this address is used (no scan).
    pub address: Option<String>,
    /// Ports probed on 127.0.0.1, in order of preference, when no address is set.
    pub ports: Vec<u16>,
    /// Limit for one health probe; every port is probed at once, so a scan takes about this long.
    pub probe_timeout: Duration,
    pub connect_timeout: Duration,
    /// Limit for one REST request.
    pub request_timeout: Duration,
    /// Longest wait for the first frame of an answer, and between frames.
    pub stream_idle_timeout: Duration,
    /// A model id or name to ask; None picks one from `GET /models` as the wrapper does.
    pub model: Option<String>,
    /// The version Folio registers with (`POST /connect`).
    pub app_version: String,
    pub user_agent: String,
}

impl Default for PiecesConfig {
    fn default() -> Self {
        PiecesConfig {
            address: None,
            ports: default_ports(),
            probe_timeout: Duration::from_millis(300),
            connect_timeout: Duration::from_secs(3),
            request_timeout: Duration::from_secs(60),
            stream_idle_timeout: Duration::from_secs(120),
            model: None,
            app_version: env!("CARGO_PKG_VERSION").to_string(),
            user_agent: SDK_USER_AGENT.to_string(),
        }
    }
}

impl PiecesConfig {
    /// A config that uses this address only.
    pub fn at(address: impl Into<String>) -> Self {
        PiecesConfig { address: Some(address.into()), ..Default::default() }
    }
}

/// Pieces' `PlatformEnum` for this computer, as the wrapper derives it.
pub fn platform() -> &'static str {
    match std::env::consts::OS {
        "macos" => "MACOS",
        "windows" => "WINDOWS",
        "linux" => "LINUX",
        _ => "WEB",
    }
}

impl PiecesConfig {
    /// Pieces OS as a person's Settings describe it: an address (or a scan of the
    /// wrapper's ports) and a model (or the wrapper's choice).
    pub fn from_settings(settings: &folio_core::PiecesSettings) -> PiecesConfig {
        PiecesConfig { address: settings.address.clone(), model: settings.model.clone(), ..Default::default() }
    }
}
