//! WebSocket sessions: the handshake (which the HTTP responder may refuse), every text
//! frame a client sends recorded as "WS", and the server's side scripted per frame as a
//! list of [`WsAction`]s. When the client goes away a "WS-GONE" record says how.

use crate::record::{parse, Recorded, RecordedBody};
use crate::reply::{Reply, ReplyBody};
use crate::server::Shared;
use futures_util::{SinkExt, StreamExt};
use hyper::body::Incoming;
use hyper::Request;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::Role;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

/// What the server does on a socket after a client frame arrives.
#[derive(Debug, Clone)]
pub enum WsAction {
    Send(Value),
    SendText(String),
    Wait(Duration),
    /// A proper close frame.
    Close,
    /// Drops the connection without a close frame (a crash, a cut cable).
    Drop,
}

pub(crate) fn is_upgrade(head: &Recorded) -> bool {
    head.header("upgrade").is_some_and(|u| u.eq_ignore_ascii_case("websocket"))
}

/// Answers a handshake: the HTTP responder sees it as "WS-OPEN" and accepts it with a
/// 101 (any other reply is sent instead, a 500 say); the socket then runs on its own task.
pub(crate) async fn upgrade(req: Request<Incoming>, head: Recorded, shared: Arc<Shared>) -> hyper::Response<ReplyBody> {
    let verdict = (shared.http)(&Recorded { method: "WS-OPEN".into(), ..head.clone() });
    if verdict.status != 101 {
        return verdict.into_response(shared.open_bodies.clone()).await;
    }
    let key = head.header("sec-websocket-key").filter(|_| head.header("sec-websocket-version") == Some("13"));
    let Some(accept) = key.map(|k| derive_accept_key(k.as_bytes())) else {
        return Reply::plain(400, "bad websocket handshake").into_response(shared.open_bodies.clone()).await;
    };
    let (upgraded, open_bodies) = (hyper::upgrade::on(req), shared.open_bodies.clone());
    tokio::spawn(async move {
        let Ok(upgraded) = upgraded.await else { return };
        let socket = WebSocketStream::from_raw_socket(TokioIo::new(upgraded), Role::Server, None).await;
        if let Some(gone) = serve(socket, &head, &shared).await {
            shared.record(Recorded { method: "WS-GONE".into(), body: RecordedBody::Other(gone), ..head });
        }
    });
    Reply::empty(101)
        .with_header("connection", "upgrade")
        .with_header("upgrade", "websocket")
        .with_header("sec-websocket-accept", &accept)
        .into_response(open_bodies)
        .await
}

/// Returns how the client went away (closed, dropped, or a send failed), or `None` when
/// the server ended the session itself.
async fn serve(
    mut socket: WebSocketStream<TokioIo<hyper::upgrade::Upgraded>>,
    head: &Recorded,
    shared: &Shared,
) -> Option<String> {
    let ws = shared.ws.as_ref()?;
    loop {
        let bytes = match socket.next().await {
            None | Some(Err(_)) => return Some("the client dropped the connection".into()),
            Some(Ok(Message::Close(_))) => return Some("the client closed the stream".into()),
            Some(Ok(Message::Text(t))) => t.as_bytes().to_vec(),
            Some(Ok(Message::Binary(b))) => b.to_vec(),
            Some(Ok(_)) => continue,
        };
        let frame =
            Recorded { method: "WS".into(), body: parse(&bytes), body_bytes: bytes.len() as u64, ..head.clone() };
        let actions = ws(&frame);
        shared.record(frame);
        for action in actions {
            let sent = match action {
                WsAction::Send(v) => socket.send(Message::Text(v.to_string().into())).await,
                WsAction::SendText(t) => socket.send(Message::Text(t.into())).await,
                WsAction::Wait(d) => {
                    tokio::time::sleep(d).await;
                    Ok(())
                }
                WsAction::Close => {
                    let _ = socket.send(Message::Close(None)).await;
                    return None;
                }
                WsAction::Drop => return None,
            };
            if sent.is_err() {
                return Some("a frame could not be sent: the client is gone".into());
            }
        }
    }
}
