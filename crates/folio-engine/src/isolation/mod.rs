//! Reading isolated from the process that holds the data: every document turn is read
//! by a child process (the same executable, started with FOLIO_READER=1) with limits on
//! memory, processor time and time without a page. A parser that aborts, segfaults or
//! runs away fails its document with a plain reason; the app, `folio serve` and
//! `folio local` go on.

mod child;
mod parent;
mod protocol;

pub use parent::{size_words, RemoteReader, READER_ENV};

use crate::readers::{self, DocReader, Kind, Reason};
use crate::settings::{EngineSettings, ReaderMode};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Set once this executable has said it can be a reader.
static SELF_READER: OnceLock<PathBuf> = OnceLock::new();

/// Call first thing in `main()` of an executable that opens an engine. With
/// FOLIO_READER=1 it serves as a reader child and exits (nothing else of the program
/// initialises); otherwise it records that this executable can be started as one, so
/// `EngineSettings::default()` reads in child processes.
pub fn enter_reader_mode_or_continue() {
    if std::env::var_os(READER_ENV).is_some_and(|v| v == "1") {
        std::process::exit(serve_as_reader());
    }
    if let Ok(exe) = std::env::current_exe() {
        let _ = SELF_READER.set(exe);
    }
}

/// Serves an engine on stdin/stdout until it closes stdin; the exit code to end with.
/// What the `folio-reader` binary runs.
pub fn serve_as_reader() -> i32 {
    child::serve()
}

/// `Process(this executable)` once `enter_reader_mode_or_continue` ran, else `InProcess`.
pub fn default_reader() -> ReaderMode {
    match SELF_READER.get() {
        Some(exe) => ReaderMode::Process(exe.clone()),
        None => ReaderMode::InProcess,
    }
}

/// Opens a stored file for reading where the settings say.
pub fn open(path: &Path, name: &str, settings: &EngineSettings) -> Result<(Kind, Box<dyn DocReader>), Reason> {
    match &settings.reader {
        ReaderMode::InProcess => readers::open(path, name, settings),
        ReaderMode::Process(exe) => {
            let (kind, reader) = RemoteReader::open(exe, path, name, settings)?;
            Ok((kind, Box::new(reader)))
        }
    }
}
