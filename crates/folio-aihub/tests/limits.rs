//! Upload limits are enforced before anything is sent, naming the file; selections
//! over one request's size are split and their statuses merged into one.

mod common;

use common::{client, config, files};
use folio_aihub::testkit::{aihub_reply, RecordingServer, Reply};
use folio_aihub::{AiHubClient, CreateRequest, Limits};
use folio_core::ErrorKind;
use serde_json::json;

#[tokio::test]
async fn a_file_over_50_mb_is_refused_by_name_before_sending() {
    let server = RecordingServer::aihub();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge scan.tif");
    std::fs::File::create(&path).unwrap().set_len(50_000_001).unwrap(); // sparse: no disk used
    let err = client(&server)
        .create_conversation(&CreateRequest { name: "n".into(), ..Default::default() }, &[path])
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LimitExceeded);
    assert!(err.to_string().contains("huge scan.tif") && err.to_string().contains("50 MB"), "{err}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_pdf_over_800_pages_is_refused_by_name_before_sending() {
    let server = RecordingServer::aihub();
    let dir = tempfile::tempdir().unwrap();
    let paths = files(&dir, &[("ok.pdf", &folio_aihub::tiny_pdf(800)), ("long.pdf", &folio_aihub::tiny_pdf(801))]);
    let err = client(&server)
        .create_conversation(&CreateRequest { name: "n".into(), ..Default::default() }, &paths)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LimitExceeded);
    assert!(err.to_string().contains("long.pdf has 801 pages"), "{err}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn more_than_100_documents_are_refused() {
    let server = RecordingServer::aihub();
    let dir = tempfile::tempdir().unwrap();
    let names: Vec<String> = (0..101).map(|i| format!("f{i}.txt")).collect();
    let specs: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
    let paths = files(&dir, &specs);
    let err = client(&server)
        .create_conversation(&CreateRequest { name: "n".into(), ..Default::default() }, &paths)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LimitExceeded);
    assert!(server.requests().is_empty());

    // Adding counts the documents already there.
    let full = RecordingServer::start(|r| {
        if r.method == "GET" {
            let docs: Vec<_> =
                (0..99).map(|i| json!({"id": i, "name": format!("d{i}"), "state": "PROCESSED"})).collect();
            Reply::json(200, json!({"id": "c1", "name": "n", "state": "COMPLETE", "documents": docs}))
        } else {
            aihub_reply(r)
        }
    });
    let err = client(&full).add_documents("c1", &paths[..2], true).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LimitExceeded);
    assert!(err.to_string().contains("already has 99"), "{err}");
    assert_eq!(full.requests().len(), 1, "only the count was read");
    client(&full).add_documents("c1", &paths[..1], true).await.unwrap();
}

#[tokio::test]
async fn a_missing_file_is_invalid_input_and_nothing_is_sent() {
    let server = RecordingServer::aihub();
    let err = client(&server)
        .create_conversation(&CreateRequest { name: "n".into(), ..Default::default() }, &["/nonexistent/x.pdf".into()])
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains("/nonexistent/x.pdf"));
    assert!(server.requests().is_empty());
}

fn small_request_client(server: &RecordingServer) -> AiHubClient {
    let mut cfg = config(server);
    // Scaled down so the split is cheap to test: 300 kB requests, 200 kB files.
    cfg.limits = Limits {
        max_file_bytes: 200_000,
        max_pdf_pages: 800,
        max_request_bytes: 300_000 + 64 * 1024,
        max_documents: 100,
    };
    AiHubClient::new(cfg).unwrap()
}

#[tokio::test]
async fn add_documents_over_the_request_limit_is_split_and_merged() {
    let server = RecordingServer::aihub();
    let dir = tempfile::tempdir().unwrap();
    let blob = vec![1u8; 140_000];
    let paths =
        files(&dir, &[("a.bin", &blob), ("b.bin", &blob), ("c.bin", &blob), ("d.bin", &blob), ("e.bin", &blob)]);
    let added = small_request_client(&server).add_documents("c1", &paths, false).await.unwrap();
    let names: Vec<_> = added.upload_status.unwrap().success.unwrap().into_iter().map(|f| f.name.unwrap()).collect();
    assert_eq!(names, vec!["a.bin", "b.bin", "c.bin", "d.bin", "e.bin"]);
    let posts: Vec<_> = server.requests().into_iter().filter(|r| r.method == "POST").collect();
    assert_eq!(posts.iter().map(|p| p.filenames().len()).collect::<Vec<_>>(), vec![2, 2, 1]);
    for p in &posts {
        assert!(p.body_bytes <= 300_000 + 64 * 1024, "{} bytes", p.body_bytes);
        assert_eq!(p.fields(), vec![("process_files".to_string(), "False".to_string())]);
    }
}

#[tokio::test]
async fn create_over_the_request_limit_creates_then_adds_the_rest() {
    let server = RecordingServer::aihub();
    let dir = tempfile::tempdir().unwrap();
    let blob = vec![2u8; 140_000];
    let paths = files(&dir, &[("a.bin", &blob), ("b.bin", &blob), ("c.bin", &blob)]);
    let created = small_request_client(&server)
        .create_conversation(&CreateRequest { name: "Split".into(), ..Default::default() }, &paths)
        .await
        .unwrap();
    assert_eq!(created.upload_status.unwrap().success.unwrap().len(), 3);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!((reqs[0].path.as_str(), reqs[0].filenames().len()), ("/api/v2/conversations", 2));
    assert_eq!(
        (reqs[1].path.as_str(), reqs[1].filenames()),
        ("/api/v2/conversations/conv-1/documents", vec!["c.bin".to_string()])
    );
    assert_eq!(reqs[1].fields(), vec![("process_files".to_string(), "True".to_string())]);
}
