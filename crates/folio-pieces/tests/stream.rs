//! The `/qgpt/stream` WebSocket: pieces arrive while the status is IN-PROGRESS (with its
//! hyphen), COMPLETED makes the answer whole, every other status is a clear error, and a
//! stream cut or silenced part-way is an error, never a short answer.

mod common;

use common::client;
use folio_core::{Error, ErrorKind};
use folio_pieces::testkit::{frame, pieces_reply, Recorded, RecordingServer, Reply, WsAction};
use folio_pieces::{PiecesClient, PiecesConfig};
use serde_json::json;
use std::sync::Mutex;
use std::time::Duration;

fn server_with(script: impl Fn(&Recorded) -> Vec<WsAction> + Send + Sync + 'static) -> RecordingServer {
    RecordingServer::start(pieces_reply, script)
}

async fn ask(client: &PiecesClient, pieces: &Mutex<Vec<String>>) -> Result<folio_pieces::StreamedAnswer, Error> {
    let sink = |p: &str| pieces.lock().unwrap().push(p.to_string());
    client
        .ask_stream(Some("conv-1"), "How do I set the range?", vec![json!({"id": "r1"})], &sink)
        .await
        .map_err(Error::from)
}

#[tokio::test]
async fn pieces_arrive_in_order_and_complete_the_answer() {
    let server = RecordingServer::pieces();
    let client = client(&server);
    let pieces = Mutex::new(Vec::new());
    let answer = ask(&client, &pieces).await.unwrap();
    assert_eq!(*pieces.lock().unwrap(), vec!["Use set xrange ", "to set the range [1]", "."]);
    assert_eq!(answer.text, "Use set xrange to set the range [1].");
    assert_eq!(answer.conversation, "conv-1");
    assert_eq!(answer.frames, 3);
    let frames: Vec<Recorded> = server.requests().into_iter().filter(|r| r.method == "WS").collect();
    assert_eq!(frames.len(), 1);
    assert_eq!(frames[0].path, "/qgpt/stream");
    assert_eq!(
        frames[0].value(),
        json!({"conversation": "conv-1", "question": {"application": "app-1", "model": "model-cloud", "query": "How do I set the range?", "relevant": {"iterable": [{"id": "r1"}]}}})
    );
}

#[tokio::test]
async fn without_a_conversation_pieces_names_the_one_it_made() {
    let server = RecordingServer::pieces();
    let answer = client(&server).ask_stream(None, "Hi", vec![], &|_: &str| {}).await.unwrap();
    assert_eq!(answer.conversation, "conv-streamed");
    let sent = server.requests().into_iter().find(|r| r.method == "WS").unwrap();
    assert!(sent.value().get("conversation").is_none(), "{}", sent.value());
}

#[tokio::test]
async fn a_connection_dropped_mid_stream_is_an_error_not_a_short_answer() {
    let server = server_with(|_| {
        vec![
            WsAction::Send(frame("conv-1", "IN-PROGRESS", Some("Use set "))),
            WsAction::Send(frame("conv-1", "IN-PROGRESS", Some("xrange"))),
            WsAction::Drop,
        ]
    });
    let pieces = Mutex::new(Vec::new());
    let err = ask(&client(&server), &pieces).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.to_string().contains("stopped sending the answer part-way"), "{err}");
    assert!(err.to_string().contains("after 2 pieces"), "{err}");
    assert_eq!(pieces.lock().unwrap().len(), 2, "the pieces shown so far were shown");
}

#[tokio::test]
async fn a_close_frame_mid_stream_is_an_error_too() {
    let server = server_with(|_| vec![WsAction::Send(frame("conv-1", "IN-PROGRESS", Some("Use "))), WsAction::Close]);
    let err = ask(&client(&server), &Mutex::new(Vec::new())).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.to_string().contains("closed the stream after 1 pieces"), "{err}");
}

