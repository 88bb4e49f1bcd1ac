//! Questions about something the documents never mention. Quoting "the nearest passage"
//! to "How do I send log records to Kafka?" would look like an answer and is not one; a
//! name the question gives (a capitalised word inside the sentence: a product, a person,
//! a tool) that no passage in scope holds, not even as the start of a longer word, says
//! the documents cannot answer. Ordinary words are never taken as that proof: a question
//! in other words than its documents ("shorten", "clashing") is the usual case. A full
//! date the question names and no passage holds, in any written form, is the same proof.

use crate::error::Result;
use folio_core::DocumentId;
use folio_engine::store::Scope;
use folio_engine::Engine;

/// Names the question gives that no passage of the conversation (or of `documents`)
/// holds, in the question's order. Empty when every name is found or none is given.
pub fn unmentioned_names(
    engine: &Engine,
    conversation_id: &str,
    documents: Option<&[DocumentId]>,
    question: &str,
) -> Result<Vec<String>> {
    let mut missing = Vec::new();
    for name in names(question) {
        if !mentioned(engine, conversation_id, documents, &format!("\"{}\"*", name.to_lowercase()))? {
            missing.push(name);
        }
    }
    // A day the question names that no passage holds in any written form: a table that
    // ends in 2015 has no row for 5 January 2016, whatever row is nearest.
    for date in crate::dates::find(question) {
        let phrases = date.phrases().iter().map(|p| format!("\"{p}\"")).collect::<Vec<_>>().join(" OR ");
        if !mentioned(engine, conversation_id, documents, &phrases)? {
            missing.push(date.to_string());
        }
    }
    Ok(missing)
}

/// The one sentence Folio answers with instead of quoting.
pub fn refusal(names: &[String]) -> String {
    let listed = match names {
        [one] => format!("“{one}”"),
        [init @ .., last] => {
            format!("{} or “{last}”", init.iter().map(|n| format!("“{n}”")).collect::<Vec<_>>().join(", "))
        }
        [] => String::new(),
    };
    format!("{} Not one of these documents mentions {listed}.", crate::extract::NOTHING_FOUND)
}

/// Capitalised, but not names: a table writes "2015/01/02" for "January 2, 2015" (dates
/// are checked whole, by `dates`).
#[rustfmt::skip]
const CALENDAR_WORDS: &[&str] = &[
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
];

/// Capitalised words of at least three letters that do not begin a sentence: what a
/// question names rather than asks with. Words with digits or inner capitals count
/// too ("PowerPoint", "MP3"); all-capital words are kept, since acronyms name things.
fn names(question: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut sentence_start = true;
    for raw in question.split_whitespace() {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
        // "R's", "GNU's": the name without its possessive.
        let word = word.strip_suffix("'s").or_else(|| word.strip_suffix("’s")).unwrap_or(word);
        let named = !sentence_start
            && !CALENDAR_WORDS.contains(&word.to_lowercase().as_str())
            && word.chars().count() >= 3
            && word.chars().next().is_some_and(char::is_uppercase)
            && word.chars().all(|c| c.is_alphanumeric());
        if named && !out.iter().any(|w| w == word) {
            out.push(word.to_string());
        }
        sentence_start = raw.ends_with(['.', '?', '!', ':']) || (sentence_start && word.is_empty());
    }
    out
}

/// Whether a passage in scope matches the FTS5 query: a name as a prefix (diacritics
/// folded as the index folds them: "Mac" is in "macFUSE"), or a date's phrases.
fn mentioned(engine: &Engine, conversation_id: &str, documents: Option<&[DocumentId]>, fts: &str) -> Result<bool> {
    Ok(engine.store().any_match(Scope { conversation_id, documents }, fts)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_capitalised_words_inside_a_sentence() {
        assert_eq!(names("How do I send log records to a Kafka topic with the logging module?"), ["Kafka"]);
        assert_eq!(names("How old was Leonard Cohen when he died?"), ["Leonard", "Cohen"]);
        assert_eq!(
            names("Which version of SpamAssassin first recognised the GTUBE string?"),
            ["SpamAssassin", "GTUBE"]
        );
        // Sentence-initial words ask; "R's" is too short to name anything safely.
        assert!(names("Which function starts R's graphics? What is it called?").is_empty());
        assert!(names("where is the file kept").is_empty());
        assert!(names("How much did it rain on Tuesday, 2 January 2015?").is_empty());
    }

    #[test]
    fn the_refusal_lists_every_missing_name() {
        let text = refusal(&["Leonard".into(), "Cohen".into()]);
        assert!(crate::extract::is_not_found(&text), "{text}");
        assert!(text.ends_with("mentions “Leonard” or “Cohen”."), "{text}");
    }
}
