//! Airia on loopback for request-level tests: folio-testserver's recording server (every
//! request kept as it arrived; answers streamed in timed chunks or cut off mid-stream)
//! plus Airia's routes and canned answers.

use serde_json::{json, Value};
use std::ops::Deref;

pub use folio_testserver::{Recorded, RecordedBody, Reply};

/// The recording server, with Airia's base URL.
pub struct RecordingServer(folio_testserver::Server);

impl RecordingServer {
    pub fn start(responder: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Self {
        RecordingServer(folio_testserver::Server::start(responder))
    }

    /// A server that answers like Airia does on success (see [`airia_reply`]).
    pub fn airia() -> Self {
        Self::start(airia_reply)
    }

    /// The base URL to give a client, with the trailing slash: `http://127.0.0.1:PORT/api/`.
    pub fn base_url(&self) -> String {
        self.url("/api/")
    }
}

impl Deref for RecordingServer {
    type Target = folio_testserver::Server;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

/// The words of the default streamed answer, one fragment each.
pub const STREAMED_WORDS: [&str; 6] = ["The ", "range ", "is ", "set ", "with ", "range [1]."];

/// Airia's success answers, shaped as the SDK's response models expect them.
pub fn airia_reply(r: &Recorded) -> Reply {
    let path = r.path.as_str();
    let tail = |marker: &str| path.split_once(marker).map(|(_, t)| t.to_string());
    match (r.method.as_str(), tail("/v1/Conversations"), tail("/v2/PipelineExecution/"), tail("/v1/PipelinesConfig/")) {
        ("POST", Some(t), _, _) if t.is_empty() => {
            let body = r.json().cloned().unwrap_or(json!({}));
            Reply::json(
                200,
                json!({
                    "userId": body.get("userId").cloned().unwrap_or(json!("u")),
                    "conversationId": "a1b2c3d4-0000-4000-8000-000000000001",
                    "websocketUrl": "wss://example.invalid/ws",
                    "deploymentId": body.get("deploymentId").cloned().unwrap_or(json!(null)).as_str().unwrap_or("d-default"),
                    "iconId": null, "iconUrl": null, "description": null, "spaceName": "Default"
                }),
            )
        }
        ("GET", Some(t), _, _) if t.len() > 1 => Reply::json(
            200,
            json!({
                "userId": "u", "conversationId": &t[1..], "title": "Manuals",
                "messages": [
                    {"id": "m1", "conversationId": &t[1..], "createdAt": "2025-01-01T00:00:00Z", "updatedAt": "2025-01-01T00:00:00Z", "role": "user", "message": "How?"},
                    {"id": "m2", "conversationId": &t[1..], "createdAt": "2025-01-01T00:00:01Z", "updatedAt": "2025-01-01T00:00:01Z", "role": "assistant", "message": "Like this [1]."}
                ],
                "dataSourceFiles": {}, "isBookmarked": false, "websocketUrl": null, "deploymentId": null,
                "lastExecutionStatus": null, "lastExecutionId": null
            }),
        ),
        ("DELETE", Some(t), _, _) if t.len() > 1 => Reply::empty(200),
        ("POST", _, Some(_), _) => {
            let stream = r.json().and_then(|b| b.get("asyncOutput")).and_then(Value::as_bool).unwrap_or(false);
            if stream {
                streamed_answer(&STREAMED_WORDS)
            } else {
                Reply::json(
                    200,
                    json!({"result": STREAMED_WORDS.concat(), "report": null, "isBackupPipeline": false,
                           "executionId": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "userInputId": null, "files": null, "images": null}),
                )
            }
        }
        ("GET", _, _, Some(id)) => Reply::json(200, json!({"id": id, "name": "Docs agent"})),
        _ => Reply::json(404, json!({"message": format!("no route {} {}", r.method, r.path)})),
    }
}

/// A complete streamed answer in Airia's event types: start, a ping, one fragment per
/// word, the stream's end, the step's output and the agent's end.
pub fn streamed_answer(words: &[&str]) -> Reply {
    let ids = json!({"agentId": "ag", "executionId": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "stepId": "st", "streamId": "sm"});
    let with = |extra: Value| {
        let mut v = ids.clone();
        v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        v
    };
    let mut events: Vec<(&str, Value)> = vec![
        ("AgentStartMessage", json!({"agentId": "ag", "executionId": "3fa85f64-5717-4562-b3fc-2c963f66afa6"})),
        ("AgentModelStreamStartMessage", with(json!({"modelName": "gpt"}))),
        ("AgentPingMessage", json!({"timestamp": "2025-01-01T00:00:00Z"})),
    ];
    for (i, w) in words.iter().enumerate() {
        events.push(("AgentModelStreamFragmentMessage", with(json!({"index": i, "content": w}))));
    }
    events.push(("AgentModelStreamEndMessage", with(json!({"contentId": "c1", "duration": 1.5}))));
    events.push(("AgentOutputMessage", json!({"agentId": "ag", "executionId": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "stepId": "st", "stepType": "AIOperation", "stepResult": words.concat()})));
    events.push(("AgentEndMessage", json!({"agentId": "ag", "executionId": "3fa85f64-5717-4562-b3fc-2c963f66afa6"})));
    Reply::sse(&events)
}
