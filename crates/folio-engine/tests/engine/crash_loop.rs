//! No crash loop: a document whose reading stopped the process twice without progress
//! is set aside with a reason at the next open, not queued forever; and a data folder
//! made before schema versions existed opens with nothing lost.

use crate::common::*;
use folio_core::{DocumentStage, NewConversation};
use folio_engine::{Engine, EngineSettings};
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

fn read_attempts(dir: &Path, doc: i64) -> i64 {
    let conn = rusqlite::Connection::open(dir.join("folio.sqlite3")).unwrap();
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    conn.query_row("SELECT read_attempts FROM documents WHERE id = ?1", [doc], |r| r.get(0)).unwrap_or(-1)
}

/// An engine reading in-process in a child process of its own, killable with SIGKILL.
fn engine_process(dir: &Path) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash_loop::child_engine_reads_in_process", "--ignored", "--nocapture", "--test-threads=1"])
        .env("FOLIO_CHILD_DIR", dir)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn a_document_that_stopped_folio_twice_is_set_aside_and_retry_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    // Recognising a 300 dpi scan takes seconds: time enough to kill the process mid-page.
    let scan = scan(&corpus("natnotes.pdf"), 1, 300, "png", &files.path().join("report"));
    let created = {
        let looker = Engine::open(dir.path(), EngineSettings { start_workers: false, ..settings() }).unwrap();
        looker.create(&NewConversation { name: "loop".into(), files: vec![scan], ..Default::default() }).unwrap()
    };
    let doc = 1;
    for attempt in 1..=2 {
        let mut child = engine_process(dir.path());
        let started = Instant::now();
        while read_attempts(dir.path(), doc) < attempt {
            assert!(child.try_wait().unwrap().is_none(), "the engine process ended on its own");
            assert!(started.elapsed() < Duration::from_secs(60), "reading never started");
            std::thread::sleep(Duration::from_millis(5));
        }
        child.kill().unwrap(); // SIGKILL while the page is being recognised
        child.wait().unwrap();
    }
    let engine = open(dir.path());
    engine.wait_idle();
    let set_aside = engine.store().get_conversation(&created.id).unwrap().documents.remove(0);
    assert_eq!(set_aside.stage, DocumentStage::Failed, "{set_aside:?}");
    assert_eq!(
        set_aside.failure_reason.as_deref(),
        Some("Folio stopped twice while reading report.png; it was set aside so the rest keeps working. Retry to try again.")
    );
    // It stays aside at every later open, until a person retries it.
    drop(engine);
    let engine = open(dir.path());
    engine.wait_idle();
    assert_eq!(engine.store().get_conversation(&created.id).unwrap().documents[0].stage, DocumentStage::Failed);
    engine.retry_document(&created.id, doc).unwrap();
    engine.wait_idle();
    let read = engine.store().get_conversation(&created.id).unwrap().documents.remove(0);
    assert_eq!(read.stage, DocumentStage::Ready, "{read:?}");
    assert_eq!(read_attempts(dir.path(), doc), 0, "a read that ends leaves no attempt behind");
}

#[test]
fn one_interrupted_read_resumes_and_progress_clears_the_count() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let scan = scan(&corpus("natnotes.pdf"), 2, 300, "png", &files.path().join("memo"));
    let created = {
        let looker = Engine::open(dir.path(), EngineSettings { start_workers: false, ..settings() }).unwrap();
        looker.create(&NewConversation { name: "once".into(), files: vec![scan], ..Default::default() }).unwrap()
    };
    let mut child = engine_process(dir.path());
    let started = Instant::now();
    while read_attempts(dir.path(), 1) < 1 {
        assert!(started.elapsed() < Duration::from_secs(60), "reading never started");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(read_attempts(dir.path(), 1), 1, "the interrupted read is on record");
    let engine = open(dir.path());
    engine.wait_idle();
    let doc = engine.store().get_conversation(&created.id).unwrap().documents.remove(0);
    assert_eq!(doc.stage, DocumentStage::Ready, "once is not a pattern: {doc:?}");
    assert_eq!(read_attempts(dir.path(), 1), 0);
}

