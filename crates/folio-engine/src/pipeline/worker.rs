//! One turn of work on one document: open the stored copy, read pages from where it
//! stopped, cut them into passages and index them, a batch per transaction.

use super::{Shared, Turn, MAX_INTERRUPTED_READS};
use crate::chunk;
use crate::error::Result;
use crate::isolation;
use crate::readers::{self, DocReader};
use crate::store::{DocumentRow, PageRecord, Store};
use folio_core::document::PageProgress;
use folio_core::{DocumentId, DocumentProgress, DocumentStage};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

/// Pages committed per transaction: small enough that progress moves visibly and a
/// crash loses little, big enough that commits do not dominate.
const BATCH_PAGES: usize = 8;

/// A turn reads for at least this many times as long as opening the file took.
const OPEN_COST_TURNS: u32 = 4;

pub(crate) fn take_turn(shared: &Shared, id: DocumentId) -> Turn {
    // No panic escapes a parser: it fails this document, with its name, and only it.
    let outcome = catch_unwind(AssertUnwindSafe(|| turn(shared, id)));
    // This process is alive, so whatever happened it was not this document stopping it.
    if let Err(e) = shared.store.end_read_attempt(id) {
        tracing::error!(document = id, "could not record the end of a read: {e}");
    }
    match outcome {
        Ok(Ok(turn)) => turn,
        Ok(Err(err)) => {
            tracing::error!(document = id, "processing failed: {err}");
            let name = shared.store.document(id).ok().flatten().map(|d| d.name).unwrap_or_default();
            fail(shared, id, &format!("{name} could not be processed: {err}"));
            Turn::Finished
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown error".into());
            let name = shared.store.document(id).ok().flatten().map(|d| d.name).unwrap_or_default();
            fail(shared, id, &format!("{name} could not be read: the reader crashed ({what})"));
            Turn::Finished
        }
    }
}

fn turn(shared: &Shared, id: DocumentId) -> Result<Turn> {
    let store = &shared.store;
    let Some(doc) = store.document(id)? else {
        return Ok(Turn::Finished);
    };
    if doc.stage.is_terminal() {
        return Ok(Turn::Finished);
    }
    if shared.is_cancelled(id) {
        settle(shared, &doc, DocumentStage::Cancelled, None)?;
        return Ok(Turn::Finished);
    }
    let path = store.blobs.path(&doc.sha256);
    if !path.is_file() {
        fail(shared, id, &format!("{}: its stored copy is missing from the data folder; add the file again", doc.name));
        return Ok(Turn::Finished);
    }
    if doc.stage == DocumentStage::Waiting {
        stage(shared, &doc, DocumentStage::Reading, None)?;
    }
    // Committed before the file is opened: if reading it takes the process down, the
    // next start knows, and after MAX_INTERRUPTED_READS sets it aside instead of
    // crashing again.
    if !store.begin_read_attempt(id, MAX_INTERRUPTED_READS)? {
        set_aside(shared, &doc);
        return Ok(Turn::Finished);
    }
    let opening = Instant::now();
    let (kind, mut reader) = match isolation::open(&path, &doc.name, &shared.settings) {
        Ok(opened) => opened,
        Err(reason) => {
            fail(shared, id, &format!("{} {reason}", doc.name));
            return Ok(Turn::Finished);
        }
    };
    if doc.kind.is_none() {
        store.set_kind(id, kind.word())?;
    }
    let total = reader.page_count();
    let mut current = if reader.is_ocr() { DocumentStage::RecognisingText } else { DocumentStage::Reading };
    if !stage(shared, &doc, current, Some(total))? {
        return Ok(Turn::Finished);
    }
    if doc.pages_done == 0 {
        add_attachments(shared, &doc, reader.as_mut())?;
    }

    // Formats read whole at open (HTML, DOCX, sheets, text) pay that again on every turn:
    // a turn lasts at least OPEN_COST_TURNS times the open, so reopening costs at most a
    // fifth of the reading (32-page turns made a 10 MB page of HTML store 20 pages a second).
    let open_cost = opening.elapsed();
    let reading = Instant::now();
    let mut next = doc.pages_done;
    let mut read_this_turn = 0u32;
    while next < total {
        let mut pages = Vec::new();
        let mut passages = Vec::new();
        while next < total && pages.len() < BATCH_PAGES {
            if shared.is_cancelled(id) {
                settle(shared, &doc, DocumentStage::Cancelled, None)?;
                return Ok(Turn::Finished);
            }
            if shared.is_shutting_down() {
                return Ok(Turn::Stopped);
            }
            let page = match reader.read_page(next) {
                Ok(page) => page,
                Err(reason) => {
                    fail(shared, id, &format!("{} {reason}", doc.name));
                    return Ok(Turn::Finished);
                }
            };
            next += 1;
            if page.ocr_confidence.is_some() && current != DocumentStage::RecognisingText {
                current = DocumentStage::RecognisingText;
                stage(shared, &doc, current, Some(total))?;
            }
            passages.extend(chunk::passages(next, &page, shared.settings.passage_chars));
            let ocr_batch = page.ocr_confidence.is_some();
            pages.push(PageRecord {
                page: next,
                label: page.label,
                width: page.width,
                height: page.height,
                ocr_confidence: page.ocr_confidence,
                text: page.text,
            });
            // OCR pages take seconds each: commit every one so progress is live.
            if ocr_batch {
                break;
            }
        }
        if !store.write_pages(id, &pages, &passages)? {
            return Ok(Turn::Finished); // deleted or cancelled meanwhile
        }
        read_this_turn += pages.len() as u32;
        shared.emit(progress(&doc, current, Some(PageProgress { done: next, total: Some(total) }), None));
        if next < total
            && read_this_turn >= shared.settings.slice_pages
            && reading.elapsed() >= open_cost * OPEN_COST_TURNS
            && shared.others_waiting()
        {
            return Ok(Turn::Yield);
        }
    }

    stage(shared, &doc, DocumentStage::Indexing, Some(total))?;
    if !has_text(store, id)? {
        let why = if kind == readers::Kind::Pdf || reader.is_ocr() {
            "contains no text that could be recognised (a blank page, or a picture without words?)"
        } else {
            "contains no text"
        };
        fail(shared, id, &format!("{} {why}", doc.name));
        return Ok(Turn::Finished);
    }
    // Embedding when an embedder will make its vectors (checked under the lock the
    // embedder takes if it fails to start), else Ready.
    let (marked, next_stage) = {
        let failed = shared.embed_error.lock().unwrap_or_else(|p| p.into_inner());
        let embedding = shared.embedder && failed.is_none();
        (store.mark_ready(id, embedding)?, if embedding { DocumentStage::Embedding } else { DocumentStage::Ready })
    };
    if marked {
        shared.embed_wake.notify_all();
        let pages = match next_stage {
            DocumentStage::Embedding => store.embedding_progress(id)?,
            _ => PageProgress { done: total, total: Some(total) },
        };
        shared.emit(progress(&doc, next_stage, Some(pages), None));
    }
    Ok(Turn::Finished)
}

