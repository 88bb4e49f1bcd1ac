//! `folio airia` end to end on a real data folder and a recording Airia: a document read
//! here, listed from Folio's own index, an answer streamed to stderr with its cited
//! page in the JSON, and failures as one sentence with the exit code of their kind.

use assert_cmd::Command;
use folio_airia::testkit::{airia_reply, RecordingServer, Reply};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

fn folio(server: &RecordingServer, data: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("folio").unwrap();
    cmd.arg("airia");
    for var in ["AIRIA_API_KEY", "AIRIA_BEARER_TOKEN", "AIRIA_DEPLOYMENT_ID", "AIRIA_USER_ID", "AIRIA_PIPELINE_ID"] {
        cmd.env_remove(var);
    }
    cmd.env("AIRIA_BASE_URL", server.base_url()).env("FOLIO_DATA_DIR", data);
    cmd
}

fn json_of(out: &std::process::Output) -> Value {
    assert!(out.status.success(), "folio failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn a_document_is_read_here_and_answers_stream_with_its_page() {
    let refuse = Arc::new(AtomicBool::new(false));
    let refusing = refuse.clone();
    let server = RecordingServer::start(move |r| {
        if refusing.load(Ordering::SeqCst) {
            return Reply::json(401, json!({"message": "key revoked"}));
        }
        airia_reply(r)
    });
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("plots.txt");
    std::fs::write(&file, "Plotting manual\n\nThe set xrange command fixes the horizontal range of a plot.\n").unwrap();
    let with_ids = |cmd: &mut Command| {
        cmd.env("AIRIA_API_KEY", "cli-key-1").env("AIRIA_USER_ID", "u1").env("AIRIA_PIPELINE_ID", "pipe-1");
    };

    let mut create = folio(&server, data.path());
    with_ids(&mut create);
    let created =
        json_of(&create.args(["conversations", "create", "--name", "Plots", "--wait"]).arg(&file).output().unwrap());
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["airiaConversationId"], json!("a1b2c3d4-0000-4000-8000-000000000001"));

    let mut list = folio(&server, data.path());
    with_ids(&mut list);
    let listed = json_of(&list.args(["conversations", "list"]).output().unwrap());
    assert_eq!(listed["conversations"][0]["id"], json!(id));

    let mut converse = folio(&server, data.path());
    with_ids(&mut converse);
    let out = converse
        .args(["conversations", "converse", &id, "--question", "How is the xrange set?", "--stream"])
        .output()
        .unwrap();
    let answer = json_of(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("The range is set with range [1]."));
    assert_eq!(answer["sources"][0]["documentName"], json!("plots.txt"));

    refuse.store(true, Ordering::SeqCst);
    let mut refused = folio(&server, data.path());
    with_ids(&mut refused);
    let out = refused.args(["conversations", "converse", &id, "--question", "Again?"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "auth failures exit 3");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("did not accept the API key")
            && stderr.contains("key revoked")
            && !stderr.contains("cli-key-1"),
        "{stderr}"
    );
}

#[test]
fn missing_settings_are_named() {
    let server = RecordingServer::airia();
    let data = tempfile::tempdir().unwrap();
    let out = folio(&server, data.path())
        .args(["--user-id", "u", "--pipeline-id", "p", "conversations", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("AIRIA_API_KEY"));
    let out = folio(&server, data.path())
        .env("AIRIA_API_KEY", "k1234")
        .args(["--user-id", "u", "conversations", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("AIRIA_PIPELINE_ID"));
    let out = folio(&server, data.path())
        .args(["--api-key", "a", "--bearer-token", "b", "test-connection"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "both credentials are refused");
    assert!(server.requests().is_empty());
}
