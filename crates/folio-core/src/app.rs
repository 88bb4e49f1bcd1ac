//! What the app tells about itself (the About box, bug reports).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub name: String,
    pub version: String,
    pub identifier: String,
    /// Where Folio keeps its data on this machine.
    pub data_dir: String,
    pub os: String,
}

/// "Allow scripts to use Folio": where the local AI Hub-compatible server listens, and
/// the token scripts must send. Shown to the person so they can paste it into a script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScriptAccess {
    pub api_root: String,
    pub token: String,
}
