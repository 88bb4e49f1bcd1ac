//! Every REST operation against a recording server on loopback: method, raw path and
//! query, the headers Pieces reads, and the JSON sent; and what Folio reads back.

mod common;

use common::{after_registration, client};
use folio_pieces::testkit::{Recorded, RecordingServer, Reply};
use folio_pieces::{PiecesClient, PiecesConfig, PiecesError};
use serde_json::json;

#[tokio::test]
async fn finds_registers_once_then_sends_the_application_header() {
    let server = RecordingServer::pieces();
    let client = client(&server);
    let list = client.list_conversations().await.unwrap();
    client.list_conversations().await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].name.as_deref(), Some("Manuals"));
    assert_eq!(list[0].message_count(), 2, "a message indexed -1 is deleted");

    let all = server.requests();
    assert_eq!(all[0].method, "HEAD");
    assert_eq!(all[0].path, "/.well-known/health");
    let connect = &all[1];
    assert_eq!((connect.method.as_str(), connect.path.as_str()), ("POST", "/connect"));
    assert_eq!(connect.value()["application"]["name"], "OPEN_SOURCE");
    assert_eq!(connect.value()["application"]["platform"], folio_pieces::config::platform());
    assert_eq!(connect.media_type().as_deref(), Some("application/json"));
    assert_eq!(connect.header("application"), None, "not registered yet");
    let lists: Vec<&Recorded> = all.iter().filter(|r| r.path == "/conversations").collect();
    assert_eq!(lists.len(), 2);
    assert_eq!(all.iter().filter(|r| r.path == "/connect").count(), 1, "registration happens once");
    for r in lists {
        assert_eq!(r.method, "GET");
        assert_eq!(r.query.as_deref(), Some("transferables=false"));
        assert_eq!(r.header("application"), Some("app-1"));
        assert_eq!(r.header("accept"), Some("application/json"));
        assert_eq!(r.header("user-agent"), Some("OpenAPI-Generator/5.0.0/python"));
        assert_eq!(r.value(), serde_json::Value::Null);
    }
}

#[tokio::test]
async fn creates_with_the_copilot_type_and_from_an_asset() {
    let server = RecordingServer::pieces();
    let client = client(&server);
    let created = client.create_conversation("Manuals 2024").await.unwrap();
    assert_eq!(created.id, "conv-new");
    let id = client.create_from_asset("asset 1/é").await.unwrap();
    assert_eq!(id, "conv-asset");
    let sent = after_registration(&server);
    assert_eq!(sent[0].path, "/conversations/create");
    assert_eq!(sent[0].query.as_deref(), Some("transferables=false"));
    assert_eq!(sent[0].value(), json!({"name": "Manuals 2024", "type": "COPILOT"}));
    assert_eq!(sent[1].method, "POST");
    assert_eq!(sent[1].path, "/conversations/create/from_asset/asset%201%2F%C3%A9");
    assert_eq!(sent[1].value(), serde_json::Value::Null);
}

#[tokio::test]
async fn renames_by_sending_the_whole_conversation_back() {
    let server = RecordingServer::pieces();
    let client = client(&server);
    let renamed = client.rename_conversation("conv-1", "Renamed & é").await.unwrap();
    assert_eq!(renamed.name.as_deref(), Some("Renamed & é"));
    let sent = after_registration(&server);
    assert_eq!((sent[0].method.as_str(), sent[0].path.as_str()), ("GET", "/conversation/conv-1"));
    assert_eq!((sent[1].method.as_str(), sent[1].path.as_str()), ("POST", "/conversation/update"));
    let mut expected = folio_pieces::testkit::conversation("conv-1", "Manuals");
    expected["name"] = json!("Renamed & é");
    expected["created"]["value"] = json!("2026-11-20T10:00:00+00:00");
    expected["updated"]["value"] = json!("2026-11-21T10:00:00+00:00");
    assert_eq!(
        sent[1].value(),
        expected,
        "every field the server sent goes back, the name changed, timestamps as Python writes them"
    );
    assert!(matches!(client.rename_conversation("conv-1", "  ").await, Err(PiecesError::Input(_))));
}

#[tokio::test]
async fn deletes_with_a_post_and_reads_messages_in_order_without_deleted_ones() {
    let server = RecordingServer::pieces();
    let client = client(&server);
    client.delete_conversation("conv/1").await.unwrap();
    let messages = client.messages("conv-1").await.unwrap();
    let live: Vec<(&str, &str)> =
        messages.live().iter().map(|m| (m.role.as_deref().unwrap(), m.text().unwrap())).collect();
    assert_eq!(live, vec![("USER", "What is the title size?"), ("ASSISTANT", "It is 14 points.")]);
    let sent = after_registration(&server);
    assert_eq!((sent[0].method.as_str(), sent[0].path.as_str()), ("POST", "/conversations/conv%2F1/delete"));
    assert_eq!(sent[0].header("accept"), Some("text/plain"));
    assert_eq!(sent[1].path, "/conversation/conv-1/messages");
    assert_eq!(sent[1].query.as_deref(), Some("transferables=false"));
}

#[tokio::test]
async fn asks_the_question_endpoint_with_the_wrappers_model_choice() {
    let server = RecordingServer::pieces();
    let client = client(&server);
    let out = client.question("How do I set the range?", vec![json!({"id": "r1"})]).await.unwrap();
    assert_eq!(out.answers.iterable[0].text, "The range is set with set xrange [1].");
    let sent = after_registration(&server);
    assert_eq!(sent[0].path, "/models");
    assert_eq!(sent[1].path, "/qgpt/question");
    // Llama is neither in the cloud nor downloaded, so the cloud model is chosen.
    assert_eq!(
        sent[1].value(),
        json!({"application": "app-1", "model": "model-cloud", "query": "How do I set the range?", "relevant": {"iterable": [{"id": "r1"}]}})
    );
}

#[tokio::test]
async fn a_chosen_model_wins_and_an_unknown_one_is_named() {
    let server = RecordingServer::pieces();
    let chosen =
        PiecesClient::new(PiecesConfig { model: Some("llama 3 8b".into()), ..common::config(&server) }).unwrap();
    assert_eq!(chosen.model_id().await.unwrap(), "model-local");
    let unknown = PiecesClient::new(PiecesConfig { model: Some("GPT-9".into()), ..common::config(&server) }).unwrap();
    let err = folio_core::Error::from(unknown.model_id().await.unwrap_err());
    assert_eq!(err.kind(), folio_core::ErrorKind::Unavailable);
    assert!(err.to_string().contains("\"GPT-9\" is not offered (offered: Claude 3.5 Sonnet)"), "{err}");

    let none = RecordingServer::pieces_except("/models", |_| Reply::json(200, json!({"iterable": []})));
    let err = folio_core::Error::from(common::client(&none).model_id().await.unwrap_err());
    assert!(err.to_string().contains("no language model ready"), "{err}");
}
