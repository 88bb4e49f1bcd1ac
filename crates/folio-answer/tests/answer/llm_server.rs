//! A loopback server speaking the real wire protocols of Ollama (`/api/tags`,
//! `/api/chat` as chunked NDJSON) and OpenAI (`/v1/models`, `/v1/chat/completions` as
//! server-sent events), with the failures the providers must survive: a model that is
//! not there, a connection cut mid-answer, a server that stops sending.

use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone, Debug)]
pub struct Script {
    pub models: Vec<String>,
    /// The answer, as the pieces it is streamed in.
    pub pieces: Vec<String>,
    /// Close the connection (no final chunk) after this many pieces.
    pub cut_after: Option<usize>,
    /// Stop sending (but keep the connection) after this many pieces.
    pub stall_after: Option<usize>,
}

impl Script {
    pub fn answering(pieces: &[&str]) -> Script {
        Script {
            models: vec!["llama3.2:latest".into(), "gpt-test".into()],
            pieces: pieces.iter().map(|s| s.to_string()).collect(),
            cut_after: None,
            stall_after: None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Seen {
    pub path: String,
    pub authorization: Option<String>,
    pub body: Value,
}

pub struct LlmServer {
    pub url: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

pub async fn start(script: Script) -> LlmServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else { return };
            let (script, log) = (script.clone(), log.clone());
            tokio::spawn(async move {
                let _ = serve(socket, script, log).await;
            });
        }
    });
    LlmServer { url, seen }
}

async fn serve(mut socket: TcpStream, script: Script, log: Arc<Mutex<Vec<Seen>>>) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut tmp = [0u8; 4096];
    let head_end = loop {
        let n = socket.read(&mut tmp).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&tmp[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    };
    let length: usize = header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    while buf.len() < head_end + length {
        let n = socket.read(&mut tmp).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&tmp[..n]);
    }
    let body: Value = serde_json::from_slice(&buf[head_end..]).unwrap_or(Value::Null);
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    log.lock().unwrap().push(Seen { path: path.clone(), authorization: header("authorization"), body: body.clone() });
    let model = body["model"].as_str().unwrap_or("").to_string();
    let known = script.models.contains(&model);
    match path.as_str() {
        "/api/tags" => {
            let models: Vec<Value> = script
                .models
                .iter()
                .map(|m| json!({"name": m, "model": m, "size": 2019393189u64, "details": {"family": "llama"}}))
                .collect();
            plain(&mut socket, 200, &json!({"models": models})).await
        }
        "/v1/models" => {
            let data: Vec<Value> = script
                .models
                .iter()
                .map(|m| json!({"id": m, "object": "model", "created": 1700000000, "owned_by": "folio-test"}))
                .collect();
            plain(&mut socket, 200, &json!({"object": "list", "data": data})).await
        }
        "/api/chat" if !known => {
            plain(&mut socket, 404, &json!({"error": format!("model \"{model}\" not found, try pulling it first")}))
                .await
        }
        "/v1/chat/completions" if !known => {
            let e = json!({"error": {"message": format!("The model `{model}` does not exist or you do not have access to it."), "type": "invalid_request_error", "param": null, "code": "model_not_found"}});
            plain(&mut socket, 404, &e).await
        }
        "/api/chat" => {
            let events: Vec<String> = script
                .pieces
                .iter()
                .map(|p| json!({"model": model, "created_at": "2024-01-01T00:00:00Z", "message": {"role": "assistant", "content": p}, "done": false}).to_string() + "\n")
                .collect();
            let last = json!({"model": model, "created_at": "2024-01-01T00:00:01Z", "message": {"role": "assistant", "content": ""}, "done_reason": "stop", "done": true, "total_duration": 1000}).to_string() + "\n";
            stream(&mut socket, "application/x-ndjson", events, last, &script).await
        }
        "/v1/chat/completions" => {
            let chunk = |delta: Value, finish: Value| json!({"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1700000000, "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]});
            let mut events =
                vec![format!("data: {}\n\n", chunk(json!({"role": "assistant", "content": ""}), Value::Null))];
            events.extend(
                script.pieces.iter().map(|p| format!("data: {}\n\n", chunk(json!({"content": p}), Value::Null))),
            );
            let last = format!("data: {}\n\ndata: [DONE]\n\n", chunk(json!({}), json!("stop")));
            stream(&mut socket, "text/event-stream", events, last, &script).await
        }
        _ => plain(&mut socket, 404, &json!({"error": "not found"})).await,
    }
}

async fn plain(socket: &mut TcpStream, status: u16, body: &Value) -> std::io::Result<()> {
    let body = body.to_string();
    let reason = if status == 200 { "OK" } else { "Not Found" };
    let head = format!("HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
    socket.write_all(head.as_bytes()).await?;
    socket.write_all(body.as_bytes()).await?;
    socket.shutdown().await
}

/// A chunked body, one chunk per event, flushed one by one as a real server streams.
async fn stream(
    socket: &mut TcpStream,
    content_type: &str,
    events: Vec<String>,
    last: String,
    script: &Script,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    socket.write_all(head.as_bytes()).await?;
    // The first event carries no text for OpenAI (the role); count text pieces only.
    let offset = events.len() - script.pieces.len();
    for (i, e) in events.iter().enumerate() {
        let pieces_sent = i.saturating_sub(offset);
        if i >= offset && script.cut_after == Some(pieces_sent) {
            // Gone mid-answer: no last chunk, no [DONE].
            return Ok(());
        }
        if i >= offset && script.stall_after == Some(pieces_sent) {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
        socket.write_all(format!("{:x}\r\n{e}\r\n", e.len()).as_bytes()).await?;
        socket.flush().await?;
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    socket.write_all(format!("{:x}\r\n{last}\r\n0\r\n\r\n", last.len()).as_bytes()).await?;
    socket.flush().await
}
