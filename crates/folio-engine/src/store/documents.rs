//! Documents, their pages and passages. Processing writes a batch of pages and their
//! passages together with the new page count in one transaction, which is what makes
//! resuming exact: after a crash, pages_done says precisely what is on disk.

use super::{now, parse_time, Store};
use crate::error::{EngineError, Result};
use folio_core::document::PageProgress;
use folio_core::{Document, DocumentId, DocumentMetadata, DocumentStage, DocumentState};
use rusqlite::{params, OptionalExtension, Transaction};

#[derive(Debug, Clone)]
pub struct DocumentRow {
    pub id: DocumentId,
    pub conversation_id: String,
    pub parent_id: Option<DocumentId>,
    pub name: String,
    pub sha256: String,
    pub size: u64,
    pub kind: Option<String>,
    pub process: bool,
    pub stage: DocumentStage,
    pub pages_done: u32,
    pub page_total: Option<u32>,
    pub ocr_pages: u32,
    pub failure_reason: Option<String>,
    pub searchable: bool,
    pub uploaded_at: Option<String>,
}

impl DocumentRow {
    pub fn to_document(&self) -> Document {
        let state = match self.stage {
            // Embedding: keyword search already answers from it, so consumers that only
            // know AI Hub's states (folio serve, the app) treat it as usable.
            DocumentStage::Ready | DocumentStage::Embedding => DocumentState::Processed,
            DocumentStage::Failed | DocumentStage::Cancelled => DocumentState::Failed,
            _ => DocumentState::Processing,
        };
        let progress = (self.process && (self.page_total.is_some() || self.pages_done > 0))
            .then_some(PageProgress { done: self.pages_done, total: self.page_total });
        Document {
            id: self.id,
            name: self.name.clone(),
            state,
            stage: self.stage,
            progress,
            failure_reason: self.failure_reason.clone(),
            uploaded_at: parse_time(self.uploaded_at.clone()),
        }
    }
}

/// One page as stored.
#[derive(Debug, Clone)]
pub struct PageRecord {
    pub page: u32,
    pub label: Option<String>,
    pub width: f32,
    pub height: f32,
    pub ocr_confidence: Option<f32>,
    pub text: String,
}

/// One passage as stored; boxes are [x0, y0, x1, y1] in page units, top-left origin.
#[derive(Debug, Clone)]
pub struct PassageRecord {
    pub page: u32,
    pub char_start: u32,
    pub char_end: u32,
    pub text: String,
    pub boxes: Vec<[f32; 4]>,
}

