//! `folio pieces conversations ...`: the generated client's conversation operations, and
//! asking through `/qgpt/question` (one-shot) or the `/qgpt/stream` socket (in a
//! conversation, so Pieces keeps the history).

use super::{core, print_json};
use clap::{Args, Subcommand};
use folio_pieces::PiecesClient;
use serde_json::json;
use std::io::Write;

#[derive(Subcommand)]
pub enum ConversationsCommand {
    /// List every conversation
    List,
    /// Create a conversation, empty or about a Pieces asset (Pieces adds a summary)
    Create {
        /// Name of the conversation
        #[arg(long, conflicts_with = "from_asset", required_unless_present = "from_asset")]
        name: Option<String>,
        /// Id of a Pieces asset to start the conversation from
        #[arg(long, value_name = "ASSET_ID")]
        from_asset: Option<String>,
    },
    /// Show a conversation
    Get {
        /// Conversation id
        id: String,
    },
    /// Rename a conversation
    Rename {
        /// Conversation id
        id: String,
        /// New name
        #[arg(long)]
        name: String,
    },
    /// Delete a conversation
    Delete {
        /// Conversation id
        id: String,
    },
    /// A conversation's messages, oldest first (deleted ones left out)
    Messages {
        /// Conversation id
        id: String,
    },
    /// Ask the copilot a question
    Ask(AskArgs),
}

#[derive(Args)]
pub struct AskArgs {
    /// The question
    #[arg(long)]
    question: String,
    /// Stream the answer over the WebSocket (pieces on stderr as they arrive)
    #[arg(long)]
    stream: bool,
    /// Ask inside this conversation, so Pieces keeps the turn (needs --stream; without
    /// it Pieces creates a conversation)
    #[arg(long, value_name = "ID", requires = "stream")]
    conversation: Option<String>,
}

pub async fn run(client: &PiecesClient, command: ConversationsCommand) -> anyhow::Result<()> {
    match command {
        ConversationsCommand::List => print_json(&client.list_conversations().await.map_err(core)?),
        ConversationsCommand::Create { name, from_asset: None } => {
            print_json(&client.create_conversation(name.as_deref().unwrap_or_default()).await.map_err(core)?)
        }
        ConversationsCommand::Create { from_asset: Some(asset), .. } => {
            print_json(&json!({"conversation": {"id": client.create_from_asset(&asset).await.map_err(core)?}}))
        }
        ConversationsCommand::Get { id } => print_json(&client.get_conversation_raw(&id).await.map_err(core)?),
        ConversationsCommand::Rename { id, name } => {
            print_json(&client.rename_conversation(&id, &name).await.map_err(core)?)
        }
        ConversationsCommand::Delete { id } => {
            client.delete_conversation(&id).await.map_err(core)?;
            print_json(&json!({}))
        }
        ConversationsCommand::Messages { id } => {
            let messages = client.messages(&id).await.map_err(core)?;
            let live: Vec<_> = messages
                .live()
                .into_iter()
                .map(|m| json!({"id": m.id, "role": m.role, "text": m.text(), "created": m.created.as_ref().and_then(|c| c.value.clone())}))
                .collect();
            print_json(&live)
        }
        ConversationsCommand::Ask(args) if args.stream => {
            let sink = |piece: &str| {
                let mut err = std::io::stderr().lock();
                let _ = err.write_all(piece.as_bytes());
                let _ = err.flush();
            };
            let answer =
                client.ask_stream(args.conversation.as_deref(), &args.question, vec![], &sink).await.map_err(core)?;
            eprintln!();
            print_json(&json!({"conversation": answer.conversation, "text": answer.text, "pieces": answer.frames}))
        }
        ConversationsCommand::Ask(args) => print_json(&client.question(&args.question, vec![]).await.map_err(core)?),
    }
}
