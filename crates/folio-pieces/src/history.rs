//! A Pieces conversation's questions and answers as Folio shows them. Folio records
//! every turn it asks in the local half's history (with the pages cited and each
//! sentence checked), so that is read first. A conversation started in Pieces itself has
//! no local half until documents are added: its turns come from Pieces' own messages,
//! without citations (Pieces keeps none).

use crate::backend::CITE_INSTRUCTION;
use crate::wire::ConversationMessages;
use folio_core::{Answer, AnswerKind, ChatTurn};

/// Each USER message with the ASSISTANT reply that follows it, oldest first. A question
/// Pieces never answered is left out, as Folio's own history does.
pub fn turns_from_messages(messages: &ConversationMessages) -> Vec<ChatTurn> {
    let mut turns = Vec::new();
    let mut question: Option<(String, Option<chrono::DateTime<chrono::Utc>>)> = None;
    for m in messages.live() {
        let text = m.text().unwrap_or_default().to_string();
        match m.role.as_deref().unwrap_or_default() {
            "USER" => question = Some((asked(&text), m.created.as_ref().and_then(|c| c.parse()))),
            "ASSISTANT" => {
                let Some((q, asked_at)) = question.take() else { continue };
                let answer = Answer {
                    prompt_id: m.id.clone(),
                    text,
                    sources: Vec::new(),
                    kind: AnswerKind::Generated,
                    sentences: Vec::new(),
                };
                turns.push(ChatTurn { question: q, answer, asked_at });
            }
            _ => {}
        }
    }
    turns
}

/// The question as the person typed it: Folio appends its citing instruction to what
/// it sends Pieces, and Pieces stores what it was sent.
fn asked(stored: &str) -> String {
    stored.strip_suffix(CITE_INSTRUCTION).map(str::trim_end).unwrap_or(stored).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pairs_questions_with_replies_and_drops_folio_s_instruction() {
        let message = |id: &str, role: &str, text: &str, at: &str| json!({"id": id, "role": role, "fragment": {"string": {"raw": text}}, "created": {"value": at}});
        let messages: ConversationMessages = serde_json::from_value(json!({
            "iterable": [
                message("a2", "ASSISTANT", "At noon [1].", "2026-11-23T10:00:02Z"),
                message("u1", "USER", &format!("When?\n\n{CITE_INSTRUCTION}"), "2026-11-23T10:00:01Z"),
                message("u3", "USER", "Unanswered", "2026-11-23T10:00:03Z"),
                message("u0", "USER", "Deleted", "2026-11-23T09:00:00Z"),
            ],
            "indices": {"u0": -1, "u1": 1, "a2": 0, "u3": 2}
        }))
        .unwrap();
        let turns = turns_from_messages(&messages);
        assert_eq!(turns.len(), 1, "{turns:?}");
        assert_eq!(turns[0].question, "When?");
        assert_eq!(turns[0].answer.text, "At noon [1].");
        assert_eq!(turns[0].answer.prompt_id, "a2");
        assert!(turns[0].asked_at.is_some());
    }
}
