//! Multi-page TIFF: every page is a Folio page of its own, recognised by OCR, in order.
//! The TIFF is made here from real text: three corpus pages rendered by pdftoppm,
//! joined by tiffcp (libtiff-tools, provisioned by scripts/setup.d/40-engine.sh).

use crate::common::*;
use folio_core::DocumentStage;

#[test]
fn every_page_of_a_multi_page_tiff_is_read_in_order() {
    let files = tempfile::tempdir().unwrap();
    let pdf = corpus("natnotes.pdf");
    let pages = [1u32, 2, 3];
    let singles: Vec<String> = pages
        .iter()
        .map(|p| scan(&pdf, *p, 200, "tiff", &files.path().join(format!("p{p}"))).display().to_string())
        .collect();
    let tiff = files.path().join("three-pages.tif");
    let mut args: Vec<&str> = singles.iter().map(String::as_str).collect();
    let out = tiff.display().to_string();
    args.push(&out);
    tool("tiffcp", &args);

    let dir = tempfile::tempdir().unwrap();
    let engine = open(dir.path());
    let conversation = ingest(&engine, &[tiff]);
    let doc = &conversation.documents[0];
    assert_eq!(doc.stage, DocumentStage::Ready, "{doc:?}");
    assert_eq!(doc.progress.unwrap().total, Some(3), "one Folio page per TIFF page");
    let stored = engine.store().pages(doc.id).unwrap();
    assert_eq!(stored.len(), 3);
    for (record, page) in stored.iter().zip(pages) {
        let reference = pdftotext(&pdf, page);
        let own = recall(&reference, &record.text);
        assert!(own > 0.85, "page {page}: OCR recall {own:.2} against pdftotext");
        // In order: each page matches its own source page better than its neighbours.
        for other in pages.iter().filter(|o| **o != page) {
            let cross = recall(&pdftotext(&pdf, *other), &record.text);
            assert!(own > cross + 0.1, "page {page} reads like page {other} ({own:.2} vs {cross:.2})");
        }
        assert!(record.ocr_confidence.is_some_and(|c| c > 50.0), "{:?}", record.ocr_confidence);
        // The page in pixels (the units of its boxes): the PDF page's points at 200 dpi.
        let (w, h) = pdf_page_points(&pdf, page);
        let (w, h) = (w * 200.0 / 72.0, h * 200.0 / 72.0);
        assert!(
            (record.width - w).abs() <= 1.0 && (record.height - h).abs() <= 1.0,
            "{} x {} vs {w} x {h}",
            record.width,
            record.height
        );
    }
    let details = engine.document_details(&conversation.id, doc.id).unwrap();
    assert_eq!((details.ocr_used, details.ocr_pages, details.kind.as_deref()), (true, 3, Some("tiff")));
}
