//! The stages a person sees: Embedding between keyword-searchable and Ready (askable
//! already), a conversation whose every document failed says FAILED, and an engine
//! that shuts down (explicitly or by being dropped) lets its process exit cleanly with
//! ONNX Runtime loaded.

use crate::common::*;
use folio_core::{Backend, ConversationState, DocumentProgress, DocumentStage, DocumentState, FollowOptions};
use folio_engine::Engine;
use std::sync::{Arc, Mutex};

fn recorder() -> (Arc<Mutex<Vec<DocumentProgress>>>, folio_core::ProgressSink) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink_seen = seen.clone();
    (seen, Arc::new(move |p: DocumentProgress| sink_seen.lock().unwrap().push(p)))
}

#[test]
fn embedding_comes_after_keyword_indexing_is_askable_and_ends_ready() {
    let dir = tempfile::tempdir().unwrap();
    let (events, sink) = recorder();
    let engine = Engine::open_with_sink(dir.path(), embedding_settings(), Some(sink)).unwrap();
    // 10 pages, a few dozen passages: several batches of vectors, so Embedding lasts.
    let conversation = ingest(&engine, &[corpus("cfgguide.pdf")]);
    let doc = &conversation.documents[0];
    assert_eq!(doc.stage, DocumentStage::Embedding, "read, vectors still to make: {doc:?}");
    assert_eq!(doc.state, DocumentState::Processed, "usable for AI Hub-shaped consumers");
    assert_eq!(conversation.state, ConversationState::Complete);
    let progress = doc.progress.unwrap();
    assert_eq!(progress.total, Some(10));
    assert!(progress.done < 10, "pages embedded so far: {progress:?}");
    assert!(
        !engine.search(&conversation.id, "configuration file", None, 5).unwrap().is_empty(),
        "keyword answers while embedding"
    );

    // The app's follow keeps pushing until every vector is made.
    let (followed, follow_sink) = recorder();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let done = rt.block_on(engine.follow_documents(&conversation.id, follow_sink, &FollowOptions::default())).unwrap();
    assert_eq!(done.documents[0].stage, DocumentStage::Ready);
    assert_eq!(done.documents[0].progress.unwrap().done, 10);
    let passages: i64 = engine.store().conn().query_row("SELECT COUNT(*) FROM passages", [], |r| r.get(0)).unwrap();
    let embedded: i64 = engine
        .store()
        .conn()
        .query_row("SELECT COUNT(*) FROM passages WHERE embedding IS NOT NULL", [], |r| r.get(0))
        .unwrap();
    assert_eq!(embedded, passages, "Ready means every passage has its vector");
    assert_eq!(followed.lock().unwrap().last().unwrap().stage, DocumentStage::Ready);

    // The pipeline's own events: reading, then Embedding with pages going up, then Ready.
    // (The store says Ready a moment before the embedder's event reaches the sink.)
    let started = std::time::Instant::now();
    while events.lock().unwrap().last().map(|p| p.stage) != Some(DocumentStage::Ready)
        && started.elapsed().as_secs() < 10
    {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let events = events.lock().unwrap().clone();
    let stages: Vec<DocumentStage> = events.iter().map(|p| p.stage).collect();
    let first_embedding = stages.iter().position(|s| *s == DocumentStage::Embedding).expect("an Embedding event");
    assert!(stages[..first_embedding].contains(&DocumentStage::Indexing), "{stages:?}");
    assert_eq!(stages.last(), Some(&DocumentStage::Ready), "{stages:?}");
    let embedding_done: Vec<u32> =
        events.iter().filter(|p| p.stage == DocumentStage::Embedding).map(|p| p.progress.unwrap().done).collect();
    assert!(embedding_done.len() >= 2, "progress reported as vectors are made: {embedding_done:?}");
    assert!(embedding_done.windows(2).all(|w| w[0] <= w[1]), "pages embedded never go down: {embedding_done:?}");
}

#[test]
fn keyword_only_engines_skip_embedding_and_a_model_later_picks_the_documents_up() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let (events, sink) = recorder();
        let engine = Engine::open_with_sink(dir.path(), settings(), Some(sink)).unwrap();
        let conversation = ingest(&engine, &[corpus("natnotes.pdf")]);
        assert_eq!(conversation.documents[0].stage, DocumentStage::Ready);
        assert!(!events.lock().unwrap().iter().any(|p| p.stage == DocumentStage::Embedding));
        conversation.id
    };
    // The same data folder opened by an engine with the model (the app after the CLI):
    // the document's vectors are missing, so it is Embedding until they are made.
    let engine = open_embedding(dir.path());
    let stage = engine.store().get_conversation(&id).unwrap().documents[0].stage;
    assert!(matches!(stage, DocumentStage::Embedding | DocumentStage::Ready), "{stage:?}");
    engine.wait_embedded().unwrap();
    assert_eq!(engine.store().get_conversation(&id).unwrap().documents[0].stage, DocumentStage::Ready);
    drop(engine);
    // And back to a keyword-only engine: nothing is left waiting for vectors.
    let engine = open(dir.path());
    assert_eq!(engine.store().get_conversation(&id).unwrap().documents[0].stage, DocumentStage::Ready);
}

