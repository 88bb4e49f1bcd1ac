//! Matching each sentence of an answer (a claim) to the evidence sentence that says the
//! same. A claim is supported when most of its content words (stemmed) are in one
//! evidence sentence, or in two neighbouring ones of the same passage, or when fewer are
//! but MiniLM finds the meanings close; and always only when every number it states is in
//! that evidence too (a small model's typical error is the right words with a wrong "10"),
//! and the evidence holds at least half the question's words the claim repeats: a small
//! model also glues the question's words onto a document sentence about something else
//! ("The actual rotating for lscape.dtx that I'd like to share with the world."), which
//! word overlap alone accepts.

use super::evidence::Evidence;
use crate::retrieve::Retriever;
use crate::text;
use std::collections::HashSet;

/// Words that say where an answer comes from, not what it claims.
const META: &[&str] = &[
    "document",
    "documents",
    "passage",
    "passages",
    "according",
    "say",
    "says",
    "said",
    "state",
    "states",
    "stated",
    "mention",
    "mentions",
    "text",
    "fact",
    "facts",
    "answer",
];

const WORDS_ALONE: f64 = 0.6;
const WORDS_WITH_MEANING: f64 = 0.3;
const MEANING: f32 = 0.6;

/// One sentence of an answer: its byte range in the answer and its words without markers.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub start: usize,
    pub end: usize,
    /// The sentence as shown (the range's text, trimmed).
    pub shown: String,
    /// The sentence without citation markers and list bullets, for matching.
    pub plain: String,
}

