//! A conversation as a file a person can keep, share or print: Markdown, or one
//! self-contained web page (inline CSS, no scripts, nothing fetched). Each quote an answer
//! rests on becomes a footnote naming its document and page, numbered through the whole
//! conversation; a sentence Folio found nowhere in the documents says so where it stands.

use crate::answer::{Answer, AnswerKind, AnswerSentence, ChatTurn, Source, Support};
use crate::conversation::Conversation;
use chrono::{DateTime, Utc};
use std::path::Path;

/// The two kinds of file Export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Markdown,
    Html,
}

impl ExportFormat {
    /// The format a chosen file name asks for: `.html`/`.htm` a web page, anything else
    /// (`.md`, or a name typed without an extension) Markdown.
    pub fn for_path(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("html" | "htm" | "xhtml") => Self::Html,
            _ => Self::Markdown,
        }
    }
}

/// The conversation in `format`, dated today.
pub fn export(format: ExportFormat, conversation: &Conversation, turns: &[ChatTurn]) -> String {
    export_at(format, conversation, turns, Utc::now())
}

/// The conversation in `format`, as of `exported_at` (the date written at the top).
pub fn export_at(
    format: ExportFormat,
    conversation: &Conversation,
    turns: &[ChatTurn],
    exported_at: DateTime<Utc>,
) -> String {
    match format {
        ExportFormat::Markdown => conversation_markdown(conversation, turns, exported_at),
        ExportFormat::Html => conversation_html(conversation, turns, exported_at),
    }
}

