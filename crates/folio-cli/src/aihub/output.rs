//! What the aihub commands print: JSON for programs on stdout, progress for people on stderr.

use serde::Serialize;

pub fn print_json(value: &impl Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// For operations AI Hub answers with an empty 204: an empty object, so output is always JSON.
pub fn print_empty() -> anyhow::Result<()> {
    println!("{{}}");
    Ok(())
}

/// Maps the crate's error into folio-core's, which exit.rs turns into an exit code.
pub fn core(err: folio_aihub::AiHubError) -> anyhow::Error {
    anyhow::Error::new(folio_core::Error::from(err))
}
