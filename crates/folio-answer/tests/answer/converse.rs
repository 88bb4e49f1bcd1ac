//! Conversation chat through `Backend::converse`: quoted answers by default, history
//! kept across a restart, follow-ups that use the previous turn.

use crate::common::*;
use folio_core::{AnswerKind, Backend, ConverseRequest, ErrorKind};

fn ask(question: &str) -> ConverseRequest {
    ConverseRequest { question: question.into(), ..Default::default() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_survives_a_restart_and_follow_ups_use_the_previous_turn() {
    let dir = tempfile::tempdir().unwrap();
    let conv_id;
    {
        let backend = open(dir.path());
        let conv = ingest(&backend, &manuals()).await;
        conv_id = conv.id.clone();
        let answer =
            backend.converse(&conv.id, &ask("What does the landscape environment do to the text?")).await.unwrap();
        assert_eq!(answer.kind, AnswerKind::Quoted);
        assert!(answer.text.contains("rotated through 90 degrees"), "{}", answer.text);
        assert_eq!(answer.sources[0].document_name, "lscape.pdf");
        assert_eq!(answer.sources[0].page, Some(1));
        assert!(!answer.prompt_id.is_empty());
    }
    // A new engine on the same folder: the chat is still there.
    let backend = open(dir.path());
    let messages = backend.engine().store().messages(&conv_id).unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0].role, "user");
    assert!(messages[1].content.contains("rotated through 90 degrees"));
    assert_eq!(messages[1].sources.as_ref().unwrap()["kind"], "quoted");
    // The same turn as the chat shows it again: question, answer, kind and cited pages.
    let turns = backend.history(&conv_id).await.unwrap();
    assert_eq!(turns.len(), 1);
    assert_eq!(turns[0].question, "What does the landscape environment do to the text?");
    assert_eq!(turns[0].answer.kind, AnswerKind::Quoted);
    assert_eq!(turns[0].answer.sources[0].document_name, "lscape.pdf");
    assert_eq!(turns[0].answer.sources[0].page, Some(1));
    assert!(turns[0].asked_at.is_some());

    // "its pdftex option" only makes sense after the landscape question.
    let answer = backend.converse(&conv_id, &ask("Who wrote about its pdftex option?")).await.unwrap();
    assert!(answer.text.contains("Scott Pakin"), "{}", answer.text);
    assert_eq!(answer.sources[0].document_name, "lscape.pdf");
    assert_eq!(backend.engine().store().messages(&conv_id).unwrap().len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_questions_get_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let backend = open(dir.path());
    let err = backend.converse("no-such-conversation", &ask("anything")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let conv = ingest(&backend, &[corpus("lscape.pdf")]).await;
    let err = backend.converse(&conv.id, &ask("   ")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    // Nothing matches: the answer says so instead of quoting something unrelated.
    let answer = backend.converse(&conv.id, &ask("zzyzx qqwv")).await.unwrap();
    assert_eq!(answer.text, folio_answer::extract::NOTHING_FOUND);
    assert!(answer.sources.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_about_what_no_document_mentions_is_answered_by_saying_so() {
    let dir = tempfile::tempdir().unwrap();
    let backend = open(dir.path());
    let table = dir.path().join("weather.csv");
    std::fs::write(&table, "date,precipitation,temp_max\n2015/01/01,0.0,5.6\n2015/01/02,1.5,10.6\n").unwrap();
    let conv = ingest(&backend, &[corpus("lscape.pdf"), table]).await;
    // A name lscape.pdf never mentions: no quote of its nearest passage.
    let answer = backend.converse(&conv.id, &ask("How do I rotate pages with Kafka?")).await.unwrap();
    assert!(folio_answer::extract::is_not_found(&answer.text), "{}", answer.text);
    assert!(answer.text.contains("“Kafka”"), "{}", answer.text);
    assert!(answer.sources.is_empty());
    // A day the table has in another written form is found and quoted with its row...
    let answer = backend.converse(&conv.id, &ask("How much did it rain on the second of January 2015?")).await.unwrap();
    assert!(answer.text.contains("precipitation: 1.5"), "{}", answer.text);
    assert_eq!(answer.sources[0].document_name, "weather.csv");
    // ... and a day it lacks is said to be missing.
    let answer = backend.converse(&conv.id, &ask("How much did it rain on 5 January 2016?")).await.unwrap();
    assert!(answer.text.contains("“5 January 2016”"), "{}", answer.text);
    assert!(answer.sources.is_empty());
    // Names the documents do hold still get their quote ("Pakin" wrote lscape).
    let answer = backend.converse(&conv.id, &ask("What did Scott Pakin write?")).await.unwrap();
    assert!(!folio_answer::extract::is_not_found(&answer.text), "{}", answer.text);
}
