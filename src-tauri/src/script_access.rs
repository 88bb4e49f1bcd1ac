//! "Allow scripts to use Folio": the same AI Hub-compatible server as `folio serve`,
//! started from Settings over this app's own local engine, on loopback only, with a
//! fresh token each time it starts.

use crate::error::AppResult;
use folio_core::{Backend, ScriptAccess};
use folio_server::{RunningServer, Server, ServerConfig, ServerError, Token};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::Mutex;

/// `folio serve`'s default port, so a script written for one works with the other.
const PREFERRED_PORT: u16 = 8465;

#[derive(Default)]
pub struct ScriptServer {
    running: Mutex<Option<(ScriptAccess, RunningServer)>>,
}

impl ScriptServer {
    /// Starts the server (or returns the one already running).
    pub async fn start(&self, backend: Arc<dyn Backend>, staging: PathBuf) -> AppResult<ScriptAccess> {
        let mut running = self.running.lock().await;
        if let Some((access, _)) = running.as_ref() {
            return Ok(access.clone());
        }
        let token = Token::generate()?;
        let preferred = ServerConfig::loopback(PREFERRED_PORT, token.clone(), staging.clone());
        let server = match Server::bind(preferred, backend.clone()).await {
            Ok(server) => server,
            // Another Folio (or `folio serve`) has the usual port: any free one will do.
            Err(ServerError::Bind { .. }) => Server::bind(ServerConfig::loopback(0, token, staging), backend).await?,
            Err(err) => return Err(err.into()),
        };
        let access = ScriptAccess { api_root: server.api_root(), token: server.token().expose().to_string() };
        tracing::info!(api_root = %access.api_root, "scripts may use Folio");
        *running = Some((access.clone(), server));
        Ok(access)
    }

    /// Stops accepting requests and lets those in flight finish.
    pub async fn stop(&self) -> AppResult<()> {
        if let Some((_, server)) = self.running.lock().await.take() {
            server.shutdown().await?;
            tracing::info!("scripts may no longer use Folio");
        }
        Ok(())
    }

    pub async fn status(&self) -> Option<ScriptAccess> {
        self.running.lock().await.as_ref().map(|(access, _)| access.clone())
    }
}
