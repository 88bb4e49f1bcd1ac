//! The proof that Folio speaks Pieces OS's language: the official Python SDK
//! (pieces-os-client 5.0.1: its generated client and models, driven the way its wrapper
//! drives them) and `folio pieces` perform the same operations against one recording
//! server, and every request must match: method, raw path and query, the headers Pieces
//! reads (`application`, Accept, Content-Type, User-Agent) and the JSON body; for the
//! answer stream, the `QGPTStreamInput` frame sent over the WebSocket.
//!
//! Needs FOLIO_PIECES_SDK_PYTHON (exported by scripts/setup.d/32-pieces-sdk.sh, which
//! scripts/test.sh sources). Without it this test fails: it must never pass by skipping.

#[path = "support/wire_diff.rs"]
mod wire_diff;

use assert_cmd::Command;
use folio_pieces::testkit::{Recorded, RecordingServer};
use serde_json::{json, Value};
use std::collections::BTreeMap;

struct Case {
    name: &'static str,
    sdk: &'static str,
    cli: &'static [&'static str],
}

fn cases() -> Vec<Case> {
    let c = |name, sdk, cli| Case { name, sdk, cli };
    vec![
        c("list", "ConversationsApi(api).conversations_snapshot(transferables=False)", &["conversations", "list"]),
        c(
            "create (as Copilot.create_chat)",
            "ConversationsApi(api).conversations_create_specific_conversation(transferables=False, seeded_conversation={'name': 'Manuals 2024 & é', 'type': 'COPILOT'})",
            &["conversations", "create", "--name", "Manuals 2024 & é"],
        ),
        c("create from an asset", "ConversationsApi(api).conversations_create_from_asset('asset 1/é')", &["conversations", "create", "--from-asset", "asset 1/é"]),
        c("get", "ConversationApi(api).conversation_get_specific_conversation('conv 1', transferables=False)", &["conversations", "get", "conv 1"]),
        c(
            "rename (as BasicChat.name = ...)",
            "c = ConversationApi(api).conversation_get_specific_conversation('conv-1', transferables=False)\nc.name = 'Renamed / é'\nConversationApi(api).conversation_update(transferables=False, conversation=c)",
            &["conversations", "rename", "conv-1", "--name", "Renamed / é"],
        ),
        c("delete", "ConversationsApi(api).conversations_delete_specific_conversation('conv/1')", &["conversations", "delete", "conv/1"]),
        c("messages", "ConversationApi(api).conversation_specific_conversation_messages('conv-1', transferables=False)", &["conversations", "messages", "conv-1"]),
        c(
            "ask through the question endpoint (as Copilot.question)",
            "QGPTApi(api).question(QGPTQuestionInput(query='How do I set the range?', model=model_id(), application=app_id, relevant=RelevantQGPTSeeds(iterable=[])))",
            &["conversations", "ask", "--question", "How do I set the range?"],
        ),
        c(
            "ask over the stream in a conversation",
            "assert ask_stream('conv-1', 'And the title font?') == 'Use set xrange to set the range [1].'",
            &["conversations", "ask", "--stream", "--conversation", "conv-1", "--question", "And the title font?"],
        ),
        c(
            "ask over the stream without a conversation",
            "ask_stream(None, 'Hi')",
            &["conversations", "ask", "--stream", "--question", "Hi"],
        ),
    ]
}

/// The parts of a request Pieces OS sees and that must match. The health probe's
/// headers are the HTTP libraries' own (urllib vs reqwest): only its method and path count.
fn essence(r: &Recorded) -> Value {
    match r.method.as_str() {
        "HEAD" => json!({"method": r.method, "path": r.path}),
        "WS" => json!({"method": r.method, "path": r.path, "query": r.query, "frame": r.value()}),
        _ => {
            let mut headers = BTreeMap::new();
            for name in ["application", "accept", "user-agent"] {
                headers.insert(name, json!(r.header(name)));
            }
            headers.insert("content-type", json!(r.media_type()));
            json!({"method": r.method, "path": r.path, "query": r.query, "headers": headers, "body": r.value()})
        }
    }
}

fn sdk_python() -> String {
    match std::env::var("FOLIO_PIECES_SDK_PYTHON") {
        Ok(p) if std::path::Path::new(&p).exists() => p,
        other => panic!(
            "FOLIO_PIECES_SDK_PYTHON is {other:?}: the conformance test needs the official SDK (pieces-os-client 5.0.1). \
             Run scripts/test.sh, or `source scripts/setup.sh` before cargo test, to install it (scripts/setup.d/32-pieces-sdk.sh) and set the variable."
        ),
    }
}

fn recorded(server: &RecordingServer) -> Vec<Value> {
    server.take().iter().filter(|r| r.method != "WS-GONE").map(essence).collect()
}

/// The SDK's requests, one list per case, split at the runner's markers.
fn sdk_requests(python: &str, server: &RecordingServer) -> Vec<Vec<Value>> {
    let runner = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pieces/sdk_runner.py");
    let statements: Vec<&str> = cases().iter().map(|c| c.sdk).collect();
    let sdk = std::process::Command::new(python)
        .args([runner, &server.base(), env!("CARGO_PKG_VERSION"), &serde_json::to_string(&statements).unwrap()])
        .output()
        .unwrap();
    assert!(sdk.status.success(), "the SDK failed: {}", String::from_utf8_lossy(&sdk.stderr));
    let mut per_case: Vec<Vec<Value>> = Vec::new();
    for r in server.take().iter().filter(|r| r.method != "WS-GONE") {
        if r.path.starts_with("/__case__/") {
            per_case.push(Vec::new());
        } else {
            per_case.last_mut().expect("a marker comes first").push(essence(r));
        }
    }
    per_case
}

#[test]
fn folio_sends_what_the_official_sdk_sends() {
    let python = sdk_python();
    let server = RecordingServer::pieces();
    let from_sdk = sdk_requests(&python, &server);
    assert_eq!(from_sdk.len(), cases().len(), "one list of requests per case");
    let mut compared = 0;
    let mut failures = Vec::new();
    for (case, from_sdk) in cases().iter().zip(from_sdk) {
        let cli = Command::cargo_bin("folio")
            .unwrap()
            .env_remove("PIECES_MODEL")
            .env_remove("PIECES_OS_ADDRESS")
            .args(["pieces", "--address", &server.base()])
            .args(case.cli)
            .output()
            .unwrap();
        assert!(cli.status.success(), "{}: folio failed: {}", case.name, String::from_utf8_lossy(&cli.stderr));
        let from_folio = recorded(&server);
        assert!(from_sdk.len() >= 3, "{}: the SDK sent too little: {from_sdk:#?}", case.name);
        failures.extend(wire_diff::difference(case.name, &from_sdk, &from_folio));
        compared += from_sdk.len();
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases().len(), failures.join("\n\n"));
    eprintln!("{compared} requests and frames matched across {} operations", cases().len());
}
