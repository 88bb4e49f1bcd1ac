//! Footnotes: which quote each claim of an answer rests on, numbered through the whole
//! conversation, marked inside the text until a format writes the marks.

use super::*;

/// "Document name, page N", or the label a format without pages uses ("R-intro.txt,
/// lines 41-80"), or the name alone when the backend named no page.
pub fn cite(source: &Source) -> String {
    let name = one_line(&source.document_name);
    match (&source.page_label, source.page) {
        (Some(label), _) => format!("{name}, {}", one_line(label)),
        (None, Some(page)) => format!("{name}, page {page}"),
        (None, None) => name,
    }
}

/// Footnote marks inside an answer's text until a format writes them: a reference to
/// note n is REF n END; a claim found nowhere in the documents is followed by UNFOUND.
/// (Private-use characters, taken out of the text itself first.)
pub(super) const REF: char = '\u{E000}';

pub(super) const END: char = '\u{E001}';

pub(super) const UNFOUND: char = '\u{E002}';

pub(super) const NOT_FOUND_WORDS: &str = "not found in your documents";

/// A quote taken from a whole passage (answers whose sentences were not checked) is cut
/// to about this many characters.
pub(super) const PASSAGE_QUOTE: usize = 300;

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Note {
    pub(super) quote: Option<String>,
    pub(super) place: String,
}

impl Note {
    pub(super) fn line(&self) -> String {
        match &self.quote {
            Some(quote) => format!("“{quote}” — {}", self.place),
            None => self.place.clone(),
        }
    }
}

/// Each answer's text with its marks, and the notes they point at (one per distinct
/// quote and place, numbered through the whole conversation).
pub(super) fn footnoted(turns: &[ChatTurn]) -> (Vec<String>, Vec<Note>) {
    let mut notes = Vec::new();
    let answers = turns.iter().map(|t| marked(&t.answer, &mut notes)).collect();
    (answers, notes)
}

pub(super) fn note_for(notes: &mut Vec<Note>, quote: Option<String>, source: &Source) -> usize {
    let note = Note { quote: quote.filter(|q| !q.is_empty()), place: cite(source) };
    let at = notes.iter().position(|n| *n == note).unwrap_or_else(|| {
        notes.push(note);
        notes.len() - 1
    });
    at + 1
}

pub(super) fn push_ref(out: &mut String, n: usize) {
    out.push(REF);
    out.push_str(&n.to_string());
    out.push(END);
}

pub(super) fn unmarked(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().filter(|c| !matches!(*c, REF | END | UNFOUND))
}

pub(super) fn marked(answer: &Answer, notes: &mut Vec<Note>) -> String {
    let mut sentences = answer.sentences.clone();
    if sentences.is_empty() && answer.kind == AnswerKind::Quoted {
        sentences = quoted_sentences(&answer.text, &answer.sources);
    }
    if sentences.is_empty() {
        return with_markers(answer, notes);
    }
    sentences.sort_by_key(|s| s.start);
    let text = answer.text.as_str();
    let mut out = String::new();
    let mut from = 0;
    for sentence in &sentences {
        let (start, end) = (sentence.start as usize, sentence.end as usize);
        if start < from
            || start > end
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        out.extend(unmarked(&after_markers(&text[from..start])));
        let mut to = end;
        out.extend(unmarked(&without_markers(&text[start..end])));
        if answer.kind == AnswerKind::Quoted {
            // The note goes after the closing quote mark, and replaces the "(file, page n)"
            // written after it: the footnote says the same.
            if text[to..].starts_with('”') {
                out.push('”');
                to += '”'.len_utf8();
            }
            to += written_place(&text[to..]);
        }
        match (sentence.support, sentence.source.and_then(|i| answer.sources.get(i as usize))) {
            (Support::Supported, Some(source)) => {
                let quote = sentence.evidence.as_deref().or(source.passage.as_deref()).map(one_line);
                push_ref(&mut out, note_for(notes, quote, source));
            }
            _ => out.push(UNFOUND),
        }
        from = to;
    }
    out.extend(unmarked(&after_markers(&text[from..])));
    out
}

