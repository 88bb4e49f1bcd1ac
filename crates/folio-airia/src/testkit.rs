//! A real HTTP/1.1 server on 127.0.0.1 that records every request as it arrives (method,
//! raw path and query, headers, JSON body) and answers from a function the test chooses,
//! including answers streamed in timed chunks and answers cut off mid-stream (the
//! connection is dropped before the chunked body's end). It runs on its own thread and
//! runtime, so tests may drive it from blocking code (the CLI, the Python SDK) or async.

use bytes::Bytes;
use http_body_util::{combinators::BoxBody, BodyExt, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::{Request, Response};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub enum RecordedBody {
    Empty,
    Json(Value),
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
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    /// The Content-Type without parameters.
    pub fn media_type(&self) -> Option<String> {
        self.header("content-type").map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
    }
    pub fn json(&self) -> Option<&Value> {
        match &self.body {
            RecordedBody::Json(v) => Some(v),
            _ => None,
        }
    }
}

/// What the server answers: a status, headers, and a body sent as chunks, each after a
/// pause; `cut` drops the connection after the last chunk instead of ending the body.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub chunks: Vec<(Duration, Vec<u8>)>,
    /// Wait this long before even the status line (slow-server tests).
    pub delay: Duration,
    pub cut: bool,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Self {
        Reply::bytes(status, "application/json", body.to_string().into_bytes())
    }
    pub fn empty(status: u16) -> Self {
        Reply { status, headers: vec![], chunks: vec![], delay: Duration::ZERO, cut: false }
    }
    pub fn text(status: u16, content_type: &str, body: &str) -> Self {
        Reply::bytes(status, content_type, body.as_bytes().to_vec())
    }
    fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        Reply {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            chunks: vec![(Duration::ZERO, body)],
            delay: Duration::ZERO,
            cut: false,
        }
    }
    /// An event stream: one `event:`/`data:` block per event, one chunk per block.
    pub fn sse(events: &[(&str, Value)]) -> Self {
        let chunks =
            events.iter().map(|(e, d)| (Duration::ZERO, format!("event: {e}\ndata: {d}\n\n").into_bytes())).collect();
        Reply {
            status: 200,
            headers: vec![("content-type".into(), "text/event-stream".into())],
            chunks,
            delay: Duration::ZERO,
            cut: false,
        }
    }
    /// Re-chunks the body into pieces of `size` bytes (splitting blocks, lines and
    /// UTF-8 characters wherever they fall).
    pub fn rechunk(mut self, size: usize) -> Self {
        let all: Vec<u8> = self.chunks.iter().flat_map(|(_, c)| c.clone()).collect();
        self.chunks = all.chunks(size.max(1)).map(|c| (Duration::ZERO, c.to_vec())).collect();
        self
    }
    /// Pauses this long before every chunk.
    pub fn paced(mut self, pause: Duration) -> Self {
        for chunk in &mut self.chunks {
            chunk.0 = pause;
        }
        self
    }
    /// Keeps only the first `bytes` bytes of the body and then drops the connection.
    pub fn cut_after(mut self, bytes: usize) -> Self {
        let all: Vec<u8> = self.chunks.iter().flat_map(|(_, c)| c.clone()).collect();
        let pause = self.chunks.first().map(|c| c.0).unwrap_or_default();
        self.chunks = all[..bytes.min(all.len())].chunks(7).map(|c| (pause, c.to_vec())).collect();
        self.cut = true;
        self
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
    responder: Box<Responder>,
    /// Answer bodies still being sent: drops to zero when a client hangs up early.
    open_bodies: AtomicUsize,
}

/// Counts an answer body as open for as long as the server still holds it.
struct OpenBody(Arc<Shared>);
impl Drop for OpenBody {
    fn drop(&mut self) {
        self.0.open_bodies.fetch_sub(1, Ordering::SeqCst);
    }
}

