//! What the desktop page viewer asks of the engine: one page with its text, size and
//! passages (`page_view`), the page as a picture (`render_page`), and the facts for the
//! document panel (`document_details`). Boxes, page sizes and char ranges all come
//! from the same stored pages and passages, so a citation lands where it should.

use crate::engine::Engine;
use crate::error::{EngineError, Result};
use crate::readers::{self, pix::Pix};
use crate::store::DocumentRow;
use folio_core::document::{DocumentDetails, PageKind, PagePassage, PageView};
use folio_core::{BoundingBox, DocumentId};
use rusqlite::OptionalExtension;

/// Widest picture `render_page` draws: sharp on a 4K screen, ~40 MB of pixels at most.
pub const MAX_RENDER_WIDTH: u32 = 2400;

impl Engine {
    /// One page of a document (1-based), with its text and passages.
    pub fn page_view(&self, conversation_id: &str, document_id: DocumentId, page: u32) -> Result<PageView> {
        let store = self.store();
        let doc = store.document_in(conversation_id, document_id)?;
        let page_count = read_pages(&doc)?;
        if page == 0 || page > page_count {
            return Err(EngineError::NotFound(format!(
                "{} has pages 1 to {page_count}; there is no page {page}",
                doc.name
            )));
        }
        let conn = store.conn();
        let record = conn
            .query_row(
                "SELECT label, width, height, ocr_confidence, text FROM pages WHERE document_id = ?1 AND page = ?2",
                rusqlite::params![document_id, page],
                |r| {
                    Ok((
                        r.get::<_, Option<String>>(0)?,
                        r.get::<_, f32>(1)?,
                        r.get::<_, f32>(2)?,
                        r.get::<_, Option<f32>>(3)?,
                        r.get::<_, String>(4)?,
                    ))
                },
            )
            .optional()?;
        let Some((label, width, height, ocr_confidence, text)) = record else {
            return Err(EngineError::NotFound(format!("page {page} of {} has not been read yet", doc.name)));
        };
        // Scalar offset -> UTF-16 offset, for the UI's string indexing.
        let mut utf16 = Vec::with_capacity(text.len() + 1);
        let mut at = 0u32;
        for c in text.chars() {
            utf16.push(at);
            at += c.len_utf16() as u32;
        }
        utf16.push(at);
        let to16 = |i: u32| utf16.get(i as usize).copied().unwrap_or(at);
        let mut stmt = conn.prepare_cached(
            "SELECT id, char_start, char_end, boxes FROM passages WHERE document_id = ?1 AND page = ?2 ORDER BY char_start",
        )?;
        let passages = stmt
            .query_map(rusqlite::params![document_id, page], |r| {
                let boxes: String = r.get(3)?;
                Ok((r.get::<_, i64>(0)?, r.get::<_, u32>(1)?, r.get::<_, u32>(2)?, boxes))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .map(|(passage_id, char_start, char_end, boxes)| {
                let boxes: Vec<[f64; 4]> = serde_json::from_str(&boxes).unwrap_or_default();
                PagePassage {
                    passage_id,
                    char_start,
                    char_end,
                    utf16_start: to16(char_start),
                    utf16_end: to16(char_end),
                    boxes: boxes
                        .into_iter()
                        .map(|[x0, y0, x1, y1]| BoundingBox { top_x: x0, top_y: y0, bottom_x: x1, bottom_y: y1 })
                        .collect(),
                }
            })
            .collect();
        Ok(PageView {
            document_id,
            page,
            page_count,
            label,
            kind: page_kind(doc.kind.as_deref()),
            width,
            height,
            text,
            passages,
            ocr_confidence,
        })
    }

    /// The page (1-based) as PNG, `width_px` wide (at most `MAX_RENDER_WIDTH`): drawn by
    /// pdfium for PDF pages, the stored image (scaled; TIFF: that page) for image pages.
    /// Text formats have no picture (Unsupported): the viewer shows `page_view`'s text.
    pub fn render_page(
        &self,
        conversation_id: &str,
        document_id: DocumentId,
        page: u32,
        width_px: u32,
    ) -> Result<Vec<u8>> {
        let doc = self.store().document_in(conversation_id, document_id)?;
        let page_count = read_pages(&doc)?;
        if page == 0 || page > page_count {
            return Err(EngineError::NotFound(format!(
                "{} has pages 1 to {page_count}; there is no page {page}",
                doc.name
            )));
        }
        let width = width_px.clamp(16, MAX_RENDER_WIDTH);
        let path = self.store().blobs.path(&doc.sha256);
        let named = |reason: String| EngineError::Unreadable(format!("{} {reason}", doc.name));
        match page_kind(doc.kind.as_deref()) {
            PageKind::Pdf => readers::pdf::render_png(&path, self.settings(), page - 1, width).map_err(named),
            PageKind::Image => {
                let bytes =
                    std::fs::read(&path).map_err(|e| EngineError::io("could not read the stored copy", &path, e))?;
                let pix = if doc.kind.as_deref() == Some("tiff") {
                    let offsets = readers::pix::tiff_page_offsets(&bytes);
                    offsets.get(page as usize - 1).and_then(|o| Pix::decode_tiff_page(&bytes, *o))
                } else {
                    Pix::decode(&bytes)
                };
                pix.and_then(|p| p.to_png_width(width))
                    .ok_or_else(|| named(format!("page {page} could not be drawn (the image could not be decoded)")))
            }
            PageKind::Text => Err(EngineError::Unsupported(format!(
                "{} is a text document: its pages have no picture; show their text instead",
                doc.name
            ))),
        }
    }

    /// Everything the document panel shows: pages, size, type, OCR, embedding progress.
    pub fn document_details(&self, conversation_id: &str, document_id: DocumentId) -> Result<DocumentDetails> {
        let store = self.store();
        let doc = store.document_in(conversation_id, document_id)?;
        let conn = store.conn();
        let ocr_mean_confidence: Option<f64> = conn.query_row(
            "SELECT AVG(ocr_confidence) FROM pages WHERE document_id = ?1 AND ocr_confidence IS NOT NULL",
            [document_id],
            |r| r.get(0),
        )?;
        let first: Option<(f32, f32)> = conn
            .query_row(
                "SELECT width, height FROM pages WHERE document_id = ?1 ORDER BY page LIMIT 1",
                [document_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (passages, embedded): (i64, i64) = conn.query_row(
            "SELECT COUNT(*), COUNT(embedding) FROM passages WHERE document_id = ?1",
            [document_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let first = first.filter(|(w, h)| *w > 0.0 && *h > 0.0);
        let document = doc.to_document();
        Ok(DocumentDetails {
            id: doc.id,
            name: doc.name.clone(),
            kind: doc.kind.clone(),
            stage: doc.stage,
            page_count: doc.page_total,
            size_bytes: doc.size,
            ocr_used: doc.ocr_pages > 0,
            ocr_pages: doc.ocr_pages,
            ocr_mean_confidence: ocr_mean_confidence.map(|c| c as f32),
            passages: passages as u64,
            embedded_passages: embedded as u64,
            page_width: first.map(|f| f.0),
            page_height: first.map(|f| f.1),
            failure_reason: doc.failure_reason.clone(),
            uploaded_at: document.uploaded_at,
        })
    }
}

/// Pages a document has to show; NotFound with the reason when it has none yet.
fn read_pages(doc: &DocumentRow) -> Result<u32> {
    if !doc.process {
        return Err(EngineError::NotFound(format!(
            "{} was stored without being read, so it has no pages to show",
            doc.name
        )));
    }
    match doc.page_total {
        Some(n) if doc.pages_done > 0 => Ok(n),
        _ => Err(EngineError::NotFound(format!("{} has not been read yet", doc.name))),
    }
}

fn page_kind(kind: Option<&str>) -> PageKind {
    match kind {
        Some("pdf") => PageKind::Pdf,
        Some("png" | "jpeg" | "tiff") => PageKind::Image,
        _ => PageKind::Text,
    }
}
