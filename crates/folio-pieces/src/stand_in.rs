//! A stand-in for Pieces OS with memory, for the app's end-to-end journey (Pieces OS is
//! not installable here). Built on the recording server, it keeps the conversations
//! Folio creates, renames and deletes, stores each question and answer as messages, and
//! answers a streamed question by quoting the first passage Folio sent as a `relevant`
//! seed, citing it as [1]: so the journey sees that Folio's own passages reached Pieces.

use crate::testkit::{conversation, frame, message, pieces_reply, Recorded, RecordingServer, Reply, WsAction};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct Memory {
    /// (id, name, created), oldest first.
    conversations: Vec<(String, String, String)>,
    /// (conversation id, role, text).
    messages: Vec<(String, &'static str, String)>,
    next: usize,
}

pub struct StandIn {
    pub server: RecordingServer,
}

impl StandIn {
    pub fn start() -> Self {
        let memory = Arc::new(Mutex::new(Memory::default()));
        let http_memory = memory.clone();
        let server = RecordingServer::start(
            move |req| http(&mut http_memory.lock().unwrap(), req),
            move |req| ws(&mut memory.lock().unwrap(), req),
        );
        StandIn { server }
    }

    pub fn address(&self) -> String {
        self.server.base()
    }
}

fn http(memory: &mut Memory, req: &Recorded) -> Reply {
    let body = req.value();
    let segments: Vec<&str> = req.path.trim_start_matches('/').split('/').collect();
    match (req.method.as_str(), segments.as_slice()) {
        ("GET", ["conversations"]) => {
            let all: Vec<Value> = memory.conversations.iter().map(|(id, name, at)| shown(id, name, at)).collect();
            Reply::json(200, json!({ "iterable": all }))
        }
        ("POST", ["conversations", "create"]) => {
            memory.next += 1;
            let id = format!("pieces-conv-{}", memory.next);
            let name = body.get("name").and_then(Value::as_str).unwrap_or("New Conversation").to_string();
            let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            memory.conversations.push((id.clone(), name.clone(), at.clone()));
            Reply::json(200, shown(&id, &name, &at))
        }
        ("GET", ["conversation", id]) => match memory.conversations.iter().find(|(c, ..)| c == id) {
            Some((id, name, at)) => Reply::json(200, shown(id, name, at)),
            None => Reply::plain(404, "no such conversation"),
        },
        ("POST", ["conversation", "update"]) => {
            let id = body.get("id").and_then(Value::as_str).unwrap_or_default();
            let name = body.get("name").and_then(Value::as_str);
            match (memory.conversations.iter_mut().find(|(c, ..)| c == id), name) {
                (Some(entry), Some(name)) => {
                    entry.1 = name.to_string();
                    Reply::json(200, body.clone())
                }
                _ => Reply::plain(404, "no such conversation"),
            }
        }
        ("POST", ["conversations", id, "delete"]) => {
            memory.conversations.retain(|(c, ..)| c != id);
            Reply::empty(204)
        }
        ("GET", ["conversation", id, "messages"]) => {
            let (mut iterable, mut indices) = (Vec::new(), serde_json::Map::new());
            for (i, (_, role, text)) in memory.messages.iter().filter(|(c, ..)| c == id).enumerate() {
                let mid = format!("m{i}");
                iterable.push(message(&mid, id, role, text, &format!("2026-11-23T10:00:{:02}Z", i % 60)));
                indices.insert(mid, json!(i));
            }
            Reply::json(200, json!({ "iterable": iterable, "indices": indices }))
        }
        // Health, connect, models: as the recording server's Pieces OS answers them.
        _ => pieces_reply(req),
    }
}

/// A conversation made at `at`, with no message list (Folio reads messages separately).
fn shown(id: &str, name: &str, at: &str) -> Value {
    let mut c = conversation(id, name);
    c["messages"] = json!({ "iterable": [] });
    c["created"] = json!({ "value": at });
    c["updated"] = json!({ "value": at });
    c
}

fn ws(memory: &mut Memory, req: &Recorded) -> Vec<WsAction> {
    let body = req.value();
    let Some(id) = body.get("conversation").and_then(Value::as_str).map(str::to_string) else {
        return vec![WsAction::Send(json!({"status": "FAILED", "conversation": null}))];
    };
    let question = body.pointer("/question/query").and_then(Value::as_str).unwrap_or_default();
    let first_seed =
        body.pointer("/question/relevant/iterable/0/seed/asset/format/fragment/string/raw").and_then(Value::as_str);
    // The seed is "[1] (name, page)\npassage": quote the passage.
    let answer = match first_seed.and_then(|s| s.split_once('\n')) {
        Some((_, passage)) => format!("Your document says: \"{}\" [1]", passage.trim()),
        None => "No passages were sent with this question.".to_string(),
    };
    memory.messages.push((id.clone(), "USER", question.to_string()));
    memory.messages.push((id.clone(), "ASSISTANT", answer.clone()));
    // Two pieces, split on a character boundary, so the window sees the answer grow.
    let middle = answer.char_indices().nth(answer.chars().count() / 2).map_or(0, |(i, _)| i);
    let (head, tail) = answer.split_at(middle);
    vec![
        WsAction::Send(frame(&id, "INITIALIZED", None)),
        WsAction::Send(frame(&id, "IN-PROGRESS", Some(head))),
        WsAction::Send(frame(&id, "IN-PROGRESS", Some(tail))),
        WsAction::Send(frame(&id, "COMPLETED", None)),
    ]
}
