//! Shared helpers: provisioned files (fail, never skip, without them) and a local
//! backend over a real engine with real corpus PDFs, embedded.

use folio_answer::{AnswerSettings, LocalBackend};
use folio_core::{Backend, Conversation, NewConversation};
use folio_engine::{Engine, EngineSettings};
use std::path::{Path, PathBuf};

const HOW: &str = "run scripts/test.sh (or source scripts/setup.sh) so it is provisioned";

pub fn corpus(name: &str) -> PathBuf {
    let dir = std::env::var_os("FOLIO_TEST_CORPUS").unwrap_or_else(|| panic!("FOLIO_TEST_CORPUS is not set: {HOW}"));
    let path = Path::new(&dir).join(name);
    assert!(path.is_file(), "{} is missing from the test corpus: {HOW}", path.display());
    path
}

pub fn settings() -> EngineSettings {
    let pdfium = std::env::var_os("FOLIO_PDFIUM").map(PathBuf::from);
    assert!(pdfium.as_ref().is_some_and(|p| p.is_file()), "libpdfium is not provisioned (FOLIO_PDFIUM): {HOW}");
    let settings = EngineSettings { workers: 2, pdfium_path: pdfium, ..Default::default() };
    assert!(
        settings.embeddings.is_some(),
        "the embedding model is not provisioned (FOLIO_EMBED_MODEL, FOLIO_ONNXRUNTIME, FOLIO_EMBED_VOCAB): {HOW}"
    );
    settings
}

pub fn open(dir: &Path) -> LocalBackend {
    let engine = Engine::open(dir, settings()).expect("engine opens");
    LocalBackend::new(engine, AnswerSettings::default()).expect("answer tables")
}

/// The three small manuals most tests ask about.
pub fn manuals() -> Vec<PathBuf> {
    vec![corpus("lscape.pdf"), corpus("afterpage.pdf"), corpus("dcolumn.pdf")]
}

/// A conversation of `files`, read and embedded.
pub async fn ingest(backend: &LocalBackend, files: &[PathBuf]) -> Conversation {
    let created = backend
        .create_conversation(NewConversation { name: "manuals".into(), files: files.to_vec(), ..Default::default() })
        .await
        .expect("conversation created");
    assert!(created.upload.failed.is_empty(), "upload refused: {:?}", created.upload.failed);
    let engine = backend.engine().clone();
    tokio::task::spawn_blocking(move || {
        engine.wait_idle();
        engine.wait_embedded().unwrap_or_else(|e| panic!("embeddings are off ({e}): {HOW}"));
    })
    .await
    .unwrap();
    let conversation = backend.get_conversation(&created.id).await.unwrap();
    assert!(conversation.documents.iter().all(|d| d.stage == folio_core::DocumentStage::Ready), "{conversation:?}");
    conversation
}

pub fn id_of(conversation: &Conversation, name: &str) -> i64 {
    conversation
        .documents
        .iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("{name} not in {conversation:?}"))
        .id
}
