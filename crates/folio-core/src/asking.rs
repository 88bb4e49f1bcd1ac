//! A one-shot query as a person asks it from the window: started, followed until it
//! settles with each change reported, and given up on after a time limit with a
//! sentence that says so. Stopping it is dropping the future (the shell does that when
//! the person presses Stop), which ends the polling at once.

use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::follow::{follow_until, FollowOptions};
use crate::query::{QueryModel, QueryRequest, QueryStatus};
use std::time::Duration;

/// How long the window waits for a chatbot. Seed 002 gives a query about 45 s of
/// processing; `multistep` (research mode, the seed's default) reads more pages, and
/// AI Hub's queue comes on top, so Folio waits a little under three times that.
pub const QUERY_TIME_LIMIT: Duration = Duration::from_secs(120);

/// Runs `request` and follows it until it completes or fails, calling `on_status` with
/// each change. Still running after `limit`: `Error::Timeout` saying how long it waited.
pub async fn ask_query(
    backend: &dyn Backend,
    request: &QueryRequest,
    limit: Duration,
    mut on_status: impl FnMut(&QueryStatus) + Send,
) -> Result<QueryStatus> {
    let follow = async {
        let query_id = backend.run_query(request).await?;
        let options = FollowOptions { timeout: Some(limit), ..Default::default() };
        follow_until(&options, || backend.query_status(&query_id), |s| s.state.is_settled(), |s| on_status(s)).await
    };
    // The outer limit also covers a start or a status request that hangs.
    match tokio::time::timeout(limit, follow).await {
        Ok(Err(Error::Timeout(_))) | Err(_) => Err(Error::Timeout(too_long(request, limit))),
        Ok(outcome) => outcome,
    }
}

fn too_long(request: &QueryRequest, limit: Duration) -> String {
    let quicker = match request.model {
        Some(QueryModel::Multistep) | None => " (Quick mode, multistep-lite, answers sooner)",
        Some(QueryModel::MultistepLite) => "",
    };
    format!("The chatbot had not answered after {} s, so Folio stopped waiting{quicker}", limit.as_secs())
}