/// An answer whose sentences were not checked (a service's answer): its `[n]` markers
/// become notes on source n, each quoting its passage; with no markers, the answer ends
/// with a note per source.
pub(super) fn with_markers(answer: &Answer, notes: &mut Vec<Note>) -> String {
    let text = answer.text.as_str();
    let note = |notes: &mut Vec<Note>, source: &Source| {
        note_for(notes, source.passage.as_deref().map(|p| shortened(&one_line(p), PASSAGE_QUOTE)), source)
    };
    let mut out = String::new();
    let mut from = 0;
    let mut any = false;
    while let Some(at) = text[from..].find('[') {
        let at = from + at;
        out.extend(unmarked(&text[from..at]));
        match marker(&text[at..]) {
            Some((len, numbers)) if numbers.iter().all(|n| (1..=answer.sources.len()).contains(n)) => {
                out.truncate(out.trim_end_matches([' ', '\t']).len());
                for n in numbers {
                    push_ref(&mut out, note(notes, &answer.sources[n - 1]));
                }
                any = true;
                from = at + len;
            }
            _ => {
                out.push('[');
                from = at + 1;
            }
        }
    }
    out.extend(unmarked(&text[from..]));
    if !any && !answer.sources.is_empty() {
        out.truncate(out.trim_end().len());
        for source in &answer.sources {
            push_ref(&mut out, note(notes, source));
        }
    }
    out
}

/// A `[1]`, `[1, 3]` or `[2-4]` at the start of `text`: its length and its numbers.
pub(super) fn marker(text: &str) -> Option<(usize, Vec<usize>)> {
    if !text.starts_with('[') {
        return None;
    }
    let close = text.find(']')?;
    let inside = &text[1..close];
    if inside.is_empty() || !inside.chars().all(|c| c.is_ascii_digit() || matches!(c, ',' | '-' | '–' | ' ')) {
        return None;
    }
    let mut numbers = Vec::new();
    for part in inside.split(',').map(str::trim) {
        match part.split_once(['-', '–']) {
            Some((a, b)) => {
                let (a, b): (usize, usize) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
                if b < a || b - a > 20 {
                    return None;
                }
                numbers.extend(a..=b);
            }
            None => numbers.push(part.parse().ok()?),
        }
    }
    Some((close + 1, numbers))
}

/// A claim's text without the `[n]` markers it carries (its note replaces them).
pub(super) fn without_markers(text: &str) -> String {
    let mut out = String::new();
    let mut from = 0;
    while let Some(at) = text[from..].find('[') {
        let at = from + at;
        match marker(&text[at..]) {
            Some((len, _)) => {
                out.push_str(text[from..at].trim_end());
                from = at + len;
            }
            None => {
                out.push_str(&text[from..=at]);
                from = at + 1;
            }
        }
    }
    out.push_str(&text[from..]);
    out
}

/// Text after a claim without the markers directly after it (`… sunset." [1]`): the
/// claim's note says the same. Closing marks before them stay.
pub(super) fn after_markers(text: &str) -> String {
    let closing = text.len() - text.trim_start_matches(['"', '”', '’', ')']).len();
    let mut rest = &text[closing..];
    let mut stripped = false;
    while let Some((len, _)) = marker(rest.trim_start()) {
        rest = &rest.trim_start()[len..];
        stripped = true;
    }
    if stripped {
        format!("{}{rest}", &text[..closing])
    } else {
        text.to_string()
    }
}

/// The length of a " (file, page n)" written after a quote (one level of parentheses
/// inside it, as in "(Notes (draft).txt, page 2)"), or 0.
pub(super) fn written_place(text: &str) -> usize {
    if !text.starts_with(" (") {
        return 0;
    }
    let mut depth = 0;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            '(' if depth < 2 => depth += 1,
            '(' | '\n' => return 0,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    0
}
