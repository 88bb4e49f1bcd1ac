//! The Ollama and OpenAI-compatible providers against loopback servers speaking their
//! real streaming protocols, and what the backend does with their answers and failures.

use crate::common::*;
use crate::llm_server::{start, Script};
use folio_answer::llm::{ollama, openai, ChatMessage, Provider};
use folio_answer::settings::{AnswerSettings, ProviderSettings};
use folio_core::{AnswerKind, Backend, ConverseRequest, ErrorKind, Support};
use std::sync::Mutex;
use std::time::Duration;

fn timeouts() -> folio_answer::llm::Timeouts {
    folio_answer::llm::Timeouts {
        connect: Duration::from_secs(2),
        first_token: Duration::from_secs(5),
        gap: Duration::from_secs(1),
    }
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

/// Every sentence of an answer is either backed by a source (its index valid, its
/// evidence inside that source's passage) or marked not found; ranges point at the text.
pub fn assert_every_sentence_marked(answer: &folio_core::Answer) {
    assert!(!answer.sentences.is_empty(), "no sentences in {answer:#?}");
    for s in &answer.sentences {
        assert_eq!(&answer.text[s.start as usize..s.end as usize], s.text, "{answer:#?}");
        match s.support {
            Support::Supported => {
                let source = &answer.sources[s.source.expect("a supported sentence has a source") as usize];
                let evidence = s.evidence.as_deref().expect("and its evidence");
                let passage: String =
                    source.passage.as_deref().unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
                assert!(passage.contains(evidence), "evidence {evidence:?} is not in its passage {passage:?}");
                assert!(source.page.is_some());
            }
            Support::NotFound => assert!(s.source.is_none()),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn model_answers_are_checked_sentence_by_sentence_and_failures_fall_back_to_quotes() {
    let dir = tempfile::tempdir().unwrap();
    let backend = open(dir.path());
    let conv = ingest(&backend, &manuals()).await;
    let q = ConverseRequest { question: "How far is landscape text rotated?".into(), ..Default::default() };
    // The model's own marker [7] is never trusted: Folio finds the sentence that says it.
    let server =
        start(Script::answering(&["Text in the landscape environment ", "is rotated through 90 degrees [7]."])).await;
    backend.set_settings(with_model(ProviderSettings::OpenAi {
        base_url: server.url.clone(),
        model: "gpt-test".into(),
        api_key: None,
    }));
    let answer = backend.converse(&conv.id, &q).await.unwrap();
    assert_eq!(answer.kind, AnswerKind::Generated, "{}", answer.text);
    assert_eq!(answer.text, "Text in the landscape environment is rotated through 90 degrees. [1]");
    assert_eq!(answer.sources.len(), 1);
    assert_eq!(answer.sources[0].document_name, "lscape.pdf");
    assert_eq!(answer.sources[0].page, Some(1));
    assert_every_sentence_marked(&answer);
    assert_eq!(answer.sentences.len(), 1);
    assert!(answer.sentences[0].evidence.as_deref().unwrap().contains("rotated through 90 degrees"));
    assert!(!answer.sentences[0].boxes.is_empty(), "the supporting sentence has its own boxes");
    // Recorded with its proof: the history shows the same marks after a restart.
    let last = backend.history(&conv.id).await.unwrap().pop().unwrap();
    assert_eq!(last.answer.sentences, answer.sentences);
    // The prompt gave a few evidence sentences and asked for no markers.
    let seen = server.seen.lock().unwrap().last().cloned().unwrap();
    let prompt = seen.body["messages"].as_array().unwrap().last().unwrap()["content"].as_str().unwrap().to_string();
    assert!(prompt.contains("- All text, within the landscape environment is rotated through 90 degrees."), "{prompt}");
    assert!(prompt.len() < 2000, "a short prompt: {} bytes", prompt.len());
    assert!(!prompt.contains("[1]"));

    // A wrong number, only a marker, a loop, "the documents do not say": never shown as
    // the answer; one sentence says why, then the documents' own words, each cited.
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["Text in the landscape environment is rotated through 45 degrees.".into()],
            "could not be checked against your documents",
        ),
        (vec!["[1]".into()], "citation marks and no words"),
        (std::iter::repeat_n("[1]".to_string(), 400).collect(), "went round in circles"),
        (vec!["The documents do not say.".into()], "found no answer"),
    ];
    for (pieces, why) in cases {
        let pieces: Vec<&str> = pieces.iter().map(String::as_str).collect();
        let server = start(Script::answering(&pieces)).await;
        backend.set_settings(with_model(ProviderSettings::Ollama {
            base_url: server.url.clone(),
            model: "llama3.2:latest".into(),
        }));
        let streamed = Mutex::new(String::new());
        let answer =
            backend.converse_streaming(&conv.id, &q, &|s: &str| streamed.lock().unwrap().push_str(s)).await.unwrap();
        assert_eq!(answer.kind, AnswerKind::Quoted, "{}", answer.text);
        let first = answer.text.split("\n\n").next().unwrap();
        assert!(first.starts_with("The language model") && first.contains(why), "{first}");
        assert!(answer.text.contains("rotated through 90 degrees"), "{}", answer.text);
        assert_every_sentence_marked(&answer);
        assert!(answer.sentences.iter().all(|s| s.support == Support::Supported));
        // A loop is cut as soon as it repeats, not streamed to its end.
        assert!(streamed.into_inner().unwrap().len() < 100);
    }

    // Model not pulled: a clear message, then the quoted answer.
    backend
        .set_settings(with_model(ProviderSettings::Ollama { base_url: server.url.clone(), model: "mistral".into() }));
    let answer = backend.converse(&conv.id, &q).await.unwrap();
    assert_eq!(answer.kind, AnswerKind::Quoted);
    assert!(answer.text.contains("ollama pull mistral"), "{}", answer.text);
    assert!(answer.text.contains("rotated through 90 degrees"), "{}", answer.text);

    // Server down: the same.
    backend.set_settings(with_model(ProviderSettings::Ollama {
        base_url: "http://127.0.0.1:9".into(),
        model: "x".into(),
    }));
    let answer = backend.converse(&conv.id, &q).await.unwrap();
    assert_eq!(answer.kind, AnswerKind::Quoted);
    assert!(answer.text.contains("not reachable"), "{}", answer.text);
    assert!(answer.sources.iter().all(|s| s.page.is_some()));
}
