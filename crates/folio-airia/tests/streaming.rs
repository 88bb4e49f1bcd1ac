//! Streamed answers (server-sent events): pieces reach the sink as they arrive, any
//! chunking gives the same answer, and a stream that stops early is an error, never a
//! cut answer passed off as whole. Dropping the future hangs up.

mod common;

use common::*;
use folio_airia::testkit::{streamed_answer, RecordingServer, Reply, STREAMED_WORDS};
use folio_airia::AiriaError;
use folio_core::ErrorKind;
use serde_json::json;
use std::sync::Mutex;
use std::time::{Duration, Instant};

async fn ask(server: &RecordingServer) -> (Result<String, AiriaError>, Vec<(Instant, String)>) {
    let client = client_with_timeout(server, Duration::from_secs(2));
    let pieces = Mutex::new(Vec::new());
    let sink = |p: &str| pieces.lock().unwrap().push((Instant::now(), p.to_string()));
    let result = client.execute_streaming(&client.chat_turn(Some("conv-1"), "Q?", true), &sink).await.map(|a| a.text);
    (result, pieces.into_inner().unwrap())
}

#[tokio::test]
async fn pieces_arrive_in_order_and_make_the_answer() {
    let server = RecordingServer::airia();
    let (result, pieces) = ask(&server).await;
    assert_eq!(result.unwrap(), STREAMED_WORDS.concat());
    assert_eq!(pieces.iter().map(|p| p.1.as_str()).collect::<Vec<_>>(), STREAMED_WORDS);
    let body = server.requests()[0].json().cloned().unwrap();
    assert_eq!(body["asyncOutput"], json!(true));
}

#[tokio::test]
async fn any_chunking_gives_the_same_answer() {
    for size in [1, 2, 5, 13, 64] {
        let server = RecordingServer::start(move |_| streamed_answer(&["Größe ", "😀 ", "ok [1]"]).rechunk(size));
        let (result, _) = ask(&server).await;
        assert_eq!(result.unwrap(), "Größe 😀 ok [1]", "chunks of {size} bytes");
    }
}

#[tokio::test]
async fn text_is_shown_while_it_is_written() {
    let server = RecordingServer::start(|_| streamed_answer(&STREAMED_WORDS).paced(Duration::from_millis(60)));
    let (result, pieces) = ask(&server).await;
    result.unwrap();
    let finished = Instant::now();
    // The first word reached the sink well before the answer was complete.
    assert!(finished - pieces[0].0 >= Duration::from_millis(300), "{:?}", finished - pieces[0].0);
}

#[tokio::test]
async fn a_stream_cut_mid_answer_is_an_error_not_a_short_answer() {
    let blocks: Vec<usize> = streamed_answer(&STREAMED_WORDS).chunks.iter().map(|c| c.1.len()).collect();
    // Where the model's end-of-stream event starts: every cut before it loses text.
    let end_event = blocks[..3 + STREAMED_WORDS.len()].iter().sum::<usize>();
    for cut in [blocks[0] + 5, end_event / 2, end_event / 2 + 3, end_event - 1, end_event + 4] {
        let server = RecordingServer::start(move |_| streamed_answer(&STREAMED_WORDS).cut_after(cut));
        let (result, pieces) = ask(&server).await;
        let err = result.expect_err("a cut stream must fail");
        assert!(matches!(err, AiriaError::StreamCut { .. }), "cut at {cut}: {err:?}");
        assert_eq!(err.kind(), ErrorKind::Unavailable);
        assert!(err.to_string().contains("cut off mid-stream"), "{err}");
        assert!(pieces.len() <= STREAMED_WORDS.len(), "cut at {cut}");
    }
}

#[tokio::test]
async fn a_cut_after_the_models_end_event_keeps_the_whole_answer() {
    let blocks: Vec<usize> = streamed_answer(&STREAMED_WORDS).chunks.iter().map(|c| c.1.len()).collect();
    let after_end = blocks[..4 + STREAMED_WORDS.len()].iter().sum::<usize>() + 10;
    let server = RecordingServer::start(move |_| streamed_answer(&STREAMED_WORDS).cut_after(after_end));
    assert_eq!(ask(&server).await.0.unwrap(), STREAMED_WORDS.concat());
}

#[tokio::test]
async fn a_stream_that_closes_without_its_end_event_is_cut() {
    let server = RecordingServer::start(|_| {
        Reply::sse(&[("AgentModelStreamFragmentMessage", json!({"index": 0, "content": "Half an"}))])
    });
    let (result, pieces) = ask(&server).await;
    let err = result.unwrap_err();
    assert!(err.to_string().contains("ended before Airia said the answer was finished"), "{err}");
    assert_eq!(pieces.len(), 1);
}

#[tokio::test]
async fn a_failure_inside_the_stream_is_reported_with_airias_reason() {
    let server = RecordingServer::start(|_| {
        Reply::sse(&[
            ("AgentModelStreamFragmentMessage", json!({"index": 0, "content": "Par"})),
            ("AgentModelStreamErrorMessage", json!({"errorMessage": "model quota exhausted"})),
        ])
    });
    let err = ask(&server).await.0.unwrap_err();
    assert!(err.to_string().contains("model quota exhausted"), "{err}");
}

#[tokio::test]
async fn a_stream_that_falls_silent_times_out() {
    let server = RecordingServer::start(|_| streamed_answer(&STREAMED_WORDS).paced(Duration::from_millis(1500)));
    let client = client_with_timeout(&server, Duration::from_millis(400));
    let started = Instant::now();
    let err = client.execute_streaming(&client.chat_turn(None, "Q?", true), &|_| {}).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(started.elapsed() < Duration::from_millis(1400));
}

#[tokio::test]
async fn dropping_the_future_hangs_up() {
    // 40 fragments, 100 ms apart: 4 s if read to the end.
    let words: Vec<String> = (0..40).map(|i| format!("w{i} ")).collect();
    let server = RecordingServer::start(move |_| {
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        streamed_answer(&refs).paced(Duration::from_millis(100))
    });
    let client = client_with_timeout(&server, Duration::from_secs(5));
    let seen = Mutex::new(0usize);
    let sink = |_: &str| *seen.lock().unwrap() += 1;
    let turn = client.chat_turn(None, "Q?", true);
    let stopped = tokio::time::timeout(Duration::from_millis(900), client.execute_streaming(&turn, &sink)).await;
    assert!(stopped.is_err(), "the answer should still have been streaming");
    assert!(*seen.lock().unwrap() > 0);
    let deadline = Instant::now() + Duration::from_secs(2);
    while server.open_bodies() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(server.open_bodies(), 0, "the server is still sending to a caller that left");
}

#[tokio::test]
async fn a_pipeline_that_answers_in_one_piece_still_works() {
    let server = RecordingServer::start(|_| {
        Reply::json(200, json!({"result": "Whole answer", "executionId": "e", "isBackupPipeline": false}))
    });
    let (result, pieces) = ask(&server).await;
    assert_eq!(result.unwrap(), "Whole answer");
    assert_eq!(pieces.len(), 1);
}
