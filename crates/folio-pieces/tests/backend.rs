//! `PiecesBackend`: Pieces OS (a recording server) holds the chat, Folio's real local
//! engine (SQLite on disk, keyword search) holds the documents. Questions go to Pieces
//! with the retrieved passages as numbered relevant seeds; citations come back as pages;
//! every turn, answered or not, lands in Folio's own history.

mod common;

use folio_answer::{AnswerSettings, LocalBackend};
use folio_core::{Backend, ConversationUpdate, ConverseRequest, ErrorKind, FollowOptions, ListQuery, NewConversation};
use folio_engine::{Engine, EngineSettings};
use folio_pieces::testkit::{frame, pieces_reply, Recorded, RecordingServer, Reply, WsAction};
use folio_pieces::{PiecesBackend, PiecesConfig};
use std::sync::Arc;
use std::time::Duration;

struct Setup {
    _dir: tempfile::TempDir,
    files: std::path::PathBuf,
    local: LocalBackend,
    backend: PiecesBackend,
}

fn setup(server: &RecordingServer) -> Setup {
    setup_with(common::config(server))
}

fn setup_with(config: PiecesConfig) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let engine =
        Engine::open(&dir.path().join("data"), EngineSettings { workers: 1, embeddings: None, ..Default::default() })
            .unwrap();
    let local = LocalBackend::new(engine, AnswerSettings::default()).unwrap();
    let files = dir.path().join("files");
    std::fs::create_dir_all(&files).unwrap();
    std::fs::write(
        files.join("gnuplot.txt"),
        "Plotting ranges.\n\nThe horizontal range of a plot is set with the command set xrange [min:max]. \
         Autoscaling is the default when no range is given.\n\nFonts.\n\nTitle fonts default to 12 points.\n",
    )
    .unwrap();
    let backend = PiecesBackend::new(config, local.clone()).unwrap();
    Setup { _dir: dir, files, local, backend }
}

async fn created(s: &Setup) -> String {
    let new =
        NewConversation { name: "Gnuplot".into(), files: vec![s.files.join("gnuplot.txt")], ..Default::default() };
    let id = s.backend.create_conversation(new).await.unwrap().id;
    let options = FollowOptions { timeout: Some(Duration::from_secs(60)), ..Default::default() };
    s.backend.follow_documents(&id, Arc::new(|_| {}), &options).await.unwrap();
    id
}

fn local_id(s: &Setup, pieces_id: &str) -> Option<String> {
    folio_pieces::links::local_id(s.local.engine(), pieces_id).unwrap()
}

fn history(s: &Setup, local: &str) -> Vec<(String, String)> {
    s.local.engine().store().messages(local).unwrap().into_iter().map(|m| (m.role, m.content)).collect()
}

#[tokio::test]
async fn a_conversation_is_a_pieces_chat_linked_to_local_documents() {
    let server = RecordingServer::pieces();
    let s = setup(&server);
    let id = created(&s).await;
    assert_eq!(id, "conv-new", "the Folio id is the Pieces id");
    let create = server.requests().into_iter().find(|r| r.path == "/conversations/create").unwrap();
    assert_eq!(create.value(), serde_json::json!({"name": "Gnuplot", "type": "COPILOT"}));
    let local = local_id(&s, &id).expect("linked");
    let conversation = s.backend.get_conversation(&id).await.unwrap();
    assert_eq!(conversation.id, "conv-new");
    assert_eq!(conversation.documents.len(), 1);
    assert_eq!(conversation.documents[0].name, "gnuplot.txt");
    assert_eq!(s.local.get_conversation(&local).await.unwrap().documents.len(), 1);

    let list = s.backend.list_conversations(&ListQuery::default()).await.unwrap();
    assert_eq!(list.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), vec!["Manuals", "Bare"]);
    let found =
        s.backend.list_conversations(&ListQuery { search: Some("bar".into()), ..Default::default() }).await.unwrap();
    assert_eq!(found.len(), 1);
}

