//! `folio serve` as a child process, for the tests that drive it from outside: start it
//! on a free loopback port, read where it listens from its first stdout line, stop it
//! with SIGINT as Ctrl-C would.

#![allow(dead_code)]

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const HOW: &str = "run scripts/test.sh (or `source scripts/setup.sh` before cargo test) so it is provisioned";

pub struct Serving {
    pub child: Child,
    pub api_root: String,
    pub address: String,
    /// The token printed on stdout (only when `folio serve` generated it).
    pub printed_token: Option<String>,
    pub stderr_path: PathBuf,
    _stderr_dir: tempfile::TempDir,
}

impl Serving {
    /// Starts `folio serve --port 0 --data-dir DIR ARGS...` and waits (at most 120 s) for
    /// its ready line.
    pub fn start(data_dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Serving {
        let stderr_dir = tempfile::tempdir().unwrap();
        let stderr_path = stderr_dir.path().join("stderr.log");
        let mut command = Command::new(assert_cmd::cargo::cargo_bin("folio"));
        command
            .args(["serve", "--port", "0", "--data-dir"])
            .arg(data_dir)
            .args(args)
            .env_remove("FOLIO_SERVE_TOKEN")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr_path).unwrap());
        for (k, v) in envs {
            command.env(k, v);
        }
        let mut child = command.spawn().expect("folio serve starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(120)).unwrap_or_default();
        let ready: Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "folio serve printed {line:?}; stderr: {}",
                    std::fs::read_to_string(&stderr_path).unwrap_or_default()
                );
            }
        };
        Serving {
            child,
            api_root: ready["api_root"].as_str().unwrap().to_string(),
            address: ready["address"].as_str().unwrap().to_string(),
            printed_token: ready["token"].as_str().map(str::to_string),
            stderr_path,
            _stderr_dir: stderr_dir,
        }
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }

    /// Sends SIGINT (what Ctrl-C sends).
    pub fn interrupt(&self) {
        let status = Command::new("kill").args(["-INT", &self.child.id().to_string()]).status().unwrap();
        assert!(status.success());
    }

    /// Waits (at most `limit`) for the process to end; its exit status.
    pub fn wait_exit(&mut self, limit: Duration) -> std::process::ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "folio serve still running {limit:?} after being asked to stop; stderr: {}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Ctrl-C, then the exit status (at most 60 s).
    pub fn stop(&mut self) -> std::process::ExitStatus {
        self.interrupt();
        self.wait_exit(Duration::from_secs(60))
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A provisioned path from the environment, or a failure that says how to get it.
pub fn provisioned(var: &str) -> PathBuf {
    match std::env::var_os(var) {
        Some(p) if Path::new(&p).exists() => PathBuf::from(p),
        other => panic!("{var} is {other:?}: this test needs it; {HOW}"),
    }
}

/// A local chatbot made from `files` with `folio local chatbots create --wait` (there is
/// no AI Hub endpoint for making one); its id.
pub fn chatbot(data_dir: &Path, files: &[PathBuf]) -> String {
    let out = Command::new(assert_cmd::cargo::cargo_bin("folio"))
        .args(["local", "--data-dir"])
        .arg(data_dir)
        .args(["chatbots", "create", "--name", "Manuals", "--wait"])
        .args(files)
        .output()
        .unwrap();
    assert!(out.status.success(), "folio local chatbots create failed: {}", String::from_utf8_lossy(&out.stderr));
    let created: Value = serde_json::from_slice(&out.stdout).unwrap();
    created["id"].as_str().unwrap().to_string()
}

/// The two corpus PDFs of the workflows, with a question each, a word the answer
/// should quote and the page it is on (checked with pdftotext when chosen).
pub fn corpus_pdfs() -> (Vec<PathBuf>, Value) {
    let corpus = provisioned("FOLIO_TEST_CORPUS");
    provisioned("FOLIO_PDFIUM");
    let pdfs = vec![corpus.join("graphpap.pdf"), corpus.join("subeqn.pdf")];
    for p in &pdfs {
        assert!(p.is_file(), "{} is missing from the corpus: {HOW}", p.display());
    }
    let questions = serde_json::json!([
        {"question": "Who wrote the graphpap package?", "word": "Lamport", "page": 1},
        {"question": "Where are the align and gather environments tested?", "word": "align", "page": 2},
    ]);
    (pdfs, questions)
}
