//! `folio serve` killed with SIGKILL (no chance to clean up) while an upload is arriving,
//! twenty times over on the same data folder: after each kill the database passes
//! `PRAGMA integrity_check`, the folder opens again, and every upload that was answered
//! 2xx before the kill is still listed with its document.

mod serve;

use serde_json::Value;
use serve::Serving;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

const TOKEN: &str = "crash-token-0123456789abcdef";
const KILLS: usize = 20;

fn multipart(name: &str, file_name: &str, file: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--B\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n{name}\r\n--B\r\nContent-Disposition: form-data; \
         name=\"files\"; filename=\"{file_name}\"\r\nContent-Type: text/plain\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(b"\r\n--B--\r\n");
    body
}

fn upload_head(address: &str, length: usize) -> String {
    format!(
        "POST /api/v2/conversations HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {TOKEN}\r\n\
         Content-Type: multipart/form-data; boundary=B\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"
    )
}

/// Status and JSON body of a whole exchange on a fresh connection.
fn exchange(address: &str, head: &str, body: &[u8]) -> (u16, Value) {
    let mut tcp = TcpStream::connect(address).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    tcp.write_all(head.as_bytes()).unwrap();
    tcp.write_all(body).unwrap();
    let mut answer = Vec::new();
    tcp.read_to_end(&mut answer).unwrap();
    let text = String::from_utf8_lossy(&answer);
    let status = text.get(9..12).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("no status in {text:?}"));
    let json = text.split_once("\r\n\r\n").and_then(|(_, b)| serde_json::from_str(b).ok()).unwrap_or(Value::Null);
    (status, json)
}

fn list(address: &str) -> Vec<String> {
    let head = format!(
        "GET /api/v2/conversations HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {TOKEN}\r\nConnection: close\r\n\r\n"
    );
    let (status, body) = exchange(address, &head, b"");
    assert_eq!(status, 200, "{body}");
    body["conversations"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_string()).collect()
}

fn documents(address: &str, id: &str) -> usize {
    let head = format!(
        "GET /api/v2/conversations/{id} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {TOKEN}\r\nConnection: close\r\n\r\n"
    );
    let (status, body) = exchange(address, &head, b"");
    assert_eq!(status, 200, "{body}");
    body["documents"].as_array().map_or(0, |d| d.len())
}

fn integrity(data: &Path) -> String {
    let store = folio_engine::store::Store::open(data).expect("the data folder opens after a kill");
    store.health().unwrap().integrity
}

#[test]
fn kill_9_during_uploads_loses_nothing_acknowledged_and_never_corrupts_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let big: Vec<u8> = "Pages of notes about the heron migration.\n".repeat(50_000).into_bytes();
    let mut acknowledged: Vec<String> = Vec::new();
    for round in 0..KILLS {
        let mut server = Serving::start(&data, &["--token", TOKEN], &[]);
        let address = server.address.clone();
        // The folder opened again with everything acknowledged before.
        let listed = list(&address);
        for id in &acknowledged {
            assert!(listed.contains(id), "round {round}: acknowledged conversation {id} is gone; listed {listed:?}");
            assert_eq!(documents(&address, id), 1, "round {round}: conversation {id} lost its document");
        }

        let small = format!("Round {round}: the kickoff meeting is on the third of March.\n");
        let body = multipart(&format!("acked {round}"), "notes.txt", small.as_bytes());
        let (status, created) = exchange(&address, &upload_head(&address, body.len()), &body);
        assert_eq!(status, 201, "round {round}: {created}");
        acknowledged.push(created["id"].as_str().unwrap().to_string());

        // The upload the kill lands in: headers only, part of the body, all of it
        // unanswered, or all of it and a moment for the server to store it.
        let body = multipart(&format!("in flight {round}"), "big notes.txt", &big);
        let mut tcp = TcpStream::connect(&address).unwrap();
        tcp.write_all(upload_head(&address, body.len()).as_bytes()).unwrap();
        let sent = match round % 4 {
            0 => 0,
            1 => body.len() / 2,
            _ => body.len(),
        };
        tcp.write_all(&body[..sent]).unwrap();
        std::thread::sleep(Duration::from_millis(if round % 4 == 3 { 150 } else { 30 }));
        server.child.kill().unwrap();
        server.child.wait().unwrap();
        drop(tcp);

        assert_eq!(integrity(&data), "ok", "round {round}: the store is damaged after kill -9");
    }
    let server = Serving::start(&data, &["--token", TOKEN], &[]);
    let listed = list(&server.address);
    for id in &acknowledged {
        assert!(listed.contains(id), "acknowledged conversation {id} is gone after {KILLS} kills");
    }
    assert_eq!(acknowledged.len(), KILLS);
}
