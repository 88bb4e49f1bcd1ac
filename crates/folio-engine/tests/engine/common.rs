//! Shared helpers: provisioned files, external reference tools, files made from real text.

use folio_core::{Conversation, NewConversation};
use folio_engine::{Engine, EngineSettings};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const HOW: &str = "run scripts/test.sh (or source scripts/setup.sh) so it is provisioned";

/// The corpus of real PDFs (FOLIO_TEST_CORPUS).
pub fn corpus(name: &str) -> PathBuf {
    let dir = std::env::var_os("FOLIO_TEST_CORPUS").unwrap_or_else(|| panic!("FOLIO_TEST_CORPUS is not set: {HOW}"));
    let path = Path::new(&dir).join(name);
    assert!(path.is_file(), "{} is missing from the test corpus: {HOW}", path.display());
    path
}

pub fn settings() -> EngineSettings {
    let pdfium = std::env::var_os("FOLIO_PDFIUM").map(PathBuf::from);
    assert!(
        pdfium.as_ref().is_some_and(|p| p.is_file()) || std::env::var_os("PDFIUM_DYNAMIC_LIB_PATH").is_some(),
        "libpdfium is not provisioned (FOLIO_PDFIUM): {HOW}"
    );
    // Keyword-only: documents end Ready as soon as they are read. The tests that are
    // about vectors (and the Embedding stage) open with `embedding_settings()`.
    EngineSettings { workers: 2, pdfium_path: pdfium, embeddings: None, ..Default::default() }
}

/// As `settings()`, with the real embedding model (FOLIO_ONNXRUNTIME etc.).
pub fn embedding_settings() -> EngineSettings {
    let embeddings = folio_engine::embed::EmbeddingSettings::from_env()
        .unwrap_or_else(|| panic!("FOLIO_ONNXRUNTIME / FOLIO_EMBED_MODEL / FOLIO_EMBED_VOCAB are not set: {HOW}"));
    EngineSettings { embeddings: Some(embeddings), ..settings() }
}

pub fn open_embedding(dir: &Path) -> Engine {
    Engine::open(dir, embedding_settings()).expect("engine opens")
}

pub fn open(dir: &Path) -> Engine {
    Engine::open(dir, settings()).expect("engine opens")
}

/// Creates a conversation of `files` and waits until every document has settled.
pub fn ingest(engine: &Engine, files: &[PathBuf]) -> Conversation {
    let created = engine
        .create(&NewConversation { name: "test".into(), files: files.to_vec(), ..Default::default() })
        .expect("conversation created");
    assert!(created.upload.failed.is_empty(), "upload refused: {:?}", created.upload.failed);
    engine.wait_idle();
    engine.store().get_conversation(&created.id).unwrap()
}

pub fn tool(program: &str, args: &[&str]) -> String {
    let out =
        Command::new(program).args(args).output().unwrap_or_else(|e| panic!("{program} could not run ({e}): {HOW}"));
    assert!(out.status.success(), "{program} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn pdftotext(pdf: &Path, page: u32) -> String {
    let p = page.to_string();
    tool("pdftotext", &["-q", "-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"])
}

pub fn pdfinfo_pages(pdf: &Path) -> u32 {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

/// A PDF page's size in points, from pdfinfo ("Page    2 size: 595.276 x 841.89 pts (A4)").
pub fn pdf_page_points(pdf: &Path, page: u32) -> (f32, f32) {
    let p = page.to_string();
    let info = tool("pdfinfo", &["-f", &p, "-l", &p, pdf.to_str().unwrap()]);
    let dims: Vec<f32> = info
        .lines()
        .find(|l| l.starts_with("Page") && l.contains("size:"))
        .and_then(|l| l.split("size:").nth(1))
        .unwrap_or_else(|| panic!("pdfinfo gave no page size: {info}"))
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (dims[0], dims[1])
}

/// Share of the reference's words (3+ letters) found in `text`.
pub fn recall(reference: &str, text: &str) -> f64 {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 3).map(str::to_lowercase).collect()
    };
    let have: std::collections::HashSet<String> = words(text).into_iter().collect();
    let want = words(reference);
    if want.is_empty() {
        return 1.0;
    }
    want.iter().filter(|w| have.contains(*w)).count() as f64 / want.len() as f64
}

/// Real paragraphs: the text of a corpus manual's first pages.
pub fn real_paragraphs() -> Vec<String> {
    let pdf = corpus("amsldoc.pdf");
    let text = tool("pdftotext", &["-q", "-f", "5", "-l", "12", pdf.to_str().unwrap(), "-"]);
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| p.len() > 80 && !p.contains(". . ."))
        .take(30)
        .collect()
}

pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

pub fn write_zip(path: &Path, entries: &[(&str, String)]) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

pub fn make_docx(path: &Path, paragraphs: &[String]) {
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>", xml_escape(p)))
        .collect();
    write_zip(
        path,
        &[
            ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.into()),
            ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.into()),
            ("word/document.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#)),
        ],
    );
}

