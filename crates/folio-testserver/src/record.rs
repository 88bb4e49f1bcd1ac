//! What the server keeps of each request: method, raw path and query, headers and the
//! body (JSON, text, or multipart parts). File parts are kept as length + digest, not
//! bytes, and multipart bodies are parsed as they stream in, so 100+ MB uploads are cheap.

use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use serde_json::Value;

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
    /// The HTTP method; for WebSockets "WS" (a frame the client sent), "WS-OPEN" (the
    /// handshake, shown to the HTTP responder only) and "WS-GONE" (the client went away).
    pub method: String,
    /// Exactly as sent, percent-encoding included.
    pub path: String,
    pub query: Option<String>,
    /// Names lower-cased, in arrival order (for WebSocket frames, the handshake's).
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

    pub fn json(&self) -> Option<&Value> {
        match &self.body {
            RecordedBody::Json(v) => Some(v),
            _ => None,
        }
    }

    /// The body as one JSON value: `Null` when empty, a string when it is not JSON.
    pub fn value(&self) -> Value {
        match &self.body {
            RecordedBody::Empty | RecordedBody::Multipart(_) => Value::Null,
            RecordedBody::Json(v) => v.clone(),
            RecordedBody::Other(text) => Value::String(text.clone()),
        }
    }

    pub fn parts(&self) -> &[RecordedPart] {
        match &self.body {
            RecordedBody::Multipart(parts) => parts,
            _ => &[],
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

/// FNV-1a of bytes, as [`RecordedPart::digest`] computes it.
pub fn digest(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_OFFSET, |d, b| (d ^ *b as u64).wrapping_mul(FNV_PRIME))
}

const FNV_OFFSET: u64 = 0xcbf29ce484222325;
const FNV_PRIME: u64 = 0x100000001b3;

/// A request's head, with no body yet.
pub(crate) fn head<B>(req: &hyper::Request<B>) -> Recorded {
    Recorded {
        method: req.method().to_string(),
        path: req.uri().path().to_string(),
        query: req.uri().query().map(str::to_string),
        headers: req
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str().to_ascii_lowercase(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect(),
        body: RecordedBody::Empty,
        body_bytes: 0,
    }
}

/// A body as a WebSocket frame or a whole request body: JSON when it parses, else text.
pub(crate) fn parse(bytes: &[u8]) -> RecordedBody {
    match serde_json::from_slice(bytes) {
        Ok(v) => RecordedBody::Json(v),
        Err(_) => RecordedBody::Other(String::from_utf8_lossy(bytes).into_owned()),
    }
}

/// The upload reached the byte count after which the server cuts the connection.
pub(crate) struct UploadCut;

/// Reads the body into `recorded`, stopping with [`UploadCut`] once `cut_after` bytes
/// (if given) have arrived.
pub(crate) async fn read_body(
    recorded: &mut Recorded,
    mut body: Incoming,
    cut_after: Option<u64>,
) -> Result<(), UploadCut> {
    let boundary = multer::parse_boundary(recorded.header("content-type").unwrap_or("")).ok();
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(16);
    let parser = boundary.map(|b| tokio::spawn(parse_multipart(rx, b)));
    let mut plain = Vec::new();
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else { break };
        let Ok(data) = frame.into_data() else { continue };
        recorded.body_bytes += data.len() as u64;
        if cut_after.is_some_and(|limit| recorded.body_bytes >= limit) {
            return Err(UploadCut);
        }
        match parser {
            Some(_) => {
                let _ = tx.send(Ok(data)).await;
            }
            None => plain.extend_from_slice(&data),
        }
    }
    drop(tx);
    recorded.body = match parser {
        Some(parser) => RecordedBody::Multipart(parser.await.unwrap_or_default()),
        None if plain.is_empty() => RecordedBody::Empty,
        None => parse(&plain),
    };
    Ok(())
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
        let (mut len, mut digest, mut head) = (0u64, FNV_OFFSET, Vec::new());
        while let Some(Ok(chunk)) = field.next().await {
            len += chunk.len() as u64;
            for b in chunk.iter() {
                digest = (digest ^ *b as u64).wrapping_mul(FNV_PRIME);
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
