//! Embeddings: the real int8 MiniLM through the real ONNX Runtime, stored per passage
//! after keyword indexing, and resumed after a restart.

use crate::common::*;
use folio_engine::embed::{self, Embedder, EmbeddingSettings};

fn model_settings() -> EmbeddingSettings {
    EmbeddingSettings::from_env().unwrap_or_else(|| {
        panic!("FOLIO_ONNXRUNTIME / FOLIO_EMBED_MODEL / FOLIO_EMBED_VOCAB are not set: run scripts/test.sh (or source scripts/setup.sh)")
    })
}

#[test]
fn tokenizer_matches_bert_uncased_ids() {
    let vocab = std::fs::read_to_string(model_settings().vocab).unwrap();
    let wp = embed::WordPiece::from_vocab_txt(&vocab).unwrap();
    // BERT-base-uncased ids: [CLS] hello , world ! [SEP]; "gnuplot" splits into pieces.
    assert_eq!(wp.encode("Hello, World!", 256), vec![101, 7592, 1010, 2088, 999, 102]);
    assert_eq!(wp.encode("Café", 256), wp.encode("cafe", 256), "accents are stripped");
    let long = "word ".repeat(1000);
    assert_eq!(wp.encode(&long, 256).len(), 256);
}

#[test]
fn similar_texts_are_closer_than_unrelated_ones() {
    let mut model = Embedder::load(&model_settings()).unwrap();
    let v = model
        .embed(&[
            "How do I draw a graph of a function?",
            "The plot command draws curves of functions and data on a chart.",
            "Add the eggs to the flour and bake the cake for forty minutes.",
        ])
        .unwrap();
    assert_eq!(v[0].len(), embed::DIMENSIONS);
    assert!((embed::cosine(&v[0], &v[0]) - 1.0).abs() < 1e-3, "unit length");
    let (related, unrelated) = (embed::cosine(&v[0], &v[1]), embed::cosine(&v[0], &v[2]));
    assert!(related > unrelated + 0.2, "related {related} vs unrelated {unrelated}");
    // Batching pads; padding must not change a vector.
    let alone = model.embed(&["How do I draw a graph of a function?"]).unwrap();
    assert!(embed::cosine(&alone[0], &v[0]) > 0.999);
}

#[test]
fn every_passage_gets_a_vector_after_keyword_indexing_and_resumes_after_restart() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let engine = open_embedding(dir.path());
        let conversation = ingest(&engine, &[corpus("natnotes.pdf")]);
        engine.wait_embedded().unwrap();
        conversation.documents[0].id
    };
    let count =
        |e: &folio_engine::Engine, sql: &str| -> i64 { e.store().conn().query_row(sql, [], |r| r.get(0)).unwrap() };
    {
        let engine = open_embedding(dir.path());
        engine.wait_embedded().unwrap();
        assert!(count(&engine, "SELECT COUNT(*) FROM passages") > 5);
        assert_eq!(
            count(&engine, "SELECT COUNT(*) FROM passages WHERE length(embedding) = 1536"),
            count(&engine, "SELECT COUNT(*) FROM passages")
        );
        // Forget some vectors, as a crash mid-batch would leave them, and reopen.
        engine.store().conn().execute("UPDATE passages SET embedding = NULL WHERE id % 2 = 0", []).unwrap();
    }
    let engine = open_embedding(dir.path());
    engine.wait_embedded().unwrap();
    assert_eq!(count(&engine, "SELECT COUNT(*) FROM passages WHERE embedding IS NULL"), 0);
    let meta =
        engine.store().metadata(&engine.store().list_conversations(&Default::default()).unwrap()[0].id, id).unwrap();
    let document = meta.document.unwrap();
    assert_eq!(document["embeddedPassages"], document["passages"]);
}

/// The model is loaded when a passage first needs a vector, not when the engine opens:
/// a window opened with nothing to read carries no ONNX Runtime. Its absence (a broken
/// install) is therefore learnt from the first document, which still ends Ready and is
/// found by its words.
#[test]
fn the_model_loads_only_when_a_passage_needs_a_vector() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = embedding_settings();
    let missing = dir.path().join("no-such-model.onnx");
    settings.embeddings.as_mut().unwrap().model = missing.clone();
    let engine = folio_engine::Engine::open(&dir.path().join("data"), settings).unwrap();
    // An eager loader fails on the missing file within milliseconds of opening.
    std::thread::sleep(std::time::Duration::from_secs(1));
    engine.wait_embedded().expect("nothing to embed, so the model was never needed");

    let text = dir.path().join("note.txt");
    std::fs::write(&text, "The lighthouse keeper logs the fog horn every evening.").unwrap();
    let conversation = ingest(&engine, &[text]);
    let why = engine.wait_embedded().expect_err("the first passage needed the missing model");
    assert!(why.contains("no-such-model"), "the reason names the model file: {why}");
    let document = engine.store().get_conversation(&conversation.id).unwrap().documents.remove(0);
    assert_eq!(document.stage, folio_core::DocumentStage::Ready);
    let hits = engine.search(&conversation.id, "lighthouse", None, 5).unwrap();
    assert_eq!(hits.len(), 1);
}
