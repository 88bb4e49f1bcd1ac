//! `folio local` answering questions from the command line, on a real data folder with
//! real PDFs: converse with page citations (quoted, no model), chatbots, and queries
//! whose status a later process reads. AI Hub's JSON shapes, as `folio aihub` prints them.

use std::path::PathBuf;

#[path = "support/local.rs"]
mod local;
use local::{json, local as folio, provisioned};

/// A corpus PDF, with the embedding model these tests search by.
fn corpus(name: &str) -> PathBuf {
    provisioned("FOLIO_EMBED_MODEL");
    local::corpus(name)
}

#[test]
fn converse_chatbots_and_queries_answer_with_pages() {
    let data = tempfile::tempdir().unwrap();
    let created = json(
        &folio(data.path())
            .args(["conversations", "create", "--name", "LaTeX", "--wait"])
            .arg(corpus("lscape.pdf"))
            .arg(corpus("afterpage.pdf"))
            .output()
            .unwrap(),
    );
    let id = created["id"].as_str().unwrap().to_string();

    // converse: quoted, with the page and boxes of each quote.
    let answer = json(
        &folio(data.path())
            .args(["conversations", "converse", &id, "--question", "Does afterpage work in two column mode?"])
            .output()
            .unwrap(),
    );
    assert_eq!(answer["kind"], "quoted");
    assert!(answer["answer"].as_str().unwrap().contains("does not work in two column"), "{answer}");
    assert_eq!(answer["sources"][0]["document_name"], "afterpage.pdf");
    assert_eq!(answer["sources"][0]["page_number"], 1);
    assert!(answer["sources"][0]["bboxes"].as_array().is_some_and(|b| !b.is_empty()));
    let advanced = json(
        &folio(data.path())
            .args([
                "conversations",
                "converse",
                &id,
                "--mode",
                "advanced",
                "--question",
                "How far is landscape text rotated?",
            ])
            .output()
            .unwrap(),
    );
    assert!(advanced["answer"].as_str().unwrap().contains("90 degrees"), "{advanced}");

    // A chatbot over the conversation; a query run in one process, read in another.
    let bot = json(
        &folio(data.path()).args(["chatbots", "create", "--name", "Helper", "--conversation", &id]).output().unwrap(),
    );
    let bot_id = bot["id"].as_str().unwrap().to_string();
    let listed = json(&folio(data.path()).args(["chatbots", "list"]).output().unwrap());
    assert_eq!(listed["chatbots"][0]["name"], "Helper");
    let started = json(
        &folio(data.path())
            .args([
                "queries",
                "run",
                "--chatbot",
                &bot_id,
                "--include-source-info",
                "--query",
                "Who wrote about the pdftex option?",
            ])
            .output()
            .unwrap(),
    );
    let query_id = started["query_id"].as_str().unwrap().to_string();
    let status = json(&folio(data.path()).args(["queries", "status", &query_id]).output().unwrap());
    assert_eq!(status["status"], "COMPLETE", "{status}");
    assert!(status["results"][0]["response"].as_str().unwrap().contains("Scott Pakin"), "{status}");
    assert_eq!(status["results"][0]["source_documents"][0]["name"], "lscape.pdf");
    assert_eq!(status["results"][0]["source_documents"][0]["pages"][0]["page_number"], 1);

    // FAILED, with its message, for a chatbot that does not exist.
    let failed = json(
        &folio(data.path())
            .args(["queries", "run", "--chatbot", "cb-gone", "--query", "x", "--wait"])
            .output()
            .unwrap(),
    );
    assert_eq!(failed["status"], "FAILED");
    assert!(failed["error"].as_str().unwrap().contains("cb-gone"));

    json(&folio(data.path()).args(["chatbots", "delete", &bot_id]).output().unwrap());
    let listed = json(&folio(data.path()).args(["chatbots", "list"]).output().unwrap());
    assert_eq!(listed["chatbots"].as_array().unwrap().len(), 0);
    // No Ollama on port 9 of loopback: said so, not an error.
    let models = json(&folio(data.path()).args(["models", "--llm-url", "http://127.0.0.1:9"]).output().unwrap());
    assert_eq!(models["ollama"]["running"], false);
    // Unknown conversation: exit code 4 (not found), one line on stderr.
    let out = folio(data.path()).args(["conversations", "converse", "nope", "--question", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
}