pub fn make_pptx(path: &Path, slides: &[String]) {
    let mut entries = vec![
        ("[Content_Types].xml".to_string(), r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#.to_string()),
        ("ppt/presentation.xml".to_string(), r#"<?xml version="1.0" encoding="UTF-8"?><p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>"#.to_string()),
    ];
    for (i, text) in slides.iter().enumerate() {
        entries.push((
            format!("ppt/slides/slide{}.xml", i + 1),
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>{}</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#, xml_escape(text)),
        ));
    }
    let refs: Vec<(&str, String)> = entries.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    write_zip(path, &refs);
}

/// A workbook with one sheet per entry, each row's words in cells.
pub fn make_xlsx(path: &Path, sheets: &[(&str, Vec<Vec<String>>)]) {
    let mut entries = vec![
        ("[Content_Types].xml".to_string(), r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#.to_string()),
        ("_rels/.rels".to_string(), r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
    ];
    let mut sheet_list = String::new();
    let mut rels = String::new();
    for (i, (name, rows)) in sheets.iter().enumerate() {
        let n = i + 1;
        sheet_list.push_str(&format!(r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#, xml_escape(name)));
        rels.push_str(&format!(r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
        let data: String = rows
            .iter()
            .enumerate()
            .map(|(r, cells)| {
                let cells: String = cells
                    .iter()
                    .map(|c| format!(r#"<c t="inlineStr"><is><t>{}</t></is></c>"#, xml_escape(c)))
                    .collect();
                format!(r#"<row r="{}">{cells}</row>"#, r + 1)
            })
            .collect();
        entries.push((
            format!("xl/worksheets/sheet{n}.xml"),
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{data}</sheetData></worksheet>"#),
        ));
    }
    entries.push(("xl/workbook.xml".to_string(), format!(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheet_list}</sheets></workbook>"#)));
    entries.push(("xl/_rels/workbook.xml.rels".to_string(), format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#)));
    let refs: Vec<(&str, String)> = entries.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    write_zip(path, &refs);
}

pub fn make_ods(path: &Path, sheet: &str, rows: &[Vec<String>]) {
    let data: String = rows
        .iter()
        .map(|cells| {
            let cells: String = cells
                .iter()
                .map(|c| {
                    format!(
                        r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                        xml_escape(c)
                    )
                })
                .collect();
            format!("<table:table-row>{cells}</table:table-row>")
        })
        .collect();
    // The mimetype entry must come first, stored: that is how ODS is recognised.
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
    zip.start_file("content.xml", deflated).unwrap();
    write!(zip, r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="{}">{data}</table:table></office:spreadsheet></office:body></office:document-content>"#, xml_escape(sheet)).unwrap();
    zip.finish().unwrap();
}

/// A page of a corpus PDF rendered as an image file (a "scan" of real text).
pub fn scan(pdf: &Path, page: u32, dpi: u32, format: &str, out_stem: &Path) -> PathBuf {
    let p = page.to_string();
    let r = dpi.to_string();
    let flag = format!("-{format}");
    tool(
        "pdftoppm",
        &[&flag, "-r", &r, "-f", &p, "-l", &p, "-singlefile", pdf.to_str().unwrap(), out_stem.to_str().unwrap()],
    );
    let ext = match format {
        "jpeg" => "jpg",
        "tiff" => "tif",
        other => other,
    };
    let path = out_stem.with_extension(ext);
    assert!(path.is_file(), "pdftoppm made no {}", path.display());
    path
}

/// A one-page PDF whose only content is a JPEG: a scanned page with no text layer.
pub fn image_only_pdf(jpeg: &Path, out: &Path) {
    let data = std::fs::read(jpeg).unwrap();
    let (w, h) = jpeg_size(&data);
    let mut pdf: Vec<u8> = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    let content = "q 612 0 0 792 0 0 cm /Im0 Do Q".to_string();
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>".to_vec(),
        [format!("<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n", data.len()).into_bytes(), data, b"\nendstream".to_vec()].concat(),
        [format!("<< /Length {} >>\nstream\n", content.len()).into_bytes(), content.into_bytes(), b"\nendstream".to_vec()].concat(),
    ];
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n", i + 1).into_bytes());
        pdf.extend(body);
        pdf.extend(b"\nendobj\n");
    }
    write_xref(&mut pdf, &offsets);
    std::fs::write(out, pdf).unwrap();
}

pub fn write_xref(pdf: &mut Vec<u8>, offsets: &[usize]) {
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).into_bytes());
    for o in offsets {
        pdf.extend(format!("{o:010} 00000 n \n").into_bytes());
    }
    pdf.extend(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", offsets.len() + 1).into_bytes(),
    );
}

fn jpeg_size(data: &[u8]) -> (u32, u32) {
    let mut i = 2;
    while i + 9 < data.len() {
        let marker = data[i + 1];
        let len = u16::from_be_bytes([data[i + 2], data[i + 3]]) as usize;
        if (0xC0..=0xC2).contains(&marker) {
            let h = u16::from_be_bytes([data[i + 5], data[i + 6]]) as u32;
            let w = u16::from_be_bytes([data[i + 7], data[i + 8]]) as u32;
            return (w, h);
        }
        i += 2 + len;
    }
    panic!("no JPEG frame header")
}

pub fn doc_named<'a>(conversation: &'a Conversation, name: &str) -> &'a folio_core::Document {
    conversation
        .documents
        .iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("no document {name}: {conversation:#?}"))
}
