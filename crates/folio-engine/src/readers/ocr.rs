//! Offline OCR through tesseract 5 (leptess). One tesseract per worker thread (loading
//! the English model takes a while) and OMP_THREAD_LIMIT=1: tesseract's own threads
//! fight the worker pool and make a page 4x slower on 2 cores.

use super::{DocReader, Page, Reason, Word};
use crate::settings::EngineSettings;
use std::cell::RefCell;
use std::path::Path;

pub struct OcrResult {
    pub text: String,
    pub words: Vec<Word>,
    /// Mean word confidence, 0-100.
    pub confidence: f32,
}

thread_local! {
    static TESSERACT: RefCell<Option<leptess::LepTess>> = const { RefCell::new(None) };
}

/// Recognises an encoded image (PNG, JPEG, TIFF, PNM); boxes in its pixels.
pub fn recognise(image: &[u8], dpi: Option<i32>) -> Result<OcrResult, Reason> {
    TESSERACT.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = Some(leptess::LepTess::new(None, "eng").map_err(|e| {
                format!("could not be read: the OCR engine (tesseract with English data) is not installed ({e})")
            })?);
        }
        let tess = slot.as_mut().expect("just set");
        tess.set_image_from_mem(image).map_err(|_| "is an image that could not be decoded (damaged?)".to_string())?;
        match dpi {
            Some(d) => tess.set_source_resolution(d),
            None => tess.set_fallback_source_resolution(300),
        }
        let tsv = tess.get_tsv_text(0).map_err(|_| "gave OCR output that is not UTF-8".to_string())?;
        let confidence = tess.mean_text_conf() as f32;
        Ok(parse_tsv(&tsv, confidence))
    })
}

/// Tesseract's TSV: level, page, block, paragraph, line, word, left, top, width,
/// height, confidence, text. Words of a line are joined by spaces, lines by newlines.
fn parse_tsv(tsv: &str, confidence: f32) -> OcrResult {
    let mut text = String::new();
    let mut words = Vec::new();
    let mut last_line: Option<(u32, u32, u32)> = None;
    for row in tsv.lines() {
        let cols: Vec<&str> = row.split('\t').collect();
        if cols.len() < 12 || cols[0] != "5" {
            continue;
        }
        let word = cols[11].trim();
        if word.is_empty() {
            continue;
        }
        let n = |i: usize| cols[i].parse::<f32>().unwrap_or(0.0);
        let line = (n(2) as u32, n(3) as u32, n(4) as u32);
        match last_line {
            Some(l) if l == line => text.push(' '),
            Some((block, ..)) if block != line.0 => text.push_str("\n\n"),
            Some(_) => text.push('\n'),
            None => {}
        }
        last_line = Some(line);
        let start = text.len();
        text.push_str(word);
        words.push(Word { start, end: text.len(), rect: [n(6), n(7), n(6) + n(8), n(7) + n(9)] });
    }
    OcrResult { text, words, confidence }
}

/// Grey pixels (rows possibly padded to `stride`) as a binary PGM, which leptonica reads.
pub fn pgm(raw: &[u8], width: usize, height: usize) -> Vec<u8> {
    let stride = raw.len().checked_div(height).unwrap_or(width);
    let mut out = format!("P5\n{width} {height}\n255\n").into_bytes();
    out.reserve(width * height);
    for row in 0..height {
        let start = row * stride;
        out.extend_from_slice(&raw[start..start + width.min(stride)]);
    }
    out
}

/// A PNG or JPEG (one page) or a TIFF (one page per TIFF page), all of it OCR.
pub struct ImageReader {
    bytes: Vec<u8>,
    /// Where each TIFF page starts; None for single-image formats.
    tiff_pages: Option<Vec<usize>>,
}

impl ImageReader {
    pub fn open(path: &Path, kind: super::Kind, settings: &EngineSettings) -> Result<ImageReader, Reason> {
        let bytes =
            std::fs::read(path).map_err(|e| format!("could not be read: {}", crate::store::plain_io_error(&e)))?;
        // Sizes and page count come from the header, checked before leptonica decodes anything.
        let frames = super::image_header::frames(&bytes, kind, settings)?;
        let tiff_pages = (kind == super::Kind::Tiff).then(|| frames.iter().map(|f| f.offset).collect());
        Ok(ImageReader { bytes, tiff_pages })
    }
}

impl DocReader for ImageReader {
    fn page_count(&self) -> u32 {
        self.tiff_pages.as_ref().map_or(1, |p| p.len() as u32)
    }
    fn is_ocr(&self) -> bool {
        true
    }
    fn read_page(&mut self, index: u32) -> Result<Page, Reason> {
        let undecodable = || "is an image that could not be decoded (damaged?)".to_string();
        let (width, height, result) = match &self.tiff_pages {
            Some(offsets) => {
                let offset = *offsets.get(index as usize).ok_or_else(|| format!("has no page {}", index + 1))?;
                let pix = super::pix::Pix::decode_tiff_page(&self.bytes, offset)
                    .ok_or_else(|| format!("is a TIFF whose page {} could not be decoded (damaged?)", index + 1))?;
                let pnm = pix.to_pnm().ok_or_else(undecodable)?;
                (pix.width() as f32, pix.height() as f32, recognise(&pnm, None)?)
            }
            None => {
                let pix = leptess::leptonica::pix_read_mem(&self.bytes).map_err(|_| undecodable())?;
                let (width, height) = (pix.get_w() as f32, pix.get_h() as f32);
                drop(pix);
                (width, height, recognise(&self.bytes, None)?)
            }
        };
        Ok(Page {
            text: result.text,
            words: result.words,
            width,
            height,
            label: None,
            ocr_confidence: Some(result.confidence),
        })
    }
}