/// Only as the child of the tests above: reads in-process until killed.
#[test]
#[ignore = "run as a child process by the crash_loop tests"]
fn child_engine_reads_in_process() {
    let dir = std::env::var_os("FOLIO_CHILD_DIR").expect("FOLIO_CHILD_DIR is set by the parent test");
    let engine = Engine::open(Path::new(&dir), EngineSettings { workers: 1, ..settings() }).unwrap();
    engine.wait_idle();
    std::thread::sleep(Duration::from_secs(600));
}

#[test]
fn a_data_folder_from_before_schema_versions_opens_with_nothing_lost() {
    let dir = tempfile::tempdir().unwrap();
    let text = "The ferry to the island leaves at 7:40 from pier 3.\n";
    let sha = "f".repeat(64);
    {
        // Exactly what the release before migrations created and wrote.
        let conn = rusqlite::Connection::open(dir.path().join("folio.sqlite3")).unwrap();
        conn.execute_batch(include_str!("crash_schema_v0.sql")).unwrap();
        conn.execute_batch(&format!(
            "INSERT INTO conversations VALUES ('c1', 'Trips', 'ferries', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO documents(conversation_id, name, sha256, size, kind, process, stage, pages_done, page_total,
                                   searchable, uploaded_at, updated_at)
                 VALUES ('c1', 'timetable.txt', '{sha}', 52, 'text', 1, 'ready', 1, 1, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO documents(conversation_id, name, sha256, size, process, stage, uploaded_at, updated_at)
                 VALUES ('c1', 'later.txt', '{sha}', 52, 1, 'reading', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO pages VALUES (1, 1, 'lines 1-1', 0, 0, NULL, '{text}');
             INSERT INTO passages(document_id, page, char_start, char_end, text, boxes) VALUES (1, 1, 0, 52, '{text}', '[]');
             INSERT INTO messages(conversation_id, role, content, created_at) VALUES ('c1', 'user', 'When is the ferry?', '2026-01-01T00:00:00Z');"
        ))
        .unwrap();
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(version, 0);
    }
    let stored = dir.path().join("files").join(&sha[..2]).join(&sha);
    std::fs::create_dir_all(stored.parent().unwrap()).unwrap();
    std::fs::write(&stored, text).unwrap();

    let engine = open(dir.path());
    engine.wait_idle();
    let version: i64 = engine.store().conn().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, folio_engine::store::SCHEMA_VERSION);
    let conversation = engine.store().get_conversation("c1").unwrap();
    assert_eq!((conversation.name.as_str(), conversation.documents.len()), ("Trips", 2));
    assert!(conversation.documents.iter().all(|d| d.stage == DocumentStage::Ready), "{:?}", conversation.documents);
    let hits = engine.search("c1", "ferry island", None, 5).unwrap();
    assert_eq!(hits.len(), 2, "the old passage and the resumed document's both answer: {hits:?}");
    let messages = engine.store().messages("c1").unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].content, "When is the ferry?");
    assert!(stored.is_file(), "the stored copy is still there");
    let integrity: String = engine.store().conn().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    drop(engine);
    // A second open finds nothing left to migrate.
    let engine = open(dir.path());
    assert_eq!(engine.store().get_conversation("c1").unwrap().documents.len(), 2);
}

#[test]
fn a_data_folder_from_a_newer_folio_is_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    drop(open(dir.path()));
    {
        let conn = rusqlite::Connection::open(dir.path().join("folio.sqlite3")).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let err = Engine::open(dir.path(), settings()).err().expect("a newer folder is refused").to_string();
    assert!(err.contains("written by a newer Folio (schema version 99"), "{err}");
}
