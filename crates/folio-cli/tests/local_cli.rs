//! `folio local ...` as a user and a script run it, on a real data folder with real
//! PDFs; and a kill -9 test that interrupts ingestion again and again.

use assert_cmd::Command;
use std::path::Path;
use std::time::Duration;

#[path = "support/local.rs"]
mod local;
use local::{corpus, json, retry_set_aside, HOW};

fn folio(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("folio").unwrap();
    cmd.arg("local").arg("--data-dir").arg(data);
    cmd
}

fn pdfinfo_pages(pdf: &Path) -> u64 {
    let out = std::process::Command::new("pdfinfo").arg(pdf).output().unwrap_or_else(|e| panic!("pdfinfo: {e}: {HOW}"));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

#[test]
fn local_mirrors_the_aihub_subcommands() {
    let help = |args: &[&str]| {
        let out = Command::cargo_bin("folio").unwrap().args(args).arg("--help").output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let text = help(&["local", "conversations"]);
    for sub in
        ["create", "list", "status", "update", "delete", "add-documents", "delete-documents", "metadata", "converse"]
    {
        assert!(text.contains(sub), "{sub} missing: {text}");
    }
    let text = help(&["local", "queries"]);
    assert!(text.contains("run") && text.contains("status"));
    assert!(help(&["local"]).contains("--data-dir"));
    assert!(help(&["local", "conversations", "status"]).contains("--wait"));
}

#[test]
fn a_conversation_goes_from_files_to_searchable_with_progress_on_stderr() {
    let data = tempfile::tempdir().unwrap();
    let pdf = corpus("natnotes.pdf");
    let created =
        json(&folio(data.path()).args(["conversations", "create", "--name", "Notes"]).arg(&pdf).output().unwrap());
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["name"], "Notes");
    assert_eq!(created["upload_status"]["success"][0]["name"], "natnotes.pdf");

    let status = json(&folio(data.path()).args(["conversations", "status", &id]).output().unwrap());
    assert_eq!(status["documents"][0]["state"], "PROCESSING", "nothing reads it until asked: {status}");

    let out = folio(data.path()).args(["conversations", "status", &id, "--wait"]).output().unwrap();
    let settled = json(&out);
    assert_eq!(settled["state"], "COMPLETE");
    assert_eq!(settled["documents"][0]["state"], "PROCESSED");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("natnotes.pdf (document 1): reading") && stderr.contains("ready 6/6 pages"), "{stderr}");

    let listed = json(&folio(data.path()).args(["conversations", "list"]).output().unwrap());
    assert_eq!(listed["conversations"][0]["id"], id.as_str());
    let meta = json(&folio(data.path()).args(["conversations", "metadata", &id, "1"]).output().unwrap());
    assert_eq!(meta["page_count"].as_u64(), Some(pdfinfo_pages(&pdf)));
    assert_eq!(meta["name"], "natnotes.pdf");

    let hits = json(&folio(data.path()).args(["search", &id, "bibliography"]).output().unwrap());
    assert!(hits["passages"][0]["page"].as_u64().is_some(), "{hits}");
    assert!(!hits["passages"][0]["boxes"].as_array().unwrap().is_empty());

    let added = folio(data.path())
        .args(["conversations", "add-documents", &id, "--wait"])
        .arg(corpus("lscape.pdf"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&added.stdout).contains("\"COMPLETE\""));
    json(&folio(data.path()).args(["conversations", "update", &id, "--name", "Renamed"]).output().unwrap());
    json(&folio(data.path()).args(["conversations", "delete-documents", &id, "1"]).output().unwrap());
    let status = json(&folio(data.path()).args(["conversations", "status", &id]).output().unwrap());
    assert_eq!((status["name"].as_str(), status["documents"].as_array().unwrap().len()), (Some("Renamed"), 1));
    json(&folio(data.path()).args(["conversations", "delete", &id]).output().unwrap());
    let gone = folio(data.path()).args(["conversations", "status", &id]).output().unwrap();
    assert_eq!(gone.status.code(), Some(4), "not found");
    assert!(String::from_utf8_lossy(&gone.stderr).contains("was not found"));
    // Asking a conversation that is gone is "not found" too (answering is issue 5's).
    let converse = folio(data.path()).args(["conversations", "converse", &id, "--question", "q"]).output().unwrap();
    assert_eq!(converse.status.code(), Some(4), "{}", String::from_utf8_lossy(&converse.stderr));
}

