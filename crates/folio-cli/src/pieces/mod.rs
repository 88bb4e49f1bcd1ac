//! `folio pieces ...`: Pieces OS on this computer from the command line, one subcommand
//! per operation Folio uses, sent as the official pieces_os_client 5.0.1 sends them.
//! Each prints Pieces' answer as JSON on stdout (`{}` for delete); failures print one
//! line on stderr and exit non-zero with a code that tells the kind (see exit.rs).

mod conversations;

use anyhow::Context;
use clap::{Args, Subcommand};
use folio_pieces::{PiecesClient, PiecesConfig};
use serde::Serialize;
use std::time::Duration;

#[derive(Args)]
#[command(
    about = "Pieces OS on this computer: its copilot conversations and questions",
    long_about = "Pieces OS on this computer: its copilot conversations and questions.\n\n\
        Folio finds Pieces OS on the ports the official wrapper scans (39300-39333), then on 1000 and 5323, \
        registers as an application, and sends requests as the official Python SDK (pieces-os-client 5.0.1) \
        sends them. No token is needed."
)]
pub struct PiecesArgs {
    /// Pieces OS's address (e.g. http://127.0.0.1:39300); without it Folio looks for it
    #[arg(long, env = "PIECES_OS_ADDRESS", global = true)]
    address: Option<String>,
    /// The model to ask, by id or name; without it the wrapper's choice (a cloud or downloaded model)
    #[arg(long, env = "PIECES_MODEL", global = true)]
    model: Option<String>,
    /// Seconds to wait for one request, and between two pieces of a streamed answer
    #[arg(long, value_name = "SECONDS", default_value_t = 120, global = true)]
    request_timeout: u64,
    #[command(subcommand)]
    command: PiecesCommand,
}

#[derive(Subcommand)]
enum PiecesCommand {
    /// Where Pieces OS answers, Folio's application id there and the model it will ask
    Status,
    /// Conversations: list, create, rename, delete, read, ask
    #[command(subcommand)]
    Conversations(conversations::ConversationsCommand),
}

pub async fn run(args: PiecesArgs) -> anyhow::Result<()> {
    let timeout = Duration::from_secs(args.request_timeout.max(1));
    let config = PiecesConfig {
        address: args.address.filter(|a| !a.trim().is_empty()),
        model: args.model.filter(|m| !m.trim().is_empty()),
        request_timeout: timeout,
        stream_idle_timeout: timeout,
        ..Default::default()
    };
    let client = PiecesClient::new(config).map_err(core).context("setting up the Pieces OS client")?;
    match args.command {
        PiecesCommand::Status => {
            let session = client.session().await.map_err(core)?.clone();
            let model = client.model_id().await.map_err(core)?.to_string();
            print_json(
                &serde_json::json!({"address": session.base, "application": session.application_id, "model": model}),
            )
        }
        PiecesCommand::Conversations(command) => conversations::run(&client, command).await,
    }
}

pub(crate) fn print_json(value: &impl Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Maps the crate's error into folio-core's, which exit.rs turns into an exit code.
pub(crate) fn core(err: folio_pieces::PiecesError) -> anyhow::Error {
    anyhow::Error::new(folio_core::Error::from(err))
}
