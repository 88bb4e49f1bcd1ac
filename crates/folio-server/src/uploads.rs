//! Reading AI Hub's multipart uploads (create conversation, add documents) safely:
//! - every file part streams to a fresh folder under the staging root (inside the data
//!   folder), under a name reduced to a plain file name, so `../../x` or `C:\x` can never
//!   point anywhere else;
//! - the limits are counted while the body arrives; a request over them is answered 413
//!   and its staging folder removed, so nothing is stored and the backend never sees it;
//! - the staging folder is removed when the request ends, however it ends (the backend
//!   keeps its own copy of each file).

use crate::error::{ApiError, ApiResult};
use crate::limits::Limits;
use axum::body::Body;
use axum::http::{header, HeaderMap};
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// Text fields are names, descriptions and flags: anything longer is a mistake.
const MAX_TEXT_FIELD: usize = 64 * 1024;
/// How long an oversized body may take to be read and thrown away.
const DRAIN_TIME: Duration = Duration::from_secs(60);
/// Prefix of the per-request staging folders, so leftovers of a crash are recognisable.
pub const STAGING_PREFIX: &str = "upload-";

/// One multipart request, read and checked: its text fields and its files on disk.
#[derive(Debug)]
pub struct Upload {
    /// Removed (with the files) when the upload is dropped.
    _dir: tempfile::TempDir,
    pub fields: Vec<(String, String)>,
    pub files: Vec<PathBuf>,
}

impl Upload {
    /// The last value of a text field.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// A boolean field as the SDK sends it (`True`/`False`, Python's `str(bool)`), as the
    /// seed documents it (`true`/`false`), or as 1/0.
    pub fn flag(&self, name: &str) -> ApiResult<Option<bool>> {
        match self.field(name) {
            None => Ok(None),
            Some(v) => parse_bool(v)
                .map(Some)
                .ok_or_else(|| ApiError::bad_request(format!("`{name}` must be true or false, not {v:?}"))),
        }
    }
}

pub fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Some(true),
        "false" | "0" | "no" => Some(false),
        _ => None,
    }
}

/// Reduces an uploaded file name to a plain name that is safe on every OS: only the
/// last path component survives, control and reserved characters become `_`, and
/// names that mean something to a file system (`..`, `CON`) or nothing at all get a
/// neutral one. The result never contains a separator, so joined to a folder it stays
/// in that folder.
pub fn safe_file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .map(|c| if c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') { '_' } else { c })
        .collect();
    // Windows drops trailing dots and spaces, which would make two names collide.
    let cleaned = cleaned.trim().trim_end_matches(['.', ' ']).to_string();
    if cleaned.is_empty() {
        return "upload".to_string();
    }
    let stem = cleaned.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit());
    let name = if reserved { format!("_{cleaned}") } else { cleaned };
    truncate_keeping_extension(name, 200)
}

fn truncate_keeping_extension(name: String, max: usize) -> String {
    if name.len() <= max {
        return name;
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e).filter(|e| e.len() <= 16).unwrap_or("");
    let keep = max - ext.len() - 1;
    let mut cut = keep;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    if ext.is_empty() {
        name[..cut].to_string()
    } else {
        format!("{}.{ext}", &name[..cut])
    }
}

fn too_large(limits: &Limits) -> ApiError {
    ApiError::too_large(format!(
        "The request is larger than the {} allowed per request (AI Hub's limit); nothing was stored. \
         Send the files in several requests",
        Limits::describe(limits.max_request_bytes)
    ))
}

/// Counts the body as it streams. Past the cap it reads and discards the rest (up to
/// the drain limit and time), so the client finishes sending and can read the 413,
/// then ends the stream with an error that the caller recognises by `over`.
fn counted(
    body: Body,
    cap: u64,
    drain: u64,
    over: Arc<AtomicBool>,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
    let stream = body.into_data_stream();
    futures_util::stream::unfold((stream, 0u64, false), move |(mut stream, mut total, done)| {
        let over = over.clone();
        async move {
            if done {
                return None;
            }
            match stream.next().await {
                None => None,
                Some(Err(e)) => Some((Err(std::io::Error::other(e)), (stream, total, true))),
                Some(Ok(chunk)) => {
                    total += chunk.len() as u64;
                    if total <= cap {
                        return Some((Ok(chunk), (stream, total, false)));
                    }
                    over.store(true, Ordering::SeqCst);
                    let _ = tokio::time::timeout(DRAIN_TIME, async {
                        while let Some(Ok(chunk)) = stream.next().await {
                            total += chunk.len() as u64;
                            if total > cap.saturating_add(drain) {
                                break;
                            }
                        }
                    })
                    .await;
                    Some((Err(std::io::Error::other("request body over the limit")), (stream, total, true)))
                }
            }
        }
    })
}

