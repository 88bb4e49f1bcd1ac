//! The proof that Folio speaks Airia's language: the official Python SDK (airia 0.1.41)
//! and `folio airia` perform the same operations against one recording server, and every
//! request must match in method, raw path and query, the headers that matter (the one
//! credential, a correlation id, content type and length) and the JSON body.
//!
//! Folio runs first in each case: its chat turn's `userInput` (the question with the
//! passages Folio retrieved locally) is then given to the SDK, so the comparison is of
//! everything else Folio sends with it.
//!
//! Needs FOLIO_AIRIA_SDK_PYTHON (exported by scripts/setup.d/31-airia-sdk.sh, which
//! scripts/test.sh sources). Without it this test fails: it must never pass by skipping.

#[path = "support/wire_diff.rs"]
mod wire_diff;

use assert_cmd::Command;
use folio_airia::testkit::{Recorded, RecordedBody, RecordingServer};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const KEY: &str = "conformance-key-1";
const BEARER: &str = "conformance-bearer-2";
const AIRIA_ID: &str = "a1b2c3d4-0000-4000-8000-000000000001";

struct Case {
    name: &'static str,
    /// Python over `client` and `V` (V["user_input"]: what Folio sent as userInput).
    sdk: &'static str,
    /// `{LOCAL}` is the Folio conversation created by the first case.
    cli: &'static [&'static str],
    bearer: bool,
    /// The base URL without its trailing slash (the SDK's urljoin rule then drops `api`).
    no_slash: bool,
    deployment: Option<&'static str>,
}

fn cases() -> Vec<Case> {
    let c = |name, sdk, cli| Case { name, sdk, cli, bearer: false, no_slash: false, deployment: None };
    vec![
        Case {
            deployment: Some("dep-1"),
            ..c("create with a deployment", "client.conversations.create_conversation(user_id='user-1', title='Plots', deployment_id='dep-1')", &["conversations", "create", "--name", "Plots"])
        },
        c("create with a title only", "client.conversations.create_conversation(user_id='user-1', title='Notes é & /')", &["conversations", "create", "--name", "Notes é & /"]),
        c("get", format_leak("client.conversations.get_conversation(conversation_id='{AIRIA}')"), &["conversations", "get", "{LOCAL}"]),
        Case { bearer: true, ..c("get with a bearer token", format_leak("client.conversations.get_conversation(conversation_id='{AIRIA}')"), &["conversations", "get", "{LOCAL}"]) },
        Case { no_slash: true, ..c("get with a base URL without trailing slash", format_leak("client.conversations.get_conversation(conversation_id='{AIRIA}')"), &["conversations", "get", "{LOCAL}"]) },
        c(
            "converse",
            format_leak("client.pipeline_execution.execute_pipeline(pipeline_id='pipe-1', user_input=V['user_input'], user_id='user-1', conversation_id='{AIRIA}')"),
            &["conversations", "converse", "{LOCAL}", "--question", "How is the range set?"],
        ),
        c(
            "converse streamed",
            format_leak("list(client.pipeline_execution.execute_pipeline(pipeline_id='pipe-1', user_input=V['user_input'], user_id='user-1', conversation_id='{AIRIA}', async_output=True).stream)"),
            &["conversations", "converse", "{LOCAL}", "--question", "And its colours?", "--stream"],
        ),
        c("test connection", "client.pipelines_config.get_pipeline_config(pipeline_id='pipe-1')", &["test-connection"]),
        c("delete", format_leak("client.conversations.delete_conversation(conversation_id='{AIRIA}')"), &["conversations", "delete", "{LOCAL}"]),
    ]
}

fn format_leak(template: &str) -> &'static str {
    Box::leak(template.replace("{AIRIA}", AIRIA_ID).into_boxed_str())
}

/// The parts of a request that Airia sees and that must match.
fn essence(r: &Recorded) -> Value {
    let mut headers = BTreeMap::new();
    headers.insert("x-api-key", json!(r.header("x-api-key")));
    headers.insert("authorization", json!(r.header("authorization")));
    // A fresh uuid each time: its presence and shape, not its value.
    headers.insert(
        "x-correlation-id",
        json!(r.header("x-correlation-id").map(|v| v.len() == 36 && v.matches('-').count() == 4)),
    );
    headers.insert("content-type", json!(r.media_type()));
    headers.insert(
        "content-length",
        match r.body {
            RecordedBody::Empty => json!(r.header("content-length")),
            _ => json!(r.header("content-length").is_some() || r.header("transfer-encoding").is_some()),
        },
    );
    let body = match &r.body {
        RecordedBody::Empty => json!(null),
        RecordedBody::Json(v) => json!({"json": v}),
        RecordedBody::Other(text) => json!({"other": text}),
        // Airia takes no uploads; the shared recorder would still show one by its part names.
        RecordedBody::Multipart(parts) => json!({"multipart": parts.iter().map(|p| &p.name).collect::<Vec<_>>()}),
    };
    json!({"method": r.method, "path": r.path, "query": r.query, "headers": headers, "body": body})
}

