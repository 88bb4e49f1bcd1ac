//! Finding Pieces OS on this computer. Every candidate port is probed at once with
//! `HEAD /.well-known/health` (the wrapper's probe) under a short limit, so a scan of 36
//! ports takes one probe's time; the first port in order of preference that answers 200
//! wins. An address the user set is checked alone.

use crate::config::PiecesConfig;
use crate::error::PiecesError;
use std::time::Duration;

/// The base URL (`http://127.0.0.1:PORT`) where Pieces OS answers.
pub async fn discover(config: &PiecesConfig) -> Result<String, PiecesError> {
    let http = reqwest::Client::builder()
        .no_proxy()
        .connect_timeout(config.probe_timeout)
        .timeout(config.probe_timeout)
        .build()
        .map_err(|e| PiecesError::Input(format!("could not set up HTTP: {e}")))?;
    if let Some(address) = &config.address {
        let base = normalize(address)?;
        // A configured address gets a longer look: it is the only one.
        if probe(&http, &base, config.probe_timeout.max(Duration::from_secs(2))).await {
            return Ok(base);
        }
        return Err(PiecesError::NotRunning { tried: base });
    }
    let probes = config.ports.iter().map(|port| {
        let base = format!("http://127.0.0.1:{port}");
        let http = http.clone();
        async move { probe(&http, &base, config.probe_timeout).await.then_some(base) }
    });
    let answers = futures_util::future::join_all(probes).await;
    answers.into_iter().flatten().next().ok_or_else(|| PiecesError::NotRunning { tried: describe_ports(&config.ports) })
}

async fn probe(http: &reqwest::Client, base: &str, limit: Duration) -> bool {
    let request = http.head(format!("{base}/.well-known/health")).timeout(limit).send();
    matches!(tokio::time::timeout(limit, request).await, Ok(Ok(r)) if r.status().as_u16() == 200)
}

/// `http://host:port` without a trailing slash; an address without a scheme gets http.
pub fn normalize(address: &str) -> Result<String, PiecesError> {
    let address = address.trim().trim_end_matches('/');
    if address.is_empty() {
        return Err(PiecesError::Input("the Pieces OS address is empty".into()));
    }
    let with_scheme = if address.contains("://") { address.to_string() } else { format!("http://{address}") };
    let url = reqwest::Url::parse(&with_scheme)
        .map_err(|e| PiecesError::Input(format!("the Pieces OS address {address:?} is not a URL: {e}")))?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(PiecesError::Input(format!("the Pieces OS address {address:?} must start with http://")));
    }
    Ok(with_scheme)
}

/// "127.0.0.1 ports 39300-39333, 1000, 5323": runs of consecutive ports shortened.
pub fn describe_ports(ports: &[u16]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ports.len() {
        let mut j = i;
        while j + 1 < ports.len() && ports[j + 1] == ports[j] + 1 {
            j += 1;
        }
        parts.push(if j > i { format!("{}-{}", ports[i], ports[j]) } else { ports[i].to_string() });
        i = j + 1;
    }
    format!("127.0.0.1 port{} {}", if ports.len() == 1 { "" } else { "s" }, parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_described_as_runs() {
        assert_eq!(describe_ports(&crate::config::default_ports()), "127.0.0.1 ports 39300-39333, 1000, 5323");
        assert_eq!(describe_ports(&[5]), "127.0.0.1 port 5");
    }

    #[test]
    fn addresses_are_normalized() {
        assert_eq!(normalize("127.0.0.1:1000/").unwrap(), "http://127.0.0.1:1000");
        assert!(normalize("ftp://x").is_err());
        assert!(normalize(" ").is_err());
    }
}
