//! `AiriaBackend` on a real engine (SQLite on disk, a real text file read and indexed)
//! and a recording Airia on loopback: the documents stay local, the passages travel in
//! the user input, citations point at Folio's pages, Folio lists what Airia cannot, and
//! a failing Airia loses nothing from Folio's history.

mod common;

use common::*;
use folio_airia::testkit::{airia_reply, streamed_answer, RecordingServer, Reply};
use folio_airia::AiriaBackend;
use folio_answer::{AnswerSettings, LocalBackend};
use folio_core::{
    Backend, ConversationUpdate, ConverseRequest, ErrorKind, ListQuery, NewConversation, QueryModel, QueryRequest,
    QuerySource,
};
use folio_engine::{Engine, EngineSettings};
use serde_json::json;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

const MANUAL: &str = "Plotting manual\n\nThe set xrange command fixes the horizontal range of a plot. \
Write set xrange [0:10] to show x from zero to ten.\n\nColours are chosen with the linecolor option.\n";

fn open(dir: &std::path::Path, base_url: &str) -> AiriaBackend {
    let settings = EngineSettings { workers: 1, embeddings: None, ..Default::default() };
    let engine = Engine::open(dir, settings).expect("engine opens");
    let local = LocalBackend::new(engine, AnswerSettings::default()).expect("answer tables");
    AiriaBackend::new(config(base_url), local).expect("backend")
}

async fn conversation(backend: &AiriaBackend, dir: &std::path::Path) -> String {
    let file = dir.join("manual.txt");
    std::fs::write(&file, MANUAL).unwrap();
    let created = backend
        .create_conversation(NewConversation { name: "Plots".into(), files: vec![file], ..Default::default() })
        .await
        .expect("created");
    let engine = backend.local().engine().clone();
    tokio::task::spawn_blocking(move || engine.wait_idle()).await.unwrap();
    created.id
}

fn ask(question: &str) -> ConverseRequest {
    ConverseRequest { question: question.into(), ..Default::default() }
}

#[tokio::test]
async fn a_streamed_answer_cites_folios_pages_and_is_kept() {
    let data = tempfile::tempdir().unwrap();
    let server = RecordingServer::airia();
    let backend = open(data.path(), &server.base_url());
    let id = conversation(&backend, data.path()).await;

    let created = &server.requests()[0];
    assert_eq!(created.path, "/api/v1/Conversations");
    assert_eq!(created.json().unwrap()["title"], json!("Plots"));
    let listed = backend.list_conversations(&ListQuery::default()).await.unwrap();
    assert_eq!(listed.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), [id.as_str()]);

    let pieces = Mutex::new(String::new());
    let sink = |p: &str| pieces.lock().unwrap().push_str(p);
    let answer = backend.converse_streaming(&id, &ask("How do I set the xrange of a plot?"), &sink).await.unwrap();
    assert_eq!(*pieces.lock().unwrap(), "The range is set with range [1].");
    assert_eq!(answer.text, "The range is set with range [1].");
    assert_eq!(answer.sources.len(), 1);
    let source = &answer.sources[0];
    assert_eq!(source.document_name, "manual.txt");
    assert!(source.passage.as_deref().unwrap().contains("set xrange [0:10]"), "{source:?}");
    assert!(source.page.is_some());

    let turn = server.requests().into_iter().find(|r| r.path.ends_with("/v2/PipelineExecution/pipe-1")).unwrap();
    let body = turn.json().unwrap();
    assert_eq!(body["conversationId"], json!("a1b2c3d4-0000-4000-8000-000000000001"));
    assert_eq!(body["asyncOutput"], json!(true));
    let input = body["userInput"].as_str().unwrap();
    assert!(input.contains("[1] (manual.txt,") && input.contains("set xrange [0:10]"), "{input}");
    assert!(input.ends_with("Question: How do I set the xrange of a plot?"), "{input}");

    let history = backend.local().engine().store().messages(&id).unwrap();
    assert_eq!(history.iter().map(|m| m.role.as_str()).collect::<Vec<_>>(), ["user", "assistant"]);
    assert_eq!(answer.prompt_id, history[1].id.to_string());
}

