//! A real HTTP/1.1 server on 127.0.0.1 that records every request exactly as it arrives
//! (method, raw path and query, headers, multipart parts or JSON) and answers from a
//! function the test chooses. It runs on its own thread and runtime, so tests may drive
//! it from blocking code (the CLI as a subprocess, the Python SDK) or from async code.
//! File parts are kept as length + digest, not bytes, so uploads of 100+ MB are cheap.

use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One multipart part as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedPart {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub len: u64,
    /// FNV-1a of the content: enough to tell two uploads of the same bytes apart from others.
    pub digest: u64,
    /// The value of a text field (a part without a filename).
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RecordedBody {
    Empty,
    Json(Value),
    Multipart(Vec<RecordedPart>),
    /// Anything else, as (lossy) text.
    Other(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub method: String,
    /// Exactly as sent, percent-encoding included.
    pub path: String,
    pub query: Option<String>,
    /// Names lower-cased, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: RecordedBody,
    pub body_bytes: u64,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The Content-Type without parameters (the multipart boundary differs per client).
    pub fn media_type(&self) -> Option<String> {
        self.header("content-type").map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
    }

    pub fn parts(&self) -> &[RecordedPart] {
        match &self.body {
            RecordedBody::Multipart(parts) => parts,
            _ => &[],
        }
    }

    pub fn json(&self) -> Option<&Value> {
        match &self.body {
            RecordedBody::Json(v) => Some(v),
            _ => None,
        }
    }

    /// The text fields of a multipart body, in order.
    pub fn fields(&self) -> Vec<(String, String)> {
        self.parts().iter().filter_map(|p| p.text.as_ref().map(|t| (p.name.clone(), t.clone()))).collect()
    }

    pub fn filenames(&self) -> Vec<String> {
        self.parts().iter().filter_map(|p| p.filename.clone()).collect()
    }
}

/// What the server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering (slow-server tests).
    pub delay: Duration,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Self {
        Reply {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
            delay: Duration::ZERO,
        }
    }
    pub fn empty(status: u16) -> Self {
        Reply { status, headers: vec![], body: vec![], delay: Duration::ZERO }
    }
    pub fn text(status: u16, content_type: &str, body: &str) -> Self {
        Reply {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
            delay: Duration::ZERO,
        }
    }
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

type Responder = dyn Fn(&Recorded) -> Reply + Send + Sync;

struct Shared {
    requests: Mutex<Vec<Recorded>>,
    /// Requests whose connection was cut on purpose, counted separately.
    cut: Mutex<Vec<Recorded>>,
    responder: Box<Responder>,
    cut_uploads_after: Option<u64>,
}

pub struct RecordingServer {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

pub struct ServerBuilder {
    cut_uploads_after: Option<u64>,
}

impl ServerBuilder {
    /// Drops the connection once this many body bytes of a request have arrived.
    pub fn cut_uploads_after(mut self, bytes: u64) -> Self {
        self.cut_uploads_after = Some(bytes);
        self
    }

    pub fn start(self, responder: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> RecordingServer {
        let shared = Arc::new(Shared {
            requests: Mutex::new(Vec::new()),
            cut: Mutex::new(Vec::new()),
            responder: Box::new(responder),
            cut_uploads_after: self.cut_uploads_after,
        });
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = shared.clone();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            runtime.block_on(serve(listener, serving, stopped));
        });
        RecordingServer { addr, shared, stop: Some(stop), thread: Some(thread) }
    }
}

impl RecordingServer {
    pub fn builder() -> ServerBuilder {
        ServerBuilder { cut_uploads_after: None }
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
        format!("http://{}/api", self.addr)
    }

    /// Every request answered so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// Returns the requests so far and forgets them.
    pub fn take(&self) -> Vec<Recorded> {
        std::mem::take(&mut *self.shared.requests.lock().unwrap())
    }

    /// Requests whose connection the server cut on purpose.
    pub fn cut_requests(&self) -> Vec<Recorded> {
        self.shared.cut.lock().unwrap().clone()
    }
}

impl Drop for RecordingServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(listener: std::net::TcpListener, shared: Arc<Shared>, mut stopped: tokio::sync::oneshot::Receiver<()>) {
    let listener = tokio::net::TcpListener::from_std(listener).unwrap();
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let shared = shared.clone();
                connections.spawn(async move {
                    let service = hyper::service::service_fn(move |req| handle(req, shared.clone()));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                        .await;
                });
            }
        }
    }
    connections.abort_all();
}