/// Reads a multipart request into a fresh staging folder under `staging_root`.
/// File parts must be named `files` (AI Hub's name); text parts are kept as fields.
pub async fn read_upload(headers: &HeaderMap, body: Body, staging_root: &Path, limits: &Limits) -> ApiResult<Upload> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let boundary = multer::parse_boundary(content_type).map_err(|_| {
        ApiError::bad_request(format!(
            "Expected a multipart/form-data body with a boundary (as the SDK or `curl -F` send), got Content-Type {content_type:?}"
        ))
    })?;
    let cap = limits.request_body_cap();
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if let Some(len) = declared {
        let expects_continue = headers
            .get(header::EXPECT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"));
        // A client waiting for "100 Continue" has sent nothing yet, and one announcing
        // more than we would ever drain is not worth reading: answer at once.
        if len > cap && (expects_continue || len > cap.saturating_add(limits.max_drain_bytes)) {
            return Err(too_large(limits));
        }
    }

    let dir = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(staging_root)
        .map_err(|e| ApiError::internal(format!("could not prepare the upload folder: {e}")))?;
    let over = Arc::new(AtomicBool::new(false));
    let mut multipart = multer::Multipart::new(counted(body, cap, limits.max_drain_bytes, over.clone()), boundary);
    let mut fields = Vec::new();
    let mut files = Vec::new();
    // A file over its own limit: remembered, and the rest of the body still read so the
    // client gets the answer, then the whole request is refused.
    let mut refused: Option<ApiError> = None;

    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) if over.load(Ordering::SeqCst) => return Err(too_large(limits)),
            Err(e) => return Err(ApiError::bad_request(format!("The multipart body is malformed: {e}"))),
        };
        // Once the request is refused, the rest is only read (and dropped) so that the
        // client, still sending, gets to read the answer.
        if refused.is_some() {
            drain(&mut field).await.map_err(|e| e.into_api(&over, limits))?;
            continue;
        }
        let name = field.name().unwrap_or("").to_string();
        match field.file_name().map(str::to_string) {
            Some(_) if name != "files" => {
                refused = Some(ApiError::bad_request(format!(
                    "Unexpected file field {name:?}: send each file as a part named `files`"
                )));
                drain(&mut field).await.map_err(|e| e.into_api(&over, limits))?;
            }
            Some(raw) => {
                let safe = safe_file_name(&raw);
                // One folder per file: two files with the same name both arrive intact.
                let folder = dir.path().join(files.len().to_string());
                let path = folder.join(&safe);
                match write_part(&mut field, &folder, &path, limits.max_file_bytes).await {
                    Ok(true) => files.push(path),
                    Ok(false) => {
                        refused = Some(ApiError::too_large(format!(
                            "The file {safe:?} is larger than the {} allowed per file (AI Hub's limit); nothing was stored",
                            Limits::describe(limits.max_file_bytes)
                        )));
                    }
                    Err(e) => return Err(e.into_api(&over, limits)),
                }
            }
            None => match read_text(&mut field).await {
                Ok(_) if name == "files" => {
                    refused = Some(ApiError::bad_request(
                        "The `files` part needs a filename (Content-Disposition: ...; filename=\"a.pdf\")",
                    ));
                }
                Ok(text) => fields.push((name, text)),
                Err(PartError::TextTooLong) if !over.load(Ordering::SeqCst) => {
                    refused = Some(PartError::TextTooLong.into_api(&over, limits));
                }
                Err(e) => return Err(e.into_api(&over, limits)),
            },
        }
    }
    if over.load(Ordering::SeqCst) {
        return Err(too_large(limits));
    }
    match refused {
        Some(err) => Err(err),
        None => Ok(Upload { _dir: dir, fields, files }),
    }
}

/// Why reading one part stopped.
enum PartError {
    Multipart(multer::Error),
    Io(std::io::Error),
    TextTooLong,
}

