//! The built-in provider: the tiny random-weight GGUF model (scripts/setup.d/50-models.sh)
//! run in this process. Random weights write random words, which Folio must never show as
//! an answer; real weights (SmolLM2) are in smollm2.rs, the checking itself with the
//! loopback servers in providers.rs.

use crate::common::*;
use folio_answer::llm::builtin::Builtin;
use folio_answer::llm::{ChatMessage, Provider};
use folio_answer::settings::{AnswerSettings, ProviderSettings};
use folio_core::{AnswerKind, Backend, ConverseRequest, ErrorKind};
use folio_models::LoadOptions;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

fn tiny_model() -> PathBuf {
    let path = std::env::var_os("FOLIO_TEST_GGUF").map(PathBuf::from).unwrap_or_else(|| {
        panic!("FOLIO_TEST_GGUF is not set: run scripts/test.sh (or source scripts/setup.sh; 50-models.sh generates the test models)")
    });
    assert!(path.is_file(), "FOLIO_TEST_GGUF={} is missing: rerun scripts/setup.sh", path.display());
    path
}

fn question() -> Vec<ChatMessage> {
    vec![ChatMessage { role: "user", content: "What does the manual say about landscape pages?".into() }]
}

/// The count of generating threads is process-wide: these tests take turns.
pub static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_builtin_model_streams_stops_when_dropped_and_refuses_what_does_not_fit() {
    let _turn = SERIAL.lock().await;
    let provider = Builtin::new(tiny_model(), Duration::from_secs(60));
    assert_eq!(provider.describe(), "the built-in model (tiny-llama.gguf)");
    let pieces = Mutex::new(Vec::new());
    let sink = |s: &str| pieces.lock().unwrap().push(s.to_string());
    let answer = provider.chat(&question(), &sink).await.unwrap();
    let pieces = pieces.into_inner().unwrap();
    assert!(pieces.len() > 1, "the answer streams in pieces: {pieces:?}");
    assert_eq!(pieces.concat(), answer);

    // Stop: the chat future is dropped mid-answer; the generating thread must end promptly.
    let (first_tx, first_rx) = std::sync::mpsc::channel::<()>();
    let first_tx = Mutex::new(Some(first_tx));
    let task = tokio::spawn(async move {
        let provider = Builtin::new(tiny_model(), Duration::from_secs(60));
        let sink = move |_: &str| {
            if let Some(tx) = first_tx.lock().unwrap().take() {
                tx.send(()).ok();
            }
        };
        provider.chat(&question(), &sink).await
    });
    tokio::task::spawn_blocking(move || first_rx.recv_timeout(Duration::from_secs(60)).expect("a first piece"))
        .await
        .unwrap();
    assert_eq!(folio_models::running_generations(), 1, "it is generating");
    let dropped = Instant::now();
    task.abort();
    while folio_models::running_generations() > 0 {
        assert!(dropped.elapsed() < Duration::from_millis(500), "still generating {:?} after Stop", dropped.elapsed());
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    eprintln!("Stop: the generating thread ended {:?} after the future was dropped", dropped.elapsed());

    // A machine with too little free memory: refused with the reason, as LimitExceeded.
    let small = Builtin::new(tiny_model(), Duration::from_secs(60))
        .with_load_options(LoadOptions { context: 4096, memory_limit: Some(10_000_000) });
    let err = folio_core::Error::from(small.chat(&question(), &|_: &str| {}).await.unwrap_err());
    assert_eq!(err.kind(), ErrorKind::LimitExceeded);
    assert!(err.to_string().contains("needs about") && err.to_string().contains("only 10 MB is free"), "{err}");

    let missing = Builtin::new(PathBuf::from("/nonexistent/model.gguf"), Duration::from_secs(5));
    let err = folio_core::Error::from(missing.chat(&question(), &|_: &str| {}).await.unwrap_err());
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn converse_never_shows_random_words_as_an_answer_and_records_the_fallback() {
    let _turn = SERIAL.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let backend = open(dir.path());
    let conv = ingest(&backend, &manuals()).await;
    backend.set_settings(AnswerSettings {
        provider: Some(ProviderSettings::Builtin { model_path: tiny_model() }),
        ..Default::default()
    });
    let q = ConverseRequest { question: "How far is landscape text rotated?".into(), ..Default::default() };
    let streamed = Mutex::new(String::new());
    let answer =
        backend.converse_streaming(&conv.id, &q, &|s: &str| streamed.lock().unwrap().push_str(s)).await.unwrap();
    // Random weights write random words: never shown as an answer. One sentence says
    // why, then the documents' own words, each sentence with its source.
    assert_eq!(answer.kind, AnswerKind::Quoted, "{}", answer.text);
    assert!(answer.text.starts_with("The built-in model"), "{}", answer.text);
    assert!(answer.text.contains("90 degrees"), "{}", answer.text);
    crate::providers::assert_every_sentence_marked(&answer);
    assert!(!streamed.into_inner().unwrap().is_empty(), "the answer streamed");
    let history = backend.history(&conv.id).await.unwrap();
    let last = history.last().expect("the exchange is in the history");
    assert_eq!(last.question, q.question);
    assert_eq!(last.answer.text, answer.text);
    assert_eq!(last.answer.kind, AnswerKind::Quoted);
    assert_eq!(last.answer.sentences, answer.sentences);

    // A file that is not a model: the reason, then the quoted answer.
    let bogus = dir.path().join("bogus.gguf");
    std::fs::write(&bogus, b"not a model").unwrap();
    backend.set_settings(AnswerSettings {
        provider: Some(ProviderSettings::Builtin { model_path: bogus }),
        ..Default::default()
    });
    let answer = backend.converse(&conv.id, &q).await.unwrap();
    assert_eq!(answer.kind, AnswerKind::Quoted);
    assert!(answer.text.contains("is not a GGUF model file"), "{}", answer.text);
    assert!(answer.text.contains("90 degrees"), "{}", answer.text);
}