#[derive(Debug)]
struct Cut;
impl std::fmt::Display for Cut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection cut on purpose")
    }
}
impl std::error::Error for Cut {}

async fn handle(req: Request<Incoming>, shared: Arc<Shared>) -> Result<Response<Full<Bytes>>, Cut> {
    let (parts, mut body) = req.into_parts();
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
        body: RecordedBody::Empty,
        body_bytes: 0,
    };
    let content_type = recorded.header("content-type").unwrap_or("").to_string();
    let boundary = multer::parse_boundary(&content_type).ok();
    // Multipart bodies are parsed as they stream in, so 100 MB uploads cost no memory.
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(16);
    let parser = boundary.clone().map(|b| tokio::spawn(parse_multipart(rx, b)));
    let mut tx = Some(tx);
    let mut plain = Vec::new();
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else { break };
        let Ok(data) = frame.into_data() else { continue };
        recorded.body_bytes += data.len() as u64;
        if let Some(limit) = shared.cut_uploads_after {
            if recorded.body_bytes >= limit {
                shared.cut.lock().unwrap().push(recorded);
                return Err(Cut);
            }
        }
        match (&parser, tx.as_mut()) {
            (Some(_), Some(tx)) => {
                let _ = tx.send(Ok(data)).await;
            }
            _ => plain.extend_from_slice(&data),
        }
    }
    drop(tx);
    recorded.body = match parser {
        Some(parser) => RecordedBody::Multipart(parser.await.unwrap_or_default()),
        None if plain.is_empty() => RecordedBody::Empty,
        None => match serde_json::from_slice(&plain) {
            Ok(v) => RecordedBody::Json(v),
            Err(_) => RecordedBody::Other(String::from_utf8_lossy(&plain).into_owned()),
        },
    };
    let reply = (shared.responder)(&recorded);
    shared.requests.lock().unwrap().push(recorded);
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut response = Response::builder().status(reply.status);
    for (n, v) in &reply.headers {
        response = response.header(n, v);
    }
    Ok(response.body(Full::new(Bytes::from(reply.body))).unwrap())
}

async fn parse_multipart(
    rx: tokio::sync::mpsc::Receiver<Result<Bytes, std::io::Error>>,
    boundary: String,
) -> Vec<RecordedPart> {
    let chunks = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|c| (c, rx)) });
    let mut multipart = multer::Multipart::new(chunks, boundary);
    let mut parts = Vec::new();
    while let Ok(Some(mut field)) = multipart.next_field().await {
        let name = field.name().unwrap_or("").to_string();
        let filename = field.file_name().map(str::to_string);
        let content_type = field.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_string);
        let (mut len, mut digest, mut head) = (0u64, 0xcbf29ce484222325u64, Vec::new());
        while let Some(Ok(chunk)) = field.next().await {
            len += chunk.len() as u64;
            for b in chunk.iter() {
                digest = (digest ^ *b as u64).wrapping_mul(0x100000001b3);
            }
            if filename.is_none() && head.len() < 64 * 1024 {
                head.extend_from_slice(&chunk);
            }
        }
        let text = filename.is_none().then(|| String::from_utf8_lossy(&head).into_owned());
        parts.push(RecordedPart { name, filename, content_type, len, digest, text });
    }
    parts
}

/// FNV-1a of bytes, as [`RecordedPart::digest`] computes it.
pub fn digest(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325u64, |d, b| (d ^ *b as u64).wrapping_mul(0x100000001b3))
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
