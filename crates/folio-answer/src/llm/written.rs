//! A written answer from a local model (built-in, Ollama, OpenAI-compatible) that Folio
//! can stand behind: the model answers from a few evidence sentences, its stream is cut
//! when it loops or runs on, and every sentence it wrote is checked against the evidence
//! (`verify`). Citations are attached by Folio, never taken from the model. An answer
//! that is empty, only markers, a loop, "the documents do not say" or not found in the
//! evidence is not shown: the caller quotes the documents instead, after `Rejected`'s one
//! sentence saying why.

use super::guard::{Cut, Guard};
use super::{citations, prompt, ChatMessage, Provider, TokenSink};
use crate::error::Result;
use crate::verify::{self, Evidence, Proof};
use folio_core::{AnswerSentence, Source, Support};
use std::sync::Mutex;

/// Characters a written answer may run to before it is cut (two long sentences).
pub const MAX_CHARS: usize = 600;
/// Evidence sentences given to the model (~40 tokens each).
pub const FACTS: usize = 5;

/// Why a model's answer is not shown; each says so in one plain sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejected {
    Empty,
    OnlyMarkers,
    Loop,
    NoAnswer,
    Unsupported,
}

impl Rejected {
    /// `who`: "The built-in model", "The language model".
    pub fn sentence(self, who: &str) -> String {
        match self {
            Rejected::Empty => format!("{who} wrote no answer, so here is what your documents say."),
            Rejected::OnlyMarkers => {
                format!("{who} answered with citation marks and no words, so here is what your documents say.")
            }
            Rejected::Loop => {
                format!("{who}'s answer went round in circles and was stopped, so here is what your documents say.")
            }
            Rejected::NoAnswer => {
                format!("{who} found no answer in the passages it was given, so here is what your documents say.")
            }
            Rejected::Unsupported => {
                format!("{who}'s answer could not be checked against your documents, so here is what they say.")
            }
        }
    }
}

/// A checked answer: the text with Folio's own [n] after each supported sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub text: String,
    pub sources: Vec<Source>,
    pub sentences: Vec<AnswerSentence>,
}

pub fn messages(question: &str, evidence: &[Evidence], previous: Option<&prompt::PreviousTurn>) -> Vec<ChatMessage> {
    let facts: Vec<&str> = evidence.iter().map(|e| e.text.as_str()).collect();
    prompt::written_messages(question, &facts, previous)
}

/// Streams the model's answer to `sink` and cuts it as soon as it loops or passes
/// `max_chars` (dropping the provider's future stops the built-in model's thread and
/// closes a server's stream). Returns what was written and why it was cut, if it was.
pub async fn guarded_chat(
    provider: &dyn Provider,
    messages: &[ChatMessage],
    sink: TokenSink<'_>,
    max_chars: usize,
) -> Result<(String, Option<Cut>)> {
    let guard = Mutex::new(Guard::new(max_chars));
    let stop = tokio::sync::Notify::new();
    let watch = |piece: &str| {
        let cut = guard.lock().unwrap_or_else(|p| p.into_inner()).push(piece);
        match cut {
            // The piece that made it a loop is not passed on.
            Some(_) => stop.notify_one(),
            None => sink(piece),
        }
    };
    let finished = tokio::select! {
        r = provider.chat(messages, &watch) => Some(r?),
        _ = stop.notified() => None,
    };
    let guard = guard.into_inner().unwrap_or_else(|p| p.into_inner());
    match (finished, guard.cut()) {
        (Some(text), None) => Ok((text, None)),
        (_, cut) => Ok((guard.text().to_string(), cut)),
    }
}

/// What of a cut or finished answer is worth checking: markers removed (Folio places its
/// own), a run-on answer trimmed to its finished sentences. Err says why nothing is.
pub fn clean(raw: &str, cut: Option<Cut>) -> std::result::Result<String, Rejected> {
    if cut == Some(Cut::Loop) {
        return Err(Rejected::Loop);
    }
    if raw.trim().is_empty() {
        return Err(Rejected::Empty);
    }
    let mut text = citations::strip_markers(raw).trim().to_string();
    if cut == Some(Cut::TooLong) {
        let finished =
            verify::claims(&text).into_iter().filter(|c| c.plain.ends_with(['.', '!', '?'])).map(|c| c.end).max();
        match finished {
            Some(end) => text.truncate(end),
            None => return Err(Rejected::Loop),
        }
    }
    if !verify::claims(&text).iter().any(|c| c.has_words()) {
        return Err(Rejected::OnlyMarkers);
    }
    Ok(text)
}

/// Folio's [n] after each supported sentence (n = its source's place + 1), the sentence
/// ranges moved to match.
pub fn with_markers(text: &str, proof: Proof) -> (String, Vec<AnswerSentence>) {
    let mut out = String::with_capacity(text.len() + 8 * proof.sentences.len());
    let mut from = 0usize;
    let mut sentences = Vec::with_capacity(proof.sentences.len());
    for mut s in proof.sentences {
        let (start, end) = (s.start as usize, s.end as usize);
        out.push_str(&text[from..start]);
        s.start = out.len() as u32;
        out.push_str(&text[start..end]);
        s.end = out.len() as u32;
        if let (Support::Supported, Some(i)) = (s.support, s.source) {
            out.push_str(&format!(" [{}]", i + 1));
        }
        from = end;
        sentences.push(s);
    }
    out.push_str(&text[from..]);
    (out, sentences)
}

/// Checks a cleaned answer: Ok with sources and marks when it holds, else why not.
pub fn accept(text: &str, proof: Proof, sources: Vec<Source>) -> std::result::Result<Written, Rejected> {
    if proof.no_answer {
        return Err(Rejected::NoAnswer);
    }
    if !proof.holds() {
        return Err(Rejected::Unsupported);
    }
    let (text, sentences) = with_markers(text, proof);
    Ok(Written { text, sources, sentences })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_loops_and_run_ons_are_cleaned_or_refused() {
        assert_eq!(clean("[1]", None), Err(Rejected::OnlyMarkers));
        assert_eq!(clean("  ", None), Err(Rejected::Empty));
        assert_eq!(clean("It is 10 [1][1][1]", Some(Cut::Loop)), Err(Rejected::Loop));
        assert_eq!(clean("The size is 14 points [2].", None).unwrap(), "The size is 14 points.");
        assert_eq!(
            clean("The size is 14 points. It can be set with the font option and also", Some(Cut::TooLong)).unwrap(),
            "The size is 14 points."
        );
        assert_eq!(clean("and then it goes on and on", Some(Cut::TooLong)), Err(Rejected::Loop));
    }
}
