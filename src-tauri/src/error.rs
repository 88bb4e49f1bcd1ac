//! The shell's one error type. Every command returns it, and it crosses IPC as
//! `{kind, message}` (folio-core's `ErrorPayload`) so the UI matches on `kind`.

use folio_core::{ErrorKind, ErrorPayload};
use serde::{Serialize, Serializer};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Core(#[from] folio_core::Error),
    #[error("Folio could not read or save its settings: {0}")]
    Settings(String),
    #[error("{0}")]
    Keychain(#[from] crate::secrets::KeychainError),
    #[error("Scripts cannot reach Folio: {0}")]
    ScriptServer(#[from] folio_server::ServerError),
}

impl AppError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            AppError::Core(err) => err.kind(),
            AppError::Settings(_) => ErrorKind::Internal,
            AppError::Keychain(err) => err.kind(),
            AppError::ScriptServer(_) => ErrorKind::Unavailable,
        }
    }
}

impl From<tauri_plugin_store::Error> for AppError {
    fn from(err: tauri_plugin_store::Error) -> Self {
        AppError::Settings(err.to_string())
    }
}

impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ErrorPayload { kind: self.kind(), message: self.to_string() }.serialize(serializer)
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crosses_ipc_as_kind_and_message() {
        let err = AppError::from(folio_core::Error::Auth("The AI Hub token was refused".into()));
        assert_eq!(
            serde_json::to_value(&err).unwrap(),
            serde_json::json!({"kind": "auth", "message": "The AI Hub token was refused"})
        );
        let err = AppError::Settings("disk full".into());
        assert_eq!(serde_json::to_value(&err).unwrap()["kind"], "internal");
    }
}
