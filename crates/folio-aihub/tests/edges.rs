//! A hostile or broken server at the network edge: absurd Retry-After values, redirects to
//! another origin, answers too large to hold. Each ends in a typed error, never a panic,
//! a long wait or the token leaving for another host.

mod common;

use common::{client, config, TOKEN};
use folio_aihub::testkit::{RecordingServer, Reply};
use folio_aihub::{AiHubClient, AiHubError};
use folio_core::ErrorKind;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn retry_after_1e30_is_a_rate_limit_error_not_a_panic_or_a_wait() {
    for value in ["1e30", "NaN", "-5", "Fri, 31 Dec 9999 23:59:59 GMT", "soon"] {
        let server = RecordingServer::start(move |_| Reply::empty(429).with_header("Retry-After", value));
        let started = Instant::now();
        let err = client(&server).get_conversation("c1").await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::RateLimited, "Retry-After: {value}: {err}");
        assert!(started.elapsed() < Duration::from_secs(5), "Retry-After {value} waited {:?}", started.elapsed());
        match err {
            AiHubError::Status { retry_after, .. } => {
                assert!(retry_after.is_none_or(|d| d <= Duration::from_secs(300)), "{value}: {retry_after:?}")
            }
            other => panic!("{value}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed_so_the_token_stays_home() {
    let elsewhere = RecordingServer::start(|_| Reply::json(200, json!({"id": "c1", "name": "n"})));
    // Same machine, another port and another name: a different origin.
    let target = elsewhere.api_root().replace("127.0.0.1", "localhost") + "/v2/conversations/c1";
    let server = RecordingServer::start(move |_| Reply::empty(307).with_header("Location", &target));
    let err = client(&server).get_conversation("c1").await.unwrap_err();
    assert!(matches!(err, AiHubError::Status { status: 307, .. }), "{err:?}");
    assert!(elsewhere.requests().is_empty(), "the other origin was contacted: {:?}", elsewhere.requests());
    assert!(!err.to_string().contains(TOKEN));
}

#[tokio::test]
async fn a_redirect_within_the_same_origin_is_still_followed_with_the_token() {
    let server = RecordingServer::start(|request| {
        if request.path.ends_with("/old") {
            Reply::empty(308).with_header("Location", "/api/v2/conversations/c1")
        } else {
            Reply::json(200, json!({"id": "c1", "name": "n"}))
        }
    });
    let conversation = client(&server).get_conversation("old").await.unwrap();
    assert_eq!(conversation.id, "c1");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].header("authorization"), Some(format!("Bearer {TOKEN}").as_str()));
}

#[tokio::test]
async fn an_answer_larger_than_the_cap_is_refused_with_a_typed_error() {
    let big = "x".repeat(64 * 1024);
    let server = RecordingServer::start(move |_| Reply::json(200, json!({"id": "c1", "name": big})));
    let mut cfg = config(&server);
    cfg.max_answer_bytes = 16 * 1024;
    let err = AiHubClient::new(cfg).unwrap().get_conversation("c1").await.unwrap_err();
    assert!(matches!(err, AiHubError::Malformed { .. }), "{err:?}");
    assert!(err.to_string().contains("larger than"), "{err}");
}
