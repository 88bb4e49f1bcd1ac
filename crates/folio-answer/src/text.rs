//! Words and sentences, the small amount of language knowledge retrieval and quoting
//! need: lower-cased words, a stop-word list (so "what is the" never drives a keyword
//! search), a light suffix stemmer and a sentence splitter that copes with PDF text
//! (hard line breaks inside sentences, bullet lists, headings without full stops).

/// Words too common to say anything about what a question is about.
#[rustfmt::skip]
const STOP: &[&str] = &[
    "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
    "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do",
    "does", "doing", "done", "down", "during", "each", "either", "else", "few", "for", "from", "further", "get",
    "gets", "give", "given", "gives", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his",
    "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "let", "lets", "may", "me", "might",
    "more", "most", "much", "must", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only",
    "or", "other", "our", "out", "over", "own", "please", "same", "shall", "she", "should", "so", "some",
    "such", "tell", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those",
    "through", "to", "too", "under", "until", "up", "us", "use", "used", "uses", "using", "very", "want", "was",
    "way", "we", "were", "what", "when", "where", "whether", "which", "while", "who", "whom", "whose", "why",
    "will", "with", "would", "you", "your", "yours", "thing", "things", "kind", "there's", "what's", "it's",
    "know", "make", "makes", "need", "needs", "someone", "something", "anything", "possible", "happen",
    "happens", "done",
];

/// Words no sentence or heading ends with: a line ending in one continues on the next.
const GOES_ON: &[&str] = &[
    "a", "an", "the", "of", "to", "in", "for", "and", "or", "with", "by", "from", "on", "at", "as", "that", "is",
    "are", "be", "which", "its", "their", "your",
];

pub fn is_stop(word: &str) -> bool {
    STOP.contains(&word)
}

/// Lower-cased alphanumeric words (underscores and inner hyphens split, as FTS5 does).
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| w.to_lowercase())
}

/// The words of a question that carry its meaning, in order, without repeats.
pub fn content_words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words(text) {
        if !is_stop(&w) && !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// A light stemmer: enough that "fonts"/"font", "plotting"/"plotted"/"plot" and
/// "require"/"requires"/"required" meet (a final "e" is dropped after the suffix).
pub fn stem(word: &str) -> String {
    let s = suffix_stem(word);
    match s.strip_suffix('e') {
        Some(base) if base.len() >= 3 => base.to_string(),
        _ => s,
    }
}

fn suffix_stem(word: &str) -> String {
    let w = word;
    for suffix in ["ations", "ation", "ings", "ing", "edly", "ies", "ied", "es", "ed", "ly", "s"] {
        if w.len() > suffix.len() + 2 && w.ends_with(suffix) {
            let base = &w[..w.len() - suffix.len()];
            return match suffix {
                "ies" | "ied" => format!("{base}y"),
                // "plotted" -> "plott" -> "plot"
                _ if base.len() > 3 && base.as_bytes()[base.len() - 1] == base.as_bytes()[base.len() - 2] => {
                    base[..base.len() - 1].to_string()
                }
                _ => base.to_string(),
            };
        }
    }
    w.to_string()
}

/// A sentence of a passage: its text (line breaks folded to spaces) and its byte range
/// in the passage, so a quote can be mapped back to lines and boxes.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Splits at sentence ends (". " followed by a capital, "?", "!"), at blank lines, and
/// at line breaks that start a list item or follow a line without punctuation that is
/// short (a heading). Runs longer than `max` characters are cut at "; " or a line break.
/// A table row ("date: 2012/01/04; precipitation: 20.3" or tab-separated cells): a record
/// of its own, never joined with the next row.
pub fn is_table_row(line: &str) -> bool {
    (line.matches(": ").count() >= 2 && line.contains("; ")) || line.contains('\t')
}

/// Whether a sentence stops where it should (a full stop, a colon, a closing quote), rather
/// than where a long run was cut or a line broke.
pub fn ends_complete(sentence: &str) -> bool {
    sentence.trim_end().ends_with(['.', '?', '!', ':', ';', '"', '”', ')', '’', '\''])
}

pub fn sentences(text: &str, max: usize) -> Vec<Sentence> {
    let bytes = text.as_bytes();
    let mut cuts = vec![0usize];
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let next_starts = |j: usize| -> bool {
            let rest = text[j..].trim_start();
            rest.chars()
                .next()
                .map(|ch| ch.is_uppercase() || ch.is_numeric() || "•-–*(\"“".contains(ch))
                .unwrap_or(false)
        };
        if (c == b'.' || c == b'?' || c == b'!')
            && i + 1 < bytes.len()
            && (bytes[i + 1] == b' ' || bytes[i + 1] == b'\n')
        {
            // "e.g. " and "i.e. " and single initials are not sentence ends.
            let before = text[..i].rsplit(|ch: char| !ch.is_alphanumeric() && ch != '.').next().unwrap_or("");
            // "e.g." and "i.e." are, "bugs.html." (a file name ending a sentence) is not.
            let abbreviation = before.len() <= 1
                || (before.contains('.') && before.len() <= 5)
                || ["etc", "vs", "cf", "Fig", "fig", "Eq", "Sec", "No"].contains(&before);
            if !abbreviation && next_starts(i + 1) {
                cuts.push(i + 1);
            }
        } else if c == b'\n' {
            let line_start = text[..i].rfind('\n').map(|p| p + 1).unwrap_or(0);
            let line = text[line_start..i].trim();
            let blank_next = text[i + 1..].starts_with('\n') || text[i + 1..].trim_start_matches(' ').starts_with('\n');
            let bullet_next = text[i + 1..].trim_start().starts_with(['•', '–', '*', '-']);
            // A short line that starts with a capital and is followed by one: a heading
            // or the last line of a paragraph, both the end of a sentence.
            // A line ending in a function word ("This is the GTUBE, the") is a hard-wrapped
            // sentence going on, as in plain-text e-mail, however short.
            let ends_mid_sentence =
                line.rsplit(' ').next().is_some_and(|w| GOES_ON.contains(&w.to_lowercase().as_str()));
            // ... and so is a short line inside a sentence begun on an earlier line
            // ("Generic Test for Unsolicited" / "Bulk Email"): a heading starts a sentence.
            let starts_sentence =
                cuts.last().is_some_and(|c| *c <= line_start && text[*c..line_start].trim().is_empty());
            let heading = line.len() < 50
                && line.chars().next().is_some_and(|ch| ch.is_uppercase() || ch.is_numeric())
                && !line.ends_with([',', ';', ':', '-'])
                && !ends_mid_sentence
                && starts_sentence
                && next_starts(i + 1);
            // A table row ("date: 2012/01/04; precipitation: 20.3" or tab-separated cells)
            // is a record of its own, never joined with the next row.
            if blank_next || bullet_next || heading || is_table_row(line) {
                cuts.push(i + 1);
            }
        }
        i += 1;
    }
    cuts.push(text.len());
    cuts.dedup();
    let mut out = Vec::new();
    for w in cuts.windows(2) {
        split_long(text, w[0], w[1], max, &mut out);
    }
    out
}

