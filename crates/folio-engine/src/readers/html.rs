//! Web pages: the text a reader sees, without markup, scripts or styles.
//!
//! html5ever (under html2text) is quadratic in nesting depth and in attributes per tag
//! (it scans the open-element stack and the tag's attributes for each new one): 200,000
//! nested <div> kept a worker busy for minutes. `tame` first rewrites the markup in one
//! linear pass: elements nested deeper than `MAX_DEPTH` lose their tags (their text is
//! kept, flattened into the enclosing element), and oversized tags lose their attributes.

use super::html_decorator::ReadingDecorator;
use super::{decode_text, paginate, read_limited, Page, Reason};
use crate::settings::EngineSettings;
use std::borrow::Cow;
use std::path::Path;

/// Deepest element nesting handed to the HTML parser; deeper tags are dropped.
pub const MAX_DEPTH: usize = 256;
/// Longest tag (name and attributes) kept whole; longer ones keep only their name.
pub const MAX_TAG_BYTES: usize = 4096;
/// Longest run without blank space handed over; longer runs get a space every this
/// many bytes (html2text's line wrapping took 50 s and 700 MB on one 10 MB "word").
pub const MAX_WORD_BYTES: usize = 2000;
/// Stands in for a stray '<' while html2text runs (a private-use character).
const STRAY_LT: char = '\u{E000}';

pub fn read(path: &Path, settings: &EngineSettings) -> Result<Vec<Page>, Reason> {
    let bytes = read_limited(path, settings.max_text_bytes, "HTML", "max_text_bytes")?;
    let html = decode_text(&bytes)?;
    let text = to_text(&html)?;
    if text.trim().is_empty() {
        return Err("contains no readable text".into());
    }
    Ok(paginate(&text, "line"))
}

pub fn to_text(html: &str) -> Result<String, Reason> {
    let html = tame(html);
    let html = break_long_words(&html);
    // Wide lines: wrapping is for terminals; passages are cut later anyway.
    let text = html2text::config::with_decorator(ReadingDecorator)
        .string_from_read(html.as_bytes(), 200)
        .map_err(|e| format!("is HTML that could not be read ({e})"))?;
    let text = if text.contains(STRAY_LT) { text.replace(STRAY_LT, "<") } else { text };
    // Permalink anchors ("Sockets¶") are a link's only word: page furniture.
    Ok(if text.contains('¶') { text.replace('¶', "") } else { text })
}

/// Elements that never hold others (void) or close themselves when a sibling starts:
/// they do not deepen the tree, so an old page of 5,000 unclosed <p> is not "deep".
fn nests(name: &str) -> bool {
    !name.starts_with('!')
        && !matches!(
            name,
            "area"
                | "base"
                | "br"
                | "col"
                | "embed"
                | "hr"
                | "img"
                | "input"
                | "link"
                | "meta"
                | "param"
                | "source"
                | "track"
                | "wbr"
                | "p"
                | "li"
                | "dt"
                | "dd"
                | "tr"
                | "td"
                | "th"
                | "option"
                | "optgroup"
                | "thead"
                | "tbody"
                | "tfoot"
                | "colgroup"
                | "rp"
                | "rt"
                | "html"
                | "head"
                | "body"
        )
}

