//! The user's settings: one typed struct, stored as one key. Every field has a default
//! so a settings file from an older or newer Folio still loads. Secrets (API tokens)
//! are never here: they live in the OS keychain.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub const DEFAULT_AIHUB_API_ROOT: &str = "https://aihub.instabase.com/api";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum BackendChoice {
    /// Folio's own engine: no account, works offline.
    #[default]
    Local,
    AiHub,
    Airia,
    Pieces,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct AiHubSettings {
    pub api_root: String,
    /// Sent as `IB-Context` when set: a user id or an org id.
    pub ib_context: Option<String>,
    pub org: Option<String>,
    pub workspace: Option<String>,
}

impl Default for AiHubSettings {
    fn default() -> Self {
        AiHubSettings { api_root: DEFAULT_AIHUB_API_ROOT.into(), ib_context: None, org: None, workspace: None }
    }
}

/// A language model the user already runs (Ollama or any OpenAI-compatible server).
/// None means "find Ollama on this machine, or quote the documents".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct LanguageModelSettings {
    pub endpoint: Option<String>,
    pub model: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    pub active_backend: BackendChoice,
    pub aihub: AiHubSettings,
    pub language_model: LanguageModelSettings,
}

impl Settings {
    /// Trims text fields and turns blanks into None, so "  " never becomes an IB-Context.
    pub fn normalized(mut self) -> Self {
        fn clean(value: &mut Option<String>) {
            *value = value.take().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        }
        clean(&mut self.aihub.ib_context);
        clean(&mut self.aihub.org);
        clean(&mut self.aihub.workspace);
        clean(&mut self.language_model.endpoint);
        clean(&mut self.language_model.model);
        let root = self.aihub.api_root.trim().trim_end_matches('/');
        self.aihub.api_root = if root.is_empty() { DEFAULT_AIHUB_API_ROOT.into() } else { root.into() };
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_fields_take_defaults() {
        let s: Settings = serde_json::from_str(r#"{"aihub": {"ibContext": "org1"}, "future": 1}"#).unwrap();
        assert_eq!(s.active_backend, BackendChoice::Local);
        assert_eq!(s.aihub.api_root, DEFAULT_AIHUB_API_ROOT);
        assert_eq!(s.aihub.ib_context.as_deref(), Some("org1"));
    }

    #[test]
    fn normalized_clears_blanks_and_trailing_slash() {
        let mut s = Settings::default();
        s.aihub.api_root = " https://x.example/api/ ".into();
        s.aihub.ib_context = Some("  ".into());
        s.language_model.endpoint = Some(" http://127.0.0.1:11434 ".into());
        let s = s.normalized();
        assert_eq!(s.aihub.api_root, "https://x.example/api");
        assert_eq!(s.aihub.ib_context, None);
        assert_eq!(s.language_model.endpoint.as_deref(), Some("http://127.0.0.1:11434"));
    }
}