#[tokio::test]
async fn a_failing_airia_keeps_the_question_and_the_reason_in_folios_history() {
    let data = tempfile::tempdir().unwrap();
    let fail = Arc::new(AtomicBool::new(false));
    let failing = fail.clone();
    let server = RecordingServer::start(move |r| {
        if failing.load(Ordering::SeqCst) && r.path.contains("PipelineExecution") {
            return Reply::json(500, json!({"message": "pipeline crashed"}));
        }
        if failing.load(Ordering::SeqCst) && r.method == "DELETE" {
            return Reply::json(503, json!({"message": "maintenance"}));
        }
        airia_reply(r)
    });
    let backend = open(data.path(), &server.base_url());
    let id = conversation(&backend, data.path()).await;
    fail.store(true, Ordering::SeqCst);

    let err = backend.converse(&id, &ask("What chooses colours?")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.to_string().contains("pipeline crashed"), "{err}");
    let history = backend.local().engine().store().messages(&id).unwrap();
    assert_eq!(history[0].content, "What chooses colours?");
    assert!(
        history[1].content.starts_with("Airia could not answer") && history[1].content.contains("pipeline crashed")
    );
    assert_eq!(history[1].sources.as_ref().unwrap()["error"]["kind"], json!("unavailable"));

    // Airia refusing a delete leaves everything in place, so the user can retry.
    let err = backend.delete_conversation(&id).await.unwrap_err();
    assert!(err.to_string().contains("maintenance"), "{err}");
    assert!(backend.get_conversation(&id).await.is_ok());
    fail.store(false, Ordering::SeqCst);
    backend.delete_conversation(&id).await.unwrap();
    assert!(backend.list_conversations(&ListQuery::default()).await.unwrap().is_empty());
    assert_eq!(backend.get_conversation(&id).await.unwrap_err().kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn a_cut_stream_is_an_error_and_no_answer_is_recorded_as_whole() {
    let data = tempfile::tempdir().unwrap();
    let server = RecordingServer::start(|r| {
        if r.path.contains("PipelineExecution") {
            return streamed_answer(&["The range ", "is set"]).cut_after(400);
        }
        airia_reply(r)
    });
    let backend = open(data.path(), &server.base_url());
    let id = conversation(&backend, data.path()).await;
    let err = backend.converse_streaming(&id, &ask("How is the range set?"), &|_| {}).await.unwrap_err();
    assert!(err.to_string().contains("cut off mid-stream"), "{err}");
    let history = backend.local().engine().store().messages(&id).unwrap();
    assert_eq!(history.len(), 2);
    assert!(history[1].content.starts_with("Airia could not answer"));
}

#[tokio::test]
async fn what_airia_lacks_is_unsupported_or_local_and_bad_credentials_leave_nothing() {
    let data = tempfile::tempdir().unwrap();
    let server = RecordingServer::airia();
    let backend = open(data.path(), &server.base_url());
    let id = conversation(&backend, data.path()).await;
    let query = QueryRequest {
        query: "q".into(),
        source: QuerySource::Conversation(id.clone()),
        model: Some(QueryModel::MultistepLite),
        include_source_info: false,
    };
    let err = backend.run_query(&query).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert!(err.to_string().contains("not supported by Airia"), "{err}");
    // Renaming is Folio's own (Airia has no update endpoint): nothing is sent.
    let before = server.requests().len();
    backend
        .update_conversation(&id, &ConversationUpdate { name: Some("Renamed".into()), description: None })
        .await
        .unwrap();
    assert_eq!(backend.get_conversation(&id).await.unwrap().name, "Renamed");
    assert_eq!(server.requests().len(), before);

    // A local conversation that is not on Airia is not this backend's.
    let local_only = backend
        .local()
        .create_conversation(NewConversation { name: "mine".into(), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(backend.get_conversation(&local_only.id).await.unwrap_err().kind(), ErrorKind::NotFound);
    assert_eq!(backend.list_conversations(&ListQuery::default()).await.unwrap().len(), 1);

    let refusing = RecordingServer::start(|_| Reply::json(401, json!({"message": "bad key"})));
    let data2 = tempfile::tempdir().unwrap();
    let backend2 = open(data2.path(), &refusing.base_url());
    let err =
        backend2.create_conversation(NewConversation { name: "x".into(), ..Default::default() }).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert!(backend2.local().list_conversations(&ListQuery::default()).await.unwrap().is_empty());
}

#[tokio::test]
async fn history_after_a_restart_has_every_turn_with_its_pages_and_failures() {
    let data = tempfile::tempdir().unwrap();
    let fail = Arc::new(AtomicBool::new(false));
    let failing = fail.clone();
    let server = RecordingServer::start(move |r| {
        if failing.load(Ordering::SeqCst) && r.path.contains("PipelineExecution") {
            return Reply::json(500, json!({"message": "pipeline crashed"}));
        }
        airia_reply(r)
    });
    let backend = open(data.path(), &server.base_url());
    let id = conversation(&backend, data.path()).await;
    let answered = backend.converse(&id, &ask("How do I set the xrange of a plot?")).await.unwrap();
    fail.store(true, Ordering::SeqCst);
    backend.converse(&id, &ask("What chooses colours?")).await.unwrap_err();

    // As after a restart: a second engine on the same folder, a new backend.
    let reopened = open(data.path(), &server.base_url());
    let turns = reopened.history(&id).await.unwrap();
    assert_eq!(turns.len(), 2, "{turns:?}");
    assert_eq!(turns[0].question, "How do I set the xrange of a plot?");
    assert_eq!(turns[0].answer, answered, "the same text, pages and checked sentences");
    assert_eq!(turns[0].answer.sources[0].document_name, "manual.txt");
    assert_eq!(turns[1].question, "What chooses colours?");
    assert!(turns[1].answer.text.contains("pipeline crashed"), "the reason stays visible: {:?}", turns[1].answer);
    assert_eq!(
        reopened.history("not-an-airia-conversation").await.unwrap_err().kind(),
        ErrorKind::NotFound,
        "a local conversation's history is not Airia's"
    );
}

#[tokio::test]
async fn an_airia_conversation_is_never_listed_as_one_on_this_computer() {
    let data = tempfile::tempdir().unwrap();
    let server = RecordingServer::airia();
    let backend = open(data.path(), &server.base_url());
    let id = conversation(&backend, data.path()).await;
    let local = backend.local().clone();
    let mine = local.create_conversation(NewConversation { name: "Mine".into(), ..Default::default() }).await.unwrap();

    let names = |list: Vec<folio_core::ConversationSummary>| list.into_iter().map(|c| c.id).collect::<Vec<_>>();
    assert_eq!(names(local.list_conversations(&ListQuery::default()).await.unwrap()), [mine.id.as_str()]);
    assert_eq!(names(backend.list_conversations(&ListQuery::default()).await.unwrap()), [id.as_str()]);
    // `folio local` and `folio serve` open the same folder with their own LocalBackend.
    let settings = EngineSettings { workers: 1, embeddings: None, ..Default::default() };
    let other = LocalBackend::new(Engine::open(data.path(), settings).unwrap(), AnswerSettings::default()).unwrap();
    assert_eq!(names(other.list_conversations(&ListQuery::default()).await.unwrap()), [mine.id]);
}

#[tokio::test]
async fn the_conversation_details_show_what_airia_keeps_about_it() {
    let data = tempfile::tempdir().unwrap();
    let server = RecordingServer::airia();
    let backend = open(data.path(), &server.base_url());
    let id = conversation(&backend, data.path()).await;
    let facts = backend.source_facts(&id).await.unwrap();
    let get = |l: &str| facts.iter().find(|f| f.label == l).map(|f| f.value.clone());
    let airia_id = backend.airia_id(&id).await.unwrap();
    assert_eq!(get("Airia conversation"), Some(airia_id.clone()));
    assert_eq!(get("Title").as_deref(), Some("Manuals"), "as Airia answered, not Folio's name");
    assert_eq!(get("Bookmarked").as_deref(), Some("no"));
    assert_eq!(get("Deployment").as_deref(), Some("none"));
    assert_eq!(get("Messages on Airia").as_deref(), Some("2"));
    let read = server.requests().into_iter().last().unwrap();
    assert_eq!(
        (read.method.as_str(), read.path.as_str()),
        ("GET", format!("/api/v1/Conversations/{airia_id}").as_str())
    );
    assert_eq!(backend.source_facts("not-airia").await.unwrap_err().kind(), ErrorKind::NotFound);
}
