//! `folio eval QUESTIONS.jsonl`: how well Folio finds the page that answers a question,
//! against plain BM25 over pages, and whether the quoted answer holds the answer's
//! words; with `--latency`, retrieval time per query over a conversation of many
//! synthetic documents made from the real passages. Figures go to stdout as JSON and to
//! stderr as a summary. Build optimised for the latency figures: `cargo build --release -p folio-cli`.

use clap::{Args, ValueEnum};
use folio_answer::eval;
use folio_answer::retrieve::Retriever;
use folio_core::{ConverseMode, ListQuery, NewConversation};
use folio_engine::{Engine, EngineSettings};
use std::path::PathBuf;

#[derive(Args)]
pub struct EvalArgs {
    /// The question set: one JSON object a line with question, document, pages, answer, paraphrased
    questions: PathBuf,
    /// Folder holding the documents the questions name (default: $FOLIO_TEST_CORPUS)
    #[arg(long, env = "FOLIO_TEST_CORPUS", value_name = "DIR")]
    corpus: PathBuf,
    /// Keep the engine's data here (re-runs then skip reading the documents); default: a temporary folder
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Retrieval mode to evaluate
    #[arg(long, value_enum, default_value_t = Mode::Default)]
    mode: Mode,
    /// Also time retrieval over a synthetic conversation of --documents x --pages
    #[arg(long)]
    latency: bool,
    #[arg(long, default_value_t = 100)]
    documents: usize,
    #[arg(long, default_value_t = 800)]
    pages: usize,
    /// Times each question is asked in the latency run
    #[arg(long, default_value_t = 3)]
    rounds: usize,
}

#[derive(Clone, Copy, ValueEnum)]
enum Mode {
    Default,
    Advanced,
}

pub async fn run(a: EvalArgs) -> anyhow::Result<()> {
    tokio::task::spawn_blocking(move || run_blocking(a)).await?
}

fn run_blocking(a: EvalArgs) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&a.questions)?;
    let questions = eval::read_questions(&text).map_err(folio_core::Error::from)?;
    // Without --data-dir, a folder of this run's own, removed at the end.
    let temp = std::env::temp_dir().join(format!("folio-eval-{}", std::process::id()));
    let dir = a.data_dir.clone().unwrap_or_else(|| temp.clone());
    let result = evaluate_in(&a, &questions, &dir);
    if a.data_dir.is_none() {
        let _ = std::fs::remove_dir_all(&temp);
    }
    result
}

fn evaluate_in(a: &EvalArgs, questions: &[eval::Question], dir: &std::path::Path) -> anyhow::Result<()> {
    let engine = Engine::open(dir, EngineSettings::default()).map_err(folio_core::Error::from)?;
    let mut names: Vec<String> = questions.iter().map(|q| q.document.clone()).collect();
    names.sort();
    names.dedup();
    let conversation = conversation_with(&engine, "folio-eval", &names.iter().map(|n| a.corpus.join(n)).collect::<Vec<_>>())?;
    let retriever = Retriever::new(engine.clone());
    let mode = match a.mode {
        Mode::Default => ConverseMode::Default,
        Mode::Advanced => ConverseMode::Advanced,
    };
    let scores = eval::evaluate(&retriever, &conversation, questions, mode).map_err(folio_core::Error::from)?;
    eprintln!(
        "{} questions ({} paraphrased) over {} documents; {} unverified\n  Folio  hit@1 {:.3}  hit@5 {:.3}\n  BM25   hit@1 {:.3}  hit@5 {:.3}\n  quoted answer contains the answer: {:.3}",
        scores.questions,
        scores.paraphrased,
        names.len(),
        scores.unverified.len(),
        scores.folio_hit1,
        scores.folio_hit5,
        scores.bm25_hit1,
        scores.bm25_hit5,
        scores.quote_contains_answer
    );
    for u in &scores.unverified {
        eprintln!("  unverified: {u}");
    }
    let mut out = serde_json::json!({"retrieval": scores, "documents": names});
    if a.latency {
        let target = match find(&engine, "folio-latency")? {
            Some(id) => id,
            None => {
                let id = engine.create(&NewConversation { name: "folio-latency".into(), ..Default::default() }).map_err(folio_core::Error::from)?.id;
                eprintln!("making {} synthetic documents of {} pages from the real passages...", a.documents, a.pages);
                eval::synthesise(&engine, &conversation, &id, a.documents, a.pages, 3).map_err(folio_core::Error::from)?;
                id
            }
        };
        let passages: usize = {
            let conn = engine.store().conn();
            conn.query_row(
                "SELECT COUNT(*) FROM passages p JOIN documents d ON d.id = p.document_id WHERE d.conversation_id = ?1",
                [&target],
                |r| r.get::<_, i64>(0),
            )? as usize
        };
        let queries: Vec<String> = questions.iter().map(|q| q.question.clone()).collect();
        let (cold_ms, times, steps) = eval::time_retrieval(&retriever, &target, &queries, a.rounds.max(1)).map_err(folio_core::Error::from)?;
        let latency = eval::Latency {
            documents: a.documents,
            pages: a.documents * a.pages,
            passages,
            queries: times.len(),
            cold_ms,
            p50_ms: eval::percentile(&times, 0.5),
            p90_ms: eval::percentile(&times, 0.9),
            p99_ms: eval::percentile(&times, 0.99),
            max_ms: times.last().copied().unwrap_or(0.0),
            median_steps_ms: steps,
        };
        eprintln!(
            "retrieval over {} pages ({} passages), {} queries: p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms (first query, loading vectors: {:.0} ms)\n  median steps: embed {:.1} ms, keywords {:.1} ms, vectors {:.1} ms, rest {:.1} ms",
            latency.pages, latency.passages, latency.queries, latency.p50_ms, latency.p90_ms, latency.p99_ms, latency.cold_ms,
            steps.embed_ms, steps.keywords_ms, steps.vectors_ms, steps.rest_ms
        );
        out["latency"] = serde_json::to_value(&latency)?;
    }
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}

fn find(engine: &Engine, name: &str) -> anyhow::Result<Option<String>> {
    let all = engine.store().list_conversations(&ListQuery::default()).map_err(folio_core::Error::from)?;
    Ok(all.into_iter().find(|c| c.name == name).map(|c| c.id))
}

/// The conversation named `name` holding `files`, read and embedded (made if missing).
fn conversation_with(engine: &Engine, name: &str, files: &[PathBuf]) -> anyhow::Result<String> {
    let id = match find(engine, name)? {
        Some(id) => id,
        None => {
            eprintln!("reading and embedding {} documents...", files.len());
            let created = engine.create(&NewConversation { name: name.into(), files: files.to_vec(), ..Default::default() }).map_err(folio_core::Error::from)?;
            if let Some(f) = created.upload.failed.first() {
                anyhow::bail!("{} could not be added: {}", f.name, f.reason.clone().unwrap_or_default());
            }
            created.id
        }
    };
    engine.wait_idle();
    engine.wait_embedded().map_err(|e| folio_core::Error::Unavailable(format!("embeddings are off: {e}")))?;
    Ok(id)
}
