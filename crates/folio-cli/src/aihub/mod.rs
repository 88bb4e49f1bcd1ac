//! `folio aihub ...`: Instabase AI Hub from the command line, one subcommand per SDK
//! 0.13 operation. Each prints the server's answer as JSON on stdout (`{}` for the
//! operations AI Hub answers with an empty 204); failures print one line on stderr and
//! exit non-zero with a code that tells the kind (see exit.rs).

mod conversations;
mod output;
mod queries;

use anyhow::Context;
use clap::{Args, Subcommand};
use folio_aihub::{AiHubClient, ApiToken, ClientConfig, DEFAULT_API_ROOT};
use std::time::Duration;

#[derive(Args)]
#[command(
    about = "Instabase AI Hub: conversations with documents, and chatbot queries",
    long_about = "Instabase AI Hub: conversations with documents, and chatbot queries.\n\n\
        Requests are sent exactly as the official Python SDK (instabase-aihub 0.13.0) sends them. \
        Every command prints AI Hub's JSON answer on stdout."
)]
pub struct AihubArgs {
    /// AI Hub's API root; custom domains use https://<domain>/api
    #[arg(long, env = "AIHUB_API_ROOT", default_value = DEFAULT_API_ROOT, global = true)]
    api_root: String,
    /// API token, sent as `Authorization: Bearer` (never printed)
    #[arg(long, env = "AIHUB_API_TOKEN", hide_env_values = true, global = true)]
    token: Option<String>,
    /// User or organization id sent as the IB-Context header; without it the community account is used
    #[arg(long, env = "AIHUB_IB_CONTEXT", global = true)]
    ib_context: Option<String>,
    /// Seconds to wait for an answer to one request (uploads get more in proportion to their size)
    #[arg(long, value_name = "SECONDS", default_value_t = 120, global = true)]
    request_timeout: u64,
    #[command(subcommand)]
    command: AihubCommand,
}

#[derive(Subcommand)]
enum AihubCommand {
    /// Conversations: create one with files, ask its documents, manage it
    #[command(subcommand)]
    Conversations(conversations::ConversationsCommand),
    /// Queries to a chatbot or to several documents of a conversation
    #[command(subcommand)]
    Queries(queries::QueriesCommand),
}

pub async fn run(args: AihubArgs) -> anyhow::Result<()> {
    let token = args
        .token
        .filter(|t| !t.is_empty())
        .ok_or_else(|| folio_core::Error::Auth("no AI Hub API token: pass --token or set AIHUB_API_TOKEN".into()))?;
    let mut config = ClientConfig::new(args.api_root, ApiToken::new(token)).with_ib_context(args.ib_context);
    config.read_timeout = Duration::from_secs(args.request_timeout.max(1));
    let client = AiHubClient::new(config).map_err(folio_core::Error::from).context("setting up the AI Hub client")?;
    match args.command {
        AihubCommand::Conversations(command) => conversations::run(&client, command).await,
        AihubCommand::Queries(command) => queries::run(&client, command).await,
    }
}

/// Options of the commands that can wait (`--wait`).
#[derive(Args)]
struct WaitArgs {
    /// Give up waiting after this many seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 1800)]
    wait_timeout: u64,
}

impl WaitArgs {
    fn follow_options(&self) -> folio_core::FollowOptions {
        folio_core::FollowOptions { timeout: Some(Duration::from_secs(self.wait_timeout)), ..Default::default() }
    }
}
