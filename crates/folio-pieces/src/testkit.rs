//! A real HTTP + WebSocket server on 127.0.0.1 (axum) that records every request as it
//! arrives (method, raw path and query, headers, JSON body) and every WebSocket text
//! frame a client sends, and answers from functions the test chooses: a `Reply` per
//! HTTP request, a list of `WsAction`s per frame received on a socket (send a frame,
//! wait, close, or drop the connection without closing it). It runs on its own thread
//! and runtime, so tests may drive it from blocking code (the CLI, the Python SDK).

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequestParts, Request};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    /// The HTTP method, or "WS" for a frame a client sent on a WebSocket.
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// Names lower-cased, in arrival order (for "WS", the upgrade request's headers).
    pub headers: Vec<(String, String)>,
    /// The JSON body or frame (`Value::Null` when empty, a string when not JSON).
    pub body: Value,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn media_type(&self) -> Option<String> {
        self.header("content-type").map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
    }
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    pub delay: Duration,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Self {
        Reply {
            status,
            content_type: Some("application/json".into()),
            body: body.to_string().into_bytes(),
            delay: Duration::ZERO,
        }
    }
    /// Pieces OS's error bodies are plain text.
    pub fn text(status: u16, body: &str) -> Self {
        Reply { status, content_type: Some("text/plain".into()), body: body.as_bytes().to_vec(), delay: Duration::ZERO }
    }
    pub fn empty(status: u16) -> Self {
        Reply { status, content_type: None, body: vec![], delay: Duration::ZERO }
    }
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// What the server does on a socket after a client frame arrives.
#[derive(Debug, Clone)]
pub enum WsAction {
    Send(Value),
    SendText(String),
    Wait(Duration),
    /// A proper close frame.
    Close,
    /// Drops the connection without a close frame (a crash, a cut cable).
    Drop,
}

type HttpResponder = dyn Fn(&Recorded) -> Reply + Send + Sync;
type WsResponder = dyn Fn(&Recorded) -> Vec<WsAction> + Send + Sync;

struct Shared {
    requests: Mutex<Vec<Recorded>>,
    http: Box<HttpResponder>,
    ws: Box<WsResponder>,
}

pub struct RecordingServer {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RecordingServer {
    /// A server answering like Pieces OS on success ([`pieces_reply`], [`pieces_stream`]).
    pub fn pieces() -> Self {
        Self::start(pieces_reply, pieces_stream)
    }

    /// As [`Self::pieces`], but requests to `path` get `reply`'s answer instead.
    pub fn pieces_except(path: &'static str, reply: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Self {
        Self::start(
            move |r| {
                if r.path == path {
                    reply(r)
                } else {
                    pieces_reply(r)
                }
            },
            pieces_stream,
        )
    }

    pub fn start(
        http: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
        ws: impl Fn(&Recorded) -> Vec<WsAction> + Send + Sync + 'static,
    ) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        Self::on(listener, http, ws)
    }

    /// Serves on a listener the test bound (discovery tests choose the port).
    pub fn on(
        listener: std::net::TcpListener,
        http: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
        ws: impl Fn(&Recorded) -> Vec<WsAction> + Send + Sync + 'static,
    ) -> Self {
        let shared = Arc::new(Shared { requests: Mutex::new(Vec::new()), http: Box::new(http), ws: Box::new(ws) });
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = shared.clone();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let app = axum::Router::new().fallback(move |req: Request| handle(req, serving.clone()));
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        let _ = stopped.await;
                    })
                    .await;
            });
        });
        RecordingServer { addr, shared, stop: Some(stop), thread: Some(thread) }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.requests.lock().unwrap().clone()
    }

    pub fn take(&self) -> Vec<Recorded> {
        std::mem::take(&mut *self.shared.requests.lock().unwrap())
    }
}

impl Drop for RecordingServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // Open sockets keep a graceful shutdown waiting; the runtime goes with the thread.
        if let Some(thread) = self.thread.take() {
            drop(thread);
        }
    }
}

