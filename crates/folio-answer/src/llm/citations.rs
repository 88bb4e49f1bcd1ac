//! Mapping the model's citations back to pages. A marker [n] (also [n, m] and [n-m])
//! that names a passage that was given becomes a source with that passage's document,
//! page and boxes; a marker naming anything else (a hallucinated [7] of 5 passages, [0])
//! is removed from the text and never shown as a source.

use folio_core::Source;
use folio_engine::SearchHit;

/// The answer with invalid markers removed and sources renumbered in order of first
/// citation; the markers in the text are rewritten to match the sources' order.
pub fn map(answer: &str, passages: &[SearchHit]) -> (String, Vec<Source>) {
    let mut cited: Vec<usize> = Vec::new(); // passage indices, in order of first citation
    let mut out = String::with_capacity(answer.len());
    let mut rest = answer;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(']').map(|close| (close, parse_numbers(&after[..close]))) {
            Some((close, Some(numbers))) => {
                let valid: Vec<usize> = numbers.into_iter().filter(|n| *n >= 1 && *n <= passages.len()).collect();
                for n in &valid {
                    if !cited.contains(&(n - 1)) {
                        cited.push(n - 1);
                    }
                }
                let renumbered: Vec<String> = valid
                    .iter()
                    .map(|n| format!("[{}]", cited.iter().position(|c| *c == n - 1).unwrap_or(0) + 1))
                    .collect();
                if renumbered.is_empty() {
                    // Drop the marker and the space before it.
                    while out.ends_with(' ') {
                        out.pop();
                    }
                } else {
                    out.push_str(&renumbered.join(""));
                }
                rest = &after[close + 1..];
            }
            // Not a citation ("[see below]", an array in code): keep it as written.
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let sources = cited
        .iter()
        .map(|i| {
            let p = &passages[*i];
            Source {
                document_id: Some(p.document_id),
                document_name: p.document_name.clone(),
                page: Some(p.page),
                page_label: p.page_label.clone(),
                passage: Some(p.text.clone()),
                boxes: p.boxes.clone(),
            }
        })
        .collect();
    (out, sources)
}

/// "3", "1, 2", "2-4", "1][2" is handled by the caller one bracket at a time.
fn parse_numbers(inner: &str) -> Option<Vec<usize>> {
    let mut numbers = Vec::new();
    for part in inner.split([',', ';']) {
        let part = part.trim();
        let part = part.strip_prefix("passage").or_else(|| part.strip_prefix("Passage")).unwrap_or(part).trim();
        if let Some((a, b)) = part.split_once(['-', '–']) {
            let (a, b): (usize, usize) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
            if b < a || b - a > 20 {
                return None;
            }
            numbers.extend(a..=b);
        } else {
            numbers.push(part.parse().ok()?);
        }
    }
    (!numbers.is_empty()).then_some(numbers)
}

/// The answer without any citation markers (for the previous turn in a prompt).
pub fn strip_markers(answer: &str) -> String {
    map(answer, &[]).0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passage(id: i64, page: u32) -> SearchHit {
        SearchHit {
            passage_id: id,
            document_id: 7,
            document_name: "m.pdf".into(),
            page,
            page_label: None,
            char_start: 0,
            char_end: 1,
            text: format!("passage {id}"),
            boxes: vec![],
            score: 0.0,
        }
    }

    #[test]
    fn citations_outside_the_given_passages_are_dropped() {
        let ps = vec![passage(1, 3), passage(2, 8)];
        let (text, sources) = map("It is 14 points [2]. Colours vary [7]. Both [1, 2, 9]. See [0].", &ps);
        assert_eq!(text, "It is 14 points [1]. Colours vary. Both [2][1]. See.");
        assert_eq!(sources.len(), 2);
        assert_eq!(sources[0].page, Some(8));
        assert_eq!(sources[1].page, Some(3));
    }

    #[test]
    fn brackets_that_are_not_citations_stay() {
        let (text, sources) = map("Use plot [0:10] sin(x) [1-2].", &[passage(1, 1), passage(2, 2)]);
        assert_eq!(text, "Use plot [0:10] sin(x) [1][2].");
        assert_eq!(sources.len(), 2);
    }
}
