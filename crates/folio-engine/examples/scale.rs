//! The scale run without building the whole CLI: `cargo run --release -p folio-engine
//! --example scale -- [DOCUMENTS] [PAGES] [WORKERS]` (default 100 x 800, one worker per
//! core). Same code as `folio bench scale`; needs FOLIO_TEST_CORPUS, FOLIO_PDFIUM and qpdf.

fn main() {
    let arg = |i: usize, default: usize| std::env::args().nth(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let corpus = std::env::var_os("FOLIO_TEST_CORPUS").unwrap_or_else(|| {
        panic!("FOLIO_TEST_CORPUS is not set: source scripts/setup.sh (40-engine.sh fetches the corpus)")
    });
    let options = folio_engine::scale::ScaleOptions {
        corpus: corpus.into(),
        work_dir: std::env::temp_dir().join("folio-scale"),
        documents: arg(1, 100),
        pages_per_document: arg(2, 800) as u32,
        workers: arg(3, folio_engine::EngineSettings::default().workers),
        pdftotext_sample: 3,
        searches: 500,
        keep: std::env::var_os("FOLIO_SCALE_KEEP").is_some(),
    };
    match folio_engine::scale::run(&options) {
        Ok(report) => println!("{}", serde_json::to_string_pretty(&report).unwrap()),
        Err(e) => {
            eprintln!("scale run failed: {e}");
            std::process::exit(1);
        }
    }
}
