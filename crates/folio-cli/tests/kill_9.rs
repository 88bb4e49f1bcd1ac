//! kill -9 of the real `folio` binary while it reads, adds, deletes and answers, at
//! least 20 times each at random moments; after every kill the database passes
//! `PRAGMA integrity_check` (and FTS5's own check), nothing acknowledged on stdout is
//! lost, and interrupted documents resume or fail with a reason.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "support/local.rs"]
mod local;
use local::{corpus, json, local as folio, retry_set_aside, HOW};

const KILLS: usize = 20;

/// A small random source (xorshift), seeded from the clock and printed, so a failing
/// run can be replayed with FOLIO_KILL_SEED.
struct Random(u64);

impl Random {
    fn new(case: &str) -> Random {
        let seed = std::env::var("FOLIO_KILL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1
        });
        eprintln!("{case}: FOLIO_KILL_SEED={seed}");
        Random(seed)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// A moment inside a run that takes `full` uncut: the CLI answers, adds and deletes in
/// milliseconds, so fixed delays would mostly miss it.
fn moment_within(random: &mut Random, full: Duration) -> Duration {
    Duration::from_micros(random.below(full.as_micros() as u64 * 9 / 10))
}

/// Runs the command, SIGKILLs it after `delay` unless it ended first. Returns its stdout
/// if it ended on its own (what it acknowledged), None if it was killed.
fn run_killed_after(mut cmd: Command, delay: Duration) -> Option<std::process::Output> {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let deadline = Instant::now() + delay;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    if child.try_wait().unwrap().is_some() {
        return Some(child.wait_with_output().unwrap());
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    None
}

/// What must hold after any kill: SQLite and FTS5 find no damage, no row points at a
/// missing parent, and every document's stored copy is on disk.
fn check_folder(data: &Path) {
    let store = folio_engine::store::Store::open(data).unwrap();
    let health = store.health().unwrap();
    assert_eq!(health.integrity, "ok");
    assert_eq!(health.keyword_index_problem, None, "the keyword index matches the passages");
    assert_eq!(health.dangling_rows, 0, "rows of deleted documents or conversations were left behind");
    assert_eq!(health.duplicated_passages, 0, "no passage stored twice");
    assert!(health.missing_copies.is_empty(), "stored copies gone: {:?}", health.missing_copies);
}

fn pdfinfo_pages(pdf: &Path) -> u32 {
    let out = Command::new("pdfinfo").arg(pdf).output().unwrap_or_else(|e| panic!("pdfinfo: {e}: {HOW}"));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

fn create(data: &Path, name: &str, files: &[PathBuf]) -> String {
    let out = folio(data).args(["conversations", "create", "--name", name]).args(files).output().unwrap();
    json(&out)["id"].as_str().unwrap().to_string()
}

#[test]
fn kill_9_while_reading() {
    let data = tempfile::tempdir().unwrap();
    let mut random = Random::new("reading");
    let files = [
        corpus("gnuplot.pdf"),
        corpus("hyperref.pdf"),
        corpus("amsldoc.pdf"),
        corpus("natnotes.pdf"),
        corpus("interface3.pdf"),
        corpus("source2e.pdf"),
    ];
    let id = create(data.path(), "Reading", &files);
    let mut kills = 0;
    let mut set_aside = 0;
    for _ in 0..KILLS * 4 {
        let mut cmd = folio(data.path());
        cmd.args(["conversations", "status", &id, "--wait"]);
        // Pages read in milliseconds here: kills land soon after the start, so that 20 of
        // them fall before the last page (about 1,700 pages in all).
        let delay = Duration::from_millis(30 + random.below(200));
        if let Some(out) = run_killed_after(cmd, delay) {
            // Two kills without a page read in between set a document aside (the crash
            // loop rule); a person retries it, and so does this test, to go on killing.
            let failed = retry_set_aside(data.path(), &id, &json(&out));
            if failed == 0 {
                break; // everything was read
            }
            set_aside += failed;
            continue;
        }
        kills += 1;
        check_folder(data.path());
        if kills == KILLS {
            break;
        }
    }
    eprintln!("reading: {kills} kills, {set_aside} documents set aside and retried");
    assert_eq!(kills, KILLS, "reading ended before it was interrupted {KILLS} times");
    let settled = json(&folio(data.path()).args(["conversations", "status", &id, "--wait"]).output().unwrap());
    check_folder(data.path());
    retry_set_aside(data.path(), &id, &settled);
    let settled = json(&folio(data.path()).args(["conversations", "status", &id, "--wait"]).output().unwrap());
    assert_eq!(settled["state"], "COMPLETE", "{settled}");
    let store = folio_engine::store::Store::open(data.path()).unwrap();
    for (i, file) in files.iter().enumerate() {
        let doc = &settled["documents"][i];
        assert_eq!(doc["state"], "PROCESSED", "{doc}");
        let pages = store.pages(doc["id"].as_i64().unwrap()).unwrap();
        assert_eq!(pages.len() as u32, pdfinfo_pages(file), "{file:?}");
        assert!(
            pages.iter().enumerate().all(|(n, p)| p.page as usize == n + 1),
            "{file:?}: pages in order, none twice"
        );
    }
    check_folder(data.path());
}

#[test]
fn kill_9_while_adding_documents() {
    let data = tempfile::tempdir().unwrap();
    let sources = tempfile::tempdir().unwrap();
    let mut random = Random::new("adding");
    let id = create(data.path(), "Adding", &[]);
    let mut acknowledged: HashSet<String> = HashSet::new();
    let mut full = None;
    let mut kills = 0;
    let mut round = 0;
    while kills < KILLS {
        round += 1;
        assert!(round < KILLS * 4, "adding ended before it could be killed {KILLS} times");
        // Ten new files a round, each with its own content (its own stored copy).
        let files: Vec<PathBuf> = (0..10)
            .map(|i| {
                let path = sources.path().join(format!("r{round}-{i}.txt"));
                std::fs::write(&path, format!("Round {round} file {i}: the ferry leaves at {i}:40.\n").repeat(200))
                    .unwrap();
                path
            })
            .collect();
        let mut cmd = folio(data.path());
        cmd.args(["conversations", "add-documents", &id]).args(&files);
        // The first round runs uncut, to learn how long adding ten files takes here.
        let delay = full.map_or(Duration::from_secs(60), |full| moment_within(&mut random, full));
        let started = Instant::now();
        let finished = run_killed_after(cmd, delay);
        full = full.or(Some(started.elapsed()));
        match finished {
            Some(out) => {
                let status = json(&out);
                for ok in status["upload_status"]["success"].as_array().unwrap() {
                    acknowledged.insert(ok["name"].as_str().unwrap().to_string());
                }
            }
            None => kills += 1,
        }
        check_folder(data.path());
        let store = folio_engine::store::Store::open(data.path()).unwrap();
        let present: HashSet<String> = store.documents_of(&id).unwrap().into_iter().map(|d| d.name).collect();
        let lost: Vec<&String> = acknowledged.difference(&present).collect();
        assert!(lost.is_empty(), "documents reported added are gone: {lost:?}");
    }
    // What was added, acknowledged or not, reads to the end.
    let settled = json(&folio(data.path()).args(["conversations", "status", &id, "--wait"]).output().unwrap());
    assert_eq!(settled["state"], "COMPLETE");
    assert!(settled["documents"].as_array().unwrap().iter().all(|d| d["state"] == "PROCESSED"), "{settled}");
    check_folder(data.path());
}

#[test]
fn kill_9_while_deleting() {
    let data = tempfile::tempdir().unwrap();
    let sources = tempfile::tempdir().unwrap();
    let mut random = Random::new("deleting");
    let files: Vec<PathBuf> = (0..3 * KILLS + 30)
        .map(|i| {
            let path = sources.path().join(format!("note{i}.txt"));
            std::fs::write(&path, format!("Note {i}: the island ferry leaves pier {i} at 7:40.\n").repeat(300))
                .unwrap();
            path
        })
        .collect();
    let created = json(
        &folio(data.path())
            .args(["conversations", "create", "--name", "Deleting", "--wait"])
            .args(&files)
            .output()
            .unwrap(),
    );
    let id = created["id"].as_str().unwrap().to_string();
    let mut deleted: HashSet<i64> = HashSet::new();
    let mut full = None;
    let mut kills = 0;
    let mut round = 0;
    while kills < KILLS {
        round += 1;
        assert!(round < KILLS * 4, "deleting ended before it could be killed {KILLS} times");
        let store = folio_engine::store::Store::open(data.path()).unwrap();
        let present: Vec<i64> = store.documents_of(&id).unwrap().into_iter().map(|d| d.id).collect();
        drop(store);
        assert!(present.len() >= 3, "ran out of documents to delete");
        let start = random.below(present.len() as u64 - 2) as usize;
        let batch: Vec<i64> = present[start..start + 3].to_vec();
        let mut cmd = folio(data.path());
        cmd.args(["conversations", "delete-documents", &id]).args(batch.iter().map(|d| d.to_string()));
        // The first round runs uncut, to learn how long deleting three documents takes here.
        let delay = full.map_or(Duration::from_secs(60), |full| moment_within(&mut random, full));
        let started = Instant::now();
        let finished = run_killed_after(cmd, delay);
        full = full.or(Some(started.elapsed()));
        match &finished {
            Some(out) => {
                assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
                deleted.extend(&batch);
            }
            None => kills += 1,
        }
        check_folder(data.path());
        let store = folio_engine::store::Store::open(data.path()).unwrap();
        let now: HashSet<i64> = store.documents_of(&id).unwrap().into_iter().map(|d| d.id).collect();
        assert!(deleted.is_disjoint(&now), "a deletion reported done came back");
        let gone = batch.iter().filter(|d| !now.contains(d)).count();
        assert!(gone == 0 || gone == batch.len(), "half of one delete happened: {batch:?} vs {now:?}");
    }
    // The rest still answers.
    let store = folio_engine::store::Store::open(data.path()).unwrap();
    assert!(!store.search(&id, "island ferry", None, 5).unwrap().is_empty());
}

#[test]
fn kill_9_while_answering() {
    let data = tempfile::tempdir().unwrap();
    let mut random = Random::new("answering");
    let created = json(
        &folio(data.path())
            .args(["conversations", "create", "--name", "Answering", "--wait"])
            .arg(corpus("afterpage.pdf"))
            .output()
            .unwrap(),
    );
    let id = created["id"].as_str().unwrap().to_string();
    let ask = || {
        let mut cmd = folio(data.path());
        cmd.args(["conversations", "converse", &id, "--question", "Does afterpage work in two column mode?"]);
        cmd
    };
    // How long one answer takes here, to kill at moments spread over it.
    let started = Instant::now();
    let first = json(&ask().output().unwrap());
    let full = started.elapsed();
    let mut answers = vec![first["answer"].as_str().unwrap().to_string()];
    let mut kills = 0;
    let mut round = 0;
    while kills < KILLS {
        round += 1;
        assert!(round < KILLS * 4, "answering ended before it could be killed {KILLS} times");
        let delay = moment_within(&mut random, full);
        match run_killed_after(ask(), delay) {
            Some(out) => answers.push(json(&out)["answer"].as_str().unwrap().to_string()),
            None => kills += 1,
        }
        check_folder(data.path());
        let store = folio_engine::store::Store::open(data.path()).unwrap();
        let messages = store.messages(&id).unwrap();
        let replies: Vec<&str> =
            messages.iter().filter(|m| m.role == "assistant").map(|m| m.content.as_str()).collect();
        assert!(replies.len() >= answers.len(), "an answer printed on stdout is missing from the history");
        for answer in &answers {
            assert!(replies.contains(&answer.as_str()), "printed answer not in the history: {answer}");
        }
        for (i, m) in messages.iter().enumerate() {
            if m.role == "assistant" {
                assert!(i > 0 && messages[i - 1].role == "user", "an answer without its question: {messages:?}");
            }
        }
    }
}
