//! `folio aihub conversations ...`: SDK 0.13's `AIHub.conversations` operations.

use super::output::{core, print_empty, print_json};
use super::WaitArgs;
use clap::{Args, Subcommand, ValueEnum};
use folio_aihub::{wait, wire, AiHubClient, CreateRequest};
use folio_core::{ConverseMode, CreateOptions, ListQuery};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ConversationsCommand {
    /// Create a conversation and upload its files (more than 100 MB goes out as several requests)
    Create(CreateArgs),
    /// List the conversations you can see
    List,
    /// Show a conversation, its state and its documents
    Status {
        /// Conversation id
        id: String,
        /// Follow it until every document is processed (progress on stderr)
        #[arg(long)]
        wait: bool,
        #[command(flatten)]
        wait_args: WaitArgs,
    },
    /// Rename a conversation or change its description
    Update {
        /// Conversation id
        id: String,
        /// New name
        #[arg(long)]
        name: Option<String>,
        /// New description
        #[arg(long)]
        description: Option<String>,
    },
    /// Delete a conversation
    Delete {
        /// Conversation id
        id: String,
    },
    /// Upload more files to a conversation (checks the 100-documents limit first)
    AddDocuments {
        /// Conversation id
        id: String,
        /// Store the files without processing them (process_files=False)
        #[arg(long)]
        no_process: bool,
        /// Files to upload: up to 50 MB and 800 pages each
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
    },
    /// Delete documents from a conversation
    DeleteDocuments {
        /// Conversation id
        id: String,
        /// Ids of the documents to delete (integers)
        #[arg(value_name = "DOC_ID", required = true)]
        document_ids: Vec<i64>,
    },
    /// Show a document's metadata (its digitized form, page layouts)
    Metadata {
        /// Conversation id
        id: String,
        /// Document id (an integer)
        #[arg(value_name = "DOC_ID")]
        document_id: i64,
    },
    /// Ask a question of documents of a conversation
    Converse(ConverseArgs),
}

#[derive(Args)]
pub struct CreateArgs {
    /// Name of the conversation
    #[arg(long)]
    name: String,
    /// Description of the conversation
    #[arg(long)]
    description: Option<String>,
    /// Organization; must match IB-Context
    #[arg(long)]
    org: Option<String>,
    /// Workspace; service accounts must give it
    #[arg(long)]
    workspace: Option<String>,
    /// Detect objects (tables, checkboxes) in the documents
    #[arg(long)]
    enable_object_detection: bool,
    /// Detect entities such as signatures and barcodes
    #[arg(long)]
    enable_entity_detection: bool,
    /// Write one converted JPEG per page
    #[arg(long)]
    write_converted_image: bool,
    /// Write thumbnails
    #[arg(long)]
    write_thumbnail: bool,
    /// Skip some digitization steps; entity detection, converted images and thumbnails must then be off
    #[arg(long)]
    fast_mode: bool,
    /// Support non-Latin languages
    #[arg(long)]
    enable_multilanguage_support: bool,
    /// Advanced multilanguage mode (needs --enable-multilanguage-support)
    #[arg(long)]
    enable_multilanguage_advanced_mode: bool,
    /// Files to upload: up to 50 MB and 800 pages each, 100 documents at most
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
}

#[derive(Args)]
pub struct ConverseArgs {
    /// Conversation id
    id: String,
    /// The question
    #[arg(long)]
    question: String,
    /// A document to ask (repeat for several)
    #[arg(long = "document", value_name = "DOC_ID", required = true)]
    documents: Vec<i64>,
    /// default is fast; advanced casts a wider net
    #[arg(long, value_enum, default_value_t = Mode::Default)]
    mode: Mode,
    /// Answer in fast mode (use the value the conversation was created with)
    #[arg(long)]
    fast_mode: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Mode {
    Default,
    Advanced,
}

/// A flag that was not given is not sent, as with the SDK.
fn flag(given: bool) -> Option<bool> {
    given.then_some(true)
}

pub async fn run(client: &AiHubClient, command: ConversationsCommand) -> anyhow::Result<()> {
    match command {
        ConversationsCommand::Create(a) => {
            let request = CreateRequest {
                name: a.name,
                description: a.description,
                options: CreateOptions {
                    org: a.org,
                    workspace: a.workspace,
                    enable_object_detection: flag(a.enable_object_detection),
                    enable_entity_detection: flag(a.enable_entity_detection),
                    write_converted_image: flag(a.write_converted_image),
                    write_thumbnail: flag(a.write_thumbnail),
                    fast_mode: flag(a.fast_mode),
                    enable_multilanguage_support: flag(a.enable_multilanguage_support),
                    enable_multilanguage_advanced_mode: flag(a.enable_multilanguage_advanced_mode),
                },
            };
            print_json(&client.create_conversation(&request, &a.files).await.map_err(core)?)
        }
        ConversationsCommand::List => {
            print_json(&client.list_conversations(&ListQuery::default()).await.map_err(core)?)
        }
        ConversationsCommand::Status { id, wait: false, .. } => {
            print_json(&client.get_conversation(&id).await.map_err(core)?)
        }
        ConversationsCommand::Status { id, wait: true, wait_args } => {
            let done = wait::conversation_processed(client, &id, &wait_args.follow_options(), report_progress).await?;
            print_json(&done)
        }
        ConversationsCommand::Update { id, name, description } => {
            client.update_conversation(&id, name.as_deref(), description.as_deref()).await.map_err(core)?;
            print_empty()
        }
        ConversationsCommand::Delete { id } => {
            client.delete_conversation(&id).await.map_err(core)?;
            print_empty()
        }
        ConversationsCommand::AddDocuments { id, no_process, files } => {
            print_json(&client.add_documents(&id, &files, !no_process).await.map_err(core)?)
        }
        ConversationsCommand::DeleteDocuments { id, document_ids } => {
            client.delete_documents(&id, &document_ids).await.map_err(core)?;
            print_empty()
        }
        ConversationsCommand::Metadata { id, document_id } => {
            print_json(&client.document_metadata(&id, document_id).await.map_err(core)?)
        }
        ConversationsCommand::Converse(a) => {
            let mode = match a.mode {
                Mode::Default => ConverseMode::Default,
                Mode::Advanced => ConverseMode::Advanced,
            };
            print_json(&client.converse(&a.id, &a.question, &a.documents, mode, a.fast_mode).await.map_err(core)?)
        }
    }
}

/// One line per change: the conversation's state and each document's.
fn report_progress(conversation: &wire::Conversation) {
    let docs: Vec<String> = conversation
        .documents
        .iter()
        .flatten()
        .map(|d| format!("{} {}", d.name.as_deref().unwrap_or("?"), d.state.as_deref().unwrap_or("?")))
        .collect();
    eprintln!("conversation {}: {} [{}]", conversation.id, conversation.state, docs.join(", "));
}
