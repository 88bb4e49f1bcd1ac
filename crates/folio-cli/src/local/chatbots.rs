//! `folio local chatbots ...`: named collections of documents that answer queries
//! (`folio local queries run --chatbot ID`). Local only: AI Hub makes chatbots in its UI.

use super::output::{print_empty, print_json};
use super::Context;
use clap::{ArgGroup, Args, Subcommand};
use folio_core::ChatbotFrom;
use serde_json::json;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ChatbotsCommand {
    /// Make a chatbot from files, a folder, or an existing conversation's documents
    Create(CreateArgs),
    /// List chatbots
    List,
    /// Delete a chatbot (and the copies of files it was made from; never a conversation's)
    Delete {
        /// Chatbot id
        id: String,
    },
}

#[derive(Args)]
#[command(group(ArgGroup::new("from").required(true).args(["files", "folder", "conversation"])))]
pub struct CreateArgs {
    /// Name of the chatbot
    #[arg(long)]
    name: String,
    /// What it is for
    #[arg(long)]
    description: Option<String>,
    /// Every file in this folder
    #[arg(long, value_name = "DIR")]
    folder: Option<PathBuf>,
    /// The documents of this conversation (shared, not copied)
    #[arg(long, value_name = "ID")]
    conversation: Option<String>,
    /// Read the files now (progress on stderr) so it can answer at once
    #[arg(long)]
    wait: bool,
    /// Files to answer from
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
}

pub async fn run(context: &Context, command: ChatbotsCommand) -> anyhow::Result<()> {
    match command {
        ChatbotsCommand::Create(a) => {
            let backend = context.backend(a.wait).await?;
            let source = match (a.folder, a.conversation) {
                (Some(dir), _) => ChatbotFrom::Folder(dir),
                (None, Some(id)) => ChatbotFrom::Conversation(id),
                (None, None) => ChatbotFrom::Files(a.files),
            };
            let row = backend
                .create_chatbot(&a.name, a.description.as_deref(), source)
                .await
                .map_err(folio_core::Error::from)?;
            let bot = &row.chatbot;
            if a.wait {
                use folio_core::Backend;
                let sink: folio_core::ProgressSink = std::sync::Arc::new(super::output::report_progress);
                backend.follow_documents(&row.conversation_id, sink, &Default::default()).await?;
            }
            print_json(
                &json!({"id": bot.id, "name": bot.name, "description": bot.description, "conversation_id": row.conversation_id}),
            )
        }
        ChatbotsCommand::List => {
            let backend = context.backend(false).await?;
            let rows = backend.list_chatbots().await.map_err(folio_core::Error::from)?;
            print_json(&json!({"chatbots": rows.iter().map(|r| json!({
                "id": r.chatbot.id,
                "name": r.chatbot.name,
                "description": r.chatbot.description,
                "conversation_id": r.conversation_id,
            })).collect::<Vec<_>>()}))
        }
        ChatbotsCommand::Delete { id } => {
            context.backend(false).await?.delete_chatbot(&id).await.map_err(folio_core::Error::from)?;
            print_empty()
        }
    }
}