pub fn stage_word(stage: DocumentStage) -> String {
    serde_json::to_value(stage).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn stage_parse(word: &str) -> DocumentStage {
    serde_json::from_value(serde_json::Value::String(word.to_string())).unwrap_or(DocumentStage::Waiting)
}

const COLUMNS: &str = "id, conversation_id, parent_id, name, sha256, size, kind, process, stage, pages_done,
    page_total, ocr_pages, failure_reason, searchable, uploaded_at";

fn row(r: &rusqlite::Row) -> rusqlite::Result<DocumentRow> {
    Ok(DocumentRow {
        id: r.get(0)?,
        conversation_id: r.get(1)?,
        parent_id: r.get(2)?,
        name: r.get(3)?,
        sha256: r.get(4)?,
        size: r.get::<_, i64>(5)? as u64,
        kind: r.get(6)?,
        process: r.get(7)?,
        stage: stage_parse(&r.get::<_, String>(8)?),
        pages_done: r.get(9)?,
        page_total: r.get(10)?,
        ocr_pages: r.get(11)?,
        failure_reason: r.get(12)?,
        searchable: r.get(13)?,
        uploaded_at: r.get(14)?,
    })
}

/// What a worker may do with a document it is about to write for.
pub enum Claim {
    Go(DocumentRow),
    /// Deleted, cancelled or already finished: drop the work quietly.
    Gone,
}

impl Store {
    pub fn insert_document(
        tx: &Transaction,
        conversation_id: &str,
        parent_id: Option<DocumentId>,
        name: &str,
        sha256: &str,
        size: u64,
        process: bool,
    ) -> Result<DocumentId> {
        let at = now();
        let stage = if process { DocumentStage::Waiting } else { DocumentStage::Ready };
        tx.execute(
            "INSERT INTO documents(conversation_id, parent_id, name, sha256, size, process, stage, uploaded_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![conversation_id, parent_id, name, sha256, size as i64, process, stage_word(stage), at],
        )?;
        Store::touch_conversation(tx, conversation_id)?;
        Ok(tx.last_insert_rowid())
    }

    pub fn documents_of(&self, conversation_id: &str) -> Result<Vec<Document>> {
        let rows: Vec<DocumentRow> = {
            let conn = self.conn();
            let mut stmt =
                conn.prepare(&format!("SELECT {COLUMNS} FROM documents WHERE conversation_id = ?1 ORDER BY id"))?;
            let rows = stmt.query_map([conversation_id], row)?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut docs = Vec::with_capacity(rows.len());
        for r in rows {
            let mut doc = r.to_document();
            if r.stage == DocumentStage::Embedding {
                doc.progress = Some(self.embedding_progress(r.id)?);
            }
            docs.push(doc);
        }
        Ok(docs)
    }

    /// While a document is `Embedding`: pages whose passages all have vectors, of all
    /// its pages (pages without passages count as done). Pages, not passages, so the
    /// unit of progress is the same in every stage.
    pub fn embedding_progress(&self, id: DocumentId) -> Result<PageProgress> {
        let conn = self.conn();
        let (total, pending): (u32, u32) = conn.query_row(
            "SELECT (SELECT COALESCE(page_total, pages_done) FROM documents WHERE id = ?1),
                    (SELECT COUNT(DISTINCT page) FROM passages WHERE document_id = ?1 AND embedding IS NULL)",
            [id],
            |r| Ok((r.get::<_, Option<u32>>(0)?.unwrap_or(0), r.get(1)?)),
        )?;
        Ok(PageProgress { done: total.saturating_sub(pending), total: Some(total) })
    }

    pub fn document(&self, id: DocumentId) -> Result<Option<DocumentRow>> {
        let conn = self.conn();
        Ok(conn.query_row(&format!("SELECT {COLUMNS} FROM documents WHERE id = ?1"), [id], row).optional()?)
    }

    pub fn document_in(&self, conversation_id: &str, id: DocumentId) -> Result<DocumentRow> {
        match self.document(id)? {
            Some(d) if d.conversation_id == conversation_id => Ok(d),
            _ => Err(EngineError::NotFound(format!("Document {id} was not found in conversation {conversation_id}"))),
        }
    }

    /// Documents to (re)start: everything queued or interrupted mid-way, oldest first.
    pub fn unfinished(&self) -> Result<Vec<DocumentId>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id FROM documents WHERE process = 1 AND stage NOT IN ('ready', 'embedding', 'failed', 'cancelled') ORDER BY id",
        )?;
        let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// Re-reads a document inside a write transaction; `Gone` if it no longer wants a
    /// worker's work (an `Embedding` document is fully read: only the embedder writes it).
    pub fn claim(tx: &Transaction, id: DocumentId) -> Result<Claim> {
        let found = tx.query_row(&format!("SELECT {COLUMNS} FROM documents WHERE id = ?1"), [id], row).optional()?;
        Ok(match found {
            Some(d) if !d.stage.is_askable() && !d.stage.is_terminal() => Claim::Go(d),
            _ => Claim::Gone,
        })
    }

    /// Sets stage and progress; returns false if the document is gone or already settled.
    pub fn set_stage(&self, id: DocumentId, stage: DocumentStage, page_total: Option<u32>) -> Result<bool> {
        self.write(|tx| {
            if let Claim::Gone = Store::claim(tx, id)? {
                return Ok(false);
            }
            tx.execute(
                "UPDATE documents SET stage = ?2, page_total = COALESCE(?3, page_total), updated_at = ?4 WHERE id = ?1",
                params![id, stage_word(stage), page_total, now()],
            )?;
            Ok(true)
        })
    }

    pub fn set_kind(&self, id: DocumentId, kind: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute("UPDATE documents SET kind = ?2 WHERE id = ?1", params![id, kind])?;
            Ok(())
        })
    }

    /// Stores a batch of pages with their passages and advances pages_done, atomically.
    /// Returns false (writing nothing) if the document was deleted or cancelled meanwhile.
    pub fn write_pages(&self, id: DocumentId, pages: &[PageRecord], passages: &[PassageRecord]) -> Result<bool> {
        self.write(|tx| {
            let doc = match Store::claim(tx, id)? {
                Claim::Go(d) => d,
                Claim::Gone => return Ok(false),
            };
            {
                let mut page_stmt = tx.prepare_cached(
                    "INSERT OR REPLACE INTO pages(document_id, page, label, width, height, ocr_confidence, text)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?;
                for p in pages {
                    page_stmt.execute(params![id, p.page, p.label, p.width, p.height, p.ocr_confidence, p.text])?;
                }
                let mut passage_stmt = tx.prepare_cached(
                    "INSERT INTO passages(document_id, page, char_start, char_end, text, boxes) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?;
                for p in passages {
                    let boxes = serde_json::to_string(&p.boxes).unwrap_or_else(|_| "[]".into());
                    passage_stmt.execute(params![id, p.page, p.char_start, p.char_end, p.text, boxes])?;
                }
            }
            let done = pages.iter().map(|p| p.page).max().unwrap_or(doc.pages_done).max(doc.pages_done);
            let ocr = pages.iter().filter(|p| p.ocr_confidence.is_some()).count() as u32;
            tx.execute(
                "UPDATE documents SET pages_done = ?2, ocr_pages = ocr_pages + ?3, read_attempts = 0, updated_at = ?4
                 WHERE id = ?1",
                params![id, done, ocr, now()],
            )?;
            Ok(true)
        })
    }

    /// The document is fully keyword-indexed: only now does search return its passages.
    /// It becomes `Embedding` when an embedder will make its vectors, else `Ready`.
    pub fn mark_ready(&self, id: DocumentId, embedding: bool) -> Result<bool> {
        self.write(|tx| {
            if let Claim::Gone = Store::claim(tx, id)? {
                return Ok(false);
            }
            let stage = if embedding { DocumentStage::Embedding } else { DocumentStage::Ready };
            tx.execute(
                "UPDATE documents SET stage = ?3, searchable = 1, page_total = pages_done, failure_reason = NULL,
                 updated_at = ?2 WHERE id = ?1",
                params![id, now(), stage_word(stage)],
            )?;
            Ok(true)
        })
    }

    /// Puts a failed or cancelled document back at the start: its pages and passages are
    /// dropped and it waits for a worker again. Returns false if it is not failed or
    /// cancelled (a document at work or ready is left alone).
    pub fn reset_for_retry(&self, id: DocumentId) -> Result<bool> {
        self.write(|tx| {
            let stage: Option<String> = tx.query_row("SELECT stage FROM documents WHERE id = ?1", [id], |r| r.get(0)).optional()?;
            let retryable = [stage_word(DocumentStage::Failed), stage_word(DocumentStage::Cancelled)];
            if !stage.is_some_and(|s| retryable.contains(&s)) {
                return Ok(false);
            }
            tx.execute("DELETE FROM passages WHERE document_id = ?1", [id])?;
            tx.execute("DELETE FROM pages WHERE document_id = ?1", [id])?;
            tx.execute(
                "UPDATE documents SET stage = ?2, pages_done = 0, page_total = NULL, ocr_pages = 0, failure_reason = NULL,
                 searchable = 0, process = 1, read_attempts = 0, updated_at = ?3 WHERE id = ?1",
                params![id, stage_word(DocumentStage::Waiting), now()],
            )?;
            Ok(true)
        })
    }

    /// Fails (or cancels) a document and drops whatever it had indexed, so a half-read
    /// document never answers a question.
    pub fn settle_unfinished(&self, id: DocumentId, stage: DocumentStage, reason: Option<&str>) -> Result<bool> {
        self.write(|tx| {
            if let Claim::Gone = Store::claim(tx, id)? {
                return Ok(false);
            }
            tx.execute("DELETE FROM passages WHERE document_id = ?1", [id])?;
            tx.execute(
                "UPDATE documents SET stage = ?2, failure_reason = ?3, searchable = 0, updated_at = ?4 WHERE id = ?1",
                params![id, stage_word(stage), reason, now()],
            )?;
            Ok(true)
        })
    }

    pub fn delete_documents(&self, conversation_id: &str, ids: &[DocumentId]) -> Result<Vec<String>> {
        self.write(|tx| {
            for id in ids {
                let owner: Option<String> = tx
                    .query_row("SELECT conversation_id FROM documents WHERE id = ?1", [id], |r| r.get(0))
                    .optional()?;
                if owner.as_deref() != Some(conversation_id) {
                    return Err(EngineError::NotFound(format!(
                        "Document {id} was not found in conversation {conversation_id}"
                    )));
                }
            }
            let orphans = delete_documents_tx(tx, ids)?;
            Store::touch_conversation(tx, conversation_id)?;
            Ok(orphans)
        })
    }

    pub fn metadata(&self, conversation_id: &str, id: DocumentId) -> Result<DocumentMetadata> {
        let doc = self.document_in(conversation_id, id)?;
        let pages = self.pages(id)?;
        let conn = self.conn();
        let ocr_conf: Option<f64> = conn.query_row(
            "SELECT AVG(ocr_confidence) FROM pages WHERE document_id = ?1 AND ocr_confidence IS NOT NULL",
            [id],
            |r| r.get(0),
        )?;
        let (passages, embedded): (i64, i64) =
            conn.query_row("SELECT COUNT(*), COUNT(embedding) FROM passages WHERE document_id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        let document = serde_json::json!({
            "kind": doc.kind,
            "stage": stage_word(doc.stage),
            "sizeBytes": doc.size,
            "sha256": doc.sha256,
            "pageCount": doc.page_total,
            "pagesDone": doc.pages_done,
            "ocrUsed": doc.ocr_pages > 0,
            "ocrPages": doc.ocr_pages,
            "ocrMeanConfidence": ocr_conf,
            "pageSize": pages.first().map(|p| serde_json::json!({"width": p.width, "height": p.height})),
            "passages": passages,
            "embeddedPassages": embedded,
            "keywordSearchable": doc.searchable,
            "attachmentOf": doc.parent_id,
        });
        Ok(DocumentMetadata {
            id,
            name: doc.name.clone(),
            page_count: doc.page_total.filter(|_| doc.stage.is_askable()),
            digitized_path: Some(self.blobs.path(&doc.sha256).display().to_string()),
            metadata: pages.iter().map(page_metadata).collect(),
            document: Some(document),
        })
    }

    /// Pages of a document, in order (for tests, the UI's viewer and part 2).
    pub fn pages(&self, id: DocumentId) -> Result<Vec<PageRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT page, label, width, height, ocr_confidence, text FROM pages WHERE document_id = ?1 ORDER BY page",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok(PageRecord {
                page: r.get(0)?,
                label: r.get(1)?,
                width: r.get(2)?,
                height: r.get(3)?,
                ocr_confidence: r.get(4)?,
                text: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records that a read of the document starts, committed before the reader opens the
    /// file, so a process that dies while reading leaves a trace. Returns false (and
    /// records nothing) when `limit` reads already started and never ended or made
    /// progress: the caller sets the document aside instead of reading it again.
    pub fn begin_read_attempt(&self, id: DocumentId, limit: u32) -> Result<bool> {
        self.write(|tx| {
            let attempts: Option<u32> =
                tx.query_row("SELECT read_attempts FROM documents WHERE id = ?1", [id], |r| r.get(0)).optional()?;
            if attempts.is_some_and(|a| a >= limit) {
                return Ok(false);
            }
            tx.execute("UPDATE documents SET read_attempts = read_attempts + 1 WHERE id = ?1", [id])?;
            Ok(true)
        })
    }

    /// The read ended with the process alive (finished, failed, yielded or stopped): it
    /// was not the document that stopped Folio.
    pub fn end_read_attempt(&self, id: DocumentId) -> Result<()> {
        self.write(|tx| {
            tx.execute("UPDATE documents SET read_attempts = 0 WHERE id = ?1 AND read_attempts > 0", [id])?;
            Ok(())
        })
    }

    /// Unfinished documents whose reads were interrupted `limit` times without progress.
    pub fn interrupted(&self, limit: u32) -> Result<Vec<DocumentRow>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} FROM documents WHERE process = 1 AND read_attempts >= ?1
             AND stage NOT IN ('ready', 'embedding', 'failed', 'cancelled') ORDER BY id"
        ))?;
        let rows = stmt.query_map([limit], row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Stored copies no document refers to (after a crash between a delete and its clean-up).
    pub fn unreferenced_blobs(&self) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached("SELECT 1 FROM documents WHERE sha256 = ?1 LIMIT 1")?;
        let mut out = Vec::new();
        for sha in self.blobs.all() {
            if stmt.query_row([&sha], |_| Ok(())).optional()?.is_none() {
                out.push(sha);
            }
        }
        Ok(out)
    }
}

