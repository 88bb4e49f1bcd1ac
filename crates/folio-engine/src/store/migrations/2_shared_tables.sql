-- Version 2: the tables folio-answer, folio-airia and folio-pieces used to create on
-- first use (each with CREATE ... IF NOT EXISTS), now made here, once, for every folder.
-- A folder that already has them keeps them unchanged.

-- Each word of the keyword index with the number of passages holding it: retrieval
-- narrows a query of common words by it.
CREATE VIRTUAL TABLE IF NOT EXISTS passages_vocab USING fts5vocab(passages_fts, 'row');

-- AI Hub-style queries: RUNNING until the process running them ends them.
CREATE TABLE IF NOT EXISTS answer_queries (
    id         TEXT PRIMARY KEY,
    request    TEXT NOT NULL,    -- JSON folio_core::QueryRequest
    state      TEXT NOT NULL,    -- RUNNING | COMPLETE | FAILED
    results    TEXT,             -- JSON array of folio_core::QueryResult
    error      TEXT,
    pid        INTEGER NOT NULL, -- the process running it
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Local chatbots: a name over a conversation's documents.
CREATE TABLE IF NOT EXISTS chatbots (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    description       TEXT,
    conversation_id   TEXT NOT NULL,    -- whose documents it answers from
    owns_conversation INTEGER NOT NULL, -- 1: made from files, the conversation goes with it
    created_at        TEXT NOT NULL
);

-- The Airia conversations Folio made (Airia has no list endpoint).
CREATE TABLE IF NOT EXISTS airia_conversations (
    local_id   TEXT PRIMARY KEY, -- the engine's conversation: documents and history
    airia_id   TEXT NOT NULL,    -- Airia's conversationId: the chat
    title      TEXT NOT NULL,    -- the title Airia was given at creation
    created_at TEXT NOT NULL
);

-- The Pieces OS conversation behind each local half.
CREATE TABLE IF NOT EXISTS pieces_links (
    pieces_id  TEXT PRIMARY KEY,     -- the Pieces OS conversation (holds the chat)
    local_id   TEXT NOT NULL UNIQUE, -- the engine conversation (holds the documents)
    created_at TEXT NOT NULL
);

-- Local conversations that are the local half of a conversation another backend shows.
CREATE TABLE IF NOT EXISTS remote_halves (
    local_id TEXT PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
    backend  TEXT NOT NULL -- 'airia' or 'pieces'
);
-- Halves a Folio from before remote_halves recorded only in its backend's own table.
INSERT OR IGNORE INTO remote_halves(local_id, backend)
    SELECT local_id, 'airia' FROM airia_conversations WHERE local_id IN (SELECT id FROM conversations);
INSERT OR IGNORE INTO remote_halves(local_id, backend)
    SELECT local_id, 'pieces' FROM pieces_links WHERE local_id IN (SELECT id FROM conversations);
