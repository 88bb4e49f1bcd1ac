//! `folio eval QUESTIONS.jsonl...`: per split (dev / held-out), mode and kind of
//! document, how well Folio finds the page that answers a question against plain BM25
//! over pages and the peer pipeline (page-level RRF of BM25 and MiniLM), whether the
//! answer's first source is the right document, whether the quoted answer holds the
//! answer's words, and whether Folio declines the questions no document answers; with `--latency`, retrieval time per query over a conversation of many
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
    /// Question sets: JSON lines with id, question, document, kind, pages, answer (null: unanswerable), paraphrased, split
    #[arg(required = true, value_name = "QUESTIONS.jsonl")]
    questions: Vec<PathBuf>,
    /// Folders holding the documents the questions name, looked in in order (default: $FOLIO_EVAL_CORPUS, then $FOLIO_TEST_CORPUS)
    #[arg(long, value_name = "DIR")]
    corpus: Vec<PathBuf>,
    /// Keep the engine's data here (re-runs then skip reading and embedding the documents); default: a temporary folder
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Retrieval mode to evaluate (default: both)
    #[arg(long, value_enum)]
    mode: Option<Mode>,
    /// Which questions: dev while tuning; heldout (or all) once, at the end
    #[arg(long, value_enum, default_value_t = Split::All)]
    split: Split,
    /// Who writes the answer: `quoted` (no language model) for now; model providers are the extension point
    #[arg(long, value_enum, default_value_t = Provider::Quoted)]
    provider: Provider,
    /// Print every question whose page or quote was missed
    #[arg(long)]
    misses: bool,
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

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum Split {
    Dev,
    Heldout,
    All,
}

#[derive(Clone, Copy, ValueEnum)]
enum Provider {
    /// The quoted answer: the documents' own sentences
    Quoted,
}

pub async fn run(a: EvalArgs) -> anyhow::Result<()> {
    tokio::task::spawn_blocking(move || run_blocking(a)).await?
}

