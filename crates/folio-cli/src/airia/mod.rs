//! `folio airia ...`: Folio's conversations on Airia from the command line. The
//! documents are read on this computer (the local engine, same data folder as `folio
//! local`); the chat runs on Airia, in an Airia conversation per Folio conversation.
//! Requests go out as the official SDK (airia 0.1.41) sends them; every command prints
//! JSON on stdout, failures one line on stderr with an exit code that tells the kind.

mod conversations;

use anyhow::Context;
use clap::{Args, Subcommand};
use folio_airia::{AiriaBackend, AiriaConfig, Auth, Secret, DEFAULT_BASE_URL};
use folio_answer::{AnswerSettings, LocalBackend};
use folio_engine::{Engine, EngineSettings};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Args)]
#[command(
    about = "Airia: chat about your documents through an Airia pipeline (documents stay on this computer)",
    long_about = "Airia: chat about your documents through an Airia pipeline.\n\n\
        Documents are read and searched on this computer; each question goes to the Airia pipeline with the \
        passages that answer it, and the answer cites their pages. Requests are sent as the official Python SDK \
        (airia 0.1.41) sends them. The base URL follows the SDK's rule: keep its trailing slash \
        (https://api.airia.ai/), since without one its last segment is replaced."
)]
pub struct AiriaArgs {
    /// Airia's base URL (keep the trailing slash)
    #[arg(long, env = "AIRIA_BASE_URL", default_value = DEFAULT_BASE_URL, global = true)]
    base_url: String,
    /// API key, sent as X-API-KEY (default: env AIRIA_API_KEY, as the SDK); never printed
    #[arg(long, global = true, conflicts_with = "bearer_token")]
    api_key: Option<String>,
    /// Bearer token, sent as `Authorization: Bearer` instead of an API key; never printed
    #[arg(long, env = "AIRIA_BEARER_TOKEN", hide_env_values = true, global = true)]
    bearer_token: Option<String>,
    /// The Airia user the conversations belong to (userId)
    #[arg(long, env = "AIRIA_USER_ID", global = true)]
    user_id: Option<String>,
    /// The pipeline (agent) that answers questions
    #[arg(long, env = "AIRIA_PIPELINE_ID", global = true)]
    pipeline_id: Option<String>,
    /// Deployment to create conversations in (deploymentId)
    #[arg(long, env = "AIRIA_DEPLOYMENT_ID", global = true)]
    deployment_id: Option<String>,
    /// Seconds to wait to connect and between two pieces of an answer (the SDK's 30 s)
    #[arg(long, value_name = "SECONDS", default_value_t = 30, global = true)]
    request_timeout: u64,
    /// Folio's data folder (documents, history, the index of Airia conversations)
    #[arg(long, env = "FOLIO_DATA_DIR", global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: AiriaCommand,
}

#[derive(Subcommand)]
enum AiriaCommand {
    /// Conversations: create one with files, ask it, show it, delete it
    #[command(subcommand)]
    Conversations(conversations::ConversationsCommand),
    /// Check the base URL, the credential and the pipeline id, and say which is wrong
    TestConnection,
}

impl AiriaArgs {
    fn auth(&self) -> anyhow::Result<Auth> {
        let nonempty = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        if let Some(token) = nonempty(&self.bearer_token) {
            return Ok(Auth::Bearer(Secret::new(token)));
        }
        let key =
            nonempty(&self.api_key).or_else(|| std::env::var("AIRIA_API_KEY").ok().filter(|k| !k.trim().is_empty()));
        key.map(|k| Auth::ApiKey(Secret::new(k))).ok_or_else(|| {
            folio_core::Error::Auth(
                "no Airia credential: pass --api-key (or set AIRIA_API_KEY), or --bearer-token".into(),
            )
            .into()
        })
    }

    fn config(&self) -> anyhow::Result<AiriaConfig> {
        let need = |v: &Option<String>, what: &str, flag: &str, env: &str| {
            v.clone().filter(|s| !s.trim().is_empty()).ok_or_else(|| {
                anyhow::Error::new(folio_core::Error::InvalidInput(format!(
                    "no Airia {what}: pass {flag} or set {env}"
                )))
            })
        };
        let user = need(&self.user_id, "user id", "--user-id", "AIRIA_USER_ID")?;
        let pipeline = need(&self.pipeline_id, "pipeline id", "--pipeline-id", "AIRIA_PIPELINE_ID")?;
        Ok(AiriaConfig::new(self.base_url.clone(), self.auth()?, user, pipeline)
            .with_deployment(self.deployment_id.clone())
            .with_timeout(Duration::from_secs(self.request_timeout.max(1))))
    }

    /// The backend over the local engine; `work` starts the engine's readers.
    fn backend(&self, work: bool) -> anyhow::Result<AiriaBackend> {
        let config = self.config()?;
        // An Airia conversation's documents are the local engine's: `folio local`'s folder.
        let dir = crate::local::data_dir(self.data_dir.clone())?;
        let engine = Engine::open(&dir, EngineSettings { start_workers: work, ..Default::default() })
            .map_err(folio_core::Error::from)?;
        let local = LocalBackend::new(engine, AnswerSettings::default()).map_err(folio_core::Error::from)?;
        AiriaBackend::new(config, local).map_err(folio_core::Error::from).context("setting up Airia")
    }
}

pub async fn run(args: AiriaArgs) -> anyhow::Result<()> {
    match &args.command {
        AiriaCommand::TestConnection => {
            let client = folio_airia::AiriaClient::new(args.config()?).map_err(folio_core::Error::from)?;
            let report = client.test_connection().await;
            println!("{}", serde_json::to_string_pretty(&report)?);
            if report.ok {
                Ok(())
            } else {
                Err(folio_core::Error::Unavailable(report.message).into())
            }
        }
        AiriaCommand::Conversations(command) => conversations::run(&args, command).await,
    }
}
