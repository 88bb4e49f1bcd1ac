//! Keyword search over passages (SQLite FTS5, BM25). Only documents whose every passage
//! is indexed (`searchable`) answer, so a half-read document never does.

use super::retrieval::{Scope, MATCH_IN_SCOPE, MATCH_JOINS};
use super::Store;
use crate::error::Result;
use folio_core::{BoundingBox, DocumentId};
use rusqlite::params;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    pub passage_id: i64,
    pub document_id: DocumentId,
    pub document_name: String,
    /// 1-based page (slide, sheet or section for formats without pages).
    pub page: u32,
    pub page_label: Option<String>,
    pub char_start: u32,
    pub char_end: u32,
    pub text: String,
    pub boxes: Vec<BoundingBox>,
    /// BM25 score; lower is better (SQLite's convention).
    pub score: f64,
}

impl SearchHit {
    /// Reads a hit from a row whose first nine columns are, in order: passage id,
    /// document id, document name, page, page label, char start, char end, text and
    /// boxes (JSON `[[x0, y0, x1, y1], ...]`). Every query that returns passages selects
    /// them so, and reads them here.
    pub fn from_row(r: &rusqlite::Row<'_>, score: f64) -> rusqlite::Result<SearchHit> {
        let boxes: String = r.get(8)?;
        let boxes: Vec<[f64; 4]> = serde_json::from_str(&boxes).unwrap_or_default();
        Ok(SearchHit {
            passage_id: r.get(0)?,
            document_id: r.get(1)?,
            document_name: r.get(2)?,
            page: r.get(3)?,
            page_label: r.get(4)?,
            char_start: r.get(5)?,
            char_end: r.get(6)?,
            text: r.get(7)?,
            boxes: boxes
                .into_iter()
                .map(|[x0, y0, x1, y1]| BoundingBox { top_x: x0, top_y: y0, bottom_x: x1, bottom_y: y1 })
                .collect(),
            score,
        })
    }
}

impl Store {
    /// Passages of a conversation's documents that match the words of `query`, best first.
    /// `documents` narrows the search to some documents (None: all of them).
    pub fn search(
        &self,
        conversation_id: &str,
        query: &str,
        documents: Option<&[DocumentId]>,
        limit: usize,
    ) -> Result<Vec<SearchHit>> {
        let Some(fts) = fts_query(query) else {
            return Ok(Vec::new());
        };
        let filter = Scope { conversation_id, documents }.filter();
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT p.id, p.document_id, d.name, p.page, g.label, p.char_start, p.char_end, p.text, p.boxes,
                    bm25(passages_fts) AS score
             FROM {MATCH_JOINS}
             LEFT JOIN pages g ON g.document_id = p.document_id AND g.page = p.page
             WHERE {MATCH_IN_SCOPE} AND d.searchable = 1
             ORDER BY score LIMIT ?4"
        ))?;
        let rows =
            stmt.query_map(params![fts, conversation_id, filter, limit as i64], |r| SearchHit::from_row(r, r.get(9)?))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Store {
    /// The next passages of keyword-searchable documents still without a vector:
    /// (passage id, document id, text).
    pub fn passages_to_embed(&self, limit: usize) -> Result<Vec<(i64, DocumentId, String)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT p.id, p.document_id, p.text FROM passages p JOIN documents d ON d.id = p.document_id
             WHERE d.searchable = 1 AND p.embedding IS NULL ORDER BY p.id LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Stores a batch of vectors in one transaction (passages deleted meanwhile are
    /// skipped) and, in the same transaction, moves each of `documents` whose passages
    /// now all have vectors from `Embedding` to `Ready`; returns those. One transaction,
    /// so "no passage left to embed" always means "every document Ready".
    pub fn set_embeddings(&self, vectors: &[(i64, Vec<u8>)], documents: &[DocumentId]) -> Result<Vec<DocumentId>> {
        self.write(|tx| {
            let mut stmt = tx.prepare_cached("UPDATE passages SET embedding = ?2 WHERE id = ?1")?;
            for (id, bytes) in vectors {
                stmt.execute(params![id, bytes])?;
            }
            let mut finish = tx.prepare_cached(
                "UPDATE documents SET stage = 'ready', updated_at = ?2 WHERE id = ?1 AND stage = 'embedding'
                 AND NOT EXISTS (SELECT 1 FROM passages WHERE document_id = ?1 AND embedding IS NULL)",
            )?;
            let mut finished = Vec::new();
            for id in documents {
                if finish.execute(params![id, super::now()])? > 0 {
                    finished.push(*id);
                }
            }
            Ok(finished)
        })
    }

    /// Puts the stages right for whether this engine makes vectors: with an embedder,
    /// keyword-searchable documents still missing vectors are `Embedding` (a keyword-only
    /// run, such as the CLI's `--wait`, left them `Ready`) and finished ones `Ready`;
    /// without one, nothing stays `Embedding`.
    pub fn settle_embedding_stages(&self, embedder: bool) -> Result<()> {
        self.write(|tx| {
            let pending = "EXISTS (SELECT 1 FROM passages p WHERE p.document_id = documents.id AND p.embedding IS NULL)";
            if embedder {
                tx.execute(&format!("UPDATE documents SET stage = 'embedding' WHERE stage = 'ready' AND searchable = 1 AND {pending}"), [])?;
                tx.execute(&format!("UPDATE documents SET stage = 'ready' WHERE stage = 'embedding' AND NOT {pending}"), [])?;
            } else {
                tx.execute("UPDATE documents SET stage = 'ready' WHERE stage = 'embedding'", [])?;
            }
            Ok(())
        })
    }

    /// Passages of keyword-searchable documents still waiting for a vector.
    pub fn pending_embeddings(&self) -> Result<i64> {
        let conn = self.conn();
        Ok(conn.query_row(
            "SELECT COUNT(*) FROM passages p JOIN documents d ON d.id = p.document_id
             WHERE d.searchable = 1 AND p.embedding IS NULL",
            [],
            |r| r.get(0),
        )?)
    }
}

/// Turns what a person typed into an FTS5 query: each word quoted (so `-`, `:` or `"`
/// are never syntax), any word may match, BM25 ranks passages with more of them first.
pub(super) fn fts_query(query: &str) -> Option<String> {
    let words: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.to_lowercase()))
        .collect();
    (!words.is_empty()).then(|| words.join(" OR "))
}

#[cfg(test)]
mod tests {
    #[test]
    fn queries_never_carry_fts_syntax() {
        assert_eq!(super::fts_query("plot -x \"title\":"), Some("\"plot\" OR \"x\" OR \"title\"".into()));
        assert_eq!(super::fts_query(" -- "), None);
    }
}
