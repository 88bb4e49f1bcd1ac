//! "Search everywhere" over a real store: real PDFs and a note read and embedded by the
//! engine, in several conversations, some of them hidden from the person's list.

use crate::common::{corpus, open, settings};
use folio_answer::search_everywhere::{search_everywhere, DEFAULT_LIMIT};
use folio_answer::{remote_halves, AnswerSettings, LocalBackend};
use folio_core::{Backend, BackendKind, ChatbotFrom, MatchKind, NewConversation, SearchEverywhereResults};
use folio_engine::{Engine, EngineSettings};
use std::path::{Path, PathBuf};

const NOTE: &str = "Opening hours are posted at the harbour office.\n\
    The ferry to the island leaves at 7:40 from pier 3, and returns at 18:15.\n";

fn note(dir: &Path) -> PathBuf {
    let path = dir.join("Ferry.txt");
    std::fs::write(&path, NOTE).unwrap();
    path
}

async fn conversation(backend: &LocalBackend, name: &str, files: Vec<PathBuf>) -> String {
    let created = backend
        .create_conversation(NewConversation { name: name.into(), files, ..Default::default() })
        .await
        .expect("conversation created");
    assert!(created.upload.failed.is_empty(), "{:?}", created.upload.failed);
    created.id
}

async fn settle(engine: &Engine, embedded: bool) {
    let engine = engine.clone();
    tokio::task::spawn_blocking(move || {
        engine.wait_idle();
        if embedded {
            engine.wait_embedded().expect("embeddings are on");
        }
    })
    .await
    .unwrap();
}

async fn find(backend: &LocalBackend, query: &str) -> SearchEverywhereResults {
    search_everywhere(backend, query, DEFAULT_LIMIT).await.expect("search runs")
}

#[tokio::test(flavor = "multi_thread")]
async fn finds_passages_in_every_visible_conversation_by_words_and_by_meaning() {
    let dir = tempfile::tempdir().unwrap();
    let backend = open(&dir.path().join("data"));
    let landscape = conversation(&backend, "Landscape pages", vec![corpus("lscape.pdf")]).await;
    let island = conversation(&backend, "Island trip", vec![note(dir.path())]).await;
    // Hidden from the list, so hidden from search: a chatbot's own documents and the
    // local half of an Airia conversation.
    let bot = backend
        .create_chatbot("Columns", None, ChatbotFrom::Files(vec![corpus("dcolumn.pdf")]))
        .await
        .expect("chatbot made");
    let half = conversation(&backend, "Airia half", vec![corpus("afterpage.pdf")]).await;
    remote_halves::hold(backend.engine(), &half, BackendKind::Airia).unwrap();
    settle(backend.engine(), true).await;

    let found = find(&backend, "ferry pier").await;
    assert_eq!(found.keywords_only, None, "everything is embedded");
    let best = &found.hits[0];
    assert_eq!((best.conversation_id.as_str(), best.conversation_name.as_str()), (island.as_str(), "Island trip"));
    assert_eq!((best.document_name.as_str(), best.page), ("Ferry.txt", 1));
    assert_ne!(best.matched, MatchKind::Meaning, "{best:?}");
    assert!(best.passage.contains("pier 3"), "{best:?}");
    let marked: Vec<&str> = best.snippet.iter().filter(|p| p.matched).map(|p| p.text.as_str()).collect();
    assert_eq!(marked, ["ferry", "pier"], "{:?}", best.snippet);

    // A PDF's hit carries the line boxes and character range the viewer highlights.
    let found = find(&backend, "landscape").await;
    assert!(!found.hits.is_empty());
    let pdf = found.hits.iter().find(|h| h.conversation_id == landscape).expect("the manual answers");
    assert_eq!(pdf.document_name, "lscape.pdf");
    assert!(!pdf.boxes.is_empty() && pdf.char_end > pdf.char_start, "{pdf:?}");

    // Words with no match at all: the note is still found by what it means.
    let found = find(&backend, "boat departure time").await;
    let by_meaning = found.hits.iter().find(|h| h.conversation_id == island).expect("found by meaning");
    assert_eq!(by_meaning.matched, MatchKind::Meaning, "{by_meaning:?}");
    assert!(by_meaning.snippet.iter().all(|p| !p.matched));

    // The hidden conversations hold these words (the engine finds them there) but
    // search everywhere does not show them.
    for (conversation, word) in [(&bot.conversation_id, "dcolumn"), (&half, "afterpage")] {
        let there = backend.engine().search(conversation, word, None, 5).unwrap();
        assert!(!there.is_empty(), "{word} is in its hidden conversation");
        let found = find(&backend, word).await;
        assert!(found.hits.iter().all(|h| &h.conversation_id != conversation), "{word}: {:?}", found.hits);
    }

    // Nothing to search for, nothing found.
    assert!(find(&backend, "  -- ").await.hits.is_empty());
    assert!(backend.engine().shutdown());
}

#[tokio::test(flavor = "multi_thread")]
async fn without_the_embedding_model_words_alone_search_and_the_result_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(&dir.path().join("data"), EngineSettings { embeddings: None, ..settings() }).unwrap();
    let backend = LocalBackend::new(engine, AnswerSettings::default()).unwrap();
    let island = conversation(&backend, "Island trip", vec![note(dir.path())]).await;
    settle(backend.engine(), false).await;

    let found = find(&backend, "harbour").await;
    assert!(found.keywords_only.as_deref().is_some_and(|why| why.starts_with("Found by words only")), "{found:?}");
    assert_eq!(found.hits.len(), 1, "{found:?}");
    assert_eq!(found.hits[0].conversation_id, island);
    assert_eq!(found.hits[0].matched, MatchKind::Keywords);
    assert!(find(&backend, "boat departure time").await.hits.is_empty(), "no meaning without the model");
    assert!(backend.engine().shutdown());
}