impl Claim {
    /// True when the sentence holds at least one word (not only "[1]" or "1.").
    pub fn has_words(&self) -> bool {
        text::words(&self.plain).any(|w| w.chars().any(char::is_alphabetic))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Alignment {
    /// Index into the evidence of the best match (None when nothing matched at all).
    pub evidence: Option<usize>,
    pub supported: bool,
    pub overlap: f64,
    pub meaning: Option<f32>,
}

/// The sentences of an answer. Cuts after . ? ! (and any citation markers or closing
/// quotes after them) when the next sentence starts, at blank lines and before list
/// items; "e.g." and initials are not ends.
pub fn claims(answer: &str) -> Vec<Claim> {
    let b = answer.as_bytes();
    let mut cuts = vec![0usize];
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'.' || c == b'?' || c == b'!' {
            let before = answer[..i].rsplit(|ch: char| !ch.is_alphanumeric() && ch != '.').next().unwrap_or("");
            let abbreviation = (before.len() == 1 && before.chars().all(char::is_alphabetic))
                || (before.contains('.') && before.len() <= 4)
                || ["etc", "vs", "cf", "Fig", "fig", "No"].contains(&before);
            // A decimal point ("1.5") is not an end either.
            let decimal = i > 0 && b[i - 1].is_ascii_digit() && i + 1 < b.len() && b[i + 1].is_ascii_digit();
            if !abbreviation && !decimal {
                let mut j = i + 1;
                loop {
                    while j < b.len() && b[j] == b' ' {
                        j += 1;
                    }
                    if j < b.len() && b[j] == b'[' {
                        match answer[j..].find(']') {
                            Some(close)
                                if answer[j + 1..j + close]
                                    .chars()
                                    .all(|ch| ch.is_ascii_digit() || ", -".contains(ch)) =>
                            {
                                j += close + 1;
                                continue;
                            }
                            _ => {}
                        }
                    }
                    break;
                }
                while j < b.len() && matches!(b[j], b')' | b'"' | b'\'') {
                    j += 1;
                }
                let rest = answer[j..].trim_start();
                if j >= b.len()
                    || rest.is_empty()
                    || rest.starts_with(|ch: char| ch.is_uppercase() || ch.is_numeric() || "\"“(*-•\n".contains(ch))
                    || answer[j..].starts_with('\n')
                {
                    cuts.push(j);
                    i = j;
                    continue;
                }
            }
        } else if c == b'\n' {
            let rest = &answer[i + 1..];
            let trimmed = rest.trim_start_matches([' ', '\t']);
            let list_item = trimmed.starts_with(['-', '*', '•'])
                || trimmed
                    .split_once(". ")
                    .is_some_and(|(n, _)| !n.is_empty() && n.len() <= 3 && n.chars().all(|ch| ch.is_ascii_digit()));
            if rest.starts_with('\n') || list_item {
                cuts.push(i + 1);
            }
        }
        i += 1;
    }
    cuts.push(answer.len());
    cuts.dedup();
    cuts.windows(2)
        .filter_map(|w| {
            let piece = &answer[w[0]..w[1]];
            let start = w[0] + (piece.len() - piece.trim_start().len());
            let end = w[0] + piece.trim_end().len();
            (end > start).then(|| {
                let shown = answer[start..end].to_string();
                Claim { start, end, plain: plain(&shown), shown }
            })
        })
        .collect()
}

/// A sentence without [n] markers, list bullets or numbering, on one line.
fn plain(sentence: &str) -> String {
    let unmarked = crate::llm::citations::strip_markers(sentence);
    let s = unmarked.trim_start().trim_start_matches(['-', '*', '•', ' ']);
    let s = match s.split_once(". ") {
        Some((n, rest)) if !n.is_empty() && n.len() <= 3 && n.chars().all(|c| c.is_ascii_digit()) => rest,
        _ => s,
    };
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// True for a sentence that says the documents hold no answer ("The documents do not say.").
pub fn says_no_answer(claim: &str) -> bool {
    let l = claim.to_lowercase();
    [
        "do not say",
        "don't say",
        "does not say",
        "doesn't say",
        "not mentioned",
        "no information",
        "do not mention",
        "does not mention",
        "not specified",
        "cannot answer",
        "can't answer",
        "do not contain",
        "does not contain",
    ]
    .iter()
    .any(|p| l.contains(p))
}

fn stems(sentence: &str) -> HashSet<String> {
    text::words(sentence).filter(|w| !text::is_stop(w) && !META.contains(&w.as_str())).map(|w| text::stem(&w)).collect()
}

/// Words that hold a digit ("10", "2.5cm", "v2"): a claim's numbers must be in its evidence.
fn numbers(sentence: &str) -> HashSet<String> {
    sentence
        .split(|c: char| !(c.is_alphanumeric() || c == '.' || c == ','))
        .map(|w| w.trim_matches(['.', ',']).replace(',', ""))
        .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
        .collect()
}

/// Aligns every claim of an answer to `question` to the evidence. `retriever` adds MiniLM
/// meaning when its embedder is set up; without it, words alone decide.
pub fn align(question: &str, claims: &[Claim], evidence: &[Evidence], retriever: Option<&Retriever>) -> Vec<Alignment> {
    let asked = stems(question);
    let ev_stems: Vec<HashSet<String>> = evidence.iter().map(|e| stems(&e.text)).collect();
    let ev_numbers: Vec<HashSet<String>> = evidence.iter().map(|e| numbers(&e.text)).collect();
    let meaning: Option<Vec<Vec<f32>>> =
        retriever.filter(|_| !claims.is_empty() && !evidence.is_empty()).and_then(|r| {
            let texts: Vec<&str> =
                claims.iter().map(|c| c.plain.as_str()).chain(evidence.iter().map(|e| e.text.as_str())).collect();
            let vs = r.embed(&texts)?;
            let (cs, es) = vs.split_at(claims.len());
            Some(cs.iter().map(|c| es.iter().map(|e| folio_engine::embed::cosine(c, e)).collect()).collect())
        });
    claims
        .iter()
        .enumerate()
        .map(|(ci, claim)| {
            let want = stems(&claim.plain);
            let repeated: Vec<&String> = want.iter().filter(|w| asked.contains(*w)).collect();
            let want_numbers = numbers(&claim.plain);
            // One content word ("The answer is: 1.") claims too little to be checked.
            if want.len() < 2 || says_no_answer(&claim.plain) {
                return Alignment { evidence: None, supported: false, overlap: 0.0, meaning: None };
            }
            let mut best: Option<Alignment> = None;
            let mut best_score = f64::MIN;
            for k in 0..evidence.len() {
                // The sentence alone, and with its neighbour of the same passage (a
                // heading and its fact, a fact split over two sentences).
                let mut spans = vec![vec![k]];
                if k + 1 < evidence.len() && evidence[k + 1].hit == evidence[k].hit {
                    spans.push(vec![k, k + 1]);
                }
                for span in spans {
                    let have: HashSet<&String> = span.iter().flat_map(|j| ev_stems[*j].iter()).collect();
                    let have_numbers: HashSet<&String> = span.iter().flat_map(|j| ev_numbers[*j].iter()).collect();
                    let overlap = want.iter().filter(|w| have.contains(w)).count() as f64 / want.len() as f64;
                    let numbers_agree = want_numbers.iter().all(|n| have_numbers.contains(n));
                    let repeated_found = repeated.iter().filter(|w| have.contains(**w)).count();
                    let on_topic = repeated.len() < 2 || repeated_found * 2 >= repeated.len();
                    let close = meaning.as_ref().map(|m| span.iter().map(|j| m[ci][*j]).fold(f32::MIN, f32::max));
                    let supported = numbers_agree
                        && on_topic
                        && (overlap >= WORDS_ALONE
                            || (overlap >= WORDS_WITH_MEANING && close.is_some_and(|c| c >= MEANING)));
                    let score = overlap + close.unwrap_or(0.0) as f64 + if supported { 10.0 } else { 0.0 }
                        - 0.01 * (span.len() - 1) as f64;
                    if score > best_score {
                        best_score = score;
                        // The first sentence of a pair is the one shown as evidence when it
                        // holds more of the claim; else the second.
                        let lead = if span.len() == 2
                            && ev_stems[span[1]].iter().filter(|w| want.contains(*w)).count()
                                > ev_stems[span[0]].iter().filter(|w| want.contains(*w)).count()
                        {
                            span[1]
                        } else {
                            span[0]
                        };
                        best = Some(Alignment { evidence: Some(lead), supported, overlap, meaning: close });
                    }
                }
            }
            best.unwrap_or(Alignment { evidence: None, supported: false, overlap: 0.0, meaning: None })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(hit: usize, text: &str) -> Evidence {
        Evidence { hit, text: text.into(), start: 0, end: text.len() }
    }

    #[test]
    fn sentences_split_after_markers_and_keep_exact_ranges() {
        let answer = "The default size is 14 points [1]. It can be changed, e.g. with the font option.[2] Done";
        let cs = claims(answer);
        let shown: Vec<&str> = cs.iter().map(|c| c.shown.as_str()).collect();
        assert_eq!(
            shown,
            vec!["The default size is 14 points [1].", "It can be changed, e.g. with the font option.[2]", "Done"]
        );
        assert_eq!(cs[0].plain, "The default size is 14 points.");
        for c in &cs {
            assert_eq!(&answer[c.start..c.end], c.shown);
        }
        assert!(!claims("[1]")[0].has_words());
        assert_eq!(claims("Version 1.5 works. Yes.").len(), 2);
    }

    #[test]
    fn words_and_numbers_decide_support() {
        let evidence = vec![ev(0, "The title is centred."), ev(1, "The default font size of the title is 14 points.")];
        let cs = claims("The title font is 14 points by default. The title font is 10 points. Colours are random.");
        let a = align("How big is the title font?", &cs, &evidence, None);
        assert!(a[0].supported, "{a:?}");
        assert_eq!(a[0].evidence, Some(1));
        assert!(!a[1].supported, "a wrong number is not supported: {a:?}");
        assert!(!a[2].supported, "{a:?}");
        let none = align("How big is the title font?", &claims("The documents do not say."), &evidence, None);
        assert!(!none[0].supported);
    }

    #[test]
    fn a_heading_and_its_fact_support_together() {
        let evidence = vec![ev(0, "Landscape pages."), ev(0, "They are rotated by 90 degrees.")];
        let a = align(
            "How far are landscape pages rotated?",
            &claims("Landscape pages are rotated by 90 degrees."),
            &evidence,
            None,
        );
        assert!(a[0].supported, "{a:?}");
        assert_eq!(a[0].evidence, Some(1));
    }

    #[test]
    fn a_bare_number_is_too_little_to_check() {
        let evidence = vec![ev(0, "One TeX point is 1/72.27 inch, so 1 inch is 72.27 points.")];
        let a = align("How many inches is one TeX point?", &claims("The answer is: 1. [1]"), &evidence, None);
        assert!(!a[0].supported, "{a:?}");
    }

    #[test]
    fn question_words_glued_to_an_unrelated_sentence_are_not_supported() {
        // SmolLM2-135M's answer, word for word: the question's words plus the tail of a
        // document sentence about something else.
        let evidence = vec![
            ev(0, "I’ve made a minor improvement to lscape.dtx that I’d like to share with the world."),
            ev(1, "The actual rotating is done by the graphics package."),
        ];
        let question = "What does the actual rotating for lscape?";
        let echo = claims("The actual rotating for lscape.dtx that I’d like to share with the world. [1]");
        assert!(!align(question, &echo, &evidence, None)[0].supported);
        let answer = claims("The graphics package does the actual rotating.");
        let a = align(question, &answer, &evidence, None);
        assert!(a[0].supported, "{a:?}");
        assert_eq!(a[0].evidence, Some(1));
    }
}