fn sdk_python() -> String {
    match std::env::var("FOLIO_AIRIA_SDK_PYTHON") {
        Ok(p) if std::path::Path::new(&p).exists() => p,
        other => panic!(
            "FOLIO_AIRIA_SDK_PYTHON is {other:?}: the conformance test needs the official SDK (airia 0.1.41). \
             Run scripts/test.sh, or `source scripts/setup.sh` before cargo test, to install it and set the variable \
             (scripts/setup.d/31-airia-sdk.sh)."
        ),
    }
}

#[test]
fn folio_sends_what_the_official_sdk_sends() {
    let python = sdk_python();
    let server = RecordingServer::airia();
    let data = tempfile::tempdir().unwrap();
    let runner = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/airia/sdk_runner.py");
    let mut local_id: Option<String> = None;
    let (mut compared, mut failures) = (0, Vec::new());

    for case in cases() {
        let base_url = if case.no_slash { format!("http://{}/api", server.addr) } else { server.base_url() };
        server.take();
        let args: Vec<String> =
            case.cli.iter().map(|a| a.replace("{LOCAL}", local_id.as_deref().unwrap_or("missing"))).collect();
        let mut cli = Command::cargo_bin("folio").unwrap();
        cli.arg("airia").args(&args);
        for var in ["AIRIA_API_KEY", "AIRIA_BEARER_TOKEN", "AIRIA_DEPLOYMENT_ID", "AIRIA_BASE_URL"] {
            cli.env_remove(var);
        }
        cli.env("AIRIA_BASE_URL", &base_url)
            .env("AIRIA_USER_ID", "user-1")
            .env("AIRIA_PIPELINE_ID", "pipe-1")
            .env("FOLIO_DATA_DIR", data.path());
        if case.bearer {
            cli.env("AIRIA_BEARER_TOKEN", BEARER);
        } else {
            cli.env("AIRIA_API_KEY", KEY);
        }
        if let Some(d) = case.deployment {
            cli.env("AIRIA_DEPLOYMENT_ID", d);
        }
        let out = cli.output().unwrap();
        assert!(out.status.success(), "{}: folio failed: {}", case.name, String::from_utf8_lossy(&out.stderr));
        let printed: Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{}: stdout is not JSON ({e})", case.name));
        if local_id.is_none() {
            local_id = printed["id"].as_str().map(str::to_string);
            assert_eq!(printed["airiaConversationId"], json!(AIRIA_ID), "{}", case.name);
        }
        let from_folio = server.take();
        let user_input = from_folio.iter().find_map(|r| r.json()?.get("userInput")?.as_str().map(str::to_string));

        let mut spec = json!({"base_url": base_url, "call": case.sdk, "vars": {"user_input": user_input}});
        if case.bearer {
            spec["bearer_token"] = json!(BEARER);
        } else {
            spec["api_key"] = json!(KEY);
        }
        let sdk = std::process::Command::new(&python)
            .arg(runner)
            .arg(spec.to_string())
            .env_remove("AIRIA_API_KEY")
            .output()
            .expect("run the SDK");
        assert!(sdk.status.success(), "{}: the SDK run failed: {}", case.name, String::from_utf8_lossy(&sdk.stderr));
        let from_sdk = server.take();

        assert!(!from_sdk.is_empty(), "{}: the SDK sent nothing ({})", case.name, String::from_utf8_lossy(&sdk.stderr));
        let (sdk_wire, folio_wire): (Vec<Value>, Vec<Value>) =
            (from_sdk.iter().map(essence).collect(), from_folio.iter().map(essence).collect());
        failures.extend(wire_diff::difference(case.name, &sdk_wire, &folio_wire));
        compared += from_sdk.len();
    }
    assert!(failures.is_empty(), "{} case(s) differ from the SDK:\n{}", failures.len(), failures.join("\n\n"));
    assert_eq!(compared, cases().len(), "one request per SDK call");
}
