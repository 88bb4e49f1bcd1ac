//! Downloading one model file: resumable (HTTP Range from the `.part` file left by a
//! pause or a lost connection), checked against its sha256 before it is accepted, with
//! progress and cancellation. The code users run; tests point it at a loopback server.

use crate::error::{ModelsError, Result};
use crate::system::{disk_free, human_bytes};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

/// Where a download is, for a progress bar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DownloadProgress {
    pub model_id: String,
    pub stage: DownloadStage,
    /// Bytes on disk so far (a resumed download starts at what the `.part` file held).
    #[ts(type = "number")]
    pub done_bytes: u64,
    /// The whole file's size, once the server said it.
    #[ts(type = "number | null")]
    pub total_bytes: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum DownloadStage {
    Connecting,
    Downloading,
    /// Reading the whole file back to check its sha256.
    Verifying,
    Done,
}

/// Leave this much free after the download: a full disk breaks everything else too.
const DISK_MARGIN: u64 = 100_000_000;

/// The most bytes accepted for a file whose catalogue size is `expected`: catalogue sizes
/// are rounded, so 5 % and 16 MiB more are allowed; past that the server is sending
/// something else (or filling the disk), and the download stops.
pub(crate) fn size_cap(expected: u64) -> u64 {
    expected.saturating_add(expected / 20).saturating_add(16 * 1024 * 1024)
}

pub(crate) struct Job<'a> {
    pub client: &'a reqwest::Client,
    pub model_id: &'a str,
    pub name: &'a str,
    pub url: String,
    pub dest: PathBuf,
    pub expected_size: u64,
    pub sha256: Option<&'a str>,
}

pub(crate) fn part_path(dest: &Path) -> PathBuf {
    let mut p = dest.as_os_str().to_owned();
    p.push(".part");
    PathBuf::from(p)
}

pub(crate) async fn run(
    job: Job<'_>,
    on_progress: &mut (dyn FnMut(&DownloadProgress) + Send),
    cancel: &CancellationToken,
) -> Result<PathBuf> {
    let part = part_path(&job.dest);
    let dir = job.dest.parent().unwrap_or(Path::new("."));
    let mut have = tokio::fs::metadata(&part).await.map(|m| m.len()).unwrap_or(0);
    let progress = |stage, done, total| DownloadProgress {
        model_id: job.model_id.to_string(),
        stage,
        done_bytes: done,
        total_bytes: total,
    };
    on_progress(&progress(DownloadStage::Connecting, have, None));
    check_disk(dir, job.name, job.expected_size.saturating_sub(have))?;

    let mut request = job.client.get(&job.url);
    if have > 0 {
        request = request.header(reqwest::header::RANGE, format!("bytes={have}-"));
    }
    let response = tokio::select! {
        _ = cancel.cancelled() => return Err(ModelsError::Cancelled),
        r = request.send() => r.map_err(|e| network(job.name, &job.url, &e))?,
    };
    let status = response.status().as_u16();
    match status {
        200 | 206 | 416 => {}
        404 => {
            return Err(ModelsError::NotFound(format!(
                "{} is no longer at {} (404): the catalogue may be out of date; update Folio",
                job.name, job.url
            )))
        }
        s => {
            return Err(ModelsError::Network(format!(
                "the download server refused {} ({s}); try again later",
                job.name
            )))
        }
    }
    let published_sha = response
        .headers()
        .get("x-linked-etag")
        .or_else(|| response.headers().get("etag"))
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim_start_matches("W/").trim_matches('"').to_ascii_lowercase())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()));
    let expected_sha = match (job.sha256, published_sha.as_deref()) {
        (Some(pinned), _) => pinned.to_ascii_lowercase(),
        (None, Some(published)) => published.to_string(),
        (None, None) => {
            return Err(ModelsError::Checksum(format!(
                "{} cannot be checked: the download server publishes no checksum for it and Folio has none written down, so it was not downloaded",
                job.name
            )))
        }
    };
    let append = match status {
        206 => true,
        // The server ignored the range (or there was none): start over.
        200 => false,
        // Nothing left after `have`: the part file is whole already; verify it.
        416 if have > 0 => {
            drop(response);
            return finish(&job, &part, &expected_sha, have, on_progress).await;
        }
        _ => {
            return Err(ModelsError::Network(format!(
                "the download server answered {} with {status} to a request for the rest of the file; try again",
                job.name
            )))
        }
    };
    if !append {
        have = 0;
    }
    let total = response.content_length().map(|n| n.saturating_add(have));
    let cap = size_cap(job.expected_size);
    if let Some(total) = total {
        if total > cap {
            return Err(too_big(&job, &part, total, cap).await);
        }
        check_disk(dir, job.name, total - have)?;
    }
    // Hyper stops at a Content-Length; without one only the catalogue's size bounds it.
    let cap = total.map_or(cap, |t| t.min(cap));
    let mut file = tokio::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(append)
        .truncate(!append)
        .open(&part)
        .await
        .map_err(|e| write_error(&part, e))?;
    on_progress(&progress(DownloadStage::Downloading, have, total));

    let mut response = response;
    let mut last_report = Instant::now();
    loop {
        let chunk = tokio::select! {
            _ = cancel.cancelled() => {
                // Pause: what arrived stays in the .part file for the next try.
                file.flush().await.ok();
                return Err(ModelsError::Cancelled);
            }
            c = response.chunk() => c,
        };
        let chunk = match chunk {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => {
                file.flush().await.ok();
                return Err(ModelsError::Network(format!(
                    "the download of {} was interrupted after {} ({}); try again to continue from there",
                    job.name,
                    human_bytes(have),
                    cause(&e)
                )));
            }
        };
        if have + chunk.len() as u64 > cap {
            drop(file);
            return Err(too_big(&job, &part, have + chunk.len() as u64, cap).await);
        }
        file.write_all(&chunk).await.map_err(|e| write_error(&part, e))?;
        have += chunk.len() as u64;
        if last_report.elapsed() >= Duration::from_millis(100) {
            last_report = Instant::now();
            on_progress(&progress(DownloadStage::Downloading, have, total));
        }
    }
    file.flush().await.map_err(|e| write_error(&part, e))?;
    file.sync_all().await.map_err(|e| write_error(&part, e))?;
    drop(file);
    if let Some(total) = total {
        if have < total {
            return Err(ModelsError::Network(format!(
                "the download of {} stopped after {} of {}; try again to continue from there",
                job.name,
                human_bytes(have),
                human_bytes(total)
            )));
        }
    }
    finish(&job, &part, &expected_sha, have, on_progress).await
}

