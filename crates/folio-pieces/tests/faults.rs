//! Failures: every error status Pieces OS uses, a Pieces OS that is not running, one
//! that answers too slowly, and unreadable answers; each a folio-core kind with a
//! message a person can act on.

mod common;

use folio_core::{Error, ErrorKind};
use folio_pieces::testkit::{pieces_reply, pieces_stream, RecordingServer, Reply};
use folio_pieces::{PiecesClient, PiecesConfig};
use std::time::Duration;

fn failing(status: u16, body: &'static str) -> RecordingServer {
    RecordingServer::start(
        move |r| {
            if r.path.starts_with("/conversation") {
                Reply::plain(status, body)
            } else {
                pieces_reply(r)
            }
        },
        pieces_stream,
    )
}

#[tokio::test]
async fn error_statuses_become_kinds_with_plain_messages() {
    let cases = [
        (401, ErrorKind::Auth, "did not allow Folio"),
        (403, ErrorKind::Auth, "did not allow Folio"),
        (404, ErrorKind::NotFound, "does not know this"),
        (410, ErrorKind::NotFound, "no longer exists in Pieces OS"),
        (429, ErrorKind::RateLimited, "busy; wait a moment"),
        (500, ErrorKind::Unavailable, "restart Pieces OS"),
    ];
    for (status, kind, words) in cases {
        let server = failing(status, "the server's own words");
        let client = common::client(&server);
        for err in [
            Error::from(client.list_conversations().await.unwrap_err()),
            Error::from(client.get_conversation("c1").await.unwrap_err()),
            Error::from(client.delete_conversation("c1").await.unwrap_err()),
        ] {
            assert_eq!(err.kind(), kind, "{status}: {err}");
            assert!(err.to_string().contains(words), "{status}: {err}");
            assert!(err.to_string().contains("the server's own words"), "{status}: {err}");
            assert!(err.to_string().contains(&format!("({status})")), "{status}: {err}");
        }
    }
}

#[tokio::test]
async fn a_refused_registration_is_reported_as_such() {
    let server = RecordingServer::pieces_except("/connect", |_| Reply::plain(403, "application not allowed"));
    let err = Error::from(common::client(&server).list_conversations().await.unwrap_err());
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert!(err.to_string().contains("register with Pieces OS (403)"), "{err}");
}

fn free_ports(n: usize) -> Vec<u16> {
    let listeners: Vec<std::net::TcpListener> =
        (0..n).map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap()).collect();
    listeners.iter().map(|l| l.local_addr().unwrap().port()).collect()
}

#[tokio::test]
async fn not_running_says_so_and_names_the_ports_tried() {
    let ports = free_ports(3);
    let client = PiecesClient::new(PiecesConfig { ports: ports.clone(), ..Default::default() }).unwrap();
    let err = Error::from(client.list_conversations().await.unwrap_err());
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.to_string().starts_with("Pieces OS is not running on this computer"), "{err}");
    for port in ports {
        assert!(err.to_string().contains(&port.to_string()), "{err}");
    }
}

#[tokio::test]
async fn a_configured_address_that_does_not_answer_is_named() {
    let port = free_ports(1)[0];
    let client = PiecesClient::new(PiecesConfig::at(format!("127.0.0.1:{port}"))).unwrap();
    let err = Error::from(client.list_conversations().await.unwrap_err());
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.to_string().contains(&format!("no answer on http://127.0.0.1:{port}")), "{err}");
}

#[tokio::test]
async fn pieces_stopping_after_it_was_found_is_unavailable() {
    let server = RecordingServer::pieces();
    let client = common::client(&server);
    client.list_conversations().await.unwrap();
    drop(server);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let err = Error::from(client.list_conversations().await.unwrap_err());
    assert_eq!(err.kind(), ErrorKind::Unavailable, "{err}");
}

#[tokio::test]
async fn slow_answers_time_out() {
    let server = RecordingServer::pieces_except("/conversations", |r| pieces_reply(r).delayed(Duration::from_secs(3)));
    let config = PiecesConfig { request_timeout: Duration::from_millis(300), ..common::config(&server) };
    let err = Error::from(PiecesClient::new(config).unwrap().list_conversations().await.unwrap_err());
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(err.to_string().contains("did not answer list conversations within 0.3 s"), "{err}");
}

#[tokio::test]
async fn unreadable_answers_are_reported() {
    let server = RecordingServer::pieces_except("/conversations", |_| {
        Reply::json(200, serde_json::json!({"iterable": [{"name": "no id"}]}))
    });
    let err = Error::from(common::client(&server).list_conversations().await.unwrap_err());
    assert_eq!(err.kind(), ErrorKind::Internal);
    assert!(err.to_string().contains("cannot read"), "{err}");
}
