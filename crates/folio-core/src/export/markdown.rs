//! The conversation as Markdown: footnotes as `[^n]` references and `[^n]: ...` notes.

use super::*;

pub fn conversation_markdown(conversation: &Conversation, turns: &[ChatTurn], exported_at: DateTime<Utc>) -> String {
    let (answers, notes) = footnoted(turns);
    let mut out = format!("# {}\n\n", one_line(&conversation.name));
    if let Some(description) = description(conversation) {
        out.push_str(&format!("{description}\n\n"));
    }
    out.push_str(&format!("{}\n\n", dates(conversation, exported_at)));
    if !conversation.documents.is_empty() {
        out.push_str("Documents:\n\n");
        for document in &conversation.documents {
            out.push_str(&format!("- {}\n", one_line(&document.name)));
        }
        out.push('\n');
    }
    for (i, (turn, answer)) in turns.iter().zip(&answers).enumerate() {
        out.push_str("---\n\n");
        out.push_str(&format!("## {}. {}\n\n", i + 1, one_line(&turn.question)));
        out.push_str(&markdown_marks(answer.trim()));
        out.push_str("\n\n");
    }
    if !notes.is_empty() {
        out.push_str("---\n\n");
        for (i, note) in notes.iter().enumerate() {
            out.push_str(&format!("[^{}]: {}\n", i + 1, note.line()));
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

pub(super) fn markdown_marks(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            REF => {
                let n: String = chars.by_ref().take_while(|c| *c != END).collect();
                out.push_str(&format!("[^{n}]"));
            }
            UNFOUND => out.push_str(&format!(" _({NOT_FOUND_WORDS})_")),
            c => out.push(c),
        }
    }
    out
}
