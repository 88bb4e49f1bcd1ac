//! `folio models` and `--provider builtin` end to end: a model is "downloaded" from a real
//! HTTP server on loopback (the tiny random-weight GGUF of scripts/setup.d/50-models.sh
//! standing in for the catalogue's recommended file), chosen, and used to answer.

use assert_cmd::Command;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

#[path = "support/local.rs"]
mod local;
use local::{json, HOW};

fn env_file(var: &str) -> PathBuf {
    let p = std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("{var} is not set: {HOW} (scripts/setup.d/50-models.sh, 40-engine.sh)"));
    assert!(p.exists(), "{var}={} is missing: {HOW}", p.display());
    p
}

fn sha256_hex(bytes: &[u8]) -> String {
    let out = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().unwrap().write_all(bytes)?;
            c.wait_with_output()
        });
    String::from_utf8(out.unwrap().stdout).unwrap().split_whitespace().next().unwrap().to_string()
}

/// Serves `body` at `path` with its sha256 published the way Hugging Face does.
fn serve(path: String, body: Vec<u8>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let sha = sha256_hex(&body);
    std::thread::spawn(move || {
        for sock in listener.incoming().flatten() {
            let mut reader = BufReader::new(sock.try_clone().unwrap());
            let mut first = String::new();
            reader.read_line(&mut first).ok();
            loop {
                let mut l = String::new();
                if reader.read_line(&mut l).unwrap_or(0) == 0 || l == "\r\n" {
                    break;
                }
            }
            let mut sock = sock;
            if first.split_whitespace().nth(1) == Some(path.as_str()) {
                let head = format!(
                    "HTTP/1.1 200 OK\r\nX-Linked-ETag: \"{sha}\"\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = sock.write_all(head.as_bytes()).and_then(|_| sock.write_all(&body));
            } else {
                let _ = sock.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            }
        }
    });
    url
}

fn folio(models: &Path) -> Command {
    let mut cmd = Command::cargo_bin("folio").unwrap();
    cmd.env("FOLIO_MODELS_DIR", models)
        .env_remove("FOLIO_LLM")
        .env_remove("FOLIO_MODEL_MIRROR")
        .env_remove("FOLIO_MODEL_FILE");
    cmd
}

#[test]
fn pull_use_converse_and_remove_a_builtin_model() {
    let tiny = env_file("FOLIO_TEST_GGUF");
    let corpus = env_file("FOLIO_TEST_CORPUS");
    env_file("FOLIO_PDFIUM");
    let models = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();

    let listed = json(&folio(models.path()).args(["models", "list"]).output().unwrap());
    let recommended =
        listed["catalogue"].as_array().unwrap().iter().find(|m| m["recommended"] == true).unwrap().clone();
    assert!(listed["installed"].as_array().unwrap().is_empty());
    let id = recommended["id"].as_str().unwrap().to_string();

    // No model yet: --provider builtin says how to get one.
    let out = folio(models.path())
        .args(["local", "--data-dir"])
        .arg(data.path())
        .args(["--provider", "builtin", "conversations", "converse", "1", "--question", "x"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(&format!("folio models pull {id}")),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let entry = folio_models::CATALOGUE.iter().find(|e| e.id == id).unwrap();
    let mirror = serve(format!("/{}", entry.url_path), std::fs::read(&tiny).unwrap());
    let pulled = json(&folio(models.path()).args(["models", "pull", &id, "--mirror", &mirror]).output().unwrap());
    assert_eq!(pulled["id"], id.as_str());
    assert_eq!(pulled["active"], true);

    let created = json(
        &folio(models.path())
            .args(["local", "--data-dir"])
            .arg(data.path())
            .args(["conversations", "create", "--name", "LaTeX", "--wait"])
            .arg(corpus.join("lscape.pdf"))
            .output()
            .unwrap(),
    );
    let conv = created["id"].as_str().unwrap().to_string();
    let out = folio(models.path())
        .args(["local", "--data-dir"])
        .arg(data.path())
        .args([
            "--provider",
            "builtin",
            "conversations",
            "converse",
            &conv,
            "--question",
            "How far is landscape text rotated?",
        ])
        .output()
        .unwrap();
    let answer = json(&out);
    // The test model has random weights: what it writes cannot be checked against the
    // page, so Folio shows quotes after one sentence naming the built-in model (a real
    // model's checked answer is tested with SmolLM2 in written_answer_cli.rs).
    let text = answer["answer"].as_str().unwrap();
    assert!(
        answer["kind"] == "generated" || (answer["kind"] == "quoted" && text.starts_with("The built-in model")),
        "{answer}"
    );
    assert!(!String::from_utf8_lossy(&out.stderr).trim().is_empty(), "the answer streams to stderr");

    // --model-file picks a file directly; rm deletes.
    let answer = json(
        &folio(models.path())
            .args(["local", "--data-dir"])
            .arg(data.path())
            .args(["--provider", "builtin", "--model-file"])
            .arg(&tiny)
            .args(["conversations", "converse", &conv, "--question", "What is lscape?"])
            .output()
            .unwrap(),
    );
    let text = answer["answer"].as_str().unwrap();
    assert!(
        answer["kind"] == "generated" || (answer["kind"] == "quoted" && text.starts_with("The built-in model")),
        "the file was used: {answer}"
    );
    folio(models.path()).args(["models", "rm", &id]).assert().success();
    let listed = json(&folio(models.path()).args(["models", "list"]).output().unwrap());
    assert!(listed["installed"].as_array().unwrap().is_empty());
    let out = folio(models.path()).args(["models", "use", &id]).output().unwrap();
    assert_eq!(out.status.code(), Some(4), "not installed = NotFound");
}
