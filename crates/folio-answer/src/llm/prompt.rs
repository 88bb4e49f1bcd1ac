//! The prompt: the retrieved passages numbered [1]..[n] with their document and page,
//! the previous turn when the question follows up on it, and the question. The model is
//! told to answer only from the passages and to cite them by number.

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
