-- Folio's store as the code at 0fd80a6 created it (schema version 0, before PRAGMA user_version was used),
-- kept verbatim so the migration test opens a folder made by that release.
-- Folio's local store, version 1. Every state change happens in one transaction, so a
-- kill -9 at any moment leaves either the old or the new state, never a mix.
CREATE TABLE IF NOT EXISTS conversations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- One row per dropped file (and per e-mail attachment). `sha256` names the stored copy
-- under files/, shared by every document with the same content.
CREATE TABLE IF NOT EXISTS documents (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    parent_id       INTEGER,          -- the e-mail an attachment came from
    name            TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    size            INTEGER NOT NULL,
    kind            TEXT,             -- what the content turned out to be (pdf, docx, ...)
    process         INTEGER NOT NULL, -- 0: stored only (AI Hub's process_files=false)
    stage           TEXT NOT NULL,    -- folio_core::DocumentStage, camelCase
    pages_done      INTEGER NOT NULL DEFAULT 0,
    page_total      INTEGER,
    ocr_pages       INTEGER NOT NULL DEFAULT 0,
    failure_reason  TEXT,
    searchable      INTEGER NOT NULL DEFAULT 0, -- 1 once every passage is keyword-indexed
    uploaded_at     TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_by_conversation ON documents(conversation_id);
CREATE INDEX IF NOT EXISTS documents_by_sha ON documents(sha256);

-- The text of each page, with its size in the page's own units (PDF points, image
-- pixels; 0 for formats without layout) and, for OCR'd pages, tesseract's confidence.
CREATE TABLE IF NOT EXISTS pages (
    document_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page           INTEGER NOT NULL, -- 1-based
    label          TEXT,             -- "slide 3", "sheet Sales", "paragraphs 1-40"
    width          REAL NOT NULL,
    height         REAL NOT NULL,
    ocr_confidence REAL,
    text           TEXT NOT NULL,
    PRIMARY KEY (document_id, page)
);

-- Page-aware passages: what keyword search (and, in part 2, embeddings) work on.
-- char_start/char_end are Unicode-scalar offsets into pages.text; boxes is a JSON array
-- of [x0, y0, x1, y1] line boxes in page units, top-left origin.
CREATE TABLE IF NOT EXISTS passages (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page        INTEGER NOT NULL,
    char_start  INTEGER NOT NULL,
    char_end    INTEGER NOT NULL,
    text        TEXT NOT NULL,
    boxes       TEXT NOT NULL,
    embedding   BLOB              -- filled incrementally by the embedder (part 2)
);
CREATE INDEX IF NOT EXISTS passages_by_document ON passages(document_id, page);

-- External-content FTS5 over passages: the text is stored once, in passages.
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    text, content='passages', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS passages_ai AFTER INSERT ON passages BEGIN
    INSERT INTO passages_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER IF NOT EXISTS passages_ad AFTER DELETE ON passages BEGIN
    INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

-- Chat history, ready for the answering engine (issue 5).
CREATE TABLE IF NOT EXISTS messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    role            TEXT NOT NULL,   -- user | assistant
    content         TEXT NOT NULL,
    sources         TEXT,            -- JSON array of folio_core::Source
    document_ids    TEXT,            -- JSON array the question was asked of
    created_at      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages(conversation_id, id);
