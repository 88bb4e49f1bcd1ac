//! A stand-in for Airia with memory, for the app's end-to-end journey (Airia is a cloud
//! service this machine cannot reach). Built on the recording server, it accepts one API
//! key (anything else is a 401, as Airia answers), keeps the conversations Folio creates
//! and deletes, knows one pipeline, and answers a streamed pipeline execution by quoting
//! passage [1] of the user input Folio sent, citing it: so the journey sees that the key
//! came from the keychain and Folio's own passages reached the agent.

use crate::testkit::{streamed_answer, Recorded, RecordingServer, Reply};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub struct StandIn {
    pub server: RecordingServer,
}

#[derive(Default)]
struct Memory {
    /// Conversation id -> (user id, title).
    conversations: HashMap<String, (Value, Value)>,
    next: usize,
}

impl StandIn {
    /// Accepts `api_key` in the `X-API-KEY` header and knows pipeline `pipeline_id`.
    pub fn start(api_key: &str, pipeline_id: &str) -> Self {
        let (key, pipeline) = (api_key.to_string(), pipeline_id.to_string());
        let memory = Arc::new(Mutex::new(Memory::default()));
        let server = RecordingServer::start(move |r| {
            if r.header("x-api-key") != Some(key.as_str()) {
                return Reply::json(401, json!({"message": "Unauthorized"}));
            }
            answer(&mut memory.lock().unwrap(), &pipeline, r)
        });
        StandIn { server }
    }

    /// With the trailing slash Airia's SDK expects: `http://127.0.0.1:PORT/api/`.
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }
}

fn answer(memory: &mut Memory, pipeline: &str, r: &Recorded) -> Reply {
    let path = r.path.split_once("/api/").map_or(r.path.as_str(), |(_, p)| p);
    let segments: Vec<&str> = path.split('/').collect();
    let body = r.json().cloned().unwrap_or(Value::Null);
    match (r.method.as_str(), segments.as_slice()) {
        ("GET", ["v1", "PipelinesConfig", id]) if *id == pipeline => {
            Reply::json(200, json!({"id": id, "name": "Folio journey agent"}))
        }
        ("POST", ["v1", "Conversations"]) => {
            memory.next += 1;
            let id = format!("a1b2c3d4-0000-4000-8000-{:012}", memory.next);
            let user = body.get("userId").cloned().unwrap_or(Value::Null);
            let title = body.get("title").cloned().unwrap_or(Value::Null);
            memory.conversations.insert(id.clone(), (user.clone(), title));
            Reply::json(
                200,
                json!({"userId": user, "conversationId": id, "websocketUrl": null, "deploymentId": body.get("deploymentId"),
                       "iconId": null, "iconUrl": null, "description": null, "spaceName": "Default"}),
            )
        }
        ("GET", ["v1", "Conversations", id]) => match memory.conversations.get(*id) {
            Some((user, title)) => Reply::json(
                200,
                json!({"userId": user, "conversationId": id, "title": title, "messages": [], "dataSourceFiles": {},
                       "isBookmarked": false, "websocketUrl": null, "deploymentId": null,
                       "lastExecutionStatus": null, "lastExecutionId": null}),
            ),
            None => Reply::json(404, json!({"message": "Conversation not found"})),
        },
        ("DELETE", ["v1", "Conversations", id]) => match memory.conversations.remove(*id) {
            Some(_) => Reply::empty(200),
            None => Reply::json(404, json!({"message": "Conversation not found"})),
        },
        ("POST", ["v2", "PipelineExecution", id]) if *id == pipeline => {
            let input = body.get("userInput").and_then(Value::as_str).unwrap_or_default();
            let reply = match first_passage(input) {
                Some(passage) => format!("Your document says: \"{passage}\" [1]"),
                None => "No passages came with this question.".to_string(),
            };
            let words: Vec<String> = reply.split_inclusive(' ').map(str::to_string).collect();
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            streamed_answer(&words)
        }
        _ => Reply::json(404, json!({"message": format!("no route {} {}", r.method, r.path)})),
    }
}

/// The text under "[1] (name, page)" in Folio's grounded input, up to the next blank line.
fn first_passage(input: &str) -> Option<String> {
    let (_, after) = input.split_once("\n[1] (")?;
    let (_, text) = after.split_once('\n')?;
    let passage: Vec<&str> = text.lines().take_while(|l| !l.trim().is_empty()).collect();
    Some(passage.join(" ").trim().to_string()).filter(|p| !p.is_empty())
}

#[cfg(test)]
mod tests {
    use super::first_passage;

    #[test]
    fn the_first_passage_is_read_from_folios_grounded_input() {
        let input = "Answer from these.\n\nPassages:\n\n[1] (Rules.txt, lines 1-2)\nBooks for three weeks.\nRenew twice.\n\n[2] (Other.txt, page 1)\nNo.\n\nQuestion: How long?";
        assert_eq!(first_passage(input).as_deref(), Some("Books for three weeks. Renew twice."));
        assert_eq!(first_passage("Passages: none of the user's documents matched this question."), None);
    }
}
