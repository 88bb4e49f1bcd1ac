//! `folio aihub` (Folio's own AI Hub client) drives `folio serve` through the same
//! workflow as the official SDK does in serve_sdk.rs, so client and server are proven
//! against each other as well as against the SDK.
//!
//! Needs FOLIO_TEST_CORPUS and FOLIO_PDFIUM (scripts/setup.sh); fails without them.
//! Answers are the answering engine's quotes (no language model), with their pages.

mod serve;

use assert_cmd::Command;
use serde_json::Value;
use serve::{chatbot, corpus_pdfs, Serving};

const TOKEN: &str = "aihub-client-token-0123456789";

struct Client<'a> {
    server: &'a Serving,
}

impl Client<'_> {
    fn command(&self, args: &[&str]) -> std::process::Output {
        Command::cargo_bin("folio")
            .unwrap()
            .arg("aihub")
            .args(args)
            .env("AIHUB_API_ROOT", &self.server.api_root)
            .env("AIHUB_API_TOKEN", TOKEN)
            .env_remove("AIHUB_IB_CONTEXT")
            .timeout(std::time::Duration::from_secs(300))
            .output()
            .unwrap()
    }

    /// Runs a command that must succeed; its JSON output.
    fn ok(&self, args: &[&str]) -> Value {
        let out = self.command(args);
        assert!(
            out.status.success(),
            "folio aihub {args:?} failed: {}\nserver: {}",
            String::from_utf8_lossy(&out.stderr),
            self.server.stderr()
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: stdout is not JSON ({e})"))
    }

    /// Runs a command that must fail; its exit code and stderr.
    fn fails(&self, args: &[&str]) -> (i32, String) {
        let out = self.command(args);
        assert!(
            !out.status.success(),
            "folio aihub {args:?} should have failed: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn pages(status: &Value, name: &str) -> Vec<u64> {
    let mut pages = Vec::new();
    for result in status["results"].as_array().into_iter().flatten() {
        for doc in result["source_documents"].as_array().into_iter().flatten().filter(|d| d["name"] == name) {
            pages.extend(doc["pages"].as_array().into_iter().flatten().filter_map(|p| p["page_number"].as_u64()));
        }
    }
    pages
}

#[test]
fn folio_aihub_runs_the_whole_workflow_against_folio_serve() {
    let (pdfs, questions) = corpus_pdfs();
    let data = tempfile::tempdir().unwrap();
    let extra = data.path().join("notes.md");
    std::fs::write(&extra, "# Notes\n\nThe grid is drawn with graphpaper.\n").unwrap();
    let chatbot_id = chatbot(&data.path().join("engine"), &pdfs);
    let mut server = Serving::start(&data.path().join("engine"), &["--token", TOKEN], &[]);
    let client = Client { server: &server };
    let names: Vec<String> = pdfs.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    let pdf_args: Vec<&str> = pdfs.iter().map(|p| p.to_str().unwrap()).collect();

    let mut create = vec![
        "conversations",
        "create",
        "--name",
        "Rust client workflow",
        "--description",
        "Two manuals",
        "--enable-object-detection",
        "--fast-mode",
    ];
    create.extend(&pdf_args);
    let created = client.ok(&create);
    let id = created["id"].as_str().unwrap().to_string();
    let uploaded: Vec<&str> =
        created["upload_status"]["success"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(uploaded, names);

    let status = client.ok(&["conversations", "status", &id, "--wait", "--wait-timeout", "240"]);
    assert_eq!(status["state"], "COMPLETE", "{status}");
    let docs = status["documents"].as_array().unwrap();
    assert!(docs.iter().all(|d| d["state"] == "PROCESSED" && d["uploadTimestamp"].is_string()), "{status}");
    let doc_id = |name: &str| docs.iter().find(|d| d["name"] == name).unwrap()["id"].as_i64().unwrap().to_string();

    for (name, q) in names.iter().zip(questions.as_array().unwrap()) {
        let args = [
            "conversations",
            "converse",
            &id,
            "--question",
            q["question"].as_str().unwrap(),
            "--document",
            &doc_id(name),
        ];
        let answer = client.ok(&args);
        assert!(answer["prompt_id"].is_string(), "{answer}");
        let text = answer["answer"].as_str().unwrap().to_lowercase();
        let word = q["word"].as_str().unwrap().to_lowercase();
        assert!(text.contains(&word) || text.contains(&format!("page {}", q["page"])), "{name}: {answer}");
    }

    let added = client.ok(&["conversations", "add-documents", &id, extra.to_str().unwrap()]);
    assert_eq!(added["upload_status"]["success"][0]["name"], "notes.md", "{added}");
    let status = client.ok(&["conversations", "status", &id, "--wait", "--wait-timeout", "240"]);
    let extra_id =
        status["documents"].as_array().unwrap().iter().find(|d| d["name"] == "notes.md").unwrap()["id"].to_string();
    let meta = client.ok(&["conversations", "metadata", &id, &extra_id]);
    assert_eq!((meta["name"].as_str(), meta["id"].to_string()), (Some("notes.md"), extra_id.clone()));
    assert_eq!(client.ok(&["conversations", "delete-documents", &id, &extra_id]), serde_json::json!({}));
    let status = client.ok(&["conversations", "status", &id]);
    assert_eq!(status["documents"].as_array().unwrap().len(), 2);

    assert_eq!(
        client.ok(&["conversations", "update", &id, "--name", "Renamed & more", "--description", "desc/é"]),
        serde_json::json!({})
    );
    let listed = client.ok(&["conversations", "list"]);
    let mine: Vec<&Value> =
        listed["conversations"].as_array().unwrap().iter().filter(|c| c["id"] == id.as_str()).collect();
    assert_eq!(
        (mine.len(), mine[0]["name"].as_str(), mine[0]["description"].as_str()),
        (1, Some("Renamed & more"), Some("desc/é"))
    );

    let q = questions.as_array().unwrap();
    let runs = [
        (
            vec![
                "queries",
                "run",
                "--conversation",
                &id,
                "--query",
                q[0]["question"].as_str().unwrap(),
                "--model",
                "multistep",
                "--include-source-info",
                "--wait",
            ],
            &names[0],
            &q[0],
        ),
        (
            vec![
                "queries",
                "run",
                "--chatbot",
                &chatbot_id,
                "--query",
                q[1]["question"].as_str().unwrap(),
                "--model",
                "multistep",
                "--include-source-info",
                "--wait",
            ],
            &names[1],
            &q[1],
        ),
    ];
    for (args, name, q) in runs {
        let done = client.ok(&args);
        assert_eq!(done["status"], "COMPLETE", "{done}");
        assert!(pages(&done, name).contains(&q["page"].as_u64().unwrap()), "{name}: {done}");
        let page = &done["results"][0]["source_documents"][0]["pages"][0];
        assert!(page["page_number"].is_u64() && page["bboxes"].is_array(), "integer pages with boxes: {done}");
    }
    // The seed's shapes for the other settings: multistep-lite gives document names only,
    // and without include_source_info there are no source_documents at all.
    let question = q[0]["question"].as_str().unwrap();
    let lite = client.ok(&[
        "queries",
        "run",
        "--conversation",
        &id,
        "--query",
        question,
        "--model",
        "multistep-lite",
        "--include-source-info",
        "--wait",
    ]);
    let docs = lite["results"][0]["source_documents"].as_array().unwrap_or_else(|| panic!("{lite}"));
    assert!(docs.iter().any(|d| d["name"] == names[0].as_str()), "{lite}");
    assert!(docs.iter().all(|d| d.get("pages").is_none()), "names only with multistep-lite: {lite}");
    let bare = client.ok(&["queries", "run", "--conversation", &id, "--query", question, "--wait"]);
    assert_eq!(bare["status"], "COMPLETE", "{bare}");
    assert!(bare["results"][0]["response"].as_str().is_some_and(|r| !r.is_empty()), "{bare}");
    assert!(bare["results"][0].get("source_documents").is_none(), "{bare}");
    let (code, stderr) = client.fails(&["queries", "status", "no-such-query"]);
    assert_eq!(code, 4, "an unknown query is 404: {stderr}");

    assert_eq!(client.ok(&["conversations", "delete", &id]), serde_json::json!({}));
    let (code, stderr) = client.fails(&["conversations", "status", &id]);
    assert_eq!(code, 4, "not found: {stderr}");
    assert!(server.stop().success(), "{}", server.stderr());
}
