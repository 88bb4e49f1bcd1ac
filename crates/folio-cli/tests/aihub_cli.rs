//! `folio aihub` as a user runs it: help for every subcommand, JSON on stdout, progress
//! on stderr, and a clear message with a kind-specific exit code on failure.

use assert_cmd::Command;
use folio_aihub::testkit::{aihub_reply, RecordingServer, Reply};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const TOKEN: &str = "cli-token-777";

fn folio(server: &RecordingServer) -> Command {
    let mut cmd = Command::cargo_bin("folio").unwrap();
    cmd.arg("aihub")
        .env("AIHUB_API_ROOT", server.api_root())
        .env("AIHUB_API_TOKEN", TOKEN)
        .env_remove("AIHUB_IB_CONTEXT");
    cmd
}

fn help(args: &[&str]) -> String {
    let out = Command::cargo_bin("folio").unwrap().args(args).arg("--help").output().unwrap();
    assert!(out.status.success(), "{args:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn help_documents_every_subcommand_and_option() {
    let top = help(&["aihub"]);
    for word in [
        "conversations",
        "queries",
        "--api-root",
        "AIHUB_API_ROOT",
        "--token",
        "AIHUB_API_TOKEN",
        "--ib-context",
        "AIHUB_IB_CONTEXT",
        "https://aihub.instabase.com/api",
    ] {
        assert!(top.contains(word), "aihub --help lacks {word}:\n{top}");
    }
    let conversations = help(&["aihub", "conversations"]);
    for sub in
        ["create", "list", "status", "update", "delete", "add-documents", "delete-documents", "metadata", "converse"]
    {
        assert!(conversations.contains(sub), "{sub}");
        let text = help(&["aihub", "conversations", sub]);
        assert!(text.contains("Usage: folio aihub conversations"), "{text}");
    }
    let create = help(&["aihub", "conversations", "create"]);
    for flag in [
        "--name",
        "--description",
        "--org",
        "--workspace",
        "--enable-object-detection",
        "--enable-entity-detection",
        "--write-converted-image",
        "--write-thumbnail",
        "--fast-mode",
        "--enable-multilanguage-support",
        "--enable-multilanguage-advanced-mode",
        "FILE",
    ] {
        assert!(create.contains(flag), "create lacks {flag}");
    }
    assert!(help(&["aihub", "conversations", "converse"]).contains("--mode"));
    assert!(help(&["aihub", "conversations", "status"]).contains("--wait"));
    assert!(help(&["aihub", "conversations", "add-documents"]).contains("--no-process"));
    let run = help(&["aihub", "queries", "run"]);
    for flag in
        ["--chatbot", "--conversation", "--query", "--model", "multistep-lite", "--include-source-info", "--wait"]
    {
        assert!(run.contains(flag), "queries run lacks {flag}");
    }
    assert!(help(&["aihub", "queries", "status"]).contains("QUERY_ID"));
}

#[test]
fn the_token_from_the_environment_is_never_printed_in_help() {
    let out =
        Command::cargo_bin("folio").unwrap().args(["aihub", "--help"]).env("AIHUB_API_TOKEN", TOKEN).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains(TOKEN));
}

#[test]
fn prints_the_answer_json_on_stdout() {
    let server = RecordingServer::aihub();
    let out = folio(&server).args(["conversations", "status", "c1"]).output().unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["documents"][0]["uploadTimestamp"], "2024-05-01T10:00:00Z", "printed as AI Hub sent it");
    let out = folio(&server).args(["conversations", "delete", "c1"]).output().unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&out.stdout).unwrap(), json!({}));
}

#[test]
fn a_missing_token_is_an_auth_error_before_any_request() {
    let server = RecordingServer::aihub();
    let out = folio(&server).env_remove("AIHUB_API_TOKEN").args(["conversations", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("AIHUB_API_TOKEN"));
    assert!(server.requests().is_empty());
}

#[test]
fn failures_exit_with_the_kind_and_the_server_message_but_never_the_token() {
    let server = RecordingServer::start(|r| match r.method.as_str() {
        "GET" => Reply::json(404, json!({"message": "Conversation nope was not found"})),
        _ => {
            Reply::json(401, json!({"message": format!("bad credentials {}", r.header("authorization").unwrap_or(""))}))
        }
    });
    let out = folio(&server).args(["conversations", "status", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Conversation nope was not found"));
    assert!(out.stdout.is_empty());

    let out = folio(&server)
        .args(["conversations", "converse", "c1", "--question", "Q", "--document", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad credentials") && !stderr.contains(TOKEN), "{stderr}");
}

#[test]
fn limits_are_refused_locally_with_the_file_name() {
    let server = RecordingServer::aihub();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.pdf");
    std::fs::write(&path, folio_aihub::tiny_pdf(900)).unwrap();
    let out = folio(&server).args(["conversations", "create", "--name", "n"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&out.stderr).contains("long.pdf has 900 pages"));
    assert!(server.requests().is_empty());
}

#[test]
fn a_query_needs_exactly_one_source() {
    let server = RecordingServer::aihub();
    let out = folio(&server).args(["queries", "run", "--query", "Q"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = folio(&server)
        .args(["queries", "run", "--query", "Q", "--chatbot", "a", "--conversation", "b"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(server.requests().is_empty());
}

#[test]
fn status_wait_follows_until_processed_with_progress_on_stderr() {
    let calls = Arc::new(AtomicUsize::new(0));
    let server = RecordingServer::start(move |r| {
        if r.method == "GET" {
            let done = calls.fetch_add(1, Ordering::SeqCst) >= 2;
            let (c, d) = if done { ("COMPLETE", "PROCESSED") } else { ("RUNNING", "PROCESSING") };
            return Reply::json(
                200,
                json!({"id": "c1", "name": "n", "state": c, "documents": [{"id": 1, "name": "a.pdf", "state": d}]}),
            );
        }
        aihub_reply(r)
    });
    let out = folio(&server).args(["conversations", "status", "c1", "--wait"]).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("RUNNING [a.pdf PROCESSING]") && stderr.contains("COMPLETE [a.pdf PROCESSED]"), "{stderr}");
    assert_eq!(serde_json::from_slice::<Value>(&out.stdout).unwrap()["state"], "COMPLETE");
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn queries_run_wait_prints_the_final_status() {
    let calls = Arc::new(AtomicUsize::new(0));
    let server = RecordingServer::start(move |r| {
        if r.method == "GET" && calls.fetch_add(1, Ordering::SeqCst) == 0 {
            return Reply::json(200, json!({"query_id": "query-1", "status": "RUNNING"}));
        }
        aihub_reply(r)
    });
    let out = folio(&server).args(["queries", "run", "--chatbot", "bot", "--query", "Q", "--wait"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((v["status"].as_str(), v["results"][0]["response"].as_str()), (Some("COMPLETE"), Some("42")));
    let methods: Vec<String> = server.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(methods, vec!["POST", "GET", "GET"]);
}