fn split_long(text: &str, start: usize, end: usize, max: usize, out: &mut Vec<Sentence>) {
    let piece = &text[start..end];
    if piece.chars().count() > max {
        let half = start + piece.len() / 2;
        let at = text[start..end]
            .match_indices("; ")
            .chain(text[start..end].match_indices('\n'))
            .map(|(p, s)| start + p + s.len())
            .filter(|p| *p > start + 20 && *p < end - 20)
            .min_by_key(|p| p.abs_diff(half));
        if let Some(at) = at {
            split_long(text, start, at, max, out);
            split_long(text, at, end, max, out);
            return;
        }
    }
    let trimmed_start = start + (piece.len() - piece.trim_start().len());
    let trimmed_end = start + piece.trim_end().len();
    if trimmed_end > trimmed_start {
        let folded = text[trimmed_start..trimmed_end].split_whitespace().collect::<Vec<_>>().join(" ");
        out.push(Sentence { text: folded, start: trimmed_start, end: trimmed_end });
    }
}

/// A line's shape with its numbers blanked: "Page 12 of 40" and "Page 13 of 40" meet,
/// so a running header or footer is recognised on every page it stands on.
pub fn line_shape(line: &str) -> String {
    let mut out = String::new();
    for w in line.split_whitespace() {
        let w: String = w.chars().map(|c| if c.is_ascii_digit() { '#' } else { c.to_ascii_lowercase() }).collect();
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w);
    }
    out
}

/// Blanks (same length, so byte ranges still map to lines and boxes) what is not the
/// document's prose: lines in `furniture` (running headers/footers and page numbers,
/// by shape: the caller finds them per document) and LaTeX markup commands (`\textbf{x}` keeps x; `\label{..}`,
/// `\cite{..}`, `\index{..}` and `\ref{..}` go whole).
pub fn blank_furniture(text: &str, furniture: &std::collections::HashSet<String>) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let shape = line_shape(line);
        if (!shape.is_empty() && furniture.contains(&shape)) || is_rule(line) || is_pgp_armor(line) {
            for c in line.chars() {
                // One space per byte: the blanked line keeps its length in bytes.
                out.extend(std::iter::repeat_n(' ', c.len_utf8()));
            }
        } else {
            out.push_str(&blank_markdown(&blank_latex(line)));
        }
    }
    out
}

