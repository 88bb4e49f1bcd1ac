//! The engine's side: a `DocReader` whose pages come from a child process with limits on
//! memory, processor time and time without an answer. When the child dies the reason
//! says why in plain words, and only this document fails.

use super::protocol::{parse, read_frame, write_json, Reply, Request};
use crate::readers::{Attachment, DocReader, Kind, Page, Reason};
use crate::settings::EngineSettings;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};

/// The environment variable that turns Folio's executables into a reader.
pub const READER_ENV: &str = "FOLIO_READER";

/// Kept of a child's stderr: enough to find the allocator's last words.
const STDERR_TAIL: usize = 16 << 10;

pub struct RemoteReader {
    exe: PathBuf,
    path: PathBuf,
    name: String,
    settings: EngineSettings,
    child: Option<Running>,
    pages: u32,
    ocr: bool,
    /// Pages the current child has read; a fresh child takes over after `slice_pages`,
    /// so the processor-time limit is per slice, not per document.
    served: u32,
}

struct Running {
    child: Child,
    stdin: ChildStdin,
    replies: Receiver<std::io::Result<Vec<u8>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
}

impl RemoteReader {
    /// Starts a child and opens `path` in it.
    pub fn open(
        exe: &Path,
        path: &Path,
        name: &str,
        settings: &EngineSettings,
    ) -> Result<(Kind, RemoteReader), Reason> {
        let mut reader = RemoteReader {
            exe: exe.to_path_buf(),
            path: path.to_path_buf(),
            name: name.to_string(),
            settings: settings.clone(),
            child: None,
            pages: 0,
            ocr: false,
            served: 0,
        };
        let kind = reader.start()?;
        Ok((kind, reader))
    }

    fn start(&mut self) -> Result<Kind, Reason> {
        self.stop();
        self.child = Some(spawn(&self.exe, &self.settings)?);
        self.served = 0;
        let open = Request::Open {
            path: self.path.clone(),
            name: self.name.clone(),
            settings: Box::new(self.settings.clone()),
        };
        match self.ask(&open)? {
            Reply::Opened { kind, pages, ocr } => {
                self.pages = pages;
                self.ocr = ocr;
                Ok(kind)
            }
            Reply::Refused(reason) => Err(reason),
            other => Err(self.broken(&format!("answered {other:?} to opening"))),
        }
    }

    fn ask(&mut self, request: &Request) -> Result<Reply, Reason> {
        let body = self.exchange(request)?;
        parse(&body).map_err(|e| self.broken(&format!("sent something unreadable ({e})")))
    }

    /// Sends a request and waits for the next frame, at most `reader_timeout`.
    fn exchange(&mut self, request: &Request) -> Result<Vec<u8>, Reason> {
        let running = self.child.as_mut().ok_or_else(|| "could not be read: the reader is not running".to_string())?;
        if write_json(&mut running.stdin, request).is_err() {
            return Err(self.died());
        }
        self.next_frame()
    }

    fn next_frame(&mut self) -> Result<Vec<u8>, Reason> {
        let timeout = self.settings.reader_timeout;
        let running = self.child.as_mut().ok_or_else(|| "could not be read: the reader is not running".to_string())?;
        match running.replies.recv_timeout(timeout) {
            Ok(Ok(body)) => Ok(body),
            Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => Err(self.died()),
            Err(RecvTimeoutError::Timeout) => {
                self.stop();
                Err(format!(
                    "could not be read: reading it took longer than {} without a page, so Folio stopped it",
                    duration_words(timeout)
                ))
            }
        }
    }

    /// The child is gone: waits for it and says why in words.
    fn died(&mut self) -> Reason {
        let Some(mut running) = self.child.take() else {
            return "could not be read: the reader is not running".into();
        };
        drop(running.stdin);
        let status = running.child.wait();
        outside_signal_grace(&status);
        let stderr = String::from_utf8_lossy(&running.stderr.lock().unwrap_or_else(|p| p.into_inner())).into_owned();
        let reason = match status {
            Ok(status) => explain(status, &stderr, &self.settings),
            Err(e) => format!("could not be read: the reader could not be waited for ({e})"),
        };
        tracing::warn!(file = %self.name, "reader child ended: {reason}; its last words: {}", last_lines(&stderr));
        reason
    }

