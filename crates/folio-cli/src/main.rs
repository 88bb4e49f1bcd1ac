//! `folio`: Folio's backends from the command line. Each subcommand lives in its own
//! module; main only parses and dispatches. Output meant for programs goes to stdout
//! as JSON; messages for people go to stderr; failures exit non-zero.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod aihub;
mod airia;
mod bench;
mod bench_llm;
mod eval;
mod exit;
mod local;
mod models;
mod pieces;
mod serve;

#[derive(Parser)]
#[command(
    name = "folio",
    version,
    about = "Talk with your documents: Folio's engine and backends from the command line"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    Aihub(aihub::AihubArgs),
    Airia(airia::AiriaArgs),
    Local(local::LocalArgs),
    Models(models::ModelsArgs),
    Pieces(pieces::PiecesArgs),
    Bench(bench::BenchArgs),
    /// Evaluate the local engine's answers on a question set (page hit@1/@5 vs BM25, quoted answers) and time retrieval
    Eval(eval::EvalArgs),
    Serve(serve::ServeArgs),
}

fn main() -> ExitCode {
    // FOLIO_READER=1: this process is the engine's reader child; nothing else starts.
    folio_engine::isolation::enter_reader_mode_or_continue();
    let cli = Cli::parse();
    match cli.command {
        None => {
            use clap::CommandFactory;
            let _ = Cli::command().print_help();
            ExitCode::SUCCESS
        }
        Some(command) => exit::report(run(command)),
    }
}

#[tokio::main]
async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Aihub(args) => aihub::run(args).await,
        Command::Airia(args) => airia::run(args).await,
        Command::Local(args) => local::run(args).await,
        Command::Models(args) => models::run(args).await,
        Command::Pieces(args) => pieces::run(args).await,
        Command::Bench(args) => bench::run(args).await,
        Command::Eval(args) => eval::run(args).await,
        Command::Serve(args) => serve::run(args).await,
    }
}
