//! The security promises of `folio serve`, each followed by proof that the server still
//! serves: no or a wrong token is 401; uploaded names cannot leave the data folder; a
//! request over the limits is 413 and stores nothing; malformed bodies are 400 with a
//! message.

mod common;

use common::{error, form, json, Served, NOTES, TOKEN};
use std::io::{Read, Write};
use std::time::Duration;

const MB: usize = 1024 * 1024;

/// A multipart body written by hand, so file names reach the server exactly as given.
fn multipart(boundary: &str, fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        write!(body, "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").unwrap();
    }
    for (file_name, bytes) in files {
        write!(body, "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{file_name}\"\r\nContent-Type: text/plain\r\n\r\n").unwrap();
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    write!(body, "--{boundary}--\r\n").unwrap();
    body
}

/// A multipart create request with one `files` part of `size` bytes, streamed in 1 MiB
/// chunks (never held in memory at once).
fn big_body(size: usize) -> (reqwest::Body, u64) {
    let head = b"--B\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nbig\r\n--B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.txt\"\r\nContent-Type: text/plain\r\n\r\n".to_vec();
    let tail = b"\r\n--B--\r\n".to_vec();
    let total = (head.len() + size + tail.len()) as u64;
    let mut chunks: Vec<bytes::Bytes> = vec![head.into()];
    let chunk = bytes::Bytes::from(vec![b'a'; MB]);
    for i in 0..size.div_ceil(MB) {
        chunks.push(chunk.slice(..MB.min(size - i * MB)));
    }
    chunks.push(tail.into());
    let stream = futures_util::stream::iter(chunks.into_iter().map(Ok::<_, std::io::Error>));
    (reqwest::Body::wrap_stream(stream), total)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_token_or_a_wrong_one_is_401_and_touches_nothing() {
    let s = Served::start().await;
    let attempts = [
        ("no header", None),
        ("wrong token", Some("Bearer test-token-0123456789abcdeX".to_string())),
        ("token prefix", Some(format!("Bearer {}", &TOKEN[..TOKEN.len() - 1]))),
        ("token plus more", Some(format!("Bearer {TOKEN}0"))),
        ("not Bearer", Some(format!("Basic {TOKEN}"))),
        ("bare token", Some(TOKEN.to_string())),
    ];
    for (what, header) in attempts {
        for request in [
            s.http.get(s.url("/v2/conversations")),
            s.http.post(s.url("/v2/conversations")).multipart(form(&[("name", "sneaky")], &[("a.txt", NOTES)])),
            s.http.delete(s.url("/v2/conversations/anything")),
            s.http.get(s.url("/v2/no-such-endpoint")),
        ] {
            let request = match &header {
                Some(value) => request.header("authorization", value),
                None => request,
            };
            let response = request.send().await.unwrap();
            assert_eq!(
                response.headers().get("www-authenticate").map(|v| v.to_str().unwrap()),
                Some("Bearer"),
                "{what}"
            );
            let (status, message) = error(response).await;
            assert_eq!(status, 401, "{what}: {message}");
            assert!(!message.contains(TOKEN), "{what}: the message must not echo the token");
        }
        s.still_serving().await;
    }
    // Nothing was created, nothing stored.
    let (_, list) = json(s.get("/v2/conversations").send().await.unwrap()).await;
    assert_eq!(list, serde_json::json!({"conversations": []}));
    assert_eq!(s.stored_files(), Vec::<String>::new());
    // The scheme is case-insensitive, as HTTP says.
    let response =
        s.http.get(s.url("/v2/conversations")).header("authorization", format!("bearer {TOKEN}")).send().await.unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploaded_names_never_lead_outside_the_data_folder() {
    // The data folder is two levels down, so `../../x` from it would land in the root.
    let s = Served::start_in("a/b/data").await;
    let escape = format!("/tmp/folio-escape-{}.txt", std::process::id());
    let names = ["../../x.txt", "..\\..\\y.txt", escape.as_str(), "..", "../../a/b/data/folio.sqlite3"];
    let files: Vec<(&str, &[u8])> = names.iter().map(|n| (*n, NOTES)).collect();
    let body = multipart("XyZ", &[("name", "Traversal")], &files);
    let response = s
        .post("/v2/conversations")
        .header("content-type", "multipart/form-data; boundary=XyZ")
        .body(body)
        .send()
        .await
        .unwrap();
    let (status, created) = json(response).await;
    assert_eq!(status, 201, "{created}");
    let stored: Vec<&str> =
        created["upload_status"]["success"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    let expected_names =
        ["x.txt", "y.txt", format!("folio-escape-{}.txt", std::process::id()).leak(), "upload", "folio.sqlite3"];
    assert_eq!(stored, expected_names);

    let conversation = s.wait_complete(created["id"].as_str().unwrap()).await;
    // The text files are read as such (the two without a text extension fail to be
    // read, with a reason, which is the engine's business).
    let docs = conversation["documents"].as_array().unwrap();
    let processed: Vec<&str> =
        docs.iter().filter(|d| d["state"] == "PROCESSED").map(|d| d["name"].as_str().unwrap()).collect();
    assert_eq!(processed, &expected_names[..3], "{conversation}");

    // Every file written is inside the data folder; nothing beside it, nothing in /tmp.
    let written = s.files_under_root();
    assert!(written.iter().all(|f| f.starts_with("a/b/data/")), "{written:?}");
    assert!(!std::path::Path::new(&escape).exists());
    // The database was not overwritten by the upload named folio.sqlite3.
    s.still_serving().await;
    let (_, again) =
        json(s.get(&format!("/v2/conversations/{}", created["id"].as_str().unwrap())).send().await.unwrap()).await;
    assert_eq!(again["documents"].as_array().unwrap().len(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_requests_are_413_and_store_nothing() {
    let s = Served::start().await;
    let before = s.stored_files();

    // 120 MB announced with a Content-Length, then the same without one (chunked).
    for announced in [true, false] {
        let (body, total) = big_body(120 * MB);
        let mut request =
            s.post("/v2/conversations").header("content-type", "multipart/form-data; boundary=B").body(body);
        if announced {
            request = request.header("content-length", total.to_string());
        }
        let started = std::time::Instant::now();
        let (status, message) = error(request.send().await.expect("the client reads the 413, not a reset")).await;
        assert_eq!(status, 413, "{message}");
        assert!(message.contains("100 MB") && message.contains("nothing was stored"), "{message}");
        eprintln!("120 MB refused in {:?} (Content-Length: {announced})", started.elapsed());
        s.still_serving().await;
    }

    // One file over 50 MB in a request under 100 MB.
    let (body, _) = big_body(60 * MB);
    let response = s
        .post("/v2/conversations")
        .header("content-type", "multipart/form-data; boundary=B")
        .body(body)
        .send()
        .await
        .unwrap();
    let (status, message) = error(response).await;
    assert_eq!(status, 413, "{message}");
    assert!(message.contains("big.txt") && message.contains("50 MB"), "{message}");
    s.still_serving().await;

    // A client that waits for "100 Continue" is answered at once, before it sends.
    let addr = s.server.addr();
    let reply = tokio::task::spawn_blocking(move || {
        let mut tcp = std::net::TcpStream::connect(addr).unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(
            tcp,
            "POST /api/v2/conversations HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {TOKEN}\r\n\
             Content-Type: multipart/form-data; boundary=B\r\nContent-Length: {}\r\nExpect: 100-continue\r\n\r\n",
            120 * MB
        )
        .unwrap();
        let mut buf = vec![0u8; 4096];
        let n = tcp.read(&mut buf).unwrap();
        String::from_utf8_lossy(&buf[..n]).into_owned()
    })
    .await
    .unwrap();
    assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");

    // Nothing reached the store: no conversation, no stored copy, no staged upload.
    let (_, list) = json(s.get("/v2/conversations").send().await.unwrap()).await;
    assert_eq!(list, serde_json::json!({"conversations": []}));
    assert_eq!(s.stored_files(), before);
    s.still_serving().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_multipart_and_json_are_400_with_a_message() {
    let s = Served::start().await;
    let created = s.post("/v2/conversations").multipart(form(&[("name", "Target")], &[])).send().await.unwrap();
    let (_, created) = json(created).await;
    let id = created["id"].as_str().unwrap().to_string();

    let truncated = {
        let mut body = multipart("B", &[("name", "cut")], &[("a.txt", NOTES)]);
        body.truncate(body.len() - 8);
        body
    };
    let multipart_cases: Vec<(&str, &str, Vec<u8>)> = vec![
        ("no boundary", "multipart/form-data", b"--B\r\n".to_vec()),
        ("not multipart", "application/json", br#"{"name": "x"}"#.to_vec()),
        ("garbage", "multipart/form-data; boundary=B", b"this is not multipart at all".to_vec()),
        ("cut short", "multipart/form-data; boundary=B", truncated),
        ("bad part header", "multipart/form-data; boundary=B", b"--B\r\nNo-Colon-Here\r\n\r\nx\r\n--B--\r\n".to_vec()),
        (
            "file part not named files",
            "multipart/form-data; boundary=B",
            b"--B\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nn\r\n--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhello\r\n--B--\r\n".to_vec(),
        ),
    ];
    for (what, content_type, body) in multipart_cases {
        for path in ["/v2/conversations".to_string(), format!("/v2/conversations/{id}/documents")] {
            let response = s.post(&path).header("content-type", content_type).body(body.clone()).send().await.unwrap();
            let (status, message) = error(response).await;
            assert_eq!(status, 400, "{what} on {path}: {message}");
            s.still_serving().await;
        }
    }

    let json_cases = [
        (format!("/v2/conversations/{id}/prompts"), "post"),
        ("/v2/queries".to_string(), "post"),
        (format!("/v2/conversations/{id}/documents"), "delete"),
    ];
    for (path, method) in &json_cases {
        for body in ["{\"question\": ", "not json", "[1, 2", "{\"ids\": [1,]}"] {
            let request = if *method == "post" { s.post(path) } else { s.delete(path) };
            let response = request.header("content-type", "application/json").body(body).send().await.unwrap();
            let (status, message) = error(response).await;
            assert_eq!(status, 400, "{path} with {body:?}: {message}");
            assert!(message.contains("JSON"), "{message}");
            s.still_serving().await;
        }
    }
    // A JSON body over its limit (1 MB) is 413.
    let huge = format!("{{\"question\": \"{}\"}}", "q".repeat(2 * MB));
    let (status, _) = error(s.post(&format!("/v2/conversations/{id}/prompts")).body(huge).send().await.unwrap()).await;
    assert_eq!(status, 413);

    // The target conversation is intact, and nothing was staged or stored.
    let (status, conversation) = json(s.get(&format!("/v2/conversations/{id}")).send().await.unwrap()).await;
    assert_eq!((status, conversation["documents"].as_array().unwrap().len()), (200, 0));
    assert_eq!(s.stored_files(), Vec::<String>::new());
}
