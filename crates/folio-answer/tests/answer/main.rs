//! The answering engine with real parts: a real SQLite store, real corpus PDFs read by
//! the engine and embedded with MiniLM, and loopback servers speaking Ollama's and
//! OpenAI's streaming protocols. Needs what scripts/test.sh provisions; fails without.

mod builtin;
mod common;
mod converse;
mod llm_server;
mod providers;
mod queries;
mod retrieval;
mod search_everywhere;
mod smollm2;
