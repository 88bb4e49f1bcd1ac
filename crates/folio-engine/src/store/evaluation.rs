//! What `folio eval` and `folio bench` read and write beside the product's own paths:
//! every page and passage location of a conversation, synthetic documents made from real
//! passages (retrieval at scale), and the plain BM25 baseline the figures stand beside.

use super::Store;
use crate::error::Result;
use folio_core::DocumentId;
use rusqlite::params;
use std::collections::HashMap;

/// A passage as stored: text, line boxes (JSON) and vector bytes.
pub struct StoredPassage {
    pub text: String,
    pub boxes: String,
    pub embedding: Option<Vec<u8>>,
}

impl Store {
    /// (document name, page, text) of every page of the conversation's searchable
    /// documents, in document and page order.
    pub fn conversation_pages(&self, conversation_id: &str) -> Result<Vec<(String, u32, String)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT d.name, g.page, g.text FROM pages g JOIN documents d ON d.id = g.document_id
             WHERE d.conversation_id = ?1 AND d.searchable = 1 ORDER BY d.id, g.page",
        )?;
        let rows = stmt.query_map([conversation_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Passage id -> (document name, page) for the conversation's searchable documents.
    pub fn passage_locations(&self, conversation_id: &str) -> Result<HashMap<i64, (String, u32)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT p.id, d.name, p.page FROM passages p JOIN documents d ON d.id = p.document_id
             WHERE d.conversation_id = ?1 AND d.searchable = 1",
        )?;
        let rows = stmt.query_map([conversation_id], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The conversation's passages that have a vector, in storage order.
    pub fn embedded_passages(&self, conversation_id: &str) -> Result<Vec<StoredPassage>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT p.text, p.boxes, p.embedding FROM passages p JOIN documents d ON d.id = p.document_id
             WHERE d.conversation_id = ?1 AND p.embedding IS NOT NULL ORDER BY p.id",
        )?;
        let rows = stmt.query_map([conversation_id], |r| {
            Ok(StoredPassage { text: r.get(0)?, boxes: r.get(1)?, embedding: r.get(2)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds a Ready, searchable PDF-shaped document of `pages` (each a list of passages,
    /// one per line of the page) in one transaction, without reading any file.
    pub fn insert_synthetic_document(
        &self,
        conversation_id: &str,
        name: &str,
        pages: &[Vec<&StoredPassage>],
    ) -> Result<DocumentId> {
        let now = chrono::Utc::now().to_rfc3339();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO documents(conversation_id, name, sha256, size, kind, process, stage, pages_done, page_total, searchable, uploaded_at, updated_at)
                 VALUES (?1, ?2, 'synthetic', 0, 'pdf', 1, 'ready', ?3, ?3, 1, ?4, ?4)",
                params![conversation_id, name, pages.len() as i64, now],
            )?;
            let doc = tx.last_insert_rowid();
            let mut page_stmt = tx.prepare_cached(
                "INSERT INTO pages(document_id, page, width, height, text) VALUES (?1, ?2, 612, 792, ?3)",
            )?;
            let mut passage_stmt = tx.prepare_cached(
                "INSERT INTO passages(document_id, page, char_start, char_end, text, boxes, embedding)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for (p, passages) in pages.iter().enumerate() {
                let mut page_text = String::new();
                for passage in passages {
                    let start = page_text.chars().count();
                    page_text.push_str(&passage.text);
                    page_text.push('\n');
                    let end = start + passage.text.chars().count();
                    passage_stmt.execute(params![
                        doc,
                        p as i64 + 1,
                        start as i64,
                        end as i64,
                        passage.text,
                        passage.boxes,
                        passage.embedding
                    ])?;
                }
                page_stmt.execute(params![doc, p as i64 + 1, page_text])?;
            }
            Ok(doc)
        })
    }
}

/// The evaluation's baseline: plain BM25 (FTS5, the engine's tokenizer) over whole pages,
/// held in memory, every word of a question OR-ed, nothing else.
pub struct PageIndex {
    conn: rusqlite::Connection,
}

impl PageIndex {
    /// Indexes (document name, page, text) rows.
    pub fn build(pages: &[(String, u32, String)]) -> Result<PageIndex> {
        let conn = rusqlite::Connection::open_in_memory()?;
        conn.execute_batch(
            "CREATE VIRTUAL TABLE p USING fts5(doc UNINDEXED, page UNINDEXED, text, tokenize='unicode61 remove_diacritics 2');",
        )?;
        {
            let mut stmt = conn.prepare("INSERT INTO p(doc, page, text) VALUES (?1, ?2, ?3)")?;
            for (d, n, t) in pages {
                stmt.execute(params![d, n, t])?;
            }
        }
        Ok(PageIndex { conn })
    }

    /// The best (document name, page) pairs for any of `words`, best first.
    pub fn search(&self, words: &[String], limit: usize) -> Result<Vec<(String, u32)>> {
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let query = words.iter().map(|w| format!("\"{}\"", w.replace('"', ""))).collect::<Vec<_>>().join(" OR ");
        let mut stmt = self.conn.prepare("SELECT doc, page FROM p WHERE p MATCH ?1 ORDER BY bm25(p) LIMIT ?2")?;
        let rows = stmt.query_map(params![query, limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
