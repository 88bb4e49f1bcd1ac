//! Document metadata agrees with poppler's pdfinfo on the same files.

use crate::common::*;

#[test]
fn page_count_size_page_size_and_ocr_agree_with_pdfinfo() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open(dir.path());
    let pdfs: Vec<_> =
        ["natnotes.pdf", "lscape.pdf", "indentfirst.pdf", "amsldoc.pdf"].iter().map(|n| corpus(n)).collect();
    let conversation = ingest(&engine, &pdfs);
    for pdf in &pdfs {
        let name = pdf.file_name().unwrap().to_str().unwrap();
        let doc = doc_named(&conversation, name);
        let meta = engine.store().metadata(&conversation.id, doc.id).unwrap();
        let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
        let field = |k: &str| info.lines().find_map(|l| l.strip_prefix(k)).unwrap().trim().to_string();
        assert_eq!(meta.page_count, Some(field("Pages:").parse().unwrap()), "{name}");
        let size: u64 = field("File size:").split_whitespace().next().unwrap().parse().unwrap();
        let document = meta.document.as_ref().unwrap();
        assert_eq!(document["sizeBytes"], size, "{name}");
        assert_eq!(document["ocrUsed"], false, "{name}");
        // "Page size:       612 x 792 pts (letter)"
        let dims: Vec<f64> = field("Page size:").split_whitespace().filter_map(|w| w.parse().ok()).collect();
        let page = &document["pageSize"];
        assert!((page["width"].as_f64().unwrap() - dims[0]).abs() < 0.5, "{name}: {page} vs {dims:?}");
        assert!((page["height"].as_f64().unwrap() - dims[1]).abs() < 0.5, "{name}: {page} vs {dims:?}");
        // AI Hub's shape (seed 001): one entry per page, in order, each with its layout.
        assert_eq!(meta.metadata.len() as u32, meta.page_count.unwrap(), "{name}");
        for (i, entry) in meta.metadata.iter().enumerate() {
            let layout = &entry["layout"];
            assert_eq!(layout["original_page_number"], i, "{name}");
            assert!(layout["width"].as_f64().unwrap() > 0.0 && layout["height"].as_f64().unwrap() > 0.0, "{name}");
            assert_eq!((&layout["corrected_rotation"], &layout["is_image_page"]), (&0.into(), &false.into()), "{name}");
            assert!(entry.get("metadata_list").is_some() && entry.get("annotation_data").is_some(), "{name}");
        }
        let first = &meta.metadata[0]["layout"];
        assert!((first["width"].as_f64().unwrap() - dims[0]).abs() < 0.5, "{name}: {first}");
        assert_eq!(meta.name, name);
        assert!(std::path::Path::new(meta.digitized_path.as_deref().unwrap()).is_file());
    }
}
