//! The proof that Folio speaks AI Hub's language: the official Python SDK
//! (instabase-aihub 0.13.0) and `folio aihub` perform the same operations against one
//! recording server, and every request must match in method, raw path and query, the
//! headers that matter, multipart part names, filenames, content types, values and
//! bytes, and JSON bodies.
//!
//! Needs FOLIO_AIHUB_SDK_PYTHON (exported by scripts/setup.d/30-aihub-sdk.sh, which
//! scripts/test.sh sources). Without it this test fails: it must never pass by skipping.

#[path = "support/wire_diff.rs"]
mod wire_diff;

use assert_cmd::Command;
use folio_aihub::testkit::{Recorded, RecordedBody, RecordingServer};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const TOKEN: &str = "conformance-token-1";

struct Case {
    name: &'static str,
    ib_context: Option<&'static str>,
    sdk: &'static str,
    cli: &'static [&'static str],
    /// Folio reads the conversation before adding documents (the 100-documents rule);
    /// the SDK does not. That one GET is expected, checked, and then set aside.
    folio_count_check: Option<&'static str>,
}

const FILE_NAMES: [&str; 4] = ["a.pdf", "b notes.txt", "résumé.png", "data"];

fn cases() -> Vec<Case> {
    let c = |name, ib_context, sdk, cli| Case { name, ib_context, sdk, cli, folio_count_check: None };
    vec![
        c(
            "create with every flag and several files",
            Some("org1"),
            "client.conversations.create(name='My conv', description='About things', files=[F['a.pdf'], F['b notes.txt'], F['résumé.png'], F['data']], org='org1', workspace='ws', enable_object_detection=True, enable_entity_detection=True, write_converted_image=True, write_thumbnail=True, fast_mode=True, enable_multilanguage_support=True, enable_multilanguage_advanced_mode=True)",
            &["conversations", "create", "--name", "My conv", "--description", "About things", "--org", "org1", "--workspace", "ws", "--enable-object-detection", "--enable-entity-detection", "--write-converted-image", "--write-thumbnail", "--fast-mode", "--enable-multilanguage-support", "--enable-multilanguage-advanced-mode", "{a.pdf}", "{b notes.txt}", "{résumé.png}", "{data}"],
        ),
        c("create with a name only, no IB-Context", None, "client.conversations.create(name='Just a name', files=[F['a.pdf']])", &["conversations", "create", "--name", "Just a name", "{a.pdf}"]),
        c("create with some flags", Some("org1"), "client.conversations.create(name='n', files=[F['b notes.txt']], enable_object_detection=True, fast_mode=True)", &["conversations", "create", "--name", "n", "--enable-object-detection", "--fast-mode", "{b notes.txt}"]),
        c("list", Some("org1"), "client.conversations.list()", &["conversations", "list"]),
        c("list without IB-Context", None, "client.conversations.list()", &["conversations", "list"]),
        c("status with an id that needs encoding", Some("org1"), "client.conversations.status('a/b c')", &["conversations", "status", "a/b c"]),
        c("update name and description", Some("org1"), "client.conversations.update('c1', name='New name & x', description='desc/é')", &["conversations", "update", "c1", "--name", "New name & x", "--description", "desc/é"]),
        c("update name only", Some("org1"), "client.conversations.update('c1', name='Only name')", &["conversations", "update", "c1", "--name", "Only name"]),
        c("delete", Some("org1"), "client.conversations.delete('c1')", &["conversations", "delete", "c1"]),
        Case {
            folio_count_check: Some("/api/v2/conversations/conv%201"),
            ..c("add documents", Some("org1"), "client.conversations.add_documents('conv 1', [F['a.pdf'], F['b notes.txt']])", &["conversations", "add-documents", "conv 1", "{a.pdf}", "{b notes.txt}"])
        },
        Case {
            folio_count_check: Some("/api/v2/conversations/c1"),
            ..c("add documents without processing", Some("org1"), "client.conversations.add_documents('c1', [F['data']], process_files=False)", &["conversations", "add-documents", "c1", "--no-process", "{data}"])
        },
        c("delete documents", Some("org1"), "client.conversations.delete_documents('c1', [15, 16])", &["conversations", "delete-documents", "c1", "15", "16"]),
        c("document metadata", Some("org1"), "client.conversations.get_document_metadata('c1', 15)", &["conversations", "metadata", "c1", "15"]),
        c("converse with defaults", Some("org1"), "client.conversations.converse('c1', 'What is the term?', [15])", &["conversations", "converse", "c1", "--question", "What is the term?", "--document", "15"]),
        c("converse advanced in fast mode", Some("org1"), "client.conversations.converse('c1', 'Why?', [15, 16], mode='advanced', fast_mode=True)", &["conversations", "converse", "c1", "--question", "Why?", "--document", "15", "--document", "16", "--mode", "advanced", "--fast-mode"]),
        c("query a chatbot with multistep and sources", Some("org1"), "client.queries.run('Q?', {'type': 'CHATBOT', 'id': 'bot-uuid'}, include_source_info=True, model_name='multistep')", &["queries", "run", "--chatbot", "bot-uuid", "--query", "Q?", "--model", "multistep", "--include-source-info"]),
        c("query a conversation with the defaults", Some("org1"), "client.queries.run('Q2', {'type': 'CONVERSE', 'id': 'c1'})", &["queries", "run", "--conversation", "c1", "--query", "Q2"]),
        c("query with multistep-lite named", None, "client.queries.run('Q3', {'type': 'CHATBOT', 'id': 'b'}, model_name='multistep-lite')", &["queries", "run", "--chatbot", "b", "--query", "Q3", "--model", "multistep-lite"]),
        c("query status", Some("org1"), "client.queries.status('query-1')", &["queries", "status", "query-1"]),
    ]
}

