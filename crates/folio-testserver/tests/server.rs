//! The shared server's own promises, spoken to over a raw socket (the remote crates'
//! tests exercise it through their clients).

use folio_testserver::{Recorded, RecordedBody, Reply, Server, WsAction};
use serde_json::json;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Sends raw bytes and returns everything the server sent until it closed the connection.
fn exchange(server: &Server, request: &str) -> String {
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn requests_are_recorded_as_sent_and_whole_replies_carry_a_length() {
    let server = Server::start(|r: &Recorded| Reply::json(201, json!({"path": r.path})).with_header("x-seen", "1"));
    let body = r#"{"a": 1}"#;
    let answer = exchange(
        &server,
        &format!(
            "POST /api/v%202?x=1&y HTTP/1.1\r\nHost: h\r\nX-Key: K\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    assert!(answer.to_ascii_lowercase().contains("content-length: 21"), "{answer}");
    assert!(answer.contains("x-seen: 1") && answer.ends_with(r#"{"path":"/api/v%202"}"#), "{answer}");
    let [r] = server.take().try_into().unwrap();
    assert_eq!((r.method.as_str(), r.path.as_str(), r.query.as_deref()), ("POST", "/api/v%202", Some("x=1&y")));
    assert_eq!(r.header("x-key"), Some("K"));
    assert_eq!(r.body, RecordedBody::Json(json!({"a": 1})));
    assert_eq!((r.body_bytes, r.value()), (8, json!({"a": 1})));
    assert!(server.requests().is_empty(), "take forgets");
}

#[test]
fn a_cut_reply_sends_its_first_bytes_and_never_the_chunked_end() {
    let server = Server::start(|_| Reply::plain(200, "0123456789abcdef").cut_after(10));
    let answer = exchange(&server, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    assert!(answer.to_ascii_lowercase().contains("transfer-encoding: chunked"), "{answer}");
    let (_, body) = answer.split_once("\r\n\r\n").unwrap();
    assert_eq!(body, "7\r\n0123456\r\n3\r\n789\r\n", "ten bytes in chunks of 7, and no last chunk");
    // The server lets go of the body once the connection is gone.
    let since = std::time::Instant::now();
    while server.open_bodies() > 0 && since.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(server.open_bodies(), 0);
}

#[test]
fn an_upload_past_the_limit_is_cut_and_kept_apart() {
    let server = Server::builder().cut_uploads_after(4).start(|_| Reply::empty(200));
    let answer = exchange(&server, "PUT /f HTTP/1.1\r\nHost: h\r\nContent-Length: 9\r\n\r\n123456789");
    assert!(answer.is_empty(), "no answer, only a closed connection: {answer}");
    assert!(server.requests().is_empty());
    assert_eq!(server.cut_requests()[0].path, "/f");
}

#[test]
fn a_websocket_handshake_is_put_to_the_http_responder_first() {
    let server = Server::builder().websocket(|_| vec![WsAction::Close]).start(|r| {
        if r.method == "WS-OPEN" {
            Reply::plain(500, "no sockets today")
        } else {
            Reply::empty(404)
        }
    });
    let answer = exchange(
        &server,
        "GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\
         Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nConnection: close\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 500") && answer.ends_with("no sockets today"), "{answer}");

    let server = Server::builder().websocket(|_| vec![WsAction::Close]).start(|_| Reply::empty(101));
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream
        .write_all(
            b"GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\
              Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        )
        .unwrap();
    let mut head = [0u8; 512];
    let n = stream.read(&mut head).unwrap();
    let head = String::from_utf8_lossy(&head[..n]);
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    // The accept key of RFC 6455's own example.
    assert!(head.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), "{head}");
}
