//! Hostile files, made at test time (nothing binary is committed): each is small on disk
//! and built to blow up a naive reader (memory, time, recursion, loops), or is plain
//! nonsense under a trusted extension. `Expect` says what reading it must end in.

use crate::common::*;
use crate::formats::base64;
use std::io::Write;
use std::path::{Path, PathBuf};

pub enum Expect {
    /// Read, and this text is on one of its pages.
    Ready(&'static str),
    /// Refused, with a reason containing this.
    Failed(&'static str),
    /// Either, as long as a refusal names the file and says why.
    Either,
}

pub struct Hostile {
    pub name: String,
    pub path: PathBuf,
    pub expect: Expect,
}

fn zip_of(path: &Path, entries: &[(&str, &[u8])]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).large_file(true);
    for (name, body) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(body).unwrap();
    }
    zip.finish().unwrap();
}

/// An entry written in pieces by `fill`, so a 300 MB part never sits in memory.
fn zip_streamed(path: &Path, small: &[(&str, String)], big: &str, fill: &mut dyn FnMut(&mut dyn Write)) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).large_file(true);
    for (name, body) in small {
        zip.start_file(*name, options).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.start_file(big, options).unwrap();
    fill(&mut zip);
    zip.finish().unwrap();
}

const CT: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WB_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;

/// A one-sheet workbook whose sheet XML is `sheet` (after the worksheet start tag).
fn xlsx(path: &Path, sheet: &str) {
    let sheet = format!("{SHEET_HEAD}{sheet}</worksheet>");
    zip_of(
        path,
        &[
            ("[Content_Types].xml", CT.as_bytes()),
            ("_rels/.rels", RELS.as_bytes()),
            ("xl/workbook.xml", WORKBOOK.as_bytes()),
            ("xl/_rels/workbook.xml.rels", WB_RELS.as_bytes()),
            ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
        ],
    );
}

fn docx_xml(path: &Path, document: &[u8]) {
    zip_of(path, &[("word/document.xml", document)]);
}

const W: &str = r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#;

fn ods(path: &Path, table: &str) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("content.xml", deflated).unwrap();
    write!(zip, r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Bomb">{table}</table:table></office:spreadsheet></office:body></office:document-content>"#).unwrap();
    zip.finish().unwrap();
}

fn pdf_of(path: &Path, objects: &[String]) {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{body}\nendobj\n", i + 1).into_bytes());
    }
    write_xref(&mut pdf, &offsets);
    std::fs::write(path, pdf).unwrap();
}

fn tiff_chain(pages: usize, cycle: bool) -> Vec<u8> {
    let mut b = b"II*\0".to_vec();
    b.extend(8u32.to_le_bytes());
    for i in 0..pages {
        let here = b.len();
        b.extend(2u16.to_le_bytes());
        for (tag, v) in [(256u16, 8u32), (257, 8)] {
            b.extend(tag.to_le_bytes());
            b.extend(4u16.to_le_bytes());
            b.extend(1u32.to_le_bytes());
            b.extend(v.to_le_bytes());
        }
        let next = if i + 1 < pages {
            here + 30
        } else if cycle {
            8
        } else {
            0
        };
        b.extend((next as u32).to_le_bytes());
    }
    b
}

fn eml(subject: &str, body: &str) -> String {
    format!("From: a@example.com\r\nTo: b@example.com\r\nSubject: {subject}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n{body}\r\n")
}

fn png_bytes(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    let pixels: Vec<u8> = (0..width * height).map(|i| (i * 37 % 251) as u8).collect();
    writer.write_image_data(&pixels).unwrap();
    writer.finish().unwrap();
    out
}

