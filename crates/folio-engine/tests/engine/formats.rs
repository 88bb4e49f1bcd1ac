//! Every format a person drops becomes page-exact, keyword-searchable text.

use crate::common::*;
use folio_core::{DocumentStage, DocumentState};

#[test]
fn pdf_text_layer_matches_pdftotext_page_by_page_with_boxes() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open(dir.path());
    let pdf = corpus("natnotes.pdf");
    let conversation = ingest(&engine, std::slice::from_ref(&pdf));
    let doc = &conversation.documents[0];
    assert_eq!(doc.stage, DocumentStage::Ready, "{doc:?}");
    let pages = engine.store().pages(doc.id).unwrap();
    assert_eq!(pages.len() as u32, pdfinfo_pages(&pdf));
    for page in &pages {
        let r = recall(&pdftotext(&pdf, page.page), &page.text);
        assert!(r >= 0.95, "page {} recall {r} against pdftotext", page.page);
        assert!(page.width > 100.0 && page.height > 100.0);
        assert!(page.ocr_confidence.is_none(), "a text-layer page is not OCR'd");
    }
    // A word from page 2 is found on page 2, with boxes inside the page.
    let word = pdftotext(&pdf, 2)
        .split_whitespace()
        .find(|w| w.len() > 8 && w.chars().all(char::is_alphabetic))
        .unwrap()
        .to_string();
    let hits = engine.search(&conversation.id, &word, None, 50).unwrap();
    let hit = hits.iter().find(|h| h.page == 2).unwrap_or_else(|| panic!("{word} not found on page 2: {hits:#?}"));
    assert!(hit.text.to_lowercase().contains(&word.to_lowercase()));
    assert!(!hit.boxes.is_empty());
    let page = &pages[1];
    for b in &hit.boxes {
        assert!(
            b.top_x >= 0.0
                && b.bottom_x <= page.width as f64 + 1.0
                && b.top_y >= -1.0
                && b.bottom_y <= page.height as f64 + 1.0,
            "{b:?}"
        );
        assert!(b.top_x < b.bottom_x && b.top_y < b.bottom_y, "{b:?}");
    }
    // The character range points at the passage inside the page's text.
    let chars: Vec<char> = page.text.chars().collect();
    let slice: String = chars[hit.char_start as usize..hit.char_end as usize].iter().collect();
    assert_eq!(slice, hit.text);
}

#[test]
fn office_web_text_and_mail_formats_are_read_and_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let paragraphs = real_paragraphs();
    assert!(paragraphs.len() >= 10, "{paragraphs:?}");
    let f = |n: &str| files.path().join(n);

    make_docx(&f("guide.docx"), &paragraphs);
    make_pptx(&f("deck.pptx"), &paragraphs[..5]);
    // A header row, then rows of real words: each row is read as "Word 1: x; Word 2: y".
    let header: Vec<String> = (1..=6).map(|i| format!("Word {i}")).collect();
    let rows: Vec<Vec<String>> = std::iter::once(header.clone())
        .chain(paragraphs.iter().map(|p| p.split_whitespace().take(6).map(str::to_string).collect()))
        .collect();
    let named = |row: &[String]| -> String {
        row.iter()
            .zip(&header)
            .map(|(c, h)| format!("{h}: {}", c.replace(['\t', '\n'], " ")))
            .collect::<Vec<_>>()
            .join("; ")
    };
    make_xlsx(&f("book.xlsx"), &[("Words", rows.clone()), ("Second", rows[..3].to_vec())]);
    make_ods(&f("sheet.ods"), "Words", &rows);
    let csv: String = rows.iter().map(|r| r.join(",") + "\n").collect();
    std::fs::write(f("table.csv"), &csv).unwrap();
    let html = format!("<html><head><style>p {{ color: red }}</style><script>var hidden = 1;</script></head><body><h1>Manual</h1>{}</body></html>",
        paragraphs.iter().map(|p| format!("<p>{}</p>", xml_escape(p))).collect::<String>());
    std::fs::write(f("page.html"), html).unwrap();
    std::fs::write(f("notes.md"), format!("# Notes\n\n{}\n", paragraphs.join("\n\n"))).unwrap();
    // Latin-1, not UTF-8: encoding detection must still read "café" and "naïve".
    let latin1: Vec<u8> = "Le café naïve résumé, déjà vu.\n".repeat(20).chars().map(|c| c as u32 as u8).collect();
    std::fs::write(f("latin1.txt"), latin1).unwrap();
    // An e-mail with a Word document attached: the attachment becomes its own document.
    make_docx(&f("attached.docx"), &paragraphs[10..]);
    let attachment = base64(&std::fs::read(f("attached.docx")).unwrap());
    let eml = format!(
        "From: Ada <ada@example.com>\r\nTo: Bob <bob@example.com>\r\nSubject: Quarterly figures\r\nDate: Mon, 2 Jun 2025 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}\r\n--b1\r\nContent-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document\r\nContent-Disposition: attachment; filename=\"attached.docx\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{attachment}\r\n--b1--\r\n",
        paragraphs[0]
    );
    std::fs::write(f("mail.eml"), eml).unwrap();

    let names = [
        "guide.docx",
        "deck.pptx",
        "book.xlsx",
        "sheet.ods",
        "table.csv",
        "page.html",
        "notes.md",
        "latin1.txt",
        "mail.eml",
    ];
    let engine = open(dir.path());
    let conversation = ingest(&engine, &names.iter().map(|n| f(n)).collect::<Vec<_>>());
    for doc in &conversation.documents {
        assert_eq!(doc.state, DocumentState::Processed, "{doc:#?}");
    }
    assert_eq!(conversation.documents.len(), names.len() + 1, "the attachment is a document of its own");
    let attached = doc_named(&conversation, "attached.docx");
    let pages_of = |name: &str| engine.store().pages(doc_named(&conversation, name).id).unwrap();

    let docx = pages_of("guide.docx");
    let all: String = docx.iter().map(|p| p.text.as_str()).collect();
    assert!(recall(&paragraphs.join("\n"), &all) > 0.99);
    assert!(docx[0].label.as_deref().unwrap().starts_with("paragraph"), "{:?}", docx[0].label);
    let pptx = pages_of("deck.pptx");
    assert_eq!(pptx.len(), 5);
    assert_eq!(pptx[2].label.as_deref(), Some("slide 3"));
    assert!(pptx[2].text.contains(&paragraphs[2][..30]));
    let xlsx = pages_of("book.xlsx");
    assert_eq!(xlsx.len(), 2, "one page per sheet");
    assert_eq!(xlsx[0].label, Some(format!("sheet Words, rows 2-{}", rows.len())));
    assert_eq!(xlsx[0].text.lines().next().unwrap(), named(&rows[1]), "a row is one line naming its columns");
    assert_eq!(pages_of("sheet.ods")[0].text.lines().nth(1).unwrap(), named(&rows[2]));
    let csv_pages = pages_of("table.csv");
    assert_eq!(csv_pages[0].text.lines().nth(2).unwrap(), named(&rows[3]));
    assert_eq!(csv_pages[0].label, Some(format!("rows 2-{}", rows.len())));
    let html = pages_of("page.html");
    assert!(html[0].text.contains(&paragraphs[1][..30]));
    assert!(!html[0].text.contains("hidden") && !html[0].text.contains("color: red"), "no script or style text");
    assert!(pages_of("latin1.txt")[0].text.contains("café naïve"));
    let mail = pages_of("mail.eml");
    assert!(mail[0].text.contains("Subject: Quarterly figures") && mail[0].text.contains("ada@example.com"));
    assert!(engine.store().pages(attached.id).unwrap()[0].text.contains(&paragraphs[10][..30]));

    // Each document answers a keyword search for its own words, and the filter works.
    let word = "naïve";
    let hits = engine.search(&conversation.id, word, None, 10).unwrap();
    assert_eq!(hits[0].document_name, "latin1.txt");
    let deck = doc_named(&conversation, "deck.pptx").id;
    let rare = paragraphs[3].split_whitespace().max_by_key(|w| w.len()).unwrap();
    let hits = engine.search(&conversation.id, rare, Some(&[deck]), 10).unwrap();
    assert!(!hits.is_empty() && hits.iter().all(|h| h.document_id == deck), "{hits:#?}");
    assert_eq!(hits[0].page, 4);
}

