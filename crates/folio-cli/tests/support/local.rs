//! Shared by the tests that run the real `folio` binary on a data folder: where the
//! provisioned files are, the `folio local` command, and its JSON answer.
// Each test file is its own crate and uses a part of this.
#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};

pub const HOW: &str = "run scripts/test.sh (or source scripts/setup.sh) so it is provisioned";

/// The file or folder an environment variable names, which setup provides.
pub fn provisioned(var: &str) -> PathBuf {
    let path = std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| panic!("{var} is not set: {HOW}"));
    assert!(path.exists(), "{var}={} is missing: {HOW}", path.display());
    path
}

/// A PDF of the test corpus (and pdfium, which reads it).
pub fn corpus(name: &str) -> PathBuf {
    let path = provisioned("FOLIO_TEST_CORPUS").join(name);
    assert!(path.is_file(), "{} is missing: {HOW}", path.display());
    assert!(std::env::var_os("FOLIO_PDFIUM").is_some(), "FOLIO_PDFIUM is not set: {HOW}");
    path
}

/// `folio local --data-dir DATA`, answering by quotes whatever model the shell names.
pub fn local(data: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("folio"));
    cmd.arg("local").arg("--data-dir").arg(data).env_remove("FOLIO_LLM");
    cmd
}

/// The command's stdout as JSON, after checking it succeeded.
pub fn json(out: &std::process::Output) -> Value {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// Retries the documents the status shows set aside after two interrupted reads (and
/// checks that is why they failed); returns how many.
pub fn retry_set_aside(data: &Path, id: &str, status: &Value) -> usize {
    let failed: Vec<&Value> =
        status["documents"].as_array().unwrap().iter().filter(|d| d["state"] == "FAILED").collect();
    if failed.is_empty() {
        return 0;
    }
    let settings = folio_engine::EngineSettings { start_workers: false, embeddings: None, ..Default::default() };
    let engine = folio_engine::Engine::open(data, settings).unwrap();
    for doc in &failed {
        let reason = doc["failure_reason"].as_str().unwrap_or_default();
        assert!(reason.starts_with("Folio stopped twice while reading"), "{doc}");
        engine.retry_document(id, doc["id"].as_i64().unwrap()).unwrap();
    }
    failed.len()
}
