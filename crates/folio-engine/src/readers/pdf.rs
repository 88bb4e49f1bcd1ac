//! PDFs through pdfium (pdfium-render, libpdfium loaded at run time). Chosen over MuPDF
//! (AGPL), pdf_oxide (4x slower) and lopdf (no positions): ~940 pages/s with character
//! boxes on 2 cores, recall 0.99 against pdftotext, BSD/Apache licensed. See NOTES.md
//! for how each OS's app bundle carries the library.

use super::{ocr, DocReader, Page, Reason, Word};
use crate::settings::EngineSettings;
use pdfium_render::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

static PDFIUM: OnceLock<Result<Pdfium, String>> = OnceLock::new();

/// pdfium is not thread-safe, and pdfium-render's "thread safe" bindings only serialise
/// separate `Pdfium` instances, not calls through one shared instance: two workers
/// reading two PDFs at once crashed it (SIGSEGV). Every pdfium call, including closing
/// a document, happens under this lock; OCR of a rendered page runs outside it.
static PDF_LOCK: Mutex<()> = Mutex::new(());

fn pdf_lock() -> MutexGuard<'static, ()> {
    PDF_LOCK.lock().unwrap_or_else(|p| p.into_inner())
}

/// Where libpdfium is: the setting, FOLIO_PDFIUM (a file), PDFIUM_DYNAMIC_LIB_PATH (a
/// folder), then beside the executable and in its ../lib and ../Frameworks (app bundles).
fn library_candidates(settings: &EngineSettings) -> Vec<PathBuf> {
    let mut out = Vec::new();
    out.extend(settings.pdfium_path.clone());
    if let Some(p) = std::env::var_os("FOLIO_PDFIUM") {
        out.push(PathBuf::from(p));
    }
    if let Some(dir) = std::env::var_os("PDFIUM_DYNAMIC_LIB_PATH") {
        out.push(Pdfium::pdfium_platform_library_name_at_path(&PathBuf::from(dir)));
    }
    if let Some(exe_dir) = std::env::current_exe().ok().and_then(|p| p.parent().map(Path::to_path_buf)) {
        for dir in
            [exe_dir.clone(), exe_dir.join("../lib"), exe_dir.join("../Frameworks"), exe_dir.join("../Resources")]
        {
            out.push(Pdfium::pdfium_platform_library_name_at_path(&dir));
        }
    }
    out
}

pub fn pdfium(settings: &EngineSettings) -> Result<&'static Pdfium, Reason> {
    PDFIUM
        .get_or_init(|| {
            let candidates = library_candidates(settings);
            for path in &candidates {
                if path.is_file() {
                    return Pdfium::bind_to_library(path)
                        .map(Pdfium::new)
                        .map_err(|e| format!("the PDF library at {} could not be loaded: {e}", path.display()));
                }
            }
            Err(format!(
                "libpdfium was not found (looked at {}); run scripts/setup.sh or set FOLIO_PDFIUM",
                candidates.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
            ))
        })
        .as_ref()
        .map_err(|e| format!("could not be read: {e}"))
}

pub struct PdfReader {
    /// Always Some until dropped (under the lock, see Drop).
    doc: Option<PdfDocument<'static>>,
    count: u32,
    ocr_min_chars: usize,
    ocr_dpi: u32,
    max_pixels: u64,
}

impl PdfReader {
    pub fn open(path: &Path, settings: &EngineSettings) -> Result<PdfReader, Reason> {
        check_complete(path)?;
        let _guard = pdf_lock();
        let pdfium = pdfium(settings)?;
        let doc = pdfium.load_pdf_from_file(path, None).map_err(|e| match e {
            PdfiumError::PdfiumLibraryInternalError(PdfiumInternalError::PasswordError) => {
                "is password-protected; save a copy without the password and add that".to_string()
            }
            PdfiumError::PdfiumLibraryInternalError(PdfiumInternalError::FormatError) => {
                "is damaged: its PDF structure could not be read".to_string()
            }
            PdfiumError::PdfiumLibraryInternalError(PdfiumInternalError::SecurityError) => {
                "uses an encryption the PDF library does not support".to_string()
            }
            other => format!("could not be opened as a PDF ({other})"),
        })?;
        let count = doc.pages().len() as u32;
        if count == 0 {
            return Err("has no pages (its page tree is empty, broken or loops on itself)".into());
        }
        if count > settings.max_pages {
            return Err(format!(
                "has {count} pages; the local engine reads at most {} per document (setting max_pages)",
                settings.max_pages
            ));
        }
        Ok(PdfReader {
            doc: Some(doc),
            count,
            ocr_min_chars: settings.ocr_min_chars,
            ocr_dpi: settings.ocr_dpi,
            max_pixels: settings.max_ocr_pixels,
        })
    }