#[test]
fn scans_and_image_only_pdf_pages_are_recognised_with_confidence() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let pdf = corpus("natnotes.pdf");
    let png = scan(&pdf, 1, 200, "png", &files.path().join("scan"));
    let jpeg = scan(&pdf, 2, 200, "jpeg", &files.path().join("photo"));
    let tiff = scan(&pdf, 3, 200, "tiff", &files.path().join("fax"));
    let scanned_pdf = files.path().join("scanned.pdf");
    image_only_pdf(&scan(&pdf, 1, 150, "jpeg", &files.path().join("p1")), &scanned_pdf);
    let engine = open(dir.path());
    let conversation = ingest(&engine, &[png.clone(), jpeg.clone(), tiff.clone(), scanned_pdf.clone()]);
    for (file, page) in [(&png, 1), (&jpeg, 2), (&tiff, 3), (&scanned_pdf, 1)] {
        let name = file.file_name().unwrap().to_str().unwrap();
        let doc = doc_named(&conversation, name);
        assert_eq!(doc.stage, DocumentStage::Ready, "{doc:#?}");
        let pages = engine.store().pages(doc.id).unwrap();
        let confidence = pages[0].ocr_confidence.unwrap_or_else(|| panic!("{name} was not OCR'd"));
        assert!(confidence > 60.0, "{name}: confidence {confidence}");
        let r = recall(&pdftotext(&pdf, page), &pages[0].text);
        assert!(r > 0.85, "{name}: OCR recall {r}");
        let meta = engine.store().metadata(&conversation.id, doc.id).unwrap();
        assert_eq!(meta.document.as_ref().unwrap()["ocrUsed"], true);
        assert_eq!(meta.metadata[0]["layout"]["is_image_page"], true, "AI Hub's word for a page read as a picture");
    }
    // OCR'd words keep their boxes: a search hit on the scanned PDF has them, in points.
    let scanned = doc_named(&conversation, "scanned.pdf").id;
    let word = pdftotext(&pdf, 1)
        .split_whitespace()
        .find(|w| w.len() > 7 && w.chars().all(char::is_alphabetic))
        .unwrap()
        .to_string();
    let hits = engine.search(&conversation.id, &word, Some(&[scanned]), 5).unwrap();
    assert!(!hits.is_empty(), "{word}");
    assert!(hits[0].boxes.iter().all(|b| b.bottom_x <= 613.0 && b.bottom_y <= 793.0), "{:?}", hits[0].boxes);
}

pub fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for (i, chunk) in bytes.chunks(3).enumerate() {
        if i > 0 && i % 19 == 0 {
            out.push_str("\r\n");
        }
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for j in 0..4 {
            if j <= chunk.len() {
                out.push(T[(n >> (18 - 6 * j)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
