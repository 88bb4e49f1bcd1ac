//! The prompts. `messages`: the retrieved passages numbered [1]..[n] with their document
//! and page, the previous turn when the question follows up on it, and the question; the
//! model cites by number (Airia and Pieces, whose models are large). `written_messages`:
//! a few evidence sentences and the question, for the local models Folio checks itself:
//! no markers asked for (small models answer "[1]" and nothing else), one or two plain
//! sentences, a prompt of a few hundred tokens.

use super::ChatMessage;
use folio_engine::SearchHit;

pub const SYSTEM: &str = "You answer questions about the user's documents using only the numbered passages \
given. After each sentence, cite the passages it comes from by number in square brackets, like [2] or [1][3]. \
Cite only numbers that appear in the list. If the passages do not contain the answer, say that the documents \
do not say. Answer concisely, in the language of the question.";

/// The previous exchange, when the question follows up on it.
#[derive(Debug, Clone)]
pub struct PreviousTurn {
    pub question: String,
    pub answer: String,
}

pub fn messages(question: &str, passages: &[SearchHit], previous: Option<&PreviousTurn>) -> Vec<ChatMessage> {
    let mut context = String::from("Passages:\n");
    for (i, p) in passages.iter().enumerate() {
        let place = p.page_label.clone().unwrap_or_else(|| format!("page {}", p.page));
        context.push_str(&format!("\n[{}] ({}, {place})\n{}\n", i + 1, p.document_name, p.text.trim()));
    }
    let mut out = vec![ChatMessage { role: "system", content: SYSTEM.to_string() }];
    if let Some(prev) = previous {
        out.push(ChatMessage { role: "user", content: prev.question.clone() });
        // Only the gist of the last answer: its citations pointed at other passages.
        let gist: String = super::citations::strip_markers(&prev.answer).chars().take(600).collect();
        out.push(ChatMessage { role: "assistant", content: gist });
    }
    out.push(ChatMessage { role: "user", content: format!("{context}\nQuestion: {question}") });
    out
}

pub const WRITTEN_SYSTEM: &str = "You answer questions using only the facts you are given. Reply with one or two \
short sentences in plain words, taken from the facts. Do not write brackets or fact numbers. If the facts do not \
answer the question, reply: The documents do not say.";

/// The prompt for a written answer checked by Folio: the facts as a list, the question
/// (with the previous one when it follows up, so "its" has a subject).
pub fn written_messages(question: &str, facts: &[&str], previous: Option<&PreviousTurn>) -> Vec<ChatMessage> {
    let mut user = String::from("Facts:\n");
    for f in facts {
        user.push_str(&format!("- {}\n", f.trim()));
    }
    if let Some(prev) = previous {
        user.push_str(&format!("\nEarlier question: {}\n", prev.question.trim()));
    }
    user.push_str(&format!("\nQuestion: {question}\nAnswer in one or two sentences, using only the facts."));
    vec![
        ChatMessage { role: "system", content: WRITTEN_SYSTEM.to_string() },
        ChatMessage { role: "user", content: user },
    ]
}
