//! `folio local queries ...`: mirrors `folio aihub queries`; answering arrives with the
//! answering engine (issue 5), so for now each says so with the "unsupported" exit code.

use clap::Subcommand;

#[derive(Subcommand)]
pub enum QueriesCommand {
    /// Run a query over documents of a conversation
    Run {
        /// The question
        #[arg(long)]
        query: String,
        /// Conversation id
        #[arg(long)]
        conversation: Option<String>,
    },
    /// Show a query's status and answer
    Status {
        /// Query id
        id: String,
    },
}

pub async fn run(_command: QueriesCommand) -> anyhow::Result<()> {
    Err(folio_core::Error::Unsupported("Queries on the local engine arrive with the answering engine".into()).into())
}
