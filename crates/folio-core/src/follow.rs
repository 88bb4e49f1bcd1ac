//! Following something that changes on a server until it settles: a conversation's
//! documents being processed, a query being answered. The interval adapts: the first
//! check comes quickly (a small file is often done in a moment), then backs off, and
//! snaps back to quick whenever something changed, so live status has no fixed lag.

use crate::error::{Error, Result};
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

#[derive(Debug, Clone)]
pub struct FollowOptions {
    /// Wait before the second check, and after every change.
    pub first_interval: Duration,
    /// The longest wait between two checks.
    pub max_interval: Duration,
    /// Give up (with `Error::Timeout`) after this long; None waits forever.
    pub timeout: Option<Duration>,
    pub cancel: CancellationToken,
}

impl Default for FollowOptions {
    fn default() -> Self {
        FollowOptions {
            first_interval: Duration::from_millis(250),
            max_interval: Duration::from_secs(5),
            timeout: None,
            cancel: CancellationToken::new(),
        }
    }
}

/// Calls `fetch` until `settled` says the value is final, calling `on_change` with the
/// first value and with every value that differs from the one before. Returns the
/// settled value, `Error::Timeout` past the timeout, or `Error::Cancelled`.
pub async fn follow_until<T, F, Fut>(
    options: &FollowOptions,
    mut fetch: F,
    settled: impl Fn(&T) -> bool,
    mut on_change: impl FnMut(&T),
) -> Result<T>
where
    T: PartialEq,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let deadline = options.timeout.map(|t| Instant::now() + t);
    let mut interval = options.first_interval;
    let mut last: Option<T> = None;
    loop {
        let value = tokio::select! {
            _ = options.cancel.cancelled() => return Err(Error::Cancelled),
            value = fetch() => value?,
        };
        let changed = last.as_ref() != Some(&value);
        if changed {
            on_change(&value);
        }
        if settled(&value) {
            return Ok(value);
        }
        interval = if changed { options.first_interval } else { (interval * 2).min(options.max_interval) };
        let mut wake = Instant::now() + interval;
        if let Some(deadline) = deadline {
            if Instant::now() >= deadline {
                return Err(Error::Timeout(format!(
                    "still not finished after {} s",
                    options.timeout.unwrap_or_default().as_secs()
                )));
            }
            wake = wake.min(deadline);
        }
        last = Some(value);
        tokio::select! {
            _ = options.cancel.cancelled() => return Err(Error::Cancelled),
            _ = tokio::time::sleep_until(wake) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// When each fetch happened, shared with the test.
    type Calls = Arc<Mutex<Vec<Instant>>>;

    fn script(values: Vec<u32>) -> (Calls, impl FnMut() -> std::future::Ready<Result<u32>>) {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let seen = calls.clone();
        let mut values = values.into_iter();
        let mut last = 0;
        let fetch = move || {
            seen.lock().unwrap().push(Instant::now());
            last = values.next().unwrap_or(last);
            std::future::ready(Ok(last))
        };
        (calls, fetch)
    }

    #[tokio::test(start_paused = true)]
    async fn backs_off_while_unchanged_and_reports_each_change() {
        let (calls, fetch) = script(vec![1, 1, 1, 1, 2, 2, 3]);
        let mut changes = Vec::new();
        let start = Instant::now();
        let done = follow_until(&FollowOptions::default(), fetch, |v| *v == 3, |v| changes.push(*v)).await.unwrap();
        assert_eq!(done, 3);
        assert_eq!(changes, vec![1, 2, 3]);
        let offsets: Vec<u128> = calls.lock().unwrap().iter().map(|t| (*t - start).as_millis()).collect();
        // 0, then 250 after the first value, doubling while unchanged, back to 250 after a change.
        assert_eq!(offsets, vec![0, 250, 750, 1750, 3750, 4000, 4500]);
    }

    #[tokio::test(start_paused = true)]
    async fn interval_is_capped() {
        let (calls, fetch) = script(vec![1; 12]);
        let options = FollowOptions { timeout: Some(Duration::from_secs(30)), ..Default::default() };
        let err = follow_until(&options, fetch, |_| false, |_| {}).await.unwrap_err();
        assert!(matches!(err, Error::Timeout(_)), "{err:?}");
        let times = calls.lock().unwrap().clone();
        let longest = times.windows(2).map(|w| w[1] - w[0]).max().unwrap();
        assert_eq!(longest, Duration::from_secs(5));
    }

    #[tokio::test(start_paused = true)]
    async fn cancellation_stops_the_wait() {
        let (_, fetch) = script(vec![1]);
        let options = FollowOptions::default();
        let cancel = options.cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(2)).await;
            cancel.cancel();
        });
        let err = follow_until(&options, fetch, |_| false, |_| {}).await.unwrap_err();
        assert_eq!(err, Error::Cancelled);
    }
}