/// The parts of a request that AI Hub sees and that must match.
fn essence(r: &Recorded) -> Value {
    let mut headers = BTreeMap::new();
    for name in ["authorization", "ib-context", "accept", "user-agent"] {
        headers.insert(name, json!(r.header(name)));
    }
    headers.insert("content-type", json!(r.media_type()));
    // Lengths of bodies differ legitimately (boundaries, JSON spacing); an empty body's do not.
    headers.insert(
        "content-length",
        match r.body {
            RecordedBody::Empty => json!(r.header("content-length")),
            _ => json!(r.header("content-length").is_some()),
        },
    );
    let body = match &r.body {
        RecordedBody::Empty => json!(null),
        RecordedBody::Json(v) => json!({"json": v}),
        RecordedBody::Multipart(parts) => json!({"multipart": parts.iter().map(|p| json!({
            "name": p.name, "filename": p.filename, "content_type": p.content_type,
            "len": p.len, "digest": p.digest.to_string(), "text": p.text,
        })).collect::<Vec<_>>()}),
        RecordedBody::Other(text) => json!({"other": text}),
    };
    json!({"method": r.method, "path": r.path, "query": r.query, "headers": headers, "body": body})
}

fn sdk_python() -> String {
    match std::env::var("FOLIO_AIHUB_SDK_PYTHON") {
        Ok(p) if std::path::Path::new(&p).exists() => p,
        other => panic!(
            "FOLIO_AIHUB_SDK_PYTHON is {other:?}: the conformance test needs the official SDK (instabase-aihub 0.13.0). \
             Run scripts/test.sh, or `source scripts/setup.sh` before cargo test, to install it and set the variable."
        ),
    }
}

#[test]
fn folio_sends_what_the_official_sdk_sends() {
    let python = sdk_python();
    let server = RecordingServer::aihub();
    let dir = tempfile::tempdir().unwrap();
    let mut files = BTreeMap::new();
    for (i, name) in FILE_NAMES.iter().enumerate() {
        let path = dir.path().join(name);
        let bytes = if name.ends_with(".pdf") {
            folio_aihub::tiny_pdf(3)
        } else {
            format!("file {i}: {name}\n").repeat(50 + i).into_bytes()
        };
        std::fs::write(&path, bytes).unwrap();
        files.insert(name.to_string(), path.to_string_lossy().into_owned());
    }
    let runner = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/aihub/sdk_runner.py");
    let mut compared = 0;
    let mut failures = Vec::new();

    for case in cases() {
        server.take();
        let spec = json!({"api_root": server.api_root(), "token": TOKEN, "ib_context": case.ib_context, "files": files, "call": case.sdk});
        let sdk = std::process::Command::new(&python).arg(runner).arg(spec.to_string()).output().expect("run the SDK");
        assert!(sdk.status.success(), "{}: the SDK run failed: {}", case.name, String::from_utf8_lossy(&sdk.stderr));
        let from_sdk = server.take();

        let args: Vec<String> = case
            .cli
            .iter()
            .map(|a| match a.strip_prefix('{').and_then(|a| a.strip_suffix('}')) {
                Some(name) => files[name].clone(),
                None => a.to_string(),
            })
            .collect();
        let mut cli = Command::cargo_bin("folio").unwrap();
        cli.arg("aihub").args(&args).env("AIHUB_API_ROOT", server.api_root()).env("AIHUB_API_TOKEN", TOKEN);
        match case.ib_context {
            Some(ctx) => cli.env("AIHUB_IB_CONTEXT", ctx),
            None => cli.env_remove("AIHUB_IB_CONTEXT"),
        };
        let out = cli.output().unwrap();
        assert!(out.status.success(), "{}: folio failed: {}", case.name, String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<Value>(&out.stdout)
            .unwrap_or_else(|e| panic!("{}: stdout is not JSON ({e})", case.name));
        let mut from_folio = server.take();

        if let Some(path) = case.folio_count_check {
            let check = from_folio.remove(0);
            assert_eq!(
                (check.method.as_str(), check.path.as_str(), &check.body),
                ("GET", path, &RecordedBody::Empty),
                "{}",
                case.name
            );
        }
        assert!(!from_sdk.is_empty(), "{}: the SDK sent nothing", case.name);
        let (sdk_wire, folio_wire): (Vec<Value>, Vec<Value>) =
            (from_sdk.iter().map(essence).collect(), from_folio.iter().map(essence).collect());
        failures.extend(wire_diff::difference(case.name, &sdk_wire, &folio_wire));
        compared += from_sdk.len();
    }
    assert!(failures.is_empty(), "{} case(s) differ from the SDK:\n{}", failures.len(), failures.join("\n\n"));
    assert_eq!(compared, cases().len(), "one request per SDK call");
}
