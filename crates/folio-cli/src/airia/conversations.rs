//! `folio airia conversations ...`. Airia has no list endpoint: `list` reads Folio's
//! own index of the Airia conversations it created.

use super::AiriaArgs;
use clap::{Args, Subcommand};
use folio_core::{Backend, ConverseRequest, FollowOptions, ListQuery, NewConversation, ProgressSink};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

#[derive(Subcommand)]
pub enum ConversationsCommand {
    /// Create a conversation on Airia and read its files on this computer
    Create(CreateArgs),
    /// List Folio's conversations on Airia (from Folio's own index: Airia cannot list them)
    List,
    /// Show a conversation: its documents (Folio) and its messages (Airia)
    Get {
        /// Conversation id (Folio's, as `create` printed it)
        id: String,
    },
    /// Delete a conversation on Airia and its documents here
    Delete {
        /// Conversation id
        id: String,
    },
    /// Ask a question: the passages that answer it go to the Airia pipeline, the answer cites their pages
    Converse(ConverseArgs),
}

#[derive(Args)]
pub struct CreateArgs {
    /// Title of the conversation
    #[arg(long)]
    name: String,
    /// Read the files now, showing progress on stderr, before printing
    #[arg(long)]
    wait: bool,
    /// Files to talk about
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
}

#[derive(Args)]
pub struct ConverseArgs {
    /// Conversation id
    id: String,
    /// The question
    #[arg(long)]
    question: String,
    /// Only these documents (ids from `get`); default: all of them
    #[arg(long = "document", value_name = "DOC_ID")]
    documents: Vec<i64>,
    /// Stream the answer to stderr as Airia writes it (server-sent events)
    #[arg(long)]
    stream: bool,
}

fn print(value: &serde_json::Value) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn progress() -> ProgressSink {
    Arc::new(|p: folio_core::DocumentProgress| eprintln!("{}: {:?}", p.name, p.stage))
}

pub async fn run(args: &AiriaArgs, command: &ConversationsCommand) -> anyhow::Result<()> {
    use ConversationsCommand as C;
    match command {
        C::Create(a) => {
            let backend = args.backend(a.wait || !a.files.is_empty())?;
            let new = NewConversation { name: a.name.clone(), files: a.files.clone(), ..Default::default() };
            let created = backend.create_conversation(new).await?;
            let airia_id = backend.airia_id(&created.id).await?;
            let mut out = json!({"id": created.id, "name": created.name, "upload": created.upload, "airiaConversationId": airia_id});
            if a.wait {
                let options = FollowOptions { timeout: Some(Duration::from_secs(86_400)), ..Default::default() };
                let done = backend
                    .local()
                    .engine()
                    .follow_until(&created.id, progress(), &options, folio_engine::FollowUntil::Askable)
                    .await?;
                out["conversation"] = serde_json::to_value(&done)?;
            }
            print(&out)
        }
        C::List => {
            let backend = args.backend(false)?;
            let mut rows = Vec::new();
            for c in backend.list_conversations(&ListQuery::default()).await? {
                let airia_id = backend.airia_id(&c.id).await?;
                rows.push(
                    json!({"id": c.id, "name": c.name, "createdAt": c.created_at, "airiaConversationId": airia_id}),
                );
            }
            print(&json!({"conversations": rows}))
        }
        C::Get { id } => {
            let backend = args.backend(false)?;
            let conversation = backend.get_conversation(id).await?;
            let airia_id = backend.airia_id(id).await?;
            let airia = backend.client().get_conversation(&airia_id).await.map_err(folio_core::Error::from)?;
            print(&json!({"conversation": conversation, "airia": airia}))
        }
        C::Delete { id } => {
            args.backend(false)?.delete_conversation(id).await?;
            print(&json!({}))
        }
        C::Converse(a) => {
            let backend = args.backend(true)?;
            let request = ConverseRequest {
                question: a.question.clone(),
                document_ids: a.documents.clone(),
                ..Default::default()
            };
            let answer = if a.stream {
                let sink = |piece: &str| {
                    let mut err = std::io::stderr();
                    let _ = err.write_all(piece.as_bytes());
                    let _ = err.flush();
                };
                let answer = backend.converse_streaming(&a.id, &request, &sink).await;
                eprintln!();
                answer?
            } else {
                backend.converse(&a.id, &request).await?
            };
            print(&serde_json::to_value(&answer)?)
        }
    }
}
