//! `folio bench ingest DIR`: how fast the local engine makes documents searchable,
//! against poppler's pdftotext on the same files in the same run, with peak memory.
//! Build with --release: debug figures mean nothing.

use clap::{Args, Subcommand};
use folio_core::NewConversation;
use folio_engine::{Engine, EngineSettings};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

#[derive(Args)]
#[command(about = "Measure the local engine: pages per second to searchable, against pdftotext")]
pub struct BenchArgs {
    #[command(subcommand)]
    command: BenchCommand,
}

#[derive(Subcommand)]
enum BenchCommand {
    /// The built-in model's speed: prompt and generation tokens/s for a 512-token prompt,
    /// threads chosen from the current load against one thread
    Llm(crate::bench_llm::LlmBenchArgs),
    /// Ingest every PDF in DIR into a fresh data folder and compare with pdftotext
    Ingest {
        /// Folder of PDFs (e.g. the test corpus)
        dir: PathBuf,
        /// Worker threads for Folio and parallel pdftotext runs (default: one per core)
        #[arg(long)]
        workers: Option<usize>,
        /// Only the first N files (largest first)
        #[arg(long)]
        limit: Option<usize>,
    },
    /// One conversation of many long PDFs (default AI Hub's maximum, 100 x 800 pages),
    /// joined from the PDFs in DIR with qpdf, ingested keyword-only: pages/s against
    /// pdftotext on a sample, time to all searchable, peak memory, database size and
    /// keyword search latency
    Scale {
        /// Folder of real PDFs to join (e.g. the test corpus, $FOLIO_TEST_CORPUS)
        dir: PathBuf,
        #[arg(long, default_value_t = 100)]
        documents: usize,
        #[arg(long, default_value_t = 800)]
        pages: u32,
        /// Worker threads (default: one per core); pdftotext runs as many at once
        #[arg(long)]
        workers: Option<usize>,
        /// Where the joined PDFs and the data folder go (default: a temp folder)
        #[arg(long)]
        work_dir: Option<PathBuf>,
        /// Keep the joined PDFs and the data folder afterwards
        #[arg(long)]
        keep: bool,
    },
}

pub async fn run(args: BenchArgs) -> anyhow::Result<()> {
    match args.command {
        BenchCommand::Llm(args) => crate::bench_llm::run(args).await,
        BenchCommand::Ingest { dir, workers, limit } => {
            let workers = workers.unwrap_or_else(|| EngineSettings::default().workers).max(1);
            tokio::task::spawn_blocking(move || ingest(&dir, workers, limit)).await?
        }
        BenchCommand::Scale { dir, documents, pages, workers, work_dir, keep } => {
            let options = folio_engine::scale::ScaleOptions {
                corpus: dir,
                work_dir: work_dir
                    .unwrap_or_else(|| std::env::temp_dir().join(format!("folio-scale-{}", std::process::id()))),
                documents,
                pages_per_document: pages,
                workers: workers.unwrap_or_else(|| EngineSettings::default().workers).max(1),
                pdftotext_sample: 3,
                searches: 500,
                keep,
            };
            let report = tokio::task::spawn_blocking(move || folio_engine::scale::run(&options))
                .await?
                .map_err(folio_core::Error::from)?;
            eprintln!(
                "{} documents, {} pages: all searchable in {:.0} s ({:.0} pages/s; pdftotext {:.0} pages/s) | peak {} MB | \
                 database {:.0} MB | search p50 {:.1} ms, p99 {:.1} ms | page picture at 1200 px {} | {} failed",
                report.documents,
                report.pages,
                report.all_searchable_seconds,
                report.pages_per_second,
                report.pdftotext_pages_per_second,
                report.peak_rss_mb.map(|m| m.to_string()).unwrap_or_else(|| "?".into()),
                report.database_mb,
                report.search_p50_ms,
                report.search_p99_ms,
                report.render_page_ms_1200px.map(|m| format!("{m:.0} ms")).unwrap_or_else(|| "?".into()),
                report.failed.len()
            );
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(())
        }
    }
}

