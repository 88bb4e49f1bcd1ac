//! The official AI Hub Python SDK (instabase-aihub 0.13.0), unchanged, drives `folio
//! serve` on loopback through a whole workflow with two real PDFs: create, wait until
//! COMPLETE, converse with each document, add / read / delete a document, rename, list,
//! a CONVERSE and a CHATBOT query with sources, delete. Every SDK call must return
//! without raising, so every status code and shape is the one the SDK expects.
//!
//! Needs FOLIO_AIHUB_SDK_PYTHON, FOLIO_TEST_CORPUS and FOLIO_PDFIUM (exported by
//! scripts/setup.sh, which scripts/test.sh sources). Without them it fails, never skips.

mod serve;

use serve::{chatbot, corpus_pdfs, provisioned, Serving};

const TOKEN: &str = "sdk-workflow-token-0123456789";

#[test]
fn the_official_sdk_runs_a_whole_workflow_against_folio_serve() {
    let python = provisioned("FOLIO_AIHUB_SDK_PYTHON");
    let (pdfs, questions) = corpus_pdfs();
    let data = tempfile::tempdir().unwrap();
    let extra = data.path().join("meeting notes.txt");
    std::fs::write(&extra, "Minutes: the grid is drawn with \\graphpaper.\n").unwrap();
    let chatbot_id = chatbot(&data.path().join("engine"), &pdfs);
    let mut server = Serving::start(&data.path().join("engine"), &["--token", TOKEN], &[]);
    assert_eq!(server.printed_token, None, "a chosen token is not printed");

    let spec = serde_json::json!({
        "api_root": server.api_root, "token": TOKEN, "pdfs": pdfs, "extra": extra,
        "questions": questions, "chatbot_id": chatbot_id,
    });
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/serve/sdk_workflow.py");
    let started = std::time::Instant::now();
    let out = std::process::Command::new(python).arg(script).arg(spec.to_string()).output().expect("python runs");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the SDK workflow failed:\n{log}\nserver stderr:\n{}", server.stderr());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the workflow's JSON report");
    eprintln!("SDK workflow in {:?}:\n{log}", started.elapsed());
    let steps: Vec<&str> = report["steps"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert_eq!(steps.first(), Some(&"create"));
    assert_eq!(steps.last(), Some(&"delete"));
    for step in
        ["status until COMPLETE", "add_documents", "get_document_metadata", "delete_documents", "update", "list"]
    {
        assert!(steps.contains(&step), "{step} missing from {steps:?}");
    }
    assert_eq!(steps.iter().filter(|s| **s == "converse").count(), 2);
    assert_eq!(steps.iter().filter(|s| **s == "query").count(), 2);

    assert!(server.stop().success(), "folio serve did not stop cleanly: {}", server.stderr());
    let stderr = server.stderr();
    assert!(!stderr.contains(TOKEN), "the token reached the log:\n{stderr}");
    assert!(stderr.contains("method=POST path=/api/v2/conversations status=201"), "requests are logged:\n{stderr}");
}