/// Stores each attachment as a document of its own, once (a resumed e-mail finds its
/// attachments already there).
fn add_attachments(shared: &Shared, doc: &DocumentRow, reader: &mut dyn DocReader) -> Result<()> {
    let attachments = reader.take_attachments();
    if attachments.is_empty() {
        return Ok(());
    }
    let store = &shared.store;
    let already: i64 =
        store.conn().query_row("SELECT COUNT(*) FROM documents WHERE parent_id = ?1", [doc.id], |r| r.get(0))?;
    if already > 0 {
        return Ok(());
    }
    let mut stored = Vec::new();
    for a in attachments {
        let blob = store.blobs.put_bytes(&a.bytes, &a.name)?;
        stored.push((a.name, blob));
    }
    let ids = store.write(|tx| {
        let mut ids = Vec::new();
        if let crate::store::Claim::Gone = Store::claim(tx, doc.id)? {
            return Ok(ids);
        }
        for (name, blob) in &stored {
            ids.push(Store::insert_document(
                tx,
                &doc.conversation_id,
                Some(doc.id),
                name,
                &blob.sha256,
                blob.size,
                true,
            )?);
        }
        Ok(ids)
    })?;
    for (id, (name, _)) in ids.into_iter().zip(&stored) {
        shared.emit(DocumentProgress {
            conversation_id: doc.conversation_id.clone(),
            document_id: id,
            name: name.clone(),
            stage: DocumentStage::Waiting,
            progress: None,
            failure_reason: None,
        });
        shared.enqueue(id);
    }
    Ok(())
}

fn has_text(store: &Store, id: DocumentId) -> Result<bool> {
    let conn = store.conn();
    Ok(conn.query_row("SELECT EXISTS(SELECT 1 FROM passages WHERE document_id = ?1)", [id], |r| r.get(0))?)
}

fn progress(
    doc: &DocumentRow,
    stage: DocumentStage,
    progress: Option<PageProgress>,
    reason: Option<String>,
) -> DocumentProgress {
    DocumentProgress {
        conversation_id: doc.conversation_id.clone(),
        document_id: doc.id,
        name: doc.name.clone(),
        stage,
        progress,
        failure_reason: reason,
    }
}

fn stage(shared: &Shared, doc: &DocumentRow, stage: DocumentStage, total: Option<u32>) -> Result<bool> {
    if !shared.store.set_stage(doc.id, stage, total)? {
        return Ok(false);
    }
    let done = shared.store.document(doc.id)?.map(|d| d.pages_done).unwrap_or(0);
    shared.emit(progress(doc, stage, total.map(|t| PageProgress { done, total: Some(t) }), None));
    Ok(true)
}

fn settle(shared: &Shared, doc: &DocumentRow, stage: DocumentStage, reason: Option<&str>) -> Result<()> {
    if shared.store.settle_unfinished(doc.id, stage, reason)? {
        shared.emit(progress(doc, stage, None, reason.map(str::to_string)));
    }
    Ok(())
}

/// Fails a document that stopped Folio `MAX_INTERRUPTED_READS` times while being read.
pub(crate) fn set_aside(shared: &Shared, doc: &DocumentRow) {
    let reason = format!(
        "Folio stopped twice while reading {}; it was set aside so the rest keeps working. Retry to try again.",
        doc.name
    );
    tracing::warn!(document = doc.id, "{reason}");
    if let Err(e) = settle(shared, doc, DocumentStage::Failed, Some(&reason)) {
        tracing::error!(document = doc.id, "could not set aside: {e}");
    }
}

/// Fails a document with a reason a person can act on; logs if even that cannot be
/// written (the disk is gone), since there is no one else to tell.
fn fail(shared: &Shared, id: DocumentId, reason: &str) {
    match shared.store.document(id) {
        Ok(Some(doc)) => {
            if let Err(e) = settle(shared, &doc, DocumentStage::Failed, Some(reason)) {
                tracing::error!(document = id, "could not record failure ({reason}): {e}");
            }
        }
        Ok(None) => {}
        Err(e) => tracing::error!(document = id, "could not record failure ({reason}): {e}"),
    }
}
