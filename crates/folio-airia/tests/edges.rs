//! A hostile or broken server at the network edge: an absurd Retry-After, a redirect to
//! another origin (the `X-API-KEY` must not follow), an event that never ends. Each is a
//! typed error, never a panic, a hang or the key leaving for another host.

mod common;

use common::*;
use folio_airia::testkit::{RecordingServer, Reply};
use folio_airia::AiriaError;
use folio_core::ErrorKind;
use serde_json::json;

#[tokio::test]
async fn retry_after_1e30_is_a_rate_limit_error_with_a_clamped_wait() {
    let server = RecordingServer::start(|_| {
        Reply::json(429, json!({"message": "slow down"})).with_header("Retry-After", "1e30")
    });
    let err = client(&server).get_conversation("conv-1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited, "{err}");
    match err {
        AiriaError::Status { retry_after, .. } => {
            assert_eq!(retry_after, Some(std::time::Duration::from_secs(300)))
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed_so_the_key_stays_home() {
    let elsewhere = RecordingServer::start(|_| Reply::json(200, json!({"conversationId": "c"})));
    let target = elsewhere.base_url().replace("127.0.0.1", "localhost") + "v1/Conversations/conv-1";
    let server = RecordingServer::start(move |_| Reply::empty(307).with_header("Location", &target));
    let err = client(&server).get_conversation("conv-1").await.unwrap_err();
    assert!(matches!(err, AiriaError::Status { status: 307, .. }), "{err:?}");
    assert!(elsewhere.requests().is_empty(), "the key went to another origin: {:?}", elsewhere.requests());
}

#[tokio::test]
async fn a_same_origin_redirect_keeps_working() {
    let server = RecordingServer::start(|request| {
        if request.path.ends_with("/old") {
            Reply::empty(308).with_header("Location", "/api/v1/Conversations/conv-1")
        } else {
            Reply::json(200, json!({"conversationId": "conv-1"}))
        }
    });
    client(&server).get_conversation("old").await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].header("x-api-key"), Some(KEY));
}

#[tokio::test]
async fn an_event_longer_than_the_cap_is_refused() {
    // 2 MiB of one `data:` line that never ends its block.
    let endless = format!("event: AgentModelStreamFragment\ndata: \"{}", "x".repeat(2 * 1024 * 1024));
    let server = RecordingServer::start(move |_| Reply::text(200, "text/event-stream", &endless).rechunk(64 * 1024));
    let client = client(&server);
    let err = client.execute_streaming(&client.chat_turn(None, "Q?", true), &|_| {}).await.unwrap_err();
    assert!(matches!(&err, AiriaError::Malformed { detail, .. } if detail.contains("longer than")), "{err:?}");
}
