//! A conversation as a file a person can keep, share or print: Markdown, or one
//! self-contained web page (inline CSS, no scripts, nothing fetched). Each quote an answer
//! rests on becomes a footnote naming its document and page, numbered through the whole
//! conversation; a sentence Folio found nowhere in the documents says so where it stands.

mod html;
mod markdown;
mod notes;
#[cfg(test)]
mod tests;
mod text;

pub use html::{conversation_html, escape};
pub use markdown::conversation_markdown;
pub use notes::cite;

// The parts share their helpers through these (each part imports `super::*`).
use crate::answer::{quoted_sentences, Answer, AnswerKind, ChatTurn, Source, Support};
use crate::conversation::Conversation;
use chrono::{DateTime, Utc};
use notes::*;
use std::path::Path;
use text::*;

/// The two kinds of file Export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Markdown,
    Html,
}

impl ExportFormat {
    /// The format a chosen file name asks for: `.html`/`.htm` a web page, anything else
    /// (`.md`, or a name typed without an extension) Markdown.
    pub fn for_path(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("html" | "htm" | "xhtml") => Self::Html,
            _ => Self::Markdown,
        }
    }
}

/// The conversation in `format`, dated today.
pub fn export(format: ExportFormat, conversation: &Conversation, turns: &[ChatTurn]) -> String {
    export_at(format, conversation, turns, Utc::now())
}

/// The conversation in `format`, as of `exported_at` (the date written at the top).
pub fn export_at(
    format: ExportFormat,
    conversation: &Conversation,
    turns: &[ChatTurn],
    exported_at: DateTime<Utc>,
) -> String {
    match format {
        ExportFormat::Markdown => conversation_markdown(conversation, turns, exported_at),
        ExportFormat::Html => conversation_html(conversation, turns, exported_at),
    }
}