#[tokio::test]
async fn questions_send_numbered_passages_and_cite_folios_pages() {
    let server = RecordingServer::pieces();
    let s = setup(&server);
    let id = created(&s).await;
    let pieces = std::sync::Mutex::new(Vec::new());
    let sink = |p: &str| pieces.lock().unwrap().push(p.to_string());
    let request =
        ConverseRequest { question: "How is the horizontal range of a plot set?".into(), ..Default::default() };
    let answer = s.backend.converse_streaming(&id, &request, &sink).await.unwrap();
    assert_eq!(pieces.lock().unwrap().len(), 3, "streamed piece by piece");
    assert_eq!(answer.text, "Use set xrange to set the range [1].");
    assert_eq!(answer.sources.len(), 1);
    assert_eq!(answer.sources[0].document_name, "gnuplot.txt");
    assert!(answer.sources[0].page.is_some());
    assert!(answer.sources[0].passage.as_deref().unwrap().contains("set xrange"));

    let sent: Recorded = server.requests().into_iter().find(|r| r.method == "WS").unwrap();
    assert_eq!(sent.value()["conversation"], "conv-new", "Pieces keeps the history in its conversation");
    let body = sent.value();
    let question = &body["question"];
    assert!(question["query"].as_str().unwrap().starts_with("How is the horizontal range of a plot set?\n\n"));
    let seeds = question["relevant"]["iterable"].as_array().unwrap();
    assert!(!seeds.is_empty() && seeds.len() <= folio_pieces::backend::PASSAGES_SENT);
    let first = &seeds[0]["seed"];
    assert_eq!(first["type"], "SEEDED_ASSET");
    assert_eq!(first["asset"]["application"], folio_pieces::testkit::tracked_application());
    let raw = first["asset"]["format"]["fragment"]["string"]["raw"].as_str().unwrap();
    assert!(raw.starts_with("[1] (gnuplot.txt, "), "{raw}");
    assert!(raw.contains("set xrange"), "{raw}");

    let local = local_id(&s, &id).unwrap();
    let turns = history(&s, &local);
    assert_eq!(turns.len(), 2);
    assert_eq!(turns[0], ("user".into(), "How is the horizontal range of a plot set?".into()));
    assert_eq!(turns[1].1, answer.text);
    assert_eq!(answer.prompt_id, s.local.engine().store().messages(&local).unwrap()[1].id.to_string());
}

#[tokio::test]
async fn a_cut_answer_fails_clearly_and_the_question_stays_in_folios_history() {
    let server = RecordingServer::start(pieces_reply, |_| {
        vec![WsAction::Send(frame("conv-new", "IN-PROGRESS", Some("Use set "))), WsAction::Drop]
    });
    let s = setup(&server);
    let id = created(&s).await;
    let request = ConverseRequest { question: "How is the range set?".into(), ..Default::default() };
    let err = s.backend.converse(&id, &request).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.to_string().contains("part-way"), "{err}");
    let turns = history(&s, &local_id(&s, &id).unwrap());
    assert_eq!(turns[0], ("user".into(), "How is the range set?".into()));
    assert!(turns[1].1.starts_with("Pieces OS did not answer: Pieces OS stopped sending"), "{:?}", turns[1]);
}

#[tokio::test]
async fn queries_and_chatbots_are_not_supported_by_pieces() {
    let server = RecordingServer::pieces();
    let s = setup(&server);
    let request = folio_core::QueryRequest {
        query: "Q".into(),
        source: folio_core::QuerySource::Conversation("c".into()),
        model: None,
        include_source_info: false,
    };
    let err = s.backend.run_query(&request).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert!(err.to_string().ends_with("is not supported by Pieces OS"), "{err}");
    assert_eq!(s.backend.query_status("q").await.unwrap_err().kind(), ErrorKind::Unsupported);
}

#[tokio::test]
async fn rename_goes_to_pieces_and_delete_removes_both_halves_even_when_pieces_lost_it() {
    let server = RecordingServer::pieces_except("/conversations/conv-new/delete", |_| Reply::plain(410, "gone"));
    let s = setup(&server);
    let id = created(&s).await;
    let local = local_id(&s, &id).unwrap();
    s.backend
        .update_conversation(&id, &ConversationUpdate { name: Some("Plots".into()), description: None })
        .await
        .unwrap();
    let update = server.requests().into_iter().find(|r| r.path == "/conversation/update").unwrap();
    assert_eq!(update.value()["name"], "Plots");
    assert_eq!(s.local.get_conversation(&local).await.unwrap().name, "Plots");
    s.backend.delete_conversation(&id).await.unwrap();
    assert_eq!(local_id(&s, &id), None);
    assert_eq!(s.local.get_conversation(&local).await.unwrap_err().kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn when_pieces_is_not_running_nothing_is_made_locally() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let s = setup_with(PiecesConfig { ports: vec![port], ..Default::default() });
    let new = NewConversation { name: "G".into(), files: vec![s.files.join("gnuplot.txt")], ..Default::default() };
    let err = s.backend.create_conversation(new).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.to_string().contains("not running"), "{err}");
    assert!(s.local.list_conversations(&ListQuery::default()).await.unwrap().is_empty());
    let message = s.backend.test_connection().await.unwrap_err().to_string();
    assert!(message.contains(&format!("127.0.0.1 port {port}")), "{message}");
}

