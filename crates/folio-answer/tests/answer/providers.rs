//! The Ollama and OpenAI-compatible providers against loopback servers speaking their
//! real streaming protocols, and what the backend does with their answers and failures.

use crate::common::*;
use crate::llm_server::{start, Script};
use folio_answer::llm::{ollama, openai, ChatMessage, Provider};
use folio_answer::settings::{AnswerSettings, ProviderSettings};
use folio_core::{AnswerKind, Backend, ConverseRequest, ErrorKind};
use std::sync::Mutex;
use std::time::Duration;

fn timeouts() -> folio_answer::llm::Timeouts {
    folio_answer::llm::Timeouts { connect: Duration::from_secs(2), first_token: Duration::from_secs(5), gap: Duration::from_secs(1) }
}

fn hello() -> Vec<ChatMessage> {
    vec![ChatMessage { role: "user", content: "hello".into() }]
}

async fn chat(p: &dyn Provider) -> (folio_answer::Result<String>, Vec<String>) {
    let got = Mutex::new(Vec::new());
    let sink = |s: &str| got.lock().unwrap().push(s.to_string());
    let r = p.chat(&hello(), &sink).await;
    (r, got.into_inner().unwrap())
}

#[tokio::test]
async fn ollama_is_detected_lists_models_and_streams() {
    let server = start(Script::answering(&["The ", "answer", "."])).await;
    assert_eq!(ollama::detect(Some(&server.url)).await.unwrap(), vec!["llama3.2:latest", "gpt-test"]);
    let p = ollama::Ollama::new(server.url.clone(), "llama3.2:latest".into(), timeouts());
    let (answer, pieces) = chat(&p).await;
    assert_eq!(answer.unwrap(), "The answer.");
    assert_eq!(pieces, vec!["The ", "answer", "."], "tokens arrive one by one");
    let seen = server.seen.lock().unwrap().last().cloned().unwrap();
    assert_eq!(seen.path, "/api/chat");
    assert_eq!(seen.body["stream"], true);
    // Nothing listens on port 9 of loopback: detection says no, quickly.
    assert!(ollama::detect(Some("http://127.0.0.1:9")).await.is_none());
}

#[tokio::test]
async fn openai_lists_models_streams_and_sends_the_key() {
    let server = start(Script::answering(&["Forty", "-two"])).await;
    let p = openai::OpenAi::new(server.url.clone(), "gpt-test".into(), Some("sk-test".into()), timeouts());
    assert_eq!(p.models().await.unwrap(), vec!["llama3.2:latest", "gpt-test"]);
    let (answer, pieces) = chat(&p).await;
    assert_eq!(answer.unwrap(), "Forty-two");
    assert_eq!(pieces, vec!["Forty", "-two"]);
    let seen = server.seen.lock().unwrap().last().cloned().unwrap();
    assert_eq!(seen.path, "/v1/chat/completions");
    assert_eq!(seen.authorization.as_deref(), Some("Bearer sk-test"));
}

