//! How to reach AI Hub and how patient to be. The SDK has no timeouts at all; Folio
//! sets its own (contract section 6, item 10).

use crate::limits::Limits;
use crate::token::ApiToken;
use folio_core::{AiHubProcessing, CreateOptions};
use std::time::Duration;

pub const DEFAULT_API_ROOT: &str = "https://aihub.instabase.com/api";

/// The SDK's User-Agent (`[0.13] aihub/api_client.py:94`). Folio sends the same string by
/// default so that AI Hub sees exactly the traffic it sees from the SDK; a caller can
/// set its own in [`ClientConfig::user_agent`].
pub const SDK_USER_AGENT: &str = "OpenAPI-Generator/0.13.0/python";

#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// e.g. `https://aihub.instabase.com/api`; a trailing `/` is removed (the SDK would
    /// concatenate it into `//v2`).
    pub api_root: String,
    pub token: ApiToken,
    /// Sent as `IB-Context` only when set, as the SDK does.
    pub ib_context: Option<String>,
    /// What every new conversation is created with unless it says otherwise: the
    /// account's organisation and workspace, and the processing flags chosen in
    /// Settings. SDK 0.13 sends org and workspace in one place only, the form of
    /// `POST /v2/conversations` (`conversations_api.py:1056-1079`); a service account
    /// must send the workspace (`:681`).
    pub new_conversations: CreateOptions,
    pub user_agent: String,
    pub connect_timeout: Duration,
    /// How long to wait for an answer once a request is sent (uploads get more time in
    /// proportion to their size, see `upload_bytes_per_second`).
    pub read_timeout: Duration,
    /// The slowest upload rate Folio still waits for; sets the deadline of uploads.
    pub upload_bytes_per_second: u64,
    /// Extra attempts for requests that are safe to repeat (GET, PUT, DELETE).
    pub retries: u32,
    /// First backoff between retries; doubles each time.
    pub retry_backoff: Duration,
    /// A Retry-After longer than this is not waited for: the error is returned instead.
    pub max_retry_wait: Duration,
    /// The most bytes of one answer read into memory (64 MiB by default).
    pub max_answer_bytes: usize,
    pub limits: Limits,
}

impl ClientConfig {
    pub fn new(api_root: impl Into<String>, token: ApiToken) -> Self {
        ClientConfig {
            api_root: api_root.into(),
            token,
            ib_context: None,
            new_conversations: CreateOptions::default(),
            user_agent: SDK_USER_AGENT.to_string(),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(120),
            upload_bytes_per_second: 256 * 1024,
            retries: 2,
            retry_backoff: Duration::from_millis(500),
            max_retry_wait: Duration::from_secs(30),
            max_answer_bytes: crate::transport::MAX_ANSWER_BYTES,
            limits: Limits::default(),
        }
    }

    /// The client a person's Settings describe (address, IB-Context, organisation and
    /// workspace, file processing), with the token from the keychain.
    pub fn from_settings(settings: &folio_core::AiHubSettings, token: String) -> ClientConfig {
        ClientConfig::new(settings.api_root.clone(), ApiToken::new(token))
            .with_ib_context(settings.ib_context.clone())
            .with_account(settings.org.clone(), settings.workspace.clone())
            .with_processing(&settings.processing)
    }

    pub fn with_ib_context(mut self, ib_context: Option<String>) -> Self {
        self.ib_context = ib_context.filter(|c| !c.is_empty());
        self
    }

    /// The organisation and workspace every new conversation is created in (empty
    /// means none, as for `IB-Context`).
    pub fn with_account(mut self, org: Option<String>, workspace: Option<String>) -> Self {
        self.new_conversations.org = org.filter(|o| !o.trim().is_empty());
        self.new_conversations.workspace = workspace.filter(|w| !w.trim().is_empty());
        self
    }

    /// The processing flags every new conversation is created with (on is sent).
    pub fn with_processing(mut self, p: &AiHubProcessing) -> Self {
        let on = |b: bool| b.then_some(true);
        let d = &mut self.new_conversations;
        d.enable_object_detection = on(p.object_detection);
        d.enable_entity_detection = on(p.entity_detection);
        d.write_converted_image = on(p.converted_images);
        d.write_thumbnail = on(p.thumbnails);
        d.fast_mode = on(p.fast_mode);
        d.enable_multilanguage_support = on(p.multilanguage);
        d.enable_multilanguage_advanced_mode = on(p.multilanguage_advanced);
        self
    }

    /// Whether conversations are created in fast mode: converse must say the same
    /// (contract section 6, item 6).
    pub fn fast_mode(&self) -> bool {
        self.new_conversations.fast_mode == Some(true)
    }

    /// The api root without trailing slashes, so `root + "/v2/..."` is one slash.
    pub(crate) fn normalized_root(&self) -> &str {
        self.api_root.trim_end_matches('/')
    }
}
