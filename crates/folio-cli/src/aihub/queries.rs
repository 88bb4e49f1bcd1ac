//! `folio aihub queries ...`: SDK 0.13's `AIHub.queries` operations.

use super::output::{core, print_json};
use super::WaitArgs;
use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use folio_aihub::{wait, AiHubClient};
use folio_core::{QueryModel, QuerySource};

#[derive(Subcommand)]
pub enum QueriesCommand {
    /// Start a query of a chatbot or of a conversation's documents
    Run(RunArgs),
    /// Show a query's status and, once complete, its results
    Status {
        /// Query id, as printed by `queries run`
        query_id: String,
    },
}

#[derive(Args)]
#[command(group(ArgGroup::new("source").required(true).args(["chatbot", "conversation"])))]
pub struct RunArgs {
    /// Ask this chatbot (source_app type CHATBOT)
    #[arg(long, value_name = "ID")]
    chatbot: Option<String>,
    /// Ask the documents of this conversation (source_app type CONVERSE)
    #[arg(long, value_name = "ID")]
    conversation: Option<String>,
    /// The question
    #[arg(long)]
    query: String,
    /// multistep gives page-level sources; without it the SDK's default, multistep-lite, is sent
    #[arg(long, value_enum)]
    model: Option<Model>,
    /// Return the source documents (and with multistep, their pages)
    #[arg(long)]
    include_source_info: bool,
    /// Follow the query until it completes and print its final status (progress on stderr)
    #[arg(long)]
    wait: bool,
    #[command(flatten)]
    wait_args: WaitArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum Model {
    Multistep,
    MultistepLite,
}

pub async fn run(client: &AiHubClient, command: QueriesCommand) -> anyhow::Result<()> {
    match command {
        QueriesCommand::Run(a) => {
            let source = match (a.chatbot, a.conversation) {
                (Some(id), _) => QuerySource::Chatbot(id),
                (None, Some(id)) => QuerySource::Conversation(id),
                (None, None) => unreachable!("clap requires one source"),
            };
            let model = a.model.map(|m| match m {
                Model::Multistep => QueryModel::Multistep,
                Model::MultistepLite => QueryModel::MultistepLite,
            });
            let started = client.run_query(&a.query, &source, model, a.include_source_info).await.map_err(core)?;
            if !a.wait {
                return print_json(&started);
            }
            let done = wait::query_finished(client, &started.query_id, &a.wait_args.follow_options(), |s| {
                eprintln!("query {}: {}", s.query_id, s.status)
            })
            .await?;
            print_json(&done)
        }
        QueriesCommand::Status { query_id } => print_json(&client.query_status(&query_id).await.map_err(core)?),
    }
}
