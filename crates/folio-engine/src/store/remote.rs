//! Records of conversations on other backends whose documents live here: which local
//! conversation is the local half of an Airia or Pieces conversation, Folio's own list
//! of the Airia conversations it made (Airia has no list endpoint), and the Pieces
//! conversation behind each local half.

use super::Store;
use crate::error::Result;
use rusqlite::{params, OptionalExtension};

/// An Airia conversation Folio made: the local half, Airia's id, the title it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AiriaRecord {
    pub local_id: String,
    pub airia_id: String,
    pub title: String,
    pub created_at: String,
}

const AIRIA_COLUMNS: &str = "local_id, airia_id, title, created_at";

fn airia_row(r: &rusqlite::Row) -> rusqlite::Result<AiriaRecord> {
    Ok(AiriaRecord { local_id: r.get(0)?, airia_id: r.get(1)?, title: r.get(2)?, created_at: r.get(3)? })
}

impl Store {
    /// Marks `local_id` as the local half of a conversation that `backend` ("airia",
    /// "pieces") shows, so the "On this computer" list never does.
    pub fn hold_remote_half(&self, local_id: &str, backend: &str) -> Result<()> {
        self.conn().execute(
            "INSERT OR REPLACE INTO remote_halves(local_id, backend) VALUES (?1, ?2)",
            params![local_id, backend],
        )?;
        Ok(())
    }

    /// The local halves `backend` holds, or every backend's when None.
    pub fn remote_halves(&self, backend: Option<&str>) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT local_id FROM remote_halves WHERE ?1 IS NULL OR backend = ?1")?;
        let rows = stmt.query_map([backend], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn insert_airia_conversation(&self, local_id: &str, airia_id: &str, title: &str) -> Result<()> {
        self.conn().execute(
            &format!("INSERT INTO airia_conversations({AIRIA_COLUMNS}) VALUES (?1, ?2, ?3, ?4)"),
            params![local_id, airia_id, title, chrono::Utc::now().to_rfc3339()],
        )?;
        Ok(())
    }

    pub fn airia_conversation(&self, local_id: &str) -> Result<Option<AiriaRecord>> {
        let sql = format!("SELECT {AIRIA_COLUMNS} FROM airia_conversations WHERE local_id = ?1");
        Ok(self.conn().query_row(&sql, [local_id], airia_row).optional()?)
    }

    /// Every Airia conversation Folio made, oldest first.
    pub fn airia_conversations(&self) -> Result<Vec<AiriaRecord>> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare(&format!("SELECT {AIRIA_COLUMNS} FROM airia_conversations ORDER BY created_at, local_id"))?;
        let rows = stmt.query_map([], airia_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn rename_airia_conversation(&self, local_id: &str, title: &str) -> Result<()> {
        self.conn()
            .execute("UPDATE airia_conversations SET title = ?2 WHERE local_id = ?1", params![local_id, title])?;
        Ok(())
    }

    pub fn remove_airia_conversation(&self, local_id: &str) -> Result<()> {
        self.conn().execute("DELETE FROM airia_conversations WHERE local_id = ?1", [local_id])?;
        Ok(())
    }

    /// Links a Pieces OS conversation to the local conversation holding its documents.
    pub fn link_pieces(&self, pieces_id: &str, local_id: &str) -> Result<()> {
        self.conn().execute(
            "INSERT OR REPLACE INTO pieces_links(pieces_id, local_id, created_at) VALUES (?1, ?2, ?3)",
            params![pieces_id, local_id, chrono::Utc::now().to_rfc3339()],
        )?;
        Ok(())
    }

    pub fn pieces_local_id(&self, pieces_id: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row("SELECT local_id FROM pieces_links WHERE pieces_id = ?1", [pieces_id], |r| r.get(0))
            .optional()?)
    }

    pub fn unlink_pieces(&self, pieces_id: &str) -> Result<()> {
        self.conn().execute("DELETE FROM pieces_links WHERE pieces_id = ?1", [pieces_id])?;
        Ok(())
    }
}
