//! Readers turn a stored file into pages of text, each word (where the format has a
//! layout) with its box on the page. Every reader fails with a plain reason that reads
//! after the file's name ("report.pdf" + " is password-protected").

mod detect;
mod docx;
mod eml;
mod html;
mod html_decorator;
mod image_header;
mod ocr;
pub(crate) mod pdf;
pub(crate) mod pix;
mod pptx;
mod sheet;
mod table;
mod text;
mod zipsafe;

pub use detect::{detect, Kind};

use crate::settings::EngineSettings;
use std::path::Path;

/// A word's byte range in its page's text and its box [x0, y0, x1, y1] in page units
/// (PDF points or image pixels), top-left origin.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct Word {
    pub start: usize,
    pub end: usize,
    pub rect: [f32; 4],
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Page {
    pub text: String,
    pub words: Vec<Word>,
    /// Page size in the units of the boxes; 0 for formats without layout.
    pub width: f32,
    pub height: f32,
    /// How to cite a "page" of a format without pages ("slide 3", "paragraphs 1-40").
    pub label: Option<String>,
    /// Tesseract's mean word confidence (0-100) when the page was OCR'd.
    pub ocr_confidence: Option<f32>,
}

/// A file found inside another (an e-mail attachment), read as its own document.
pub struct Attachment {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Why a file could not be read, phrased to follow its name.
pub type Reason = String;

pub trait DocReader {
    fn page_count(&self) -> u32;
    /// Reads page `index` (0-based). Pages may be read from any index on, so a document
    /// interrupted half-way resumes where it stopped.
    fn read_page(&mut self, index: u32) -> Result<Page, Reason>;
    /// True when every page goes through OCR (images).
    fn is_ocr(&self) -> bool {
        false
    }
    fn take_attachments(&mut self) -> Vec<Attachment> {
        Vec::new()
    }
}

/// Opens a stored file as what its content (checked against its name) says it is.
pub fn open(path: &Path, name: &str, settings: &EngineSettings) -> Result<(Kind, Box<dyn DocReader>), Reason> {
    let kind = detect(path, name)?;
    let reader: Box<dyn DocReader> = match kind {
        Kind::Pdf => Box::new(pdf::PdfReader::open(path, settings)?),
        Kind::Png | Kind::Jpeg | Kind::Tiff => Box::new(ocr::ImageReader::open(path, kind, settings)?),
        Kind::Text | Kind::Markdown => Box::new(Pages::new(text::read(path, settings)?)),
        Kind::Csv => Box::new(Pages::new(sheet::read_csv(path, settings)?)),
        Kind::Html => Box::new(Pages::new(html::read(path, settings)?)),
        Kind::Docx => Box::new(Pages::new(docx::read(path, settings)?)),
        Kind::Pptx => Box::new(Pages::new(pptx::read(path, settings)?)),
        Kind::Xlsx | Kind::Ods => Box::new(Pages::new(sheet::read_workbook(path, kind, settings)?)),
        Kind::Eml => {
            let (pages, attachments) = eml::read(path, settings)?;
            Box::new(Pages { pages: pages.into_iter().map(Some).collect(), attachments })
        }
    };
    let count = reader.page_count();
    if count > settings.max_pages {
        return Err(format!(
            "has {count} pages; the local engine reads at most {} per document (setting max_pages)",
            settings.max_pages
        ));
    }
    Ok((kind, reader))
}

/// Formats read whole at once hand out their pages from memory.
struct Pages {
    pages: Vec<Option<Page>>,
    attachments: Vec<Attachment>,
}

impl Pages {
    fn new(pages: Vec<Page>) -> Self {
        Pages { pages: pages.into_iter().map(Some).collect(), attachments: Vec::new() }
    }
}

impl DocReader for Pages {
    fn page_count(&self) -> u32 {
        self.pages.len() as u32
    }
    fn read_page(&mut self, index: u32) -> Result<Page, Reason> {
        self.pages.get_mut(index as usize).and_then(Option::take).ok_or_else(|| format!("has no page {}", index + 1))
    }
    fn take_attachments(&mut self) -> Vec<Attachment> {
        std::mem::take(&mut self.attachments)
    }
}

/// Splits text without layout into pages of at most `PAGE_CHARS` characters at line
/// ends (or inside a line that is longer than a page), labelled by their lines so a
/// citation says where to look.
pub(crate) fn paginate(text: &str, unit: &str) -> Vec<Page> {
    const PAGE_CHARS: usize = 4000;
    fn push(pages: &mut Vec<Page>, text: String, unit: &str, first: usize, last: usize) {
        if text.trim().is_empty() {
            return;
        }
        let label = if first == last { format!("{unit} {first}") } else { format!("{unit}s {first}-{last}") };
        pages.push(Page { text, label: Some(label), ..Default::default() });
    }
    let mut pages = Vec::new();
    let mut current = String::new();
    let mut current_chars = 0;
    let mut first = 1;
    let mut last = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let n = i + 1;
        last = n;
        let joined = join_spaced_letters(line);
        let line = joined.as_deref().unwrap_or(line);
        let line_chars = line.chars().count();
        if current_chars > 0 && current_chars + line_chars > PAGE_CHARS {
            push(&mut pages, std::mem::take(&mut current), unit, first, n - 1);
            current_chars = 0;
        }
        if current_chars == 0 {
            first = n;
        }
        let mut rest = line;
        // A line longer than a page (a 200 MB one-line file) becomes several pages,
        // cut at a space where there is one so no word is split.
        while let Some((mut cut, _)) = rest.char_indices().nth(PAGE_CHARS) {
            if let Some(space) = rest[..cut].rfind(' ') {
                if space > cut / 2 {
                    cut = space + 1;
                }
            }
            push(&mut pages, rest[..cut].to_string(), unit, n, n);
            rest = &rest[cut..];
        }
        current.push_str(rest);
        current_chars += rest.chars().count();
    }
    push(&mut pages, current, unit, first, last.max(first));
    pages
}

