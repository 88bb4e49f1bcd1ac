//! The server or the network misbehaves: each case ends in the right folio-core error
//! kind, keeps the server's message, and never sends a POST twice.

mod common;

use common::{client, config, files, TOKEN};
use folio_aihub::testkit::{RecordingServer, Reply};
use folio_aihub::{AiHubClient, AiHubError};
use folio_core::{ConverseMode, Error, ErrorKind, QuerySource};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn posts(server: &RecordingServer) -> usize {
    server.requests().iter().filter(|r| r.method == "POST").count()
}

#[tokio::test]
async fn server_error_500_is_unavailable_with_the_message_and_not_repeated() {
    let server = RecordingServer::start(|_| Reply::json(500, json!({"message": "update failed"})));
    let err = client(&server).update_conversation("c1", Some("n"), None).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.to_string().contains("update failed"), "{err}");
    assert_eq!(server.requests().len(), 1, "500 is not retried: the update may have failed for good");
}

#[tokio::test]
async fn converse_is_never_repeated_after_a_5xx() {
    let server =
        RecordingServer::start(|_| Reply::text(503, "text/plain", "overloaded").with_header("Retry-After", "0"));
    let err = client(&server).converse("c1", "Q", &[1], ConverseMode::Default, false).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.to_string().contains("overloaded"));
    assert_eq!(posts(&server), 1);
}

