//! folio-core's Backend over AI Hub, and the waiting helpers with their callbacks.

mod common;

use common::{config, files};
use folio_aihub::testkit::{aihub_reply, RecordingServer, Reply};
use folio_aihub::{wait, AiHubBackend, AiHubClient};
use folio_core::{
    Backend, ConversationState, ConverseRequest, DocumentStage, DocumentState, ErrorKind, FollowOptions,
    NewConversation, QueryRequest, QuerySource, QueryState,
};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Answers GET conversation with RUNNING/PROCESSING for the first `running` calls.
fn processing_server(running: usize) -> RecordingServer {
    let calls = Arc::new(AtomicUsize::new(0));
    RecordingServer::start(move |r| {
        if r.method == "GET" && r.path == "/api/v2/conversations/c1" {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            let (conv, doc) = if n < running { ("RUNNING", "PROCESSING") } else { ("COMPLETE", "PROCESSED") };
            return Reply::json(
                200,
                json!({"id": "c1", "name": "n", "state": conv, "documents": [{"id": 15, "name": "a.pdf", "state": doc}]}),
            );
        }
        aihub_reply(r)
    })
}

#[tokio::test]
async fn backend_maps_every_operation_to_core_types() {
    let server = RecordingServer::aihub();
    let backend = AiHubBackend::new(config(&server)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let paths = files(&dir, &[("a.txt", b"a")]);
    let created = backend
        .create_conversation(NewConversation {
            name: "n".into(),
            description: None,
            files: paths.clone(),
            options: Default::default(),
        })
        .await
        .unwrap();
    assert_eq!((created.id.as_str(), created.upload.succeeded.clone()), ("conv-1", vec!["a.txt".to_string()]));
    assert_eq!(backend.list_conversations(&Default::default()).await.unwrap().len(), 2);
    let conv = backend.get_conversation("c1").await.unwrap();
    assert_eq!(conv.state, ConversationState::Complete);
    assert_eq!((conv.documents[0].id, conv.documents[0].stage), (15, DocumentStage::Ready));
    assert!(conv.documents[0].uploaded_at.is_some());
    assert_eq!(backend.add_documents("c1", &paths, true).await.unwrap().succeeded, vec!["a.txt"]);
    let meta = backend.document_metadata("c1", 15).await.unwrap();
    assert_eq!((meta.page_count, meta.digitized_path.as_deref()), (Some(1), Some("u/r/fs/a.pdf.ibdoc")));
    let status = backend.query_status("query-1").await.unwrap();
    assert_eq!((status.state, status.results[0].sources[0].page), (QueryState::Complete, Some(9)));
    let id = backend
        .run_query(&QueryRequest {
            query: "Q".into(),
            source: QuerySource::Conversation("c1".into()),
            model: None,
            include_source_info: true,
        })
        .await
        .unwrap();
    assert_eq!(id, "query-1");
}

#[tokio::test]
async fn converse_without_ids_asks_every_processed_document() {
    let server = RecordingServer::aihub();
    let backend = AiHubBackend::new(config(&server)).unwrap();
    let answer = backend.converse("c1", &ConverseRequest { question: "Q".into(), ..Default::default() }).await.unwrap();
    assert_eq!(answer.text, "The term is 12 months.");
    let reqs = server.requests();
    assert_eq!(reqs[1].json().unwrap()["document_ids"], json!([15, 16]));
}

#[tokio::test]
async fn the_chat_is_kept_here_and_read_back_by_a_new_backend_until_the_conversation_is_deleted() {
    let server = RecordingServer::aihub();
    let dir = tempfile::tempdir().unwrap();
    let log = || folio_aihub::HistoryLog::new(dir.path().join("account"));
    let backend = AiHubBackend::new(config(&server)).unwrap().with_history(log());
    for question in ["How long?", "And the deposit?"] {
        backend
            .converse(
                "c1",
                &ConverseRequest { question: question.into(), document_ids: vec![15], ..Default::default() },
            )
            .await
            .unwrap();
    }
    // As after a restart: a new backend over the same folder.
    let reopened = AiHubBackend::new(config(&server)).unwrap().with_history(log());
    let turns = reopened.history("c1").await.unwrap();
    let asked: Vec<&str> = turns.iter().map(|t| t.question.as_str()).collect();
    assert_eq!(asked, ["How long?", "And the deposit?"]);
    assert_eq!(turns[0].answer.text, "The term is 12 months.");
    assert!(reopened.history("c2").await.unwrap().is_empty());
    reopened.delete_conversation("c1").await.unwrap();
    assert!(reopened.history("c1").await.unwrap().is_empty());
}

#[tokio::test]
async fn follow_documents_reports_each_change_and_checks_quickly_first() {
    let server = processing_server(2);
    let backend = AiHubBackend::new(config(&server)).unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink_seen = seen.clone();
    let sink: folio_core::ProgressSink = Arc::new(move |p| sink_seen.lock().unwrap().push(p.stage));
    let start = Instant::now();
    let conv = backend.follow_documents("c1", sink, &FollowOptions::default()).await.unwrap();
    assert_eq!(conv.documents[0].state, DocumentState::Processed);
    assert_eq!(*seen.lock().unwrap(), vec![DocumentStage::Waiting, DocumentStage::Ready]);
    // 0 ms, +250 ms, +500 ms: well under the seed's fixed 5 s.
    assert!(start.elapsed() < Duration::from_millis(2000), "{:?}", start.elapsed());
    let times = server.requests().len();
    assert_eq!(times, 3);
}

#[tokio::test]
async fn wait_helpers_call_back_on_every_change_and_honour_timeout_and_cancel() {
    let server = processing_server(1);
    let client = AiHubClient::new(config(&server)).unwrap();
    let mut states = Vec::new();
    let done = wait::conversation_processed(&client, "c1", &FollowOptions::default(), |c| states.push(c.state.clone()))
        .await
        .unwrap();
    assert_eq!(done.state, "COMPLETE");
    assert_eq!(states, vec!["RUNNING", "COMPLETE"]);

    let stuck = processing_server(usize::MAX);
    let client = AiHubClient::new(config(&stuck)).unwrap();
    let options = FollowOptions { timeout: Some(Duration::from_millis(700)), ..Default::default() };
    let err = wait::conversation_processed(&client, "c1", &options, |_| {}).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);

    let options = FollowOptions::default();
    let cancel = options.cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        cancel.cancel();
    });
    let err = wait::conversation_processed(&client, "c1", &options, |_| {}).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Cancelled);
}

