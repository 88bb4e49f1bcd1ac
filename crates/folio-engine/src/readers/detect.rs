//! What a file really is. The content decides; the name's extension must agree with
//! it, because a file whose extension lies is usually a mistake (or worse) and reading
//! it as something else would produce garbage.

use super::Reason;
use std::io::Read;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    Pdf,
    Png,
    Jpeg,
    Tiff,
    Docx,
    Pptx,
    Xlsx,
    Ods,
    Html,
    Text,
    Markdown,
    Csv,
    Eml,
}

impl Kind {
    pub fn word(self) -> &'static str {
        match self {
            Kind::Pdf => "pdf",
            Kind::Png => "png",
            Kind::Jpeg => "jpeg",
            Kind::Tiff => "tiff",
            Kind::Docx => "docx",
            Kind::Pptx => "pptx",
            Kind::Xlsx => "xlsx",
            Kind::Ods => "ods",
            Kind::Html => "html",
            Kind::Text => "text",
            Kind::Markdown => "markdown",
            Kind::Csv => "csv",
            Kind::Eml => "eml",
        }
    }

    fn described(self) -> &'static str {
        match self {
            Kind::Pdf => "a PDF",
            Kind::Png => "a PNG image",
            Kind::Jpeg => "a JPEG image",
            Kind::Tiff => "a TIFF image",
            Kind::Docx => "a Word document",
            Kind::Pptx => "a PowerPoint presentation",
            Kind::Xlsx => "an Excel workbook",
            Kind::Ods => "an OpenDocument spreadsheet",
            Kind::Html => "a web page",
            Kind::Text | Kind::Markdown | Kind::Csv | Kind::Eml => "text",
        }
    }
}

const SUPPORTED: &str = "PDF, PNG, JPEG, TIFF, DOCX, PPTX, XLSX, ODS, HTML, TXT, Markdown, CSV and EML";

pub fn detect(path: &Path, name: &str) -> Result<Kind, Reason> {
    let mut head = Vec::with_capacity(8192);
    std::fs::File::open(path)
        .and_then(|f| f.take(8192).read_to_end(&mut head))
        .map_err(|e| format!("could not be read: {}", crate::store::plain_io_error(&e)))?;
    if head.is_empty() {
        return Err("is empty".into());
    }
    let ext = Path::new(name).extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    let by_name = match ext.as_str() {
        "pdf" => Some(Kind::Pdf),
        "png" => Some(Kind::Png),
        "jpg" | "jpeg" => Some(Kind::Jpeg),
        "tif" | "tiff" => Some(Kind::Tiff),
        "docx" => Some(Kind::Docx),
        "pptx" => Some(Kind::Pptx),
        "xlsx" => Some(Kind::Xlsx),
        "ods" => Some(Kind::Ods),
        "html" | "htm" | "xhtml" => Some(Kind::Html),
        "txt" | "text" | "log" => Some(Kind::Text),
        "md" | "markdown" => Some(Kind::Markdown),
        "csv" | "tsv" => Some(Kind::Csv),
        "eml" => Some(Kind::Eml),
        _ => None,
    };
    let by_content = sniff(path, &head);
    match (by_name, by_content) {
        (Some(named), Some(found)) if named == found => Ok(found),
        (Some(named), Some(found)) => Err(format!(
            "is named like {} (.{ext}) but is actually {}; rename it or export it again",
            named.described(),
            found.described()
        )),
        // Text formats have no signature: the name decides, once the content is text.
        (Some(named @ (Kind::Text | Kind::Markdown | Kind::Csv | Kind::Html | Kind::Eml)), None) => {
            if head.contains(&0) && !has_utf16_bom(&head) {
                Err(format!("is named like {} (.{ext}) but contains binary data, not text", named.described()))
            } else {
                Ok(named)
            }
        }
        (Some(named), None) => Err(format!(
            "is named like {} (.{ext}) but its content is not; it may be damaged or of another type",
            named.described()
        )),
        (None, Some(found)) => Ok(found),
        (None, None) => Err(if ext.is_empty() {
            format!("is of a type the local engine cannot read; it reads {SUPPORTED}")
        } else {
            format!("is a .{ext} file, which the local engine cannot read; it reads {SUPPORTED}")
        }),
    }
}

fn has_utf16_bom(head: &[u8]) -> bool {
    head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF])
}

/// Recognises formats by their signatures; zip containers by the entries inside.
fn sniff(path: &Path, head: &[u8]) -> Option<Kind> {
    // PDF readers accept the signature anywhere in the first KB (junk before it is common).
    if head.windows(5).take(1024).any(|w| w == b"%PDF-") {
        return Some(Kind::Pdf);
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(Kind::Png);
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(Kind::Jpeg);
    }
    if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
        return Some(Kind::Tiff);
    }
    if head.starts_with(b"PK\x03\x04") {
        let file = std::fs::File::open(path).ok()?;
        let archive = zip::ZipArchive::new(file).ok()?;
        let has = |n: &str| archive.index_for_name(n).is_some();
        if has("word/document.xml") {
            return Some(Kind::Docx);
        }
        if has("ppt/presentation.xml") {
            return Some(Kind::Pptx);
        }
        if has("xl/workbook.xml") {
            return Some(Kind::Xlsx);
        }
        if head.windows(46).any(|w| w == b"application/vnd.oasis.opendocument.spreadsheet") {
            return Some(Kind::Ods);
        }
    }
    None
}