/// The markup with over-deep tags dropped and oversized tags shortened; borrowed when
/// nothing needed changing. One pass, linear in the length.
pub fn tame(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out = String::new();
    let mut changed = false;
    // `copied`: everything before it is already in `out` (or dropped); only used once changed.
    let mut copied = 0usize;
    let mut depth = 0usize;
    let mut i = 0usize;
    while let Some(offset) = memchr(b'<', &bytes[i..]) {
        let at = i + offset;
        let rest = &bytes[at..];
        if rest.starts_with(b"<!--") {
            i = find(bytes, at + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_start = at + 1 + closing as usize;
        let name_end = bytes[name_start..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b':' || *b == b'!'))
            .map_or(bytes.len(), |p| name_start + p);
        if name_end == name_start {
            // "<" not starting a tag ("a < b", "<<<<") is text, but html5ever takes each
            // as a parse error, 5x slower than a letter: handed over as a stand-in that
            // `to_text` turns back.
            if !changed {
                out.reserve(html.len());
                changed = true;
            }
            out.push_str(&html[copied..at]);
            out.push(STRAY_LT);
            copied = at + 1;
            i = at + 1;
            continue;
        }
        let end = tag_end(bytes, name_end);
        let name = html[name_start..name_end].to_ascii_lowercase();
        let self_closing = end >= 2 && bytes[end - 2] == b'/';
        let deep = nests(&name) && !self_closing;
        let keep = if !deep {
            true
        } else if closing {
            let keep = depth <= MAX_DEPTH;
            depth = depth.saturating_sub(1);
            keep
        } else {
            depth += 1;
            depth <= MAX_DEPTH
        };
        let oversized = end - at > MAX_TAG_BYTES;
        if !keep || oversized {
            if !changed {
                out.reserve(html.len());
                changed = true;
            }
            out.push_str(&html[copied..at]);
            if keep {
                out.push('<');
                if closing {
                    out.push('/');
                }
                out.push_str(&name);
                out.push_str(if self_closing { "/>" } else { ">" });
            }
            copied = end;
        }
        i = end;
        // Script and style hold text, not tags: skip to their end tag.
        if !closing && matches!(name.as_str(), "script" | "style" | "textarea" | "title") {
            let close = format!("</{name}");
            i = find_ascii_case(bytes, i, close.as_bytes()).unwrap_or(bytes.len());
        }
    }
    if !changed {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

/// The text with a space put into every run of more than `MAX_WORD_BYTES` bytes without
/// blank space (at a character boundary); borrowed when there is none.
pub fn break_long_words(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut run = 0usize;
    let mut out: Option<String> = None;
    let mut copied = 0usize;
    for (i, b) in bytes.iter().enumerate() {
        if b.is_ascii_whitespace() {
            run = 0;
            continue;
        }
        run += 1;
        if run > MAX_WORD_BYTES && text.is_char_boundary(i) {
            let out = out.get_or_insert_with(|| String::with_capacity(text.len() + text.len() / MAX_WORD_BYTES));
            out.push_str(&text[copied..i]);
            out.push(' ');
            copied = i;
            run = 1;
        }
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut out) => {
            out.push_str(&text[copied..]);
            Cow::Owned(out)
        }
    }
}

/// Just past the '>' that ends the tag whose name ends at `from`, skipping quoted values.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote = None;
    for (k, b) in bytes[from..].iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(*b),
            (Some(q), b) if *b == q => quote = None,
            (None, b'>') => return from + k + 1,
            _ => {}
        }
    }
    bytes.len()
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|b| *b == needle)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes[from.min(bytes.len())..].windows(needle.len()).position(|w| w == needle).map(|p| from + p)
}

fn find_ascii_case(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes[from.min(bytes.len())..].windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle)).map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_read_as_their_words_and_headings_without_markup() {
        let text = to_text(
            "<h2>Sockets<a href=\"#s\">¶</a></h2><p>See <a href=\"guide.html\">the socket guide</a> first.</p>\
             <img alt=\"Logo\" src=\"l.png\"><ul><li>one</li></ul>",
        )
        .unwrap();
        assert!(text.contains("See the socket guide first."), "{text}");
        assert!(text.lines().any(|l| l.trim() == "Sockets"), "{text}");
        assert!(text.contains("• one"), "{text}");
        assert!(!text.contains('[') && !text.contains('#') && !text.contains("Logo"), "{text}");
    }

    #[test]
    fn ordinary_markup_is_left_alone() {
        let html = "<html><body><div class=\"a\"><p>One<p>Two <b>bold</b><br><img src=x></div></body></html>";
        assert!(matches!(tame(html), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_nesting_is_flattened_and_its_text_kept() {
        let n = 200_000;
        let html = format!("{}deep text{}", "<div>".repeat(n), "</div>".repeat(n));
        let tamed = tame(&html);
        assert_eq!(tamed.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(tamed.matches("</div>").count(), MAX_DEPTH);
        assert!(tamed.contains("deep text"));
        assert!(to_text(&html).unwrap().contains("deep text"));
    }

    #[test]
    fn ten_megabytes_of_less_than_signs_read_in_linear_time() {
        let html = "<".repeat(10 << 20);
        let started = std::time::Instant::now();
        let text = to_text(&html).unwrap();
        eprintln!("10 MB of '<': {:?}", started.elapsed());
        assert_eq!(text.matches('<').count(), 10 << 20);
        assert_eq!(break_long_words("short words stay"), "short words stay");
        assert!(break_long_words(&"é".repeat(3000)).contains(' '));
    }

    #[test]
    fn a_tag_with_a_million_attributes_keeps_only_its_name() {
        let html = format!("<div {}>kept</div>", (0..1_000_000).map(|i| format!("a{i}=\"1\" ")).collect::<String>());
        assert_eq!(tame(&html), "<div>kept</div>");
        // Quoted '>' does not end a tag; a lone '<' is text.
        assert!(matches!(tame("<a title=\"x>y\">1 2</a>"), Cow::Borrowed(_)));
        assert_eq!(to_text("<a title=\"x>y\">1 < 2</a>").unwrap().trim(), "1 < 2");
    }
}
