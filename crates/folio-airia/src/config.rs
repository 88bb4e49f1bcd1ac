//! How to reach Airia: base URL (with the SDK's urljoin rule), one credential, the user
//! and pipeline to talk as, and how patient to be (the SDK's 30 s by default).

use std::fmt;
use std::time::Duration;

/// The SDK's default (`airia/constants.py`); the trailing slash matters (see [`join`]).
pub const DEFAULT_BASE_URL: &str = "https://api.airia.ai/";

/// The SDK's `DEFAULT_TIMEOUT`: requests' connect and read time-out, 30 s each.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A secret that never shows in Debug output or logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Exactly one credential: the SDK refuses both at once, and an enum cannot hold both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// Sent as `X-API-KEY` (the SDK's `api_key`, or env `AIRIA_API_KEY`).
    ApiKey(Secret),
    /// Sent as `Authorization: Bearer` (the SDK's `with_bearer_token`).
    Bearer(Secret),
}

impl Auth {
    pub fn secret(&self) -> &str {
        match self {
            Auth::ApiKey(s) | Auth::Bearer(s) => s.expose(),
        }
    }
    /// "API key" or "bearer token", for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Auth::ApiKey(_) => "API key",
            Auth::Bearer(_) => "bearer token",
        }
    }
}

#[derive(Debug, Clone)]
pub struct AiriaConfig {
    /// e.g. `https://api.airia.ai/`. Joined with urljoin semantics, as the SDK does.
    pub base_url: String,
    pub auth: Auth,
    /// The Airia user conversations are created for (`userId`, required by Airia).
    pub user_id: String,
    /// The pipeline (agent) that answers chat turns: `v2/PipelineExecution/{pipeline_id}`.
    pub pipeline_id: String,
    /// Sent as `deploymentId` when creating a conversation (optional).
    pub deployment_id: Option<String>,
    /// Connect time-out and longest silence while reading (requests' semantics), 30 s.
    pub timeout: Duration,
}

impl AiriaConfig {
    pub fn new(
        base_url: impl Into<String>,
        auth: Auth,
        user_id: impl Into<String>,
        pipeline_id: impl Into<String>,
    ) -> Self {
        AiriaConfig {
            base_url: base_url.into(),
            auth,
            user_id: user_id.into(),
            pipeline_id: pipeline_id.into(),
            deployment_id: None,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// The client a person's Settings describe, with the key or token from the keychain.
    /// Says which required field is missing.
    pub fn from_settings(settings: &folio_core::AiriaSettings, secret: String) -> folio_core::Result<AiriaConfig> {
        let secret = Secret::new(secret);
        let auth = match settings.auth {
            folio_core::AiriaAuthKind::ApiKey => Auth::ApiKey(secret),
            folio_core::AiriaAuthKind::Bearer => Auth::Bearer(secret),
        };
        let required = |value: &Option<String>, what: &str| {
            value.clone().ok_or_else(|| folio_core::Error::InvalidInput(format!("Enter the Airia {what} in Settings")))
        };
        Ok(AiriaConfig::new(
            settings.base_url.clone(),
            auth,
            required(&settings.user_id, "user id")?,
            required(&settings.pipeline_id, "pipeline id")?,
        )
        .with_deployment(settings.deployment_id.clone()))
    }

    pub fn with_deployment(mut self, deployment_id: Option<String>) -> Self {
        self.deployment_id = deployment_id.filter(|d| !d.trim().is_empty());
        self
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// Python's `urljoin(base, relative)` for a relative path without `..`: the path is put
/// in place of everything after the base's last `/`. So `https://h/api/` + `v1/X` is
/// `https://h/api/v1/X`, but `https://h/api` + `v1/X` is `https://h/v1/X` (the SDK's
/// behaviour, kept so one base URL means the same thing to Folio and to the SDK).
pub fn join(base: &str, relative: &str) -> String {
    let (scheme_host, path) = match base.find("://") {
        Some(i) => match base[i + 3..].find('/') {
            Some(j) => base.split_at(i + 3 + j),
            None => (base, ""),
        },
        None => ("", base),
    };
    // Query and fragment of the base never survive urljoin with a path.
    let path = path.split(['?', '#']).next().unwrap_or("");
    let dir = match path.rfind('/') {
        Some(k) => &path[..=k],
        None => "/",
    };
    format!("{scheme_host}{dir}{relative}")
}

/// An id that goes into a URL path as is (the SDK inserts ids unescaped): refuse what
/// would change the URL's meaning rather than send it somewhere else.
pub fn check_id(what: &str, id: &str) -> Result<(), String> {
    if id.trim().is_empty() {
        return Err(format!("the Airia {what} is empty"));
    }
    if let Some(c) =
        id.chars().find(|c| matches!(c, '/' | '?' | '#' | '%' | '\\') || c.is_whitespace() || c.is_control())
    {
        return Err(format!("the Airia {what} \"{id}\" is not valid: it contains {c:?}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_follows_urljoin() {
        assert_eq!(join("https://api.airia.ai/", "v1/Conversations"), "https://api.airia.ai/v1/Conversations");
        assert_eq!(join("https://api.airia.ai", "v1/Conversations"), "https://api.airia.ai/v1/Conversations");
        assert_eq!(join("http://h:1/api", "v1/Conversations"), "http://h:1/v1/Conversations");
        assert_eq!(join("http://h:1/api/", "v2/PipelineExecution/p"), "http://h:1/api/v2/PipelineExecution/p");
        assert_eq!(join("http://h:1/a/b?x=1", "v1/C"), "http://h:1/a/v1/C");
    }

    #[test]
    fn ids_that_would_change_the_url_are_refused() {
        assert!(check_id("conversation id", "3fa85f64-5717-4562-b3fc-2c963f66afa6").is_ok());
        assert!(check_id("conversation id", "a/b").unwrap_err().contains("'/'"));
        assert!(check_id("pipeline id", " ").unwrap_err().contains("empty"));
    }

    #[test]
    fn secrets_do_not_print() {
        let auth = Auth::ApiKey(Secret::new("sk-123"));
        assert!(!format!("{auth:?}").contains("sk-123"));
    }
}