    fn broken(&mut self, what: &str) -> Reason {
        self.stop();
        format!("could not be read: the reader {what}")
    }

    fn stop(&mut self) {
        if let Some(mut running) = self.child.take() {
            drop(running.stdin);
            let _ = running.child.kill();
            let _ = running.child.wait();
        }
    }

    /// The child's process id, while one runs (tests kill it).
    pub fn child_id(&self) -> Option<u32> {
        self.child.as_ref().map(|r| r.child.id())
    }
}

impl DocReader for RemoteReader {
    fn page_count(&self) -> u32 {
        self.pages
    }

    fn is_ocr(&self) -> bool {
        self.ocr
    }

    fn read_page(&mut self, index: u32) -> Result<Page, Reason> {
        if self.child.is_none() || self.served >= self.settings.slice_pages.max(1) {
            self.start()?;
        }
        self.served += 1;
        match self.ask(&Request::Page(index))? {
            Reply::Page(page) => Ok(*page),
            Reply::Refused(reason) => Err(reason),
            other => Err(self.broken(&format!("answered {other:?} to a page"))),
        }
    }

    /// An attachment the child cannot hand over is lost, not the e-mail: the e-mail's
    /// own text is still read.
    fn take_attachments(&mut self) -> Vec<Attachment> {
        let list = match self.ask(&Request::Attachments) {
            Ok(Reply::Attachments(list)) => list,
            _ => return Vec::new(),
        };
        let mut out = Vec::with_capacity(list.len());
        for (name, size) in list {
            match self.next_frame() {
                Ok(bytes) if bytes.len() as u64 == size => out.push(Attachment { name, bytes }),
                _ => {
                    tracing::warn!(file = %self.name, "attachment {name} was lost on the way from the reader");
                    break;
                }
            }
        }
        out
    }
}

impl Drop for RemoteReader {
    fn drop(&mut self) {
        self.stop();
    }
}

fn spawn(exe: &Path, settings: &EngineSettings) -> Result<Running, Reason> {
    let mut command = Command::new(exe);
    command.env(READER_ENV, "1").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    limits::apply(&mut command, settings);
    let mut child = command
        .spawn()
        .map_err(|e| format!("could not be read: the reader process {} could not start ({e})", exe.display()))?;
    let stdin = child.stdin.take().expect("stdin is piped");
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr_pipe = child.stderr.take().expect("stderr is piped");
    let (send, replies) = mpsc::channel();
    std::thread::Builder::new()
        .name("folio-reader-out".into())
        .spawn(move || {
            let mut input = BufReader::new(stdout);
            loop {
                match read_frame(&mut input) {
                    Ok(Some(body)) => {
                        if send.send(Ok(body)).is_err() {
                            return;
                        }
                    }
                    Ok(None) => return,
                    Err(e) => {
                        let _ = send.send(Err(e));
                        return;
                    }
                }
            }
        })
        .map_err(|e| format!("could not be read: no thread for the reader ({e})"))?;
    let stderr = Arc::new(Mutex::new(Vec::new()));
    let tail = stderr.clone();
    std::thread::Builder::new()
        .name("folio-reader-err".into())
        .spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr_pipe.read(&mut buf) {
                if n == 0 {
                    return;
                }
                let mut kept = tail.lock().unwrap_or_else(|p| p.into_inner());
                kept.extend_from_slice(&buf[..n]);
                if kept.len() > STDERR_TAIL {
                    let cut = kept.len() - STDERR_TAIL;
                    kept.drain(..cut);
                }
            }
        })
        .map_err(|e| format!("could not be read: no thread for the reader ({e})"))?;
    Ok(Running { child, stdin, replies, stderr })
}

/// A reader stopped by a signal from outside (log-out or shutdown signals every process,
/// `killall` matches the app's name, which its readers share) usually means Folio itself
/// is being stopped: waiting a moment lets that happen before the document is marked
/// failed, so it resumes at the next start instead of needing Retry.
fn outside_signal_grace(status: &std::io::Result<std::process::ExitStatus>) {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        let outside = [libc::SIGKILL, libc::SIGTERM, libc::SIGINT, libc::SIGHUP];
        if status.as_ref().ok().and_then(|s| s.signal()).is_some_and(|s| outside.contains(&s)) {
            std::thread::sleep(std::time::Duration::from_millis(500));
        }
    }
    #[cfg(not(unix))]
    let _ = status;
}

