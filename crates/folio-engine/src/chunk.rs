//! Page-aware passages: each page's text cut into passages of about `target`
//! characters at paragraph, sentence or word ends. A passage never spans pages, so it
//! always has one page to cite, its character range on that page, and the boxes of its
//! lines for highlighting.

use crate::readers::{Page, Word};
use crate::store::PassageRecord;

pub fn passages(page_no: u32, page: &Page, target: usize) -> Vec<PassageRecord> {
    let text = page.text.as_str();
    let mut out = Vec::new();
    let mut start = 0usize;
    while start < text.len() {
        // Skip leading blank space: a passage starts at its first word.
        let skip = text[start..].len() - text[start..].trim_start().len();
        start += skip;
        if start >= text.len() {
            break;
        }
        let end = cut(text, start, target);
        let slice = &text[start..end];
        let trimmed = slice.trim_end();
        if !trimmed.is_empty() {
            let char_start = text[..start].chars().count() as u32;
            out.push(PassageRecord {
                page: page_no,
                char_start,
                char_end: char_start + trimmed.chars().count() as u32,
                text: trimmed.to_string(),
                boxes: line_boxes(&page.words, start, start + trimmed.len()),
            });
        }
        start = end;
    }
    out
}

/// Where the passage starting at `start` ends: at most `target` characters on, at the
/// best boundary in the second half of that window.
fn cut(text: &str, start: usize, target: usize) -> usize {
    let rest = &text[start..];
    let Some((limit, _)) = rest.char_indices().nth(target) else { return text.len() };
    let window = &rest[..limit];
    let half = limit / 2;
    for sep in ["\n\n", ". ", ".\n", "? ", "! ", "\n", " ", "\t"] {
        if let Some(i) = window.rfind(sep) {
            if i >= half {
                return start + i + sep.len();
            }
        }
    }
    start + limit
}

/// Boxes of the words inside [start, end), merged into one box per line.
fn line_boxes(words: &[Word], start: usize, end: usize) -> Vec<[f32; 4]> {
    let mut boxes: Vec<[f32; 4]> = Vec::new();
    for w in words.iter().filter(|w| w.start >= start && w.end <= end) {
        let r = w.rect;
        if let Some(last) = boxes.last_mut() {
            let overlap = last[3].min(r[3]) - last[1].max(r[1]);
            let height = (last[3] - last[1]).min(r[3] - r[1]).max(0.1);
            // Same line: vertically overlapping by half a line and to the right.
            if overlap > height * 0.5 && r[0] >= last[0] - 1.0 {
                *last = [last[0].min(r[0]), last[1].min(r[1]), last[2].max(r[2]), last[3].max(r[3])];
                continue;
            }
        }
        boxes.push(r);
    }
    boxes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_cover_the_page_in_order_with_exact_ranges() {
        let text = "First sentence here. ".repeat(200);
        let page = Page { text: text.clone(), ..Default::default() };
        let ps = passages(3, &page, 300);
        assert!(ps.len() > 10);
        let chars: Vec<char> = text.chars().collect();
        for p in &ps {
            assert_eq!(p.page, 3);
            assert!(p.text.chars().count() <= 300);
            let slice: String = chars[p.char_start as usize..p.char_end as usize].iter().collect();
            assert_eq!(slice, p.text);
            assert!(p.text.ends_with('.'), "cut at a sentence end: {:?}", p.text);
        }
        assert!(ps.windows(2).all(|w| w[0].char_end <= w[1].char_start));
    }

    #[test]
    fn words_on_one_line_merge_into_one_box() {
        let page = Page {
            text: "ab cd\nef".into(),
            words: vec![
                Word { start: 0, end: 2, rect: [10.0, 10.0, 20.0, 20.0] },
                Word { start: 3, end: 5, rect: [25.0, 10.0, 35.0, 20.0] },
                Word { start: 6, end: 8, rect: [10.0, 30.0, 20.0, 40.0] },
            ],
            ..Default::default()
        };
        let ps = passages(1, &page, 1000);
        assert_eq!(ps[0].boxes, vec![[10.0, 10.0, 35.0, 20.0], [10.0, 30.0, 20.0, 40.0]]);
    }
}