pub fn conversation_markdown(conversation: &Conversation, turns: &[ChatTurn], exported_at: DateTime<Utc>) -> String {
    let (answers, notes) = footnoted(turns);
    let mut out = format!("# {}\n\n", one_line(&conversation.name));
    if let Some(description) = description(conversation) {
        out.push_str(&format!("{description}\n\n"));
    }
    out.push_str(&format!("{}\n\n", dates(conversation, exported_at)));
    if !conversation.documents.is_empty() {
        out.push_str("Documents:\n\n");
        for document in &conversation.documents {
            out.push_str(&format!("- {}\n", one_line(&document.name)));
        }
        out.push('\n');
    }
    for (i, (turn, answer)) in turns.iter().zip(&answers).enumerate() {
        out.push_str("---\n\n");
        out.push_str(&format!("## {}. {}\n\n", i + 1, one_line(&turn.question)));
        out.push_str(&markdown_marks(answer.trim()));
        out.push_str("\n\n");
    }
    if !notes.is_empty() {
        out.push_str("---\n\n");
        for (i, note) in notes.iter().enumerate() {
            out.push_str(&format!("[^{}]: {}\n", i + 1, note.line()));
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

pub fn conversation_html(conversation: &Conversation, turns: &[ChatTurn], exported_at: DateTime<Utc>) -> String {
    let (answers, notes) = footnoted(turns);
    let name = one_line(&conversation.name);
    let mut out = String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n");
    out.push_str("<meta name=\"generator\" content=\"Folio\" />\n");
    out.push_str(&format!("<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n", escape(&name)));
    out.push_str(&format!("<h1>{}</h1>\n", escape(&name)));
    if let Some(description) = description(conversation) {
        out.push_str(&format!("<p class=\"description\">{}</p>\n", with_breaks(&escape(description))));
    }
    out.push_str(&format!("<p class=\"meta\">{}</p>\n", escape(&dates(conversation, exported_at))));
    if !conversation.documents.is_empty() {
        out.push_str("<p class=\"documents-label\">Documents:</p>\n<ul class=\"documents\">\n");
        for document in &conversation.documents {
            out.push_str(&format!("<li>{}</li>\n", escape(&one_line(&document.name))));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</header>\n<main>\n");
    let mut refs = vec![0usize; notes.len()];
    for (i, (turn, answer)) in turns.iter().zip(&answers).enumerate() {
        out.push_str(&format!("<article class=\"turn\" id=\"turn-{}\">\n", i + 1));
        out.push_str(&format!(
            "<h2 class=\"question\"><span class=\"number\">{}.</span> {}</h2>\n",
            i + 1,
            with_breaks(&escape(turn.question.trim()))
        ));
        out.push_str("<section class=\"answer\" aria-label=\"Answer\">\n");
        let formatted = turn.answer.kind == AnswerKind::Generated;
        let text = answer.replace("\r\n", "\n");
        out.push_str(&html_marks(&blocks(&escape(text.trim()), formatted), &mut refs));
        out.push_str("</section>\n</article>\n");
    }
    out.push_str("</main>\n");
    if !notes.is_empty() {
        out.push_str("<footer class=\"footnotes\">\n<h2>Sources</h2>\n<ol>\n");
        for (i, note) in notes.iter().enumerate() {
            let n = i + 1;
            let quote = note.quote.as_deref().map(|q| format!("<span class=\"quote\">“{}”</span> — ", escape(q)));
            let back = if refs[i] > 0 {
                format!(" <a class=\"back\" href=\"#ref-{n}-1\" aria-label=\"Back to the answer\">↩</a>")
            } else {
                String::new()
            };
            out.push_str(&format!(
                "<li id=\"note-{n}\">{}<span class=\"place\">{}</span>{back}</li>\n",
                quote.unwrap_or_default(),
                escape(&note.place)
            ));
        }
        out.push_str("</ol>\n</footer>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

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
const REF: char = '\u{E000}';
const END: char = '\u{E001}';
const UNFOUND: char = '\u{E002}';
const NOT_FOUND_WORDS: &str = "not found in your documents";
/// A quote taken from a whole passage (answers whose sentences were not checked) is cut
/// to about this many characters.
const PASSAGE_QUOTE: usize = 300;

#[derive(Debug, Clone, PartialEq)]
struct Note {
    quote: Option<String>,
    place: String,
}

impl Note {
    fn line(&self) -> String {
        match &self.quote {
            Some(quote) => format!("“{quote}” — {}", self.place),
            None => self.place.clone(),
        }
    }
}

/// Each answer's text with its marks, and the notes they point at (one per distinct
/// quote and place, numbered through the whole conversation).
fn footnoted(turns: &[ChatTurn]) -> (Vec<String>, Vec<Note>) {
    let mut notes = Vec::new();
    let answers = turns.iter().map(|t| marked(&t.answer, &mut notes)).collect();
    (answers, notes)
}

fn note_for(notes: &mut Vec<Note>, quote: Option<String>, source: &Source) -> usize {
    let note = Note { quote: quote.filter(|q| !q.is_empty()), place: cite(source) };
    let at = notes.iter().position(|n| *n == note).unwrap_or_else(|| {
        notes.push(note);
        notes.len() - 1
    });
    at + 1
}

fn push_ref(out: &mut String, n: usize) {
    out.push(REF);
    out.push_str(&n.to_string());
    out.push(END);
}

fn unmarked(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().filter(|c| !matches!(*c, REF | END | UNFOUND))
}

fn marked(answer: &Answer, notes: &mut Vec<Note>) -> String {
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
fn with_markers(answer: &Answer, notes: &mut Vec<Note>) -> String {
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
fn marker(text: &str) -> Option<(usize, Vec<usize>)> {
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
fn without_markers(text: &str) -> String {
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
fn after_markers(text: &str) -> String {
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
fn written_place(text: &str) -> usize {
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

/// The quotes of a quoted answer recorded before Folio checked sentences: each “passage”
/// is its own proof (as folio-answer's `quoted_sentences` finds them).
fn quoted_sentences(text: &str, sources: &[Source]) -> Vec<AnswerSentence> {
    let mut out = Vec::new();
    let mut from = 0;
    for (i, source) in sources.iter().enumerate() {
        let Some(quote) = source.passage.as_deref() else { continue };
        let Some(at) = text[from..].find(&format!("“{quote}”")) else { continue };
        let start = from + at + "“".len();
        let end = start + quote.len();
        out.push(AnswerSentence {
            start: start as u32,
            end: end as u32,
            text: quote.to_string(),
            source: Some(i as u32),
            support: Support::Supported,
            evidence: Some(quote.to_string()),
            boxes: Vec::new(),
        });
        from = end;
    }
    out
}

fn markdown_marks(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            REF => {
                let n: String = chars.by_ref().take_while(|c| *c != END).collect();
                out.push_str(&format!("[^{n}]"));
            }
            UNFOUND => out.push_str(&format!(" _({NOT_FOUND_WORDS})_")),
            c => out.push(c),
        }
    }
    out
}

/// `refs[n - 1]` counts the references to note n so far, so each gets its own anchor.
fn html_marks(html: &str, refs: &mut [usize]) -> String {
    let mut out = String::new();
    let mut chars = html.chars();
    while let Some(c) = chars.next() {
        match c {
            REF => {
                let n: String = chars.by_ref().take_while(|c| *c != END).collect();
                let Ok(n) = n.parse::<usize>() else { continue };
                let Some(count) = n.checked_sub(1).and_then(|i| refs.get_mut(i)) else { continue };
                *count += 1;
                out.push_str(&format!(
                    "<sup class=\"ref\"><a href=\"#note-{n}\" id=\"ref-{n}-{count}\" aria-label=\"Source {n}\">{n}</a></sup>"
                ));
            }
            UNFOUND => out.push_str(&format!(" <span class=\"not-found\">({NOT_FOUND_WORDS})</span>")),
            c => out.push(c),
        }
    }
    out
}

/// Escaped answer text as paragraphs, lists and headings. A model's answer is Markdown:
/// its lists, headings, `code`, **bold** and *emphasis* are kept (`formatted`); quoted
/// document text is shown as it is.
fn blocks(escaped: &str, formatted: bool) -> String {
    #[derive(PartialEq, Clone, Copy)]
    enum Kind {
        Text,
        Bullet,
        Numbered,
        Heading,
    }
    let kind_of = |line: &str| {
        let t = line.trim_start();
        if !formatted {
            Kind::Text
        } else if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") {
            Kind::Bullet
        } else if t.split_once(['.', ')']).is_some_and(|(n, rest)| {
            !n.is_empty() && n.len() < 4 && n.chars().all(|c| c.is_ascii_digit()) && rest.starts_with(' ')
        }) {
            Kind::Numbered
        } else if t.starts_with('#') && t.trim_start_matches('#').starts_with(' ') {
            Kind::Heading
        } else {
            Kind::Text
        }
    };
    let inline = |text: &str| if formatted { inline(text) } else { text.to_string() };
    let mut out = String::new();
    for block in escaped.split("\n\n").map(|b| b.trim_matches('\n')).filter(|b| !b.trim().is_empty()) {
        let lines: Vec<&str> = block.lines().collect();
        let mut i = 0;
        while i < lines.len() {
            let kind = kind_of(lines[i]);
            let mut j = i + 1;
            while j < lines.len() && kind_of(lines[j]) == kind && kind != Kind::Heading {
                j += 1;
            }
            let group = &lines[i..j];
            match kind {
                Kind::Text => {
                    out.push_str(&format!("<p>{}</p>\n", inline(&group.join("\n")).replace('\n', "<br />\n")))
                }
                Kind::Heading => out
                    .push_str(&format!("<h3>{}</h3>\n", inline(group[0].trim_start().trim_start_matches('#').trim()))),
                Kind::Bullet | Kind::Numbered => {
                    let tag = if kind == Kind::Bullet { "ul" } else { "ol" };
                    out.push_str(&format!("<{tag}>\n"));
                    for line in group {
                        let item = line.trim_start().split_once(' ').map_or("", |(_, rest)| rest);
                        out.push_str(&format!("<li>{}</li>\n", inline(item.trim())));
                    }
                    out.push_str(&format!("</{tag}>\n"));
                }
            }
            i = j;
        }
    }
    out
}

/// `code`, **strong** and *emphasis* in escaped text (which holds no `<`, so the tags
/// added are the only ones).
fn inline(escaped: &str) -> String {
    let parts: Vec<&str> = escaped.split('`').collect();
    if parts.len().is_multiple_of(2) {
        // An unmatched backtick: no code spans.
        return emphasis(escaped);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| if i % 2 == 1 { format!("<code>{part}</code>") } else { emphasis(part) })
        .collect()
}

fn emphasis(text: &str) -> String {
    let text = paired(text, "**", "strong");
    paired(&paired(&text, "__", "strong"), "*", "em")
}

/// Pairs of `mark` around text that neither starts nor ends with a space become `tag`.
fn paired(text: &str, mark: &str, tag: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find(mark) {
        let body_from = open + mark.len();
        let close = rest[body_from..].find(mark).map(|c| body_from + c);
        match close {
            Some(close)
                if close > body_from
                    && !rest[body_from..].starts_with(char::is_whitespace)
                    && !rest[..close].ends_with(char::is_whitespace) =>
            {
                out.push_str(&rest[..open]);
                out.push_str(&format!("<{tag}>{}</{tag}>", &rest[body_from..close]));
                rest = &rest[close + mark.len()..];
            }
            _ => {
                out.push_str(&rest[..body_from]);
                rest = &rest[body_from..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text safe anywhere in HTML, inside elements and attribute values alike.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn with_breaks(escaped: &str) -> String {
    escaped.trim().replace("\r\n", "\n").replace('\n', "<br />\n")
}

fn description(conversation: &Conversation) -> Option<&str> {
    conversation.description.as_deref().map(str::trim).filter(|d| !d.is_empty())
}

/// "Exported on 7 December 2026 · started 1 December 2026" (the start left out when it
/// was the same day).
fn dates(conversation: &Conversation, exported_at: DateTime<Utc>) -> String {
    let day = |at: DateTime<Utc>| at.format("%-d %B %Y").to_string();
    match conversation.created_at.filter(|c| day(*c) != day(exported_at)) {
        Some(created) => format!("Exported on {} · started {}", day(exported_at), day(created)),
        None => format!("Exported on {}", day(exported_at)),
    }
}

/// A question or name on one line, so a pasted paragraph does not break a heading.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most about `max` characters, cut after a word, with "…" when cut.
fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(at) if at > max / 2 => &cut[..at],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([' ', ',', ';', ':']))
}

/// Plain on screen, quiet in print: no background colours there, each answer kept on
/// one page where it fits, the sources after the last answer.
const STYLE: &str = r#"
:root { color-scheme: light; }
body { font: 16px/1.55 -apple-system, "Segoe UI", Cantarell, "Noto Sans", Roboto, Helvetica, Arial, sans-serif;
  color: #1d2430; background: #f6f7f9; margin: 0; padding: 2rem 1rem 3rem; }
header, main, footer { max-width: 46rem; margin: 0 auto; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: 0 0 .4rem; overflow-wrap: anywhere; }
.description { margin: 0 0 .4rem; }
.meta, .documents-label { color: #5a6472; margin: 0 0 .3rem; font-size: .92rem; }
.documents { margin: 0 0 1.5rem; padding-left: 1.2rem; color: #5a6472; font-size: .92rem; overflow-wrap: anywhere; }
.turn { background: #fff; border: 1px solid #dde1e7; border-radius: 10px; padding: 1rem 1.25rem; margin: 0 0 1.25rem; }
.question { font-size: 1.08rem; line-height: 1.4; margin: 0 0 .75rem; padding: 0 0 .6rem;
  border-bottom: 1px solid #dde1e7; overflow-wrap: anywhere; }
.question .number { color: #5a6472; font-weight: 600; }
.answer { overflow-wrap: anywhere; }
.answer p, .answer ul, .answer ol { margin: 0 0 .7rem; }
.answer h3 { font-size: 1rem; margin: .8rem 0 .4rem; }
.answer code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9em; }
.not-found { color: #8a4b00; font-style: italic; font-size: .9em; }
sup.ref { line-height: 0; }
sup.ref a { text-decoration: none; color: #2356c8; padding: 0 .1em; }
.footnotes { border-top: 1px solid #dde1e7; margin-top: 2rem; padding-top: .5rem; font-size: .92rem; }
.footnotes h2 { font-size: 1.1rem; }
.footnotes li { margin: 0 0 .45rem; overflow-wrap: anywhere; }
.footnotes .place { font-weight: 600; }
.footnotes .back { text-decoration: none; color: #2356c8; }
@media print {
  @page { margin: 2cm 1.8cm; }
  * { background: none !important; box-shadow: none !important; }
  body { color: #000; padding: 0; font-size: 11pt; }
  header, main, footer { max-width: none; }
  .turn { border: none; border-top: 1px solid #999; border-radius: 0; padding: .6rem 0 0; margin: 0 0 1rem;
    break-inside: avoid; page-break-inside: avoid; }
  .question { break-after: avoid; page-break-after: avoid; border-bottom: none; }
  sup.ref a, .footnotes .back { color: #000; }
  .footnotes .back { display: none; }
  .footnotes { break-before: auto; }
  .footnotes li { break-inside: avoid; page-break-inside: avoid; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::Answer;
    use crate::conversation::ConversationState;
    use crate::document::{Document, DocumentState};
    use chrono::TimeZone;

    fn conversation(name: &str, documents: &[&str]) -> Conversation {
        Conversation {
            id: "c1".into(),
            name: name.into(),
            description: Some("Ferry times".into()),
            state: ConversationState::Complete,
            documents: documents
                .iter()
                .enumerate()
                .map(|(i, d)| Document::from_state(i as i64 + 1, *d, DocumentState::Processed))
                .collect(),
            created_at: Some(Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap()),
            updated_at: None,
        }
    }

    fn exported_at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, 10, 30, 0).unwrap()
    }

    fn source(name: &str, page: Option<u32>, label: Option<&str>, passage: Option<&str>) -> Source {
        Source {
            document_id: Some(1),
            document_name: name.into(),
            page,
            page_label: label.map(String::from),
            passage: passage.map(String::from),
            boxes: vec![],
        }
    }

    fn turn(question: &str, answer: Answer) -> ChatTurn {
        ChatTurn { question: question.into(), answer, asked_at: None }
    }

    /// A quoted answer as folio-answer writes it (`quoted_answer` + `quoted_sentences`).
    fn quoted_turn() -> ChatTurn {
        let text = "Quoting your documents (no language model wrote this; these are their own words):\n\n\
                    “The first ferry leaves pier 3 at 7:40.” (Ferry.pdf, page 2)\n\n\
                    “Tickets are sold on board.” (Ferry.pdf, page 5)";
        let sources = vec![
            source("Ferry.pdf", Some(2), None, Some("The first ferry leaves pier 3 at 7:40.")),
            source("Ferry.pdf", Some(5), None, Some("Tickets are sold on board.")),
        ];
        let sentences = quoted_sentences(text, &sources);
        assert_eq!(sentences.len(), 2);
        turn(
            "When does the\nferry leave?",
            Answer { prompt_id: "1".into(), text: text.into(), sources, kind: AnswerKind::Quoted, sentences },
        )
    }

    /// A model's answer checked sentence by sentence: one found (with its `[1]`), one not.
    fn written_turn() -> ChatTurn {
        let text = "The ferry leaves at **7:40** [1]. It is always on time.";
        let first = "The ferry leaves at **7:40** [1].";
        let second = "It is always on time.";
        let at = text.find(second).unwrap();
        let passage = "Island ferry timetable. The first ferry leaves pier 3 at 7:40 every weekday.";
        turn(
            "Is it early?",
            Answer {
                prompt_id: "2".into(),
                text: text.into(),
                sources: vec![source("Ferry.pdf", Some(2), None, Some(passage))],
                kind: AnswerKind::Generated,
                sentences: vec![
                    AnswerSentence {
                        start: 0,
                        end: first.len() as u32,
                        text: first.into(),
                        source: Some(0),
                        support: Support::Supported,
                        evidence: Some("The first ferry leaves pier 3 at 7:40\nevery weekday.".into()),
                        boxes: vec![],
                    },
                    AnswerSentence {
                        start: at as u32,
                        end: text.len() as u32,
                        text: second.into(),
                        source: None,
                        support: Support::NotFound,
                        evidence: None,
                        boxes: vec![],
                    },
                ],
            },
        )
    }

    #[test]
    fn markdown_has_title_date_separated_turns_and_a_footnote_per_quote() {
        let md = conversation_markdown(
            &conversation("Island trip", &["Ferry.pdf"]),
            &[quoted_turn(), written_turn()],
            exported_at(),
        );
        assert_eq!(
            md,
            "# Island trip\n\nFerry times\n\nExported on 7 December 2026 · started 1 December 2026\n\n\
             Documents:\n\n- Ferry.pdf\n\n\
             ---\n\n## 1. When does the ferry leave?\n\n\
             Quoting your documents (no language model wrote this; these are their own words):\n\n\
             “The first ferry leaves pier 3 at 7:40.”[^1]\n\n“Tickets are sold on board.”[^2]\n\n\
             ---\n\n## 2. Is it early?\n\n\
             The ferry leaves at **7:40**.[^3] It is always on time. _(not found in your documents)_\n\n\
             ---\n\n\
             [^1]: “The first ferry leaves pier 3 at 7:40.” — Ferry.pdf, page 2\n\
             [^2]: “Tickets are sold on board.” — Ferry.pdf, page 5\n\
             [^3]: “The first ferry leaves pier 3 at 7:40 every weekday.” — Ferry.pdf, page 2\n"
        );
    }

    #[test]
    fn the_same_quote_cited_twice_is_one_footnote() {
        let md = conversation_markdown(&conversation("Trip", &[]), &[quoted_turn(), quoted_turn()], exported_at());
        assert_eq!(md.matches("[^1]:").count(), 1);
        assert_eq!(md.matches("[^1]").count(), 3, "cited in both answers, defined once");
        assert!(!md.contains("[^3]"));
    }

    #[test]
    fn a_quoted_answer_recorded_before_sentences_were_checked_still_gets_its_footnotes() {
        let mut old = quoted_turn();
        old.answer.sentences.clear();
        let md = conversation_markdown(&conversation("Trip", &["Ferry.pdf"]), &[old], exported_at());
        assert!(md.contains("“The first ferry leaves pier 3 at 7:40.”[^1]\n"), "{md}");
        assert!(!md.contains("(Ferry.pdf, page 2)"), "the footnote replaces the written place: {md}");
    }

    #[test]
    fn a_services_markers_become_footnotes_quoting_the_passage() {
        let long = format!("Books may be borrowed for three weeks. {}", "Renewals are possible online. ".repeat(20));
        let answer = Answer {
            prompt_id: "3".into(),
            text: "Three weeks [1], renewable twice [1, 2]. See [the rules] too.".into(),
            sources: vec![
                source("Library rules.txt", Some(1), Some("lines 1-2"), Some(&long)),
                source("Rules (old).pdf", None, None, None),
            ],
            kind: AnswerKind::Generated,
            sentences: vec![],
        };
        let md = conversation_markdown(&conversation("Library", &[]), &[turn("How long?", answer)], exported_at());
        assert!(md.contains("Three weeks[^1], renewable twice[^1][^2]. See [the rules] too."), "{md}");
        let note = md.lines().find(|l| l.starts_with("[^1]: ")).unwrap();
        assert!(note.starts_with("[^1]: “Books may be borrowed for three weeks. Renewals"), "{note}");
        assert!(note.ends_with("…” — Library rules.txt, lines 1-2"), "a long passage is cut: {note}");
        assert!(note.chars().count() < 360, "{note}");
        assert!(md.contains("[^2]: Rules (old).pdf\n"), "no passage and no page: the name alone: {md}");
    }

    #[test]
    fn an_answer_without_markers_ends_with_a_note_per_source_and_one_without_sources_has_none() {
        let cited = Answer {
            prompt_id: "4".into(),
            text: "Twelve euros an hour.\n".into(),
            sources: vec![source("Boat hire.txt", Some(1), None, Some("Rowing boats cost 12 euros an hour."))],
            kind: AnswerKind::Generated,
            sentences: vec![],
        };
        let bare = Answer { prompt_id: "5".into(), text: "At 7:40.".into(), sources: vec![], ..cited.clone() };
        let md = conversation_markdown(
            &conversation("Boats", &[]),
            &[turn("Cost?", cited), turn("When?", bare)],
            exported_at(),
        );
        assert!(md.contains("Twelve euros an hour.[^1]\n"), "{md}");
        assert!(md.contains("## 2. When?\n\nAt 7:40.\n"), "{md}");
        assert!(md.ends_with("[^1]: “Rowing boats cost 12 euros an hour.” — Boat hire.txt, page 1\n"), "{md}");
    }

    #[test]
    fn html_is_one_self_contained_page_with_footnotes_and_a_print_stylesheet() {
        let html = conversation_html(
            &conversation("Island trip", &["Ferry.pdf"]),
            &[quoted_turn(), written_turn()],
            exported_at(),
        );
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(html.contains("<h1>Island trip</h1>"));
        assert!(html.contains("Exported on 7 December 2026"));
        assert!(html.contains(
            "<h2 class=\"question\"><span class=\"number\">1.</span> When does the<br />\nferry leave?</h2>"
        ));
        assert!(html.contains(
            "“The first ferry leaves pier 3 at 7:40.”<sup class=\"ref\"><a href=\"#note-1\" id=\"ref-1-1\" aria-label=\"Source 1\">1</a></sup>"
        ));
        assert!(html.contains("The ferry leaves at <strong>7:40</strong>.<sup class=\"ref\">"), "{html}");
        assert!(html.contains("<span class=\"not-found\">(not found in your documents)</span>"));
        assert!(html.contains(
            "<li id=\"note-1\"><span class=\"quote\">“The first ferry leaves pier 3 at 7:40.”</span> — <span class=\"place\">Ferry.pdf, page 2</span>"
        ));
        // Print: no background colours, answers kept whole, sources after the last answer.
        let print = &html[html.find("@media print").expect("a print stylesheet")..];
        assert!(print.contains("background: none !important"));
        assert!(print.contains("break-inside: avoid"));
        assert!(html.find("<footer class=\"footnotes\">").unwrap() > html.rfind("</article>").unwrap());
        // Nothing runs and nothing is fetched.
        let lower = html.to_lowercase();
        for banned in ["<script", "src=", "href=\"http", "@import", "url(", "<link", "<iframe", "<img"] {
            assert!(!lower.contains(banned), "{banned} in the page");
        }
        well_formed(&html);
    }

    #[test]
    fn html_shows_script_in_names_questions_and_answers_as_inert_text() {
        let hostile = "<script>alert('x')</script>";
        let mut conversation = conversation(&format!("Trip {hostile}"), &["<script>evil()</script>.pdf"]);
        conversation.description = Some("<img src=x onerror=\"alert(1)\">".into());
        let answer = Answer {
            prompt_id: "6".into(),
            text: format!("The code is {hostile} [1]. **<b>bold</b>** `<i>`"),
            sources: vec![source("<script>evil()</script>.pdf", Some(3), None, Some("</li><script>x()</script>"))],
            kind: AnswerKind::Generated,
            sentences: vec![],
        };
        let html = conversation_html(&conversation, &[turn(&format!("What is {hostile}?"), answer)], exported_at());
        let lower = html.to_lowercase();
        assert!(!lower.contains("<script"), "{html}");
        assert!(!lower.contains("<img"), "{html}");
        assert!(!lower.contains("<b>") && !lower.contains("<i>"));
        assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assert!(html.contains("<li>&lt;script&gt;evil()&lt;/script&gt;.pdf</li>"));
        assert!(html.contains("<strong>&lt;b&gt;bold&lt;/b&gt;</strong> <code>&lt;i&gt;</code>"), "{html}");
        assert!(html.contains("“&lt;/li&gt;&lt;script&gt;x()&lt;/script&gt;”"));
        well_formed(&html);
        // Private-use characters in the text cannot forge a footnote mark.
        let forged = Answer {
            prompt_id: "7".into(),
            text: format!("Plain {REF}9{END} text {UNFOUND}"),
            sources: vec![],
            kind: AnswerKind::Generated,
            sentences: vec![],
        };
        let md = conversation_markdown(&conversation, &[turn("Q", forged)], exported_at());
        assert!(md.contains("Plain 9 text"), "{md}");
        assert!(!md.contains("[^9]") && !md.contains(NOT_FOUND_WORDS));
    }

    #[test]
    fn a_models_markdown_becomes_lists_headings_and_paragraphs() {
        let answer = Answer {
            prompt_id: "8".into(),
            text: "### Times\nFerries leave:\n- at *7:40*\n- at 9:10\n\n1. Buy a ticket\n2. Board\n\nA * B * C".into(),
            sources: vec![],
            kind: AnswerKind::Generated,
            sentences: vec![],
        };
        let html = conversation_html(&conversation("T", &[]), &[turn("Q", answer)], exported_at());
        assert!(
            html.contains(
                "<h3>Times</h3>\n<p>Ferries leave:</p>\n<ul>\n<li>at <em>7:40</em></li>\n<li>at 9:10</li>\n</ul>\n\
             <ol>\n<li>Buy a ticket</li>\n<li>Board</li>\n</ol>\n<p>A * B * C</p>\n"
            ),
            "{html}"
        );
        well_formed(&html);
    }

    #[test]
    fn the_chosen_file_name_picks_the_format() {
        assert_eq!(ExportFormat::for_path(Path::new("/tmp/Trip.html")), ExportFormat::Html);
        assert_eq!(ExportFormat::for_path(Path::new("/tmp/Trip.HTM")), ExportFormat::Html);
        assert_eq!(ExportFormat::for_path(Path::new("/tmp/Trip.md")), ExportFormat::Markdown);
        assert_eq!(ExportFormat::for_path(Path::new("/tmp/Trip")), ExportFormat::Markdown);
        let c = conversation("T", &[]);
        assert!(export_at(ExportFormat::Html, &c, &[], exported_at()).starts_with("<!DOCTYPE html>"));
        assert!(export_at(ExportFormat::Markdown, &c, &[], exported_at()).starts_with("# T\n"));
    }

    /// Every tag closed in order (void elements written `<x />`), every `&` an entity.
    fn well_formed(html: &str) {
        let body = &html[html.find("<html").unwrap()..];
        let mut open: Vec<String> = Vec::new();
        let mut rest = body;
        while let Some(at) = rest.find('<') {
            let end = rest[at..].find('>').expect("an unclosed tag") + at;
            let tag = &rest[at + 1..end];
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(open.pop().as_deref(), Some(name), "</{name}> closes the wrong element");
            } else if !tag.ends_with('/') {
                let name = tag.split_whitespace().next().unwrap().to_string();
                if name == "style" {
                    let close = rest.find("</style>").unwrap();
                    rest = &rest[close + "</style>".len()..];
                    continue;
                }
                open.push(name);
            }
            rest = &rest[end + 1..];
        }
        assert!(open.is_empty(), "left open: {open:?}");
        for (i, _) in html.match_indices('&') {
            let entity = &html[i..html[i..].find(';').map_or(html.len(), |e| i + e + 1)];
            assert!(["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].contains(&entity), "a bare & at {i}: {entity}");
        }
    }
}
