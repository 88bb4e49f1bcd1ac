//! Chat history in the engine's `messages` table (so it survives restarts and goes when
//! the conversation is deleted), and the one judgement made from it: whether a question
//! follows up on the previous one ("and its default?"), so retrieval and the model can
//! use the previous turn.

use crate::error::Result;
use crate::llm::prompt::PreviousTurn;
use crate::text;
use folio_core::{Answer, AnswerKind, AnswerSentence, ChatTurn, Source};
use folio_engine::Engine;

/// Records a question and its answer; the answer's message id is its prompt id.
pub fn record(
    engine: &Engine,
    conversation_id: &str,
    question: &str,
    answer: &str,
    sources: &[Source],
    kind: AnswerKind,
    sentences: &[AnswerSentence],
) -> Result<i64> {
    let store = engine.store();
    store.add_message(conversation_id, "user", question, None)?;
    let meta = serde_json::json!({"kind": kind, "sources": sources, "sentences": sentences});
    Ok(store.add_message(conversation_id, "assistant", answer, Some(&meta))?)
}

/// Every question of the conversation with the answer recorded for it, oldest first.
pub fn turns(engine: &Engine, conversation_id: &str) -> Result<Vec<ChatTurn>> {
    let mut turns = Vec::new();
    let mut question: Option<(String, Option<chrono::DateTime<chrono::Utc>>)> = None;
    for m in engine.store().messages(conversation_id)? {
        match m.role.as_str() {
            "user" => question = Some((m.content, m.created_at)),
            "assistant" => {
                let Some((q, asked_at)) = question.take() else { continue };
                let meta = m.sources.unwrap_or_default();
                let kind = serde_json::from_value(meta["kind"].clone()).unwrap_or_default();
                let sources = serde_json::from_value(meta["sources"].clone()).unwrap_or_default();
                let sentences = serde_json::from_value(meta["sentences"].clone()).unwrap_or_default();
                let answer = Answer { prompt_id: m.id.to_string(), text: m.content, sources, kind, sentences };
                turns.push(ChatTurn { question: q, answer, asked_at });
            }
            _ => {}
        }
    }
    Ok(turns)
}

/// The last question and answer of the conversation, if any.
pub fn previous_turn(engine: &Engine, conversation_id: &str) -> Result<Option<PreviousTurn>> {
    let messages = engine.store().messages(conversation_id)?;
    let mut answer = None;
    for m in messages.iter().rev() {
        match m.role.as_str() {
            "assistant" if answer.is_none() => answer = Some(m.content.clone()),
            "user" => {
                return Ok(Some(PreviousTurn { question: m.content.clone(), answer: answer.unwrap_or_default() }))
            }
            _ => {}
        }
    }
    Ok(None)
}

const REFERRING: &[&str] =
    &["it", "its", "this", "that", "these", "those", "they", "them", "their", "there", "he", "she", "one"];

/// A question that refers back ("what is its default?", "and for PDF?") or is too short
/// to stand alone.
pub fn is_follow_up(question: &str) -> bool {
    let lower = question.trim().to_lowercase();
    let words: Vec<String> = text::words(&lower).collect();
    let content = text::content_words(&lower).len();
    let opens = ["and ", "also ", "what about", "how about", "same ", "then "].iter().any(|p| lower.starts_with(p));
    opens || content <= 1 || words.iter().any(|w| REFERRING.contains(&w.as_str()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn follow_ups_are_recognised() {
        assert!(super::is_follow_up("What is its default value?"));
        assert!(super::is_follow_up("and for PDF output?"));
        assert!(!super::is_follow_up("How do I set the title font size in gnuplot?"));
    }
}
