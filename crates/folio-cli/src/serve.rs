//! `folio serve`: AI Hub's REST API (Conversations v2 and Queries) over Folio's local
//! engine (with the answering engine, folio-answer, on top), so scripts written for AI
//! Hub, and the official Python SDK, work against the documents on this computer. The
//! server itself is crates/folio-server.
//!
//! stdout gets one JSON line once the server listens (`api_root`, `address`, and the
//! `token` when one was generated), so a script can start it and read where it is;
//! stderr gets the same for people, then one line per request.

use clap::Args;
use folio_engine::{Engine, EngineSettings};
use folio_server::{Server, ServerConfig, Token};
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The port `folio serve` uses unless told otherwise (unassigned by IANA).
pub const DEFAULT_PORT: u16 = 8465;

#[derive(Args)]
#[command(
    about = "Serve AI Hub's REST API over the local engine, for your AI Hub scripts and the official SDK",
    long_about = "Serve AI Hub's REST API (Conversations v2 and Queries, under /api/v2) over Folio's local \
        engine, so scripts written for Instabase AI Hub work offline against this computer: point the SDK's \
        api_root at the printed address and use the printed token as the API key.\n\n\
        Every request needs `Authorization: Bearer <token>`. Uploads follow AI Hub's limits (50 MB per \
        file, 100 MB per request). Flags AI Hub accepts that the local engine cannot honour (org, \
        workspace, object/entity detection, converted images, thumbnails, fast mode, multi-language) are \
        accepted and ignored, as is the IB-Context header. Ctrl-C stops the server after the requests in \
        flight have finished."
)]
pub struct ServeArgs {
    /// Address to listen on; anything but loopback needs --allow-remote
    #[arg(long, default_value = "127.0.0.1", value_name = "HOST")]
    host: String,
    /// Port to listen on (0 picks a free one)
    #[arg(long, default_value_t = DEFAULT_PORT, value_name = "N")]
    port: u16,
    /// The engine's data folder (the same as `folio local`'s)
    #[arg(long, env = "FOLIO_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// The API token clients must send (16+ characters); a random one is generated and printed if absent
    #[arg(long, env = "FOLIO_SERVE_TOKEN", hide_env_values = true, value_name = "T")]
    token: Option<String>,
    /// Allow listening on a non-loopback address (the API is plain HTTP: use only on a trusted network)
    #[arg(long)]
    allow_remote: bool,
    /// Worker threads reading documents (default: one per core)
    #[arg(long, value_name = "N")]
    workers: Option<usize>,
    /// Seconds requests in flight may take to finish after Ctrl-C
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    shutdown_grace: u64,
}

fn parse_host(host: &str) -> anyhow::Result<IpAddr> {
    if host.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    host.trim_start_matches('[').trim_end_matches(']').parse().map_err(|_| {
        folio_core::Error::InvalidInput(format!("--host must be an IP address or localhost, not {host:?}")).into()
    })
}

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    init_logging();
    let host = parse_host(&args.host)?;
    // Checked before the engine opens, so a refused host touches nothing.
    if !host.is_loopback() && !args.allow_remote {
        return Err(folio_core::Error::InvalidInput(folio_server::ServerError::NotLoopback(host).to_string()).into());
    }
    let (token, generated) = match &args.token {
        Some(text) => (Token::parse(text).map_err(|e| folio_core::Error::InvalidInput(e.to_string()))?, false),
        None => (Token::generate().map_err(|e| folio_core::Error::Internal(e.to_string()))?, true),
    };
    // The folder `folio local` uses, so `folio serve` serves the conversations it made.
    let data_dir = crate::local::data_dir(args.data_dir)?;
    let mut settings = EngineSettings::default();
    if let Some(n) = args.workers {
        settings.workers = n.max(1);
    }
    let engine = Engine::open(&data_dir, settings).map_err(folio_core::Error::from)?;

    let mut config = ServerConfig::loopback(args.port, token.clone(), data_dir.join("incoming"));
    config.host = host;
    config.allow_remote = args.allow_remote;
    config.shutdown_grace = Duration::from_secs(args.shutdown_grace);
    // The answering engine on top: answers quote the documents (with pages) until a
    // language model is configured; `folio local`'s --llm flags are not offered here yet.
    let backend = Arc::new(
        folio_answer::LocalBackend::new(engine.clone(), folio_answer::AnswerSettings::default())
            .map_err(folio_core::Error::from)?,
    );
    let server =
        Server::bind(config, backend.clone()).await.map_err(|e| folio_core::Error::Unavailable(e.to_string()))?;

    let ready = serde_json::json!({
        "api_root": server.api_root(),
        "address": server.addr().to_string(),
        "token": generated.then(|| token.expose().to_string()),
        "data_dir": data_dir.display().to_string(),
    });
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{ready}")?;
    stdout.flush()?;
    drop(stdout);
    eprintln!("folio: serving AI Hub's API at {} (data in {})", server.api_root(), data_dir.display());
    if generated {
        eprintln!("folio: API token: {} (pass --token or FOLIO_SERVE_TOKEN to choose one)", token.expose());
    }
    if !host.is_loopback() {
        eprintln!("folio: listening beyond this computer over plain HTTP: anyone who sees the token can use it");
    }
    eprintln!("folio: in Python: AIHub(api_root=\"{}\", api_key=\"<token>\"); Ctrl-C stops", server.api_root());

    let handle = server.shutdown_handle();
    tokio::spawn(async move {
        stop_signal().await;
        eprintln!("folio: stopping: finishing the requests in flight");
        handle.shutdown();
    });
    let served = server.wait().await;
    // Queries run in the background: let the ones started finish (recorded COMPLETE or
    // FAILED) rather than leave them RUNNING for ever.
    if tokio::time::timeout(Duration::from_secs(args.shutdown_grace), backend.wait_for_queries()).await.is_err() {
        eprintln!("folio: queries still running after {} s; they will show as failed", args.shutdown_grace);
    }
    drop(backend);
    // The last handle on the engine: dropping it stops its workers between pages and
    // waits for them; the store is SQLite with WAL, so nothing is left half-written and
    // unfinished documents resume on the next start.
    tokio::task::spawn_blocking(move || drop(engine)).await.ok();
    served.map_err(|e| folio_core::Error::Internal(e.to_string()))?;
    eprintln!("folio: stopped");
    Ok(())
}

/// Ctrl-C, or SIGTERM (what service managers and `kill` send).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Request lines on stderr (`RUST_LOG` overrides). Headers are never logged by the
/// server, so the token stays out of them.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("folio_server=info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_parse() {
        assert_eq!(parse_host("localhost").unwrap(), IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert!(parse_host("[::1]").unwrap().is_loopback());
        assert!(!parse_host("0.0.0.0").unwrap().is_loopback());
        assert!(parse_host("example.org").is_err());
    }
}
