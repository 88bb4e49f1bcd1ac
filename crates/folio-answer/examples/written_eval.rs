//! Figures for written answers with a real model (not run in CI): the first N questions
//! of a question set, asked of one conversation holding their documents, answered by the
//! built-in model through the whole pipeline (evidence, guarded generation, checking).
//!
//! cargo run --release -p folio-answer --example written_eval -- MODEL.gguf \
//!     crates/folio-answer/eval/questions.jsonl [N=20]
//! (after `source scripts/setup.sh`: FOLIO_TEST_CORPUS, FOLIO_PDFIUM and the embedder.)
//!
//! Prints per question: kind, seconds to the first piece and to the whole answer, and
//! whether the answer holds the question's answer words; then the shares.

use folio_answer::eval::{normalise, read_questions};
use folio_answer::settings::{AnswerSettings, ProviderSettings};
use folio_answer::LocalBackend;
use folio_core::{AnswerKind, Backend, ConverseRequest, NewConversation, Support};
use folio_engine::{Engine, EngineSettings};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [model, questions, rest @ ..] = args.as_slice() else {
        return Err("usage: written_eval MODEL.gguf QUESTIONS.jsonl [N]".into());
    };
    let n: usize = rest.first().map(|s| s.parse()).transpose()?.unwrap_or(20);
    // The evaluation sets' documents, then the test corpus's (questions.jsonl).
    let folders: Vec<PathBuf> = ["FOLIO_EVAL_CORPUS", "FOLIO_TEST_CORPUS"]
        .iter()
        .filter_map(|v| std::env::var_os(v).map(PathBuf::from))
        .collect();
    if folders.is_empty() {
        return Err("FOLIO_EVAL_CORPUS and FOLIO_TEST_CORPUS are not set: source scripts/setup.sh".into());
    }
    let find = |name: &str| {
        folders.iter().map(|f| f.join(name)).find(|p| p.is_file()).unwrap_or_else(|| folders[0].join(name))
    };
    let questions: Vec<_> = read_questions(&std::fs::read_to_string(questions)?)?.into_iter().take(n).collect();
    let mut files: Vec<PathBuf> = questions.iter().map(|q| find(&q.document)).collect();
    files.dedup();
    files.sort();
    files.dedup();

    let dir = tempfile::tempdir()?;
    let settings = EngineSettings {
        workers: 2,
        pdfium_path: std::env::var_os("FOLIO_PDFIUM").map(PathBuf::from),
        ..Default::default()
    };
    let backend = LocalBackend::new(Engine::open(dir.path(), settings)?, AnswerSettings::default())?;
    let created =
        backend.create_conversation(NewConversation { name: "eval".into(), files, ..Default::default() }).await?;
    let engine = backend.engine().clone();
    tokio::task::spawn_blocking(move || {
        engine.wait_idle();
        engine.wait_embedded()
    })
    .await??;
    backend.set_settings(AnswerSettings {
        provider: Some(ProviderSettings::Builtin { model_path: PathBuf::from(model) }),
        first_token_timeout: Duration::from_secs(300),
        ..Default::default()
    });

    let (mut written, mut holds, mut sentences, mut supported) = (0, 0, 0, 0);
    let (mut firsts, mut wholes) = (Vec::new(), Vec::new());
    for q in &questions {
        let started = Instant::now();
        let first: Mutex<Option<Duration>> = Mutex::new(None);
        let sink = |_: &str| {
            first.lock().unwrap().get_or_insert_with(|| started.elapsed());
        };
        let request = ConverseRequest { question: q.question.clone(), ..Default::default() };
        let answer = backend.converse_streaming(&created.id, &request, &sink).await?;
        let whole = started.elapsed();
        let first = first.into_inner().unwrap();
        // A question without an answer in the documents (`answer: null`) holds nothing.
        let holds_answer = q.answer.as_deref().is_some_and(|a| normalise(&answer.text).contains(&normalise(a)));
        if answer.kind == AnswerKind::Generated {
            written += 1;
            holds += holds_answer as usize;
            sentences += answer.sentences.len();
            supported += answer.sentences.iter().filter(|s| s.support == Support::Supported).count();
        }
        if let Some(f) = first {
            firsts.push(f.as_secs_f64());
        }
        wholes.push(whole.as_secs_f64());
        println!(
            "{:?}\tfirst {}\twhole {:.1} s\tholds {}\t{}\n\t{}",
            answer.kind,
            first.map(|f| format!("{:.1} s", f.as_secs_f64())).unwrap_or_else(|| "-".into()),
            whole.as_secs_f64(),
            holds_answer,
            q.question,
            answer.text.replace('\n', " ").chars().take(300).collect::<String>()
        );
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
    };
    let asked = questions.len();
    println!(
        "model {model}\nquestions {asked}\nwritten answers shown {written} ({:.2}), fell back to quotes {} ({:.2})\n\
         written answers holding the answer {holds}/{written} ({:.2}); of all questions {:.2}\n\
         sentences of written answers supported {supported}/{sentences}\n\
         median time to first piece {:.1} s, to the whole answer {:.1} s",
        written as f64 / asked as f64,
        asked - written,
        (asked - written) as f64 / asked as f64,
        holds as f64 / written.max(1) as f64,
        holds as f64 / asked as f64,
        median(&mut firsts),
        median(&mut wholes),
    );
    Ok(())
}
