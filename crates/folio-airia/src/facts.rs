//! Airia's record of a conversation (`GetConversationResponse`, seed 003) as the facts
//! the window's conversation details list: the fields Folio's own view lacks.

use crate::wire::GetConversationResponse;
use folio_core::SourceFact;
use serde_json::Value;

pub fn facts(c: &GetConversationResponse) -> Vec<SourceFact> {
    let text = |key: &str| c.other.get(key).and_then(Value::as_str).filter(|s| !s.is_empty());
    let mut out = vec![
        SourceFact::new("Airia conversation", &c.conversation_id),
        SourceFact::new("Title", c.title.as_deref().unwrap_or("none")),
        SourceFact::new(
            "Bookmarked",
            if c.other.get("isBookmarked").and_then(Value::as_bool) == Some(true) { "yes" } else { "no" },
        ),
        SourceFact::new("Deployment", text("deploymentId").unwrap_or("none")),
        SourceFact::new("Data-source files", data_source_files(c.other.get("dataSourceFiles"))),
        SourceFact::new("Messages on Airia", c.messages.len().to_string()),
    ];
    if let Some(user) = c.user_id.as_deref() {
        out.insert(1, SourceFact::new("User", user));
    }
    if let Some(url) = text("websocketUrl") {
        out.push(SourceFact::new("WebSocket URL", url));
    }
    if let Some(status) = text("lastExecutionStatus") {
        out.push(SourceFact::new("Last run", status));
    }
    out
}

/// `{ "<source>": ["file", ...] }` as "source: a, b; other: c", or "none".
fn data_source_files(value: Option<&Value>) -> String {
    let Some(map) = value.and_then(Value::as_object).filter(|m| !m.is_empty()) else { return "none".into() };
    map.iter()
        .map(|(source, files)| {
            let names: Vec<&str> =
                files.as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
            format!("{source}: {}", names.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn title_bookmark_deployment_and_files_are_named() {
        let c: GetConversationResponse = serde_json::from_value(json!({
            "userId": "u1", "conversationId": "c1", "title": "Research", "messages": [],
            "dataSourceFiles": {"documents": ["doc1.pdf", "doc2.txt"]}, "isBookmarked": true,
            "websocketUrl": "wss://x/ws", "deploymentId": "dep-456", "lastExecutionStatus": "Completed"
        }))
        .unwrap();
        let facts: Vec<(String, String)> = facts(&c).into_iter().map(|f| (f.label, f.value)).collect();
        let get = |l: &str| facts.iter().find(|(k, _)| k == l).map(|(_, v)| v.as_str());
        assert_eq!(get("Title"), Some("Research"));
        assert_eq!(get("Bookmarked"), Some("yes"));
        assert_eq!(get("Deployment"), Some("dep-456"));
        assert_eq!(get("Data-source files"), Some("documents: doc1.pdf, doc2.txt"));
        assert_eq!(get("WebSocket URL"), Some("wss://x/ws"));
        assert_eq!(get("Last run"), Some("Completed"));
        assert_eq!(get("User"), Some("u1"));
    }
}
