//! The on-disk store: one SQLite database (WAL) plus content-addressed copies of every
//! dropped file, all under the data directory.

mod blobs;
mod chatbots;
mod conversations;
pub use conversations::not_found as conversation_not_found;
mod documents;
mod everywhere;
pub use everywhere::EverywhereHit;
mod evaluation;
pub use evaluation::{PageIndex, StoredPassage};
mod health;
pub use health::Health;
mod messages;
pub use messages::Message;
mod passages;
mod queries;
pub use queries::QueryRow;
mod remote;
pub use remote::AiriaRecord;
mod retrieval;
pub use retrieval::{Scope, VectorRow};

pub use blobs::{display_name, plain_io as plain_io_error, Blobs, StoredBlob};
pub use documents::{Claim, DocumentRow, PageRecord, PassageRecord};
pub use passages::SearchHit;

use crate::error::{EngineError, Result};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

pub struct Store {
    conn: Mutex<Connection>,
    pub blobs: Blobs,
    pub dir: PathBuf,
}

impl Store {
    pub fn open(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir).map_err(|e| EngineError::io("could not create", dir, e))?;
        let path = dir.join("folio.sqlite3");
        let conn = Connection::open(&path)?;
        // WAL: readers (the UI, a second CLI) never block the writer and a crash never
        // corrupts the file. synchronous=NORMAL is durable at each checkpoint and safe
        // against corruption; a kill -9 loses at most the last commits, never half of one.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(Duration::from_secs(30))?;
        migrate(&conn, &path)?;
        Ok(Store { conn: Mutex::new(conn), blobs: Blobs::new(dir.join("files"))?, dir: dir.to_path_buf() })
    }

    /// The connection, even if a thread panicked while holding it: SQLite rolled back
    /// whatever transaction that thread had open, so the data is consistent. Public for
    /// the engine's own integration tests only: every other crate reads and writes
    /// through the typed functions of this module (`tests/engine/one_sql_owner.rs`
    /// fails when SQL appears anywhere else).
    #[doc(hidden)]
    pub fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` in one IMMEDIATE transaction (takes the write lock up front, so two
    /// processes never deadlock upgrading read locks).
    pub fn write<T>(&self, f: impl FnOnce(&rusqlite::Transaction) -> Result<T>) -> Result<T> {
        let mut conn = self.conn();
        let tx = rusqlite::Transaction::new(&mut conn, rusqlite::TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}

/// Changes to the schema after version 0, in order; `PRAGMA user_version` says how many
/// a database has had. `schema.sql` is version 0 exactly as it shipped and never changes:
/// a new column or table is a new entry here, so every existing data folder gets it.
const MIGRATIONS: &[&str] = &[
    // 1: read attempts started and not ended, to set aside a document that keeps
    // stopping Folio instead of queueing it at every start.
    "ALTER TABLE documents ADD COLUMN read_attempts INTEGER NOT NULL DEFAULT 0;",
    // 2: the tables other crates used to create on first use, now the engine's. A
    // folder that has them already keeps them as they are (IF NOT EXISTS).
    include_str!("migrations/2_shared_tables.sql"),
];

/// The schema version this code writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings a database to `SCHEMA_VERSION` in one transaction (two processes opening the
/// same new folder: the second finds the work done). A database from a newer Folio is
/// refused rather than written with the wrong idea of its tables.
fn migrate(conn: &Connection, path: &Path) -> Result<()> {
    conn.execute_batch(include_str!("schema.sql"))?;
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let result = (|| -> Result<()> {
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(EngineError::Unsupported(format!(
                "{} was written by a newer Folio (schema version {version}; this one knows up to {SCHEMA_VERSION}); \
                 update Folio to open it",
                path.display()
            )));
        }
        for migration in &MIGRATIONS[version.max(0) as usize..] {
            conn.execute_batch(migration)?;
        }
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        Ok(())
    })();
    match result {
        Ok(()) => conn.execute_batch("COMMIT")?,
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e);
        }
    }
    Ok(())
}

pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

pub fn parse_time(s: Option<String>) -> Option<chrono::DateTime<chrono::Utc>> {
    s.and_then(|s| chrono::DateTime::parse_from_rfc3339(&s).ok()).map(|t| t.with_timezone(&chrono::Utc))
}