    /// Renders a page to grey pixels (PGM) for OCR, at `ocr_dpi`. Called under the lock.
    fn render_for_ocr(&self, page: &PdfPage, width: f32, height: f32) -> Result<(Vec<u8>, usize), Reason> {
        // At most `max_ocr_pixels`: a page with a MediaBox of 200 x 200 inches would
        // otherwise be a 60,000-pixel-square bitmap.
        let aspect = (height / width.max(1e-3)).max(1e-3) as f64;
        let widest = (self.max_pixels as f64 / aspect).sqrt() as f32;
        let px = ((width / 72.0) * self.ocr_dpi as f32).min(widest).round().clamp(16.0, 10_000.0) as i32;
        let tallest = (self.max_pixels / px as u64).clamp(16, 100_000) as i32;
        // BGRA, then grey ourselves: pdfium's own grey bitmaps came out blank.
        let config = PdfRenderConfig::new()
            .set_target_width(px)
            .set_maximum_height(tallest)
            .set_format(PdfBitmapFormat::BGRA)
            .render_form_data(true);
        let bitmap = page.render_with_config(&config).map_err(|e| format!("page could not be drawn for OCR: {e}"))?;
        let (w, h) = (bitmap.width() as usize, bitmap.height() as usize);
        let raw = bitmap.as_raw_bytes();
        let stride = raw.len().checked_div(h).unwrap_or(0);
        let mut grey = Vec::with_capacity(w * h);
        for row in 0..h {
            for px in raw[row * stride..].chunks_exact(4).take(w) {
                grey.push(((px[2] as u32 * 299 + px[1] as u32 * 587 + px[0] as u32 * 114) / 1000) as u8);
            }
        }
        Ok((ocr::pgm(&grey, w, h), w))
    }

    /// The text layer of a page, or its rendering when it needs OCR.
    fn extract(&self, index: u32) -> Result<Extracted, Reason> {
        let _guard = pdf_lock();
        let doc = self.doc.as_ref().expect("open until dropped");
        let page = doc
            .pages()
            .get(index as u16)
            .map_err(|e| format!("is damaged: page {} could not be opened ({e}; a broken page tree?)", index + 1))?;
        let (width, height) = (page.width().value, page.height().value);
        let text = page.text().map_err(|e| format!("page {} text could not be read: {e}", index + 1))?;
        let mut out = Page { width, height, ..Default::default() };
        let mut visible = 0usize;
        let mut word: Option<Word> = None;
        for ch in text.chars().iter() {
            let Some(c) = ch.unicode_char() else { continue };
            // pdfium marks soft hyphens and line ends (\r\n) with control codes; keep \n.
            if c.is_control() && c != '\n' && c != '\t' {
                continue;
            }
            let start = out.text.len();
            out.text.push(c);
            if c.is_whitespace() {
                out.words.extend(word.take());
                continue;
            }
            visible += 1;
            let rect = match ch.loose_bounds() {
                Ok(r) => [r.left().value, height - r.top().value, r.right().value, height - r.bottom().value],
                Err(_) => continue,
            };
            match &mut word {
                Some(w) => {
                    w.end = out.text.len();
                    w.rect = union(w.rect, rect);
                }
                None => word = Some(Word { start, end: out.text.len(), rect }),
            }
        }
        out.words.extend(word.take());
        drop(text);
        if visible < self.ocr_min_chars && has_image(&page) {
            // No usable text layer but a picture: a scan. Recognise the rendered page.
            // (A blank or nearly blank page without pictures is just that.)
            let (pgm, pixels_wide) = self.render_for_ocr(&page, width, height)?;
            return Ok(Extracted::NeedsOcr { pgm, pixels_wide, width, height });
        }
        Ok(Extracted::Text(out))
    }
}