#[tokio::test]
async fn a_missing_model_a_cut_stream_a_stall_and_a_dead_server_are_clear_errors() {
    let server = start(Script::answering(&["a", "b", "c"])).await;
    let (r, _) = chat(&ollama::Ollama::new(server.url.clone(), "mistral".into(), timeouts())).await;
    let e = r.unwrap_err();
    assert_eq!(folio_core::Error::from(e).kind(), ErrorKind::NotFound);
    let (r, _) = chat(&ollama::Ollama::new(server.url.clone(), "mistral".into(), timeouts())).await;
    assert!(r.unwrap_err().to_string().contains("ollama pull mistral"));
    let (r, _) = chat(&openai::OpenAi::new(server.url.clone(), "gpt-9".into(), None, timeouts())).await;
    let e = folio_core::Error::from(r.unwrap_err());
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(e.to_string().contains("gpt-9"), "{e}");

    for cut in [0, 2] {
        let server = start(Script { cut_after: Some(cut), ..Script::answering(&["a", "b", "c"]) }).await;
        let (r, pieces) = chat(&ollama::Ollama::new(server.url.clone(), "llama3.2:latest".into(), timeouts())).await;
        let e = folio_core::Error::from(r.unwrap_err());
        assert_eq!(e.kind(), ErrorKind::Unavailable, "{e}");
        assert!(e.to_string().contains("mid-answer"), "{e}");
        assert_eq!(pieces.len(), cut);
        let (r, _) = chat(&openai::OpenAi::new(server.url.clone(), "gpt-test".into(), None, timeouts())).await;
        assert!(r.unwrap_err().to_string().contains("mid-answer"));
    }

    let server = start(Script { stall_after: Some(1), ..Script::answering(&["a", "b"]) }).await;
    let (r, _) = chat(&openai::OpenAi::new(server.url.clone(), "gpt-test".into(), None, timeouts())).await;
    assert_eq!(folio_core::Error::from(r.unwrap_err()).kind(), ErrorKind::Timeout);

    let (r, _) = chat(&ollama::Ollama::new("http://127.0.0.1:9".into(), "llama3.2:latest".into(), timeouts())).await;
    let e = folio_core::Error::from(r.unwrap_err());
    assert_eq!(e.kind(), ErrorKind::Unavailable);
    assert!(e.to_string().contains("not reachable"), "{e}");
}

fn with_model(provider: ProviderSettings) -> AnswerSettings {
    AnswerSettings { provider: Some(provider), token_gap_timeout: Duration::from_secs(1), ..Default::default() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn model_answers_cite_only_given_passages_and_failures_fall_back_to_quotes() {
    let dir = tempfile::tempdir().unwrap();
    let backend = open(dir.path());
    let conv = ingest(&backend, &manuals()).await;
    // The model cites passage 1 (given) and 99 (never given).
    let server = start(Script::answering(&["Text is rotated by 90 degrees [1]", ", and more [99]."])).await;
    backend.set_settings(with_model(ProviderSettings::OpenAi { base_url: server.url.clone(), model: "gpt-test".into(), api_key: None }));
    let q = ConverseRequest { question: "How far is landscape text rotated?".into(), ..Default::default() };
    let answer = backend.converse(&conv.id, &q).await.unwrap();
    assert_eq!(answer.kind, AnswerKind::Generated);
    assert_eq!(answer.text, "Text is rotated by 90 degrees [1], and more.");
    assert_eq!(answer.sources.len(), 1, "the citation to a passage not given is dropped");
    assert_eq!(answer.sources[0].document_name, "lscape.pdf");
    assert_eq!(answer.sources[0].page, Some(1));
    // The prompt numbered the passages it gave.
    let seen = server.seen.lock().unwrap().last().cloned().unwrap();
    let prompt = seen.body["messages"].as_array().unwrap().last().unwrap()["content"].as_str().unwrap().to_string();
    assert!(prompt.contains("[1] (lscape.pdf, page 1)"), "{prompt}");
    assert!(!prompt.contains("[99]"));

    // Model not pulled: a clear message, then the quoted answer.
    backend.set_settings(with_model(ProviderSettings::Ollama { base_url: server.url.clone(), model: "mistral".into() }));
    let answer = backend.converse(&conv.id, &q).await.unwrap();
    assert_eq!(answer.kind, AnswerKind::Quoted);
    assert!(answer.text.contains("ollama pull mistral"), "{}", answer.text);
    assert!(answer.text.contains("rotated through 90 degrees"), "{}", answer.text);

    // Server down: the same.
    backend.set_settings(with_model(ProviderSettings::Ollama { base_url: "http://127.0.0.1:9".into(), model: "x".into() }));
    let answer = backend.converse(&conv.id, &q).await.unwrap();
    assert_eq!(answer.kind, AnswerKind::Quoted);
    assert!(answer.text.contains("not reachable"), "{}", answer.text);
    assert!(answer.sources.iter().all(|s| s.page.is_some()));
}
