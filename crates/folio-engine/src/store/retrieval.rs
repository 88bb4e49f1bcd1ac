//! What retrieval reads (folio-answer ranks; the engine owns the SQL): ranked keyword
//! matches as passage ids, the keyword vocabulary, passages by id, each conversation's
//! vectors, and a PDF's page texts for finding running headers.

use super::{SearchHit, Store};
use crate::error::Result;
use folio_core::DocumentId;
use rusqlite::{params, OptionalExtension};
use std::collections::HashMap;

/// The passages of a conversation (or of some of its documents) an FTS5 query matches:
/// `FROM {MATCH_JOINS} WHERE {MATCH_IN_SCOPE}` with ?1 the query, ?2 the conversation and
/// ?3 the JSON list of documents or NULL. Every keyword query shares them, so the scoping
/// rules are written once.
pub(super) const MATCH_JOINS: &str = "passages_fts
     JOIN passages p ON p.id = passages_fts.rowid
     JOIN documents d ON d.id = p.document_id";
pub(super) const MATCH_IN_SCOPE: &str = "passages_fts MATCH ?1 AND d.conversation_id = ?2
       AND (?3 IS NULL OR p.document_id IN (SELECT value FROM json_each(?3)))";

/// Which documents a keyword query looks in.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub conversation_id: &'a str,
    /// None: every document of the conversation.
    pub documents: Option<&'a [DocumentId]>,
}

impl Scope<'_> {
    pub(super) fn filter(&self) -> Option<String> {
        self.documents.map(|ids| serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()))
    }
}

/// One vector row of a conversation: passage, document, and the stored bytes (None
/// while the embedder has not reached it).
pub struct VectorRow {
    pub passage_id: i64,
    pub document_id: DocumentId,
    pub embedding: Option<Vec<u8>>,
}

impl Store {
    /// Passage ids of searchable documents matching an FTS5 query, best BM25 first. Only
    /// ids and scores are computed per match; details are read for the winners only.
    pub fn match_ids(&self, scope: Scope<'_>, fts: &str, limit: usize) -> Result<Vec<i64>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT passages_fts.rowid FROM {MATCH_JOINS} WHERE {MATCH_IN_SCOPE} AND d.searchable = 1
             ORDER BY bm25(passages_fts) LIMIT ?4"
        ))?;
        let rows = stmt.query_map(params![fts, scope.conversation_id, scope.filter(), limit as i64], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether any passage in scope matches, searchable yet or not: a name a document
    /// being read holds is not "mentioned nowhere".
    pub fn any_match(&self, scope: Scope<'_>, fts: &str) -> Result<bool> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!("SELECT 1 FROM {MATCH_JOINS} WHERE {MATCH_IN_SCOPE} LIMIT 1"))?;
        Ok(stmt.exists(params![fts, scope.conversation_id, scope.filter()])?)
    }

    /// How many passages of the whole store hold this (lower-case, folded) word; None
    /// when the vocabulary does not list it.
    pub fn term_passages(&self, term: &str) -> Result<Option<i64>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached("SELECT doc FROM passages_vocab WHERE term = ?1")?;
        Ok(stmt.query_row([term], |r| r.get(0)).optional()?)
    }

    /// Passages in the whole store, every conversation.
    pub fn passage_count(&self) -> Result<i64> {
        Ok(self.conn().query_row("SELECT COUNT(*) FROM passages", [], |r| r.get(0))?)
    }

    /// The passages with these ids, in the order given; ids gone meanwhile are skipped.
    pub fn passages_by_ids(&self, ids: &[i64]) -> Result<Vec<SearchHit>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT p.id, p.document_id, d.name, p.page, g.label, p.char_start, p.char_end, p.text, p.boxes
             FROM passages p
             JOIN documents d ON d.id = p.document_id
             LEFT JOIN pages g ON g.document_id = p.document_id AND g.page = p.page
             WHERE p.id IN (SELECT value FROM json_each(?1))",
        )?;
        let rows = stmt.query_map([list], |r| SearchHit::from_row(r, 0.0))?;
        let mut found: HashMap<i64, SearchHit> = HashMap::new();
        for row in rows {
            let hit = row?;
            found.insert(hit.passage_id, hit);
        }
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// (document, page) of each passage id that still exists.
    pub fn passage_pages(&self, ids: &[i64]) -> Result<HashMap<i64, (DocumentId, u32)>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, document_id, page FROM passages WHERE id IN (SELECT value FROM json_each(?1))",
        )?;
        let rows = stmt.query_map([list], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Changes whenever a document of the conversation becomes searchable or goes away:
    /// (searchable documents, sum of their ids).
    pub fn searchable_key(&self, conversation_id: &str) -> Result<(i64, i64)> {
        Ok(self.conn().query_row(
            "SELECT COUNT(*), COALESCE(SUM(id), 0) FROM documents WHERE conversation_id = ?1 AND searchable = 1",
            [conversation_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    /// Calls `each` with every passage of the conversation's searchable documents and its
    /// vector, streamed (a big conversation's vectors are never all copied twice).
    pub fn for_each_vector(&self, conversation_id: &str, mut each: impl FnMut(VectorRow)) -> Result<()> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT p.id, p.document_id, p.embedding FROM passages p JOIN documents d ON d.id = p.document_id
             WHERE d.conversation_id = ?1 AND d.searchable = 1",
        )?;
        let mut rows = stmt.query([conversation_id])?;
        while let Some(row) = rows.next()? {
            each(VectorRow { passage_id: row.get(0)?, document_id: row.get(1)?, embedding: row.get(2)? });
        }
        Ok(())
    }

    /// What a document's content turned out to be ("pdf", "docx", ...); None when the
    /// document is gone or not read yet.
    pub fn document_kind(&self, document_id: DocumentId) -> Result<Option<String>> {
        let kind: Option<Option<String>> = self
            .conn()
            .query_row("SELECT kind FROM documents WHERE id = ?1", [document_id], |r| r.get(0))
            .optional()?;
        Ok(kind.flatten())
    }

    /// The text of every page of a document, in no particular order.
    pub fn page_texts(&self, document_id: DocumentId) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT text FROM pages WHERE document_id = ?1")?;
        let rows = stmt.query_map([document_id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
