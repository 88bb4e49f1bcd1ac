//! The server itself: what a test configures, and each request's way from recording to
//! the scripted reply.

use crate::listen::{self, Running};
use crate::record::{self, Recorded};
use crate::reply::{Cut, Reply, ReplyBody};
use crate::ws::{self, WsAction};
use hyper::body::Incoming;
use hyper::Request;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

type HttpResponder = dyn Fn(&Recorded) -> Reply + Send + Sync;
type WsResponder = dyn Fn(&Recorded) -> Vec<WsAction> + Send + Sync;

pub(crate) struct Shared {
    requests: Mutex<Vec<Recorded>>,
    /// Requests whose connection was cut on purpose, counted separately.
    cut: Mutex<Vec<Recorded>>,
    pub(crate) http: Box<HttpResponder>,
    pub(crate) ws: Option<Box<WsResponder>>,
    cut_uploads_after: Option<u64>,
    /// Answer bodies still being sent: drops to zero when a client hangs up early.
    pub(crate) open_bodies: Arc<AtomicUsize>,
}

impl Shared {
    pub(crate) fn record(&self, recorded: Recorded) {
        lock(&self.requests).push(recorded);
    }
}

/// A panicking responder must not hide what was recorded before it.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A recording server on loopback; dropping it stops it.
pub struct Server {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    _running: Running,
}

pub struct ServerBuilder {
    listener: Option<std::net::TcpListener>,
    cut_uploads_after: Option<u64>,
    ws: Option<Box<WsResponder>>,
}

impl ServerBuilder {
    /// Serves on a listener the test bound (to choose the port) instead of a fresh one.
    pub fn on(mut self, listener: std::net::TcpListener) -> Self {
        self.listener = Some(listener);
        self
    }

    /// Drops the connection once this many body bytes of a request have arrived.
    pub fn cut_uploads_after(mut self, bytes: u64) -> Self {
        self.cut_uploads_after = Some(bytes);
        self
    }

    /// Accepts WebSocket handshakes (when the HTTP responder answers "WS-OPEN" with a
    /// 101) and answers each frame a client sends with `ws`'s actions.
    pub fn websocket(mut self, ws: impl Fn(&Recorded) -> Vec<WsAction> + Send + Sync + 'static) -> Self {
        self.ws = Some(Box::new(ws));
        self
    }

    pub fn start(self, http: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Server {
        let shared = Arc::new(Shared {
            requests: Mutex::new(Vec::new()),
            cut: Mutex::new(Vec::new()),
            http: Box::new(http),
            ws: self.ws,
            cut_uploads_after: self.cut_uploads_after,
            open_bodies: Arc::new(AtomicUsize::new(0)),
        });
        let serving = shared.clone();
        let listener = self.listener.unwrap_or_else(listen::loopback);
        let (addr, running) = listen::spawn(listener, move |stream| {
            let shared = serving.clone();
            async move {
                let service = hyper::service::service_fn(move |req| handle(req, shared.clone()));
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .with_upgrades()
                    .await;
            }
        });
        Server { addr, shared, _running: running }
    }
}

impl Server {
    pub fn builder() -> ServerBuilder {
        ServerBuilder { listener: None, cut_uploads_after: None, ws: None }
    }

    pub fn start(http: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Self {
        Self::builder().start(http)
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Every request answered so far (and every WebSocket frame received), in order.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared.requests).clone()
    }

    /// Returns the requests so far and forgets them.
    pub fn take(&self) -> Vec<Recorded> {
        std::mem::take(&mut *lock(&self.shared.requests))
    }

    /// Requests whose connection the server cut on purpose.
    pub fn cut_requests(&self) -> Vec<Recorded> {
        lock(&self.shared.cut).clone()
    }

    /// How many answer bodies the server is still sending (a streamed answer the client
    /// stopped reading is dropped by hyper once the connection closes).
    pub fn open_bodies(&self) -> usize {
        self.shared.open_bodies.load(Ordering::SeqCst)
    }
}

async fn handle(req: Request<Incoming>, shared: Arc<Shared>) -> Result<hyper::Response<ReplyBody>, Cut> {
    let mut recorded = record::head(&req);
    if shared.ws.is_some() && ws::is_upgrade(&recorded) {
        return Ok(ws::upgrade(req, recorded, shared).await);
    }
    let body = req.into_body();
    if record::read_body(&mut recorded, body, shared.cut_uploads_after).await.is_err() {
        lock(&shared.cut).push(recorded);
        return Err(Cut);
    }
    let reply = (shared.http)(&recorded);
    shared.record(recorded);
    Ok(reply.into_response(shared.open_bodies.clone()).await)
}
