//! Scripted answers and faults: a status, headers, a delay before the status line, and a
//! body sent as chunks, each after a pause, that may end in a dropped connection.

use bytes::Bytes;
use futures_util::Stream;
use hyper::body::{Body, Frame, SizeHint};
use serde_json::Value;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

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
        Reply::text(status, "application/json", &body.to_string())
    }
    pub fn empty(status: u16) -> Self {
        Reply { status, headers: vec![], chunks: vec![], delay: Duration::ZERO, cut: false }
    }
    pub fn text(status: u16, content_type: &str, body: &str) -> Self {
        Reply { chunks: vec![(Duration::ZERO, body.as_bytes().to_vec())], ..Reply::empty(status) }
            .with_header("content-type", content_type)
    }
    /// A `text/plain` body (Pieces OS's error bodies are plain text).
    pub fn plain(status: u16, body: &str) -> Self {
        Reply::text(status, "text/plain", body)
    }
    /// An event stream: one `event:`/`data:` block per event, one chunk per block.
    pub fn sse(events: &[(&str, Value)]) -> Self {
        let chunks =
            events.iter().map(|(e, d)| (Duration::ZERO, format!("event: {e}\ndata: {d}\n\n").into_bytes())).collect();
        Reply { chunks, ..Reply::empty(200) }.with_header("content-type", "text/event-stream")
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

    /// Sent whole, with a Content-Length: one chunk or none, no pause, no cut.
    fn is_whole(&self) -> bool {
        !self.cut && self.chunks.len() <= 1 && self.chunks.iter().all(|(pause, _)| pause.is_zero())
    }

    /// The response, after the reply's delay; its body counts in `open` while held.
    pub(crate) async fn into_response(self, open: Arc<AtomicUsize>) -> hyper::Response<ReplyBody> {
        if !self.delay.is_zero() {
            tokio::time::sleep(self.delay).await;
        }
        let mut response = hyper::Response::builder().status(self.status);
        for (name, value) in &self.headers {
            response = response.header(name, value);
        }
        response.body(ReplyBody::new(self, open)).expect("a valid response")
    }
}

/// The connection was dropped on purpose (a cut upload or answer).
#[derive(Debug)]
pub struct Cut;
impl std::fmt::Display for Cut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection cut on purpose")
    }
}
impl std::error::Error for Cut {}

/// Counts an answer body as open for as long as the server still holds it.
struct OpenBody(Arc<AtomicUsize>);
impl Drop for OpenBody {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

type Frames = Pin<Box<dyn Stream<Item = Result<Frame<Bytes>, Cut>> + Send>>;

/// A reply's body: its chunks after their pauses, then its end or (when cut) an error,
/// which makes hyper drop the connection before the body's end.
pub(crate) struct ReplyBody {
    frames: Frames,
    exact: Option<u64>,
}

impl ReplyBody {
    fn new(reply: Reply, open: Arc<AtomicUsize>) -> Self {
        let exact = reply.is_whole().then(|| reply.chunks.iter().map(|(_, c)| c.len() as u64).sum());
        open.fetch_add(1, Ordering::SeqCst);
        let open = OpenBody(open);
        let frames = futures_util::stream::unfold(
            (reply.chunks.into_iter(), reply.cut, false, open),
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
                    None if cut => {
                        // Let what was sent reach the client first, as a real cut would.
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Some((Err(Cut), (rest, cut, true, open)))
                    }
                    None => None,
                }
            },
        );
        ReplyBody { frames: Box::pin(frames), exact }
    }
}

impl Body for ReplyBody {
    type Data = Bytes;
    type Error = Cut;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Cut>>> {
        self.get_mut().frames.as_mut().poll_next(cx)
    }

    fn size_hint(&self) -> SizeHint {
        self.exact.map(SizeHint::with_exact).unwrap_or_default()
    }
}