/// The server offers or sends more than the file can be: what arrived is deleted (it is
/// not the catalogue's file) and nothing more is written.
async fn too_big(job: &Job<'_>, part: &Path, bytes: u64, cap: u64) -> ModelsError {
    tokio::fs::remove_file(part).await.ok();
    ModelsError::Checksum(format!(
        "the download server sent {} or more for {}, which is at most {}: it is not the expected file, so the download was stopped and nothing was kept",
        human_bytes(bytes),
        job.name,
        human_bytes(cap)
    ))
}

/// Verifies the whole `.part` file and renames it into place; a mismatch deletes it
/// (resuming a wrong file cannot make it right).
async fn finish(
    job: &Job<'_>,
    part: &Path,
    expected_sha: &str,
    have: u64,
    on_progress: &mut (dyn FnMut(&DownloadProgress) + Send),
) -> Result<PathBuf> {
    on_progress(&DownloadProgress {
        model_id: job.model_id.into(),
        stage: DownloadStage::Verifying,
        done_bytes: have,
        total_bytes: Some(have),
    });
    let actual = sha256_file(part).await?;
    if actual != expected_sha {
        tokio::fs::remove_file(part).await.ok();
        return Err(ModelsError::Checksum(format!(
            "the downloaded {} is not the expected file (its checksum differs), so it was deleted; try again, and if it happens again the download server is sending something else",
            job.name
        )));
    }
    tokio::fs::rename(part, &job.dest).await.map_err(|e| write_error(&job.dest, e))?;
    on_progress(&DownloadProgress {
        model_id: job.model_id.into(),
        stage: DownloadStage::Done,
        done_bytes: have,
        total_bytes: Some(have),
    });
    Ok(job.dest.clone())
}

pub async fn sha256_file(path: &Path) -> Result<String> {
    let mut f = tokio::fs::File::open(path)
        .await
        .map_err(|e| ModelsError::io(format!("could not read {}", path.display()), e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf).await.map_err(|e| ModelsError::io(format!("could not read {}", path.display()), e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

fn check_disk(dir: &Path, name: &str, remaining: u64) -> Result<()> {
    let free = disk_free(dir)
        .map_err(|e| ModelsError::io(format!("could not read the free space of {}", dir.display()), e))?;
    if remaining + DISK_MARGIN > free {
        return Err(ModelsError::TooLarge(format!(
            "not enough disk space for {name}: it needs {} more and {} is free in {}; free some space or choose a smaller model",
            human_bytes(remaining + DISK_MARGIN),
            human_bytes(free),
            dir.display()
        )));
    }
    Ok(())
}

fn write_error(path: &Path, e: std::io::Error) -> ModelsError {
    if e.raw_os_error() == Some(libc::ENOSPC) {
        ModelsError::TooLarge(format!("the disk is full: {} could not be written; free some space and try again (the download continues from where it stopped)", path.display()))
    } else {
        ModelsError::io(format!("could not write {}", path.display()), e)
    }
}

fn network(name: &str, url: &str, e: &reqwest::Error) -> ModelsError {
    let host =
        reqwest::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_else(|| url.to_string());
    if e.is_connect() || e.is_timeout() {
        ModelsError::Network(format!(
            "could not reach {host} to download {name}: check the internet connection and try again ({})",
            cause(e)
        ))
    } else {
        ModelsError::Network(format!("downloading {name} from {host} failed: {}", cause(e)))
    }
}

/// The innermost cause ("connection refused"), which says more than reqwest's summary.
fn cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut inner: &dyn std::error::Error = e;
    while let Some(next) = inner.source() {
        inner = next;
    }
    inner.to_string()
}
