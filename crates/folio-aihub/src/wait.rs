//! Waiting for AI Hub: follow a conversation until every document is processed, or a
//! query until it completes. Built on folio-core's `follow_until`: first check at once,
//! the next after 250 ms, backing off to 5 s while nothing changes and snapping back
//! after every change; an overall timeout; cancellation through the options' token;
//! and `on_change` called with every new state, so a UI has no fixed 5-second lag.

use crate::client::AiHubClient;
use crate::mapping;
use crate::wire;
use folio_core::{follow_until, FollowOptions, QueryState, Result};

/// Follows `GET /v2/conversations/{id}` until no document is processing.
pub async fn conversation_processed(
    client: &AiHubClient,
    id: &str,
    options: &FollowOptions,
    on_change: impl FnMut(&wire::Conversation),
) -> Result<wire::Conversation> {
    follow_until(
        options,
        || async { Ok(client.get_conversation(id).await?) },
        |c: &wire::Conversation| mapping::conversation_settled(&mapping::conversation(c.clone())),
        on_change,
    )
    .await
}

/// Follows `GET /v2/queries/{id}` until the query is no longer RUNNING.
pub async fn query_finished(
    client: &AiHubClient,
    query_id: &str,
    options: &FollowOptions,
    on_change: impl FnMut(&wire::QueryStatus),
) -> Result<wire::QueryStatus> {
    follow_until(
        options,
        || async { Ok(client.query_status(query_id).await?) },
        |s: &wire::QueryStatus| QueryState::from_wire(&s.status).is_settled(),
        on_change,
    )
    .await
}
