//! Pieces OS on loopback for request-level tests: folio-testserver's recording HTTP +
//! WebSocket server (every request and every frame a client sends kept as it arrived, a
//! `Reply` per request, a list of `WsAction`s per frame) plus Pieces OS's routes and
//! canned answers. A WebSocket handshake reaches the HTTP responder as "WS-OPEN": a 101
//! accepts it, anything else refuses it.

use serde_json::{json, Value};
use std::ops::Deref;

pub use folio_testserver::{Recorded, RecordedBody, Reply, WsAction};

/// The recording server, with Pieces OS's base address.
pub struct RecordingServer(folio_testserver::Server);

impl RecordingServer {
    /// A server answering like Pieces OS on success ([`pieces_reply`], [`pieces_stream`]).
    pub fn pieces() -> Self {
        Self::start(pieces_reply, pieces_stream)
    }

    /// As [`Self::pieces`], but requests to `path` get `reply`'s answer instead.
    pub fn pieces_except(path: &'static str, reply: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Self {
        Self::start(move |r| if r.path == path { reply(r) } else { pieces_reply(r) }, pieces_stream)
    }

    pub fn start(
        http: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
        ws: impl Fn(&Recorded) -> Vec<WsAction> + Send + Sync + 'static,
    ) -> Self {
        Self::on(folio_testserver::loopback(), http, ws)
    }

    /// Serves on a listener the test bound (discovery tests choose the port).
    pub fn on(
        listener: std::net::TcpListener,
        http: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
        ws: impl Fn(&Recorded) -> Vec<WsAction> + Send + Sync + 'static,
    ) -> Self {
        RecordingServer(folio_testserver::Server::builder().on(listener).websocket(ws).start(http))
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base(&self) -> String {
        self.url("")
    }
}

impl Deref for RecordingServer {
    type Target = folio_testserver::Server;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

/// The application Pieces OS tracks for Folio.
pub fn tracked_application() -> Value {
    json!({"id": "app-1", "name": "OPEN_SOURCE", "onboarded": false, "platform": "LINUX", "privacy": "OPEN", "version": "0.1.0"})
}

/// A conversation as Pieces OS returns it (the fields its model requires, plus a few).
pub fn conversation(id: &str, name: &str) -> Value {
    json!({
        "id": id, "name": name, "type": "COPILOT", "favorited": false,
        "created": {"value": "2026-11-20T10:00:00Z", "readable": "3 days ago"},
        "updated": {"value": "2026-11-21T10:00:00Z"},
        "messages": {"iterable": [{"id": "m1"}, {"id": "m2"}, {"id": "m0"}], "indices": {"m1": 0, "m2": 1, "m0": -1}}
    })
}

pub fn message(id: &str, conversation: &str, role: &str, text: &str, created: &str) -> Value {
    json!({
        "id": id, "conversation": {"id": conversation}, "role": role,
        "created": {"value": created}, "updated": {"value": created},
        "fragment": {"string": {"raw": text}}
    })
}

/// Successful Pieces OS answers for every operation Folio uses; anything else is a 404.
pub fn pieces_reply(req: &Recorded) -> Reply {
    let segments: Vec<&str> = req.path.trim_start_matches('/').split('/').collect();
    match (req.method.as_str(), segments.as_slice()) {
        ("WS-OPEN", _) => Reply::empty(101),
        ("HEAD" | "GET", [".well-known", "health"]) => Reply::plain(200, "ok:os-1"),
        ("POST", ["connect"]) => Reply::json(
            200,
            json!({"application": tracked_application(), "health": {"os": {"id": "os-1", "version": "12.0.0"}}, "os": "os-1"}),
        ),
        ("GET", ["models"]) => Reply::json(
            200,
            json!({"iterable": [
                {"id": "model-local", "name": "Llama 3 8B", "cloud": false, "downloaded": false, "created": {"value": "2026-01-01T00:00:00Z"}, "type": "BALANCED", "usage": "UNKNOWN", "version": "1"},
                {"id": "model-cloud", "name": "Claude 3.5 Sonnet", "cloud": true, "created": {"value": "2026-01-01T00:00:00Z"}, "type": "BALANCED", "usage": "UNKNOWN", "version": "1"}
            ]}),
        ),
        ("GET", ["conversations"]) => {
            Reply::json(200, json!({"iterable": [conversation("conv-1", "Manuals"), conversation("conv-2", "Bare")]}))
        }
        ("POST", ["conversations", "create"]) => {
            let name = req.json().and_then(|b| b.get("name")).and_then(Value::as_str).unwrap_or("New Conversation");
            let mut created = conversation("conv-new", name);
            created["messages"] = json!({"iterable": []});
            Reply::json(200, created)
        }
        ("POST", ["conversations", "create", "from_asset", _]) => {
            Reply::json(200, json!({"conversation": {"id": "conv-asset"}}))
        }
        ("POST", ["conversations", _, "delete"]) => Reply::empty(204),
        ("GET", ["conversation", id]) => Reply::json(200, conversation(&decode(id), "Manuals")),
        ("GET", ["conversation", id, "messages"]) => {
            let id = decode(id);
            Reply::json(
                200,
                json!({"iterable": [
                message("m2", &id, "ASSISTANT", "It is 14 points.", "2026-11-21T10:00:02Z"),
                message("m1", &id, "USER", "What is the title size?", "2026-11-21T10:00:01Z"),
                message("m0", &id, "USER", "deleted", "2026-11-21T10:00:00Z")
            ], "indices": {"m1": 0, "m2": 1, "m0": -1}}),
            )
        }
        ("POST", ["conversation", "update"]) => Reply::json(200, req.value()),
        ("POST", ["qgpt", "question"]) => Reply::json(
            200,
            json!({"answers": {"iterable": [{"text": "The range is set with set xrange [1].", "score": 0.9}]}}),
        ),
        _ => Reply::plain(404, &format!("no route for {} {}", req.method, req.path)),
    }
}

fn decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

/// A stream frame: `QGPTStreamOutput` with one answer chunk.
pub fn frame(conversation: &str, status: &str, chunk: Option<&str>) -> Value {
    let mut f = json!({"conversation": conversation, "status": status});
    if let Some(text) = chunk {
        f["question"] = json!({"answers": {"iterable": [{"text": text, "score": 0.0}]}});
    }
    f
}

/// The answer stream: three IN-PROGRESS pieces, then COMPLETED, in the asked conversation
/// (or a new one, "conv-streamed", when none was given).
pub fn pieces_stream(req: &Recorded) -> Vec<WsAction> {
    let conversation =
        req.json().and_then(|b| b.get("conversation")).and_then(Value::as_str).unwrap_or("conv-streamed").to_string();
    vec![
        WsAction::Send(frame(&conversation, "INITIALIZED", None)),
        WsAction::Send(frame(&conversation, "IN-PROGRESS", Some("Use set xrange "))),
        WsAction::Send(frame(&conversation, "IN-PROGRESS", Some("to set the range [1]"))),
        WsAction::Send(frame(&conversation, "IN-PROGRESS", Some("."))),
        WsAction::Send(frame(&conversation, "COMPLETED", None)),
    ]
}
