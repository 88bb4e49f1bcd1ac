//! A conversation as a Markdown file a person can keep or share: its documents, then
//! every question with its answer and the pages the answer cites.

use crate::answer::{ChatTurn, Source};
use crate::conversation::Conversation;

pub fn conversation_markdown(conversation: &Conversation, turns: &[ChatTurn]) -> String {
    let mut out = format!("# {}\n\n", conversation.name.trim());
    if let Some(description) = conversation.description.as_deref().filter(|d| !d.trim().is_empty()) {
        out.push_str(&format!("{}\n\n", description.trim()));
    }
    if !conversation.documents.is_empty() {
        out.push_str("Documents:\n\n");
        for document in &conversation.documents {
            out.push_str(&format!("- {}\n", document.name));
        }
        out.push('\n');
    }
    for turn in turns {
        out.push_str(&format!("## {}\n\n", one_line(&turn.question)));
        out.push_str(turn.answer.text.trim());
        out.push_str("\n\n");
        if !turn.answer.sources.is_empty() {
            out.push_str("Sources:\n\n");
            for source in &turn.answer.sources {
                out.push_str(&format!("- {}\n", cite(source)));
            }
            out.push('\n');
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// "R-intro.pdf, p. 58", or the label a format without pages uses ("lines 41-80").
pub fn cite(source: &Source) -> String {
    match (&source.page_label, source.page) {
        (Some(label), _) => format!("{}, {label}", source.document_name),
        (None, Some(page)) => format!("{}, p. {page}", source.document_name),
        (None, None) => source.document_name.clone(),
    }
}

/// A question as a heading: one line, so a pasted paragraph does not break the file.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::{Answer, AnswerKind};
    use crate::conversation::ConversationState;
    use crate::document::{Document, DocumentState};

    #[test]
    fn questions_answers_and_their_pages_are_kept() {
        let conversation = Conversation {
            id: "c1".into(),
            name: "Island trip".into(),
            description: Some("Ferry times".into()),
            state: ConversationState::Complete,
            documents: vec![Document::from_state(1, "Ferry.pdf", DocumentState::Processed)],
            created_at: None,
            updated_at: None,
        };
        let source = |page, label: Option<&str>| Source {
            document_id: Some(1),
            document_name: "Ferry.pdf".into(),
            page,
            page_label: label.map(String::from),
            passage: None,
            boxes: vec![],
        };
        let turns = vec![ChatTurn {
            question: "When does the\nferry leave?".into(),
            answer: Answer {
                prompt_id: "1".into(),
                text: "At **7:40** [1].".into(),
                sources: vec![source(Some(2), None), source(Some(1), Some("lines 1-40"))],
                kind: AnswerKind::Generated,
                sentences: vec![],
            },
            asked_at: None,
        }];
        let md = conversation_markdown(&conversation, &turns);
        assert_eq!(
            md,
            "# Island trip\n\nFerry times\n\nDocuments:\n\n- Ferry.pdf\n\n## When does the ferry leave?\n\nAt **7:40** [1].\n\nSources:\n\n- Ferry.pdf, p. 2\n- Ferry.pdf, lines 1-40\n"
        );
    }
}