/// Kills ingestion with SIGKILL at varying moments, again and again; then checks that
/// every conversation and chat message survived and every document finished exactly
/// as an uninterrupted run does (same pages, same passages, nothing twice).
#[test]
fn kill_9_during_ingestion_loses_nothing() {
    let data = tempfile::tempdir().unwrap();
    // 3,800 pages: enough work that every kill lands mid-ingestion.
    let files = [
        corpus("source2e.pdf"),
        corpus("hyperref.pdf"),
        corpus("gnuplot.pdf"),
        corpus("source3.pdf"),
        corpus("natnotes.pdf"),
    ];
    let created =
        json(&folio(data.path()).args(["conversations", "create", "--name", "Crash"]).args(&files).output().unwrap());
    let id = created["id"].as_str().unwrap().to_string();
    {
        let store = folio_engine::store::Store::open(data.path()).unwrap();
        store.add_message(&id, "user", "What does gnuplot plot?", None).unwrap();
    }
    let mut kills = 0;
    for round in 0..8u64 {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("folio"))
            .args(["local", "--data-dir"])
            .arg(data.path())
            .args(["conversations", "status", &id, "--wait"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(300 + (round * 137) % 500));
        if child.try_wait().unwrap().is_some() {
            break;
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        kills += 1;
    }
    assert!(kills >= 3, "ingestion was interrupted only {kills} times");
    let mut settled = json(&folio(data.path()).args(["conversations", "status", &id, "--wait"]).output().unwrap());
    // Two kills in a row before a page was stored set a document aside (Folio cannot
    // tell an outside kill from a file that stops it); a person presses Retry.
    if retry_set_aside(data.path(), &id, &settled) > 0 {
        settled = json(&folio(data.path()).args(["conversations", "status", &id, "--wait"]).output().unwrap());
    }
    assert_eq!(settled["state"], "COMPLETE");

    let clean_dir = tempfile::tempdir().unwrap();
    // Keywords only: the comparison is of pages and passages, and making vectors for
    // 3,800 pages would take this test from seconds to minutes.
    let clean = json(
        &folio(clean_dir.path())
            .args(["conversations", "create", "--name", "Clean", "--wait", "--keywords-only"])
            .args(&files)
            .output()
            .unwrap(),
    );
    assert_eq!(clean["conversation"]["state"], "COMPLETE");
    let clean_id = clean["id"].as_str().unwrap().to_string();

    let store = folio_engine::store::Store::open(data.path()).unwrap();
    let clean_store = folio_engine::store::Store::open(clean_dir.path()).unwrap();
    let passages = |s: &folio_engine::store::Store, doc: i64| -> i64 { s.document_passage_count(doc).unwrap() };
    for (i, file) in files.iter().enumerate() {
        let doc = &settled["documents"][i];
        assert_eq!(doc["state"], "PROCESSED", "{doc}");
        assert_eq!(doc["page_total"].as_u64(), Some(pdfinfo_pages(file)), "{doc}");
        let id = doc["id"].as_i64().unwrap();
        let pages = store.pages(id).unwrap();
        assert_eq!(pages.len() as u64, pdfinfo_pages(file));
        assert!(pages.iter().enumerate().all(|(n, p)| p.page as usize == n + 1));
        let clean_doc = clean_store.documents_of(&clean_id).unwrap()[i].id;
        assert_eq!(
            passages(&store, id),
            passages(&clean_store, clean_doc),
            "{file:?}: same passages as an uninterrupted run"
        );
    }
    let messages = store.messages(&id).unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].content, "What does gnuplot plot?");
    assert!(store.health().unwrap().is_sound(), "{:?}", store.health());
}

#[test]
fn bench_ingest_prints_pdftotext_and_folio_rates_and_peak_memory() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["natnotes.pdf", "lscape.pdf"] {
        std::fs::copy(corpus(name), dir.path().join(name)).unwrap();
    }
    let out = Command::cargo_bin("folio").unwrap().args(["bench", "ingest"]).arg(dir.path()).output().unwrap();
    let figures = json(&out);
    let pages = pdfinfo_pages(&dir.path().join("natnotes.pdf")) + pdfinfo_pages(&dir.path().join("lscape.pdf"));
    assert_eq!(figures["pages"].as_u64(), Some(pages), "{figures}");
    assert!(figures["pdftotext"]["pagesPerSecond"].as_f64().unwrap() > 0.0);
    assert!(figures["folioKeywordSearchable"]["pagesPerSecond"].as_f64().unwrap() > 0.0);
    assert!(figures["peakMemoryMb"].as_u64().unwrap() > 0);
    assert!(figures["folioFullyEmbedded"]["pagesPerSecond"].as_f64().unwrap() > 0.0, "{figures}");
    assert!(figures["embeddingModelRaw"]["passagesPerSecond"].as_f64().unwrap() > 0.0, "{figures}");
    assert_eq!(figures["failed"].as_array().unwrap().len(), 0);
    assert!(String::from_utf8_lossy(&out.stderr).contains("pages/s"));
}