impl PartError {
    fn into_api(self, over: &AtomicBool, limits: &Limits) -> ApiError {
        if over.load(Ordering::SeqCst) {
            return too_large(limits);
        }
        match self {
            PartError::Multipart(e) => ApiError::bad_request(format!("The multipart body is malformed: {e}")),
            PartError::Io(e) => ApiError::internal(format!("could not store the upload: {e}")),
            PartError::TextTooLong => ApiError::bad_request(format!(
                "A text field is longer than {}; files go in parts named `files`",
                Limits::describe(MAX_TEXT_FIELD as u64)
            )),
        }
    }
}

/// Streams one file part to `path`. Ok(false) if it is over `max` (the partial file is
/// removed and the rest of the part read and discarded).
async fn write_part(field: &mut multer::Field<'_>, folder: &Path, path: &Path, max: u64) -> Result<bool, PartError> {
    tokio::fs::create_dir(folder).await.map_err(PartError::Io)?;
    let mut out = tokio::fs::File::create(path).await.map_err(PartError::Io)?;
    let mut size = 0u64;
    while let Some(chunk) = field.chunk().await.map_err(PartError::Multipart)? {
        size += chunk.len() as u64;
        if size > max {
            drop(out);
            let _ = tokio::fs::remove_file(path).await;
            drain(field).await?;
            return Ok(false);
        }
        out.write_all(&chunk).await.map_err(PartError::Io)?;
    }
    // tokio writes in the background: flushed before the backend copies the file, or it
    // could read a truncated one.
    out.flush().await.map_err(PartError::Io)?;
    Ok(true)
}

async fn drain(field: &mut multer::Field<'_>) -> Result<(), PartError> {
    while field.chunk().await.map_err(PartError::Multipart)?.is_some() {}
    Ok(())
}

async fn read_text(field: &mut multer::Field<'_>) -> Result<String, PartError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(PartError::Multipart)? {
        if bytes.len() + chunk.len() > MAX_TEXT_FIELD {
            drain(field).await?;
            return Err(PartError::TextTooLong);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Reads a small JSON body (prompts, queries, delete-documents) with its own limit.
/// Content-Type is not required: the seed's own example posts JSON without one.
pub async fn read_json_value(body: Body, limits: &Limits) -> ApiResult<Option<serde_json::Value>> {
    let over = Arc::new(AtomicBool::new(false));
    let mut stream = Box::pin(counted(body, limits.max_json_bytes, limits.max_drain_bytes, over.clone()));
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(chunk) => bytes.extend_from_slice(&chunk),
            Err(_) if over.load(Ordering::SeqCst) => {
                return Err(ApiError::too_large(format!(
                    "The JSON body is larger than {}",
                    Limits::describe(limits.max_json_bytes)
                )))
            }
            Err(e) => return Err(ApiError::bad_request(format!("Could not read the request body: {e}"))),
        }
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| ApiError::bad_request(format!("The body is not valid JSON: {e}")))
}

/// Removes staging folders left by a previous run that was killed mid-upload.
pub fn clean_staging(root: &Path) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(STAGING_PREFIX) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_every_path_part() {
        assert_eq!(safe_file_name("../../x"), "x");
        assert_eq!(safe_file_name("..\\..\\windows\\win.ini"), "win.ini");
        assert_eq!(safe_file_name("/etc/passwd"), "passwd");
        assert_eq!(safe_file_name("C:\\a.pdf"), "a.pdf");
        assert_eq!(safe_file_name(".."), "upload");
        assert_eq!(safe_file_name("../"), "upload");
        assert_eq!(safe_file_name(""), "upload");
        assert_eq!(safe_file_name("a\u{0}b\nc.txt"), "a_b_c.txt");
        assert_eq!(safe_file_name("CON.txt"), "_CON.txt");
        assert_eq!(safe_file_name("résumé notes.pdf"), "résumé notes.pdf");
        assert_eq!(safe_file_name("a.pdf. . "), "a.pdf");
        let long = format!("{}.pdf", "é".repeat(300));
        let cut = safe_file_name(&long);
        assert!(cut.len() <= 200 && cut.ends_with(".pdf"), "{cut}");
    }

    #[test]
    fn booleans_in_both_spellings() {
        assert_eq!(parse_bool("True"), Some(true));
        assert_eq!(parse_bool("false"), Some(false));
        assert_eq!(parse_bool("0"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }
}
