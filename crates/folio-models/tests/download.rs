//! The downloader against a real HTTP server on loopback: the code users run, pointed at
//! 127.0.0.1 instead of Hugging Face.

mod common;

use common::{serve, sha256_hex, Behaviour};
use folio_models::{CancellationToken, CatalogueEntry, DownloadProgress, DownloadStage, ModelManager, ModelsError};

const PATH: &str = "/org/repo/resolve/main/test-model.gguf";

/// A file big enough to arrive in many pieces (2 MB, not compressible to nothing).
fn body() -> Vec<u8> {
    let mut x: u32 = 8;
    (0..2_000_000)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (x >> 16) as u8
        })
        .collect()
}

fn entry(sha256: Option<&'static str>, size_bytes: u64) -> CatalogueEntry {
    CatalogueEntry {
        id: "test-model",
        name: "Test Model",
        file_name: "test-model.gguf",
        url_path: "org/repo/resolve/main/test-model.gguf",
        size_bytes,
        sha256,
        licence: "Apache-2.0",
        memory_bytes: 10_000_000,
        good_for: "tests",
        recommended: true,
    }
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// A manager of `dir` whose catalogue is `entry` alone, downloading from `url`.
fn manager(dir: &std::path::Path, url: &str, entry: CatalogueEntry) -> ModelManager {
    ModelManager::with_base_url(dir, url, vec![entry]).unwrap()
}

/// As `manager`, the entry's size and sha256 pinned to `data`'s.
fn pinned(dir: &std::path::Path, url: &str, data: &[u8]) -> ModelManager {
    manager(dir, url, entry(Some(leak(sha256_hex(data))), data.len() as u64))
}

async fn pull(
    m: &ModelManager,
    cancel: &CancellationToken,
) -> (Result<folio_models::InstalledModel, ModelsError>, Vec<DownloadProgress>) {
    let mut seen = Vec::new();
    let r = m.download("test-model", &mut |p| seen.push(p.clone()), cancel).await;
    (r, seen)
}

#[tokio::test]
async fn a_download_is_verified_installed_and_becomes_active() {
    let data = body();
    let server = serve(vec![(PATH.into(), data.clone())], Behaviour::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let m = pinned(dir.path(), &server.url, &data);
    assert!(m.active().unwrap().is_none(), "nothing installed yet");

    let (r, seen) = pull(&m, &CancellationToken::new()).await;
    let installed = r.unwrap();
    assert_eq!(std::fs::read(&installed.path).unwrap(), data);
    assert!(installed.active, "the first installed model answers without being chosen");
    assert!(!dir.path().join("test-model.gguf.part").exists());
    assert_eq!(seen.first().unwrap().stage, DownloadStage::Connecting);
    assert_eq!(seen.last().unwrap().stage, DownloadStage::Done);
    assert!(seen.iter().any(|p| p.stage == DownloadStage::Verifying));
    assert_eq!(seen.last().unwrap().done_bytes, data.len() as u64);
    let info = m.catalogue().unwrap();
    assert!(info[0].installed && info[0].active && info[0].partial_bytes == 0);
}

#[tokio::test]
async fn a_cut_download_resumes_with_a_range_request() {
    let data = body();
    let behaviour = Behaviour { cut_after: Some(700_000), cut_requests: 1, ..Default::default() };
    let server = serve(vec![(PATH.into(), data.clone())], behaviour).await;
    let dir = tempfile::tempdir().unwrap();
    let m = pinned(dir.path(), &server.url, &data);

    let (r, _) = pull(&m, &CancellationToken::new()).await;
    let err = r.unwrap_err();
    assert!(matches!(err, ModelsError::Network(_)), "{err:?}");
    assert!(err.to_string().contains("try again to continue"), "{err}");
    let part = dir.path().join("test-model.gguf.part");
    assert_eq!(std::fs::metadata(&part).unwrap().len(), 700_000, "the partial file is kept");
    assert_eq!(m.catalogue().unwrap()[0].partial_bytes, 700_000);
    assert!(m.active().unwrap().is_none(), "a partial file is not a model");

    let (r, seen) = pull(&m, &CancellationToken::new()).await;
    let installed = r.unwrap();
    assert_eq!(server.ranges.lock().unwrap().as_slice(), ["".to_string(), "bytes=700000-".to_string()]);
    assert_eq!(seen[0].done_bytes, 700_000, "progress starts from what was kept");
    assert_eq!(std::fs::read(&installed.path).unwrap(), data);
}

#[tokio::test]
async fn a_server_that_ignores_the_range_restarts_cleanly() {
    let data = body();
    let behaviour = Behaviour { cut_after: Some(500_000), cut_requests: 1, ignore_range: true, ..Default::default() };
    let server = serve(vec![(PATH.into(), data.clone())], behaviour).await;
    let dir = tempfile::tempdir().unwrap();
    let m = pinned(dir.path(), &server.url, &data);
    assert!(pull(&m, &CancellationToken::new()).await.0.is_err());
    let installed = pull(&m, &CancellationToken::new()).await.0.unwrap();
    assert_eq!(
        std::fs::read(&installed.path).unwrap(),
        data,
        "the 200 answer replaced the part instead of being appended"
    );
}

#[tokio::test]
async fn a_checksum_mismatch_is_refused_and_the_file_deleted() {
    let data = body();
    let server = serve(vec![(PATH.into(), data.clone())], Behaviour::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let wrong = leak(sha256_hex(b"another file"));
    let m = manager(dir.path(), &server.url, entry(Some(wrong), data.len() as u64));
    let err = pull(&m, &CancellationToken::new()).await.0.unwrap_err();
    assert!(matches!(err, ModelsError::Checksum(_)), "{err:?}");
    assert!(err.to_string().contains("not the expected file"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "neither the model nor the part is left");
    assert!(m.installed().unwrap().is_empty());
}

#[tokio::test]
async fn the_published_checksum_is_used_when_none_is_pinned_and_missing_means_refused() {
    let data = body();
    let published = Behaviour { published_sha: Some(sha256_hex(&data)), ..Default::default() };
    let server = serve(vec![(PATH.into(), data.clone())], published).await;
    let dir = tempfile::tempdir().unwrap();
    let m = manager(dir.path(), &server.url, entry(None, data.len() as u64));
    assert_eq!(std::fs::read(pull(&m, &CancellationToken::new()).await.0.unwrap().path).unwrap(), data);

    let lying = Behaviour { published_sha: Some(sha256_hex(b"something else")), ..Default::default() };
    let server = serve(vec![(PATH.into(), data.clone())], lying).await;
    let dir = tempfile::tempdir().unwrap();
    let m = manager(dir.path(), &server.url, entry(None, data.len() as u64));
    assert!(matches!(pull(&m, &CancellationToken::new()).await.0.unwrap_err(), ModelsError::Checksum(_)));

    let silent = serve(vec![(PATH.into(), data.clone())], Behaviour::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let m = manager(dir.path(), &silent.url, entry(None, data.len() as u64));
    let err = pull(&m, &CancellationToken::new()).await.0.unwrap_err();
    assert!(err.to_string().contains("publishes no checksum"), "{err}");
    assert!(m.installed().unwrap().is_empty());
}

#[tokio::test]
async fn pause_keeps_the_partial_file_and_resume_finishes_it() {
    let data = body();
    let server = serve(vec![(PATH.into(), data.clone())], Behaviour::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let m = pinned(dir.path(), &server.url, &data);
    let cancel = CancellationToken::new();
    let c = cancel.clone();
    // Pause as soon as the first bytes are on disk.
    let mut on_progress = |p: &DownloadProgress| {
        if p.stage == DownloadStage::Downloading {
            c.cancel();
        }
    };
    let err = m.download("test-model", &mut on_progress, &cancel).await.unwrap_err();
    assert!(matches!(err, ModelsError::Cancelled), "{err:?}");
    assert!(m.installed().unwrap().is_empty());
    assert!(dir.path().join("test-model.gguf.part").exists(), "pausing keeps what arrived");

    let installed = pull(&m, &CancellationToken::new()).await.0.unwrap();
    assert_eq!(std::fs::read(&installed.path).unwrap(), data);
}

#[tokio::test]
async fn too_little_disk_is_refused_before_downloading() {
    let data = body();
    let server = serve(vec![(PATH.into(), data.clone())], Behaviour::default()).await;
    let dir = tempfile::tempdir().unwrap();
    // A catalogue entry larger than any disk here: the real check against statvfs refuses it.
    let m = manager(dir.path(), &server.url, entry(Some(leak(sha256_hex(&data))), 1 << 60));
    let err = pull(&m, &CancellationToken::new()).await.0.unwrap_err();
    assert!(matches!(err, ModelsError::TooLarge(_)), "{err:?}");
    assert!(err.to_string().contains("not enough disk space"), "{err}");
    assert_eq!(server.requests.load(std::sync::atomic::Ordering::SeqCst), 0, "nothing was requested");
}

#[tokio::test]
async fn no_network_and_missing_files_say_so() {
    // A port nothing listens on (bound, then closed).
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let m = manager(dir.path(), &format!("http://127.0.0.1:{port}"), entry(None, 1000));
    let err = pull(&m, &CancellationToken::new()).await.0.unwrap_err();
    assert!(matches!(err, ModelsError::Network(_)), "{err:?}");
    assert!(err.to_string().contains("could not reach 127.0.0.1"), "{err}");
    assert_eq!(folio_core::Error::from(err).kind(), folio_core::ErrorKind::Unavailable);

    let server = serve(vec![], Behaviour::default()).await;
    let m = manager(dir.path(), &server.url, entry(None, 1000));
    assert!(matches!(pull(&m, &CancellationToken::new()).await.0.unwrap_err(), ModelsError::NotFound(_)));
    let err = m.download("nope", &mut |_| {}, &CancellationToken::new()).await.unwrap_err();
    assert!(err.to_string().contains("choose one of: test-model"), "{err}");
}

#[tokio::test]
async fn choosing_and_deleting_models() {
    let dir = tempfile::tempdir().unwrap();
    let m = manager(dir.path(), "http://127.0.0.1:9", entry(None, 1000));
    std::fs::write(dir.path().join("test-model.gguf"), b"GGUF").unwrap();
    std::fs::write(dir.path().join("my-own.gguf"), b"GGUF").unwrap();
    std::fs::write(dir.path().join("notes.txt"), b"not a model").unwrap();
    let installed = m.installed().unwrap();
    assert_eq!(installed.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), ["test-model", "my-own.gguf"]);
    assert_eq!(m.active().unwrap().unwrap().id, "test-model", "catalogue models come first");

    m.set_active("my-own.gguf").unwrap();
    assert_eq!(m.active().unwrap().unwrap().file_name, "my-own.gguf");
    // Another manager on the same folder (the CLI while the app runs) agrees.
    let other = manager(dir.path(), "http://127.0.0.1:9", entry(None, 1000));
    assert_eq!(other.active().unwrap().unwrap().file_name, "my-own.gguf");

    let err = m.set_active("missing").unwrap_err();
    assert!(err.to_string().contains("folio models pull missing"), "{err}");
    m.delete("my-own.gguf").unwrap();
    assert_eq!(m.active().unwrap().unwrap().id, "test-model", "deleting the active one falls back");
    m.delete("test-model").unwrap();
    assert!(m.active().unwrap().is_none());
    assert!(matches!(m.delete("test-model").unwrap_err(), ModelsError::NotFound(_)));
}
