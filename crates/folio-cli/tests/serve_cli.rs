//! `folio serve` as a person runs it: loopback unless told otherwise, a generated token
//! printed once, the token required and never logged, and Ctrl-C letting the upload in
//! flight finish before stopping, with nothing half-written.

mod serve;

use serve::Serving;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// One raw HTTP/1.1 request; the status code of the answer.
fn http_status(address: &str, request: &str) -> u16 {
    let mut tcp = TcpStream::connect(address).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    tcp.write_all(request.as_bytes()).unwrap();
    read_status(&mut tcp)
}

fn read_status(tcp: &mut TcpStream) -> u16 {
    let mut buf = [0u8; 12];
    tcp.read_exact(&mut buf).unwrap();
    String::from_utf8_lossy(&buf[9..12]).parse().unwrap()
}

fn list_request(address: &str, token: Option<&str>) -> String {
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    format!("GET /api/v2/conversations HTTP/1.1\r\nHost: {address}\r\n{auth}Connection: close\r\n\r\n")
}

#[test]
fn a_non_loopback_host_is_refused_without_allow_remote() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    for host in ["0.0.0.0", "192.0.2.10", "::"] {
        let out = assert_cmd::Command::cargo_bin("folio")
            .unwrap()
            .args(["serve", "--host", host, "--port", "0", "--data-dir"])
            .arg(&data)
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{host}: {stderr}");
        assert!(stderr.contains("--allow-remote"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
    assert!(!data.exists(), "nothing is opened or created for a refused host");
}

#[test]
fn a_generated_token_is_printed_once_required_and_kept_out_of_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Serving::start(&dir.path().join("data"), &[], &[("RUST_LOG", "trace")]);
    let token = server.printed_token.clone().expect("a generated token is printed on stdout");
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(server.api_root.starts_with("http://127.0.0.1:"), "{}", server.api_root);

    assert_eq!(http_status(&server.address, &list_request(&server.address, None)), 401);
    assert_eq!(http_status(&server.address, &list_request(&server.address, Some("0123456789abcdef0123"))), 401);
    assert_eq!(http_status(&server.address, &list_request(&server.address, Some(&token))), 200);
    assert!(server.stop().success());

    // Printed once for the person (stderr), and on stdout for scripts; never in a
    // log line, even at TRACE.
    let stderr = server.stderr();
    assert_eq!(stderr.matches(&token).count(), 1, "{stderr}");
    let token_line = stderr.lines().find(|l| l.contains(&token)).unwrap();
    assert!(token_line.starts_with("folio: API token:"), "{token_line}");
    assert!(stderr.contains("stopped"), "{stderr}");
}

#[test]
fn ctrl_c_lets_the_upload_in_flight_finish_and_leaves_nothing_half_written() {
    const TOKEN: &str = "shutdown-token-0123456789";
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut server = Serving::start(&data, &["--token", TOKEN], &[]);

    // A create request with a 4 MB text file, sent in two halves around the Ctrl-C.
    let file: Vec<u8> = "The grid is drawn with graphpaper.\n".repeat(120_000).into_bytes();
    let mut body = b"--B\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nIn flight\r\n--B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big notes.txt\"\r\nContent-Type: text/plain\r\n\r\n".to_vec();
    body.extend_from_slice(&file);
    body.extend_from_slice(b"\r\n--B--\r\n");
    let address = server.address.clone();
    let mut tcp = TcpStream::connect(&address).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        tcp,
        "POST /api/v2/conversations HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {TOKEN}\r\n\
         Content-Type: multipart/form-data; boundary=B\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    let half = body.len() / 2;
    tcp.write_all(&body[..half]).unwrap();
    std::thread::sleep(Duration::from_millis(300));

    server.interrupt();
    // Stopping: no new connection is served...
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let refused = match TcpStream::connect(&address) {
            Err(_) => true,
            Ok(mut other) => {
                other.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
                let _ = other.write_all(list_request(&address, Some(TOKEN)).as_bytes());
                let mut b = [0u8; 1];
                !matches!(other.read(&mut b), Ok(1))
            }
        };
        if refused {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "still serving new connections 10 s after Ctrl-C");
        std::thread::sleep(Duration::from_millis(100));
    }
    // ...but the upload in flight completes and is answered 201.
    tcp.write_all(&body[half..]).unwrap();
    assert_eq!(read_status(&mut tcp), 201);
    drop(tcp);
    let status = server.wait_exit(Duration::from_secs(60));
    assert!(status.success(), "{}", server.stderr());
    assert!(server.stderr().contains("stopped"), "{}", server.stderr());

    // Nothing left in staging; on the next start the conversation and its document are
    // there, and the document is read to the end.
    let staged: Vec<_> = std::fs::read_dir(data.join("incoming")).unwrap().collect();
    assert!(staged.is_empty(), "{staged:?}");
    let mut again = Serving::start(&data, &["--token", TOKEN], &[]);
    let out = assert_cmd::Command::cargo_bin("folio")
        .unwrap()
        .args(["aihub", "conversations", "list"])
        .env("AIHUB_API_ROOT", &again.api_root)
        .env("AIHUB_API_TOKEN", TOKEN)
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = list["conversations"][0]["id"].as_str().unwrap_or_else(|| panic!("{list}")).to_string();
    assert_eq!(list["conversations"][0]["name"], "In flight");
    let out = assert_cmd::Command::cargo_bin("folio")
        .unwrap()
        .args(["aihub", "conversations", "status", &id, "--wait", "--wait-timeout", "120"])
        .env("AIHUB_API_ROOT", &again.api_root)
        .env("AIHUB_API_TOKEN", TOKEN)
        .output()
        .unwrap();
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["documents"][0]["name"], "big notes.txt");
    assert_eq!(status["documents"][0]["state"], "PROCESSED", "{status}");
    assert!(again.stop().success());
}
