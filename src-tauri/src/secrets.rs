//! API tokens live in the OS keychain (Keychain on macOS, Credential Manager on
//! Windows, the Secret Service on Linux), never in the settings file or the logs.

use folio_core::ErrorKind;

/// The keychain entry for one secret of this app.
pub struct Keychain {
    service: String,
}

#[derive(Debug, thiserror::Error)]
pub enum KeychainError {
    /// The detail (a D-Bus error, say) goes to the log, not into the sentence a person reads.
    #[error("No system keychain is available to keep your token safe. On Linux, install and unlock GNOME Keyring or KWallet")]
    Unavailable(String),
    #[error("The system keychain refused to store the token: {0}")]
    Refused(String),
}

impl KeychainError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            KeychainError::Unavailable(_) => ErrorKind::Unavailable,
            KeychainError::Refused(_) => ErrorKind::Internal,
        }
    }
}

impl From<keyring::Error> for KeychainError {
    fn from(err: keyring::Error) -> Self {
        match err {
            keyring::Error::PlatformFailure(e) | keyring::Error::NoStorageAccess(e) => {
                tracing::warn!("system keychain unavailable: {e}");
                KeychainError::Unavailable(e.to_string())
            }
            other => KeychainError::Refused(other.to_string()),
        }
    }
}

impl Keychain {
    /// `service` is the app identifier, so a test build never sees a user's tokens.
    pub fn new(service: impl Into<String>) -> Self {
        Keychain { service: service.into() }
    }

    fn entry(&self, account: &str) -> Result<keyring::Entry, KeychainError> {
        Ok(keyring::Entry::new(&self.service, account)?)
    }

    /// Stores the secret; an empty or blank value deletes it.
    pub fn set(&self, account: &str, secret: &str) -> Result<(), KeychainError> {
        let entry = self.entry(account)?;
        let secret = secret.trim();
        if secret.is_empty() {
            return match entry.delete_credential() {
                Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
                Err(err) => Err(err.into()),
            };
        }
        Ok(entry.set_password(secret)?)
    }

    pub fn get(&self, account: &str) -> Result<Option<String>, KeychainError> {
        match self.entry(account)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(err) => Err(err.into()),
        }
    }
}

/// A keychain for tests: keyring's credential API backed by a process-wide map, so a
/// token set through one entry is found through the next, as in a real keychain.
/// (keyring's own mock forgets a secret as soon as its entry is dropped.)
#[cfg(test)]
pub mod test_store {
    use keyring::credential::{Credential, CredentialApi, CredentialBuilder, CredentialBuilderApi};
    use std::collections::HashMap;
    use std::sync::Mutex;

    /// Secrets by (service, user), as the OS keychain keys them.
    type Secrets = HashMap<(String, String), Vec<u8>>;
    static SECRETS: Mutex<Option<Secrets>> = Mutex::new(None);

    #[derive(Debug)]
    struct Stored {
        key: (String, String),
    }

    impl CredentialApi for Stored {
        fn set_secret(&self, secret: &[u8]) -> keyring::Result<()> {
            SECRETS.lock().unwrap().get_or_insert_with(HashMap::new).insert(self.key.clone(), secret.to_vec());
            Ok(())
        }
        fn get_secret(&self) -> keyring::Result<Vec<u8>> {
            SECRETS
                .lock()
                .unwrap()
                .get_or_insert_with(HashMap::new)
                .get(&self.key)
                .cloned()
                .ok_or(keyring::Error::NoEntry)
        }
        fn delete_credential(&self) -> keyring::Result<()> {
            SECRETS
                .lock()
                .unwrap()
                .get_or_insert_with(HashMap::new)
                .remove(&self.key)
                .map(|_| ())
                .ok_or(keyring::Error::NoEntry)
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }

    #[derive(Debug)]
    struct Builder;

    impl CredentialBuilderApi for Builder {
        fn build(&self, _target: Option<&str>, service: &str, user: &str) -> keyring::Result<Box<Credential>> {
            Ok(Box::new(Stored { key: (service.to_string(), user.to_string()) }))
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }

    pub fn builder() -> Box<CredentialBuilder> {
        Box::new(Builder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_failures_read_as_unavailable() {
        let err = KeychainError::from(keyring::Error::PlatformFailure("no secret service".into()));
        assert_eq!(err.kind(), ErrorKind::Unavailable);
        assert!(err.to_string().contains("GNOME Keyring"), "{err}");
        let err = KeychainError::from(keyring::Error::TooLong("password".into(), 10));
        assert_eq!(err.kind(), ErrorKind::Internal);
    }

    #[test]
    fn keyrings_own_mock_accepts_a_secret() {
        // keyring's mock store checks that our calls are valid keyring calls.
        let entry = keyring::Entry::new_with_credential(
            keyring::mock::default_credential_builder()
                .build(None, "app.folio.test", folio_core::SecretName::AihubToken.account())
                .unwrap(),
        );
        entry.set_password("tok").unwrap();
        assert_eq!(entry.get_password().unwrap(), "tok");
        entry.delete_credential().unwrap();
        assert!(matches!(entry.get_password(), Err(keyring::Error::NoEntry)));
    }
}