#[tokio::test]
async fn every_final_status_other_than_completed_is_a_clear_error() {
    let cases = [
        (
            json!({"conversation": "conv-1", "status": "FAILED", "errorMessage": "Too many requests", "statusCode": 429}),
            ErrorKind::RateLimited,
            "Too many requests",
        ),
        (
            json!({"conversation": "conv-1", "status": "FAILED", "errorMessage": "model crashed", "statusCode": 500}),
            ErrorKind::Unavailable,
            "model crashed",
        ),
        (json!({"conversation": "conv-1", "status": "FAILED"}), ErrorKind::Unavailable, "(FAILED): no reason given"),
        (
            json!({"conversation": "conv-1", "status": "STOPPED"}),
            ErrorKind::Unavailable,
            "(STOPPED): the answer was stopped",
        ),
        (json!({"conversation": "conv-1", "status": "CANCELED"}), ErrorKind::Unavailable, "cancelled"),
        (json!({"conversation": "conv-1", "status": "RESET"}), ErrorKind::Unavailable, "reset"),
        (json!({"conversation": "conv-1", "status": "UNKNOWN"}), ErrorKind::Unavailable, "(UNKNOWN)"),
        (json!({"conversation": "conv-1", "status": "PAUSED"}), ErrorKind::Unavailable, "(PAUSED)"),
        (
            json!({"conversation": "conv-1", "status": "FAILED", "statusCode": 401, "errorMessage": "sign in"}),
            ErrorKind::Auth,
            "sign in",
        ),
    ];
    for (last, kind, words) in cases {
        let sent = last.clone();
        let server = server_with(move |_| {
            vec![WsAction::Send(frame("conv-1", "IN-PROGRESS", Some("Half"))), WsAction::Send(sent.clone())]
        });
        let err = ask(&client(&server), &Mutex::new(Vec::new())).await.unwrap_err();
        assert_eq!(err.kind(), kind, "{last}: {err}");
        assert!(err.to_string().contains(words), "{last}: {err}");
    }
}

#[tokio::test]
async fn the_completed_frame_may_carry_the_last_piece() {
    let server = server_with(|_| {
        vec![
            WsAction::Send(frame("conv-1", "IN-PROGRESS", Some("A"))),
            WsAction::Send(frame("conv-1", "COMPLETED", Some("B"))),
        ]
    });
    let answer = ask(&client(&server), &Mutex::new(Vec::new())).await.unwrap();
    assert_eq!(answer.text, "AB");
}

#[tokio::test]
async fn unreadable_frames_are_reported() {
    let server = server_with(|_| vec![WsAction::SendText("not json".into())]);
    let err = ask(&client(&server), &Mutex::new(Vec::new())).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Internal);
    assert!(err.to_string().contains("cannot read"), "{err}");
}

#[tokio::test]
async fn a_silent_stream_times_out() {
    let server = server_with(|_| {
        vec![WsAction::Send(frame("conv-1", "IN-PROGRESS", Some("A"))), WsAction::Wait(Duration::from_secs(5))]
    });
    let config = PiecesConfig { stream_idle_timeout: Duration::from_millis(300), ..common::config(&server) };
    let err = ask(&PiecesClient::new(config).unwrap(), &Mutex::new(Vec::new())).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(err.to_string().contains("did not answer stream the answer within 0.3 s"), "{err}");
}

#[tokio::test]
async fn a_refused_handshake_says_what_pieces_said() {
    let server = RecordingServer::start(
        |r| {
            if r.method == "WS-OPEN" {
                Reply::plain(500, "qgpt is restarting")
            } else {
                pieces_reply(r)
            }
        },
        folio_pieces::testkit::pieces_stream,
    );
    let err = ask(&client(&server), &Mutex::new(Vec::new())).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.to_string().contains("open the answer stream (500)"), "{err}");
    assert!(err.to_string().contains("qgpt is restarting"), "{err}");
}

#[tokio::test]
async fn dropping_the_answer_closes_the_socket() {
    let server = server_with(|_| {
        let mut script = vec![WsAction::Send(frame("conv-1", "IN-PROGRESS", Some("first ")))];
        for _ in 0..50 {
            script.push(WsAction::Wait(Duration::from_millis(100)));
            script.push(WsAction::Send(frame("conv-1", "IN-PROGRESS", Some("more "))));
        }
        script.push(WsAction::Send(frame("conv-1", "COMPLETED", None)));
        script
    });
    let client = client(&server);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let tx = Mutex::new(Some(tx));
    let sink = move |_: &str| {
        if let Some(tx) = tx.lock().unwrap().take() {
            let _ = tx.send(());
        }
    };
    tokio::select! {
        _ = client.ask_stream(Some("conv-1"), "Q", vec![], &sink) => panic!("the answer should still be streaming"),
        _ = rx => {}
    }
    // The future is dropped here; the server's next send finds the client gone.
    for _ in 0..50 {
        if server.requests().iter().any(|r| r.method == "WS-GONE") {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server never saw the stream stop");
}
