//! The page viewer's engine calls on real files: page sizes agree with pdfinfo and the
//! passage boxes lie on the page, char ranges give the passages' own text, pictures are
//! real PNGs of the asked width, text formats say they have no picture.

use crate::common::*;
use folio_core::document::PageKind;
use folio_core::ErrorKind;

/// Width and height from a PNG's IHDR chunk.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let be = |i: usize| u32::from_be_bytes([png[i], png[i + 1], png[i + 2], png[i + 3]]);
    (be(16), be(20))
}

#[test]
fn pdf_pages_have_pdfinfo_sizes_boxes_on_the_page_and_render_to_png() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open(dir.path());
    let pdf = corpus("natnotes.pdf");
    let conversation = ingest(&engine, std::slice::from_ref(&pdf));
    let doc = conversation.documents[0].id;
    let dims = pdf_page_points(&pdf, 2);
    let dims = [dims.0, dims.1];
    let view = engine.page_view(&conversation.id, doc, 2).unwrap();
    assert_eq!((view.page, view.page_count, view.kind), (2, pdfinfo_pages(&pdf), PageKind::Pdf));
    assert!(
        (view.width - dims[0]).abs() < 0.5 && (view.height - dims[1]).abs() < 0.5,
        "{} x {} vs {dims:?}",
        view.width,
        view.height
    );
    assert!(recall(&pdftotext(&pdf, 2), &view.text) > 0.9);
    assert!(!view.passages.is_empty());
    let chars: Vec<char> = view.text.chars().collect();
    let utf16: Vec<u16> = view.text.encode_utf16().collect();
    for p in &view.passages {
        let stored: String = engine
            .store()
            .conn()
            .query_row("SELECT text FROM passages WHERE id = ?1", [p.passage_id], |r| r.get(0))
            .unwrap();
        let by_chars: String = chars[p.char_start as usize..p.char_end as usize].iter().collect();
        let by_utf16 = String::from_utf16(&utf16[p.utf16_start as usize..p.utf16_end as usize]).unwrap();
        assert_eq!(by_chars.split_whitespace().collect::<Vec<_>>(), stored.split_whitespace().collect::<Vec<_>>());
        assert_eq!(by_utf16, by_chars);
        assert!(!p.boxes.is_empty());
        for b in &p.boxes {
            assert!(b.top_x >= -1.0 && b.bottom_x <= view.width as f64 + 1.0 && b.top_x < b.bottom_x, "{b:?}");
            assert!(
                b.top_y >= -1.0 && b.bottom_y <= view.height as f64 + 1.0 && b.top_y < b.bottom_y,
                "{b:?} (top-left origin)"
            );
        }
    }
    let png = engine.render_page(&conversation.id, doc, 2, 1200).unwrap();
    let (w, h) = png_size(&png);
    assert_eq!(w, 1200);
    assert!((h as f32 - 1200.0 * view.height / view.width).abs() <= 2.0, "{w} x {h}");
    let (w, _) = png_size(&engine.render_page(&conversation.id, doc, 1, 100_000).unwrap());
    assert_eq!(w, folio_engine::viewer::MAX_RENDER_WIDTH, "width is capped");

    let missing = engine.page_view(&conversation.id, doc, 99).unwrap_err();
    assert_eq!(folio_core::Error::from(missing).kind(), ErrorKind::NotFound);
    let other = engine.render_page("no-such-conversation", doc, 1, 800).unwrap_err();
    assert_eq!(folio_core::Error::from(other).kind(), ErrorKind::NotFound);

    let details = engine.document_details(&conversation.id, doc).unwrap();
    assert_eq!(details.size_bytes, std::fs::metadata(&pdf).unwrap().len());
    assert_eq!(
        (details.kind.as_deref(), details.page_count, details.ocr_used),
        (Some("pdf"), Some(pdfinfo_pages(&pdf)), false)
    );
    assert!(details.passages > 0 && details.embedded_passages == 0, "keyword-only engine: {details:?}");
}

