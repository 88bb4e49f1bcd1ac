//! Many processes, one data folder: opening never removes a copy another live process is
//! still writing; only the process holding the workers lock cleans up, and only what
//! nobody is writing any more.

use crate::common::*;
use folio_core::{DocumentStage, NewConversation};
use folio_engine::{Engine, EngineSettings};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

fn temp_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir.join("files").join("tmp")).unwrap().flatten().map(|e| e.path()).collect()
}

#[test]
fn a_second_open_leaves_the_first_ones_copy_in_flight_alone() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    // A named pipe stands in for a slow source (a network share): the copy stays in
    // flight for as long as the test keeps writing.
    let pipe = files.path().join("slow.txt");
    let c_path = std::ffi::CString::new(pipe.to_str().unwrap()).unwrap();
    // SAFETY: creates a FIFO at a path in this test's own temporary folder.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);

    // The adding process: a CLI that only stores (no workers).
    let adder = Engine::open(dir.path(), EngineSettings { start_workers: false, ..settings() }).unwrap();
    let conversation = adder.create(&NewConversation { name: "shared".into(), ..Default::default() }).unwrap().id;
    let adding = {
        let (adder, conversation, pipe) = (adder.clone(), conversation.clone(), pipe.clone());
        std::thread::spawn(move || adder.add(&conversation, &[pipe], true).unwrap())
    };
    let mut writer = std::fs::OpenOptions::new().write(true).open(&pipe).unwrap();
    let line = "The ferry to the island leaves at 7:40 from pier 3.\n";
    writer.write_all(line.as_bytes()).unwrap();
    writer.flush().unwrap();
    let started = Instant::now();
    while temp_files(dir.path()).is_empty() {
        assert!(started.elapsed() < Duration::from_secs(10), "the copy never started");
        std::thread::sleep(Duration::from_millis(5));
    }
    let in_flight = temp_files(dir.path());

    // The app starts meanwhile, takes the workers lock, and a third process looks.
    let owner = open(dir.path());
    let looker = Engine::open(dir.path(), EngineSettings { start_workers: false, ..settings() }).unwrap();
    assert_eq!(temp_files(dir.path()), in_flight, "opening removed a copy another process is writing");

    writer.write_all(line.repeat(100).as_bytes()).unwrap();
    drop(writer);
    let status = adding.join().unwrap();
    assert_eq!(status.succeeded, vec!["slow.txt".to_string()], "{status:?}");
    assert!(temp_files(dir.path()).is_empty(), "the finished copy was moved into place");
    let started = Instant::now();
    let doc = loop {
        let doc = owner.store().get_conversation(&conversation).unwrap().documents.remove(0);
        if doc.stage.is_terminal() {
            break doc;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "the owner never read it: {doc:?}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(doc.stage, DocumentStage::Ready, "{doc:?}");
    let pages = owner.store().pages(doc.id).unwrap();
    assert_eq!(pages.iter().map(|p| p.text.matches("ferry").count()).sum::<usize>(), 101, "every byte arrived");
    drop(looker);
}

#[test]
fn only_the_workers_lock_holder_removes_copies_whose_writer_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    drop(open(dir.path()));
    // A process that died mid-copy: its pid is in the name, and it is gone.
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    let dead_pid = gone.id();
    gone.wait().unwrap();
    let tmp = dir.path().join("files").join("tmp");
    let stale = tmp.join(format!("{dead_pid}-1-0"));
    std::fs::write(&stale, "half a copy").unwrap();
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options().write(true).open(&stale).unwrap().set_modified(hour_ago).unwrap();
    // A live writer (this process) that has not written for an hour is still left alone.
    let slow = tmp.join(format!("{}-2-0", std::process::id()));
    std::fs::write(&slow, "a copy still open").unwrap();
    std::fs::File::options().write(true).open(&slow).unwrap().set_modified(hour_ago).unwrap();

    let owner = open(dir.path());
    let looker = Engine::open(dir.path(), settings()).unwrap(); // no workers: the lock is taken
    drop(looker);
    assert!(!stale.exists(), "the owner removed the dead writer's leftover");
    assert!(slow.exists(), "a live writer's copy stays");
    drop(owner);

    // A non-owner never cleans, even what is stale.
    let _owner = open(dir.path());
    let third = tmp.join(format!("{dead_pid}-3-0"));
    std::fs::write(&third, "half a copy").unwrap();
    std::fs::File::options().write(true).open(&third).unwrap().set_modified(hour_ago).unwrap();
    drop(Engine::open(dir.path(), settings()).unwrap());
    assert!(third.exists(), "an engine without the workers lock removed a temporary file");
}
