//! Local chatbots and the query life cycle: RUNNING, then COMPLETE with results, or
//! FAILED with a message.

use crate::common::*;
use folio_core::ChatbotFrom;
use folio_core::{Backend, FollowOptions, QueryModel, QueryRequest, QuerySource, QueryState};
use std::time::Duration;

fn query(source: QuerySource, text: &str, model: Option<QueryModel>, sources: bool) -> QueryRequest {
    QueryRequest { query: text.into(), source, model, include_source_info: sources }
}

fn follow() -> FollowOptions {
    FollowOptions { timeout: Some(Duration::from_secs(120)), ..Default::default() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chatbots_answer_queries_and_failures_end_as_failed() {
    let dir = tempfile::tempdir().unwrap();
    let backend = open(dir.path());
    let conv = ingest(&backend, &manuals()).await;

    // A chatbot over an existing conversation's documents.
    let bot = backend
        .create_chatbot("LaTeX help", Some("three manuals"), ChatbotFrom::Conversation(conv.id.clone()))
        .await
        .unwrap();
    let listed = backend.list_chatbots().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0], bot);

    let id = backend
        .run_query(&query(
            QuerySource::Chatbot(bot.chatbot.id.clone()),
            "What does the landscape environment do?",
            None,
            true,
        ))
        .await
        .unwrap();
    let first = backend.query_status(&id).await.unwrap();
    assert!(matches!(first.state, QueryState::Running | QueryState::Complete), "{first:?}");
    let done = backend.follow_query(&id, &follow()).await.unwrap();
    assert_eq!(done.state, QueryState::Complete, "{:?} {:?}", done.error, done.results.first().map(|r| &r.response));
    assert!(
        done.results[0].response.contains("rotated through 90 degrees"),
        "{:?} {:?}",
        done.error,
        done.results.first().map(|r| &r.response)
    );
    let source = &done.results[0].sources[0];
    assert_eq!((source.document_name.as_str(), source.page), ("lscape.pdf", Some(1)));
    assert!(!source.boxes.is_empty());

    // multistep over the conversation: each part answered from its own manual.
    let id = backend
        .run_query(&query(
            QuerySource::Conversation(conv.id.clone()),
            "What does the landscape environment do to text and does afterpage work in two column mode?",
            Some(QueryModel::Multistep),
            true,
        ))
        .await
        .unwrap();
    let done = backend.follow_query(&id, &follow()).await.unwrap();
    assert_eq!(done.state, QueryState::Complete, "{:?} {:?}", done.error, done.results.first().map(|r| &r.response));
    let names: Vec<&str> = done.results[0].sources.iter().map(|s| s.document_name.as_str()).collect();
    assert!(names.contains(&"lscape.pdf") && names.contains(&"afterpage.pdf"), "{names:?}");

    // Without source info: the reply only.
    let id = backend
        .run_query(&query(QuerySource::Chatbot(bot.chatbot.id.clone()), "landscape", None, false))
        .await
        .unwrap();
    let done = backend.follow_query(&id, &follow()).await.unwrap();
    assert!(done.results[0].sources.is_empty());

    // FAILED: an unknown chatbot, and a chatbot whose conversation was deleted.
    let id = backend.run_query(&query(QuerySource::Chatbot("cb-nope".into()), "anything", None, false)).await.unwrap();
    let done = backend.follow_query(&id, &follow()).await.unwrap();
    assert_eq!(done.state, QueryState::Failed);
    assert!(
        done.error.as_deref().unwrap().contains("cb-nope"),
        "{:?} {:?}",
        done.error,
        done.results.first().map(|r| &r.response)
    );
    backend.delete_conversation(&conv.id).await.unwrap();
    let id = backend
        .run_query(&query(QuerySource::Chatbot(bot.chatbot.id.clone()), "landscape", None, false))
        .await
        .unwrap();
    let done = backend.follow_query(&id, &follow()).await.unwrap();
    assert_eq!(done.state, QueryState::Failed);
    assert!(
        done.error.as_deref().unwrap().contains("gone"),
        "{:?} {:?}",
        done.error,
        done.results.first().map(|r| &r.response)
    );

    backend.rename_chatbot(&bot.chatbot.id, "  Landscapes ", Some("rotated pages")).await.unwrap();
    let renamed = backend.chatbot(&bot.chatbot.id).await.unwrap().chatbot;
    assert_eq!((renamed.name.as_str(), renamed.description.as_deref()), ("Landscapes", Some("rotated pages")));
    assert_eq!(
        backend.rename_chatbot(&bot.chatbot.id, " ", None).await.unwrap_err().to_string(),
        "A chatbot needs a name"
    );
    assert!(backend.rename_chatbot("cb-nope", "x", None).await.is_err());

    backend.delete_chatbot(&bot.chatbot.id).await.unwrap();
    assert!(backend.list_chatbots().await.unwrap().is_empty());
    assert_eq!(backend.query_status("q-nope").await.unwrap_err().kind(), folio_core::ErrorKind::NotFound);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chatbot_from_files_owns_hidden_documents() {
    let dir = tempfile::tempdir().unwrap();
    let backend = open(dir.path());
    let bot = backend.create_chatbot("Landscape", None, ChatbotFrom::Files(vec![corpus("lscape.pdf")])).await.unwrap();
    let row = backend.chatbot(&bot.chatbot.id).await.unwrap();
    assert!(row.owns_documents);
    // Its conversation is not one of the person's conversations.
    assert!(backend.list_conversations(&Default::default()).await.unwrap().is_empty());
    let engine = backend.engine().clone();
    tokio::task::spawn_blocking(move || engine.wait_idle()).await.unwrap();
    let id = backend
        .run_query(&query(
            QuerySource::Chatbot(bot.chatbot.id.clone()),
            "Who wrote about the pdftex option?",
            None,
            true,
        ))
        .await
        .unwrap();
    let done = backend.follow_query(&id, &follow()).await.unwrap();
    assert_eq!(done.state, QueryState::Complete, "{:?} {:?}", done.error, done.results.first().map(|r| &r.response));
    assert!(
        done.results[0].response.contains("Scott Pakin"),
        "{:?} {:?}",
        done.error,
        done.results.first().map(|r| &r.response)
    );
    backend.delete_chatbot(&bot.chatbot.id).await.unwrap();
    assert_eq!(
        backend.get_conversation(&row.conversation_id).await.unwrap_err().kind(),
        folio_core::ErrorKind::NotFound
    );
}
