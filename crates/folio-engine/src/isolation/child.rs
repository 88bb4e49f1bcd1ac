//! The reader child's side: read requests from stdin, answer on the protocol pipe, until
//! the engine closes stdin. One file per child; whatever a parser does to this process
//! (abort, segfault, run out of the memory it is allowed) ends only this process.

use super::protocol::{parse, read_frame, write_frame, write_json, Reply, Request};
use crate::readers::{self, DocReader};
use std::io::{self, BufReader, BufWriter, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Serves one engine until it closes stdin; returns the exit code.
pub fn serve() -> i32 {
    let mut output = match protocol_output() {
        Ok(out) => BufWriter::new(out),
        Err(e) => {
            eprintln!("folio reader: no protocol pipe: {e}");
            return 2;
        }
    };
    let mut input = BufReader::new(io::stdin().lock());
    match serve_on(&mut input, &mut output) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("folio reader: {e}");
            3
        }
    }
}

fn serve_on(input: &mut impl io::Read, output: &mut impl Write) -> io::Result<()> {
    let mut reader: Option<Box<dyn DocReader>> = None;
    while let Some(frame) = read_frame(input)? {
        let reply = match parse::<Request>(&frame)? {
            Request::Open { path, name, settings } => match guarded(|| readers::open(&path, &name, &settings)) {
                Ok((kind, opened)) => {
                    let reply = Reply::Opened { kind, pages: opened.page_count(), ocr: opened.is_ocr() };
                    reader = Some(opened);
                    reply
                }
                Err(reason) => Reply::Refused(reason),
            },
            Request::Page(index) => match reader.as_mut() {
                Some(r) => match guarded(|| r.read_page(index)) {
                    Ok(page) => Reply::Page(Box::new(page)),
                    Err(reason) => Reply::Refused(reason),
                },
                None => Reply::Refused("could not be read: the reader was asked for a page before opening it".into()),
            },
            Request::Attachments => {
                let attachments = reader.as_mut().map(|r| r.take_attachments()).unwrap_or_default();
                let list = attachments.iter().map(|a| (a.name.clone(), a.bytes.len() as u64)).collect();
                write_json(output, &Reply::Attachments(list))?;
                for a in attachments {
                    write_frame(output, &a.bytes)?;
                }
                continue;
            }
        };
        write_json(output, &reply)?;
    }
    Ok(())
}

/// A panic in a parser becomes a reason, as it does in-process.
fn guarded<T>(f: impl FnOnce() -> Result<T, readers::Reason>) -> Result<T, readers::Reason> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown error".into());
            Err(format!("could not be read: the reader crashed ({what})"))
        }
    }
}

/// The pipe replies go to. Native libraries (tesseract, leptonica) may print to stdout;
/// on Unix the real stdout is moved to a private descriptor and fd 1 becomes stderr, so
/// a stray print can never corrupt a frame.
#[cfg(unix)]
fn protocol_output() -> io::Result<std::fs::File> {
    use std::os::fd::FromRawFd;
    // SAFETY: plain descriptor calls on fds this process owns; the new fd is owned by the File.
    unsafe {
        let private = libc::dup(1);
        if private < 0 || libc::dup2(2, 1) < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(std::fs::File::from_raw_fd(private))
    }
}

#[cfg(not(unix))]
fn protocol_output() -> io::Result<io::Stdout> {
    Ok(io::stdout())
}
