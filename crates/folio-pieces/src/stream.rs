//! Asking over the `/qgpt/stream` WebSocket: one `QGPTStreamInput` text frame out, then
//! `QGPTStreamOutput` frames in while their status is `IN-PROGRESS`, each carrying a
//! piece of the reply (the wrapper's loop in `copilot.py`). The first frame with another
//! status ends the answer: COMPLETED makes it whole; FAILED, STOPPED, CANCELED, RESET or
//! an unknown status is an error. A socket that closes, breaks or goes silent before
//! that is an error too: a cut answer is never passed off as whole.
//! Dropping the future closes the socket, which is how a caller stops an answer.

use crate::client::PiecesClient;
use crate::error::PiecesError;
use crate::wire::{self, StreamOutput, StreamStatus};
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;

/// A whole answer from the stream.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamedAnswer {
    /// The conversation Pieces stored the turn in (created by Pieces when none was given).
    pub conversation: String,
    pub text: String,
    /// How many IN-PROGRESS frames carried it.
    pub frames: usize,
}

const OPERATION: &str = "stream the answer";

impl PiecesClient {
    /// The WebSocket address of an endpoint: the REST base with http turned into ws.
    pub async fn ws_url(&self, path: &str) -> Result<String, PiecesError> {
        let base = &self.session().await?.base;
        Ok(format!("{}{path}", base.replacen("http", "ws", 1)))
    }

    /// Asks `query` in `conversation` (None: Pieces creates one) with `relevant` seeds as
    /// grounding, sending each piece of the reply to `sink` as it arrives.
    pub async fn ask_stream(
        &self,
        conversation: Option<&str>,
        query: &str,
        relevant: Vec<Value>,
        sink: &(dyn Fn(&str) + Send + Sync),
    ) -> Result<StreamedAnswer, PiecesError> {
        let session = self.session().await?.clone();
        let model = self.model_id().await?.to_string();
        let input =
            wire::stream_input(conversation, wire::question_input(query, relevant, &model, &session.application_id));
        let url = self.ws_url("/qgpt/stream").await?;
        let idle = self.config().stream_idle_timeout;
        let connect =
            tokio::time::timeout(self.config().connect_timeout, tokio_tungstenite::connect_async(url.as_str()));
        let (mut socket, _) = match connect.await {
            Err(_) => {
                return Err(PiecesError::Timeout {
                    operation: "open the answer stream".into(),
                    after: self.config().connect_timeout,
                })
            }
            Ok(Err(e)) => return Err(handshake_error(&url, e)),
            Ok(Ok(pair)) => pair,
        };
        socket.send(Message::text(input.to_string())).await.map_err(|e| PiecesError::ConnectionLost {
            operation: "send the question".into(),
            detail: e.to_string(),
        })?;
        let mut text = String::new();
        let mut frames = 0usize;
        loop {
            let next = match tokio::time::timeout(idle, socket.next()).await {
                Err(_) => {
                    return Err(PiecesError::Timeout { operation: OPERATION.into(), after: idle });
                }
                Ok(next) => next,
            };
            let payload = match next {
                None => return Err(cut(frames, &text, "the connection closed")),
                Some(Err(e)) => return Err(cut(frames, &text, &format!("the connection broke: {e}"))),
                Some(Ok(Message::Text(t))) => t.as_str().to_string(),
                Some(Ok(Message::Binary(b))) => String::from_utf8_lossy(&b).into_owned(),
                Some(Ok(Message::Close(_))) => return Err(cut(frames, &text, "Pieces OS closed the stream")),
                Some(Ok(_)) => continue, // ping/pong: tungstenite answers pings itself
            };
            let frame: StreamOutput = serde_json::from_str(&payload).map_err(|e| PiecesError::Malformed {
                operation: OPERATION.into(),
                detail: format!("{e} in {payload:.200}"),
            })?;
            match StreamStatus::from_wire(frame.status.as_deref()) {
                StreamStatus::InProgress => {
                    let chunk = frame.chunk();
                    frames += 1;
                    if !chunk.is_empty() {
                        sink(&chunk);
                        text.push_str(&chunk);
                    }
                }
                // Sent before the first piece by some versions: nothing to show yet.
                StreamStatus::Initialized => {}
                StreamStatus::Completed => {
                    // The last frame may carry a last piece (or the whole answer again).
                    let last = frame.chunk();
                    if !last.is_empty() && last != text {
                        sink(&last);
                        text.push_str(&last);
                    }
                    let _ = socket.close(None).await;
                    let conversation = frame.conversation.or(conversation.map(str::to_string)).unwrap_or_default();
                    return Ok(StreamedAnswer { conversation, text, frames });
                }
                other => {
                    let _ = socket.close(None).await;
                    let status = frame.status.clone().unwrap_or_else(|| "no status".into());
                    let message =
                        frame.error_message.clone().filter(|m| !m.is_empty()).unwrap_or_else(|| match other {
                            StreamStatus::Stopped => "the answer was stopped".into(),
                            StreamStatus::Canceled => "the answer was cancelled".into(),
                            StreamStatus::Reset => "the answer was reset".into(),
                            _ => "no reason given".into(),
                        });
                    return Err(PiecesError::StreamFailed { status, message, status_code: frame.status_code });
                }
            }
        }
    }
}

fn cut(frames: usize, text: &str, why: &str) -> PiecesError {
    PiecesError::StreamCut { detail: format!("{why} after {frames} pieces, {} characters", text.chars().count()) }
}

fn handshake_error(url: &str, e: tokio_tungstenite::tungstenite::Error) -> PiecesError {
    use tokio_tungstenite::tungstenite::Error as E;
    match e {
        E::Http(response) => {
            let status = response.status().as_u16();
            let body = response.body().clone().unwrap_or_default();
            PiecesError::Status {
                operation: "open the answer stream".into(),
                status,
                message: crate::error::server_message(status, &body),
            }
        }
        E::Io(io) => PiecesError::Connect {
            operation: "open the answer stream".into(),
            base: url.into(),
            detail: io.to_string(),
        },
        other => PiecesError::ConnectionLost { operation: "open the answer stream".into(), detail: other.to_string() },
    }
}
