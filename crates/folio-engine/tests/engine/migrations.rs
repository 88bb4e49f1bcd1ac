//! A person's data folder survives an update. `release_folder/` was written by the
//! release people have today (`scripts/fixtures/release-data-folder.sh` runs that
//! release's own `folio`); today's engine opens it, migrates it, and loses nothing.

use crate::common::*;
use folio_core::DocumentStage;
use std::collections::BTreeMap;
use std::path::Path;

fn release_folder() -> tempfile::TempDir {
    let source = Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("tests/engine/release_folder");
    let copy = tempfile::tempdir().unwrap();
    copy_tree(&source, copy.path());
    copy
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())).flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Rows per table, and the schema version, read with plain SQLite (no migration).
fn census(dir: &Path) -> (i64, BTreeMap<String, i64>) {
    let conn = rusqlite::Connection::open(dir.join("folio.sqlite3")).unwrap();
    let version = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'passages_fts_%'")
        .unwrap();
    let tables: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    let counts = tables
        .into_iter()
        .map(|t| {
            let n = conn.query_row(&format!("SELECT COUNT(*) FROM \"{t}\""), [], |r| r.get(0)).unwrap();
            (t, n)
        })
        .collect();
    (version, counts)
}

#[test]
fn a_folder_written_by_the_release_opens_migrated_with_nothing_lost() {
    let dir = release_folder();
    let (version, before) = census(dir.path());
    assert_eq!(version, 1, "the release wrote schema version 1");
    for table in ["conversations", "documents", "pages", "passages", "messages", "chatbots", "answer_queries"] {
        assert!(before.get(table).copied().unwrap_or(0) > 0, "the release folder has {table}: {before:?}");
    }

    let engine = open(dir.path());
    engine.wait_idle();
    let store = engine.store();
    let conversations = store.list_conversations(&Default::default()).unwrap();
    let trip = conversations.iter().find(|c| c.name == "Island trip").expect("the conversation is listed");
    let trip = store.get_conversation(&trip.id).unwrap();
    assert_eq!(trip.documents.len(), 2);
    assert!(trip.documents.iter().all(|d| d.stage == DocumentStage::Ready), "{:?}", trip.documents);
    let hits = engine.search(&trip.id, "ferry island pier", None, 5).unwrap();
    assert!(hits.iter().any(|h| h.text.contains("7:40") && h.page == 1), "{hits:?}");
    let messages = store.messages(&trip.id).unwrap();
    assert_eq!(messages[0].content, "When does the ferry leave?");
    assert!(messages.len() >= 2, "the question and its answer: {messages:?}");

    let chatbots = store.chatbots().unwrap();
    assert_eq!(chatbots.len(), 1);
    assert_eq!((chatbots[0].chatbot.name.as_str(), chatbots[0].conversation_id.as_str()), ("Trip helper", &*trip.id));
    let airia = store.airia_conversations().unwrap();
    assert_eq!(airia.len(), 1);
    assert_eq!(airia[0].title, "Ferries on Airia");
    assert_eq!(store.remote_halves(Some("airia")).unwrap(), [airia[0].local_id.clone()]);
    assert!(store.health().unwrap().is_sound(), "{:?}", store.health());
    drop(engine);

    let (version, after) = census(dir.path());
    assert_eq!(version, folio_engine::store::SCHEMA_VERSION);
    for (table, n) in &before {
        assert_eq!(after.get(table), Some(n), "{table} kept every row");
    }
}

#[test]
fn halves_recorded_before_their_own_table_are_adopted_by_the_migration() {
    let dir = tempfile::tempdir().unwrap();
    {
        // A folder of schema version 1 from before `remote_halves`: only Airia's and
        // Pieces' own tables say which local conversations are theirs.
        let conn = rusqlite::Connection::open(dir.path().join("folio.sqlite3")).unwrap();
        conn.execute_batch(include_str!("crash_schema_v0.sql")).unwrap();
        conn.execute_batch(
            "ALTER TABLE documents ADD COLUMN read_attempts INTEGER NOT NULL DEFAULT 0;
             CREATE TABLE airia_conversations (local_id TEXT PRIMARY KEY, airia_id TEXT NOT NULL, title TEXT NOT NULL, created_at TEXT NOT NULL);
             CREATE TABLE pieces_links (pieces_id TEXT PRIMARY KEY, local_id TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
             INSERT INTO conversations VALUES ('a1', 'On Airia', NULL, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO conversations VALUES ('p1', 'On Pieces', NULL, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO conversations VALUES ('l1', 'Mine', NULL, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO airia_conversations VALUES ('a1', 'airia-1', 'On Airia', '2026-01-01T00:00:00Z');
             INSERT INTO airia_conversations VALUES ('gone', 'airia-2', 'Deleted here', '2026-01-01T00:00:00Z');
             INSERT INTO pieces_links VALUES ('pieces-1', 'p1', '2026-01-01T00:00:00Z');
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let engine = open(dir.path());
    assert_eq!(engine.store().remote_halves(Some("airia")).unwrap(), ["a1"]);
    assert_eq!(engine.store().remote_halves(Some("pieces")).unwrap(), ["p1"]);
    assert_eq!(engine.store().airia_conversations().unwrap().len(), 2, "Airia's own list is kept as it was");
}