pub struct RecordingServer {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RecordingServer {
    pub fn start(responder: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Self {
        let shared = Arc::new(Shared {
            requests: Mutex::new(Vec::new()),
            responder: Box::new(responder),
            open_bodies: AtomicUsize::new(0),
        });
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).expect("non-blocking listener");
        let addr = listener.local_addr().expect("local address");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = shared.clone();
        let thread = std::thread::spawn(move || {
            let runtime =
                tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
            runtime.block_on(serve(listener, serving, stopped));
        });
        RecordingServer { addr, shared, stop: Some(stop), thread: Some(thread) }
    }

    /// A server that answers like Airia does on success (see [`airia_reply`]).
    pub fn airia() -> Self {
        Self::start(airia_reply)
    }

    /// The base URL to give a client, with the trailing slash: `http://127.0.0.1:PORT/api/`.
    pub fn base_url(&self) -> String {
        format!("http://{}/api/", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.requests.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// How many answer bodies the server is still sending (a streamed answer the client
    /// stopped reading is dropped by hyper once the connection closes).
    pub fn open_bodies(&self) -> usize {
        self.shared.open_bodies.load(Ordering::SeqCst)
    }

    /// Returns the requests so far and forgets them.
    pub fn take(&self) -> Vec<Recorded> {
        std::mem::take(&mut *self.shared.requests.lock().unwrap_or_else(|p| p.into_inner()))
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

/// The words of the default streamed answer, one fragment each.
pub const STREAMED_WORDS: [&str; 6] = ["The ", "range ", "is ", "set ", "with ", "range [1]."];

/// Airia's success answers, shaped as the SDK's response models expect them.
pub fn airia_reply(r: &Recorded) -> Reply {
    let path = r.path.as_str();
    let tail = |marker: &str| path.split_once(marker).map(|(_, t)| t.to_string());
    match (r.method.as_str(), tail("/v1/Conversations"), tail("/v2/PipelineExecution/"), tail("/v1/PipelinesConfig/")) {
        ("POST", Some(t), _, _) if t.is_empty() => {
            let body = r.json().cloned().unwrap_or(json!({}));
            Reply::json(
                200,
                json!({
                    "userId": body.get("userId").cloned().unwrap_or(json!("u")),
                    "conversationId": "a1b2c3d4-0000-4000-8000-000000000001",
                    "websocketUrl": "wss://example.invalid/ws",
                    "deploymentId": body.get("deploymentId").cloned().unwrap_or(json!(null)).as_str().unwrap_or("d-default"),
                    "iconId": null, "iconUrl": null, "description": null, "spaceName": "Default"
                }),
            )
        }
        ("GET", Some(t), _, _) if t.len() > 1 => Reply::json(
            200,
            json!({
                "userId": "u", "conversationId": &t[1..], "title": "Manuals",
                "messages": [
                    {"id": "m1", "conversationId": &t[1..], "createdAt": "2025-01-01T00:00:00Z", "updatedAt": "2025-01-01T00:00:00Z", "role": "user", "message": "How?"},
                    {"id": "m2", "conversationId": &t[1..], "createdAt": "2025-01-01T00:00:01Z", "updatedAt": "2025-01-01T00:00:01Z", "role": "assistant", "message": "Like this [1]."}
                ],
                "dataSourceFiles": {}, "isBookmarked": false, "websocketUrl": null, "deploymentId": null,
                "lastExecutionStatus": null, "lastExecutionId": null
            }),
        ),
        ("DELETE", Some(t), _, _) if t.len() > 1 => Reply::empty(200),
        ("POST", _, Some(_), _) => {
            let stream = r.json().and_then(|b| b.get("asyncOutput")).and_then(Value::as_bool).unwrap_or(false);
            if stream {
                streamed_answer(&STREAMED_WORDS)
            } else {
                Reply::json(
                    200,
                    json!({"result": STREAMED_WORDS.concat(), "report": null, "isBackupPipeline": false,
                           "executionId": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "userInputId": null, "files": null, "images": null}),
                )
            }
        }
        ("GET", _, _, Some(id)) => Reply::json(200, json!({"id": id, "name": "Docs agent"})),
        _ => Reply::json(404, json!({"message": format!("no route {} {}", r.method, r.path)})),
    }
}

/// A complete streamed answer in Airia's event types: start, a ping, one fragment per
/// word, the stream's end, the step's output and the agent's end.
pub fn streamed_answer(words: &[&str]) -> Reply {
    let ids = json!({"agentId": "ag", "executionId": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "stepId": "st", "streamId": "sm"});
    let with = |extra: Value| {
        let mut v = ids.clone();
        v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        v
    };
    let mut events: Vec<(&str, Value)> = vec![
        ("AgentStartMessage", json!({"agentId": "ag", "executionId": "3fa85f64-5717-4562-b3fc-2c963f66afa6"})),
        ("AgentModelStreamStartMessage", with(json!({"modelName": "gpt"}))),
        ("AgentPingMessage", json!({"timestamp": "2025-01-01T00:00:00Z"})),
    ];
    for (i, w) in words.iter().enumerate() {
        events.push(("AgentModelStreamFragmentMessage", with(json!({"index": i, "content": w}))));
    }
    events.push(("AgentModelStreamEndMessage", with(json!({"contentId": "c1", "duration": 1.5}))));
    events.push(("AgentOutputMessage", json!({"agentId": "ag", "executionId": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "stepId": "st", "stepType": "AIOperation", "stepResult": words.concat()})));
    events.push(("AgentEndMessage", json!({"agentId": "ag", "executionId": "3fa85f64-5717-4562-b3fc-2c963f66afa6"})));
    Reply::sse(&events)
}

async fn serve(listener: std::net::TcpListener, shared: Arc<Shared>, mut stopped: tokio::sync::oneshot::Receiver<()>) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
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
pub struct Cut;
impl std::fmt::Display for Cut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection cut on purpose")
    }
}
impl std::error::Error for Cut {}

async fn handle(req: Request<Incoming>, shared: Arc<Shared>) -> Result<Response<BoxBody<Bytes, Cut>>, Cut> {
    let (parts, body) = req.into_parts();
    let headers = parts
        .headers
        .iter()
        .map(|(n, v)| (n.as_str().to_ascii_lowercase(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let bytes = body.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    let recorded = Recorded {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        headers,
        body: if bytes.is_empty() {
            RecordedBody::Empty
        } else {
            match serde_json::from_slice(&bytes) {
                Ok(v) => RecordedBody::Json(v),
                Err(_) => RecordedBody::Other(String::from_utf8_lossy(&bytes).into_owned()),
            }
        },
    };
    let reply = (shared.responder)(&recorded);
    shared.requests.lock().unwrap_or_else(|p| p.into_inner()).push(recorded);
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let (cut, chunks) = (reply.cut, reply.chunks);
    shared.open_bodies.fetch_add(1, Ordering::SeqCst);
    let open = OpenBody(shared.clone());
    let stream = futures_util::stream::unfold(
        (chunks.into_iter(), cut, false, open),
        |(mut rest, cut, done, open)| async move {
            if done {
                return None;
            }
            match rest.next() {
                Some((pause, bytes)) => {
                    if !pause.is_zero() {
                        tokio::time::sleep(pause).await;
                    }
                    Some((Ok(Frame::data(Bytes::from(bytes))), (rest, cut, false, open)))
                }
                // An error ends the body without its last chunk: the client sees a cut.
                None if cut => {
                    // Let what was sent reach the client first, as a real cut would.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Some((Err(Cut), (rest, cut, true, open)))
                }
                None => None,
            }
        },
    );
    let mut response = Response::builder().status(reply.status);
    for (name, value) in &reply.headers {
        response = response.header(name, value);
    }
    Ok(response.body(BodyExt::boxed(StreamBody::new(stream))).expect("a valid response"))
}
