//! One recording server for every request-level test: a real HTTP/1.1 (and WebSocket)
//! server on 127.0.0.1 that records each request exactly as it arrives and answers from
//! functions the test chooses. It runs on its own thread and runtime, so tests may drive
//! it from blocking code (the CLI as a subprocess, a Python SDK) or from async code.
//!
//! - `listen`: the loopback port, the server's thread and its shutdown.
//! - `record`: what is kept of a request (method, raw path and query, headers, the
//!   body as JSON, text or multipart parts); uploads can be cut after N bytes.
//! - `reply`: scripted answers and faults: any status and headers, a delay before the
//!   answer, bodies sent in paced chunks (event streams), bodies cut mid-stream.
//! - `ws`: WebSocket sessions scripted frame by frame (send, wait, close, drop).
//!
//! Each remote backend's `testkit` adds its API's routes and canned answers on top.

mod listen;
mod record;
mod reply;
mod server;
mod ws;

pub use listen::loopback;
pub use record::{digest, Recorded, RecordedBody, RecordedPart};
pub use reply::Reply;
pub use server::{Server, ServerBuilder};
pub use ws::WsAction;