#[test]
fn a_conversation_whose_every_document_failed_is_failed_not_complete() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let empty = files.path().join("empty.pdf");
    std::fs::write(&empty, b"").unwrap();
    let binary = files.path().join("notes.txt");
    std::fs::write(&binary, (0..4096u32).map(|i| (i * 7 % 32) as u8).collect::<Vec<u8>>()).unwrap();
    let engine = open(dir.path());
    let conversation = ingest(&engine, &[empty, binary]);
    assert!(conversation.documents.iter().all(|d| d.state == DocumentState::Failed), "{conversation:?}");
    assert_eq!(conversation.state, ConversationState::Failed, "AI Hub: FAILED = not able to process any of the files");

    // One readable document makes it usable again: COMPLETE, the failures per document.
    engine.add(&conversation.id, &[corpus("natnotes.pdf")], true).unwrap();
    engine.wait_idle();
    let conversation = engine.store().get_conversation(&conversation.id).unwrap();
    assert_eq!(conversation.state, ConversationState::Complete);
    assert_eq!(conversation.documents.iter().filter(|d| d.state == DocumentState::Failed).count(), 2);
}

#[test]
fn shutdown_stops_taking_work_and_unfinished_documents_resume() {
    let dir = tempfile::tempdir().unwrap();
    let engine = open(dir.path());
    let created = engine
        .create(&folio_core::NewConversation {
            name: "big".into(),
            files: vec![corpus("source2e.pdf")],
            ..Default::default()
        })
        .unwrap();
    assert!(engine.shutdown(), "workers joined within the wait");
    assert!(engine.shutdown(), "twice is harmless");
    let refused = engine.add(&created.id, &[corpus("natnotes.pdf")], true).unwrap_err();
    assert!(refused.to_string().contains("shutting down"), "{refused}");
    assert_eq!(folio_core::Error::from(refused).kind(), folio_core::ErrorKind::Unavailable);
    let doc = engine.store().get_conversation(&created.id).unwrap().documents[0].clone();
    assert!(!doc.stage.is_terminal(), "a 600-page manual is not read in the moment before shutdown: {doc:?}");
    // Looking still works after shutdown.
    assert!(engine.search(&created.id, "macro", None, 3).is_ok());
    drop(engine);

    let engine = open(dir.path());
    engine.wait_idle();
    let doc = engine.store().get_conversation(&created.id).unwrap().documents[0].clone();
    assert_eq!(doc.stage, DocumentStage::Ready, "{doc:?}");
}

/// Runs `child_engine_with_onnx_exits` in a process of its own: a crash at exit (threads
/// still inside ONNX Runtime while the process tears down) shows as a signal or a
/// non-zero status, which an in-process test could never see.
#[test]
fn a_process_with_onnx_loaded_exits_cleanly_after_shutdown_and_after_drop() {
    for mode in ["shutdown", "drop"] {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "stages::child_engine_with_onnx_exits", "--ignored", "--nocapture", "--test-threads=1"])
            .env("FOLIO_CHILD_MODE", mode)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{mode}: the child ended with {:?}\n{stdout}\n{stderr}", out.status);
        assert!(stdout.contains("1 passed"), "{mode}: the child test did not run: {stdout}");
        assert!(stdout.contains("child: embedder stopped mid-document"), "{mode}: {stdout}");
    }
}

/// Only as the child of the test above (FOLIO_CHILD_MODE says how to stop).
#[test]
#[ignore = "run as a child process by a_process_with_onnx_loaded_exits_cleanly_after_shutdown_and_after_drop"]
fn child_engine_with_onnx_exits() {
    let mode = std::env::var("FOLIO_CHILD_MODE").expect("FOLIO_CHILD_MODE is set by the parent test");
    let dir = tempfile::tempdir().unwrap();
    let (events, sink) = recorder();
    let engine = Engine::open_with_sink(dir.path(), embedding_settings(), Some(sink)).unwrap();
    ingest(&engine, &[corpus("cfgguide.pdf")]);
    // Stop while the embedder is busy: after its first batch, with more to do.
    let started = std::time::Instant::now();
    while !events
        .lock()
        .unwrap()
        .iter()
        .any(|p| p.stage == DocumentStage::Embedding && p.progress.is_some_and(|g| g.done > 0))
    {
        assert!(started.elapsed().as_secs() < 300, "no vectors made in 5 minutes");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let pending = engine.store().pending_embeddings().unwrap();
    match mode.as_str() {
        "shutdown" => assert!(engine.shutdown(), "the embedder stopped within the wait"),
        _ => drop(engine.clone()), // a clone going is not the last handle; `engine` below is
    }
    if pending > 0 {
        println!("child: embedder stopped mid-document ({pending} passages left)");
    }
    drop(engine);
    // Returning ends the process normally (statics torn down): that must not crash.
}
