//! The scale check of issue 4: one conversation of many long PDFs (AI Hub's maximum is
//! 100 documents x 800 pages), made by joining real PDFs with qpdf, ingested keyword-only
//! into a fresh data folder, with the figures that say whether it works: pages/s against
//! pdftotext on a sample of the same files, time until all are searchable, peak memory,
//! database size and keyword search latency. `folio bench scale` prints the report; the
//! engine's tests run the same code small (a few documents of tens of pages).

use crate::error::{EngineError, Result};
use crate::{Engine, EngineSettings};
use folio_core::{DocumentStage, NewConversation};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

#[derive(Debug, Clone)]
pub struct ScaleOptions {
    /// Folder of real PDFs to join (the test corpus).
    pub corpus: PathBuf,
    /// Where the joined PDFs and the data folder go (removed afterwards unless `keep`).
    pub work_dir: PathBuf,
    pub documents: usize,
    pub pages_per_document: u32,
    pub workers: usize,
    /// Documents of the set pdftotext reads for the reference rate.
    pub pdftotext_sample: usize,
    /// Keyword searches timed for the latency figures.
    pub searches: usize,
    pub keep: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScaleReport {
    pub documents: usize,
    pub pages: u64,
    pub passages: i64,
    pub failed: Vec<String>,
    pub workers: usize,
    pub make_pdfs_seconds: f64,
    pub all_searchable_seconds: f64,
    pub pages_per_second: f64,
    pub pdftotext_sample_pages: u64,
    pub pdftotext_pages_per_second: f64,
    /// Peak resident memory of this process (VmHWM), which held the engine.
    pub peak_rss_mb: Option<u64>,
    pub database_mb: f64,
    pub search_p50_ms: f64,
    pub search_p99_ms: f64,
    pub searches: usize,
    /// Searches that found at least one passage (the words come from the documents).
    pub searches_with_hits: usize,
    /// Median time to draw a PDF page 1200 px wide as PNG (the page viewer).
    pub render_page_ms_1200px: Option<f64>,
}

/// Makes the PDFs, ingests them into one conversation and measures.
pub fn run(options: &ScaleOptions) -> Result<ScaleReport> {
    let pdf_dir = options.work_dir.join("pdfs");
    let data_dir = options.work_dir.join("data");
    let _ = std::fs::remove_dir_all(&data_dir);
    std::fs::create_dir_all(&pdf_dir).map_err(|e| EngineError::io("could not create", &pdf_dir, e))?;

    let started = Instant::now();
    let files = make_pdfs(&options.corpus, &pdf_dir, options.documents, options.pages_per_document)?;
    let make_pdfs_seconds = started.elapsed().as_secs_f64();

    // pdftotext on a sample of the same files, as many at once as the engine has workers.
    let sample = &files[..options.pdftotext_sample.clamp(1, files.len())];
    let sample_pages = sample.len() as u64 * options.pages_per_document as u64;
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..options.workers.max(1) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(file) = sample.get(i) else { break };
                let _ = Command::new("pdftotext").arg("-q").arg(file).arg("/dev/null").status();
            });
        }
    });
    let pdftotext_pages_per_second = sample_pages as f64 / started.elapsed().as_secs_f64();

    let settings = EngineSettings { workers: options.workers.max(1), embeddings: None, ..Default::default() };
    let engine = Engine::open(&data_dir, settings)?;
    let started = Instant::now();
    let created =
        engine.create(&NewConversation { name: "scale".into(), files: files.clone(), ..Default::default() })?;
    engine.wait_idle();
    let all_searchable_seconds = started.elapsed().as_secs_f64();

    let conversation = engine.store().get_conversation(&created.id)?;
    let failed: Vec<String> = conversation
        .documents
        .iter()
        .filter(|d| d.stage != DocumentStage::Ready)
        .map(|d| format!("{}: {:?} {}", d.name, d.stage, d.failure_reason.clone().unwrap_or_default()))
        .collect();
    let pages: u64 =
        conversation.documents.iter().filter_map(|d| d.progress.and_then(|p| p.total)).map(u64::from).sum();
    let passages: i64 = engine.store().conn().query_row("SELECT COUNT(*) FROM passages", [], |r| r.get(0))?;

    // Queries of two words taken from passages spread over the whole set, so each one
    // hits the index where the documents really have text.
    let queries = query_words(&engine, options.searches)?;
    let mut times = Vec::with_capacity(queries.len());
    let mut with_hits = 0;
    for q in &queries {
        let t = Instant::now();
        let hits = engine.search(&created.id, q, None, 10)?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        with_hits += usize::from(!hits.is_empty());
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times.get(((times.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(0.0);

    // The page viewer's picture of a PDF page, 1200 px wide, over pages spread out.
    let conversation_docs: Vec<_> =
        conversation.documents.iter().filter(|d| d.stage == DocumentStage::Ready).map(|d| d.id).collect();
    let mut render_ms = Vec::new();
    for (i, &document) in conversation_docs.iter().take(20).enumerate() {
        let page = 1 + (i as u32 * 37) % options.pages_per_document.max(1);
        let t = Instant::now();
        if engine.render_page(&created.id, document, page, 1200).is_ok() {
            render_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    render_ms.sort_by(f64::total_cmp);
    let render_page_ms_1200px = render_ms.get(render_ms.len() / 2).copied();

    engine.shutdown();
    let database_mb = ["folio.sqlite3", "folio.sqlite3-wal"]
        .iter()
        .filter_map(|f| std::fs::metadata(data_dir.join(f)).ok())
        .map(|m| m.len() as f64 / 1_048_576.0)
        .sum();
    if !options.keep {
        let _ = std::fs::remove_dir_all(&options.work_dir);
    }
    Ok(ScaleReport {
        documents: files.len(),
        pages,
        passages,
        failed,
        workers: options.workers.max(1),
        make_pdfs_seconds,
        all_searchable_seconds,
        pages_per_second: pages as f64 / all_searchable_seconds,
        pdftotext_sample_pages: sample_pages,
        pdftotext_pages_per_second,
        peak_rss_mb: peak_rss_mb(),
        database_mb,
        search_p50_ms: pct(0.5),
        search_p99_ms: pct(0.99),
        searches: times.len(),
        searches_with_hits: with_hits,
        render_page_ms_1200px,
    })
}

/// `count` PDFs of exactly `pages` pages each, each joined from the corpus PDFs starting
/// at a different one, so every file has its own content (and its own stored copy).
pub fn make_pdfs(corpus: &Path, out: &Path, count: usize, pages: u32) -> Result<Vec<PathBuf>> {
    let mut sources: Vec<(PathBuf, u32)> = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(corpus)
        .map_err(|e| EngineError::InvalidInput(format!("the corpus folder {} cannot be read: {e}", corpus.display())))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")))
        .collect();
    names.sort();
    for path in names {
        // Encrypted or damaged corpus files are left out rather than failing the set.
        if let Some(n) = qpdf_pages(&path) {
            sources.push((path, n));
        }
    }
    let corpus_pages: u64 = sources.iter().map(|(_, n)| u64::from(*n)).sum();
    if sources.is_empty() || corpus_pages < u64::from(pages) {
        return Err(EngineError::InvalidInput(format!(
            "the corpus {} has {corpus_pages} readable PDF pages; {pages} are needed per document",
            corpus.display()
        )));
    }
    let mut files = Vec::with_capacity(count);
    for i in 0..count {
        let target = out.join(format!("scale-{i:03}-{pages}p.pdf"));
        if target.is_file() && qpdf_pages(&target) == Some(pages) {
            files.push(target);
            continue;
        }
        // Start at a different file each time (stride 7 spreads them over the corpus).
        let mut chosen = Vec::new();
        let mut have = 0u32;
        let mut k = (i * 7) % sources.len();
        while have < pages {
            let (path, n) = &sources[k];
            chosen.push(path.clone());
            have += n;
            k = (k + 1) % sources.len();
        }
        let joined = out.join(format!("joined-{i:03}.pdf"));
        let mut cmd = Command::new("qpdf");
        cmd.arg("--empty").arg("--pages");
        cmd.args(&chosen);
        cmd.arg("--").arg(&joined);
        qpdf(&mut cmd)?;
        let mut cmd = Command::new("qpdf");
        cmd.arg("--empty").arg("--pages").arg(&joined).arg(format!("1-{pages}")).arg("--").arg(&target);
        qpdf(&mut cmd)?;
        let _ = std::fs::remove_file(&joined);
        files.push(target);
    }
    Ok(files)
}

fn qpdf(cmd: &mut Command) -> Result<()> {
    let out = cmd.output().map_err(|e| {
        EngineError::Unavailable(format!(
            "qpdf could not run ({e}); install it (apt: qpdf, see scripts/setup.d/40-engine.sh)"
        ))
    })?;
    // Exit code 3 is "succeeded with warnings" (damaged but recoverable inputs).
    match out.status.code() {
        Some(0) | Some(3) => Ok(()),
        _ => Err(EngineError::Internal(format!("qpdf failed: {}", String::from_utf8_lossy(&out.stderr).trim()))),
    }
}

fn qpdf_pages(path: &Path) -> Option<u32> {
    let out = Command::new("qpdf").arg("--show-npages").arg(path).output().ok()?;
    if !matches!(out.status.code(), Some(0) | Some(3)) {
        return None;
    }
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

/// Two-word queries from passages spread evenly over the store.
fn query_words(engine: &Engine, count: usize) -> Result<Vec<String>> {
    let conn = engine.store().conn();
    let max: i64 = conn.query_row("SELECT COALESCE(MAX(id), 0) FROM passages", [], |r| r.get(0))?;
    let mut stmt = conn.prepare_cached("SELECT text FROM passages WHERE id >= ?1 ORDER BY id LIMIT 1")?;
    let mut out = Vec::with_capacity(count);
    for i in 0..count as i64 {
        let id = 1 + i * max / count.max(1) as i64;
        let text: Option<String> = stmt.query_row([id], |r| r.get(0)).ok();
        let words: Vec<&str> = text
            .as_deref()
            .unwrap_or_default()
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().count() >= 5)
            .collect();
        if words.len() >= 2 {
            out.push(format!("{} {}", words[words.len() / 3], words[2 * words.len() / 3]));
        }
    }
    Ok(out)
}

/// The process's peak resident memory (Linux: VmHWM).
pub fn peak_rss_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: u64 = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?.split_whitespace().next()?.parse().ok()?;
    Some(kb / 1024)
}