/// A line drawn with one repeated mark: Markdown's heading underline ("-----", "====="),
/// a plain-text separator ("________"), a horizontal rule ("* * *"). Quoted, it reads as
/// noise glued to the sentence beside it.
fn is_rule(line: &str) -> bool {
    let marks: Vec<char> = line.chars().filter(|c| !c.is_whitespace()).collect();
    marks.len() >= 3 && marks.iter().all(|c| *c == marks[0]) && "-=_*~#+.".contains(marks[0])
}

/// The armour of a PGP-signed e-mail ("-----BEGIN PGP SIGNED MESSAGE-----", "Hash: SHA1"):
/// the signature's wrapping, never what the message says.
fn is_pgp_armor(line: &str) -> bool {
    let line = line.trim();
    ((line.starts_with("-----BEGIN PGP ") || line.starts_with("-----END PGP ")) && line.ends_with("-----"))
        || (line.starts_with("Hash: SHA") && line.split_whitespace().count() == 2)
}

/// Markdown inside prose, as a reader of the rendered page would see it:
/// `[security bug](https://…)` keeps "security bug", `*allow_other*` and `` `x` `` keep
/// their words. Same length in bytes, like `blank_latex`.
fn blank_markdown(line: &str) -> String {
    if !line.contains("](") && !line.contains('*') && !line.contains('`') {
        return line.to_string();
    }
    let b = line.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'[' {
            // [text](target): blank the brackets and the whole (target).
            if let Some(close) = line[i..].find("](").map(|p| i + p) {
                if let Some(end) = line[close..].find(')').map(|p| close + p) {
                    if !line[i + 1..close].contains(['[', ']']) {
                        out[i] = b' ';
                        out[close..=end].iter_mut().for_each(|o| *o = b' ');
                        i = end + 1;
                        continue;
                    }
                }
            }
        }
        i += 1;
    }
    // Emphasis and code marks in pairs around words ("*allow_other*", "`fuse`"); a lone
    // star ("*ptr" in C, a bullet) is text.
    let word = |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let edge = |c: Option<&u8>| c.is_none_or(|c| c.is_ascii_whitespace() || b"([\"'.,;:!?)".contains(c));
    let mut i = 0;
    while i < b.len() {
        let mark = b[i];
        if (mark == b'*' || mark == b'`')
            && out[i] == mark
            && edge(i.checked_sub(1).and_then(|p| b.get(p)))
            && word(b.get(i + 1))
        {
            let close =
                (i + 2..b.len().min(i + 80)).find(|&j| b[j] == mark && word(b.get(j - 1)) && edge(b.get(j + 1)));
            if let Some(j) = close {
                out[i] = b' ';
                out[j] = b' ';
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| line.to_string())
}

/// LaTeX markup inside prose: `\emph{word}` -> `      word ` (same length).
fn blank_latex(line: &str) -> String {
    if !line.contains('\\') {
        return line.to_string();
    }
    let b = line.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() && b[i + 1].is_ascii_alphabetic() {
            let mut j = i + 1;
            while j < b.len() && b[j].is_ascii_alphabetic() {
                j += 1;
            }
            let name = &line[i + 1..j];
            let drop_argument =
                ["label", "cite", "index", "ref", "pageref", "eqref", "footnote", "vspace", "hspace"].contains(&name);
            let markup = drop_argument
                || [
                    "emph",
                    "textbf",
                    "textit",
                    "texttt",
                    "textsf",
                    "textrm",
                    "text",
                    "mbox",
                    "code",
                    "url",
                    "href",
                    "item",
                    "noindent",
                    "par",
                    "newline",
                    "linebreak",
                ]
                .contains(&name);
            if !markup {
                i = j;
                continue;
            }
            for o in &mut out[i..j] {
                *o = b' ';
            }
            if j < b.len() && b[j] == b'{' {
                let close = line[j..].find('}').map(|p| j + p);
                match (close, drop_argument) {
                    (Some(c), true) => out[j..=c].iter_mut().for_each(|o| *o = b' '),
                    (Some(c), false) => {
                        out[j] = b' ';
                        out[c] = b' ';
                    }
                    _ => {}
                }
            }
            i = j;
        } else {
            i += 1;
        }
    }
    // Only ASCII bytes were replaced by ASCII spaces, so the bytes are still UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| line.to_string())
}