#[tokio::test]
async fn get_is_retried_after_503_with_retry_after_then_succeeds() {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let server = RecordingServer::start(move |_| {
        if seen.fetch_add(1, Ordering::SeqCst) == 0 {
            Reply::text(503, "text/plain", "busy").with_header("Retry-After", "1")
        } else {
            Reply::json(200, json!({"id": "c1", "name": "n", "state": "COMPLETE"}))
        }
    });
    let start = Instant::now();
    let conv = client(&server).get_conversation("c1").await.unwrap();
    assert_eq!(conv.id, "c1");
    assert!(start.elapsed() >= Duration::from_millis(950), "waited for Retry-After: {:?}", start.elapsed());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn rate_limited_post_reports_retry_after_and_is_sent_once() {
    let server = RecordingServer::start(|_| {
        Reply::json(429, json!({"message": "Too many requests"})).with_header("Retry-After", "2")
    });
    let err = client(&server).run_query("Q", &QuerySource::Chatbot("b".into()), None, false).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    match Error::from(err) {
        Error::RateLimited { retry_after, message } => {
            assert_eq!(retry_after, Some(Duration::from_secs(2)));
            assert!(message.contains("Too many requests"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(posts(&server), 1);
}

#[tokio::test]
async fn rate_limited_get_is_retried_a_bounded_number_of_times() {
    let server = RecordingServer::start(|_| Reply::empty(429).with_header("Retry-After", "0"));
    let mut cfg = config(&server);
    cfg.retries = 2;
    let err = AiHubClient::new(cfg).unwrap().query_status("q1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_retry_after_longer_than_we_wait_is_returned_at_once() {
    let server = RecordingServer::start(|_| Reply::empty(503).with_header("Retry-After", "3600"));
    let start = Instant::now();
    let err = client(&server).get_conversation("c1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_slow_answer_to_a_post_times_out_and_is_not_sent_again() {
    let server = RecordingServer::start(|_| {
        Reply::json(200, json!({"prompt_id": "p", "answer": "late"})).delayed(Duration::from_secs(2))
    });
    let mut cfg = config(&server);
    cfg.read_timeout = Duration::from_millis(300);
    let start = Instant::now();
    let err = AiHubClient::new(cfg).unwrap().converse("c1", "Q", &[1], ConverseMode::Default, false).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(start.elapsed() < Duration::from_millis(1500));
    tokio::time::sleep(Duration::from_millis(2200)).await;
    assert_eq!(posts(&server), 1);
}

#[tokio::test]
async fn a_slow_answer_to_a_get_is_retried_then_times_out() {
    let server =
        RecordingServer::start(|_| Reply::json(200, json!({"conversations": []})).delayed(Duration::from_millis(800)));
    let mut cfg = config(&server);
    cfg.read_timeout = Duration::from_millis(200);
    cfg.retries = 1;
    let err = AiHubClient::new(cfg).unwrap().list_conversations(&Default::default()).await.unwrap_err();
    assert!(matches!(err, AiHubError::Timeout { .. }), "{err}");
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(server.requests().len(), 2, "one retry of an idempotent GET");
}

#[tokio::test]
async fn a_connection_cut_mid_upload_is_unavailable_and_not_resent() {
    let server = RecordingServer::builder().cut_uploads_after(256 * 1024).start(folio_aihub::testkit::aihub_reply);
    let dir = tempfile::tempdir().unwrap();
    let big = vec![7u8; 4 * 1024 * 1024];
    let paths = files(&dir, &[("big.bin", &big)]);
    let err = client(&server).add_documents("c1", &paths, true).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable, "{err}");
    assert!(err.to_string().contains("lost") || err.to_string().contains("reach"), "{err}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(server.cut_requests().len(), 1, "the upload started once");
    assert_eq!(posts(&server), 0, "and was not sent again");
}

#[tokio::test]
async fn unauthorized_is_auth_and_never_shows_the_token() {
    // A server that echoes the token back must not make it reach the message.
    let server = RecordingServer::start(|r| {
        Reply::json(401, json!({"message": format!("invalid token {}", r.header("authorization").unwrap_or(""))}))
    });
    let err = client(&server).get_conversation("c1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    let text = format!("{err} {err:?}");
    let shown = format!("{text} {}", Error::from(err));
    assert!(shown.contains("invalid token"), "{shown}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn forbidden_not_found_conflict_and_too_large_map_to_their_kinds() {
    for (status, kind) in [
        (403, ErrorKind::Auth),
        (404, ErrorKind::NotFound),
        (409, ErrorKind::InvalidInput),
        (422, ErrorKind::InvalidInput),
        (413, ErrorKind::LimitExceeded),
        (400, ErrorKind::InvalidInput),
    ] {
        let server =
            RecordingServer::start(move |_| Reply::json(status, json!({"message": format!("status {status}")})));
        let err = client(&server).converse("c1", "Q", &[1], ConverseMode::Default, false).await.unwrap_err();
        assert_eq!(err.kind(), kind, "{status}");
        assert!(err.to_string().contains(&format!("status {status}")));
        assert_eq!(posts(&server), 1);
    }
}

#[tokio::test]
async fn malformed_json_is_internal_and_says_so() {
    let server = RecordingServer::start(|_| Reply::text(200, "application/json", "{\"id\": \"c1\", \"name\":"));
    let err = client(&server).get_conversation("c1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Internal);
    assert!(err.to_string().contains("cannot read"), "{err}");
    let server = RecordingServer::start(|_| Reply::text(202, "application/json", "<html>oops</html>"));
    let err = client(&server).run_query("Q", &QuerySource::Chatbot("b".into()), None, false).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Internal);
    assert_eq!(posts(&server), 1);
}

#[tokio::test]
async fn nobody_listening_is_unavailable() {
    let addr = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let mut cfg = folio_aihub::ClientConfig::new(format!("http://{addr}/api"), folio_aihub::ApiToken::new(TOKEN));
    cfg.retries = 0;
    let err = AiHubClient::new(cfg).unwrap().list_conversations(&Default::default()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable, "{err}");
    assert!(!err.to_string().contains(TOKEN));
}

#[test]
fn debug_output_never_shows_the_token() {
    let server = RecordingServer::aihub();
    let cfg = config(&server);
    let client = AiHubClient::new(cfg.clone()).unwrap();
    let backend = folio_aihub::AiHubBackend::new(cfg.clone()).unwrap();
    let shown = format!("{cfg:?} {client:?} {backend:?} {:?} {}", cfg.token, cfg.token);
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(shown.contains("***"));
}
