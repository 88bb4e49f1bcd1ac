//! Turns a command's result into what a person and a script expect: nothing more on
//! success, one clear line on stderr and a non-zero exit on failure.

use std::process::ExitCode;

pub fn report(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("folio: {err:#}");
            match err.downcast_ref::<folio_core::Error>() {
                Some(core) => ExitCode::from(exit_code(core.kind())),
                None => ExitCode::FAILURE,
            }
        }
    }
}

/// Distinct exit codes let scripts tell "fix your token" from "try again later".
pub fn exit_code(kind: folio_core::ErrorKind) -> u8 {
    use folio_core::ErrorKind::*;
    match kind {
        InvalidInput => 2,
        Auth => 3,
        NotFound => 4,
        LimitExceeded => 5,
        RateLimited | Unavailable | Timeout => 6,
        Unsupported => 7,
        Cancelled => 130,
        Internal => 1,
    }
}