/// A letter-spaced line, the plain-text way of writing a banner ("T a s t y   B i t s"),
/// as its words ("Tasty Bits"): spaced, no search finds the name and no quote reads. A
/// line qualifies when every token is one character and there are at least five (so
/// "x y z w" in a formula stays as written).
fn join_spaced_letters(line: &str) -> Option<String> {
    let body = line.trim_end_matches(['\n', '\r']);
    let tokens: Vec<&str> = body.split_whitespace().collect();
    if tokens.len() < 5 || tokens.iter().any(|t| t.chars().count() != 1) {
        return None;
    }
    if !tokens.iter().any(|t| t.chars().all(char::is_alphabetic)) {
        return None;
    }
    let indent = &body[..body.len() - body.trim_start().len()];
    // Words are set apart by two spaces or more; letters by one.
    let words: Vec<String> =
        body.trim().split("  ").filter(|w| !w.trim().is_empty()).map(|w| w.split(' ').collect()).collect();
    Some(format!("{indent}{}{}", words.join(" "), &line[body.len()..]))
}

/// Decodes bytes of unknown encoding: a BOM wins, then UTF-8 if valid, then the
/// legacy encoding chardetng guesses. Text that is mostly control characters is not
/// text at all (a binary file named .txt, or one mangled beyond reading).
pub(crate) fn decode_text(bytes: &[u8]) -> Result<String, Reason> {
    let text = if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        encoding.decode_without_bom_handling(&bytes[bom..]).0.into_owned()
    } else if let Ok(s) = std::str::from_utf8(bytes) {
        s.to_string()
    } else {
        let mut detector = chardetng::EncodingDetector::new();
        detector.feed(bytes, true);
        let encoding = detector.guess(None, true);
        encoding.decode_without_bom_handling(bytes).0.into_owned()
    };
    let sample: Vec<char> = text.chars().take(1 << 16).collect();
    let control = sample
        .iter()
        .filter(|c| (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0c')) || **c == '\u{fffd}')
        .count();
    if !sample.is_empty() && control * 10 > sample.len() {
        return Err("is not readable text (it looks like binary data or a damaged file)".into());
    }
    Ok(text)
}

pub(crate) fn read_limited(path: &Path, limit: u64, what: &str, setting: &str) -> Result<Vec<u8>, Reason> {
    let len =
        std::fs::metadata(path).map_err(|e| format!("could not be read: {}", crate::store::plain_io_error(&e)))?.len();
    if len > limit {
        return Err(format!(
            "is {} MB of {what}; the local engine reads at most {} MB of {what} per file (setting {setting})",
            len >> 20,
            limit >> 20
        ));
    }
    std::fs::read(path).map_err(|e| format!("could not be read: {}", crate::store::plain_io_error(&e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_spaced_banners_read_as_words() {
        let text = "    T a s t y   B i t s   f r o m\nQ u o t e   O f\nx y z w\n- - - - -\nplain text\n";
        let page = &paginate(text, "line")[0];
        assert_eq!(page.text, "    Tasty Bits from\nQuote Of\nx y z w\n- - - - -\nplain text\n");
        assert_eq!(page.label.as_deref(), Some("lines 1-5"), "line numbers are unchanged");
    }
}