/// Joins words a line break hyphenated ("exam-\nple" -> "example") when the joined word
/// is one the documents use (`known`), and folds the other line breaks to spaces.
pub fn fold_lines(text: &str, known: &dyn Fn(&str) -> bool) -> String {
    let mut out = String::new();
    for line in text.split('\n').map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(stem) = out.strip_suffix('-') {
            let head: String =
                stem.chars().rev().take_while(|c| c.is_alphabetic()).collect::<Vec<_>>().into_iter().rev().collect();
            let tail: String = line.chars().take_while(|c| c.is_alphabetic()).collect();
            if !head.is_empty()
                && tail.chars().next().is_some_and(|c| c.is_lowercase())
                && known(&format!("{head}{tail}").to_lowercase())
            {
                out.pop();
                out.push_str(line);
                continue;
            }
        }
        // "two-\ncolumn" stays "two-column".
        if !out.is_empty() && !out.ends_with('-') {
            out.push(' ');
        }
        out.push_str(line);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_links_and_emphasis_read_as_their_words() {
        let line = "use the *allow_other* option: an [unresolved bug](https://example.org/15) in `fuse`";
        let blanked = blank_furniture(line, &Default::default());
        assert_eq!(blanked.len(), line.len());
        let words: Vec<&str> = blanked.split_whitespace().collect();
        assert_eq!(words.join(" "), "use the allow_other option: an unresolved bug in fuse");
    }

    #[test]
    fn rules_and_signature_armour_are_blanked_but_prose_is_not() {
        let text = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA1\n\nInstallation\n------------\nRun ninja.\n\
                    ________________\n* * *\nA -- dash stays.\n-----END PGP SIGNATURE-----";
        let blanked = blank_furniture(text, &Default::default());
        assert_eq!(blanked.len(), text.len(), "byte ranges still map to lines");
        let words: Vec<&str> = blanked.split_whitespace().collect();
        assert_eq!(words.join(" "), "Installation Run ninja. A -- dash stays.");
    }

    #[test]
    fn stop_words_leave_the_subject() {
        assert_eq!(
            content_words("What is the default font size of the title?"),
            vec!["default", "font", "size", "title"]
        );
    }

    #[test]
    fn stems_meet() {
        assert_eq!(stem("plotting"), stem("plot"));
        assert_eq!(stem("plotted"), "plot");
        assert_eq!(stem("fonts"), stem("font"));
        assert_eq!(stem("libraries"), "library");
        assert_eq!(stem("requires"), stem("require"));
        assert_eq!(stem("required"), stem("require"));
    }

    #[test]
    fn a_short_wrapped_line_ending_in_a_function_word_goes_on() {
        let text = "This is the GTUBE, the\nGeneric Test for Unsolicited\nBulk Email.\nShort Heading\nBody text.";
        let texts: Vec<String> = sentences(text, 400).into_iter().map(|s| s.text).collect();
        assert_eq!(
            texts,
            vec!["This is the GTUBE, the Generic Test for Unsolicited Bulk Email.", "Short Heading", "Body text."]
        );
    }

    #[test]
    fn pdf_lines_fold_into_sentences_with_exact_ranges() {
        let text = "The set terminal command\nchooses the output device. It takes options, e.g. the size.\n\nHeading Here\nNext part starts. ok";
        let s = sentences(text, 400);
        let texts: Vec<&str> = s.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "The set terminal command chooses the output device.",
                "It takes options, e.g. the size.",
                "Heading Here",
                "Next part starts. ok"
            ]
        );
        for x in &s {
            assert_eq!(text[x.start..x.end].split_whitespace().collect::<Vec<_>>().join(" "), x.text);
        }
    }

    #[test]
    fn page_furniture_and_latex_markup_are_blanked_in_place() {
        let furniture: std::collections::HashSet<String> =
            [line_shape("R Introduction  Page 12"), line_shape("12")].into_iter().collect();
        let text = "R Introduction  Page 14\nUse \\code{drop = FALSE} to keep it\\label{sec:x}.\n14\n2012 10.5";
        let clean = blank_furniture(text, &furniture);
        assert_eq!(clean.len(), text.len(), "byte ranges still map to lines");
        assert_eq!(clean.split_whitespace().collect::<Vec<_>>().join(" "), "Use drop = FALSE to keep it . 2012 10.5");
    }

    #[test]
    fn hyphenated_line_breaks_join_only_into_known_words() {
        let known = |w: &str| w == "example";
        assert_eq!(fold_lines("an exam-\nple of two-\ncolumn text", &known), "an example of two-column text");
    }

    #[test]
    fn long_runs_are_cut() {
        let text = "alpha beta gamma; ".repeat(40);
        assert!(sentences(&text, 200).iter().all(|s| s.text.chars().count() <= 200));
    }
}
