//! `folio models list|pull|rm|use`: the built-in model's manager from the command line,
//! the same code as the app's Settings. The models folder is FOLIO_MODELS_DIR or
//! ~/.local/share/folio/models; downloads come from FOLIO_MODEL_MIRROR or Hugging Face.

use clap::{Args, Subcommand};
use folio_models::{CancellationToken, DownloadStage, ModelManager};
use std::io::Write;
use std::path::PathBuf;

#[derive(Args)]
#[command(about = "The built-in language model: list, download (resumable), delete and choose GGUF models")]
pub struct ModelsArgs {
    /// The models folder (default: FOLIO_MODELS_DIR, else ~/.local/share/folio/models)
    #[arg(long, env = "FOLIO_MODELS_DIR", global = true, value_name = "DIR")]
    dir: Option<PathBuf>,
    #[command(subcommand)]
    command: ModelsCommand,
}

#[derive(Subcommand)]
enum ModelsCommand {
    /// The catalogue with each model's state here, and the installed files (JSON)
    List,
    /// Download a catalogue model (resumes a paused download; checks its sha256); Ctrl-C pauses
    Pull {
        /// Catalogue id, e.g. qwen2.5-0.5b-instruct
        id: String,
        /// Download from this base address instead of Hugging Face (a mirror)
        #[arg(long, env = "FOLIO_MODEL_MIRROR", value_name = "URL")]
        mirror: Option<String>,
    },
    /// Delete an installed model (and any partial download of it)
    Rm { id: String },
    /// Choose the model that writes answers
    Use { id: String },
}

pub fn manager(dir: Option<PathBuf>) -> anyhow::Result<ModelManager> {
    Ok(ModelManager::new(dir.unwrap_or_else(ModelManager::default_dir)).map_err(folio_core::Error::from)?)
}

pub async fn run(args: ModelsArgs) -> anyhow::Result<()> {
    let dir = args.dir.unwrap_or_else(ModelManager::default_dir);
    let core = |e: folio_models::ModelsError| folio_core::Error::from(e);
    match args.command {
        ModelsCommand::List => {
            let m = manager(Some(dir))?;
            let out = serde_json::json!({
                "dir": m.dir(),
                "catalogue": m.catalogue().map_err(core)?,
                "installed": m.installed().map_err(core)?,
            });
            println!("{}", serde_json::to_string_pretty(&out)?);
        }
        ModelsCommand::Pull { id, mirror } => {
            let m = match mirror {
                Some(base) => {
                    ModelManager::with_base_url(dir, &base, folio_models::CATALOGUE.to_vec()).map_err(core)?
                }
                None => manager(Some(dir))?,
            };
            let cancel = CancellationToken::new();
            let on_ctrl_c = cancel.clone();
            tokio::spawn(async move {
                if tokio::signal::ctrl_c().await.is_ok() {
                    on_ctrl_c.cancel();
                }
            });
            let mut progress = |p: &folio_models::DownloadProgress| {
                let line = match (p.stage, p.total_bytes) {
                    (DownloadStage::Connecting, _) if p.done_bytes > 0 => {
                        format!("resuming {} from {} MB", p.model_id, p.done_bytes / 1_000_000)
                    }
                    (DownloadStage::Connecting, _) => format!("connecting for {}", p.model_id),
                    (DownloadStage::Downloading, Some(t)) => format!(
                        "downloading {}: {} / {} MB ({:.0}%)",
                        p.model_id,
                        p.done_bytes / 1_000_000,
                        t / 1_000_000,
                        100.0 * p.done_bytes as f64 / t.max(1) as f64
                    ),
                    (DownloadStage::Downloading, None) => {
                        format!("downloading {}: {} MB", p.model_id, p.done_bytes / 1_000_000)
                    }
                    (DownloadStage::Verifying, _) => format!("checking {} (sha256)", p.model_id),
                    (DownloadStage::Done, _) => format!("{} installed", p.model_id),
                };
                eprint!("\r\x1b[K{line}");
                let _ = std::io::stderr().flush();
            };
            let result = m.download(&id, &mut progress, &cancel).await;
            eprintln!();
            match result {
                Ok(installed) => println!("{}", serde_json::to_string_pretty(&installed)?),
                Err(folio_models::ModelsError::Cancelled) => {
                    return Err(anyhow::Error::new(folio_core::Error::Cancelled)
                        .context(format!("paused: run `folio models pull {id}` again to continue")))
                }
                Err(e) => return Err(core(e).into()),
            }
        }
        ModelsCommand::Rm { id } => {
            manager(Some(dir))?.delete(&id).map_err(core)?;
            eprintln!("deleted {id}");
        }
        ModelsCommand::Use { id } => {
            let chosen = manager(Some(dir))?.set_active(&id).map_err(core)?;
            println!("{}", serde_json::to_string_pretty(&chosen)?);
        }
    }
    Ok(())
}
