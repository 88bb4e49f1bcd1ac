//! What every Folio HTTP client (AI Hub, Airia, Ollama/OpenAI) must do the same way at the
//! edge of the network: never carry a credential to another origin, never hold an answer
//! larger than it expects, never panic on a server's Retry-After.

use std::time::Duration;

/// Redirects are followed only within the origin the request went to (scheme, host and
/// port), at most `max_hops` of them: an API key or token must never reach a host the
/// person did not name. A redirect elsewhere is not followed; its 3xx comes back as the
/// answer.
pub fn same_origin_redirects(max_hops: usize) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        let same = attempt.previous().first().is_some_and(|first| {
            first.scheme() == attempt.url().scheme()
                && first.host_str() == attempt.url().host_str()
                && first.port_or_known_default() == attempt.url().port_or_known_default()
        });
        if !same {
            tracing::warn!(to = %attempt.url().origin().ascii_serialization(), "not following a redirect to another origin");
            attempt.stop()
        } else if attempt.previous().len() > max_hops {
            attempt.error(format!("more than {max_hops} redirects"))
        } else {
            attempt.follow()
        }
    })
}

/// The whole body, or `Err(max)` past `max` bytes (whatever Content-Length says).
pub async fn read_capped(
    mut response: reqwest::Response,
    max: usize,
) -> Result<Result<bytes::Bytes, usize>, reqwest::Error> {
    if response.content_length().is_some_and(|n| n > max as u64) {
        return Ok(Err(max));
    }
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > max {
            return Ok(Err(max));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Ok(body.freeze()))
}

/// Retry-After as seconds or an HTTP date, clamped to `0..=max`; negative, NaN or
/// unreadable values are ignored (None), and no value can overflow a `Duration`.
pub fn retry_after(value: &str, max: Duration) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<f64>() {
        if !secs.is_finite() || secs < 0.0 {
            return None;
        }
        return Some(Duration::from_secs_f64(secs.min(max.as_secs_f64())));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let millis = (when.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_milliseconds();
    Some(Duration::from_millis(millis.clamp(0, max.as_millis() as i64) as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: Duration = Duration::from_secs(300);

    #[test]
    fn retry_after_never_panics_and_is_clamped() {
        for (value, expected) in [
            ("7", Some(Duration::from_secs(7))),
            ("1e30", Some(MAX)),
            ("18446744073709551616", Some(MAX)),
            ("301", Some(MAX)),
            ("NaN", None),
            ("inf", None),
            ("-3", None),
            ("garbage", None),
            ("Fri, 31 Dec 9999 23:59:59 GMT", Some(MAX)),
            ("Wed, 21 Oct 2015 07:28:00 GMT", Some(Duration::ZERO)),
        ] {
            assert_eq!(retry_after(value, MAX), expected, "Retry-After: {value:?}");
        }
    }
}