fn run_blocking(a: EvalArgs) -> anyhow::Result<()> {
    let mut questions = Vec::new();
    for file in &a.questions {
        let text = std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        let read = eval::read_questions(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        questions.extend(read);
    }
    // Held-out questions are not even asked unless wanted, so tuning cannot see them.
    questions.retain(|q| match a.split {
        Split::Dev => q.split() == "dev",
        Split::Heldout => q.split() == "heldout",
        Split::All => true,
    });
    if questions.is_empty() {
        anyhow::bail!("no questions of that split in {:?}", a.questions);
    }
    // Without --data-dir, a folder of this run's own, removed at the end.
    let temp = std::env::temp_dir().join(format!("folio-eval-{}", std::process::id()));
    let dir = a.data_dir.clone().unwrap_or_else(|| temp.clone());
    let result = evaluate_in(&a, &questions, &dir);
    if a.data_dir.is_none() {
        let _ = std::fs::remove_dir_all(&temp);
    }
    result
}

/// Where a document named by the questions is: the first corpus folder holding it.
fn locate(a: &EvalArgs, name: &str) -> anyhow::Result<PathBuf> {
    let mut folders = a.corpus.clone();
    if folders.is_empty() {
        folders
            .extend(["FOLIO_EVAL_CORPUS", "FOLIO_TEST_CORPUS"].iter().filter_map(std::env::var_os).map(PathBuf::from));
    }
    folders.iter().map(|f| f.join(name)).find(|p| p.is_file()).ok_or_else(|| {
        anyhow::anyhow!(
            "{name} is in none of the corpus folders {folders:?} (pass --corpus DIR or set FOLIO_EVAL_CORPUS)"
        )
    })
}

fn evaluate_in(a: &EvalArgs, questions: &[eval::Question], dir: &std::path::Path) -> anyhow::Result<()> {
    let Provider::Quoted = a.provider;
    let engine = Engine::open(dir, EngineSettings::default()).map_err(folio_core::Error::from)?;
    let mut names: Vec<String> = questions.iter().map(|q| q.document.clone()).collect();
    names.sort();
    names.dedup();
    let files = names.iter().map(|n| locate(a, n)).collect::<anyhow::Result<Vec<_>>>()?;
    let conversation = conversation_with(&engine, "folio-eval", &files)?;
    let retriever = Retriever::new(engine.clone());
    let modes: Vec<ConverseMode> = match a.mode {
        Some(Mode::Default) => vec![ConverseMode::Default],
        Some(Mode::Advanced) => vec![ConverseMode::Advanced],
        None => vec![ConverseMode::Default, ConverseMode::Advanced],
    };
    let mut outcomes = Vec::new();
    let mut unverified = Vec::new();
    for mode in modes {
        let (found, left_out) =
            eval::evaluate(&retriever, &conversation, questions, mode).map_err(folio_core::Error::from)?;
        outcomes.extend(found);
        unverified = left_out;
    }
    let rows = eval::summarise(&outcomes);
    let paraphrased = questions.iter().filter(|q| q.paraphrased).count();
    eprintln!(
        "{} questions ({paraphrased} paraphrased) over {} documents; {} unverified (left out)\n{}",
        questions.len(),
        names.len(),
        unverified.len(),
        eval::table(&rows)
    );
    for u in &unverified {
        eprintln!("  unverified: {u}");
    }
    if a.misses {
        for o in &outcomes {
            let page_miss = o.answerable && o.folio_rank != Some(1);
            let quote_miss = o.answerable && !o.quote_holds_answer;
            let null_miss = !o.answerable && !o.refused;
            if page_miss || quote_miss || null_miss {
                let answer: String = o.answer.chars().take(400).collect();
                eprintln!(
                    "  miss [{} {} {} {}] rank {:?}: {}\n    -> {}",
                    o.id,
                    o.split,
                    o.mode,
                    o.kind,
                    o.folio_rank,
                    o.question,
                    answer.replace('\n', " ")
                );
            }
        }
    }
    let mut out = serde_json::json!({"rows": rows, "outcomes": outcomes, "unverified": unverified, "documents": names});
    if a.latency {
        let target = match find(&engine, "folio-latency")? {
            Some(id) => id,
            None => {
                let id = engine
                    .create(&NewConversation { name: "folio-latency".into(), ..Default::default() })
                    .map_err(folio_core::Error::from)?
                    .id;
                eprintln!("making {} synthetic documents of {} pages from the real passages...", a.documents, a.pages);
                eval::synthesise(&engine, &conversation, &id, a.documents, a.pages, 3)
                    .map_err(folio_core::Error::from)?;
                id
            }
        };
        let passages = engine.store().conversation_passage_count(&target).map_err(folio_core::Error::from)? as usize;
        let queries: Vec<String> = questions.iter().map(|q| q.question.clone()).collect();
        let (cold_ms, times, steps) =
            eval::time_retrieval(&retriever, &target, &queries, a.rounds.max(1)).map_err(folio_core::Error::from)?;
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

/// The conversation named `name` holding `files`, read and embedded (made if missing;
/// documents named by a grown question set are added to the one kept in --data-dir).
fn conversation_with(engine: &Engine, name: &str, files: &[PathBuf]) -> anyhow::Result<String> {
    let id = match find(engine, name)? {
        Some(id) => id,
        None => {
            engine
                .create(&NewConversation { name: name.into(), ..Default::default() })
                .map_err(folio_core::Error::from)?
                .id
        }
    };
    let have: Vec<String> =
        engine.store().documents_of(&id).map_err(folio_core::Error::from)?.into_iter().map(|d| d.name).collect();
    let missing: Vec<PathBuf> = files
        .iter()
        .filter(|f| !have.iter().any(|h| Some(h.as_str()) == f.file_name().and_then(|n| n.to_str())))
        .cloned()
        .collect();
    if !missing.is_empty() {
        eprintln!("reading and embedding {} documents...", missing.len());
        let status = engine.add(&id, &missing, true).map_err(folio_core::Error::from)?;
        if let Some(f) = status.failed.first() {
            anyhow::bail!("{} could not be added: {}", f.name, f.reason.clone().unwrap_or_default());
        }
    }
    engine.wait_idle();
    engine.wait_embedded().map_err(|e| folio_core::Error::Unavailable(format!("embeddings are off: {e}")))?;
    Ok(id)
}
