//! Shared by the tests: the generated GGUF model and a real HTTP file server on loopback.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The tiny random-weight model scripts/setup.d/50-models.sh generates.
pub fn tiny_model() -> PathBuf {
    let path = std::env::var_os("FOLIO_TEST_GGUF").map(PathBuf::from).unwrap_or_else(|| {
        panic!(
            "FOLIO_TEST_GGUF is not set: run `source scripts/setup.sh` (scripts/setup.d/50-models.sh generates the random-weight test models) and try again"
        )
    });
    assert!(path.is_file(), "FOLIO_TEST_GGUF={} does not exist: rerun scripts/setup.sh (50-models.sh)", path.display());
    path
}

/// How the file server misbehaves, to test the downloader's answers.
#[derive(Default, Clone)]
pub struct Behaviour {
    /// Close the connection after this many body bytes, on the first N requests.
    pub cut_after: Option<usize>,
    pub cut_requests: usize,
    /// Answer 200 with the whole file even when a Range is asked.
    pub ignore_range: bool,
    /// The sha256 sent as X-Linked-ETag (Hugging Face's way of publishing it).
    pub published_sha: Option<String>,
    /// Send no Content-Length: the body ends when the connection closes.
    pub no_length: bool,
}

pub struct FileServer {
    pub url: String,
    /// The Range header of each request, in order ("" when none).
    pub ranges: Arc<Mutex<Vec<String>>>,
    pub requests: Arc<AtomicUsize>,
}

/// Serves `files` (path -> bytes) on 127.0.0.1, honouring `Range: bytes=N-` with 206.
pub async fn serve(files: Vec<(String, Vec<u8>)>, behaviour: Behaviour) -> FileServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let ranges = Arc::new(Mutex::new(Vec::new()));
    let requests = Arc::new(AtomicUsize::new(0));
    let files = Arc::new(files);
    let (r, n) = (ranges.clone(), requests.clone());
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let (files, ranges, requests, b) = (files.clone(), r.clone(), n.clone(), behaviour.clone());
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if sock.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).to_string();
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                let range = head
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("range:").map(|v| v.trim().to_string()))
                    .unwrap_or_default();
                ranges.lock().unwrap().push(range.clone());
                let index = requests.fetch_add(1, Ordering::SeqCst);
                let Some((_, body)) = files.iter().find(|(p, _)| *p == path) else {
                    let _ = sock
                        .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .await;
                    return;
                };
                let start = range
                    .strip_prefix("bytes=")
                    .and_then(|r| r.trim_end_matches('-').parse::<usize>().ok())
                    .filter(|_| !b.ignore_range);
                let sha = b.published_sha.as_ref().map(|s| format!("X-Linked-ETag: \"{s}\"\r\n")).unwrap_or_default();
                let (status, slice) = match start {
                    Some(s) if s >= body.len() => {
                        let _ = sock
                            .write_all(format!("HTTP/1.1 416 Range Not Satisfiable\r\n{sha}Content-Range: bytes */{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", body.len()).as_bytes())
                            .await;
                        return;
                    }
                    Some(s) => (
                        format!("206 Partial Content\r\nContent-Range: bytes {s}-{}/{}", body.len() - 1, body.len()),
                        &body[s..],
                    ),
                    None => ("200 OK".to_string(), &body[..]),
                };
                let length = if b.no_length { String::new() } else { format!("Content-Length: {}\r\n", slice.len()) };
                let head = format!("HTTP/1.1 {status}\r\n{sha}{length}Connection: close\r\n\r\n");
                let _ = sock.write_all(head.as_bytes()).await;
                let send = match b.cut_after {
                    Some(cut) if index < b.cut_requests => &slice[..cut.min(slice.len())],
                    _ => slice,
                };
                for piece in send.chunks(16 * 1024) {
                    if sock.write_all(piece).await.is_err() {
                        return;
                    }
                }
                let _ = sock.flush().await;
            });
        }
    });
    FileServer { url, ranges, requests }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
