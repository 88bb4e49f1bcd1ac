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
    /// How AI Hub processes the files of every new conversation (Settings' "Advanced").
    pub processing: AiHubProcessing,
}

impl Default for AiHubSettings {
    fn default() -> Self {
        AiHubSettings {
            api_root: DEFAULT_AIHUB_API_ROOT.into(),
            ib_context: None,
            org: None,
            workspace: None,
            processing: AiHubProcessing::default(),
        }
    }
}

/// SDK 0.13's create flags (contract 1.1). Off is not sent, which leaves AI Hub's own
/// default (off); on is sent as `True`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct AiHubProcessing {
    pub object_detection: bool,
    /// Signatures and barcodes.
    pub entity_detection: bool,
    /// One JPEG per page.
    pub converted_images: bool,
    pub thumbnails: bool,
    /// Skips some digitization; needs entity detection, converted images and thumbnails off.
    pub fast_mode: bool,
    /// Non-Latin languages.
    pub multilanguage: bool,
    /// Needs `multilanguage` as well.
    pub multilanguage_advanced: bool,
}

impl AiHubProcessing {
    /// A combination the SDK's documentation forbids (`conversations_api.py:686, 688`),
    /// in words; the SDK itself sends it anyway, so Settings refuses it before saving.
    pub fn conflict(&self) -> Option<&'static str> {
        if self.fast_mode && (self.entity_detection || self.converted_images || self.thumbnails) {
            return Some("Fast mode needs entity detection, page images and thumbnails turned off");
        }
        if self.multilanguage_advanced && !self.multilanguage {
            return Some("Advanced multilanguage mode needs multilanguage support turned on");
        }
        None
    }
}

pub const DEFAULT_AIRIA_BASE_URL: &str = "https://api.airia.ai/";

/// How Folio proves who it is to Airia: one or the other, never both. The key or token
/// itself is a secret (`SecretName::AiriaKey`), kept in the OS keychain.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum AiriaAuthKind {
    #[default]
    ApiKey,
    Bearer,
}

/// Airia: conversations held by Airia, documents read by Folio's own engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct AiriaSettings {
    /// Keeps its trailing slash: Airia's SDK joins paths onto it.
    pub base_url: String,
    pub auth: AiriaAuthKind,
    /// The Airia user the conversations belong to.
    pub user_id: Option<String>,
    /// The pipeline (agent) that answers.
    pub pipeline_id: Option<String>,
    pub deployment_id: Option<String>,
}

impl Default for AiriaSettings {
    fn default() -> Self {
        AiriaSettings {
            base_url: DEFAULT_AIRIA_BASE_URL.into(),
            auth: AiriaAuthKind::ApiKey,
            user_id: None,
            pipeline_id: None,
            deployment_id: None,
        }
    }
}

/// Pieces OS on this computer. Blank address: find it on the ports its wrapper scans.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct PiecesSettings {
    pub address: Option<String>,
    /// A model id or name; blank: the one Pieces' own wrapper would choose.
    pub model: Option<String>,
}

/// Which language model writes the local backend's answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ModelProvider {
    /// Folio's built-in model when one is installed, else Ollama when it runs here,
    /// else quoting: nothing to set up before the first answer.
    #[default]
    Automatic,
    /// No model: answers quote the documents.
    None,
    Ollama,
    /// Any server speaking OpenAI's chat completions; its key lives in the keychain.
    OpenAi,
    /// A model file Folio runs itself.
    Builtin,
}

/// The language model for written answers. `endpoint` and `model` are the server's
/// address and model name for Ollama and OpenAI-compatible servers (blank: Ollama's
/// default address and its first model).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct LanguageModelSettings {
    pub provider: ModelProvider,
    pub endpoint: Option<String>,
    pub model: Option<String>,
}

/// The secrets Folio keeps, each in the OS keychain under its own name. The window may
/// set one or ask whether it is set; it can never read one back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SecretName {
    AihubToken,
    OpenAiKey,
    AiriaKey,
}

impl SecretName {
    /// The keychain account name (stable: changing it loses saved secrets).
    pub const fn account(self) -> &'static str {
        match self {
            SecretName::AihubToken => "aihub-api-token",
            SecretName::OpenAiKey => "openai-api-key",
            SecretName::AiriaKey => "airia-api-key",
        }
    }
}

/// Light or dark window: the operating system's choice unless the person picks one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Appearance {
    #[default]
    System,
    Light,
    Dark,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    pub active_backend: BackendChoice,
    pub aihub: AiHubSettings,
    pub language_model: LanguageModelSettings,
    pub airia: AiriaSettings,
    pub pieces: PiecesSettings,
    pub appearance: Appearance,
    /// The person said "no thanks" to the built-in model the chat offers after a quoted
    /// answer: the offer is not shown again (Settings still lists the models).
    pub model_offer_dismissed: bool,
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
        clean(&mut self.airia.user_id);
        clean(&mut self.airia.pipeline_id);
        clean(&mut self.airia.deployment_id);
        clean(&mut self.pieces.address);
        clean(&mut self.pieces.model);
        let airia = self.airia.base_url.trim();
        self.airia.base_url = if airia.is_empty() { DEFAULT_AIRIA_BASE_URL.into() } else { airia.into() };
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

#[cfg(test)]
mod processing_tests {
    use super::AiHubProcessing;

    #[test]
    fn forbidden_combinations_are_named() {
        let fast = AiHubProcessing { fast_mode: true, ..Default::default() };
        assert_eq!(fast.conflict(), None);
        assert!(AiHubProcessing { thumbnails: true, ..fast }.conflict().unwrap().starts_with("Fast mode"));
        let advanced = AiHubProcessing { multilanguage_advanced: true, ..Default::default() };
        assert!(advanced.conflict().unwrap().contains("multilanguage support"));
        assert_eq!(AiHubProcessing { multilanguage: true, ..advanced }.conflict(), None);
    }
}
