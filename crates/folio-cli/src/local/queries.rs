//! `folio local queries ...`: the same options and JSON as `folio aihub queries`. `run`
//! prints the query id at once and then finishes the query before exiting (a query is
//! local work), so a later `status` finds it COMPLETE or FAILED.

use super::output::{print_json, query_status};
use super::{Context, WaitArgs};
use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use folio_core::{Backend, QueryModel, QueryRequest, QuerySource};

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
    /// Ask this chatbot (`folio local chatbots list`)
    #[arg(long, value_name = "ID")]
    chatbot: Option<String>,
    /// Ask every document of this conversation
    #[arg(long, value_name = "ID")]
    conversation: Option<String>,
    /// The question
    #[arg(long)]
    query: String,
    /// multistep breaks the question into parts and answers each; multistep-lite (the default) retrieves once
    #[arg(long, value_enum)]
    model: Option<Model>,
    /// Return the source documents with their pages and boxes
    #[arg(long)]
    include_source_info: bool,
    /// Follow the query until it completes and print its final status
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

pub async fn run(context: &Context, command: QueriesCommand) -> anyhow::Result<()> {
    match command {
        QueriesCommand::Run(a) => {
            let backend = context.backend(false).await?;
            let source = match (a.chatbot, a.conversation) {
                (Some(id), _) => QuerySource::Chatbot(id),
                (None, Some(id)) => QuerySource::Conversation(id),
                (None, None) => unreachable!("clap requires one source"),
            };
            let model = a.model.map(|m| match m {
                Model::Multistep => QueryModel::Multistep,
                Model::MultistepLite => QueryModel::MultistepLite,
            });
            let request = QueryRequest { query: a.query, source, model, include_source_info: a.include_source_info };
            let id = backend.run_query(&request).await?;
            if a.wait {
                let done = backend.follow_query(&id, &a.wait_args.follow_options()).await?;
                return print_json(&query_status(&done));
            }
            print_json(&serde_json::json!({"query_id": id}))?;
            backend.wait_for_queries().await;
            Ok(())
        }
        QueriesCommand::Status { query_id } => {
            let backend = context.backend(false).await?;
            print_json(&query_status(&backend.query_status(&query_id).await?))
        }
    }
}
