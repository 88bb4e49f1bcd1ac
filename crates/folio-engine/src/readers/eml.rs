//! E-mail (.eml): the headers a person would see, the body (plain text, or the HTML
//! part turned into text), and each attachment handed back to be read as its own
//! document, so a PDF attached to a mail is cited by its own pages.

use super::{paginate, read_limited, Attachment, Page, Reason};
use crate::settings::EngineSettings;
use mail_parser::{Address, Message, MessageParser, MimeHeaders};
use std::path::Path;

pub fn read(path: &Path, settings: &EngineSettings) -> Result<(Vec<Page>, Vec<Attachment>), Reason> {
    let bytes = read_limited(path, settings.max_mail_bytes, "e-mail", "max_mail_bytes")?;
    let message = MessageParser::default().parse(&bytes).ok_or("is not an e-mail message that could be read")?;
    let mut text = String::new();
    let mut header = |label: &str, value: Option<String>| {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            text.push_str(&format!("{label}: {v}\n"));
        }
    };
    header("From", message.from().map(addresses));
    header("To", message.to().map(addresses));
    header("Cc", message.cc().map(addresses));
    header("Date", message.date().map(|d| d.to_rfc3339()));
    header("Subject", message.subject().map(str::to_string));
    text.push('\n');
    let mut body = String::new();
    for i in 0..message.text_body_count() {
        if let Some(part) = message.body_text(i) {
            body.push_str(&part);
            body.push('\n');
        }
    }
    if body.trim().is_empty() {
        if let Some(html) = message.body_html(0) {
            body = super::html::to_text(&html)?;
        }
    }
    text.push_str(&body);
    let mut attachments = Vec::new();
    // Skipped attachments are named in the mail's own text, so a person sees what was
    // left out and why.
    let mut skipped: Vec<String> = Vec::new();
    for (i, part) in message.attachments().enumerate() {
        let name = part.attachment_name().map(str::to_string).unwrap_or_else(|| {
            if part.is_message() {
                format!("attachment {}.eml", i + 1)
            } else {
                format!("attachment {}", i + 1)
            }
        });
        if attachments.len() >= settings.max_mail_attachments {
            skipped.push(format!(
                "{} more (an e-mail gives at most {} attachments; setting max_mail_attachments)",
                message.attachment_count() - i,
                settings.max_mail_attachments
            ));
            break;
        }
        if let Some(inner) = part.message() {
            if nesting(inner, settings.max_mail_depth) > settings.max_mail_depth {
                skipped.push(format!(
                    "{name} (e-mails inside it go more than {} levels deep; setting max_mail_depth)",
                    settings.max_mail_depth
                ));
                continue;
            }
        }
        attachments.push(Attachment { name, bytes: part.contents().to_vec() });
    }
    if !skipped.is_empty() {
        text.push_str(&format!("\nAttachments not read: {}\n", skipped.join("; ")));
    }
    if text.trim().is_empty() {
        return Err("is an e-mail with no text".into());
    }
    Ok((paginate(&text, "line"), attachments))
}

/// How many levels of e-mails an attached e-mail holds (1: none inside it), counted no
/// further than `limit` so a crafted chain costs nothing.
fn nesting(message: &Message, limit: usize) -> usize {
    if limit == 0 {
        return 1;
    }
    1 + message.attachments().filter_map(|p| p.message()).map(|m| nesting(m, limit - 1)).max().unwrap_or(0)
}

fn addresses(address: &Address) -> String {
    address
        .iter()
        .map(|a| match (&a.name, &a.address) {
            (Some(n), Some(e)) => format!("{n} <{e}>"),
            (Some(n), None) => n.to_string(),
            (None, Some(e)) => e.to_string(),
            (None, None) => String::new(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
