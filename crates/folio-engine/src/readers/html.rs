//! Web pages: the text a reader sees, without markup, scripts or styles.

use super::{decode_text, paginate, read_limited, Page, Reason};
use crate::settings::EngineSettings;
use std::path::Path;

pub fn read(path: &Path, settings: &EngineSettings) -> Result<Vec<Page>, Reason> {
    let bytes = read_limited(path, settings.max_text_bytes, "HTML")?;
    let html = decode_text(&bytes)?;
    let text = to_text(&html)?;
    if text.trim().is_empty() {
        return Err("contains no readable text".into());
    }
    Ok(paginate(&text, "line"))
}

pub fn to_text(html: &str) -> Result<String, Reason> {
    // Wide lines: wrapping is for terminals; passages are cut later anyway.
    html2text::config::plain()
        .string_from_read(html.as_bytes(), 200)
        .map_err(|e| format!("is HTML that could not be read ({e})"))
}