fn ingest(dir: &Path, workers: usize, limit: Option<usize>) -> anyhow::Result<()> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")))
        .collect();
    files.sort_by_key(|p| std::cmp::Reverse(std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)));
    if let Some(n) = limit {
        files.truncate(n);
    }
    if files.is_empty() {
        return Err(folio_core::Error::InvalidInput(format!("no PDFs in {}", dir.display())).into());
    }
    eprintln!("{} PDFs, {workers} workers", files.len());

    // pdftotext, as many at once as Folio has workers, on the same files.
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(file) = files.get(i) else { break };
                let _ = std::process::Command::new("pdftotext").arg("-q").arg(file).arg("/dev/null").status();
            });
        }
    });
    let pdftotext_secs = started.elapsed().as_secs_f64();

    let data = std::env::temp_dir().join(format!("folio-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let engine = Engine::open(&data, EngineSettings { workers, ..Default::default() })?;
    let started = Instant::now();
    let created =
        engine.create(&NewConversation { name: "bench".into(), files: files.clone(), ..Default::default() })?;
    engine.wait_idle();
    let folio_secs = started.elapsed().as_secs_f64();
    eprintln!("keyword-searchable after {folio_secs:.1} s; embedding...");
    let embedded = engine.wait_embedded();
    let embedded_secs = started.elapsed().as_secs_f64();
    if let Err(why) = &embedded {
        eprintln!("no embedding figures: {why}");
    }
    let conversation = engine.store().get_conversation(&created.id)?;
    let pages: u64 =
        conversation.documents.iter().filter_map(|d| d.progress.and_then(|p| p.total)).map(u64::from).sum();
    let failed: Vec<_> = conversation
        .documents
        .iter()
        .filter(|d| d.failure_reason.is_some())
        .map(|d| d.failure_reason.clone().unwrap_or_default())
        .collect();
    let passages = engine.store().passage_count().map_err(folio_core::Error::from)?;
    // The model alone on (up to 1,000 of) the same passages, with the engine stopped.
    let sample = engine.store().first_passage_texts(1000).map_err(folio_core::Error::from)?;
    drop(engine);
    let _ = std::fs::remove_dir_all(&data);
    let raw = match (&embedded, folio_engine::embed::EmbeddingSettings::from_env()) {
        (Ok(()), Some(config)) => {
            let mut model = folio_engine::embed::Embedder::load(&config).map_err(folio_core::Error::Unavailable)?;
            let started = Instant::now();
            // Batched as the engine batches: windows sorted by length, so padding is small.
            for window in sample.chunks(config.batch.max(1) * 8) {
                let mut window: Vec<&str> = window.iter().map(String::as_str).collect();
                window.sort_by_key(|t| t.len());
                for batch in window.chunks(config.batch.max(1)) {
                    model.embed(batch).map_err(folio_core::Error::Internal)?;
                }
            }
            Some(sample.len() as f64 / started.elapsed().as_secs_f64())
        }
        _ => None,
    };
    let pipeline_rate = embedded.is_ok().then(|| passages as f64 / embedded_secs);

    let result = json!({
        "files": files.len(),
        "pages": pages,
        "passages": passages,
        "workers": workers,
        "pdftotext": {"seconds": pdftotext_secs, "pagesPerSecond": pages as f64 / pdftotext_secs},
        "folioKeywordSearchable": {"seconds": folio_secs, "pagesPerSecond": pages as f64 / folio_secs},
        "folioFullyEmbedded": embedded.is_ok().then(|| json!({
            "seconds": embedded_secs,
            "pagesPerSecond": pages as f64 / embedded_secs,
            "passagesPerSecond": pipeline_rate,
        })),
        "embeddingModelRaw": raw.map(|r| json!({"passagesPerSecond": r, "sample": sample.len()})),
        "embeddedShareOfRaw": pipeline_rate.zip(raw).map(|(p, r)| p / r),
        "peakMemoryMb": peak_memory_mb(),
        "failed": failed,
    });
    eprintln!(
        "pdftotext: {:.0} pages/s | Folio to keyword-searchable: {:.0} pages/s ({pages} pages, {passages} passages) | \
         fully embedded: {} | model alone: {} | peak memory {} MB",
        pages as f64 / pdftotext_secs,
        pages as f64 / folio_secs,
        pipeline_rate
            .map(|r| format!("{:.1} pages/s, {r:.1} passages/s", pages as f64 / embedded_secs))
            .unwrap_or_else(|| "off".into()),
        raw.map(|r| format!("{r:.1} passages/s")).unwrap_or_else(|| "off".into()),
        peak_memory_mb().map(|m| m.to_string()).unwrap_or_else(|| "?".into())
    );
    println!("{}", serde_json::to_string_pretty(&result)?);
    Ok(())
}

/// The process's peak resident memory (Linux: VmHWM).
fn peak_memory_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: u64 = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?.split_whitespace().next()?.parse().ok()?;
    Some(kb / 1024)
}
