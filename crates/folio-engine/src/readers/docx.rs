//! Word documents. DOCX stores no page numbers (Word lays pages out when it opens the
//! file), so a "page" here is a run of whole paragraphs, labelled "paragraphs a-b":
//! citations point at paragraphs, and say so.

use super::zipsafe::SafeZip;
use super::{Page, Reason};
use crate::settings::EngineSettings;
use quick_xml::events::Event;
use std::path::Path;

const SECTION_CHARS: usize = 4000;
/// Deepest XML element nesting read in an office part; real documents stay under 50.
pub const MAX_XML_DEPTH: usize = 1000;

pub fn read(path: &Path, settings: &EngineSettings) -> Result<Vec<Page>, Reason> {
    let mut zip = SafeZip::open(path, settings.max_unzipped_bytes)?;
    let xml = zip.read("word/document.xml")?.ok_or("is not a Word document (word/document.xml is missing)")?;
    let paragraphs = paragraphs(&xml, b"t", b"p")?;
    let mut pages = Vec::new();
    let mut text = String::new();
    let mut chars = 0;
    let mut first = 1;
    for (i, p) in paragraphs.iter().enumerate() {
        let n = i + 1;
        let p_chars = p.chars().count();
        if !text.is_empty() && chars + p_chars > SECTION_CHARS {
            pages.push(section(std::mem::take(&mut text), first, n - 1));
            chars = 0;
        }
        if p_chars > SECTION_CHARS {
            // One paragraph longer than a page (20 MB without a break): pages of its own.
            for piece in super::table::split_long(p, SECTION_CHARS) {
                pages.push(section(format!("{piece}\n"), n, n));
            }
            continue;
        }
        if text.is_empty() {
            first = n;
        }
        text.push_str(p);
        text.push('\n');
        chars += p_chars + 1;
    }
    if !text.trim().is_empty() {
        pages.push(section(text, first, paragraphs.len()));
    }
    if pages.is_empty() {
        return Err("contains no text".into());
    }
    Ok(pages)
}

fn section(text: String, first: usize, last: usize) -> Page {
    let label = if first == last { format!("paragraph {first}") } else { format!("paragraphs {first}-{last}") };
    Page { text, label: Some(label), ..Default::default() }
}

/// Paragraph texts of an OOXML part: text runs (`text_tag`) joined within each
/// paragraph (`para_tag`); tabs, breaks and table cells become whitespace.
pub(crate) fn paragraphs(xml: &[u8], text_tag: &[u8], para_tag: &[u8]) -> Result<Vec<String>, Reason> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_text = false;
    let mut depth = 0usize;
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                depth += 1;
                if depth > MAX_XML_DEPTH {
                    return Err(format!("is damaged (its XML is nested more than {MAX_XML_DEPTH} levels deep)"));
                }
                if e.local_name().as_ref() == text_tag {
                    in_text = true;
                }
            }
            Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                b"tab" => current.push('\t'),
                b"br" | b"cr" => current.push('\n'),
                _ => {}
            },
            Ok(Event::End(e)) => {
                depth = depth.saturating_sub(1);
                let name = e.local_name();
                if name.as_ref() == text_tag {
                    in_text = false;
                } else if name.as_ref() == para_tag {
                    let p = current.trim_end().to_string();
                    if !p.trim().is_empty() {
                        out.push(p);
                    }
                    current.clear();
                } else if name.as_ref() == b"tc" {
                    current.push('\t');
                }
            }
            Ok(Event::Text(t)) if in_text => {
                let s = t.unescape().map_err(|e| format!("is damaged (bad XML text: {e})"))?;
                current.push_str(&s);
            }
            Ok(Event::CData(t)) if in_text => current.push_str(&String::from_utf8_lossy(&t)),
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(format!("is damaged (its XML is broken at byte {}: {e})", reader.buffer_position())),
        }
        buf.clear();
    }
    if !current.trim().is_empty() {
        out.push(current.trim_end().to_string());
    }
    Ok(out)
}
