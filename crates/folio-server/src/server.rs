//! Starting and stopping the server, for `folio serve` and for the desktop app's
//! "Allow scripts to use Folio": bind, learn the address, serve in the background, and
//! stop gracefully (requests in flight finish; new connections are refused).

use crate::auth::Token;
use crate::error::ServerError;
use crate::guards::AllowedHosts;
use crate::limits::Limits;
use crate::listen;
use crate::routes::{router, AppState};
use crate::uploads::clean_staging;
use folio_core::Backend;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub host: IpAddr,
    /// 0 picks a free port (the bound one is in [`RunningServer::addr`]).
    pub port: u16,
    pub token: Token,
    /// Listening on a non-loopback address exposes the API (plain HTTP) to the network:
    /// refused unless this is set. It also lifts the Host check (only loopback names
    /// are answered otherwise, against DNS rebinding).
    pub allow_remote: bool,
    /// Where uploads wait while the backend copies them; put it inside the backend's
    /// data folder so nothing is ever written elsewhere.
    pub staging_dir: PathBuf,
    pub limits: Limits,
    /// How long requests in flight may take to finish once shutdown is asked for.
    pub shutdown_grace: Duration,
}

impl ServerConfig {
    /// 127.0.0.1 on `port`, default limits, 30 s to finish requests at shutdown.
    pub fn loopback(port: u16, token: Token, staging_dir: PathBuf) -> Self {
        ServerConfig {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port,
            token,
            allow_remote: false,
            staging_dir,
            limits: Limits::default(),
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

/// Asks a running server to stop; cheap to clone (the app keeps one per server).
#[derive(Debug, Clone)]
pub struct ShutdownHandle(CancellationToken);

impl ShutdownHandle {
    pub fn shutdown(&self) {
        self.0.cancel();
    }

    pub fn is_shutting_down(&self) -> bool {
        self.0.is_cancelled()
    }
}

pub struct Server;

impl Server {
    /// Binds the address and starts serving in the background on the current tokio
    /// runtime. Fails before serving anything if the host is not loopback (without
    /// `allow_remote`), the port is taken, or the staging folder cannot be made.
    pub async fn bind(config: ServerConfig, backend: Arc<dyn Backend>) -> Result<RunningServer, ServerError> {
        if !config.host.is_loopback() && !config.allow_remote {
            return Err(ServerError::NotLoopback(config.host));
        }
        let staging = config.staging_dir.clone();
        std::fs::create_dir_all(&staging).map_err(|source| ServerError::Staging { path: staging.clone(), source })?;
        clean_staging(&staging);
        let requested = SocketAddr::new(config.host, config.port);
        let listener = tokio::net::TcpListener::bind(requested)
            .await
            .map_err(|source| ServerError::Bind { addr: requested, source })?;
        let addr = listener.local_addr().map_err(|source| ServerError::Bind { addr: requested, source })?;

        let hosts = if config.allow_remote { AllowedHosts::any() } else { AllowedHosts::loopback(addr.port()) };
        let app = router(AppState::new(backend, staging, config.limits), config.token.clone(), hosts);
        let cancel = CancellationToken::new();
        let serve = listen::serve(listener, app, config.limits, cancel.clone());
        let grace = config.shutdown_grace;
        let watch = cancel.clone();
        let task = tokio::spawn(async move {
            tokio::pin!(serve);
            tokio::select! {
                _ = &mut serve => Ok(()),
                // Past the grace period the serve loop is dropped: a client that keeps a
                // request open for ever cannot hold the shutdown hostage.
                _ = async { watch.cancelled().await; tokio::time::sleep(grace).await } => {
                    tracing::warn!("requests still open {} s after shutdown was asked; stopping anyway", grace.as_secs());
                    Ok(())
                }
            }
        });
        tracing::info!(%addr, "serving AI Hub's API");
        Ok(RunningServer { addr, token: config.token, shutdown: ShutdownHandle(cancel), task })
    }
}

/// A server serving in the background.
pub struct RunningServer {
    addr: SocketAddr,
    token: Token,
    shutdown: ShutdownHandle,
    task: JoinHandle<Result<(), ServerError>>,
}

impl RunningServer {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// What a script gives the SDK as `api_root`, e.g. `http://127.0.0.1:8465/api`.
    pub fn api_root(&self) -> String {
        format!("http://{}/api", self.addr)
    }

    pub fn token(&self) -> &Token {
        &self.token
    }

    pub fn shutdown_handle(&self) -> ShutdownHandle {
        self.shutdown.clone()
    }

    /// Waits until the server has stopped (after a shutdown was asked, or an error).
    pub async fn wait(self) -> Result<(), ServerError> {
        match self.task.await {
            Ok(result) => result,
            Err(e) => Err(ServerError::Serve(std::io::Error::other(format!("the server task ended abnormally: {e}")))),
        }
    }

    /// Stops accepting connections, lets requests in flight finish (up to the grace
    /// period) and returns when it is done.
    pub async fn shutdown(self) -> Result<(), ServerError> {
        self.shutdown.shutdown();
        self.wait().await
    }
}