#[tokio::test]
async fn test_connection_says_where_and_which_model() {
    let server = RecordingServer::pieces();
    let s = setup(&server);
    let said = s.backend.test_connection().await.unwrap();
    assert_eq!(
        said,
        format!("Pieces OS answers at {}; Folio is registered and will ask Claude 3.5 Sonnet.", server.base())
    );
}

#[tokio::test]
async fn a_conversation_started_in_pieces_gets_documents_on_first_need() {
    let server = RecordingServer::pieces();
    let s = setup(&server);
    assert!(s.backend.get_conversation("conv-1").await.unwrap().documents.is_empty());
    assert_eq!(s.backend.delete_documents("conv-1", &[1]).await.unwrap_err().kind(), ErrorKind::NotFound);
    s.backend.add_documents("conv-1", &[s.files.join("gnuplot.txt")], true).await.unwrap();
    let local = local_id(&s, "conv-1").expect("linked on first add");
    assert_eq!(s.local.get_conversation(&local).await.unwrap().name, "Manuals");
}

#[tokio::test]
async fn without_documents_a_question_still_goes_to_pieces_with_no_passages() {
    let server = RecordingServer::pieces();
    let s = setup(&server);
    let answer = s
        .backend
        .converse("conv-1", &ConverseRequest { question: "Hello?".into(), ..Default::default() })
        .await
        .unwrap();
    assert!(answer.sources.is_empty(), "[1] names no passage, so it is dropped");
    assert_eq!(answer.text, "Use set xrange to set the range.");
    let sent = server.requests().into_iter().find(|r| r.method == "WS").unwrap();
    assert_eq!(sent.value()["question"]["query"], "Hello?");
    assert_eq!(sent.value()["question"]["relevant"], serde_json::json!({"iterable": []}));
    assert_eq!(local_id(&s, "conv-1"), None, "nothing is made locally for a plain chat");
}

/// The app after a restart: a second engine on the same data folder, a new backend.
fn restarted(s: &Setup, server: &RecordingServer) -> PiecesBackend {
    let engine = Engine::open(
        &s._dir.path().join("data"),
        EngineSettings { workers: 1, embeddings: None, ..Default::default() },
    )
    .unwrap();
    PiecesBackend::new(common::config(server), LocalBackend::new(engine, AnswerSettings::default()).unwrap()).unwrap()
}

#[tokio::test]
async fn history_after_a_restart_is_folios_record_with_its_pages() {
    let server = RecordingServer::pieces();
    let s = setup(&server);
    let id = created(&s).await;
    let question = "How is the horizontal range of a plot set?";
    let answer =
        s.backend.converse(&id, &ConverseRequest { question: question.into(), ..Default::default() }).await.unwrap();
    let turns = restarted(&s, &server).history(&id).await.unwrap();
    assert_eq!(turns.len(), 1, "{turns:?}");
    assert_eq!(turns[0].question, question, "as typed, without the instruction Folio added for Pieces");
    assert_eq!(turns[0].answer, answer, "the same text, pages and checked sentences as when it was asked");
    assert_eq!(turns[0].answer.sources[0].document_name, "gnuplot.txt");
    assert!(turns[0].asked_at.is_some());
    assert!(
        !server.requests().iter().any(|r| r.path.ends_with("/messages")),
        "Folio's own record is enough: Pieces' copy is not read"
    );
}

#[tokio::test]
async fn history_of_a_chat_started_in_pieces_is_pieces_own_messages() {
    let server = RecordingServer::pieces();
    let s = setup(&server);
    let turns = s.backend.history("conv-1").await.unwrap();
    assert_eq!(turns.len(), 1, "the deleted message is left out: {turns:?}");
    assert_eq!(turns[0].question, "What is the title size?");
    assert_eq!(turns[0].answer.text, "It is 14 points.");
    assert!(turns[0].answer.sources.is_empty(), "Pieces keeps no citations");
    let read = server.requests().into_iter().find(|r| r.path == "/conversation/conv-1/messages").unwrap();
    assert_eq!(read.query.as_deref(), Some("transferables=false"));
}

#[tokio::test]
async fn a_pieces_conversations_documents_are_never_listed_as_a_conversation_on_this_computer() {
    let server = RecordingServer::pieces();
    let s = setup(&server);
    let mine =
        s.local.create_conversation(NewConversation { name: "Mine".into(), ..Default::default() }).await.unwrap();
    created(&s).await;
    s.backend.add_documents("conv-1", &[s.files.join("gnuplot.txt")], true).await.unwrap();
    assert!(local_id(&s, "conv-1").is_some() && local_id(&s, "conv-new").is_some());
    let listed = s.local.list_conversations(&ListQuery::default()).await.unwrap();
    assert_eq!(listed.into_iter().map(|c| c.id).collect::<Vec<_>>(), [mine.id], "only the conversation made locally");
}