/// Why a child ended, in words that follow the file's name.
fn explain(status: std::process::ExitStatus, stderr: &str, settings: &EngineSettings) -> Reason {
    let memory = ["memory allocation of", "bad_alloc", "out of memory", "Cannot allocate memory"];
    if memory.iter().any(|m| stderr.contains(m)) {
        return format!(
            "could not be read: reading it needed more memory than Folio allows ({})",
            size_words(settings.reader_memory_bytes)
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            if signal == libc::SIGXCPU {
                return format!(
                    "could not be read: reading it used more than {} s of processor time, so Folio stopped it",
                    settings.reader_cpu_seconds
                );
            }
            return format!("could not be read: the reader stopped unexpectedly ({})", signal_name(signal));
        }
    }
    match status.code() {
        Some(code) => format!("could not be read: the reader stopped unexpectedly (exit code {code})"),
        None => "could not be read: the reader stopped unexpectedly".into(),
    }
}

#[cfg(unix)]
fn signal_name(signal: i32) -> String {
    let name = match signal {
        libc::SIGABRT => "it aborted",
        libc::SIGSEGV => "a memory access fault",
        libc::SIGBUS => "a bus error",
        libc::SIGILL => "an illegal instruction",
        libc::SIGFPE => "an arithmetic fault",
        libc::SIGKILL => "it was killed",
        libc::SIGTERM => "it was terminated",
        _ => "a signal",
    };
    format!("{name}, signal {signal}")
}

/// "1.5 GB", "64 MB".
pub fn size_words(bytes: u64) -> String {
    if bytes >= 1 << 30 {
        let gb = bytes as f64 / (1u64 << 30) as f64;
        let text = format!("{gb:.1}");
        format!("{} GB", text.strip_suffix(".0").unwrap_or(&text))
    } else {
        format!("{} MB", bytes >> 20)
    }
}

/// "120 s", "150 ms".
fn duration_words(d: std::time::Duration) -> String {
    if d >= std::time::Duration::from_secs(1) {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

fn last_lines(text: &str) -> String {
    let lines: Vec<&str> = text.lines().rev().take(3).collect();
    lines.into_iter().rev().collect::<Vec<_>>().join(" | ")
}

#[cfg(unix)]
mod limits {
    use crate::settings::EngineSettings;
    use std::os::unix::process::CommandExt;

    /// Limits set in the child between fork and exec, so they hold from its first
    /// instruction. RLIMIT_DATA (heap and private mappings, Linux 4.7+) rather than
    /// RLIMIT_AS: shared libraries mapped by a big executable (the app links WebKit)
    /// would count against an address-space limit without using memory.
    pub fn apply(command: &mut std::process::Command, settings: &EngineSettings) {
        let memory = settings.reader_memory_bytes as libc::rlim_t;
        let cpu = settings.reader_cpu_seconds as libc::rlim_t;
        // SAFETY: only async-signal-safe calls (setrlimit, prctl) between fork and exec.
        unsafe {
            command.pre_exec(move || {
                let data = libc::rlimit { rlim_cur: memory, rlim_max: memory };
                if libc::setrlimit(libc::RLIMIT_DATA, &data) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                // SIGXCPU at the soft limit, SIGKILL 5 s later if it is ignored.
                let time = libc::rlimit { rlim_cur: cpu, rlim_max: cpu + 5 };
                if libc::setrlimit(libc::RLIMIT_CPU, &time) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                // A reader outliving its engine (kill -9 of the app) would read on for nobody.
                #[cfg(target_os = "linux")]
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
    }
}

#[cfg(not(unix))]
mod limits {
    /// Windows: a Job Object with JOB_OBJECT_LIMIT_PROCESS_MEMORY and
    /// JOB_OBJECT_LIMIT_PROCESS_TIME would give the same (see NOTES.md); not built yet,
    /// so only the wall-time limit applies there.
    pub fn apply(_command: &mut std::process::Command, _settings: &crate::settings::EngineSettings) {}
}
