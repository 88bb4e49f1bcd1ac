//! Conversations and documents over time: CRUD, de-duplicated copies, live progress,
//! cancel, delete while processing, fairness between big and small documents, resume.

use crate::common::*;
use folio_core::{
    Backend, ConversationUpdate, DocumentProgress, DocumentStage, FollowOptions, ListQuery, NewConversation, SortKey,
};
use folio_engine::{Engine, EngineSettings};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn stored_files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir.join("files"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name() != "tmp")
        .map(|e| std::fs::read_dir(e.path()).unwrap().count())
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conversations_are_created_listed_updated_and_deleted_with_their_copies() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open(dir.path());
    let pdf = corpus("natnotes.pdf");
    let a = engine
        .create_conversation(NewConversation {
            name: "Alpha notes".into(),
            files: vec![pdf.clone(), pdf.clone()],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(a.upload.succeeded, vec!["natnotes.pdf", "natnotes.pdf"]);
    assert_eq!(stored_files(dir.path()), 1, "the same file twice is stored once");
    let b = engine
        .create_conversation(NewConversation {
            name: "Beta".into(),
            description: Some("second".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let all = engine.list_conversations(&ListQuery::default()).await.unwrap();
    assert_eq!(
        all.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        vec![b.id.as_str(), a.id.as_str()],
        "newest first"
    );
    let found =
        engine.list_conversations(&ListQuery { search: Some("alpha".into()), ..Default::default() }).await.unwrap();
    assert_eq!(found.len(), 1);
    let asc = engine
        .list_conversations(&ListQuery {
            sort_key: Some(SortKey::CreatedAt),
            ascending: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(asc[0].id, a.id);
    engine
        .update_conversation(&b.id, &ConversationUpdate { name: Some("Beta 2".into()), description: None })
        .await
        .unwrap();
    let got = engine.get_conversation(&b.id).await.unwrap();
    assert_eq!((got.name.as_str(), got.description.as_deref()), ("Beta 2", Some("second")));

    // The original can go away: the store has its own copy.
    let files = tempfile::tempdir().unwrap();
    let copy = files.path().join("moved.pdf");
    std::fs::copy(&pdf, &copy).unwrap();
    engine.add_documents(&b.id, std::slice::from_ref(&copy), true).await.unwrap();
    std::fs::remove_file(&copy).unwrap();
    let settled = engine.follow_documents(&b.id, Arc::new(|_| {}), &FollowOptions::default()).await.unwrap();
    assert_eq!(settled.documents[0].stage, DocumentStage::Ready);

    let docs = engine.get_conversation(&a.id).await.unwrap().documents;
    engine.delete_documents(&a.id, &[docs[0].id]).await.unwrap();
    assert_eq!(stored_files(dir.path()), 1, "still used by the other copies");
    let meta = engine.document_metadata(&a.id, docs[1].id).await.unwrap();
    assert_eq!(meta.name, "natnotes.pdf");
    engine.delete_conversation(&a.id).await.unwrap();
    engine.delete_conversation(&b.id).await.unwrap();
    assert_eq!(stored_files(dir.path()), 0, "nothing refers to the copy any more");
    let err = engine.get_conversation(&a.id).await.unwrap_err();
    assert_eq!(err.kind(), folio_core::ErrorKind::NotFound);
    let err = engine.converse(&a.id, &Default::default()).await.unwrap_err();
    assert_eq!(err.kind(), folio_core::ErrorKind::Unsupported);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_is_pushed_page_by_page_until_ready() {
    let dir = tempfile::tempdir().unwrap();
    // The engine's own sink sees every change from the start; follow_documents (which
    // the app and `status --wait` use) sees them from when it is called.
    let seen: Arc<Mutex<Vec<DocumentProgress>>> = Arc::default();
    let sink = {
        let seen = seen.clone();
        Arc::new(move |p: DocumentProgress| seen.lock().unwrap().push(p))
    };
    let engine = Engine::open_with_sink(dir.path(), settings(), Some(sink)).unwrap();
    let pdf = corpus("gnuplot.pdf");
    let total = pdfinfo_pages(&pdf);
    let created = engine
        .create_conversation(NewConversation { name: "p".into(), files: vec![pdf], ..Default::default() })
        .await
        .unwrap();
    let followed: Arc<Mutex<Vec<DocumentProgress>>> = Arc::default();
    let follow_sink = {
        let f = followed.clone();
        Arc::new(move |p: DocumentProgress| f.lock().unwrap().push(p))
    };
    let settled = engine
        .follow_documents(
            &created.id,
            follow_sink,
            &FollowOptions { timeout: Some(Duration::from_secs(300)), ..Default::default() },
        )
        .await
        .unwrap();
    assert_eq!(followed.lock().unwrap().last().unwrap().stage, DocumentStage::Ready);
    assert!(settled.is_settled());
    // The store says Ready a moment before the worker's own event reaches the sink.
    engine.wait_idle();
    let seen = seen.lock().unwrap();
    let last = seen.last().unwrap();
    assert_eq!(last.stage, DocumentStage::Ready);
    assert_eq!(last.progress.unwrap().done, total);
    let dones: Vec<u32> =
        seen.iter().filter(|p| p.stage == DocumentStage::Reading).filter_map(|p| p.progress.map(|g| g.done)).collect();
    assert!(dones.len() >= 3, "pages are reported as they are read: {dones:?}");
    assert!(dones.windows(2).all(|w| w[0] <= w[1]), "{dones:?}");
}

#[test]
fn cancel_stops_a_document_and_leaves_nothing_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open(dir.path());
    let mut events = engine.subscribe();
    let created = engine
        .create(&NewConversation { name: "c".into(), files: vec![corpus("gnuplot.pdf")], ..Default::default() })
        .unwrap();
    let id = engine.store().documents_of(&created.id).unwrap()[0].id;
    // Wait for the first pages, then cancel.
    loop {
        let p = events.blocking_recv().unwrap();
        if p.progress.is_some_and(|g| g.done > 0) {
            break;
        }
    }
    engine.cancel_document(&created.id, id).unwrap();
    engine.wait_idle();
    let doc = engine.store().get_conversation(&created.id).unwrap().documents.remove(0);
    assert_eq!(doc.stage, DocumentStage::Cancelled);
    assert!(doc.progress.unwrap().done < 311, "stopped before the end");
    assert!(engine.search(&created.id, "gnuplot", None, 5).unwrap().is_empty());
}

#[test]
fn deleting_a_conversation_while_it_processes_is_safe() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open(dir.path());
    let mut events = engine.subscribe();
    let created = engine
        .create(&NewConversation {
            name: "d".into(),
            files: vec![corpus("gnuplot.pdf"), corpus("amsldoc.pdf")],
            ..Default::default()
        })
        .unwrap();
    loop {
        if events.blocking_recv().unwrap().progress.is_some_and(|g| g.done > 0) {
            break;
        }
    }
    engine.remove_conversation(&created.id).unwrap();
    engine.wait_idle();
    assert!(engine.store().get_conversation(&created.id).is_err());
    let conn = engine.store().conn();
    let left: i64 = conn
        .query_row(
            "SELECT (SELECT COUNT(*) FROM passages) + (SELECT COUNT(*) FROM pages) + (SELECT COUNT(*) FROM documents)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0, "no page, passage or document of it remains");
    drop(conn);
    // And the engine carries on.
    let again = ingest(&engine, &[corpus("natnotes.pdf")]);
    assert_eq!(again.documents[0].stage, DocumentStage::Ready);
}

#[test]
fn a_big_pdf_does_not_starve_a_small_note() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let note = files.path().join("note.txt");
    std::fs::write(&note, "Remember the gnuplot meeting on Tuesday.\n").unwrap();
    let settings = EngineSettings { workers: 1, slice_pages: 8, ..settings() };
    let engine = Engine::open(dir.path(), settings).unwrap();
    let mut events = engine.subscribe();
    let created = engine
        // 1,611 pages: long enough that no load on the test machine lets it finish within
        // one turn (a turn lasts at least 4 times the open cost, and opening is slow when
        // the other tests keep the cores busy; gnuplot's 311 pages once did).
        .create(&NewConversation { name: "f".into(), files: vec![corpus("source3.pdf")], ..Default::default() })
        .unwrap();
    loop {
        if events.blocking_recv().unwrap().progress.is_some_and(|g| g.done > 0) {
            break;
        }
    }
    engine.add(&created.id, &[note], true).unwrap();
    let started = Instant::now();
    let (note_ready, big_done) = loop {
        let p = events.blocking_recv().unwrap();
        if p.name == "note.txt" && p.stage == DocumentStage::Ready {
            let big = engine.store().documents_of(&created.id).unwrap()[0].clone();
            break (started.elapsed(), big);
        }
    };
    assert_ne!(
        big_done.stage,
        DocumentStage::Ready,
        "the note was ready while the manual was still being read ({note_ready:?})"
    );
    assert!(big_done.progress.unwrap().done < 1611);
    // The rest of the manual is not what this test is about.
    engine.cancel_document(&created.id, big_done.id).unwrap();
    engine.wait_idle();
}

#[test]
fn unfinished_documents_resume_where_they_stopped_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = corpus("amsldoc.pdf");
    let total = pdfinfo_pages(&pdf);
    let id = {
        let engine = open(dir.path());
        let mut events = engine.subscribe();
        let created = engine
            .create(&NewConversation { name: "r".into(), files: vec![pdf.clone()], ..Default::default() })
            .unwrap();
        loop {
            if events.blocking_recv().unwrap().progress.is_some_and(|g| g.done >= 8) {
                break;
            }
        }
        created.id
        // Dropped here: the workers stop between pages, leaving the document mid-way.
    };
    let engine = open(dir.path());
    engine.wait_idle();
    let doc = engine.store().get_conversation(&id).unwrap().documents.remove(0);
    assert_eq!(doc.stage, DocumentStage::Ready);
    let pages = engine.store().pages(doc.id).unwrap();
    assert_eq!(pages.len() as u32, total);
    assert!(pages.iter().enumerate().all(|(i, p)| p.page == i as u32 + 1));
    // Same passages as one uninterrupted run: nothing lost, nothing twice.
    let fresh = tempfile::tempdir().unwrap();
    let clean = open(fresh.path());
    let c = ingest(&clean, &[pdf]);
    let count = |e: &Engine, d: i64| -> i64 {
        e.store().conn().query_row("SELECT COUNT(*) FROM passages WHERE document_id = ?1", [d], |r| r.get(0)).unwrap()
    };
    assert_eq!(count(&engine, doc.id), count(&clean, c.documents[0].id));
}

#[test]
fn one_process_reads_a_data_folder_and_picks_up_what_another_adds() {
    let dir = tempfile::tempdir().unwrap();
    let reader = open(dir.path());
    // A second engine on the same folder (the CLI while the app runs) gets no workers.
    let other = open(dir.path());
    let created = other
        .create(&NewConversation { name: "shared".into(), files: vec![corpus("natnotes.pdf")], ..Default::default() })
        .unwrap();
    other.wait_idle(); // returns at once: it has no workers
    let started = Instant::now();
    loop {
        let doc = reader.store().get_conversation(&created.id).unwrap().documents.remove(0);
        if doc.stage == DocumentStage::Ready {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "the reading engine never picked it up: {doc:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(reader);
    drop(other);
    // Once the reader is gone, the next engine reads again.
    let next = open(dir.path());
    let c = ingest(&next, &[corpus("lscape.pdf")]);
    assert_eq!(c.documents[0].stage, DocumentStage::Ready);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_document_is_read_again_from_its_stored_copy_on_retry() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open(dir.path());
    let note = dir.path().join("Ferry.txt");
    std::fs::write(&note, "").unwrap();
    let conv = ingest(&engine, &[note]);
    let doc = &conv.documents[0];
    assert_eq!(doc.stage, DocumentStage::Failed, "an empty file fails: {doc:?}");
    // Only failed or stopped documents can be retried; an unknown one is not found.
    assert!(engine.retry_document(&conv.id, 9999).is_err());

    // Stands in for a passing cause (a disk that was full, a library that was missing):
    // the stored copy now holds text, and a retry reads it again from the start.
    let stored = engine.document_metadata(&conv.id, doc.id).await.unwrap().digitized_path.unwrap();
    std::fs::write(&stored, "The ferry to the island leaves at 7:40 from pier 3.\n").unwrap();
    engine.retry_document(&conv.id, doc.id).unwrap();
    engine.wait_idle();
    let again = engine.get_conversation(&conv.id).await.unwrap();
    assert_eq!(again.documents[0].stage, DocumentStage::Ready, "{:?}", again.documents[0]);
    assert_eq!(again.documents[0].failure_reason, None);
    assert_eq!(engine.search(&conv.id, "ferry island", None, 5).unwrap().len(), 1);
    let err = engine.retry_document(&conv.id, doc.id).unwrap_err();
    assert!(err.to_string().contains("nothing to retry"), "{err}");
}