#[test]
fn image_pages_render_the_stored_image_and_text_pages_give_their_text() {
    let files = tempfile::tempdir().unwrap();
    let png = scan(&corpus("natnotes.pdf"), 1, 150, "png", &files.path().join("scan"));
    let note = files.path().join("note.md");
    std::fs::write(&note, "# Größe\n\nÜber Ökonomie: naïve café résumé 🙂 text for the viewer.\n").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let engine = open(dir.path());
    let conversation = ingest(&engine, &[png.clone(), note]);
    let image = doc_named(&conversation, "scan.png").id;
    let text = doc_named(&conversation, "note.md").id;

    let view = engine.page_view(&conversation.id, image, 1).unwrap();
    assert_eq!(view.kind, PageKind::Image);
    let (pw, ph) = png_size(&std::fs::read(&png).unwrap());
    assert_eq!((view.width, view.height), (pw as f32, ph as f32), "the image's own pixels");
    assert!(view.ocr_confidence.is_some());
    assert!(view
        .passages
        .iter()
        .all(|p| p.boxes.iter().all(|b| b.bottom_x <= pw as f64 + 1.0 && b.bottom_y <= ph as f64 + 1.0)));
    let (w, h) = png_size(&engine.render_page(&conversation.id, image, 1, 600).unwrap());
    assert_eq!(w, 600);
    assert!((h as f64 - 600.0 * ph as f64 / pw as f64).abs() <= 1.0, "{w} x {h}");
    let details = engine.document_details(&conversation.id, image).unwrap();
    assert!(details.ocr_used && details.ocr_mean_confidence.is_some_and(|c| c > 50.0), "{details:?}");

    let view = engine.page_view(&conversation.id, text, 1).unwrap();
    assert_eq!((view.kind, view.width, view.height), (PageKind::Text, 0.0, 0.0));
    let utf16: Vec<u16> = view.text.encode_utf16().collect();
    let p = &view.passages[0];
    let highlighted = String::from_utf16(&utf16[p.utf16_start as usize..p.utf16_end as usize]).unwrap();
    assert!(highlighted.contains("🙂") && highlighted.contains("Ökonomie"), "{highlighted}");
    assert!(p.utf16_end > p.char_end, "the emoji is two UTF-16 units");
    let refused = engine.render_page(&conversation.id, text, 1, 800).unwrap_err();
    assert_eq!(folio_core::Error::from(refused).kind(), ErrorKind::Unsupported);
}

/// Dark pixels of a rendered page, as fractions of its width and height.
fn ink(png: &[u8]) -> Vec<(f64, f64)> {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgba);
    let (w, h) = (info.width as usize, info.height as usize);
    let mut dark = Vec::new();
    for y in 0..h {
        for x in 0..w {
            let p = &buf[(y * w + x) * 4..][..4];
            let luma = (p[0] as u32 * 3 + p[1] as u32 * 6 + p[2] as u32) / 10;
            if p[3] > 128 && luma < 100 {
                dark.push(((x as f64 + 0.5) / w as f64, (y as f64 + 0.5) / h as f64));
            }
        }
    }
    dark
}

/// The page picture and the passage boxes must agree: ink is drawn, and the ink lies
/// inside the boxes the viewer highlights (lscape.pdf's page 1 holds text turned 90°).
#[test]
fn rendered_pages_show_their_ink_where_the_passage_boxes_are() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open(dir.path());
    let conversation = ingest(&engine, &[corpus("lscape.pdf"), corpus("natnotes.pdf")]);
    for document in &conversation.documents {
        for page in 1..=2 {
            let view = engine.page_view(&conversation.id, document.id, page).unwrap();
            let png = engine.render_page(&conversation.id, document.id, page, 800).unwrap();
            let dark = ink(&png);
            assert!(dark.len() > 2_000, "{} page {page}: only {} dark pixels", document.name, dark.len());
            let boxes: Vec<_> = view.passages.iter().flat_map(|p| p.boxes.iter()).collect();
            let inside = dark
                .iter()
                .filter(|(fx, fy)| {
                    let (x, y) = (fx * view.width as f64, fy * view.height as f64);
                    boxes.iter().any(|b| {
                        x >= b.top_x - 2.0 && x <= b.bottom_x + 2.0 && y >= b.top_y - 2.0 && y <= b.bottom_y + 2.0
                    })
                })
                .count();
            let share = inside as f64 / dark.len() as f64;
            // Rules, frames and footnote lines are ink outside any passage.
            assert!(
                share > 0.7,
                "{} page {page}: {:.0}% of the ink is inside the passage boxes",
                document.name,
                share * 100.0
            );
        }
    }
}

/// A passage has one box per line of its text, upright or turned (lscape.pdf's page 1 is
/// turned 90°): that is what lets a quote light up its own lines and not the passage.
#[test]
fn turned_and_upright_passages_have_one_box_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open(dir.path());
    let conversation = ingest(&engine, &[corpus("lscape.pdf"), corpus("natnotes.pdf")]);
    for document in &conversation.documents {
        let view = engine.page_view(&conversation.id, document.id, 1).unwrap();
        let utf16: Vec<u16> = view.text.encode_utf16().collect();
        let (mut matched, mut tall, mut boxes) = (0, 0, 0);
        for p in &view.passages {
            let text = String::from_utf16(&utf16[p.utf16_start as usize..p.utf16_end as usize]).unwrap();
            let lines = text.split('\n').filter(|l| !l.trim().is_empty()).count();
            matched += usize::from(lines == p.boxes.len());
            boxes += p.boxes.len();
            tall += p.boxes.iter().filter(|b| b.bottom_y - b.top_y > b.bottom_x - b.top_x).count();
        }
        assert_eq!(matched, view.passages.len(), "{}: passages whose boxes are one per line", document.name);
        if document.name == "lscape.pdf" {
            assert!(tall * 10 >= boxes * 8, "lscape.pdf's turned lines are tall boxes: {tall} of {boxes}");
        } else {
            assert!(tall * 10 <= boxes, "natnotes.pdf's lines are wide boxes: {tall} tall of {boxes}");
        }
    }
}
