//! Plain text and Markdown, in whatever encoding they came in.

use super::{decode_text, paginate, read_limited, Page, Reason};
use crate::settings::EngineSettings;
use std::path::Path;

pub fn read(path: &Path, settings: &EngineSettings) -> Result<Vec<Page>, Reason> {
    let bytes = read_limited(path, settings.max_text_bytes, "text", "max_text_bytes")?;
    let text = decode_text(&bytes)?;
    if text.trim().is_empty() {
        return Err("contains no text (only blank space)".into());
    }
    Ok(paginate(&text, "line"))
}
