//! `folio local ...`: the local engine from the command line. The subcommands and the
//! JSON they print mirror `folio aihub` (AI Hub's wire shapes), so a script can switch
//! backends by changing one word; local-only details ride along as extra fields.

mod answering;
mod chatbots;
mod conversations;
mod output;
mod queries;

use clap::{Args, Subcommand};
use folio_engine::{Engine, EngineSettings};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Args)]
#[command(
    about = "Folio's own engine on this computer: conversations with documents, no account",
    long_about = "Folio's own engine on this computer: conversations with documents, no account.\n\n\
        Files are copied into the data folder and read there: PDFs (scanned ones by OCR), images, \
        Word, PowerPoint, Excel/ODS, HTML, text, Markdown, CSV and e-mail. Commands print the same \
        JSON as `folio aihub`. Documents are read by `status --wait` (or `--wait` on create and \
        add-documents), or by the app when it has the same data folder open."
)]
pub struct LocalArgs {
    /// The engine's data folder (database and stored copies of files)
    #[arg(long, env = "FOLIO_DATA_DIR", global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Worker threads reading documents (default: one per core)
    #[arg(long, global = true, value_name = "N")]
    workers: Option<usize>,
    #[command(flatten)]
    model: answering::ModelArgs,
    #[command(subcommand)]
    command: LocalCommand,
}

#[derive(Subcommand)]
enum LocalCommand {
    /// Conversations: create one with files, manage it and its documents
    #[command(subcommand)]
    Conversations(conversations::ConversationsCommand),
    /// Queries to a chatbot or to every document of a conversation
    #[command(subcommand)]
    Queries(queries::QueriesCommand),
    /// Chatbots: named collections of documents that answer queries
    #[command(subcommand)]
    Chatbots(chatbots::ChatbotsCommand),
    /// The language models Folio can use: Ollama's (found at 127.0.0.1:11434 or --llm-url), or the --llm openai server's
    Models,
    /// Keyword search over a conversation's processed documents: passages with page and boxes
    Search {
        /// Conversation id
        id: String,
        /// Words to look for
        query: String,
        /// Only this document (repeat for several)
        #[arg(long = "document", value_name = "DOC_ID")]
        documents: Vec<i64>,
        /// Most passages to return
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
}

pub async fn run(args: LocalArgs) -> anyhow::Result<()> {
    let context = Context { data_dir: data_dir(args.data_dir)?, workers: args.workers, model: args.model };
    match args.command {
        LocalCommand::Conversations(command) => conversations::run(&context, command).await,
        LocalCommand::Queries(command) => queries::run(&context, command).await,
        LocalCommand::Chatbots(command) => chatbots::run(&context, command).await,
        LocalCommand::Models => output::print_json(&context.model.models().await?),
        LocalCommand::Search { id, query, documents, limit } => {
            let engine = context.open(false)?;
            let filter = (!documents.is_empty()).then_some(documents.as_slice());
            let hits = engine.search(&id, &query, filter, limit).map_err(folio_core::Error::from)?;
            output::print_json(&serde_json::json!({ "passages": hits }))
        }
    }
}

pub(crate) struct Context {
    data_dir: PathBuf,
    workers: Option<usize>,
    model: answering::ModelArgs,
}

impl Context {
    /// Opens the engine; `work` starts the workers (and resumes unfinished documents).
    pub(crate) fn open(&self, work: bool) -> anyhow::Result<Engine> {
        // Reading without vectors (`status --wait`): a command that exits once its
        // documents can be asked stops vectors half-way; the app's engine, or `create
        // --wait` (conversations.rs), makes them. Without workers the embedding settings
        // only serve to embed questions, so answers use meaning-search wherever the
        // passages have vectors.
        let embeddings = if work { None } else { folio_engine::embed::EmbeddingSettings::from_env() };
        let mut settings = EngineSettings { start_workers: work, embeddings, ..Default::default() };
        if let Some(n) = self.workers {
            settings.workers = n.max(1);
        }
        Ok(Engine::open(&self.data_dir, settings).map_err(folio_core::Error::from)?)
    }

    /// The engine with the answering engine on top (quoting, or the model chosen by --llm).
    pub(crate) async fn backend(&self, work: bool) -> anyhow::Result<folio_answer::LocalBackend> {
        let settings = self.model.settings().await?;
        Ok(folio_answer::LocalBackend::new(self.open(work)?, settings).map_err(folio_core::Error::from)?)
    }
}

/// --data-dir, FOLIO_DATA_DIR, or the platform's data folder (~/.local/share/folio/local);
/// `folio serve` and `folio airia` use the same one.
pub(crate) fn data_dir(given: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    if let Some(dir) = given {
        return Ok(dir);
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .ok_or_else(|| {
            folio_core::Error::InvalidInput("no data folder: pass --data-dir or set FOLIO_DATA_DIR".into())
        })?;
    Ok(base.join("folio").join("local"))
}

/// Options of the commands that can wait (`--wait`), as in `folio aihub`.
#[derive(Args)]
struct WaitArgs {
    /// Give up waiting after this many seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 86_400)]
    wait_timeout: u64,
}

impl WaitArgs {
    fn follow_options(&self) -> folio_core::FollowOptions {
        folio_core::FollowOptions { timeout: Some(Duration::from_secs(self.wait_timeout)), ..Default::default() }
    }
}
