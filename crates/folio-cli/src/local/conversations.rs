//! `folio local conversations ...`: the same operations as `folio aihub conversations`.

use super::output::{self, print_empty, print_json};
use super::{Context, WaitArgs};
use clap::{Args, Subcommand};
use folio_core::files::expand_folders;
use folio_core::{Backend, ConversationUpdate, ListQuery, NewConversation, ProgressSink};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Subcommand)]
pub enum ConversationsCommand {
    /// Create a conversation with files (copied into the data folder)
    Create(CreateArgs),
    /// List conversations, newest first
    List {
        /// Only conversations whose name or description contains this
        #[arg(long)]
        search: Option<String>,
    },
    /// Show a conversation, its state and its documents
    Status {
        /// Conversation id
        id: String,
        /// Read its documents until every one is processed (progress on stderr)
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
    /// Delete a conversation with its documents and chat
    Delete {
        /// Conversation id
        id: String,
    },
    /// Add files to a conversation
    AddDocuments {
        /// Conversation id
        id: String,
        /// Store the files without processing them
        #[arg(long)]
        no_process: bool,
        /// Read them now and make their vectors (meaning-search), showing progress on stderr; the answer then
        /// also holds the settled conversation and which search answers
        #[arg(long)]
        wait: bool,
        #[command(flatten)]
        wait_args: WaitArgs,
        /// With --wait: return once keyword search works, without making vectors
        #[arg(long, requires = "wait")]
        keywords_only: bool,
        /// Files to add (a folder adds every file in it)
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
    /// Show a document's metadata (page count, size, OCR used, stored copy)
    Metadata {
        /// Conversation id
        id: String,
        /// Document id (an integer)
        #[arg(value_name = "DOC_ID")]
        document_id: i64,
    },
    /// Ask a question of documents of a conversation: the answer with its pages (quoted unless --llm is given)
    Converse {
        /// Conversation id
        id: String,
        /// The question
        #[arg(long)]
        question: String,
        /// A document to ask (repeat for several; none: every document of the conversation)
        #[arg(long = "document", value_name = "DOC_ID")]
        documents: Vec<i64>,
        /// default is fast; advanced casts a wider net (more passages, several queries, re-ranking)
        #[arg(long, value_enum, default_value_t = Mode::Default)]
        mode: Mode,
        /// Accepted for compatibility with `folio aihub`; the local engine is always fast
        #[arg(long)]
        fast_mode: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Mode {
    Default,
    Advanced,
}

#[derive(Args)]
pub struct CreateArgs {
    /// Name of the conversation
    #[arg(long)]
    name: String,
    /// Description of the conversation
    #[arg(long)]
    description: Option<String>,
    /// Read the files now and make their vectors (meaning-search), showing progress on stderr; the answer then
    /// also holds the settled conversation and which search answers
    #[arg(long)]
    wait: bool,
    #[command(flatten)]
    wait_args: WaitArgs,
    /// With --wait: return once keyword search works, without making vectors
    #[arg(long, requires = "wait")]
    keywords_only: bool,
    /// Files to add (a folder adds every file in it)
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
}

fn progress_sink() -> ProgressSink {
    Arc::new(output::report_progress)
}

/// The engine for create/add-documents: with --wait it reads the files and (unless
/// --keywords-only) makes their vectors, so later `converse` calls search by meaning too.
fn open_to_wait(context: &Context, wait: bool, keywords_only: bool) -> anyhow::Result<folio_engine::Engine> {
    if !wait || keywords_only {
        return context.open(wait);
    }
    let mut settings = folio_engine::EngineSettings::default();
    if let Some(n) = context.workers {
        settings.workers = n.max(1);
    }
    Ok(folio_engine::Engine::open(&context.data_dir, settings).map_err(folio_core::Error::from)?)
}

/// Follows the conversation until its documents can be asked (by keywords only) or are
/// finished (vectors too), then adds the settled conversation and which search its
/// answers will use to `answer`; why meaning-search is missing goes to stderr as well.
async fn settle(
    engine: &folio_engine::Engine,
    id: &str,
    wait: &WaitArgs,
    keywords_only: bool,
    answer: &mut serde_json::Value,
) -> anyhow::Result<()> {
    let until = if keywords_only { folio_engine::FollowUntil::Askable } else { folio_engine::FollowUntil::Finished };
    let done = engine.follow_until(id, progress_sink(), &wait.follow_options(), until).await?;
    answer["conversation"] = output::conversation(&done);
    let missing = output::passages_without_vectors(engine, id)?;
    let meaning = !keywords_only && missing == 0 && engine.settings().embeddings.is_some();
    answer["search"] = serde_json::json!(output::search_word(meaning));
    if !meaning {
        let why = if keywords_only {
            "--keywords-only was given".to_string()
        } else if engine.settings().embeddings.is_none() {
            "the embedding model is not set up (FOLIO_EMBED_MODEL, FOLIO_EMBED_VOCAB, FOLIO_ONNXRUNTIME)".to_string()
        } else {
            match engine.wait_embedded() {
                Err(e) => e,
                Ok(()) => format!("{missing} passages still have no vectors"),
            }
        };
        let note = format!("answers will search by keywords only: {why}");
        eprintln!("{note}");
        answer["search_note"] = serde_json::json!(note);
    }
    Ok(())
}

pub async fn run(context: &Context, command: ConversationsCommand) -> anyhow::Result<()> {
    use ConversationsCommand as C;
    match command {
        C::Create(a) => {
            let engine = open_to_wait(context, a.wait, a.keywords_only)?;
            let files = expand_folders(&a.files)?;
            let new = NewConversation { name: a.name, description: a.description, files, ..Default::default() };
            let created = engine.create_conversation(new).await?;
            let mut answer = output::created(&created.id, &created.name, &created.upload);
            if a.wait {
                // One JSON document still: AI Hub's shape plus the settled conversation.
                settle(&engine, &created.id, &a.wait_args, a.keywords_only, &mut answer).await?;
            }
            print_json(&answer)
        }
        C::List { search } => {
            // Through the answering backend: conversations that only hold a chatbot's files are hidden.
            let backend = context.backend(false).await?;
            print_json(&output::list(&backend.list_conversations(&ListQuery { search, ..Default::default() }).await?))
        }
        C::Status { id, wait: false, .. } => {
            let engine = context.open(false)?;
            print_json(&output::conversation(&engine.get_conversation(&id).await?))
        }
        C::Status { id, wait: true, wait_args } => {
            let engine = context.open(true)?;
            let done = engine
                .follow_until(&id, progress_sink(), &wait_args.follow_options(), folio_engine::FollowUntil::Askable)
                .await?;
            print_json(&output::conversation(&done))
        }
        C::Update { id, name, description } => {
            let engine = context.open(false)?;
            engine.update_conversation(&id, &ConversationUpdate { name, description }).await?;
            print_empty()
        }
        C::Delete { id } => {
            context.open(false)?.delete_conversation(&id).await?;
            print_empty()
        }
        C::AddDocuments { id, no_process, wait, wait_args, keywords_only, files } => {
            let engine = open_to_wait(context, wait, keywords_only)?;
            let status = engine.add_documents(&id, &expand_folders(&files)?, !no_process).await?;
            let mut answer = serde_json::json!({"upload_status": output::upload_status(&status)});
            if wait {
                settle(&engine, &id, &wait_args, keywords_only, &mut answer).await?;
            }
            print_json(&answer)
        }
        C::DeleteDocuments { id, document_ids } => {
            context.open(false)?.delete_documents(&id, &document_ids).await?;
            print_empty()
        }
        C::Metadata { id, document_id } => {
            print_json(&output::metadata(&context.open(false)?.document_metadata(&id, document_id).await?))
        }
        C::Converse { id, question, documents, mode, fast_mode } => {
            let mode = match mode {
                Mode::Default => folio_core::ConverseMode::Default,
                Mode::Advanced => folio_core::ConverseMode::Advanced,
            };
            let request = folio_core::ConverseRequest { question, document_ids: documents, mode, fast_mode };
            let backend = context.backend(false).await?;
            // A model's answer streams to stderr as it is written; stdout gets the JSON.
            let stream = |piece: &str| {
                use std::io::Write;
                let mut err = std::io::stderr();
                let _ = err.write_all(piece.as_bytes());
                let _ = err.flush();
            };
            let answer = backend.converse_streaming(&id, &request, &stream).await?;
            if answer.kind == folio_core::AnswerKind::Generated {
                eprintln!();
            }
            let mut printed = output::answer(&answer);
            let meaning = backend.retriever().last_timings().meaning;
            printed["search"] = serde_json::json!(output::search_word(meaning));
            if !meaning {
                let why =
                    backend.retriever().vectors_off().unwrap_or_else(|| "the passages have no vectors yet".into());
                printed["search_note"] = serde_json::json!(format!("answered by keywords only: {why}"));
            }
            print_json(&printed)
        }
    }
}
