//! Hybrid retrieval and quoted answers on real manuals.

use crate::common::*;
use folio_answer::extract;
use folio_answer::retrieve::Request;
use folio_core::ConverseMode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finds_the_page_and_quotes_the_fact_even_in_other_words() {
    let dir = tempfile::tempdir().unwrap();
    let backend = open(dir.path());
    let conv = ingest(&backend, &manuals()).await;
    let afterpage = id_of(&conv, "afterpage.pdf");
    let lscape = id_of(&conv, "lscape.pdf");

    // Paraphrased: the manual says "does not work in two column mode".
    let q = "Can I rely on the afterpage command in a two-column layout?";
    let hits = backend.retrieve(&conv.id, q, None, ConverseMode::Default, None).await.unwrap();
    assert_eq!(
        (hits[0].document_id, hits[0].page),
        (afterpage, 1),
        "{:?}",
        hits.iter().take(2).map(|h| (h.document_id, h.page, &h.text)).collect::<Vec<_>>()
    );
    assert!(hits[0].char_end > hits[0].char_start);
    assert!(!hits[0].boxes.is_empty(), "PDF passages carry line boxes");
    let (text, sources) = extract::quoted_answer(q, &hits, Some(backend.retriever()));
    assert!(text.starts_with(extract::QUOTING_PREFIX), "{text}");
    assert!(text.contains("does not work in two column"), "the quote holds the fact: {text}");
    assert_eq!(sources[0].page, Some(1));
    assert!(!sources[0].boxes.is_empty());

    let q = "By how many degrees is text inside the landscape environment turned?";
    let hits = backend.retrieve(&conv.id, q, None, ConverseMode::Default, None).await.unwrap();
    assert_eq!((hits[0].document_id, hits[0].page), (lscape, 1));
    let (text, _) = extract::quoted_answer(q, &hits, Some(backend.retriever()));
    assert!(text.contains("rotated through 90 degrees"), "{text}");

    // Advanced mode finds it too, with its wider net and re-ranking.
    let hits = backend.retrieve(&conv.id, q, None, ConverseMode::Advanced, None).await.unwrap();
    assert_eq!((hits[0].document_id, hits[0].page), (lscape, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scope_limits_retrieval_to_the_chosen_documents() {
    let dir = tempfile::tempdir().unwrap();
    let backend = open(dir.path());
    let conv = ingest(&backend, &manuals()).await;
    let dcolumn = id_of(&conv, "dcolumn.pdf");
    let afterpage = id_of(&conv, "afterpage.pdf");
    let q = "columns aligned on the decimal point";
    let request = Request::new(&conv.id, q, None, ConverseMode::Default);
    let all = backend.retriever().retrieve(&request).unwrap();
    assert_eq!(all[0].document_id, dcolumn, "unscoped, the decimal-column manual answers");
    // Scoped to afterpage ("two column mode"), only afterpage answers.
    let hits = backend.retrieve(&conv.id, q, Some(vec![afterpage]), ConverseMode::Default, None).await.unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h.document_id == afterpage), "only the chosen document answers");
}
