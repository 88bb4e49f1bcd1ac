//! Page-aware passages: each page's text cut into passages of about `target`
//! characters at paragraph, sentence or word ends. A passage never spans pages, so it
//! always has one page to cite, its character range on that page, and the boxes of its
//! lines for highlighting.

use crate::readers::{Page, Word};
use crate::store::PassageRecord;

pub fn passages(page_no: u32, page: &Page, target: usize) -> Vec<PassageRecord> {
    let text = page.text.as_str();
    let mut words = WordCursor::new(&page.words);
    let mut out = Vec::new();
    let mut start = 0usize;
    // Characters before `counted`, kept as we go: counting from the page start for
    // every passage made a 20 MB page quadratic.
    let (mut counted, mut chars_before) = (0usize, 0usize);
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
            chars_before += text[counted..start].chars().count();
            counted = start;
            let char_start = chars_before as u32;
            out.push(PassageRecord {
                page: page_no,
                char_start,
                char_end: char_start + trimmed.chars().count() as u32,
                text: trimmed.to_string(),
                boxes: words.line_boxes(text, start, start + trimmed.len()),
            });
        }
        start = end;
    }
    out
}

/// Walks the page's words in order alongside the passages, so each passage looks only
/// at its own words (words arrive sorted by position; other orders are sorted first).
struct WordCursor<'a> {
    words: std::borrow::Cow<'a, [Word]>,
    next: usize,
}

impl<'a> WordCursor<'a> {
    fn new(words: &'a [Word]) -> Self {
        let words = if words.windows(2).all(|w| w[0].start <= w[1].start) {
            std::borrow::Cow::Borrowed(words)
        } else {
            let mut sorted = words.to_vec();
            sorted.sort_by_key(|w| w.start);
            std::borrow::Cow::Owned(sorted)
        };
        WordCursor { words, next: 0 }
    }

    /// Boxes of the words inside [start, end), merged into one box per line. Passages
    /// come in order, so words before `start` are never needed again.
    fn line_boxes(&mut self, text: &str, start: usize, end: usize) -> Vec<[f32; 4]> {
        while self.next < self.words.len() && self.words[self.next].start < start {
            self.next += 1;
        }
        let first = self.next;
        while self.next < self.words.len() && self.words[self.next].start < end {
            self.next += 1;
        }
        line_boxes(text, self.words[first..self.next].iter().filter(|w| w.end <= end))
    }
}

/// Where the passage starting at `start` ends: at most `target` characters on, at the
/// best boundary in the second half of that window.
fn cut(text: &str, start: usize, target: usize) -> usize {
    let rest = &text[start..];
    let Some((limit, _)) = rest.char_indices().nth(target) else {
        return text.len();
    };
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

/// One box per line: a word joins the box before it when no line break separates them
/// in the text and it sits where the line continues (see `same_line`).
fn line_boxes<'w>(text: &str, words: impl Iterator<Item = &'w Word>) -> Vec<[f32; 4]> {
    let mut boxes: Vec<[f32; 4]> = Vec::new();
    let mut previous_end: Option<usize> = None;
    for w in words {
        let r = w.rect;
        let broken = previous_end.is_some_and(|e| text.get(e..w.start).is_none_or(|between| between.contains('\n')));
        previous_end = Some(w.end);
        if let Some(last) = boxes.last_mut() {
            if !broken && same_line(*last, r) {
                *last = [last[0].min(r[0]), last[1].min(r[1]), last[2].max(r[2]), last[3].max(r[3])];
                continue;
            }
        }
        boxes.push(r);
    }
    boxes
}

/// Whether word box `r` continues the line whose box so far is `last`. Across: the two
/// overlap vertically by half a line and `r` is to the right. Turned 90° (lscape.pdf's
/// pages): the words stack in one column, overlapping horizontally by half a line, `r`
/// a word space above or below. Without the second case every turned word was its own
/// box, the line count no longer matched the text's and a quote lit up its whole passage;
/// the line break in the text (checked by the caller) keeps the next column apart.
fn same_line(last: [f32; 4], r: [f32; 4]) -> bool {
    let across = last[3].min(r[3]) - last[1].max(r[1]);
    let height = (last[3] - last[1]).min(r[3] - r[1]).max(0.1);
    if across > height * 0.5 && r[0] >= last[0] - 1.0 {
        return true;
    }
    // Equally thick (one line height across): a wide line above a word is not a column.
    let down = last[2].min(r[2]) - last[0].max(r[0]);
    let width = (last[2] - last[0]).min(r[2] - r[0]).max(0.1);
    let thick = (last[2] - last[0]).max(r[2] - r[0]) < width * 1.5;
    let gap = (r[1] - last[3]).max(last[1] - r[3]);
    thick && down > width * 0.5 && gap < width * 2.0
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

    #[test]
    fn words_of_a_turned_line_merge_into_one_tall_box() {
        // Text turned 90° counter-clockwise: each line is a column read bottom to top;
        // the next line is the column to its right.
        let page = Page {
            text: "ab cd\nef".into(),
            words: vec![
                Word { start: 0, end: 2, rect: [10.0, 80.0, 20.0, 100.0] },
                Word { start: 3, end: 5, rect: [10.0, 50.0, 20.0, 76.0] },
                Word { start: 6, end: 8, rect: [24.0, 80.0, 34.0, 100.0] },
            ],
            ..Default::default()
        };
        let ps = passages(1, &page, 1000);
        assert_eq!(ps[0].boxes, vec![[10.0, 50.0, 20.0, 100.0], [24.0, 80.0, 34.0, 100.0]]);
    }

    #[test]
    fn a_twenty_megabyte_page_is_cut_in_linear_time_with_exact_ranges() {
        // Two-byte characters, so byte and character offsets differ all the way.
        let sentence = "Zwölf Boxkämpfer jagen Viktor quer über den großen Sylter Deich. ";
        let text = sentence.repeat((20 << 20) / sentence.len());
        let page = Page { text: text.clone(), ..Default::default() };
        let started = std::time::Instant::now();
        let ps = passages(1, &page, 1000);
        eprintln!("{} MB page: {} passages in {:?}", text.len() >> 20, ps.len(), started.elapsed());
        let sentence_chars = sentence.chars().count();
        let per_passage = 1000 / sentence_chars;
        let sentences = text.len() / sentence.len();
        assert_eq!(ps.len(), sentences.div_ceil(per_passage));
        let mut byte = 0;
        let mut chars = 0;
        for p in &ps {
            // Each passage starts right after the previous one and its own sentences.
            let skipped = &text[byte..];
            let lead = skipped.len() - skipped.trim_start().len();
            byte += lead;
            chars += skipped[..lead].chars().count();
            assert_eq!(p.char_start as usize, chars);
            assert!(text[byte..].starts_with(&p.text));
            byte += p.text.len();
            chars += p.text.chars().count();
            assert_eq!(p.char_end as usize, chars);
        }
        assert_eq!(chars, text.trim_end().chars().count());
    }
}
