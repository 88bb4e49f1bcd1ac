//! The scale run's code path, small: documents joined from real PDFs by qpdf, one
//! conversation, every page searchable, searches that find what the documents say.
//! (The full 100 x 800 run is `folio bench scale`; figures are in NOTES.md.)

use crate::common::*;
use folio_engine::scale::{run, ScaleOptions};

#[test]
fn three_documents_of_forty_pages_each_become_searchable() {
    let work = tempfile::tempdir().unwrap();
    let corpus_dir = corpus("natnotes.pdf").parent().unwrap().to_path_buf();
    let report = run(&ScaleOptions {
        corpus: corpus_dir,
        work_dir: work.path().join("scale"),
        documents: 3,
        pages_per_document: 40,
        workers: 2,
        pdftotext_sample: 1,
        searches: 30,
        keep: true,
    })
    .unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!((report.documents, report.pages), (3, 120));
    for i in 0..3 {
        assert_eq!(pdfinfo_pages(&work.path().join(format!("scale/pdfs/scale-00{i}-40p.pdf"))), 40);
    }
    assert!(report.passages > 120, "{report:?}");
    assert!(report.searches >= 25 && report.searches_with_hits == report.searches, "{report:?}");
    assert!(report.database_mb > 0.0 && report.peak_rss_mb.is_some());
    assert!(report.search_p50_ms <= report.search_p99_ms);
}
