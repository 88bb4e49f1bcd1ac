//! PowerPoint: one page per slide, in slide order, labelled "slide N".

use super::docx::paragraphs;
use super::zipsafe::SafeZip;
use super::{Page, Reason};
use crate::settings::EngineSettings;
use std::path::Path;

pub fn read(path: &Path, settings: &EngineSettings) -> Result<Vec<Page>, Reason> {
    let mut zip = SafeZip::open(path, settings.max_unzipped_bytes)?;
    // ppt/slides/slideN.xml, ordered by N (the number is the slide's position in
    // every file PowerPoint and LibreOffice write).
    let mut slides: Vec<(u32, String)> = zip
        .names()
        .into_iter()
        .filter_map(|n| {
            let number = n.strip_prefix("ppt/slides/slide")?.strip_suffix(".xml")?.parse().ok()?;
            Some((number, n))
        })
        .collect();
    slides.sort();
    if slides.is_empty() {
        return Err("has no slides".into());
    }
    // Checked before any slide is unpacked: each slide is a page.
    if slides.len() > settings.max_pages as usize {
        return Err(format!(
            "has {} slides; the local engine reads at most {} pages per document (setting max_pages)",
            slides.len(),
            settings.max_pages
        ));
    }
    let mut pages = Vec::new();
    for (position, (_, name)) in slides.iter().enumerate() {
        let xml = zip.read(name)?.unwrap_or_default();
        let text = paragraphs(&xml, b"t", b"p")?.join("\n");
        pages.push(Page { text, label: Some(format!("slide {}", position + 1)), ..Default::default() });
    }
    if pages.iter().all(|p| p.text.trim().is_empty()) {
        return Err("contains no text on any slide".into());
    }
    Ok(pages)
}
