//! Small text helpers the two formats share: one-line names, dates, shortened quotes.

use super::*;

pub(super) fn description(conversation: &Conversation) -> Option<&str> {
    conversation.description.as_deref().map(str::trim).filter(|d| !d.is_empty())
}

/// "Exported on 7 December 2026 · started 1 December 2026" (the start left out when it
/// was the same day).
pub(super) fn dates(conversation: &Conversation, exported_at: DateTime<Utc>) -> String {
    let day = |at: DateTime<Utc>| at.format("%-d %B %Y").to_string();
    match conversation.created_at.filter(|c| day(*c) != day(exported_at)) {
        Some(created) => format!("Exported on {} · started {}", day(exported_at), day(created)),
        None => format!("Exported on {}", day(exported_at)),
    }
}

/// A question or name on one line, so a pasted paragraph does not break a heading.
pub(super) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most about `max` characters, cut after a word, with "…" when cut.
pub(super) fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(at) if at > max / 2 => &cut[..at],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([' ', ',', ';', ':']))
}