/// Deletes documents with their pages and passages (and attachments' parent links);
/// returns the stored copies no remaining document uses.
pub(crate) fn delete_documents_tx(tx: &Transaction, ids: &[DocumentId]) -> Result<Vec<String>> {
    let mut shas = Vec::new();
    for id in ids {
        let sha: Option<String> =
            tx.query_row("SELECT sha256 FROM documents WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        // Passages first, explicitly, so the FTS delete trigger sees each one.
        tx.execute("DELETE FROM passages WHERE document_id = ?1", [id])?;
        tx.execute("DELETE FROM pages WHERE document_id = ?1", [id])?;
        tx.execute("UPDATE documents SET parent_id = NULL WHERE parent_id = ?1", [id])?;
        tx.execute("DELETE FROM documents WHERE id = ?1", [id])?;
        shas.extend(sha);
    }
    let mut orphans = Vec::new();
    for sha in shas {
        let used: Option<i64> =
            tx.query_row("SELECT 1 FROM documents WHERE sha256 = ?1 LIMIT 1", [&sha], |r| r.get(0)).optional()?;
        if used.is_none() && !orphans.contains(&sha) {
            orphans.push(sha);
        }
    }
    Ok(orphans)
}

/// One page as AI Hub's metadata list describes it (seed 001: `layout` with the page's
/// size, rotation and whether it was an image), then Folio's own page facts. Sizes are
/// in the page units Folio's boxes use (PDF points for PDFs; 0 for text formats, which
/// have no page geometry), so a script can place the boxes of an answer on the page;
/// Folio keeps no processed page images, so their paths are empty, and pages are
/// stored upright (no rotation left to correct).
fn page_metadata(page: &PageRecord) -> serde_json::Value {
    serde_json::json!({
        "metadata_list": null,
        "layout": {
            "processed_image_path": "",
            "thumbnail_image_path": "",
            "model_training_image_path": "",
            "page_input_path": "",
            "width": page.width,
            "height": page.height,
            "corrected_rotation": 0,
            "origin_pos": [0, 0],
            "is_blurry": false,
            "blur_factor": 0,
            "is_image_page": page.ocr_confidence.is_some(),
            "original_page_number": page.page.saturating_sub(1),
        },
        "annotation_data": null,
        "pdf_doc_metadata": null,
        "page_label": page.label,
        "ocr_confidence": page.ocr_confidence,
    })
}
