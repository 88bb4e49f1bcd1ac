//! A download server that sends more than the model can be: refused before a byte is
//! written when it says so in Content-Length, stopped at the cap when it does not.

mod common;

use common::{serve, sha256_hex, Behaviour};
use folio_models::{CancellationToken, CatalogueEntry, ModelManager, ModelsError};

const PATH: &str = "/org/repo/resolve/main/test-model.gguf";

/// 24 MB, more than a 1 MB catalogue entry's cap (1 MB + 5 % + 16 MiB).
fn oversized() -> Vec<u8> {
    (0..24_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect()
}

fn manager(dir: &std::path::Path, url: &str, sha256: &'static str) -> ModelManager {
    let entry = CatalogueEntry {
        id: "test-model",
        name: "Test Model",
        file_name: "test-model.gguf",
        url_path: "org/repo/resolve/main/test-model.gguf",
        size_bytes: 1_000_000,
        sha256: Some(sha256),
        licence: "Apache-2.0",
        memory_bytes: 10_000_000,
        good_for: "tests",
        recommended: true,
    };
    ModelManager::with_base_url(dir, url, vec![entry]).unwrap()
}

fn leftovers(dir: &std::path::Path) -> Vec<String> {
    let mut names = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else if e.path().to_string_lossy().contains("test-model") {
                names.push(e.path().display().to_string());
            }
        }
    }
    names
}

async fn refused(behaviour: Behaviour) {
    let data = oversized();
    // Pinned to the oversized file itself: only the size cap can stop it.
    let sha: &'static str = Box::leak(sha256_hex(&data).into_boxed_str());
    let server = serve(vec![(PATH.into(), data)], behaviour).await;
    let dir = tempfile::tempdir().unwrap();
    let m = manager(dir.path(), &server.url, sha);
    let err = m.download("test-model", &mut |_| {}, &CancellationToken::new()).await.unwrap_err();
    assert!(matches!(err, ModelsError::Checksum(_)), "{err:?}");
    assert!(err.to_string().contains("not the expected file"), "{err}");
    assert!(leftovers(dir.path()).is_empty(), "kept: {:?}", leftovers(dir.path()));
    assert!(m.active().unwrap().is_none());
}

#[tokio::test]
async fn a_content_length_past_the_catalogue_size_is_refused_before_writing() {
    refused(Behaviour::default()).await;
}

#[tokio::test]
async fn a_body_without_length_is_stopped_at_the_cap() {
    refused(Behaviour { no_length: true, ..Behaviour::default() }).await;
}
