//! Checking a data folder after a crash or a kill, and the counts the CLI and the
//! benchmarks report. Read-only: nothing here repairs.

use super::Store;
use crate::error::Result;

/// What a data folder looks like inside. Sound means: SQLite and the keyword index find
/// no damage, no row points at a deleted parent, no passage is stored twice, and every
/// document's stored copy is on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    /// SQLite's `PRAGMA integrity_check`: "ok", or what it found.
    pub integrity: String,
    /// FTS5's own check of the keyword index against the passages; None when it agrees.
    pub keyword_index_problem: Option<String>,
    /// Pages, passages, documents or messages whose parent row is gone.
    pub dangling_rows: i64,
    /// Passages stored twice at the same place (document, page, start).
    pub duplicated_passages: i64,
    /// Documents whose stored copy under files/ is missing, by name.
    pub missing_copies: Vec<String>,
}

impl Health {
    pub fn is_sound(&self) -> bool {
        self.integrity == "ok"
            && self.keyword_index_problem.is_none()
            && self.dangling_rows == 0
            && self.duplicated_passages == 0
            && self.missing_copies.is_empty()
    }
}

impl Store {
    pub fn health(&self) -> Result<Health> {
        let conn = self.conn();
        let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        let keyword_index_problem = conn
            .execute("INSERT INTO passages_fts(passages_fts) VALUES ('integrity-check')", [])
            .err()
            .map(|e| e.to_string());
        let dangling_rows = conn.query_row(
            "SELECT (SELECT COUNT(*) FROM pages WHERE document_id NOT IN (SELECT id FROM documents))
                  + (SELECT COUNT(*) FROM passages WHERE document_id NOT IN (SELECT id FROM documents))
                  + (SELECT COUNT(*) FROM documents WHERE conversation_id NOT IN (SELECT id FROM conversations))
                  + (SELECT COUNT(*) FROM messages WHERE conversation_id NOT IN (SELECT id FROM conversations))",
            [],
            |r| r.get(0),
        )?;
        let duplicated_passages = conn.query_row(
            "SELECT COUNT(*) FROM (SELECT 1 FROM passages GROUP BY document_id, page, char_start HAVING COUNT(*) > 1)",
            [],
            |r| r.get(0),
        )?;
        let mut stmt = conn.prepare("SELECT name, sha256 FROM documents")?;
        let documents: Vec<(String, String)> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        let missing_copies =
            documents.into_iter().filter(|(_, sha)| !self.blobs.path(sha).is_file()).map(|(name, _)| name).collect();
        Ok(Health { integrity, keyword_index_problem, dangling_rows, duplicated_passages, missing_copies })
    }

    /// Passages of one document.
    pub fn document_passage_count(&self, document_id: folio_core::DocumentId) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT COUNT(*) FROM passages WHERE document_id = ?1", [document_id], |r| r.get(0))?)
    }

    /// Passages of a conversation's documents.
    pub fn conversation_passage_count(&self, conversation_id: &str) -> Result<i64> {
        Ok(self.conn().query_row(
            "SELECT COUNT(*) FROM passages p JOIN documents d ON d.id = p.document_id WHERE d.conversation_id = ?1",
            [conversation_id],
            |r| r.get(0),
        )?)
    }

    /// Passages of searchable documents still without a vector: of one conversation, or
    /// of the whole store when None.
    pub fn passages_without_vectors(&self, conversation_id: Option<&str>) -> Result<i64> {
        Ok(self.conn().query_row(
            "SELECT COUNT(*) FROM passages p JOIN documents d ON d.id = p.document_id
             WHERE (?1 IS NULL OR d.conversation_id = ?1) AND d.searchable = 1 AND p.embedding IS NULL",
            [conversation_id],
            |r| r.get(0),
        )?)
    }

    /// The text of the first `limit` passages stored (benchmarks time a model on them).
    pub fn first_passage_texts(&self, limit: usize) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT text FROM passages ORDER BY id LIMIT ?1")?;
        let rows = stmt.query_map([limit as i64], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
