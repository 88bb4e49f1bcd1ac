//! Failures: each HTTP error Airia documents, a time-out, nobody listening and a bad
//! answer, each with the right kind, a message a person can act on, the credential
//! never shown, and no request repeated (the SDK does not retry).

mod common;

use common::*;
use folio_airia::testkit::{RecordingServer, Reply};
use folio_airia::{AiriaClient, AiriaError};
use folio_core::{Error, ErrorKind};
use serde_json::json;
use std::time::{Duration, Instant};

fn refusing(status: u16) -> RecordingServer {
    RecordingServer::start(move |_| {
        let reply = Reply::json(status, json!({"message": format!("refused for key {KEY}"), "error": "ignored"}));
        if status == 429 {
            reply.with_header("Retry-After", "7")
        } else {
            reply
        }
    })
}

#[tokio::test]
async fn every_documented_status_has_its_kind_and_a_plain_message() {
    let cases = [
        (401, ErrorKind::Auth, "did not accept the API key"),
        (403, ErrorKind::Auth, "not allowed"),
        (404, ErrorKind::NotFound, "does not know this conversation"),
        (410, ErrorKind::NotFound, "gone"),
        (429, ErrorKind::RateLimited, "slow down"),
        (500, ErrorKind::Unavailable, "try again later"),
    ];
    for (status, kind, words) in cases {
        let server = refusing(status);
        let client = client(&server);
        for err in [
            client.create_conversation(&client.new_conversation(None)).await.unwrap_err(),
            client.execute(&client.chat_turn(Some("c"), "Q?", false)).await.unwrap_err(),
            client.execute_streaming(&client.chat_turn(Some("c"), "Q?", true), &|_| {}).await.unwrap_err(),
            client.get_conversation("c").await.unwrap_err(),
            client.delete_conversation("c").await.unwrap_err(),
        ] {
            assert_eq!(err.status(), Some(status));
            assert_eq!(err.kind(), kind, "{status}");
            let text = err.to_string();
            assert!(text.contains(words) && text.contains("refused for key [REDACTED]"), "{status}: {text}");
            assert!(!text.contains(KEY) && !format!("{err:?}").contains(KEY), "{status}: the key leaked");
            let core = Error::from(err);
            assert_eq!(core.kind(), kind);
            if status == 429 {
                assert!(matches!(core, Error::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(7)));
            }
        }
        assert_eq!(server.requests().len(), 5, "{status}: a request was repeated");
    }
}

#[tokio::test]
async fn a_slow_answer_times_out_at_the_configured_limit() {
    let server =
        RecordingServer::start(|_| Reply::json(200, json!({"result": "late"})).delayed(Duration::from_secs(3)));
    let client = client_with_timeout(&server, Duration::from_millis(300));
    let started = Instant::now();
    let err = client.execute(&client.chat_turn(None, "Q?", false)).await.unwrap_err();
    assert!(matches!(err, AiriaError::Timeout { .. }), "{err:?}");
    assert_eq!(Error::from(err).kind(), ErrorKind::Timeout);
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    assert_eq!(server.requests().len(), 1, "a timed-out POST is not repeated");
}

#[test]
fn the_default_time_out_is_the_sdks_30_seconds() {
    assert_eq!(config("https://api.airia.ai/").timeout, Duration::from_secs(30));
}

#[tokio::test]
async fn nobody_listening_says_unreachable() {
    let addr = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let client = AiriaClient::new(config(&format!("http://{addr}/"))).unwrap();
    let err = client.get_conversation("c").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.to_string().contains("could not reach Airia"), "{err}");
}

#[tokio::test]
async fn an_unreadable_success_is_an_internal_error_naming_the_operation() {
    let server = RecordingServer::start(|_| Reply::text(200, "application/json", "{not json"));
    let err = client(&server).get_conversation("c").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Internal);
    assert!(err.to_string().contains("read the Airia conversation"), "{err}");
}

#[tokio::test]
async fn test_connection_says_what_is_wrong() {
    let ok = RecordingServer::airia();
    let report = client(&ok).test_connection().await;
    assert!(report.ok, "{report:?}");
    assert_eq!(ok.requests()[0].path, "/api/v1/PipelinesConfig/pipe-1");
    for (status, words) in
        [(401, "did not accept the API key"), (403, "may not use pipeline pipe-1"), (404, "has no pipeline pipe-1")]
    {
        let server = refusing(status);
        let report = client(&server).test_connection().await;
        assert!(!report.ok && report.message.contains(words), "{status}: {report:?}");
    }
    let addr = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let report = AiriaClient::new(config(&format!("http://{addr}/"))).unwrap().test_connection().await;
    assert!(!report.ok && report.message.contains("unreachable"), "{report:?}");
}