#[tokio::test]
async fn wait_for_a_query_follows_it_until_complete() {
    let calls = Arc::new(AtomicUsize::new(0));
    let server = RecordingServer::start(move |_| {
        if calls.fetch_add(1, Ordering::SeqCst) < 2 {
            Reply::json(200, json!({"query_id": "q1", "status": "RUNNING"}))
        } else {
            Reply::json(
                200,
                json!({"query_id": "q1", "status": "FAILED", "error": {"message": "Invalid query uuid passed"}}),
            )
        }
    });
    let client = AiHubClient::new(config(&server)).unwrap();
    let mut seen = Vec::new();
    let done =
        wait::query_finished(&client, "q1", &FollowOptions::default(), |s| seen.push(s.status.clone())).await.unwrap();
    assert_eq!(seen, vec!["RUNNING", "FAILED"]);
    assert_eq!(done.error.unwrap().message(), "Invalid query uuid passed");
    assert_eq!(server.requests().len(), 3);
}

/// A chatbot whose query never finishes, and one whose status request hangs.
fn stuck_query_server(hang: bool) -> RecordingServer {
    RecordingServer::start(move |r| {
        if r.method == "GET" && r.path == "/api/v2/queries/query-1" {
            let reply = Reply::json(200, json!({"query_id": "query-1", "status": "RUNNING"}));
            return if hang { reply.delayed(Duration::from_secs(30)) } else { reply };
        }
        aihub_reply(r)
    })
}

#[tokio::test]
async fn a_chatbot_question_past_its_time_limit_ends_with_a_sentence_saying_so() {
    let request = QueryRequest {
        query: "Q".into(),
        source: QuerySource::Chatbot("bot".into()),
        model: Some(folio_core::QueryModel::Multistep),
        include_source_info: false,
    };
    for hang in [false, true] {
        let server = stuck_query_server(hang);
        let backend = AiHubBackend::new(config(&server)).unwrap();
        let seen = Mutex::new(Vec::new());
        let started = Instant::now();
        let err = folio_core::ask_query(&backend, &request, Duration::from_secs(2), |s| {
            seen.lock().unwrap().push(s.state.clone())
        })
        .await
        .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5), "hang={hang}: waited {:?}", started.elapsed());
        assert_eq!(err.kind(), ErrorKind::Timeout);
        assert_eq!(
            err.to_string(),
            "The chatbot had not answered after 2 s, so Folio stopped waiting (Quick mode, multistep-lite, answers sooner)"
        );
        assert_eq!(*seen.lock().unwrap(), if hang { vec![] } else { vec![QueryState::Running] });
        let start = server.requests().into_iter().find(|r| r.path == "/api/v2/queries").unwrap();
        assert_eq!(start.json().unwrap()["include_source_info"], json!(false), "the sources switch reaches the wire");
        assert_eq!(start.json().unwrap()["model_name"], json!("multistep"));
    }
}

#[tokio::test]
async fn document_details_come_from_the_conversation_and_the_pages_ai_hub_lists() {
    let server = RecordingServer::aihub();
    let backend = AiHubBackend::new(config(&server)).unwrap();
    let details = backend.document_details("conv-1", 15).await.unwrap();
    assert_eq!((details.name.as_str(), details.kind.as_deref()), ("a.pdf", Some("pdf")));
    assert_eq!(details.stage, DocumentStage::Ready);
    assert_eq!(details.page_count, Some(1));
    assert_eq!((details.page_width, details.page_height), (Some(2550.0), Some(3301.0)));
    assert!(details.uploaded_at.is_some());
    assert_eq!(details.size_bytes, 0, "AI Hub does not say");
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/api/v2/conversations/conv-1", "/api/v2/conversations/conv-1/documents/15"]);
    assert_eq!(backend.document_details("conv-1", 99).await.unwrap_err().kind(), ErrorKind::NotFound);
}
