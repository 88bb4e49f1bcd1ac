//! The conversation as one self-contained web page: inline CSS, no scripts, every piece of
//! text escaped, footnotes linked both ways, a quiet print stylesheet.

use super::*;

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

/// `refs[n - 1]` counts the references to note n so far, so each gets its own anchor.
pub(super) fn html_marks(html: &str, refs: &mut [usize]) -> String {
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
pub(super) fn blocks(escaped: &str, formatted: bool) -> String {
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
pub(super) fn inline(escaped: &str) -> String {
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

pub(super) fn emphasis(text: &str) -> String {
    let text = paired(text, "**", "strong");
    paired(&paired(&text, "__", "strong"), "*", "em")
}

/// Pairs of `mark` around text that neither starts nor ends with a space become `tag`.
pub(super) fn paired(text: &str, mark: &str, tag: &str) -> String {
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

pub(super) fn with_breaks(escaped: &str) -> String {
    escaped.trim().replace("\r\n", "\n").replace('\n', "<br />\n")
}

/// Plain on screen, quiet in print: no background colours there, each answer kept on
/// one page where it fits, the sources after the last answer.
pub(super) const STYLE: &str = r#"
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
