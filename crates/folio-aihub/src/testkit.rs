//! AI Hub on loopback for request-level tests: folio-testserver's recording server (every
//! request kept as it arrived, multipart parts included, with scripted replies and
//! faults) plus AI Hub's routes and canned answers.

use serde_json::json;
use std::ops::Deref;

pub use folio_testserver::{digest, Recorded, RecordedBody, RecordedPart, Reply};

/// The recording server, with AI Hub's api root.
pub struct RecordingServer(folio_testserver::Server);

pub struct ServerBuilder(folio_testserver::ServerBuilder);

impl ServerBuilder {
    /// Drops the connection once this many body bytes of a request have arrived.
    pub fn cut_uploads_after(self, bytes: u64) -> Self {
        ServerBuilder(self.0.cut_uploads_after(bytes))
    }

    pub fn start(self, responder: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> RecordingServer {
        RecordingServer(self.0.start(responder))
    }
}

impl RecordingServer {
    pub fn builder() -> ServerBuilder {
        ServerBuilder(folio_testserver::Server::builder())
    }

    pub fn start(responder: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Self {
        Self::builder().start(responder)
    }

    /// A server that answers like AI Hub does on success (see [`aihub_reply`]).
    pub fn aihub() -> Self {
        Self::start(aihub_reply)
    }

    /// The api root to give a client: `http://127.0.0.1:PORT/api`.
    pub fn api_root(&self) -> String {
        self.url("/api")
    }
}

impl Deref for RecordingServer {
    type Target = folio_testserver::Server;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

/// Successful AI Hub answers, shaped as in the contract, for every operation under
/// `/api`. Uploads answer with the filenames that arrived; anything else is a 404.
pub fn aihub_reply(req: &Recorded) -> Reply {
    let path = req.path.strip_prefix("/api").unwrap_or(&req.path);
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let uploaded =
        || json!({"success": req.filenames().iter().map(|n| json!({"name": n})).collect::<Vec<_>>(), "failure": []});
    match (req.method.as_str(), segments.as_slice()) {
        ("POST", ["v2", "conversations"]) => {
            let name = req.fields().into_iter().find(|(k, _)| k == "name").map(|(_, v)| v).unwrap_or_default();
            Reply::json(201, json!({"id": "conv-1", "name": name, "upload_status": uploaded()}))
        }
        ("GET", ["v2", "conversations"]) => Reply::json(
            200,
            json!({"conversations": [{"id": "conv-1", "name": "Contracts", "description": "2024"}, {"id": "conv-2", "name": "Bare"}]}),
        ),
        ("GET", ["v2", "conversations", id]) => Reply::json(
            200,
            json!({"id": id, "name": "Contracts", "description": "2024", "state": "COMPLETE", "documents": [
                {"id": 15, "name": "a.pdf", "state": "PROCESSED", "uploadTimestamp": "2024-05-01T10:00:00Z"},
                {"id": 16, "name": "b.txt", "state": "PROCESSED"}
            ]}),
        ),
        ("PUT" | "DELETE", ["v2", "conversations", _]) => Reply::empty(204),
        ("POST", ["v2", "conversations", _, "documents"]) => Reply::json(201, json!({"upload_status": uploaded()})),
        ("DELETE", ["v2", "conversations", _, "documents"]) => Reply::empty(204),
        ("GET", ["v2", "conversations", _, "documents", doc]) => Reply::json(
            200,
            json!({"id": doc.parse::<i64>().unwrap_or(0), "ibdoc_path": "u/r/fs/a.pdf.ibdoc", "name": "a.pdf", "metadata": [{"layout": {"width": 2550, "height": 3301}, "metadata_list": null}]}),
        ),
        ("POST", ["v2", "conversations", _, "prompts"]) => {
            Reply::json(200, json!({"prompt_id": "prompt-1", "answer": "The term is 12 months."}))
        }
        ("POST", ["v2", "queries"]) => Reply::json(202, json!({"query_id": "query-1"})),
        ("GET", ["v2", "queries", id]) => Reply::json(
            200,
            json!({"query_id": id, "status": "COMPLETE", "results": [{"response": "42", "source_documents": [{"name": "a.pdf", "pages": [{"page_number": 9.0}]}]}]}),
        ),
        _ => Reply::json(404, json!({"message": format!("no route for {} {}", req.method, req.path)})),
    }
}