async fn handle(req: Request, shared: Arc<Shared>) -> Response {
    let (mut parts, body) = req.into_parts();
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(n, v)| (n.as_str().to_ascii_lowercase(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let mut recorded = Recorded {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        headers,
        body: Value::Null,
    };
    let upgrade = recorded.header("upgrade").is_some_and(|u| u.eq_ignore_ascii_case("websocket"));
    if upgrade {
        // The HTTP responder may refuse the handshake (a 500 instead of 101).
        let refusal = (shared.http)(&Recorded { method: "WS-OPEN".into(), ..recorded.clone() });
        if refusal.status != 101 {
            return reply(refusal).await;
        }
        let Ok(ws) = WebSocketUpgrade::from_request_parts(&mut parts, &()).await else {
            return Reply::text(400, "bad websocket handshake").into_response_now();
        };
        return ws.on_upgrade(move |socket| run_socket(socket, recorded, shared)).into_response();
    }
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    if !bytes.is_empty() {
        recorded.body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    }
    let answer = (shared.http)(&recorded);
    shared.requests.lock().unwrap().push(recorded);
    reply(answer).await
}

async fn reply(r: Reply) -> Response {
    if !r.delay.is_zero() {
        tokio::time::sleep(r.delay).await;
    }
    r.into_response_now()
}

impl Reply {
    fn into_response_now(self) -> Response {
        let mut builder = Response::builder().status(self.status);
        if let Some(ct) = &self.content_type {
            builder = builder.header("content-type", ct);
        }
        builder.body(axum::body::Body::from(self.body)).unwrap()
    }
}

/// Records "WS-GONE" when the client went away (closed, dropped, or a send failed), so
/// tests can see that dropping an answer stops the stream.
async fn run_socket(socket: WebSocket, upgrade: Recorded, shared: Arc<Shared>) {
    if let Some(gone) = serve_socket(socket, &upgrade, &shared).await {
        shared.requests.lock().unwrap().push(Recorded {
            method: "WS-GONE".into(),
            body: Value::String(gone),
            ..upgrade
        });
    }
}

async fn serve_socket(mut socket: WebSocket, upgrade: &Recorded, shared: &Shared) -> Option<String> {
    loop {
        let text = match socket.recv().await {
            None | Some(Err(_)) => return Some("the client dropped the connection".into()),
            Some(Ok(Message::Close(_))) => return Some("the client closed the stream".into()),
            Some(Ok(Message::Text(t))) => t.as_str().to_string(),
            Some(Ok(Message::Binary(b))) => String::from_utf8_lossy(&b).into_owned(),
            Some(Ok(_)) => continue,
        };
        let frame = Recorded {
            method: "WS".into(),
            body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
            ..upgrade.clone()
        };
        let actions = (shared.ws)(&frame);
        shared.requests.lock().unwrap().push(frame);
        for action in actions {
            let sent = match action {
                WsAction::Send(v) => socket.send(Message::Text(v.to_string().into())).await,
                WsAction::SendText(t) => socket.send(Message::Text(t.into())).await,
                WsAction::Wait(d) => {
                    tokio::time::sleep(d).await;
                    Ok(())
                }
                WsAction::Close => {
                    let _ = socket.send(Message::Close(None)).await;
                    return None;
                }
                WsAction::Drop => return None,
            };
            if sent.is_err() {
                return Some("a frame could not be sent: the client is gone".into());
            }
        }
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
        ("HEAD" | "GET", [".well-known", "health"]) => Reply::text(200, "ok:os-1"),
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
            let name = req.body.get("name").and_then(Value::as_str).unwrap_or("New Conversation");
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
        ("POST", ["conversation", "update"]) => Reply::json(200, req.body.clone()),
        ("POST", ["qgpt", "question"]) => Reply::json(
            200,
            json!({"answers": {"iterable": [{"text": "The range is set with set xrange [1].", "score": 0.9}]}}),
        ),
        _ => Reply::text(404, &format!("no route for {} {}", req.method, req.path)),
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
    let conversation = req.body.get("conversation").and_then(Value::as_str).unwrap_or("conv-streamed").to_string();
    vec![
        WsAction::Send(frame(&conversation, "INITIALIZED", None)),
        WsAction::Send(frame(&conversation, "IN-PROGRESS", Some("Use set xrange "))),
        WsAction::Send(frame(&conversation, "IN-PROGRESS", Some("to set the range [1]"))),
        WsAction::Send(frame(&conversation, "IN-PROGRESS", Some("."))),
        WsAction::Send(frame(&conversation, "COMPLETED", None)),
    ]
}