/// Writes every hostile file into `dir`.
pub fn make_all(dir: &Path) -> Vec<Hostile> {
    let mut all = Vec::new();
    let mut add = |name: &str, expect: Expect, make: &mut dyn FnMut(&Path)| {
        let path = dir.join(name);
        make(&path);
        all.push(Hostile { name: name.to_string(), path, expect });
    };

    // --- Workbooks ---
    add("sparse-corners.xlsx", Expect::Ready("farthest corner"), &mut |p| {
        xlsx(
            p,
            r#"<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>nearest corner</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>farthest corner</t></is></c></row></sheetData>"#,
        )
    });
    add("declared-million-rows.xlsx", Expect::Ready("declared but empty"), &mut |p| {
        xlsx(
            p,
            r#"<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>declared but empty</t></is></c></row></sheetData>"#,
        )
    });
    add("too-many-cells.xlsx", Expect::Failed("filled cells"), &mut |p| {
        let mut rows = String::new();
        for r in 1..=1100 {
            rows.push_str(&format!(r#"<row r="{r}">"#));
            for _ in 0..1000 {
                rows.push_str("<c><v>7</v></c>");
            }
            rows.push_str("</row>");
        }
        xlsx(p, &format!("<sheetData>{rows}</sheetData>"))
    });
    add("shared-strings-bomb.xlsx", Expect::Failed("zip bomb"), &mut |p| {
        let small: Vec<(&str, String)> = vec![
            ("[Content_Types].xml", CT.into()),
            ("_rels/.rels", RELS.into()),
            ("xl/workbook.xml", WORKBOOK.into()),
            ("xl/_rels/workbook.xml.rels", WB_RELS.into()),
            (
                "xl/worksheets/sheet1.xml",
                format!(
                    r#"{SHEET_HEAD}<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#
                ),
            ),
        ];
        zip_streamed(p, &small, "xl/sharedStrings.xml", &mut |w| {
            w.write_all(br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>"#).unwrap();
            let spaces = vec![b' '; 1 << 20];
            for _ in 0..300 {
                w.write_all(&spaces).unwrap();
            }
            w.write_all(b"</t></si></sst>").unwrap();
        })
    });
    add("repeated-bomb.ods", Expect::Failed("filled cells"), &mut |p| {
        ods(
            p,
            r#"<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>boom</text:p></table:table-cell></table:table-row>"#,
        )
    });
    add("repeated-empty.ods", Expect::Ready("after the gap"), &mut |p| {
        ods(
            p,
            r#"<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="16384"/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="16000"/><table:table-cell office:value-type="string"><text:p>after the gap</text:p></table:table-cell></table:table-row>"#,
        )
    });
    add("no-sheets.xlsx", Expect::Either, &mut |p| {
        zip_of(p, &[("xl/workbook.xml", WORKBOOK.as_bytes())]);
    });
    add("really-a-pdf.xlsx", Expect::Failed("actually a PDF"), &mut |p| {
        std::fs::copy(corpus("natnotes.pdf"), p).unwrap();
    });

    // --- Web pages ---
    add("deep-200000.html", Expect::Ready("bottom of the well"), &mut |p| {
        let n = 200_000;
        std::fs::write(
            p,
            format!("<html><body>{}bottom of the well{}</body></html>", "<div>".repeat(n), "</div>".repeat(n)),
        )
        .unwrap();
    });
    add("unclosed-200000.html", Expect::Ready("never closed"), &mut |p| {
        std::fs::write(p, format!("<html><body>{}never closed", "<span><b><i>".repeat(70_000))).unwrap();
    });
    add("million-attributes.html", Expect::Ready("attribute soup"), &mut |p| {
        let attrs: String = (0..1_000_000).map(|i| format!(" a{i}=\"v\"")).collect();
        std::fs::write(p, format!("<html><body><p{attrs}>attribute soup</p></body></html>")).unwrap();
    });
    add("one-line-5mb.html", Expect::Ready("single line"), &mut |p| {
        let words = "single line of words ".repeat(5 << 20 >> 4);
        std::fs::write(p, format!("<html><body><p>{words}</p></body></html>")).unwrap();
    });
    add("less-than-10mb.html", Expect::Either, &mut |p| std::fs::write(p, vec![b'<'; 10 << 20]).unwrap());
    add("unclosed-script.html", Expect::Failed("no readable text"), &mut |p| {
        std::fs::write(p, format!("<html><script>{}", "var x = 1;".repeat(100_000))).unwrap()
    });
    add("comment-forever.html", Expect::Either, &mut |p| {
        std::fs::write(p, format!("<p>before</p><!--{}", "-- > <!-- ".repeat(200_000))).unwrap()
    });

    // --- Word and PowerPoint ---
    add("billion-laughs.docx", Expect::Either, &mut |p| {
        let mut dtd = String::from(r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">"#);
        for i in 1..10 {
            let prev = if i == 1 { "lol".to_string() } else { format!("lol{}", i - 1) };
            dtd.push_str(&format!(r#"<!ENTITY lol{i} "{}">"#, format!("&{prev};").repeat(10)));
        }
        dtd.push_str("]>");
        let doc = format!(
            r#"{dtd}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"#
        );
        docx_xml(p, doc.as_bytes());
    });
    add("million-runs.docx", Expect::Ready("run999999"), &mut |p| {
        let runs: String = (0..1_000_000).map(|i| format!("<w:r><w:t>run{i} </w:t></w:r>")).collect();
        docx_xml(p, format!("{W}<w:p>{runs}</w:p></w:body></w:document>").as_bytes());
    });
    add("paragraph-8mb.docx", Expect::Ready("endless"), &mut |p| {
        let text = "endless paragraph ".repeat((8 << 20) / 18);
        docx_xml(p, format!("{W}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>").as_bytes());
    });
    add("deep-xml.docx", Expect::Failed("nested more than"), &mut |p| {
        let n = 100_000;
        docx_xml(
            p,
            format!(
                "{W}{}<w:p><w:r><w:t>x</w:t></w:r></w:p>{}</w:body></w:document>",
                "<w:sdt>".repeat(n),
                "</w:sdt>".repeat(n)
            )
            .as_bytes(),
        );
    });
    add("broken-xml.docx", Expect::Either, &mut |p| {
        docx_xml(p, format!("{W}<w:p><w:r><w:t>unterminated <<<").as_bytes());
    });
    add("nothing-inside.docx", Expect::Failed("content is not"), &mut |p| zip_of(p, &[]));
    add("slides-5000.pptx", Expect::Ready("slide text 4999"), &mut |p| {
        let slides: Vec<String> = (0..5000).map(|i| format!("slide text {i}")).collect();
        make_pptx(p, &slides);
    });
    add("slides-30000.pptx", Expect::Failed("slides"), &mut |p| {
        let slides: Vec<String> = (0..30_000).map(|_| String::new()).collect();
        make_pptx(p, &slides);
    });

    // --- CSV ---
    add("field-8mb.csv", Expect::Ready("needle"), &mut |p| {
        let mut f = std::io::BufWriter::new(std::fs::File::create(p).unwrap());
        f.write_all(b"name,notes\nbig,\"needle ").unwrap();
        let chunk = "hay ".repeat(1 << 16);
        for _ in 0..(8 << 20) / chunk.len() {
            f.write_all(chunk.as_bytes()).unwrap();
        }
        f.write_all(b"\"\n").unwrap();
    });
    add("million-columns.csv", Expect::Either, &mut |p| {
        let row: Vec<String> = (0..1_000_000).map(|i| format!("c{i}")).collect();
        std::fs::write(p, row.join(",") + "\n").unwrap();
    });
    add("only-delimiters.csv", Expect::Failed("no data"), &mut |p| {
        std::fs::write(p, ",,,,,,,,,,\n".repeat(100_000)).unwrap()
    });
    add("unterminated-quote.csv", Expect::Either, &mut |p| {
        std::fs::write(p, format!("a,b\n1,\"{}", "open quote\n".repeat(300_000))).unwrap()
    });

    // --- E-mail ---
    add("nested-50.eml", Expect::Ready("levels deep"), &mut |p| {
        let mut message = eml("level 50", "the innermost message");
        for level in (0..50).rev() {
            message = format!("From: a@example.com\r\nSubject: level {level}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b{level}\"\r\n\r\n--b{level}\r\nContent-Type: text/plain\r\n\r\nlevel {level} body\r\n--b{level}\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"level{}.eml\"\r\n\r\n{message}\r\n--b{level}--\r\n", level + 1);
        }
        std::fs::write(p, message).unwrap();
    });
    add("attachments-5000.eml", Expect::Ready("4900 more"), &mut |p| {
        let mut m = String::from("From: a@example.com\r\nSubject: many\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"x\"\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nlots of attachments\r\n");
        for i in 0..5000 {
            m.push_str(&format!("--x\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"note{i}.txt\"\r\n\r\nattached note number {i}\r\n"));
        }
        m.push_str("--x--\r\n");
        std::fs::write(p, m).unwrap();
    });
    add("attached-bomb.eml", Expect::Ready("a bomb inside"), &mut |p| {
        let bomb = p.with_extension("bomb.docx");
        zip_streamed(&bomb, &[], "word/document.xml", &mut |w| {
            let spaces = vec![b' '; 1 << 20];
            for _ in 0..300 {
                w.write_all(&spaces).unwrap();
            }
        });
        let data = base64(&std::fs::read(&bomb).unwrap());
        std::fs::remove_file(&bomb).unwrap();
        std::fs::write(p, format!("From: a@example.com\r\nSubject: a bomb inside\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"x\"\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--x\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"inner-bomb.docx\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{data}\r\n--x--\r\n")).unwrap();
    });
    add("header-only.eml", Expect::Either, &mut |p| {
        std::fs::write(p, format!("Subject: {}\r\n\r\n", "long subject ".repeat(100_000))).unwrap()
    });

    // --- Images ---
    add("huge-declared.png", Expect::Failed("megapixels"), &mut |p| {
        let mut png = png_bytes(8, 8);
        png[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        std::fs::write(p, png).unwrap();
    });
    add("truncated.png", Expect::Either, &mut |p| {
        let png = png_bytes(64, 64);
        std::fs::write(p, &png[..png.len() / 2]).unwrap();
    });
    add("header-only.png", Expect::Failed("cut short"), &mut |p| {
        std::fs::write(p, &png_bytes(8, 8)[..18]).unwrap();
    });
    add("lying-header.jpg", Expect::Failed("megapixels"), &mut |p| {
        let mut j = vec![0xFF, 0xD8, 0xFF, 0xC0, 0, 17, 8, 0xFF, 0xFF, 0xFF, 0xFF, 3];
        j.extend([1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xFF, 0xD9]);
        std::fs::write(p, j).unwrap();
    });
    add("small-liar.jpg", Expect::Either, &mut |p| {
        let mut j = vec![0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0, 16, 0, 16, 1, 1, 0x11, 0];
        j.extend(vec![0xAB; 4096]);
        std::fs::write(p, j).unwrap();
    });
    add("pages-10000.tif", Expect::Failed("at most 500"), &mut |p| {
        std::fs::write(p, tiff_chain(10_000, false)).unwrap()
    });
    add("ifd-cycle.tif", Expect::Failed("loop"), &mut |p| std::fs::write(p, tiff_chain(3, true)).unwrap());

    // --- PDF ---
    let catalog = "<< /Type /Catalog /Pages 2 0 R >>".to_string();
    let page = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>".to_string();
    add("xref-loop.pdf", Expect::Either, &mut |p| {
        let mut pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n".to_vec();
        let xref = pdf.len();
        pdf.extend(format!("xref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R /Prev {xref} >>\nstartxref\n{xref}\n%%EOF\n").into_bytes());
        std::fs::write(p, pdf).unwrap();
    });
    add("million-pages.pdf", Expect::Either, &mut |p| {
        pdf_of(p, &[catalog.clone(), "<< /Type /Pages /Kids [3 0 R] /Count 1000000 >>".into(), page.clone()])
    });
    add("page-tree-cycle.pdf", Expect::Either, &mut |p| {
        pdf_of(
            p,
            &[
                catalog.clone(),
                "<< /Type /Pages /Kids [3 0 R] /Count 2 >>".into(),
                "<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>".into(),
            ],
        )
    });
    add("huge-mediabox.pdf", Expect::Either, &mut |p| {
        // A picture and no text: the page goes to OCR, rendered no larger than the pixel cap.
        pdf_of(
            p,
            &[
                catalog.clone(),
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into(),
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /UserUnit 75000 /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>".into(),
                "<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\nA\nendstream".into(),
                "<< /Length 31 >>\nstream\nq 14400 0 0 14400 0 0 cm /Im0 Do Q\nendstream".into(),
            ],
        )
    });
    add("garbage-after-header.pdf", Expect::Either, &mut |p| {
        std::fs::write(p, [b"%PDF-1.7\n".as_slice(), &vec![0x5Au8; 100_000], b"\n%%EOF\n"].concat()).unwrap()
    });

    // --- Empty, binary and mis-encoded text ---
    for ext in ["pdf", "docx", "xlsx", "png", "html", "csv", "eml", "md", "txt", "tif"] {
        add(&format!("empty.{ext}"), Expect::Failed("is empty"), &mut |p| std::fs::write(p, b"").unwrap());
    }
    add("nul-only.txt", Expect::Failed("binary"), &mut |p| std::fs::write(p, vec![0u8; 100_000]).unwrap());
    add("utf16-no-bom.txt", Expect::Either, &mut |p| {
        let text: Vec<u8> = "plain words in UTF-16\n".repeat(100).encode_utf16().flat_map(u16::to_le_bytes).collect();
        std::fs::write(p, text).unwrap();
    });
    add("invalid-utf8.md", Expect::Ready("valid words"), &mut |p| {
        let mut b = b"# Title\n\nvalid words then ".to_vec();
        b.extend([0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xA1, 0xF0, 0x28, 0x8C, 0xBC]);
        b.extend(b" and more valid words\n".repeat(50));
        std::fs::write(p, b).unwrap();
    });
    add("deep-brackets.txt", Expect::Ready("[{\"a\":[{\"a\":"), &mut |p| {
        std::fs::write(p, format!("{}{}", "[{\"a\":".repeat(300_000), "}]".repeat(300_000))).unwrap()
    });
    add("one-line-8mb.md", Expect::Ready("xxxx"), &mut |p| std::fs::write(p, vec![b'x'; 8 << 20]).unwrap());
    add("control-chars.txt", Expect::Failed("not readable text"), &mut |p| {
        std::fs::write(p, (0..100_000u32).map(|i| (i % 31 + 1) as u8).collect::<Vec<_>>()).unwrap()
    });
    all
}
