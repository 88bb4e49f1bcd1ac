//! Content-addressed copies of dropped files: files/ab/abcdef... named by SHA-256, so the
//! same file dropped twice is stored once, and moving or deleting the original breaks
//! nothing. A copy is written to a temporary name, synced, then renamed into place, so
//! a crash never leaves a half-written file under a real name.

use crate::error::{EngineError, Result};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

pub struct Blobs {
    root: PathBuf,
}

pub struct StoredBlob {
    pub sha256: String,
    pub size: u64,
}

impl Blobs {
    pub fn new(root: PathBuf) -> Result<Blobs> {
        // Nothing is removed here: another process (the app, `folio serve`, a CLI adding
        // files) may be writing into this folder right now. Clean-up is
        // `remove_stale_temp`, run only by the process holding the workers lock.
        std::fs::create_dir_all(root.join("tmp")).map_err(|e| EngineError::io("could not create", &root, e))?;
        Ok(Blobs { root })
    }

    /// Removes temporary files of copies whose writer is gone: its process no longer
    /// runs (the pid is in the name) and the file has not changed for `STALE_AFTER`; or
    /// the file has not changed for a day whatever its name says (a reused pid).
    /// Returns how many were removed.
    pub fn remove_stale_temp(&self) -> usize {
        let mut removed = 0;
        for entry in std::fs::read_dir(self.root.join("tmp")).into_iter().flatten().flatten() {
            let age = entry.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
            let Some(age) = age else { continue };
            let name = entry.file_name().to_string_lossy().into_owned();
            let writer_alive = name.split('-').next().and_then(|p| p.parse::<u32>().ok()).is_none_or(process_alive);
            if ((age > STALE_AFTER && !writer_alive) || age > ABANDONED_AFTER)
                && std::fs::remove_file(entry.path()).is_ok()
            {
                removed += 1;
            }
        }
        removed
    }

    /// True if the stored copy was written or reused within `STALE_AFTER`: a document
    /// being added by another process may be about to refer to it.
    pub fn is_fresh(&self, sha256: &str) -> bool {
        let modified = std::fs::metadata(self.path(sha256)).and_then(|m| m.modified());
        modified.ok().and_then(|t| t.elapsed().ok()).is_none_or(|age| age < STALE_AFTER)
    }

    pub fn path(&self, sha256: &str) -> PathBuf {
        self.root.join(&sha256[..2]).join(sha256)
    }

    /// Copies a file into the store, hashing it on the way.
    pub fn put_file(&self, source: &Path, max_bytes: u64) -> Result<StoredBlob> {
        let name = display_name(source);
        let mut input = File::open(source)
            .map_err(|e| EngineError::Unreadable(format!("{name} could not be opened: {}", plain_io(&e))))?;
        let meta = input.metadata().map_err(|e| EngineError::Unreadable(format!("{name}: {}", plain_io(&e))))?;
        if meta.is_dir() {
            return Err(EngineError::Unsupported(format!("{name} is a folder, not a file")));
        }
        if meta.len() > max_bytes {
            return Err(EngineError::LimitExceeded(format!(
                "{name} is {} MB; the largest file the local engine accepts is {} MB",
                meta.len() >> 20,
                max_bytes >> 20
            )));
        }
        self.put_reader(&mut input, &name)
    }

    pub fn put_bytes(&self, bytes: &[u8], name: &str) -> Result<StoredBlob> {
        self.put_reader(&mut &bytes[..], name)
    }

    fn put_reader(&self, input: &mut dyn Read, name: &str) -> Result<StoredBlob> {
        let tmp = tempfile_in(&self.root.join("tmp"))?;
        let mut out = File::create(&tmp).map_err(|e| EngineError::io("could not create", &tmp, e))?;
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = match input.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(EngineError::Unreadable(format!(
                        "{name} could not be read to the end (did it vanish or change while being copied?): {}",
                        plain_io(&e)
                    )));
                }
            };
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n]).map_err(|e| EngineError::io("could not write", &tmp, e))?;
            size += n as u64;
        }
        out.sync_all().map_err(|e| EngineError::io("could not write", &tmp, e))?;
        drop(out);
        let sha256 = hex(&hasher.finalize());
        let dest = self.path(&sha256);
        // Reusing a copy marks it fresh, so a clean-up in another process (which spares
        // fresh copies) cannot remove it before this document's row refers to it.
        if dest.exists() && touch(&dest) {
            let _ = std::fs::remove_file(&tmp);
        } else {
            let dir = dest.parent().expect("blob paths have a parent");
            std::fs::create_dir_all(dir).map_err(|e| EngineError::io("could not create", dir, e))?;
            std::fs::rename(&tmp, &dest).map_err(|e| EngineError::io("could not store", &dest, e))?;
        }
        Ok(StoredBlob { sha256, size })
    }

    pub fn remove(&self, sha256: &str) {
        let _ = std::fs::remove_file(self.path(sha256));
    }

    /// Every stored hash, for garbage collection of copies no document refers to.
    pub fn all(&self) -> Vec<String> {
        let mut out = Vec::new();
        for dir in std::fs::read_dir(&self.root).into_iter().flatten().flatten() {
            if dir.file_name() == "tmp" {
                continue;
            }
            for file in std::fs::read_dir(dir.path()).into_iter().flatten().flatten() {
                out.push(file.file_name().to_string_lossy().into_owned());
            }
        }
        out
    }
}

/// How long a temporary file or stored copy must have been left alone before a clean-up
/// may take it. Copies that are being written change continuously.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(120);
const ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);

fn touch(path: &Path) -> bool {
    std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .and_then(|f| f.set_modified(std::time::SystemTime::now()))
        .is_ok()
}

#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    // SAFETY: signal 0 only checks that the process exists.
    let result = unsafe { libc::kill(pid as libc::pid_t, 0) };
    result == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    true // only the day-old rule applies
}

fn tempfile_in(dir: &Path) -> Result<PathBuf> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    Ok(dir.join(format!("{}-{}-{n}", std::process::id(), chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0))))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn display_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// The OS's message without Rust's "(os error 2)" suffix.
pub fn plain_io(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_lowercase(),
        None => s,
    }
}