enum Extracted {
    Text(Page),
    NeedsOcr { pgm: Vec<u8>, pixels_wide: usize, width: f32, height: f32 },
}

impl Drop for PdfReader {
    fn drop(&mut self) {
        let _guard = pdf_lock();
        self.doc.take();
    }
}

impl DocReader for PdfReader {
    fn page_count(&self) -> u32 {
        self.count
    }

    fn read_page(&mut self, index: u32) -> Result<Page, Reason> {
        match self.extract(index)? {
            Extracted::Text(page) => Ok(page),
            Extracted::NeedsOcr { pgm, pixels_wide, width, height } => {
                // Outside the lock: tesseract takes seconds and needs no pdfium.
                // Pixels back to points; below `ocr_dpi` when the pixel cap shrank the page.
                let scale = width / pixels_wide.max(1) as f32;
                let result = ocr::recognise(&pgm, Some((72.0 / scale).round() as i32))?;
                let words = result.words.into_iter().map(|w| Word { rect: w.rect.map(|v| v * scale), ..w }).collect();
                Ok(Page {
                    text: result.text,
                    words,
                    width,
                    height,
                    label: None,
                    ocr_confidence: Some(result.confidence),
                })
            }
        }
    }
}

/// Draws one page (0-based) `width_px` wide as PNG, for the page viewer. Under the
/// pdfium lock, like every pdfium call; the PNG is encoded after it is released.
pub fn render_png(path: &Path, settings: &EngineSettings, index: u32, width_px: u32) -> Result<Vec<u8>, Reason> {
    let (w, h, rgba) = {
        let _guard = pdf_lock();
        let pdfium = pdfium(settings)?;
        let doc = pdfium.load_pdf_from_file(path, None).map_err(|e| format!("could not be opened as a PDF ({e})"))?;
        let page = doc.pages().get(index as u16).map_err(|e| format!("has no page {} ({e})", index + 1))?;
        let config = PdfRenderConfig::new()
            .set_target_width(width_px as i32)
            .set_format(PdfBitmapFormat::BGRA)
            .render_form_data(true);
        let bitmap =
            page.render_with_config(&config).map_err(|e| format!("page {} could not be drawn: {e}", index + 1))?;
        let (w, h) = (bitmap.width() as usize, bitmap.height() as usize);
        let raw = bitmap.as_raw_bytes();
        let stride = raw.len().checked_div(h).unwrap_or(0);
        let mut rgba = Vec::with_capacity(w * h * 4);
        for row in 0..h {
            for px in raw[row * stride..].chunks_exact(4).take(w) {
                rgba.extend_from_slice(&[px[2], px[1], px[0], px[3]]);
            }
        }
        (w as u32, h as u32, rgba)
    };
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    // Fast: the page is drawn for a person waiting, and it is thrown away after.
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().map_err(|e| format!("page {} could not be encoded: {e}", index + 1))?;
    writer.write_image_data(&rgba).map_err(|e| format!("page {} could not be encoded: {e}", index + 1))?;
    writer.finish().map_err(|e| format!("page {} could not be encoded: {e}", index + 1))?;
    Ok(out)
}

fn has_image(page: &PdfPage) -> bool {
    page.objects().iter().any(|o| o.object_type() == PdfPageObjectType::Image)
}

fn union(a: [f32; 4], b: [f32; 4]) -> [f32; 4] {
    [a[0].min(b[0]), a[1].min(b[1]), a[2].max(b[2]), a[3].max(b[3])]
}

/// A PDF ends with %%EOF; one cut short (a copy that stopped half-way) does not. pdfium
/// would quietly "repair" it and show fewer pages, so refuse it with the reason instead.
fn check_complete(path: &Path) -> Result<(), Reason> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f =
        std::fs::File::open(path).map_err(|e| format!("could not be read: {}", crate::store::plain_io_error(&e)))?;
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let tail = len.min(4096);
    let mut buf = vec![0u8; tail as usize];
    f.seek(SeekFrom::Start(len - tail))
        .and_then(|_| f.read_exact(&mut buf))
        .map_err(|e| format!("could not be read: {e}"))?;
    if !buf.windows(5).any(|w| w == b"%%EOF") {
        return Err("is incomplete: the PDF is cut short (a download or copy that did not finish?)".into());
    }
    Ok(())
}
