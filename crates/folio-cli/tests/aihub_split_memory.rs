//! More than 100 MB across several files: `folio aihub` splits it into requests of at
//! most 100 MB, streams the files from disk, and its memory stays flat. The CLI runs as
//! a separate process so its peak resident memory (VmHWM) can be read from /proc; it is
//! compared with the same command uploading 1 MB.

use assert_cmd::cargo::cargo_bin;
use folio_aihub::testkit::{digest, RecordingServer};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

const MB: usize = 1_000_000;

/// Writes `size` bytes of a patterned block and returns the path and the FNV digest the
/// recording server computes, so the test can check every byte arrived.
fn write_file(dir: &Path, name: &str, size: usize, seed: u8) -> (PathBuf, u64) {
    use std::io::Write;
    let path = dir.join(name);
    let block: Vec<u8> = (0..MB).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect();
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let mut d = digest(b"");
    for _ in 0..size / MB {
        file.write_all(&block).unwrap();
        d = block.iter().fold(d, |d, b| (d ^ *b as u64).wrapping_mul(0x100000001b3));
    }
    file.flush().unwrap();
    (path, d)
}

/// Runs `folio aihub ARGS` and returns (stdout, peak RSS in kB) sampled from /proc.
fn run_measured(server: &RecordingServer, args: &[&str], files: &[PathBuf]) -> (Value, u64) {
    let mut child = std::process::Command::new(cargo_bin("folio"))
        .arg("aihub")
        .args(args)
        .args(files)
        .env("AIHUB_API_ROOT", server.api_root())
        .env("AIHUB_API_TOKEN", "memory-token")
        .env_remove("AIHUB_IB_CONTEXT")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0;
    loop {
        if let Ok(status) = std::fs::read_to_string(&status_path) {
            if let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:")) {
                let kb: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
                peak_kb = peak_kb.max(kb);
            }
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "folio failed: {}", String::from_utf8_lossy(&out.stderr));
    (serde_json::from_slice(&out.stdout).unwrap(), peak_kb)
}

#[test]
fn uploads_over_100_mb_are_split_and_streamed_with_flat_memory() {
    let server = RecordingServer::aihub();
    let dir = tempfile::tempdir().unwrap();
    let (small, _) = write_file(dir.path(), "small.bin", MB, 1);
    let big: Vec<(PathBuf, u64)> =
        (0..3).map(|i| write_file(dir.path(), &format!("part{i}.bin"), 45 * MB, i as u8 + 7)).collect();
    let big_paths: Vec<PathBuf> = big.iter().map(|(p, _)| p.clone()).collect();

    let (_, baseline_kb) = run_measured(&server, &["conversations", "add-documents", "c1"], &[small]);
    server.take();

    let (out, peak_kb) = run_measured(&server, &["conversations", "add-documents", "c1"], &big_paths);
    let names: Vec<&str> =
        out["upload_status"]["success"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["part0.bin", "part1.bin", "part2.bin"], "one merged upload status");

    let posts: Vec<_> = server.take().into_iter().filter(|r| r.method == "POST").collect();
    assert_eq!(posts.len(), 2, "135 MB goes out as two requests");
    for post in &posts {
        assert!(post.body_bytes <= 100 * MB as u64, "a request of {} bytes", post.body_bytes);
        assert_eq!(post.fields(), vec![("process_files".to_string(), "True".to_string())]);
    }
    let sent: Vec<(String, u64, u64)> = posts
        .iter()
        .flat_map(|p| p.parts().iter().filter(|part| part.filename.is_some()))
        .map(|part| (part.filename.clone().unwrap(), part.len, part.digest))
        .collect();
    let expected: Vec<(String, u64, u64)> =
        big.iter().map(|(p, d)| (p.file_name().unwrap().to_string_lossy().into_owned(), 45 * MB as u64, *d)).collect();
    assert_eq!(sent, expected, "every byte arrived, in order");

    // Creating with the same files: one create, then one add-documents for the rest.
    let (created, create_peak_kb) = run_measured(&server, &["conversations", "create", "--name", "Big"], &big_paths);
    assert_eq!(created["upload_status"]["success"].as_array().unwrap().len(), 3);
    let paths: Vec<String> = server.take().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, vec!["/api/v2/conversations", "/api/v2/conversations/conv-1/documents"]);

    eprintln!(
        "peak RSS: 1 MB upload {} kB; 135 MB add-documents {} kB; 135 MB create {} kB",
        baseline_kb, peak_kb, create_peak_kb
    );
    // Flat: uploading 135 MB costs no more than a few MB over uploading 1 MB.
    for peak in [peak_kb, create_peak_kb] {
        assert!(peak < baseline_kb + 16 * 1024, "peak {peak} kB vs baseline {baseline_kb} kB: files are not streamed");
    }
}
